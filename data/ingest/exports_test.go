package ingest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest/ingesttest"
	"github.com/parallax-research/parallax/data/storetest"
)

// exportArticles are the articles the export fixtures hold: corpus
// articles, some given a byline, and the second one again at the end,
// as databases deliver the same article twice.
func exportArticles(t *testing.T) []ingesttest.Article {
	arts := ingesttest.CorpusArticles(t, 7)
	for i := range arts {
		if i%2 == 0 {
			arts[i].Author = fmt.Sprintf("Reporter Number%d", i)
		}
	}
	return append(arts, arts[1])
}

// checkExport reads one export file and checks every article against the
// fixture's, then stores them: the repeated article is a duplicate.
func checkExport(t *testing.T, p string, want []ingesttest.Article, attrs map[string]func(ingesttest.Article) string) {
	t.Helper()
	got, errs := readAll(t, &Importer{}, p)
	if len(errs) > 0 || len(got) != len(want) {
		t.Fatalf("%s: %d articles (want %d), errors %q", p, len(got), len(want), errs)
	}
	arts := inOrder(got)
	for i, a := range arts {
		if a.Source != fmt.Sprintf("%s#%d", pathKey(p), i+1) {
			t.Errorf("article %d: source %q", i+1, a.Source)
		}
		checkArticle(t, fmt.Sprintf("%s#%d", p, i+1), a, want[i])
		for k, f := range attrs {
			if w := f(want[i]); a.Attributes[k] != w {
				t.Errorf("%s#%d: attribute %s = %q, want %q", p, i+1, k, a.Attributes[k], w)
			}
		}
	}
	res, err := storetest.Open(t).AddArticles(context.Background(), arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Duplicate != (i == len(res)-1) {
			t.Errorf("%s#%d: duplicate %v", p, i+1, r.Duplicate)
			if i == len(res)-1 {
				t.Logf("first copy:\n%s\nsecond copy:\n%s", arts[1].Text, arts[i].Text)
			}
		}
	}
}

func words(a ingesttest.Article) string {
	n := 0
	for _, p := range a.Paras {
		n += len(strings.Fields(p))
	}
	return fmt.Sprintf("%d words", n)
}

