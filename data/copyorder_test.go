package data

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// wireSentences are made-up sentences of ten words each, for texts that
// share some of them: s(1, 5) is the first five.
func wireSentences(from, to int, tag string) string {
	var b strings.Builder
	for k := from; k <= to; k++ {
		fmt.Fprintf(&b, "The %s agency story carries sentence number %d about the border crossing. ", tag, k)
	}
	return strings.TrimSpace(b.String())
}

// checkLinks checks that article i+1 of s repeats want[i] (0 for none),
// each with the share of its words found in what it repeats.
func checkLinks(t *testing.T, s *Store, want []int64) {
	t.Helper()
	m := map[int64]int64{}
	for i, w := range want {
		m[int64(i+1)] = w
	}
	checkLinksOf(t, s, m)
}

// checkLinksOf checks that each article of want repeats the article it
// maps to (0 for none), with the share of its words found there.
func checkLinksOf(t *testing.T, s *Store, want map[int64]int64) {
	t.Helper()
	ctx := context.Background()
	for _, id := range slices.Sorted(maps.Keys(want)) {
		w := want[id]
		a, err := s.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.CopyOf != w {
			t.Errorf("article %d: copy of %d, want %d", a.ID, a.CopyOf, w)
			continue
		}
		if w == 0 {
			continue
		}
		o, err := s.Article(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		prints, words := sentencePrints(a.Text)
		op, _ := sentencePrints(o.Text)
		share, _ := shareIn(ContentHash(a.Text), prints, words, ContentHash(o.Text), printSet(op))
		if a.CopyShare != share {
			t.Errorf("article %d: share %v of article %d, want %v (its words found there)", a.ID, a.CopyShare, w, share)
		}
	}
}

// TestCopyOrderByDate: of two articles sharing a text, the one the dates
// say was published first is the original, whatever the import order;
// where the dates do not tell, the first imported is.
func TestCopyOrderByDate(t *testing.T) {
	body := wireSentences(1, 6, "wire")
	story := "Caravan reaches the border.\n\n" + body
	other := "Migrants gather at the fence.\n\n" + body
	update := other + "\n\n" + wireSentences(7, 7, "later")
	full := wireSentences(1, 10, "wire")
	art := func(outlet, date, text string, inferred ...string) Article {
		return Article{Meta: Meta{Outlet: outlet, Date: MustParseDate(date)}, Text: text,
			Source: "/c/" + strings.ToLower(strings.ReplaceAll(outlet, " ", "")) + date + ".txt", Inferred: inferred}
	}
	for _, c := range []struct {
		name    string
		arts    []Article
		oneTx   bool    // imported in one batch rather than one each
		want    []int64 // what article i+1 repeats at the end
		origins [][]int64
	}{
		{name: "published two hours earlier, imported later",
			arts: []Article{art("Washington Times", "2018-04-29T11:00Z", other), art("Yahoo News", "2018-04-29T09:00Z", story)},
			want: []int64{2, 0}, origins: [][]int64{nil, {1}}},
		{name: "the same, in one batch", oneTx: true,
			arts: []Article{art("Washington Times", "2018-04-29T11:00Z", other), art("Yahoo News", "2018-04-29T09:00Z", story)},
			want: []int64{2, 0}, origins: [][]int64{nil, {1}}},
		{name: "a time the day before",
			arts: []Article{art("HuffPost", "2018-04-29", other), art("Yahoo News", "2018-04-28T23:00Z", story)},
			want: []int64{2, 0}, origins: [][]int64{nil, {1}}},
		{name: "the same text, published first",
			arts: []Article{art("Washington Times", "2018-04-29T11:00Z", story), art("Yahoo News", "2018-04-29T09:00Z", story)},
			want: []int64{2, 0}, origins: [][]int64{nil, {1}}},
		{name: "a time without a zone far from one with",
			arts: []Article{art("Washington Times", "2018-04-30T11:00Z", other), art("Yahoo News", "2018-04-29T09:00", story)},
			want: []int64{2, 0}, origins: [][]int64{nil, {1}}},
		{name: "import order: the same day, one without a time",
			arts: []Article{art("HuffPost", "2018-04-29", other), art("Yahoo News", "2018-04-29T09:00Z", story)},
			want: []int64{0, 1}},
		{name: "import order: the same day twice",
			arts: []Article{art("HuffPost", "2018-04-29", other), art("Yahoo News", "2018-04-29", story)},
			want: []int64{0, 1}},
		{name: "import order: no date",
			arts: []Article{art("HuffPost", "", other), art("Yahoo News", "2018-04-29T09:00Z", story)},
			want: []int64{0, 1}},
		{name: "import order: a date inferred from the text",
			arts: []Article{art("Washington Times", "2018-04-29T11:00Z", other), art("Yahoo News", "2018-04-29T09:00Z", story, FieldDate)},
			want: []int64{0, 1}},
		{name: "import order: a time without a zone within a zone's reach of one with",
			arts: []Article{art("Washington Times", "2018-04-29T11:00Z", other), art("Yahoo News", "2018-04-29T09:00", story)},
			want: []int64{0, 1}},
		{name: "the family follows its new original",
			arts: []Article{art("Washington Times", "2018-04-29T11:00Z", other), art("Yahoo News", "2018-04-29T17:00Z", update),
				art("Fox News", "2018-04-29T12:00Z", other), art("Yahoo News", "2018-04-29T09:00Z", story)},
			want: []int64{4, 4, 4, 0}, origins: [][]int64{nil, nil, nil, {1, 2, 3}}},
		{name: "a copy the new original holds too little of stays the old one's",
			arts: []Article{art("Reuters", "2018-04-29T11:00Z", full), art("Yahoo News", "2018-04-29T12:00Z", wireSentences(5, 10, "wire")),
				art("AP", "2018-04-29T09:00Z", wireSentences(1, 7, "wire")+" "+wireSentences(8, 8, "flash"))},
			want: []int64{3, 1, 0}, origins: [][]int64{nil, nil, {1}}},
		{name: "an old original the new article holds too little of: no link",
			arts: []Article{art("Reuters", "2018-04-29T11:00Z", full), art("AP", "2018-04-29T09:00Z", wireSentences(1, 5, "wire"))},
			want: []int64{0, 0}},
		{name: "between the original and the copy it matched",
			arts: []Article{art("Reuters", "2018-04-29T09:00Z", full),
				art("Yahoo News", "2018-04-29T15:00Z", wireSentences(1, 8, "wire")+" "+wireSentences(9, 10, "yahoo")),
				art("AP", "2018-04-29T12:00Z", wireSentences(1, 8, "wire")+" "+wireSentences(9, 9, "yahoo"))},
			want: []int64{0, 1, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := tempStore(t)
			ctx := context.Background()
			var res []AddResult
			if c.oneTx {
				r, err := s.AddArticles(ctx, c.arts, nil)
				if err != nil {
					t.Fatal(err)
				}
				res = r
			} else {
				for _, a := range c.arts {
					r, err := s.AddArticles(ctx, []Article{a}, nil)
					if err != nil {
						t.Fatal(err)
					}
					res = append(res, r...)
				}
			}
			checkLinks(t, s, c.want)
			for i, r := range res {
				// An earlier batch's result says what its import did; this
				// batch's, what the batch left.
				if (c.oneTx || i == len(res)-1) && r.CopyOf != c.want[i] {
					t.Errorf("article %d reported a copy of %d, want %d", r.ID, r.CopyOf, c.want[i])
				}
				var want []int64
				if c.origins != nil {
					want = c.origins[i]
				}
				if !slices.Equal(r.OriginalOf, want) {
					t.Errorf("article %d reported the original of %v, want %v", r.ID, r.OriginalOf, want)
				}
			}
		})
	}
}

// TestCopyOrderNewVersion: a new version of an article keeps to its
// family as the dates order it, whichever of its members was imported
// first: it stays the original of the articles the dates made its copies,
// with its date or without one, rather than becoming one of their copies
// (a loop of links); it stays the copy of an original imported after it,
// or of its own original when its new text matches one of its own copies
// better; it finds an article imported after it that it now repeats; and
// a batch's report says what the new version left.
func TestCopyOrderNewVersion(t *testing.T) {
	body := wireSentences(1, 6, "wire")
	art := func(outlet, date, text string) Article {
		return Article{Meta: Meta{Outlet: outlet, Date: MustParseDate(date)}, Text: text,
			Source: "/c/" + strings.ToLower(strings.ReplaceAll(outlet, " ", "")) + ".txt"}
	}
	wt := art("Washington Times", "2018-04-29T11:00Z", "Migrants gather at the fence.\n\n"+body)
	yahoo := art("Yahoo News", "2018-04-29T09:00Z", "Caravan reaches the border.\n\n"+body)
	fox := art("Fox News", "2018-04-29T12:00Z", "Fox headline.\n\n"+body)
	updated := func(a Article, date string) Article {
		a.Text += "\n\nThe story was updated with a reply from the border agency."
		if date != "-" {
			a.Date = MustParseDate(date)
		}
		return a
	}
	rewritten := func(a Article, text string) Article {
		a.Text = text
		return a
	}
	for _, c := range []struct {
		name    string
		batches [][]Article // the last one's articles are checked against report
		want    []int64     // what article i+1 repeats at the end
		report  []AddResult // the last batch's CopyOf and OriginalOf
	}{
		{name: "a new version of the original, dated",
			batches: [][]Article{{wt}, {yahoo}, {updated(yahoo, "-")}},
			want:    []int64{2, 0}, report: []AddResult{{ID: 2}}},
		{name: "a new version of the original, undated",
			batches: [][]Article{{wt}, {yahoo}, {updated(yahoo, "")}},
			want:    []int64{2, 0}, report: []AddResult{{ID: 2}}},
		{name: "a new version of a copy whose original was imported after it",
			batches: [][]Article{{wt}, {yahoo}, {updated(wt, "-")}},
			want:    []int64{2, 0}, report: []AddResult{{ID: 1, CopyOf: 2}}},
		{name: "a new version repeating an article imported after it",
			batches: [][]Article{{rewritten(wt, wireSentences(1, 6, "other"))}, {yahoo}, {updated(wt, "-")}},
			want:    []int64{2, 0}, report: []AddResult{{ID: 1, CopyOf: 2}}},
		{name: "a new version of a middle article matching its own copy better than its original",
			batches: [][]Article{
				{art("Yahoo News", "2018-04-29T12:00Z", wireSentences(5, 10, "wire"))},
				{art("Reuters", "2018-04-29T11:00Z", wireSentences(1, 10, "wire"))},
				{art("AP", "2018-04-29T09:00Z", wireSentences(1, 7, "wire")+" "+wireSentences(8, 8, "flash"))},
				{art("Reuters", "2018-04-29T11:00Z", wireSentences(3, 10, "wire"))}},
			want: []int64{2, 3, 0}, report: []AddResult{{ID: 2, CopyOf: 3}}},
		{name: "a new version, no longer a copy, of an article adopted earlier in the batch",
			batches: [][]Article{{wt, fox}, {yahoo, rewritten(wt, wireSentences(1, 6, "other"))}},
			want:    []int64{0, 3, 0}, report: []AddResult{{ID: 3, OriginalOf: []int64{2}}, {ID: 1}}},
		{name: "a new version, still a copy, of an article adopted earlier in the batch",
			batches: [][]Article{{wt, fox}, {yahoo, updated(wt, "-")}},
			want:    []int64{3, 3, 0}, report: []AddResult{{ID: 3, OriginalOf: []int64{1, 2}}, {ID: 1, CopyOf: 3}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := tempStore(t)
			ctx := context.Background()
			var res []AddResult
			for _, b := range c.batches {
				r, err := s.AddArticles(ctx, b, nil)
				if err != nil {
					t.Fatal(err)
				}
				res = r
			}
			checkLinks(t, s, c.want)
			for i, r := range res {
				w := c.report[i]
				if r.ID != w.ID || r.CopyOf != w.CopyOf || !slices.Equal(r.OriginalOf, w.OriginalOf) {
					t.Errorf("reported article %d a copy of %d, the original of %v; want article %d, %d, %v",
						r.ID, r.CopyOf, r.OriginalOf, w.ID, w.CopyOf, w.OriginalOf)
				}
			}
		})
	}
}

// TestMigrateCopiesByDate: a project whose copy links follow the import
// order has, once opened, the earliest-published article of a family as
// its original, the others re-pointed to it, and the articles of the
// family's whole-article cluster marked for the next analysis; a family
// whose dates do not reorder it is left as it was.
func TestMigrateCopiesByDate(t *testing.T) {
	body := wireSentences(1, 6, "wire")
	texts := []string{
		"Migrants gather at the fence.\n\n" + body,
		"Caravan reaches the border.\n\n" + body,
		"Caravan at the border.\n\n" + body,
		wireSentences(1, 6, "other"),
		"Another headline.\n\n" + wireSentences(1, 6, "other"),
	}
	rows := []string{
		"(1, 'Washington Times', '2018-04-29T11:00Z', NULL, 0)",
		"(2, 'Yahoo News', '2018-04-29T09:00Z', 1, 0.9)",
		"(3, 'Fox News', '2018-04-29T17:00Z', 1, 0.9)",
		"(4, 'Reuters', '', NULL, 0)",
		"(5, 'AP', '2018-04-29T09:00Z', 4, 0.9)",
	}
	var stmts []string
	for i, r := range rows {
		stmts = append(stmts, fmt.Sprintf("INSERT INTO articles(id, outlet, date, copy_of, copy_share, text, hash, imported) VALUES %s",
			strings.Replace(r, ")", fmt.Sprintf(", '%s', '%s', 'x')", texts[i], ContentHash(texts[i])), 1)))
	}
	stmts = append(stmts,
		`INSERT INTO analysis(article_id, version, hash, quotes, units, aligned) VALUES (1, 1, 'h', '', '[]', 1), (2, 1, 'h', '', '[]', 1), (3, 1, 'h', '', '[]', 1), (4, 1, 'h', '', '[]', 1), (5, 1, 'h', '', '[]', 1)`,
		`INSERT INTO clusters(id, kind, status, speaker, articles, reference, members) VALUES (7, 'article', 'agree', '', 3, 'x', 3), (8, 'article', 'agree', '', 2, 'x', 2)`,
		`INSERT INTO cluster_members(cluster_id, article_id, start, "end", spans, kind, speaker, reference, relations) VALUES
			(7, 1, 0, 10, '', 'article', '', 1, ''), (7, 2, 0, 10, '', 'article', '', 0, ''), (7, 3, 0, 10, '', 'article', '', 0, ''),
			(8, 4, 0, 10, '', 'article', '', 1, ''), (8, 5, 0, 10, '', 'article', '', 0, '')`)
	s := mustOpen(t, projectAtSchema(t, 14, stmts...))
	checkLinks(t, s, []int64{2, 0, 2})
	for id, want := range map[int64]int64{4: 0, 5: 4} {
		if a, err := s.Article(context.Background(), id); err != nil || a.CopyOf != want || a.CopyShare != 0.9 && want != 0 {
			t.Errorf("article %d after the migration: copy of %d, share %v (%v); want it as it was", id, a.CopyOf, a.CopyShare, err)
		}
	}
	var unaligned []int64
	r, err := s.w.Query("SELECT article_id FROM analysis WHERE aligned = 0 ORDER BY article_id")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var id int64
		if err := r.Scan(&id); err != nil {
			t.Fatal(err)
		}
		unaligned = append(unaligned, id)
	}
	if !slices.Equal(unaligned, []int64{1, 2, 3}) {
		t.Errorf("analyses unaligned: %v; want the reordered family's 1, 2 and 3", unaligned)
	}
}

