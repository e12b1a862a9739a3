package data

import (
	"context"
	"testing"
	"time"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// Imported clusters carry their origin; the project's own analysis clears
// it; a failed import changes neither clusters nor origin.
func TestImportClustersOrigin(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, _ := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "First text here."), art("ITV", "2023", "B", "Second text here.")}, nil)
	a, b := res[0].ID, res[1].ID
	mk := func(start int, other int64) Cluster {
		return Cluster{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{
			{ArticleID: a, Kind: "finding", Start: start, End: start + 4, Text: "x", Reference: true},
			{ArticleID: other, Kind: "finding", Start: start, End: start + 4, Text: "x", Relations: []vocab.Relation{"verbatim"}},
		}}
	}
	if o, err := s.ClusterOrigin(ctx); err != nil || o.IsImported() {
		t.Fatalf("a new project's origin = %+v, %v", o, err)
	}
	if err := s.ImportClusters(ctx, []Cluster{mk(0, b)}, ClusterOrigin{}); ErrorCode(err) != EInvalid {
		t.Errorf("an import without a tool: %v, want an invalid error", err)
	}
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	passim := ClusterOrigin{Tool: "passim", Source: "/data/passim-out", Imported: when}
	if err := s.ImportClusters(ctx, []Cluster{mk(0, b), mk(6, b)}, passim); err != nil {
		t.Fatal(err)
	}
	o, err := s.ClusterOrigin(ctx)
	if err != nil || o != passim {
		t.Fatalf("origin = %+v, %v; want %+v", o, err, passim)
	}
	before, _ := s.Clusters(ctx, 1)
	if len(before) != 2 {
		t.Fatalf("%d clusters stored, want 2", len(before))
	}

	// A member of a missing article fails the import as a whole.
	if err := s.ImportClusters(ctx, []Cluster{mk(0, b), mk(6, 9999)}, ClusterOrigin{Tool: "passim", Source: "/elsewhere"}); err == nil {
		t.Fatal("an import naming a missing article succeeded")
	}
	after, _ := s.Clusters(ctx, 1)
	if o, _ := s.ClusterOrigin(ctx); o != passim || len(after) != len(before) || after[0].ID != before[0].ID {
		t.Fatalf("a failed import changed the project: origin %+v, clusters %+v", o, after)
	}

	if err := s.ReplaceClusters(ctx, []Cluster{mk(0, b)}); err != nil {
		t.Fatal(err)
	}
	if o, err := s.ClusterOrigin(ctx); err != nil || o.IsImported() {
		t.Fatalf("after the project's own analysis, origin = %+v, %v", o, err)
	}
	cs, _ := s.Clusters(ctx, 1)
	if len(cs) != 1 || cs[0].ID != before[0].ID {
		t.Errorf("clusters after analysis %+v: the shared cluster keeps its ID %d", cs, before[0].ID)
	}
}
