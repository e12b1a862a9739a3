package app

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"time"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// A kept trace's records are written field by field rather than with
// encoding/gob: gob describes and checks every value by reflection, which
// was most of the time of keeping a trace (0.55 s at 16,000 articles) and
// of reading one back, and it allocated every outlet's name once per
// version (half a million strings). Here the names a record repeats (the
// outlets, the changes' words, the orders) are written once and referred
// back to, and every text read is a slice of the record: reading a chunk
// of a thousand clusters makes one string, not a hundred thousand.
//
// TestTraceCodecEveryField fills every field of the types written here
// and reads them back: a field added to them and not to the codec fails
// it, rather than going missing from kept traces.

// errTraceDiff is why a trace whose variants carry their diffs is not
// kept: the diffs are worked out after a trace is read, for the screens
// and the JSON that show them.
var errTraceDiff = errors.New("a kept trace holds no diffs")

// traceEncoder appends a record's values to buf.
type traceEncoder struct {
	buf []byte
	// names numbers the repeated strings written so far, from 1.
	names map[string]uint64
}

func newTraceEncoder(size int) *traceEncoder {
	return &traceEncoder{buf: make([]byte, 0, size), names: map[string]uint64{}}
}

func (e *traceEncoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *traceEncoder) int(v int)     { e.buf = binary.AppendVarint(e.buf, int64(v)) }
func (e *traceEncoder) int64(v int64) { e.buf = binary.AppendVarint(e.buf, v) }
func (e *traceEncoder) dur(v time.Duration) {
	e.buf = binary.AppendVarint(e.buf, int64(v))
}

// float is written as its bits: read back, it is the same number.
func (e *traceEncoder) float(f float64) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(f))
}

// bools packs up to eight flags in a byte.
func (e *traceEncoder) bools(bs ...bool) {
	var b byte
	for i, v := range bs {
		if v {
			b |= 1 << i
		}
	}
	e.buf = append(e.buf, b)
}

