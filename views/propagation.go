package views

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image/png"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// PropagationSource computes how the versions of the given clusters (nil:
// every cluster) travelled, telling progress what it is doing (done of
// total, total 0 for a stage it cannot count; from any goroutine). The
// app implements it over the open project.
type PropagationSource func(ctx context.Context, clusters []int64, progress func(stage string, done, total int)) (*data.Propagation, error)

// PropagationScope is what the Propagation screen follows of Compare: the
// clusters Compare lists when its filters narrow them (Clusters nil when
// they do not), those filters in words, and the cluster Compare shows.
type PropagationScope struct {
	Clusters []int64
	Filters  string
	Selected int64
	// Versions counts the versions of the clusters in scope, 0 when
	// unknown.
	Versions int
}

// MaxPropagationVersions is the most versions the screen traces at once.
// Tracing holds every version in scope with its text and scores every
// pair within a cluster: 500,000 versions (16,000 articles of months of
// coverage) take about 1.4 GB, and four times as many took more than
// 13 GB before the run was stopped. Past this the screen says so and asks
// for narrower filters rather than exhaust the machine's memory.
const MaxPropagationVersions = 600_000

// Propagation is the propagation screen: on the left the outlet pickup
// graph of the clusters Compare lists, with the clusters behind a tapped
// arrow; on the right the selected cluster's variant tree on a time axis.
type Propagation struct {
	// Source computes the snapshot; Scope says what to follow. Both are
	// set by the workbench and the app.
	Source PropagationSource
	Scope  func() PropagationScope
	// OnShowCluster opens a cluster in Compare.
	OnShowCluster func(id int64)
	OnError       func(error)
	// Background runs the computation off the UI goroutine; see Runner.
	Background Runner

	loads     *loader
	snap      *data.Propagation
	scope     PropagationScope
	minWeight int
	// weightSteps are the thresholds the selector offers, in its order.
	weightSteps []int
	edge        int // index into snap.Edges, -1
	cluster     int64
	choices     []int64 // the cluster selector's clusters, in its order
	edgeItems   []int64 // the selected edge's clusters

	scopeLabel *widget.Label
	notes      *widget.Label // the snapshot's Notes, hidden when none
	// notesToggle shows the notes in full or a line each; notesFull says
	// which the researcher chose (several notes in full took half the
	// screen from the graph).
	notesToggle  *widget.Button
	notesFull    bool
	notesChosen  bool
	weights      *widget.Select
	graph        *pickupGraph
	edgeLabel    *widget.Label
	edgeClusters *widget.List
	// edgeCopy says, for each of edgeItems, that its pickup is a
	// syndicated copy's.
	edgeCopy    []bool
	clusters    *widget.Select
	treeCaption *widget.Label
	tree        *variantTree
	treeScroll  *container.Scroll
	empty       *widget.Label
	body        *fyne.Container
	content     fyne.CanvasObject
	syncing     bool
}

func weightLabel(w int) string {
	if w == 1 {
		return "Every pickup"
	}
	return fmt.Sprintf("Pickups in %d+ clusters", w)
}

// edgeHint says what the graph answers to.
const edgeHint = "Tap an arrow to list the clusters in which one outlet took the other's wording, or a circle for what the corpus says of its outlet."

