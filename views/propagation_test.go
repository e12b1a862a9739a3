package views

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// propagationSnapshot is a propagation as the app computes it, made by
// hand so that these tests do not move with the analysis: a report, a
// wire that trims it an hour later, two papers that take the wire's
// wording, one of them rewording it, and a second cluster of one day
// without times.
func propagationSnapshot() *data.Propagation {
	at := func(s string) data.Date { return data.MustParseDate(s) }
	report := "There are widespread and serious failures across all service areas in the city."
	wire := "There are widespread and serious failures across all service areas."
	return &data.Propagation{
		Clusters: []data.PropagationCluster{
			{ID: 3, Kind: vocab.UnitQuote, Speaker: "Ofsted", Root: 0,
				Variants: []data.Variant{
					{Text: report, Carriers: []int{0}, Parent: -1, Confidence: 1},
					{Text: wire, Carriers: []int{1, 2}, Parent: 0, Confidence: 0.97, Contained: 1, Kept: 0.85, Order: "before",
						New:  []data.TextChange{{At: 11, Dropped: "in the city"}},
						Diff: []data.DiffOp{eq("There are widespread and serious failures across all service areas"), del(" in the city"), eq(".")}},
					{Text: "There are widespread and grave failures across all service areas.", Carriers: []int{3}, Parent: 1, Confidence: 0.88,
						Contained: 0.9, Kept: 0.9, Order: "before", Shared: []data.TextChange{{At: 11, Dropped: "in the city"}},
						Diff: []data.DiffOp{eq("There are widespread and "), del("serious"), ins(" grave"), eq(" failures across all service areas.")}},
				},
				Versions: []data.PropagatedVersion{
					{Article: 1, Outlet: "Ofsted", Date: at("2023-01-31T08:00Z"), Primary: true, Confidence: 1},
					{Article: 2, Outlet: "Wire", Date: at("2023-01-31T09:10Z"), Variant: 1, Source: 1, Confidence: 0.97, Order: "before"},
					{Article: 3, Outlet: "Gazette", Date: at("2023-01-31T11:45Z"), Variant: 1, Source: 2, Confidence: 0.9, Order: "before"},
					{Article: 4, Outlet: "Courier", Date: at("2023-01-31T13:05Z"), Variant: 2, Source: 2, Confidence: 0.88, Order: "before"},
				}},
			{ID: 5, Kind: vocab.UnitFinding, Root: 0,
				Variants: []data.Variant{
					{Text: "The pace of change has been very slow since the last inspection.", Carriers: []int{0}, Parent: -1, Confidence: 1},
					{Text: "Change has been slow.", Carriers: []int{1}, Parent: -1, Confidence: 0.8, Unseen: true},
				},
				Versions: []data.PropagatedVersion{
					{Article: 2, Outlet: "Wire", Date: at("2023-02-01"), Confidence: 1},
					{Article: 3, Outlet: "Gazette", Date: at("2023-02-01"), Variant: 1, Unseen: true, Confidence: 0.8},
				}},
		},
		Edges: []data.PickupEdge{
			{From: "Wire", To: "Gazette", Weight: 1, Score: 0.9, MedianLag: 155 * time.Minute, Lags: 1, LagResolution: time.Minute,
				Pickups: []data.Pickup{{Cluster: 3, From: 2, To: 3, Confidence: 0.9}}},
			{From: "Ofsted", To: "Wire", Weight: 1, Score: 0.97, MedianLag: 70 * time.Minute, Lags: 1, LagResolution: time.Minute,
				Pickups: []data.Pickup{{Cluster: 3, From: 1, To: 2, Confidence: 0.97}}},
			{From: "Wire", To: "Courier", Weight: 1, Score: 0.88, MedianLag: 235 * time.Minute, Lags: 1, LagResolution: time.Minute,
				Pickups: []data.Pickup{{Cluster: 3, From: 2, To: 4, Confidence: 0.88, Shared: []data.TextChange{{At: 11, Dropped: "in the city"}}}}},
		},
		Outlets: []data.OutletPropagation{
			{Outlet: "Ofsted", Clusters: 1, Versions: 1, First: 1, Sole: 1},
			{Outlet: "Wire", Clusters: 2, Versions: 2, First: 1, FromPrimary: 1, Secondary: 2},
			{Outlet: "Gazette", Clusters: 2, Versions: 2, First: 1, Secondary: 2},
			{Outlet: "Courier", Clusters: 1, Versions: 1, Secondary: 1},
		},
	}
}

