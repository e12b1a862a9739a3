package views

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

func TestSideBySideLinksAndFollows(t *testing.T) {
	filler := strings.Repeat("Unrelated paragraph about something else entirely.\n\n", 30)
	left := "Opening.\n\n" + filler + "The council said it was deeply sorry.\n\n" + filler + "Inspectors found 1,365 children waiting."
	right := "Start.\n\nInspectors found 1,400 children waiting.\n\n" + filler + filler + "The council said it was deeply sorry."
	s := testStore(t,
		data.Article{Meta: data.Meta{Outlet: "A", Title: "Left"}, Text: left},
		data.Article{Meta: data.Meta{Outlet: "B", Title: "Right"}, Text: right})
	span := func(text, sub string) (int, int) {
		i := strings.Index(text, sub)
		st := len([]rune(text[:i]))
		return st, st + len([]rune(sub))
	}
	m := func(id int64, text, sub string, ref bool, rels ...vocab.Relation) data.ClusterMember {
		a, b := span(text, sub)
		return data.ClusterMember{ArticleID: id, Kind: "finding", Start: a, End: b, Spans: [][2]int{{a, b}}, Text: sub, Reference: ref, Relations: rels}
	}
	err := s.ReplaceClusters(context.Background(), []data.Cluster{
		{Kind: "finding", Status: "agree", Articles: 2, Members: []data.ClusterMember{
			m(1, left, "The council said it was deeply sorry.", true), m(2, right, "The council said it was deeply sorry.", false, "verbatim")}},
		{Kind: "finding", Status: "diverge", Articles: 2, Members: []data.ClusterMember{
			m(1, left, "Inspectors found 1,365 children waiting.", true), m(2, right, "Inspectors found 1,400 children waiting.", false, "figures-differ")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	v := NewSideBySide(s, s)
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1000, 600))
	v.Reload()
	v.SetArticles(1, 2)
	if v.Pairs() != 2 || len(v.left.highlights) != 2 || len(v.right.highlights) != 2 {
		t.Fatalf("pairs %d, highlights %d/%d", v.Pairs(), len(v.left.highlights), len(v.right.highlights))
	}
	// The pairs are in the left article's reading order.
	if !strings.HasPrefix(v.pairs[0].left.Text, "The council") {
		t.Fatalf("first pair %q", v.pairs[0].left.Text)
	}
	v.ShowPair(1)
	l, r := v.Offsets()
	if l <= 0 || r != 0 && r > l {
		t.Fatalf("offsets after showing the figures pair: left %v right %v", l, r)
	}
	if got := v.right.SelectedText(); got != "Inspectors found 1,400 children waiting." {
		t.Fatalf("right selection %q", got)
	}
	// Scrolling the left so the apology is at the top brings its partner,
	// far down on the right, into view.
	v.ShowPair(0) // no-op for following: programmatic scrolls do not echo
	v.lScroll.Offset.Y = 0
	v.lScroll.Refresh()
	target := v.left.LineTop(v.pairs[0].left.Start)
	v.lScroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -(target - 5))}) // a mouse wheel
	l, r = v.Offsets()
	partner := v.right.LineTop(v.pairs[0].right.Start)
	if l < target-6 || partner < r || partner > r+v.rScroll.Size().Height || r < 1000 {
		t.Fatalf("left at %v; right scrolled to %v, partner at %v is not in its %v-high view", l, r, partner, v.rScroll.Size().Height)
	}
}
