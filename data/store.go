package data

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// applicationID marks a SQLite file as a Parallax project ("PRLX"), so that
// Parallax never migrates some other program's database by mistake.
const applicationID = 0x50524c58

const driverName = "sqlite3_parallax"

var registerOnce sync.Once

// register installs a driver whose every connection gets the pragmas a
// project needs. They are per-connection settings, so a DSN-only approach
// would miss trusted_schema, which go-sqlite3 has no DSN key for.
func register() {
	registerOnce.Do(func() {
		sql.Register(driverName, &sqlite3.SQLiteDriver{
			ConnectHook: func(c *sqlite3.SQLiteConn) error {
				for _, p := range []string{
					"PRAGMA foreign_keys = ON",
					"PRAGMA busy_timeout = 5000",
					"PRAGMA trusted_schema = OFF",
					// FULL: in WAL mode NORMAL may lose the last commits
					// on power loss, and every commit here is something
					// the user saw as saved.
					"PRAGMA synchronous = FULL",
				} {
					if _, err := c.Exec(p, nil); err != nil {
						return fmt.Errorf("%s: %w", p, err)
					}
				}
				return registerFunctions(c)
			},
		})
	})
}

// Store is an open project file. Its exported methods are each one
// transaction and are safe for concurrent use.
type Store struct {
	path string
	// w is the single writer connection: SQLite allows one writer, and
	// queueing writers in Go avoids SQLITE_BUSY on lock upgrades. r serves
	// reads concurrently thanks to WAL.
	w, r *sql.DB
	// Now is the clock used to stamp changes; tests replace it.
	Now func() time.Time
}

// sqliteHeader is the first 16 bytes of every SQLite 3 database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Open opens the project at path, creating it if it does not exist, and
// brings its schema up to date. A file that is not a SQLite database, is a
// database of another program, or was written by a newer Parallax is
// refused without being modified.
func Open(path string) (*Store, error) {
	if err := checkFile(path); err != nil {
		return nil, err
	}
	register()
	dsn, err := dsnFor(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w, err := sql.Open(driverName, dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	s := &Store{path: path, w: w, Now: time.Now}
	if err := s.migrate(); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open(driverName, dsn+"&_txlock=deferred")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	return s, nil
}

// checkFile refuses, before SQLite touches it, a file that is not a SQLite
// database: opening one in WAL mode would otherwise create -wal and -shm
// files next to it, and a failed migration could write to it.
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if st.IsDir() {
		return Errorf(ENotProj, "%s is a folder, not a Parallax project file", path)
	}
	if st.Size() == 0 {
		return nil // an empty file is what some "new file" dialogs leave behind
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return Errorf(ENotProj, "%s is not a Parallax project (not a SQLite database)", path)
	}
	return nil
}

// dsnFor builds a file: URI so that any file name, including ones with '?',
// '#' or '%', reaches SQLite intact; go-sqlite3 would otherwise cut a plain
// path at its first '?'.
func dsnFor(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows drive letter: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p}
	return u.String() + "?_busy_timeout=5000", nil
}

// Path is the project file's path as given to Open.
func (s *Store) Path() string { return s.path }

// Close checkpoints the write-ahead log into the main file, so that the
// project is one self-contained file a researcher can copy or send, and
// closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if _, err := s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		errs = append(errs, fmt.Errorf("close %s: checkpoint: %w", s.path, err))
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// SchemaVersion is the newest schema this build of Parallax knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies each pending migration in its own transaction and records
// it, after checking that the file is a Parallax project this build can
// handle. The checks come first so that a refused file is never written.
func (s *Store) migrate() error {
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	db := s.w
	var appID, tables int
	if err := db.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		return s.openErr(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return s.openErr(err)
	}
	if appID != applicationID && tables > 0 {
		return Errorf(ENotProj, "%s is a SQLite database of another program, not a Parallax project", s.path)
	}
	current := 0
	if tables > 0 {
		if err := db.QueryRow("SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return s.openErr(err)
		}
	}
	latest := ms[len(ms)-1].version
	if current > latest {
		return Errorf(ENewer, "%s was written by a newer version of Parallax (schema %d; this version knows up to %d); update Parallax to open it — the file was not changed", s.path, current, latest)
	}
	if current == latest {
		return nil
	}
	if tables == 0 {
		// Articles are rows of a few kilobytes: on SQLite's default 4 KB
		// pages each leaves a third of its page empty; 16 KB pages hold
		// several. The size can only be chosen before the first table.
		if _, err := db.Exec("PRAGMA page_size = 16384"); err != nil {
			return s.openErr(err)
		}
	}
	if _, err := db.Exec("PRAGMA journal_mode = WAL"); err != nil {
		return s.openErr(err)
	}
	if tables == 0 {
		if _, err := db.Exec(fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return s.openErr(err)
		}
		if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`); err != nil {
			return s.openErr(err)
		}
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		if err := s.apply(m); err != nil {
			return fmt.Errorf("open %s: migration %s: %w", s.path, m.name, err)
		}
	}
	return nil
}

func (s *Store) apply(m migration) error {
	tx, err := s.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(m.sql); err != nil {
		return err
	}
	if _, err := tx.Exec("INSERT INTO schema_migrations(version, name, applied) VALUES (?, ?, ?)",
		m.version, m.name, s.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) openErr(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt) {
		return Errorf(ENotProj, "%s is damaged or not a Parallax project: %v", s.path, err)
	}
	return fmt.Errorf("open %s: %w", s.path, err)
}

// inTx runs fn in a write transaction and commits it; any error rolls back
// every change fn made. A constraint failure fn did not explain leaves
// with its Error code (see translate).
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return translate(err)
	}
	return translate(tx.Commit())
}

// read runs fn in a read transaction and returns what it returns.
func read[T any](ctx context.Context, s *Store, fn func(*sql.Tx) (T, error)) (T, error) {
	var out T
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// readTx runs fn in a read transaction, so that a method making several
// queries sees one consistent snapshot.
func (s *Store) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}
