package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// An interchange file (a REFI-QDA project, a colleague's Parallax project)
// often holds annotations and memos the project has already: an earlier
// import of the same file, or a colleague's copy of the project's own
// work. Import and merge settle each such item the same way: the same in
// both is counted as present; a version changed later in the file (its
// modification date, to the second, as REFI-QDA keeps it) replaces the
// project's, and both versions are kept for undo (Coding.Revised); where
// the file's version is not newer, or gives no date, the project's stays
// and the difference is reported by name. Nothing the file holds is left
// out without a line in the report saying why.

// AnnotationRevision is an annotation an import or merge replaced with a
// newer version from a file: Before is the project's, After the file's.
type AnnotationRevision struct {
	Before, After Annotation
}

// MemoRevision is a memo an import or merge replaced with a newer version
// from a file.
type MemoRevision struct {
	Before, After Memo
}

// applySelection writes one of a file's selections on article: a new
// annotation, or, when its GUID is here already, the two versions settled
// (settleAnnotation). source names the file's source, for the report. It
// returns the annotation added, whose ID is 0 when none was.
func applySelection(ctx context.Context, tx *sql.Tx, sel QDPXSelection, source string, article int64, codeIDs []int64, codes []QDPXCode,
	now time.Time, rep *QDPXReport) (Annotation, error) {
	a := Annotation{GUID: sel.GUID, ArticleID: article, Start: sel.Start, End: sel.End, Note: sel.Note,
		Created: sel.Created, Modified: sel.Modified, Creator: sel.Creator, Modifier: sel.Modifier, Orphaned: sel.Orphaned, Exact: sel.Exact}
	if a.Created.IsZero() {
		a.Created = now
	}
	if a.Modified.IsZero() {
		a.Modified = a.Created
	}
	for _, c := range sel.Codes {
		var codable bool
		if err := tx.QueryRowContext(ctx, "SELECT codable FROM codes WHERE id = ?", codeIDs[c]).Scan(&codable); err != nil {
			return Annotation{}, err
		}
		if !codable {
			rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("an annotation by %s carries %q, a category in this project: kept without that code", who(sel.Creator), codes[c].Name))
			continue
		}
		a.CodeIDs = append(a.CodeIDs, codeIDs[c])
	}
	slices.Sort(a.CodeIDs)
	if !a.Orphaned {
		if err := anchor(ctx, tx, &a); err != nil {
			return Annotation{}, err
		}
	}
	have, err := findAnnotationByGUID(ctx, tx, sel.GUID)
	if err != nil {
		return Annotation{}, err
	}
	if have != nil {
		return Annotation{}, settleAnnotation(ctx, tx, *have, a, sel.Modified, source, rep)
	}
	if a.Orphaned {
		rep.Orphaned++ // its positions name no place in the text
	}
	if err := insertAnnotation(ctx, tx, &a); err != nil {
		return Annotation{}, err
	}
	rep.Annotations++
	return a, nil
}

// settleAnnotation settles an annotation that is both here (have) and in
// the file (file, anchored; modified is the file's date, zero when it
// gives none).
func settleAnnotation(ctx context.Context, tx *sql.Tx, have, file Annotation, modified time.Time, source string, rep *QDPXReport) error {
	name := fmt.Sprintf("annotation on “%s” by %s", excerpt(have.Exact), who(have.Creator))
	if have.ArticleID != file.ArticleID {
		// One GUID, two articles: most likely the passage's article was
		// re-imported as a new version in one project only. Moving the
		// annotation would leave the other article without it.
		var title string
		if err := tx.QueryRowContext(ctx, "SELECT title FROM articles WHERE id = ?", have.ArticleID).Scan(&title); err != nil {
			return err
		}
		rep.AnnotationsSkipped++
		rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("annotation on “%s” in %q not imported: its GUID %s is this project's %s on another article (%d, %q)",
			excerpt(file.Exact), source, file.GUID, name, have.ArticleID, title))
		return nil
	}
	diff := annotationDiff(have, file)
	switch {
	case len(diff) == 0:
		rep.AnnotationsPresent++
	case newerInFile(modified, have.Modified):
		file.ID, file.Created, file.Color = have.ID, have.Created, have.Color
		if file.Creator == "" {
			file.Creator = have.Creator
		}
		if err := putAnnotation(ctx, tx, file); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rep.AnnotationsUpdated++
		rep.Revised = append(rep.Revised, AnnotationRevision{Before: have, After: file})
		rep.Updated = append(rep.Updated, fmt.Sprintf("%s: its %s updated from the file's version (changed %s by %s), newer than this project's (changed %s)",
			name, strings.Join(diff, ", "), stamp(modified), who(file.Modifier), stamp(have.Modified)))
	default:
		rep.AnnotationsPresent++
		rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("%s differs in the file (its %s): %s; this project's is kept",
			name, strings.Join(diff, ", "), notNewer(modified, have.Modified)))
	}
	return nil
}

