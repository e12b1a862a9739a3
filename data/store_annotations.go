package data

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// CreateAnnotation stores a new annotation on [a.Start, a.End) of its
// article. The passage text and its context are taken from the stored
// article in the same transaction, so they always match the offsets.
func (s *Store) CreateAnnotation(ctx context.Context, a Annotation) (Annotation, error) {
	now := s.Now().UTC()
	if a.GUID == "" {
		a.GUID = uuid.NewString()
	}
	if a.Created.IsZero() {
		a.Created = now
	}
	a.Modified = now
	a.Creator = cmp.Or(a.Creator, s.Coder())
	a.Modifier = s.Coder()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := anchor(ctx, tx, &a); err != nil {
			return err
		}
		return insertAnnotation(ctx, tx, &a)
	})
	if err != nil {
		return Annotation{}, fmt.Errorf("annotate article %d: %w", a.ArticleID, err)
	}
	return a, nil
}

// CreateAnnotations stores several annotations in one transaction: all
// are created or none.
func (s *Store) CreateAnnotations(ctx context.Context, as []Annotation) ([]Annotation, error) {
	c, err := s.createCoding(ctx, as, nil, false)
	return c.Annotations, err
}

// CreateAnnotationsWithCodes creates the codes named by paths where
// missing and stores as, each carrying those codes, in one transaction
// (coding a whole cluster at once): all are created or none. Annotations
// keep the colour they have; one without shows its codes' colour.
func (s *Store) CreateAnnotationsWithCodes(ctx context.Context, as []Annotation, paths []string) (Coding, error) {
	return s.createCoding(ctx, as, paths, false)
}

// CreateAnnotationWithCodes creates the codes named by paths (where
// missing) and the annotation in one transaction, and returns the codes it
// created so an undo can remove them too. An annotation with no colour
// takes its first code's, as chosen when it was made.
func (s *Store) CreateAnnotationWithCodes(ctx context.Context, a Annotation, paths []string) (Annotation, []Code, error) {
	c, err := s.createCoding(ctx, []Annotation{a}, paths, true)
	if err != nil {
		return Annotation{}, nil, err
	}
	return c.Annotations[0], c.Codes, nil
}

func (s *Store) createCoding(ctx context.Context, as []Annotation, paths []string, codeColour bool) (Coding, error) {
	var c Coding
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = createAnnotations(ctx, tx, as, paths, codeColour, s.Now().UTC(), s.Coder())
		return err
	})
	if err != nil {
		return Coding{}, fmt.Errorf("annotate: %w", err)
	}
	return c, nil
}

// createAnnotations checks every range against its article, then creates
// the code paths and the annotations, stamped with coder. codeColour gives
// an annotation with no colour its first code's.
func createAnnotations(ctx context.Context, tx *sql.Tx, as []Annotation, paths []string, codeColour bool, now time.Time, coder string) (Coding, error) {
	out := Coding{Annotations: make([]Annotation, len(as))}
	for i, a := range as {
		if a.GUID == "" {
			a.GUID = uuid.NewString()
		}
		a.Created, a.Modified = now, now
		a.Creator = cmp.Or(a.Creator, coder)
		a.Modifier = coder
		if err := anchor(ctx, tx, &a); err != nil {
			return Coding{}, fmt.Errorf("article %d: %w", a.ArticleID, err)
		}
		out.Annotations[i] = a
	}
	var codes []Code
	for _, p := range paths {
		c, made, err := ensureCodePath(ctx, tx, p, now, coder)
		if err != nil {
			return Coding{}, err
		}
		if c.Category {
			return Coding{}, categoryError(c.Name)
		}
		out.Codes = append(out.Codes, made...)
		codes = append(codes, c)
	}
	for i := range out.Annotations {
		a := &out.Annotations[i]
		for _, c := range codes {
			if !slices.Contains(a.CodeIDs, c.ID) {
				a.CodeIDs = append(a.CodeIDs, c.ID)
			}
			if codeColour && a.Color == "" {
				a.Color = c.Color // "" for a code without a colour: none is invented
			}
		}
		if err := insertAnnotation(ctx, tx, a); err != nil {
			return Coding{}, err
		}
	}
	return out, nil
}