func TestImportNexisUniCorpus(t *testing.T) {
	arts := exportArticles(t)
	lines := ingesttest.NexisUniLines(arts, -1)
	attrs := map[string]func(ingesttest.Article) string{
		"length":  words,
		"section": func(ingesttest.Article) string { return "NEWS; Version:1" },
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{
		{"nexis.docx", ingesttest.DOCX(ingesttest.Lines(lines), ingesttest.Props{Title: "Files (8)"})},
		{"nexis.rtf", ingesttest.RTF(ingesttest.Lines(lines), ingesttest.Props{})},
		{"nexis.pdf", ingesttest.PDFLines(lines, ingesttest.PDFOptions{PageNumbers: true})},
	} {
		t.Run(f.name, func(t *testing.T) {
			checkExport(t, writeFixture(t, f.name, f.b), arts, attrs)
		})
	}
}

func TestImportNexisClassicCorpus(t *testing.T) {
	arts := exportArticles(t)
	p := writeFixture(t, "nexis-classic.rtf", ingesttest.RTF(ingesttest.Lines(ingesttest.NexisClassicLines(arts)), ingesttest.Props{}))
	checkExport(t, p, arts, map[string]func(ingesttest.Article) string{
		"section":  func(ingesttest.Article) string { return "NEWS; Pg. 4" },
		"language": func(ingesttest.Article) string { return "ENGLISH" },
	})
}

func TestImportFactivaCorpus(t *testing.T) {
	arts := exportArticles(t)
	attrs := map[string]func(ingesttest.Article) string{"length": words}
	t.Run("rtf", func(t *testing.T) {
		checkExport(t, writeFixture(t, "factiva.rtf", ingesttest.FactivaRTF(arts)), arts, attrs)
	})
	t.Run("html", func(t *testing.T) {
		checkExport(t, writeFixture(t, "factiva.html", ingesttest.FactivaHTML(arts)), arts, attrs)
	})
}

// TestImportNexisMissingEnd: an export whose "End of Document" is missing
// is refused whole, with one error naming the file.
func TestImportNexisMissingEndCorpus(t *testing.T) {
	arts := exportArticles(t)
	for _, drop := range []int{2, len(arts) - 1} {
		p := writeFixture(t, "cut.docx", ingesttest.DOCX(ingesttest.Lines(ingesttest.NexisUniLines(arts, drop)), ingesttest.Props{}))
		got, errs := readAll(t, &Importer{}, p)
		if len(got) != 0 || len(errs) != 1 {
			t.Fatalf("drop %d: %d articles, errors %q; want one error", drop, len(got), errs)
		}
		wantErr(t, errs, p+": ", `"End of Document"`, "none of it was imported")
	}
}

// TestImportNotAnExport: documents that mention an export's markers in
// passing stay one article.
func TestImportNotAnExport(t *testing.T) {
	a := ingesttest.Synthetic(t)[0]
	paras := append(ingesttest.ArticleParas(a), ingesttest.Para{Text: "End of Document"},
		ingesttest.Para{Text: "HD cameras were installed along the river."}, ingesttest.Para{Text: "SN 12 was the station's code."})
	for _, name := range []string{"plain.docx", "plain.rtf"} {
		b := ingesttest.DOCX(paras, ingesttest.Props{})
		if strings.HasSuffix(name, ".rtf") {
			b = ingesttest.RTF(paras, ingesttest.Props{})
		}
		p := writeFixture(t, name, b)
		got, errs := readAll(t, &Importer{}, p)
		if len(errs) > 0 || len(got) != 1 {
			t.Fatalf("%s: %d articles, errors %q", name, len(got), errs)
		}
		if g := got[pathKey(p)]; g.Title != a.Title {
			t.Errorf("%s: title %q", name, g.Title)
		}
	}
}

func TestParseNewsDate(t *testing.T) {
	for in, want := range map[string]string{
		"January 31, 2023 Tuesday":   "2023-01-31",
		"Tuesday 31 January 2023":    "2023-01-31",
		"31 Jan 2023":                "2023-01-31",
		"31. Januar 2023":            "2023-01-31",
		"mardi 31 janvier 2023":      "2023-01-31",
		"2023-01-31":                 "2023-01-31",
		"September 2021":             "2021-09",
		"February 30, 2023":          "",
		"May the best team win 2023": "",
		"Bradford children's services rated inadequate for second time in May 2023 report": "",
	} {
		d, ok := parseNewsDate(in)
		if got := d.String(); ok != (want != "") || got != want {
			t.Errorf("parseNewsDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func FuzzSplitExport(f *testing.F) {
	arts := []ingesttest.Article{{Title: "T", Outlet: "O", Author: "A", Date: "2023-01-31", Paras: []string{"one", "two"}}}
	f.Add(strings.Join(ingesttest.NexisUniLines(arts, -1), "\n"))
	f.Add(strings.Join(ingesttest.NexisClassicLines(arts), "\n"))
	f.Add("HD\tHeadline\nPD 31 January 2023\nSN Source\nLP\nLead\nTD\nText\nAN Document X")
	f.Add(strings.Join(ingesttest.FactivaLines(arts), "\n"))
	f.Add("Headline\nOutlet\nSpring 2023\nLength: 3 words\nBody\nOne.\nSubject: Re: two\nThree.\nLoad-Date: March 20, 2023\nEnd of Document")
	f.Add("HD\nT\nPD\n4 March 2023\nSN\nS\nLP\nAN inquest heard.\nTD\tIN a statement.\nIN i1 : Industry\nAN Document ABCDEFGHIJ0123456789")
	f.Add("Document 1 of 2\nHeadline\nFull text: One.\nProQuest document ID: 1\nDocument 2 of 2\nEnd of Document\nEnd of Document")
	f.Add("1 of 1 DOCUMENTS\nOutlet\nMarch 4, 2023, Saturday, Late Edition - Final\nLENGTH: 3 words\nHEADLINE: One;\nTwo\nBYLINE: By A\nBODY:\nText.\nURL: https://example.com/x\nLOAD-DATE: March 5, 2023")
	f.Add("1 of 1 DOCUMENTS\nOutlet\nMarch 4, 2023\nLENGTH: 3 words\nBODY:\nText.\nURL: https://example.com/y\nURL: https://example.com/x\nLOAD-DATE: March 5, 2023")
	f.Fuzz(func(t *testing.T, s string) {
		var paras []docPara
		for _, l := range strings.Split(s, "\n") {
			paras = append(paras, docPara{Text: l})
		}
		items, _, err := splitExport(context.Background(), paras, "f.docx", "/f.docx")
		if err != nil {
			return
		}
		for _, it := range items {
			if it.Err == nil && (strings.TrimSpace(it.Article.Text) == "" || it.Article.Text != data.NormalizeText(it.Article.Text)) {
				t.Fatalf("article with empty or unnormalised text: %q", it.Article.Text)
			}
			if it.Err != nil && !strings.HasPrefix(it.Err.Error(), "f.docx#") {
				t.Fatalf("error %q does not name the article", it.Err)
			}
		}
	})
}

// TestImportExportsAsText: a news-database export saved as plain text is
// split into its articles as the same export in a Word file is, its
// furniture dropped; a single Nexis article saved as text too.
func TestImportExportsAsText(t *testing.T) {
	syn := ingesttest.Synthetic(t)
	syn[0].Author = "Jane Holloway"
	arts := append(syn, syn[1]) // the second again, as databases deliver it
	attrs := map[string]func(ingesttest.Article) string{"length": words}
	for _, c := range []struct {
		name  string
		text  string
		want  []ingesttest.Article
		attrs map[string]func(ingesttest.Article) string
	}{
		{"nexis-uni.txt", strings.Join(ingesttest.NexisUniLines(arts, -1), "\n\n"), arts, attrs},
		{"nexis-uni-crlf.txt", strings.Join(ingesttest.NexisUniLines(arts, -1), "\r\n"), arts, attrs},
		{"nexis-classic.txt", strings.Join(ingesttest.NexisClassicLines(arts), "\n"), arts,
			map[string]func(ingesttest.Article) string{"language": func(ingesttest.Article) string { return "ENGLISH" }}},
		{"factiva.txt", "\uFEFF" + strings.Join(ingesttest.FactivaLines(arts), "\n"), arts, attrs},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkExport(t, writeFixture(t, c.name, []byte(c.text)), c.want, c.attrs)
		})
	}
	t.Run("one Nexis article", func(t *testing.T) {
		lines := ingesttest.NexisUniLines(syn[:1], -1)
		p := writeFixture(t, "saved.txt", []byte(strings.Join(lines[4+7:], "\n\n"))) // no cover page
		got, errs := readAll(t, &Importer{}, p)
		if len(errs) > 0 || len(got) != 1 {
			t.Fatalf("%d articles, errors %q", len(got), errs)
		}
		a := got[pathKey(p)+"#1"]
		checkArticle(t, p, a, syn[0])
		if a.Text != syn[0].Body() {
			t.Errorf("text %q, want the article's paragraphs alone", a.Text)
		}
	})
}

// TestImportUnsplitExport: a file that plainly holds several articles of
// a database export Parallax cannot split is refused whole, the error
// naming the file and the layout, rather than stored as one article.
func TestImportUnsplitExport(t *testing.T) {
	a := ingesttest.Synthetic(t)[0]
	rule := strings.Repeat("_", 60)
	proquest := []string{rule, "Report Information from ProQuest", rule}
	nexisNoBody := []string{}
	factivaPlain := []string{}
	for i := 1; i <= 2; i++ {
		proquest = append(proquest, fmt.Sprintf("Document %d of 2", i), "", a.Title, "", "Author: Holloway, Jane", "",
			"Publication info: "+a.Outlet+"; London (UK). 12 Mar 2024: 4.", "", "Full text: "+a.Paras[0])
		proquest = append(proquest, a.Paras[1:]...)
		proquest = append(proquest, "", "Publication date: Mar 12, 2024", fmt.Sprintf("ProQuest document ID: 29410%d", i), "Database: ProQuest Central", rule)
		nexisNoBody = append(nexisNoBody, a.Title, a.Outlet, ingesttest.NexisDate(a.Date), "Length: 412 words")
		nexisNoBody = append(nexisNoBody, a.Paras...)
		nexisNoBody = append(nexisNoBody, "End of Document")
		factivaPlain = append(factivaPlain, a.Title, "By Jane Holloway", "412 words", "12 March 2024", a.Outlet, "English")
		factivaPlain = append(factivaPlain, a.Paras...)
		factivaPlain = append(factivaPlain, fmt.Sprintf("Document EXMPL00020240312ek3c000%02d", i), "")
	}
	for _, c := range []struct {
		name, layout string
		b            []byte
	}{
		{"proquest.txt", "ProQuest", []byte(strings.Join(proquest, "\n"))},
		{"nexis-no-body.txt", `"End of Document"`, []byte(strings.Join(nexisNoBody, "\n\n"))},
		{"nexis-no-body.docx", `"End of Document"`, ingesttest.DOCX(ingesttest.Lines(nexisNoBody), ingesttest.Props{})},
		{"factiva-article-format.rtf", "Factiva", ingesttest.RTF(ingesttest.Lines(factivaPlain), ingesttest.Props{})},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFixture(t, c.name, c.b)
			got, errs := readAll(t, &Importer{}, p)
			if len(got) != 0 || len(errs) != 1 {
				t.Fatalf("%d articles, errors %q; want one error", len(got), errs)
			}
			wantErr(t, errs, p+": ", c.layout, "cannot split", "none of it was imported")
		})
	}
}

