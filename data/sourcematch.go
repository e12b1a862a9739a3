package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// A source of an interchange file (a REFI-QDA TextSource, a colleague's
// article) is found in the project by its text, but the text alone does
// not say which article it is: a wire story is often in the project word
// for word under several outlets, and coding put on the Times' copy when
// it was the Post's is coding silently moved. So among the articles with
// its text, the source is the one its own annotations or memos are
// already on (an earlier import of the same file), else the one whose
// outlet, URL and date do not contradict the file's, else, where several
// remain, the one with its title and source file. Where that still leaves several, the
// source is not brought in and the report says so: a guess would put a
// researcher's coding on an article they did not code. Metadata only
// chooses among copies: where the project has the text once, that article
// is the source, and how the file's details differ is reported.

// textTwin is an article of the project with a file source's text.
type textTwin struct {
	id                               int64
	outlet, date, title, url, source string
}

// contradicts reports whether the file's metadata says that the source is
// another article than t: an outlet, URL or date both give and that
// differ. A field the file leaves empty says nothing, and titles are not
// compared here: other tools name sources as they like. Outlets and URLs
// are compared as names and addresses, not as strings: a tool that writes
// "The Times" for "Times", or an address with "http", "www." or a slash
// at its end, names the same copy, and reading it as another outlet's
// would bring the source in as a new article beside the one it is.
func (t textTwin) contradicts(m Meta) bool {
	if o := strings.TrimSpace(m.Outlet); o != "" && strings.TrimSpace(t.outlet) != "" && !sameOutlet(o, t.outlet) {
		return true
	}
	if u := strings.TrimSpace(m.URL); u != "" && strings.TrimSpace(t.url) != "" && urlKey(u) != urlKey(t.url) {
		return true
	}
	return !m.Date.IsZero() && t.date != "" && !sameDate(t.date, m.Date)
}

// OutletKey reads an outlet's name as outlets' names are compared (the
// ingest package's grouping of names that likely name one outlet reads
// names through it): base is its letters and digits in lower case without
// a leading "the" or places in brackets at its end, place those places'
// letters and digits: "The Herald (Glasgow)" is "herald", "glasgow".
func OutletKey(name string) (base, place string) {
	s := strings.ToLower(strings.Join(strings.Fields(name), " "))
	for {
		open := strings.LastIndexByte(s, '(')
		if open <= 0 || !strings.HasSuffix(s, ")") {
			break
		}
		place = strings.TrimSpace(s[open+1:len(s)-1]) + " " + place
		s = strings.TrimSpace(s[:open])
	}
	return lettersAndDigits(strings.TrimPrefix(s, "the ")), lettersAndDigits(place)
}

// lettersAndDigits keeps the letters and digits of s, in lower case.
func lettersAndDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// sameOutlet reports whether two outlet names name one outlet: the same
// base (OutletKey) and no two places that differ ("The Herald (Glasgow)"
// is not "The Herald (Rock Hill, SC)", but "The Herald" may be either).
// Names with no letters or digits are compared as they are, ignoring case.
// A host ("times.example") is not read as the outlet it is: that takes
// the ingest package's table of outlets, which this package cannot use,
// so a host and a name are other outlets here, which the report says.
func sameOutlet(a, b string) bool {
	ab, ap := OutletKey(a)
	bb, bp := OutletKey(b)
	if ab == "" || bb == "" {
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return ab == bb && (ap == "" || bp == "" || ap == bp)
}

// urlKey is a web address as addresses of one page are compared: without
// its scheme (http or https), a leading "www.", a slash at its end or a
// fragment, its host in lower case. Anything else is kept: another query
// may be another page. An address that does not parse is compared as it
// is.
func urlKey(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return raw
	}
	key := strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimSuffix(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	return key
}

// sourceMatch is what matchSources found for one source.
type sourceMatch struct {
	// ID is the project's article the source is, 0 when none is.
	ID int64
	// Tied lists, when ID is 0, the articles the source could equally be:
	// nothing tells which one.
	Tied []int64
	// Others lists, when ID is 0, the articles with the source's text that
	// its metadata says are other articles (another outlet's copy).
	Others []int64
	// Taken lists, when ID is 0, the articles with the source's text that
	// other sources of the file were found to be.
	Taken []int64
}

// sourceMatcher finds the project's article for each source of one file.
// An article is the source of at most one of the file's sources, and an
// article added by this import is no earlier copy of the file's sources:
// two sources of one file are two articles, whatever their text.
type sourceMatcher struct {
	// before is the first ID an article added in this transaction gets.
	before  int64
	claimed map[int64]bool
}

// matchSources finds each source's article in the project (see the
// comment above), before any of the file's articles is added.
//
// It goes over the file twice. What a source holds that the project has
// already (its annotations and its memos, by GUID) is the surest sign of
// which article it is, and it must not be beaten by file order:
// a source earlier in the file with nothing of its own to go by would
// otherwise take, as the only copy left or by its outlet, the article a
// later source's annotations are on, and the later source, found nowhere,
// would come in as a new article whose annotations clash by GUID with
// those already here — on every import of the file. So the first pass
// settles the sources whose annotations or memos are on one of the
// articles with their text, and the second matches the others among what
// is left. A source with nothing but a memo is no rarer than one with
// annotations (a file holding a text three times, its memo on the third),
// and without it copies alike in all else are tied on every import after
// the first.
func matchSources(ctx context.Context, tx *sql.Tx, plan *QDPXPlan) ([]sourceMatch, error) {
	sources := plan.Sources
	m := &sourceMatcher{claimed: map[int64]bool{}}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM articles").Scan(&m.before); err != nil {
		return nil, fmt.Errorf("find the file's articles: %w", err)
	}
	out := make([]sourceMatch, len(sources))
	twins := make([][]textTwin, len(sources))
	onTwin := make([]map[int64]bool, len(sources))
	hashes := make([]string, len(sources))
	inFile := map[string]int{} // sources of the file with each text
	for i, src := range sources {
		hashes[i] = ContentHash(src.Article.Text)
		inFile[hashes[i]]++
	}
	for i, src := range sources {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		if twins[i], err = m.twins(ctx, tx, hashes[i]); err != nil {
			return nil, fmt.Errorf("source %q: %w", src.Article.Title, err)
		}
		if len(twins[i]) == 0 {
			continue
		}
		if onTwin[i], err = heldArticles(ctx, tx, plan, i); err != nil {
			return nil, fmt.Errorf("source %q: %w", src.Article.Title, err)
		}
		if fits := m.held(twins[i], onTwin[i]); len(fits) == 1 {
			out[i].ID = m.claim(fits[0])
		}
	}
	for i, src := range sources {
		if out[i].ID == 0 && len(twins[i]) > 0 {
			out[i] = m.match(src, twins[i], onTwin[i], inFile[hashes[i]] == 1)
		}
	}
	return out, nil
}

