package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ApplyQDPX writes a checked plan in one transaction: all of it or, on
// error, nothing.
//
// A source is reused when it is an article already in the project: the
// same text and, where either has copies of it, nothing (outlet, URL,
// date) saying it is another outlet's copy (sourcematch.go), so importing
// a file twice adds nothing the second time; the article's details stay
// this project's (a difference is reported). Two sources of one file are two articles, even word for word
// the same. Codes are matched by GUID, then by
// path, and created when neither matches. Annotations and memos whose GUID
// is already in the project are settled as revise.go says: a newer
// version in the file replaces the project's (the report keeps both, for
// undo), anything else that differs is reported. Every selection is
// checked against its article's text as a new annotation is.
func (s *Store) ApplyQDPX(ctx context.Context, plan *QDPXPlan) (QDPXReport, error) {
	rep := QDPXReport{Units: plan.Units, Skipped: plan.Skipped, Warnings: plan.Warnings}
	now := s.Now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := recordCoders(ctx, tx, plan.Coders); err != nil {
			return err
		}
		codeIDs, err := applyQDPXCodes(ctx, tx, plan.Codes, now, &rep, nil)
		if err != nil {
			return err
		}
		articleIDs, err := applyQDPXSources(ctx, tx, plan, now, &rep)
		if err != nil {
			return err
		}
		if err := applyQDPXSelections(ctx, tx, plan, articleIDs, codeIDs, now, &rep); err != nil {
			return err
		}
		if err := applyQDPXSets(ctx, tx, plan, articleIDs, codeIDs, nil); err != nil {
			return err
		}
		return applyQDPXMemos(ctx, tx, plan.Memos, articleIDs, codeIDs, now, &rep)
	})
	if err != nil {
		return QDPXReport{}, err
	}
	return rep, nil
}

// applyQDPXCodes finds or creates the plan's codes and returns their IDs
// by index; made, if not nil, collects the codes created.
//
// A code is the project's code with its GUID, else one the project had
// before this import with its name under the same parent and that no
// other code of the file is by GUID; a differing colour or description is
// reported either way. Each of the file's codes
// is its own code: two siblings of the file with one name and two GUIDs
// (NVivo allows it) are two codes, not matched to one project code nor to
// each other, and the second is created with a distinguishing name, "Police
// (2)", which the report's warnings give.
func applyQDPXCodes(ctx context.Context, tx *sql.Tx, codes []QDPXCode, now time.Time, rep *QDPXReport, made *[]Code) ([]int64, error) {
	var before int64 // the first ID a code created by this import gets
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM codes").Scan(&before); err != nil {
		return nil, err
	}
	// A code found by its GUID is that code, wherever it stands in the
	// file, so all GUIDs are looked up before any name: a colleague who
	// renamed "Police" to "Police old" and made a new "Police" would
	// otherwise have the new code, first by name, take the old one.
	type found struct {
		id, parent               int64
		name, color, description string
	}
	byGUID := make([]*found, len(codes))
	claimed := map[int64]bool{} // project codes already standing for one of the file's
	for i, c := range codes {
		var f found
		err := tx.QueryRowContext(ctx, "SELECT id, name, coalesce(parent_id, 0), color, description FROM codes WHERE guid = ?", c.GUID).
			Scan(&f.id, &f.name, &f.parent, &f.color, &f.description)
		switch {
		case err == nil:
			byGUID[i] = &f
			claimed[f.id] = true
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
	}
	ids := make([]int64, len(codes))
	for i, c := range codes {
		var parent int64
		if c.Parent >= 0 {
			parent = ids[c.Parent]
		}
		var id, haveParent int64
		var name, color, description string
		var err error
		if f := byGUID[i]; f != nil {
			id, name, haveParent, color, description = f.id, f.name, f.parent, f.color, f.description
		} else {
			err = tx.QueryRowContext(ctx, "SELECT id, name, color, description FROM codes WHERE coalesce(parent_id, 0) = ? AND name = ? AND id < ?", parent, c.Name, before).
				Scan(&id, &name, &color, &description)
			if err == nil && claimed[id] {
				err = sql.ErrNoRows // another code of the file, with another GUID, is that one
			}
		}
		switch {
		case err == nil:
			rep.CodesMatched++
			claimed[id] = true
			if byGUID[i] != nil && (!sameCodeName(name, c.Name) || haveParent != parent) {
				rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("code %q is named or placed differently in the file (%q); this project's name and place are kept", name, c.Name))
			}
			// Codes carry no modification date to tell which version is
			// newer: the project's stays, and the difference is said.
			if color != c.Color || description != c.Description {
				rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("code %q has another colour or description in the file; this project's are kept", name))
			}
		case errors.Is(err, sql.ErrNoRows):
			code := Code{GUID: c.GUID, ParentID: parent, Name: c.Name, Color: c.Color, Description: c.Description, Category: c.Category}
			if code.Name, err = freeCodeName(ctx, tx, parent, c.Name); err != nil {
				return nil, fmt.Errorf("code %q: %w", c.Name, err)
			}
			if code.Name != c.Name {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("code %q (GUID %s) has the name of another code beside it; imported as %q, to tell them apart",
					c.Name, c.GUID, code.Name))
			}
			if err := insertCode(ctx, tx, &code, now); err != nil {
				return nil, fmt.Errorf("code %q: %w", c.Name, err)
			}
			id = code.ID
			claimed[id] = true
			rep.Codes++
			if made != nil {
				*made = append(*made, code)
			}
		default:
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

