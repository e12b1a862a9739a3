package data_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/storetest"
)

func TestPrimarySource(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	res, err := s.AddArticles(ctx, []data.Article{
		{Meta: data.Meta{Outlet: "Ofsted", Date: data.MustParseDate("2023-01-31T09:00Z")}, Text: "The report."},
		{Meta: data.Meta{Outlet: "BBC", Date: data.MustParseDate("2023-01-31")}, Text: "The story.", Attributes: map[string]string{data.AttrPrimarySource: "Yes"}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	report, story := res[0].ID, res[1].ID
	if err := s.SetPrimarySource(ctx, []int64{report}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPrimarySource(ctx, []int64{story}, false); err != nil {
		t.Fatal(err)
	}
	stamps, err := s.ArticleStamps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st := stamps[report]; !st.Primary || st.Outlet != "Ofsted" || st.Date.String() != "2023-01-31T09:00Z" {
		t.Errorf("report: %+v", st)
	}
	if st := stamps[story]; st.Primary || st.Date.String() != "2023-01-31" {
		t.Errorf("story: %+v", st)
	}
	if a, err := s.Article(ctx, report); err != nil || !a.Primary() || a.Attributes[data.AttrPrimarySource] != "yes" {
		t.Errorf("report article: %v %+v", err, a.Attributes)
	}
	// An unknown ID changes nothing.
	err = s.SetPrimarySource(ctx, []int64{story, 999}, true)
	if data.ErrorCode(err) != data.ENotFound {
		t.Fatalf("unknown article: %v", err)
	}
	if a, _ := s.Article(ctx, story); a.Primary() {
		t.Error("a failed change marked an article")
	}
}

// TestFirstLabel: ties with other outlets are said, so that two outlets
// both first in every cluster read as tied.
func TestFirstLabel(t *testing.T) {
	for _, c := range []struct {
		first, sole, clusters int
		want                  string
	}{
		{3, 3, 5, "first 3 of 5"},
		{9, 0, 9, "first 9 of 9, tied in 9"},
		{2, 1, 4, "first 2 of 4, tied in 1"},
		{0, 0, 1, "first 0 of 1"},
	} {
		if got := data.FirstLabel(c.first, c.sole, c.clusters); got != c.want {
			t.Errorf("FirstLabel(%d, %d, %d) = %q, want %q", c.first, c.sole, c.clusters, got, c.want)
		}
	}
}

// TestStampInferredDate: a stamp says whether its date was inferred, of
// whatever other fields were, and whose text its article repeats.
func TestStampInferredDate(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	day := data.MustParseDate("2023-01-31")
	var arts []data.Article
	inferred := [][]string{nil, {data.FieldDate}, {data.FieldAuthor, data.FieldDate}, {data.FieldTitle, data.FieldOutlet}}
	for i, fields := range inferred {
		arts = append(arts, data.Article{Meta: data.Meta{Outlet: "Outlet", Date: day}, Text: fmt.Sprintf("Story %d.", i), Inferred: fields})
	}
	arts = append(arts, data.Article{Meta: data.Meta{Outlet: "Echo", Date: day}, Text: "Story 0."})
	res, err := s.AddArticles(ctx, arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	stamps, err := s.ArticleStamps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, true, true, false, false} {
		if got := stamps[res[i].ID].DateInferred; got != want {
			t.Errorf("article %d (inferred %v): date inferred %v, want %v", i, arts[i].Inferred, got, want)
		}
	}
	if got := stamps[res[4].ID].CopyOf; got != res[0].ID {
		t.Errorf("the Echo's copy: copy of %d, want %d", got, res[0].ID)
	}
}