// TestFactivaBodyStartsWithCode: a paragraph of the lead or text whose
// first word is a field code's letters (a tabloid's capitalised opening,
// "IN a statement", "AN inquest heard") is text, in every layout Factiva
// writes; only the code laid out as a field ends the text.
func TestFactivaBodyStartsWithCode(t *testing.T) {
	a := ingesttest.Article{
		Title: "Inquest opens into harbour crane collapse", Outlet: "The Example Sun", Date: "2024-03-14",
		Paras: []string{
			"AN inquest heard yesterday that the crane's safety catch had been removed weeks before it fell onto the quay.",
			"The operator, 52, died at the scene after the jib struck the cabin where he was sitting.",
			"IN a statement, the port authority said it was cooperating fully with the investigation.",
			"BY the time emergency crews arrived, dock workers had already cleared the road to the gate.",
			"SN 4, the crane's serial number, was last inspected in 2019, the court was told.",
		},
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{
		{"table.rtf", ingesttest.FactivaRTF([]ingesttest.Article{a})},
		{"lines.rtf", ingesttest.RTF(ingesttest.Lines(ingesttest.FactivaLines([]ingesttest.Article{a})), ingesttest.Props{})},
		{"page.html", ingesttest.FactivaHTML([]ingesttest.Article{a})},
		{"lines.txt", []byte(strings.Join(ingesttest.FactivaLines([]ingesttest.Article{a}), "\n"))},
	} {
		t.Run(f.name, func(t *testing.T) {
			p := writeFixture(t, "factiva-"+f.name, f.b)
			got, errs := readAll(t, &Importer{}, p)
			if len(errs) > 0 || len(got) != 1 {
				t.Fatalf("%d articles, errors %q", len(got), errs)
			}
			g := got[pathKey(p)+"#1"]
			checkArticle(t, p, g, a)
			if g.Text != a.Body() {
				t.Errorf("text:\n%s\nwant:\n%s", g.Text, a.Body())
			}
			if g.Attributes["factiva_document"] == "" {
				t.Errorf("no document number: the AN field was not read")
			}
		})
	}
}

// TestNexisUniShapes: a date line that names a period rather than a day
// keeps the headline and publication in their places (the date then is
// the Load-Date, flagged as inferred), and a paragraph of the text that
// starts like a trailer label is text: the trailer is only the run of
// labelled lines that ends the article.
func TestNexisUniShapes(t *testing.T) {
	base := ingesttest.Synthetic(t)[0]
	for _, c := range []struct {
		name, dateLine string
		paras          []string
	}{
		{"season", "Spring 2024", nil},
		{"winter over two years", "Winter 2023/2024", nil},
		{"quarter", "Q1 2024", nil},
		{"volume and issue", "Volume 12, Issue 3, 2024", nil},
		{"volume, number and season", "Vol. 45, No. 6, Spring 2024", nil},
		{"quoted e-mail", "", []string{base.Paras[0], "Subject: Re: barrier costs - urgent", base.Paras[1], base.Paras[2]}},
		{"notes and person in the text", "", []string{base.Paras[0], "Notes: the figures were revised on Friday.", "Person: a spokesperson for the authority, who asked not to be named.", base.Paras[1]}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := base
			if c.paras != nil {
				a.Paras = c.paras
			}
			lines := ingesttest.NexisUniLines([]ingesttest.Article{a}, -1)
			if c.dateLine != "" {
				lines[slices.Index(lines, ingesttest.NexisDate(a.Date))] = c.dateLine
			}
			p := writeFixture(t, "nexis.docx", ingesttest.DOCX(ingesttest.Lines(lines), ingesttest.Props{}))
			got, errs := readAll(t, &Importer{}, p)
			if len(errs) > 0 || len(got) != 1 {
				t.Fatalf("%d articles, errors %q", len(got), errs)
			}
			g := got[pathKey(p)+"#1"]
			if g.Title != a.Title || g.Outlet != a.Outlet {
				t.Errorf("title %q, outlet %q; want %q, %q", g.Title, g.Outlet, a.Title, a.Outlet)
			}
			if g.Text != a.Body() {
				t.Errorf("text:\n%s\nwant:\n%s", g.Text, a.Body())
			}
			if c.dateLine != "" && (g.Attributes["date_line"] != c.dateLine || !g.IsInferred(data.FieldDate)) {
				t.Errorf("date %s (inferred %v), date_line %q; want the Load-Date, flagged, and %q", g.Date, g.Inferred, g.Attributes["date_line"], c.dateLine)
			}
			if c.dateLine == "" && (g.Date.String() != a.Date || g.IsInferred(data.FieldDate)) {
				t.Errorf("date %s (inferred %v), want %s", g.Date, g.Inferred, a.Date)
			}
		})
	}
}

