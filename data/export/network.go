package export

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
)

// The outlet pickup graph for network tools: GraphML (Gephi, igraph,
// networkx, yEd), Graphviz DOT, and CSV edge lists. Each is a pure
// function of the export's Propagation snapshot, which app computes for
// these formats.

// errNoPropagation is what a network export says when it was asked for
// without the propagation: a caller's mistake, not the user's.
var errNoPropagation = errors.New("no propagation in the export (the exporter did not compute it)")

func propagationOf(d *data.ExportData, format string) (*data.Propagation, error) {
	if d.Propagation == nil {
		return nil, fmt.Errorf("export %s: %w", format, errNoPropagation)
	}
	return d.Propagation, nil
}

// lagSeconds writes a lag in whole seconds, empty when unknown.
func lagSeconds(d time.Duration, known bool) string {
	if !known {
		return ""
	}
	return strconv.FormatInt(int64(d/time.Second), 10)
}

func clusterList(ps []data.Pickup) string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = strconv.FormatInt(p.Cluster, 10)
	}
	return strings.Join(ids, " ")
}

// WriteGraphML writes the outlet pickup graph as GraphML (format
// "graphml"): a directed graph whose nodes are the outlets (attributes
// clusters, versions, first, sole, from_primary, secondary, primary_share)
// and whose edges are the pickups, source outlet to the outlet that took
// its wording (weight: clusters; score: the sum of the choices'
// confidences; median_lag_seconds, lags, lag_resolution_seconds; clusters:
// their IDs, space-separated), and, when the trace has notes, a graph
// attribute notes, one a line.
func WriteGraphML(w io.Writer, d *data.ExportData) error {
	p, err := propagationOf(d, "GraphML")
	if err != nil {
		return err
	}
	type key struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	type datum struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	type node struct {
		ID   string  `xml:"id,attr"`
		Data []datum `xml:"data"`
	}
	type edge struct {
		ID     string  `xml:"id,attr"`
		Source string  `xml:"source,attr"`
		Target string  `xml:"target,attr"`
		Data   []datum `xml:"data"`
	}
	type graph struct {
		ID          string  `xml:"id,attr"`
		EdgeDefault string  `xml:"edgedefault,attr"`
		Data        []datum `xml:"data"`
		Nodes       []node  `xml:"node"`
		Edges       []edge  `xml:"edge"`
	}
	type graphml struct {
		XMLName xml.Name `xml:"graphml"`
		XMLNS   string   `xml:"xmlns,attr"`
		Keys    []key    `xml:"key"`
		Graph   graph    `xml:"graph"`
	}
	doc := graphml{XMLNS: "http://graphml.graphdrawing.org/xmlns", Graph: graph{ID: "pickups", EdgeDefault: "directed"}}
	doc.Keys = []key{
		{"label", "node", "label", "string"}, {"clusters", "node", "clusters", "int"}, {"versions", "node", "versions", "int"},
		{"first", "node", "first", "int"}, {"sole", "node", "sole", "int"}, {"from_primary", "node", "from_primary", "int"},
		{"secondary", "node", "secondary", "int"}, {"primary_share", "node", "primary_share", "double"},
		{"weight", "edge", "weight", "int"}, {"score", "edge", "score", "double"},
		{"median_lag_seconds", "edge", "median_lag_seconds", "long"}, {"lags", "edge", "lags", "int"},
		{"lag_resolution_seconds", "edge", "lag_resolution_seconds", "long"}, {"edge_clusters", "edge", "clusters", "string"},
		{"copies", "edge", "copies", "int"},
	}
	// The trace's notes (see data.Propagation.Notes) travel with the
	// graph: what they say of its inputs holds wherever it is read.
	if len(p.Notes) > 0 {
		doc.Keys = append(doc.Keys, key{"notes", "graph", "notes", "string"})
		doc.Graph.Data = []datum{{"notes", strings.Join(p.Notes, "\n")}}
	}
	ids := map[string]string{}
	for i, o := range p.Outlets {
		id := "n" + strconv.Itoa(i)
		ids[o.Outlet] = id
		doc.Graph.Nodes = append(doc.Graph.Nodes, node{ID: id, Data: []datum{
			{"label", o.Outlet}, {"clusters", strconv.Itoa(o.Clusters)}, {"versions", strconv.Itoa(o.Versions)},
			{"first", strconv.Itoa(o.First)}, {"sole", strconv.Itoa(o.Sole)}, {"from_primary", strconv.Itoa(o.FromPrimary)},
			{"secondary", strconv.Itoa(o.Secondary)}, {"primary_share", strconv.FormatFloat(o.PrimaryShare(), 'f', 4, 64)},
		}})
	}
	for i, e := range p.Edges {
		ed := edge{ID: "e" + strconv.Itoa(i), Source: ids[e.From], Target: ids[e.To], Data: []datum{
			{"weight", strconv.Itoa(e.Weight)}, {"score", strconv.FormatFloat(e.Score, 'f', 4, 64)},
		}}
		if e.Lags > 0 {
			ed.Data = append(ed.Data, datum{"median_lag_seconds", lagSeconds(e.MedianLag, true)},
				datum{"lag_resolution_seconds", lagSeconds(e.LagResolution, true)})
		}
		ed.Data = append(ed.Data, datum{"lags", strconv.Itoa(e.Lags)}, datum{"edge_clusters", clusterList(e.Pickups)},
			datum{"copies", strconv.Itoa(e.Copies())})
		doc.Graph.Edges = append(doc.Graph.Edges, ed)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("export GraphML: %w", err)
	}
	bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export GraphML: %w", err)
	}
	return nil
}

