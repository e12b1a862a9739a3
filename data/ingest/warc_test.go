package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data/ingest/ingesttest"
)

// archiveRecords are what a crawl of a news site holds: article pages
// (one sent chunked and gzipped, as servers do), the home page, a tag
// page, an image, a 404, a redirect, a repeat capture and the requests.
func archiveRecords(arts []ingesttest.Article) []ingesttest.Record {
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	var recs []ingesttest.Record
	add := func(r ingesttest.Record) {
		r.Date = at
		at = at.Add(time.Minute)
		recs = append(recs, r)
	}
	add(ingesttest.Record{Type: "request", URI: "https://news.example/"})
	add(ingesttest.Record{Type: "response", URI: "https://news.example/", Status: 200, ContentType: "text/html; charset=utf-8", Body: ingesttest.HomeHTML(arts)})
	for i, a := range arts {
		enc := ""
		if i == 1 {
			enc = "chunked+gzip"
		}
		add(ingesttest.Record{Type: "request", URI: a.URL})
		add(ingesttest.Record{Type: "response", URI: a.URL, Status: 200, ContentType: "text/html; charset=utf-8", Body: ingesttest.ArticleHTML(a), Encoding: enc})
	}
	add(ingesttest.Record{Type: "response", URI: "https://news.example/tag/politics", Status: 200, ContentType: "text/html", Body: ingesttest.HomeHTML(arts)})
	add(ingesttest.Record{Type: "response", URI: "https://news.example/img/photo.jpg", Status: 200, ContentType: "image/jpeg", Body: "\xff\xd8\xff\xe0 not really a jpeg"})
	add(ingesttest.Record{Type: "response", URI: "https://news.example/missing", Status: 404, ContentType: "text/html", Body: "<html><body><h1>Not found</h1></body></html>"})
	add(ingesttest.Record{Type: "revisit", URI: arts[0].URL, Status: 200, ContentType: "text/html"})
	add(ingesttest.Record{Type: "metadata", URI: arts[0].URL, Body: "outlink: https://news.example/\r\n"})
	return recs
}

// warcArticles are the articles the archive fixtures hold, with the URLs
// and dates a site gives them.
func warcArticles(t *testing.T) []ingesttest.Article {
	arts := ingesttest.CorpusArticles(t, 5)
	for i := range arts {
		arts[i].URL = "https://news.example/2023/story-number-" + string(rune('a'+i)) + "-about-the-news"
		arts[i].Author = "Staff Reporter"
	}
	return arts
}

func TestImportWARCCorpus(t *testing.T) {
	arts := warcArticles(t)
	warc := ingesttest.WARC(archiveRecords(arts), false)
	gz := ingesttest.WARC(archiveRecords(arts), true)
	for _, f := range []struct {
		name string
		b    []byte
	}{{"crawl.warc", warc}, {"crawl.warc.gz", gz}, {"crawl.WACZ", ingesttest.WACZ(gz)}} {
		t.Run(f.name, func(t *testing.T) {
			p := writeFixture(t, f.name, f.b)
			im := &Importer{}
			got, errs := readAll(t, im, p)
			if len(errs) > 0 || len(got) != len(arts) {
				t.Fatalf("%d articles (want %d), errors %q", len(got), len(arts), errs)
			}
			for i, a := range inOrder(got) {
				want := arts[i]
				want.Author = "" // readability takes it from the byline only when it trusts it
				checkArticle(t, a.Source, a, want)
				if a.URL != arts[i].URL {
					t.Errorf("%s: URL %q, want %q", a.Source, a.URL, arts[i].URL)
				}
				if a.Attributes["archived_url"] != arts[i].URL || !strings.HasPrefix(a.Attributes["archived"], "2024-03-01T12:") {
					t.Errorf("%s: attributes %v", a.Source, a.Attributes)
				}
			}
			if len(im.Skipped) != 1 {
				t.Fatalf("skipped: %+v", im.Skipped)
			}
			s := im.Skipped[0]
			want := map[string]int{skipIndexPage: 2, skipNotHTML: 1, "HTTP 404": 1, skipRevisit: 1}
			if s.Path != p || s.Total() != 5 || len(s.Why) != len(want) {
				t.Errorf("skipped %+v, want %v", s, want)
			}
			for k, n := range want {
				if s.Why[k] != n {
					t.Errorf("skipped %q: %d, want %d", k, s.Why[k], n)
				}
			}
		})
	}
}

// TestImportWARCTruncated: a record cut short at the end of the file is
// one error naming it, and the records before it are imported.
func TestImportWARCTruncatedCorpus(t *testing.T) {
	arts := warcArticles(t)
	recs := archiveRecords(arts)[:6] // home page and the first two articles
	last := recs[len(recs)-1]
	last.Truncate = 900
	recs[len(recs)-1] = last
	for _, gz := range []bool{false, true} {
		name := "cut.warc"
		if gz {
			name += ".gz"
		}
		p := writeFixture(t, name, ingesttest.WARC(recs, gz))
		got, errs := readAll(t, &Importer{}, p)
		if len(got) != 1 || len(errs) != 1 {
			t.Fatalf("%s: %d articles, errors %q; want the first article and one error", name, len(got), errs)
		}
		wantErr(t, errs, p+"#", "cut short")
		checkArticle(t, name, inOrder(got)[0], ingesttest.Article{Title: arts[0].Title, Paras: arts[0].Paras})
	}
}

