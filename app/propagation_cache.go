package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/s2"

	"github.com/parallax-research/parallax/data"
)

// A trace of the whole project is kept on disk, in the user's cache
// folder, under the digest of everything it was made from
// (data.Store.PropagationDigest) and of the program that made it: a
// trace of 16,000 articles takes seconds on two cores, and a researcher
// opens the Propagation screen, or asks the command line, again and again
// between two analyses. It is kept beside the project rather than in it,
// so the project stays the size of what only it holds, and a command
// that only reads the project does not write it. A kept trace is used
// only when the digest read now is the one it was kept under: a changed
// date, primary-source mark, pin, cluster or article text changes the
// digest, and the trace is made again.

// traceCacheDir is the folder kept traces go in; empty keeps none. Tests
// point it at a temporary folder.
var traceCacheDir = func() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "parallax", "propagation")
}

// traceCacheBytes bounds the kept traces together: a trace of 16,000
// articles takes 21 MB and one of 100,000 articles 198 MB, so this keeps
// a few projects' at the first size and two at the second. The least
// recently used go first, never the newest.
const traceCacheBytes = 512 << 20

// traceFormat names the file layout; a file of another is not read.
const traceFormat = "parallax-propagation-trace 3\n"

// maxTraceRecord bounds what one record of a kept trace may decode to; a
// chunk of a thousand clusters of months of coverage takes some 8 MB.
const maxTraceRecord = 1 << 30

// maxTraceRatio bounds how many times its size a record, and a whole kept
// trace, may decode to. A trace compresses two to four times (3.3 at most
// over the chunks of 16,000 generated articles); copy repeated across
// outlets may compress further, and is given room to.
const maxTraceRatio = 64

// plausibleRecord reports whether a record of size bytes may decode to
// decoded bytes: encodeTrace keeps no trace with a record that is not, so
// that one is never refused, removed and made again on every call.
func plausibleRecord(size, decoded int) bool {
	return decoded <= maxTraceRecord && decoded <= maxTraceRatio*size+1<<16
}

// traceChunk is how many clusters one record of a kept trace holds: the
// records are encoded and decoded on every core.
const traceChunk = 1024

// traceHeader is a kept trace's first record: the corpus graph and how
// many clusters the records after it hold.
type traceHeader struct {
	Edges    []data.PickupEdge
	Outlets  []data.OutletPropagation
	Clusters int
	// Variants counts the clusters' wordings, for the summary printed
	// before them.
	Variants int
}

// traceKey is the name a trace of inputs digest is kept under: the digest
// and the program, so that a trace made by another build (whose analysis
// may differ) is not read.
func traceKey(digest string) string {
	h := sha256.New()
	h.Write([]byte(traceFormat))
	h.Write([]byte(digest))
	h.Write([]byte{0})
	h.Write([]byte(programID))
	return hex.EncodeToString(h.Sum(nil))
}

// programID tells this build of Parallax from others, taken when the
// program starts: a binary replaced while a window still runs the old one
// would otherwise lend the old one its name.
var programID = programIdentity()

// programIdentity is the build's version and commit, its build
// information (the modules and settings it was built with) and the
// executable's size and time, which change with every build even of a
// modified checkout.
func programIdentity() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", version, commit)
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(bi.String())
	}
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			fmt.Fprintf(&b, "\n%d %d", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String()
}

// loadTrace reads the trace kept under key, if there is one and it reads
// whole; a file that does not is removed. found, if not nil, is called
// once there is a file to decode.
func loadTrace(ctx context.Context, dir, key string, found func()) (*data.Propagation, bool) {
	t, ok := openKeptTrace(dir, key, found)
	if !ok {
		return nil, false
	}
	p, err := t.decode(ctx)
	if err != nil {
		// A read given up is no sign of a damaged file.
		if ctx.Err() == nil {
			os.Remove(t.path)
		}
		return nil, false
	}
	return p, true
}

