package difftest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records how a helper ended a test: Fatal and Skip stop the helper
// by panicking, as the real ones stop the goroutine.
type fakeTB struct {
	testing.TB
	name            string
	failed, skipped string
}

type stopped struct{}

func (f *fakeTB) Name() string { return f.name }
func (f *fakeTB) Helper()      {}
func (f *fakeTB) Fatal(args ...any) {
	f.failed = fmt.Sprint(args...)
	panic(stopped{})
}
func (f *fakeTB) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }
func (f *fakeTB) Skip(args ...any) {
	f.skipped = fmt.Sprint(args...)
	panic(stopped{})
}

// call runs fn against tb and returns what fn returned, "" if it stopped.
func call(tb *fakeTB, fn func(testing.TB) string) (got string) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stopped); !ok {
				panic(r)
			}
		}
	}()
	return fn(tb)
}

func TestSharedDir(t *testing.T) {
	root := t.TempDir()
	corpus := filepath.Join(root, "shared", "corpus")
	work := filepath.Join(root, "checkout", "pkg")
	for _, d := range []string{corpus, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	empty := t.TempDir()

	cases := []struct {
		name, test, wd, ci string
		want               string // the path returned, or "fail" or "skip"
	}{
		{"found from a package folder", "TestThingsCorpus", work, "", corpus},
		{"found under CI", "TestThingsCorpus/subtest", work, "true", corpus},
		{"schema tests too", "TestThingsSchema", work, "", corpus},
		{"benchmarks keep their names", "BenchmarkThings", work, "", corpus},
		{"missing locally: skip", "TestThingsCorpus", empty, "", "skip"},
		{"missing under CI: fail", "TestThingsCorpus", empty, "true", "fail"},
		// The name is checked first, so a misnamed test fails wherever it
		// runs, not only where shared/ is missing.
		{"misnamed test", "TestThings", work, "", "fail"},
		{"misnamed subtest's parent", "TestThings/Corpus", work, "", "fail"},
		{"misnamed fuzz target", "FuzzThings", work, "", "fail"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(c.wd)
			t.Setenv("CI", c.ci)
			tb := &fakeTB{name: c.test}
			got := call(tb, CorpusDir)
			switch c.want {
			case "fail":
				if tb.failed == "" {
					t.Fatalf("did not fail (returned %q, skipped %q)", got, tb.skipped)
				}
			case "skip":
				if tb.skipped == "" || tb.failed != "" {
					t.Fatalf("did not skip (returned %q, failed %q)", got, tb.failed)
				}
			default:
				if got != c.want || tb.failed != "" || tb.skipped != "" {
					t.Fatalf("returned %q (failed %q, skipped %q), want %q", got, tb.failed, tb.skipped, c.want)
				}
			}
		})
	}
}

func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	t.Cleanup(func() { *update = false })

	*update = true
	Golden(t, path, "one\ntwo\n")
	*update = false
	Golden(t, path, "one\ntwo\n") // what -update wrote now matches

	for _, c := range []struct{ got, line string }{
		{"one\nTWO\n", "line 2"},
		{"one\ntwo\nthree\n", "line 3"},
		{"one\n", "line 2"},
	} {
		tb := &fakeTB{name: "TestX"}
		call(tb, func(tb testing.TB) string { Golden(tb, path, c.got); return "" })
		if !strings.Contains(tb.failed, c.line) {
			t.Errorf("Golden(%q) failed with %q, want it to name %s", c.got, tb.failed, c.line)
		}
	}
	tb := &fakeTB{name: "TestX"}
	call(tb, func(tb testing.TB) string { Golden(tb, filepath.Join(t.TempDir(), "none.golden"), ""); return "" })
	if !strings.Contains(tb.failed, "-update") {
		t.Errorf("a missing golden file failed with %q, want a hint to -update", tb.failed)
	}
}

// TestWorkflowSkipsSharedTests keeps the GitHub workflow's -skip in step
// with SharedTests: it is how CI without shared/ leaves out exactly the
// tests that need it.
func TestWorkflowSkipsSharedTests(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), SharedTests) {
		t.Errorf(".github/workflows/ci.yml does not skip %q when shared/ is missing", SharedTests)
	}
}
