package export

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/vocab"
)

func writeHTMLDoc(t *testing.T, d *data.ExportData) (*html.Node, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, d); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return doc, buf.Bytes()
}

// htmlFind returns the element nodes under n for which match is true.
func htmlFind(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && match(c) {
			out = append(out, c)
		}
	}
	return out
}

func htmlAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func htmlTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func htmlText(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func htmlByID(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	found := htmlFind(doc, func(n *html.Node) bool { v, _ := htmlAttr(n, "id"); return v == id })
	if len(found) != 1 {
		t.Fatalf("%d elements with id %q", len(found), id)
	}
	return found[0]
}

func TestWriteHTML(t *testing.T) {
	d := exportFixture(t)
	doc, raw := writeHTMLDoc(t, d)
	difftest.Golden(t, filepath.Join("testdata", "export", "fixture.html"), string(raw))

	if !bytes.HasPrefix(raw, []byte("<!DOCTYPE html>\n<html lang=\"en\">")) {
		t.Error("not an HTML5 document")
	}
	for _, tag := range []string{"script", "iframe", "object", "embed", "img", "link", "form", "base"} {
		if n := htmlFind(doc, htmlTag(tag)); len(n) > 0 {
			t.Errorf("%d <%s> elements; the report must be inert and self-contained", len(n), tag)
		}
	}
	own := map[string]bool{}
	for _, a := range d.Articles {
		if a.URL != "" {
			own[a.URL] = true
		}
	}
	for _, n := range htmlFind(doc, func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			switch {
			case a.Key == "src" || a.Key == "srcset" || a.Key == "action":
				t.Errorf("<%s %s=%q>: nothing may be loaded", n.Data, a.Key, a.Val)
			case a.Key == "href" && !strings.HasPrefix(a.Val, "#") && !own[a.Val]:
				t.Errorf("<%s href=%q> is neither internal nor an article's own link", n.Data, a.Val)
			case strings.HasPrefix(a.Key, "on"):
				t.Errorf("<%s %s>: event handler", n.Data, a.Key)
			}
		}
	}
	for _, a := range htmlFind(doc, htmlTag("a")) {
		if href, _ := htmlAttr(a, "href"); strings.HasPrefix(href, "#") {
			htmlByID(t, doc, href[1:])
		}
	}

	// Cluster 1 is a fragment (a deletion), 2 has figures replaced,
	// 3 an insertion.
	frag := htmlByID(t, doc, "cluster-1")
	if dels := htmlFind(frag, htmlTag("del")); len(dels) != 1 || htmlText(dels[0]) != "widespread and " {
		t.Errorf("fragment: <del> = %d", len(dels))
	}
	if ins := htmlFind(frag, htmlTag("ins")); len(ins) != 0 {
		t.Errorf("fragment: %d <ins>", len(ins))
	}
	insertion := htmlByID(t, doc, "cluster-3")
	if ins := htmlFind(insertion, htmlTag("ins")); len(ins) != 1 || htmlText(ins[0]) != "on this " {
		t.Errorf("insertion: <ins> = %d", len(ins))
	}
	figures := htmlByID(t, doc, "cluster-2")
	if len(htmlFind(figures, htmlTag("del"))) != 2 || len(htmlFind(figures, htmlTag("ins"))) != 1 {
		t.Error("figures: want two deletions and one insertion")
	}
	if txt := htmlText(figures); !strings.Contains(txt, "figures differ") || !strings.Contains(txt, "fragment") || !strings.Contains(txt, "figures-differ") {
		t.Errorf("figures cluster should name its status and relations in text: %q", txt)
	}
	// The reference row comes first, whatever the stored order.
	rows := htmlFind(frag, htmlTag("tr"))
	if len(rows) != 3 || !strings.HasPrefix(htmlText(rows[1]), "BBC News") || !strings.Contains(htmlText(rows[1]), "reference") {
		t.Errorf("fragment rows: %d, first version %q", len(rows), htmlText(rows[1]))
	}

	// The matrix: one row per cluster, one column per outlet, totals.
	matrix := htmlByID(t, doc, "matrix")
	heads := htmlFind(matrix, htmlTag("thead"))
	if len(heads) != 1 || htmlText(heads[0]) != "ClusterBBC NewsITV NewsTelegraph & Argus" {
		t.Fatalf("matrix head = %q", htmlText(heads[0]))
	}
	body := htmlFind(matrix, htmlTag("tbody"))[0]
	var cells [][]string
	for _, tr := range htmlFind(body, htmlTag("tr")) {
		var row []string
		for _, td := range htmlFind(tr, htmlTag("td")) {
			row = append(row, htmlText(td))
		}
		cells = append(cells, row)
	}
	want := [][]string{
		{"reference", "", "fragment"},
		{"reference", "", "fragment+figures-differ"},
		{"inserted", "reference", ""},
	}
	if len(cells) != len(want) {
		t.Fatalf("matrix rows = %q", cells)
	}
	for i := range want {
		if strings.Join(cells[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("matrix row %d = %q, want %q", i, cells[i], want[i])
		}
	}
	totals := map[string]string{}
	for _, tr := range htmlFind(htmlFind(matrix, htmlTag("tfoot"))[0], htmlTag("tr")) {
		var counts []string
		for _, td := range htmlFind(tr, htmlTag("td")) {
			counts = append(counts, htmlText(td))
		}
		totals[htmlText(htmlFind(tr, htmlTag("th"))[0])] = strings.Join(counts, " ")
	}
	for label, want := range map[string]string{
		"Clusters carried": "3 1 2", "Trimmed (fragment, elided)": "0 0 2", "Figures differ": "0 0 1", "Verbatim": "0 0 0",
	} {
		if totals[label] != want {
			t.Errorf("total %q = %q, want %q", label, totals[label], want)
		}
	}

	// Hostile text stays text.
	if bs := htmlFind(doc, htmlTag("b")); len(bs) != 0 {
		t.Errorf("a title's <b> became markup: %d elements", len(bs))
	}
	txt := htmlText(doc)
	for _, s := range []string{`=HYPERLINK("http://x")`, "Bradford | *children* <b>services</b>", "Café staff 😀", "@SUM(A1)"} {
		if !strings.Contains(txt, s) {
			t.Errorf("report text lacks %q", s)
		}
	}

	annotations := htmlByID(t, doc, "annotations")
	quoted := 0
	for _, q := range htmlFind(annotations, htmlTag("blockquote")) {
		if htmlText(q) == "widespread and serious failures" {
			quoted++
		}
	}
	if n := quoted; n != 2 {
		t.Errorf("the two-code annotation appears %d times, want under each code", n)
	}
	for _, h := range []string{"h3:Findings", "h4:Severity", "h5:Systemic", "h4:Figures", "h3:Framing", "h3:Uncoded"} {
		tag, name, _ := strings.Cut(h, ":")
		if !slices.ContainsFunc(htmlFind(annotations, htmlTag(tag)), func(n *html.Node) bool { return strings.HasSuffix(htmlText(n), name) }) {
			t.Errorf("no <%s> heading for %s", tag, name)
		}
	}
	style := htmlText(htmlFind(doc, htmlTag("style"))[0])
	for _, s := range []string{"@media print", "line-through", "text-decoration: underline", "break-inside: avoid"} {
		if !strings.Contains(style, s) {
			t.Errorf("stylesheet lacks %q", s)
		}
	}
}

// TestHTMLUnsafeURLs checks that an article URL that is not plain http(s)
// is shown as text and never linked.
func TestHTMLUnsafeURLs(t *testing.T) {
	d := exportFixture(t)
	for i := range d.Articles {
		d.Articles[i].URL = []string{"javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x"}[i]
	}
	doc, _ := writeHTMLDoc(t, d)
	for _, a := range htmlFind(doc, htmlTag("a")) {
		if href, _ := htmlAttr(a, "href"); !strings.HasPrefix(href, "#") {
			t.Errorf("linked %q", href)
		}
	}
	if !strings.Contains(htmlText(doc), "javascript:alert(1)") {
		t.Error("the URL should still be shown as text in the citation")
	}
}

func TestHTMLEmptyExport(t *testing.T) {
	doc, raw := writeHTMLDoc(t, &data.ExportData{Project: "empty.parallax", Exported: exportNow})
	if len(htmlFind(doc, htmlTag("section"))) != 0 || !bytes.Contains(raw, []byte("0 annotations")) {
		t.Errorf("empty export:\n%s", raw)
	}
}

// TestEveryRelationHasAPlace fails when a relation the analyser can assign
// (or the reference's name) has no place in the exports' canonical order,
// where it would be listed after names from a newer analyser, or no tone in
// the HTML report, where its badge and matrix cell would go uncoloured.
func TestEveryRelationHasAPlace(t *testing.T) {
	all := append([]vocab.Relation{vocab.RelReference}, vocab.Relations()...)
	for _, r := range all {
		got := relationsFor([]vocab.Relation{"from-the-future", r})
		if len(got) != 2 || got[0].Name != r {
			t.Errorf("%s: listed as %v, want it before an unknown name", r, got)
			continue
		}
		if toneRank[got[0].Class] == 0 {
			t.Errorf("%s: tone %q, want one of the report's tones", r, got[0].Class)
		}
	}
	reversed := slices.Clone(all)
	slices.Reverse(reversed)
	var want []string
	for _, r := range all {
		want = append(want, string(r))
	}
	if got := joinRelations(reversed); got != strings.Join(want, "+") {
		t.Errorf("relations joined as %q, want the canonical order %q", got, strings.Join(want, "+"))
	}
}