// freeCodeName is name if no code under parent has it, else the first of
// "name (2)", "name (3)"… that none has: sibling names are unique.
func freeCodeName(ctx context.Context, tx *sql.Tx, parent int64, name string) (string, error) {
	for k := 1; ; k++ {
		try := name
		if k > 1 {
			try = fmt.Sprintf("%s (%d)", name, k)
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM codes WHERE coalesce(parent_id, 0) = ? AND name = ?", parent, try).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return try, nil
		}
	}
}

// sameCodeName reports whether a project code named have is named as the
// file's code: the same name, or the name freeCodeName gave it to tell it
// from a sibling, "Police (2)" for "Police".
func sameCodeName(have, file string) bool {
	rest, ok := strings.CutPrefix(have, file+" (")
	if have == file || !ok {
		return have == file
	}
	k, ok := strings.CutSuffix(rest, ")")
	_, err := strconv.Atoi(k)
	return ok && err == nil
}

// applyQDPXSources finds or adds the plan's articles and returns their IDs
// by index: every source is its own article, found in the project as
// sourcematch.go says or added; one added while its text is in the project
// already is reported with the articles that have it. A source whose text is in several
// articles with nothing to tell which one it is gets no ID (0): it is
// left out, with its annotations and memos, and reported.
func applyQDPXSources(ctx context.Context, tx *sql.Tx, plan *QDPXPlan, now time.Time, rep *QDPXReport) ([]int64, error) {
	ins, err := newArticleInserter(ctx, tx, now.Format(time.RFC3339))
	if err != nil {
		return nil, err
	}
	defer ins.close()
	found, err := matchSources(ctx, tx, plan)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(plan.Sources))
	for i, src := range plan.Sources {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a := src.Article
		switch {
		case len(found[i].Tied) > 0:
			tiedSource(plan, i, found[i].Tied, rep)
			continue
		case found[i].ID != 0:
			ids[i] = found[i].ID
			rep.ArticlesReused++
			if err := articleMetaConflict(ctx, tx, found[i].ID, a.Meta, rep); err != nil {
				return nil, fmt.Errorf("source %q: %w", a.Title, err)
			}
			continue
		}
		// Fingerprinted like any import, so later copies of it are found,
		// and found a copy of the project's articles (or of the file's
		// sources before it) with the same or most of its text.
		prints, words := sentencePrints(a.Text)
		n := newcomer{when: copyDateOf(a.Date, a.IsInferred(FieldDate)), hash: ContentHash(a.Text), prints: prints, words: words}
		var from int64
		if a.CopyOf, a.CopyShare, err = ins.copies.nearest(ctx, prints, words, 0); err == nil {
			a.CopyOf, a.CopyShare, from, err = orient(ctx, tx, ins.links, n, a.CopyOf, a.CopyShare)
		}
		if err == nil {
			ids[i], err = ins.insert(ctx, a, n.hash, CountWords(a.Text))
		}
		if err == nil && from != 0 {
			_, err = adopt(ctx, tx, ins.links, ids[i], n.hash, prints, from, ins.prints)
		}
		if err == nil {
			err = ins.copies.store(ctx, ids[i], prints)
		}
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", a.Title, err)
		}
		rep.Articles++
		if len(found[i].Others) > 0 || len(found[i].Taken) > 0 {
			rep.Conflicts = append(rep.Conflicts, addedBesideTwins(src, found[i], ids[i]))
		}
	}
	// The links adopt kept back are written once each (see copyLinks).
	if err := ins.links.flush(ctx, tx); err != nil {
		return nil, err
	}
	return ids, nil
}