// openedTrace is a kept trace opened for reading a chunk at a time, and
// where it lies.
type openedTrace struct {
	*keptTrace
	path string
	// notes are the trace's Notes, worked out from its inputs.
	notes []string
}

// openKeptTrace opens the trace kept under key, if there is one whose
// records and header read whole (a file that does not is removed), for
// its clusters to be read a chunk at a time. found, if not nil, is called
// once there is a file.
func openKeptTrace(dir, key string, found func()) (*openedTrace, bool) {
	if dir == "" {
		return nil, false
	}
	path := filepath.Join(dir, key+".trace")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	if found != nil {
		found()
	}
	t, err := openTrace(b, key)
	if err != nil {
		os.Remove(path)
		return nil, false
	}
	// Used now: the last to be evicted.
	now := time.Now()
	os.Chtimes(path, now, now)
	return &openedTrace{keptTrace: t, path: path}, true
}

// eachChunk is keptTrace.eachChunk, removing the file if a chunk does
// not read whole: the next call traces again.
func (t *openedTrace) eachChunk(fn func([]data.PropagationCluster) error) error {
	err := t.keptTrace.eachChunk(fn)
	if errors.Is(err, errTraceFile) {
		os.Remove(t.path)
		return fmt.Errorf("the trace kept in %s is damaged (it is removed; run the command again to trace anew): %w", t.path, err)
	}
	return err
}

// saveTrace keeps p under key, replacing the file whole (a reader never
// sees half of one), and evicts the least recently used traces beyond
// traceCacheBytes.
func saveTrace(dir, key string, p *data.Propagation) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, key+".*.tmp")
	if err != nil {
		return err
	}
	err = encodeTrace(tmp, p, key)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, key+".trace"))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	evictTraces(dir, traceCacheBytes)
	return nil
}

// evictTraces removes the least recently used traces until those left
// take at most limit bytes, and leftovers of writes that did not finish.
func evictTraces(dir string, limit int64) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var traces []fs.FileInfo
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		switch {
		case strings.HasSuffix(e.Name(), ".trace"):
			traces = append(traces, fi)
		case strings.HasSuffix(e.Name(), ".tmp") && time.Since(fi.ModTime()) > time.Hour:
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	slices.SortFunc(traces, func(a, b fs.FileInfo) int { return b.ModTime().Compare(a.ModTime()) })
	// The most recently used is kept whatever its size: it was most
	// likely just saved.
	var total int64
	for i, fi := range traces {
		total += fi.Size()
		if total > limit && i > 0 {
			os.Remove(filepath.Join(dir, fi.Name()))
		}
	}
}