// TestNexisAcademicLayout: LexisNexis Academic's older layout, "N of M
// DOCUMENTS" with the headline labelled after LENGTH: (and perhaps going
// on over a second line), BYLINE:, a line "BODY:", the text, URL: and
// LOAD-DATE:, gives each article its headline, byline, address and the
// day of its date line, edition and weekday included, not the day after
// from LOAD-DATE:; the text is the lines between BODY: and the trailer,
// whose one URL: line is the last: a URL: paragraph before it is text.
// The older nexis.com date line with the edition after the weekday is
// read too, rather than taken for the headline.
func TestNexisAcademicLayout(t *testing.T) {
	paras := [][]string{
		{"Ferry fares to the islands will rise by a fifth from May, the operator said on Thursday.", "Councillors on the islands said the rise was unfair to residents who have no other way to reach the mainland."},
		// The text's own last paragraph is a URL: line, above the trailer's.
		{"The harbour board has approved a new breakwater after two winters of storm damage to the pier.", "Work is due to start in the autumn and to take two years, the board's chair said.", "URL: https://harbour.example.gov.uk/breakwater-plans"},
		{"A village school will close at the end of the summer term after its roll fell to nine pupils.", "Parents said they would ask the council to think again."},
	}
	lines := []string{
		"1 of 3 DOCUMENTS", "", "The Island Courier", "", "March 4, 2023, Saturday, Late Edition - Final", "",
		"SECTION: NEWS; Pg. 3", "", "LENGTH: 31 words", "", "HEADLINE: FERRY FARES TO RISE BY A FIFTH;", "", "COUNCILLORS CRY FOUL", "",
		"BYLINE: By JANE HOLLOWAY", "", "BODY:", "", paras[0][0], "", paras[0][1], "",
		"URL: https://example.com/ferry-fares", "", "LOAD-DATE: March 5, 2023", "", "LANGUAGE: ENGLISH", "",
		"2 of 3 DOCUMENTS", "", "Harbour Weekly", "", "March 4, 2023 Saturday", "",
		"SECTION: Section A; Pg. 1", "", "LENGTH: 33 words", "", "HEADLINE: Breakwater approved", "",
		"BYLINE: Tom Reid", "", "BODY:", "", paras[1][0], "", paras[1][1], "", paras[1][2], "",
		"URL: https://example.com/breakwater", "", "LOAD-DATE: March 6, 2023", "", "LANGUAGE: ENGLISH", "",
		// nexis.com's own layout: headline unlabelled, text after LENGTH:.
		"3 of 3 DOCUMENTS", "", "The Glen Gazette", "", "April 17, 2018 Tuesday Late Edition - Final", "",
		"Village school to close", "", "BYLINE: Ann Bell", "", "SECTION: NEWS; Pg. 5", "", "LENGTH: 28 words", "",
		paras[2][0], "", paras[2][1], "", "LOAD-DATE: April 18, 2018", "", "LANGUAGE: ENGLISH", "",
	}
	want := []struct {
		meta    data.Meta
		edition string
	}{
		{data.Meta{Outlet: "The Island Courier", Date: data.MustParseDate("2023-03-04"), Title: "FERRY FARES TO RISE BY A FIFTH; COUNCILLORS CRY FOUL", URL: "https://example.com/ferry-fares", Author: "JANE HOLLOWAY"}, "Late Edition - Final"},
		{data.Meta{Outlet: "Harbour Weekly", Date: data.MustParseDate("2023-03-04"), Title: "Breakwater approved", URL: "https://example.com/breakwater", Author: "Tom Reid"}, ""},
		{data.Meta{Outlet: "The Glen Gazette", Date: data.MustParseDate("2018-04-17"), Title: "Village school to close", Author: "Ann Bell"}, "Late Edition - Final"},
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{
		{"academic.rtf", ingesttest.RTF(ingesttest.Lines(lines), ingesttest.Props{})},
		{"academic.txt", []byte(strings.Join(lines, "\n"))},
	} {
		t.Run(f.name, func(t *testing.T) {
			p := writeFixture(t, f.name, f.b)
			got, errs := readAll(t, &Importer{}, p)
			if len(errs) > 0 || len(got) != len(want) {
				t.Fatalf("%d articles, errors %q", len(got), errs)
			}
			for i, g := range inOrder(got) {
				w := want[i]
				if g.Meta != w.meta || g.IsInferred(data.FieldDate) {
					t.Errorf("article %d: meta %+v (inferred %v), want %+v", i+1, g.Meta, g.Inferred, w.meta)
				}
				if g.Attributes["edition"] != w.edition {
					t.Errorf("article %d: edition %q, want %q", i+1, g.Attributes["edition"], w.edition)
				}
				if text := strings.Join(paras[i], "\n\n"); g.Text != text {
					t.Errorf("article %d: text:\n%s\nwant:\n%s", i+1, g.Text, text)
				}
			}
		})
	}
}

// TestExportLookalikesStayOneArticle: a plain article whose paragraphs
// open with a company's name that reads as a Factiva code ("HD Hyundai",
// "TD Cowen", "PD Ports"), or that quotes a nexis.com marker and a
// LENGTH: line, is one article, its headline and standfirst kept: only
// an export's own lines (the accession number, indexing codes, a word
// count and trailer under each document number) make a file an export.
func TestExportLookalikesStayOneArticle(t *testing.T) {
	head := []string{"Shipyard order lifts hopes for jobs on the Tees", "A Korean group's contract could bring three years of work to the yard."}
	tail := []string{"The yard employs 900 people and last won a naval order in 2019.", "Unions welcomed the news but said they wanted guarantees on pay."}
	for _, c := range []struct {
		name  string
		paras []string
	}{
		{"HD TD SN", []string{
			"HD Hyundai Heavy Industries said on Monday it had won the order for four ferries.",
			"TD Cowen analysts said the deal was priced well below what rivals had offered.",
			"SN Airlines, the charter firm, had also bid for the contract last year."}},
		{"HD LP PD", []string{
			"HD Hyundai said on Monday it had won the order.",
			"LP records sold well at the launch party, the company added.",
			"PD Ports, which runs Teesport, declined to comment on the order."}},
		{"nexis.com marker and LENGTH", []string{
			"1 of 3 DOCUMENTS",
			"LENGTH: 200 words, the memo said, was all the board would read."}},
	} {
		paras := append(append(append([]string{}, head...), c.paras...), tail...)
		for _, f := range []struct {
			name string
			b    []byte
		}{
			{"article.txt", []byte(strings.Join(paras, "\n\n"))},
			{"article.docx", ingesttest.DOCX(ingesttest.Lines(paras), ingesttest.Props{})},
		} {
			t.Run(c.name+"/"+f.name, func(t *testing.T) {
				p := writeFixture(t, f.name, f.b)
				got, errs := readAll(t, &Importer{}, p)
				g, ok := got[pathKey(p)]
				if len(errs) > 0 || len(got) != 1 || !ok {
					t.Fatalf("%d articles %v, errors %q; want the file as one article", len(got), slices.Collect(maps.Keys(got)), errs)
				}
				if strings.HasSuffix(p, ".txt") && g.Title != head[0] {
					t.Errorf("title %q, want %q", g.Title, head[0])
				}
				for _, para := range paras[1:] {
					if !strings.Contains(g.Text, para) {
						t.Errorf("text lost %q:\n%s", para, g.Text)
					}
				}
			})
		}
	}
}

// TestExportTextBeforeFirstArticle: in a real export, text before the
// first article's HD or "N of M DOCUMENTS" belongs to no article; the
// file is refused, naming it and why, rather than the text dropped. The
// search summary is no such text.
func TestExportTextBeforeFirstArticle(t *testing.T) {
	arts := ingesttest.Synthetic(t)[:1]
	prose := "A stray paragraph someone pasted above the first article."
	for _, c := range []struct {
		name, layout string
		lines        []string
	}{
		{"factiva.txt", "Factiva", ingesttest.FactivaLines(arts)},
		{"nexis-classic.txt", "nexis.com", ingesttest.NexisClassicLines(arts)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFixture(t, c.name, []byte(prose+"\n\n"+strings.Join(c.lines, "\n")))
			got, errs := readAll(t, &Importer{}, p)
			if len(got) != 0 || len(errs) != 1 {
				t.Fatalf("%d articles, errors %q; want one error", len(got), errs)
			}
			wantErr(t, errs, p+": ", c.layout, "before its first article", "none of the file was imported")

			// Without the stray paragraph the export reads.
			p = writeFixture(t, c.name, []byte(strings.Join(c.lines, "\n")))
			if got, errs := readAll(t, &Importer{}, p); len(errs) > 0 || len(got) != 1 {
				t.Fatalf("without the paragraph: %d articles, errors %q", len(got), errs)
			}
		})
	}
}