// DeleteCoding undoes CreateAnnotationsWithCodes: it deletes c's
// annotations and codes (with any codings of them made since) in one
// transaction, sets what c revised back to its older versions, and takes
// out of the kept sets what c added to them (a merge's sets).
// Annotations already gone are skipped.
func (s *Store) DeleteCoding(ctx context.Context, c Coding) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := putRevisions(ctx, tx, c, true); err != nil {
			return err
		}
		if err := removeSetChanges(ctx, tx, c.Sets); err != nil {
			return err
		}
		for _, a := range c.Annotations {
			if _, err := tx.ExecContext(ctx, "DELETE FROM annotations WHERE id = ?", a.ID); err != nil {
				return err
			}
		}
		for _, m := range c.Memos {
			if _, err := tx.ExecContext(ctx, "DELETE FROM memos WHERE id = ?", m.ID); err != nil {
				return err
			}
		}
		for i := len(c.Codes) - 1; i >= 0; i-- { // children first
			err := deleteCode(ctx, tx, c.Codes[i].ID, UncodeAnnotations)
			if err != nil && ErrorCode(err) != ENotFound { // a code deleted since goes unmissed
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("undo coding: %w", err)
	}
	return nil
}

// RestoreCoding redoes a coding that DeleteCoding removed: its codes and
// annotations come back with their IDs and GUIDs, its revisions in their
// newer versions, and its sets and set members, in one transaction.
// Annotations are placed again as RestoreAnnotations places them.
func (s *Store) RestoreCoding(ctx context.Context, c Coding) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, code := range c.Codes {
			if err := insertCode(ctx, tx, &code, s.Now()); err != nil {
				return err
			}
		}
		for _, m := range c.Memos {
			if err := insertMemo(ctx, tx, &m); err != nil {
				return err
			}
		}
		if err := restoreAnnotations(ctx, tx, c.Annotations); err != nil {
			return err
		}
		if err := restoreSetChanges(ctx, tx, c.Sets); err != nil { // after the codes it names
			return err
		}
		return putRevisions(ctx, tx, c, false)
	})
	if err != nil {
		return fmt.Errorf("redo coding: %w", err)
	}
	return nil
}

// RestoreAnnotation puts back a deleted annotation with its original ID,
// GUID and timestamps: the undo of DeleteAnnotation.
//
// The article may have changed (or its ID been reused) since: the passage
// is found again by its text and context, or the annotation comes back
// orphaned, never on other words.
func (s *Store) RestoreAnnotation(ctx context.Context, a Annotation) error {
	return s.RestoreAnnotations(ctx, []Annotation{a})
}

// RestoreAnnotations restores several annotations in one transaction;
// ones that exist already are left as they are.
func (s *Store) RestoreAnnotations(ctx context.Context, as []Annotation) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error { return restoreAnnotations(ctx, tx, as) })
	if err != nil {
		return fmt.Errorf("restore annotations: %w", err)
	}
	return nil
}

func restoreAnnotations(ctx context.Context, tx *sql.Tx, as []Annotation) error {
	for _, a := range as {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM annotations WHERE id = ?", a.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if err := reanchorStored(ctx, tx, &a); err != nil {
			return err
		}
		if err := insertAnnotation(ctx, tx, &a); err != nil {
			return err
		}
	}
	return nil
}

// reanchorStored checks a restored annotation against its article's
// current text and moves or orphans it as re-import does.
func reanchorStored(ctx context.Context, tx *sql.Tx, a *Annotation) error {
	var text string
	err := tx.QueryRowContext(ctx, "SELECT text FROM articles WHERE id = ?", a.ArticleID).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return Errorf(ENotFound, "article %d was deleted; its annotation cannot come back", a.ArticleID)
	}
	if err != nil {
		return err
	}
	r := Reanchor("", text, Anchor{Start: a.Start, End: a.End, Exact: a.Exact, Prefix: a.Prefix, Suffix: a.Suffix})
	if r.Status == AnchorOrphaned {
		a.Orphaned = true
		return nil
	}
	rs := []rune(text)
	a.Start, a.End, a.Orphaned = r.Start, r.End, false
	a.Exact = string(rs[r.Start:r.End])
	a.Prefix, a.Suffix = QuoteContext(rs, r.Start, r.End)
	return nil
}

