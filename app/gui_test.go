package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
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
