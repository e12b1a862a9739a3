package views

import (
	"context"
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// TestAnnotateUndoRedo drives the reader as a researcher would: select a
// passage, annotate it through the form, undo, redo, delete, undo.
func TestAnnotateUndoRedo(t *testing.T) {
	s := testStore(t, sample()...)
	wb, w := newBench(t, s)
	ctx := context.Background()
	wb.Library.SelectRow(1) // BBC: "Inspectors found widespread and serious failures…"
	text := wb.Reader.Article().Text
	start := len([]rune(text[:strings.Index(text, "widespread")]))
	end := start + len([]rune("widespread and serious failures"))
	wb.Reader.Reader.Select(start, end)
	if wb.Reader.annotate.Disabled() {
		t.Fatal("Annotate stays disabled with a selection")
	}

	wb.Reader.Annotate()
	form := w.Canvas().Overlays().Top()
	entries := findAll[*widget.Entry](form)
	if len(entries) < 2 {
		t.Fatalf("form has %d entries", len(entries))
	}
	entries[0].SetText("Findings/Severity") // new code path
	entries[1].SetText("The core finding,\nquoted in part.")
	test.Tap(findButton(t, form, "Save"))

	list, _ := s.Annotations(ctx, data.AnnotationFilter{})
	if len(list) != 1 || list[0].Exact != "widespread and serious failures" || list[0].Note != "The core finding,\nquoted in part." {
		t.Fatalf("stored: %+v", list)
	}
	codes, _ := s.Codes(ctx)
	if got := data.CodePath(codes, list[0].CodeIDs[0]); got != "Findings/Severity" {
		t.Fatalf("code %q", got)
	}
	// Undoing the annotation also removes the codes it created; redo brings
	// both back with the same IDs.
	wb.Undo()
	if codes, _ := s.Codes(ctx); len(codes) != 0 {
		t.Fatalf("undo left codes: %+v", codes)
	}
	wb.Redo()
	if again, _ := s.Codes(ctx); len(again) != 2 || again[1].ID != codes[1].ID {
		t.Fatalf("redo codes: %+v, want %+v", again, codes)
	}
	if len(wb.Reader.Annotations()) != 1 || wb.Reader.notesTitle.Text != "1 annotation" {
		t.Fatalf("notes panel shows %d (%q)", len(wb.Reader.Annotations()), wb.Reader.notesTitle.Text)
	}
	id := list[0].ID

	steps := []struct {
		name string
		act  func()
		want int
	}{
		{"undo create", wb.Undo, 0},
		{"redo create", wb.Redo, 1},
		{"delete", func() { wb.Reader.DeleteAnnotation(id) }, 0},
		{"undo delete", wb.Undo, 1},
		{"undo create again", wb.Undo, 0},
		{"nothing left to undo", wb.Undo, 0},
		{"redo", wb.Redo, 1},
	}
	for _, st := range steps {
		st.act()
		list, _ := s.Annotations(ctx, data.AnnotationFilter{})
		if len(list) != st.want || len(wb.Reader.Annotations()) != st.want {
			t.Fatalf("%s: %d stored, %d shown, want %d", st.name, len(list), len(wb.Reader.Annotations()), st.want)
		}
		if st.want == 1 && list[0].ID != id {
			t.Fatalf("%s: annotation came back as %d, want the same ID %d", st.name, list[0].ID, id)
		}
	}
}

func TestAnnotationRendersHighlight(t *testing.T) {
	s := testStore(t, sample()...)
	c, _ := s.EnsureCodePath(context.Background(), "Tone")
	wb, w := newBench(t, s)
	wb.Library.SelectRow(0)
	a := wb.Reader.Article()
	if _, err := s.CreateAnnotation(context.Background(), data.Annotation{ArticleID: a.ID, Start: 2, End: 12, CodeIDs: []int64{c.ID}}); err != nil {
		t.Fatal(err)
	}
	before := w.Canvas().Capture()
	wb.Reader.Show(a.ID)
	after := w.Canvas().Capture()
	if len(wb.Reader.Reader.highlights) != 1 {
		t.Fatalf("reader has %d highlights", len(wb.Reader.Reader.highlights))
	}
	if equalImages(before, after) {
		t.Fatal("the highlight changed nothing on screen")
	}
}

func equalImages(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

func TestClickOnHighlightShowsNote(t *testing.T) {
	s := testStore(t, sample()...)
	ctx := context.Background()
	c, _ := s.EnsureCodePath(ctx, "Findings/Severity")
	wb, _ := newBench(t, s)
	wb.Library.SelectRow(0)
	a := wb.Reader.Article()
	if _, err := s.CreateAnnotation(ctx, data.Annotation{ArticleID: a.ID, Start: 2, End: 12, Note: "Check this", CodeIDs: []int64{c.ID}}); err != nil {
		t.Fatal(err)
	}
	wb.Reader.Show(a.ID)
	cases := []struct {
		offset int
		want   string
	}{
		{5, "Findings/Severity — Check this"},
		{20, "Drag over the text to select a passage."},
	}
	for _, c := range cases {
		wb.Reader.Reader.Select(c.offset, c.offset)
		if got := wb.Reader.selection.Text; got != c.want {
			t.Errorf("click at %d: label %q, want %q", c.offset, got, c.want)
		}
	}
}

func TestReaderContextMenu(t *testing.T) {
	s := testStore(t, sample()...)
	wb, w := newBench(t, s)
	wb.Library.SelectRow(0)
	wb.Reader.Reader.Select(0, 6)
	test.TapSecondary(wb.Reader.Reader)
	menu := w.Canvas().Overlays().Top()
	if menu == nil {
		t.Fatal("no context menu")
	}
	var labels []string
	for _, l := range findAll[*canvas.Text](menu) {
		labels = append(labels, l.Text)
	}
	if !strings.Contains(strings.Join(labels, "|"), "Annotate Selection…") {
		t.Fatalf("menu items %v", labels)
	}
}

// TestUndoStepThatCannotBeUndone: an undo whose target is gone is reported
// and dropped, and the steps below it still undo.
func TestUndoStepThatCannotBeUndone(t *testing.T) {
	s := testStore(t, sample()...)
	wb, _ := newBench(t, s)
	ctx := context.Background()
	wb.Library.SelectRow(0)
	id := wb.Reader.Article().ID
	var seen []error
	wb.History.Run(Action{Name: "first", Do: func() error { return nil }, Undo: func() error { seen = append(seen, nil); return nil }})
	wb.Reader.saveAnnotation(data.Annotation{ArticleID: id, Start: 0, End: 5}, "")
	if err := s.DeleteArticles(ctx, []int64{id}); err != nil {
		t.Fatal(err)
	}
	// Undoing the annotation of a deleted article: nothing to delete; the
	// batch delete treats it as done, so the undo succeeds.
	if err := wb.History.Undo(); err != nil {
		t.Fatalf("undo of an annotation already gone: %v", err)
	}
	// Redo cannot bring it back onto a deleted article: reported, dropped.
	if err := wb.History.Redo(); err == nil || wb.History.RedoName() != "" {
		t.Fatalf("redo onto a deleted article: %v (redo %q)", err, wb.History.RedoName())
	}
	if err := wb.History.Undo(); err != nil || len(seen) != 1 {
		t.Fatalf("the step below did not undo: %v", err)
	}
}

func TestBusyHistoryRefusesChanges(t *testing.T) {
	h := &History{Busy: func() bool { return true }}
	ran := false
	if err := h.Run(Action{Name: "x", Do: func() error { ran = true; return nil }, Undo: func() error { return nil }}); err != ErrBusy || ran {
		t.Fatalf("Run while busy: %v, ran %v", err, ran)
	}
}

// TestAnnotateFromCompare: the Annotate… button on a version opens the
// article at the passage with the annotation form ready.
func TestAnnotateFromCompare(t *testing.T) {
	s := testStore(t, sample()...)
	wb, w := newBench(t, s)
	text := sample()[1].Text
	start := len([]rune(text[:strings.Index(text, "widespread")]))
	m := data.ClusterMember{ArticleID: 2, Start: start, End: start + len([]rune("widespread and serious failures")), Text: "widespread and serious failures"}
	wb.Compare.OnAnnotateMember(m)
	if wb.Reader.Article().ID != 2 || wb.Reader.Reader.SelectedText() != "widespread and serious failures" {
		t.Fatalf("reader shows %d with %q selected", wb.Reader.Article().ID, wb.Reader.Reader.SelectedText())
	}
	if findButton(t, w.Canvas().Overlays().Top(), "Save") == nil {
		t.Fatal("no annotation form")
	}
}
