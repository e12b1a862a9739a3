package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Which of two articles sharing a text is the original. The copy finder
// looks among the articles imported before a new one, so by itself it
// makes the first imported the original: a folder read in file order made
// a 09:00 story a copy of the 11:00 one that reprinted it. Where the
// publication dates tell which came first, the earlier-published article
// is the original, whatever the import order; where they do not (a date
// missing, inferred or a placeholder, two times on one day of which one
// gives no time, two days alike), nothing says which came first and the
// import order stands.
//
// A syndicated text is a family: an original and the articles that repeat
// it (a copy of a copy now and then, for a near-copy closer to another
// copy than to the original). An article published before the family's
// original becomes the family's original: the old original and its copies
// are re-pointed to it, each with the share of its own words found in it.
// A copy too little of whose words the new original holds keeps its link
// to the old original, which stays in the family as the new original's
// copy, so the family stays one (see the trace's syndication). An old
// original too little of whose words the new article holds is no copy of
// it, and the new article, published first, is no copy of the old
// original either: the two are left unlinked.

// copyDate is an article's date as the copy rule reads it: ok only for a
// date its source stated. A date Parallax inferred (a dateline, an
// agency's sign-off) is the same for every copy of the text whichever
// outlet ran it, and a placeholder (a timestamp of 0) is no day anything
// was published on: neither says which copy came first.
type copyDate struct {
	date Date
	ok   bool
}

func copyDateOf(d Date, inferred bool) copyDate {
	why, _ := d.Placeholder()
	return copyDate{date: d, ok: !inferred && !d.IsZero() && why == ""}
}

// storedCopyDate is copyDateOf for a date and inferred fields as stored.
func storedCopyDate(date, inferred string) copyDate {
	d, err := ParseDateTime(date)
	if err != nil {
		return copyDate{}
	}
	return copyDateOf(d, slices.Contains(splitInferred(inferred), FieldDate))
}

// before reports whether the dates say a was published before b: both
// known and a's whole span (see Date.Span) ending before b's begins, as
// OrderDates orders them. A time without a zone is read as UTC there; set
// against a time with a zone it could be anywhere a zone puts it (as the
// trace reads it in a project that mixes the two), so it orders only
// against times further off.
func (a copyDate) before(b copyDate) bool {
	if !a.ok || !b.ok {
		return false
	}
	_, ahi, aok := a.date.Span()
	blo, _, bok := b.date.Span()
	if !aok || !bok {
		return false
	}
	if a.date.HasTime() && b.date.HasTime() && a.date.Zoned != b.date.Zoned {
		// Zones run from 12 hours behind UTC to 14 ahead: a clock time t
		// is t+12h UTC at the latest and t-14h at the earliest.
		if !a.date.Zoned {
			ahi = ahi.Add(12 * time.Hour)
		} else {
			blo = blo.Add(-14 * time.Hour)
		}
	}
	return !ahi.After(blo)
}

// linked is what orienting a copy link needs of a stored article.
type linked struct {
	id, copyOf int64
	hash       string
	when       copyDate
}

// readLinked reads article id as links has it: its copy link is the one
// links holds for it, if any, else the stored one.
func readLinked(ctx context.Context, tx *sql.Tx, links *copyLinks, id int64) (linked, error) {
	l := linked{id: id}
	var date, inferred string
	err := tx.QueryRowContext(ctx, "SELECT coalesce(copy_of, 0), hash, date, inferred FROM articles WHERE id = ?", id).
		Scan(&l.copyOf, &l.hash, &date, &inferred)
	if err != nil {
		return l, fmt.Errorf("read article %d: %w", id, err)
	}
	if p, ok := links.pending(id); ok {
		l.copyOf = p.of
	}
	l.when = storedCopyDate(date, inferred)
	return l, nil
}

