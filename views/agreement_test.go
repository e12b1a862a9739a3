package views

import (
	"context"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/agreement"
)

// Two coders' work on the same article shows in the Agreement tab: a row
// per code with its counts, sortable; CSV in the shown order; and, for a
// row, the article twice with the disagreement in red.
func TestAgreementView(t *testing.T) {
	s := testStore(t, sample()...)
	ctx := context.Background()
	wb, _ := newBench(t, s)
	rows, _ := s.ListArticles(ctx, data.ListQuery{})
	id := rows[0].ID
	a, _ := s.Article(ctx, id)
	at := func(passage string) (int, int) {
		i := strings.Index(a.Text, passage)
		return len([]rune(a.Text[:i])), len([]rune(a.Text[:i+len(passage)]))
	}
	code := func(coder, path, passage string) {
		t.Helper()
		s.SetCoder(coder)
		st, en := at(passage)
		if _, _, err := s.CreateAnnotationWithCodes(ctx, data.Annotation{ArticleID: id, Start: st, End: en}, []string{path}); err != nil {
			t.Fatal(err)
		}
	}
	code("Ana", "Findings/Severity", "widespread and serious failures")
	code("Ben", "Findings/Severity", "serious failures")
	code("Ana", "Voice", "Ofsted said")
	code("Ben", "Voice", "Ofsted said")

	wb.ShowTab("Agreement")
	g := wb.Agreement
	got := g.Rows()
	// Findings takes in Findings/Severity: a scope is a subtree.
	if len(got) != 4 || got[0].Code != "Findings" || got[1].Code != "Findings/Severity" || got[2].Code != "Voice" || got[3].Code != agreement.OverallName {
		t.Fatalf("rows = %+v", got)
	}
	if got[1].Both != len("serious failures") || got[1].OnlyA != len("widespread and ") || got[0].Both != got[1].Both || !got[2].Kappa.OK || got[2].Kappa.Value != 1 {
		t.Errorf("figures = %+v / %+v / %+v", got[0], got[1], got[2])
	}
	// Sorting by kappa, highest first: Voice (1) first; the overall row
	// stays last.
	g.SortBy(7, true)
	if r := g.Rows(); r[0].Code != "Voice" || r[3].Code != agreement.OverallName {
		t.Errorf("sorted by κ: %s, %s, %s", r[0].Code, r[1].Code, r[3].Code)
	}
	csv, err := g.CSV()
	if err != nil || !strings.HasPrefix(string(csv), "code,article") || strings.Index(string(csv), "Voice") > strings.Index(string(csv), "Findings/Severity") {
		t.Errorf("CSV = %q, %v", csv, err)
	}
	// Side by side: Ana's extra words red on her side; Ben's side all
	// green (everything he coded, Ana coded too).
	g.SortBy(0, false)
	g.SelectRow(1)
	left, right := g.left.highlights, g.right.highlights
	ws, _ := at("widespread and ")
	if len(left) != 2 || left[0].Start != ws || left[0].Color != disagreeColor || left[1].Color != agreeColor {
		t.Errorf("Ana's side = %+v", left)
	}
	if len(right) != 1 || right[0].Color != agreeColor {
		t.Errorf("Ben's side = %+v", right)
	}
	if g.leftTitle.Text != "Ana · Findings/Severity" || g.right.Text() != a.Text {
		t.Errorf("titles %q, text %q", g.leftTitle.Text, g.right.Text())
	}
	// One coder chosen: no table.
	g.SetCoders([]string{"Ana"})
	if len(g.Rows()) != 0 || !strings.Contains(g.summary.Text, "two or more") {
		t.Errorf("one coder: %d rows, %q", len(g.Rows()), g.summary.Text)
	}
}