func (e *traceEncoder) text(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// name writes a string the record repeats: the first time as 0 and the
// text, later as its number.
func (e *traceEncoder) name(s string) {
	if n, ok := e.names[s]; ok {
		e.uint(n)
		return
	}
	e.names[s] = uint64(len(e.names) + 1)
	e.uint(0)
	e.text(s)
}

func (e *traceEncoder) changes(cs []data.TextChange) {
	e.uint(uint64(len(cs)))
	for _, c := range cs {
		e.int(c.At)
		e.name(c.Dropped)
		e.name(c.Added)
	}
}

func (e *traceEncoder) date(d data.Date) {
	e.int(d.Year)
	e.int(d.Month)
	e.int(d.Day)
	e.int(d.Hour)
	e.int(d.Minute)
	e.int(d.Second)
	e.uint(uint64(d.Precision))
	e.bools(d.Zoned)
	e.int(d.Offset)
}

func (e *traceEncoder) cluster(c *data.PropagationCluster) error {
	e.int64(c.ID)
	e.name(string(c.Kind))
	e.name(c.Speaker)
	e.int(c.Root)
	e.uint(uint64(len(c.Variants)))
	for i := range c.Variants {
		v := &c.Variants[i]
		if len(v.Diff) > 0 {
			return errTraceDiff
		}
		e.text(v.Text)
		e.uint(uint64(len(v.Carriers)))
		for _, k := range v.Carriers {
			e.int(k)
		}
		e.int(v.Parent)
		e.float(v.Confidence)
		e.float(v.Contained)
		e.float(v.Kept)
		e.changes(v.Shared)
		e.changes(v.New)
		e.int(v.Reverted)
		e.name(v.Order)
		e.dur(v.Lag)
		e.bools(v.Unseen, v.LagKnown)
	}
	e.uint(uint64(len(c.Versions)))
	for i := range c.Versions {
		v := &c.Versions[i]
		e.int64(v.Article)
		e.name(v.Outlet)
		e.date(v.Date)
		e.int(v.Start)
		e.int(v.End)
		e.int(v.Variant)
		e.int64(v.Source)
		e.float(v.Confidence)
		e.name(v.Order)
		e.dur(v.Lag)
		e.bools(v.Primary, v.Pinned, v.Unseen, v.LagKnown)
	}
	return nil
}

func (e *traceEncoder) header(h traceHeader) {
	e.uint(uint64(len(h.Edges)))
	for _, ed := range h.Edges {
		e.name(ed.From)
		e.name(ed.To)
		e.int(ed.Weight)
		e.float(ed.Score)
		e.dur(ed.MedianLag)
		e.int(ed.Lags)
		e.dur(ed.LagResolution)
		e.uint(uint64(len(ed.Pickups)))
		for _, p := range ed.Pickups {
			e.int64(p.Cluster)
			e.int64(p.From)
			e.int64(p.To)
			e.float(p.Confidence)
			e.changes(p.Shared)
			e.dur(p.Lag)
			e.bools(p.LagKnown, p.Copy)
		}
	}
	e.uint(uint64(len(h.Outlets)))
	for _, o := range h.Outlets {
		e.name(o.Outlet)
		e.int(o.Clusters)
		e.int(o.Versions)
		e.int(o.First)
		e.int(o.Sole)
		e.int(o.FromPrimary)
		e.int(o.Secondary)
	}
	e.int(h.Clusters)
	e.int(h.Variants)
}

// encodeHeader is a trace header's record, uncompressed.
func encodeHeader(h traceHeader) []byte {
	e := newTraceEncoder(1 << 12)
	e.header(h)
	return e.buf
}

// encodeClusters is a chunk's record, uncompressed: the clusters one
// after another.
func encodeClusters(cs []data.PropagationCluster) ([]byte, error) {
	e := newTraceEncoder(encodedSize(cs))
	for i := range cs {
		if err := e.cluster(&cs[i]); err != nil {
			return nil, err
		}
	}
	return e.buf, nil
}

// traceDecoder reads a record's values. A value that does not read makes
// every later one zero and err errTraceFile, checked once at the end.
type traceDecoder struct {
	b []byte
	// s is b as a string, which the texts read are slices of.
	s     string
	i     int
	names []string
	err   error
	// left is how many bytes of values the record may still decode to
	// (see decodeRatio).
	left uint64
}

// decodeRatio bounds how many bytes of values a record decodes to, per
// byte of it. A version, the most of a trace, takes 176 bytes in memory
// and 26 at least in a record (5 to 7 times); a record made to be read
// otherwise (a million changes of three bytes each, 40 bytes apiece once
// read) is refused rather than allocated.
const decodeRatio = 12

func newTraceDecoder(b []byte) *traceDecoder {
	return &traceDecoder{b: b, s: string(b), left: decodeRatio*uint64(len(b)) + 1<<16}
}

// Sizes of the values a record decodes to, charged against its budget.
var (
	sizeCluster = reflect.TypeFor[data.PropagationCluster]().Size()
	sizeVariant = reflect.TypeFor[data.Variant]().Size()
	sizeVersion = reflect.TypeFor[data.PropagatedVersion]().Size()
	sizeChange  = reflect.TypeFor[data.TextChange]().Size()
	sizeEdge    = reflect.TypeFor[data.PickupEdge]().Size()
	sizePickup  = reflect.TypeFor[data.Pickup]().Size()
	sizeOutlet  = reflect.TypeFor[data.OutletPropagation]().Size()
	sizeInt     = reflect.TypeFor[int]().Size()
	sizeName    = reflect.TypeFor[string]().Size()
)

// spend charges n bytes of values against the record's budget.
func (d *traceDecoder) spend(n uint64) bool {
	if n > d.left {
		d.fail()
		return false
	}
	d.left -= n
	return true
}

func (d *traceDecoder) fail() {
	d.err = errTraceFile
	d.i = len(d.b)
}

func (d *traceDecoder) more() bool { return d.i < len(d.b) }

func (d *traceDecoder) uint() uint64 {
	v, n := binary.Uvarint(d.b[d.i:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.i += n
	return v
}

func (d *traceDecoder) int64() int64 {
	v, n := binary.Varint(d.b[d.i:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.i += n
	return v
}

// int reads an int; one out of int's range (a file written on a 64-bit
// machine read on a 32-bit one) does not read.
func (d *traceDecoder) int() int {
	v := d.int64()
	if int64(int(v)) != v {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *traceDecoder) dur() time.Duration { return time.Duration(d.int64()) }

func (d *traceDecoder) float() float64 {
	if len(d.b)-d.i < 8 {
		d.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b[d.i:]))
	d.i += 8
	return f
}

func (d *traceDecoder) bools() byte {
	if d.i >= len(d.b) {
		d.fail()
		return 0
	}
	d.i++
	return d.b[d.i-1]
}

func (d *traceDecoder) text() string {
	n := d.uint()
	if n > uint64(len(d.b)-d.i) {
		d.fail()
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

func (d *traceDecoder) name() string {
	n := d.uint()
	switch {
	case d.err != nil:
		return ""
	case n == 0:
		s := d.text()
		// append grows a long list a quarter at a time: its copies
		// together take five times its size.
		if !d.spend(5 * uint64(sizeName)) {
			return ""
		}
		d.names = append(d.names, s)
		return s
	case n > uint64(len(d.names)):
		d.fail()
		return ""
	}
	return d.names[n-1]
}

// count reads how many values of at least least bytes each, and size
// bytes each once read, follow: a count the rest of the record cannot
// hold, or whose values would take more than the record's budget, does
// not read, so that it never sizes a slice.
func (d *traceDecoder) count(least int, size uintptr) int {
	n := d.uint()
	if n > uint64((len(d.b)-d.i)/least) || !d.spend(n*uint64(size)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *traceDecoder) changes() []data.TextChange {
	n := d.count(3, sizeChange)
	if n == 0 {
		return nil
	}
	cs := make([]data.TextChange, n)
	for i := range cs {
		cs[i] = data.TextChange{At: d.int(), Dropped: d.name(), Added: d.name()}
	}
	return cs
}

func (d *traceDecoder) date() data.Date {
	var t data.Date
	t.Year, t.Month, t.Day = d.int(), d.int(), d.int()
	t.Hour, t.Minute, t.Second = d.int(), d.int(), d.int()
	p := d.uint()
	if p > math.MaxUint8 {
		d.fail()
	}
	t.Precision = data.Precision(p)
	t.Zoned = d.bools()&1 != 0
	t.Offset = d.int()
	return t
}

// The fewest bytes a variant, a version, an edge, a pickup and an
// outlet take.
const (
	leastVariant = 1 + 1 + 1 + 3*8 + 1 + 1 + 1 + 1 + 1 + 1
	leastVersion = 1 + 1 + 9 + 3 + 1 + 8 + 1 + 1 + 1
	leastEdge    = 2 + 1 + 8 + 4
	leastPickup  = 3 + 8 + 1 + 1 + 1
	leastOutlet  = 1 + 6
)

func (d *traceDecoder) cluster() data.PropagationCluster {
	if !d.spend(uint64(sizeCluster)) {
		return data.PropagationCluster{}
	}
	c := data.PropagationCluster{ID: d.int64(), Kind: vocab.UnitKind(d.name()), Speaker: d.name(), Root: d.int()}
	if n := d.count(leastVariant, sizeVariant); n > 0 {
		c.Variants = make([]data.Variant, n)
	}
	for i := range c.Variants {
		v := &c.Variants[i]
		v.Text = d.text()
		if n := d.count(1, sizeInt); n > 0 {
			v.Carriers = make([]int, n)
			for k := range v.Carriers {
				v.Carriers[k] = d.int()
			}
		}
		v.Parent = d.int()
		v.Confidence, v.Contained, v.Kept = d.float(), d.float(), d.float()
		v.Shared, v.New = d.changes(), d.changes()
		v.Reverted = d.int()
		v.Order = d.name()
		v.Lag = d.dur()
		f := d.bools()
		v.Unseen, v.LagKnown = f&1 != 0, f&2 != 0
	}
	if n := d.count(leastVersion, sizeVersion); n > 0 {
		c.Versions = make([]data.PropagatedVersion, n)
	}
	for i := range c.Versions {
		v := &c.Versions[i]
		v.Article = d.int64()
		v.Outlet = d.name()
		v.Date = d.date()
		v.Start, v.End, v.Variant = d.int(), d.int(), d.int()
		v.Source = d.int64()
		v.Confidence = d.float()
		v.Order = d.name()
		v.Lag = d.dur()
		f := d.bools()
		v.Primary, v.Pinned, v.Unseen, v.LagKnown = f&1 != 0, f&2 != 0, f&4 != 0, f&8 != 0
	}
	return c
}

func (d *traceDecoder) header() traceHeader {
	var h traceHeader
	if n := d.count(leastEdge, sizeEdge); n > 0 {
		h.Edges = make([]data.PickupEdge, n)
	}
	for i := range h.Edges {
		e := &h.Edges[i]
		e.From, e.To = d.name(), d.name()
		e.Weight = d.int()
		e.Score = d.float()
		e.MedianLag = d.dur()
		e.Lags = d.int()
		e.LagResolution = d.dur()
		if n := d.count(leastPickup, sizePickup); n > 0 {
			e.Pickups = make([]data.Pickup, n)
		}
		for k := range e.Pickups {
			p := &e.Pickups[k]
			p.Cluster, p.From, p.To = d.int64(), d.int64(), d.int64()
			p.Confidence = d.float()
			p.Shared = d.changes()
			p.Lag = d.dur()
			f := d.bools()
			p.LagKnown, p.Copy = f&1 != 0, f&2 != 0
		}
	}
	if n := d.count(leastOutlet, sizeOutlet); n > 0 {
		h.Outlets = make([]data.OutletPropagation, n)
	}
	for i := range h.Outlets {
		o := &h.Outlets[i]
		o.Outlet = d.name()
		o.Clusters, o.Versions, o.First, o.Sole = d.int(), d.int(), d.int(), d.int()
		o.FromPrimary, o.Secondary = d.int(), d.int()
	}
	h.Clusters, h.Variants = d.int(), d.int()
	return h
}

// decodeHeader reads a header's record, which must end where the header
// does.
func decodeHeader(b []byte) (traceHeader, error) {
	d := newTraceDecoder(b)
	h := d.header()
	if d.err == nil && d.more() {
		d.fail()
	}
	return h, d.err
}
