package data

import (
	"context"
	"slices"
	"testing"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// TestPropagationDigest: every input of a trace changes the digest (the
// researcher's edits, and the analysis's clusters down to one member's
// range, the inner spans of an elision, or two members swapped between
// clusters), and what a trace does not read leaves it as it was.
func TestPropagationDigest(t *testing.T) {
	ctx := context.Background()
	date := MustParseDate("2022-05-01")
	outlet := "Herald"
	for _, c := range []struct {
		name    string
		changes bool
		edit    func(t *testing.T, s *Store, ids []int64, clusters []Cluster) error
	}{
		{"nothing", false, func(*testing.T, *Store, []int64, []Cluster) error { return nil }},
		{"a read", false, func(_ *testing.T, s *Store, _ []int64, _ []Cluster) error {
			_, err := s.Clusters(ctx, 2)
			return err
		}},
		{"a title", false, func(_ *testing.T, s *Store, ids []int64, _ []Cluster) error {
			title := "Another title"
			_, err := s.EditArticles(ctx, ids[:1], MetaEdit{Title: &title})
			return err
		}},
		{"a date", true, func(_ *testing.T, s *Store, ids []int64, _ []Cluster) error {
			_, err := s.EditArticles(ctx, ids[1:2], MetaEdit{Date: &date})
			return err
		}},
		{"an outlet", true, func(_ *testing.T, s *Store, ids []int64, _ []Cluster) error {
			_, err := s.EditArticles(ctx, ids[2:3], MetaEdit{Outlet: &outlet})
			return err
		}},
		{"a primary source", true, func(_ *testing.T, s *Store, ids []int64, _ []Cluster) error {
			return s.SetPrimarySource(ctx, ids[:1], true)
		}},
		{"a pin", true, func(_ *testing.T, s *Store, _ []int64, cs []Cluster) error {
			m := cs[0].Members[1]
			return s.PinReference(ctx, Pin{ArticleID: m.ArticleID, Start: m.Start, End: m.End}, nil)
		}},
		{"an article gone", true, func(_ *testing.T, s *Store, ids []int64, _ []Cluster) error {
			return s.DeleteArticles(ctx, ids[2:3])
		}},
		{"a member's range", true, func(_ *testing.T, s *Store, _ []int64, cs []Cluster) error {
			_, err := s.w.ExecContext(ctx, `UPDATE cluster_members SET "end" = "end" - 1 WHERE cluster_id = ? AND article_id = ?`,
				cs[0].ID, cs[0].Members[1].ArticleID)
			return err
		}},
		{"an elision's spans", true, func(_ *testing.T, s *Store, _ []int64, cs []Cluster) error {
			_, err := s.w.ExecContext(ctx, `UPDATE cluster_members SET spans = '[[23,31],[45,56]]' WHERE spans <> ''`)
			return err
		}},
		{"members swapped between clusters", true, func(_ *testing.T, s *Store, _ []int64, cs []Cluster) error {
			// The second article's members trade clusters.
			b := cs[0].Members[1].ArticleID
			_, err := s.w.ExecContext(ctx, `UPDATE cluster_members SET cluster_id = CASE cluster_id WHEN ? THEN ? ELSE ? END
				WHERE article_id = ? AND cluster_id IN (?, ?)`, cs[0].ID, cs[1].ID, cs[0].ID, b, cs[0].ID, cs[1].ID)
			return err
		}},
		{"two ranges trading a rune", true, func(_ *testing.T, s *Store, ids []int64, cs []Cluster) error {
			// The second article's two members of the first cluster:
			// (1,10) and (12,20) become (1,11) and (12,19), which keeps
			// the sum of their ranges.
			if _, err := s.w.ExecContext(ctx, `UPDATE cluster_members SET "end" = 11 WHERE cluster_id = ? AND article_id = ? AND start = 1`, cs[0].ID, ids[1]); err != nil {
				return err
			}
			_, err := s.w.ExecContext(ctx, `UPDATE cluster_members SET "end" = 19 WHERE cluster_id = ? AND article_id = ? AND start = 12`, cs[0].ID, ids[1])
			return err
		}},
		{"a copy link", true, func(_ *testing.T, s *Store, ids []int64, _ []Cluster) error {
			_, err := s.w.ExecContext(ctx, `UPDATE articles SET copy_of = ? WHERE id = ?`, ids[0], ids[2])
			return err
		}},
		{"a cluster's kind", true, func(_ *testing.T, s *Store, _ []int64, cs []Cluster) error {
			_, err := s.w.ExecContext(ctx, `UPDATE clusters SET kind = 'finding' WHERE id = ?`, cs[0].ID)
			return err
		}},
		{"a speaker", true, func(_ *testing.T, s *Store, _ []int64, cs []Cluster) error {
			_, err := s.w.ExecContext(ctx, `UPDATE clusters SET speaker = 'someone else' WHERE id = ?`, cs[0].ID)
			return err
		}},
		{"a primary mark of an article not there", false, func(_ *testing.T, s *Store, _ []int64, _ []Cluster) error {
			// Left by a hand edit with foreign keys off: passed over, as
			// the articles' join did, rather than failing every trace.
			for _, q := range []string{`PRAGMA foreign_keys = OFF`,
				`INSERT INTO article_attributes (article_id, name, value) VALUES (99999, '` + AttrPrimarySource + `', 'yes')`,
				`PRAGMA foreign_keys = ON`} {
				if _, err := s.w.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			_, err := s.ArticleStamps(ctx)
			return err
		}},
		{"an article's text", true, func(_ *testing.T, s *Store, ids []int64, _ []Cluster) error {
			_, err := s.w.ExecContext(ctx, `UPDATE articles SET hash = 'another text' WHERE id = ?`, ids[0])
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := tempStore(t)
			res, err := s.AddArticles(ctx, []Article{
				art("BBC", "2023-01-02", "A", "“We failed,” she said. The trust — it says — takes over."),
				art("ITV", "2023-01-03", "B", "“We failed,” she said; the trust takes over. It is over."),
				art("Sky", "2023-01-04", "C", "We failed, she said. The trust takes over.")}, nil)
			if err != nil {
				t.Fatal(err)
			}
			a, b, d := res[0].ID, res[1].ID, res[2].ID
			if err := s.ReplaceClusters(ctx, []Cluster{
				{Kind: "quote", Status: "differ", Speaker: "she", Articles: 3, Members: []ClusterMember{
					{ArticleID: a, Kind: "quote", Start: 1, End: 10, Reference: true, Speaker: "she", Relations: []vocab.Relation{"verbatim"}},
					{ArticleID: b, Kind: "quote", Start: 1, End: 10, Speaker: "she", Relations: []vocab.Relation{"verbatim"}},
					{ArticleID: b, Kind: "quote", Start: 12, End: 20, Speaker: "she", Relations: []vocab.Relation{"fragment"}},
					{ArticleID: d, Kind: "quote", Start: 0, End: 9, Speaker: "she", Relations: []vocab.Relation{"verbatim"}}}},
				{Kind: "finding", Status: "differ", Articles: 2, Members: []ClusterMember{
					{ArticleID: a, Kind: "finding", Start: 23, End: 56, Spans: [][2]int{{23, 32}, {45, 56}}, Reference: true},
					{ArticleID: b, Kind: "finding", Start: 24, End: 42, Relations: []vocab.Relation{"elided"}}}},
			}); err != nil {
				t.Fatal(err)
			}
			cs, err := s.Clusters(ctx, 2)
			if err != nil || len(cs) != 2 {
				t.Fatalf("clusters %v, %v", cs, err)
			}
			before, err := s.PropagationDigest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.edit(t, s, []int64{a, b, d}, cs); err != nil {
				t.Fatal(err)
			}
			after, err := s.PropagationDigest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if changed := after != before; changed != c.changes {
				t.Errorf("digest changed %v, want %v", changed, c.changes)
			}
		})
	}
}

// BenchmarkPropagationDigest reads the digest of a project of 10,000
// articles and 12,000 clusters of 40 members (480,000 members; 16,000
// generated articles give 503,575): what every propagation call pays
// before it knows whether a kept trace will do.
func BenchmarkPropagationDigest(b *testing.B) {
	s := tempStore(b)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, synthArticles(b, 10_000), nil)
	if err != nil {
		b.Fatal(err)
	}
	clusters := make([]Cluster, 12_000)
	for i := range clusters {
		c := Cluster{Kind: "quote", Status: "differ", Articles: 40}
		for k := range 40 {
			a := res[(i*7+k*251)%len(res)].ID
			c.Members = append(c.Members, ClusterMember{ArticleID: a, Kind: "quote", Start: k, End: k + 40, Reference: k == 0})
		}
		clusters[i] = c
	}
	if err := s.ReplaceClusters(ctx, clusters); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.PropagationDigest(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMigrateStaleAnalyses: migration 13 marks unaligned the analyses of
// articles whose text changed since (a new version, imported before a
// new version marked its analysis so), and leaves the others; the trace
// then counts those articles as not analysed.
func TestMigrateStaleAnalyses(t *testing.T) {
	path := projectAtSchema(t, 12,
		`INSERT INTO articles(id, outlet, text, hash, imported) VALUES (1, 'BBC', 'new text', 'h1new', 'x'), (2, 'ITV', 'same', 'h2', 'x')`,
		`INSERT INTO analysis(article_id, version, hash, quotes, units, aligned) VALUES (1, 1, 'h1old', '', '[]', 1), (2, 1, 'h2', '', '[]', 1)`)
	s := mustOpen(t, path)
	stamps, err := s.ArticleStamps(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !stamps[1].Unanalysed || stamps[2].Unanalysed {
		t.Errorf("unanalysed: %v and %v, want the changed article only", stamps[1].Unanalysed, stamps[2].Unanalysed)
	}
}

// TestUnanalysedStamps: an article is flagged as one the clusters do not
// account for when it has no analysis, or an unaligned one and no cluster
// of two articles; one still in such a cluster (its re-alignment pending
// after a pin) is not, nor is any when the clusters came from passim.
func TestUnanalysedStamps(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO articles(id, outlet, text, hash, imported) VALUES (1, 'A', 'a', 'h1', 'x'), (2, 'B', 'b', 'h2', 'x'), (3, 'C', 'c', 'h3', 'x'), (4, 'D', 'd', 'h4', 'x'), (5, 'E', 'e', 'h5', 'x')`,
		`INSERT INTO analysis(article_id, version, hash, quotes, units, aligned) VALUES (2, 1, 'h2', '', '[]', 0), (3, 1, 'h3', '', '[]', 0), (4, 1, 'h4', '', '[]', 1), (5, 1, 'h5', '', '[]', 0)`,
		`INSERT INTO clusters(id, kind, status, speaker, articles, reference, members) VALUES (7, 'quote', 'agree', '', 2, 'b', 2), (8, 'quote', 'agree', '', 1, 'e', 1)`,
		`INSERT INTO cluster_members(cluster_id, article_id, start, "end", spans, kind, speaker, reference, relations) VALUES
			(7, 2, 0, 1, '', 'quote', '', 1, ''), (7, 4, 0, 1, '', 'quote', '', 0, ''), (8, 5, 0, 1, '', 'quote', '', 1, '')`,
	} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	flagged := func() []int64 {
		stamps, err := s.ArticleStamps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for id, st := range stamps {
			if st.Unanalysed {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out
	}
	if got := flagged(); !slices.Equal(got, []int64{1, 3, 5}) {
		t.Errorf("flagged %v, want [1 3 5]", got)
	}
	if _, err := s.w.Exec(`INSERT INTO project(key, value) VALUES (?, 'passim')`, keyOriginTool); err != nil {
		t.Fatal(err)
	}
	if got := flagged(); len(got) != 0 {
		t.Errorf("with passim's clusters: flagged %v, want none", got)
	}
}
