package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// A source of an interchange file (a REFI-QDA TextSource, a colleague's
// article) is found in the project by its text, but the text alone does
// not say which article it is: a wire story is often in the project word
// for word under several outlets, and coding put on the Times' copy when
// it was the Post's is coding silently moved. So among the articles with
// its text, the source is the one its own annotations are already on (an
// earlier import of the same file), else the one whose outlet, URL and
// date do not contradict the file's, else, where several remain, the one
// with its title and source file. Where that still leaves several, the
// source is not brought in and the report says so: a guess would put a
// researcher's coding on an article they did not code.

// textTwin is an article of the project with a file source's text.
type textTwin struct {
	id                               int64
	outlet, date, title, url, source string
}

// contradicts reports whether the file's metadata says that the source is
// another article than t: an outlet, URL or date both give and that
// differ. A field the file leaves empty says nothing, and titles are not
// compared here: other tools name sources as they like.
func (t textTwin) contradicts(m Meta) bool {
	if o := strings.TrimSpace(m.Outlet); o != "" && t.outlet != "" && !strings.EqualFold(o, strings.TrimSpace(t.outlet)) {
		return true
	}
	if u := strings.TrimSpace(m.URL); u != "" && t.url != "" && u != strings.TrimSpace(t.url) {
		return true
	}
	return !m.Date.IsZero() && t.date != "" && !sameDate(t.date, m.Date)
}

// sourceMatch is what sourceMatcher found for one source.
type sourceMatch struct {
	// ID is the project's article the source is, 0 when none is.
	ID int64
	// Tied lists, when ID is 0, the articles the source could equally be:
	// nothing tells which one.
	Tied []int64
	// Others counts the articles with the source's text that its metadata
	// says are other articles (another outlet's copy).
	Others int
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

func newSourceMatcher(ctx context.Context, tx *sql.Tx) (*sourceMatcher, error) {
	m := &sourceMatcher{claimed: map[int64]bool{}}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM articles").Scan(&m.before); err != nil {
		return nil, fmt.Errorf("find the file's articles: %w", err)
	}
	return m, nil
}

// match finds src's article in the project (see the comment above) and
// claims it for src.
func (m *sourceMatcher) match(ctx context.Context, tx *sql.Tx, src QDPXSource) (sourceMatch, error) {
	twins, err := m.twins(ctx, tx, ContentHash(src.Article.Text))
	if err != nil || len(twins) == 0 {
		return sourceMatch{}, err
	}
	var res sourceMatch
	pick := func(t textTwin) (sourceMatch, error) {
		m.claimed[t.id] = true
		res.ID = t.id
		return res, nil
	}
	// Its own annotations, from an earlier import of this file or the
	// project's own work in a colleague's copy, say which article it is.
	onTwin := map[int64]bool{}
	for _, sel := range src.Selections {
		var article int64
		err := tx.QueryRowContext(ctx, "SELECT article_id FROM annotations WHERE guid = ?", sel.GUID).Scan(&article)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return sourceMatch{}, err
		}
		onTwin[article] = true
	}
	var fits []textTwin
	for _, t := range twins {
		if onTwin[t.id] {
			fits = append(fits, t)
		}
	}
	if len(fits) == 1 {
		return pick(fits[0])
	}
	fits = fits[:0]
	for _, t := range twins {
		if t.contradicts(src.Article.Meta) {
			res.Others++
		} else {
			fits = append(fits, t)
		}
	}
	switch len(fits) {
	case 0:
		return res, nil
	case 1:
		return pick(fits[0])
	}
	var same []textTwin
	for _, t := range fits {
		if t.title == strings.TrimSpace(src.Article.Title) && t.source == src.Article.Source {
			same = append(same, t)
		}
	}
	if len(same) == 1 {
		return pick(same[0])
	}
	for _, t := range fits {
		res.Tied = append(res.Tied, t.id)
	}
	return res, nil
}

// twins lists the articles, older than this import and not yet claimed,
// whose text has hash.
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
		if !m.claimed[t.id] {
			out = append(out, t)
		}
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
	rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("source %q not brought in: its text is that of articles %s here, and nothing in the file (outlet, URL, date, title, its annotations) tells which one it is; its %d annotation(s) and %d memo(s) were left out",
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
