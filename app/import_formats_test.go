package app

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest"
	"github.com/parallax-research/parallax/data/ingest/ingesttest"
	"github.com/parallax-research/parallax/data/storetest"
)

func writeFixture(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportHostileFiles: each hostile file is one error that names it,
// and the project is exactly as it was.
func TestImportHostileFiles(t *testing.T) {
	syn := ingesttest.Synthetic(t)
	truncated := ingesttest.WARC([]ingesttest.Record{{Type: "response", URI: syn[0].URL, Date: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC),
		Status: 200, ContentType: "text/html", Body: ingesttest.ArticleHTML(syn[0]), Truncate: 700}}, true)
	for _, h := range []struct {
		name string
		b    []byte
		want string
	}{
		{"encrypted.pdf", ingesttest.PDF(syn, ingesttest.PDFOptions{UserPassword: "secret"}), "password"},
		{"scan.pdf", ingesttest.ScanPDF(2), "scan"},
		{"bomb.docx", ingesttest.ZipBomb(64 << 20), "zip bomb"},
		{"truncated.warc.gz", truncated, "cut short"},
		{"cut-export.docx", ingesttest.DOCX(ingesttest.Lines(ingesttest.NexisUniLines(syn, 0)), ingesttest.Props{}), "End of Document"},
	} {
		t.Run(h.name, func(t *testing.T) {
			store := storetest.Open(t)
			ctx := context.Background()
			before := writeFixture(t, "before.docx", ingesttest.DOCX(ingesttest.ArticleParas(syn[1]), ingesttest.Props{Title: syn[1].Title}))
			if rep, err := RunImport(ctx, store, &ingest.Importer{}, []string{before}, nil); err != nil || rep.Summary() != "Imported 1 article." {
				t.Fatalf("setting up: %v %q", err, rep.Summary())
			}
			snapshot := func() (data.Stats, []data.Summary) {
				st, err := store.Stats(ctx)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := store.ListArticles(ctx, data.ListQuery{})
				if err != nil {
					t.Fatal(err)
				}
				return st, rows
			}
			st0, rows0 := snapshot()

			p := writeFixture(t, h.name, h.b)
			rep, err := RunImport(ctx, store, &ingest.Importer{}, []string{p}, nil)
			if err != nil {
				t.Fatal(err)
			}
			added, dups, failed := rep.Counts()
			if added != 0 || dups != 0 || failed != 1 || len(rep.Outcomes) != 1 {
				t.Fatalf("%s: %d added, %d duplicates, %d failed; want one failure", h.name, added, dups, failed)
			}
			msg := rep.Outcomes[0].Err.Error()
			if !strings.HasPrefix(msg, p) || !strings.Contains(msg, h.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line starting with the file and saying %q", msg, h.want)
			}
			st1, rows1 := snapshot()
			if st0 != st1 || !reflect.DeepEqual(rows0, rows1) {
				t.Errorf("the project changed: %+v -> %+v", st0, st1)
			}
		})
	}
}

// TestImportCommandFormats runs `parallax import` on a Factiva export, a
// Word file and a web archive together.
func TestImportCommandFormats(t *testing.T) {
	syn := ingesttest.Synthetic(t)
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("factiva.rtf", ingesttest.FactivaRTF(syn))
	write("story.docx", ingesttest.DOCX(ingesttest.ArticleParas(syn[0]), ingesttest.Props{Title: syn[0].Title}))
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	write("crawl.warc.gz", ingesttest.WARC([]ingesttest.Record{
		{Type: "response", URI: "https://news.example/", Date: at, Status: 200, ContentType: "text/html", Body: ingesttest.HomeHTML(syn)},
		{Type: "response", URI: syn[1].URL + "-x", Date: at, Status: 200, ContentType: "text/html", Body: ingesttest.ArticleHTML(syn[1])},
	}, true))
	project := filepath.Join(t.TempDir(), "p.parallax")
	out, errOut, code := run(t, "import", "--project", project, dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	// Factiva's two, the Word file (the same text as the first but from
	// another source: a copy, issue 10's rule), the archived page (the
	// second again: a duplicate).
	for _, want := range []string{"Imported 3 articles; 1 already in the project; 1 archived page skipped (not articles).",
		"story.docx: article 3, same text as article 2",
		"crawl.warc.gz: 1 archived page skipped as not articles (1 home, tag or section page)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestDialogExtensions: the file dialog offers every format, .warc.gz by
// its last extension since that is all Fyne's filter compares.
func TestDialogExtensions(t *testing.T) {
	got := dialogExtensions()
	for _, want := range []string{".txt", ".html", ".jsonl", ".pdf", ".docx", ".rtf", ".warc", ".gz", ".wacz"} {
		if !slices.Contains(got, want) {
			t.Errorf("dialog filter %v lacks %s", got, want)
		}
	}
	if slices.Contains(got, ".warc.gz") {
		t.Errorf("dialog filter %v holds .warc.gz, which Fyne never matches", got)
	}
}