// annotationDiff names what differs between two versions of an
// annotation: "passage", "note", "codes" (both sorted).
func annotationDiff(have, file Annotation) []string {
	var diff []string
	if have.Orphaned != file.Orphaned || !have.Orphaned && (have.Start != file.Start || have.End != file.End) {
		diff = append(diff, "passage")
	}
	if have.Note != file.Note {
		diff = append(diff, "note")
	}
	if !slices.Equal(have.CodeIDs, file.CodeIDs) {
		diff = append(diff, "codes")
	}
	return diff
}

// newerInFile reports whether a version changed at file (zero when the
// file gives no date) is newer than one changed at have. REFI-QDA keeps
// whole seconds, so seconds are compared.
func newerInFile(file, have time.Time) bool {
	return !file.IsZero() && file.UTC().Truncate(time.Second).After(have.UTC().Truncate(time.Second))
}

// notNewer says why the file's version, changed at file, does not replace
// the project's, changed at have.
func notNewer(file, have time.Time) string {
	if file.IsZero() {
		return fmt.Sprintf("the file gives no date to tell which is newer, and this project's was changed %s", stamp(have))
	}
	return fmt.Sprintf("the file's was changed %s, this project's %s", stamp(file), stamp(have))
}

// stamp is a modification date in a report, to the second, in UTC.
func stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// putAnnotation writes a version of an annotation over the stored one
// with its ID: range, passage, note, codes and stamps. Codes deleted since
// are left out; an annotation deleted since stays deleted.
func putAnnotation(ctx context.Context, tx *sql.Tx, a Annotation) error {
	r, err := tx.ExecContext(ctx, `UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?, note = ?, color = ?, orphaned = ?,
		created = ?, modified = ?, creator = ?, modifier = ? WHERE id = ?`,
		a.Start, a.End, a.Exact, a.Prefix, a.Suffix, a.Note, a.Color, a.Orphaned,
		a.Created.UTC().Format(time.RFC3339Nano), a.Modified.UTC().Format(time.RFC3339Nano), a.Creator, a.Modifier, a.ID)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return nil
	}
	var codes []int64
	for _, c := range a.CodeIDs {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM codes WHERE id = ?", c).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			codes = append(codes, c)
		}
	}
	return setCodes(ctx, tx, a.ID, codes)
}

// applyMemo writes one of a file's memos: a new memo, or, when its GUID is
// here already, the two versions settled as annotations are. It returns
// the memo added, whose ID is 0 when none was. A note that is one of the
// project's annotations, written as a note, is counted as present, and
// reported when its text is not the annotation's (unplacedNoteEdited). A memo
// on an article the file brought no ID for (a merge's article not in the
// project) is reported with its article and left out.
func applyMemo(ctx context.Context, tx *sql.Tx, m QDPXMemo, articleIDs, codeIDs []int64, now time.Time, rep *QDPXReport) (Memo, error) {
	memo := Memo{GUID: m.GUID, TargetKind: m.Kind, Title: m.Title, Text: m.Text, Created: m.Created, Modified: m.Modified,
		Creator: m.Creator, Modifier: m.Modifier}
	switch m.Kind {
	case "article":
		if memo.TargetID = articleIDs[m.Target]; memo.TargetID == 0 {
			return Memo{}, nil
		}
	case "code":
		memo.TargetID = codeIDs[m.Target]
	}
	if memo.Created.IsZero() {
		memo.Created = now
	}
	if memo.Modified.IsZero() {
		memo.Modified = memo.Created
	}
	// A note with an annotation's GUID is that annotation, written as a
	// note because its passage was gone (an orphan, see package refi):
	// where the annotation is, the note is already here.
	if an, err := findAnnotationByGUID(ctx, tx, m.GUID); err != nil {
		return Memo{}, fmt.Errorf("memo %q: %w", m.Title, err)
	} else if an != nil {
		rep.MemosPresent++
		return Memo{}, unplacedNoteEdited(ctx, tx, m, *an, rep)
	}
	have, err := findMemoByGUID(ctx, tx, m.GUID)
	if err != nil {
		return Memo{}, err
	}
	if have == nil {
		if err := insertMemo(ctx, tx, &memo); err != nil {
			return Memo{}, fmt.Errorf("memo %q: %w", m.Title, err)
		}
		rep.Memos++
		return memo, nil
	}
	name := fmt.Sprintf("memo %q", have.Title)
	switch {
	case have.Title == memo.Title && have.Text == memo.Text:
		rep.MemosPresent++
	case newerInFile(m.Modified, have.Modified):
		after := *have
		after.Title, after.Text, after.Modified, after.Modifier = memo.Title, memo.Text, memo.Modified, memo.Modifier
		if err := putMemo(ctx, tx, after); err != nil {
			return Memo{}, fmt.Errorf("%s: %w", name, err)
		}
		rep.MemosUpdated++
		rep.RevisedMemos = append(rep.RevisedMemos, MemoRevision{Before: *have, After: after})
		rep.Updated = append(rep.Updated, fmt.Sprintf("%s: updated from the file's version (changed %s by %s), newer than this project's (changed %s)",
			name, stamp(m.Modified), who(memo.Modifier), stamp(have.Modified)))
	default:
		rep.MemosPresent++
		rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("%s differs in the file: %s; this project's is kept", name, notNewer(m.Modified, have.Modified)))
	}
	return Memo{}, nil
}

