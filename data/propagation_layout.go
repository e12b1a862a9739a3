package data

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode/utf8"
)

// Layouts of the two propagation pictures, shared by the screen (views)
// and the SVG exports (data/export) so that both draw the same picture:
// plain geometry in pixels, no drawing.

// GraphLayout places the outlet pickup graph: outlets on a circle, the
// outlets others take from most at the top and clockwise from there.
type GraphLayout struct {
	Width, Height float64
	Nodes         []NodePlace
	Edges         []EdgePlace
}

// NodePlace is an outlet's circle and label. Anchor says how the label
// stands to its point: "start" (to the right), "end" (to the left) or
// "middle".
type NodePlace struct {
	Outlet                string
	X, Y, R               float64
	First, Clusters       int
	Sole                  int // of First, the clusters it was first in alone
	LabelX, LabelY        float64
	Anchor                string
	FromPrimary, Versions int
	// Label is the outlet's name with how often it came first (see
	// FirstLabel). Shortened says only the name is shown, Hidden that not
	// even that is, for want of room (see PlaceLabels and Shown).
	Label             string
	Shortened, Hidden bool
}

// EdgePlace is a pickup's line, from the edge of one circle to the edge of
// the other, with its arrowhead and the place of its label (the number of
// clusters).
type EdgePlace struct {
	Edge             int // index into Propagation.Edges
	X1, Y1, X2, Y2   float64
	Width            float64
	Arrow            [3][2]float64 // the arrowhead's tip and its two barbs
	LabelX, LabelY   float64
	Label            string
	FromNode, ToNode int
	// LabelHidden says the label is left out because it would overlap
	// an outlet's or a heavier edge's (see PlaceLabels).
	LabelHidden bool
}

