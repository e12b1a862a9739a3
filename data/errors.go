package data

import (
	"errors"
	"fmt"
)

// Error codes let callers (the command line, the views) react to a failure
// without matching message text.
const (
	EInvalid  = "invalid"  // bad input from the user or a file
	ENotFound = "notfound" // no such article, code, ...
	EConflict = "conflict" // already there (duplicate content)
	ENewer    = "newer"    // project written by a newer Parallax
	ENotProj  = "notproject"
)

// Error is a failure Parallax can explain to a user in one line.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

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
