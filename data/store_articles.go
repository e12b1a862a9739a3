package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// AddArticles stores a batch of articles in one transaction: either all new
// ones are added or, on error or cancellation, none are. progress, if not
// nil, is called as the batch advances.
//
// An article whose text is already in the project is a duplicate only when
// it comes from the same outlet and the same source: the same file, the
// same URL, or, where neither says, the same date, outlet and date both
// stated rather than missing or inferred. The same text under
// another outlet, URL or date is added as a copy of the first article with
// that text (syndicated or wire copy, which a researcher wants to see), and
// an article most of whose sentences an earlier one has is added as a
// near-copy of it. An article with Sheet metadata whose file is already in
// the project with the same text takes that metadata instead.
//
// A large batch is stored without its search index entries, which are then
// made in short steps (see indexPending): indexing is most of an import's
// work, and this way another program that wants to write to the project
// waits for one step, not for the whole import. Until its step has run an
// article is in the library but not yet found by a search; if indexing is
// cut short (cancelled, the process killed) it resumes with the next
// import or the next time the project is opened. A cancellation then no longer undoes the batch, which
// is already saved.
func (s *Store) AddArticles(ctx context.Context, arts []Article, progress func(done, total int)) ([]AddResult, error) {
	res := make([]AddResult, len(arts))
	now := s.Now().UTC().Format(time.RFC3339)
	deferIndex := len(arts) > ftsStep
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var batchStart int64
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM articles").Scan(&batchStart); err != nil {
			return err
		}
		ins, err := newArticleInserter(ctx, tx, now)
		if err != nil {
			return err
		}
		defer ins.close()
		if deferIndex {
			if err := ins.deferIndex(ctx, tx, batchStart); err != nil {
				return err
			}
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
			r, err := ins.add(ctx, tx, a, batchStart)
			if err != nil {
				if ctx.Err() != nil {
					// A cancelled transaction closes its statements; the
					// cancellation is the cause, not the closed statement.
					return ctx.Err()
				}
				return fmt.Errorf("%s: %w", a.Source, err)
			}
			res[i] = r
			if progress != nil && (i%64 == 63 || i == len(arts)-1) {
				progress(i+1, len(arts))
			}
		}
		// The links adopt kept back are written once each (see copyLinks).
		if err := ins.links.flush(ctx, tx); err != nil {
			return err
		}
		ins.settle(res)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("add articles: %w", err)
	}
	// The batch is saved: a cancellation only postpones the indexing (of
	// this batch, or of one cut short before) to the next import or open,
	// and any other failure is reported without pretending that nothing
	// was stored.
	if err := s.indexPending(ctx, progress); err != nil && !errors.Is(err, context.Canceled) {
		return res, &IndexError{Err: err}
	}
	return res, nil
}

