// Package storetest opens throwaway projects for the tests of the packages
// built on data (package data's own tests cannot import it: it imports
// data).
package storetest

import (
	"path/filepath"
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
