package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// waitPolicy is how long a change waits for another program writing the
// project, and whom it tells that it waits.
type waitPolicy struct {
	limit time.Duration
	note  func(string)
}

type waitKey struct{}

// WithWait returns a context under which a change that finds the project
// being written by another program waits up to limit for it (instead of
// the store's Wait) and, as it starts waiting, calls note once with a line
// saying whom it waits for. Cancelling ctx stops the wait.
func WithWait(ctx context.Context, limit time.Duration, note func(string)) context.Context {
	return context.WithValue(ctx, waitKey{}, waitPolicy{limit: limit, note: note})
}

// begin starts a write transaction. SQLite itself waits only a few
// milliseconds for the write lock (see OpenWith); begin keeps asking,
// every two or three milliseconds in all, so that the 10 ms gaps a long
// import leaves between its steps (indexPending) are enough to get in,
// until the wait allowed by ctx or the store ends.
func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	return s.beginWith(ctx, func() (*sql.Tx, error) { return s.w.BeginTx(ctx, nil) })
}

// beginWith is begin with the transaction started by start (on a
// connection the caller holds, say).
func (s *Store) beginWith(ctx context.Context, start func() (*sql.Tx, error)) (*sql.Tx, error) {
	// Nothing is written to a project until it is known to be sound.
	if err := s.Checked(ctx); err != nil {
		return nil, err
	}
	p := waitPolicy{limit: s.Wait}
	if cp, ok := ctx.Value(waitKey{}).(waitPolicy); ok {
		p = cp
	}
	var since time.Time
	for {
		tx, err := start()
		if !isBusy(err) {
			return tx, err
		}
		if since.IsZero() {
			since = time.Now()
			if p.note != nil {
				p.note(fmt.Sprintf("waiting for %s to finish changing %s…", s.otherWriter(ctx), s.path))
			}
		}
		if time.Since(since) >= p.limit {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// writerKey is the project-table key under which this process announces
// its long jobs.
func writerKey() string {
	host, _ := os.Hostname()
	return "writer " + host + " " + strconv.Itoa(os.Getpid())
}

// Announce records in the project, for other programs that find it locked
// while a long job runs, what this process is doing (what, e.g. "import
// of 30000 articles"); the returned function removes the record. SQLite
// does not say who holds its write lock, so this is how the waiting side
// can name the other writer. Best effort: a failure to record only makes
// that message vaguer.
func (s *Store) Announce(ctx context.Context, what string) (done func()) {
	if s.readOnly != "" {
		return func() {}
	}
	key := writerKey()
	val := what + "\t" + s.Now().Format(time.RFC3339)
	_ = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO project(key, value) VALUES (?, ?)", key, val); err != nil {
			return err
		}
		return forgetDeadWriters(ctx, tx)
	})
	return func() {
		_ = s.inTx(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM project WHERE key = ?", key)
			return err
		})
	}
}

// forgetDeadWriters removes the records of Parallax processes on this
// machine that were killed before they could remove their own.
func forgetDeadWriters(ctx context.Context, tx *sql.Tx) error {
	host, _ := os.Hostname()
	rows, err := tx.QueryContext(ctx, "SELECT key FROM project WHERE key LIKE ?", "writer "+host+" %")
	if err != nil {
		return err
	}
	var dead []string
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			rows.Close()
			return err
		}
		f := strings.Fields(key)
		if pid, err := strconv.Atoi(f[len(f)-1]); err == nil && len(f) == 3 && !processAlive(pid) {
			dead = append(dead, key)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, key := range dead {
		if _, err := tx.ExecContext(ctx, "DELETE FROM project WHERE key = ?", key); err != nil {
			return err
		}
	}
	return nil
}

// otherWriter names the program holding the project's write lock as well
// as the project's records allow: a Parallax that announced its job (and
// whose process still runs, when it is on this machine), or else "another
// program".
func (s *Store) otherWriter(ctx context.Context) string {
	if s.r == nil { // still opening: the records cannot be read yet
		return "another program"
	}
	me := writerKey()
	host, _ := os.Hostname()
	var found []string
	_ = s.readTx(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
		rows, err := tx.Query("SELECT key, value FROM project WHERE key LIKE 'writer %' ORDER BY value")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key, val string
			if err := rows.Scan(&key, &val); err != nil {
				return err
			}
			f := strings.Fields(key) // "writer", host, pid
			if key == me || len(f) != 3 {
				continue
			}
			pid, _ := strconv.Atoi(f[2])
			if f[1] == host && !processAlive(pid) {
				continue // a Parallax that was killed before it could clear its record
			}
			what, since, _ := strings.Cut(val, "\t")
			when := since
			if t, err := time.Parse(time.RFC3339, since); err == nil {
				when = t.Local().Format("15:04:05")
			}
			found = append(found, fmt.Sprintf("another Parallax (%s, process %d on %s, since %s)", what, pid, f[1], when))
		}
		return rows.Err()
	})
	if len(found) == 0 {
		return "another program (SQLite does not say which)"
	}
	return strings.Join(found, " or ")
}

// explainFile words a failure of the project file itself so that it names
// the file: locked by another writer, read-only, damaged, a full disk.
// Errors that already carry a code, and all others, pass unchanged.
func (s *Store) explainFile(err error) error {
	var se sqlite3.Error
	if err == nil || ErrorCode(err) != "" || !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return &Error{Code: EBusy, Message: fmt.Sprintf("%s is being changed by %s, so this change was not saved", s.path, s.otherWriter(context.Background())), Err: err}
	case sqlite3.ErrReadonly:
		return &Error{Code: EReadOnly, Message: fmt.Sprintf("%s cannot be changed (%v); nothing was saved", s.path, err), Err: err}
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		return &Error{Code: EDamaged, Message: fmt.Sprintf("%s is damaged (%v)", s.path, err), Err: err}
	case sqlite3.ErrFull:
		return fmt.Errorf("%s: the disk is full; nothing was saved: %w", s.path, err)
	case sqlite3.ErrIoErr, sqlite3.ErrCantOpen, sqlite3.ErrPerm:
		return fmt.Errorf("%s: %w", s.path, err)
	}
	return err
}