// add stores one article of a batch (see AddArticles).
func (w *articleInserter) add(ctx context.Context, tx *sql.Tx, a Article, batchStart int64) (AddResult, error) {
	hash := ContentHash(a.Text)
	same, err := w.sameText(ctx, hash)
	if err != nil {
		return AddResult{}, err
	}
	if a.Sheet != nil {
		for _, o := range same {
			if o.source != "" && o.source == a.Source {
				changed, err := applySheet(ctx, tx, o.id, *a.Sheet, a.Attributes)
				return AddResult{ID: o.id, MetaUpdated: changed, Duplicate: !changed}, err
			}
		}
	}
	for _, o := range same {
		if o.duplicates(a) {
			return AddResult{ID: o.id, Duplicate: true}, nil
		}
	}
	words := a.Words
	if words == 0 {
		words = CountWords(a.Text)
	}
	prints, printWords := sentencePrints(a.Text)
	// Not a duplicate, so a same-file, same-outlet article found here has
	// other text: this is its new version.
	if prev, ok, err := previousVersion(ctx, tx, a, batchStart); err != nil {
		return AddResult{}, err
	} else if ok {
		// What follows reads the copy links from the table (versionCopy)
		// and changes prev's text, whose hash a pending link holds.
		if err := w.links.flush(ctx, tx); err != nil {
			return AddResult{}, err
		}
		rep, err := replaceVersion(ctx, tx, prev, a, hash, words, w.now)
		if err != nil {
			return AddResult{}, err
		}
		r := AddResult{ID: prev, Updated: true, Reanchor: rep}
		if _, err := tx.ExecContext(ctx, "DELETE FROM article_sentences WHERE article_id = ?", prev); err != nil {
			return AddResult{}, err
		}
		n := newcomer{self: prev, when: copyDateOf(a.Date, a.IsInferred(FieldDate)), hash: hash, prints: prints, words: printWords}
		copyOf, share, err := w.copies.versionCopy(ctx, tx, prev, hash, prints, printWords)
		if err != nil {
			return AddResult{}, err
		}
		var from int64
		if r.CopyOf, r.CopyShare, from, err = orient(ctx, tx, w.links, n, copyOf, share); err != nil {
			return AddResult{}, err
		}
		if err := w.links.set(ctx, tx, prev, r.CopyOf, r.CopyShare, hash); err != nil {
			return AddResult{}, err
		}
		if _, ok := w.relinked[prev]; ok {
			// An earlier article of the batch adopted prev: the report
			// says what this version's link is, and the adopter no
			// longer counts prev among its copies if it lost it.
			w.relinked[prev] = relink{of: r.CopyOf, share: r.CopyShare}
		}
		if err := w.adopt(ctx, tx, &r, n, from); err != nil {
			return AddResult{}, err
		}
		w.prints.put(prev, hash, prints, printWords)
		return r, w.copies.store(ctx, prev, prints)
	}
	// What it copies is found before it is stored: setting it afterwards
	// would rewrite the whole row, text included.
	var r AddResult
	var copyOf int64
	var share float64
	if len(same) > 0 {
		copyOf, share = same[0].id, 1
	} else if copyOf, share, err = w.copies.nearest(ctx, prints, printWords, 0); err != nil {
		return AddResult{}, err
	}
	n := newcomer{when: copyDateOf(a.Date, a.IsInferred(FieldDate)), hash: hash, prints: prints, words: printWords}
	var from int64
	if r.CopyOf, r.CopyShare, from, err = orient(ctx, tx, w.links, n, copyOf, share); err != nil {
		return AddResult{}, err
	}
	a.CopyOf, a.CopyShare = r.CopyOf, r.CopyShare
	if r.ID, err = w.insert(ctx, a, hash, words); err != nil {
		return AddResult{}, err
	}
	n.self = r.ID
	if err := w.adopt(ctx, tx, &r, n, from); err != nil {
		return AddResult{}, err
	}
	w.prints.put(r.ID, hash, prints, printWords)
	return r, w.copies.store(ctx, r.ID, prints)
}

// adopt makes the stored article r.ID (n) the original of the family
// whose original was from, published after it (see orient; none when
// from is 0), and notes the links it made, for AddArticles to report the
// batch's articles as they end up.
func (w *articleInserter) adopt(ctx context.Context, tx *sql.Tx, r *AddResult, n newcomer, from int64) error {
	if from == 0 {
		return nil
	}
	moved, err := adopt(ctx, tx, w.links, n.self, n.hash, n.prints, from, w.prints)
	if err != nil {
		return fmt.Errorf("make article %d the original of article %d's text: %w", n.self, from, err)
	}
	if w.relinked == nil {
		w.relinked = map[int64]relink{}
	}
	for _, c := range moved {
		r.OriginalOf = append(r.OriginalOf, c.ID)
		w.relinked[c.ID] = relink{of: n.self, share: c.Share}
	}
	return nil
}

// relink is a copy link an article of the batch was given after it was
// added: of, with share.
type relink struct {
	of    int64
	share float64
}

