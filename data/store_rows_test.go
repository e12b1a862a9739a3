package data

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// rowsFixture stores three articles and three clusters: one spanning all
// three articles, with a member of two spans and versions that differ in
// case and quotation marks only; one spanning two; one found in a single
// article.
func rowsFixture(t *testing.T) (s *Store, ids [3]int64) {
	t.Helper()
	s = tempStore(t)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, []Article{
		art("BBC", "2023", "A", "She said “We Will Act” today. Later: leaders were slow."),
		art("ITV", "2023", "B", `She said "we will act" today, and then it stalled. Leaders were slow.`),
		art("YP", "2023", "C", "We will, she said, act. Leaders were slow, said the report."),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := res[0].ID, res[1].ID, res[2].ID
	rel := func(r ...vocab.Relation) []vocab.Relation { return r }
	clusters := []Cluster{
		{Kind: "quote", Status: "diverge", Speaker: "Ms Haque", Articles: 3, Members: []ClusterMember{
			// given out of the stored order: the store lists members by
			// article and range
			{ArticleID: c, Kind: "quote", Start: 0, End: 23, Spans: [][2]int{{0, 7}, {19, 23}}, Text: "We will act.", Relations: rel("elided")},
			{ArticleID: a, Kind: "quote", Start: 10, End: 21, Text: "We Will Act", Reference: true},
			{ArticleID: b, Kind: "quote", Start: 10, End: 21, Text: "we will act", Relations: rel("normalized")},
		}},
		{Kind: "finding", Status: "agree", Articles: 2, Members: []ClusterMember{
			{ArticleID: a, Kind: "finding", Start: 37, End: 55, Text: "leaders were slow.", Reference: true},
			{ArticleID: b, Kind: "finding", Start: 51, End: 69, Text: "Leaders were slow.", Relations: rel("normalized")},
		}},
		{Kind: "quote", Status: "agree", Speaker: "Ms Haque", Articles: 1, Members: []ClusterMember{
			{ArticleID: c, Kind: "quote", Start: 0, End: 7, Text: "We will", Reference: true},
			{ArticleID: c, Kind: "quote", Start: 19, End: 23, Text: "act.", Relations: rel("verbatim")},
		}},
	}
	if err := s.ReplaceClusters(ctx, clusters); err != nil {
		t.Fatal(err)
	}
	stored, err := s.Clusters(ctx, 1)
	if err != nil || len(stored) != 3 {
		t.Fatalf("stored %d clusters, %v", len(stored), err)
	}
	for i, cl := range stored {
		ids[i] = cl.ID
	}
	return s, ids
}

// sameSearchText checks the search text the store reads for each cluster
// of full against the text its members make, and returns what it read.
func sameSearchText(t *testing.T, s *Store, full []Cluster) map[int64]string {
	t.Helper()
	search := map[int64]string{}
	if err := s.EachClusterSearchText(context.Background(), 1, func(id int64, f string) error { search[id] = f; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, c := range full {
		if want := c.SearchText(); search[c.ID] != want {
			t.Errorf("cluster %d's search text %q, want %q", c.ID, search[c.ID], want)
		}
	}
	return search
}

// sameList compares a list the store read with the list NewClusterList
// makes of the clusters with their members.
func sameList(t *testing.T, got ClusterList, full []Cluster) {
	t.Helper()
	want := NewClusterList(full)
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("%d rows, %d clusters", len(got.Rows), len(want.Rows))
	}
	if !slices.Equal(got.Outlets, want.Outlets) || !reflect.DeepEqual(got.Relations, want.Relations) {
		t.Errorf("outlets %q, relations %q; want %q, %q", got.Outlets, got.Relations, want.Outlets, want.Relations)
	}
	for i := range want.Rows {
		if !reflect.DeepEqual(got.Rows[i], want.Rows[i]) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, got.Rows[i], want.Rows[i])
		}
	}
}

