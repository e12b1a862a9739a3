package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// AddArticles stores a batch of articles in one transaction: either all new
// ones are added or, on error or cancellation, none are. Articles whose text
// is already in the project are reported as duplicates, not added again.
// progress, if not nil, is called as the batch advances.
func (s *Store) AddArticles(ctx context.Context, arts []Article, progress func(done, total int)) ([]AddResult, error) {
	res := make([]AddResult, len(arts))
	now := s.Now().UTC().Format(time.RFC3339)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ins, err := newArticleInserter(ctx, tx, now)
		if err != nil {
			return err
		}
		defer ins.close()
		var batchStart int64
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM articles").Scan(&batchStart); err != nil {
			return err
		}
		for i, a := range arts {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if strings.TrimSpace(a.Text) == "" {
				return Errorf(EInvalid, "%s: article has no text", a.Source)
			}
			hash := ContentHash(a.Text)
			if id, found, err := ins.lookup(ctx, hash); err != nil {
				return err
			} else if found {
				res[i] = AddResult{ID: id, Duplicate: true}
				continue
			}
			words := a.Words
			if words == 0 {
				words = CountWords(a.Text)
			}
			if prev, ok, err := previousVersion(ctx, tx, a, batchStart); err != nil {
				return err
			} else if ok {
				rep, err := replaceVersion(ctx, tx, prev, a, hash, words, now)
				if err != nil {
					return fmt.Errorf("%s: %w", a.Source, err)
				}
				res[i] = AddResult{ID: prev, Updated: true, Reanchor: rep}
				continue
			}
			id, err := ins.insert(ctx, a, hash, words)
			if err != nil {
				return fmt.Errorf("%s: %w", a.Source, err)
			}
			res[i] = AddResult{ID: id}
			if progress != nil && (i%64 == 63 || i == len(arts)-1) {
				progress(i+1, len(arts))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("add articles: %w", err)
	}
	return res, nil
}

// articleInserter adds articles inside one transaction, with its
// statements prepared once: imports add thousands of articles at a time.
type articleInserter struct {
	find, ins, attr *sql.Stmt
	now             string // the import time, RFC 3339 UTC
}

