// Package storetest opens throwaway projects for the tests of the packages
// built on data (package data's own tests cannot import it: it imports
// data).
package storetest

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
)

// Open creates an empty project in a temporary folder, closed when the
// test ends. A file, not ":memory:": every pooled connection to an
// in-memory database would see a different empty one.
func Open(tb testing.TB) *data.Store {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "project.parallax")
	s, err := data.Open(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// DumpHash is a SHA-256 over a project file's schema and every row of
// every table, in key order, like a hash of `sqlite3 FILE .dump`: two
// files with the same hash hold the same data. The file is read through a
// read-only, immutable connection, so hashing never changes it (close
// every Store on it first: uncheckpointed changes in its -wal are not
// read).
func DumpHash(tb testing.TB, path string) string {
	tb.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("sqlite3", (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()+"?mode=ro&immutable=1")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	rows, err := db.Query("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
	if err != nil {
		tb.Fatalf("dump %s: %v", path, err)
	}
	var tables []string
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(h, "%s %s %s\n", typ, name, text)
		if typ == "table" && !strings.HasPrefix(text, "CREATE VIRTUAL") {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, t := range tables {
		rows, err := db.Query(`SELECT * FROM "` + strings.ReplaceAll(t, `"`, `""`) + `" ORDER BY 1, 2`)
		if err != nil {
			rows, err = db.Query(`SELECT * FROM "` + strings.ReplaceAll(t, `"`, `""`) + `" ORDER BY 1`)
		}
		if err != nil {
			tb.Fatalf("dump %s: table %s: %v", path, t, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(h, "%s %q\n", t, vals)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// DumpHashOrEmpty is DumpHash for a file SQLite may not read (a damaged
// one): then it hashes the file's bytes.
func DumpHashOrEmpty(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