// NewPropagation builds the screen. Call Reload to fill it.
func NewPropagation() *Propagation {
	p := &Propagation{loads: newLoader(), edge: -1, minWeight: 1}
	p.loads.onCancel = func() {
		if p.snap == nil {
			p.showEmpty("Tracing cancelled. Select the Propagation tab again to trace how the versions travelled.")
		}
	}
	p.scopeLabel = widget.NewLabel("")
	p.scopeLabel.Truncation = fyne.TextTruncateEllipsis
	p.notes = widget.NewLabel("")
	p.notes.Wrapping = fyne.TextWrapWord
	p.notes.Importance = widget.WarningImportance
	p.notes.Hide()
	p.notesToggle = widget.NewButton("", func() {
		p.notesFull, p.notesChosen = !p.notesFull, true
		p.layOutNotes()
	})
	p.notesToggle.Importance = widget.LowImportance
	p.notesToggle.Hide()
	p.weights = widget.NewSelect([]string{weightLabel(1)}, func(s string) {
		if p.syncing {
			return
		}
		p.minWeight = p.weightSteps[max(0, slices.Index(p.weights.Options, s))]
		p.graph.set(p.snap, p.minWeight, p.edge)
	})
	p.weightSteps = []int{1}
	p.weights.Selected = weightLabel(1)
	p.graph = newPickupGraph()
	p.graph.OnTapEdge = p.SelectEdge
	p.graph.OnTapOutlet = p.ShowOutlet
	p.edgeLabel = widget.NewLabel(edgeHint)
	p.edgeLabel.Wrapping = fyne.TextWrapWord
	p.edgeClusters = widget.NewList(func() int { return len(p.edgeItems) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.edgeItems) {
				text := p.clusterLabel(p.edgeItems[i])
				if i < len(p.edgeCopy) && p.edgeCopy[i] {
					text = "syndicated copy · " + text
				}
				o.(*widget.Label).SetText(text)
			}
		})
	p.edgeClusters.OnSelected = func(i widget.ListItemID) {
		if i < len(p.edgeItems) {
			p.SelectCluster(p.edgeItems[i])
		}
	}
	p.clusters = widget.NewSelect(nil, func(s string) {
		if p.syncing {
			return
		}
		if i := slices.Index(p.clusters.Options, s); i >= 0 && i < len(p.choices) {
			p.SelectCluster(p.choices[i])
		}
	})
	p.clusters.PlaceHolder = "Choose a cluster"
	p.treeCaption = widget.NewLabel("")
	p.treeCaption.Wrapping = fyne.TextWrapWord
	p.tree = newVariantTree()
	p.treeScroll = container.NewScroll(p.tree)
	showInCompare := widget.NewButton("Show in Compare", func() {
		if p.cluster != 0 && p.OnShowCluster != nil {
			p.OnShowCluster(p.cluster)
		}
	})
	edgePanel := container.NewBorder(p.edgeLabel, nil, nil, nil, p.edgeClusters)
	left := container.NewVSplit(p.graph, edgePanel)
	left.Offset = 0.72
	right := container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, nil, showInCompare, p.clusters), p.treeCaption),
		nil, nil, nil, p.treeScroll)
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	p.empty = widget.NewLabel("")
	p.empty.Alignment = fyne.TextAlignCenter
	p.empty.Wrapping = fyne.TextWrapWord
	p.body = container.NewStack(split, centredMessage(p.empty))
	top := container.NewBorder(nil, nil, nil, container.NewHBox(p.notesToggle, p.weights), p.scopeLabel)
	p.content = container.NewBorder(container.NewVBox(top, p.notes, p.loads.bar.Content()), nil, nil, nil, p.body)
	p.showEmpty("Run the analysis to see how the versions of each quote travelled.")
	return p
}

// Content is the screen's canvas object.
func (p *Propagation) Content() fyne.CanvasObject { return p.content }

// Snapshot returns the propagation shown, nil before the first load.
func (p *Propagation) Snapshot() *data.Propagation { return p.snap }

// Reload computes the propagation of the clusters Compare lists, in the
// background; until it lands the screen shows what it showed.
func (p *Propagation) Reload() {
	scope := PropagationScope{}
	if p.Scope != nil {
		scope = p.Scope()
	}
	if p.Source == nil {
		p.showEmpty("The propagation is not available here.")
		return
	}
	if scope.Versions > MaxPropagationVersions {
		p.showEmpty(fmt.Sprintf("Tracing %d versions at once would need more memory than is safe (the screen traces up to %d).\n"+
			"Narrow Compare's filters (an outlet, a speaker, a kind, a search) to trace part of the project,\n"+
			"or run 'parallax propagation --json' on a machine with more memory.", scope.Versions, MaxPropagationVersions))
		return
	}
	source := p.Source
	if p.snap == nil {
		// The bar says what is happening; the message from before the
		// analysis ("Run the analysis…") would say the wrong thing.
		p.empty.Hide()
	}
	p.loads.start(p.Background, "Tracing how the versions travelled…", func(ctx context.Context, steps loadSteps) (func(), error) {
		snap, err := source(ctx, scope.Clusters, steps.progress)
		if err != nil {
			return nil, err
		}
		return func() { p.SetSnapshot(snap, scope) }, nil
	}, func(err error) {
		if p.snap == nil {
			p.showEmpty("The propagation could not be traced: " + err.Error())
		}
		if p.OnError != nil {
			p.OnError(err)
		}
	})
}

