package diffing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// synthCorpus builds n articles from the real corpus: findings are its
// sentences, quotes are its quoted sentences, reused across articles and
// edited the ways outlets edit them (trimmed, elided, reworded, turned into
// reported speech, figures changed).
func synthCorpus(tb testing.TB, n int) []string {
	var findings, quotes []string
	for i, text := range bradford(tb) {
		an := Analyze(int64(i), text)
		for _, u := range an.Units {
			if u.Kind == vocab.UnitQuote {
				quotes = append(quotes, u.Text)
			} else {
				findings = append(findings, u.Text)
			}
		}
	}
	speakers := []string{"Marium Haque", "Susan Hinchcliffe", "Ofsted", "the report", "Steve Walker", "a council spokesperson"}
	swaps := map[string]string{"children": "youngsters", "council": "authority", "serious": "grave", "failures": "failings", "improvement": "progress"}
	r := rand.New(rand.NewPCG(7, uint64(n)))
	words := func(s string) []string { return strings.Fields(s) }
	mutate := func(s string) string {
		w := words(s)
		switch r.IntN(10) {
		case 0, 1: // fragment
			if len(w) > 8 {
				a := r.IntN(len(w) - 6)
				return strings.Join(w[a:a+4+r.IntN(3)], " ")
			}
		case 2: // elision
			if len(w) > 8 {
				a := 2 + r.IntN(len(w)-6)
				return strings.Join(w[:a], " ") + "... " + strings.Join(w[a+2:], " ")
			}
		case 3: // rewording
			for i, x := range w {
				if y, ok := swaps[x]; ok {
					w[i] = y
					return strings.Join(w, " ")
				}
			}
		case 4: // figures
			return strings.NewReplacer("seven", "eight", "1,365", "1,420", "368", "386", "2018", "2019").Replace(s)
		}
		return s
	}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for j := range 12 + r.IntN(14) {
			if j > 0 {
				b.WriteString("\n\n")
			}
			if r.IntN(4) == 0 {
				q := mutate(quotes[r.IntN(len(quotes))])
				who := speakers[r.IntN(len(speakers))]
				switch r.IntN(3) {
				case 0:
					fmt.Fprintf(&b, "%s said: \"%s\"", who, q)
				case 1:
					fmt.Fprintf(&b, "\"%s,\" %s said.", strings.TrimRight(q, "."), who)
				default: // reported speech
					fmt.Fprintf(&b, "%s said that %s", who, strings.ToLower(q[:1])+q[1:])
				}
			} else {
				b.WriteString(mutate(findings[r.IntN(len(findings))]))
			}
		}
		out[i] = b.String()
	}
	return out
}

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

// BenchmarkAnalyze runs extraction and alignment over generated corpora of
// growing size. Targets: near-linear growth (16,000 articles within 20× the
// time of 1,000), 16,000 under 60 s on 2 cores, peak memory under 1.5 GB.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			texts := synthCorpus(b, n)
			runtime.GC()
			var clusters int
			for b.Loop() {
				_, cs := analyzeAndAlign(b, texts)
				clusters = len(cs)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
			b.ReportMetric(float64(clusters), "clusters")
		})
	}
}

// BenchmarkClassifyPassage is one member's classification against its
// reference, the diff Align runs per distinct version.
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
