package app

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"

	"github.com/parallax-research/parallax/data"
)

// openPropagationProject opens propagationProject's project for the
// test.
func openPropagationProject(t *testing.T) *data.Store {
	t.Helper()
	s, err := data.Open(propagationProject(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// traceJSON is the propagation --json document of p, diffs included.
func traceJSON(t *testing.T, p *data.Propagation) string {
	t.Helper()
	addVariantDiffs(p.Clusters)
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
		var last os.FileInfo
		for _, extra := range [][]string{{"--fresh"}, nil, nil, {"--fresh"}} {
			args := append(append([]string{"propagation", "--project", project}, format...), extra...)
			out, errOut, code := run(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d\n%s", args, code, errOut)
			}
			files := keptFiles(t, dir)
			if len(files) != 1 {
				t.Fatalf("%v: kept %v, want one trace", args, files)
			}
			// A trace kept again is a new file; one read back is the
			// same file.
			fi, err := os.Stat(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if last != nil && os.SameFile(fi, last) == (len(extra) > 0) {
				t.Errorf("%v: the kept trace was %s", args, map[bool]string{true: "not made again", false: "made again, not read"}[len(extra) > 0])
			}
			last = fi
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
			s := openPropagationProject(t)
			p, kept, err := keptPropagation(ctx, s, nil, dir, false, nil)
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
			p, kept, err = keptPropagation(ctx, s, nil, dir, false, nil)
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
	s := openPropagationProject(t)
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
			_, kept, err := keptPropagation(ctx, s, nil, dir, false, nil)
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
			p, kept, err := keptPropagation(ctx, s, nil, dir, false, nil)
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
	// The newest stays even when it alone is over the bound.
	evictTraces(dir, 50)
	if _, err := os.Stat(filepath.Join(dir, "a.trace")); err != nil {
		t.Errorf("the most recently used trace was evicted: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.trace")); err == nil {
		t.Error("a trace past the bound was kept")
	}
	if err := os.WriteFile(filepath.Join(dir, "b.trace"), make([]byte, 100), 0o644); err != nil {
		t.Fatal(err)
	}
	at := now.Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "b.trace"), at, at); err != nil {
		t.Fatal(err)
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

// frameTrace lays records out as encodeTrace does, with their checksums.
func frameTrace(key string, recs ...[]byte) []byte {
	out := []byte(traceFormat + key + "\n")
	out = binary.AppendUvarint(out, uint64(len(recs)))
	for _, r := range recs {
		out = binary.AppendUvarint(out, uint64(len(r)))
		out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(r, castagnoli))
		out = append(out, r...)
	}
	return out
}

// tracePropagation traces clusters (all when nil) read from store,
// without the variants' diffs, and keeps nothing.
func tracePropagation(ctx context.Context, store *data.Store, clusters []int64) (*data.Propagation, error) {
	p, _, err := readPropagation(ctx, store, clusters, false, nil, nil)
	return p, err
}

// smallTrace is a trace of one cluster of two versions.
func smallTrace() *data.Propagation {
	return &data.Propagation{Clusters: []data.PropagationCluster{{ID: 1, Root: 0,
		Variants: []data.Variant{{Text: "We failed.", Carriers: []int{0, 1}, Parent: -1}},
		Versions: []data.PropagatedVersion{{Article: 1, Outlet: "BBC"}, {Article: 2, Outlet: "ITV", Source: 1}}}},
		Edges:   []data.PickupEdge{{From: "BBC", To: "ITV", Weight: 1, Pickups: []data.Pickup{{Cluster: 1, From: 1, To: 2}}}},
		Outlets: []data.OutletPropagation{{Outlet: "BBC", Clusters: 1}}}
}

// TestDecodeTraceRefuses: records that claim more than a record may hold,
// and clusters whose indexes point nowhere or loop, are refused, not
// allocated or handed to the screens.
func TestDecodeTraceRefuses(t *testing.T) {
	headOf := func(h traceHeader) []byte { return s2.Encode(nil, encodeHeader(h)) }
	recOf := func(c data.PropagationCluster) []byte {
		b, err := encodeClusters([]data.PropagationCluster{c})
		if err != nil {
			t.Fatal(err)
		}
		return s2.Encode(nil, b)
	}
	p := smallTrace()
	head := headOf(traceHeader{Edges: p.Edges, Outlets: p.Outlets, Clusters: 1})
	good := p.Clusters[0]
	if _, err := decodeTrace(context.Background(), frameTrace("k", head, recOf(good)), "k"); err != nil {
		t.Fatalf("a whole trace: %v", err)
	}
	// 64 MiB of zeros in a block of a few dozen bytes.
	huge := s2.Encode(nil, make([]byte, 64<<20))
	// A thousand records that each decode to 64 KiB of zeros.
	var many [][]byte
	for range 1000 {
		many = append(many, s2.Encode(nil, make([]byte, 1<<16)))
	}
	// Refused before anything is decoded: 64 MB of zeros are not
	// allocated.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := decodeTrace(context.Background(), frameTrace("k", append([][]byte{head}, many...)...), "k"); !errors.Is(err, errTraceFile) {
		t.Errorf("a thousand records of 64 KiB of zeros: read with %v, want it refused", err)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Errorf("refusing a thousand records of 64 KiB of zeros allocated %d bytes", n)
	}
	// A count of records the file does not hold.
	short := frameTrace("k", head, recOf(good))
	miscount := append([]byte(traceFormat+"k\n"), binary.AppendUvarint(nil, 1<<40)...)
	miscount = append(miscount, short[len(traceFormat)+2+1:]...)
	if _, err := decodeTrace(context.Background(), miscount, "k"); !errors.Is(err, errTraceFile) {
		t.Errorf("a count of 2^40 records: read with %v, want it refused", err)
	}
	for _, n := range []int{-1, 2, 1 << 62} {
		bad := headOf(traceHeader{Edges: p.Edges, Outlets: p.Outlets, Clusters: n})
		if _, err := decodeTrace(context.Background(), frameTrace("k", bad, recOf(good)), "k"); !errors.Is(err, errTraceFile) {
			t.Errorf("a header counting %d clusters of 1: read with %v, want it refused", n, err)
		}
	}
	for _, c := range []struct {
		name  string
		chunk []byte
		edit  func(c *data.PropagationCluster)
	}{
		{"a record of 64 MiB of zeros", huge, nil},
		{"a root out of range", nil, func(c *data.PropagationCluster) { c.Root = 3 }},
		{"a parent out of range", nil, func(c *data.PropagationCluster) { c.Variants[0].Parent = 7 }},
		{"a root with a parent", nil, func(c *data.PropagationCluster) {
			c.Variants = append(c.Variants, data.Variant{Carriers: []int{1}, Parent: 0})
			c.Variants[0].Parent = 1
		}},
		{"parents in a loop", nil, func(c *data.PropagationCluster) {
			c.Variants = append(c.Variants, data.Variant{Carriers: []int{1}, Parent: 2}, data.Variant{Carriers: []int{1}, Parent: 1})
		}},
		{"a carrier out of range", nil, func(c *data.PropagationCluster) { c.Variants[0].Carriers = []int{0, 2} }},
		{"a version's variant out of range", nil, func(c *data.PropagationCluster) { c.Versions[1].Variant = -2 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			chunk := c.chunk
			if c.edit != nil {
				bad := smallTrace().Clusters[0]
				c.edit(&bad)
				chunk = recOf(bad)
			}
			if _, err := decodeTrace(context.Background(), frameTrace("k", head, chunk), "k"); !errors.Is(err, errTraceFile) {
				t.Errorf("read with %v, want it refused", err)
			}
		})
	}
}

// FuzzDecodeTrace: a kept trace is a file anyone may have changed; reading
// it either gives a trace whose indexes all point somewhere, or an error,
// never a panic. The records are framed with their checksums here, so that
// the fuzzer reaches the decoding behind them; compressed says whether
// the fuzzer's bytes are the records as stored or what they decompress to.
func FuzzDecodeTrace(f *testing.F) {
	p := smallTrace()
	head := encodeHeader(traceHeader{Edges: p.Edges, Outlets: p.Outlets, Clusters: 1})
	chunk, err := encodeClusters(p.Clusters)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(head, chunk, false)
	f.Add(s2.Encode(nil, head), s2.Encode(nil, chunk), true)
	f.Fuzz(func(t *testing.T, head, chunk []byte, compressed bool) {
		// Larger inputs only make each run slower: what they reach,
		// small ones reach.
		if len(head)+len(chunk) > 1<<12 {
			return
		}
		if !compressed {
			head, chunk = s2.Encode(nil, head), s2.Encode(nil, chunk)
		}
		p, err := decodeTrace(context.Background(), frameTrace("k", head, chunk), "k")
		if err != nil {
			return
		}
		if p == nil {
			t.Fatal("no trace and no error")
		}
		for i := range p.Clusters {
			if !wholeCluster(&p.Clusters[i]) {
				t.Fatalf("cluster %d read with an index pointing nowhere", i)
			}
		}
	})
}

// TestKeptTraceOneState: a trace is made from one state of the project,
// the one its digest is of, even when the project changes while the trace
// reads it. Here an article is deleted once the trace has read the dates
// and pins, before it reads the clusters: read in separate transactions,
// the clusters would come from another state than the digest, and the
// trace of one state would be kept under the digest of another.
func TestKeptTraceOneState(t *testing.T) {
	ctx := context.Background()
	s := openPropagationProject(t)
	dir := t.TempDir()
	digest, err := s.PropagationDigest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tracePropagation(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := traceJSON(t, want)
	defer func() { traceReadHook = nil }()
	traceReadHook = func() {
		traceReadHook = nil
		if err := s.DeleteArticles(ctx, []int64{4}); err != nil {
			t.Error(err)
		}
	}
	p, kept, err := keptPropagation(ctx, s, nil, dir, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	kept()
	after, err := tracePropagation(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if traceJSON(t, after) == wantJSON {
		t.Fatal("the deletion does not change the trace: the test would not see a mixed one")
	}
	if got := traceJSON(t, p); got != wantJSON {
		t.Errorf("the trace made while an article was deleted is not the trace of the state it began in:\n%s", got)
	}
	k, ok := loadTrace(ctx, dir, traceKey(digest), nil)
	if !ok {
		t.Fatal("no trace kept under the digest of the state the trace began in")
	}
	// The notes are worked out from the inputs whenever a trace is read,
	// not kept with it.
	k.Notes = want.Notes
	if got := traceJSON(t, k); got != wantJSON {
		t.Errorf("the trace kept under that digest is another state's")
	}
}

// FuzzDecodeTraceFile: the same, from the file's bytes as they are
// stored, count and sizes included; what reads is printed as the command
// prints it.
func FuzzDecodeTraceFile(f *testing.F) {
	var b bytes.Buffer
	if err := encodeTrace(&b, smallTrace(), "k"); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodeTrace(context.Background(), b, "k")
		if err != nil {
			return
		}
		var out bytes.Buffer
		writePropagationText(&out, p)
	})
}

// TestTraceProgress: a new trace says it reads the clusters and then
// counts the choices to the end; a kept one says it reads the kept trace.
func TestTraceProgress(t *testing.T) {
	ctx := context.Background()
	s := openPropagationProject(t)
	dir := t.TempDir()
	for _, want := range []string{
		"Reading the clusters… 0/0; Choosing where each version came from… 9/9",
		"Reading the trace kept from these inputs… 0/0",
	} {
		var told []string
		_, kept, err := keptPropagation(ctx, s, nil, dir, false, func(stage string, done, total int) {
			told = append(told, fmt.Sprintf("%s %d/%d", stage, done, total))
		})
		if err != nil {
			t.Fatal(err)
		}
		kept()
		if got := strings.Join(told, "; "); got != want {
			t.Errorf("told %q, want %q", got, want)
		}
	}
}

// TestKeptTraceDamagedChunk: a kept trace whose records check out but
// one of whose clusters does not read (only a file written on purpose
// can) makes the command fail naming the file, which it removes, so that
// the next call traces anew.
func TestKeptTraceDamagedChunk(t *testing.T) {
	dir := t.TempDir()
	defer func(old func() string) { traceCacheDir = old }(traceCacheDir)
	traceCacheDir = func() string { return dir }
	project := propagationProject(t)
	s, err := data.Open(project)
	if err != nil {
		t.Fatal(err)
	}
	digest, err := s.PropagationDigest(context.Background())
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	head := encodeHeader(traceHeader{Clusters: 1, Variants: 1})
	key := traceKey(digest)
	path := filepath.Join(dir, key+".trace")
	bad := frameTrace(key, s2.Encode(nil, head), s2.Encode(nil, []byte("not a cluster at all")))
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "propagation", "--project", project)
	if code == 0 || !strings.Contains(errOut, path) || !strings.Contains(errOut, "damaged") {
		t.Fatalf("exit %d, %q: want a failure naming the damaged trace", code, errOut)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("the damaged trace was left to fail again")
	}
	if _, errOut, code := run(t, "propagation", "--project", project); code != 0 {
		t.Errorf("the next call: exit %d, %s", code, errOut)
	}
}
