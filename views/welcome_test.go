package views

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/widget"
)

func TestWelcomeOnEmptyProject(t *testing.T) {
	s := testStore(t)
	wb, _ := newBench(t, s)
	if !wb.Welcoming() {
		t.Fatal("an empty project does not open on the welcome pane")
	}
	imported := false
	wb.OnImportFolder = func() { imported = true }
	for _, b := range findAll[*widget.Button](wb.welcome) {
		if b.Text == "Import folder…" {
			b.OnTapped()
		}
	}
	if !imported {
		t.Fatal("the welcome pane's Import folder button does nothing")
	}
	if _, err := s.AddArticles(context.Background(), sample(), nil); err != nil {
		t.Fatal(err)
	}
	wb.Reload()
	if wb.Welcoming() || wb.Library.Len() != 3 {
		t.Fatalf("after an import: welcoming %v, %d rows", wb.Welcoming(), wb.Library.Len())
	}
}
