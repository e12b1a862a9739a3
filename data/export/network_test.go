package export

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// propagationFixture is a snapshot as app computes it: a report, a wire
// that trims it, and an outlet whose name needs escaping everywhere.
func propagationFixture() *data.Propagation {
	tricky := `<Gazette> & "Sons"`
	return &data.Propagation{
		Clusters: []data.PropagationCluster{{
			ID: 7, Kind: vocab.UnitQuote, Speaker: "Ofsted", Root: 0,
			Variants: []data.Variant{
				{Text: "There are widespread and serious failures.", Carriers: []int{0, 1}, Parent: -1, Confidence: 1},
				{Text: "There are serious failures.", Carriers: []int{2}, Parent: 0, Confidence: 0.93, Contained: 1, Kept: 0.8,
					New:   []data.TextChange{{At: 2, Dropped: "widespread and"}},
					Order: "before", Lag: 75 * time.Minute, LagKnown: true,
					Diff: []data.DiffOp{{Op: vocab.OpEqual, Text: "There are "}, {Op: vocab.OpDelete, Text: "widespread and "},
						{Op: vocab.OpEqual, Text: "serious failures."}}},
				{Text: "Serious failures <everywhere>.", Carriers: []int{3}, Parent: -1, Confidence: 0.7, Unseen: true},
			},
			Versions: []data.PropagatedVersion{
				{Article: 1, Outlet: "Ofsted", Date: data.MustParseDate("2023-01-31T08:00Z"), Primary: true, Confidence: 1},
				{Article: 2, Outlet: "Wire", Date: data.MustParseDate("2023-01-31T08:40Z"), Variant: 0, Source: 1, Confidence: 0.9, Order: "before", Lag: 40 * time.Minute, LagKnown: true},
				{Article: 3, Outlet: tricky, Date: data.MustParseDate("2023-01-31T09:55Z"), Variant: 1, Source: 2, Confidence: 0.93, Order: "before", Lag: 75 * time.Minute, LagKnown: true},
				{Article: 4, Outlet: "=Courier", Date: data.MustParseDate("2023-02-01"), Variant: 2, Unseen: true, Confidence: 0.7},
			},
		}},
		Edges: []data.PickupEdge{
			{From: "Ofsted", To: "Wire", Weight: 1, Score: 0.9, MedianLag: 40 * time.Minute, Lags: 1, LagResolution: time.Minute,
				Pickups: []data.Pickup{{Cluster: 7, From: 1, To: 2, Confidence: 0.9, Lag: 40 * time.Minute, LagKnown: true}}},
			{From: "Wire", To: tricky, Weight: 1, Score: 0.93, MedianLag: 75 * time.Minute, Lags: 1, LagResolution: time.Minute,
				Pickups: []data.Pickup{{Cluster: 7, From: 2, To: 3, Confidence: 0.93, Lag: 75 * time.Minute, LagKnown: true,
					Shared: []data.TextChange{{At: 5, Dropped: "all", Added: "most"}}, Copy: true}}},
		},
		Outlets: []data.OutletPropagation{
			{Outlet: "Ofsted", Clusters: 1, Versions: 1, First: 1, Sole: 1},
			{Outlet: "Wire", Clusters: 1, Versions: 1, FromPrimary: 1, Secondary: 1},
			{Outlet: tricky, Clusters: 1, Versions: 1, Secondary: 1},
			{Outlet: "=Courier", Clusters: 1, Versions: 1, Secondary: 1},
		},
	}
}

func exportWith(t *testing.T, write func(io.Writer, *data.ExportData) error) string {
	t.Helper()
	var buf bytes.Buffer
	d := &data.ExportData{Project: "study.parallax", Exported: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC), Propagation: propagationFixture()}
	if err := write(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// wellFormed checks that s is one well-formed XML document.
func wellFormed(t *testing.T, what, s string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v\n%s", what, err, s)
		}
	}
}