// LayoutPickupGraph lays out the outlets and the edges of at least
// minWeight clusters in a w × h picture. Node area grows with the clusters
// an outlet carried first, line width with an edge's clusters.
//
// measure sizes the labels as they will be drawn, for PlaceLabels; nil
// estimates them (EstimateLabel). The ring is sized by the estimate
// either way.
func LayoutPickupGraph(p *Propagation, w, h float64, minWeight int, measure func(label string, edge bool) (w, h float64)) GraphLayout {
	l := GraphLayout{Width: w, Height: h}
	if p == nil || len(p.Outlets) == 0 {
		return l
	}
	up := map[string]int{}
	for _, e := range p.Edges {
		up[e.From] += e.Weight
		up[e.To] -= e.Weight
	}
	outlets := slices.Clone(p.Outlets)
	slices.SortStableFunc(outlets, func(a, b OutletPropagation) int {
		if c := cmp.Compare(up[b.Outlet], up[a.Outlet]); c != 0 {
			return c
		}
		if c := cmp.Compare(b.First, a.First); c != 0 {
			return c
		}
		return cmp.Compare(a.Outlet, b.Outlet)
	})
	maxFirst := 1
	for _, o := range outlets {
		maxFirst = max(maxFirst, o.First)
	}
	cx, cy := w/2, h/2
	// Room beside the ring for the longest name, down to a ring of a
	// fifth of the picture, or three tenths when there are too many
	// outlets to name them all anyway; names that still do not fit are
	// left out (PlaceLabels) rather than cut.
	floor := 0.2
	if len(outlets) > 12 {
		floor = 0.3
	}
	labels := make([]string, len(outlets))
	longest := 0.0
	for i, o := range outlets {
		labels[i] = fmt.Sprintf("%s (%s)", o.Outlet, FirstLabel(o.First, o.Sole, o.Clusters))
		// Past a dozen outlets the names are most of what fits beside
		// the ring: the ring makes room for them, not for the figures.
		label := o.Outlet
		if len(outlets) <= 12 {
			label = labels[i]
		}
		lw, _ := EstimateLabel(label, false)
		longest = math.Max(longest, lw)
	}
	radius := math.Max(40, math.Min(math.Max(w/2-40-longest, floor*math.Min(w, h)), h/2-50))
	// Circles no wider than the space between neighbours on the ring:
	// forty outlets on a ring in a pane had drawn one blot.
	rMax := 24.0
	if n := len(outlets); n > 1 {
		rMax = math.Max(3, math.Min(rMax, radius*math.Sin(math.Pi/float64(n))-1))
	}
	rMin := math.Min(7, 0.3*rMax)
	index := map[string]int{}
	for i, o := range outlets {
		angle := -math.Pi/2 + 2*math.Pi*float64(i)/float64(len(outlets))
		if len(outlets) == 1 {
			angle = -math.Pi / 2
			radius = 0
		}
		dx, dy := math.Cos(angle), math.Sin(angle)
		r := rMin + (rMax-rMin)*math.Sqrt(float64(o.First)/float64(maxFirst))
		n := NodePlace{Outlet: o.Outlet, X: cx + radius*dx, Y: cy + radius*dy, R: r, First: o.First, Clusters: o.Clusters,
			Sole: o.Sole, FromPrimary: o.FromPrimary, Versions: o.Versions, Label: labels[i]}
		n.LabelX, n.LabelY = n.X+(r+8)*dx, n.Y+(r+8)*dy+4
		switch {
		case dx > 0.25:
			n.Anchor = "start"
		case dx < -0.25:
			n.Anchor = "end"
		default:
			n.Anchor = "middle"
			if dy < 0 {
				n.LabelY -= 6
			} else {
				n.LabelY += 10
			}
		}
		index[o.Outlet] = i
		l.Nodes = append(l.Nodes, n)
	}
	maxWeight := 1
	for _, e := range p.Edges {
		maxWeight = max(maxWeight, e.Weight)
	}
	pairs := map[[2]string]bool{}
	for _, e := range p.Edges {
		if e.Weight >= minWeight {
			pairs[[2]string{e.From, e.To}] = true
		}
	}
	for k, e := range p.Edges {
		if e.Weight < minWeight {
			continue
		}
		a, okA := index[e.From]
		b, okB := index[e.To]
		if !okA || !okB || a == b {
			continue
		}
		na, nb := l.Nodes[a], l.Nodes[b]
		dx, dy := nb.X-na.X, nb.Y-na.Y
		d := math.Hypot(dx, dy)
		if d < 1 {
			continue
		}
		ux, uy := dx/d, dy/d
		// Two outlets that take from each other get two lines side by
		// side rather than one on top of the other.
		ox, oy := 0.0, 0.0
		if pairs[[2]string{e.To, e.From}] {
			ox, oy = -uy*5, ux*5
		}
		ep := EdgePlace{Edge: k, FromNode: a, ToNode: b,
			X1: na.X + ux*na.R + ox, Y1: na.Y + uy*na.R + oy, X2: nb.X - ux*(nb.R+2) + ox, Y2: nb.Y - uy*(nb.R+2) + oy,
			Width: 1 + 5*float64(e.Weight)/float64(maxWeight), Label: e.WeightText()}
		size := 9 + ep.Width
		for i, turn := range []float64{0, 0.45, -0.45} {
			if i == 0 {
				ep.Arrow[0] = [2]float64{ep.X2, ep.Y2}
				continue
			}
			c, s := math.Cos(math.Pi+turn), math.Sin(math.Pi+turn)
			ep.Arrow[i] = [2]float64{ep.X2 + size*(ux*c-uy*s), ep.Y2 + size*(ux*s+uy*c)}
		}
		// The label sits before the middle, on the line's left, so that
		// the two directions of a pair are told apart.
		ep.LabelX = ep.X1 + 0.42*(ep.X2-ep.X1) - uy*10
		ep.LabelY = ep.Y1 + 0.42*(ep.Y2-ep.Y1) + ux*10 + 4
		l.Edges = append(l.Edges, ep)
	}
	if measure == nil {
		measure = EstimateLabel
	}
	l.PlaceLabels(measure)
	return l
}

// WeightSteps are the thresholds of the edges a pickup graph shows: the
// screen's choices, and what the picture exports pick from. Months of
// coverage give edges of thousands of clusters.
var WeightSteps = []int{1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000}

// WeightStepsFor are the WeightSteps that leave at least one of p's edges
// to draw (1 always).
func WeightStepsFor(p *Propagation) []int {
	heaviest := 0
	if p != nil {
		for _, e := range p.Edges {
			heaviest = max(heaviest, e.Weight)
		}
	}
	n := 1
	for n < len(WeightSteps) && WeightSteps[n] <= heaviest {
		n++
	}
	return WeightSteps[:n]
}

