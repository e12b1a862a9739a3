package views

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// pickupGraph draws the outlet pickup graph: outlets on a circle sized by
// the clusters they carried first, arrows as wide as their clusters and
// labelled with them. A tap near an arrow selects its edge. The layout is
// data's, which the SVG export uses too.
type pickupGraph struct {
	widget.BaseWidget
	snap      *data.Propagation
	minWeight int
	selected  int // index into snap.Edges, -1
	// OnTapEdge is called with the edge (an index into the snapshot's
	// Edges) an arrow tapped stands for.
	OnTapEdge func(edge int)
	// OnTapOutlet is called with the outlet whose circle was tapped: the
	// way to an outlet whose name is hidden for want of room.
	OnTapOutlet func(outlet string)
	layout      data.GraphLayout
}

func newPickupGraph() *pickupGraph {
	g := &pickupGraph{selected: -1, minWeight: 1}
	g.ExtendBaseWidget(g)
	return g
}

// set shows a snapshot with the edges of at least minWeight clusters.
func (g *pickupGraph) set(p *data.Propagation, minWeight, selected int) {
	g.snap, g.minWeight, g.selected = p, minWeight, selected
	g.Refresh()
}

// Tapped names the outlet whose circle is tapped, or else selects the
// edge whose arrow passes nearest the tap.
func (g *pickupGraph) Tapped(ev *fyne.PointEvent) {
	x, y := float64(ev.Position.X), float64(ev.Position.Y)
	if n := g.layout.NearestNode(x, y, 3); n >= 0 {
		if g.OnTapOutlet != nil {
			g.OnTapOutlet(g.layout.Nodes[n].Outlet)
		}
		return
	}
	i := g.layout.NearestEdge(x, y, 9)
	if i >= 0 && g.OnTapEdge != nil {
		g.OnTapEdge(g.layout.Edges[i].Edge)
	}
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (g *pickupGraph) CreateRenderer() fyne.WidgetRenderer { return &pickupGraphRenderer{g: g} }

type pickupGraphRenderer struct {
	g       *pickupGraph
	objects []fyne.CanvasObject
	size    fyne.Size
}

func (r *pickupGraphRenderer) MinSize() fyne.Size { return fyne.NewSize(360, 280) }

func (r *pickupGraphRenderer) Layout(size fyne.Size) {
	if size != r.size {
		r.size = size
		r.build()
	}
}

func (r *pickupGraphRenderer) Refresh() {
	r.build()
	canvas.Refresh(r.g)
}

func (r *pickupGraphRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *pickupGraphRenderer) Destroy() {}

// build makes the canvas objects for the current size: a few hundred at
// most, rebuilt on each change.
func (r *pickupGraphRenderer) build() {
	g := r.g
	size := g.Size()
	fg := themeColor(g, theme.ColorNameForeground)
	line := withAlpha(fg, 150)
	accent := themeColor(g, theme.ColorNamePrimary)
	bg := themeColor(g, theme.ColorNameBackground)
	textSize := g.Theme().Size(theme.SizeNameCaptionText)
	// A band is kept below the graph for the note on names left out.
	// Labels are measured as drawn: an edge's number bold (when selected)
	// and a size larger, each on a halo 2 px wider on either side.
	const footer = 20
	g.layout = data.LayoutPickupGraph(g.snap, float64(size.Width), float64(size.Height)-footer, g.minWeight,
		func(label string, edge bool) (float64, float64) {
			m := fyne.MeasureText(label, textSize, fyne.TextStyle{})
			if edge {
				m = fyne.MeasureText(label, textSize+1, fyne.TextStyle{Bold: true})
			}
			return float64(m.Width) + 4, float64(m.Height)
		})
	var lines, labels, nodes []fyne.CanvasObject
	for _, e := range g.layout.Edges {
		col := color.Color(line)
		width := float32(e.Width)
		bold := false
		if e.Edge == g.selected {
			col, width, bold = accent, width+2, true
		}
		l := canvas.NewLine(col)
		l.StrokeWidth = width
		l.Position1, l.Position2 = pos(e.X1, e.Y1), pos(e.X2, e.Y2)
		lines = append(lines, l)
		for _, barb := range e.Arrow[1:] {
			a := canvas.NewLine(col)
			a.StrokeWidth = width
			a.Position1, a.Position2 = pos(e.Arrow[0][0], e.Arrow[0][1]), pos(barb[0], barb[1])
			lines = append(lines, a)
		}
		if !e.LabelHidden || e.Edge == g.selected {
			labels = append(labels, haloText(e.Label, e.LabelX, e.LabelY, "middle", textSize+1, fg, bg, bold)...)
		}
	}
	for _, n := range g.layout.Nodes {
		c := canvas.NewCircle(withAlpha(accent, 60))
		c.StrokeColor, c.StrokeWidth = accent, 1.5
		c.Position1, c.Position2 = pos(n.X-n.R, n.Y-n.R), pos(n.X+n.R, n.Y+n.R)
		nodes = append(nodes, c)
		if label := n.Shown(); label != "" {
			labels = append(labels, haloText(label, n.LabelX, n.LabelY, n.Anchor, textSize, fg, bg, false)...)
		}
	}
	if len(g.layout.Nodes) == 0 {
		labels = append(labels, haloText("No pickups to show.", float64(size.Width)/2, float64(size.Height)/2, "middle", textSize, fg, bg, false)...)
	}
	if hidden := g.layout.HiddenLabels(); hidden > 0 {
		// Said, not silently dropped: which circle is which is a tap away
		// (the hint under the graph says so).
		note := fmt.Sprintf("%d of %d outlet names hidden for want of room", hidden, len(g.layout.Nodes))
		labels = append(labels, haloText(note, 4, float64(size.Height)-4, "start", textSize, fg, bg, false)...)
	}
	r.objects = append(append(lines, nodes...), labels...)
}

func pos(x, y float64) fyne.Position { return fyne.NewPos(float32(x), float32(y)) }

// haloText places a label whose baseline is at (x, y), anchored as SVG
// anchors text, on a patch of background so that lines beneath do not cut
// through it.
func haloText(s string, x, y float64, anchor string, size float32, fg, bg color.Color, bold bool) []fyne.CanvasObject {
	t := canvas.NewText(s, fg)
	t.TextSize = size
	t.TextStyle.Bold = bold
	m := fyne.MeasureText(s, size, t.TextStyle)
	left := float32(x)
	switch anchor {
	case "middle":
		left -= m.Width / 2
	case "end":
		left -= m.Width
	}
	top := float32(y) - m.Height*0.8
	t.Move(fyne.NewPos(left, top))
	t.Resize(m)
	patch := canvas.NewRectangle(withAlpha(bg, 210))
	patch.Move(fyne.NewPos(left-2, top))
	patch.Resize(fyne.NewSize(m.Width+4, m.Height))
	return []fyne.CanvasObject{patch, t}
}