// TestMigrateCopiesEarliestHolder: migration 15 makes the original of a
// family the earliest member that holds enough of the old original's
// words, passing over an earlier one that holds too little (an excerpt);
// where no member before the original holds it, the family keeps its
// links rather than losing one.
func TestMigrateCopiesEarliestHolder(t *testing.T) {
	full := wireSentences(1, 10, "wire")
	excerpt := wireSentences(1, 5, "wire")
	ep, ew := sentencePrints(excerpt)
	fp, _ := sentencePrints(full)
	share, _ := shareIn(ContentHash(excerpt), ep, ew, ContentHash(full), printSet(fp))
	type row struct {
		outlet, date, text string
		copyOf             int64
	}
	for _, c := range []struct {
		name string
		rows []row
		want []int64
	}{
		{name: "the earliest holds too little, a later one before the original holds it",
			rows: []row{{"Reuters", "2018-04-29T11:00Z", full, 0}, {"AP", "2018-04-29T09:00Z", excerpt, 1},
				{"Yahoo", "2018-04-29T10:00Z", "Headline.\n\n" + full, 1}},
			want: []int64{3, 3, 0}},
		{name: "none before the original holds it: the link stays",
			rows: []row{{"Reuters", "2018-04-29T11:00Z", full, 0}, {"AP", "2018-04-29T09:00Z", excerpt, 1}},
			want: []int64{0, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stmts []string
			for i, r := range c.rows {
				copyOf := "NULL"
				if r.copyOf != 0 {
					copyOf = fmt.Sprint(r.copyOf)
				}
				stmts = append(stmts, fmt.Sprintf(`INSERT INTO articles(id, outlet, date, copy_of, copy_share, text, hash, imported)
					VALUES (%d, '%s', '%s', %s, %s, '%s', '%s', 'x')`, i+1, r.outlet, r.date, copyOf,
					strconv.FormatFloat(share, 'g', -1, 64), r.text, ContentHash(r.text)))
			}
			checkLinks(t, mustOpen(t, projectAtSchema(t, 14, stmts...)), c.want)
		})
	}
}