// unplacedNoteEdited reports a note m that is the project's annotation an
// written as a note (an orphan's) when its text is not what an export
// writes for an: someone changed it in another tool, or the annotation
// changed here since. A note's text is not read back into an annotation
// (what of it is the passage, the codes or the note is the tool's guess),
// so the change would otherwise be lost without a word.
func unplacedNoteEdited(ctx context.Context, tx *sql.Tx, m QDPXMemo, an Annotation, rep *QDPXReport) error {
	codes, err := listCodes(ctx, tx)
	if err != nil {
		return err
	}
	want := UnplacedNote(an, func(id int64) string { return CodePath(codes, id) })
	if strings.TrimSpace(m.Text) == strings.TrimSpace(want) {
		return nil
	}
	when := notNewer(m.Modified, an.Modified)
	if newerInFile(m.Modified, an.Modified) {
		when = fmt.Sprintf("the file's was changed %s by %s, after this project's (changed %s)", stamp(m.Modified), who(m.Modifier), stamp(an.Modified))
	}
	rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("annotation on “%s” by %s, in the file as a note since its passage is gone, differs there: %s; this project's is kept, and a note's text is not read back into an annotation: carry any change over by hand",
		excerpt(an.Exact), who(an.Creator), when))
	return nil
}

func findMemoByGUID(ctx context.Context, tx *sql.Tx, guid string) (*Memo, error) {
	var m Memo
	var c, mod string
	err := tx.QueryRowContext(ctx, "SELECT id, guid, target_kind, target_id, title, text, created, modified, creator, modifier FROM memos WHERE guid = ?", guid).
		Scan(&m.ID, &m.GUID, &m.TargetKind, &m.TargetID, &m.Title, &m.Text, &c, &mod, &m.Creator, &m.Modifier)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m.Created, _ = time.Parse(time.RFC3339Nano, c)
	m.Modified, _ = time.Parse(time.RFC3339Nano, mod)
	return &m, nil
}

// putMemo writes a version of a memo over the stored one with its ID; a
// memo deleted since stays deleted.
func putMemo(ctx context.Context, tx *sql.Tx, m Memo) error {
	_, err := tx.ExecContext(ctx, "UPDATE memos SET title = ?, text = ?, modified = ?, modifier = ? WHERE id = ?",
		m.Title, m.Text, m.Modified.UTC().Format(time.RFC3339Nano), m.Modifier, m.ID)
	return err
}

// putRevisions writes back each revision's older version (undo, latest
// first) or its newer one (redo).
func putRevisions(ctx context.Context, tx *sql.Tx, c Coding, older bool) error {
	n := len(c.Revised)
	for i := range n {
		a := c.Revised[i].After
		if older {
			a = c.Revised[n-1-i].Before
		}
		if err := putAnnotation(ctx, tx, a); err != nil {
			return fmt.Errorf("annotation %d: %w", a.ID, err)
		}
	}
	n = len(c.RevisedMemos)
	for i := range n {
		m := c.RevisedMemos[i].After
		if older {
			m = c.RevisedMemos[n-1-i].Before
		}
		if err := putMemo(ctx, tx, m); err != nil {
			return fmt.Errorf("memo %d: %w", m.ID, err)
		}
	}
	return nil
}

// articleMetaConflict reports, by name, how an article already here
// differs in metadata from the file's copy of it (found by its text):
// the project's metadata is the researcher's and stays. A field the file
// leaves empty says nothing, as in matching (textTwin.contradicts): many
// REFI-QDA tools keep no outlet or date, and reporting "another outlet
// \"\"" for each of their sources would bury the differences that are.
func articleMetaConflict(ctx context.Context, tx *sql.Tx, id int64, file Meta, rep *QDPXReport) error {
	var m Meta
	var date string
	if err := tx.QueryRowContext(ctx, "SELECT title, outlet, date, url, author FROM articles WHERE id = ?", id).
		Scan(&m.Title, &m.Outlet, &date, &m.URL, &m.Author); err != nil {
		return err
	}
	var diff []string
	for _, f := range []struct{ name, have, file string }{
		{"title", m.Title, file.Title}, {"outlet", m.Outlet, file.Outlet}, {"date", date, file.Date.String()},
		{"URL", m.URL, file.URL}, {"author", m.Author, file.Author},
	} {
		if strings.TrimSpace(f.file) != "" && f.have != f.file {
			diff = append(diff, fmt.Sprintf("%s %q", f.name, f.file))
		}
	}
	if len(diff) > 0 {
		rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("article %d (%q) is in the file with another %s; this project's details are kept",
			id, m.Title, strings.Join(diff, ", ")))
	}
	return nil
}
