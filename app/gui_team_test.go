package app

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/refi"
)

// The coder name set in Preferences is what new annotations record.
func TestPreferencesCoder(t *testing.T) {
	g := newTestGUI(t)
	g.showPreferences()
	form := g.win.Canvas().Overlays().Top()
	var entry *widget.Entry
	for _, o := range test.LaidOutObjects(form) {
		if e, ok := o.(*widget.Entry); ok {
			entry = e
		}
	}
	if entry == nil || entry.Text != DefaultCoder() {
		t.Fatalf("coder entry = %+v, want the OS user name %q", entry, DefaultCoder())
	}
	entry.SetText("Zoë")
	for _, o := range test.LaidOutObjects(form) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Save" {
			test.Tap(b)
		}
	}
	if g.store.Coder() != "Zoë" || g.coderName() != "Zoë" {
		t.Errorf("coder = %q / %q", g.store.Coder(), g.coderName())
	}
}

// File ▸ Merge Coding From… merges in the background, reports, and is one
// step of the history.
func TestMergeFromWindow(t *testing.T) {
	g := newTestGUI(t)
	ctx := context.Background()
	// The colleague's copy: the same articles, one annotation by Ben.
	other, err := data.Open(filepath.Join(t.TempDir(), "ben.parallax"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := g.store.ListArticles(ctx, data.ListQuery{})
	for _, r := range rows {
		a, _ := g.store.Article(ctx, r.ID)
		if _, err := other.AddArticles(ctx, []data.Article{a}, nil); err != nil {
			t.Fatal(err)
		}
	}
	other.SetCoder("Ben")
	if _, _, err := other.CreateAnnotationWithCodes(ctx, data.Annotation{ArticleID: 1, Start: 0, End: 10}, []string{"Findings"}); err != nil {
		t.Fatal(err)
	}
	path := other.Path()
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}

	g.mergePath(path)
	g.jobs.Wait()
	count := func() int {
		anns, _ := g.store.Annotations(ctx, data.AnnotationFilter{Coder: "Ben"})
		return len(anns)
	}
	// The result reaches the window through fyne.Do.
	for deadline := time.Now().Add(5 * time.Second); g.wb.History.UndoName() != "merge" && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if count() != 1 || g.wb.History.UndoName() != "merge" {
		t.Fatalf("%d of Ben's annotations, undo %q", count(), g.wb.History.UndoName())
	}
	report := g.win.Canvas().Overlays().Top()
	var text []string
	for _, o := range test.LaidOutObjects(report) {
		if l, ok := o.(*widget.Label); ok {
			text = append(text, l.Text)
		}
	}
	if !strings.Contains(strings.Join(text, " "), "1 annotations added") {
		t.Errorf("report = %q", text)
	}
	g.wb.Undo()
	if count() != 0 {
		t.Error("undo kept the merged annotation")
	}
	g.wb.Redo()
	if count() != 1 {
		t.Error("redo did not bring it back")
	}
}

// A REFI-QDA file imported from the window that brings a colleague's newer
// version of an annotation makes the update one step of the history: undo
// puts this project's version back, redo the colleague's.
func TestREFIImportUpdateUndo(t *testing.T) {
	g := newTestGUI(t)
	ctx := context.Background()
	mine, _, err := g.store.CreateAnnotationWithCodes(ctx, data.Annotation{ArticleID: 1, Start: 0, End: 10, Note: "mine"}, []string{"Findings"})
	if err != nil {
		t.Fatal(err)
	}
	// The colleague imports this project's export and edits the note,
	// later.
	dir := t.TempDir()
	exportTo := func(s *data.Store, name string) string {
		t.Helper()
		d, err := s.LoadExport(ctx, data.ExportScope{}, name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".qdpx")
		if err := writeFileAtomic(p, func(w io.Writer) error { return refi.WriteQDPX(w, d) }); err != nil {
			t.Fatal(err)
		}
		return p
	}
	other, err := data.Open(filepath.Join(dir, "ben.parallax"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := refi.Import(ctx, other, exportTo(g.store, "mine")); err != nil {
		t.Fatal(err)
	}
	other.Now = func() time.Time { return time.Now().Add(time.Hour) }
	theirs, _ := other.Annotations(ctx, data.AnnotationFilter{})
	theirs[0].Note = "Ben's"
	if _, err := other.UpdateAnnotation(ctx, theirs[0]); err != nil {
		t.Fatal(err)
	}
	g.importPaths([]string{exportTo(other, "ben")})
	g.jobs.Wait()
	for deadline := time.Now().Add(5 * time.Second); g.wb.History.UndoName() != "updates from ben.qdpx" && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	note := func() string {
		a, _ := g.store.Annotation(ctx, mine.ID)
		return a.Note
	}
	if note() != "Ben's" || g.wb.History.UndoName() != "updates from ben.qdpx" {
		t.Fatalf("note %q, undo %q", note(), g.wb.History.UndoName())
	}
	g.wb.Undo()
	if note() != "mine" {
		t.Errorf("after undo: %q", note())
	}
	g.wb.Redo()
	if note() != "Ben's" {
		t.Errorf("after redo: %q", note())
	}
}
