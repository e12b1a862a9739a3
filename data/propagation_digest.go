package data

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
)

// memberMix is a member's contribution to one of the digest's sums: the
// product of two linear forms of its cluster, article and range, each
// taken modulo a different prime, so that unlike one linear form (or a
// product of its fields) no edit of a few ranges that keeps their sums
// keeps the digest (with a plain product, two members of one article
// trading a rune of their ranges, (1,10) and (58,67) becoming (1,11) and
// (58,66), summed the same). Each form is evaluated once per member
// (nesting the expression in itself repeats it in SQLite), and every step
// stays below 2^63: SQLite turns an overflowing integer product into a
// float.
func memberMix(c [6]int64) string {
	const k = `((cluster_id % 2147483647) * 1000003 + article_id % 2147483647) % 2147483647`
	a := fmt.Sprintf(`((%s) * %d + start * %d + "end" * %d) %% 2147483647`, k, c[0], c[1], c[2])
	b := fmt.Sprintf(`((%s) * %d + start * %d + "end" * %d) %% 2147483629`, k, c[3], c[4], c[5])
	return fmt.Sprintf(`(%s) * (%s) %% 4294967291`, a, b)
}

// propagationDigestQueries are what a trace of the whole project reads
// besides the articles (articleInputs), each row in a fixed order: the
// pinned references; the clusters; and their members' ranges. Reading
// the half million members of 16,000 articles row by row, or packed per
// cluster, took a quarter of a second; summed by SQLite (memberMix) it
// takes a tenth of that, and tells two sets of members apart barring a
// coincidence of about one in four billion. The few members of several
// spans are read whole, as the sums see only their outer range.
var propagationDigestQueries = []string{
	`SELECT article_id, start, "end" FROM reference_pins ORDER BY article_id, start, "end"`,
	`SELECT id, kind, speaker, articles FROM clusters ORDER BY id`,
	`SELECT count(*), coalesce(sum(` + memberMix([6]int64{1103515245, 69069, 40503, 1664525, 22695477, 558109}) + `), 0)
		FROM cluster_members`,
	`SELECT cluster_id, article_id, start, "end", spans FROM cluster_members WHERE spans <> ''
		ORDER BY cluster_id, article_id, start, "end"`,
}

// PropagationDigest is a digest of everything a propagation trace of the
// whole project reads, read in one transaction: two projects (or one
// project at two times) with the same digest give the same trace, so a
// trace kept under its digest is never shown for inputs it was not made
// from. It reads no article text: the articles' hashes stand for them.
func (s *Store) PropagationDigest(ctx context.Context) (string, error) {
	sum, err := read(ctx, s, func(tx *sql.Tx) (string, error) { return propagationDigest(ctx, tx) })
	if err != nil {
		return "", fmt.Errorf("propagation inputs: %w", err)
	}
	return sum, nil
}

func propagationDigest(ctx context.Context, tx *sql.Tx) (string, error) {
	arts, err := articleInputs(ctx, tx)
	if err != nil {
		return "", err
	}
	return digestOf(ctx, tx, arts)
}

