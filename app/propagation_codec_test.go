package app

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"github.com/parallax-research/parallax/data"
)

// fillEvery sets every field reachable from v, each to a value of its own
// (slices to two elements), so that a field the codec forgets reads back
// different. Variant.Diff is left empty: a kept trace holds no diffs.
func fillEvery(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type() == reflect.TypeFor[data.Variant]() && v.Type().Field(i).Name == "Diff" {
				continue
			}
			fillEvery(v.Field(i), n)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fallthrough
	case reflect.Array:
		for i := range v.Len() {
			fillEvery(v.Index(i), n)
		}
	case reflect.String:
		// Every other string repeats one written before, as outlets do.
		v.SetString("s" + strconv.Itoa(*n%7))
		if *n%2 == 0 {
			v.SetString("text " + strconv.Itoa(*n))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n) * -37)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float64:
		v.SetFloat(float64(*n) + 1.0/3)
	case reflect.Bool:
		// Scrambled, so that no two flags are equal in every filling.
		v.SetBool(bits.OnesCount32(uint32(*n)*2654435761)%2 == 0)
	default:
		panic("fillEvery: a field of kind " + v.Kind().String() + "; teach the codec and this test about it")
	}
}

// TestTraceCodecEveryField: a cluster and a header with every field set
// read back as they were written; a field added to the types and not to
// the codec would read back zero.
func TestTraceCodecEveryField(t *testing.T) {
	// Each flag is set and clear somewhere, and differs from each other
	// somewhere: the fillings start the counter at different places.
	for start := range 8 {
		n := start
		var cs [2]data.PropagationCluster
		fillEvery(reflect.ValueOf(&cs).Elem(), &n)
		cs[1].ID = cs[0].ID + 1
		rec, err := encodeClusters(cs[:])
		if err != nil {
			t.Fatal(err)
		}
		d := newTraceDecoder(rec)
		for i := range cs {
			got := d.cluster()
			if d.err != nil {
				t.Fatalf("cluster %d: %v", i, d.err)
			}
			if !reflect.DeepEqual(got, cs[i]) {
				t.Errorf("cluster %d read back as\n%+v\nwant\n%+v", i, got, cs[i])
			}
		}
		if d.more() {
			t.Errorf("%d bytes left over", len(rec)-d.i)
		}

		var h traceHeader
		fillEvery(reflect.ValueOf(&h).Elem(), &n)
		got, err := decodeHeader(encodeHeader(h))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, h) {
			t.Errorf("header read back as\n%+v\nwant\n%+v", got, h)
		}
	}
}

// TestTraceCodecRefuses: a record cut short, a name referring past those
// written, a count the record cannot hold, a header with bytes after it,
// and a variant with its diff do not read or are not kept.
func TestTraceCodecRefuses(t *testing.T) {
	p := smallTrace()
	rec, err := encodeClusters(p.Clusters)
	if err != nil {
		t.Fatal(err)
	}
	head := encodeHeader(traceHeader{Edges: p.Edges, Outlets: p.Outlets, Clusters: 1})
	for _, c := range []struct {
		name string
		rec  []byte
	}{
		{"cut short", rec[:len(rec)-1]},
		{"a name past those written", []byte{2, 5}},
		{"a count of variants beyond the record", []byte{2, 0, 0, 0, 0, 0, 0xff, 0xff, 0x03}},
	} {
		d := newTraceDecoder(c.rec)
		d.cluster()
		if !errors.Is(d.err, errTraceFile) {
			t.Errorf("%s: read with %v", c.name, d.err)
		}
	}
	if _, err := decodeHeader(append(head, 0)); !errors.Is(err, errTraceFile) {
		t.Errorf("a header with a byte after it: read with %v", err)
	}
	if _, err := decodeHeader(head[:len(head)-1]); !errors.Is(err, errTraceFile) {
		t.Errorf("a header cut short: read with %v", err)
	}
	withDiff := smallTrace().Clusters
	withDiff[0].Variants[0].Diff = []data.DiffOp{{}}
	if _, err := encodeClusters(withDiff); !errors.Is(err, errTraceDiff) {
		t.Errorf("a variant with its diff: kept with %v", err)
	}
}

// TestTraceCodecBounded: a record made to decode to far more than itself
// (a variant claiming millions of changes of three bytes each, 40 bytes
// apiece once read, or millions of names) is refused before its values
// are allocated: the decoder had allocated 1.2 GB for a file of 614 KB.
func TestTraceCodecBounded(t *testing.T) {
	// One cluster (ID 1, no kind or speaker, root 0) of one variant (no
	// text, no carriers, parent 0, three confidences) whose changes
	// follow.
	cluster := func(changes int) []byte {
		b := []byte{2, 0, 0, 0, 0, 0, 1, 0, 0, 0}
		b = append(b, make([]byte, 24)...)
		return binary.AppendUvarint(b, uint64(changes))
	}
	const n = 8 << 20
	changes := append(cluster(n), make([]byte, 3*n)...)
	// A name defined over and over: a zero and an empty text each.
	names := append([]byte{2, 0, 0}, make([]byte, 6*n)...)
	for _, c := range []struct {
		name string
		rec  []byte
	}{{"8 million changes", changes}, {"12 million names", names}} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		d := newTraceDecoder(c.rec)
		for d.more() {
			d.cluster()
		}
		runtime.ReadMemStats(&after)
		if !errors.Is(d.err, errTraceFile) {
			t.Errorf("%s: read with %v, want it refused", c.name, d.err)
		}
		// The record's own copy, and what its budget allows.
		if got, most := after.TotalAlloc-before.TotalAlloc, uint64(len(c.rec))*(decodeRatio+2)+1<<20; got > most {
			t.Errorf("%s: %d MB allocated for a record of %d MB, want at most %d MB", c.name, got>>20, len(c.rec)>>20, most>>20)
		}
	}
}
