package export

import (
	"bufio"
	"cmp"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// WriteHTML writes d as one self-contained, printable HTML5 report (format
// "html"): the title and export date; each cluster with its speaker,
// status and a table of every outlet's version with the word-level diff
// marked (<del> for reference words the version lacks, <ins> for words it
// adds) and its relations in words; the outlet matrix with per-outlet
// totals; the annotations grouped by code; and the memos.
//
// The file has inline CSS, no scripts and nothing fetched from the network
// (a Content-Security-Policy says so too); the only external links are the
// articles' own http(s) URLs. All text goes through html/template, so
// nothing from an article or a note can become markup.
func WriteHTML(w io.Writer, d *data.ExportData) error {
	bw := bufio.NewWriter(w)
	if err := htmlReportTemplate.Execute(bw, newHTMLReport(d)); err != nil {
		return fmt.Errorf("export HTML: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export HTML: %w", err)
	}
	return nil
}

type htmlReport struct {
	Title       string
	Exported    string
	ExportedISO string
	Summary     string
	Clusters    []htmlCluster
	Outlets     []string
	Matrix      []htmlMatrixRow
	Totals      []htmlTotal
	Groups      []htmlGroup
	Memos       []htmlMemo
	Propagation *htmlPropagation
}

type htmlCluster struct {
	Anchor, Heading     string
	Kind                vocab.UnitKind
	Speaker             string
	Status, StatusClass string
	Versions            []htmlVersion
}

type htmlVersion struct {
	Outlet, Meta, Title, URL string
	Reference                bool
	Ops                      []htmlOp
	Relations                []htmlRelation
}

// htmlOp is a step of a version's diff, marked up as <del>, <ins> or
// plain text.
type htmlOp struct {
	Text              string
	Deleted, Inserted bool
}

type htmlRelation struct {
	Name  vocab.Relation
	Class string
}

type htmlMatrixRow struct {
	Anchor, Label, Speaker string
	Status, StatusClass    string
	Cells                  []htmlCell // one per outlet
}

// htmlCell is one outlet's relations to a cluster; Name is empty where the
// outlet does not carry it.
type htmlCell struct {
	Name, Class string
	rels        []vocab.Relation
}

type htmlTotal struct {
	Label  string
	Counts []int
}

type htmlGroup struct {
	Level       int    // heading level, 3 to 6
	Parents     string // "Findings/" before a sub-code's name
	Name        string
	Description string
	Annotations []htmlAnnotation
}

type htmlAnnotation struct {
	Passage, Line, Note, Cite, URL string
	Orphaned                       bool
}

type htmlMemo struct{ Title, Target, Text string }

// relationTone groups relations by how far they depart from the reference,
// for the colour of badges and matrix cells. The names are always written
// out as well, so the colour only reinforces them.
var relationTone = map[vocab.Relation]string{
	vocab.RelReference: "ref",
	vocab.RelVerbatim:  "same", vocab.RelNormalized: "same",
	vocab.RelFragment: "trim", vocab.RelExtended: "trim", vocab.RelElided: "trim",
	vocab.RelInserted: "change", vocab.RelReworded: "change", vocab.RelIndirect: "change",
	vocab.RelMisattributed: "fact", vocab.RelFiguresDiffer: "fact",
}

// toneRank orders tones for a matrix cell holding several relations: the
// cell takes the colour of the most serious.
var toneRank = map[string]int{"": 0, "same": 1, "trim": 2, "change": 3, "fact": 4, "ref": 5}

func relationsFor(names []vocab.Relation) []htmlRelation {
	var out []htmlRelation
	for _, n := range orderRelations(names) {
		out = append(out, htmlRelation{Name: n, Class: cmp.Or(relationTone[n], "other")})
	}
	return out
}

// webURL is u when it is an absolute http(s) URL, the only links the report
// makes; anything else is shown as text, never followed.
func webURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return u
}

