package ingest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/difftest"
)

// bradfordTitles are the titles the Bradford sheet gives, by file prefix.
var bradfordTitles = map[string]string{
	"000_": "Bradford children's services 'deteriorated' despite scrutiny after Star Hobson murder",
	"001_": "Bradford children's services rated inadequate for second time",
	"002_": "Significant weaknesses remain in Bradford Children's Services",
	"003_": "Council cedes control of children's services",
	"004_": "Ofsted's first monitoring visit to Bradford Children and Families Trust",
}

func byPrefix(t *testing.T, arts map[string]data.Article, p string) data.Article {
	t.Helper()
	for src, a := range arts {
		if strings.HasPrefix(filepath.Base(src), p) {
			return a
		}
	}
	t.Fatalf("no article %s*", p)
	return data.Article{}
}

// TestBradfordSheetFoundCorpus: importing the Bradford folder with no
// manifest named finds the folder's own sheet and uses it for every file.
func TestBradfordSheetFoundCorpus(t *testing.T) {
	dir := filepath.Join(difftest.CorpusDir(t), "bradford")
	items, err := (&Importer{}).Read(t.Context(), []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	outlets := map[string]bool{}
	n := 0
	for _, it := range items {
		if it.Err != nil {
			t.Fatalf("error: %v", it.Err)
		}
		n++
		if it.Sheet != filepath.Join(dir, "manifest.csv") {
			t.Errorf("%s: sheet %q", it.Path, it.Sheet)
		}
		a := it.Article
		if want := bradfordTitles[filepath.Base(it.Path)[:4]]; a.Title != want {
			t.Errorf("%s: title %q, want the sheet's %q", it.Path, a.Title, want)
		}
		if a.Sheet == nil || a.Sheet.Title != a.Title || a.Sheet.Outlet != a.Outlet {
			t.Errorf("%s: sheet metadata %+v not kept for the store", it.Path, a.Sheet)
		}
		if len(a.Inferred) > 0 {
			t.Errorf("%s: inferred %v although the sheet gives every field", it.Path, a.Inferred)
		}
		outlets[a.Outlet] = true
	}
	if n != 5 || len(outlets) != 4 {
		t.Fatalf("%d articles from %d outlets (%v), want 5 from 4", n, len(outlets), outlets)
	}
}

// copyCorpus copies the Bradford articles, without their sheet, into a
// temporary folder.
func copyCorpus(t *testing.T) string {
	t.Helper()
	src := filepath.Join(difftest.CorpusDir(t), "bradford")
	dst := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(src, "*.txt"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestBradfordInferredCorpus: without the sheet, the two files that open
// with their headline (BBC's and Community Care's) get it as their title,
// and their footers name their outlets; all of it flagged as inferred.
// The others' first lines are ledes, not headlines, and stay untitled.
func TestBradfordInferredCorpus(t *testing.T) {
	arts, errs := readAll(t, &Importer{}, copyCorpus(t))
	if len(errs) > 0 || len(arts) != 5 {
		t.Fatalf("%d articles, errors %q", len(arts), errs)
	}
	for _, c := range []struct {
		prefix, title, outlet string
		inferred              []string
	}{
		{"000_", "", "", nil},
		{"001_", "Bradford children's services rated inadequate for second time", "BBC News", []string{data.FieldTitle, data.FieldOutlet}},
		{"002_", "", "", nil},
		{"003_", "Council cedes control of children’s services", "Community Care", []string{data.FieldTitle, data.FieldOutlet}},
		{"004_", "", "", nil},
	} {
		a := byPrefix(t, arts, c.prefix)
		if a.Title != c.title || a.Outlet != c.outlet || !slices.Equal(a.Inferred, c.inferred) {
			t.Errorf("%s: title %q, outlet %q, inferred %v; want %q, %q, %v", c.prefix, a.Title, a.Outlet, a.Inferred, c.title, c.outlet, c.inferred)
		}
		if a.Sheet != nil {
			t.Errorf("%s: sheet metadata without a sheet", c.prefix)
		}
	}
	// 000's date is its own header's, not an inference; 001's foot lists
	// other articles' dates, which are not its own.
	if a := byPrefix(t, arts, "000_"); a.Date.String() != "2023-01-31" || a.IsInferred(data.FieldDate) {
		t.Errorf("000: date %v, inferred %v", a.Date, a.Inferred)
	}
	if a := byPrefix(t, arts, "001_"); !a.Date.IsZero() {
		t.Errorf("001: date %v taken from the related-article links", a.Date)
	}
}

// TestExcelSheet: a sheet saved by Excel in a European locale (byte-order
// mark, semicolons, CRLF) with a "Path" column is found under any name,
// and rows naming missing files are reported with the sheet's name.
func TestExcelSheet(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.txt":     "First article text, long enough to read.",
		"b.txt":     "Second article text, also long enough.",
		"notes.csv": "topic,count\r\nfoo,1\r\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sheet := "\uFEFFPath;Outlet;Date;Title\r\na.txt;BBC News;2023-01-31;\r\nb.txt;ITV News;2023-02;Second\r\nc.txt;Sky News;;Gone\r\n"
	if err := os.WriteFile(filepath.Join(dir, "Sources export.csv"), []byte(sheet), 0o644); err != nil {
		t.Fatal(err)
	}
	items, err := (&Importer{}).Read(t.Context(), []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sheetPath := filepath.Join(dir, "Sources export.csv")
	var got []string
	for _, it := range items {
		if it.Sheet != sheetPath {
			t.Errorf("%s: sheet %q", it.Path, it.Sheet)
		}
		if it.Err != nil {
			if !strings.Contains(it.Err.Error(), "c.txt") || !strings.Contains(it.Err.Error(), "Sources export.csv") {
				t.Errorf("missing file reported as %v", it.Err)
			}
			got = append(got, "missing")
			continue
		}
		got = append(got, it.Article.Outlet+"|"+it.Article.Date.String()+"|"+it.Article.Title)
	}
	slices.Sort(got)
	want := []string{"BBC News|2023-01-31|", "ITV News|2023-02|Second", "missing"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestInferFromURLCorpus: the NewsWCL50 articles with only their URLs in
// a sheet get the outlet the dataset names, from the table of outlets,
// and the date in the URL's path where there is one.
func TestInferFromURLCorpus(t *testing.T) {
	src := filepath.Join(difftest.CorpusDir(t), "newswcl50")
	f, err := os.Open(filepath.Join(src, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var sheet strings.Builder
	sheet.WriteString("file,url\n")
	want := map[string][2]string{} // absolute file -> outlet, date
	for _, r := range rows[1:] {
		file := filepath.Join(src, r[0])
		sheet.WriteString(file + "," + r[3] + "\n")
		want[file] = [2]string{r[1], r[2]}
	}
	sheetPath := filepath.Join(t.TempDir(), "urls.csv")
	if err := os.WriteFile(sheetPath, []byte(sheet.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(sheetPath)
	if err != nil {
		t.Fatal(err)
	}
	arts, errs := readAll(t, &Importer{Manifest: m})
	if len(errs) > 0 || len(arts) != len(want) {
		t.Fatalf("%d articles, errors %q", len(arts), errs)
	}
	for src, a := range arts {
		w := want[src]
		if a.Outlet != w[0] || !a.IsInferred(data.FieldOutlet) {
			t.Errorf("%s: outlet %q (inferred %v), want %q", filepath.Base(src), a.Outlet, a.Inferred, w[0])
		}
		// The dataset's dates are those of the URLs' paths, and HuffPost's
		// those of their object IDs; Breitbart's /news/ items have none.
		if a.Date.String() != w[1] || a.IsInferred(data.FieldDate) == a.Date.IsZero() {
			t.Errorf("%s: date %q (inferred %v) from %s, want %q", filepath.Base(src), a.Date, a.Inferred, a.URL, w[1])
		}
	}
}

func TestHeadline(t *testing.T) {
	body := "\n" + strings.Repeat("A sentence of the article's body text goes here. ", 10)
	for _, c := range []struct{ text, want string }{
		{"Bradford children's services rated inadequate for second time" + body, "Bradford children's services rated inadequate for second time"},
		{"Is this the end of the trust?" + body, "Is this the end of the trust?"},
		{"A damning report has found that services deteriorated." + body, ""},
		{"Ofsted said:" + body, ""},
		{"By Jane Smith" + body, ""},
		{"lower case start of a line here" + body, ""},
		{"Two words" + body, ""},
		{"A headline with nothing after it", ""},
		{"A headline over a short text\nOne line.", ""},
	} {
		if got := headline(c.text); got != c.want {
			t.Errorf("headline(%.40q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestOutletOf(t *testing.T) {
	for _, c := range []struct{ url, text, want string }{
		{"https://www.bbc.co.uk/news/uk-england-leeds-64466563", "", "BBC News"},
		{"https://news.sky.com/story/x", "", "Sky News"},
		{"https://amp.theguardian.com/society/2023/jan/31/x", "", "The Guardian"},
		{"https://edition.cnn.com/2018/04/17/politics/x", "", "CNN"},
		{"https://eu.usatoday.com/story/news/x", "", "USA Today"},
		{"https://www.examplelocalnews.co.uk/news/1", "", "examplelocalnews.co.uk"},
		{"https://blog.example.org/x", "", "blog.example.org"},
		{"", "Text.\nFollow BBC Yorkshire on Facebook, external.", "BBC News"},
		{"", "Text.\nMore from Community Care\nOther story", "Community Care"},
		// A section's "More from" is not an outlet; the table's outlets,
		// however the page spells them, and newspapers' names are.
		{"", "Text.\nMore from Sport\nStriker signs for the club", ""},
		{"", "Text.\nMore from UK News\nOther story", ""},
		{"", "Text.\nMore from Money Mail\nOther story", ""},
		{"", "Text.\nMore from Sport\nOther story\nMore from THE GUARDIAN\nAnother story", "The Guardian"},
		{"", "Text.\nMore from The Wensleydale Gazette\nOther story", "The Wensleydale Gazette"},
		// The table's everyday words are sections there, unless written
		// with the table's "The"; so is a section's word before a
		// masthead word, in a name of two words.
		{"", "Text.\nMore from Science\nOther story", ""},
		{"", "Text.\nMore from Metro\nOther story", ""},
		{"", "Text.\nMore from Insider\nOther story", ""},
		{"", "Text.\nMore from The Atlantic\nOther story", "The Atlantic"},
		{"", "Text.\nMore from Education Guardian\nOther story", ""},
		{"", "Text.\nMore from Travel Times\nOther story", ""},
		{"", "Text.\nMore from Health Journal\nOther story", ""},
		{"", "Text.\nMore from Health Service Journal\nOther story", "Health Service Journal"},
		{"", "Text.\nMore from Business Insider\nOther story", "Business Insider"},
		{"", "Text.\nMore from Wigan Observer\nOther story", "Wigan Observer"},
		{"", "Text.\nCopyright 2018 The Associated Press. All rights reserved.", "Associated Press"},
		{"", "Nothing to go on here.", ""},
	} {
		if got := outletOf(c.url, c.text); got != c.want {
			t.Errorf("outletOf(%q, %.30q) = %q, want %q", c.url, c.text, got, c.want)
		}
	}
}

func TestDateOf(t *testing.T) {
	for _, c := range []struct{ url, text, want string }{
		{"https://www.foxnews.com/politics/2018/04/17/cia-director.html", "", "2018-04-17"},
		{"https://www.theguardian.com/society/2023/jan/31/x", "", ""},
		{"https://example.com/news/2021/09/x", "", "2021-09"},
		{"https://example.com/2021-09-14-story", "", "2021-09-14"},
		{"https://example.com/a/20230131/story", "", "2023-01-31"},
		{"https://example.com/2023/02/30/bad", "", ""},
		{"https://www.huffingtonpost.com/entry/mike-pompeo-kim-jong-un_us_5ad68f54e4b029ebe01ef17a", "", "2018-04-17"},
		{"https://example.com/entry/story_us_5ad68f54e4b029ebe01ef17a", "", ""},
		{"", "Headline\nPublished 31 January 2023\nBody.", "2023-01-31"},
		{"", "Headline\nTuesday 31 January 2023 14:05 GMT\nBody.", "2023-01-31"},
		{"", "Headline\n- Published\nBody text.", ""},
		{"", "Headline\nJanuary 31, 2023\nBody.", "2023-01-31"},
		{"", "A sentence about 31 January 2023 in the body of the article.", ""},
	} {
		d, ok := dateOf(c.url, c.text)
		if got := d.String(); got != c.want || ok != (c.want != "") {
			t.Errorf("dateOf(%q, %.30q) = %q, %v; want %q", c.url, c.text, got, ok, c.want)
		}
	}
}

func TestCleanByline(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"By Jane Smith", "Jane Smith"},
		{"by  Jane\n Smith ", "Jane Smith"},
		{"By Jane Smith, 31 January 2023", "Jane Smith"},
		{"Jane Smith | 12 comments", "Jane Smith"},
		{"By Jane Smith - Published 14:05, 31 Jan 2023", "Jane Smith"},
		{"Jane Smith, Political Editor", "Jane Smith, Political Editor"},
		{"By Jane Smith and John Doe • 5 min read", "Jane Smith and John Doe"},
		{"Jane Smith 2023-01-31T10:00:00Z", "Jane Smith"},
	} {
		if got := cleanByline(c.in); got != c.want {
			t.Errorf("cleanByline(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
