package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest/ingesttest"
)

// minBodySimilarity is how close, word for word, an imported body must be
// to the text the fixture was made from.
const minBodySimilarity = 0.98

// similarWords compares two texts word by word: twice the words they have
// in common, in order, over the words of both (1 for the same words).
// Words are compared in lower case without surrounding punctuation, and
// curly and straight quotes count as the same, since PDF fonts and word
// processors change those.
func similarWords(a, b string) float64 {
	wa, wb := simWords(a), simWords(b)
	if len(wa)+len(wb) == 0 {
		return 1
	}
	// Each distinct word becomes one rune, so go-diff compares words.
	ids := map[string]rune{}
	runes := func(ws []string) []rune {
		rs := make([]rune, len(ws))
		for i, w := range ws {
			r, ok := ids[w]
			if !ok {
				r = rune(0xF0000 + len(ids))
				ids[w] = r
			}
			rs[i] = r
		}
		return rs
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	same := 0
	for _, d := range dmp.DiffMainRunes(runes(wa), runes(wb), false) {
		if d.Type == diffmatchpatch.DiffEqual {
			same += len([]rune(d.Text))
		}
	}
	return 2 * float64(same) / float64(len(wa)+len(wb))
}

func simWords(s string) []string {
	s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(s)
	var out []string
	for _, w := range strings.Fields(s) {
		w = strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

func TestSimilarWords(t *testing.T) {
	if s := similarWords("The cat sat.", "the “cat” SAT"); s != 1 {
		t.Errorf("same words: %v, want 1", s)
	}
	if s := similarWords("one two three four", "one two five six"); s != 0.5 {
		t.Errorf("half the words: %v, want 0.5", s)
	}
	if s := similarWords("a b", ""); s != 0 {
		t.Errorf("nothing in common: %v", s)
	}
}

// inOrder lists the articles read from export files by their number in
// the file ("file#3").
func inOrder(arts map[string]data.Article) []data.Article {
	out := make([]data.Article, 0, len(arts))
	for _, a := range arts {
		out = append(out, a)
	}
	num := func(s string) int {
		n, _ := strconv.Atoi(s[strings.LastIndex(s, "#")+1:])
		return n
	}
	slices.SortFunc(out, func(a, b data.Article) int {
		if c := cmp.Compare(a.Source[:strings.LastIndex(a.Source+"#", "#")], b.Source[:strings.LastIndex(b.Source+"#", "#")]); c != 0 {
			return c
		}
		return cmp.Compare(num(a.Source), num(b.Source))
	})
	return out
}

// checkArticle compares an imported article with the one its fixture was
// made from. Fields of want left empty are not checked.
func checkArticle(t *testing.T, what string, got data.Article, want ingesttest.Article) {
	t.Helper()
	if want.Title != "" && got.Title != want.Title {
		t.Errorf("%s: title %q, want %q", what, got.Title, want.Title)
	}
	if want.Outlet != "" && got.Outlet != want.Outlet {
		t.Errorf("%s: outlet %q, want %q", what, got.Outlet, want.Outlet)
	}
	if want.Author != "" && got.Author != want.Author {
		t.Errorf("%s: author %q, want %q", what, got.Author, want.Author)
	}
	// Fixtures give the day; a page's fixture also states a time on it,
	// which TestPublishedTimes checks.
	if want.Date != "" && got.Date.DateOnly().String() != want.Date {
		t.Errorf("%s: date %q, want %q", what, got.Date, want.Date)
	}
	if s := similarWords(got.Text, want.Body()); s < minBodySimilarity {
		t.Errorf("%s: body similarity %.4f < %.2f\ngot:  %.300q\nwant: %.300q", what, s, minBodySimilarity, got.Text, want.Body())
	}
}

// writeFixture writes b to a file in a temporary folder.
func writeFixture(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var created = time.Date(2023, 1, 31, 9, 30, 0, 0, time.UTC)

// TestImportWordProcessorCorpus reads each article as a Word and an RTF file
// holding what word processors keep beside the text (a tracked deletion,
// a footnote, a comment; in RTF also a running header, an \info company
// and font names), none of which may reach the article.
func TestImportWordProcessorCorpus(t *testing.T) {
	formats := []struct {
		name  string
		write func([]ingesttest.Para, ingesttest.Props) []byte
	}{{"article.docx", ingesttest.DOCX}, {"article.rtf", ingesttest.RTF}}
	for _, f := range formats {
		for i, a := range append(ingesttest.Synthetic(t), ingesttest.CorpusArticles(t, 6)...) {
			paras := ingesttest.ArticleParas(a)
			paras[1].Deleted = " REMOVEDBYEDITOR"
			paras[2].Footnote = "FOOTNOTETEXT appears at the page foot."
			paras[2].Comment = "COMMENTTEXT from a reviewer."
			p := writeFixture(t, f.name, f.write(paras, ingesttest.Props{Title: a.Title, Author: a.Author, Created: created}))
			arts, errs := readAll(t, &Importer{}, p)
			if len(errs) > 0 || len(arts) != 1 {
				t.Fatalf("%s %d: %d articles, errors %q", f.name, i, len(arts), errs)
			}
			got := arts[pathKey(p)]
			want := a
			// The document's author and creation date are who saved the
			// file and when, not the article's byline and publication
			// date: kept as attributes only. A word processor's file
			// names no outlet.
			want.Date, want.Author, want.Outlet = "", "", ""
			checkArticle(t, fmt.Sprintf("%s %d", f.name, i), got, want)
			if !got.Date.IsZero() && !got.IsInferred(data.FieldDate) || got.Author != "" && !got.IsInferred(data.FieldAuthor) {
				t.Errorf("%s %d: date %s, author %q taken from the document's properties", f.name, i, got.Date, got.Author)
			}
			if got.Attributes["file_created"] != "2023-01-31" || got.Attributes["file_creator"] != a.Author {
				t.Errorf("%s %d: attributes %v, want file_created 2023-01-31, file_creator %q", f.name, i, got.Attributes, a.Author)
			}
			for _, hidden := range []string{"REMOVEDBYEDITOR", "FOOTNOTETEXT", "COMMENTTEXT", "Running header", "Example Ltd", "Times New Roman"} {
				if strings.Contains(got.Text, hidden) {
					t.Errorf("%s %d: text holds %s", f.name, i, hidden)
				}
			}
			if strings.HasPrefix(got.Text, a.Title) {
				t.Errorf("%s %d: the title heading is left in the text", f.name, i)
			}
		}
	}
}

func TestImportDOCXTitleFromHeading(t *testing.T) {
	a := ingesttest.Synthetic(t)[0]
	// No title property, and Word's own kind of "title" for a new file.
	p := writeFixture(t, "untitled.docx", ingesttest.DOCX(ingesttest.ArticleParas(a), ingesttest.Props{Title: "Microsoft Word - draft3.docx"}))
	arts, errs := readAll(t, &Importer{}, p)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	checkArticle(t, "docx", arts[pathKey(p)], ingesttest.Article{Title: a.Title, Paras: a.Paras})
}

func TestImportDOCXZipBomb(t *testing.T) {
	// 64 MB of XML from about 64 kB: refused by the ratio check after a
	// few megabytes, without unpacking the rest.
	p := writeFixture(t, "bomb.docx", ingesttest.ZipBomb(64<<20))
	if fi, _ := os.Stat(p); fi.Size() > 1<<20 {
		t.Fatalf("the bomb is %d bytes; the test wants a small one", fi.Size())
	}
	arts, errs := readAll(t, &Importer{}, p)
	if len(arts) != 0 || len(errs) != 1 {
		t.Fatalf("%d articles, errors %q", len(arts), errs)
	}
	wantErr(t, errs, p+": ", "zip bomb")
}

func TestRTFTokens(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []string // paragraphs
		title    string
	}{
		{"plain", `{\rtf1\ansi Hello \b world\b0 .\par Next}`, []string{"Hello world.", "Next"}, ""},
		{"code page", `{\rtf1\ansi\ansicpg1252 caf\'e9 \'93quoted\'94\par}`, []string{"café “quoted”"}, ""},
		{"other code page", `{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2\par}`, []string{"Привет"}, ""},
		{"font charset", `{\rtf1\ansi{\fonttbl{\f0 Arial;}{\f1\fcharset238 Arial CE;}}\f1 \'b3\'f3d\'9f\par}`, []string{"łódź"}, ""},
		{"unicode with fallback", `{\rtf1\ansi\uc1 \u26481?\u20140?\par}`, []string{"東京"}, ""},
		{"uc2 skips two", `{\rtf1\ansi{\uc2 \u8212\'97\'97 dash}\par}`, []string{"— dash"}, ""},
		{"uc0", `{\rtf1\ansi\uc0\u233 t\'e9\par}`, []string{"été"}, ""},
		{"negative unicode", `{\rtf1\ansi\u-3913?\par}`, []string{"\uF0B7"}, ""},
		{"escapes", `{\rtf1 a\\b\{c\}d\~e\-f\_g\emdash\endash\lquote x\rquote\par}`, []string{"a\\b{c}d\u00a0ef\u2011g—–‘x’"}, ""},
		{"unknown starred destination", `{\rtf1 keep{\*\unknownthing drop this}me\par}`, []string{"keepme"}, ""},
		{"known starred destination", `{\rtf1 {\field{\*\fldinst HYPERLINK "http://x"}{\fldrslt link text}}\par}`, []string{"link text"}, ""},
		{"skipped destinations", `{\rtf1{\fonttbl{\f0 Times;}}{\colortbl;\red1;}{\stylesheet{\s0 Normal;}}{\header head}{\footer foot}{\pict 89504e47}body{\footnote note}\par}`, []string{"body"}, ""},
		{"annotation", `{\rtf1 text{\*\atnid X}{\*\annotation comment}\par}`, []string{"text"}, ""},
		{"tracked deletion", `{\rtf1 kept {\deleted gone }again\par}`, []string{"kept again"}, ""},
		{"binary data", `{\rtf1 a{\bin3 }}}b\par}`, []string{"ab"}, ""},
		{"info", `{\rtf1{\info{\title The {\b Title}}{\author Ann Author}{\creatim\yr2021\mo9\dy14}{\revtim\yr1999\mo1\dy1}}Body\par}`, []string{"Body"}, "The Title"},
		{"table cells", `{\rtf1\trowd\cellx100\cellx200\intbl HD\cell Headline\cell\row}`, []string{"HD Headline"}, ""},
		{"line break", `{\rtf1 one\line two\par}`, []string{"one", "two"}, ""},
		{"unbalanced", `{\rtf1 {unclosed`, []string{"unclosed"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := readRTF([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range doc.Paras {
				if p.Text != "" {
					got = append(got, p.Text)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("paragraphs %q, want %q", got, tt.want)
			}
			if doc.Title != tt.title {
				t.Errorf("title %q, want %q", doc.Title, tt.title)
			}
		})
	}
	doc, _ := readRTF([]byte(`{\rtf1{\info{\author Ann Author}{\creatim\yr2021\mo9\dy14}{\revtim\yr1999\mo1\dy1}}x}`))
	if doc.Author != "Ann Author" || doc.Created != "2021-09-14" {
		t.Errorf("author %q created %q", doc.Author, doc.Created)
	}
	doc, _ = readRTF([]byte(`{\rtf1{\stylesheet{\s0 Normal;}{\s3 heading 2;}}\pard\s3 Head\par\pard\s0 Body\par}`))
	if len(doc.Paras) < 2 || !doc.Paras[0].Heading || doc.Paras[1].Heading {
		t.Errorf("headings: %+v", doc.Paras)
	}
	if _, err := readRTF([]byte("PK\x03\x04 not rtf")); err == nil {
		t.Error("a zip file named .rtf was read as RTF")
	}
	if _, err := readRTF([]byte("{\\rtf1 " + strings.Repeat("{", maxRTFDepth+1))); err == nil {
		t.Error("groups nested past the limit were accepted")
	}
}

func FuzzReadRTF(f *testing.F) {
	f.Add([]byte(`{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\uc1\u26481?\'e9{\*\x y}\par}`))
	f.Add([]byte(`{\rtf1{\info{\title T}{\creatim\yr2020\mo1\dy2}}\trowd HD\cell x\cell\row{\bin2 ab}}`))
	f.Add(ingesttest.RTF(ingesttest.ArticleParas(ingesttest.Article{Title: "T", Paras: []string{"Ünïcödé “x” 東京"}}), ingesttest.Props{Title: "T"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := readRTF(b)
		if err != nil {
			return
		}
		for _, p := range doc.Paras {
			if !utf8.ValidString(p.Text) || strings.ContainsAny(p.Text, "\n\r") {
				t.Fatalf("paragraph %q: invalid UTF-8 or a line break", p.Text)
			}
		}
	})
}

func FuzzReadDocx(f *testing.F) {
	a := ingesttest.Article{Title: "T", Paras: []string{"one", "two"}}
	f.Add(ingesttest.DOCX(ingesttest.ArticleParas(a), ingesttest.Props{Title: "T"}))
	f.Add(ingesttest.ZipBomb(1 << 16))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := readDocx(strings.NewReader(string(b)), int64(len(b)))
		if err != nil {
			return
		}
		for _, p := range doc.Paras {
			if strings.ContainsAny(p.Text, "\n\r") {
				t.Fatalf("paragraph %q holds a line break", p.Text)
			}
		}
	})
}

func TestImportPDFCorpus(t *testing.T) {
	arts := ingesttest.CorpusArticles(t, 8)
	layouts := []struct {
		name string
		o    ingesttest.PDFOptions
	}{
		{"one column", ingesttest.PDFOptions{}},
		{"two columns", ingesttest.PDFOptions{Columns: 2, Header: "The Daily Example · Tuesday", PageNumbers: true, Hyphenate: true}},
		{"three columns", ingesttest.PDFOptions{Columns: 3, Header: "Weekend edition", PageNumbers: true, Hyphenate: true}},
	}
	for _, l := range layouts {
		for i, a := range arts {
			o := l.o
			if i%2 == 0 { // half with a Title property, half titled by their headline
				o.Title, o.Author = a.Title, a.Author
			}
			p := writeFixture(t, "article.pdf", ingesttest.PDF([]ingesttest.Article{a}, o))
			got, errs := readAll(t, &Importer{}, p)
			if len(errs) > 0 || len(got) != 1 {
				t.Fatalf("%s %d: %d articles, errors %q", l.name, i, len(got), errs)
			}
			g := got[pathKey(p)]
			checkArticle(t, fmt.Sprintf("%s %d", l.name, i), g, ingesttest.Article{Title: a.Title, Paras: a.Paras})
			for _, furniture := range []string{"Daily Example", "Weekend edition", "Page 1", "Page 2"} {
				if strings.Contains(g.Text, furniture) {
					t.Errorf("%s %d: running header or page number %q left in the text", l.name, i, furniture)
				}
			}
		}
	}
}

// TestImportPDFLibreOffice reads PDFs a word processor wrote (see
// testdata/pdf/make-pdf-fixtures.sh): two stories in justified, hyphenated
// columns under headlines that span the page, with a running header and
// page numbers. A PDF that is not a news-database export is one article,
// titled by its first headline.
func TestImportPDFLibreOffice(t *testing.T) {
	syn := ingesttest.Synthetic(t)
	want := ingesttest.Article{Title: syn[0].Title, Paras: append(append(slices.Clone(syn[0].Paras), syn[1].Title), syn[1].Paras...)}
	for _, f := range []string{"columns2.pdf", "columns3.pdf"} {
		p := filepath.Join("testdata", "pdf", f)
		got, errs := readAll(t, &Importer{}, p)
		if len(errs) > 0 || len(got) != 1 {
			t.Fatalf("%s: %d articles, errors %q", f, len(got), errs)
		}
		a := got[pathKey(p)]
		checkArticle(t, f, a, want)
		for _, furniture := range []string{"Morning edition", "Page 1", "Page 2"} {
			if strings.Contains(a.Text, furniture) {
				t.Errorf("%s: %q left in the text", f, furniture)
			}
		}
		// Words LibreOffice hyphenated at line ends come back whole.
		for _, w := range []string{"infrastructure", "consequential", "households", "headquarters"} {
			if !strings.Contains(a.Text, w) {
				t.Errorf("%s: %q not rejoined", f, w)
			}
		}
		if n := strings.Count(a.Text, "\n\n") + 1; n != len(want.Paras) {
			t.Errorf("%s: %d paragraphs, want %d", f, n, len(want.Paras))
		}
	}
}

func TestImportPDFHostile(t *testing.T) {
	a := ingesttest.Synthetic(t)[0]
	for _, tt := range []struct {
		name string
		b    []byte
		want string
	}{
		{"encrypted.pdf", ingesttest.PDF([]ingesttest.Article{a}, ingesttest.PDFOptions{UserPassword: "secret"}), "protected by a password"},
		{"scan.pdf", ingesttest.ScanPDF(3), "looks like a scan"},
		{"fake.pdf", []byte("%PDF-1.7\nthis is not really a PDF at all\n%%EOF\n"), "not a readable PDF"},
		{"text.pdf", []byte("Just some text saved with the wrong name.\n"), "not a readable PDF"},
	} {
		p := writeFixture(t, tt.name, tt.b)
		got, errs := readAll(t, &Importer{}, p)
		if len(got) != 0 || len(errs) != 1 {
			t.Errorf("%s: %d articles, errors %q; want one error", tt.name, len(got), errs)
			continue
		}
		wantErr(t, errs, p+": ", tt.want)
	}
}

// TestImportPDFThousandPages reads a 1,000-page PDF to the end with
// progress after every page, then cancels the same import a tenth of the
// way in: nothing of the file is returned.
func TestImportPDFThousandPages(t *testing.T) {
	syn := ingesttest.Synthetic(t)
	p := writeFixture(t, "thousand.pdf", ingesttest.PDF(syn, ingesttest.PDFOptions{Columns: 2, Pages: 1000, Header: "Archive", PageNumbers: true, Hyphenate: true}))
	calls := 0
	var last int64
	im := &Importer{FileProgress: func(path string, read, size int64, articles int) {
		calls++
		if path != p || read < last || read > size {
			t.Errorf("progress %s %d/%d after %d", path, read, size, last)
		}
		last = read
	}}
	arts, errs := readAll(t, im, p)
	if len(errs) > 0 || len(arts) != 1 {
		t.Fatalf("%d articles, errors %q", len(arts), errs)
	}
	if calls != 1000 {
		t.Errorf("%d progress calls, want one per page (1000)", calls)
	}
	perRound := 0
	for _, a := range syn {
		perRound += len(simWords(a.Title + " " + a.Body()))
	}
	// Each story starts a page and fills less than one, so the file holds
	// the pair 500 times.
	if got, want := len(simWords(arts[pathKey(p)].Text)), perRound*500; got < want*98/100 || got > want {
		t.Errorf("%d words, want about %d", got, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	im = &Importer{FileProgress: func(_ string, read, size int64, _ int) {
		if read >= size/10 {
			cancel()
		}
	}}
	items, err := im.Read(ctx, []string{p}, nil)
	if !errors.Is(err, context.Canceled) || len(items) != 0 {
		t.Errorf("cancelled import: %d items, error %v; want none and context.Canceled", len(items), err)
	}
}
