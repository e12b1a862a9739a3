package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// benchTrace is a trace shaped like a month of coverage's: clusters of
// 44 versions in 6 wordings on average (what 16,000 generated articles
// give: 11,508 clusters, 503,575 versions, 72,960 wordings), among 40
// outlets, here n clusters of them.
func benchTrace(n int) *data.Propagation {
	r := rand.New(rand.NewPCG(1, 2))
	outlets := make([]string, 40)
	for i := range outlets {
		outlets[i] = fmt.Sprintf("Outlet %02d", i)
	}
	words := []string{"the", "inspectors", "found", "widespread", "and", "serious", "failures", "across", "all", "service", "areas", "in", "city", "council", "said"}
	text := func() string {
		var b bytes.Buffer
		for range 20 + r.IntN(20) {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	p := &data.Propagation{}
	for id := range n {
		c := data.PropagationCluster{ID: int64(id + 1), Kind: "quote", Speaker: "Ofsted", Root: 0}
		nv := 2 + r.IntN(84)
		nw := min(nv, 1+r.IntN(11))
		for v := range nw {
			c.Variants = append(c.Variants, data.Variant{Text: text(), Parent: v - 1, Confidence: r.Float64(), Contained: r.Float64(), Kept: r.Float64(),
				Shared: []data.TextChange{{At: r.IntN(30), Dropped: "in the city"}}, New: []data.TextChange{{At: r.IntN(30), Added: "it said"}},
				Order: "before", Lag: time.Duration(r.IntN(1e6)) * time.Second, LagKnown: true})
		}
		for k := range nv {
			v := k % nw
			c.Variants[v].Carriers = append(c.Variants[v].Carriers, k)
			c.Versions = append(c.Versions, data.PropagatedVersion{Article: int64(r.IntN(16000) + 1), Outlet: outlets[r.IntN(len(outlets))],
				Date: data.Date{Year: 2023, Month: 1 + r.IntN(12), Day: 1 + r.IntN(28), Precision: data.PrecisionDay}, Start: r.IntN(5000), End: 5000 + r.IntN(200),
				Variant: v, Source: int64(r.IntN(16000) + 1), Confidence: r.Float64(), Order: "before", Lag: time.Hour, LagKnown: true})
		}
		p.Clusters = append(p.Clusters, c)
	}
	for i := range 1500 {
		e := data.PickupEdge{From: outlets[i%40], To: outlets[(i/40)%40], Weight: 1 + r.IntN(300), Score: r.Float64() * 100}
		for range e.Weight {
			e.Pickups = append(e.Pickups, data.Pickup{Cluster: int64(r.IntN(n) + 1), From: 1, To: 2, Confidence: r.Float64()})
		}
		p.Edges = append(p.Edges, e)
	}
	for _, o := range outlets {
		p.Outlets = append(p.Outlets, data.OutletPropagation{Outlet: o, Clusters: r.IntN(n), Versions: r.IntN(10 * n)})
	}
	return p
}

// BenchmarkKeepTrace encodes a trace of 11,508 clusters (the size of
// 16,000 generated articles') as a kept trace: what the first trace after
// an analysis pays on top of tracing.
func BenchmarkKeepTrace(b *testing.B) {
	p := benchTrace(11_508)
	var n int64
	for b.Loop() {
		w := &countWriter{}
		if err := encodeTrace(w, p, "k"); err != nil {
			b.Fatal(err)
		}
		n = w.n
	}
	b.ReportMetric(float64(n)/(1<<20), "MiB")
}

// BenchmarkReadKeptTrace reads that trace back: what every later call
// pays instead of tracing.
func BenchmarkReadKeptTrace(b *testing.B) {
	p := benchTrace(11_508)
	var buf bytes.Buffer
	if err := encodeTrace(&buf, p, "k"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		got, err := decodeTrace(context.Background(), buf.Bytes(), "k")
		if err != nil || len(got.Clusters) != len(p.Clusters) {
			b.Fatal(err)
		}
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)

// BenchmarkWritePropagationText prints that trace as `propagation` does:
// what a call reading the kept trace spends after reading it.
func BenchmarkWritePropagationText(b *testing.B) {
	p := benchTrace(11_508)
	for b.Loop() {
		w := &countWriter{}
		writePropagationText(w, p)
	}
}

// BenchmarkWritePropagationJSON prints that trace, its variants' diffs
// worked out beforehand, as `propagation --json` does.
func BenchmarkWritePropagationJSON(b *testing.B) {
	p := benchTrace(11_508)
	addVariantDiffs(p.Clusters)
	var n int64
	for b.Loop() {
		w := &countWriter{}
		if err := writePropagationJSON(w, p); err != nil {
			b.Fatal(err)
		}
		n = w.n
	}
	b.ReportMetric(float64(n)/(1<<20), "MiB")
}

// BenchmarkVariantDiffs works out the diffs of that trace's variants
// from their parents, which `propagation --json` prints.
func BenchmarkVariantDiffs(b *testing.B) {
	p := benchTrace(11_508)
	for b.Loop() {
		addVariantDiffs(p.Clusters)
	}
}