func TestImportWARCNotAnArchive(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty.warc":      nil,
		"text.warc":       []byte("this is not a web archive\n"),
		"zip.wacz":        []byte("PK\x03\x04 broken"),
		"nowarcs.wacz":    ingesttest.Zip(map[string]string{"datapackage.json": "{}"}),
		"garbage.warc.gz": {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3},
	} {
		p := writeFixture(t, name, b)
		got, errs := readAll(t, &Importer{}, p)
		if len(got) != 0 || len(errs) != 1 {
			t.Errorf("%s: %d articles, errors %q; want one error", name, len(got), errs)
			continue
		}
		wantErr(t, errs, p+": ")
	}
}

func TestIndexPage(t *testing.T) {
	for u, want := range map[string]bool{
		"https://news.example/":                                                          true,
		"https://news.example/index.html":                                                true,
		"https://news.example/tag/politics":                                              true,
		"https://news.example/section/world/":                                            true,
		"https://news.example/author/jane-doe":                                           true,
		"https://news.example/2023/01/31/council-rated-inadequate-again":                 false,
		"https://news.example/news/uk-england-leeds-64466219":                            false,
		"https://news.example/section/world/council-cedes-control-of-childrens-services": false,
	} {
		if got := indexPage(u); got != want {
			t.Errorf("indexPage(%q) = %v, want %v", u, got, want)
		}
	}
}

func FuzzReadWARC(f *testing.F) {
	arts := []ingesttest.Article{{Title: "T", Outlet: "O", Date: "2023-01-31", URL: "https://x.example/a-b-c-d", Paras: []string{strings.Repeat("word ", 100)}}}
	f.Add(ingesttest.WARC(archiveRecords(arts)[:4], false))
	f.Add(ingesttest.WARC(archiveRecords(arts)[:4], true))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := &warcSink{name: "f.warc", source: "/f.warc", yield: func(it Item) bool {
			if it.Err != nil && !strings.HasPrefix(it.Err.Error(), "f.warc") {
				t.Fatalf("error %q does not name the file", it.Err)
			}
			return true
		}}
		_ = readWARCFile(context.Background(), bytes.NewReader(b), s)
	})
}

// TestImportWARCCancel: cancelling while an archive is read stops at the
// next record and returns nothing of it.
func TestImportWARCCancelCorpus(t *testing.T) {
	p := writeFixture(t, "crawl.warc.gz", ingesttest.WARC(archiveRecords(warcArticles(t)), true))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	records := 0
	im := &Importer{FileProgress: func(_ string, read, size int64, _ int) {
		records++
		if read <= 0 || read > size {
			t.Errorf("progress %d of %d", read, size)
		}
		if records == 4 {
			cancel()
		}
	}}
	items, err := im.Read(ctx, []string{p}, nil)
	if !errors.Is(err, context.Canceled) || len(items) != 0 || records != 4 {
		t.Errorf("%d items, error %v after %d records; want none, context.Canceled, 4", len(items), err, records)
	}
}

// TestReadWARCStreams reads a 150 MB archive made on the fly (150 records
// of 1 MB) and checks that the live heap, sampled while each record is
// still open, never grows by much more than a record: a 2 GB archive is
// read the same way.
func TestReadWARCStreams(t *testing.T) {
	one := ingesttest.WARC([]ingesttest.Record{{Type: "response", URI: "https://news.example/img/big.jpg",
		Date: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC), Status: 200, ContentType: "image/jpeg", Body: strings.Repeat("\xff", 1<<20)}}, false)
	readers := make([]io.Reader, 150)
	for i := range readers {
		readers[i] = bytes.NewReader(one)
	}
	// Live heap, after a collection, over what the test process held
	// before: garbage and other tests' leftovers do not count.
	live := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := live()
	var peak uint64
	s := &warcSink{name: "big.warc", source: "/big.warc", yield: func(it Item) bool {
		t.Errorf("unexpected item %v", it.Err)
		return true
	}}
	s.progress = func(int64, int) {
		if h := live(); h > base {
			peak = max(peak, h-base)
		}
	}
	if err := readWARCFile(context.Background(), io.MultiReader(readers...), s); err != nil {
		t.Fatal(err)
	}
	// 150 archives in a row, each a warcinfo and an image (skipped as not HTML).
	if s.skip.Why[skipNotHTML] != 150 {
		t.Errorf("skipped %v", s.skip.Why)
	}
	t.Logf("live heap grew by at most %d kB", peak>>10)
	if peak > 32<<20 {
		t.Errorf("live heap grew by %d MB reading a 150 MB archive", peak>>20)
	}
}

// TestImportWARCPageTooManyPartsCorpus: a page past the HTML importer's cap on
// elements is one error naming its record, and the other pages of the
// archive are imported.
func TestImportWARCPageTooManyPartsCorpus(t *testing.T) {
	arts := warcArticles(t)[:2]
	recs := archiveRecords(arts)
	huge := "<html><body><p>" + arts[0].Paras[0] + "</p>" + strings.Repeat("<p></p>", maxHTMLParts) + "</body></html>"
	recs = append(recs, ingesttest.Record{Type: "response", URI: "https://news.example/2023/huge-page", Status: 200,
		ContentType: "text/html", Body: huge, Date: time.Date(2024, 3, 1, 13, 0, 0, 0, time.UTC)})
	p := writeFixture(t, "huge.warc", ingesttest.WARC(recs, false))
	got, errs := readAll(t, &Importer{}, p)
	if len(got) != len(arts) || len(errs) != 1 {
		t.Fatalf("%d articles, errors %q; want %d articles and one error", len(got), errs, len(arts))
	}
	wantErr(t, errs, p+"#", "(https://news.example/2023/huge-page): the page has more than 250000 elements")
}