// applyQDPXSelections adds the selections as annotations, each anchored
// on its article's stored text, or settles them with the annotations of
// their GUIDs already here.
func applyQDPXSelections(ctx context.Context, tx *sql.Tx, plan *QDPXPlan, articleIDs, codeIDs []int64, now time.Time, rep *QDPXReport) error {
	for i, src := range plan.Sources {
		if articleIDs[i] == 0 {
			continue // left out, and reported, by applyQDPXSources
		}
		for _, sel := range src.Selections {
			if _, err := applySelection(ctx, tx, sel, src.Article.Title, articleIDs[i], codeIDs, plan.Codes, now, rep); err != nil {
				return fmt.Errorf("selection %s: %w", sel.GUID, err)
			}
		}
	}
	return nil
}

// applyQDPXMemos adds the memos that are not there yet and settles those
// that are.
func applyQDPXMemos(ctx context.Context, tx *sql.Tx, memos []QDPXMemo, articleIDs, codeIDs []int64, now time.Time, rep *QDPXReport) error {
	for _, m := range memos {
		if _, err := applyMemo(ctx, tx, m, articleIDs, codeIDs, now, rep); err != nil {
			return err
		}
	}
	return nil
}

// recordCoders keeps the REFI-QDA GUIDs of coders the project does not
// know yet; a coder already known keeps theirs.
func recordCoders(ctx context.Context, tx *sql.Tx, coders []Coder) error {
	for _, c := range coders {
		if c.Name == "" || c.GUID == "" {
			continue
		}
		// A GUID already given to another name is left with it: two
		// files that disagree are not settled by the second.
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO coders(name, guid) VALUES (?, ?)", c.Name, c.GUID); err != nil {
			return fmt.Errorf("coder %q: %w", c.Name, err)
		}
	}
	return nil
}

// Coders lists everyone who made or changed an annotation, code or memo,
// and the coders the project knows from files, by name.
func (s *Store) Coders(ctx context.Context) ([]Coder, error) {
	out, err := read(ctx, s, func(tx *sql.Tx) ([]Coder, error) { return listCoders(ctx, tx) })
	if err != nil {
		return nil, fmt.Errorf("coders: %w", err)
	}
	return out, nil
}