// MaxArrows is about the most arrows a circle of outlets stays readable
// with.
const MaxArrows = 60

// ReadableMinWeight is the step of WeightStepsFor(p) that leaves the
// number of p's edges nearest MaxArrows to draw (the smallest of equals):
// the first step at or under MaxArrows can leave almost none where the
// step before left a few more than that.
func ReadableMinWeight(p *Propagation) int {
	best, bestGap := 1, math.MaxInt
	for _, w := range WeightStepsFor(p) {
		n := EdgesAtLeast(p, w)
		if gap := max(n-MaxArrows, MaxArrows-n); gap < bestGap {
			best, bestGap = w, gap
		}
	}
	return best
}

// EdgesAtLeast counts p's edges of at least minWeight clusters: the
// arrows a picture at that threshold draws.
func EdgesAtLeast(p *Propagation, minWeight int) int {
	n := 0
	for _, e := range p.Edges {
		if e.Weight >= minWeight {
			n++
		}
	}
	return n
}

// EstimateLabel is a label's size in pixels at 12 px text, for a layout
// without the means to measure text: about the width of the average
// character of a sans-serif face, and 4 px more for the halo behind it.
func EstimateLabel(s string, _ bool) (w, h float64) {
	return 6.6*float64(utf8.RuneCountInString(s)) + 4, 14
}

// PlaceLabels hides the labels that would overlap another or run past
// the picture's edge, sized with measure: the outlets' first, those that
// carried most first before the others, a name alone where the name with
// its figures does not fit; then the edges' numbers, the heaviest first.
// A hidden label's outlet keeps its circle, and a reader finds its name in
// the picture's tooltips or by tapping it (see Shown).
func (l *GraphLayout) PlaceLabels(measure func(label string, edge bool) (w, h float64)) {
	type box struct{ x0, y0, x1, y1 float64 }
	boxOf := func(label string, edge bool, x, y float64, anchor string) box {
		w, h := measure(label, edge)
		b := box{x, y - 0.8*h, x + w, y + 0.2*h}
		switch anchor {
		case "middle":
			b.x0, b.x1 = b.x0-w/2, b.x1-w/2
		case "end":
			b.x0, b.x1 = b.x0-w, b.x1-w
		}
		return b
	}
	// placed[k] is the k-th box placed, the circles' first (placed[i] is
	// node i's); own, when not -1, is the label a label replaces and
	// circle the label's own outlet's circle, which both may overlap.
	var placed []box
	free := func(b box, own, circle int) bool {
		if b.x0 < 0 || b.x1 > l.Width || b.y0 < 0 || b.y1 > l.Height {
			return false // a name cut at the picture's edge misleads
		}
		for k, p := range placed {
			if k != own && k != circle && b.x0 < p.x1 && p.x0 < b.x1 && b.y0 < p.y1 && p.y0 < b.y1 {
				return false
			}
		}
		return true
	}
	// The circles first: a name over another outlet's circle reads as
	// that outlet's.
	for _, n := range l.Nodes {
		placed = append(placed, box{n.X - n.R, n.Y - n.R, n.X + n.R, n.Y + n.R})
	}
	nodes := make([]int, len(l.Nodes))
	for i := range nodes {
		nodes[i] = i
	}
	slices.SortStableFunc(nodes, func(a, b int) int {
		if c := cmp.Compare(l.Nodes[b].First, l.Nodes[a].First); c != 0 {
			return c
		}
		return cmp.Compare(l.Nodes[b].Clusters, l.Nodes[a].Clusters)
	})
	// Names first, as many as fit; then, where there is room, each with
	// how often the outlet came first.
	at := make([]int, len(l.Nodes))
	for _, i := range nodes {
		n := &l.Nodes[i]
		n.Hidden, n.Shortened, at[i] = true, false, -1
		if b := boxOf(n.Outlet, false, n.LabelX, n.LabelY, n.Anchor); free(b, -1, i) {
			n.Hidden, n.Shortened, at[i] = false, true, len(placed)
			placed = append(placed, b)
		}
	}
	for _, i := range nodes {
		n := &l.Nodes[i]
		if n.Hidden {
			continue
		}
		if b := boxOf(n.Label, false, n.LabelX, n.LabelY, n.Anchor); free(b, at[i], i) {
			n.Shortened, placed[at[i]] = false, b
		}
	}
	edges := make([]int, len(l.Edges))
	for i := range edges {
		edges[i] = i
	}
	slices.SortStableFunc(edges, func(a, b int) int { return cmp.Compare(l.Edges[b].Width, l.Edges[a].Width) })
	for _, i := range edges {
		e := &l.Edges[i]
		b := boxOf(e.Label, true, e.LabelX, e.LabelY, "middle")
		e.LabelHidden = !free(b, -1, -1)
		if !e.LabelHidden {
			placed = append(placed, b)
		}
	}
}