// familyOriginal follows the copy links (as links has them) from article
// from to the original of its family. loop reports that the links come
// round to self (an article the caller is giving a link: from is then one
// of its own copies) or to an article already passed (a damaged
// project's loop).
func familyOriginal(ctx context.Context, tx *sql.Tx, links *copyLinks, from, self int64) (orig linked, loop bool, err error) {
	seen := map[int64]bool{self: true}
	for id := from; ; {
		if seen[id] {
			return orig, true, nil
		}
		seen[id] = true
		if orig, err = readLinked(ctx, tx, links, id); err != nil || orig.copyOf == 0 {
			return orig, false, err
		}
		id = orig.copyOf
	}
}

// copyLinks are copy links made inside one transaction and not yet
// written. A batch listed newest first has each article take its family
// over from the one before (see adopt), and writing every member's new
// link at each change, one UPDATE of the member's row (text and all)
// each, made the batch cost the square of the family's size: 600 copies
// took 8 s newest first against 0.4 s oldest first. The links are kept
// here instead, read through here by whatever follows a link during the
// batch (orient, adopt), and written once each by flush, whose caller
// must flush before anything reads copy_of from the table.
//
// A nil *copyLinks holds nothing and writes each link at once.
type copyLinks struct {
	to map[int64]pendingLink
	// copies are, by original, the articles whose pending link is to it.
	copies map[int64]map[int64]bool
}

// pendingLink is an article's copy link not yet written: of (0 for
// none), with share; hash is the article's text hash, which adopt needs
// of each member and no one changes before the next flush (a new
// version flushes first: see articleInserter.add).
type pendingLink struct {
	of    int64
	share float64
	hash  string
}

func newCopyLinks() *copyLinks {
	return &copyLinks{to: map[int64]pendingLink{}, copies: map[int64]map[int64]bool{}}
}

// pending returns article id's link not yet written, if it has one.
func (l *copyLinks) pending(id int64) (pendingLink, bool) {
	if l == nil {
		return pendingLink{}, false
	}
	p, ok := l.to[id]
	return p, ok
}

// set gives article id (hash its text's) the copy link to copyOf (none,
// when 0) with share: kept for flush, or written at once when l is nil.
func (l *copyLinks) set(ctx context.Context, tx *sql.Tx, id, copyOf int64, share float64, hash string) error {
	if l == nil {
		return setCopy(ctx, tx, id, copyOf, share)
	}
	if copyOf == 0 {
		share = 0
	}
	if p, ok := l.to[id]; ok && p.of != 0 {
		delete(l.copies[p.of], id)
	}
	l.to[id] = pendingLink{of: copyOf, share: share, hash: hash}
	if copyOf != 0 {
		if l.copies[copyOf] == nil {
			l.copies[copyOf] = map[int64]bool{}
		}
		l.copies[copyOf][id] = true
	}
	return nil
}

// flush writes the links not yet written, one UPDATE each, in ID order.
func (l *copyLinks) flush(ctx context.Context, tx *sql.Tx) error {
	if l == nil || len(l.to) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, "UPDATE articles SET copy_of = ?, copy_share = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer st.Close()
	ids := slices.Sorted(maps.Keys(l.to))
	for _, id := range ids {
		p := l.to[id]
		if _, err := st.ExecContext(ctx, nullID(p.of), p.share, id); err != nil {
			return fmt.Errorf("mark article %d a copy of %d: %w", id, p.of, err)
		}
	}
	clear(l.to)
	clear(l.copies)
	return nil
}

// familyMember is an article of a family, with its text's hash.
type familyMember struct {
	id   int64
	hash string
}

