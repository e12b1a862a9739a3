package data

import (
	"errors"
	"fmt"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// Error codes let callers (the command line, the views) react to a failure
// without matching message text.
const (
	EInvalid  = "invalid"  // bad input from the user or a file
	ENotFound = "notfound" // no such article, code, ...
	EConflict = "conflict" // already there (duplicate content)
	ENewer    = "newer"    // project written by a newer Parallax
	ENotProj  = "notproject"
	EDamaged  = "damaged"  // the project file is damaged (SQLite's checks fail)
	EReadOnly = "readonly" // the project cannot be changed here
	EBusy     = "busy"     // another program is writing the project
)

// Error is a failure Parallax can explain to a user in one line.
type Error struct {
	Code    string
	Message string
	// Err is the underlying cause, if any (a SQLite constraint error, say),
	// kept for errors.Is and errors.As; Message already says what it means.
	Err error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or "".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// constraintCode is the Error code of a SQLite constraint failure, read
// from its extended result code, or "" when err is none: a UNIQUE or
// PRIMARY KEY clash is a conflict, a FOREIGN KEY failure a reference to a
// missing row, a CHECK or NOT NULL failure invalid input.
func constraintCode(err error) string {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrConstraint {
		return ""
	}
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey, sqlite3.ErrConstraintRowID:
		return EConflict
	case sqlite3.ErrConstraintForeignKey:
		return ENotFound
	case sqlite3.ErrConstraintCheck, sqlite3.ErrConstraintNotNull:
		return EInvalid
	}
	return ""
}

// explain words a constraint failure of the kind code for the user: err
// becomes an *Error with that code and message, keeping err as its cause.
// Any other error, including another kind of constraint failure, is
// returned unchanged, so a message is never put on a failure it does not
// describe.
func explain(err error, code, format string, args ...any) error {
	if err == nil || constraintCode(err) != code {
		return err
	}
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// translate gives a constraint failure that no call site explained its
// code, keeping SQLite's message, so that callers can still tell a
// conflict from a failure of the disk. Errors that already carry a code,
// and other errors, pass unchanged.
func translate(err error) error {
	code := constraintCode(err)
	if code == "" || ErrorCode(err) != "" {
		return err
	}
	return &Error{Code: code, Message: err.Error(), Err: err}
}
