package data

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
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
		{ArticleID: a, Version: 1, Hash: todo[0].Hash, Units: []byte(`[{"x":1}]`)},
		{ArticleID: b, Version: 1, Hash: todo[1].Hash, Units: []byte(`[]`)},
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
	if err != nil || len(got) != 2 || string(got[0].Units) != `[{"x":1}]` || got[0].Outlet != "BBC" || got[0].Text != "First text." {
		t.Fatalf("analyses = %+v, %v", got, err)
	}

	clusters := []Cluster{{Kind: "quote", Status: "diverge", Speaker: "Marium Haque", Articles: 2, Members: []ClusterMember{
		{ArticleID: a, Kind: "quote", Start: 0, End: 5, Spans: [][2]int{{0, 5}}, Text: "First", Speaker: "Marium Haque", Reference: true},
		{ArticleID: b, Kind: "quote", Start: 0, End: 6, Spans: [][2]int{{0, 3}, {4, 6}}, Text: "Sec nd", Statement: 2, Relations: []vocab.Relation{"elided", "normalized"},
			Diff: []DiffOp{{Op: "equal", Text: "Sec"}, {Op: "delete", Text: "ond"}}},
	}}}
	if err := s.ReplaceClusters(ctx, clusters); err != nil {
		t.Fatal(err)
	}
	// The project file holds the vocabulary's strings (a member's
	// relations as their letters), and of a member only what cannot be
	// derived: no text (the article has it) and no diff (computed when
	// shown).
	var kind, status, memberKind, rels, spans, refText string
	var members int
	if err := s.r.QueryRowContext(ctx, `SELECT c.kind, c.status, c.reference, c.members, m.kind, m.relations, m.spans
		FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id WHERE m.article_id = ?`, b).
		Scan(&kind, &status, &refText, &members, &memberKind, &rels, &spans); err != nil {
		t.Fatal(err)
	}
	if kind != "quote" || status != "diverge" || memberKind != "quote" || rels != "EN" ||
		spans != "[[0,3],[4,6]]" || refText != "First" || members != 2 {
		t.Fatalf("stored %q %q %q %q %q reference %q, %d members", kind, status, memberKind, rels, spans, refText, members)
	}
	back, err := s.Clusters(ctx, 2)
	if err != nil || len(back) != 1 {
		t.Fatalf("clusters = %v, %v", back, err)
	}
	back[0].ID = 0
	back[0].Members[0].Outlet, back[0].Members[1].Outlet = "", ""
	clusters[0].Members[1].Diff = nil
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

// TestMigrateCompactClusters opens a project written before clusters
// stopped storing text and diffs: its members survive with their ranges and
// relations, their text now read from the article, and the cluster learns
// its reference text and size.
func TestMigrateCompactClusters(t *testing.T) {
	path := projectAtSchema(t, 4,
		`INSERT INTO articles(id, outlet, text, hash, imported) VALUES (1, 'BBC', 'Say “We will act now.” today.', 'h1', 'x'), (2, 'ITV', 'We will act on this now.', 'h2', 'x')`,
		`INSERT INTO clusters(id, kind, status, speaker, articles) VALUES (7, 'quote', 'diverge', 'Ms Haque', 2)`,
		`INSERT INTO cluster_members VALUES (7, 0, 1, 'quote', 5, 21, '[[5,21]]', 'We will act now.', 'Ms Haque', 1, '[]', '[]'),
			(7, 1, 2, 'quote', 0, 24, '[[0,11],[20,24]]', 'stale text', 'Ms Haque', 0, '["elided","normalized"]', '[{"op":"equal","text":"x"}]')`)

	s := mustOpen(t, path)
	cs, err := s.Clusters(context.Background(), 2)
	if err != nil || len(cs) != 1 {
		t.Fatalf("clusters = %+v, %v", cs, err)
	}
	c := cs[0]
	if c.ID != 7 || len(c.Members) != 2 {
		t.Fatalf("cluster %+v", c)
	}
	ref, m := c.Members[0], c.Members[1]
	if !ref.Reference || ref.Text != "We will act now." || !slices.Equal(ref.Spans, [][2]int{{5, 21}}) {
		t.Errorf("reference %+v", ref)
	}
	if m.Text != "We will act now." || !slices.Equal(m.Relations, []vocab.Relation{"elided", "normalized"}) || m.Diff != nil ||
		!slices.Equal(m.Spans, [][2]int{{0, 11}, {20, 24}}) {
		t.Errorf("member %+v", m)
	}
	var refText string
	var members int
	if err := s.r.QueryRow("SELECT reference, members FROM clusters WHERE id = 7").Scan(&refText, &members); err != nil || refText != "We will act now." || members != 2 {
		t.Errorf("cluster row: reference %q, %d members, %v", refText, members, err)
	}
}