// settle brings the results of a batch up to the copy links its later
// articles made (see articleInserter.adopt): an article added as no copy,
// or as a copy of one found published later, is reported as it is stored.
func (w *articleInserter) settle(res []AddResult) {
	if len(w.relinked) == 0 {
		return
	}
	for i := range res {
		r := &res[i]
		if l, ok := w.relinked[r.ID]; ok && !r.Duplicate && !r.MetaUpdated {
			r.CopyOf, r.CopyShare = l.of, l.share
		}
		r.OriginalOf = slices.DeleteFunc(r.OriginalOf, func(id int64) bool { return w.relinked[id].of != r.ID })
	}
}

// IndexError reports that a batch was stored but not all of it could be
// indexed for search yet; indexing resumes when the project is next opened.
type IndexError struct{ Err error }

func (e *IndexError) Error() string {
	return fmt.Sprintf("the articles were saved, but indexing them for search stopped (%v); it resumes when the project is next opened", e.Err)
}

// Unwrap returns the cause.
func (e *IndexError) Unwrap() error { return e.Err }

// ftsStep is how many articles one indexing step indexes: at most a few
// hundred milliseconds of holding the write lock on a slow machine.
const ftsStep = 512

// indexPending makes the search index entries of the articles stored
// without them (see AddArticles), one short transaction per step, with a
// pause between steps in which a waiting writer gets the lock.
func (s *Store) indexPending(ctx context.Context, progress func(done, total int)) error {
	var total int
	if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM fts_pending").Scan(&total); err != nil {
		return s.explainFile(err)
	}
	for done := 0; done < total; {
		var n int64
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts(rowid, title, text)
				SELECT id, title, text FROM articles
				WHERE id IN (SELECT article_id FROM fts_pending ORDER BY article_id LIMIT ?)`, ftsStep); err != nil {
				return err
			}
			r, err := tx.ExecContext(ctx, "DELETE FROM fts_pending WHERE article_id IN (SELECT article_id FROM fts_pending ORDER BY article_id LIMIT ?)", ftsStep)
			if err != nil {
				return err
			}
			n, err = r.RowsAffected()
			return err
		})
		if err != nil {
			return fmt.Errorf("index articles for search: %w", err)
		}
		if n == 0 {
			return nil // another Parallax indexed the rest
		}
		done += int(n)
		if progress != nil {
			progress(min(done, total), total)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

// articleInserter adds articles inside one transaction, with its
// statements prepared once: imports add thousands of articles at a time.
type articleInserter struct {
	find, ins, attr, pend *sql.Stmt
	copies                *copyFinder
	// relinked are the batch's articles given a new copy link by a later
	// one published before them (see adopt).
	relinked map[int64]relink
	// prints are the fingerprints of the texts the batch stored or
	// adopt read, for adopt to read and fingerprint each text once.
	prints printCache
	// links are the copy links adopt made and the batch has not yet
	// written (see copyLinks): whoever uses the inserter flushes them
	// before its transaction reads copy_of from the table.
	links *copyLinks
	now   string // the import time, RFC 3339 UTC
	// next is the ID the next article gets when pend is set: its
	// fts_pending row must exist before the article row, whose insert
	// trigger would otherwise index it at once.
	next int64
}

func newArticleInserter(ctx context.Context, tx *sql.Tx, now string) (*articleInserter, error) {
	w := &articleInserter{now: now, prints: printCache{}, links: newCopyLinks()}
	var err error
	if w.find, err = tx.PrepareContext(ctx, "SELECT id, outlet, date, url, source, inferred FROM articles WHERE hash = ? ORDER BY id"); err != nil {
		return nil, err
	}
	if w.ins, err = tx.PrepareContext(ctx, `INSERT INTO articles
			(id, outlet, date, title, url, author, text, words, hash, source, imported, inferred, copy_of, copy_share)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		w.close()
		return nil, err
	}
	if w.attr, err = tx.PrepareContext(ctx, "INSERT INTO article_attributes(article_id, name, value) VALUES (?, ?, ?)"); err != nil {
		w.close()
		return nil, err
	}
	if w.copies, err = newCopyFinder(ctx, tx); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