// Shown is the label drawn for the outlet: its name alone where there was
// no room for more, nothing where there was no room for that (Hidden).
func (n NodePlace) Shown() string {
	switch {
	case n.Hidden:
		return ""
	case n.Shortened:
		return n.Outlet
	}
	return n.Label
}

// HiddenLabels counts the outlets whose names PlaceLabels left out.
func (l GraphLayout) HiddenLabels() int {
	n := 0
	for _, p := range l.Nodes {
		if p.Hidden {
			n++
		}
	}
	return n
}

// NearestNode is the outlet whose circle (widened by tolerance) holds
// (x, y), the nearest one, or -1.
func (l GraphLayout) NearestNode(x, y, tolerance float64) int {
	best, bestD := -1, math.Inf(1)
	for i, n := range l.Nodes {
		if d := math.Hypot(x-n.X, y-n.Y); d <= n.R+tolerance && d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// NearestEdge is the edge whose line passes within tolerance of (x, y),
// the nearest one, or -1.
func (l GraphLayout) NearestEdge(x, y, tolerance float64) int {
	best, bestD := -1, tolerance
	for i, e := range l.Edges {
		if d := segmentDistance(x, y, e.X1, e.Y1, e.X2, e.Y2); d <= bestD {
			best, bestD = i, d
		}
	}
	return best
}

func segmentDistance(px, py, x1, y1, x2, y2 float64) float64 {
	dx, dy := x2-x1, y2-y1
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((px-x1)*dx+(py-y1)*dy)/l2))
	}
	return math.Hypot(px-(x1+t*dx), py-(y1+t*dy))
}

// TreeLayout places a cluster's variant tree on a time axis: one row per
// variant, parents above their children, each box as far right as its
// first carrier's date.
type TreeLayout struct {
	Width, Height float64
	// Top is where the rows start, below the axis.
	Top   float64
	Boxes []BoxPlace // per variant, in Propagation's variant order
	Links []LinkPlace
	Ticks []AxisTick
	// Note says what the axis cannot show: versions of one day without
	// times, which are not ordered, or versions without a date.
	Note string
}

// BoxPlace is a variant's box.
type BoxPlace struct {
	Variant    int
	X, Y, W, H float64
	Row        int
}

// LinkPlace is the line from a parent's box to a child's, as a polyline,
// with the confidence written beside it.
type LinkPlace struct {
	Parent, Child  int
	Points         [][2]float64
	LabelX, LabelY float64
	Label          string
}

// AxisTick is a mark on the time axis.
type AxisTick struct {
	X     float64
	Label string
}

// Sizes of the variant tree: the SVG's boxes, and the gaps.
const (
	TreeBoxWidth  = 300.0
	TreeBoxHeight = 86.0
	treeRowGap    = 22.0
	treeMargin    = 16.0
	treeAxis      = 58.0
)