// factivaSingleLines lays an article out as Factiva's indexed format with
// one space after each code ("SN The Example Sun"), after the text the
// fields given.
func factivaSingleLines(a ingesttest.Article, accession string, after ...string) []string {
	l := []string{"HD " + a.Title, "BY By " + a.Author, "WC 120 words", "PD 14 March 2024", "SN " + a.Outlet, "SC EXMPL", "LA English",
		"LP " + a.Paras[0], a.Paras[1], "TD " + a.Paras[2]}
	l = append(l, a.Paras[3:]...)
	l = append(l, after...)
	return append(l, "AN Document "+accession, "")
}

// craneInquiry is a short synthetic article whose lead's second
// paragraph opens "TD Bank", with more paragraphs of the text before its
// last.
func craneInquiry(more ...string) ingesttest.Article {
	paras := []string{
		"An inquiry into the collapse of a harbour crane will look at the port's other cranes, the authority said.",
		"TD Bank analysts said the port's insurers faced a large claim.",
		"The operator, 52, died at the scene after the jib struck his cabin.",
	}
	paras = append(append(paras, more...), "The inquiry will report in the summer.")
	return ingesttest.Article{Title: "Harbour crane inquiry widens", Outlet: "The Example Sun", Author: "Jane Holloway", Date: "2024-03-14", Paras: paras}
}