// DeleteAnnotations deletes several annotations in one transaction and
// returns them as they were; IDs already gone are skipped, so an undo that
// races a deletion elsewhere still completes.
func (s *Store) DeleteAnnotations(ctx context.Context, ids []int64) ([]Annotation, error) {
	var out []Annotation
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			a, err := findAnnotation(ctx, tx, id)
			if ErrorCode(err) == ENotFound {
				continue
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM annotations WHERE id = ?", id); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("delete annotations: %w", err)
	}
	return out, nil
}

// anchor checks the range against the article and fills Exact, Prefix and
// Suffix from its text.
func anchor(ctx context.Context, tx *sql.Tx, a *Annotation) error {
	var text string
	err := tx.QueryRowContext(ctx, "SELECT text FROM articles WHERE id = ?", a.ArticleID).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return Errorf(ENotFound, "no article %d in this project", a.ArticleID)
	}
	if err != nil {
		return err
	}
	rs := []rune(text)
	if a.Start < 0 || a.End > len(rs) || a.Start >= a.End {
		return Errorf(EInvalid, "range %d–%d is not inside the article's %d characters", a.Start, a.End, len(rs))
	}
	// A caller that read the passage from a shown text says so in Exact;
	// if the article changed since, the offsets would name other words.
	if a.Exact != "" && a.Exact != string(rs[a.Start:a.End]) {
		return Errorf(EConflict, "the article's text changed since it was shown; reopen it and select the passage again")
	}
	a.Exact = string(rs[a.Start:a.End])
	a.Prefix, a.Suffix = QuoteContext(rs, a.Start, a.End)
	return nil
}

func insertAnnotation(ctx context.Context, tx *sql.Tx, a *Annotation) error {
	var id any
	if a.ID != 0 { // an undo: the same annotation again
		id = a.ID
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO annotations(id, guid, article_id, start, "end", exact, prefix, suffix, note, color, orphaned, created, modified, creator, modifier)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, a.GUID, a.ArticleID, a.Start, a.End, a.Exact, a.Prefix, a.Suffix, a.Note, a.Color, a.Orphaned,
		a.Created.UTC().Format(time.RFC3339Nano), a.Modified.UTC().Format(time.RFC3339Nano), a.Creator, a.Modifier)
	if err != nil {
		return err
	}
	if a.ID, err = r.LastInsertId(); err != nil {
		return err
	}
	return setCodes(ctx, tx, a.ID, a.CodeIDs)
}

// setCodes replaces an annotation's codes. A category is refused: it
// groups codes and is not applied to text.
func setCodes(ctx context.Context, tx *sql.Tx, id int64, codes []int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM annotation_codes WHERE annotation_id = ?", id); err != nil {
		return err
	}
	for _, c := range codes {
		var name string
		var codable bool
		err := tx.QueryRowContext(ctx, "SELECT name, codable FROM codes WHERE id = ?", c).Scan(&name, &codable)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENotFound, "no code %d in this project", c)
		}
		if err != nil {
			return err
		}
		if !codable {
			return categoryError(name)
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO annotation_codes(annotation_id, code_id) VALUES (?, ?)", id, c); err != nil {
			return explain(err, ENotFound, "no code %d in this project", c)
		}
	}
	return nil
}

// categoryError refuses coding text with a category.
func categoryError(name string) error {
	return Errorf(EInvalid, "%q is a category: it groups codes and cannot be applied to text; choose one of its codes, or make it codable in the codebook", name)
}

// UpdateAnnotation replaces an annotation's note, colour and codes (its
// range stays) and returns it as stored.
func (s *Store) UpdateAnnotation(ctx context.Context, a Annotation) (Annotation, error) {
	a.Modified = s.Now().UTC()
	var out Annotation
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, "UPDATE annotations SET note = ?, color = ?, modified = ?, modifier = ? WHERE id = ?",
			a.Note, a.Color, a.Modified.Format(time.RFC3339Nano), s.Coder(), a.ID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return Errorf(ENotFound, "no annotation %d in this project", a.ID)
		}
		if err := setCodes(ctx, tx, a.ID, a.CodeIDs); err != nil {
			return err
		}
		out, err = findAnnotation(ctx, tx, a.ID)
		return err
	})
	if err != nil {
		return Annotation{}, fmt.Errorf("update annotation %d: %w", a.ID, err)
	}
	return out, nil
}

