package data

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
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
	"sync/atomic"
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
// would miss trusted_schema, which go-sqlite3 has no DSN key for. The busy
// timeout is the one setting that differs between the pools, so it comes
// from the DSN (see dsnFor).
func register() {
	registerOnce.Do(func() {
		sql.Register(driverName, &sqlite3.SQLiteDriver{
			ConnectHook: func(c *sqlite3.SQLiteConn) error {
				for _, p := range []string{
					"PRAGMA foreign_keys = ON",
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
	// readOnly says why the project cannot be changed ("" when it can).
	readOnly string
	// Now is the clock used to stamp changes; tests replace it.
	Now func() time.Time
	// coder is the name changes are stamped with (SetCoder).
	coder atomic.Pointer[string]
	// Wait is how long a change waits for another program that is
	// writing the project before it gives up with EBusy, unless its
	// context says otherwise (see WithWait).
	Wait time.Duration
	// check is the quick_check running in the background when the
	// project was opened with CheckInBackground; nil when it ran before
	// Open returned.
	check *backgroundCheck
}

// backgroundCheck is a quick_check running while the project is read:
// done closes when it ends, with err what it found.
type backgroundCheck struct {
	done   chan struct{}
	err    error
	cancel context.CancelFunc
}

// SetCoder sets the coder whose name new and changed annotations, codes and
// memos record: the name in Preferences, or --coder on the command line.
func (s *Store) SetCoder(name string) {
	name = strings.TrimSpace(name)
	s.coder.Store(&name)
}

// Coder is the name changes are stamped with, "" until SetCoder.
func (s *Store) Coder() string {
	if p := s.coder.Load(); p != nil {
		return *p
	}
	return ""
}

// Options say what Open may do with the file it is given.
type Options struct {
	// Create lets Open make a new project: at a path where there is no
	// file, in an empty file, or in a SQLite database without tables.
	// Without it those are refused untouched, so that a command that only
	// reads never turns a mistyped path or another program's empty
	// database into a project.
	Create bool
	// ReadOnly opens the project for reading only, as Open does by itself
	// when the file or its folder cannot be written to.
	ReadOnly bool
	// CheckInBackground lets Open return before SQLite's quick_check of a
	// project that needs no migration has finished (about a second for a
	// project of a gigabyte), so that a window can show it at once: it
	// reads meanwhile, every change waits for the check, and a damaged
	// project's changes fail with EDamaged. Checked waits for the result.
	// A project to migrate is checked before Open returns, as without it.
	CheckInBackground bool
}

// sqliteHeader is the first 16 bytes of every SQLite 3 database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Open opens the project at path, creating it if it does not exist, and
// brings its schema up to date. A file that is not a SQLite database, is a
// database of another program, is damaged, or was written by a newer
// Parallax is refused without being modified.
func Open(path string) (*Store, error) { return OpenWith(path, Options{Create: true}) }

// OpenWith opens the project at path as o allows. A project that cannot
// be written to (a read-only file, folder or disk) is opened read-only:
// reading, searching and exporting work, and every change fails with
// EReadOnly naming the file. Before anything else the file is checked
// with SQLite's quick_check, so that a damaged project is refused when it
// is opened (EDamaged) rather than halfway through a command; with
// o.CheckInBackground the check of a project that needs no migration
// runs while the project is read, and changes wait for it.
func OpenWith(path string, o Options) (*Store, error) {
	state, err := checkFile(path)
	if err != nil {
		return nil, err
	}
	if state != fileProject && !o.Create {
		if state == fileMissing {
			return nil, Errorf(ENotProj, "no project at %s", path)
		}
		return nil, Errorf(ENotProj, "%s is an empty file, not a Parallax project; it was not changed", path)
	}
	s := &Store{path: path, Now: time.Now, Wait: 5 * time.Second}
	switch {
	case o.ReadOnly:
		s.readOnly = "opened read-only"
	case state != fileMissing:
		s.readOnly = notWritable(path)
	case !dirWritable(filepath.Dir(path)):
		return nil, Errorf(EReadOnly, "cannot create %s: its folder is read-only", path)
	}
	if s.readOnly != "" && state != fileProject {
		return nil, Errorf(EReadOnly, "%s cannot be made a project: %s", path, s.readOnly)
	}
	register()
	dsn, err := dsnFor(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ro := ""
	if s.readOnly != "" {
		ro = readOnlyDSN(path)
	}
	w, err := sql.Open(driverName, dsn+"?_busy_timeout=5000&_txlock=immediate"+ro)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	s.w = w
	deferred, err := s.migrate(o.Create, o.CheckInBackground)
	if err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open(driverName, dsn+"?_busy_timeout=5000&_txlock=deferred"+ro)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	if deferred {
		ctx, cancel := context.WithCancel(context.Background())
		s.check = &backgroundCheck{done: make(chan struct{}), cancel: cancel}
		go func() {
			defer close(s.check.done)
			s.check.err = s.quickCheck(ctx, r)
			if ctx.Err() != nil {
				s.check.err = ctx.Err() // closed before the check ended
			}
		}()
	}
	// Opening may wait inside SQLite (for another process recovering the
	// log after a crash, say); from now on the writer waits only briefly
	// there: longer waits happen in begin, which says whom it waits for
	// and gives up when asked. The pool's one connection keeps the
	// setting.
	if _, err := w.Exec("PRAGMA busy_timeout = 5"); err != nil {
		s.Close()
		return nil, s.openErr(err)
	}
	// The writer's page cache: 64 MB rather than SQLite's 2 MB, so that
	// an analysis writing half a million cluster members into the
	// article index, in no order of it, finds its pages in memory. Pages
	// are taken only as they are used.
	if _, err := w.Exec("PRAGMA cache_size = -65536"); err != nil {
		s.Close()
		return nil, s.openErr(err)
	}
	if s.readOnly == "" {
		if err := s.indexPending(context.Background(), nil); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// fileState is what checkFile found at a path.
type fileState int

const (
	fileMissing fileState = iota // nothing there
	fileEmpty                    // an empty file, or a SQLite database without tables
	fileProject                  // a SQLite database with tables (checked further by migrate)
)

// checkFile refuses, before SQLite touches it, a file that is not a SQLite
// database: opening one in WAL mode would otherwise create -wal and -shm
// files next to it, and a failed migration could write to it.
func checkFile(path string) (fileState, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileMissing, nil
	}
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	if st.IsDir() {
		return 0, Errorf(ENotProj, "%s is a folder, not a Parallax project file", path)
	}
	if st.Size() == 0 {
		return fileEmpty, nil // an empty file is what some "new file" dialogs leave behind
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return 0, Errorf(ENotProj, "%s is not a Parallax project (not a SQLite database)", path)
	}
	return fileProject, nil
}

// dsnFor builds a file: URI so that any file name, including ones with '?',
// '#' or '%', reaches SQLite intact; go-sqlite3 would otherwise cut a plain
// path at its first '?'. Callers add the query.
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
	return u.String(), nil
}

// readOnlyDSN is the URI query that opens path for reading only. Without
// a write-ahead log beside the file it is opened immutable: SQLite then
// takes no locks and creates no -wal or -shm file, which a read-only
// folder would refuse and a read-only file would leave behind. A log left
// by a program that did not close the project holds changes that are not
// in the file yet, so it is read the ordinary way.
func readOnlyDSN(path string) string {
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		return "&mode=ro"
	}
	return "&mode=ro&immutable=1"
}

// notWritable says why the project at path cannot be changed, or "" when
// it can: SQLite needs to write the file and, for its write-ahead log, to
// create files in its folder.
func notWritable(path string) string {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || isReadOnlyFS(err) {
			return "the file is read-only"
		}
		return "" // let SQLite report anything else
	}
	f.Close()
	if !dirWritable(filepath.Dir(path)) {
		return "its folder is read-only"
	}
	return ""
}

// Path is the project file's path as given to Open.
func (s *Store) Path() string { return s.path }

// Checked waits for the quick_check of a project opened with
// CheckInBackground and returns what it found: nil for a sound project,
// an EDamaged error naming the file for a damaged one. It returns nil at
// once for a project checked before Open returned.
func (s *Store) Checked(ctx context.Context) error {
	if s.check == nil {
		return nil
	}
	select {
	case <-s.check.done:
		return s.check.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ReadOnly says why the project cannot be changed, or "" when it can.
func (s *Store) ReadOnly() string { return s.readOnly }

// Close checkpoints the write-ahead log into the main file, so that the
// project is one self-contained file a researcher can copy or send, and
// closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.check != nil {
		s.check.cancel()
		<-s.check.done
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.readOnly == "" {
		if _, err := s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			errs = append(errs, fmt.Errorf("close %s: checkpoint: %w", s.path, err))
		}
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

// migrate checks that the file is a sound Parallax project this build can
// handle, then applies each pending migration in its own transaction and
// records it. The checks come first so that a refused file is never
// written; only with create is a database without tables made a project.
func (s *Store) migrate(create, checkLater bool) (deferred bool, err error) {
	ms, err := migrations()
	if err != nil {
		return false, fmt.Errorf("open %s: %w", s.path, err)
	}
	db := s.w
	var appID, tables int
	if err := db.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		return false, s.openErr(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return false, s.openErr(err)
	}
	if appID != applicationID && tables > 0 {
		return false, Errorf(ENotProj, "%s is a SQLite database of another program, not a Parallax project", s.path)
	}
	if tables == 0 && !create {
		return false, Errorf(ENotProj, "%s is an empty SQLite database, not a Parallax project; it was not changed", s.path)
	}
	current := 0
	if tables > 0 {
		if err := db.QueryRow("SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return false, s.openErr(err)
		}
	}
	latest := ms[len(ms)-1].version
	// A project to migrate is checked first, so that a damaged one is
	// never written; one that is up to date may be checked while read.
	if tables > 0 && (current != latest || !checkLater) {
		if err := s.quickCheck(context.Background(), db); err != nil {
			return false, err
		}
	}
	if current > latest {
		return false, Errorf(ENewer, "%s was written by a newer version of Parallax (schema %d; this version knows up to %d); update Parallax to open it — the file was not changed", s.path, current, latest)
	}
	if current == latest {
		return tables > 0 && checkLater, nil
	}
	if s.readOnly != "" {
		return false, Errorf(EReadOnly, "%s was written by an older version of Parallax and must be updated, which is not possible here (%s); open it once where it can be changed — the file was not changed", s.path, s.readOnly)
	}
	if tables == 0 {
		// Articles are rows of a few kilobytes: on SQLite's default 4 KB
		// pages each leaves a third of its page empty; 16 KB pages hold
		// several. The size can only be chosen before the first table.
		if _, err := db.Exec("PRAGMA page_size = 16384"); err != nil {
			return false, s.openErr(err)
		}
	}
	if _, err := db.Exec("PRAGMA journal_mode = WAL"); err != nil {
		return false, s.openErr(err)
	}
	if tables == 0 {
		if _, err := db.Exec(fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return false, s.openErr(err)
		}
		if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`); err != nil {
			return false, s.openErr(err)
		}
	}
	return false, s.applyPending(ms, current)
}

// migrationSteps are work a migration needs beyond its SQL, such as
// computing from the articles' text what SQL cannot. Each runs in its
// migration's transaction, after the SQL.
var migrationSteps = map[int]func(ctx context.Context, tx *sql.Tx) error{
	7:  fingerprintAll,
	14: reshareCopies,
	15: orientCopies,
}

// applyPending applies the migrations after current, each in its own
// transaction, on one connection with foreign keys off: a migration that
// rebuilds a table must drop the old one, and with foreign keys on that
// drop would cascade into every table that refers to it (SQLite's
// documented procedure for schema changes). foreign_key_check then
// verifies, before each commit, that the migration left every reference
// valid.
func (s *Store) applyPending(ms []migration, current int) error {
	ctx := context.Background()
	return s.withoutForeignKeys(ctx, s.openErr, func(conn *sql.Conn) error {
		for _, m := range ms {
			if m.version <= current {
				continue
			}
			if err := s.apply(ctx, conn, m); err != nil {
				return fmt.Errorf("open %s: migration %s: %w", s.path, m.name, err)
			}
		}
		return nil
	})
}

// withoutForeignKeys runs fn on the writer's one connection with SQLite's
// foreign-key enforcement off, and turns it on again before the
// connection goes back to the pool: the setting is the connection's. A
// connection where that fails must not serve another write, so it is
// discarded (the pool's next one turns them on in its hook). wrap explains
// the errors of these steps; fn's errors come back as fn returns them.
func (s *Store) withoutForeignKeys(ctx context.Context, wrap func(error) error, fn func(*sql.Conn) error) (err error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return wrap(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return wrap(err)
	}
	defer func() {
		if _, ferr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); ferr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
			if err == nil {
				err = wrap(ferr)
			}
		}
	}()
	return fn(conn)
}

// quickCheck refuses a damaged project. It runs SQLite's quick_check,
// which reads every page of a table and checks the structure of the table
// and its indexes (not that index entries match their rows, which
// integrity_check adds), on the schema and on each ordinary table,
// including the search index's storage tables. It leaves out the search
// index's own consistency check, which reads and decodes the whole index:
// at 10,000 articles that is 95% of a full quick_check (about a second on
// this machine, against 50–170 ms for the rest; see the README). Damage
// found there later still names the file (explainFile), and
// `parallax check` runs everything.
func (s *Store) quickCheck(ctx context.Context, db *sql.DB) error {
	var tables []string
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY rootpage")
	if err != nil {
		return s.openErr(err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return s.openErr(err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.openErr(err)
	}
	var problems []string
	for _, t := range append([]string{"sqlite_schema"}, tables...) {
		rows, err := db.QueryContext(ctx, "PRAGMA quick_check("+quoteIdent(t)+")")
		if err != nil {
			return s.openErr(err)
		}
		for rows.Next() && len(problems) < 5 {
			var p string
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return s.openErr(err)
			}
			if p != "ok" {
				problems = append(problems, p)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.openErr(err)
		}
	}
	if len(problems) > 0 {
		return Errorf(EDamaged, "%s is damaged (SQLite's check found: %s); it was not changed", s.path, strings.Join(problems, "; "))
	}
	return nil
}

func (s *Store) apply(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if step := migrationSteps[m.version]; step != nil {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	bad := rows.Next()
	rows.Close()
	if bad {
		return errors.New("foreign key check failed after the migration")
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations(version, name, applied) VALUES (?, ?, ?)",
		m.version, m.name, s.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) openErr(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrNotADB {
		return Errorf(ENotProj, "%s is damaged or not a Parallax project: %v", s.path, err)
	}
	if errors.As(err, &se) && se.Code == sqlite3.ErrCorrupt {
		return &Error{Code: EDamaged, Message: fmt.Sprintf("%s is damaged (%v); it was not changed", s.path, err), Err: err}
	}
	return fmt.Errorf("open %s: %w", s.path, err)
}

// inTx runs fn in a write transaction and commits it; any error rolls back
// every change fn made. A constraint failure fn did not explain leaves
// with its Error code (see translate); a failure of the file itself names
// it (see explainFile).
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.readOnly != "" {
		return Errorf(EReadOnly, "%s cannot be changed (%s); nothing was saved", s.path, s.readOnly)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return s.explainFile(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return s.explainFile(translate(err))
	}
	return s.explainFile(translate(tx.Commit()))
}

// inTxUnchecked is inTx with SQLite's foreign-key enforcement off while
// fn runs, for a bulk write that checks its references itself (check, run
// before the commit): SQLite checks each row's parent as the row is
// written, and writing half a million rows that name articles in no
// order of theirs read an article's page, text and all, for each one.
func (s *Store) inTxUnchecked(ctx context.Context, fn, check func(*sql.Tx) error) error {
	if s.readOnly != "" {
		return Errorf(EReadOnly, "%s cannot be changed (%s); nothing was saved", s.path, s.readOnly)
	}
	return s.withoutForeignKeys(ctx, s.explainFile, func(conn *sql.Conn) error {
		tx, err := s.beginWith(ctx, func() (*sql.Tx, error) { return conn.BeginTx(ctx, nil) })
		if err != nil {
			return s.explainFile(err)
		}
		defer tx.Rollback()
		if err := fn(tx); err != nil {
			return s.explainFile(translate(err))
		}
		if err := check(tx); err != nil {
			return s.explainFile(translate(err))
		}
		return s.explainFile(translate(tx.Commit()))
	})
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
		return s.explainFile(err)
	}
	defer tx.Rollback()
	return s.explainFile(fn(tx))
}