// TestClusterIDsAreStable re-aligns with clusters reordered, one grown by a
// member and one new: each keeps the ID of the cluster it continues.
func TestClusterIDsAreStable(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "One two three four five six seven eight nine."),
		art("ITV", "2023", "B", "One two three four five six seven eight nine ten."), art("YP", "2023", "C", "One two three four five six seven eight.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := res[0].ID, res[1].ID, res[2].ID
	before := storeTwoClusters(t, s, a, b)
	second := []Cluster{
		{Kind: "finding", Status: "agree", Articles: 3, Members: []ClusterMember{mem(a, 8, true), mem(b, 8, false), mem(c, 8, false)}},
		{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(b, 14, true), mem(c, 14, false)}},
		{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 0, true), mem(b, 0, false)}},
	}
	if err := s.ReplaceClusters(ctx, second); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Clusters(ctx, 1)
	ids := map[[2]int64]int64{} // (first member's article, start) → ID
	for _, cl := range after {
		ids[[2]int64{cl.Members[0].ArticleID, int64(cl.Members[0].Start)}] = cl.ID
	}
	if len(after) != 3 || ids[[2]int64{a, 0}] != before[0].ID || ids[[2]int64{a, 8}] != before[1].ID {
		t.Fatalf("IDs before %d, %d; after %v", before[0].ID, before[1].ID, ids)
	}
	if n := ids[[2]int64{b, 14}]; n == before[0].ID || n == before[1].ID || n == 0 {
		t.Fatalf("new cluster took ID %d", n)
	}
}

// TestSaveAlignmentReplacesOnlyTouched: an incremental alignment replaces
// the clusters it names and leaves the others, their IDs and memos alone.
func TestSaveAlignmentReplacesOnlyTouched(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "One two three four five six seven eight nine."),
		art("ITV", "2023", "B", "One two three four five six seven eight nine ten."), art("YP", "2023", "C", "One two three four five six seven eight.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := res[0].ID, res[1].ID, res[2].ID
	before := storeTwoClusters(t, s, a, b)
	kept, touched := before[0].ID, before[1].ID
	memo, err := s.SaveMemo(ctx, Memo{TargetKind: "cluster", TargetID: kept, Title: "Untouched"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAlignment(ctx, Alignment{Version: 7, Replace: []int64{touched}, Aligned: []int64{c}, Clusters: []Cluster{
		{Kind: "finding", Status: "agree", Articles: 3, Members: []ClusterMember{mem(a, 8, true), mem(b, 8, false), mem(c, 8, false)}},
	}}); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Clusters(ctx, 1)
	if len(after) != 2 || after[0].ID != kept || after[1].ID != touched || len(after[1].Members) != 3 {
		t.Fatalf("clusters after: %+v", after)
	}
	if ms, _ := s.Memos(ctx, "cluster", kept); len(ms) != 1 || ms[0].ID != memo.ID {
		t.Fatalf("memo on the untouched cluster: %+v", ms)
	}
	st, err := s.Alignment(ctx)
	if err != nil || st.Version != 7 || st.Clusters != 2 || st.Largest != 3 {
		t.Fatalf("state %+v, %v", st, err)
	}
}

// TestClusterIDsNoCollision: a re-alignment whose first cluster is new and
// a later one keeps an old ID stores both.
func TestClusterIDsNoCollision(t *testing.T) {
	s, a, b := twoArticles(t)
	ctx := context.Background()
	old := Cluster{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 0, true), mem(b, 0, false)}}
	fresh := Cluster{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 8, true), mem(b, 8, false)}}
	if err := s.ReplaceClusters(ctx, []Cluster{old}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceClusters(ctx, []Cluster{fresh, old}); err != nil {
		t.Fatal(err)
	}
	if cs, _ := s.Clusters(ctx, 1); len(cs) != 2 {
		t.Fatalf("clusters %+v", cs)
	}
}