// TestClusterRows: a cluster's row is its members' articles, outlets and
// relations without their text, as NewClusterList makes it from the
// cluster with its members.
func TestClusterRows(t *testing.T) {
	s, ids := rowsFixture(t)
	ctx := context.Background()
	for _, minArticles := range []int{1, 2, 3, 4} {
		full, err := s.Clusters(ctx, minArticles)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.ClusterRows(ctx, minArticles)
		if err != nil {
			t.Fatal(err)
		}
		sameList(t, list, full)
	}
	list, _ := s.ClusterRows(ctx, 1)
	first := list.Rows[0]
	if first.ID != ids[0] || first.Speaker != "Ms Haque" || first.Kind != "quote" || first.Status != "diverge" || first.Articles != 3 {
		t.Errorf("first row %+v", first)
	}
	var outlets []string
	for _, v := range first.Versions {
		outlets = append(outlets, list.OutletOf(v))
	}
	if !slices.Equal(outlets, []string{"BBC", "ITV", "YP"}) || !first.Versions[0].Reference || first.Versions[1].Reference ||
		!slices.Equal(list.RelationsOf(first.Versions[2]), []vocab.Relation{"elided"}) || list.RelationsOf(first.Versions[0]) != nil {
		t.Errorf("first row's versions %+v", first.Versions)
	}
	// Each outlet and combination of relations once, none that no version
	// has.
	if _, err := s.AddArticles(ctx, []Article{art("Unquoted", "2023", "D", "Nothing quoted here.")}, nil); err != nil {
		t.Fatal(err)
	}
	list, _ = s.ClusterRows(ctx, 1)
	if !slices.Equal(list.Outlets, []string{"BBC", "ITV", "YP"}) ||
		!reflect.DeepEqual(list.Relations, [][]vocab.Relation{nil, {"elided"}, {"normalized"}, {"verbatim"}}) {
		t.Errorf("outlets %q, relations %q", list.Outlets, list.Relations)
	}

	// An outlet corrected after the analysis shows in the rows at once.
	if err := s.UpdateMeta(ctx, first.Versions[1].ArticleID, Meta{Outlet: "ITV News", Title: "B"}); err != nil {
		t.Fatal(err)
	}
	list, _ = s.ClusterRows(ctx, 1)
	if got := list.OutletOf(list.Rows[0].Versions[1]); got != "ITV News" {
		t.Errorf("outlet after the edit: %q", got)
	}
}

// TestClusterRowsOddValues: a speaker may hold any character, the lines
// ClusterRows reads included, and rows come in chunks of thousands.
func TestClusterRowsOddValues(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "Some words here."), art("", "2023", "B", "Some words there.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cs []Cluster
	for i := range 5000 {
		speaker := []string{"", "Ms\tHaque", "Line\nBreak\n", "Zoë “Z” Ünal", "9\t1\t2"}[i%5]
		cs = append(cs, Cluster{Kind: "quote", Status: "agree", Speaker: speaker, Articles: 2, Members: []ClusterMember{
			{ArticleID: res[0].ID, Kind: "quote", Start: 0, End: 4 + i%5, Text: "Some words here."[:4+i%5], Reference: true},
			{ArticleID: res[1].ID, Kind: "quote", Start: 0, End: 4 + i%5, Text: "Some words there."[:4+i%5], Relations: []vocab.Relation{"verbatim", "misattributed"}},
		}})
	}
	cs[4000].Kind, cs[4001].Status = "aside", "unsure" // values a newer analyser might write
	if err := s.ReplaceClusters(ctx, cs); err != nil {
		t.Fatal(err)
	}
	list, err := s.ClusterRows(ctx, 2)
	if err != nil || len(list.Rows) != len(cs) {
		t.Fatalf("%d rows, %v", len(list.Rows), err)
	}
	full, _ := s.Clusters(ctx, 2)
	sameList(t, list, full)
	rows := list.Rows
	if rows[1].Speaker != "Ms\tHaque" || rows[2].Speaker != "Line\nBreak\n" || rows[4000].Kind != "aside" || rows[4001].Status != "unsure" ||
		list.OutletOf(rows[0].Versions[1]) != "(no outlet) #2" {
		t.Errorf("rows %+v", rows[:5])
	}
	// The search text comes in chunks too, each cluster's whole.
	i := 0
	err = s.EachClusterSearchText(ctx, 2, func(id int64, folded string) error {
		if want := full[i].SearchText(); id != full[i].ID || folded != want {
			t.Fatalf("search text %d: cluster %d %q, want %d %q", i, id, folded, full[i].ID, want)
		}
		i++
		return nil
	})
	if err != nil || i != len(full) {
		t.Errorf("search text of %d clusters of %d, %v", i, len(full), err)
	}
}

