package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// UpdateCode changes a code's name, colour, description, parent and
// whether it is a category. Moving a code under itself or one of its
// descendants is refused, and so is making a category of a code that
// annotations carry.
func (s *Store) UpdateCode(ctx context.Context, c Code) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return Errorf(EInvalid, "a code needs a name")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if c.Category {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM annotation_codes WHERE code_id = ?", c.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return Errorf(EConflict, "%q codes %d annotation(s); a category cannot be applied to text, so move them to another code first", c.Name, n)
			}
		}
		if c.ParentID != 0 {
			// Walk up from the new parent: meeting the code itself means
			// a cycle.
			for p := c.ParentID; p != 0; {
				if p == c.ID {
					return Errorf(EInvalid, "a code cannot be moved under itself or its own sub-codes")
				}
				if err := tx.QueryRowContext(ctx, "SELECT coalesce(parent_id, 0) FROM codes WHERE id = ?", p).Scan(&p); err != nil {
					return missingRow(err, "code", c.ParentID)
				}
			}
		}
		var parent any
		if c.ParentID != 0 {
			parent = c.ParentID
		}
		r, err := tx.ExecContext(ctx, "UPDATE codes SET name = ?, color = ?, description = ?, parent_id = ?, codable = ? WHERE id = ?",
			c.Name, c.Color, c.Description, parent, !c.Category, c.ID)
		if err != nil {
			return explain(err, EConflict, "a code named %q already exists there", c.Name)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return Errorf(ENotFound, "no code %d in this project", c.ID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update code %q: %w", c.Name, err)
	}
	return nil
}

func missingRow(err error, what string, id int64) error {
	if err == sql.ErrNoRows {
		return Errorf(ENotFound, "no %s %d in this project", what, id)
	}
	return err
}

// MergeCodes moves every coding and sub-code of from onto into, then
// deletes from, in one transaction. It returns the codebook as it was
// before, copied in the same transaction, for RestoreCodebook to undo the
// merge.
func (s *Store) MergeCodes(ctx context.Context, from, into int64) (CodebookState, error) {
	if from == into {
		return CodebookState{}, Errorf(EInvalid, "a code cannot be merged into itself")
	}
	var before CodebookState
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if before, err = codebookSnapshot(ctx, tx); err != nil {
			return err
		}
		for p := into; p != 0; {
			if p == from {
				return Errorf(EInvalid, "a code cannot be merged into one of its own sub-codes")
			}
			if err := tx.QueryRowContext(ctx, "SELECT coalesce(parent_id, 0) FROM codes WHERE id = ?", p).Scan(&p); err != nil {
				return missingRow(err, "code", into)
			}
		}
		stmts := []string{
			"INSERT OR IGNORE INTO annotation_codes(annotation_id, code_id) SELECT annotation_id, ?2 FROM annotation_codes WHERE code_id = ?1",
			"UPDATE codes SET parent_id = ?2 WHERE parent_id = ?1",
			"DELETE FROM codes WHERE id = ?1",
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, from, into); err != nil {
				return explain(err, EConflict, "both codes have a sub-code of the same name; rename one first")
			}
		}
		return nil
	})
	if err != nil {
		return CodebookState{}, fmt.Errorf("merge codes: %w", err)
	}
	return before, nil
}

// DeleteCode removes a code as mode says, in one transaction. It returns
// the codebook as it was before, copied in the same transaction, for
// RestoreCodebook to undo the deletion.
func (s *Store) DeleteCode(ctx context.Context, id int64, mode CodeDeletion) (CodebookState, error) {
	var before CodebookState
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if before, err = codebookSnapshot(ctx, tx); err != nil {
			return err
		}
		return deleteCode(ctx, tx, id, mode)
	})
	if err != nil {
		return CodebookState{}, fmt.Errorf("delete code %d: %w", id, err)
	}
	return before, nil
}