// claim makes t the article of one of the file's sources.
func (m *sourceMatcher) claim(t textTwin) int64 {
	m.claimed[t.id] = true
	return t.id
}

// held lists the twins not yet claimed that on holds.
func (m *sourceMatcher) held(twins []textTwin, on map[int64]bool) []textTwin {
	var out []textTwin
	for _, t := range twins {
		if on[t.id] && !m.claimed[t.id] {
			out = append(out, t)
		}
	}
	return out
}

// match finds the article of src, whose text twins (all the project's
// articles with it) have and whose annotations and memos are on the
// articles on, among the twins no other source has claimed, and claims
// it. alone is true when src is the only source of the file with its
// text.
func (m *sourceMatcher) match(src QDPXSource, twins []textTwin, on map[int64]bool, alone bool) sourceMatch {
	var res sourceMatch
	var free []textTwin
	for _, t := range twins {
		if m.claimed[t.id] {
			res.Taken = append(res.Taken, t.id)
		} else {
			free = append(free, t)
		}
	}
	if len(free) == 0 {
		return res
	}
	if fits := m.held(free, on); len(fits) == 1 {
		return sourceMatch{ID: m.claim(fits[0])}
	}
	// One article with the text here and one source with it in the file
	// are one article, whatever the file says of it: there are no copies
	// for its details to tell apart, and a colleague who corrected the
	// date, or wrote the outlet or URL another way, still coded this
	// article. articleMetaConflict reports the difference. Where either
	// side has copies, the details are what tells them apart.
	if len(twins) == 1 && alone {
		return sourceMatch{ID: m.claim(free[0])}
	}
	var fits []textTwin
	for _, t := range free {
		if t.contradicts(src.Article.Meta) {
			res.Others = append(res.Others, t.id)
		} else {
			fits = append(fits, t)
		}
	}
	switch len(fits) {
	case 0:
		return res
	case 1:
		return sourceMatch{ID: m.claim(fits[0])}
	}
	var same []textTwin
	for _, t := range fits {
		if t.title == strings.TrimSpace(src.Article.Title) && t.source == src.Article.Source {
			same = append(same, t)
		}
	}
	if len(same) == 1 {
		return sourceMatch{ID: m.claim(same[0])}
	}
	for _, t := range fits {
		res.Tied = append(res.Tied, t.id)
	}
	return res
}

