package data

import (
	"context"
	"errors"
	"strings"
	"testing"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// TestConstraintErrors: SQLite constraint failures reach callers as
// *Error with the code their kind maps to, worded at the site that knows
// what they mean, and with SQLite's error still in the chain.
func TestConstraintErrors(t *testing.T) {
	s := tempStore(t)
	ctx := context.Background()
	if _, err := s.CreateCode(ctx, Code{Name: "Tone"}); err != nil {
		t.Fatal(err)
	}
	memo, err := s.SaveMemo(ctx, Memo{TargetKind: "project", Title: "M"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		err      error
		code     string
		extended sqlite3.ErrNoExtended
		msg      string
	}{
		{"duplicate sibling", func() error { _, err := s.CreateCode(ctx, Code{Name: "Tone"}); return err }(),
			EConflict, sqlite3.ErrConstraintUnique, "already exists"},
		{"missing parent", func() error { _, err := s.CreateCode(ctx, Code{Name: "Sub", ParentID: 999}); return err }(),
			ENotFound, sqlite3.ErrConstraintForeignKey, "FOREIGN KEY"},
		{"bad memo target", func() error { _, err := s.SaveMemo(ctx, Memo{TargetKind: "planet"}); return err }(),
			EInvalid, sqlite3.ErrConstraintCheck, "memo target"},
		{"memo restored twice", s.RestoreMemo(ctx, memo),
			EConflict, sqlite3.ErrConstraintPrimaryKey, "restore memo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if ErrorCode(c.err) != c.code || !strings.Contains(c.err.Error(), c.msg) {
				t.Fatalf("err = %v (code %q); want code %q mentioning %q", c.err, ErrorCode(c.err), c.code, c.msg)
			}
			var se sqlite3.Error
			if !errors.As(c.err, &se) || se.ExtendedCode != c.extended {
				t.Fatalf("the SQLite cause is lost or other: %#v", se)
			}
		})
	}
	if err := explain(errors.New("disk on fire"), EConflict, "no"); err.Error() != "disk on fire" || ErrorCode(err) != "" {
		t.Fatalf("explain reworded an error that is no constraint failure: %v", err)
	}
}