func listCoders(ctx context.Context, tx *sql.Tx) ([]Coder, error) {
	rows, err := tx.QueryContext(ctx, `SELECT n.name, coalesce(c.guid, '') FROM (
			SELECT creator AS name FROM annotations UNION SELECT modifier FROM annotations
			UNION SELECT creator FROM codes UNION SELECT creator FROM memos UNION SELECT modifier FROM memos
			UNION SELECT name FROM coders) n
		LEFT JOIN coders c ON c.name = n.name WHERE n.name <> '' ORDER BY n.name COLLATE NOCASE, n.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Coder
	for rows.Next() {
		var c Coder
		if err := rows.Scan(&c.Name, &c.GUID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// applyQDPXSets keeps the plan's sets and variable types for the next
// export. A set already here (same GUID) gains the members it lacks; a
// variable's type already recorded stays. made, if not nil, collects what
// was added to each set, for undo.
func applyQDPXSets(ctx context.Context, tx *sql.Tx, plan *QDPXPlan, articleIDs, codeIDs []int64, made *[]SetChange) error {
	for _, v := range plan.VariableTypes {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO refi_variables(name, type) VALUES (?, ?)", v.Name, v.Type); err != nil {
			return explain(err, EInvalid, "variable %q: type %q is not a REFI-QDA type", v.Name, v.Type)
		}
	}
	for _, set := range plan.Sets {
		ch := SetChange{Set: Set{GUID: set.GUID, Name: set.Name, Description: set.Description}}
		var err error
		if ch.Created, err = insertSet(ctx, tx, ch.Set); err != nil {
			return fmt.Errorf("set %q: %w", set.Name, err)
		}
		for _, i := range set.Sources {
			if err := addSetMember(ctx, tx, set.GUID, "article_id", articleIDs[i], &ch.Articles); err != nil {
				return fmt.Errorf("set %q: %w", set.Name, err)
			}
		}
		for _, i := range set.Codes {
			if err := addSetMember(ctx, tx, set.GUID, "code_id", codeIDs[i], &ch.Codes); err != nil {
				return fmt.Errorf("set %q: %w", set.Name, err)
			}
		}
		if made != nil && (ch.Created || len(ch.Articles)+len(ch.Codes) > 0) {
			*made = append(*made, ch)
		}
	}
	return nil
}

// insertSet keeps set, without members, unless a set with its GUID is
// kept already; it reports whether it was added.
func insertSet(ctx context.Context, tx *sql.Tx, set Set) (bool, error) {
	r, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO refi_sets(guid, name, description) VALUES (?, ?, ?)", set.GUID, set.Name, set.Description)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

// addSetMember makes the article or code id (column is "article_id" or
// "code_id", never user input) a member of the set with GUID guid, unless
// it is one already, or is gone (deleted since, for a redo), and then
// adds id to added. An id of 0 is a source not brought in (merge),
// reported with it.
func addSetMember(ctx context.Context, tx *sql.Tx, guid, column string, id int64, added *[]int64) error {
	if id == 0 {
		return nil
	}
	table := map[string]string{"article_id": "articles", "code_id": "codes"}[column]
	r, err := tx.ExecContext(ctx, "INSERT INTO refi_set_members(set_guid, "+column+") SELECT ?, id FROM "+table+
		" WHERE id = ? AND NOT EXISTS (SELECT 1 FROM refi_set_members WHERE set_guid = ? AND "+column+" = ?)", guid, id, guid, id)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return err
	}
	*added = append(*added, id)
	return nil
}

// removeSetChanges undoes what a merge added to sets, latest first: the
// members it added, and each set it created that no member is left in
// (one another import has added to since stays, with those members).
func removeSetChanges(ctx context.Context, tx *sql.Tx, changes []SetChange) error {
	for i := len(changes) - 1; i >= 0; i-- {
		ch := changes[i]
		for _, m := range []struct {
			column string
			ids    []int64
		}{{"article_id", ch.Articles}, {"code_id", ch.Codes}} {
			for _, id := range m.ids {
				// column is one of two fixed names, never user input.
				if _, err := tx.ExecContext(ctx, "DELETE FROM refi_set_members WHERE set_guid = ? AND "+m.column+" = ?", ch.GUID, id); err != nil {
					return fmt.Errorf("set %q: %w", ch.Name, err)
				}
			}
		}
		if ch.Created {
			if _, err := tx.ExecContext(ctx, "DELETE FROM refi_sets WHERE guid = ? AND NOT EXISTS (SELECT 1 FROM refi_set_members WHERE set_guid = ?)", ch.GUID, ch.GUID); err != nil {
				return fmt.Errorf("set %q: %w", ch.Name, err)
			}
		}
	}
	return nil
}

// restoreSetChanges redoes what a merge added to sets: the sets it created
// and the members it added, those deleted since left out.
func restoreSetChanges(ctx context.Context, tx *sql.Tx, changes []SetChange) error {
	for _, ch := range changes {
		// A set the merge did not create is kept still (sets are never
		// deleted but by an undo), and putting it back costs nothing.
		if _, err := insertSet(ctx, tx, ch.Set); err != nil {
			return fmt.Errorf("set %q: %w", ch.Name, err)
		}
		var ignored []int64
		for _, id := range ch.Articles {
			if err := addSetMember(ctx, tx, ch.GUID, "article_id", id, &ignored); err != nil {
				return fmt.Errorf("set %q: %w", ch.Name, err)
			}
		}
		for _, id := range ch.Codes {
			if err := addSetMember(ctx, tx, ch.GUID, "code_id", id, &ignored); err != nil {
				return fmt.Errorf("set %q: %w", ch.Name, err)
			}
		}
	}
	return nil
}

// listSets reads the kept sets with their members, and the variable types.
func listSets(ctx context.Context, tx *sql.Tx) ([]Set, []VariableType, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.guid, s.name, s.description, coalesce(m.article_id, 0), coalesce(m.code_id, 0)
		FROM refi_sets s LEFT JOIN refi_set_members m ON m.set_guid = s.guid ORDER BY s.name, s.guid, m.rowid`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var sets []Set
	for rows.Next() {
		var st Set
		var article, code int64
		if err := rows.Scan(&st.GUID, &st.Name, &st.Description, &article, &code); err != nil {
			return nil, nil, err
		}
		if n := len(sets); n == 0 || sets[n-1].GUID != st.GUID {
			sets = append(sets, st)
		}
		last := &sets[len(sets)-1]
		if article != 0 {
			last.Articles = append(last.Articles, article)
		}
		if code != 0 {
			last.Codes = append(last.Codes, code)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	vrows, err := tx.QueryContext(ctx, "SELECT name, type FROM refi_variables ORDER BY name")
	if err != nil {
		return nil, nil, err
	}
	defer vrows.Close()
	var types []VariableType
	for vrows.Next() {
		var v VariableType
		if err := vrows.Scan(&v.Name, &v.Type); err != nil {
			return nil, nil, err
		}
		types = append(types, v)
	}
	return sets, types, vrows.Err()
}