// digestOf is the digest of arts and of what propagationDigestQueries
// read.
func digestOf(ctx context.Context, tx *sql.Tx, arts []articleInput) (string, error) {
	h := sha256.New()
	var b []byte
	for _, a := range arts {
		b = append(b[:0], 'r')
		b = binary.AppendVarint(b, a.id)
		for _, s := range [...]string{a.outlet, a.date, a.hash, a.primary} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = binary.AppendVarint(b, a.copyOf)
		h.Write(b)
	}
	h.Write([]byte{'q'})
	for _, q := range propagationDigestQueries {
		if err := digestRows(ctx, tx, h, q); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// articleInput is what a trace reads of an article besides its passages:
// its outlet, date, text (by its hash), copy link and primary-source
// mark.
type articleInput struct {
	id                          int64
	outlet, date, hash, primary string
	copyOf                      int64
	dateInferred                bool
}

// articleInputs reads every article's input, by ID, from the indexes that
// hold them (articles_outlet, articles_hash, articles_copy_of) rather
// than from the articles' rows: the rows hold the texts, and the hash and
// copy link, stored after the text, are reached through its overflow
// pages. At 16,000 articles reading them from the rows, once for the
// digest and again for the dates, took 60-90 ms.
func articleInputs(ctx context.Context, tx *sql.Tx) ([]articleInput, error) {
	var arts []articleInput
	err := eachRow(ctx, tx, `SELECT id, outlet, date FROM articles`, nil, func(rows *sql.Rows) error {
		var a articleInput
		if err := rows.Scan(&a.id, &a.outlet, &a.date); err != nil {
			return err
		}
		arts = append(arts, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(arts, func(a, b articleInput) int { return cmp.Compare(a.id, b.id) })
	at := make(map[int64]int, len(arts))
	for i, a := range arts {
		at[a.id] = i
	}
	if err := fillArticles(ctx, tx, arts, at, `SELECT id, hash FROM articles`, nil,
		func(a *articleInput, hash string) { a.hash = hash }); err != nil {
		return nil, err
	}
	if err := fillArticles(ctx, tx, arts, at, `SELECT id, copy_of FROM articles WHERE copy_of IS NOT NULL`, nil,
		func(a *articleInput, id int64) { a.copyOf = id }); err != nil {
		return nil, err
	}
	// The inferred flags are in articles_list, which covers the query.
	if err := fillArticles(ctx, tx, arts, at, `SELECT id, 1 FROM articles WHERE ',' || inferred || ',' LIKE '%,`+FieldDate+`,%'`, nil,
		func(a *articleInput, _ int64) { a.dateInferred = true }); err != nil {
		return nil, err
	}
	// An attribute of an article that is not there (left by a hand edit
	// with foreign keys off) is passed over, as the join it replaces did.
	if err := fillArticles(ctx, tx, arts, at, `SELECT x.article_id, x.value FROM article_attributes x
		JOIN articles a ON a.id = x.article_id WHERE x.name = ?`,
		[]any{AttrPrimarySource}, func(a *articleInput, v string) { a.primary = v }); err != nil {
		return nil, err
	}
	return arts, nil
}

// fillArticles sets, with each row of query (an article's ID and a
// value), that article's field. Every article a row names was listed
// first: one read transaction sees one set of articles.
func fillArticles[T any](ctx context.Context, tx *sql.Tx, arts []articleInput, at map[int64]int, query string, args []any,
	set func(a *articleInput, v T)) error {
	return eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
		var id int64
		var v T
		if err := rows.Scan(&id, &v); err != nil {
			return err
		}
		i, ok := at[id]
		if !ok {
			return fmt.Errorf("article %d is listed by one index and not another", id)
		}
		set(&arts[i], v)
		return nil
	})
}

// eachRow calls fn with each row of query.
func eachRow(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// stampsOf is the articles' stamps, by ID.
func stampsOf(arts []articleInput) map[int64]ArticleStamp {
	out := make(map[int64]ArticleStamp, len(arts))
	for _, a := range arts {
		st := ArticleStamp{ID: a.id, Outlet: a.outlet, Primary: IsPrimarySource(a.primary), CopyOf: a.copyOf, DateInferred: a.dateInferred}
		st.Date, _ = ParseDateTime(a.date)
		out[a.id] = st
	}
	return out
}

// PropagationRead is what a propagation trace reads besides the clusters.
type PropagationRead struct {
	// Digest is PropagationDigest's, when asked for.
	Digest string
	Stamps map[int64]ArticleStamp
	Pins   []Pin
}

// ReadPropagation reads what a propagation trace reads, in one read
// transaction: one state of the project, whatever is written meanwhile,
// so that a trace kept under the digest is the trace of that digest's
// inputs (read one after another, a date edited and undone while a trace
// ran filed the trace of the edited date under the digest of the other).
// start is given the digest (when digest is set), the articles' stamps
// and the pins; if it says to go on, fn is given the clusters spanning at
// least minArticles articles, in ID order.
//
// Of each member, only what the trace needs is read: its ArticleID,
// Outlet, CopyOf, Start, End, Text, and Spans when they are several; its
// kind, speaker, statement, reference flag and relations are left zero.
// With only not nil, just those clusters and their articles' texts are
// read: following Compare's filters to a few clusters, the propagation had
// read every cluster of the project and all its articles' text (1.4 s at
// 16,000 articles) to keep a handful.
func (s *Store) ReadPropagation(ctx context.Context, minArticles int, only []int64, digest bool,
	start func(PropagationRead) (bool, error), fn func(Cluster) error) error {
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var in PropagationRead
		arts, err := articleInputs(ctx, tx)
		if err != nil {
			return err
		}
		if digest {
			if in.Digest, err = digestOf(ctx, tx, arts); err != nil {
				return err
			}
		}
		in.Stamps = stampsOf(arts)
		if err := markUnanalysed(ctx, tx, in.Stamps); err != nil {
			return err
		}
		if in.Pins, err = pins(ctx, tx); err != nil {
			return err
		}
		more, err := start(in)
		if err != nil || !more {
			return err
		}
		return eachClusterCut(ctx, tx, minArticles, true, only, fn)
	})
	if err != nil {
		return fmt.Errorf("propagation inputs: %w", err)
	}
	return nil
}

// markUnanalysed flags the stamps of the articles the stored clusters do
// not account for (see ArticleStamp.Unanalysed): those without an
// analysis, and those whose analysis is not aligned (as a new text, a
// deleted article's or a stopped analysis leaves it) that are in no
// cluster of two articles or more. An unaligned article still in such a
// cluster (a pinned reference's re-alignment pending) is in the trace.
// Clusters imported from another tool (passim) account for what they
// account for: nothing is flagged, as no analysis would change them.
// Comparing each analysis's hash with its article's instead took 43-58
// ms at 16,000 articles, reading a page of each; this takes 6.
func markUnanalysed(ctx context.Context, tx *sql.Tx, stamps map[int64]ArticleStamp) error {
	var tool sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT value FROM project WHERE key = ?", keyOriginTool).Scan(&tool); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if tool.String != "" {
		return nil
	}
	return eachRow(ctx, tx, `SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM analysis x WHERE x.article_id = a.id)
		UNION ALL SELECT x.article_id FROM analysis x WHERE x.aligned = 0 AND NOT EXISTS (
			SELECT 1 FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id WHERE m.article_id = x.article_id AND c.articles >= 2)`,
		nil, func(rows *sql.Rows) error {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			if st, ok := stamps[id]; ok {
				st.Unanalysed = true
				stamps[id] = st
			}
			return nil
		})
}

// digestRows writes every value of query's rows into h, each with its
// length (a NULL with a length no value has), and the row and query ends,
// so that no two different results write the same bytes.
func digestRows(ctx context.Context, tx *sql.Tx, h hash.Hash, query string) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n [binary.MaxVarintLen64]byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		h.Write([]byte{'r'})
		for _, v := range vals {
			size := uint64(len(v)) + 1
			if v == nil {
				size = 0
			}
			h.Write(n[:binary.PutUvarint(n[:], size)])
			h.Write(v)
		}
	}
	h.Write([]byte{'q'})
	return rows.Err()
}
