package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
	"github.com/parallax-research/parallax/views"
)

// testProject is a project of two articles on a temporary file.
func testProject(t *testing.T) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "p.parallax"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddArticles(context.Background(), []data.Article{
		{Meta: data.Meta{Outlet: "BBC News", Title: "Rated inadequate"}, Text: "Inspectors found widespread and serious failures."},
		{Meta: data.Meta{Outlet: "ITV News", Title: "Services deteriorated"}, Text: "Ofsted said there are widespread and serious failures."},
	}, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// newTestGUI opens a project in a window of Fyne's test driver, as
// runWindow does.
func newTestGUI(t *testing.T) *gui {
	t.Helper()
	g := &gui{app: test.NewTempApp(t), win: test.NewTempWindow(t, nil)}
	g.setProject(testProject(t))
	t.Cleanup(func() {
		g.stopJobs()
		g.jobs.Wait()
		g.store.Close()
	})
	return g
}

// leftovers lists the files in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestExportFileCancelled(t *testing.T) {
	s := testProject(t)
	defer s.Close()
	for _, format := range []string{"md", "qdpx"} {
		for _, stage := range []string{"Reading the project", "Writing export" + exporters[format].ext} {
			t.Run(format+"/"+stage, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "export"+exporters[format].ext)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var stages []string
				err := exportFile(ctx, s, format, data.ExportScope{}, path, ExportOptions{}, func(st string, _, _ int) {
					stages = append(stages, st)
					if st == stage {
						cancel()
					}
				})
				if !errors.Is(err, context.Canceled) {
					t.Errorf("export cancelled at %q: err %v, stages %q", stage, err, stages)
				}
				if left := leftovers(t, dir); len(left) != 0 {
					t.Errorf("a cancelled export left %q", left)
				}
			})
		}
	}
}

// jobCancel is the job bar's Cancel button.
func jobCancel(t *testing.T, g *gui) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(g.wb.Job.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Cancel" {
			return b
		}
	}
	t.Fatal("the job bar has no Cancel button")
	return nil
}

func TestExportJobCancel(t *testing.T) {
	g := newTestGUI(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "export.md")
	if err := os.WriteFile(path, nil, 0o644); err != nil { // as the save dialog leaves it
		t.Fatal(err)
	}
	reading := make(chan struct{})
	g.exportJob(path, func(ctx context.Context, store *data.Store, progress Progress) error {
		progress("Reading the project", 0, 0)
		close(reading)
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
			t.Error("Cancel did not reach the export")
		}
		return ctx.Err()
	}, "Exported")
	<-reading
	if !g.wb.Job.Running() || !g.busy() {
		t.Fatal("the export does not show as a job")
	}
	test.Tap(jobCancel(t, g))
	g.jobs.Wait()
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("a cancelled export left %q", left)
	}
	if g.wb.Job.Running() || g.busy() {
		t.Error("the job is still shown after the export ended")
	}
}

func TestExportJobWrites(t *testing.T) {
	g := newTestGUI(t)
	path := filepath.Join(t.TempDir(), "export.md")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	g.exportJob(path, func(ctx context.Context, store *data.Store, progress Progress) error {
		return exportFile(ctx, store, "md", data.ExportScope{}, path, ExportOptions{}, progress)
	}, "Exported")
	g.jobs.Wait()
	if b, err := os.ReadFile(path); err != nil || len(b) == 0 {
		t.Errorf("export wrote %d bytes, err %v", len(b), err)
	}
}

func TestExportJobRefusedLeavesNoFile(t *testing.T) {
	g := newTestGUI(t)
	release := make(chan struct{})
	g.runJob("Import", func(ctx context.Context, _ *data.Store, _ *views.Workbench, _ Progress) (func(), error) {
		<-release
		return func() {}, nil
	})
	path := filepath.Join(t.TempDir(), "export.md")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	g.exportJob(path, func(context.Context, *data.Store, Progress) error {
		t.Error("an export ran beside another job")
		return nil
	}, "Exported")
	close(release)
	g.jobs.Wait()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("an export that could not start left its file: %v", err)
	}
}

func TestBackgroundEndsWithProject(t *testing.T) {
	g := newTestGUI(t)
	started := make(chan struct{})
	g.background(func(ctx context.Context) {
		close(started)
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
			t.Error("background work outlived its project")
		}
	})
	<-started
	old := g.store
	g.setProject(testProject(t)) // cancels the work and waits for it before closing old
	if _, err := old.Stats(context.Background()); err == nil {
		t.Error("the previous project is still open")
	}
}