// dotString quotes s for Graphviz: double quotes and backslashes escaped,
// line breaks as \n.
func dotString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// WriteDOT writes the outlet pickup graph in Graphviz's DOT language
// (format "dot"): each outlet a circle labelled with its name and the
// clusters it carried first (area growing with them), each pickup an arrow
// labelled with its clusters (width growing with them); the trace's notes
// are comments at the top. Render it with `dot -Tsvg pickups.dot >
// pickups.svg` (or neato, circo).
func WriteDOT(w io.Writer, d *data.ExportData) error {
	p, err := propagationOf(d, "DOT")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "// Parallax: who takes whose wording. An arrow A -> B: B's versions most likely derive from A's,\n")
	fmt.Fprintf(bw, "// in the number of clusters on the arrow. Exported %s.\n", exportStamp(d.Exported))
	for _, n := range p.Notes {
		fmt.Fprintf(bw, "// Note: %s\n", strings.ReplaceAll(n, "\n", " "))
	}
	fmt.Fprintln(bw, "digraph pickups {")
	fmt.Fprintln(bw, `  graph [rankdir=LR, fontname="Helvetica"];`)
	fmt.Fprintln(bw, `  node [shape=circle, fontname="Helvetica", fontsize=11, style=filled, fillcolor="#dfe7f5"];`)
	fmt.Fprintln(bw, `  edge [fontname="Helvetica", fontsize=10];`)
	maxFirst, maxWeight := 1, 1
	for _, o := range p.Outlets {
		maxFirst = max(maxFirst, o.First)
	}
	for _, e := range p.Edges {
		maxWeight = max(maxWeight, e.Weight)
	}
	for _, o := range p.Outlets {
		size := 0.6 + 1.2*float64(o.First)/float64(maxFirst)
		fmt.Fprintf(bw, "  %s [label=%s, width=%.2f, tooltip=%s];\n", dotString(o.Outlet),
			dotString(o.Outlet+"\n"+data.FirstLabel(o.First, o.Sole, o.Clusters)), size,
			dotString(fmt.Sprintf("carried %d clusters, first in %d; %d of %d versions straight from a primary source",
				o.Clusters, o.First, o.FromPrimary, o.Secondary)))
	}
	for _, e := range p.Edges {
		tip := fmt.Sprintf("%s took %s's wording in %s: clusters %s", e.To, e.From, countOf(e.Weight, "cluster", "clusters"), clusterList(e.Pickups))
		fmt.Fprintf(bw, "  %s -> %s [label=%s, weight=%d, penwidth=%.2f, tooltip=%s];\n", dotString(e.From), dotString(e.To),
			dotString(e.WeightText()), e.Weight, 1+4*float64(e.Weight)/float64(maxWeight), dotString(tip))
	}
	fmt.Fprintln(bw, "}")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export DOT: %w", err)
	}
	return nil
}

