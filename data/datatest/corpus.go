// Package datatest holds helpers shared by tests of package data and its
// users.
package datatest

import (
	"os"
	"path/filepath"
	"testing"
)

// CorpusDir returns the real article corpus, shared/corpus, which lives
// beside the checkout rather than in it: the articles are their outlets'
// copyright and must not be committed. It walks up from the working
// directory (a package folder under go test) to the first folder with a
// shared/corpus sibling.
//
// Without a corpus the test is skipped, so a fresh clone still passes; on CI
// (CI set) it fails instead, because there a skipped real-corpus test
// would hide a broken setup.
func CorpusDir(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatalf("finding the corpus: %v", err)
	}
	for dir := wd; ; {
		c := filepath.Join(dir, "shared", "corpus")
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("shared/corpus not found in any folder above %s; real-corpus tests need it beside the checkout (CI is set, so this is an error, not a skip)", wd)
	}
	tb.Skip(".../shared/corpus not found; real-corpus tests need it beside the checkout")
	return ""
}
