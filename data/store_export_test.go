package data

import (
	"context"
	"maps"
	"testing"
)

// TestLoadExportScope: the snapshot holds the articles asked for, each
// with its own attributes (read in bulk, not one query per article), and
// only what hangs off them; asking for what is not there is an error.
func TestLoadExportScope(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	arts := []Article{
		art("ITV", "2023", "A", "First article text."),
		art("BBC", "2023", "B", "Second article text."),
		art("Sky", "2023", "C", "Third article text."),
	}
	arts[0].Attributes = map[string]string{"section": "news", "page": "1"}
	arts[2].Attributes = map[string]string{"section": "opinion"}
	res, err := s.AddArticles(ctx, arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if _, _, err := s.CreateAnnotationWithCodes(ctx, Annotation{ArticleID: r.ID, Start: 0, End: 5}, []string{"Tone"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveMemo(ctx, Memo{TargetKind: "article", TargetID: res[1].ID, Title: "on B"}); err != nil {
		t.Fatal(err)
	}

	all, err := s.LoadExport(ctx, ExportScope{}, "p")
	if err != nil || len(all.Articles) != 3 || len(all.Annotations) != 3 || len(all.Memos) != 1 {
		t.Fatalf("whole project: %v; %+v", err, all)
	}
	for i, a := range all.Articles {
		if a.ID != res[i].ID || a.Text != arts[i].Text || !maps.Equal(a.Attributes, arts[i].Attributes) {
			t.Fatalf("article %d: %+v, want %+v", i, a, arts[i])
		}
		if one, _ := s.Article(ctx, a.ID); !maps.Equal(one.Attributes, a.Attributes) || one.Imported != a.Imported {
			t.Fatalf("article %d in the export differs from Article: %+v, %+v", i, a, one)
		}
	}

	some, err := s.LoadExport(ctx, ExportScope{Articles: []int64{res[2].ID, res[0].ID}}, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(some.Articles) != 2 || some.Articles[0].ID != res[0].ID || some.Articles[1].Attributes["section"] != "opinion" ||
		len(some.Annotations) != 2 || len(some.Memos) != 0 || len(some.Codes) != 1 {
		t.Fatalf("scoped: %+v", some)
	}

	if _, err := s.LoadExport(ctx, ExportScope{Articles: []int64{res[0].ID, 999}}, "p"); ErrorCode(err) != ENotFound {
		t.Fatalf("a missing article: %v", err)
	}
	if _, err := s.LoadExport(ctx, ExportScope{Codes: []int64{999}}, "p"); ErrorCode(err) != ENotFound {
		t.Fatalf("a missing code: %v", err)
	}
}