// TestLinkedArticlesByIndex: migration 15 reads the linked articles
// through the copy_of index, not by reading every article's row.
func TestLinkedArticlesByIndex(t *testing.T) {
	s := tempStore(t)
	rows, err := s.r.Query("EXPLAIN QUERY PLAN " + linkedArticles)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(detail, "SCAN") {
			t.Errorf("query plan step %q reads the whole table", detail)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestCopyOrderBatchWritesLinksOnce: one family in one batch, listed
// newest first (each article published before those listed above it) or
// oldest first, ends with its earliest-published article the original of
// all the others, and the report says so; newest first, the family
// changes hands with each article, and the batch writes each article's
// final link once rather than every member's link at every change (which
// made such a batch cost the square of the family's size): it changes no
// more rows than the batch oldest first, but for one UPDATE per article.
func TestCopyOrderBatchWritesLinksOnce(t *testing.T) {
	const n = 40
	body := wireSentences(1, 8, "wire")
	changes := map[bool]int64{}
	for _, c := range []struct {
		newestFirst bool
		original    int64 // the article all the others repeat
	}{
		{newestFirst: true, original: n},
		{newestFirst: false, original: 1},
	} {
		arts := make([]Article, n)
		for i := range arts {
			m := i
			if c.newestFirst {
				m = n - i
			}
			arts[i] = Article{Meta: Meta{Outlet: fmt.Sprint("Outlet ", i), Date: MustParseDate(fmt.Sprintf("2018-04-29T%02d:%02d:00Z", m/60, m%60))},
				Text: fmt.Sprintf("Headline %d.\n\n", i) + body, Source: fmt.Sprintf("/x/%d.txt", i)}
		}
		s := tempStore(t)
		var before, after int64
		if err := s.w.QueryRow("SELECT total_changes()").Scan(&before); err != nil {
			t.Fatal(err)
		}
		res, err := s.AddArticles(context.Background(), arts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.w.QueryRow("SELECT total_changes()").Scan(&after); err != nil {
			t.Fatal(err)
		}
		changes[c.newestFirst] = after - before
		want := make([]int64, n)
		var copies []int64
		for i := range want {
			if id := int64(i + 1); id != c.original {
				want[i] = c.original
				copies = append(copies, id)
			}
		}
		checkLinks(t, s, want)
		for i, r := range res {
			var wantOf []int64
			if r.ID == c.original && c.newestFirst {
				wantOf = copies // the others were added before it
			}
			if r.CopyOf != want[i] || !slices.Equal(r.OriginalOf, wantOf) {
				t.Errorf("newest first %v: article %d reported a copy of %d, the original of %v; want %d, %v",
					c.newestFirst, r.ID, r.CopyOf, r.OriginalOf, want[i], wantOf)
			}
		}
	}
	if extra := changes[true] - changes[false]; extra > n {
		t.Errorf("newest first the batch changed %d rows, oldest first %d: %d more, want at most one per article (%d)",
			changes[true], changes[false], extra, n)
	}
}

// TestDeleteKeepsCopies: deleting an article with copies leaves them one
// family: the earliest of them becomes the original of those it holds
// enough of, the others go to the deleted article's own original where
// that holds them, and each share is of the new original. Deleting an
// article that took a family over (one wrongly dated, say) gives the
// family back as it was.
func TestDeleteKeepsCopies(t *testing.T) {
	body := wireSentences(1, 6, "wire")
	full := wireSentences(1, 10, "wire")
	art := func(outlet, date, text string) Article {
		return Article{Meta: Meta{Outlet: outlet, Date: MustParseDate(date)}, Text: text, Source: "/c/" + outlet + ".txt"}
	}
	for _, c := range []struct {
		name   string
		arts   []Article // imported one each
		before []int64   // what article i+1 repeats before the deletion
		delete []int64
		want   map[int64]int64 // what the others repeat after it
	}{
		{name: "the article that took the family over",
			arts: []Article{art("Washington Times", "2018-04-29T11:00Z", "Migrants gather at the fence.\n\n"+body),
				art("Fox", "2018-04-29T12:00Z", "Fox headline.\n\n"+body), art("Yahoo", "2018-04-20T09:00Z", "Wrong date.\n\n"+body)},
			before: []int64{3, 3, 0}, delete: []int64{3}, want: map[int64]int64{1: 0, 2: 1}},
		{name: "the original: the earliest copy takes over",
			arts: []Article{art("Reuters", "2018-04-29T09:00Z", full), art("AP", "2018-04-29T12:00Z", "AP headline.\n\n"+full),
				art("Yahoo", "2018-04-29T11:00Z", "Yahoo headline.\n\n"+full)},
			before: []int64{0, 1, 1}, delete: []int64{1}, want: map[int64]int64{2: 3, 3: 0}},
		{name: "the original and the earliest copy: the next takes over",
			arts: []Article{art("Reuters", "2018-04-29T09:00Z", full), art("AP", "2018-04-29T12:00Z", "AP headline.\n\n"+full),
				art("Yahoo", "2018-04-29T11:00Z", "Yahoo headline.\n\n"+full), art("Fox", "2018-04-29T13:00Z", "Fox headline.\n\n"+full)},
			before: []int64{0, 1, 1, 1}, delete: []int64{1, 3}, want: map[int64]int64{2: 0, 4: 2}},
		{name: "a copy of a copy goes to the deleted copy's original",
			arts: []Article{art("Reuters", "2018-04-29T09:00Z", full), art("AP", "2018-04-29T10:00Z", full+" "+wireSentences(11, 11, "flash")),
				art("Yahoo", "2018-04-29T11:00Z", wireSentences(1, 8, "wire")+" "+wireSentences(11, 11, "flash"))},
			before: []int64{0, 1, 2}, delete: []int64{2}, want: map[int64]int64{1: 0, 3: 1}},
		{name: "a copy the earliest copy holds too little of, and no original left: unlinked",
			arts: []Article{art("Reuters", "2018-04-29T09:00Z", full), art("AP", "2018-04-29T10:00Z", wireSentences(1, 7, "wire")),
				art("Yahoo", "2018-04-29T11:00Z", wireSentences(4, 10, "wire"))},
			before: []int64{0, 1, 1}, delete: []int64{1}, want: map[int64]int64{2: 0, 3: 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := tempStore(t)
			ctx := context.Background()
			for _, a := range c.arts {
				if _, err := s.AddArticles(ctx, []Article{a}, nil); err != nil {
					t.Fatal(err)
				}
			}
			checkLinks(t, s, c.before)
			if err := s.DeleteArticles(ctx, c.delete); err != nil {
				t.Fatal(err)
			}
			checkLinksOf(t, s, c.want)
		})
	}
}
