package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustOpen(tb testing.TB, path string) *Store {
	tb.Helper()
	s, err := Open(path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func tempStore(tb testing.TB) *Store {
	tb.Helper()
	return mustOpen(tb, filepath.Join(tb.TempDir(), "project.parallax"))
}

func art(outlet, date, title, text string) Article {
	return Article{Meta: Meta{Outlet: outlet, Date: MustParseDate(date), Title: title}, Text: text, Source: title + ".txt"}
}

func TestOpenCreatesAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parallax")
	s := mustOpen(t, path)
	if _, err := s.AddArticles(context.Background(), []Article{art("BBC", "2021-09", "One", "Some text here.")}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpen(t, path)
	list, err := s2.ListArticles(context.Background(), ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Date.String() != "2021-09" || list[0].Date.Precision != PrecisionMonth {
		t.Fatalf("after reopen: %+v", list)
	}
	// Every migration is recorded once. (Counted from the files: their
	// numbers may have gaps while branches are merged.)
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var n, top int
	if err := s2.w.QueryRow("SELECT count(*), max(version) FROM schema_migrations").Scan(&n, &top); err != nil || n != len(ms) || top != SchemaVersion() {
		t.Fatalf("schema_migrations rows = %d, newest %d (%v), want %d up to %d", n, top, err, len(ms), SchemaVersion())
	}
}

func TestOpenOddFileNames(t *testing.T) {
	for _, name := range []string{"with space.parallax", "q?mark.db", "hash#pct%20.db", "ünï çødé.db"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			mustOpen(t, path).Close()
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("project not created at the exact path: %v", err)
			}
		})
	}
}

// TestOpenRefuses checks that files Parallax must not touch are refused with
// a clear message and left byte-for-byte unchanged.
func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite3", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t(x)"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	newer := filepath.Join(dir, "newer.parallax")
	s := mustOpen(t, newer)
	if _, err := s.w.Exec("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00Z')"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("just some notes, not a database\n"), 0o644)
	corrupt := filepath.Join(dir, "corrupt.parallax")
	os.WriteFile(corrupt, append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xff}, 4096)...), 0o644)

	cases := []struct {
		path, code, msg string
	}{
		{text, ENotProj, "not a SQLite database"},
		{other, ENotProj, "another program"},
		{newer, ENewer, "newer version of Parallax"},
		{corrupt, ENotProj, "damaged"},
		{dir, ENotProj, "is a folder"},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			before, _ := os.ReadFile(c.path)
			s, err := Open(c.path)
			if err == nil {
				s.Close()
				t.Fatal("opened; want refusal")
			}
			if ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), c.path) {
				t.Fatalf("err = %v (code %q); want code %q mentioning %q and the path", err, ErrorCode(err), c.code, c.msg)
			}
			after, _ := os.ReadFile(c.path)
			if !bytes.Equal(before, after) {
				t.Fatal("refused file was modified")
			}
			for _, suffix := range []string{"-wal", "-shm"} {
				if st, err := os.Stat(c.path + suffix); err == nil && st.Size() > 0 && c.code != ENewer {
					t.Fatalf("left %s behind", suffix)
				}
			}
		})
	}
}

