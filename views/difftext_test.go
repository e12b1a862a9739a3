package views

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

func TestDiffTextRuns(t *testing.T) {
	test.NewTempApp(t)
	yp := fixtureClusters(map[string]int64{})[2].Members[3]
	d := newDiffText()
	d.SetWords(diffWords(yp.Diff, yp.Text))
	w := test.NewTempWindow(t, d)
	w.Resize(fyne.NewSize(2000, 200))

	var got []string
	for _, r := range d.Runs() {
		if r.Line != 0 {
			t.Errorf("run %q wrapped at 2000px", r.Text)
		}
		got = append(got, string(r.Op)+":"+r.Text)
	}
	want := []string{"insert:Ms Haque said", "equal:services for children in Bradford", "delete:remain", "insert:remained",
		"equal:inadequate", "delete:and we are", "insert:but the trust was", "equal:working hard to improve them."}
	if !slices.Equal(got, want) {
		t.Errorf("runs\n got %q\nwant %q", got, want)
	}

	// Deleted words are struck through (a line across the middle of the
	// text), inserted ones underlined (a line at its foot), each over a
	// tint of its own colour.
	objs := test.WidgetRenderer(d).Objects()
	var lines []*canvas.Line
	var rects []*canvas.Rectangle
	var texts []*canvas.Text
	for _, o := range objs {
		switch o := o.(type) {
		case *canvas.Line:
			lines = append(lines, o)
		case *canvas.Rectangle:
			rects = append(rects, o)
		case *canvas.Text:
			texts = append(texts, o)
		}
	}
	if len(texts) != len(want) || len(lines) != 5 || len(rects) != 5 {
		t.Fatalf("%d texts, %d lines, %d rects; want %d, 5, 5", len(texts), len(lines), len(rects), len(want))
	}
	textOf := map[string]*canvas.Text{}
	for _, tx := range texts {
		textOf[tx.Text] = tx
	}
	for i, r := range d.Runs() {
		if r.Op == "equal" {
			continue
		}
		tx := textOf[r.Text]
		var line *canvas.Line
		for _, l := range lines {
			if l.Position1.X <= r.X && l.Position2.X >= r.X+r.W {
				line = l
			}
		}
		if line == nil {
			t.Errorf("run %d %q has no line", i, r.Text)
			continue
		}
		top, bottom := tx.Position().Y, tx.Position().Y+tx.Size().Height
		switch r.Op {
		case "delete":
			if line.Position1.Y <= top+2 || line.Position1.Y >= bottom-2 {
				t.Errorf("strike-through of %q at y %v, text spans %v–%v", r.Text, line.Position1.Y, top, bottom)
			}
		case "insert":
			if line.Position1.Y < bottom-1 {
				t.Errorf("underline of %q at y %v, text ends at %v", r.Text, line.Position1.Y, bottom)
			}
		}
	}
	if rects[0].FillColor == rects[1].FillColor { // insert "Ms Haque said" vs delete "remain"
		t.Error("inserted and deleted words share a background colour")
	}

	// Narrow: wraps at spaces, no run wider than the line.
	w.Resize(fyne.NewSize(150, 400))
	lastLine := 0
	for _, r := range d.Runs() {
		if r.X+r.W > d.Size().Width+0.5 {
			t.Errorf("run %q ends at %v, past %v", r.Text, r.X+r.W, d.Size().Width)
		}
		lastLine = max(lastLine, r.Line)
	}
	if lastLine < 3 || d.MinSize().Height < float32(lastLine+1)*d.m.lineH {
		t.Errorf("%d lines at 150px, MinSize %v", lastLine+1, d.MinSize())
	}
}

func TestDiffWordsSpacing(t *testing.T) {
	words := diffWords([]data.DiffOp{eq("Said "), del("very"), eq(" well,"), ins(" truly"), eq("!")}, "")
	var got []string
	for _, w := range words {
		got = append(got, fmt.Sprintf("%s/%v/%v", w.text, w.op, w.space))
	}
	want := []string{"Said/equal/false", "very/delete/true", "well,/equal/true", "truly/insert/true", "!/equal/false"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if w := diffWords(nil, "  plain text "); len(w) != 2 || w[0].op != vocab.OpEqual {
		t.Errorf("no diff: %v", w)
	}
}