func newPropagationScreen(t *testing.T) (*Propagation, fyne.Window) {
	t.Helper()
	p := NewPropagation()
	w := test.NewTempWindow(t, p.Content())
	w.Resize(fyne.NewSize(1200, 700))
	p.SetSnapshot(propagationSnapshot(), PropagationScope{Selected: 3})
	return p, w
}

// A tap on an arrow lists the clusters behind it and shows the first
// one's tree; a tap away from every arrow changes nothing.
func TestPropagationTapEdge(t *testing.T) {
	test.NewTempApp(t)
	p, _ := newPropagationScreen(t)
	if p.SelectedCluster() != 3 || p.SelectedEdge() != -1 {
		t.Fatalf("at first: cluster %d, edge %d", p.SelectedCluster(), p.SelectedEdge())
	}
	var target data.EdgePlace
	for _, e := range p.graph.layout.Edges {
		if p.snap.Edges[e.Edge].To == "Courier" {
			target = e
		}
	}
	test.TapAt(p.graph, fyne.NewPos(float32(target.X1+target.X2)/2, float32(target.Y1+target.Y2)/2))
	if p.SelectedEdge() != target.Edge || !reflect.DeepEqual(p.EdgeClusters(), []int64{3}) {
		t.Fatalf("after the tap: edge %d, clusters %v; want edge %d", p.SelectedEdge(), p.EdgeClusters(), target.Edge)
	}
	if !strings.Contains(p.edgeLabel.Text, "Wire → Courier: Courier took Wire's wording in 1 cluster (median lag 3h55m)") ||
		!strings.Contains(p.edgeLabel.Text, "share changes against the root in 1") {
		t.Errorf("edge label %q", p.edgeLabel.Text)
	}
	test.TapAt(p.graph, fyne.NewPos(2, 2))
	if p.SelectedEdge() != target.Edge {
		t.Error("a tap in the void changed the edge")
	}
	// Choosing the other cluster shows its tree, with its unseen source.
	p.SelectCluster(5)
	if p.tree.cluster.ID != 5 || !strings.Contains(p.treeCaption.Text, "1 wording comes most likely from a source not in the project") {
		t.Errorf("cluster 5: %q", p.treeCaption.Text)
	}
}

// TestPropagationTapOutlet: a tap on an outlet's circle says what the
// corpus says of it, the way to an outlet whose name the graph had no room
// for, and leaves no edge selected.
func TestPropagationTapOutlet(t *testing.T) {
	test.NewTempApp(t)
	p, _ := newPropagationScreen(t)
	var wire data.NodePlace
	for _, n := range p.graph.layout.Nodes {
		if n.Outlet == "Wire" {
			wire = n
		}
	}
	test.TapAt(p.graph, fyne.NewPos(float32(wire.X), float32(wire.Y)))
	for _, want := range []string{"Wire: carried 2 clusters, first 1 of 2, tied in 1;", "Takes most from Ofsted (1 cluster)."} {
		if !strings.Contains(p.edgeLabel.Text, want) {
			t.Errorf("after a tap on Wire's circle: %q, want %q in it", p.edgeLabel.Text, want)
		}
	}
	if p.SelectedEdge() != -1 || len(p.EdgeClusters()) != 0 {
		t.Errorf("edge %d, clusters %v after a tap on a circle", p.SelectedEdge(), p.EdgeClusters())
	}
}

// propagationWorkbench is a workbench of f in a test window whose
// propagation is the fixture's snapshot, telling asked the clusters each
// trace is asked for.
func propagationWorkbench(t *testing.T, f *clusterFixture, asked func(clusters []int64)) *Workbench {
	t.Helper()
	test.NewTempApp(t)
	win := test.NewTempWindow(t, nil)
	wb := NewWorkbench(f.store, win, "p.parallax")
	win.SetContent(wb.Content())
	wb.Propagation.Source = func(_ context.Context, clusters []int64, _ func(string, int, int)) (*data.Propagation, error) {
		asked(clusters)
		return propagationSnapshot(), nil
	}
	return wb
}