func TestClusterReferencesAndSearchText(t *testing.T) {
	s, ids := rowsFixture(t)
	ctx := context.Background()
	texts, err := s.ClusterReferences(ctx, []int64{ids[1], 999, ids[0]})
	if err != nil || !slices.Equal(texts, []string{"leaders were slow.", "", "We Will Act"}) {
		t.Errorf("references %q, %v", texts, err)
	}
	if texts, err := s.ClusterReferences(ctx, nil); err != nil || len(texts) != 0 {
		t.Errorf("no references asked for: %q, %v", texts, err)
	}

	// Each distinct version's text, folded, the reference's first: the
	// two versions of "we will act" that differ in case only are one.
	want := map[int64]string{ids[0]: "we will act\nwe will act.", ids[1]: "leaders were slow.", ids[2]: "we will\nact."}
	full, _ := s.Clusters(ctx, 1)
	for _, c := range full {
		if got := c.SearchText(); got != want[c.ID] {
			t.Errorf("cluster %d: SearchText %q, want %q", c.ID, got, want[c.ID])
		}
	}
	got := map[int64]string{}
	var order []int64
	err = s.EachClusterSearchText(ctx, 2, func(id int64, folded string) error {
		got[id] = folded
		order = append(order, id)
		return nil
	})
	if err != nil || !slices.Equal(order, ids[:2]) {
		t.Fatalf("search text of clusters %v, %v; want %v", order, err, ids[:2])
	}
	for _, id := range order {
		if got[id] != want[id] {
			t.Errorf("cluster %d: stored search text %q, want %q", id, got[id], want[id])
		}
	}
	stop := fmt.Errorf("enough")
	if err := s.EachClusterSearchText(ctx, 1, func(int64, string) error { return stop }); err == nil {
		t.Error("an error from fn did not end the read")
	}
}

