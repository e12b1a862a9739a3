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

// propagationDigestQueries are what a trace of the whole project reads
// (the first takes the primary-source attribute's name), each row in a
// fixed order: the articles' outlets, dates, texts (by their hash), copy
// links and primary-source marks; the pinned references; the clusters;
// and their members' ranges. Reading the half million members of 16,000
// articles row by row, or packed per cluster, took a quarter of a second
// of the trace's time; summed by SQLite it takes a twentieth of that: a
// member mixes its cluster and article with its range, so that moving
// it, or swapping two members between clusters, changes the sum (barring
// a coincidence of about one in four billion). The few members of several
// spans are read whole, as the sum sees only their outer range.
var propagationDigestQueries = []string{
	`SELECT a.id, a.outlet, a.date, a.hash, coalesce(a.copy_of, 0), coalesce(x.value, '')
		FROM articles a LEFT JOIN article_attributes x ON x.article_id = a.id AND x.name = ?
		ORDER BY a.id`,
	`SELECT article_id, start, "end" FROM reference_pins ORDER BY article_id, start, "end"`,
	`SELECT id, kind, speaker, articles FROM clusters ORDER BY id`,
	// A table WITHOUT ROWID is scanned in the order of its key, so the
	// spans are concatenated in one order.
	`SELECT count(*), coalesce(sum(((cluster_id * 1000003 + article_id) % 2147483647) *
		((start * 65599 + "end") % 2147483629) % 4294967291), 0),
		coalesce(group_concat(CASE WHEN spans <> '' THEN cluster_id || ',' || article_id || ',' || start || ',' || "end" || ',' || spans END, ';'), '')
		FROM cluster_members`,
}

// PropagationDigest is a digest of everything a propagation trace of the
// whole project reads, read in one transaction: two projects (or one
// project at two times) with the same digest give the same trace, so a
// trace kept under its digest is never shown for inputs it was not made
// from. It reads no article text: the articles' hashes stand for them.
func (s *Store) PropagationDigest(ctx context.Context) (string, error) {
	sum, err := read(ctx, s, func(tx *sql.Tx) (string, error) {
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
	})
	if err != nil {
		return "", fmt.Errorf("propagation inputs: %w", err)
	}
	return sum, nil
}

// digestRows writes every value of query's rows into h, each with its
// length, and the row and query ends, so that no two different results
// write the same bytes.
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
			h.Write(n[:binary.PutUvarint(n[:], uint64(len(v)))])
			h.Write(v)
		}
	}
	h.Write([]byte{'q'})
	return rows.Err()
}
