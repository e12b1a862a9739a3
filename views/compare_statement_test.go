package views

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// statementStore is the fixture's store with statements: cluster C's
// reference is the second of three sentences; sentence 1 is cluster B,
// sentence 3 no other article carries.
type statementStore struct {
	*data.Store
	f *clusterFixture
}

func (s statementStore) Statement(_ context.Context, id int64) (data.Statement, error) {
	if id != s.f.ids["C"] && id != s.f.ids["B"] {
		return data.Statement{}, data.Errorf(data.ENotFound, "cluster %d: its reference is not part of a quotation", id)
	}
	return data.Statement{Article: 1, Number: 2,
		Sentences: []data.StatementSentence{{Cluster: s.f.ids["B"], Text: "One."}, {Cluster: s.f.ids["C"], Text: "Two."}, {Text: "Three."}},
		Versions: []data.StatementVersion{
			{Article: 2, Outlet: itv, Relations: [][]vocab.Relation{{vocab.RelVerbatim}, {vocab.RelVerbatim}, {vocab.RelVerbatim}}, Whole: []vocab.Relation{vocab.RelVerbatim}},
			{Article: 3, Outlet: "", Relations: [][]vocab.Relation{nil, {vocab.RelReworded}, nil}, Whole: []vocab.Relation{vocab.RelReworded}},
		}}, nil
}

// TestCompareStatement: a sentence of a longer quotation shows, folded
// under the summary, which sentence of how many it is and how each other
// article carries the whole; a sentence's button selects its cluster; a
// cluster that is no such sentence hides the panel.
func TestCompareStatement(t *testing.T) {
	f := newClusterFixture(t)
	c, w := newCompareOver(t, statementStore{f.store, f}, fyne.NewSize(1200, 900))
	c.SelectCluster(f.ids["C"])
	p := c.statement
	if !p.box.Visible() || p.body.Visible() || p.title != "Sentence 2 of a 3-sentence statement, carried by 2 other articles" {
		t.Fatalf("panel shown %v, open %v, title %q", p.box.Visible(), p.body.Visible(), p.title)
	}
	test.Tap(p.toggle)
	if !p.body.Visible() {
		t.Fatal("the panel did not open")
	}
	var lines []string
	for _, o := range p.rows.Objects {
		for _, l := range test.LaidOutObjects(o) {
			if lb, ok := l.(*widget.Label); ok {
				lines = append(lines, lb.Text)
			}
		}
	}
	got := strings.Join(lines, " | ")
	for _, want := range []string{itv + " · article 2", "1 verbatim · 2 verbatim · 3 verbatim", "(no outlet) #3 · article 3", "1 missing · 2 reworded · 3 missing"} {
		if !strings.Contains(got, want) {
			t.Errorf("rows %q lack %q", got, want)
		}
	}
	buttons := p.sentences.Objects[1:]
	if len(buttons) != 3 || !buttons[2].(*widget.Button).Disabled() || buttons[1].(*widget.Button).Importance != widget.HighImportance {
		t.Fatalf("sentence buttons %v", buttons)
	}
	test.Tap(buttons[0].(*widget.Button))
	if cl, _ := c.Selected(); cl.ID != f.ids["B"] || p.title != "Sentence 1 of a 3-sentence statement, carried by 2 other articles" || !p.body.Visible() {
		t.Fatalf("after tapping sentence 1: cluster %d, title %q, open %v", cl.ID, p.title, p.body.Visible())
	}
	test.AssertImageMatches(t, "compare_statement.png", w.Canvas().Capture())
	c.SelectCluster(f.ids["D"])
	if p.box.Visible() {
		t.Error("the panel shows for a cluster that is no sentence of a statement")
	}
}