func TestClusterAndClustersHolding(t *testing.T) {
	s, ids := rowsFixture(t)
	ctx := context.Background()
	full, _ := s.Clusters(ctx, 1)
	for _, want := range full {
		got, err := s.Cluster(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Cluster(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	if _, err := s.Cluster(ctx, 999); ErrorCode(err) != ENotFound {
		t.Errorf("missing cluster: %v", err)
	}

	m := full[1].Members[1]
	if got, err := s.ClustersHolding(ctx, m.ArticleID, m.Start, m.End); err != nil || !slices.Equal(got, ids[1:2]) {
		t.Errorf("clusters holding %+v: %v, %v; want %d", m, got, err, ids[1])
	}
	if got, err := s.ClustersHolding(ctx, m.ArticleID, m.Start, m.End+1); err != nil || len(got) != 0 {
		t.Errorf("a range no member has: %v, %v", got, err)
	}
}

// projectAtSchema writes a project as a Parallax of that schema version
// left it, with the rows stmts insert, and returns its path.
func projectAtSchema(t *testing.T, version int, stmts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.parallax", version))
	register()
	dsn, err := dsnFor(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	schema := []string{fmt.Sprintf("PRAGMA application_id = %d", applicationID), "PRAGMA journal_mode = WAL",
		"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)"}
	for _, m := range ms {
		if m.version > version {
			break
		}
		schema = append(schema, m.sql, fmt.Sprintf("INSERT INTO schema_migrations VALUES (%d, '%s', '2025-01-01T00:00:00Z')", m.version, m.name))
	}
	for _, st := range append(schema, stmts...) {
		if _, err := db.Exec(st); err != nil {
			t.Fatalf("%.60s: %v", st, err)
		}
	}
	return path
}

// TestMigrateClusterRows opens a project whose clusters were stored before
// they carried their rows' versions and search text: the migration fills
// both from the members and their articles, as ReplaceClusters does.
func TestMigrateClusterRows(t *testing.T) {
	path := projectAtSchema(t, 5,
		`INSERT INTO articles(id, outlet, text, hash, imported) VALUES
			(1, 'BBC', 'Say “We Will  Act now.” today.', 'h1', 'x'), (2, 'ITV', 'We will act on this, now.', 'h2', 'x'),
			(3, 'YP', 'Say "we will act now." today.', 'h3', 'x')`,
		`INSERT INTO clusters(id, kind, status, speaker, articles, reference, members) VALUES
			(7, 'quote', 'diverge', 'Ms Haque', 3, 'We Will  Act now.', 3), (8, 'finding', 'agree', '', 1, 'Say', 1)`,
		`INSERT INTO cluster_members(cluster_id, article_id, start, "end", spans, kind, speaker, reference, relations) VALUES
			(7, 2, 0, 19, '[[0,11],[12,19]]', 'quote', 'Ms Haque', 0, 'elided+normalized'),
			(7, 1, 5, 22, '', 'quote', 'Ms Haque', 1, ''),
			(7, 3, 5, 21, '', 'quote', 'Ms Haque', 0, 'normalized'),
			(8, 1, 0, 3, '', 'finding', '', 1, '')`)

	s := mustOpen(t, path)
	ctx := context.Background()
	full, err := s.Clusters(ctx, 1)
	if err != nil || len(full) != 2 {
		t.Fatalf("clusters %+v, %v", full, err)
	}
	list, err := s.ClusterRows(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	sameList(t, list, full)
	search := sameSearchText(t, s, full)
	// the reference first, then the elided version's two spans joined; the
	// copy that differs in case and quotation marks only is folded into
	// the reference
	if got := search[7]; got != "we will act now.\nwe will act on this" {
		t.Errorf("cluster 7's search text %q", got)
	}
}

// TestOutletIndex: outlets are found by article ID whether the IDs are
// dense, sparse or negative, and however many outlets there are.
func TestOutletIndex(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	if _, err := s.w.Exec(`INSERT INTO articles(id, outlet, text, hash, imported) VALUES
		(1, 'BBC', 'a', 'h1', 'x'), (2, '', 'b', 'h2', 'x'), (3, 'ITV', 'c', 'h3', 'x'), (-4, 'Neg', 'd', 'h4', 'x')`); err != nil {
		t.Fatal(err)
	}
	check := func(want map[int64]string) {
		t.Helper()
		var o outletIndex
		err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
			o, err = articleOutlets(ctx, tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for id, name := range want {
			if got := o.names[o.of(id)]; got != name {
				t.Errorf("outlet of article %d: %q, want %q", id, got, name)
			}
		}
	}
	// An article without an outlet is a source of its own; no such
	// article, no outlet.
	check(map[int64]string{1: "BBC", 2: "(no outlet) #2", 3: "ITV", -4: "Neg", 5: ""})
	if _, err := s.w.Exec(`INSERT INTO articles(id, outlet, text, hash, imported) VALUES (1000000, 'Far', 'e', 'h5', 'x')`); err != nil {
		t.Fatal(err)
	}
	check(map[int64]string{1: "BBC", 3: "ITV", -4: "Neg", 1000000: "Far"})

	// more outlets than the table numbers
	defer func(n int) { tableOutlets = n }(tableOutlets)
	tableOutlets = 3
	tx, _ := s.w.Begin()
	for i := range 10 {
		if _, err := tx.Exec(`INSERT INTO articles(id, outlet, text, hash, imported) VALUES (?, ?, 't', ?, 'x')`,
			10+i, fmt.Sprintf("Outlet %d", i), fmt.Sprint("hash", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec("DELETE FROM articles WHERE id = 1000000"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	check(map[int64]string{1: "BBC", 2: "(no outlet) #2", 3: "ITV", 10: "Outlet 0", 19: "Outlet 9", -4: "Neg"})
}

// TestClusterRowsAfterJoin: members an incremental analysis adds to a
// cluster that stays show in its row and its search text at once.
func TestClusterRowsAfterJoin(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, []Article{art("BBC", "2023", "A", "Some words here."), art("ITV", "2023", "B", "Some words here."),
		art("Sky", "2023", "C", "Some other words.")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := Cluster{Kind: "quote", Status: "agree", Articles: 2, Members: []ClusterMember{
		{ArticleID: res[0].ID, Kind: "quote", Start: 0, End: 16, Text: "Some words here.", Reference: true},
		{ArticleID: res[1].ID, Kind: "quote", Start: 0, End: 16, Text: "Some words here.", Relations: []vocab.Relation{vocab.RelVerbatim}},
	}}
	if err := s.ReplaceClusters(ctx, []Cluster{c}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Clusters(ctx, 2)
	join := Joining{Cluster: before[0].ID, Member: ClusterMember{ArticleID: res[2].ID, Kind: "quote", Start: 0, End: 17,
		Relations: []vocab.Relation{vocab.RelReworded}}}
	if err := s.SaveAlignment(ctx, Alignment{Join: []Joining{join}, Aligned: []int64{res[2].ID}}); err != nil {
		t.Fatal(err)
	}
	list, err := s.ClusterRows(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := s.Clusters(ctx, 2)
	sameList(t, list, full)
	if len(list.Rows) != 1 || len(list.Rows[0].Versions) != 3 || list.Rows[0].Articles != 3 || list.Rows[0].Status != vocab.StatusDiverge {
		t.Fatalf("row after the join: %+v", list.Rows)
	}
	var search string
	if err := s.EachClusterSearchText(ctx, 2, func(_ int64, folded string) error { search = folded; return nil }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(search, "other words") {
		t.Fatalf("search text after the join: %q", search)
	}
}