func TestWriteGraphML(t *testing.T) {
	out := exportWith(t, WriteGraphML)
	wellFormed(t, "GraphML", out)
	var doc struct {
		Graph struct {
			EdgeDefault string `xml:"edgedefault,attr"`
			Nodes       []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	g := doc.Graph
	if g.EdgeDefault != "directed" || len(g.Nodes) != 4 || len(g.Edges) != 2 {
		t.Fatalf("graph: %+v", g)
	}
	labels := map[string]string{}
	for _, n := range g.Nodes {
		for _, d := range n.Data {
			if d.Key == "label" {
				labels[n.ID] = d.Value
			}
		}
	}
	e := g.Edges[1]
	if labels[e.Source] != "Wire" || labels[e.Target] != `<Gazette> & "Sons"` {
		t.Errorf("edge 2 runs %q → %q", labels[e.Source], labels[e.Target])
	}
	want := map[string]string{"weight": "1", "median_lag_seconds": "4500", "lags": "1", "edge_clusters": "7", "copies": "1"}
	for _, d := range e.Data {
		if w, ok := want[d.Key]; ok {
			if d.Value != w {
				t.Errorf("edge data %s = %q, want %q", d.Key, d.Value, w)
			}
			delete(want, d.Key)
		}
	}
	if len(want) > 0 {
		t.Errorf("edge data lacks %v", want)
	}
}

func TestWriteDOT(t *testing.T) {
	out := exportWith(t, WriteDOT)
	for _, want := range []string{
		`digraph pickups {`,
		`"Ofsted" -> "Wire" [label="1"`,
		`"Wire" -> "<Gazette> & \"Sons\"" [label="1 (a copy)"`,
		`label="Ofsted\nfirst 1 of 1"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("DOT lacks %s\n%s", want, out)
		}
	}
	if strings.Count(out, "{") != strings.Count(out, "}") {
		t.Error("unbalanced braces")
	}
}

func TestWritePropagationCSV(t *testing.T) {
	recs, err := csv.NewReader(strings.NewReader(exportWith(t, WritePickupsCSV))).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("pickups CSV: %v, %d records", err, len(recs))
	}
	if got := strings.Join(recs[2], "|"); got != `Wire|<Gazette> & "Sons"|1|0.9300|4500|1|60|7|#7: −all → +most|1` {
		t.Errorf("pickups row: %s", got)
	}
	recs, err = csv.NewReader(strings.NewReader(exportWith(t, WriteVariantsCSV))).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("variants CSV: %v, %d records", err, len(recs))
	}
	if got := strings.Join(recs[2], "|"); got != `7|2|1|0.9300|false|<Gazette> & "Sons"|2023-01-31T09:55Z|1.0000|0.8000||−widespread and|There are serious failures.` {
		t.Errorf("variant row: %s", got)
	}
	if got := recs[3]; got[2] != "" || got[4] != "true" || got[5] != "'=Courier" {
		t.Errorf("unseen variant row: %q", got)
	}
}

// The pictures are well-formed SVG with every name escaped, and say what
// they show in text, not colour alone: the number of clusters on each
// arrow, struck and underlined words.
func TestWritePropagationSVG(t *testing.T) {
	graph := exportWith(t, WritePickupsSVG)
	wellFormed(t, "pickups SVG", graph)
	for _, want := range []string{`&lt;Gazette&gt; &amp; &#34;Sons&#34;`, `<polygon`, `>1</text>`, `(first 1 of 1)`} {
		if !strings.Contains(graph, want) {
			t.Errorf("pickups SVG lacks %s", want)
		}
	}
	trees := exportWith(t, WriteVariantsSVG)
	wellFormed(t, "variants SVG", trees)
	for _, want := range []string{`text-decoration="line-through"`, `widespread`, `from v1, 93%`, `stroke-dasharray`, `Serious failures &lt;everywhere&gt;.`,
		`root: a primary source`, `Cluster 7 · quote · Ofsted · 3 variants`} {
		if !strings.Contains(trees, want) {
			t.Errorf("variants SVG lacks %s", want)
		}
	}
	difftest.Golden(t, filepath.Join("testdata", "export", "variants.svg"), trees)
}

func TestNetworkExportsNeedPropagation(t *testing.T) {
	for _, w := range []func(io.Writer, *data.ExportData) error{WriteGraphML, WriteDOT, WritePickupsCSV, WriteVariantsCSV, WritePickupsSVG, WriteVariantsSVG} {
		if err := w(io.Discard, &data.ExportData{}); err == nil {
			t.Error("an export without its propagation succeeded")
		}
	}
}

// The HTML report's section: the graph inline, the tables, and the trees
// with their diffs; a report without a propagation has no section.
func TestHTMLPropagation(t *testing.T) {
	d := &data.ExportData{Project: "p", Propagation: propagationFixture()}
	d.Propagation.Notes = []string{"1 of the 3 articles with a time of day give no time zone <here>"}
	doc, raw := writeHTMLDoc(t, d)
	sec := htmlFind(doc, func(n *html.Node) bool { v, _ := htmlAttr(n, "id"); return v == "propagation" })
	notes := htmlFind(doc, func(n *html.Node) bool { v, _ := htmlAttr(n, "class"); return v == "note" })
	if len(notes) != 1 || htmlText(notes[0]) != "Note: "+d.Propagation.Notes[0] {
		t.Errorf("%d notes in the report, want the trace's one", len(notes))
	}
	if len(sec) != 1 {
		t.Fatalf("%d propagation sections", len(sec))
	}
	text := htmlText(sec[0])
	for _, want := range []string{"Who takes whose wording", "Wire", `<Gazette> & "Sons"`, "1h15m", "#7: −all → +most",
		"v2 · <Gazette> & \"Sons\" · 31 Jan 2023 09:55 UTC", "from v1, 93%", "from a source not in the project (70%)", "1 of 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("section lacks %q", want)
		}
	}
	trees := htmlFind(sec[0], func(n *html.Node) bool { v, _ := htmlAttr(n, "class"); return v == "tree" })
	if len(htmlFind(sec[0], htmlTag("svg"))) != 1 || len(trees) != 1 || len(htmlFind(trees[0], htmlTag("del"))) != 1 {
		t.Error("no graph, or no tree with the struck words")
	}
	if bytes.Contains(raw, []byte("<script")) || bytes.Contains(raw, []byte("<Gazette>")) {
		t.Error("the report carries a script or an unescaped name")
	}
	_, raw = writeHTMLDoc(t, &data.ExportData{Project: "p"})
	if bytes.Contains(raw, []byte(`id="propagation"`)) {
		t.Error("a report without a propagation has its section")
	}
}