// deferIndex makes the inserter leave the articles it adds to
// indexPending, numbering them from next (the first free ID).
func (w *articleInserter) deferIndex(ctx context.Context, tx *sql.Tx, next int64) error {
	var err error
	w.pend, err = tx.PrepareContext(ctx, "INSERT INTO fts_pending(article_id) VALUES (?)")
	w.next = next
	return err
}

func (w *articleInserter) close() {
	for _, st := range []*sql.Stmt{w.find, w.ins, w.attr, w.pend} {
		if st != nil {
			st.Close()
		}
	}
	if w.copies != nil {
		w.copies.close()
	}
}

// stored is what the duplicate rule needs of an article already stored.
type stored struct {
	id                        int64
	outlet, date, url, source string
	inferred                  []string
}

// duplicates reports whether a, with the same text, is the same article
// as o rather than a copy of it: the same outlet and the same source — the
// same file or URL, or, where neither tells, the same date.
//
// Without a file or URL in common, the outlet and date must be stated on
// both sides for the match to count: an outlet or date Parallax inferred
// from the text (a wire agency's sign-off, a dateline) is the same for
// every copy of that text whichever outlet ran it, and an empty one agrees
// with any other, so neither shows that two files hold one article.
// Such a pair is stored as a copy, which the researcher sees, rather than
// dropped, which nobody would.
func (o stored) duplicates(a Article) bool {
	if !strings.EqualFold(strings.TrimSpace(o.outlet), strings.TrimSpace(a.Outlet)) {
		return false
	}
	switch {
	case o.source != "" && o.source == a.Source, sameFile(o.source, a.Source):
		return true
	case o.url != "" && a.URL != "":
		return o.url == strings.TrimSpace(a.URL)
	}
	for _, f := range []string{FieldOutlet, FieldDate} {
		if slices.Contains(o.inferred, f) || a.IsInferred(f) {
			return false
		}
	}
	if strings.TrimSpace(a.Outlet) == "" || a.Date.IsZero() {
		return false
	}
	return sameDate(o.date, a.Date)
}

// sameFile reports whether the file an article was stored from (stored,
// its source) and the one a new article comes from (source) are one file
// by another path: the same file through a link, or the file moved (the
// folder renamed, the project opened on another machine), where the
// stored path no longer exists and the file's name is the same. Without
// it a moved folder of files without metadata came in again whole, each
// file as a copy of itself. Two files that both exist are two files,
// whatever their names: one agency story saved in two outlets' folders.
func sameFile(stored, source string) bool {
	if stored == "" || source == "" {
		return false
	}
	// An article of a multi-article export is "file#3": the same place
	// in the same file.
	sf, sPart := exportPart(stored)
	nf, nPart := exportPart(source)
	if sPart != nPart || filepath.Base(sf) != filepath.Base(nf) {
		return false
	}
	si, err := os.Stat(sf)
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err != nil {
		return false
	}
	ni, err := os.Stat(nf)
	return err == nil && os.SameFile(si, ni)
}

// exportPart splits an article's source into its file and its place in a
// multi-article export ("export.rtf#3": "export.rtf", "3"; "" for a file
// of one article).
func exportPart(source string) (file, part string) {
	if i := strings.LastIndexByte(source, '#'); i >= 0 && i+1 < len(source) && strings.Trim(source[i+1:], "0123456789") == "" {
		return source[:i], source[i+1:]
	}
	return source, ""
}