// overlayButton is the button labelled text in the window's top overlay
// (a dialog), or nil.
func overlayButton(g *gui, text string) *widget.Button {
	top := g.win.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// Analysing a project whose clusters came from passim asks first, and
// replaces them only when told to.
func TestAnalyzeAsksBeforeReplacingImported(t *testing.T) {
	g := newTestGUI(t)
	ctx := context.Background()
	imported := []data.Cluster{{Kind: "finding", Status: "agree", Articles: 2, Members: []data.ClusterMember{
		{ArticleID: 1, Kind: "finding", Start: 0, End: 16, Text: "Inspectors found", Reference: true},
		{ArticleID: 2, Kind: "finding", Start: 0, End: 10, Text: "Ofsted sai", Relations: []vocab.Relation{vocab.RelReworded}},
	}}}
	origin := data.ClusterOrigin{Tool: "passim", Source: "/data/passim-out", Imported: time.Date(2024, 5, 6, 7, 8, 0, 0, time.UTC)}
	if err := g.store.ImportClusters(ctx, imported, origin); err != nil {
		t.Fatal(err)
	}
	// answer analyses and answers the question with the button labelled so.
	answer := func(label string) {
		t.Helper()
		g.analyze()
		g.jobs.Wait()
		b := overlayButton(g, label)
		if b == nil {
			t.Fatalf("no dialog with %q asks before replacing the imported clusters", label)
		}
		test.Tap(b)
		g.jobs.Wait()
	}
	answer("Keep them")
	if o, _ := g.store.ClusterOrigin(ctx); o.Tool != "passim" {
		t.Fatalf("keeping them replaced them: origin %+v", o)
	}
	answer("Replace")
	if o, _ := g.store.ClusterOrigin(ctx); o.IsImported() {
		t.Errorf("after Replace the clusters still come from %+v", o)
	}
	cs, _ := g.store.Clusters(ctx, 1)
	for _, c := range cs {
		for _, m := range c.Members {
			if m.Text == "Ofsted sai" {
				t.Errorf("the imported cluster survived the analysis: %+v", c)
			}
		}
	}
}

// Pinning a reference on imported clusters classifies them again against
// it; it neither asks to replace them nor replaces them.
func TestPinOnImportedClusters(t *testing.T) {
	g := newTestGUI(t)
	ctx := context.Background()
	imported := []data.Cluster{{Kind: "finding", Status: "agree", Articles: 2, Members: []data.ClusterMember{
		{ArticleID: 1, Kind: "finding", Start: 0, End: 48, Text: "Inspectors found widespread and serious failures", Reference: true},
		{ArticleID: 2, Kind: "finding", Start: 22, End: 53, Text: "widespread and serious failures", Relations: []vocab.Relation{vocab.RelFragment}},
	}}}
	if err := g.store.ImportClusters(ctx, imported, data.ClusterOrigin{Tool: "passim", Source: "/data/passim-out"}); err != nil {
		t.Fatal(err)
	}
	cs, _ := g.store.Clusters(ctx, 1)
	g.pinReference(cs[0], cs[0].Members[1])
	g.jobs.Wait()
	if overlayButton(g, "Replace") != nil {
		t.Error("pinning asked to replace the imported clusters")
	}
	after, _ := g.store.Clusters(ctx, 1)
	if o, _ := g.store.ClusterOrigin(ctx); o.Tool != "passim" || len(after) != 1 || after[0].ID != cs[0].ID {
		t.Fatalf("after the pin: origin %+v, clusters %+v", o, after)
	}
	if m := after[0].Members; !m[1].Reference || m[0].Reference || !slices.Equal(m[0].Relations, []vocab.Relation{vocab.RelExtended}) {
		t.Errorf("the pinned version is not the reference: %+v", m)
	}
}

// TestDamagedProjectInWindow: the window shows a project while SQLite
// checks it; when the check finds damage, the window says so in its
// title and status line, and a change fails rather than write to the
// damaged file.
func TestDamagedProjectInWindow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parallax")
	s, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var arts []data.Article
	for i := range 400 {
		arts = append(arts, data.Article{Meta: data.Meta{Outlet: fmt.Sprintf("Outlet %d", i%7), Title: fmt.Sprintf("Story %d", i)},
			Text: strings.Repeat(fmt.Sprintf("Inspectors found failures in service %d, the report said. ", i), 20)})
	}
	if _, err := s.AddArticles(context.Background(), arts, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0x5a, 0xa5, 0x00, 0xff}, 1024), (st.Size()/16384/2-1)*16384); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before, _ := os.ReadFile(path)

	g := &gui{app: test.NewTempApp(t), win: test.NewTempWindow(t, nil)}
	g.openPath(path, false)
	if g.store == nil {
		t.Fatal("the window refused the project before checking it in the background")
	}
	g.jobs.Wait() // the check, and what it shows
	if !strings.Contains(g.win.Title(), "(damaged)") {
		t.Fatalf("title %q after the check", g.win.Title())
	}
	if err := g.store.Checked(context.Background()); data.ErrorCode(err) != data.EDamaged {
		t.Errorf("Checked = %v", err)
	}
	if _, err := g.store.CreateCode(context.Background(), data.Code{Name: "Topic"}); data.ErrorCode(err) != data.EDamaged {
		t.Errorf("a change to the damaged project: %v", err)
	}
	g.stopJobs()
	g.jobs.Wait()
	g.store.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the damaged project was changed")
	}
}