// LayoutVariantTree lays out c's variants in a picture width pixels wide,
// each in a box boxW × boxH.
func LayoutVariantTree(c *PropagationCluster, width, boxW, boxH float64) TreeLayout {
	l := TreeLayout{Width: width, Top: treeAxis}
	if c == nil || len(c.Variants) == 0 {
		return l
	}
	// Rows: depth first from the root, then the variants from unseen
	// sources with theirs; children in date order.
	children := make([][]int, len(c.Variants))
	var tops []int
	for v, vr := range c.Variants {
		if vr.Parent >= 0 {
			children[vr.Parent] = append(children[vr.Parent], v)
		} else if v != c.Root {
			tops = append(tops, v)
		}
	}
	when := func(v int) (time.Time, bool) {
		lo, _, ok := c.FirstCarrier(v).Date.Span()
		return lo, ok
	}
	byDate := func(a, b int) int {
		ta, oka := when(a)
		tb, okb := when(b)
		if oka && okb {
			if x := ta.Compare(tb); x != 0 {
				return x
			}
		}
		return cmp.Compare(a, b)
	}
	for _, ch := range children {
		slices.SortFunc(ch, byDate)
	}
	slices.SortFunc(tops, byDate)
	var order []int
	seen := make([]bool, len(c.Variants))
	var walk func(v int)
	walk = func(v int) {
		if seen[v] {
			return
		}
		seen[v] = true
		order = append(order, v)
		for _, ch := range children[v] {
			walk(ch)
		}
	}
	walk(c.Root)
	for _, v := range tops {
		walk(v)
	}
	for v := range c.Variants {
		walk(v) // none should be left; a defensive sweep
	}

	// The axis: from the earliest first carrier to the latest.
	var lo, hi time.Time
	known, timed, undated := 0, false, false
	for v := range c.Variants {
		d := c.FirstCarrier(v).Date
		t, ok := when(v)
		if !ok {
			undated = true
			continue
		}
		if known == 0 || t.Before(lo) {
			lo = t
		}
		if known == 0 || t.After(hi) {
			hi = t
		}
		known++
		timed = timed || d.HasTime()
	}
	span := width - 2*treeMargin - boxW
	xOf := func(v int) float64 {
		t, ok := when(v)
		if !ok || !hi.After(lo) || span <= 0 {
			return treeMargin
		}
		return treeMargin + span*float64(t.Sub(lo))/float64(hi.Sub(lo))
	}
	l.Boxes = make([]BoxPlace, len(c.Variants))
	for row, v := range order {
		l.Boxes[v] = BoxPlace{Variant: v, Row: row, X: xOf(v), Y: treeAxis + float64(row)*(boxH+treeRowGap), W: boxW, H: boxH}
	}
	l.Height = treeAxis + float64(len(order))*(boxH+treeRowGap) + treeMargin
	switch {
	case known > 0 && hi.After(lo) && span > 0:
		// Each tick's label is as wide as the widest of its form.
		labelW := func(monthly bool) float64 {
			sample := tickLabel(time.Date(2000, 12, 28, 23, 59, 0, 0, time.UTC), timed, lo, hi)
			if monthly {
				sample = "Sep 2000"
			}
			w, _ := EstimateLabel(sample, false)
			return w
		}
		ticks, monthly := axisTicks(lo, hi, span, labelW)
		for _, t := range ticks {
			label := tickLabel(t, timed, lo, hi)
			if monthly {
				label = t.Format("Jan 2006")
			}
			l.Ticks = append(l.Ticks, AxisTick{X: treeMargin + span*float64(t.Sub(lo))/float64(hi.Sub(lo)), Label: label})
		}
	case known > 0:
		l.Ticks = []AxisTick{{X: treeMargin, Label: tickLabel(lo, timed, lo, hi)}}
		if !timed && known > 1 {
			l.Note = "Every version is dated to the same day without a time: they are not ordered, and the tree follows the text alone."
		}
	}
	if undated {
		l.Note = joinNote(l.Note, "Undated versions stand at the start of the axis.")
	}
	for v, vr := range c.Variants {
		if vr.Parent < 0 {
			continue
		}
		p, ch := l.Boxes[vr.Parent], l.Boxes[v]
		x := p.X + 14
		link := LinkPlace{Parent: vr.Parent, Child: v, Label: fmt.Sprintf("%.0f%%", 100*vr.Confidence)}
		if x >= ch.X && x <= ch.X+ch.W {
			// The child starts left of the line: enter its top.
			link.Points = [][2]float64{{x, p.Y + p.H}, {x, ch.Y}}
		} else {
			link.Points = [][2]float64{{x, p.Y + p.H}, {x, ch.Y + ch.H/2}, {ch.X, ch.Y + ch.H/2}}
		}
		link.LabelX, link.LabelY = x+5, p.Y+p.H+14
		l.Links = append(l.Links, link)
	}
	return l
}

// tickStep is the shortest round step, of at least least, that marks a
// span with at most seven ticks: a minute to a week; 0 for spans that call
// for a longer step, which are marked in months (axisTicks).
func tickStep(span, least time.Duration) time.Duration {
	for _, step := range []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
		2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour} {
		if span/step <= 6 && step >= least {
			return step
		}
	}
	return 0
}

