package diffing

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/diffing/vocab"
)

func analyzeAndAlign(tb testing.TB, texts []string) ([]Unit, []Cluster) {
	ctx := context.Background()
	per := make([][]Unit, len(texts))
	if err := parallel(ctx, len(texts), runtime.GOMAXPROCS(0), func(i int) { per[i] = Analyze(int64(i), texts[i]).Units }); err != nil {
		tb.Fatal(err)
	}
	var units []Unit
	for _, us := range per {
		units = append(units, us...)
	}
	clusters, err := Align(ctx, units, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return units, clusters
}

// BenchmarkAnalyze runs extraction and alignment over corpora shaped like
// months of coverage of one topic (poolCorpus, the Go port of
// shared/tools/gencorpus.py: every story draws its sentences from one
// shared pool, edited as outlets edit them), the input on which union-find
// alignment chained everything into one cluster. It reports the largest
// cluster's share of the passages and the bytes allocated per corpus
// byte. Targets: 16,000 articles in under 15 s on 2 cores; the largest
// cluster under 1% of the passages.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			arts := poolCorpus(b, n, 1)
			texts := make([]string, len(arts))
			size := 0
			for i, a := range arts {
				texts[i] = a.Text
				size += len(a.Text)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var clusters, largest, units int
			for b.Loop() {
				us, cs := analyzeAndAlign(b, texts)
				clusters, units, largest = len(cs), len(us), 0
				for _, c := range cs {
					largest = max(largest, len(c.Members))
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.Sys)/(1<<20), "sys-MiB")
			b.ReportMetric(float64(clusters), "clusters")
			b.ReportMetric(100*float64(largest)/float64(max(units, 1)), "largest-%")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(size), "alloc-B/B")
		})
	}
}

func BenchmarkClassifyPassage(b *testing.B) {
	ref := Unit{Kind: vocab.UnitQuote, Text: "Corporate leaders continue to lack understanding of the scale of improvement required and what actions, time and resources are needed to make improvements happen."}
	m := Unit{Kind: vocab.UnitFinding, Text: "The report also found that leaders at the council continued to lack understanding of the scale of improvement required and what actions and resources were needed."}
	for b.Loop() {
		classify(ref, m)
	}
}

// BenchmarkAlignGenerated times each stage of Align over the made-up
// corpus TestAlignCancel interrupts while matching, to check that matching
// still takes several times that test's promptness bound.
func BenchmarkAlignGenerated(b *testing.B) {
	units := generatedUnits(1000, 12, 120, 160)
	stages := map[string]time.Duration{}
	for b.Loop() {
		last := time.Now()
		_, err := Align(context.Background(), units, Options{Progress: func(s string, _, _ int) {
			stages[s] += time.Since(last)
			last = time.Now()
		}})
		if err != nil {
			b.Fatal(err)
		}
	}
	for s, d := range stages {
		b.ReportMetric(d.Seconds()/float64(b.N), strings.ToLower(strings.Fields(s)[0])+"-s/op")
	}
}
