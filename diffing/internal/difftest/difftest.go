// Package difftest holds what the tests of package diffing and of its
// subpackages share: the real article corpus, and golden files that stand
// for its passages without copying them into the repository.
package difftest

import (
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// update is the -update flag of every test binary that imports difftest:
// Golden rewrites the golden files instead of comparing with them.
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// CorpusDir finds the shared article corpus by walking up from the working
// directory. The articles are their outlets' copyright and are never
// copied into the repository, so tests read them where they lie; without
// them a test is skipped locally but fails in CI, where a missing corpus is
// a broken checkout rather than a choice.
func CorpusDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
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
	const msg = "shared/corpus not found in any parent directory of the working directory (expected beside the checkout)"
	if os.Getenv("CI") != "" {
		tb.Fatal(msg)
	}
	tb.Skip(msg + "; skipping corpus test")
	return ""
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
// under -update.
func Golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs from the golden file at line %d:\n got %q\nwant %q\n(run with -update to accept, then review the diff)", path, i+1, g, w)
		}
	}
}