// SetSnapshot shows a computed propagation for a scope: the graph, the
// cluster selector, and the scope's selected cluster's tree (or that of
// the cluster with the most variants).
func (p *Propagation) SetSnapshot(snap *data.Propagation, scope PropagationScope) {
	p.snap, p.scope = snap, scope
	if snap == nil || len(snap.Clusters) == 0 {
		p.showEmpty("No clusters to follow. Run the analysis, or widen the filters in Compare.")
		return
	}
	p.empty.Hide()
	p.body.Objects[0].Show()
	variants := 0
	for _, c := range snap.Clusters {
		variants += len(c.Variants)
	}
	what := fmt.Sprintf("%s (%s), %s, %s", plural(len(snap.Clusters), "cluster", "clusters"), plural(variants, "wording", "wordings"),
		plural(len(snap.Outlets), "outlet", "outlets"), plural(len(snap.Edges), "pickup", "pickups"))
	if scope.Clusters != nil {
		p.scopeLabel.SetText("Following Compare's filters (" + scope.Filters + "): " + what)
	} else {
		p.scopeLabel.SetText("All clusters: " + what)
	}
	p.setNotes(snap.Notes)
	// Show at most about sixty arrows at first: beyond that a circle of
	// outlets is a tangle.
	p.syncing = true
	p.minWeight = data.ReadableMinWeight(snap)
	// The selector offers the thresholds that leave an arrow to draw.
	p.weightSteps = data.WeightStepsFor(snap)
	var opts []string
	for _, w := range p.weightSteps {
		opts = append(opts, weightLabel(w))
	}
	p.weights.SetOptions(opts)
	p.weights.SetSelected(weightLabel(p.minWeight))
	// The selector lists the clusters with the most wordings first.
	order := make([]int, len(snap.Clusters))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(len(snap.Clusters[b].Variants), len(snap.Clusters[a].Variants))
	})
	p.choices = p.choices[:0]
	var labels []string
	for _, i := range order {
		p.choices = append(p.choices, snap.Clusters[i].ID)
		labels = append(labels, p.clusterLabel(snap.Clusters[i].ID))
	}
	p.clusters.SetOptions(labels)
	p.syncing = false
	p.edge = -1
	p.edgeItems = nil
	p.edgeLabel.SetText(edgeHint)
	p.edgeClusters.UnselectAll()
	p.edgeClusters.Refresh()
	p.graph.set(snap, p.minWeight, -1)
	want := scope.Selected
	if _, ok := snap.Cluster(want); !ok {
		want = p.choices[0]
	}
	p.SelectCluster(want)
}

func (p *Propagation) showEmpty(msg string) {
	p.empty.SetText(msg)
	p.empty.Show()
	p.body.Objects[0].Hide()
	p.scopeLabel.SetText("")
	p.setNotes(nil)
}

// setNotes shows what the trace says of how it read its inputs, each
// after "Note:", so that it reads as a warning without its colour.
func (p *Propagation) setNotes(notes []string) {
	if len(notes) == 0 {
		if p.notes.Visible() {
			p.notes.SetText("")
			p.notes.Hide()
			p.notesToggle.Hide()
			p.content.Refresh()
		}
		return
	}
	lines := make([]string, len(notes))
	for i, n := range notes {
		lines[i] = "Note: " + n
	}
	p.notes.SetText(strings.Join(lines, "\n"))
	// One note is shown in full, several a line each (each begins with
	// what it is about), unless the researcher chose otherwise.
	if !p.notesChosen {
		p.notesFull = len(notes) == 1
	}
	p.notes.Show()
	p.notesToggle.Show()
	p.layOutNotes()
}

// layOutNotes shows the notes in full or a line each, as notesFull says.
func (p *Propagation) layOutNotes() {
	if p.notesFull {
		p.notes.Wrapping, p.notes.Truncation = fyne.TextWrapWord, fyne.TextTruncateOff
		p.notesToggle.SetText("Shorten notes")
	} else {
		p.notes.Wrapping, p.notes.Truncation = fyne.TextWrapOff, fyne.TextTruncateEllipsis
		p.notesToggle.SetText("Read notes in full")
	}
	p.notes.Refresh()
	// The header changes height: the screen is laid out again.
	p.content.Refresh()
}