// TestFactivaLayouts: each of Factiva's layouts is read by its own rule,
// the whole file through. With the code alone on its line, the headline
// under HD is the headline whatever its first word ("IN FULL: …", "AN
// ACT OF …"), and a lead paragraph opening "TD Bank" is text. With one
// space after the code, the fields after the text (ART, IPD, PUB with no
// indexing code before them) leave the text, and a bare "SE" line in the
// text stays in it.
func TestFactivaLayouts(t *testing.T) {
	base := craneInquiry(
		"IN a statement, the port authority said it was cooperating fully.",
		"SE",
		"BY the time crews arrived, dock workers had cleared the road.")
	// In the single-space layout a lead paragraph opening "TD Bank" reads
	// exactly as the code; that case is TestFactivaAmbiguousTD's.
	single := base
	single.Paras = slices.Clone(base.Paras)
	single.Paras[1] = "Bank analysts said the port's insurers faced a large claim."
	alone := func(titles ...string) []string {
		var arts []ingesttest.Article
		for _, title := range titles {
			a := base
			a.Title = title
			arts = append(arts, a)
		}
		return ingesttest.FactivaLines(arts)
	}
	for _, c := range []struct {
		name   string
		lines  []string
		titles []string
	}{
		{"code alone", alone("IN FULL: the inspectors' verdict on the harbour", "AN ACT OF NEGLECT"), []string{"IN FULL: the inspectors' verdict on the harbour", "AN ACT OF NEGLECT"}},
		{"one space", append(factivaSingleLines(single, "EXMPL00020240314ek3e00001", "ART Photo: the quay after the collapse. Example Images", "IPD Ports | Accidents", "PUB Example Sun Ltd"),
			factivaSingleLines(single, "EXMPL00020240314ek3e00002", "CT Contact the newsdesk", "RF Ref 1234", "CO exmplp : Example Port Authority", "NS gcat : Political/General News", "PUB Example Sun Ltd")...),
			[]string{base.Title, base.Title}},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := base
			if c.name == "one space" {
				base = single
			}
			p := writeFixture(t, "factiva.txt", []byte(strings.Join(c.lines, "\n")))
			got, errs := readAll(t, &Importer{}, p)
			if len(errs) > 0 || len(got) != len(c.titles) {
				t.Fatalf("%d articles, errors %q", len(got), errs)
			}
			for i, g := range inOrder(got) {
				if g.Title != c.titles[i] || g.Outlet != base.Outlet {
					t.Errorf("article %d: title %q, outlet %q; want %q, %q", i+1, g.Title, g.Outlet, c.titles[i], base.Outlet)
				}
				if g.Text != base.Body() {
					t.Errorf("article %d: text:\n%s\nwant:\n%s", i+1, g.Text, base.Body())
				}
				if doc := g.Attributes["factiva_document"]; !strings.HasPrefix(doc, "EXMPL00020240") {
					t.Errorf("article %d: document number %q", i+1, doc)
				}
				if g.Attributes["section"] != "" {
					t.Errorf("article %d: section %q, from a line of the text", i+1, g.Attributes["section"])
				}
			}
		})
	}
}

