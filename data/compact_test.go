package data

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/diffing/vocab"
)

func TestRelationsStored(t *testing.T) {
	rel := func(r ...vocab.Relation) []vocab.Relation { return r }
	for _, tc := range []struct {
		rels   []vocab.Relation
		stored string
	}{
		{nil, ""},
		{rel(vocab.RelVerbatim), "V"},
		{rel(vocab.RelElided, vocab.RelReworded), "ER"},
		// the order is kept: it is the order the classifier found them in
		{rel(vocab.RelReworded, vocab.RelElided), "RE"},
		{rel(vocab.RelFragment, vocab.RelFiguresDiffer, vocab.RelMisattributed), "FGM"},
		// a relation the vocabulary does not have (a later version's, an
		// interchange file's) is written by name, as before
		{rel(vocab.RelFragment, "from-the-future"), "fragment+from-the-future"},
		// a name that would read as letters is marked
		{rel("VX"), "+VX"},
		{rel("V", vocab.RelElided), "V+elided"},
	} {
		got := encodeRelations(tc.rels)
		if got != tc.stored {
			t.Errorf("encodeRelations(%q) = %q, want %q", tc.rels, got, tc.stored)
		}
		if back := decodeRelations(got); !slices.Equal(back, tc.rels) {
			t.Errorf("decodeRelations(%q) = %q, want %q", got, back, tc.rels)
		}
	}
	// what projects before migration 11 hold reads the same
	for stored, want := range map[string][]vocab.Relation{
		"elided+reworded": rel(vocab.RelElided, vocab.RelReworded),
		"verbatim":        rel(vocab.RelVerbatim),
		"":                nil,
	} {
		if got := decodeRelations(stored); !slices.Equal(got, want) {
			t.Errorf("decodeRelations(%q) = %q, want %q", stored, got, want)
		}
	}
}

// Every relation of the vocabulary has its own letter: a relation added
// to the vocabulary without one would be stored by name, which works but
// is what the letters were made to avoid.
func TestEveryRelationHasACode(t *testing.T) {
	seen := map[byte]vocab.Relation{}
	for _, r := range append(vocab.Relations(), vocab.RelReference) {
		c, ok := relationCodes[r]
		if !ok {
			t.Errorf("relation %q has no letter", r)
			continue
		}
		if c < 'A' || c > 'Z' {
			t.Errorf("relation %q's letter %q is not an upper-case letter", r, c)
		}
		if other, dup := seen[c]; dup {
			t.Errorf("relations %q and %q share the letter %q", r, other, c)
		}
		seen[c] = r
	}
}

// A cluster's search text long enough to gain is stored compressed and reads
// back as the folded text; members' relations and the listing are stored
// as letters; and the list and the clusters read from them are what they
// were.
func TestCompactClusterStorage(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	long := "The council has failed the children in its care for the third year running, inspectors said."
	res, err := s.AddArticles(ctx, []Article{
		art("BBC", "2023", "A", "Report: “"+long+"”"),
		art("ITV", "2023", "B", "Report: "+strings.Replace(long, "for the third year running, ", "", 1)),
		art("YP", "2023", "C", "Short one."),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := res[0].ID, res[1].ID, res[2].ID
	elided := strings.Replace(long, "for the third year running, ", "", 1)
	clusters := []Cluster{
		{Kind: "quote", Status: "diverge", Articles: 2, Members: []ClusterMember{
			// out of key order, as the analysis may hand them over
			{ArticleID: b, Kind: "quote", Start: 8, End: 8 + len([]rune(elided)), Text: elided,
				Relations: []vocab.Relation{vocab.RelElided, vocab.RelReworded}},
			{ArticleID: a, Kind: "quote", Start: 9, End: 9 + len([]rune(long)), Text: long, Reference: true},
		}},
		{Kind: "finding", Status: "agree", Articles: 1, Members: []ClusterMember{
			{ArticleID: c, Kind: "finding", Start: 0, End: 10, Text: "Short one.", Reference: true},
		}},
	}
	if err := s.ReplaceClusters(ctx, clusters); err != nil {
		t.Fatal(err)
	}
	full, err := s.Clusters(ctx, 1)
	if err != nil || len(full) != 2 {
		t.Fatalf("clusters %+v, %v", full, err)
	}
	if got := full[0].Members[1].Relations; !slices.Equal(got, []vocab.Relation{vocab.RelElided, vocab.RelReworded}) {
		t.Errorf("relations read back %q", got)
	}

	type stored struct {
		kind, rels, listing string
	}
	var got []stored
	rows, err := s.w.QueryContext(ctx, `SELECT typeof(c.search), m.relations, c.listing FROM clusters c
		JOIN cluster_members m ON m.cluster_id = c.id AND m.reference = 0 ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r stored
		if err := rows.Scan(&r.kind, &r.rels, &r.listing); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].kind != "blob" || got[0].rels != "ER" || !strings.Contains(got[0].listing, ":ER") {
		t.Errorf("stored %+v; want the search text compressed and the relations as letters", got)
	}
	var shortKind string
	if err := s.w.QueryRowContext(ctx, "SELECT typeof(search) FROM clusters WHERE id = ?", full[1].ID).Scan(&shortKind); err != nil || shortKind != "text" {
		t.Errorf("a short search text stored as %s, %v; want text, as compressing it gains nothing", shortKind, err)
	}

	sameSearchText(t, s, full)
	list, err := s.ClusterRows(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	sameList(t, list, full)

	// a damaged blob is an error naming its cluster, not a wrong search
	if _, err := s.w.ExecContext(ctx, "UPDATE clusters SET search = x'ff00ff00ff' WHERE id = ?", full[0].ID); err != nil {
		t.Fatal(err)
	}
	err = s.EachClusterSearchText(ctx, 1, func(int64, string) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "search text of cluster") {
		t.Errorf("damaged search text: %v", err)
	}
}
