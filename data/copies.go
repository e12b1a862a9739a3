package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Syndication: the same text, or nearly, under another outlet, URL or
// date. Exact copies are found by the text's hash; near-copies (agency
// copy under a new headline, with a paragraph added or cut) by sentence
// fingerprints: each sentence of minSentenceWords words or more,
// normalised and hashed. A new article looks each of its fingerprints up in
// the article_sentences index, reading at most maxPostings articles per
// sentence, so the cost grows with the article, not with the project.

const (
	// minSentenceWords keeps short, common sentences ("She said:") out of
	// the fingerprints: they would make unrelated articles look alike.
	minSentenceWords = 6
	// maxPostings bounds how many articles a sentence is recorded for: the
	// first ones to have it. The original of a wire story carried by dozens
	// of outlets is always among them; what the bound leaves out is later
	// copies and boilerplate (a sign-off, a standard paragraph), whose
	// rows would otherwise make the index, and an import's lookups and
	// inserts, grow with the square of how common a sentence is.
	maxPostings = 4
	// NearCopyShare is the share of an article's text that must be found
	// in one earlier article for it to count as a near-copy of that article.
	NearCopyShare = 0.6
	// minCommonWords keeps two short articles that share one sentence from
	// counting as copies of each other.
	minCommonWords = 30
)

// sentencePrint is one sentence's fingerprint and its length in words.
type sentencePrint struct {
	hash  int64
	words int
}

// sentencePrints fingerprints text's sentences of minSentenceWords words
// or more, each once. Sentences end at a line break or at ". ", "! " or
// "? " (closing quotation marks and brackets may stand between); the
// fingerprint is of the sentence's words, lower-cased, without punctuation,
// so curly and straight quotes or a changed dash do not hide a copy.
//
// words counts the words of the text's sentences of any length, each
// distinct sentence once, as the fingerprints count them: the whole a
// near-copy's share is of. A sentence repeated (a page extracted with a
// passage twice) counts once, as its fingerprint is found once.
func sentencePrints(text string) (out []sentencePrint, words int) {
	seen := map[int64]bool{}
	var sentence []string
	var word strings.Builder
	endWord := func() {
		if word.Len() > 0 {
			sentence = append(sentence, word.String())
			word.Reset()
		}
	}
	endSentence := func() {
		endWord()
		if len(sentence) > 0 {
			h := fnv.New64a()
			for i, w := range sentence {
				if i > 0 {
					h.Write([]byte{' '})
				}
				h.Write([]byte(w))
			}
			k := int64(h.Sum64())
			if !seen[k] {
				seen[k] = true
				words += len(sentence)
				if len(sentence) >= minSentenceWords {
					out = append(out, sentencePrint{hash: k, words: len(sentence)})
				}
			}
		}
		sentence = sentence[:0]
	}
	rs := []rune(text)
	for i, r := range rs {
		switch {
		case r == '\n':
			endSentence()
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(unicode.ToLower(r))
		case r == '.' || r == '!' || r == '?':
			// A full stop inside a number or an abbreviation glued to the
			// next word ("1.5", "e.g.x") does not end the sentence.
			j := i + 1
			for j < len(rs) && strings.ContainsRune(`"'”’)]`, rs[j]) {
				j++
			}
			if j >= len(rs) || unicode.IsSpace(rs[j]) {
				endSentence()
			} else if !unicode.IsDigit(rs[j]) {
				endWord()
			}
		case r == '\'' || r == '’':
			// "children's" and "children’s" are one word either way.
		default:
			endWord()
		}
	}
	endSentence()
	return out, words
}

// copyFinder finds, inside one transaction, the earlier article a text
// repeats, with its statements prepared once for a whole import. Each
// statement handles all of an article's fingerprints at once, as a JSON
// array: one round trip per article rather than one per sentence, which
// made an import of ten thousand articles spend most of its time in the
// driver.
type copyFinder struct {
	postings, insert *sql.Stmt
}