// clusterLabel names a cluster in lists: "#7 · Ofsted · 3 wordings:
// There are widespread…".
func (p *Propagation) clusterLabel(id int64) string {
	c, ok := p.snap.Cluster(id)
	if !ok {
		return fmt.Sprintf("#%d", id)
	}
	var text string
	if len(c.Variants) > 0 {
		text = oneLine(c.Variants[c.Root].Text, 80)
	}
	return joinNonEmpty(" · ", fmt.Sprintf("#%d", id), c.Speaker, plural(len(c.Variants), "wording", "wordings")+": "+text)
}

// SelectEdge lists the clusters behind an edge (an index into the
// snapshot's Edges) and shows the first one's tree.
func (p *Propagation) SelectEdge(i int) {
	if p.snap == nil || i < 0 || i >= len(p.snap.Edges) {
		return
	}
	e := p.snap.Edges[i]
	p.edge = i
	p.edgeItems, p.edgeCopy = p.edgeItems[:0], p.edgeCopy[:0]
	shared := 0
	for _, pk := range e.Pickups {
		p.edgeItems = append(p.edgeItems, pk.Cluster)
		p.edgeCopy = append(p.edgeCopy, pk.Copy)
		if len(pk.Shared) > 0 {
			shared++
		}
	}
	text := fmt.Sprintf("%s → %s: %s took %s's wording in %s (median lag %s); they share changes against the root in %d.",
		e.From, e.To, e.To, e.From, plural(e.Weight, "cluster", "clusters"), e.LagText(), shared)
	if n := e.Copies(); n > 0 {
		var what string
		switch {
		case n == 1 && e.Weight == 1:
			what = fmt.Sprintf("That pickup is %s running an article of %s's whole or nearly (a syndicated copy, counted once).", e.To, e.From)
		case n == 1:
			what = fmt.Sprintf("One of them is %s running an article of %s's whole or nearly (a syndicated copy, counted once).", e.To, e.From)
		case n == e.Weight:
			what = fmt.Sprintf("All of them are %s running articles of %s's whole or nearly (syndicated copies, each counted once).", e.To, e.From)
		default:
			what = fmt.Sprintf("%d of them are %s running articles of %s's whole or nearly (syndicated copies, each counted once).", n, e.To, e.From)
		}
		text += " " + what
	}
	p.edgeLabel.SetText(text)
	p.graph.set(p.snap, p.minWeight, i)
	p.edgeClusters.UnselectAll()
	p.edgeClusters.Refresh()
	if len(p.edgeItems) > 0 {
		p.SelectCluster(p.edgeItems[0])
	}
}

// ShowOutlet says what the corpus says of an outlet: the clusters it
// carried and came first in, its versions from a primary source, and whom
// it takes from and who takes from it most.
func (p *Propagation) ShowOutlet(outlet string) {
	if p.snap == nil {
		return
	}
	i := slices.IndexFunc(p.snap.Outlets, func(o data.OutletPropagation) bool { return o.Outlet == outlet })
	if i < 0 {
		return
	}
	o := p.snap.Outlets[i]
	text := fmt.Sprintf("%s: carried %s, %s; %d of %d of its versions straight from a primary source.", o.Outlet,
		plural(o.Clusters, "cluster", "clusters"), data.FirstLabel(o.First, o.Sole, o.Clusters), o.FromPrimary, o.Secondary)
	// Edges are heaviest first: the first found each way is the most.
	from, to := -1, -1
	for k, e := range p.snap.Edges {
		if e.To == outlet && from < 0 {
			from = k
		}
		if e.From == outlet && to < 0 {
			to = k
		}
	}
	if from >= 0 {
		e := p.snap.Edges[from]
		text += fmt.Sprintf(" Takes most from %s (%s).", e.From, plural(e.Weight, "cluster", "clusters"))
	}
	if to >= 0 {
		e := p.snap.Edges[to]
		text += fmt.Sprintf(" Taken from most by %s (%s).", e.To, plural(e.Weight, "cluster", "clusters"))
	}
	p.edge, p.edgeItems = -1, p.edgeItems[:0]
	p.edgeLabel.SetText(text)
	p.graph.set(p.snap, p.minWeight, -1)
	p.edgeClusters.UnselectAll()
	p.edgeClusters.Refresh()
}