// TestFactivaAmbiguousTD: in the single-space layout a lead paragraph
// opening "TD Bank" cannot be told from the code that starts the text.
// The first is taken as the code, and the import says so rather than
// guessing quietly.
func TestFactivaAmbiguousTD(t *testing.T) {
	a := craneInquiry()
	p := writeFixture(t, "factiva.txt", []byte(strings.Join(factivaSingleLines(a, "EXMPL00020240314ek3e00001", "NS gcat : Political/General News"), "\n")))
	items, err := (&Importer{}).Read(context.Background(), []string{p}, nil)
	if err != nil || len(items) != 1 || items[0].Err != nil {
		t.Fatalf("Read: %v, %d items %+v", err, len(items), items)
	}
	if w := items[0].Warnings; len(w) != 1 || !strings.Contains(w[0], `begin "TD "`) {
		t.Errorf("warnings %q, want one on the paragraphs beginning TD", w)
	}
}

// TestNexisUniCaptionAndNotes: a photograph's caption under a bare
// "Graphic" line, or notes under "Notes", between the text and the
// trailer leave the text (where they would be read for quotes and
// speakers) for the attribute graphic or notes.
func TestNexisUniCaptionAndNotes(t *testing.T) {
	a := ingesttest.Synthetic(t)[0]
	for _, c := range []struct {
		name, key string
		block     []string
	}{
		{"graphic", "graphic", []string{"Graphic", "Photograph: the flood barrier at dawn. Photograph: Example Images"}},
		{"graphic over two paragraphs", "graphic", []string{"Graphic", "The barrier under construction.", "Engineers inspect the gates, left, as the tide turns."}},
		{"notes", "notes", []string{"Notes", "This article was amended on Friday to correct the barrier's cost."}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lines := ingesttest.NexisUniLines([]ingesttest.Article{a}, -1)
			at := slices.Index(lines, a.Paras[len(a.Paras)-1]) + 1
			lines = slices.Insert(lines, at, append(c.block, "Classification", "Language: ENGLISH", "Subject: FLOODS (90%)")...)
			p := writeFixture(t, "nexis.txt", []byte(strings.Join(lines, "\n\n")))
			got, errs := readAll(t, &Importer{}, p)
			if len(errs) > 0 || len(got) != 1 {
				t.Fatalf("%d articles, errors %q", len(got), errs)
			}
			g := got[pathKey(p)+"#1"]
			if g.Text != a.Body() {
				t.Errorf("text:\n%s\nwant:\n%s", g.Text, a.Body())
			}
			if want := strings.Join(c.block[1:], " "); g.Attributes[c.key] != want {
				t.Errorf("%s %q, want %q", c.key, g.Attributes[c.key], want)
			}
		})
	}
}