// TestSaveAlignmentJoins adds a member to a cluster that stays: its counts
// follow, and a member that is not verbatim makes it diverge.
func TestSaveAlignmentJoins(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "One two three four five six seven eight nine."),
		art("ITV", "2023", "B", "One two three four five six seven eight nine ten."), art("YP", "2023", "C", "One two three four five six seven eight.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := res[0].ID, res[1].ID, res[2].ID
	if err := s.ReplaceClusters(ctx, []Cluster{{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{
		{ArticleID: a, Kind: "finding", Start: 0, End: 3, Reference: true}, {ArticleID: b, Kind: "finding", Start: 0, End: 3, Relations: []vocab.Relation{"verbatim"}}}}}); err != nil {
		t.Fatal(err)
	}
	cs, _ := s.Clusters(ctx, 1)
	id := cs[0].ID
	if err := s.SaveAlignment(ctx, Alignment{Version: 3, Aligned: []int64{c}, Join: []Joining{{Cluster: id,
		Member: ClusterMember{ArticleID: c, Kind: "finding", Start: 0, End: 3, Relations: []vocab.Relation{"reworded"}}}}}); err != nil {
		t.Fatal(err)
	}
	cs, _ = s.Clusters(ctx, 1)
	if len(cs) != 1 || cs[0].ID != id || len(cs[0].Members) != 3 || cs[0].Articles != 3 || cs[0].Status != "diverge" {
		t.Fatalf("after joining: %+v", cs)
	}
}

// TestFullAlignmentKeepsArticleIndex: a full alignment builds the index of
// members by article anew, and what uses it (the clusters holding a
// passage, deleting an article) works after.
func TestFullAlignmentKeepsArticleIndex(t *testing.T) {
	s, a, b := twoArticles(t)
	ctx := context.Background()
	for range 2 {
		if err := s.SaveAlignment(ctx, Alignment{Version: 3, Full: true, Clusters: []Cluster{
			{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 0, true), mem(b, 0, false)}},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'cluster_members_article'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("index cluster_members_article: %d, %v", n, err)
	}
	var plan string
	if err := s.r.QueryRow(`EXPLAIN QUERY PLAN SELECT cluster_id FROM cluster_members WHERE article_id = ?`, b).Scan(new(int), new(int), new(int), &plan); err != nil || !strings.Contains(plan, "cluster_members_article") {
		t.Fatalf("members of an article are found by %q (%v), not the index", plan, err)
	}
	if ids, err := s.ClustersHolding(ctx, b, 0, 3); err != nil || len(ids) != 1 {
		t.Fatalf("clusters holding B's passage: %v, %v", ids, err)
	}
}

// TestClustersWithoutMembersUnlisted: a cluster left without members (the
// store drops a deleted article's clusters, so only damage or another
// program leaves one) is not listed: there is nothing to show.
func TestClustersWithoutMembersUnlisted(t *testing.T) {
	s, a, b := twoArticles(t)
	ctx := context.Background()
	before := storeTwoClusters(t, s, a, b)
	if _, err := s.w.Exec(`DELETE FROM cluster_members WHERE cluster_id = ?`, before[0].ID); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Clusters(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].ID != before[1].ID || len(cs[0].Members) != 2 || cs[0].Members[0].Text != "thr" {
		t.Fatalf("clusters after emptying cluster %d: %+v", before[0].ID, cs)
	}
}

// twoArticles is a project with two articles that share their first nine
// words.
func twoArticles(t *testing.T) (*Store, int64, int64) {
	t.Helper()
	s := tempStore(t)
	res, err := s.AddArticles(context.Background(), []Article{art("BBC", "2023", "A", "One two three four five six seven eight nine."),
		art("ITV", "2023", "B", "One two three four five six seven eight nine ten.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, res[0].ID, res[1].ID
}

// storeTwoClusters stores two clusters of a and b's members at 0 and at 8
// and returns them as the store reads them.
func storeTwoClusters(t *testing.T, s *Store, a, b int64) []Cluster {
	t.Helper()
	ctx := context.Background()
	if err := s.ReplaceClusters(ctx, []Cluster{
		{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 0, true), mem(b, 0, false)}},
		{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 8, true), mem(b, 8, false)}},
	}); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Clusters(ctx, 1)
	if err != nil || len(cs) != 2 {
		t.Fatalf("stored %+v, %v", cs, err)
	}
	return cs
}