// SelectedEdge returns the selected edge's index, -1 for none.
func (p *Propagation) SelectedEdge() int { return p.edge }

// EdgeClusters lists the selected edge's clusters.
func (p *Propagation) EdgeClusters() []int64 { return slices.Clone(p.edgeItems) }

// SelectCluster shows a cluster's variant tree.
func (p *Propagation) SelectCluster(id int64) {
	if p.snap == nil {
		return
	}
	c, ok := p.snap.Cluster(id)
	if !ok {
		return
	}
	p.cluster = id
	p.syncing = true
	if i := slices.Index(p.choices, id); i >= 0 {
		p.clusters.SetSelected(p.clusters.Options[i])
	}
	p.syncing = false
	unseen := 0
	for _, v := range c.Variants {
		if v.Unseen {
			unseen++
		}
	}
	caption := fmt.Sprintf("%s across %s in %s.", plural(len(c.Variants), "wording", "wordings"),
		plural(len(c.Versions), "version", "versions"), plural(len(outletsOf(c)), "outlet", "outlets"))
	if unseen > 0 {
		caption += fmt.Sprintf(" %s most likely from a source not in the project (dashed).", plural(unseen, "wording comes", "wordings come"))
	}
	p.treeCaption.SetText(caption)
	p.tree.set(c)
	p.treeScroll.ScrollToTop()
}

// SelectedCluster returns the cluster whose tree is shown, 0 for none.
func (p *Propagation) SelectedCluster() int64 { return p.cluster }

func outletsOf(c *data.PropagationCluster) []string {
	var out []string
	for _, v := range c.Versions {
		if !slices.Contains(out, v.Outlet) {
			out = append(out, v.Outlet)
		}
	}
	return out
}

// GraphPNG renders the pickup graph alone, as shown, at size.
func (p *Propagation) GraphPNG(size fyne.Size) ([]byte, error) {
	g := newPickupGraph()
	g.set(p.snap, p.minWeight, p.edge)
	return renderPNG(g, size, "pickup graph")
}

// TreePNG renders the shown cluster's variant tree width pixels wide, as
// tall as it is.
func (p *Propagation) TreePNG(width float32) ([]byte, error) {
	c, ok := p.snap.Cluster(p.cluster)
	if !ok {
		return nil, fmt.Errorf("variant tree image: no cluster shown")
	}
	t := newVariantTree()
	t.set(c)
	return renderPNG(t, fyne.NewSize(width, t.MinSize().Height), "variant tree")
}

// renderPNG paints o with the software painter, which needs no window.
func renderPNG(o fyne.CanvasObject, size fyne.Size, what string) ([]byte, error) {
	if size.Width < 1 || size.Height < 1 {
		return nil, fmt.Errorf("%s image: size %v", what, size)
	}
	c := software.NewCanvas()
	c.SetPadded(false)
	c.SetContent(container.NewStack(newBackground(), o))
	c.Resize(size)
	var buf bytes.Buffer
	if err := png.Encode(&buf, c.Capture()); err != nil {
		return nil, fmt.Errorf("%s image: %w", what, err)
	}
	return buf.Bytes(), nil
}

// ScopeOf describes a compare filter for the Propagation screen's scope
// line, or "" when it narrows nothing.
func ScopeOf(f ClusterFilter) string {
	var parts []string
	if f.Status != "" {
		parts = append(parts, "status "+string(f.Status))
	}
	if f.Kind != "" {
		parts = append(parts, string(f.Kind)+"s")
	}
	if f.Speaker != "" {
		parts = append(parts, "speaker “"+f.Speaker+"”")
	}
	if f.Outlet != "" {
		parts = append(parts, "outlet "+f.Outlet)
	}
	if strings.TrimSpace(f.Search) != "" {
		parts = append(parts, "text “"+strings.TrimSpace(f.Search)+"”")
	}
	if len(f.Articles) > 0 {
		parts = append(parts, plural(len(f.Articles), "article", "articles"))
	}
	return strings.Join(parts, ", ")
}

// newBackground is the theme's background, behind a picture rendered on
// its own.
func newBackground() fyne.CanvasObject {
	return canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
}