// sameDate reports whether a stored date and a new one date the same
// article: equal, or the same day where one of them gives no time (a
// database export states the time, the archived page only its day).
func sameDate(stored string, d Date) bool {
	if stored == d.String() {
		return true
	}
	o, err := ParseDateTime(stored)
	if err != nil || o.HasTime() && d.HasTime() {
		return false
	}
	return !o.IsZero() && o.DateOnly().String() == d.DateOnly().String()
}

// sameText lists the articles whose text has hash, oldest first.
func (w *articleInserter) sameText(ctx context.Context, hash string) ([]stored, error) {
	rows, err := w.find.QueryContext(ctx, hash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var o stored
		var inferred string
		if err := rows.Scan(&o.id, &o.outlet, &o.date, &o.url, &o.source, &inferred); err != nil {
			return nil, err
		}
		o.inferred = splitInferred(inferred)
		out = append(out, o)
	}
	return out, rows.Err()
}

// insert stores a as a new article with its attributes.
func (w *articleInserter) insert(ctx context.Context, a Article, hash string, words int) (int64, error) {
	var id any // nil: SQLite picks the next ID
	if w.pend != nil {
		id = w.next
		w.next++
		if _, err := w.pend.ExecContext(ctx, id); err != nil {
			return 0, err
		}
	}
	r, err := w.ins.ExecContext(ctx, id, a.Outlet, a.Date.String(), a.Title, a.URL, a.Author, a.Text, words, hash, a.Source, w.now,
		joinInferred(a.Inferred), nullID(a.CopyOf), a.CopyShare)
	if err != nil {
		return 0, err
	}
	newID, err := r.LastInsertId()
	if err != nil {
		return 0, err
	}
	for _, k := range a.AttributeNames() {
		if _, err := w.attr.ExecContext(ctx, newID, k, a.Attributes[k]); err != nil {
			return 0, fmt.Errorf("attribute %q: %w", k, err)
		}
	}
	return newID, nil
}