// mem is a three-character finding member at start.
func mem(article int64, start int, ref bool) ClusterMember {
	return ClusterMember{ArticleID: article, Kind: "finding", Start: start, End: start + 3, Reference: ref}
}

// TestMembersOverlapping: a member is listed when its range overlaps one
// of the passages of its article (ranges are half-open, so touching is
// not overlapping), once however many passages it overlaps, in cluster,
// article and start order.
func TestMembersOverlapping(t *testing.T) {
	s, a, b := twoArticles(t)
	ctx := context.Background()
	cs := storeTwoClusters(t, s, a, b)
	first, second := cs[0].ID, cs[1].ID
	for _, tc := range []struct {
		name     string
		passages []MemberRef
		want     []MemberRef
	}{
		{"none", nil, nil},
		{"touching ends", []MemberRef{{Article: a, Start: 3, End: 8}}, nil},
		{"one", []MemberRef{{Article: a, Start: 2, End: 4}}, []MemberRef{{Cluster: first, Article: a, Start: 0, End: 3}}},
		{"two passages over one member", []MemberRef{{Article: b, Start: 9, End: 10}, {Article: b, Start: 7, End: 9}},
			[]MemberRef{{Cluster: second, Article: b, Start: 8, End: 11}}},
		{"both articles", []MemberRef{{Article: b, Start: 0, End: 20}, {Article: a, Start: 10, End: 11}},
			[]MemberRef{{Cluster: first, Article: b, Start: 0, End: 3}, {Cluster: second, Article: a, Start: 8, End: 11}, {Cluster: second, Article: b, Start: 8, End: 11}}},
		{"article without members", []MemberRef{{Article: a + b + 100, Start: 0, End: 5}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.MembersOverlapping(ctx, tc.passages)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestSaveAlignmentStream: clusters streamed into a project without
// clusters are stored as the same clusters given at once would be; into a
// project with clusters they are gathered first, so IDs stay stable; and a
// stream whose producer fails (its context cancelled mid-way) commits
// nothing.
func TestSaveAlignmentStream(t *testing.T) {
	ctx := context.Background()
	seq := func(cs []Cluster) func(func(Cluster) bool) {
		return func(yield func(Cluster) bool) {
			for _, c := range cs {
				if !yield(c) {
					return
				}
			}
		}
	}
	// listed is what a project holds: each cluster's ID, counts and
	// members, and its list line.
	listed := func(s *Store) []string {
		t.Helper()
		cs, err := s.Clusters(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, encodeListing(c.ID, c))
		}
		return out
	}
	makeClusters := func(a, b int64) []Cluster {
		var cs []Cluster
		// More clusters than a batch holds, so that members are written
		// before their clusters' rows are.
		for i := range 150 {
			cs = append(cs, Cluster{Kind: "finding", Status: "agree", Articles: 2,
				Members: []ClusterMember{mem(a, i%12, true), mem(b, i%12+100*(i/12), false)}})
		}
		return cs
	}

	t.Run("fresh project", func(t *testing.T) {
		streamed, a, b := twoArticles(t)
		given, _, _ := twoArticles(t)
		if err := streamed.SaveAlignment(ctx, Alignment{Version: 3, Full: true, Stream: seq(makeClusters(a, b))}); err != nil {
			t.Fatal(err)
		}
		if err := given.SaveAlignment(ctx, Alignment{Version: 3, Full: true, Clusters: makeClusters(a, b)}); err != nil {
			t.Fatal(err)
		}
		got, want := listed(streamed), listed(given)
		if len(got) != 150 || !slices.Equal(got, want) {
			t.Fatalf("streamed %d clusters, given %d; first streamed %q, given %q", len(got), len(want), got[:1], want[:1])
		}
		var dangling int
		if err := streamed.w.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&dangling); err != nil || dangling > 0 {
			t.Fatalf("foreign_key_check: %d rows, %v", dangling, err)
		}
	})

	t.Run("project with clusters keeps IDs", func(t *testing.T) {
		s, a, b := twoArticles(t)
		old := Cluster{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 8, true), mem(b, 8, false)}}
		if err := s.ReplaceClusters(ctx, []Cluster{{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 0, true), mem(b, 0, false)}}, old}); err != nil {
			t.Fatal(err)
		}
		before, _ := s.Clusters(ctx, 1)
		fresh := Cluster{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 4, true), mem(b, 4, false)}}
		if err := s.SaveAlignment(ctx, Alignment{Full: true, Stream: seq([]Cluster{fresh, old})}); err != nil {
			t.Fatal(err)
		}
		after, _ := s.Clusters(ctx, 1)
		kept := false
		for _, c := range after {
			if c.Members[0].Start == 8 {
				kept = c.ID == before[1].ID
			}
		}
		if len(after) != 2 || !kept {
			t.Fatalf("before %+v; after %+v: the unchanged cluster should keep ID %d", before, after, before[1].ID)
		}
	})

	t.Run("producer fails mid-way", func(t *testing.T) {
		s, a, b := twoArticles(t)
		cctx, cancel := context.WithCancel(ctx)
		all := makeClusters(a, b)
		failing := func(yield func(Cluster) bool) {
			for i, c := range all {
				if i == 100 {
					cancel() // as an analysis's aligner failing does
					return
				}
				if !yield(c) {
					return
				}
			}
		}
		if err := s.SaveAlignment(cctx, Alignment{Version: 3, Full: true, Stream: failing}); err == nil {
			t.Fatal("saved a stream cut short")
		}
		if got := listed(s); len(got) != 0 {
			t.Fatalf("%d clusters committed from a failed stream", len(got))
		}
		if st, err := s.Alignment(ctx); err != nil || st.Version != 0 {
			t.Fatalf("alignment state %+v, %v: nothing should be recorded", st, err)
		}
	})
}