func newArticleInserter(ctx context.Context, tx *sql.Tx, now string) (*articleInserter, error) {
	w := &articleInserter{now: now}
	var err error
	if w.find, err = tx.PrepareContext(ctx, "SELECT id FROM articles WHERE hash = ?"); err != nil {
		return nil, err
	}
	if w.ins, err = tx.PrepareContext(ctx, `INSERT INTO articles
			(outlet, date, title, url, author, text, words, hash, source, imported)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		w.close()
		return nil, err
	}
	if w.attr, err = tx.PrepareContext(ctx, "INSERT INTO article_attributes(article_id, name, value) VALUES (?, ?, ?)"); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *articleInserter) close() {
	for _, st := range []*sql.Stmt{w.find, w.ins, w.attr} {
		if st != nil {
			st.Close()
		}
	}
}

// lookup finds the article whose text has hash.
func (w *articleInserter) lookup(ctx context.Context, hash string) (id int64, found bool, err error) {
	err = w.find.QueryRowContext(ctx, hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// insert stores a as a new article with its attributes.
func (w *articleInserter) insert(ctx context.Context, a Article, hash string, words int) (int64, error) {
	r, err := w.ins.ExecContext(ctx, a.Outlet, a.Date.String(), a.Title, a.URL, a.Author, a.Text, words, hash, a.Source, w.now)
	if err != nil {
		return 0, err
	}
	id, err := r.LastInsertId()
	if err != nil {
		return 0, err
	}
	for _, k := range a.AttributeNames() {
		if _, err := w.attr.ExecContext(ctx, id, k, a.Attributes[k]); err != nil {
			return 0, fmt.Errorf("attribute %q: %w", k, err)
		}
	}
	return id, nil
}

// previousVersion finds an earlier version of a: an article imported from
// the same single-article file, of the same outlet, with other text.
// Matching is deliberately narrow: URLs are shared by syndicated copies and
// JSON records are numbered by position, and replacing the wrong article
// would be data loss. Articles added earlier in the same batch never match.
func previousVersion(ctx context.Context, tx *sql.Tx, a Article, batchStart int64) (int64, bool, error) {
	if a.Source == "" || strings.Contains(a.Source, "#") {
		return 0, false, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM articles WHERE source = ? AND outlet = ? AND id < ? ORDER BY id LIMIT 1`,
		a.Source, a.Outlet, batchStart).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// replaceVersion puts a's text and metadata on article id and re-anchors its
// annotations in the same transaction. Orphaned annotations keep their note,
// codes and passage text, flagged for the researcher to place or delete.
func replaceVersion(ctx context.Context, tx *sql.Tx, id int64, a Article, hash string, words int, now string) (ReanchorReport, error) {
	var rep ReanchorReport
	var oldText, oldHash, oldSource string
	if err := tx.QueryRowContext(ctx, "SELECT text, hash, source FROM articles WHERE id = ?", id).Scan(&oldText, &oldHash, &oldSource); err != nil {
		return rep, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO article_versions(article_id, text, hash, source, replaced) VALUES (?, ?, ?, ?, ?)",
		id, oldText, oldHash, oldSource, now); err != nil {
		return rep, err
	}
	// Clusters and pins index the old text: drop them until the next
	// analysis rather than point at the wrong words.
	if err := dropClustersOf(ctx, tx, id); err != nil {
		return rep, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM reference_pins WHERE article_id = ?", id); err != nil {
		return rep, err
	}
	type moved struct {
		id int64
		r  Reanchored
		a  Anchor
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, start, "end", exact, prefix, suffix FROM annotations WHERE article_id = ?`, id)
	if err != nil {
		return rep, err
	}
	var todo []moved
	for rows.Next() {
		var m moved
		if err := rows.Scan(&m.id, &m.a.Start, &m.a.End, &m.a.Exact, &m.a.Prefix, &m.a.Suffix); err != nil {
			rows.Close()
			return rep, err
		}
		todo = append(todo, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}
	nr := []rune(a.Text)
	for _, m := range todo {
		m.r = Reanchor(oldText, a.Text, m.a)
		switch m.r.Status {
		case AnchorKept:
			rep.Kept++
		case AnchorMoved:
			rep.Moved++
		case AnchorOrphaned:
			rep.Orphaned++
		}
		if m.r.Status == AnchorOrphaned {
			if _, err := tx.ExecContext(ctx, "UPDATE annotations SET orphaned = 1, modified = ? WHERE id = ?", now, m.id); err != nil {
				return rep, err
			}
			continue
		}
		s, e := m.r.Start, m.r.End
		prefix, suffix := QuoteContext(nr, s, e)
		if _, err := tx.ExecContext(ctx, `UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?, orphaned = 0, modified = ? WHERE id = ?`,
			s, e, string(nr[s:e]), prefix, suffix, now, m.id); err != nil {
			return rep, err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE articles SET text = ?, hash = ?, words = ?, outlet = ?, date = ?, title = ?, url = ?, author = ?, imported = ? WHERE id = ?`,
		a.Text, hash, words, a.Outlet, a.Date.String(), a.Title, a.URL, a.Author, now, id)
	return rep, err
}

// dropClustersOf deletes the clusters an article takes part in: without
// it they would lose a member (perhaps their reference) and keep a stale
// status until the next analysis.
func dropClustersOf(ctx context.Context, tx *sql.Tx, articleID int64) error {
	// The other members' articles lose their clusters: the next analysis
	// aligns them again.
	if _, err := tx.ExecContext(ctx, `UPDATE analysis SET aligned = 0 WHERE article_id IN (
		SELECT m.article_id FROM cluster_members m WHERE m.cluster_id IN (
			SELECT cluster_id FROM cluster_members WHERE article_id = ?))`, articleID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM clusters WHERE id IN (SELECT cluster_id FROM cluster_members WHERE article_id = ?)", articleID)
	return err
}

// orderBy maps sort keys to fixed SQL fragments: the user picks a key, never
// SQL text.
var orderBy = map[SortKey]string{
	SortDate:   "date %s, outlet, id",
	SortOutlet: "outlet COLLATE NOCASE %s, date, id",
	SortTitle:  "title COLLATE NOCASE %s, id",
	SortWords:  "words %s, id",
	SortID:     "id %s",
}

// ListArticles returns the library rows for q.
func (s *Store) ListArticles(ctx context.Context, q ListQuery) ([]Summary, error) {
	order, ok := orderBy[q.Sort]
	if !ok {
		order = orderBy[SortID]
	}
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	query := "SELECT id, outlet, date, title, url, words FROM articles WHERE (?1 = '' OR outlet = ?1) ORDER BY " +
		fmt.Sprintf(order, dir)
	var out []Summary
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, q.Outlet)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sm Summary
			var date string
			if err := rows.Scan(&sm.ID, &sm.Outlet, &date, &sm.Title, &sm.URL, &sm.Words); err != nil {
				return err
			}
			sm.Date, _ = ParseDateTime(date)
			out = append(out, sm)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, nil
}

// Article returns one article with its text and attributes.
func (s *Store) Article(ctx context.Context, id int64) (Article, error) {
	as, err := read(ctx, s, func(tx *sql.Tx) ([]Article, error) { return articlesByID(ctx, tx, []int64{id}) })
	if err == nil && len(as) == 0 {
		err = Errorf(ENotFound, "no article %d in this project", id)
	}
	if err != nil {
		return Article{}, fmt.Errorf("article %d: %w", id, err)
	}
	return as[0], nil
}

// Fixed queries for articlesByID: a set of IDs is bound as one JSON array,
// never spliced into SQL, and all articles are read without a condition
// that would keep SQLite from walking the table in order.
const (
	articleColumns   = "SELECT id, outlet, date, title, url, author, text, words, source, imported FROM articles"
	attributeColumns = "SELECT article_id, name, value FROM article_attributes"
	inIDs            = " IN (SELECT value FROM json_each(?))"
)

// articlesByID reads the articles with the given IDs, or every article when
// ids is nil, in ID order and with their attributes: two queries however
// many articles, where one query per article would make an export of a
// large project wait on thousands of round trips. IDs not in the project
// are left out.
func articlesByID(ctx context.Context, tx *sql.Tx, ids []int64) ([]Article, error) {
	artQ, attrQ := articleColumns+" ORDER BY id", attributeColumns+" ORDER BY article_id, name"
	var args []any
	if ids != nil {
		set, err := json.Marshal(ids)
		if err != nil {
			return nil, err
		}
		artQ = articleColumns + " WHERE id" + inIDs + " ORDER BY id"
		attrQ = attributeColumns + " WHERE article_id" + inIDs + " ORDER BY article_id, name"
		args = []any{string(set)}
	}
	rows, err := tx.QueryContext(ctx, artQ, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Article
	index := map[int64]int{}
	for rows.Next() {
		var a Article
		var date, imported string
		if err := rows.Scan(&a.ID, &a.Outlet, &date, &a.Title, &a.URL, &a.Author, &a.Text, &a.Words, &a.Source, &imported); err != nil {
			return nil, err
		}
		a.Date, _ = ParseDateTime(date)
		a.Imported, _ = time.Parse(time.RFC3339, imported)
		index[a.ID] = len(out)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	attrs, err := tx.QueryContext(ctx, attrQ, args...)
	if err != nil {
		return nil, err
	}
	defer attrs.Close()
	for attrs.Next() {
		var id int64
		var k, v string
		if err := attrs.Scan(&id, &k, &v); err != nil {
			return nil, err
		}
		i, ok := index[id]
		if !ok {
			continue
		}
		if out[i].Attributes == nil {
			out[i].Attributes = map[string]string{}
		}
		out[i].Attributes[k] = v
	}
	return out, attrs.Err()
}

// UpdateMeta replaces an article's editable metadata.
func (s *Store) UpdateMeta(ctx context.Context, id int64, m Meta) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, "UPDATE articles SET outlet = ?, date = ?, title = ?, url = ?, author = ? WHERE id = ?",
			strings.TrimSpace(m.Outlet), m.Date.String(), strings.TrimSpace(m.Title), strings.TrimSpace(m.URL), strings.TrimSpace(m.Author), id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return Errorf(ENotFound, "no article %d in this project", id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update article %d: %w", id, err)
	}
	return nil
}

// DeleteArticles removes articles and, through foreign keys, everything that
// hangs off them (attributes, annotations), all in one transaction.
func (s *Store) DeleteArticles(ctx context.Context, ids []int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		del, err := tx.PrepareContext(ctx, "DELETE FROM articles WHERE id = ?")
		if err != nil {
			return err
		}
		defer del.Close()
		for _, id := range ids {
			if err := dropClustersOf(ctx, tx, id); err != nil {
				return err
			}
			r, err := del.ExecContext(ctx, id)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return Errorf(ENotFound, "no article %d in this project", id)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete articles: %w", err)
	}
	return nil
}

// Outlets lists the distinct outlets in the project, for the library filter.
func (s *Store) Outlets(ctx context.Context) ([]string, error) {
	var out []string
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT DISTINCT outlet FROM articles WHERE outlet <> '' ORDER BY outlet COLLATE NOCASE")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o string
			if err := rows.Scan(&o); err != nil {
				return err
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("outlets: %w", err)
	}
	return out, nil
}

// Stats counts the project's contents.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT nullif(outlet, '')), coalesce(sum(words), 0),
				(SELECT count(*) FROM clusters WHERE articles >= 2), (SELECT count(*) FROM annotations) FROM articles`).
			Scan(&st.Articles, &st.Outlets, &st.Words, &st.Clusters, &st.Annotations)
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}