// The screen follows Compare: when its filters narrow the list, the
// propagation is computed for the clusters Compare lists, and the tree
// shows the cluster Compare shows.
func TestPropagationFollowsCompare(t *testing.T) {
	f := newClusterFixture(t)
	var asked [][]int64
	wb := propagationWorkbench(t, f, func(clusters []int64) { asked = append(asked, clusters) })
	reloadWait(wb.Compare.Reload, &wb.Compare.Background)
	reloadWait(wb.Propagation.Reload, &wb.Propagation.Background)
	// Loads the filters and tabs start from here on run on the test's
	// goroutine: the test driver's fyne.Do applies a load on the goroutine
	// that finished it, so one left running would race with the test (and
	// with the next test).
	inline := func(work func(context.Context)) { work(context.Background()) }
	wb.Compare.Background, wb.Propagation.Background = inline, inline
	if len(asked) != 1 || asked[0] != nil || !strings.HasPrefix(wb.Propagation.scopeLabel.Text, "All clusters: 2 clusters") {
		t.Fatalf("unfiltered: asked %v, scope %q", asked, wb.Propagation.scopeLabel.Text)
	}
	wb.Compare.SetFilter(ClusterFilter{Outlet: guardian})
	wb.Compare.SelectCluster(3)
	want := wb.Compare.ClusterIDs()
	if len(want) == 0 || len(want) == len(f.clusters) {
		t.Fatalf("the filter lists %d of %d clusters", len(want), len(f.clusters))
	}
	reloadWait(wb.Propagation.Reload, &wb.Propagation.Background)
	if len(asked) != 2 || !reflect.DeepEqual(asked[1], want) {
		t.Fatalf("filtered: asked %v, want %v", asked[1:], want)
	}
	if s := wb.Propagation.scopeLabel.Text; !strings.HasPrefix(s, "Following Compare's filters (outlet "+guardian+"): ") {
		t.Errorf("scope %q", s)
	}
	if wb.Propagation.SelectedCluster() != 3 {
		t.Errorf("shows cluster %d, want Compare's 3", wb.Propagation.SelectedCluster())
	}
	// Show in Compare goes back to the cluster there.
	wb.Propagation.OnShowCluster(5)
	if wb.Tabs.Selected().Text != "Compare" {
		t.Errorf("tab %q", wb.Tabs.Selected().Text)
	}
}

func TestPropagationEmpty(t *testing.T) {
	test.NewTempApp(t)
	p := NewPropagation()
	w := test.NewTempWindow(t, p.Content())
	w.Resize(fyne.NewSize(900, 600))
	p.Reload() // no source
	if !p.empty.Visible() || !strings.Contains(p.empty.Text, "not available") {
		t.Errorf("without a source: %q", p.empty.Text)
	}
	// The message reads across, not a letter a line.
	if width := p.empty.Size().Width; width < 300 {
		t.Errorf("the message is %.0f wide", width)
	}
	p.SetSnapshot(&data.Propagation{}, PropagationScope{Clusters: []int64{}, Filters: "outlet X"})
	if !p.empty.Visible() || !strings.Contains(p.empty.Text, "No clusters to follow") {
		t.Errorf("no clusters: %q", p.empty.Text)
	}
	// Too many versions in scope: the screen says so and computes nothing.
	computed := false
	p.Source = func(context.Context, []int64, func(string, int, int)) (*data.Propagation, error) {
		computed = true
		return propagationSnapshot(), nil
	}
	p.Background = func(work func(context.Context)) { work(context.Background()) }
	p.Scope = func() PropagationScope { return PropagationScope{Versions: MaxPropagationVersions + 1} }
	p.Reload()
	if computed || !p.empty.Visible() || !strings.Contains(p.empty.Text, "Narrow Compare's filters") {
		t.Errorf("past the limit: computed %v, %q", computed, p.empty.Text)
	}
	p.Scope = func() PropagationScope { return PropagationScope{Versions: MaxPropagationVersions} }
	p.Reload()
	if !computed || p.empty.Visible() {
		t.Errorf("at the limit: computed %v, empty shown %v", computed, p.empty.Visible())
	}
}

// Both pictures export as PNG of the size asked (the tree as tall as it
// is).
func TestPropagationPNG(t *testing.T) {
	test.NewTempApp(t)
	p, _ := newPropagationScreen(t)
	b, err := p.GraphPNG(fyne.NewSize(800, 600))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 800 || img.Bounds().Dy() != 600 {
		t.Fatalf("graph PNG: %v %v", err, img.Bounds())
	}
	b, err = p.TreePNG(1000)
	if err != nil {
		t.Fatal(err)
	}
	img, err = png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 1000 || img.Bounds().Dy() < 300 {
		t.Fatalf("tree PNG: %v %v", err, img.Bounds())
	}
}