// TestImportSingleProquest: a file with one ProQuest record is one
// article (a file of several is refused, TestImportUnsplitExport), the
// citation block after its text cut, its document ID kept, and a warning
// saying how it was read; with the ID line inside the text nothing is cut.
func TestImportSingleProquest(t *testing.T) {
	a := ingesttest.Synthetic(t)[0]
	citation := []string{"Publication date: Mar 12, 2024", "Publication title: " + a.Outlet, "ProQuest document ID: 2941077",
		"Document URL: https://www.proquest.com/newspapers/x/docview/2941077", "Copyright: Copyright Example Media Mar 12, 2024",
		"Last updated: 2024-03-13", "Database: ProQuest Central"}
	record := append([]string{a.Title, "Author: Holloway, Jane", "Full text: " + a.Paras[0]}, a.Paras[1:]...)
	inside := slices.Insert(slices.Clone(record), 2, "ProQuest document ID: 2941077")
	for _, c := range []struct {
		name, warning string
		lines, gone   []string
	}{
		{"citation.txt", "citation block at its end (7 lines", append(slices.Clone(record), citation...), citation},
		{"citation.docx", "citation block at its end (7 lines", append(slices.Clone(record), citation...), citation},
		{"inside.txt", "stands inside the text", inside, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := []byte(strings.Join(c.lines, "\n\n"))
			if strings.HasSuffix(c.name, ".docx") {
				b = ingesttest.DOCX(ingesttest.Lines(c.lines), ingesttest.Props{})
			}
			p := writeFixture(t, c.name, b)
			items, err := (&Importer{}).Read(context.Background(), []string{p}, nil)
			if err != nil || len(items) != 1 || items[0].Err != nil {
				t.Fatalf("Read: %v, %d items %+v", err, len(items), items)
			}
			g := items[0].Article
			if w := items[0].Warnings; len(w) != 1 || !strings.Contains(w[0], "single ProQuest article") || !strings.Contains(w[0], c.warning) {
				t.Errorf("warnings %q, want one with %q", w, c.warning)
			}
			if g.Attributes["proquest_document"] != "2941077" {
				t.Errorf("proquest_document %q", g.Attributes["proquest_document"])
			}
			for _, para := range a.Paras[1:] {
				if !strings.Contains(g.Text, para) {
					t.Errorf("text lost %q", para)
				}
			}
			for _, l := range c.gone {
				if strings.Contains(g.Text, l) {
					t.Errorf("citation line %q left in the text", l)
				}
			}
		})
	}
}

// TestPlainArticleWithMarkers: an article that quotes an export's
// markers ("End of Document", "1 of 3 DOCUMENTS", "Document 1 of 2", a
// line "Text") is one article, not refused as an export nor split into
// one without text: those need the export's labelled lines too.
func TestPlainArticleWithMarkers(t *testing.T) {
	a := ingesttest.Synthetic(t)[0]
	for _, c := range []struct {
		name    string
		markers []string
	}{
		{"two End of Document", []string{"The memo closed with the words:", "End of Document", "Later, officials said:", "End of document"}},
		{"two N of M DOCUMENTS", []string{"1 of 3 DOCUMENTS", "The second page was marked", "2 of 3 DOCUMENTS"}},
		{"two Document N of M", []string{"Document 1 of 2", "Document 2 of 2"}},
		{"Text and End of Document", []string{"Text", "End of Document"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			paras := append(append([]string{a.Title, a.Paras[0]}, c.markers...), a.Paras[1:]...)
			p := writeFixture(t, "article.txt", []byte(strings.Join(paras, "\n\n")))
			got, errs := readAll(t, &Importer{}, p)
			g, ok := got[pathKey(p)]
			if len(errs) > 0 || len(got) != 1 || !ok {
				t.Fatalf("%d articles %v, errors %q; want the file as one article", len(got), slices.Collect(maps.Keys(got)), errs)
			}
			if g.Title != a.Title {
				t.Errorf("title %q, want %q", g.Title, a.Title)
			}
			for _, para := range a.Paras {
				if !strings.Contains(g.Text, para) {
					t.Errorf("text lost %q", para)
				}
			}
		})
	}
}
