package views

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

func TestCodebookEditUndo(t *testing.T) {
	s := testStore(t, sample()...)
	ctx := context.Background()
	sev, _ := s.EnsureCodePath(ctx, "Findings/Severity")
	tone, _ := s.EnsureCodePath(ctx, "Tone")
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	h := &History{}
	cb := NewCodebook(s, w, h)
	w.SetContent(cb.Content())
	w.Resize(fyne.NewSize(900, 600))
	cb.Reload()
	if got := cb.Paths(); !slices.Equal(got, []string{"Findings", "Findings/Severity", "Tone"}) {
		t.Fatalf("paths %v", got)
	}

	// Rename, recolour and nest Tone under Severity through the form.
	cb.SelectCode(tone.ID)
	cb.name.SetText("Framing")
	cb.colour.SetSelected("Blue")
	cb.parent.SetSelected("Findings/Severity")
	test.Tap(findButton(t, cb.Content(), "Save"))
	if got := cb.Paths(); !slices.Equal(got, []string{"Findings", "Findings/Severity", "Findings/Severity/Framing"}) {
		t.Fatalf("after save: %v", got)
	}
	codes, _ := s.Codes(ctx)
	if codes[2].Color != "#4A90E2" {
		t.Fatalf("colour %s", codes[2].Color)
	}
	// The parent picker never offers the code itself or its descendants.
	cb.SelectCode(sev.ID)
	if slices.Contains(cb.parent.Options, "Findings/Severity") || slices.Contains(cb.parent.Options, "Findings/Severity/Framing") {
		t.Fatalf("parent options %v", cb.parent.Options)
	}
	if err := h.Undo(); err != nil {
		t.Fatal(err)
	}
	cb.Reload()
	if got := cb.Paths(); !slices.Equal(got, []string{"Findings", "Findings/Severity", "Tone"}) {
		t.Fatalf("after undo: %v", got)
	}
	if err := h.Redo(); err != nil {
		t.Fatal(err)
	}
	cb.Reload()
	if got := cb.Paths(); len(got) != 3 || got[2] != "Findings/Severity/Framing" {
		t.Fatalf("after redo: %v", got)
	}

	// Delete with the "recode with parent" choice.
	a, _ := s.CreateAnnotation(ctx, data.Annotation{ArticleID: 1, Start: 0, End: 6, CodeIDs: []int64{sev.ID}})
	cb.Reload()
	cb.SelectCode(sev.ID)
	cb.confirmDelete()
	form := w.Canvas().Overlays().Top()
	findAll[*widget.RadioGroup](form)[0].SetSelected("Recode the annotations with the parent code")
	test.Tap(findButton(t, form, "Delete"))
	got, _ := s.Annotation(ctx, a.ID)
	codes, _ = s.Codes(ctx)
	if len(got.CodeIDs) != 1 || data.CodePath(codes, got.CodeIDs[0]) != "Findings" {
		t.Fatalf("annotation codes after delete: %v", got.CodeIDs)
	}
	if p := cb.Paths(); !slices.Equal(p, []string{"Findings", "Findings/Framing"}) {
		t.Fatalf("paths after delete: %v", p)
	}
	// The deletion is undoable: codes and the annotation's coding return.
	if err := h.Undo(); err != nil {
		t.Fatal(err)
	}
	cb.Reload()
	if p := cb.Paths(); !slices.Equal(p, []string{"Findings", "Findings/Severity", "Findings/Severity/Framing"}) {
		t.Fatalf("paths after undoing the delete: %v", p)
	}
	if got, _ := s.Annotation(ctx, a.ID); !slices.Equal(got.CodeIDs, []int64{sev.ID}) {
		t.Fatalf("annotation codes after undo: %v", got.CodeIDs)
	}
}

// A code without a colour shows "No colour" and keeps none when saved; a
// colour from another tool, outside the palette, is kept; the category
// check makes a code a category, which the annotation form then refuses
// with a message rather than coding text with it.
func TestCodebookColoursAndCategories(t *testing.T) {
	s := testStore(t, sample()...)
	ctx := context.Background()
	plain, _ := s.EnsureCodePath(ctx, "Themes")
	odd, _ := s.CreateCode(ctx, data.Code{Name: "From NVivo", Color: "#123456"})
	if _, err := s.EnsureCodePath(ctx, "Themes/Staffing"); err != nil {
		t.Fatal(err)
	}
	wb, w := newBench(t, s)
	cb := wb.Codebook
	wb.ShowTab("Codebook")
	cb.SelectCode(plain.ID)
	if cb.colour.Selected != noColour {
		t.Fatalf("colour shown %q for a code without one", cb.colour.Selected)
	}
	cb.category.SetChecked(true)
	test.Tap(findButton(t, cb.Content(), "Save"))
	cb.SelectCode(odd.ID)
	if cb.colour.Selected != "#123456" {
		t.Fatalf("colour shown %q, want the code's own", cb.colour.Selected)
	}
	cb.desc.SetText("kept colour")
	test.Tap(findButton(t, cb.Content(), "Save"))
	codes, _ := s.Codes(ctx)
	byID := map[int64]data.Code{}
	for _, c := range codes {
		byID[c.ID] = c
	}
	if c := byID[plain.ID]; c.Color != "" || !c.Category {
		t.Errorf("Themes = %+v: want no colour, a category", c)
	}
	if c := byID[odd.ID]; c.Color != "#123456" || c.Description != "kept colour" {
		t.Errorf("From NVivo = %+v", c)
	}

	// The annotation form lists the category, marked, and refuses it.
	var errs []error
	wb.Reader.OnError = func(err error) { errs = append(errs, err) }
	wb.ShowTab("Library")
	wb.Library.SelectRow(0)
	wb.Reader.SelectRange(0, 6)
	wb.Reader.Annotate()
	form := w.Canvas().Overlays().Top()
	checks := findAll[*widget.CheckGroup](form)[0]
	if !slices.Contains(checks.Options, "Themes (category)") || !slices.Contains(checks.Options, "Themes/Staffing") {
		t.Fatalf("options %v", checks.Options)
	}
	checks.SetSelected([]string{"Themes (category)"})
	test.Tap(findButton(t, form, "Save"))
	if anns, _ := s.Annotations(ctx, data.AnnotationFilter{}); len(anns) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), `"Themes" is a category`) {
		t.Fatalf("annotations %+v, errors %v", anns, errs)
	}
}