// The screen in both themes: the graph with an edge selected, the tree of
// its cluster with its time axis, diffs and confidences.
func TestPropagationGolden(t *testing.T) {
	for _, dark := range []bool{false, true} {
		name := map[bool]string{false: "propagation_light.png", true: "propagation_dark.png"}[dark]
		t.Run(name, func(t *testing.T) {
			test.NewTempApp(t).Settings().SetTheme(FixedTheme(dark))
			p, w := newPropagationScreen(t)
			p.SelectEdge(2)
			w.Content().Refresh()
			test.AssertImageMatches(t, name, w.Canvas().Capture())
		})
	}
}

// The article form sets the time of day with its zone and the
// primary-source mark; the reader's header says so.
func TestEditTimeAndPrimarySource(t *testing.T) {
	s := testStore(t, sample()...)
	wb, w := newBench(t, s)
	wb.Library.SelectRow(0)
	wb.Reader.EditMeta()
	form := w.Canvas().Overlays().Top()
	fields := findAll[*widget.Entry](form)
	fields[1].SetText("2021-09-14T08:30+01:00")
	checks := findAll[*widget.Check](form)
	if len(checks) != 1 || checks[0].Checked {
		t.Fatalf("the form has %d checks", len(checks))
	}
	checks[0].SetChecked(true)
	test.Tap(findButton(t, form, "Save"))
	a, _ := s.Article(context.Background(), wb.Reader.Article().ID)
	if a.Date.String() != "2021-09-14T08:30+01:00" || !a.Primary() {
		t.Fatalf("after edit: date %q, primary %v", a.Date, a.Primary())
	}
	if !strings.Contains(wb.Reader.meta.Text, "2021-09-14T08:30+01:00") || !strings.Contains(wb.Reader.meta.Text, "primary source") {
		t.Errorf("header %q", wb.Reader.meta.Text)
	}
	// A date the form cannot read is refused there.
	wb.Reader.EditMeta()
	fields = findAll[*widget.Entry](w.Canvas().Overlays().Top())
	if err := fields[1].Validator("2021-09-14T25:00"); err == nil {
		t.Error("an hour of 25 passed the form")
	}
}