func newCopyFinder(ctx context.Context, tx *sql.Tx) (*copyFinder, error) {
	f := &copyFinder{}
	var err error
	if f.postings, err = tx.PrepareContext(ctx, `SELECT j.key, (SELECT group_concat(article_id) FROM
			(SELECT article_id FROM article_sentences WHERE hash = j.value AND (?2 = 0 OR article_id < ?2) ORDER BY article_id LIMIT ?3))
		FROM json_each(?1) j`); err != nil {
		return nil, err
	}
	if f.insert, err = tx.PrepareContext(ctx, `INSERT OR IGNORE INTO article_sentences(hash, article_id, words)
		SELECT h, ?1, w FROM (SELECT json_extract(value, '$[0]') AS h, json_extract(value, '$[1]') AS w FROM json_each(?2))
		WHERE (SELECT count(*) FROM (SELECT 1 FROM article_sentences WHERE hash = h LIMIT ?3)) < ?3`); err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *copyFinder) close() {
	for _, st := range []*sql.Stmt{f.postings, f.insert} {
		if st != nil {
			st.Close()
		}
	}
}

// store records an article's fingerprints.
func (f *copyFinder) store(ctx context.Context, id int64, prints []sentencePrint) error {
	if len(prints) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, p := range prints {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%d,%d]", p.hash, p.words)
	}
	b.WriteByte(']')
	_, err := f.insert.ExecContext(ctx, id, b.String(), maxPostings)
	return err
}

// nearest returns the article before the ID before (any, when before is
// 0) whose text holds the largest share of prints' words, and that share,
// if it reaches NearCopyShare; id 0 otherwise. The share is of this
// article's words: a trimmed agency story is a near-copy of the whole one,
// whose every sentence it repeats. Ties go to the earlier article, the
// original.
func (f *copyFinder) nearest(ctx context.Context, prints []sentencePrint, total int, before int64) (id int64, share float64, err error) {
	return f.nearestExcept(ctx, prints, total, before, nil)
}

