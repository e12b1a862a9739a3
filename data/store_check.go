package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// CheckReport is what a full check of a project file found.
type CheckReport struct {
	// Integrity lists integrity_check's findings; empty when the file's
	// structure, every index and every search index entry are sound.
	Integrity []string
	// References lists rows that point at a row that is not there
	// (foreign_key_check).
	References []string
}

// OK reports whether the check found nothing wrong.
func (r CheckReport) OK() bool { return len(r.Integrity) == 0 && len(r.References) == 0 }

// maxCheckFindings caps how many problems a check lists: a badly damaged
// file has thousands, and the first ones say enough.
const maxCheckFindings = 100

// Check runs SQLite's full integrity_check and foreign_key_check on the
// project at path. It only reads, and works on the damaged file Open
// refuses.
func Check(ctx context.Context, path string) (CheckReport, error) {
	var rep CheckReport
	db, err := openRaw(path)
	if err != nil {
		return rep, err
	}
	defer db.Close()
	// A file damaged in its structure makes integrity_check itself stop
	// with an error: that is a finding, not a failure to check.
	rows, err := db.QueryContext(ctx, fmt.Sprintf("PRAGMA integrity_check(%d)", maxCheckFindings))
	if err != nil {
		rep.Integrity = append(rep.Integrity, fmt.Sprintf("the check could not run: %v", err))
		return rep, nil
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rep.Integrity = append(rep.Integrity, fmt.Sprintf("the check stopped: %v", err))
			break
		}
		if p != "ok" {
			rep.Integrity = append(rep.Integrity, p)
		}
	}
	if err := rows.Err(); err != nil {
		rep.Integrity = append(rep.Integrity, fmt.Sprintf("the check stopped: %v", err))
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		// A schema too damaged to list its references is already in
		// Integrity; say so rather than fail the whole check.
		rep.References = append(rep.References, fmt.Sprintf("could not check references: %v", err))
		return rep, nil
	}
	defer rows.Close()
	for rows.Next() && len(rep.References) < maxCheckFindings {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			rep.References = append(rep.References, fmt.Sprintf("could not finish checking references: %v", err))
			return rep, nil
		}
		row := "a row"
		if rowid.Valid {
			row = fmt.Sprintf("row %d", rowid.Int64)
		}
		rep.References = append(rep.References, fmt.Sprintf("%s %s refers to a missing %s row", table, row, parent))
	}
	if err := rows.Err(); err != nil {
		rep.References = append(rep.References, fmt.Sprintf("could not finish checking references: %v", err))
	}
	return rep, nil
}