// applySheet sets the fields a metadata sheet gives, and attrs, on
// article id; the fields set are no longer flagged as inferred. changed
// reports whether anything differed.
func applySheet(ctx context.Context, tx *sql.Tx, id int64, sheet Meta, attrs map[string]string) (changed bool, err error) {
	cur, err := metaStates(ctx, tx, []int64{id})
	if err != nil {
		return false, err
	}
	if len(cur) == 0 {
		return false, Errorf(ENotFound, "no article %d in this project", id)
	}
	next := cur[0]
	next.Attributes = maps.Clone(next.Attributes)
	overlay := func(field string, to *string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*to = v
			next.Inferred = slices.DeleteFunc(slices.Clone(next.Inferred), func(f string) bool { return f == field })
		}
	}
	overlay(FieldTitle, &next.Title, sheet.Title)
	overlay(FieldOutlet, &next.Outlet, sheet.Outlet)
	overlay(FieldURL, &next.URL, sheet.URL)
	overlay(FieldAuthor, &next.Author, sheet.Author)
	if !sheet.Date.IsZero() {
		next.Date = sheet.Date
		next.Inferred = slices.DeleteFunc(next.Inferred, func(f string) bool { return f == FieldDate })
	}
	for k, v := range attrs {
		if next.Attributes == nil {
			next.Attributes = map[string]string{}
		}
		next.Attributes[k] = v
	}
	if next.equal(cur[0]) {
		return false, nil
	}
	return true, putMetaState(ctx, tx, next)
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
	// Its analysis is of the old text, clusters or none: marked
	// unaligned, it is one the clusters do not account for (see
	// ArticleStamp.Unanalysed) until the next analysis.
	if _, err := tx.ExecContext(ctx, "UPDATE analysis SET aligned = 0 WHERE article_id = ?", id); err != nil {
		return rep, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM reference_pins WHERE article_id = ?", id); err != nil {
		return rep, err
	}
	type moved struct {
		id       int64
		r        Reanchored
		a        Anchor
		orphaned bool
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, start, "end", exact, prefix, suffix, orphaned FROM annotations WHERE article_id = ?`, id)
	if err != nil {
		return rep, err
	}
	var todo []moved
	for rows.Next() {
		var m moved
		if err := rows.Scan(&m.id, &m.a.Start, &m.a.End, &m.a.Exact, &m.a.Prefix, &m.a.Suffix, &m.orphaned); err != nil {
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
	// An orphaned annotation's range and words are of an earlier version
	// than oldText, which it was never placed on: only its context can
	// place it (carried through this diff, an orphan of a corrected
	// figure landed on the same figure in another sentence).
	anchorer, orphans := NewAnchorer(oldText, a.Text), NewAnchorer("", a.Text)
	for _, m := range todo {
		if m.orphaned {
			m.r = orphans.Place(m.a)
		} else {
			m.r = anchorer.Place(m.a)
		}
		switch m.r.Status {
		case AnchorKept:
			rep.Kept++
		case AnchorMoved:
			rep.Moved++
		case AnchorOrphaned:
			rep.Orphaned++
		}
		// Re-anchoring follows the text; it is no edit of the coding, so
		// modified stays the coder's last change: merge and import take
		// the newer of two versions by it, and a re-import's time would
		// make the project's version win over a colleague's newer edit.
		// The move itself is in the ReanchorReport and the orphaned flag.
		if m.r.Status == AnchorOrphaned {
			if _, err := tx.ExecContext(ctx, "UPDATE annotations SET orphaned = 1 WHERE id = ?", m.id); err != nil {
				return rep, err
			}
			continue
		}
		s, e := m.r.Start, m.r.End
		prefix, suffix := QuoteContext(nr, s, e)
		if _, err := tx.ExecContext(ctx, `UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?, orphaned = 0 WHERE id = ?`,
			s, e, string(nr[s:e]), prefix, suffix, m.id); err != nil {
			return rep, err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE articles SET text = ?, hash = ?, words = ?, outlet = ?, date = ?, title = ?, url = ?, author = ?, imported = ?, inferred = ? WHERE id = ?`,
		a.Text, hash, words, a.Outlet, a.Date.String(), a.Title, a.URL, a.Author, now, joinInferred(a.Inferred), id)
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

// listQuery is the statement ListArticles runs for q, its arguments the
// outlet, whether only articles without one, and whether copies are
// hidden. Every column it reads is in the articles_list index, so that
// SQLite lists the library from the index and not from the articles'
// rows, which hold their text (TestListArticlesFromIndex).
func listQuery(q ListQuery) string {
	order, ok := orderBy[q.Sort]
	if !ok {
		order = orderBy[SortID]
	}
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	return `SELECT id, outlet, date, title, url, words, inferred, coalesce(copy_of, 0), copy_share FROM articles
		WHERE (?1 = '' OR outlet = ?1) AND (?2 = 0 OR outlet = '') AND (?3 = 0 OR copy_of IS NULL) ORDER BY ` +
		fmt.Sprintf(order, dir)
}

// ListArticles returns the library rows for q.
func (s *Store) ListArticles(ctx context.Context, q ListQuery) ([]Summary, error) {
	var out []Summary
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, listQuery(q), q.Outlet, q.NoOutlet, q.HideCopies)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sm Summary
			var date, inferred string
			if err := rows.Scan(&sm.ID, &sm.Outlet, &date, &sm.Title, &sm.URL, &sm.Words, &inferred, &sm.CopyOf, &sm.CopyShare); err != nil {
				return err
			}
			sm.Date, _ = ParseDateTime(date)
			sm.Inferred = splitInferred(inferred)
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

// Articles returns the articles with the given IDs, with their text and
// attributes, in ID order; IDs not in the project are left out.
func (s *Store) Articles(ctx context.Context, ids []int64) ([]Article, error) {
	if len(ids) == 0 {
		return nil, nil // articlesByID reads every article for nil
	}
	as, err := read(ctx, s, func(tx *sql.Tx) ([]Article, error) { return articlesByID(ctx, tx, uniqueIDs(ids)) })
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	return as, nil
}