// TestFullAlignmentChecksReferences: a full alignment writes its members
// with SQLite's foreign keys off and checks them itself: a member naming
// an article that is gone fails the save and changes nothing, replaced
// clusters leave no members behind, and the writer's connection enforces
// foreign keys again afterwards.
func TestFullAlignmentChecksReferences(t *testing.T) {
	ctx := context.Background()
	s, a, b := twoArticles(t)
	orphans := func() int {
		t.Helper()
		var n int
		if err := s.w.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	first := []Cluster{{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 0, true), mem(b, 0, false)}}}
	if err := s.ReplaceClusters(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := []Cluster{{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 8, true), mem(b, 8, false)}}}
	if err := s.ReplaceClusters(ctx, second); err != nil {
		t.Fatal(err)
	}
	var members int
	if err := s.w.QueryRow("SELECT count(*) FROM cluster_members").Scan(&members); err != nil || members != 2 || orphans() != 0 {
		t.Fatalf("after replacing: %d members (want 2), %d foreign-key problems, %v", members, orphans(), err)
	}

	gone := a + b + 100
	for _, stream := range []bool{false, true} {
		bad := []Cluster{{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{mem(a, 4, true), mem(gone, 4, false)}}}
		al := Alignment{Version: 9, Full: true, Clusters: bad}
		if stream {
			al = Alignment{Version: 9, Full: true, Stream: func(yield func(Cluster) bool) { yield(bad[0]) }}
			// A stream is written as it comes only into a project without
			// clusters.
			if err := s.ReplaceClusters(ctx, nil); err != nil {
				t.Fatal(err)
			}
		}
		err := s.SaveAlignment(ctx, al)
		var de *Error
		if !errors.As(err, &de) || de.Code != ENotFound || !strings.Contains(err.Error(), fmt.Sprint(gone)) {
			t.Fatalf("stream %v: saving a member of article %d: %v, want a not-found error naming it", stream, gone, err)
		}
		if st, _ := s.Alignment(ctx); st.Version == 9 || orphans() != 0 {
			t.Fatalf("stream %v: a failed save changed the project: %+v, %d foreign-key problems", stream, st, orphans())
		}
	}
	// The connection checks foreign keys again: an incremental save of the
	// same member is refused by SQLite itself.
	if err := s.SaveAlignment(ctx, Alignment{Clusters: []Cluster{{Kind: "finding", Status: "agree", Articles: 2,
		Members: []ClusterMember{mem(a, 4, true), mem(gone, 4, false)}}}}); err == nil {
		t.Fatal("an incremental save of a member of a missing article was accepted")
	}
}

