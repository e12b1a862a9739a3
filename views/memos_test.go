package views

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

func TestMemosUndoRedo(t *testing.T) {
	s := testStore(t, sample()...)
	wb, w := newBench(t, s)
	ctx := context.Background()
	wb.Library.SelectRow(0)
	wb.Reader.OnMemo(wb.Reader.Article()) // the reader's Memo… button
	form := w.Canvas().Overlays().Top()
	entries := findAll[*widget.Entry](form)
	entries[1].SetText("Check the figures against the report.")
	test.Tap(findButton(t, form, "Save"))
	memos, _ := s.Memos(ctx, "article", wb.Reader.Article().ID)
	if len(memos) != 1 || memos[0].Text != "Check the figures against the report." || memos[0].Title != "Weaknesses remain" {
		t.Fatalf("memos = %+v", memos)
	}
	id := memos[0].ID
	steps := []struct {
		name string
		act  func()
		want int
	}{
		{"undo", wb.Undo, 0},
		{"redo", wb.Redo, 1},
		{"delete", func() { wb.Memos.Delete(id) }, 0},
		{"undo delete", wb.Undo, 1},
	}
	for _, st := range steps {
		st.act()
		all, _ := s.Memos(ctx, "", 0)
		if len(all) != st.want || len(wb.Memos.Items()) != st.want {
			t.Fatalf("%s: %d stored, %d listed, want %d", st.name, len(all), len(wb.Memos.Items()), st.want)
		}
		if st.want == 1 && all[0].ID != id {
			t.Fatalf("%s: memo came back as %d, want %d", st.name, all[0].ID, id)
		}
	}
	wb.Memos.Edit(data.Memo{TargetKind: "project"})
	form = w.Canvas().Overlays().Top()
	findAll[*widget.Entry](form)[0].SetText("Research plan")
	test.Tap(findButton(t, form, "Save"))
	if all, _ := s.Memos(ctx, "project", 0); len(all) != 1 || all[0].Title != "Research plan" {
		t.Fatalf("project memo: %+v", all)
	}
}