// The trace's notes travel with the graph: a graph attribute in GraphML,
// comments in DOT (a line break in a note does not end its comment); a
// trace without notes has neither.
func TestNetworkNotes(t *testing.T) {
	notes := []string{`1 of the 4 articles has no date & is "unordered" <sic>.`, "A note\nof two lines."}
	write := func(w func(io.Writer, *data.ExportData) error, notes []string) string {
		var buf bytes.Buffer
		p := propagationFixture()
		p.Notes = notes
		if err := w(&buf, &data.ExportData{Propagation: p}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	out := write(WriteGraphML, notes)
	wellFormed(t, "GraphML", out)
	var doc struct {
		Keys []struct {
			ID  string `xml:"id,attr"`
			For string `xml:"for,attr"`
		} `xml:"key"`
		Graph struct {
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Graph.Data) != 1 || doc.Graph.Data[0].Key != "notes" || doc.Graph.Data[0].Value != strings.Join(notes, "\n") {
		t.Errorf("GraphML graph data %+v", doc.Graph.Data)
	}
	if !strings.Contains(out, `<key id="notes" for="graph"`) {
		t.Error("GraphML declares no notes key for the graph")
	}
	dot := write(WriteDOT, notes)
	for _, want := range []string{"// Note: " + notes[0] + "\n", "// Note: A note of two lines.\n"} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %q\n%s", want, dot)
		}
	}
	for _, w := range []func(io.Writer, *data.ExportData) error{WriteGraphML, WriteDOT} {
		if out := write(w, nil); strings.Contains(out, "notes") || strings.Contains(out, "Note:") {
			t.Errorf("an export without notes mentions them:\n%s", out)
		}
	}
}