// DeleteAnnotation removes an annotation and returns it as it was, so the
// caller can offer undo.
func (s *Store) DeleteAnnotation(ctx context.Context, id int64) (Annotation, error) {
	var old Annotation
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if old, err = findAnnotation(ctx, tx, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM annotations WHERE id = ?", id)
		return err
	})
	if err != nil {
		return Annotation{}, fmt.Errorf("delete annotation %d: %w", id, err)
	}
	return old, nil
}

// Annotation returns one annotation.
func (s *Store) Annotation(ctx context.Context, id int64) (Annotation, error) {
	return read(ctx, s, func(tx *sql.Tx) (Annotation, error) { return findAnnotation(ctx, tx, id) })
}

// Annotations lists annotations matching f, by article and position.
func (s *Store) Annotations(ctx context.Context, f AnnotationFilter) ([]Annotation, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]Annotation, error) { return filterAnnotations(ctx, tx, f) })
	if err != nil {
		return nil, fmt.Errorf("annotations: %w", err)
	}
	return out, nil
}

func filterAnnotations(ctx context.Context, tx *sql.Tx, f AnnotationFilter) ([]Annotation, error) {
	// Fixed SQL with every filter as a bound parameter; an unset filter
	// matches everything. A code matches its whole subtree.
	return findAnnotations(ctx, tx, `WHERE (?1 = 0 OR a.article_id = ?1)
		AND (?2 = 0 OR EXISTS (WITH RECURSIVE sub(id) AS (SELECT ?2 UNION SELECT k.id FROM codes k JOIN sub ON k.parent_id = sub.id)
			SELECT 1 FROM annotation_codes c WHERE c.annotation_id = a.id AND c.code_id IN sub))
		AND (?3 = '' OR ar.outlet = ?3)
		AND (?4 = '' OR instr(lower(a.exact), lower(?4)) > 0 OR instr(lower(a.note), lower(?4)) > 0)
		AND (?5 = '' OR a.creator = ?5)`,
		f.ArticleID, f.CodeID, f.Outlet, f.Text, f.Coder)
}

func findAnnotation(ctx context.Context, tx *sql.Tx, id int64) (Annotation, error) {
	list, err := findAnnotations(ctx, tx, "WHERE a.id = ?", id)
	if err != nil {
		return Annotation{}, fmt.Errorf("annotation %d: %w", id, err)
	}
	if len(list) == 0 {
		return Annotation{}, Errorf(ENotFound, "no annotation %d in this project", id)
	}
	return list[0], nil
}

func findAnnotations(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]Annotation, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.guid, a.article_id, a.start, a."end", a.exact, a.prefix, a.suffix,
			a.note, a.color, a.orphaned, a.created, a.modified, a.creator, a.modifier,
			coalesce((SELECT group_concat(code_id) FROM (SELECT code_id FROM annotation_codes WHERE annotation_id = a.id ORDER BY code_id)), '')
		FROM annotations a JOIN articles ar ON ar.id = a.article_id `+where+` ORDER BY a.article_id, a.start, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Annotation
	for rows.Next() {
		var a Annotation
		var created, modified, codes string
		if err := rows.Scan(&a.ID, &a.GUID, &a.ArticleID, &a.Start, &a.End, &a.Exact, &a.Prefix, &a.Suffix,
			&a.Note, &a.Color, &a.Orphaned, &created, &modified, &a.Creator, &a.Modifier, &codes); err != nil {
			return nil, err
		}
		a.Created, _ = time.Parse(time.RFC3339Nano, created)
		a.Modified, _ = time.Parse(time.RFC3339Nano, modified)
		for _, c := range strings.Split(codes, ",") {
			var id int64
			if _, err := fmt.Sscan(c, &id); err == nil {
				a.CodeIDs = append(a.CodeIDs, id)
			}
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Codes returns the codebook, parents before children, siblings by name.
func (s *Store) Codes(ctx context.Context) ([]Code, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]Code, error) { return listCodes(ctx, tx) })
	if err != nil {
		return nil, fmt.Errorf("codes: %w", err)
	}
	return out, nil
}