func deleteCode(ctx context.Context, tx *sql.Tx, id int64, mode CodeDeletion) error {
	var parent int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(parent_id, 0) FROM codes WHERE id = ?", id).Scan(&parent); err != nil {
		return missingRow(err, "code", id)
	}
	switch {
	case mode == MoveToParent && parent != 0:
		for _, q := range []string{
			"INSERT OR IGNORE INTO annotation_codes(annotation_id, code_id) SELECT annotation_id, ?2 FROM annotation_codes WHERE code_id = ?1",
			"UPDATE codes SET parent_id = ?2 WHERE parent_id = ?1",
		} {
			if _, err := tx.ExecContext(ctx, q, id, parent); err != nil {
				return explain(err, EConflict, "the parent already has a sub-code of the same name; rename one first")
			}
		}
	case mode == DeleteAnnotations:
		// Annotations whose only codes are this one or its descendants.
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT c.id FROM codes c JOIN sub ON c.parent_id = sub.id)
			DELETE FROM annotations WHERE id IN (SELECT annotation_id FROM annotation_codes WHERE code_id IN sub)
			AND NOT EXISTS (SELECT 1 FROM annotation_codes x WHERE x.annotation_id = annotations.id AND x.code_id NOT IN sub)`, id); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM codes WHERE id = ?", id)
	return err
}

// SaveMemo creates (ID 0) or updates a memo, stamped with the coder.
func (s *Store) SaveMemo(ctx context.Context, m Memo) (Memo, error) {
	now := s.Now().UTC()
	m.Modified = now
	m.Modifier = s.Coder()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if m.ID == 0 {
			if m.GUID == "" {
				m.GUID = uuid.NewString()
			}
			if m.Created.IsZero() {
				m.Created = now
			}
			m.Creator = cmp.Or(m.Creator, m.Modifier)
			return insertMemo(ctx, tx, &m)
		}
		r, err := tx.ExecContext(ctx, "UPDATE memos SET title = ?, text = ?, modified = ?, modifier = ? WHERE id = ?",
			m.Title, m.Text, m.Modified.Format(time.RFC3339Nano), m.Modifier, m.ID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return Errorf(ENotFound, "no memo %d in this project", m.ID)
		}
		return nil
	})
	if err != nil {
		return Memo{}, fmt.Errorf("save memo: %w", err)
	}
	return m, nil
}

// insertMemo stores m, under its own ID when it has one (an undo).
func insertMemo(ctx context.Context, tx *sql.Tx, m *Memo) error {
	var id any
	if m.ID != 0 {
		id = m.ID
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO memos(id, guid, target_kind, target_id, title, text, created, modified, creator, modifier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, m.GUID, m.TargetKind, m.TargetID, m.Title, m.Text, m.Created.UTC().Format(time.RFC3339Nano), m.Modified.UTC().Format(time.RFC3339Nano), m.Creator, m.Modifier)
	if err != nil {
		return explain(err, EInvalid, "memo target %q: want project, article, code or cluster", m.TargetKind)
	}
	m.ID, err = r.LastInsertId()
	return err
}

// Memos lists memos on a target kind ("" for all), newest first.
func (s *Store) Memos(ctx context.Context, kind string, target int64) ([]Memo, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]Memo, error) { return listMemos(ctx, tx, kind, target) })
	if err != nil {
		return nil, fmt.Errorf("memos: %w", err)
	}
	return out, nil
}

func listMemos(ctx context.Context, tx *sql.Tx, kind string, target int64) ([]Memo, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, guid, target_kind, target_id, title, text, created, modified, creator, modifier FROM memos
		WHERE (?1 = '' OR target_kind = ?1) AND (?1 = '' OR ?2 = 0 OR target_id = ?2) ORDER BY modified DESC, id DESC`, kind, target)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Memo
	for rows.Next() {
		var m Memo
		var c, mod string
		if err := rows.Scan(&m.ID, &m.GUID, &m.TargetKind, &m.TargetID, &m.Title, &m.Text, &c, &mod, &m.Creator, &m.Modifier); err != nil {
			return nil, err
		}
		m.Created, _ = time.Parse(time.RFC3339Nano, c)
		m.Modified, _ = time.Parse(time.RFC3339Nano, mod)
		out = append(out, m)
	}
	return out, rows.Err()
}