// openRaw opens the project at path for reading only, with none of Open's
// checks: for Check and Recover, which must read a damaged file.
func openRaw(path string) (*sql.DB, error) {
	st, err := checkFile(path)
	if err != nil {
		return nil, err
	}
	if st != fileProject {
		return nil, Errorf(ENotProj, "no project at %s", path)
	}
	register()
	dsn, err := dsnFor(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db, err := sql.Open(driverName, dsn+"?_busy_timeout=5000"+readOnlyDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// RecoverReport says what Recover copied and what it could not.
type RecoverReport struct {
	Tables []RecoveredTable
	// Dropped counts rows left out because what they refer to was lost
	// (an annotation of an unreadable article, say).
	Dropped int
}

// RecoveredTable is one table's share of a recovery.
type RecoveredTable struct {
	Name   string
	Copied int
	// Damaged: reading stopped at damage, so rows may be missing.
	Damaged bool
}

// Recover copies what can still be read from the damaged project at bad
// into a new project at out, which must not exist yet. bad is only read.
// Rows are read in key order from both ends of each table (and, for
// tables with row IDs, past each damaged stretch), so one bad page costs
// the rows on it rather than the rest of the table. Rows whose references
// were lost are dropped; memos of lost articles or codes are kept as
// project memos. Search indexes are rebuilt, and analysis results copied
// where readable (analyze redoes any that are missing).
func Recover(ctx context.Context, bad, out string) (RecoverReport, error) {
	var rep RecoverReport
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		return rep, Errorf(EConflict, "%s already exists; name a new file for the recovered project", out)
	}
	src, err := openRaw(bad)
	if err != nil {
		return rep, err
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, "SELECT count(*) FROM sqlite_schema"); err != nil {
		return rep, Errorf(EDamaged, "nothing can be read from %s: %v", bad, err)
	}
	dst, err := OpenWith(out, Options{Create: true})
	if err != nil {
		return rep, err
	}
	err = dst.copyFrom(ctx, src, &rep)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		os.Remove(out + "-wal")
		os.Remove(out + "-shm")
		return rep, fmt.Errorf("recover %s into %s: %w", bad, out, err)
	}
	return rep, nil
}

// notCopied are tables Recover never copies: its own bookkeeping, made
// fresh in the new project, and the search index, which the copied
// articles rebuild.
var notCopied = map[string]bool{"schema_migrations": true, "fts_pending": true}

func (s *Store) copyFrom(ctx context.Context, src *sql.DB, rep *RecoverReport) error {
	tables, err := userTables(ctx, s.w)
	if err != nil {
		return err
	}
	// References are checked, and dangling ones dropped, after all tables
	// are in: rows come in whatever order damage allows.
	return s.inTxUnchecked(ctx, func(tx *sql.Tx) error {
		for _, t := range tables {
			if notCopied[t] || strings.HasPrefix(t, "articles_fts") {
				continue
			}
			rt, err := copyTable(ctx, src, tx, t)
			if err != nil {
				return fmt.Errorf("table %s: %w", t, err)
			}
			rep.Tables = append(rep.Tables, rt)
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM project WHERE key LIKE 'writer %'")
		return err
	}, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE memos SET target_kind = 'project', target_id = 0
			WHERE target_kind = 'article' AND target_id NOT IN (SELECT id FROM articles)
			   OR target_kind = 'code' AND target_id NOT IN (SELECT id FROM codes)
			   OR target_kind = 'cluster' AND target_id NOT IN (SELECT id FROM clusters)`); err != nil {
			return err
		}
		n, err := dropDangling(ctx, tx, tables)
		rep.Dropped = n
		return err
	})
}

// userTables lists the project's own tables.
func userTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// column is one column of a table, as PRAGMA table_info gives it.
type column struct {
	name    string
	notNull bool
	pk      int // position in the primary key, from 1; 0 if not part of it
}

// columnsOf lists a table's columns. The name comes from the new
// project's own schema, never from the damaged file.
func columnsOf(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, table string) ([]column, error) {
	rows, err := q.QueryContext(ctx, "SELECT name, \"notnull\", pk FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.notNull, &c.pk); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// copyTable copies the readable rows of table from src into tx: the
// columns both have, in primary-key order from the front until damage
// stops the reading, then from the back; a table with row IDs is also
// probed past each damaged stretch.
func copyTable(ctx context.Context, src *sql.DB, tx *sql.Tx, table string) (RecoveredTable, error) {
	rt := RecoveredTable{Name: table}
	dstCols, err := columnsOf(ctx, tx, table)
	if err != nil {
		return rt, err
	}
	srcCols, err := columnsOf(ctx, src, table)
	if err != nil || len(srcCols) == 0 {
		rt.Damaged = err != nil
		return rt, nil // not in the old file (an older schema) or unreadable
	}
	have := map[string]bool{}
	for _, c := range srcCols {
		have[c.name] = true
	}
	var names, keys []string
	for _, c := range dstCols {
		if have[c.name] {
			names = append(names, quoteIdent(c.name))
		}
	}
	for p := 1; ; p++ {
		i := -1
		for j, c := range dstCols {
			if c.pk == p {
				i = j
			}
		}
		if i < 0 {
			break
		}
		keys = append(keys, quoteIdent(dstCols[i].name))
	}
	if len(names) == 0 {
		return rt, nil
	}
	ins, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO "+quoteIdent(table)+" ("+strings.Join(names, ", ")+") VALUES (?"+strings.Repeat(", ?", len(names)-1)+")")
	if err != nil {
		return rt, err
	}
	defer ins.Close()
	rowid := hasRowID(ctx, src, table)
	order := strings.Join(keys, ", ")
	if rowid {
		order = "rowid"
	}
	sel := "SELECT " + order + ", " + strings.Join(names, ", ") + " FROM " + quoteIdent(table)
	copyRows := func(query string, args ...any) (n int, last any, damaged bool, err error) {
		rows, qerr := src.QueryContext(ctx, query, args...)
		if qerr != nil {
			return 0, nil, true, nil
		}
		defer rows.Close()
		vals := make([]any, len(names)+1)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return n, last, true, nil
			}
			r, err := ins.ExecContext(ctx, vals[1:]...)
			if err != nil {
				return n, last, false, err
			}
			if k, _ := r.RowsAffected(); k > 0 {
				n++
			}
			last = vals[0]
		}
		return n, last, rows.Err() != nil, nil
	}
	if rowid {
		// Row IDs can be probed: past a damaged stretch, try ever further
		// ahead until rows come again or the table ends.
		var after int64 = -1 << 62
		for step := int64(1); ; {
			n, last, damaged, err := copyRows(sel+" WHERE "+order+" > ? ORDER BY "+order, after)
			if err != nil {
				return rt, err
			}
			rt.Copied += n
			if l, ok := last.(int64); ok {
				after, step = l, 1
			}
			if !damaged {
				break
			}
			rt.Damaged = true
			after += step
			step *= 2
			if step > 1<<40 {
				break
			}
		}
		return rt, nil
	}
	n, _, damaged, err := copyRows(sel + " ORDER BY " + order)
	if err != nil {
		return rt, err
	}
	rt.Copied += n
	if damaged {
		rt.Damaged = true
		desc := strings.ReplaceAll(order, ", ", " DESC, ") + " DESC"
		n, _, _, err := copyRows(sel + " ORDER BY " + desc)
		if err != nil {
			return rt, err
		}
		rt.Copied += n
	}
	return rt, nil
}

// hasRowID reports whether table is an ordinary (rowid) table.
func hasRowID(ctx context.Context, db *sql.DB, table string) bool {
	var x sql.NullInt64
	err := db.QueryRowContext(ctx, "SELECT rowid FROM "+quoteIdent(table)+" LIMIT 1").Scan(&x)
	return err == nil || errors.Is(err, sql.ErrNoRows)
}

// dropDangling removes rows whose reference points at a row that was
// lost, or clears the reference where it may be empty (a code whose parent
// was lost becomes a top-level code), until no such row is left. It
// returns how many rows it removed.
func dropDangling(ctx context.Context, tx *sql.Tx, tables []string) (int, error) {
	type ref struct{ table, from, parent, to string }
	var refs []ref
	nullable := map[[2]string]bool{}
	for _, t := range tables {
		cols, err := columnsOf(ctx, tx, t)
		if err != nil {
			return 0, err
		}
		for _, c := range cols {
			nullable[[2]string{t, c.name}] = !c.notNull
		}
		rows, err := tx.QueryContext(ctx, `SELECT "table", "from", coalesce("to", '') FROM pragma_foreign_key_list(?)`, t)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			r := ref{table: t}
			if err := rows.Scan(&r.parent, &r.from, &r.to); err != nil {
				rows.Close()
				return 0, err
			}
			if r.to == "" {
				r.to = "rowid"
			}
			refs = append(refs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	dropped := 0
	for range 16 { // each pass may orphan rows that point at the ones just dropped
		changed := int64(0)
		for _, r := range refs {
			where := " WHERE " + quoteIdent(r.from) + " IS NOT NULL AND " + quoteIdent(r.from) + " NOT IN (SELECT " + quoteIdent(r.to) + " FROM " + quoteIdent(r.parent) + ")"
			if nullable[[2]string{r.table, r.from}] {
				if _, err := tx.ExecContext(ctx, "UPDATE OR IGNORE "+quoteIdent(r.table)+" SET "+quoteIdent(r.from)+" = NULL"+where); err != nil {
					return dropped, err
				}
			}
			res, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(r.table)+where)
			if err != nil {
				return dropped, err
			}
			n, _ := res.RowsAffected()
			changed += n
			dropped += int(n)
		}
		if changed == 0 {
			break
		}
	}
	return dropped, nil
}