func TestAddArticlesDuplicates(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	batch := []Article{
		art("BBC", "2023-01-31", "A", "Alpha text."),
		art("ITV", "2023", "B", "Beta text."),
		art("ITV", "2023", "B again", "Beta text."), // same text in the same batch
	}
	res, err := s.AddArticles(ctx, batch, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Duplicate || res[1].Duplicate || !res[2].Duplicate || res[2].ID != res[1].ID {
		t.Fatalf("results = %+v", res)
	}
	res, err = s.AddArticles(ctx, batch[:1], nil)
	if err != nil || !res[0].Duplicate || res[0].ID != 1 {
		t.Fatalf("re-import: %+v, %v", res, err)
	}
	st, _ := s.Stats(ctx)
	if st.Articles != 2 || st.Outlets != 2 {
		t.Fatalf("stats = %+v", st)
	}
}

// TestAddArticlesAtomic: a batch that fails part-way, or is cancelled,
// leaves the project as it was.
func TestAddArticlesAtomic(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	good := art("BBC", "2023", "Good", "Good text.")
	if _, err := s.AddArticles(ctx, []Article{good, art("BBC", "2023", "Empty", "  ")}, nil); err == nil {
		t.Fatal("want error for empty text")
	}
	cctx, cancel := context.WithCancel(ctx)
	var arts []Article
	for i := range 600 {
		arts = append(arts, art("X", "2020", fmt.Sprint(i), fmt.Sprintf("Text number %d.", i)))
	}
	_, err := s.AddArticles(cctx, arts, func(done, total int) {
		if done > 100 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if st, _ := s.Stats(ctx); st.Articles != 0 {
		t.Fatalf("%d articles stored after failed batches, want 0", st.Articles)
	}
	if hits, _ := s.Search(ctx, "text", 10); len(hits) != 0 {
		t.Fatalf("FTS index kept %d rows of rolled-back articles", len(hits))
	}
}

func TestArticleRoundTrip(t *testing.T) {
	s := tempStore(t)
	s.Now = func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
	ctx := context.Background()
	a := art("Community Care", "2022-01-25", "Council cedes control", "Bradford’s children’s services. “Quote” é")
	a.URL, a.Author = "https://example.org/x", "A. Writer"
	a.Attributes = map[string]string{"notes": "inferred", "section": "news"}
	res, err := s.AddArticles(ctx, []Article{a}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Article(ctx, res[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != a.Text || got.Meta != a.Meta || got.Attributes["notes"] != "inferred" || len(got.Attributes) != 2 ||
		got.Words != CountWords(a.Text) || !got.Imported.Equal(s.Now()) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, a)
	}
	if _, err := s.Article(ctx, 999); ErrorCode(err) != ENotFound {
		t.Fatalf("missing article: %v", err)
	}
}

func TestUpdateAndDelete(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	res, _ := s.AddArticles(ctx, []Article{art("BBC", "2023", "Old title", "Body about inspections."), art("ITV", "2022", "Other", "Unrelated body.")}, nil)
	id := res[0].ID
	if err := s.UpdateMeta(ctx, id, Meta{Outlet: "BBC News", Date: MustParseDate("2023-01-31"), Title: "Fresh headline"}); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.Search(ctx, "fresh", 10); len(hits) != 1 || hits[0].ID != id {
		t.Fatalf("FTS not updated with new title: %+v", hits)
	}
	if hits, _ := s.Search(ctx, "old", 10); len(hits) != 0 {
		t.Fatalf("FTS still finds old title: %+v", hits)
	}
	if err := s.UpdateMeta(ctx, 42, Meta{}); ErrorCode(err) != ENotFound {
		t.Fatalf("update missing: %v", err)
	}
	if err := s.DeleteArticles(ctx, []int64{id, 42}); ErrorCode(err) != ENotFound {
		t.Fatalf("delete with a missing id: %v", err)
	}
	if st, _ := s.Stats(ctx); st.Articles != 2 {
		t.Fatal("failed delete removed articles")
	}
	if err := s.DeleteArticles(ctx, []int64{id}); err != nil {
		t.Fatal(err)
	}
	var attrs int
	s.r.QueryRow("SELECT count(*) FROM article_attributes WHERE article_id = ?", id).Scan(&attrs)
	if hits, _ := s.Search(ctx, "inspections", 10); len(hits) != 0 || attrs != 0 {
		t.Fatalf("deleted article still searchable (%d) or has attributes (%d)", len(hits), attrs)
	}
}

func TestListSortAndFilter(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	s.AddArticles(ctx, []Article{
		art("ITV", "2023-01-31", "b title", "one two three"),
		art("BBC", "2021", "A title", "one"),
		art("BBC", "2022-06", "c title", "one two"),
	}, nil)
	cases := []struct {
		q    ListQuery
		want []string
	}{
		{ListQuery{Sort: SortDate}, []string{"A title", "c title", "b title"}},
		{ListQuery{Sort: SortDate, Desc: true}, []string{"b title", "c title", "A title"}},
		{ListQuery{Sort: SortTitle}, []string{"A title", "b title", "c title"}},
		{ListQuery{Sort: SortWords, Desc: true}, []string{"b title", "c title", "A title"}},
		{ListQuery{Sort: SortOutlet}, []string{"A title", "c title", "b title"}},
		{ListQuery{Outlet: "BBC", Sort: SortDate}, []string{"A title", "c title"}},
		{ListQuery{Sort: "'; DROP TABLE articles; --"}, []string{"b title", "A title", "c title"}},
	}
	for _, c := range cases {
		list, err := s.ListArticles(ctx, c.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range list {
			got = append(got, a.Title)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%+v: got %v, want %v", c.q, got, c.want)
		}
	}
	outlets, _ := s.Outlets(ctx)
	if strings.Join(outlets, ",") != "BBC,ITV" {
		t.Fatalf("outlets = %v", outlets)
	}
}

func TestSearchHostileInput(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	s.AddArticles(ctx, []Article{
		art("ITV", "2023", "Bradford children's services", "There are widespread and serious failures across all service areas."),
		art("BBC", "2023", "Rated inadequate", "Ofsted rated the council inadequate; failures were widespread."),
		art("T&A", "2021", "Monitoring visit", "Inspectors saw 1,365 children referred. \"Quoted\" text (in brackets)."),
	}, nil)
	cases := []struct {
		query string
		want  int
	}{
		{"widespread", 2},
		{"WIDESPREAD failures", 2},
		{`"serious failures"`, 1},
		{`"serious failures`, 1}, // unbalanced quote
		{"widespread -inadequate", 1},
		{"-widespread", 0}, // only exclusions: nothing to match
		{"insp*", 1},
		{"inadequate OR monitoring", 2},
		{"children's", 1}, // a phrase: "children s"
		{"(brackets", 1},
		{"brackets)", 1},
		{"NEAR(a b)", 0},
		{"title:widespread", 0},
		{"* - \" ( ) : ^ +", 0},
		{"'; DROP TABLE articles; --", 0},
		{"AND OR NOT", 1}, // plain words: "and" matches
		{"1,365", 1},
		{"", 0},
		{"\x00\x02", 0},
	}
	for _, c := range cases {
		hits, err := s.Search(ctx, c.query, 50)
		if err != nil {
			t.Errorf("Search(%q): %v", c.query, err)
			continue
		}
		if len(hits) != c.want {
			t.Errorf("Search(%q) = %d hits (query %s), want %d", c.query, len(hits), FTSQuery(c.query), c.want)
		}
	}
	if st, _ := s.Stats(ctx); st.Articles != 3 {
		t.Fatal("a search changed the project")
	}
}

func TestSearchSnippetMarks(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	s.AddArticles(ctx, []Article{art("ITV", "2023", "Report", "The report found “widespread” failures in Bradford’s services.")}, nil)
	hits, err := s.Search(ctx, "widespread", 5)
	if err != nil || len(hits) != 1 {
		t.Fatalf("%v %v", hits, err)
	}
	h := hits[0]
	if len(h.Marks) != 1 {
		t.Fatalf("marks = %v in %q", h.Marks, h.Snippet)
	}
	runes := []rune(h.Snippet)
	if got := string(runes[h.Marks[0][0]:h.Marks[0][1]]); got != "widespread" {
		t.Fatalf("mark covers %q", got)
	}
	if strings.ContainsAny(h.Snippet, "\x02\x03") {
		t.Fatal("markers left in snippet")
	}
}

func FuzzFTSQuery(f *testing.F) {
	for _, seed := range []string{"a b", `"x y`, "-a", "a*", "a OR b", "(", "NEAR(a b)", `""`, "x:y", "^a"} {
		f.Add(seed)
	}
	s := tempStore(f)
	s.AddArticles(context.Background(), []Article{art("X", "2020", "Title", "Some body text with words.")}, nil)
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := s.Search(context.Background(), q, 5); err != nil {
			t.Fatalf("Search(%q) via %s: %v", q, FTSQuery(q), err)
		}
	})
}

// TestListArticlesFromIndex: the library's orders are read from the
// articles_list index, not from the articles' rows with their text (which
// made listing 100,000 articles eight times slower).
func TestListArticlesFromIndex(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	if _, err := s.AddArticles(ctx, smallArticles(50), nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []ListQuery{
		{Sort: SortDate}, {Sort: SortDate, Desc: true}, {Sort: SortOutlet}, {Sort: SortTitle}, {Sort: SortWords},
		{Sort: SortDate, HideCopies: true}, {Sort: SortDate, NoOutlet: true},
	} {
		rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+listQuery(q), q.Outlet, q.NoOutlet, q.HideCopies)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if !strings.Contains(strings.Join(plan, "; "), "COVERING INDEX articles_list") {
			t.Errorf("%+v: plan %q reads the articles' rows", q, plan)
		}
	}
}

// TestUpdateMetaConfirmed: a field UpdateMeta leaves as it was keeps its
// inferred flag unless it is confirmed; a changed one loses it either way.
func TestUpdateMetaConfirmed(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	a := art("BBC", "2023-01-31", "Title", "Body about inspections.")
	a.Inferred = []string{FieldDate, FieldOutlet, FieldAuthor}
	res, err := s.AddArticles(ctx, []Article{a}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ID
	for _, c := range []struct {
		meta      Meta
		confirmed []string
		want      []string
	}{
		{a.Meta, nil, []string{FieldAuthor, FieldDate, FieldOutlet}},
		{a.Meta, []string{FieldDate}, []string{FieldAuthor, FieldOutlet}},
		{Meta{Outlet: "BBC News", Date: a.Date, Title: a.Title}, []string{FieldTitle}, []string{FieldAuthor}},
	} {
		if err := s.UpdateMeta(ctx, id, c.meta, c.confirmed...); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Article(ctx, id)
		if !slices.Equal(got.Inferred, c.want) {
			t.Errorf("confirmed %v: inferred %v, want %v", c.confirmed, got.Inferred, c.want)
		}
	}
}