// heldArticles lists the articles that what source i of plan holds is
// on in the project, by GUID: the annotations of its selections, and the
// article memos of its memos, or the annotations they are (a note with an
// annotation's GUID is that annotation, written as a note: see applyMemo).
// A set is no sign of one article: it holds several.
func heldArticles(ctx context.Context, tx *sql.Tx, plan *QDPXPlan, i int) (map[int64]bool, error) {
	on := map[int64]bool{}
	find := func(query, guid string) error {
		var article int64
		err := tx.QueryRowContext(ctx, query, guid).Scan(&article)
		switch {
		case err == nil:
			on[article] = true
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return nil
	}
	const annotation = "SELECT article_id FROM annotations WHERE guid = ?"
	for _, sel := range plan.Sources[i].Selections {
		if err := find(annotation, sel.GUID); err != nil {
			return nil, err
		}
	}
	for _, m := range plan.Memos {
		if m.Kind != "article" || m.Target != i {
			continue
		}
		if err := find("SELECT target_id FROM memos WHERE guid = ? AND target_kind = 'article'", m.GUID); err != nil {
			return nil, err
		}
		if err := find(annotation, m.GUID); err != nil {
			return nil, err
		}
	}
	return on, nil
}

// twins lists the articles older than this import whose text has hash.
func (m *sourceMatcher) twins(ctx context.Context, tx *sql.Tx, hash string) ([]textTwin, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, outlet, date, title, url, source FROM articles WHERE hash = ? AND id < ? ORDER BY id", hash, m.before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []textTwin
	for rows.Next() {
		var t textTwin
		if err := rows.Scan(&t.id, &t.outlet, &t.date, &t.title, &t.url, &t.source); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// tiedSource reports a source left out because several articles have its
// text and nothing tells which one it is, with what it held.
func tiedSource(plan *QDPXPlan, i int, tied []int64, rep *QDPXReport) {
	src := plan.Sources[i]
	ids := make([]string, len(tied))
	for j, id := range tied {
		ids[j] = fmt.Sprint(id)
	}
	rep.AnnotationsSkipped += len(src.Selections)
	rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("source %q not brought in: its text is that of articles %s here, and nothing in the file (outlet, URL, date, title, its annotations and memos) tells which one it is; its %d annotation(s) and %d memo(s) were left out",
		src.Article.Title, strings.Join(ids, ", "), len(src.Selections), memosOn(plan, i)))
}

// memosOn counts the plan's memos on source i.
func memosOn(plan *QDPXPlan, i int) int {
	n := 0
	for _, m := range plan.Memos {
		if m.Kind == "article" && m.Target == i {
			n++
		}
	}
	return n
}

// unmatchedSource is the report's line for a merge's source that is none
// of the project's articles, holding annotations and memos annotation(s)
// and memo(s). Its hint depends on why: a text the project lacks is
// imported first, but where the text is here under other details the
// source may be one of those articles with its details corrected, and
// importing it would add a copy beside the article it is.
func unmatchedSource(src QDPXSource, found sourceMatch, annotations, memos int) string {
	lost := fmt.Sprintf("its %d annotation(s) and %d memo(s) were not merged", annotations, memos)
	if len(found.Others) == 0 && len(found.Taken) == 0 {
		return fmt.Sprintf("article %q is not in this project (or its text differs): %s; import the article first", src.Article.Title, lost)
	}
	hint := "import the article first if it is another copy of the text"
	if len(found.Others) > 0 {
		hint = "if it is one of those articles with its details corrected, give that article the file's details and merge again; if it is another copy of the text, import it first"
	}
	return fmt.Sprintf("article %q was not merged: its text is in this project only %s; %s; %s", src.Article.Title, whyNotTwins(src, found), lost, hint)
}

// addedBesideTwins is the report's line for a source an import added as
// the new article id although its text is in the project already: as
// articles its details say are others, or that other sources of the file
// were found to be. Either may be wrong (a colleague who corrected the
// date, a tool that writes an outlet its own way), and then the source's
// annotations and memos are on a copy beside the article they were made
// on; nothing else shows it. The line gives no counts: some of them may
// have been left out, each with a line of its own.
func addedBesideTwins(src QDPXSource, found sourceMatch, id int64) string {
	line := fmt.Sprintf("source %q was added as a new article (%d), though its text is in this project %s", src.Article.Title, id, whyNotTwins(src, found))
	if len(found.Others) > 0 {
		line += "; if it is one of those articles with other details, the annotations and memos the file has for it are on the new article instead"
	}
	return line
}

// whyNotTwins says which articles of the project have a source's text and
// why the source is none of them: "as article 1, whose outlet, URL or
// date differ from the file's (outlet "Herald")".
func whyNotTwins(src QDPXSource, found sourceMatch) string {
	var why []string
	if len(found.Others) > 0 {
		why = append(why, fmt.Sprintf("as %s, whose outlet, URL or date differ from the file's (%s)", articleIDs(found.Others), fileDetails(src.Article.Meta)))
	}
	if len(found.Taken) > 0 {
		why = append(why, fmt.Sprintf("as %s, which other articles of the file with this text were found to be", articleIDs(found.Taken)))
	}
	return strings.Join(why, ", and ")
}

// articleIDs names articles in a report: "article 3", "articles 3, 4".
func articleIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	if len(ids) == 1 {
		return "article " + s[0]
	}
	return "articles " + strings.Join(s, ", ")
}

// fileDetails lists the outlet, URL and date a file gives an article.
func fileDetails(m Meta) string {
	var d []string
	if o := strings.TrimSpace(m.Outlet); o != "" {
		d = append(d, fmt.Sprintf("outlet %q", o))
	}
	if u := strings.TrimSpace(m.URL); u != "" {
		d = append(d, fmt.Sprintf("URL %q", u))
	}
	if !m.Date.IsZero() {
		d = append(d, "date "+m.Date.String())
	}
	return strings.Join(d, ", ")
}
