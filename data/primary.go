package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// AttrPrimarySource is the article attribute that marks a primary source:
// the report, the press release, the transcript that outlets quote. It is
// an ordinary attribute, so a metadata sheet's primary_source column sets
// it at import, exports carry it, and REFI-QDA writes it as a variable.
const AttrPrimarySource = "primary_source"

// IsPrimarySource reports whether an attribute value marks a primary
// source: "yes", "true", "1", "y" or "x", in any case.
func IsPrimarySource(value string) bool {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "yes", "true", "1", "y", "x":
		return true
	}
	return false
}

// Primary reports whether the article is marked as a primary source.
func (a Article) Primary() bool { return IsPrimarySource(a.Attributes[AttrPrimarySource]) }

// SetPrimarySource marks the articles as primary sources, or clears the
// mark, in one transaction. An ID not in the project fails the whole
// change.
func (s *Store) SetPrimarySource(ctx context.Context, ids []int64, primary bool) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			var one int
			if err := tx.QueryRowContext(ctx, "SELECT 1 FROM articles WHERE id = ?", id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return Errorf(ENotFound, "no article %d in this project", id)
			} else if err != nil {
				return err
			}
			var err error
			if primary {
				_, err = tx.ExecContext(ctx, `INSERT INTO article_attributes(article_id, name, value) VALUES (?, ?, 'yes')
					ON CONFLICT(article_id, name) DO UPDATE SET value = excluded.value`, id, AttrPrimarySource)
			} else {
				_, err = tx.ExecContext(ctx, "DELETE FROM article_attributes WHERE article_id = ? AND name = ?", id, AttrPrimarySource)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark primary sources: %w", err)
	}
	return nil
}

// ArticleStamp is what the propagation analysis needs of an article
// besides its passages: its outlet, when it was published, whether it is
// a primary source, and whose text it repeats.
type ArticleStamp struct {
	ID      int64
	Outlet  string
	Date    Date
	Primary bool
	// CopyOf is the earlier article whose text this one repeats (see
	// Article.CopyOf), 0 for none.
	CopyOf int64
	// DateInferred says Parallax inferred the date (from an address, a
	// dateline, a database's load date) rather than read it as given.
	DateInferred bool
	// Unanalysed says the stored clusters do not account for the article:
	// it was imported or its text changed since the last analysis (or an
	// analysis stopped before aligning it).
	Unanalysed bool
}

// ArticleStamps returns every article's stamp, by ID.
func (s *Store) ArticleStamps(ctx context.Context) (map[int64]ArticleStamp, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) (map[int64]ArticleStamp, error) { return articleStamps(ctx, tx) })
	if err != nil {
		return nil, fmt.Errorf("article dates: %w", err)
	}
	return out, nil
}

func articleStamps(ctx context.Context, tx *sql.Tx) (map[int64]ArticleStamp, error) {
	arts, err := articleInputs(ctx, tx)
	if err != nil {
		return nil, err
	}
	stamps := stampsOf(arts)
	return stamps, markUnanalysed(ctx, tx, stamps)
}