// tickGap is the least room between two ticks' labels, in pixels.
const tickGap = 10

// axisTicks are the round times in [lo, hi] that mark an axis span pixels
// long: every tickStep, or for spans past a few weeks the first days of
// every one, two, three or six months or of every year or more, on the
// calendar (a step of 365 days counted from the year 1 had marked a year
// of coverage with one tick, at 29 August); monthly says they are months.
// Ticks are far enough apart for their labels, labelW wide (given whether
// they are months), not to run into each other: in a half-screen pane,
// a year's ticks every two months had read "Mar 2023May 2023". Where no
// round time falls in the span at that spacing, lo alone is marked.
func axisTicks(lo, hi time.Time, span float64, labelW func(monthly bool) float64) (ticks []time.Time, monthly bool) {
	ticks, monthly = roundTicks(lo.UTC(), hi.UTC(), span, labelW)
	if len(ticks) == 0 {
		return []time.Time{lo.UTC()}, false
	}
	return ticks, monthly
}

// roundTicks is axisTicks without the fallback to lo.
func roundTicks(lo, hi time.Time, span float64, labelW func(monthly bool) float64) (ticks []time.Time, monthly bool) {
	// least is the shortest step whose labels keep apart.
	least := func(monthly bool) time.Duration {
		if span <= 0 {
			return 0
		}
		return time.Duration(float64(hi.Sub(lo)) * (labelW(monthly) + tickGap) / span)
	}
	var out []time.Time
	if step := tickStep(hi.Sub(lo), least(false)); step > 0 {
		for t := lo.Truncate(step); !t.After(hi); t = t.Add(step) {
			if !t.Before(lo) {
				out = append(out, t)
			}
		}
		return out, false
	}
	months := hi.Year()*12 + int(hi.Month()) - lo.Year()*12 - int(lo.Month())
	every := 1
	for _, k := range []int{1, 2, 3, 6, 12, 24, 60, 120, 240, 600} {
		every = k
		// The shortest run of k months is 28 days and a few more.
		if months/k <= 6 && time.Duration(k)*28*24*time.Hour >= least(true) {
			break
		}
	}
	start := lo.Year()*12 + int(lo.Month()) - 1
	start -= start % every
	for m := start; ; m += every {
		t := time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC)
		if t.After(hi) {
			return out, true
		}
		if !t.Before(lo) {
			out = append(out, t)
		}
	}
}

// joinNote joins two notes with a space, either of which may be empty.
func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// tickLabel writes an axis time as the axis calls for: the day, or the
// time of day (with the day when the axis runs from lo to hi over more
// than one day).
func tickLabel(t time.Time, timed bool, lo, hi time.Time) string {
	switch {
	case !timed:
		return t.Format("2 Jan 2006")
	case lo.Truncate(24 * time.Hour).Equal(hi.Truncate(24 * time.Hour)):
		return t.Format("15:04 UTC")
	}
	return t.Format("2 Jan 15:04 UTC")
}

// WhenLabel writes a version's date for a box: its day, and its time and
// zone as the source gave them.
func WhenLabel(d Date) string {
	switch {
	case d.IsZero():
		return "undated"
	case d.HasTime():
		t := time.Date(d.Year, time.Month(d.Month), d.Day, d.Hour, d.Minute, d.Second, 0, time.UTC)
		s := t.Format("2 Jan 2006 15:04")
		if d.Precision == PrecisionSecond {
			s = t.Format("2 Jan 2006 15:04:05")
		}
		switch z := d.zone(); z {
		case "":
		case "Z":
			s += " UTC"
		default:
			s += " " + z
		}
		return s
	case d.Precision == PrecisionDay:
		return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC).Format("2 Jan 2006")
	}
	return d.String()
}

// FirstLabel says how often the outlet carried a cluster first: "first 3
// of 5", and how often that was a tie with another outlet (same-day dates
// without times tie), so that two outlets both "first 9 of 9" read as
// what they are.
func FirstLabel(first, sole, clusters int) string {
	if tied := first - sole; tied > 0 {
		return fmt.Sprintf("first %d of %d, tied in %d", first, clusters, tied)
	}
	return fmt.Sprintf("first %d of %d", first, clusters)
}