var errTraceFile = errors.New("not a whole kept trace")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encodeTrace lays p out as traceFormat, the key, then records each
// prefixed by its length and checksum: the header, then the clusters a
// chunk at a time, each record encoded (see traceEncoder) and
// S2-compressed on its own so that records are read on every core. The
// checksums are what catch a changed byte: S2 keeps much of its input as
// it was, and a flipped bit there read as a confidence of 10^207.
func encodeTrace(w io.Writer, p *data.Propagation, key string) error {
	chunks := (len(p.Clusters) + traceChunk - 1) / traceChunk
	recs := make([][]byte, 1+chunks)
	errs := make([]error, 1+chunks)
	_ = forEach(context.Background(), 1+chunks, func(i int) {
		var raw []byte
		if i == 0 {
			raw = encodeHeader(traceHeader{Edges: p.Edges, Outlets: p.Outlets, Clusters: len(p.Clusters), Variants: variantCount(p.Clusters)})
		} else {
			lo := (i - 1) * traceChunk
			raw, errs[i] = encodeClusters(p.Clusters[lo:min(lo+traceChunk, len(p.Clusters))])
		}
		if errs[i] == nil {
			recs[i] = s2.Encode(nil, raw)
			if !plausibleRecord(len(recs[i]), len(raw)) {
				errs[i] = fmt.Errorf("a record of %d bytes compressed to %d", len(raw), len(recs[i]))
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("keeping the trace: %w", err)
	}
	head := []byte(traceFormat + key + "\n")
	head = binary.AppendUvarint(head, uint64(len(recs)))
	if _, err := w.Write(head); err != nil {
		return err
	}
	for _, r := range recs {
		prefix := binary.AppendUvarint(nil, uint64(len(r)))
		prefix = binary.LittleEndian.AppendUint32(prefix, crc32.Checksum(r, castagnoli))
		if _, err := w.Write(prefix); err != nil {
			return err
		}
		if _, err := w.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// encodedSize is about how many bytes encodeClusters takes for cs: its
// buffer is grown once (grown by doubling, its fresh pages had been half
// the keeping's time).
func encodedSize(cs []data.PropagationCluster) int {
	n := 0
	for _, c := range cs {
		n += 64 + len(c.Speaker) + 48*len(c.Versions)
		for _, v := range c.Versions {
			n += len(v.Outlet)
		}
		for _, v := range c.Variants {
			n += 64 + len(v.Text) + 2*len(v.Carriers) + 16*(len(v.Shared)+len(v.New))
		}
	}
	return n
}

// keptTrace is a kept trace whose records are checked and whose header
// is read, its clusters still to decode: the command line prints them a
// chunk at a time, which at 100,000 articles held a tenth of the memory
// (the machine's page faults were half the reading's time).
type keptTrace struct {
	head traceHeader
	// recs are the clusters' records, in order.
	recs [][]byte
}

// openTrace checks what encodeTrace wrote under key, every record's
// checksum and size, and reads its header.
func openTrace(b []byte, key string) (*keptTrace, error) {
	total := len(b)
	head := traceFormat + key + "\n"
	if !bytes.HasPrefix(b, []byte(head)) {
		return nil, errTraceFile
	}
	b = b[len(head):]
	n, k := binary.Uvarint(b)
	if k <= 0 || n == 0 {
		return nil, errTraceFile
	}
	b = b[k:]
	// The records are listed as they are found, each checked against its
	// checksum, and sized before anything is decoded: the count and the
	// sizes come from the file, and a file of a few bytes may claim
	// gigabytes, or an S2 block repeat a byte to fill them.
	var recs [][]byte
	decoded := 0
	for len(b) > 0 {
		size, k := binary.Uvarint(b)
		if k <= 0 || len(b)-k < 4 || size > uint64(len(b)-k-4) || uint64(len(recs)) >= n {
			return nil, errTraceFile
		}
		sum := binary.LittleEndian.Uint32(b[k:])
		k += 4
		rec := b[k : k+int(size)]
		b = b[k+int(size):]
		if crc32.Checksum(rec, castagnoli) != sum {
			return nil, errTraceFile
		}
		m, err := s2.DecodedLen(rec)
		if err != nil || !plausibleRecord(len(rec), m) || len(recs) > 0 && m == 0 {
			return nil, errTraceFile
		}
		decoded += m
		recs = append(recs, rec)
	}
	if uint64(len(recs)) != n || decoded > maxTraceRatio*total+1<<16 {
		return nil, errTraceFile
	}
	t := &keptTrace{recs: recs[1:]}
	raw, err := s2.Decode(nil, recs[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errTraceFile, err)
	}
	if t.head, err = decodeHeader(raw); err != nil {
		return nil, err
	}
	// The count the header gives is checked, not trusted to size a slice.
	if h := t.head.Clusters; h < 0 || h > len(t.recs)*traceChunk || len(t.recs) != (h+traceChunk-1)/traceChunk {
		return nil, errTraceFile
	}
	return t, nil
}

// chunk decodes the clusters of record i: traceChunk of them, fewer in
// the last, each whole, by ID after after (the last ID of the chunk
// before, or math.MinInt64).
func (t *keptTrace) chunk(i int, after int64) ([]data.PropagationCluster, error) {
	raw, err := s2.Decode(nil, t.recs[i])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errTraceFile, err)
	}
	want := min(traceChunk, t.head.Clusters-i*traceChunk)
	out := make([]data.PropagationCluster, 0, want)
	d := newTraceDecoder(raw)
	for d.more() {
		c := d.cluster()
		if d.err != nil || len(out) == want || c.ID <= after || !wholeCluster(&c) {
			return nil, errTraceFile
		}
		after = c.ID
		out = append(out, c)
	}
	if len(out) != want {
		return nil, errTraceFile
	}
	return out, nil
}

// decodeTrace reads what encodeTrace wrote under key, whole.
func decodeTrace(ctx context.Context, b []byte, key string) (*data.Propagation, error) {
	t, err := openTrace(b, key)
	if err != nil {
		return nil, err
	}
	return t.decode(ctx)
}

// decode reads the trace's clusters whole, the chunks on every core.
func (t *keptTrace) decode(ctx context.Context) (*data.Propagation, error) {
	chunks := make([][]data.PropagationCluster, len(t.recs))
	errs := make([]error, len(t.recs))
	if err := forEach(ctx, len(t.recs), func(i int) {
		chunks[i], errs[i] = t.chunk(i, math.MinInt64)
	}); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	p := &data.Propagation{Edges: t.head.Edges, Outlets: t.head.Outlets, Clusters: make([]data.PropagationCluster, 0, t.head.Clusters)}
	for _, c := range chunks {
		// Each chunk is in order; so must the chunks be.
		if len(p.Clusters) > 0 && len(c) > 0 && c[0].ID <= p.Clusters[len(p.Clusters)-1].ID {
			return nil, errTraceFile
		}
		p.Clusters = append(p.Clusters, c...)
	}
	return p, nil
}

// eachChunk calls fn with the trace's clusters a chunk at a time, in
// order, decoding the next chunk while fn works on one.
func (t *keptTrace) eachChunk(fn func([]data.PropagationCluster) error) error {
	type result struct {
		cs  []data.PropagationCluster
		err error
	}
	next := make(chan result, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		after := int64(math.MinInt64)
		for i := range t.recs {
			cs, err := t.chunk(i, after)
			if len(cs) > 0 {
				after = cs[len(cs)-1].ID
			}
			select {
			case next <- result{cs, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for range t.recs {
		r := <-next
		if r.err != nil {
			return r.err
		}
		if err := fn(r.cs); err != nil {
			return err
		}
	}
	return nil
}

// wholeCluster reports whether every index of c points where it may: the
// screens index by them without checking.
func wholeCluster(c *data.PropagationCluster) bool {
	nv, nn := len(c.Variants), len(c.Versions)
	if c.Root < -1 || c.Root >= nv || nv > 0 && c.Root < 0 {
		return false
	}
	for _, v := range c.Variants {
		if v.Parent < -1 || v.Parent >= nv || len(v.Carriers) == 0 {
			return false
		}
		for _, k := range v.Carriers {
			if k < 0 || k >= nn {
				return false
			}
		}
	}
	for _, v := range c.Versions {
		if v.Variant < 0 || v.Variant >= nv {
			return false
		}
	}
	if nv > 0 && c.Variants[c.Root].Parent != -1 {
		return false
	}
	// No variant is its own ancestor: the trees are walked from their
	// roots down.
	state := make([]int8, nv) // 0 unseen, 1 on the path walked, 2 leads to a root
	for v := range c.Variants {
		var path []int
		for u := v; u >= 0 && state[u] != 2; u = c.Variants[u].Parent {
			if state[u] == 1 {
				return false
			}
			state[u] = 1
			path = append(path, u)
		}
		for _, u := range path {
			state[u] = 2
		}
	}
	return true
}