// Fixed queries for articlesByID: a set of IDs is bound as one JSON array,
// never spliced into SQL, and all articles are read without a condition
// that would keep SQLite from walking the table in order.
const (
	articleColumns   = "SELECT id, outlet, date, title, url, author, text, words, source, imported, inferred, coalesce(copy_of, 0), copy_share FROM articles"
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
		var date, imported, inferred string
		if err := rows.Scan(&a.ID, &a.Outlet, &date, &a.Title, &a.URL, &a.Author, &a.Text, &a.Words, &a.Source, &imported,
			&inferred, &a.CopyOf, &a.CopyShare); err != nil {
			return nil, err
		}
		a.Inferred = splitInferred(inferred)
		a.Date, _ = ParseDateTime(date)
		a.Imported, _ = time.Parse(time.RFC3339, imported)
		index[a.ID] = len(out)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = eachAttribute(ctx, tx, attrQ, args, func(id int64) *map[string]string {
		if i, ok := index[id]; ok {
			return &out[i].Attributes
		}
		return nil
	})
	return out, err
}

// eachAttribute runs an attribute query (article_id, name, value) and
// stores each attribute in the map to returns for its article, made when
// first needed; attributes of articles to does not know (nil) are skipped.
func eachAttribute(ctx context.Context, tx *sql.Tx, query string, args []any, to func(id int64) *map[string]string) error {
	attrs, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer attrs.Close()
	for attrs.Next() {
		var id int64
		var k, v string
		if err := attrs.Scan(&id, &k, &v); err != nil {
			return err
		}
		m := to(id)
		if m == nil {
			continue
		}
		if *m == nil {
			*m = map[string]string{}
		}
		(*m)[k] = v
	}
	return attrs.Err()
}

// UpdateMeta replaces an article's editable metadata. The fields it
// changes are no longer flagged as inferred: the researcher has set them;
// nor are the fields confirmed names (FieldDate…), whose inferred values
// the researcher checked and kept.
func (s *Store) UpdateMeta(ctx context.Context, id int64, m Meta, confirmed ...string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := metaStates(ctx, tx, []int64{id})
		if err != nil {
			return err
		}
		if len(cur) == 0 {
			return Errorf(ENotFound, "no article %d in this project", id)
		}
		next := cur[0]
		next.Meta = trimMeta(m)
		next.Inferred = slices.DeleteFunc(keepUnchanged(cur[0], next.Meta), func(f string) bool { return slices.Contains(confirmed, f) })
		return putMetaState(ctx, tx, next)
	})
	if err != nil {
		return fmt.Errorf("update article %d: %w", id, err)
	}
	return nil
}

// DeleteArticles removes articles and, through foreign keys, everything that
// hangs off them (attributes, annotations), all in one transaction. The
// copies of a deleted article stay one family (see keepCopiesOf).
func (s *Store) DeleteArticles(ctx context.Context, ids []int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		del, err := tx.PrepareContext(ctx, "DELETE FROM articles WHERE id = ?")
		if err != nil {
			return err
		}
		defer del.Close()
		deleting := make(map[int64]bool, len(ids))
		for _, id := range ids {
			deleting[id] = true
		}
		for _, id := range ids {
			if err := keepCopiesOf(ctx, tx, id, deleting); err != nil {
				return err
			}
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
				(SELECT count(*) FROM clusters WHERE articles >= 2), (SELECT count(*) FROM annotations),
				count(*) FILTER (WHERE outlet = ''), count(copy_of) FROM articles`).
			Scan(&st.Articles, &st.Outlets, &st.Words, &st.Clusters, &st.Annotations, &st.NoOutlet, &st.Copies)
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}