// nearestExcept is nearest leaving out the articles in skip: the next
// best of the others is found instead of none.
func (f *copyFinder) nearestExcept(ctx context.Context, prints []sentencePrint, total int, before int64, skip map[int64]bool) (id int64, share float64, err error) {
	if len(prints) == 0 || total == 0 {
		return 0, 0, nil
	}
	hashes := make([]int64, len(prints))
	for i, p := range prints {
		hashes[i] = p.hash
	}
	set, err := json.Marshal(hashes)
	if err != nil {
		return 0, 0, err
	}
	rows, err := f.postings.QueryContext(ctx, string(set), before, maxPostings)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	common := map[int64]int{}
	for rows.Next() {
		var i int
		var ids sql.NullString
		if err := rows.Scan(&i, &ids); err != nil {
			return 0, 0, err
		}
		if !ids.Valid || i < 0 || i >= len(prints) {
			continue
		}
		for _, s := range strings.Split(ids.String, ",") {
			a, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return 0, 0, err
			}
			common[a] += prints[i].words
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	best, bestWords := int64(0), 0
	for a, w := range common {
		if skip[a] {
			continue
		}
		if w > bestWords || (w == bestWords && a < best) {
			best, bestWords = a, w
		}
	}
	share, ok := nearShare(bestWords, total)
	if !ok {
		return 0, 0, nil
	}
	return best, share, nil
}

// nearShare is the share of a text of total words that common of them,
// found in another text, make, and whether it makes a near-copy.
func nearShare(common, total int) (float64, bool) {
	if common < minCommonWords || total == 0 {
		return 0, false
	}
	// Of the text's words, not only those of the sentences long enough
	// to fingerprint: of those alone, a copy that changed its short lead
	// ("Hospital trust failing.") had a share of 1, and was called the
	// same text. A text its hash did not find is not the same text,
	// whatever its share: one that differs in a quotation mark's shape is
	// a near-copy of 100%.
	share := min(float64(common)/float64(total), math.Nextafter(1, 0))
	return share, share >= NearCopyShare
}

// firstWithHash returns the earliest article with this text hash before
// the ID before.
func firstWithHash(ctx context.Context, tx *sql.Tx, hash string, before int64) (int64, bool, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM articles WHERE hash = ? AND id < ? ORDER BY id LIMIT 1", hash, before).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	return id, err == nil, err
}

// findCopy finds what the existing article id repeats among the articles
// imported before it, from its text hash first and its fingerprints
// otherwise.
func (f *copyFinder) findCopy(ctx context.Context, tx *sql.Tx, id int64, hash string, prints []sentencePrint, words int) (copyOf int64, share float64, err error) {
	orig, found, err := firstWithHash(ctx, tx, hash, id)
	if err != nil || found {
		return orig, 1, err
	}
	return f.nearest(ctx, prints, words, id)
}

// versionCopy finds what a new version of article id (its text's hash,
// fingerprints and word count; its old fingerprints already removed)
// repeats. findCopy looks only among the articles imported before id,
// but the dates may have made one imported after it its original (see
// orient), which the new version, one sentence longer, still repeats.
// So every article but id and its copies, and theirs, is a candidate:
// the same text first, then the article id repeats now if the new text
// still has enough of that one's words (the family's original, imported
// last, is often left out of the fingerprint index, which keeps the first
// maxPostings articles of each sentence), then the nearest. An article
// whose link leads back to id is passed over for the next best: linking
// id to it would make a loop, and linking id to none would cut it from
// its own original.
func (f *copyFinder) versionCopy(ctx context.Context, tx *sql.Tx, id int64, hash string, prints []sentencePrint, words int) (copyOf int64, share float64, err error) {
	skip := map[int64]bool{id: true}
	err = eachRow(ctx, tx, `WITH RECURSIVE d(id) AS (SELECT id FROM articles WHERE copy_of = ?1
			UNION SELECT a.id FROM articles a JOIN d ON a.copy_of = d.id)
		SELECT id FROM d`, []any{id}, func(rows *sql.Rows) error {
		var c int64
		err := rows.Scan(&c)
		skip[c] = true
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("read the copies of article %d: %w", id, err)
	}
	skipped, err := json.Marshal(slices.Collect(maps.Keys(skip)))
	if err != nil {
		return 0, 0, err
	}
	err = tx.QueryRowContext(ctx, "SELECT id FROM articles WHERE hash = ? AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1",
		hash, string(skipped)).Scan(&copyOf)
	if err == nil {
		return copyOf, 1, nil
	} else if err != sql.ErrNoRows {
		return 0, 0, err
	}
	var cur int64
	var curHash string
	err = tx.QueryRowContext(ctx, "SELECT a.id, a.hash FROM articles a JOIN articles v ON a.id = v.copy_of WHERE v.id = ?", id).Scan(&cur, &curHash)
	if err != nil && err != sql.ErrNoRows {
		return 0, 0, err
	}
	if cur != 0 && !skip[cur] {
		cp, _, err := textPrints(ctx, tx, cur)
		if err != nil {
			return 0, 0, err
		}
		if share, ok := shareIn(hash, prints, words, curHash, printSet(cp)); ok {
			return cur, share, nil
		}
	}
	return f.nearestExcept(ctx, prints, words, 0, skip)
}

// markCopy finds what the existing article id repeats (see findCopy),
// and records it (or that it repeats nothing).
func (f *copyFinder) markCopy(ctx context.Context, tx *sql.Tx, id int64, hash string, prints []sentencePrint, words int) (copyOf int64, share float64, err error) {
	if copyOf, share, err = f.findCopy(ctx, tx, id, hash, prints, words); err != nil {
		return 0, 0, err
	}
	return copyOf, share, setCopy(ctx, tx, id, copyOf, share)
}

// setCopy records that article id repeats copyOf (none, when 0) with
// share of its words.
func setCopy(ctx context.Context, tx *sql.Tx, id, copyOf int64, share float64) error {
	if copyOf == 0 {
		share = 0
	}
	_, err := tx.ExecContext(ctx, "UPDATE articles SET copy_of = ?, copy_share = ? WHERE id = ?", nullID(copyOf), share, id)
	if err != nil {
		return fmt.Errorf("mark article %d a copy of %d: %w", id, copyOf, err)
	}
	return nil
}

// nullID is an article reference for SQL: NULL for none.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// reshareCopies is migration 14's Go step: an article marked the same
// text as another (a share of 1) though its hash differs had its share
// from the fingerprinted sentences alone, before the share was of all its
// words (or kept the mark when its original was given a new text); what
// it repeats is found again as an import finds it (markCopy: the hash
// first, then the fingerprints already stored). The articles of the
// whole-article clusters of one whose copy link changed are marked
// unaligned, for the next analysis to build those clusters again.
func reshareCopies(ctx context.Context, tx *sql.Tx) error {
	f, err := newCopyFinder(ctx, tx)
	if err != nil {
		return err
	}
	defer f.close()
	type art struct {
		id, copyOf int64
		hash       string
	}
	var arts []art
	err = eachRow(ctx, tx, `SELECT a.id, a.copy_of, a.hash FROM articles a JOIN articles o ON o.id = a.copy_of
		WHERE a.copy_share >= 1 AND a.hash <> o.hash ORDER BY a.id`, nil, func(rows *sql.Rows) error {
		var a art
		if err := rows.Scan(&a.id, &a.copyOf, &a.hash); err != nil {
			return err
		}
		arts = append(arts, a)
		return nil
	})
	if err != nil {
		return err
	}
	for _, a := range arts {
		copyOf, _, err := f.remark(ctx, tx, a.id, a.hash)
		if err != nil {
			return err
		}
		if copyOf == a.copyOf {
			continue
		}
		// Its whole-article clusters were built from the old link.
		if err := unalignWholeClusters(ctx, tx, a.id); err != nil {
			return err
		}
	}
	return nil
}

// fingerprintAll is migration 7's Go step: it fingerprints the articles a
// project already has, in ID order, and marks those that repeat an earlier
// one, as an import of them in that order would have.
func fingerprintAll(ctx context.Context, tx *sql.Tx) error {
	f, err := newCopyFinder(ctx, tx)
	if err != nil {
		return err
	}
	defer f.close()
	type art struct {
		id   int64
		hash string
	}
	var arts []art
	rows, err := tx.QueryContext(ctx, "SELECT id, hash FROM articles ORDER BY id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var a art
		if err := rows.Scan(&a.id, &a.hash); err != nil {
			rows.Close()
			return err
		}
		arts = append(arts, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, a := range arts {
		if _, prints, err := f.remark(ctx, tx, a.id, a.hash); err != nil {
			return err
		} else if err := f.store(ctx, a.id, prints); err != nil {
			return err
		}
	}
	return nil
}

// remark is markCopy for an article already stored, whose text is read
// and fingerprinted here; prints are its fingerprints.
func (f *copyFinder) remark(ctx context.Context, tx *sql.Tx, id int64, hash string) (copyOf int64, prints []sentencePrint, err error) {
	var text string
	if err := tx.QueryRowContext(ctx, "SELECT text FROM articles WHERE id = ?", id).Scan(&text); err != nil {
		return 0, nil, err
	}
	prints, words := sentencePrints(text)
	copyOf, _, err = f.markCopy(ctx, tx, id, hash, prints, words)
	return copyOf, prints, err
}

// CopyGroup is an article and the articles that repeat it (published after
// it where the dates tell, otherwise imported after it), for the
// whole-article comparison of syndicated copy.
type CopyGroup struct {
	Original int64
	Copies   []Copy
}

// Copy is one article that repeats another.
type Copy struct {
	ID    int64
	Share float64
}

// CopyGroups lists the project's syndicated copies grouped by the article
// they repeat, originals in ID order (an original may have a higher ID
// than its copies: one imported after them but published first).
func (s *Store) CopyGroups(ctx context.Context) ([]CopyGroup, error) {
	var out []CopyGroup
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT copy_of, id, copy_share FROM articles WHERE copy_of IS NOT NULL ORDER BY copy_of, id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var orig int64
			var c Copy
			if err := rows.Scan(&orig, &c.ID, &c.Share); err != nil {
				return err
			}
			if len(out) == 0 || out[len(out)-1].Original != orig {
				out = append(out, CopyGroup{Original: orig})
			}
			g := &out[len(out)-1]
			g.Copies = append(g.Copies, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b CopyGroup) int { return cmp.Compare(a.Original, b.Original) })
	return out, nil
}
