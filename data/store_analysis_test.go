package data

import (
	"context"
	"reflect"
	"testing"

	"github.com/parallax-research/parallax/diffing/vocab"
)

func TestAnalysisCacheAndClusters(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "First text."), art("ITV", "2023", "B", "Second text.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := res[0].ID, res[1].ID
	todo, err := s.ArticlesToAnalyze(ctx, 1)
	if err != nil || len(todo) != 2 {
		t.Fatalf("todo = %v, %v", todo, err)
	}
	rows := []AnalysisRow{
		{ArticleID: a, Version: 1, Hash: todo[0].Hash, Quotes: []byte(`[]`), Units: []byte(`[{"x":1}]`)},
		{ArticleID: b, Version: 1, Hash: todo[1].Hash, Quotes: []byte(`[]`), Units: []byte(`[]`)},
	}
	if err := s.SaveAnalyses(ctx, rows); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		version int
		want    int
	}{
		{"all cached", 1, 0},
		{"new analyser version redoes everything", 2, 2},
	}
	for _, c := range cases {
		todo, err := s.ArticlesToAnalyze(ctx, c.version)
		if err != nil || len(todo) != c.want {
			t.Errorf("%s: %d to analyse (%v), want %d", c.name, len(todo), err, c.want)
		}
	}
	got, err := s.Analyses(ctx)
	if err != nil || len(got) != 2 || string(got[0].Units) != `[{"x":1}]` || got[0].Outlet != "BBC" {
		t.Fatalf("analyses = %+v, %v", got, err)
	}

	clusters := []Cluster{{Kind: "quote", Status: "diverge", Speaker: "Marium Haque", Articles: 2, Members: []ClusterMember{
		{ArticleID: a, Kind: "quote", Start: 0, End: 5, Spans: [][2]int{{0, 5}}, Text: "First", Speaker: "Marium Haque", Reference: true},
		{ArticleID: b, Kind: "quote", Start: 0, End: 6, Spans: [][2]int{{0, 3}, {4, 6}}, Text: "Sec xt", Relations: []vocab.Relation{"elided"},
			Diff: []DiffOp{{"equal", "Sec"}, {"delete", "ond"}}},
	}}}
	if err := s.ReplaceClusters(ctx, clusters); err != nil {
		t.Fatal(err)
	}
	// The project file holds the vocabulary's strings, as it did before
	// the values were typed.
	var kind, status, memberKind, rels, diff string
	if err := s.r.QueryRowContext(ctx, `SELECT c.kind, c.status, m.kind, m.relations, m.diff
		FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id WHERE m.position = 1`).
		Scan(&kind, &status, &memberKind, &rels, &diff); err != nil {
		t.Fatal(err)
	}
	if kind != "quote" || status != "diverge" || memberKind != "quote" || rels != `["elided"]` ||
		diff != `[{"op":"equal","text":"Sec"},{"op":"delete","text":"ond"}]` {
		t.Fatalf("stored %q %q %q %s %s", kind, status, memberKind, rels, diff)
	}
	back, err := s.Clusters(ctx, 2)
	if err != nil || len(back) != 1 {
		t.Fatalf("clusters = %v, %v", back, err)
	}
	back[0].ID = 0
	back[0].Members[0].Outlet, back[0].Members[1].Outlet = "", ""
	clusters[0].Members[0].Relations, clusters[0].Members[0].Diff = []vocab.Relation{}, []DiffOp{}
	if !reflect.DeepEqual(back, clusters) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, clusters)
	}
	if more, _ := s.Clusters(ctx, 3); len(more) != 0 {
		t.Fatal("minArticles filter ignored")
	}
	// Deleting an article removes its cached analysis and its memberships.
	if err := s.DeleteArticles(ctx, []int64{b}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Analyses(ctx); len(got) != 1 {
		t.Fatalf("analysis of a deleted article kept: %d rows", len(got))
	}
	// Its clusters go too: they would have lost a member, perhaps the
	// reference, until the next analysis.
	if back, _ = s.Clusters(ctx, 1); len(back) != 0 {
		t.Fatalf("clusters of a deleted article kept: %+v", back)
	}
}

func TestPinReference(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, _ := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "First text."), art("ITV", "2023", "B", "Second text.")}, nil)
	a := Pin{ArticleID: res[0].ID, Start: 0, End: 5}
	b := Pin{ArticleID: res[1].ID, Start: 0, End: 6}
	if err := s.PinReference(ctx, a, []Pin{b}); err != nil {
		t.Fatal(err)
	}
	if err := s.PinReference(ctx, b, []Pin{a}); err != nil {
		t.Fatal(err)
	}
	pins, err := s.Pins(ctx)
	if err != nil || len(pins) != 1 || pins[0] != b {
		t.Fatalf("pins = %v, %v", pins, err)
	}
}

func TestClusterMemosFollowTheirCluster(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, _ := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "First text here."), art("ITV", "2023", "B", "Second text here.")}, nil)
	a, b := res[0].ID, res[1].ID
	mk := func(start int) Cluster {
		return Cluster{Kind: "quote", Status: "agree", Articles: 2, Members: []ClusterMember{
			{ArticleID: a, Kind: "quote", Start: start, End: start + 4, Spans: [][2]int{{start, start + 4}}, Text: "x", Reference: true},
			{ArticleID: b, Kind: "quote", Start: start, End: start + 4, Spans: [][2]int{{start, start + 4}}, Text: "x", Relations: []vocab.Relation{"verbatim"}},
		}}
	}
	if err := s.ReplaceClusters(ctx, []Cluster{mk(0), mk(6)}); err != nil {
		t.Fatal(err)
	}
	cs, _ := s.Clusters(ctx, 2)
	memo, err := s.SaveMemo(ctx, Memo{TargetKind: "cluster", TargetID: cs[1].ID, Title: "About the second"})
	if err != nil {
		t.Fatal(err)
	}
	// Re-alignment renumbers: the second cluster comes first now, and a
	// third appears.
	if err := s.ReplaceClusters(ctx, []Cluster{mk(6), mk(11), mk(0)}); err != nil {
		t.Fatal(err)
	}
	cs, _ = s.Clusters(ctx, 2)
	got, _ := s.Memos(ctx, "cluster", 0)
	if len(got) != 1 || got[0].ID != memo.ID {
		t.Fatalf("memos %+v", got)
	}
	var target Cluster
	for _, c := range cs {
		if c.ID == got[0].TargetID {
			target = c
		}
	}
	if target.Members == nil || target.Members[0].Start != 6 {
		t.Fatalf("memo points at %+v, want the cluster at offset 6", target)
	}
	// When the passages no longer cluster, the memo is kept on the project.
	if err := s.ReplaceClusters(ctx, []Cluster{mk(11)}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Memos(ctx, "", 0)
	if len(got) != 1 || got[0].TargetKind != "project" || got[0].Title != "(cluster no longer found) About the second" {
		t.Fatalf("memo after its cluster vanished: %+v", got)
	}
}