// directFamily is article old and its direct copies, as links has them,
// but for article except, in ID order.
func directFamily(ctx context.Context, tx *sql.Tx, links *copyLinks, old, except int64) ([]familyMember, error) {
	var members []familyMember
	in := map[int64]bool{}
	err := eachRow(ctx, tx, "SELECT id, hash FROM articles WHERE (id = ?1 OR copy_of = ?1) AND id <> ?2",
		[]any{old, except}, func(rows *sql.Rows) error {
			var m familyMember
			if err := rows.Scan(&m.id, &m.hash); err != nil {
				return err
			}
			if p, ok := links.pending(m.id); ok && m.id != old && p.of != old {
				return nil // no longer old's copy
			}
			in[m.id] = true
			members = append(members, m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read the copies of article %d: %w", old, err)
	}
	if links != nil {
		for id := range links.copies[old] {
			if !in[id] && id != except {
				members = append(members, familyMember{id: id, hash: links.to[id].hash})
			}
		}
	}
	slices.SortFunc(members, func(a, b familyMember) int { return cmp.Compare(a.id, b.id) })
	return members, nil
}

// textPrints reads article id's text and fingerprints it.
func textPrints(ctx context.Context, tx *sql.Tx, id int64) ([]sentencePrint, int, error) {
	var text string
	if err := tx.QueryRowContext(ctx, "SELECT text FROM articles WHERE id = ?", id).Scan(&text); err != nil {
		return nil, 0, fmt.Errorf("read article %d's text: %w", id, err)
	}
	prints, words := sentencePrints(text)
	return prints, words, nil
}

// printSet is prints' fingerprints, to look another text's up in.
func printSet(prints []sentencePrint) map[int64]bool {
	set := make(map[int64]bool, len(prints))
	for _, p := range prints {
		set[p.hash] = true
	}
	return set
}

// shareIn is the share of a text's words (its hash, fingerprints and word
// count) found in another text (its hash and fingerprints), as the copy
// finder measures it, and whether that makes the first a copy of the
// second.
func shareIn(hash string, prints []sentencePrint, words int, inHash string, in map[int64]bool) (float64, bool) {
	if hash == inHash {
		return 1, true
	}
	common := 0
	for _, p := range prints {
		if in[p.hash] {
			common += p.words
		}
	}
	return nearShare(common, words)
}

// newcomer is an article being given its copy link: self is its ID (0
// before it is stored), when its date, and hash, prints and words its
// text's.
type newcomer struct {
	self   int64
	when   copyDate
	hash   string
	prints []sentencePrint
	words  int
}

// orient applies the publication dates to the link the copy finder found
// (copyOf, share; see the comment at the top of this file). It returns
// the link to record, and adoptFrom: the original of the family the
// article is to become the original of, which adopt re-points once the
// article is stored (0 for none).
func orient(ctx context.Context, tx *sql.Tx, links *copyLinks, n newcomer, copyOf int64, share float64) (int64, float64, int64, error) {
	if copyOf == 0 {
		return 0, 0, 0, nil
	}
	orig, loop, err := familyOriginal(ctx, tx, links, copyOf, n.self)
	if err != nil {
		return 0, 0, 0, err
	}
	if loop {
		// The links come round to where they started (a damaged
		// project's loop; versionCopy passes over a new version's own
		// copies): no link may join it.
		return 0, 0, 0, nil
	}
	if !n.when.ok {
		return copyOf, share, 0, nil
	}
	if n.when.before(orig.when) {
		prints, words, err := textPrints(ctx, tx, orig.id)
		if err != nil {
			return 0, 0, 0, err
		}
		if _, ok := shareIn(orig.hash, prints, words, n.hash, printSet(n.prints)); ok {
			return 0, 0, orig.id, nil
		}
		return 0, 0, 0, nil
	}
	if copyOf == orig.id {
		return copyOf, share, 0, nil
	}
	// The finder matched a copy of the family's original that the dates
	// put after this article: the original, if it holds enough of this
	// article's words, is what it repeats; if not, the closer copy stays
	// the link, as nothing earlier in the family has its text.
	c, err := readLinked(ctx, tx, links, copyOf)
	if err != nil || !n.when.before(c.when) {
		return copyOf, share, 0, err
	}
	prints, _, err := textPrints(ctx, tx, orig.id)
	if err != nil {
		return 0, 0, 0, err
	}
	if s, ok := shareIn(n.hash, n.prints, n.words, orig.hash, printSet(prints)); ok {
		return orig.id, s, 0, nil
	}
	return copyOf, share, 0, nil
}

// adopt makes article id (hash and prints its text's) the original of the
// family whose original was old, published after it (see orient): old
// and old's copies that id holds enough of the words of are re-pointed to
// id, each with the share of its words found in id's text; the others
// stay old's copies. The links are read and set through links (see
// copyLinks). It returns the links it made. cache (nil for none) holds
// the fingerprints of texts already read: a batch listed newest first has
// each article take the family over again, and re-reading and
// fingerprinting every copy each time made it cost the square of the
// family's size.
func adopt(ctx context.Context, tx *sql.Tx, links *copyLinks, id int64, hash string, prints []sentencePrint, old int64, cache printCache) ([]Copy, error) {
	members, err := directFamily(ctx, tx, links, old, id)
	if err != nil {
		return nil, err
	}
	in := printSet(prints)
	var out []Copy
	for _, m := range members {
		var mp []sentencePrint
		var mw int
		if m.hash != hash { // the same text needs no fingerprints (shareIn)
			if mp, mw, err = cache.prints(ctx, tx, m.id, m.hash); err != nil {
				return nil, err
			}
		}
		share, ok := shareIn(m.hash, mp, mw, hash, in)
		if !ok {
			continue
		}
		if err := links.set(ctx, tx, m.id, id, share, m.hash); err != nil {
			return nil, err
		}
		out = append(out, Copy{ID: m.id, Share: share})
	}
	return out, nil
}

// printCache holds texts' fingerprints and word counts by article ID,
// each with the hash of the text it was made from, so that a new version
// is never read by its old text's prints.
type printCache map[int64]cachedPrints

type cachedPrints struct {
	hash   string
	prints []sentencePrint
	words  int
}

// put records article id's fingerprints (of the text with this hash).
func (c printCache) put(id int64, hash string, prints []sentencePrint, words int) {
	if c != nil {
		c[id] = cachedPrints{hash: hash, prints: prints, words: words}
	}
}

// prints returns article id's fingerprints and word count: from the cache
// if they are of the text with this hash, else read (see textPrints) and
// kept.
func (c printCache) prints(ctx context.Context, tx *sql.Tx, id int64, hash string) ([]sentencePrint, int, error) {
	if p, ok := c[id]; ok && p.hash == hash {
		return p.prints, p.words, nil
	}
	prints, words, err := textPrints(ctx, tx, id)
	if err == nil {
		c.put(id, hash, prints, words)
	}
	return prints, words, err
}

// linkedArticles reads the articles with a copy link and their
// originals. Each side is looked up in the copy_of index: a condition
// with OR had SQLite read the whole table, texts and all.
const linkedArticles = `SELECT id, coalesce(copy_of, 0), hash, date, inferred FROM articles WHERE id IN (
	SELECT id FROM articles WHERE copy_of IS NOT NULL UNION ALL SELECT copy_of FROM articles WHERE copy_of IS NOT NULL)`

// orientCopies is migration 15's Go step: the copy links a project holds
// were made in import order; a family (see the comment at the top of this
// file) one of whose copies the dates put before its original gets that
// copy as its original, as an import now would: the earliest of those
// that hold enough of the original's words (see orient). Where none does,
// the family is left as it is: an article cannot be the original of a
// text it holds too little of, and cutting its link would only lose what
// the import found. Only the articles with a copy link and their
// originals are read, and the texts of the families the dates put out of
// order. The articles of the whole-article clusters of an article whose
// link changed are marked unaligned, for the next analysis to build
// those clusters again.
func orientCopies(ctx context.Context, tx *sql.Tx) error {
	arts := map[int64]linked{}
	err := eachRow(ctx, tx, linkedArticles, nil, func(rows *sql.Rows) error {
		var l linked
		var date, inferred string
		if err := rows.Scan(&l.id, &l.copyOf, &l.hash, &date, &inferred); err != nil {
			return err
		}
		l.when = storedCopyDate(date, inferred)
		arts[l.id] = l
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the copy links: %w", err)
	}
	families := map[int64][]int64{}
	for id, l := range arts {
		if l.copyOf == 0 {
			continue
		}
		seen := map[int64]bool{}
		root := id
		for arts[root].copyOf != 0 && !seen[root] {
			seen[root] = true
			root = arts[root].copyOf
		}
		if arts[root].copyOf != 0 {
			continue // a damaged project's loop of links: left as it is
		}
		families[root] = append(families[root], id)
	}
	roots := make([]int64, 0, len(families))
	for r := range families {
		roots = append(roots, r)
	}
	slices.Sort(roots)
	for _, root := range roots {
		members := families[root]
		slices.Sort(members)
		first, prints, err := earliestHolder(ctx, tx, arts, root, members)
		if err != nil {
			return err
		}
		if first.id == 0 {
			continue
		}
		if err := reroot(ctx, tx, first, prints, root); err != nil {
			return err
		}
	}
	return nil
}

// earliestHolder returns the member of root's family (members, in ID
// order) that is to be its original: of those the dates put before root
// and whose text holds enough of root's words, one no other of them is
// before, with its text's fingerprints; none (an ID of 0) when no member
// is before root or none of those holds it.
func earliestHolder(ctx context.Context, tx *sql.Tx, arts map[int64]linked, root int64, members []int64) (linked, []sentencePrint, error) {
	r := arts[root]
	var rootPrints []sentencePrint
	var rootWords int
	var holders []linked
	held := map[int64][]sentencePrint{}
	for _, m := range members {
		l := arts[m]
		if !l.when.before(r.when) {
			continue
		}
		if rootPrints == nil {
			var err error
			if rootPrints, rootWords, err = textPrints(ctx, tx, root); err != nil {
				return linked{}, nil, err
			}
		}
		mp, _, err := textPrints(ctx, tx, m)
		if err != nil {
			return linked{}, nil, err
		}
		if _, ok := shareIn(r.hash, rootPrints, rootWords, l.hash, printSet(mp)); ok {
			holders = append(holders, l)
			held[m] = mp
		}
	}
	if len(holders) == 0 {
		return linked{}, nil, nil
	}
	// Each step moves to a strictly earlier one, so it ends.
	first := holders[0]
	for moved := true; moved; {
		moved = false
		for _, h := range holders {
			if h.when.before(first.when) {
				first, moved = h, true
			}
		}
	}
	return first, held[first.id], nil
}

// reroot makes the family member first (prints its text's fingerprints),
// which holds enough of root's words, the original of the family whose
// original was root, as an import of first would (see orient and adopt),
// and marks the whole-article clusters of the articles whose link changed
// for the next analysis.
func reroot(ctx context.Context, tx *sql.Tx, first linked, prints []sentencePrint, root int64) error {
	if err := setCopy(ctx, tx, first.id, 0, 0); err != nil {
		return err
	}
	moved, err := adopt(ctx, tx, nil, first.id, first.hash, prints, root, nil)
	if err != nil {
		return err
	}
	changed := []int64{first.id}
	for _, c := range moved {
		changed = append(changed, c.ID)
	}
	for _, id := range changed {
		if err := unalignWholeClusters(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// unalignWholeClusters marks unaligned the articles of the whole-article
// clusters of article id, built from a copy link that changed, for the
// next analysis to build them again (the clusters stay until then, with
// any notes on them, which the analysis carries over as it does every
// note).
func unalignWholeClusters(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE analysis SET aligned = 0 WHERE article_id IN (
		SELECT m.article_id FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id
		WHERE c.kind = 'article' AND m.cluster_id IN (SELECT cluster_id FROM cluster_members WHERE article_id = ?))`, id); err != nil {
		return fmt.Errorf("mark article %d's whole-article clusters for the next analysis: %w", id, err)
	}
	return nil
}

// keepCopiesOf is what deleting article id does to its copies, which the
// schema's ON DELETE SET NULL would unlink: one wrongly dated article,
// imported last, takes its family over (adopt), and deleting it then cut
// every copy from the others. Before id is deleted, the earliest of its
// direct copies (by the dates, by import order where they do not tell;
// not one of those in deleting, which go too) becomes the original of the
// others that it holds enough of the words of; the rest go to id's own
// original, where it holds enough of theirs, and are left unlinked
// otherwise; the earliest copy itself goes to id's original where that
// holds enough of its words. Each share is the copy's words found in its
// new original. The whole-article clusters of the re-pointed copies are
// marked for the next analysis, as migration 15 marks them (see reroot).
func keepCopiesOf(ctx context.Context, tx *sql.Tx, id int64, deleting map[int64]bool) error {
	var copies []linked
	err := eachRow(ctx, tx, "SELECT id, hash, date, inferred FROM articles WHERE copy_of = ? ORDER BY id", []any{id}, func(rows *sql.Rows) error {
		l := linked{copyOf: id}
		var date, inferred string
		if err := rows.Scan(&l.id, &l.hash, &date, &inferred); err != nil {
			return err
		}
		l.when = storedCopyDate(date, inferred)
		copies = append(copies, l)
		return nil
	})
	if err != nil || len(copies) == 0 {
		return err
	}
	d, err := readLinked(ctx, tx, nil, id)
	if err != nil {
		return err
	}
	// id's original, unless its links come round to id (a damaged
	// project's loop): linking id's copies to it would close the loop.
	var orig familyMember
	if d.copyOf != 0 {
		if _, loop, err := familyOriginal(ctx, tx, nil, d.copyOf, id); err != nil {
			return err
		} else if !loop {
			orig.id = d.copyOf
		}
	}
	var first linked
	for _, c := range copies {
		if !deleting[c.id] && (first.id == 0 || c.when.before(first.when)) {
			first = c
		}
	}
	// Each step moves to a strictly earlier one, so it ends.
	for moved := first.id != 0; moved; {
		moved = false
		for _, c := range copies {
			if !deleting[c.id] && c.when.before(first.when) {
				first, moved = c, true
			}
		}
	}
	// holders are the new originals to try, in order, each with its
	// text's fingerprints.
	type holder struct {
		id, skip int64 // skip: the copy it is no original for (itself)
		hash     string
		in       map[int64]bool
	}
	var holders []holder
	for _, h := range []holder{{id: first.id, skip: first.id, hash: first.hash}, {id: orig.id}} {
		if h.id == 0 {
			continue
		}
		prints, _, err := textPrints(ctx, tx, h.id)
		if err != nil {
			return err
		}
		if h.hash == "" {
			if err := tx.QueryRowContext(ctx, "SELECT hash FROM articles WHERE id = ?", h.id).Scan(&h.hash); err != nil {
				return fmt.Errorf("read article %d: %w", h.id, err)
			}
		}
		h.in = printSet(prints)
		holders = append(holders, h)
	}
	for _, c := range copies {
		prints, words, err := textPrints(ctx, tx, c.id)
		if err != nil {
			return err
		}
		var to int64
		var share float64
		for _, h := range holders {
			if h.skip == c.id {
				continue
			}
			if s, ok := shareIn(c.hash, prints, words, h.hash, h.in); ok {
				to, share = h.id, s
				break
			}
		}
		if err := setCopy(ctx, tx, c.id, to, share); err != nil {
			return err
		}
		if err := unalignWholeClusters(ctx, tx, c.id); err != nil {
			return err
		}
	}
	return nil
}
