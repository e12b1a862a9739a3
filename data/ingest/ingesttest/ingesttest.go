// Package ingesttest writes the files the ingest tests read: Word, RTF and
// PDF documents, news-database exports in the Nexis Uni, nexis.com and
// Factiva layouts, and web archives, all made at test time from article
// text (the real corpus, which must not be committed, or synthetic text).
// It is imported only by tests.
package ingesttest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/diffing/difftest"
)

// Article is one article to write into a fixture.
type Article struct {
	Title, Outlet, Author, URL string
	Date                       string // YYYY-MM-DD
	Paras                      []string
}

// Body is the article's text as Parallax should store it: paragraphs
// separated by blank lines.
func (a Article) Body() string { return strings.Join(a.Paras, "\n\n") }

// CorpusArticles returns the real corpus's articles with full dates (the
// Bradford set and the NewsWCL50 set), at most n of them, skipping the
// test when the corpus is not beside the checkout. Paragraphs are the
// files' non-empty lines; a NewsWCL50 file's first line is its headline.
func CorpusArticles(tb testing.TB, n int) []Article {
	tb.Helper()
	dir := difftest.CorpusDir(tb)
	var out []Article
	for _, set := range []string{"bradford", "newswcl50"} {
		f, err := os.Open(filepath.Join(dir, set, "manifest.csv"))
		if err != nil {
			tb.Fatalf("corpus manifest: %v", err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			tb.Fatalf("corpus manifest: %v", err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, r := range rows[1:] {
			date := r[col["date"]]
			if len(date) != 10 {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, set, r[col["file"]]))
			if err != nil {
				tb.Fatalf("corpus: %v", err)
			}
			var paras []string
			for _, l := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
				if l = strings.Join(strings.Fields(l), " "); l != "" && !strings.HasPrefix(l, "date ") {
					paras = append(paras, l)
				}
			}
			a := Article{Outlet: r[col["outlet"]], Date: date, Paras: paras}
			if i, ok := col["title"]; ok {
				a.Title = r[i]
			} else {
				a.Title, a.Paras = paras[0], paras[1:]
			}
			if i, ok := col["url"]; ok {
				a.URL = r[i]
			}
			out = append(out, a)
			if len(out) == n {
				return out
			}
		}
	}
	return out
}

// Synthetic returns the made-up articles in synthetic/, for fixtures that
// are committed (testdata/pdf is made from them by make-pdf-fixtures.sh).
// Each file has "key: value" lines (title, outlet, author, date, url),
// a blank line, then one paragraph per line.
func Synthetic(tb testing.TB) []Article {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(here), "synthetic", "*.txt"))
	if len(files) == 0 {
		tb.Fatal("no synthetic articles beside ingesttest.go")
	}
	var out []Article
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		head, body, _ := strings.Cut(string(b), "\n\n")
		var a Article
		for _, l := range strings.Split(head, "\n") {
			k, v, _ := strings.Cut(l, ": ")
			switch k {
			case "title":
				a.Title = v
			case "outlet":
				a.Outlet = v
			case "author":
				a.Author = v
			case "date":
				a.Date = v
			case "url":
				a.URL = v
			}
		}
		for _, l := range strings.Split(body, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				a.Paras = append(a.Paras, l)
			}
		}
		out = append(out, a)
	}
	return out
}
