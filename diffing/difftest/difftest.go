// Package difftest holds what the tests of the whole module share: the
// folder shared/ beside the checkout (the real article corpus and the
// REFI-QDA schemas), and golden files with their one -update flag.
//
// It lives under diffing, and imports nothing of the module and nothing of
// Fyne, so that every package's tests can use it: diffing never imports
// data, while data, app and views may import diffing.
package difftest

import (
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// update is the -update flag of every test binary that imports difftest:
// Golden rewrites the golden files instead of comparing with them.
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// SharedTests matches the names of the tests that read shared/: those
// reading the article corpus end in Corpus, those validating against the
// REFI-QDA schemas end in Schema. SharedDir refuses a test named
// otherwise, so that a CI run without shared/ can skip exactly these with
// go test -skip (see .github/workflows/ci.yml) and still fail on anything
// else that is missing.
const SharedTests = `Corpus$|Schema$`

var sharedTests = regexp.MustCompile(SharedTests)

// SharedDir returns the folder shared/<name> (such as "corpus" or "refi"),
// found by walking up from the working directory (a package folder under
// go test). shared/ lies beside the checkout rather than in it: the
// articles are their outlets' copyright and are never committed. Without
// it the test is skipped locally but fails when CI is set, where a missing
// shared/ is a broken checkout rather than a choice.
//
// The calling test's name must match SharedTests. Benchmarks are exempt:
// go test runs none unless asked, and their names are quoted in the README.
func SharedDir(tb testing.TB, name string) string {
	tb.Helper()
	top, _, _ := strings.Cut(tb.Name(), "/")
	if !strings.HasPrefix(top, "Benchmark") && !sharedTests.MatchString(top) {
		tb.Fatalf("%s reads shared/%s, so its name must match %q: CI without shared/ skips tests by that name", top, name, SharedTests)
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatalf("finding shared/%s: %v", name, err)
	}
	for dir := wd; ; {
		p := filepath.Join(dir, "shared", name)
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	msg := fmt.Sprintf("shared/%s not found in any folder above %s (expected beside the checkout)", name, wd)
	if os.Getenv("CI") != "" {
		tb.Fatal(msg + "; CI is set, so this is an error, not a skip")
	}
	tb.Skip(msg + "; skipping")
	return ""
}

// CorpusDir returns the real article corpus, shared/corpus (see SharedDir).
func CorpusDir(tb testing.TB) string {
	tb.Helper()
	return SharedDir(tb, "corpus")
}

// Article is one corpus article: its file name without .txt, and its text.
type Article struct {
	Name, Text string
}

// Bradford reads the Bradford articles in file-name order.
func Bradford(tb testing.TB) []Article {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(CorpusDir(tb), "bradford", "*.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(paths) == 0 {
		tb.Fatal("no .txt articles in shared/corpus/bradford")
	}
	sort.Strings(paths)
	var out []Article
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, Article{strings.TrimSuffix(filepath.Base(p), ".txt"), string(b)})
	}
	return out
}

// Digest stands for a passage of the real corpus in golden files: its word
// count (as the caller counts words) and a hash, so the goldens catch every
// change without copying the outlets' text into the repository.
func Digest(s string, words int) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return fmt.Sprintf("words=%d fnv=%08x", words, h.Sum32())
}

// Golden compares got with the golden file at path, or rewrites the file
// under -update. A difference is reported at its first differing line.
func Golden(tb testing.TB, path, got string) {
	tb.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -run '%s' -update to create it)", err, tb.Name())
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			tb.Fatalf("%s differs from the golden file at line %d:\n got %q\nwant %q\n(run with -update to accept, then review the diff)", path, i+1, g, w)
		}
	}
}