// DeleteMemo removes a memo and returns it for undo.
func (s *Store) DeleteMemo(ctx context.Context, id int64) (Memo, error) {
	var m Memo
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var c, mod string
		err := tx.QueryRowContext(ctx, "SELECT id, guid, target_kind, target_id, title, text, created, modified, creator, modifier FROM memos WHERE id = ?", id).
			Scan(&m.ID, &m.GUID, &m.TargetKind, &m.TargetID, &m.Title, &m.Text, &c, &mod, &m.Creator, &m.Modifier)
		if err != nil {
			return missingRow(err, "memo", id)
		}
		m.Created, _ = time.Parse(time.RFC3339Nano, c)
		m.Modified, _ = time.Parse(time.RFC3339Nano, mod)
		_, err = tx.ExecContext(ctx, "DELETE FROM memos WHERE id = ?", id)
		return err
	})
	if err != nil {
		return Memo{}, fmt.Errorf("delete memo %d: %w", id, err)
	}
	return m, nil
}

// RestoreMemo puts back a deleted memo with its ID and GUID: the undo of
// DeleteMemo.
func (s *Store) RestoreMemo(ctx context.Context, m Memo) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return insertMemo(ctx, tx, &m)
	})
	if err != nil {
		return fmt.Errorf("restore memo %d: %w", m.ID, err)
	}
	return nil
}

// CodebookSnapshot copies the codebook, every coding and every
// annotation, in one read transaction.
func (s *Store) CodebookSnapshot(ctx context.Context) (CodebookState, error) {
	st, err := read(ctx, s, func(tx *sql.Tx) (CodebookState, error) { return codebookSnapshot(ctx, tx) })
	if err != nil {
		return CodebookState{}, fmt.Errorf("codebook snapshot: %w", err)
	}
	return st, nil
}

func codebookSnapshot(ctx context.Context, tx *sql.Tx) (CodebookState, error) {
	var st CodebookState
	var err error
	if st.codes, err = listCodes(ctx, tx); err != nil {
		return st, err
	}
	if st.annotations, err = filterAnnotations(ctx, tx, AnnotationFilter{}); err != nil {
		return st, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT annotation_id, code_id FROM annotation_codes")
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var c [2]int64
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return st, err
		}
		st.codings = append(st.codings, c)
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	srows, err := tx.QueryContext(ctx, "SELECT set_guid, code_id FROM refi_set_members WHERE code_id IS NOT NULL")
	if err != nil {
		return st, err
	}
	defer srows.Close()
	for srows.Next() {
		var sc setCode
		if err := srows.Scan(&sc.set, &sc.code); err != nil {
			return st, err
		}
		st.setCodes = append(st.setCodes, sc)
	}
	return st, srows.Err()
}

// RestoreCodebook puts the codebook, its codings and any deleted
// annotations back as they were in st, in one transaction.
func (s *Store) RestoreCodebook(ctx context.Context, st CodebookState) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM codes"); err != nil { // codings go with them
			return err
		}
		for _, c := range st.codes { // Codes() lists parents before children
			if err := insertCode(ctx, tx, &c, s.Now()); err != nil {
				return err
			}
		}
		for _, a := range st.annotations {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM annotations WHERE id = ?", a.ID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				a.CodeIDs = nil // codings are restored below
				if err := insertAnnotation(ctx, tx, &a); err != nil {
					return err
				}
			}
		}
		for _, c := range st.codings {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO annotation_codes(annotation_id, code_id) VALUES (?, ?)", c[0], c[1]); err != nil {
				return err
			}
		}
		// The codes' set memberships went with them; the sets are not
		// deleted with codes, so put the memberships back.
		if _, err := tx.ExecContext(ctx, "DELETE FROM refi_set_members WHERE code_id IS NOT NULL"); err != nil {
			return err
		}
		for _, sc := range st.setCodes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO refi_set_members(set_guid, code_id) VALUES (?, ?)", sc.set, sc.code); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("restore codebook: %w", err)
	}
	return nil
}