// TestReadPropagationClusters: the lean read of the clusters a trace
// makes gives every cluster and each member's article, outlet, range,
// spans and text as the full read does, for members of one range and of
// several, in text that is not ASCII; and by ID, those clusters only.
func TestReadPropagationClusters(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "“We failed,” she said. The trust — it says — takes over."),
		art("ITV", "2023", "B", "We failed, she said; the trust takes over.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := res[0].ID, res[1].ID
	if err := s.ReplaceClusters(ctx, []Cluster{
		{Kind: "quote", Status: "differ", Speaker: "she", Articles: 2, Members: []ClusterMember{
			{ArticleID: a, Kind: "quote", Start: 1, End: 10, Reference: true, Speaker: "she", Relations: []vocab.Relation{"verbatim"}},
			{ArticleID: b, Kind: "quote", Start: 0, End: 9, Speaker: "she", Relations: []vocab.Relation{"verbatim"}}}},
		{Kind: "finding", Status: "differ", Articles: 2, Members: []ClusterMember{
			{ArticleID: a, Kind: "finding", Start: 23, End: 56, Spans: [][2]int{{23, 32}, {45, 56}}, Reference: true},
			{ArticleID: b, Kind: "finding", Start: 24, End: 42, Relations: []vocab.Relation{"elided"}}}},
	}); err != nil {
		t.Fatal(err)
	}
	leanRead := func(only []int64) []Cluster {
		t.Helper()
		var out []Cluster
		if err := s.ReadPropagation(ctx, 2, only, false, func(PropagationRead) (bool, error) { return true, nil },
			func(c Cluster) error { out = append(out, c); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	full, err := s.Clusters(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	lean := leanRead(nil)
	if len(full) != 2 || len(lean) != len(full) {
		t.Fatalf("full read %d clusters, lean %d, want 2", len(full), len(lean))
	}
	for i, c := range full {
		l := lean[i]
		if l.ID != c.ID || l.Kind != c.Kind || l.Speaker != c.Speaker || len(l.Members) != len(c.Members) {
			t.Fatalf("cluster %d: lean %+v, full %+v", i, l, c)
		}
		for k, m := range c.Members {
			want := ClusterMember{ArticleID: m.ArticleID, Outlet: m.Outlet, CopyOf: m.CopyOf, Start: m.Start, End: m.End, Text: m.Text}
			if len(m.Spans) > 1 {
				want.Spans = m.Spans
			}
			if !reflect.DeepEqual(l.Members[k], want) {
				t.Errorf("cluster %d member %d: lean %+v, want %+v", i, k, l.Members[k], want)
			}
		}
	}
	if got := lean[1].Members[0].Text; got != "The trust takes over." {
		t.Errorf("the member of two spans reads %q", got)
	}
	// Read by ID: those clusters only, as the whole read gives them.
	for _, only := range [][]int64{{full[1].ID}, {full[0].ID, full[1].ID}, {}, {full[1].ID + 1000}} {
		got := leanRead(only)
		var want []Cluster
		for _, c := range lean {
			if slices.Contains(only, c.ID) {
				want = append(want, c)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("clusters %v: read %+v, want %+v", only, got, want)
		}
	}
}

// TestScanClustersChunks: clusters are read a chunk of 1,024 at a time and
// their members cut on every core, yet come in ID order with their own
// texts (characters, not bytes, in texts that are not ASCII), and of
// several damaged clusters the first is the one named, in both the full
// and the lean (propagation) reading.
func TestScanClustersChunks(t *testing.T) {
	ctx := context.Background()
	s := tempStore(t)
	texts := []string{
		"The council said the report was “deeply concerning” and acted.",
		"Plain ASCII text about the inspection, and nothing else at all.",
		"Ofsted’s inspectors — who visited in May — found “serious failings”.",
	}
	var arts []Article
	for i, text := range texts {
		arts = append(arts, art(fmt.Sprintf("Outlet %d", i), "2023-01-02", fmt.Sprintf("T%d", i), text))
	}
	res, err := s.AddArticles(ctx, arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 2500
	clusters := make([]Cluster, n)
	for i := range clusters {
		c := Cluster{Kind: "quote", Status: "differ", Articles: 3}
		for k, r := range res {
			start := (i + k) % 20
			c.Members = append(c.Members, ClusterMember{ArticleID: r.ID, Kind: "quote", Start: start, End: start + 10 + k, Reference: k == 0})
		}
		clusters[i] = c
	}
	// The first of the two clusters damaged below is slow to unpack (1,800
	// members before the damaged one), so that the second, which fails at
	// its first member, fails first in time on another core: the error
	// must still be the first cluster's.
	const slow = 1500
	for k, r := range res {
		for start := range 40 {
			for width := 1; width <= 15; width++ {
				if start != (slow+k)%20 || width != 10+k {
					clusters[slow].Members = append(clusters[slow].Members, ClusterMember{ArticleID: r.ID, Kind: "quote", Start: start, End: start + width})
				}
			}
		}
	}
	if err := s.ReplaceClusters(ctx, clusters); err != nil {
		t.Fatal(err)
	}
	runes := map[int64][]rune{}
	for i, text := range texts {
		runes[res[i].ID] = []rune(text)
	}
	check := func(t *testing.T, scan func(fn func(Cluster) error) error) {
		t.Helper()
		var ids []int64
		err := scan(func(c Cluster) error {
			ids = append(ids, c.ID)
			for k, m := range c.Members {
				if want := string(runes[m.ArticleID][m.Start:m.End]); m.Text != want {
					return fmt.Errorf("cluster %d member %d: %q, want %q", c.ID, k, m.Text, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != n || !slices.IsSorted(ids) {
			t.Fatalf("%d clusters, sorted %v", len(ids), slices.IsSorted(ids))
		}
	}
	full := func(fn func(Cluster) error) error { return s.ScanClusters(ctx, 2, fn) }
	lean := func(fn func(Cluster) error) error {
		return s.ReadPropagation(ctx, 2, nil, false, func(PropagationRead) (bool, error) { return true, nil }, fn)
	}
	check(t, full)
	check(t, lean)

	// Two damaged clusters in one chunk, the later one first in the
	// table: its spans unreadable, the other's member of an article that
	// is not there.
	var ids []int64
	if err := s.ScanClusters(ctx, 2, func(c Cluster) error { ids = append(ids, c.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	first, second := ids[slow], ids[slow+100]
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE cluster_members SET spans = '[[' WHERE cluster_id = ?`, []any{second}},
		{`PRAGMA foreign_keys = OFF`, nil},
		{`INSERT INTO cluster_members (cluster_id, article_id, kind, start, "end", speaker, relations, spans, statement, reference)
			VALUES (?, 99999, 'quote', 0, 5, '', '', '', 0, 0)`, []any{first}},
		{`PRAGMA foreign_keys = ON`, nil},
	} {
		if _, err := s.w.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	for name, scan := range map[string]func(fn func(Cluster) error) error{"full": full, "lean": lean} {
		err := scan(func(c Cluster) error {
			if c.ID >= first {
				return fmt.Errorf("cluster %d given", c.ID)
			}
			return nil
		})
		want := fmt.Sprintf("cluster %d: a passage of article 99999, which is not in the project", first)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
}
