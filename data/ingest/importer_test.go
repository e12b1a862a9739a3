package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest/ingesttest"
	"github.com/parallax-research/parallax/diffing/difftest"
)

// readAll runs an Importer and splits its items into articles by Source
// and error messages.
func readAll(t *testing.T, im *Importer, paths ...string) (map[string]data.Article, []string) {
	t.Helper()
	items, err := im.Read(context.Background(), paths, nil)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	arts := map[string]data.Article{}
	var errs []string
	for _, it := range items {
		if it.Err != nil {
			msg := it.Err.Error()
			if !strings.HasPrefix(msg, it.Path) || it.Path == "" {
				t.Errorf("error %q does not start with its item's path %q", msg, it.Path)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q is not one line", msg)
			}
			errs = append(errs, msg)
			continue
		}
		a := it.Article
		if _, dup := arts[a.Source]; dup {
			t.Errorf("two articles with source %q", a.Source)
		}
		if a.ID != 0 || a.Text != data.NormalizeText(a.Text) || a.Words != data.CountWords(a.Text) || strings.Contains(a.Text, "\r") {
			t.Errorf("article %q: ID %d, words %d; text not normalised or miscounted", a.Source, a.ID, a.Words)
		}
		arts[a.Source] = a
	}
	return arts, errs
}

// wantErr checks that one of errs contains every one of parts.
func wantErr(t *testing.T, errs []string, parts ...string) {
	t.Helper()
	for _, e := range errs {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(e, p)
		}
		if ok {
			return
		}
	}
	t.Errorf("no error containing %q in:\n%s", parts, strings.Join(errs, "\n"))
}

func TestImporterPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, filepath.Join(dir, "a.txt"),
		"Title: In-file title\nOutlet: In-file outlet\nDate: 2020-01-01\nAuthor: In-file author\nSection: Politics\n\nBody text.\r\n")
	writeFile(t, filepath.Join(dir, "manifest.csv"),
		"file,outlet,date,title,notes,section\na.txt,Manifest outlet,2021-09,,a note,World\n")
	m, err := ReadManifest(filepath.Join(dir, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}

	im := &Importer{Manifest: m, Override: data.Meta{Author: "Override author"}}
	arts, errs := readAll(t, im, file)
	if len(errs) > 0 {
		t.Fatalf("errors: %q", errs)
	}
	a, ok := arts[file]
	if !ok {
		t.Fatalf("no article with source %q in %v", file, arts)
	}
	want := data.Meta{
		Title:  "In-file title",               // the manifest cell is empty
		Outlet: "Manifest outlet",             // manifest over file
		Date:   data.MustParseDate("2021-09"), // manifest over file, month kept
		Author: "Override author",             // override over both
		URL:    "",                            // nobody has one
	}
	if a.Meta != want {
		t.Errorf("meta = %+v\nwant   %+v", a.Meta, want)
	}
	if a.Text != "Body text." {
		t.Errorf("text = %q", a.Text)
	}
	wantAttrs := map[string]string{"notes": "a note", "section": "World"}
	if len(a.Attributes) != 2 || a.Attributes["notes"] != "a note" || a.Attributes["section"] != "World" {
		t.Errorf("attributes = %v, want %v (manifest over header)", a.Attributes, wantAttrs)
	}

	// Without a manifest, the file's own metadata stands; the full
	// override replaces all of it.
	arts, _ = readAll(t, &Importer{}, file)
	if got := arts[file].Meta; got.Outlet != "In-file outlet" || got.Date != data.MustParseDate("2020-01-01") {
		t.Errorf("no manifest: meta = %+v", got)
	}
	all := data.Meta{Title: "O", Outlet: "O", Date: data.MustParseDate("1999"), URL: "https://o", Author: "O"}
	arts, _ = readAll(t, &Importer{Manifest: m, Override: all}, file)
	if got := arts[file].Meta; got != all {
		t.Errorf("full override: meta = %+v, want %+v", got, all)
	}
}

func TestImporterFoldersAndBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := []string{
		writeFile(t, filepath.Join(dir, "a.txt"), "First article."),
		writeFile(t, filepath.Join(dir, "B.TXT"), "Upper-case extension."),
		writeFile(t, filepath.Join(dir, "sub", "c.html"), "<p>Para one.</p><p>Para two.</p>"),
		writeFile(t, filepath.Join(dir, "sub", "deeper", "d.text"), "\xEF\xBB\xBFDeep\r\narticle."),
	}
	jsonl := writeFile(t, filepath.Join(dir, "sub", "e.jsonl"), `{"text":"rec one"}`+"\n"+`{"title":"no text"}`+"\n"+`{"text":"rec three"}`+"\n")
	binary := writeFile(t, filepath.Join(dir, "f.txt"), "PK\x03\x04\x00\x00\x00")
	corrupt := writeFile(t, filepath.Join(dir, "g.txt"), "caf\u00e9\nand caf\xe9")
	badHeader := writeFile(t, filepath.Join(dir, "h.txt"), "date: 2021-13\n\nBody")
	headerOnly := writeFile(t, filepath.Join(dir, "i.txt"), "Title: nothing else\n\n \n")
	big := filepath.Join(dir, "big.txt")
	writeFile(t, big, "")
	// Sparse: 200 MB on paper, nothing on disk. Stat must stop it before
	// anything is read.
	if err := os.Truncate(big, 200<<20); err != nil {
		t.Fatal(err)
	}
	// Skipped: hidden files and folders, other types.
	writeFile(t, filepath.Join(dir, ".hidden.txt"), "hidden")
	writeFile(t, filepath.Join(dir, ".git", "x.txt"), "hidden")
	writeFile(t, filepath.Join(dir, "photo.jpg"), "\xff\xd8")
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(filepath.Join(empty, "nested"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(empty, "notes.odt"), "x")
	missing := filepath.Join(dir, "nope.txt")

	var progress [][2]int
	items, err := (&Importer{}).Read(context.Background(), []string{dir, empty, missing}, func(done, total int) {
		progress = append(progress, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	arts, errs := readAll(t, &Importer{}, dir, empty, missing)

	for _, g := range good {
		if _, ok := arts[g]; !ok {
			t.Errorf("good file %s not imported beside the bad ones", filepath.Base(g))
		}
	}
	if a := arts[good[2]]; a.Text != "Para one.\n\nPara two." {
		t.Errorf("html text = %q", a.Text)
	}
	if a := arts[good[3]]; a.Text != "Deep\narticle." {
		t.Errorf("bom/crlf text = %q", a.Text)
	}
	if arts[jsonl+"#1"].Text != "rec one" || arts[jsonl+"#3"].Text != "rec three" {
		t.Errorf("jsonl records missing: %v", arts)
	}
	if len(arts) != len(good)+2 {
		t.Errorf("got %d articles, want %d", len(arts), len(good)+2)
	}

	wantErr(t, errs, jsonl+":2: no text")
	wantErr(t, errs, binary+": binary file, not text")
	wantErr(t, errs, corrupt+": invalid UTF-8 at line 2")
	wantErr(t, errs, badHeader+`: line 1: date "2021-13": month out of range`)
	wantErr(t, errs, headerOnly+": no article text after the header")
	wantErr(t, errs, big+": 200.0 MB is over the 16 MB per-article limit")
	wantErr(t, errs, empty+": no articles found", ".txt, .text, .html, .htm, .json, .jsonl")
	wantErr(t, errs, missing+": no such file or folder")
	if len(errs) != 8 {
		t.Errorf("got %d errors, want 8:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	for _, e := range errs {
		if strings.Contains(e, "hidden") || strings.Contains(e, "photo.jpg") || strings.Contains(e, "notes.odt") {
			t.Errorf("skipped file reported: %s", e)
		}
	}

	// Files come in a stable, sorted order, and progress counts them.
	var order []string
	for _, it := range items {
		if it.Err == nil && !strings.Contains(it.Article.Source, "#") {
			order = append(order, it.Path)
		}
	}
	if !slices.IsSorted(order) {
		t.Errorf("files out of order: %q", order)
	}
	files, _ := ArticleFiles([]string{dir})
	for i, p := range progress {
		if p != [2]int{i + 1, len(files)} {
			t.Errorf("progress call %d = %v, want %v", i, p, [2]int{i + 1, len(files)})
		}
	}
	if len(progress) != len(files) {
		t.Errorf("%d progress calls for %d files", len(progress), len(files))
	}
}

func TestArticleFilesExplicit(t *testing.T) {
	dir := t.TempDir()
	hidden := writeFile(t, filepath.Join(dir, ".draft.txt"), "x")
	doc := writeFile(t, filepath.Join(dir, "notes.odt"), "x")
	a := writeFile(t, filepath.Join(dir, "a.txt"), "x")

	// Named files are taken even if hidden; a file named twice (once via
	// its folder) is listed once.
	files, errs := ArticleFiles([]string{hidden, a, dir, doc})
	if want := []string{hidden, a}; !slices.Equal(files, want) {
		t.Errorf("files = %q, want %q", files, want)
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), doc+": not a file Parallax imports") || !strings.Contains(errs[0].Error(), ".qdpx") {
		t.Errorf("errs = %v, want one for notes.odt", errs)
	}
}

func TestImporterManifestOnly(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "one.txt"), "One.")
	writeFile(t, filepath.Join(dir, "data", "two.json"), `[{"text":"Two A"},{"text":"Two B","outlet":"In-file"}]`)
	writeFile(t, filepath.Join(dir, "unlisted.txt"), "Not in the manifest.")
	manifest := writeFile(t, filepath.Join(dir, "manifest.csv"),
		"file,outlet\none.txt,Outlet One\ndata/two.json,Outlet Two\ngone.txt,Outlet Gone\n")
	m, err := ReadManifest(manifest)
	if err != nil {
		t.Fatal(err)
	}
	arts, errs := readAll(t, &Importer{Manifest: m})
	one := filepath.Join(dir, "one.txt")
	two := filepath.Join(dir, "data", "two.json")
	if len(arts) != 3 || arts[one].Outlet != "Outlet One" || arts[two+"#1"].Outlet != "Outlet Two" || arts[two+"#2"].Outlet != "Outlet Two" {
		t.Errorf("articles = %+v", arts)
	}
	if len(errs) != 1 {
		t.Fatalf("errors = %q, want one for gone.txt", errs)
	}
	wantErr(t, errs, filepath.Join(dir, "gone.txt")+": no such file", "line 4 of "+manifest)
}

func TestImporterCancel(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a", "b", "c"} {
		writeFile(t, filepath.Join(dir, n+".txt"), "Text "+n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	items, err := (&Importer{}).Read(ctx, []string{dir}, func(done, total int) {
		calls++
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if calls != 1 || len(items) != 1 {
		t.Errorf("read %d files (%d items) after cancelling, want to stop after 1", calls, len(items))
	}

	// Cancelled inside a JSON Lines file: records stop too.
	jsonl := writeFile(t, filepath.Join(t.TempDir(), "many.jsonl"), strings.Repeat(`{"text":"x"}`+"\n", 1000))
	items, err = (&Importer{}).Read(&cancelAfter{Context: context.Background(), n: 10}, []string{jsonl}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled mid-file: err = %v", err)
	}
	if len(items) >= 1000 {
		t.Errorf("read all %d records after cancelling", len(items))
	}
}

// cancelAfter is a context that reports cancellation from its n+1th Err
// call on, to cancel at a point no callback reaches.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n <= 0 {
		return context.Canceled
	}
	c.n--
	return nil
}

// TestImporterCorpus imports the real corpus with its manifest: messy
// files exactly as collected.
func TestImporterCorpus(t *testing.T) {
	dir := filepath.Join(difftest.CorpusDir(t), "bradford")
	m, err := ReadManifest(filepath.Join(dir, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	arts, errs := readAll(t, &Importer{Manifest: m}, dir)
	if len(errs) > 0 {
		t.Fatalf("errors: %q", errs)
	}
	if len(arts) != 5 {
		t.Fatalf("got %d articles, want 5", len(arts))
	}
	byPrefix := func(p string) data.Article {
		t.Helper()
		for src, a := range arts {
			if strings.HasPrefix(filepath.Base(src), p) {
				return a
			}
		}
		t.Fatalf("no article %s*", p)
		return data.Article{}
	}

	a0 := byPrefix("000_")
	if a0.Outlet != "ITV News" || a0.Date != data.MustParseDate("2023-01-31") {
		t.Errorf("000: outlet %q date %v", a0.Outlet, a0.Date)
	}
	if !strings.HasPrefix(a0.Text, "A damning report") {
		t.Errorf("000 starts %q, want the date line's header removed", a0.Text[:min(40, len(a0.Text))])
	}
	if !strings.Contains(a0.Attributes["notes"], "date from the file's own first line") {
		t.Errorf("000 notes = %q", a0.Attributes["notes"])
	}
	if a1 := byPrefix("001_"); a1.Outlet != "BBC News" || !strings.HasPrefix(a1.Title, "Bradford children's services rated inadequate") {
		t.Errorf("001: outlet %q title %q", a1.Outlet, a1.Title)
	}
	a2 := byPrefix("002_")
	if a2.Date.String() != "2021-09" || a2.Date.Precision != data.PrecisionMonth || a2.Outlet != "Telegraph & Argus" {
		t.Errorf("002: date %v (precision %d) outlet %q, want month 2021-09", a2.Date, a2.Date.Precision, a2.Outlet)
	}
	if a3 := byPrefix("003_"); a3.Outlet != "Community Care" || !strings.Contains(a3.Text, "Five referrals") {
		t.Errorf("003: outlet %q", a3.Outlet)
	}
	for src, a := range arts {
		if strings.Contains(a.Text, "\r") || a.Words < 100 || a.Attributes["notes"] == "" {
			t.Errorf("%s: words %d, notes %q, or a CR in the text", filepath.Base(src), a.Words, a.Attributes["notes"])
		}
	}
	// The corpus README's verbatim agreement must survive import.
	for _, p := range []string{"000_", "001_"} {
		if !strings.Contains(byPrefix(p).Text, "We know that children and families deserve better.") {
			t.Errorf("%s lost the Haque quote", p)
		}
	}
}

// TestFolderSheetForDocuments: a folder's own manifest.csv describes its
// Word, RTF and PDF files as it does its text files, and the items name it.
func TestFolderSheetForDocuments(t *testing.T) {
	a := ingesttest.Synthetic(t)[0]
	paras := ingesttest.Lines(a.Paras)
	for _, f := range []struct {
		name string
		b    []byte
	}{
		{"letter.docx", ingesttest.DOCX(paras, ingesttest.Props{})},
		{"letter.rtf", ingesttest.RTF(paras, ingesttest.Props{})},
		{"letter.pdf", ingesttest.PDFLines(a.Paras, ingesttest.PDFOptions{})},
		{"letter.txt", []byte(a.Body())},
	} {
		t.Run(f.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, f.name)
			if err := os.WriteFile(p, f.b, 0o644); err != nil {
				t.Fatal(err)
			}
			sheet := writeFile(t, filepath.Join(dir, "manifest.csv"),
				"file,outlet,date,title\n"+f.name+",Harbour Weekly,2024-03-14,Barrier vote divides harbour towns\n")
			items, err := (&Importer{}).Read(context.Background(), []string{dir}, nil)
			if err != nil || len(items) != 1 || items[0].Err != nil {
				t.Fatalf("items %+v, err %v", items, err)
			}
			it := items[0]
			want := data.Meta{Outlet: "Harbour Weekly", Date: data.MustParseDate("2024-03-14"), Title: "Barrier vote divides harbour towns"}
			if got := it.Article.Meta; got.Outlet != want.Outlet || got.Date != want.Date || got.Title != want.Title {
				t.Errorf("meta %+v, want the sheet's %+v", got, want)
			}
			if it.Sheet != sheet {
				t.Errorf("item's sheet %q, want %q", it.Sheet, sheet)
			}
		})
	}
}