// TestVariantDiffWithoutDiffs: the window's snapshot comes without the
// variants' word diffs, and the tree works them out for the cluster shown:
// a variant with a parent shows its words against the parent's, the root
// and a variant from an unseen source their text alone, and a diff the
// snapshot carries is shown as it is.
func TestVariantDiffWithoutDiffs(t *testing.T) {
	withDiffs := propagationSnapshot().Clusters[0]
	bare := propagationSnapshot().Clusters[0]
	for v := range bare.Variants {
		bare.Variants[v].Diff = nil
	}
	unseen := propagationSnapshot().Clusters[1]
	for _, tc := range []struct {
		name string
		c    *data.PropagationCluster
		v    int
		want []data.DiffOp
	}{
		{"root", &bare, 0, []data.DiffOp{eq(bare.Variants[0].Text)}},
		{"trimmed, worked out", &bare, 1, diffing.WordDiff(bare.Variants[0].Text, bare.Variants[1].Text)},
		{"reworded, worked out", &bare, 2, diffing.WordDiff(bare.Variants[1].Text, bare.Variants[2].Text)},
		{"carried", &withDiffs, 2, withDiffs.Variants[2].Diff},
		{"unseen source", &unseen, 1, []data.DiffOp{eq(unseen.Variants[1].Text)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := variantDiff(tc.c, tc.v); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	// The worked-out diff shows the change: the trim is a deletion.
	tree := newVariantTree()
	tree.set(&bare)
	deleted := ""
	for _, op := range tree.diffs[1] {
		if op.Op == vocab.OpDelete {
			deleted += op.Text
		}
	}
	if strings.TrimSpace(deleted) != "in the city" {
		t.Errorf("the wire's trim reads as deleted %q: %+v", deleted, tree.diffs[1])
	}
}

// TestPropagationLoadingMessage: while the first tracing runs, the bar says
// what is happening and the message meant for a project not yet analysed
// is not shown beside it.
func TestPropagationLoadingMessage(t *testing.T) {
	test.NewTempApp(t)
	p := NewPropagation()
	test.NewTempWindow(t, p.Content())
	if !p.empty.Visible() || !strings.Contains(p.empty.Text, "Run the analysis") {
		t.Fatalf("before anything: %q", p.empty.Text)
	}
	var pending func(context.Context)
	p.Background = func(work func(context.Context)) { pending = work }
	p.Source = func(context.Context, []int64, func(string, int, int)) (*data.Propagation, error) {
		return propagationSnapshot(), nil
	}
	p.Reload()
	if pending == nil {
		t.Fatal("nothing started")
	}
	if p.empty.Visible() {
		t.Errorf("while tracing, the screen says %q", p.empty.Text)
	}
	pending(context.Background())
	if p.empty.Visible() || p.SelectedCluster() != 3 {
		t.Errorf("after tracing: message shown %v, cluster %d", p.empty.Visible(), p.SelectedCluster())
	}
}

// TestPropagationFirstLoadFails: when the first tracing fails or is
// cancelled the pane says so, instead of staying blank.
func TestPropagationFirstLoadFails(t *testing.T) {
	test.NewTempApp(t)
	for _, tc := range []struct {
		name   string
		source func(ctx context.Context) error
		cancel bool
		want   string
	}{
		{"fails", func(context.Context) error { return errors.New("disk I/O error") }, false, "could not be traced: disk I/O error"},
		{"cancelled", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, true, "Tracing cancelled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPropagation()
			test.NewTempWindow(t, p.Content())
			reported := false
			p.OnError = func(error) { reported = true }
			done := make(chan struct{})
			p.Background = func(work func(context.Context)) {
				go func() {
					defer close(done)
					work(context.Background())
				}()
			}
			p.Source = func(ctx context.Context, _ []int64, _ func(string, int, int)) (*data.Propagation, error) {
				return nil, tc.source(ctx)
			}
			p.Reload()
			if tc.cancel {
				test.Tap(p.loads.bar.cancel)
			}
			<-done
			for end := time.Now().Add(5 * time.Second); !strings.Contains(p.empty.Text, tc.want) && time.Now().Before(end); {
				time.Sleep(10 * time.Millisecond)
			}
			if !p.empty.Visible() || !strings.Contains(p.empty.Text, tc.want) {
				t.Errorf("the pane says %q (shown %v), want %q", p.empty.Text, p.empty.Visible(), tc.want)
			}
			if reported == tc.cancel {
				t.Errorf("error reported: %v", reported)
			}
		})
	}
}

// TestPropagationProgress: what the source says it is doing shows on the
// bar, a stage it can count as a fraction filled.
func TestPropagationProgress(t *testing.T) {
	test.NewTempApp(t)
	p := NewPropagation()
	test.NewTempWindow(t, p.Content())
	var pending func(context.Context)
	p.Background = func(work func(context.Context)) { pending = work }
	bar := p.loads.bar
	p.Source = func(_ context.Context, _ []int64, progress func(string, int, int)) (*data.Propagation, error) {
		progress("Reading the kept trace…", 0, 0)
		if got := bar.label.Text; got != "Reading the kept trace…" {
			t.Errorf("bar reads %q", got)
		}
		progress("Choosing where each version came from…", 300, 1200)
		if got, v := bar.label.Text, bar.bar.Value; got != "Choosing where each version came from…" || v != 0.25 {
			t.Errorf("bar reads %q at %v, want the choosing at 0.25", got, v)
		}
		return propagationSnapshot(), nil
	}
	p.Reload()
	if pending == nil {
		t.Fatal("nothing started")
	}
	pending(context.Background())
	if bar.Running() {
		t.Error("the bar is still shown after the trace")
	}
}

// TestPropagationNotes: a snapshot's notes show above the graph, each
// after "Note:", and go with the next snapshot that has none.
func TestPropagationNotes(t *testing.T) {
	test.NewTempApp(t)
	p := NewPropagation()
	w := test.NewTempWindow(t, p.Content())
	w.Resize(fyne.NewSize(900, 600))
	snap := propagationSnapshot()
	snap.Notes = []string{"2 of the 9 articles with a time of day give no time zone"}
	p.SetSnapshot(snap, PropagationScope{})
	if !p.notes.Visible() || p.notes.Text != "Note: "+snap.Notes[0] {
		t.Errorf("notes shown %v: %q", p.notes.Visible(), p.notes.Text)
	}
	if h := p.notes.Size().Height; h <= 0 {
		t.Errorf("the note is %.0f high", h)
	}
	if !p.notesFull || !p.notesToggle.Visible() {
		t.Errorf("one note: in full %v, toggle shown %v; want it in full, the toggle shown", p.notesFull, p.notesToggle.Visible())
	}
	// Several notes are a line each until the researcher asks for them
	// in full; that choice stays with the next snapshot.
	long := strings.Repeat("so their sources are chosen without regard to time, ", 6)
	snap = propagationSnapshot()
	snap.Notes = []string{"1 of the 9 articles has no date: " + long, "2 of the 9 articles with a time of day give no time zone: " + long}
	p.SetSnapshot(snap, PropagationScope{})
	short := p.notes.Size().Height
	if p.notesFull || p.notes.Truncation != fyne.TextTruncateEllipsis || p.notesToggle.Text != "Read notes in full" {
		t.Errorf("two notes: in full %v, truncation %v, toggle %q", p.notesFull, p.notes.Truncation, p.notesToggle.Text)
	}
	test.Tap(p.notesToggle)
	full := p.notes.Size().Height
	if !p.notesFull || p.notes.Wrapping != fyne.TextWrapWord || full <= short || p.notesToggle.Text != "Shorten notes" {
		t.Errorf("in full: %v, wrapping %v, %.0f high against %.0f, toggle %q", p.notesFull, p.notes.Wrapping, full, short, p.notesToggle.Text)
	}
	p.SetSnapshot(snap, PropagationScope{})
	if !p.notesFull {
		t.Error("the next snapshot shortened the notes the researcher asked for in full")
	}
	p.SetSnapshot(propagationSnapshot(), PropagationScope{})
	if p.notes.Visible() || p.notesToggle.Visible() {
		t.Errorf("a snapshot without notes still shows %q (toggle shown %v)", p.notes.Text, p.notesToggle.Visible())
	}
}

// TestUndoRetracesPropagation: undoing an edit (a date, say) while the
// Propagation tab shows traces again, as the order and the notes may
// change; an undo with nothing to undo leaves it be.
func TestUndoRetracesPropagation(t *testing.T) {
	asked := 0
	wb := propagationWorkbench(t, newClusterFixture(t), func([]int64) { asked++ })
	inline := func(work func(context.Context)) { work(context.Background()) }
	wb.Compare.Background, wb.Propagation.Background = inline, inline
	if !wb.ShowTab("Propagation") || asked == 0 {
		t.Fatalf("the tab shown traced %d times", asked)
	}
	n := asked
	wb.Undo()
	if asked != n {
		t.Errorf("an undo of nothing traced again")
	}
	if err := wb.History.Run(Action{Name: "edit", Do: func() error { return nil }, Undo: func() error { return nil }}); err != nil {
		t.Fatal(err)
	}
	wb.Undo()
	if asked == n {
		t.Error("an undo left the trace as it was")
	}
}

// An edge one of whose pickups is a syndicated copy says so, and its
// list marks that cluster; an edge without one says nothing of copies.
func TestPropagationEdgeCopy(t *testing.T) {
	test.NewTempApp(t)
	p := NewPropagation()
	w := test.NewTempWindow(t, p.Content())
	w.Resize(fyne.NewSize(1200, 700))
	snap := propagationSnapshot()
	snap.Edges[0].Pickups[0].Copy = true
	p.SetSnapshot(snap, PropagationScope{Selected: 3})
	p.SelectEdge(0)
	const said = "That pickup is Gazette running an article of Wire's whole or nearly (a syndicated copy, counted once)."
	if !strings.Contains(p.edgeLabel.Text, said) {
		t.Errorf("edge label %q, want %q in it", p.edgeLabel.Text, said)
	}
	if texts := listTexts(p.edgeClusters); len(texts) != 1 || !strings.HasPrefix(texts[0], "syndicated copy · ") {
		t.Errorf("the edge's list %q does not mark the copy", texts)
	}
	p.SelectEdge(1)
	if strings.Contains(p.edgeLabel.Text, "syndicated") || strings.Contains(strings.Join(listTexts(p.edgeClusters), " "), "syndicated") {
		t.Errorf("an edge without a copy: %q, %v", p.edgeLabel.Text, listTexts(p.edgeClusters))
	}
}

// listTexts is the texts of the labels a list shows.
func listTexts(l *widget.List) []string {
	var out []string
	for i := range l.Length() {
		o := l.CreateItem()
		l.UpdateItem(i, o)
		out = append(out, o.(*widget.Label).Text)
	}
	return out
}
