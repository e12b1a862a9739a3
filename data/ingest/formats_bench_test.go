package ingest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data/ingest/ingesttest"
)

// The benchmarks read each format from a file made of the real corpus's
// articles (40 per file, the corpus repeated), reporting articles/s, and
// pages/s for PDF. The README's performance section quotes them.

func benchArticles(b *testing.B) []ingesttest.Article {
	base := ingesttest.CorpusArticles(b, 50)
	var arts []ingesttest.Article
	for len(arts) < 40 {
		arts = append(arts, base...)
	}
	return arts[:40]
}

// benchRead imports path b.N times and reports articles per second.
func benchRead(b *testing.B, path string, want int) {
	b.Helper()
	im := &Importer{}
	n := 0
	start := time.Now()
	for b.Loop() {
		items, err := im.Read(context.Background(), []string{path}, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range items {
			if it.Err != nil {
				b.Fatal(it.Err)
			}
		}
		if len(items) != want {
			b.Fatalf("%d items, want %d", len(items), want)
		}
		n += len(items)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "articles/s")
}

func BenchmarkImportDOCX(b *testing.B) {
	arts := benchArticles(b)
	benchRead(b, writeFixture(b, "nexis.docx", ingesttest.DOCX(ingesttest.Lines(ingesttest.NexisUniLines(arts, -1)), ingesttest.Props{})), len(arts))
}

func BenchmarkImportRTF(b *testing.B) {
	arts := benchArticles(b)
	benchRead(b, writeFixture(b, "factiva.rtf", ingesttest.FactivaRTF(arts)), len(arts))
}

func BenchmarkImportFactivaHTML(b *testing.B) {
	arts := benchArticles(b)
	benchRead(b, writeFixture(b, "factiva.html", ingesttest.FactivaHTML(arts)), len(arts))
}

func BenchmarkImportNexisPDF(b *testing.B) {
	arts := benchArticles(b)
	benchRead(b, writeFixture(b, "nexis.pdf", ingesttest.PDFLines(ingesttest.NexisUniLines(arts, -1), ingesttest.PDFOptions{PageNumbers: true})), len(arts))
}

// BenchmarkImportPDF reads a two-column, hyphenated newspaper layout of
// the corpus (one article, about a hundred pages) and reports pages/s.
func BenchmarkImportPDF(b *testing.B) {
	arts := benchArticles(b)
	p := writeFixture(b, "paper.pdf", ingesttest.PDF(arts, ingesttest.PDFOptions{Columns: 2, Header: "The Daily Example", PageNumbers: true, Hyphenate: true}))
	pages := 0
	im := &Importer{FileProgress: func(_ string, _, _ int64, _ int) { pages++ }}
	start := time.Now()
	for b.Loop() {
		if _, err := im.Read(context.Background(), []string{p}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(pages)/time.Since(start).Seconds(), "pages/s")
}

func BenchmarkImportWARC(b *testing.B) {
	arts := benchArticles(b)
	for i := range arts {
		arts[i].URL = fmt.Sprintf("https://news.example/2023/story-number-%d-about-the-news", i)
	}
	benchRead(b, writeFixture(b, "crawl.warc.gz", ingesttest.WARC(archiveRecords(arts), true)), len(arts))
}