// WritePickupsCSV writes the outlet pickup graph as an edge list (format
// "pickups-csv"), one row per edge: from, to, weight (clusters), score,
// median_lag_seconds, lags, lag_resolution_seconds, clusters (their IDs,
// space-separated), shared_changes (the changes against the roots both
// versions share, for each cluster, " | " between clusters). The encoding
// is as for WriteAnnotationsCSV.
func WritePickupsCSV(w io.Writer, d *data.ExportData) error {
	p, err := propagationOf(d, "pickups CSV")
	if err != nil {
		return err
	}
	cw := newExportCSV(w)
	cw.Write([]string{"from", "to", "weight", "score", "median_lag_seconds", "lags", "lag_resolution_seconds", "clusters", "shared_changes", "copies"})
	for _, e := range p.Edges {
		var shared []string
		for _, pk := range e.Pickups {
			if len(pk.Shared) > 0 {
				shared = append(shared, fmt.Sprintf("#%d: %s", pk.Cluster, data.ChangeList(pk.Shared)))
			}
		}
		res := ""
		if e.Lags > 0 {
			res = lagSeconds(e.LagResolution, true)
		}
		cw.Write([]string{FormulaSafe(e.From), FormulaSafe(e.To), strconv.Itoa(e.Weight), strconv.FormatFloat(e.Score, 'f', 4, 64),
			lagSeconds(e.MedianLag, e.Lags > 0), strconv.Itoa(e.Lags), res, clusterList(e.Pickups), FormulaSafe(strings.Join(shared, " | ")),
			strconv.Itoa(e.Copies())})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export pickups CSV: %w", err)
	}
	return nil
}

// WriteVariantsCSV writes every cluster's variant graph as an edge list
// (format "variants-csv"), one row per variant: cluster_id, variant,
// parent (empty for the root and for a variant from an unseen source),
// confidence, unseen, outlets (its carriers', "; " between), first_date,
// contained, kept, shared_changes, new_changes, text. The encoding is as
// for WriteAnnotationsCSV.
func WriteVariantsCSV(w io.Writer, d *data.ExportData) error {
	p, err := propagationOf(d, "variants CSV")
	if err != nil {
		return err
	}
	cw := newExportCSV(w)
	cw.Write([]string{"cluster_id", "variant", "parent", "confidence", "unseen", "outlets", "first_date", "contained", "kept",
		"shared_changes", "new_changes", "text"})
	for i := range p.Clusters {
		c := &p.Clusters[i]
		for k, v := range c.Variants {
			parent := ""
			if v.Parent >= 0 {
				parent = strconv.Itoa(v.Parent + 1)
			}
			cw.Write([]string{strconv.FormatInt(c.ID, 10), strconv.Itoa(k + 1), parent, strconv.FormatFloat(v.Confidence, 'f', 4, 64),
				strconv.FormatBool(v.Unseen), FormulaSafe(strings.Join(c.VariantOutlets(k), "; ")), c.FirstCarrier(k).Date.String(),
				strconv.FormatFloat(v.Contained, 'f', 4, 64), strconv.FormatFloat(v.Kept, 'f', 4, 64),
				FormulaSafe(data.ChangeList(v.Shared)), FormulaSafe(data.ChangeList(v.New)), FormulaSafe(v.Text)})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export variants CSV: %w", err)
	}
	return nil
}
