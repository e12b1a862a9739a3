package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
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
// (the first takes the primary-source attribute's name), each row in a
// fixed order: the articles' outlets, dates, texts (by their hash), copy
// links and primary-source marks; the pinned references; the clusters;
// and their members' ranges. Reading the half million members of 16,000
// articles row by row, or packed per cluster, took a quarter of a second;
// summed by SQLite (memberMix) it takes a tenth of that, and tells two sets
// of members apart barring a coincidence of about one in four billion. The few members of several spans are
// read whole, as the sums see only their outer range.
var propagationDigestQueries = []string{
	`SELECT a.id, a.outlet, a.date, a.hash, coalesce(a.copy_of, 0), coalesce(x.value, '')
		FROM articles a LEFT JOIN article_attributes x ON x.article_id = a.id AND x.name = ?
		ORDER BY a.id`,
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
	h := sha256.New()
	for i, q := range propagationDigestQueries {
		var args []any
		if i == 0 {
			args = []any{AttrPrimarySource}
		}
		if err := digestRows(ctx, tx, h, q, args...); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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
		var err error
		if digest {
			if in.Digest, err = propagationDigest(ctx, tx); err != nil {
				return err
			}
		}
		if in.Stamps, err = articleStamps(ctx, tx); err != nil {
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

// digestRows writes every value of query's rows into h, each with its
// length (a NULL with a length no value has), and the row and query ends,
// so that no two different results write the same bytes.
func digestRows(ctx context.Context, tx *sql.Tx, h hash.Hash, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
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