func newHTMLReport(d *data.ExportData) htmlReport {
	r := htmlReport{
		Title:       "Parallax export: " + cmp.Or(d.Project, "project"),
		Exported:    exportStamp(d.Exported),
		ExportedISO: d.Exported.UTC().Format(time.RFC3339),
		Summary: strings.Join([]string{countOf(len(d.Articles), "article", "articles"),
			countOf(len(d.Annotations), "annotation", "annotations"),
			countOf(len(d.Clusters), "cluster", "clusters")}, " · "),
		Outlets: clusterOutlets(d.Clusters),
	}

	for _, c := range d.Clusters {
		hc := htmlCluster{Anchor: fmt.Sprintf("cluster-%d", c.ID), Heading: fmt.Sprintf("Cluster %d", c.ID),
			Kind: c.Kind, Speaker: c.Speaker}
		hc.Status, hc.StatusClass = clusterStatus(c)
		for _, m := range referenceFirst(c.Members) {
			v := htmlVersion{Outlet: m.Source(), Reference: m.Reference, Relations: relationsFor(memberRelations(m))}
			if a, ok := d.Article(m.ArticleID); ok {
				v.Meta = a.Date.String()
				v.Title = a.Title
				v.URL = webURL(a.URL)
			}
			if m.Reference || len(m.Diff) == 0 {
				// The reference is what the others are compared with, so
				// it is shown as it stands.
				v.Ops = []htmlOp{{Text: m.Text}}
			} else {
				for _, op := range m.Diff {
					v.Ops = append(v.Ops, htmlOp{Text: op.Text, Deleted: op.Op == vocab.OpDelete, Inserted: op.Op == vocab.OpInsert})
				}
			}
			hc.Versions = append(hc.Versions, v)
		}
		r.Clusters = append(r.Clusters, hc)
		r.Matrix = append(r.Matrix, matrixRow(c, hc, r.Outlets))
	}
	r.Totals = matrixTotals(r.Matrix, len(r.Outlets))

	for _, g := range annotationsByCode(d) {
		hg := htmlGroup{Level: min(g.Depth+3, 6), Name: g.Code.Name, Description: g.Code.Description}
		if g.Code.ID == 0 {
			hg.Name = "Uncoded"
		} else if path := d.CodePath(g.Code.ID); strings.Contains(path, "/") {
			hg.Parents = path[:strings.LastIndex(path, "/")+1]
		}
		for _, a := range g.Annotations {
			art, _ := d.Article(a.ArticleID)
			art = articleOr(art, a.ArticleID)
			link := webURL(art.URL)
			cited := art
			if link != "" {
				// The URL follows as a link rather than inside the text.
				cited.URL = ""
			}
			hg.Annotations = append(hg.Annotations, htmlAnnotation{Passage: a.Exact, Line: articleLine(art, a.ArticleID),
				Note: a.Note, Cite: citation(cited), URL: link, Orphaned: a.Orphaned})
		}
		r.Groups = append(r.Groups, hg)
	}
	for _, m := range d.Memos {
		r.Memos = append(r.Memos, htmlMemo{Title: cmp.Or(m.Title, "Untitled memo"), Target: memoTarget(d, m), Text: m.Text})
	}
	if d.Propagation != nil && len(d.Propagation.Clusters) > 0 {
		r.Propagation = newHTMLPropagation(d.Propagation)
	}
	return r
}

// matrixRow is one cluster of the outlet matrix: for each outlet, the union
// of its versions' relations.
func matrixRow(c data.Cluster, hc htmlCluster, outlets []string) htmlMatrixRow {
	row := htmlMatrixRow{Anchor: hc.Anchor, Label: hc.Heading, Speaker: c.Speaker, Status: hc.Status, StatusClass: hc.StatusClass}
	for _, o := range outlets {
		var rels []vocab.Relation
		carried := false
		for _, m := range c.Members {
			if m.Source() == o {
				carried = true
				rels = append(rels, memberRelations(m)...)
			}
		}
		cell := htmlCell{rels: rels}
		if carried {
			cell.Name = cmp.Or(joinRelations(rels), "carried")
			for _, r := range rels {
				if t := relationTone[r]; toneRank[t] > toneRank[cell.Class] {
					cell.Class = t
				}
			}
		}
		row.Cells = append(row.Cells, cell)
	}
	return row
}

// matrixTotals are the per-outlet counts under the matrix, the same as the
// app's: clusters carried and how faithfully.
func matrixTotals(rows []htmlMatrixRow, outlets int) []htmlTotal {
	kinds := []struct {
		label string
		rels  []vocab.Relation
	}{
		{"Clusters carried", nil},
		{"Verbatim", []vocab.Relation{vocab.RelVerbatim}},
		{"Trimmed (fragment, elided)", []vocab.Relation{vocab.RelFragment, vocab.RelElided}},
		{"Reworded", []vocab.Relation{vocab.RelReworded}},
		{"Indirect", []vocab.Relation{vocab.RelIndirect}},
		{"Figures differ", []vocab.Relation{vocab.RelFiguresDiffer}},
	}
	out := make([]htmlTotal, len(kinds))
	for k, kind := range kinds {
		out[k] = htmlTotal{Label: kind.label, Counts: make([]int, outlets)}
		for _, r := range rows {
			for o, cell := range r.Cells {
				if cell.Name == "" {
					continue
				}
				if kind.rels == nil || slices.ContainsFunc(kind.rels, func(n vocab.Relation) bool { return slices.Contains(cell.rels, n) }) {
					out[k].Counts[o]++
				}
			}
		}
	}
	return out
}

