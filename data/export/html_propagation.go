package export

import (
	"bufio"
	"fmt"
	"html/template"
	"strings"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// The HTML report's propagation section: the outlet pickup graph as an
// inline SVG, its edges and outlets as tables, and each cluster's variant
// tree as nested lists with each wording's diff against its parent.

type htmlPropagation struct {
	Graph   template.HTML // our own SVG, every text in it escaped
	Edges   []htmlPickup
	Outlets []htmlOutletRow
	Trees   []htmlTree
	Notes   []string
}

type htmlPickup struct {
	From, To, Lag, Clusters, Shared string
	Weight                          int
}

type htmlOutletRow struct {
	Outlet                                        string
	Clusters, First, Sole, FromPrimary, Secondary int
}

type htmlTree struct {
	Anchor, Caption string
	Root            htmlVariant
	Unseen          []htmlVariant
}

type htmlVariant struct {
	Heading, Origin string
	Root, Unseen    bool
	Ops             []htmlOp
	Children        []htmlVariant
}

func newHTMLPropagation(p *data.Propagation) *htmlPropagation {
	hp := &htmlPropagation{Notes: p.Notes}
	var svg strings.Builder
	bw := bufio.NewWriter(&svg)
	writePickupGraph(bw, p, graphWidth, graphHeight, "Who takes whose wording")
	bw.Flush()
	// The SVG is Parallax's own markup with every outlet name and number
	// escaped by svgText; it holds no script and fetches nothing.
	hp.Graph = template.HTML(svg.String()) //nolint:gosec // escaped above
	for _, e := range p.Edges {
		var shared []string
		for _, pk := range e.Pickups {
			if len(pk.Shared) > 0 {
				shared = append(shared, fmt.Sprintf("#%d: %s", pk.Cluster, data.ChangeList(pk.Shared)))
			}
		}
		hp.Edges = append(hp.Edges, htmlPickup{From: e.From, To: e.To, Weight: e.Weight, Lag: e.LagText(),
			Clusters: clusterList(e.Pickups), Shared: strings.Join(shared, " | ")})
	}
	for _, o := range p.Outlets {
		hp.Outlets = append(hp.Outlets, htmlOutletRow{Outlet: o.Outlet, Clusters: o.Clusters, First: o.First, Sole: o.Sole,
			FromPrimary: o.FromPrimary, Secondary: o.Secondary})
	}
	for i := range p.Clusters {
		c := &p.Clusters[i]
		if len(c.Variants) < 2 {
			continue
		}
		t := htmlTree{Anchor: fmt.Sprintf("propagation-%d", c.ID), Caption: clusterCaption(c), Root: htmlVariantTree(c, c.Root)}
		for v, vr := range c.Variants {
			if v != c.Root && vr.Parent < 0 {
				t.Unseen = append(t.Unseen, htmlVariantTree(c, v))
			}
		}
		hp.Trees = append(hp.Trees, t)
	}
	return hp
}

func htmlVariantTree(c *data.PropagationCluster, v int) htmlVariant {
	vr := c.Variants[v]
	hv := htmlVariant{Heading: c.VariantHeading(v), Origin: c.VariantOrigin(v), Root: v == c.Root, Unseen: vr.Unseen}
	for _, op := range variantOps(vr) {
		hv.Ops = append(hv.Ops, htmlOp{Text: op.Text, Deleted: op.Op == vocab.OpDelete, Inserted: op.Op == vocab.OpInsert})
	}
	for k, ch := range c.Variants {
		if ch.Parent == v {
			hv.Children = append(hv.Children, htmlVariantTree(c, k))
		}
	}
	return hv
}

const htmlPropagationPartial = `
{{define "propagation"}}
<section id="propagation">
<h2>Propagation</h2>
<p class="legend">Who carried which version of each passage first, and who most likely took it from whom. An arrow A → B
in the graph means that B's versions most likely derive from A's, in the number of clusters written on it; the tables
give the same in figures. Below, each cluster's versions as a tree: each wording under the one it most likely derives
from, with its words against that parent (<del>struck-through</del>: the parent's words it lacks; <ins>underlined</ins>:
words it adds), its outlets and its first date.</p>
{{- range .Notes}}
<p class="note"><strong>Note:</strong> {{.}}</p>
{{- end}}
<figure class="graph">{{.Graph}}</figure>
{{- if .Edges}}
<table class="pickups">
<thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Clusters</th><th scope="col">Median lag</th><th scope="col">Which</th><th scope="col">Changes they share</th></tr></thead>
<tbody>
{{- range .Edges}}
<tr><td>{{.From}}</td><td>{{.To}}</td><td>{{.Weight}}</td><td>{{.Lag}}</td><td>{{.Clusters}}</td><td>{{.Shared}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
<table class="outlets">
<thead><tr><th scope="col">Outlet</th><th scope="col">Clusters carried</th><th scope="col">Carried first</th><th scope="col">First alone</th><th scope="col">Straight from a primary source</th></tr></thead>
<tbody>
{{- range .Outlets}}
<tr><td>{{.Outlet}}</td><td>{{.Clusters}}</td><td>{{.First}}</td><td>{{.Sole}}</td><td>{{.FromPrimary}} of {{.Secondary}}</td></tr>
{{- end}}
</tbody>
</table>
{{- range .Trees}}
<section class="cluster" id="{{.Anchor}}">
<h3>{{.Caption}}</h3>
<ul class="tree">{{template "variant" .Root}}{{range .Unseen}}{{template "variant" .}}{{end}}</ul>
</section>
{{- end}}
</section>
{{- end}}
{{define "variant"}}
<li class="{{if .Root}}root{{else if .Unseen}}unseen{{end}}"><span class="vhead">{{.Heading}}</span><br>
{{range .Ops}}{{if .Deleted}}<del>{{.Text}}</del>{{else if .Inserted}}<ins>{{.Text}}</ins>{{else}}{{.Text}}{{end}}{{end}}<br>
<span class="origin">{{.Origin}}</span>
{{- if .Children}}<ul>{{range .Children}}{{template "variant" .}}{{end}}</ul>{{end}}</li>
{{- end}}
`
