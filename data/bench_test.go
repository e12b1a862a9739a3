package data

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/diffing/difftest"
)

var sentenceEnd = regexp.MustCompile(`[.!?]["”’]?\s+`)

// corpusSentences splits the real corpus into sentences to recombine.
func corpusSentences(tb testing.TB) []string {
	dir := filepath.Join(difftest.CorpusDir(tb), "bradford")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, s := range sentenceEnd.Split(string(b), -1) {
			if s = strings.TrimSpace(s); len(s) > 20 {
				out = append(out, s+".")
			}
		}
	}
	if len(out) < 50 {
		tb.Fatalf("only %d sentences in the corpus", len(out))
	}
	return out
}

// synthArticles builds n distinct articles of 15–40 sentences each from
// the real corpus's sentences, so word statistics match real news.
func synthArticles(tb testing.TB, n int) []Article {
	sents := corpusSentences(tb)
	outlets := []string{"BBC News", "ITV News", "Telegraph & Argus", "Community Care", "The Guardian", "Yorkshire Post"}
	r := rand.New(rand.NewPCG(1, 2))
	arts := make([]Article, n)
	for i := range arts {
		k := 15 + r.IntN(26)
		var b strings.Builder
		for j := range k {
			if j > 0 && j%4 == 0 {
				b.WriteString("\n\n")
			} else if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(sents[r.IntN(len(sents))])
		}
		fmt.Fprintf(&b, " (Ref %d.)", i) // keeps every text unique
		arts[i] = Article{
			Meta:   Meta{Outlet: outlets[r.IntN(len(outlets))], Date: Date{Year: 2020 + r.IntN(4), Month: 1 + r.IntN(12), Precision: PrecisionMonth}, Title: sents[r.IntN(len(sents))]},
			Text:   NormalizeText(b.String()),
			Source: fmt.Sprintf("synth-%d.txt", i),
		}
		arts[i].Words = CountWords(arts[i].Text)
	}
	return arts
}

// BenchmarkImport10k stores 10,000 articles in one batch with FTS indexing.
// Target: at least 2,000 articles/s on a 2-core machine.
func BenchmarkImport10k(b *testing.B) {
	arts := synthArticles(b, 10_000)
	benchImport(b, arts)
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkSearch10k runs typical search-box queries over 10,000 articles
// and reports the 95th percentile latency. Target: p95 under 30 ms.
func BenchmarkSearch10k(b *testing.B) {
	s := tempStore(b)
	if _, err := s.AddArticles(context.Background(), synthArticles(b, 10_000), nil); err != nil {
		b.Fatal(err)
	}
	queries := []string{"Ofsted", "widespread serious failures", `"children's services"`, "inadequ*", "council -trust",
		"Star Hobson murder", "monitoring OR inspection", "1,365", "Haque", "independent trust"}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.Search(context.Background(), queries[i%len(queries)], 50); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		i++
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkList100k loads the library rows of a 100,000-article project,
// what the window does on open and on every sort or filter change.
func BenchmarkList100k(b *testing.B) {
	s := tempStore(b)
	arts := make([]Article, 100_000)
	for i := range arts {
		arts[i] = Article{Meta: Meta{Outlet: fmt.Sprintf("Outlet %d", i%40), Date: Date{Year: 2000 + i%24, Precision: PrecisionYear}, Title: fmt.Sprintf("Title %d", i)},
			Text: fmt.Sprintf("Short body %d.", i), Words: 3}
	}
	if _, err := s.AddArticles(context.Background(), arts, nil); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rows, err := s.ListArticles(context.Background(), ListQuery{Sort: SortDate, Desc: true})
		if err != nil || len(rows) != len(arts) {
			b.Fatal(len(rows), err)
		}
	}
}

// BenchmarkLoadExport10k reads the export snapshot of a 10,000-article
// project with annotations on a tenth of its articles: what every export
// waits for before it writes a byte.
func BenchmarkLoadExport10k(b *testing.B) {
	s := tempStore(b)
	ctx := context.Background()
	res, err := s.AddArticles(ctx, synthArticles(b, 10_000), nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(res); i += 10 {
		if _, _, err := s.CreateAnnotationWithCodes(ctx, Annotation{ArticleID: res[i].ID, Start: 0, End: 20, Note: "n"}, []string{"Findings/Severity"}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		d, err := s.LoadExport(ctx, ExportScope{}, "bench")
		if err != nil || len(d.Articles) != len(res) {
			b.Fatal(len(d.Articles), err)
		}
	}
}

// BenchmarkOpen10k opens (and closes) a 10,000-article project: the
// quick_check every open runs is most of it.
func BenchmarkOpen10k(b *testing.B) {
	s := tempStore(b)
	if _, err := s.AddArticles(context.Background(), synthArticles(b, 10_000), nil); err != nil {
		b.Fatal(err)
	}
	path := s.Path()
	s.Close()
	for b.Loop() {
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkImportCopiesNewestFirst imports 600 copies of one story in
// one batch, newest first (as a date-sorted export lists them) and oldest
// first: each article of the newest-first batch is published before the
// family's original so far and becomes its original (see adopt). The two
// orders should cost about the same.
func BenchmarkImportCopiesNewestFirst(b *testing.B) {
	body := wireSentences(1, 40, "wire")
	for _, newestFirst := range []bool{true, false} {
		const n = 600
		arts := make([]Article, n)
		for i := range arts {
			m := i
			if newestFirst {
				m = n - i
			}
			d := fmt.Sprintf("2018-04-%02dT%02d:%02d:00Z", 1+m/1440, (m/60)%24, m%60)
			arts[i] = Article{Meta: Meta{Outlet: fmt.Sprint("Outlet ", i), Date: MustParseDate(d)},
				Text: fmt.Sprintf("Headline %d.\n\n", i) + body, Source: fmt.Sprintf("/x/%d.txt", i)}
		}
		b.Run(fmt.Sprint("newest first ", newestFirst), func(b *testing.B) { benchImport(b, arts) })
	}
}

// benchImport times importing arts in one batch into a new project.
func benchImport(b *testing.B, arts []Article) {
	for b.Loop() {
		b.StopTimer()
		s := tempStore(b)
		b.StartTimer()
		if _, err := s.AddArticles(context.Background(), arts, nil); err != nil {
			b.Fatal(err)
		}
	}
}
