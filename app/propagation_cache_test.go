package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// traceJSON is the propagation --json document of p, diffs included.
func traceJSON(t *testing.T, p *data.Propagation) string {
	t.Helper()
	addVariantDiffs(p)
	var b bytes.Buffer
	if err := writePropagationJSON(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// keptFiles lists the traces kept in dir.
func keptFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.trace"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestKeptTraceCLI: the command keeps the trace it makes, and reads it
// back for the same project unchanged, printing the same bytes as a new
// trace, in JSON and as text; --fresh traces again.
func TestKeptTraceCLI(t *testing.T) {
	dir := t.TempDir()
	defer func(old func() string) { traceCacheDir = old }(traceCacheDir)
	traceCacheDir = func() string { return dir }
	project := propagationProject(t)
	for _, format := range [][]string{{"--json"}, nil} {
		var outs []string
		for _, extra := range [][]string{{"--fresh"}, nil, nil, {"--fresh"}} {
			args := append(append([]string{"propagation", "--project", project}, format...), extra...)
			out, errOut, code := run(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d\n%s", args, code, errOut)
			}
			if len(keptFiles(t, dir)) != 1 {
				t.Fatalf("%v: kept %v, want one trace", args, keptFiles(t, dir))
			}
			outs = append(outs, out)
		}
		for i, out := range outs[1:] {
			if out != outs[0] {
				t.Errorf("%v: run %d printed\n%s\nthe first\n%s", format, i+2, out, outs[0])
			}
		}
	}
}

// TestKeptTraceFollowsInputs: after each change a researcher (or a new
// analysis) makes to what a trace reads, the trace given is a new one,
// not the one kept before. Each change is checked to change the trace
// itself, so that a kept trace served regardless would fail.
func TestKeptTraceFollowsInputs(t *testing.T) {
	ctx := context.Background()
	date := data.MustParseDate("2023-01-31")
	outlet := "Herald"
	for _, c := range []struct {
		name string
		edit func(s *data.Store) error
	}{
		{"a date", func(s *data.Store) error {
			// The Courier's time goes: it is now of the same day as all.
			_, err := s.EditArticles(ctx, []int64{4}, data.MetaEdit{Date: &date})
			return err
		}},
		{"an outlet", func(s *data.Store) error {
			_, err := s.EditArticles(ctx, []int64{3}, data.MetaEdit{Outlet: &outlet})
			return err
		}},
		{"the primary source", func(s *data.Store) error { return s.SetPrimarySource(ctx, []int64{1}, false) }},
		{"a pin", func(s *data.Store) error {
			cs, err := s.Clusters(ctx, 2)
			if err != nil {
				return err
			}
			for _, m := range cs[0].Members {
				if m.ArticleID == 4 {
					return s.PinReference(ctx, data.Pin{ArticleID: m.ArticleID, Start: m.Start, End: m.End}, nil)
				}
			}
			t.Fatal("the Courier is not in the first cluster")
			return nil
		}},
		{"an article deleted", func(s *data.Store) error { return s.DeleteArticles(ctx, []int64{4}) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := data.Open(propagationProject(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			p, kept, err := keptPropagation(ctx, s, nil, dir, false)
			if err != nil {
				t.Fatal(err)
			}
			kept()
			before := traceJSON(t, p)
			if err := c.edit(s); err != nil {
				t.Fatal(err)
			}
			fresh, err := tracePropagation(ctx, s, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := traceJSON(t, fresh)
			if want == before {
				t.Fatal("the change does not change the trace: the test would not see a stale one")
			}
			p, kept, err = keptPropagation(ctx, s, nil, dir, false)
			if err != nil {
				t.Fatal(err)
			}
			kept()
			if got := traceJSON(t, p); got != want {
				t.Errorf("after the change the trace given is\n%s\nwant\n%s", got, want)
			}
			if n := len(keptFiles(t, dir)); n != 2 {
				t.Errorf("%d traces kept, want the old one and the new one", n)
			}
		})
	}
}

// TestKeptTraceDamaged: a kept trace that does not read whole (cut short,
// overwritten, of another format) is traced again, replaced, and the
// result is the trace's.
func TestKeptTraceDamaged(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(propagationProject(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want, err := tracePropagation(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := traceJSON(t, want)
	for _, c := range []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{"cut short", func(b []byte) []byte { return b[:len(b)-7] }},
		{"empty", func([]byte) []byte { return nil }},
		{"a byte changed", func(b []byte) []byte { b[len(b)-3] ^= 0x55; return b }},
		{"longer", func(b []byte) []byte { return append(b, 0) }},
		{"another format", func(b []byte) []byte {
			return append([]byte("parallax-propagation-trace 0\n"), b[len(traceFormat):]...)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			_, kept, err := keptPropagation(ctx, s, nil, dir, false)
			if err != nil {
				t.Fatal(err)
			}
			kept()
			files := keptFiles(t, dir)
			if len(files) != 1 {
				t.Fatalf("kept %v", files)
			}
			b, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(files[0], c.damage(bytes.Clone(b)), 0o644); err != nil {
				t.Fatal(err)
			}
			p, kept, err := keptPropagation(ctx, s, nil, dir, false)
			if err != nil {
				t.Fatal(err)
			}
			kept()
			if got := traceJSON(t, p); got != wantJSON {
				t.Errorf("from a damaged trace:\n%s\nwant\n%s", got, wantJSON)
			}
			if again, err := os.ReadFile(files[0]); err != nil || !bytes.Equal(again, b) {
				t.Errorf("the damaged trace was not replaced by a whole one (%v)", err)
			}
		})
	}
}

// TestEvictTraces: past the bound, the least recently used traces go, and
// so do leftovers of writes that never finished.
func TestEvictTraces(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	for i, name := range []string{"a.trace", "b.trace", "c.trace", "d.trace", "x.1.tmp", "y.2.tmp"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, make([]byte, 100), 0o644); err != nil {
			t.Fatal(err)
		}
		// a is the most recently used; y.2.tmp is still being written.
		at := now.Add(-time.Duration(i) * time.Hour)
		if name == "y.2.tmp" {
			at = now
		}
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	evictTraces(dir, 250)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if got := strings.Join(left, " "); got != "a.trace b.trace y.2.tmp" {
		t.Errorf("left %s, want a.trace b.trace y.2.tmp", got)
	}
}

// FuzzDecodeTrace: a kept trace is a file anyone may have changed; reading
// it either gives a trace or an error, never a panic.
func FuzzDecodeTrace(f *testing.F) {
	p := &data.Propagation{Clusters: []data.PropagationCluster{{ID: 1, Root: 0,
		Variants: []data.Variant{{Text: "We failed.", Carriers: []int{0, 1}, Parent: -1}},
		Versions: []data.PropagatedVersion{{Article: 1, Outlet: "BBC"}, {Article: 2, Outlet: "ITV", Source: 1}}}},
		Edges:   []data.PickupEdge{{From: "BBC", To: "ITV", Weight: 1, Pickups: []data.Pickup{{Cluster: 1, From: 1, To: 2}}}},
		Outlets: []data.OutletPropagation{{Outlet: "BBC", Clusters: 1}}}
	var buf bytes.Buffer
	if err := encodeTrace(&buf, p, "k"); err != nil {
		f.Fatal(err)
	}
	b := buf.Bytes()
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := decodeTrace(context.Background(), b, "k"); err == nil && p == nil {
			t.Fatal("no trace and no error")
		}
	})
}

// TestKeptTraceCancelled: a read of a kept trace given up (the window's
// filters changed, the project closed) leaves the trace for the next one.
func TestKeptTraceCancelled(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(propagationProject(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dir := t.TempDir()
	_, kept, err := keptPropagation(ctx, s, nil, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	kept()
	digest, err := s.PropagationDigest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, ok := loadTrace(cancelled, dir, traceKey(digest)); ok {
		t.Error("a cancelled read gave a trace")
	}
	if _, ok := loadTrace(ctx, dir, traceKey(digest)); !ok {
		t.Error("the kept trace is gone after a cancelled read")
	}
}
