package export

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/storetest"
	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// exportNow is the fixture's clock, so goldens hold no run-dependent data.
var exportNow = time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)

// Fixture texts: curly quotes, an accent, an emoji, a paragraph break.
const (
	fxBBC = "Ofsted said there were “widespread and serious failures” in Bradford’s children’s services.\n\n" +
		"The report found 1,365 children were waiting for help. Ms Haque said: “We will act on this now.” Café staff 😀 were not involved."
	fxTA  = "Inspectors found “serious failures” in the service. The report found 1,400 children were waiting."
	fxITV = "Ms Haque said: “We will act now.” Parents were told @once."
)

// runeSpan is the rune range of the first sub in text.
func runeSpan(t *testing.T, text, sub string) (int, int) {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("fixture: %q not in %q", sub, text)
	}
	start := len([]rune(text[:i]))
	return start, start + len([]rune(sub))
}

// exportFixture builds a small project through the store's own API and
// loads it for export: three articles (one with a formula for a title and
// no URL), nested codes, four annotations (one with two codes, one
// uncoded), memos on every kind of target, and three clusters (a
// fragment, a figures difference and an insertion).
func exportFixture(t *testing.T) *data.ExportData {
	t.Helper()
	s := storetest.Open(t)
	s.Now = func() time.Time { return exportNow }
	ctx := context.Background()
	arts := []data.Article{
		{Meta: data.Meta{Outlet: "BBC News", Date: data.MustParseDate("2023-11-01"), Title: "Ofsted: “widespread and serious failures” in Bradford",
			URL: "https://www.bbc.co.uk/news/uk-england-leeds-1"}, Text: fxBBC, Source: "bbc.txt"},
		{Meta: data.Meta{Outlet: "Telegraph & Argus", Date: data.MustParseDate("2023-11"), Title: `=HYPERLINK("http://x")`}, Text: fxTA, Source: "ta.txt"},
		{Meta: data.Meta{Outlet: "ITV News", Date: data.MustParseDate("2023-11-02"), Title: "Bradford | *children* <b>services</b>",
			URL: "https://www.itv.com/news/2023-11-02/bradford"}, Text: fxITV, Source: "itv.txt"},
	}
	res, err := s.AddArticles(ctx, arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	bbc, ta, itv := res[0].ID, res[1].ID, res[2].ID

	code := func(path string) int64 {
		c, err := s.EnsureCodePath(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	systemic, figures, framing := code("Findings/Severity/Systemic"), code("Findings/Figures"), code("Framing")
	severity := code("Findings/Severity")
	codes, err := s.Codes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if c.Name == "Findings" {
			c.Description = "What the report concluded"
			if err := s.UpdateCode(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
	}

	annotate := func(guid string, article int64, text, sub, note, color string, codes ...int64) {
		start, end := runeSpan(t, text, sub)
		if _, err := s.CreateAnnotation(ctx, data.Annotation{GUID: guid, ArticleID: article, Start: start, End: end,
			Note: note, Color: color, CodeIDs: codes}); err != nil {
			t.Fatal(err)
		}
	}
	annotate("0b5c1f7e-1d2a-4c3b-9e8f-000000000001", bbc, fxBBC, "widespread and serious failures",
		"Key claim.\nCompare T&A's “serious failures”.", "#F6B73C", severity, framing)
	annotate("0b5c1f7e-1d2a-4c3b-9e8f-000000000002", bbc, fxBBC, "Café staff 😀", "", "#33AA55")
	annotate("0b5c1f7e-1d2a-4c3b-9e8f-000000000003", ta, fxTA, "1,400",
		"=1+1 differs from the BBC's 1,365\n@SUM(A1)", "#F6B73C", figures)
	annotate("0b5c1f7e-1d2a-4c3b-9e8f-000000000004", itv, fxITV, "We will act now.",
		"Pipes | and *stars* and # hash\n- dash line", "#F6B73C", systemic)

	member := func(article int64, text, sub string, ref bool, rels []vocab.Relation, diff ...data.DiffOp) data.ClusterMember {
		start, end := runeSpan(t, text, sub)
		return data.ClusterMember{ArticleID: article, Kind: "quote", Start: start, End: end, Text: sub, Reference: ref, Relations: rels, Diff: diff}
	}
	clusters := []data.Cluster{
		{Kind: "quote", Status: "diverge", Speaker: "Ofsted", Articles: 2, Members: []data.ClusterMember{
			// The reference is not first: exports must put it first.
			member(ta, fxTA, "serious failures", false, []vocab.Relation{"fragment"},
				data.DiffOp{Op: "delete", Text: "widespread and "}, data.DiffOp{Op: "equal", Text: "serious failures"}),
			member(bbc, fxBBC, "widespread and serious failures", true, nil),
		}},
		{Kind: "finding", Status: "diverge", Articles: 2, Members: []data.ClusterMember{
			member(bbc, fxBBC, "The report found 1,365 children were waiting for help.", true, nil),
			member(ta, fxTA, "The report found 1,400 children were waiting.", false, []vocab.Relation{"figures-differ", "fragment"},
				data.DiffOp{Op: "equal", Text: "The report found "}, data.DiffOp{Op: "delete", Text: "1,365"}, data.DiffOp{Op: "insert", Text: "1,400"},
				data.DiffOp{Op: "equal", Text: " children were waiting"}, data.DiffOp{Op: "delete", Text: " for help"}, data.DiffOp{Op: "equal", Text: "."}),
		}},
		{Kind: "quote", Status: "diverge", Speaker: "Ms Haque", Articles: 2, Members: []data.ClusterMember{
			member(itv, fxITV, "We will act now.", true, nil),
			member(bbc, fxBBC, "We will act on this now.", false, []vocab.Relation{"inserted"},
				data.DiffOp{Op: "equal", Text: "We will act "}, data.DiffOp{Op: "insert", Text: "on this "}, data.DiffOp{Op: "equal", Text: "now."}),
		}},
	}
	if err := s.ReplaceClusters(ctx, clusters); err != nil {
		t.Fatal(err)
	}
	stored, err := s.Clusters(ctx, 2)
	if err != nil || len(stored) != 3 {
		t.Fatalf("clusters: %d, %v", len(stored), err)
	}

	for _, m := range []data.Memo{
		{TargetKind: "project", Title: "Scope", Text: "Three outlets, one report."},
		{TargetKind: "article", TargetID: ta, Text: "-check the date\nwith the newsroom"},
		{TargetKind: "code", TargetID: figures, Title: "Figures rule", Text: "Code every number that differs."},
		{TargetKind: "cluster", TargetID: stored[0].ID, Title: "Fragment", Text: "T&A trims the quote."},
	} {
		if _, err := s.SaveMemo(ctx, m); err != nil {
			t.Fatal(err)
		}
	}

	d, err := s.LoadExport(ctx, data.ExportScope{}, "test.parallax")
	if err != nil {
		t.Fatal(err)
	}
	// The project stores no diffs; the app computes them before it
	// exports. Here they come from the fixture.
	diffs := map[[3]int64][]data.DiffOp{}
	for _, c := range clusters {
		for _, m := range c.Members {
			diffs[[3]int64{m.ArticleID, int64(m.Start), int64(m.End)}] = m.Diff
		}
	}
	for _, c := range d.Clusters {
		for i, m := range c.Members {
			c.Members[i].Diff = diffs[[3]int64{m.ArticleID, int64(m.Start), int64(m.End)}]
		}
	}
	d.Exported = exportNow
	return d
}

func TestWriteMarkdownGolden(t *testing.T) {
	d := exportFixture(t)
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	difftest.Golden(t, filepath.Join("testdata", "export", "fixture.md"), buf.String())

	for _, want := range []string{
		"# Parallax export: test.parallax\n",
		"Exported 2024-03-01 09:30 UTC",
		"\n# Findings\n", "\n## Severity\n", "\n### Systemic\n", "\n## Figures\n", "\n# Framing\n", "\n# Uncoded\n",
		"\n# Memos\n", "\n# Comparisons\n",
		"> Café staff 😀\n",
		// Hostile text reads as written instead of becoming markup.
		`Bradford \| \*children\* \<b\>services\</b\>`,
		"Pipes \\| and \\*stars\\* and # hash\\\n\\- dash line",
		"| outlet | version | relation |\n| --- | --- | --- |\n| BBC News | widespread and serious failures | reference |\n| Telegraph & Argus | serious failures | fragment |\n",
		"| Telegraph & Argus | The report found 1,400 children were waiting. | fragment+figures-differ |",
		"Source: BBC News (2023-11-01). “Ofsted: “widespread and serious failures” in Bradford”. https://www.bbc.co.uk/news/uk-england-leeds-1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if n := strings.Count(out, "> widespread and serious failures\n"); n != 2 {
		t.Errorf("an annotation with two codes is quoted %d times, want once under each", n)
	}
	if strings.Index(out, "\n# Uncoded\n") < strings.Index(out, "\n# Framing\n") {
		t.Error("the uncoded section should follow the codes")
	}
}

func TestMarkdownEscaping(t *testing.T) {
	cases := []struct{ in, inline, cell string }{
		{"plain words", "plain words", "plain words"},
		{"# not a heading", `\# not a heading`, `\# not a heading`},
		{"1. not a list", `1\. not a list`, `1\. not a list`},
		{"12) nor this", `12\) nor this`, `12\) nor this`},
		{"- nor this\n+ nor this", "\\- nor this\n\\+ nor this", `\- nor this <br> \+ nor this`},
		{"    not code", "not code", "not code"},
		{"a | b", `a \| b`, `a \| b`},
		{"a | b\n:-- | --", "a \\| b\n\\:-- \\| --", `a \| b <br> \:-- \| --`},
		{"| lead", `\| lead`, `\| lead`},
		{"<script>x</script> [l](u)", `\<script\>x\</script\> \[l\](u)`, ""},
		{"*e* _e_ ~s~", `\*e\* \_e\_ \~s\~`, ""},
		{"`code`", "\\`code\\`", ""},
		{"ends with #", `ends with \#`, `ends with \#`},
		{"back\\slash", `back\\slash`, `back\\slash`},
	}
	for _, c := range cases {
		if got := mdInline(c.in); got != c.inline {
			t.Errorf("mdInline(%q) = %q, want %q", c.in, got, c.inline)
		}
		if c.cell != "" {
			if got := mdCell(c.in); got != c.cell {
				t.Errorf("mdCell(%q) = %q, want %q", c.in, got, c.cell)
			}
		}
	}
	if got := mdQuote("one\n\ntwo\nthree"); got != "> one\n>\n> two\\\n> three" {
		t.Errorf("mdQuote = %q", got)
	}
}

// TestMarkdownOddInput uses hand-made data: a title with a line break must
// not break its heading or citation, an orphaned passage is flagged, and a
// code missing from the codebook leaves the annotation uncoded.
func TestMarkdownOddInput(t *testing.T) {
	d := &data.ExportData{
		Project:  "odd\nname.parallax",
		Exported: exportNow,
		Articles: []data.Article{{ID: 1, Meta: data.Meta{Title: "Two\nlines #"}, Text: "Some text."}},
		Codes:    []data.Code{{ID: 5, Name: "Deep", ParentID: 4}, {ID: 4, Name: "Top"}},
		Annotations: []data.Annotation{
			{ID: 1, ArticleID: 1, Start: 0, End: 4, Exact: "gone", Orphaned: true, CodeIDs: []int64{5}},
			{ID: 2, ArticleID: 1, Start: 5, End: 9, Exact: "text", CodeIDs: []int64{99}},
		},
		Memos: []data.Memo{{TargetKind: "code", TargetID: 5, Title: "Line\nbreak"}},
	}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"# Parallax export: odd name.parallax\n",
		// Children listed before parents in Codes still nest under them.
		"\n# Top\n\n## Deep\n\n> gone\n>\n> _(passage no longer found in the article's current text)_\n",
		"\nUnknown outlet · Two lines \\#\n",
		"\nSource: Unknown outlet. “Two lines #”.\n",
		"\n# Uncoded\n\n> text\n",
		"\n## Line break\n\n_On the code Top/Deep_\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestMarkdownEmptyExport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, &data.ExportData{Project: "empty.parallax", Exported: exportNow}); err != nil {
		t.Fatal(err)
	}
	want := "# Parallax export: empty.parallax\n\nExported 2024-03-01 09:30 UTC · 0 articles · 0 annotations · 0 clusters\n"
	if buf.String() != want {
		t.Errorf("empty export = %q, want %q", buf.String(), want)
	}
}

// failingWriter fails every write, like a full disk.
type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestExportWritersReportWriteErrors(t *testing.T) {
	d := exportFixture(t)
	for name, write := range map[string]func(io.Writer, *data.ExportData) error{
		"md": WriteMarkdown, "csv": WriteAnnotationsCSV, "quotes-csv": WriteQuotesCSV, "w3c": WriteW3C, "html": WriteHTML,
	} {
		if err := write(failingWriter{}, d); !errors.Is(err, errDiskFull) {
			t.Errorf("%s: err = %v, want the writer's error wrapped", name, err)
		}
	}
}

// TestExportsAreDeterministic guards the goldens and diffable exports:
// the same data must give the same bytes every time.
func TestExportsAreDeterministic(t *testing.T) {
	d := exportFixture(t)
	for name, write := range map[string]func(io.Writer, *data.ExportData) error{
		"md": WriteMarkdown, "csv": WriteAnnotationsCSV, "quotes-csv": WriteQuotesCSV, "w3c": WriteW3C, "html": WriteHTML,
	} {
		var a, b bytes.Buffer
		if err := write(&a, d); err != nil {
			t.Fatal(err)
		}
		if err := write(&b, d); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two writes of the same data differ", name)
		}
	}
}