var htmlReportTemplate = template.Must(template.Must(template.Must(template.New("report").Parse(htmlPage)).Parse(htmlPartials)).Parse(htmlPropagationPartial))

const htmlPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="Parallax">
<title>{{.Title}}</title>
<style>
:root { --fg: #1b1b1b; --muted: #5a5a5a; --rule: #c9c9c9; --del: #b3261e; --del-bg: #fbe4e2; --ins: #1b6e34; --ins-bg: #ddf2e2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 Georgia, "Times New Roman", serif; color: var(--fg); background: #fff; max-width: 64rem; margin: 2rem auto; padding: 0 1.5rem; }
h1, h2, h3, h4, h5, h6 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--fg); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.12rem; margin: 1.8rem 0 .5rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.4rem 0 .4rem; }
.muted, .meta, .target { color: var(--muted); }
.parents { color: var(--muted); font-weight: normal; }
nav ul { list-style: none; padding: 0; display: flex; gap: 1.2rem; flex-wrap: wrap; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
th, td { border: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f1f1f1; font-family: "Helvetica Neue", Arial, sans-serif; font-size: .85rem; }
th small { display: block; font-weight: normal; color: var(--muted); }
del { color: var(--del); background: var(--del-bg); text-decoration: line-through; text-decoration-thickness: 2px; }
ins { color: var(--ins); background: var(--ins-bg); text-decoration: underline; text-decoration-thickness: 2px; }
del::before, del::after, ins::before, ins::after { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
del::before { content: " [missing: "; } ins::before { content: " [added: "; } del::after, ins::after { content: "] "; }
.badge, .rel { display: inline-block; font: .75rem/1.4 "Helvetica Neue", Arial, sans-serif; padding: 0 .45rem; border-radius: .6rem; border: 1px solid currentColor; margin: 0 .15rem .15rem 0; white-space: nowrap; }
.status-agree, .rel.same { color: #1b6e34; background: #e3f4e7; }
.status-diverge, .rel.change { color: #7a4a00; background: #fdf0d5; }
.status-figures, .rel.fact { color: #fff; background: #b3261e; border-color: #b3261e; font-weight: bold; }
.status-other, .rel.trim, .rel.other { color: #333; background: #eee; }
.rel.ref { color: #fff; background: #2d4f8a; border-color: #2d4f8a; }
tr.reference td, tr.reference th { background: #f4f7fc; }
.legend { font-size: .9rem; color: var(--muted); }
table.matrix { font-size: .85rem; }
table.matrix td { text-align: center; }
table.matrix td.same { background: #e3f4e7; } table.matrix td.trim { background: #efefef; }
table.matrix td.change { background: #fdf0d5; } table.matrix td.fact { background: #f6d3cf; font-weight: bold; }
table.matrix td.ref { background: #dfe7f5; }
table.matrix tfoot th, table.matrix tfoot td { background: #f7f7f7; font-weight: bold; }
figure.graph { margin: 1rem 0; } figure.graph svg { width: 100%; height: auto; border: 1px solid var(--rule); }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.4rem; margin: .2rem 0; }
ul.tree { padding-left: 0; }
ul.tree li { margin: .35rem 0; padding-left: .6rem; border-left: 2px solid var(--rule); }
ul.tree li.root { border-left-color: #2d4f8a; }
ul.tree li.unseen { border-left-style: dashed; }
.vhead { font: .85rem "Helvetica Neue", Arial, sans-serif; font-weight: bold; }
.origin { font: .8rem "Helvetica Neue", Arial, sans-serif; color: var(--muted); }
.annotation { margin: 0 0 1.2rem; padding-left: .8rem; border-left: 3px solid var(--rule); }
blockquote { margin: 0 0 .3rem; font-size: 1.05rem; white-space: pre-wrap; }
.note, .memo-text { white-space: pre-wrap; margin: .3rem 0; }
.cite { font-size: .85rem; margin: .2rem 0; overflow-wrap: anywhere; }
.orphaned { color: var(--del); font-style: italic; }
@page { margin: 16mm 14mm; }
@media print {
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; }
  nav { display: none; }
  h2 { break-before: page; }
  h2.first { break-before: auto; }
  h2, h3, h4, h5, h6 { break-after: avoid; }
  section.cluster, .annotation, .memo, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  a { color: inherit; text-decoration: none; }
  a.ext::after { content: " <" attr(href) ">"; font-size: 85%; overflow-wrap: anywhere; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table.matrix { font-size: 8pt; }
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="muted">Exported <time datetime="{{.ExportedISO}}">{{.Exported}}</time> · {{.Summary}}</p>
<nav><ul>
{{- if .Clusters}}<li><a href="#comparisons">Comparisons</a></li><li><a href="#matrix">Outlet matrix</a></li>{{end}}
{{- if .Propagation}}<li><a href="#propagation">Propagation</a></li>{{end}}
{{- if .Groups}}<li><a href="#annotations">Annotations</a></li>{{end}}
{{- if .Memos}}<li><a href="#memos">Memos</a></li>{{end -}}
</ul></nav>
</header>
{{- if .Clusters}}
<section id="comparisons">
<h2 class="first">Comparisons</h2>
<p class="legend">Each outlet's version is compared word by word with the reference (listed first):
<del>struck-through</del> words are reference words the version lacks; <ins>underlined</ins> words are words it adds.
The relation column names every difference in words.</p>
{{- range .Clusters}}
<section class="cluster" id="{{.Anchor}}">
<h3>{{.Heading}}{{if .Kind}} · {{.Kind}}{{end}}{{if .Speaker}} · {{.Speaker}}{{end}} <span class="badge status-{{.StatusClass}}">{{.Status}}</span></h3>
<table class="versions">
<thead><tr><th scope="col">Outlet</th><th scope="col">Version</th><th scope="col">Relation</th></tr></thead>
<tbody>
{{- range .Versions}}
<tr{{if .Reference}} class="reference"{{end}}><th scope="row">{{.Outlet}}{{if or .Meta .Title}}<small>{{.Meta}}{{if and .Meta .Title}} · {{end}}{{if .URL}}<a class="ext" href="{{.URL}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}</small>{{end}}</th>
<td>{{range .Ops}}{{if .Deleted}}<del>{{.Text}}</del>{{else if .Inserted}}<ins>{{.Text}}</ins>{{else}}{{.Text}}{{end}}{{end}}</td>
<td>{{range .Relations}}<span class="rel {{.Class}}">{{.Name}}</span>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- end}}
</section>
<section id="matrix">
<h2>Outlet matrix</h2>
<p class="legend">Clusters down, outlets across; each cell names how the outlet carries the passage, empty where it does not.</p>
<table class="matrix">
<thead><tr><th scope="col">Cluster</th>{{range .Outlets}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Matrix}}
<tr><th scope="row"><a href="#{{.Anchor}}">{{.Label}}</a>{{if .Speaker}} · {{.Speaker}}{{end}} <span class="badge status-{{.StatusClass}}">{{.Status}}</span></th>
{{- range .Cells}}<td{{if .Class}} class="{{.Class}}"{{end}}>{{.Name}}</td>{{end}}</tr>
{{- end}}
</tbody>
<tfoot>
{{- range .Totals}}
<tr><th scope="row">{{.Label}}</th>{{range .Counts}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tfoot>
</table>
</section>
{{- end}}
{{- with .Propagation}}{{template "propagation" .}}{{end}}
{{- if .Groups}}
<section id="annotations">
<h2{{if not .Clusters}} class="first"{{end}}>Annotations</h2>
{{- range .Groups}}
{{template "heading" .}}
{{- if .Description}}
<p class="muted">{{.Description}}</p>
{{- end}}
{{- range .Annotations}}
<div class="annotation">
<blockquote>{{.Passage}}</blockquote>
{{- if .Orphaned}}
<p class="orphaned">Passage no longer found in the article's current text.</p>
{{- end}}
<p class="meta">{{.Line}}</p>
{{- if .Note}}
<p class="note">{{.Note}}</p>
{{- end}}
<p class="cite">Source: {{.Cite}}{{if .URL}} <a href="{{.URL}}">{{.URL}}</a>{{end}}</p>
</div>
{{- end}}
{{- end}}
</section>
{{- end}}
{{- if .Memos}}
<section id="memos">
<h2{{if and (not .Clusters) (not .Groups)}} class="first"{{end}}>Memos</h2>
{{- range .Memos}}
<div class="memo">
<h3>{{.Title}}</h3>
<p class="target">{{.Target}}</p>
{{- if .Text}}
<p class="memo-text">{{.Text}}</p>
{{- end}}
</div>
{{- end}}
</section>
{{- end}}
</body>
</html>
`

// htmlPartials picks a code heading's level from its depth, which
// html/template cannot do with a computed tag name.
const htmlPartials = `
{{define "heading"}}
{{- if eq .Level 3}}<h3>{{template "code" .}}</h3>
{{- else if eq .Level 4}}<h4>{{template "code" .}}</h4>
{{- else if eq .Level 5}}<h5>{{template "code" .}}</h5>
{{- else}}<h6>{{template "code" .}}</h6>
{{- end}}
{{- end}}
{{define "code"}}{{if .Parents}}<span class="parents">{{.Parents}}</span>{{end}}{{.Name}}{{end}}
`