func listCodes(ctx context.Context, tx *sql.Tx) ([]Code, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, guid, coalesce(parent_id, 0), name, color, description, NOT codable, creator FROM codes ORDER BY name COLLATE NOCASE, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []Code
	for rows.Next() {
		var c Code
		if err := rows.Scan(&c.ID, &c.GUID, &c.ParentID, &c.Name, &c.Color, &c.Description, &c.Category, &c.Creator); err != nil {
			return nil, err
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Depth-first order so a tree view or an export can walk it directly.
	var out []Code
	var walk func(parent int64)
	walk = func(parent int64) {
		for _, c := range all {
			if c.ParentID == parent {
				out = append(out, c)
				walk(c.ID)
			}
		}
	}
	walk(0)
	return out, nil
}

// CreateCode adds a code under parent (0 for top level). The name is kept
// as given, "/" included; a code without a colour stays without one.
func (s *Store) CreateCode(ctx context.Context, c Code) (Code, error) {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return Code{}, Errorf(EInvalid, "a code needs a name")
	}
	if c.GUID == "" {
		c.GUID = uuid.NewString()
	}
	c.Creator = cmp.Or(c.Creator, s.Coder())
	err := s.inTx(ctx, func(tx *sql.Tx) error { return insertCode(ctx, tx, &c, s.Now()) })
	if err != nil {
		return Code{}, fmt.Errorf("create code %q: %w", c.Name, err)
	}
	return c, nil
}

func insertCode(ctx context.Context, tx *sql.Tx, c *Code, now time.Time) error {
	var parent any
	if c.ParentID != 0 {
		parent = c.ParentID
	}
	var id any
	if c.ID != 0 { // redo: the same code again
		id = c.ID
	}
	r, err := tx.ExecContext(ctx, "INSERT INTO codes(id, guid, parent_id, name, color, description, codable, creator, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		id, c.GUID, parent, c.Name, c.Color, c.Description, !c.Category, c.Creator, now.UTC().Format(time.RFC3339))
	if err != nil {
		return explain(err, EConflict, "a code named %q already exists there", c.Name)
	}
	c.ID, err = r.LastInsertId()
	return err
}

// EnsureCodePath returns the code named by a typed path like
// "Findings/Severity" (a "/" inside a name written "\/"; see
// SplitCodePath), creating missing codes along it, in one transaction.
func (s *Store) EnsureCodePath(ctx context.Context, path string) (Code, error) {
	var c Code
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, _, err = ensureCodePath(ctx, tx, path, s.Now(), s.Coder())
		return err
	})
	if err != nil {
		return Code{}, fmt.Errorf("code %q: %w", path, err)
	}
	return c, nil
}

// ensureCodePath walks a typed code path, creating what is missing
// (stamped with coder), and returns the last code and the ones it created.
// A path naming a code by "guid:" finds that code and creates nothing.
func ensureCodePath(ctx context.Context, tx *sql.Tx, path string, now time.Time, coder string) (Code, []Code, error) {
	if strings.HasPrefix(strings.TrimSpace(path), codeGUIDPrefix) {
		codes, err := listCodes(ctx, tx)
		if err != nil {
			return Code{}, nil, err
		}
		c, err := FindCode(codes, path)
		return c, nil, err
	}
	names, err := SplitCodePath(path)
	if err != nil {
		return Code{}, nil, err
	}
	var c Code
	var made []Code
	var parent int64
	for _, name := range names {
		var cur Code
		err := tx.QueryRowContext(ctx, "SELECT id, guid, coalesce(parent_id, 0), name, color, description, NOT codable, creator FROM codes WHERE coalesce(parent_id, 0) = ? AND name = ?",
			parent, name).Scan(&cur.ID, &cur.GUID, &cur.ParentID, &cur.Name, &cur.Color, &cur.Description, &cur.Category, &cur.Creator)
		if errors.Is(err, sql.ErrNoRows) {
			cur = Code{GUID: uuid.NewString(), ParentID: parent, Name: name, Creator: coder}
			if err = insertCode(ctx, tx, &cur, now); err == nil {
				made = append(made, cur)
			}
		}
		if err != nil {
			return Code{}, nil, err
		}
		parent, c = cur.ID, cur
	}
	return c, made, nil
}
