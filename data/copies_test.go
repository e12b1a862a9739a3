package data

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/diffing/difftest"
)

func readCorpus(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(difftest.CorpusDir(t), "bradford", name))
	if err != nil {
		t.Fatal(err)
	}
	return NormalizeText(string(b))
}

// TestCopyRule: the same text is a duplicate only from the same outlet
// and source; under another outlet, URL or date it is a copy of the first.
func TestCopyRule(t *testing.T) {
	text := "The agency's story, word for word, as every outlet ran it that morning."
	a := func(outlet, date, url, source string) Article {
		return Article{Meta: Meta{Outlet: outlet, Date: MustParseDate(date), URL: url}, Text: text, Source: source}
	}
	for _, c := range []struct {
		name       string
		second     Article
		duplicate  bool
		wantCopyOf int64
	}{
		{"same file, same outlet", a("BBC News", "2023-01-31", "", "/c/a.txt"), true, 0},
		{"same file, another outlet", a("Yorkshire Post", "2023-01-31", "", "/c/a.txt"), false, 1},
		{"outlet in other case", a("bbc news", "2023-02-01", "", "/c/a.txt"), true, 0},
		{"another file, same outlet and date", a("BBC News", "2023-01-31", "", "/c/b.txt"), true, 0},
		{"another file, same outlet, another date", a("BBC News", "2023-02-01", "", "/c/b.txt"), false, 1},
		{"same day, one with a time", a("BBC News", "2023-01-31T09:15-05:00", "", "/c/b.txt"), true, 0},
		{"another day, with a time", a("BBC News", "2023-02-01T09:15-05:00", "", "/c/b.txt"), false, 1},
		{"same URL", a("BBC News", "2023-02-01", "https://bbc.co.uk/1", "/c/b.txt"), true, 0},
		{"another URL", a("BBC News", "2023-01-31", "https://bbc.co.uk/2", "/c/b.txt"), false, 1},
		{"no outlet", a("", "2023-01-31", "", "/c/b.txt"), false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := tempStore(t)
			ctx := context.Background()
			if _, err := s.AddArticles(ctx, []Article{a("BBC News", "2023-01-31", "https://bbc.co.uk/1", "/c/a.txt")}, nil); err != nil {
				t.Fatal(err)
			}
			res, err := s.AddArticles(ctx, []Article{c.second}, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := res[0]
			if r.Duplicate != c.duplicate || r.CopyOf != c.wantCopyOf {
				t.Fatalf("got %+v, want duplicate %v, copy of %d", r, c.duplicate, c.wantCopyOf)
			}
			if c.duplicate {
				return
			}
			got, err := s.Article(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.CopyOf != 1 || got.CopyShare != 1 || !got.Exact() || got.Outlet != c.second.Outlet {
				t.Fatalf("stored copy = %+v", got)
			}
			st, _ := s.Stats(ctx)
			if st.Articles != 2 || st.Copies != 1 {
				t.Fatalf("stats = %+v", st)
			}
			rows, _ := s.ListArticles(ctx, ListQuery{HideCopies: true})
			if len(rows) != 1 || rows[0].ID != 1 {
				t.Fatalf("copies hidden: %+v", rows)
			}
		})
	}
}

// TestCopyRuleUnstated: without a file or URL in common, identical text is
// the same article only when both state the same outlet and date. An
// outlet or date inferred from the text (the agency's sign-off, a
// dateline) is the same for every outlet that ran the wire copy, and an
// empty one agrees with anything: such a pair is a copy, not a duplicate.
func TestCopyRuleUnstated(t *testing.T) {
	text := "Waiting lists in England rose again in January, official figures showed on Thursday.\n\n" +
		"(Reporting by Anna Example; Editing by Ben Sample)"
	for _, c := range []struct {
		name          string
		first, second Article // sources relative to a folder holding files (below)
		files         []string
		link          [2]string // a link (name, target) made in the folder
		duplicate     bool
	}{
		{"wire copy in two folders, outlet inferred, no date",
			wireArt("Reuters", "", "guardian/waiting.txt", FieldOutlet), wireArt("Reuters", "", "independent/waiting.txt", FieldOutlet),
			[]string{"guardian/waiting.txt", "independent/waiting.txt"}, [2]string{}, false},
		{"outlet inferred on the first only",
			wireArt("Reuters", "2023-03-09", "guardian/waiting.txt", FieldOutlet), wireArt("Reuters", "2023-03-09", "reuters.txt"),
			[]string{"guardian/waiting.txt", "reuters.txt"}, [2]string{}, false},
		{"no outlet, no date",
			wireArt("", "", "guardian/waiting.txt"), wireArt("", "", "independent/waiting.txt"),
			[]string{"guardian/waiting.txt", "independent/waiting.txt"}, [2]string{}, false},
		{"stated outlet, no date", wireArt("Reuters", "", "a.txt"), wireArt("Reuters", "", "b.txt"), []string{"a.txt", "b.txt"}, [2]string{}, false},
		{"stated outlet, date from the dateline",
			wireArt("Reuters", "2023-03-09", "a.txt", FieldDate), wireArt("Reuters", "2023-03-09", "b.txt", FieldDate),
			[]string{"a.txt", "b.txt"}, [2]string{}, false},
		{"same file again, outlet inferred",
			wireArt("Reuters", "", "guardian/waiting.txt", FieldOutlet), wireArt("Reuters", "", "guardian/waiting.txt", FieldOutlet),
			[]string{"guardian/waiting.txt"}, [2]string{}, true},
		{"stated outlet and date, another file", wireArt("Reuters", "2023-03-09", "a.txt"), wireArt("Reuters", "2023-03-09", "b.txt"),
			[]string{"a.txt", "b.txt"}, [2]string{}, true},
		{"the folder moved: the file gone from where it was", wireArt("", "", "event/waiting.txt"), wireArt("", "", "event-moved/waiting.txt"),
			[]string{"event-moved/waiting.txt"}, [2]string{}, true},
		{"the folder moved, the file renamed too", wireArt("", "", "event/waiting.txt"), wireArt("", "", "event-moved/waiting-2.txt"),
			[]string{"event-moved/waiting-2.txt"}, [2]string{}, false},
		{"the same file through a link", wireArt("", "", "event/waiting.txt"), wireArt("", "", "shortcut/waiting.txt"),
			[]string{"event/waiting.txt"}, [2]string{"shortcut", "event"}, true},
		{"one export's article moved with it", wireArt("", "", "old/export.rtf#2"), wireArt("", "", "new/export.rtf#2"),
			[]string{"new/export.rtf"}, [2]string{}, true},
		{"another article of the export moved", wireArt("", "", "old/export.rtf#2"), wireArt("", "", "new/export.rtf#3"),
			[]string{"new/export.rtf"}, [2]string{}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range c.files {
				path := filepath.Join(dir, f)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.link[0] != "" {
				if err := os.Symlink(filepath.Join(dir, c.link[1]), filepath.Join(dir, c.link[0])); err != nil {
					t.Skip("no symbolic links here:", err)
				}
			}
			first, second := c.first, c.second
			first.Text, second.Text = text, text
			first.Source, second.Source = filepath.Join(dir, first.Source), filepath.Join(dir, second.Source)
			s := tempStore(t)
			ctx := context.Background()
			res, err := s.AddArticles(ctx, []Article{first, second}, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := res[1]
			if r.Duplicate != c.duplicate {
				t.Fatalf("got %+v, want duplicate %v", r, c.duplicate)
			}
			if !c.duplicate && (r.ID != 2 || r.CopyOf != 1 || r.CopyShare != 1) {
				t.Fatalf("got %+v, want article 2, a copy of article 1", r)
			}
		})
	}
}

// wireArt is an article of TestCopyRuleUnstated, its text left to the case.
func wireArt(outlet, date, source string, inferred ...string) Article {
	return Article{Meta: Meta{Outlet: outlet, Date: MustParseDate(date)}, Source: source, Inferred: inferred}
}

// TestNearCopyCorpus: a real article under a new headline and with one
// paragraph added is a near-copy of the original, with the share of its
// text in common; another outlet's report of the same event is not.
func TestNearCopyCorpus(t *testing.T) {
	itv, bbc := readCorpus(t, "000_f83be7c522f2576e.txt"), readCorpus(t, "001_1ce9880ef5f84ba3.txt")
	s := tempStore(t)
	ctx := context.Background()
	lines := strings.Split(bbc, "\n")
	lines[0] = "Ofsted again finds Bradford children's services inadequate"
	near := strings.Join(lines, "\n") + "\nThe council said it would publish its response to the inspection in the coming weeks, after the trust takes over.\n"
	res, err := s.AddArticles(ctx, []Article{
		{Meta: Meta{Outlet: "ITV News"}, Text: itv, Source: "/c/000.txt"},
		{Meta: Meta{Outlet: "BBC News"}, Text: bbc, Source: "/c/001.txt"},
		{Meta: Meta{Outlet: "Yorkshire Post"}, Text: near, Source: "/c/yp.txt"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[1].CopyOf != 0 {
		t.Fatalf("the BBC's own report counted as a copy of ITV's: %+v", res[1])
	}
	r := res[2]
	if r.CopyOf != res[1].ID || r.CopyShare < 0.85 || r.CopyShare >= 1 {
		t.Fatalf("near-copy = %+v, want a copy of %d sharing 85-100%%", r, res[1].ID)
	}
	got, _ := s.Article(ctx, r.ID)
	if got.Exact() {
		t.Fatal("a near-copy reported as exact")
	}
	groups, err := s.CopyGroups(ctx)
	if err != nil || len(groups) != 1 || groups[0].Original != res[1].ID || groups[0].Copies[0].ID != r.ID {
		t.Fatalf("copy groups = %+v, %v", groups, err)
	}
	// Deleting the original leaves the copy as an article of its own.
	if err := s.DeleteArticles(ctx, []int64{res[1].ID}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Article(ctx, r.ID)
	if got.CopyOf != 0 {
		t.Fatalf("copy still points at a deleted article: %+v", got)
	}
}

func TestSentencePrints(t *testing.T) {
	a, aWords := sentencePrints("Children’s services were rated \"inadequate\" again. It said: “widespread and serious failures across all areas.”\nShort one.")
	b, bWords := sentencePrints("children's services were rated 'inadequate' again! It said: \"widespread and serious failures across all areas\".")
	if len(a) != 2 || !slices.Equal(a, b) {
		t.Fatalf("prints differ or miscounted:\n%v\n%v", a, b)
	}
	if a[0].words != 6 {
		t.Fatalf("words = %d, want 6", a[0].words)
	}
	// Every word counts in the whole, the short sentence's too.
	if aWords != 17 || bWords != 15 {
		t.Fatalf("words of the texts = %d and %d, want 17 and 15", aWords, bWords)
	}
	if got, _ := sentencePrints("A figure of 1.5 million children in care this year."); len(got) != 1 {
		t.Fatalf("a decimal point split the sentence: %v", got)
	}
}

// TestCopyShareOfWholeText: an agency story run under another outlet's
// short lead sentence, too short to fingerprint, is a near-copy, not the
// same text (its share had been of the fingerprinted sentences alone: 1);
// and one that differs from the original only in its quotation marks'
// shape is a near-copy of 100%, not the same text either.
func TestCopyShareOfWholeText(t *testing.T) {
	const body = "The inspectors found serious failings in the way the trust handled complaints from patients. " +
		"Managers had not acted on repeated warnings from staff about the wards. " +
		"\"This is a damning verdict and the board must act,\" said the chair of the committee."
	s := tempStore(t)
	res, err := s.AddArticles(context.Background(), []Article{
		{Meta: Meta{Outlet: "Wire"}, Text: "Inspectors criticise trust. " + body, Source: "/c/wire.txt"},
		{Meta: Meta{Outlet: "Gazette"}, Text: "Hospital trust failing. " + body, Source: "/c/gazette.txt"},
		{Meta: Meta{Outlet: "Echo"}, Text: "Inspectors criticise trust. " + strings.ReplaceAll(body, "\"", "“"), Source: "/c/echo.txt"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res[1:] {
		if r.CopyOf != res[0].ID || r.CopyShare < NearCopyShare || r.CopyShare >= 1 {
			t.Errorf("article %d: copy of %d, share %v; want a near-copy of %d, under 1", r.ID, r.CopyOf, r.CopyShare, res[0].ID)
		}
	}
	// Every sentence long enough to fingerprint, the quotation marks'
	// shape changed: a near-copy of 100%, not the same text. And the text
	// extracted twice over: its repeated sentences count once.
	res, err = s.AddArticles(context.Background(), []Article{
		{Meta: Meta{Outlet: "Wire"}, Text: body, Source: "/c/wire2.txt"},
		{Meta: Meta{Outlet: "Post"}, Text: strings.ReplaceAll(body, "\"", "“"), Source: "/c/post.txt"},
		{Meta: Meta{Outlet: "Star"}, Text: body + "\n\n" + body + "\n\nMore.", Source: "/c/star.txt"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// (The first Wire article holds the same sentences, and is earlier.)
	if r := res[1]; r.CopyOf == 0 || r.CopyShare < 0.99 || r.CopyShare >= 1 {
		t.Errorf("the quotation marks changed: copy of %d, share %v; want a near-copy, just under 1", r.CopyOf, r.CopyShare)
	}
	if r := res[2]; r.CopyOf == 0 || r.CopyShare < 0.9 || r.CopyShare >= 1 {
		t.Errorf("the text twice: copy of %d, share %v; want a near-copy", r.CopyOf, r.CopyShare)
	}
}

// TestMigrateReshareCopies: an article a project marked the same text as
// another (share 1) though its hash differs, before the share was of all
// its words, is a near-copy once the project is opened (of the earlier
// article, not of itself, though its own sentences are more); one whose
// hash is another's stays the same text as it; one that is no copy at all
// loses the mark, and its whole-article cluster's articles, built from the
// old link, are marked for the next analysis to align again.
func TestMigrateReshareCopies(t *testing.T) {
	const body = "The inspectors found serious failings in the way the trust handled complaints from patients. " +
		"Managers had not acted on repeated warnings from staff about the wards. " +
		"The board will meet next week to decide what it must do about the findings."
	const more = " The chair of the committee said the findings made grim reading for every family who had complained."
	var short string
	for k := range 12 {
		short += fmt.Sprintf(" Ward %d was full.", k+1)
	}
	texts := map[int]string{
		1: "Inspectors criticise trust. " + body,
		2: "Hospital trust failing. " + body + more,
		3: "Hospital trust failing. " + body + more,
		4: body + short,
	}
	stmts := []string{`INSERT INTO articles(id, outlet, text, hash, imported, copy_of, copy_share) VALUES
		(1, 'Wire', '` + texts[1] + `', 'h1', 'x', NULL, 0), (2, 'Gazette', '` + texts[2] + `', 'h2', 'x', 1, 1),
		(3, 'Herald', '` + texts[3] + `', 'h2', 'x', 2, 1), (4, 'Echo', '` + texts[4] + `', 'h4', 'x', 1, 1)`,
		`INSERT INTO analysis(article_id, version, hash, quotes, units, aligned) VALUES (1, 1, 'h1', '', '[]', 1), (2, 1, 'h2', '', '[]', 1), (3, 1, 'h2', '', '[]', 1), (4, 1, 'h4', '', '[]', 1)`,
		`INSERT INTO clusters(id, kind, status, speaker, articles, reference, members) VALUES (7, 'article', 'agree', '', 2, 'x', 2), (8, 'article', 'agree', '', 2, 'x', 2)`,
		`INSERT INTO cluster_members(cluster_id, article_id, start, "end", spans, kind, speaker, reference, relations) VALUES
			(7, 1, 0, 10, '', 'article', '', 1, ''), (7, 4, 0, 10, '', 'article', '', 0, ''),
			(8, 1, 0, 10, '', 'article', '', 1, ''), (8, 2, 0, 10, '', 'article', '', 0, '')`,
	}
	for id, text := range texts {
		prints, _ := sentencePrints(text)
		for _, p := range prints {
			stmts = append(stmts, fmt.Sprintf("INSERT OR IGNORE INTO article_sentences(hash, article_id, words) VALUES (%d, %d, %d)", p.hash, id, p.words))
		}
	}
	s := mustOpen(t, projectAtSchema(t, 13, stmts...))
	ctx := context.Background()
	for _, c := range []struct {
		id, copyOf int64
		exact      bool
	}{{2, 1, false}, {3, 2, true}, {4, 0, false}} {
		a, err := s.Article(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		near := c.exact || c.copyOf == 0 || a.CopyShare >= NearCopyShare && a.CopyShare < 1
		if a.CopyOf != c.copyOf || a.Exact() != c.exact || !near {
			t.Errorf("article %d after the migration: copy of %d, share %v, exact %v; want a copy of %d, exact %v", c.id, a.CopyOf, a.CopyShare, a.Exact(), c.copyOf, c.exact)
		}
	}
	var kept, unaligned int
	if err := s.w.QueryRow(`SELECT (SELECT count(*) FROM clusters), (SELECT count(*) FROM analysis WHERE aligned = 0)`).Scan(&kept, &unaligned); err != nil {
		t.Fatal(err)
	}
	if kept != 2 || unaligned != 2 {
		t.Errorf("%d clusters left, %d analyses unaligned; want both clusters (notes may be on them) and the Echo's whole-article cluster's two articles unaligned", kept, unaligned)
	}
}

// TestSheetUpdatesExisting: an article already in the project from the
// same file takes a metadata sheet's fields instead of being refused, and
// loses their inferred flags.
func TestSheetUpdatesExisting(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	first := Article{Meta: Meta{Title: "Council cedes control"}, Text: "Some article text here.", Source: "/c/003.txt",
		Inferred: []string{FieldTitle}, Attributes: map[string]string{"notes": "old"}}
	if _, err := s.AddArticles(ctx, []Article{first}, nil); err != nil {
		t.Fatal(err)
	}
	again := first
	again.Sheet = &Meta{Outlet: "Community Care", Date: MustParseDate("2022-01-25")}
	again.Attributes = map[string]string{"notes": "from the sheet"}
	res, err := s.AddArticles(ctx, []Article{again}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].MetaUpdated || res[0].Duplicate || res[0].ID != 1 {
		t.Fatalf("result = %+v", res[0])
	}
	got, _ := s.Article(ctx, 1)
	if got.Outlet != "Community Care" || got.Date.String() != "2022-01-25" || got.Title != "Council cedes control" ||
		got.Attributes["notes"] != "from the sheet" || !got.IsInferred(FieldTitle) {
		t.Fatalf("after the sheet: %+v", got)
	}
	res, _ = s.AddArticles(ctx, []Article{again}, nil)
	if !res[0].Duplicate || res[0].MetaUpdated {
		t.Fatalf("the same sheet again: %+v", res[0])
	}
	again.Sheet = &Meta{Title: "Council cedes control of children's services"}
	s.AddArticles(ctx, []Article{again}, nil)
	got, _ = s.Article(ctx, 1)
	if got.IsInferred(FieldTitle) || got.Title != "Council cedes control of children's services" {
		t.Fatalf("a title from the sheet is still flagged: %+v", got)
	}
}

// TestEditArticles: one edit sets outlet, date and an attribute on several
// articles and clears those fields' inferred flags; RestoreMeta undoes it.
func TestEditArticles(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	arts := []Article{
		{Meta: Meta{Title: "One", Outlet: "bbc.co.uk"}, Text: "First text.", Inferred: []string{FieldOutlet, FieldTitle}},
		{Meta: Meta{Title: "Two"}, Text: "Second text.", Attributes: map[string]string{"event": "e1"}},
		{Meta: Meta{Title: "Three"}, Text: "Third text."},
	}
	if _, err := s.AddArticles(ctx, arts, nil); err != nil {
		t.Fatal(err)
	}
	outlet, date := "BBC News", MustParseDate("2023-01")
	before, err := s.EditArticles(ctx, []int64{1, 2}, MetaEdit{Outlet: &outlet, Date: &date, Attributes: map[string]string{"event": "ofsted", "x": ""}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 2} {
		a, _ := s.Article(ctx, id)
		if a.Outlet != outlet || a.Date != date || a.Attributes["event"] != "ofsted" || a.IsInferred(FieldOutlet) {
			t.Fatalf("article %d after the edit: %+v", id, a)
		}
	}
	if a, _ := s.Article(ctx, 1); !a.IsInferred(FieldTitle) {
		t.Fatal("an edit of the outlet cleared the title's flag")
	}
	if a, _ := s.Article(ctx, 3); a.Outlet != "" {
		t.Fatalf("article 3 was not selected but changed: %+v", a)
	}
	if err := s.RestoreMeta(ctx, before); err != nil {
		t.Fatal(err)
	}
	a1, _ := s.Article(ctx, 1)
	a2, _ := s.Article(ctx, 2)
	if a1.Outlet != "bbc.co.uk" || !a1.IsInferred(FieldOutlet) || a2.Outlet != "" || a2.Attributes["event"] != "e1" || !a2.Date.IsZero() {
		t.Fatalf("after undo: %+v / %+v", a1, a2)
	}
	if _, err := s.EditArticles(ctx, []int64{1, 99}, MetaEdit{Outlet: &outlet}); ErrorCode(err) != ENotFound {
		t.Fatalf("edit of a missing article: %v", err)
	}
	if a, _ := s.Article(ctx, 1); a.Outlet != "bbc.co.uk" {
		t.Fatal("a failed edit changed an article")
	}
	// The single-article edit clears only the flags of fields it changes.
	a1.Meta.Title = "One, corrected"
	if err := s.UpdateMeta(ctx, 1, a1.Meta); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Article(ctx, 1); a.IsInferred(FieldTitle) || !a.IsInferred(FieldOutlet) {
		t.Fatalf("flags after UpdateMeta: %v", a.Inferred)
	}
	rows, _ := s.ListArticles(ctx, ListQuery{NoOutlet: true})
	if len(rows) != 2 {
		t.Fatalf("articles without an outlet: %+v", rows)
	}
}

// TestMigrateCopiesCorpus opens a project of schema 5, with annotations and a
// near-copy pair, and checks that the rebuild of the articles table keeps
// every row that refers to an article, the search index, and finds the
// copy.
func TestMigrateCopiesCorpus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.parallax")
	register()
	db, err := sql.Open(driverName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	exec("PRAGMA application_id = 1347570776")
	exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)")
	for _, m := range ms {
		if m.version > 5 {
			break
		}
		exec(m.sql)
		exec("INSERT INTO schema_migrations VALUES (?, ?, '2024-01-01T00:00:00Z')", m.version, m.name)
	}
	bbc := readCorpus(t, "001_1ce9880ef5f84ba3.txt")
	near := strings.Replace(bbc, "Bradford children's services rated inadequate for second time", "Bradford rated inadequate again", 1)
	for i, text := range []string{bbc, near} {
		exec("INSERT INTO articles (outlet, title, text, words, hash, imported) VALUES ('BBC News', ?, ?, 10, ?, '2024-01-01T00:00:00Z')",
			[]string{"BBC", "Copy"}[i], text, ContentHash(text))
	}
	exec("INSERT INTO article_attributes VALUES (1, 'event', 'ofsted')")
	exec("INSERT INTO annotations (guid, article_id, start, \"end\", exact, created, modified) VALUES ('g', 1, 0, 8, 'Bradford', 'x', 'x')")
	db.Close()

	s := mustOpen(t, path)
	ctx := context.Background()
	anns, err := s.Annotations(ctx, AnnotationFilter{})
	if err != nil || len(anns) != 1 {
		t.Fatalf("annotations after the migration: %v, %v", anns, err)
	}
	a1, _ := s.Article(ctx, 1)
	a2, _ := s.Article(ctx, 2)
	if a1.Attributes["event"] != "ofsted" || a1.CopyOf != 0 || a2.CopyOf != 1 || a2.CopyShare < 0.9 {
		t.Fatalf("articles after the migration: %+v / copy of %d, share %.2f", a1.Attributes, a2.CopyOf, a2.CopyShare)
	}
	hits, err := s.Search(ctx, "Hinchcliffe", 10)
	if err != nil || len(hits) != 2 {
		t.Fatalf("search after the migration: %d hits, %v", len(hits), err)
	}
	// The same text may now be stored twice.
	if _, err := s.AddArticles(ctx, []Article{{Meta: Meta{Outlet: "Yorkshire Post"}, Text: bbc}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticles(ctx, []int64{1}); err != nil {
		t.Fatal(err)
	}
	if anns, _ := s.Annotations(ctx, AnnotationFilter{}); len(anns) != 0 {
		t.Fatal("foreign keys are off after the migration: an article's annotation outlived it")
	}
}
