package export

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// The two propagation pictures as SVG, laid out by data's layouts, as the
// Propagation screen draws them. Text is escaped; nothing is fetched.
// Meaning never rests on colour: edges carry their number of clusters,
// nodes their name and first-carrier count, and diffs are struck through
// or underlined.

// Sizes of the pickup graph picture.
const (
	graphWidth  = 1200.0
	graphHeight = 820.0
)

// svgText escapes s for SVG text and attributes.
func svgText(s string) string { return html.EscapeString(s) }

func svgNum(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", f), "0"), ".")
}

// WritePickupsSVG writes the outlet pickup graph as SVG (format
// "pickups-svg"): outlets on a circle, sized by the clusters they carried
// first, arrows from the outlet whose wording was taken to the outlet that
// took it, as wide as their clusters and labelled with them.
func WritePickupsSVG(w io.Writer, d *data.ExportData) error {
	p, err := propagationOf(d, "pickups SVG")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	writePickupGraph(bw, p, graphWidth, graphHeight, "Who takes whose wording: "+cmpProject(d.Project))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export pickups SVG: %w", err)
	}
	return nil
}

func cmpProject(p string) string {
	if p == "" {
		return "Parallax project"
	}
	return p
}

// writePickupGraph writes the graph as an <svg> element.
func writePickupGraph(w *bufio.Writer, p *data.Propagation, width, height float64, title string) {
	// As on the screen, the arrows of the lightest pickups are left out
	// where there are too many to follow, and the picture says so.
	minWeight := data.ReadableMinWeight(p)
	// The graph sits below the title and its two lines of explanation
	// (down to y = 66), above a band for the note on names left out.
	const top, footer = 72, 24
	l := data.LayoutPickupGraph(p, width, height-top-footer, minWeight, nil)
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" role="img" font-family="Helvetica, Arial, sans-serif">`+"\n",
		svgNum(width), svgNum(height), svgNum(width), svgNum(height))
	fmt.Fprintf(w, "<title>%s</title>\n", svgText(title))
	w.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
	fmt.Fprintf(w, `<text x="16" y="24" font-size="15" font-weight="bold" fill="#1b1b1b">%s</text>`+"\n", svgText(title))
	w.WriteString(`<text x="16" y="44" font-size="12" fill="#5a5a5a">An arrow A → B: B's versions most likely derive from A's, in the number of clusters written on it. Circle size: clusters an outlet carried first.</text>` + "\n")
	if minWeight > 1 {
		fmt.Fprintf(w, `<text x="16" y="62" font-size="12" fill="#5a5a5a">%s</text>`+"\n", svgText(fmt.Sprintf(
			"Arrows of the pickups in %d or more clusters: %d of %d (the GraphML and pickups CSV exports carry every one).",
			minWeight, data.EdgesAtLeast(p, minWeight), len(p.Edges))))
	}
	fmt.Fprintf(w, `<g transform="translate(0 %d)">`+"\n", top)
	for _, e := range l.Edges {
		edge := p.Edges[e.Edge]
		fmt.Fprintf(w, `<g><title>%s</title>`, svgText(fmt.Sprintf("%s → %s: %s (%s)", edge.From, edge.To,
			countOf(edge.Weight, "cluster", "clusters"), clusterList(edge.Pickups))))
		fmt.Fprintf(w, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#4a4a4a" stroke-opacity="0.75" stroke-width="%s"/>`,
			svgNum(e.X1), svgNum(e.Y1), svgNum(e.X2), svgNum(e.Y2), svgNum(e.Width))
		fmt.Fprintf(w, `<polygon points="%s,%s %s,%s %s,%s" fill="#4a4a4a"/>`, svgNum(e.Arrow[0][0]), svgNum(e.Arrow[0][1]),
			svgNum(e.Arrow[1][0]), svgNum(e.Arrow[1][1]), svgNum(e.Arrow[2][0]), svgNum(e.Arrow[2][1]))
		if !e.LabelHidden {
			fmt.Fprintf(w, `<text x="%s" y="%s" font-size="12" text-anchor="middle" fill="#1b1b1b" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text>`,
				svgNum(e.LabelX), svgNum(e.LabelY), svgText(e.Label))
		}
		w.WriteString("</g>\n")
	}
	for _, n := range l.Nodes {
		fmt.Fprintf(w, `<g><title>%s</title>`, svgText(fmt.Sprintf("%s: carried %s, first in %d (alone in %d); %d of its versions straight from a primary source",
			n.Outlet, countOf(n.Clusters, "cluster", "clusters"), n.First, n.Sole, n.FromPrimary)))
		fmt.Fprintf(w, `<circle cx="%s" cy="%s" r="%s" fill="#dfe7f5" stroke="#2d4f8a" stroke-width="1.5"/>`, svgNum(n.X), svgNum(n.Y), svgNum(n.R))
		switch {
		case n.Shortened:
			fmt.Fprintf(w, `<text x="%s" y="%s" font-size="13" text-anchor="%s" fill="#1b1b1b">%s</text>`,
				svgNum(n.LabelX), svgNum(n.LabelY), n.Anchor, svgText(n.Outlet))
		case !n.Hidden:
			fmt.Fprintf(w, `<text x="%s" y="%s" font-size="13" text-anchor="%s" fill="#1b1b1b">%s <tspan fill="#5a5a5a" font-size="11">(%s)</tspan></text>`,
				svgNum(n.LabelX), svgNum(n.LabelY), n.Anchor, svgText(n.Outlet), data.FirstLabel(n.First, n.Sole, n.Clusters))
		}
		w.WriteString("</g>\n")
	}
	w.WriteString("</g>\n")
	if hidden := l.HiddenLabels(); hidden > 0 {
		fmt.Fprintf(w, `<text x="16" y="%s" font-size="12" fill="#5a5a5a">%d of %d outlet names left out where they would overlap: hover over a circle for its name (the GraphML export carries every one).</text>`+"\n",
			svgNum(height-12), hidden, len(l.Nodes))
	}
	w.WriteString("</svg>\n")
}

// WriteVariantsSVG writes the variant tree of every cluster with more than
// one variant as SVG (format "variants-svg"), one under the other: each
// wording a box at its first carrier's date on a time axis, with its
// outlets, date and its words against its parent's (words of the parent
// it lacks struck through, words it adds underlined), and a line from its
// parent labelled with the confidence.
func WriteVariantsSVG(w io.Writer, d *data.ExportData) error {
	p, err := propagationOf(d, "variants SVG")
	if err != nil {
		return err
	}
	const width = 1200.0
	var parts []data.TreeLayout
	var clusters []*data.PropagationCluster
	height := 70.0
	for i := range p.Clusters {
		c := &p.Clusters[i]
		if len(c.Variants) < 2 {
			continue
		}
		l := data.LayoutVariantTree(c, width, data.TreeBoxWidth, data.TreeBoxHeight)
		parts = append(parts, l)
		clusters = append(clusters, c)
		height += l.Height + 40
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" role="img" font-family="Helvetica, Arial, sans-serif">`+"\n",
		svgNum(width), svgNum(height), svgNum(width), svgNum(height))
	title := "How each version travelled: " + cmpProject(d.Project)
	fmt.Fprintf(bw, "<title>%s</title>\n", svgText(title))
	bw.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
	fmt.Fprintf(bw, `<text x="16" y="24" font-size="15" font-weight="bold" fill="#1b1b1b">%s</text>`+"\n", svgText(title))
	bw.WriteString(`<text x="16" y="44" font-size="12" fill="#5a5a5a">Each box is a wording, at its first carrier's date; a line leads from the wording it most likely derives from. <tspan text-decoration="line-through">Struck</tspan>: the parent's words it lacks; <tspan text-decoration="underline">underlined</tspan>: words it adds.</text>` + "\n")
	if len(parts) == 0 {
		bw.WriteString(`<text x="16" y="64" font-size="12" fill="#5a5a5a">No cluster has more than one wording.</text>` + "\n")
	}
	y := 70.0
	for k, l := range parts {
		c := clusters[k]
		fmt.Fprintf(bw, `<g transform="translate(0 %s)">`+"\n", svgNum(y))
		fmt.Fprintf(bw, `<text x="16" y="16" font-size="13" font-weight="bold" fill="#1b1b1b">%s</text>`+"\n", svgText(clusterCaption(c)))
		bw.WriteString(`<g transform="translate(0 24)">` + "\n")
		writeVariantTree(bw, c, l)
		bw.WriteString("</g></g>\n")
		y += l.Height + 40
	}
	bw.WriteString("</svg>\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export variants SVG: %w", err)
	}
	return nil
}

// clusterCaption is "Cluster 3 · quote · Ofsted · 4 variants".
func clusterCaption(c *data.PropagationCluster) string {
	parts := []string{fmt.Sprintf("Cluster %d", c.ID)}
	if c.Kind != "" {
		parts = append(parts, string(c.Kind))
	}
	if c.Speaker != "" {
		parts = append(parts, c.Speaker)
	}
	return strings.Join(append(parts, countOf(len(c.Variants), "variant", "variants")), " · ")
}

// writeVariantTree draws one laid-out tree at the origin.
func writeVariantTree(w *bufio.Writer, c *data.PropagationCluster, l data.TreeLayout) {
	w.WriteString(`<line x1="16" y1="28" x2="` + svgNum(l.Width-16) + `" y2="28" stroke="#9a9a9a"/>` + "\n")
	for _, t := range l.Ticks {
		fmt.Fprintf(w, `<line x1="%s" y1="24" x2="%s" y2="32" stroke="#9a9a9a"/><text x="%s" y="18" font-size="11" fill="#5a5a5a">%s</text>`+"\n",
			svgNum(t.X), svgNum(t.X), svgNum(t.X), svgText(t.Label))
	}
	if l.Note != "" {
		fmt.Fprintf(w, `<text x="16" y="46" font-size="11" font-style="italic" fill="#5a5a5a">%s</text>`+"\n", svgText(l.Note))
	}
	for _, link := range l.Links {
		var pts []string
		for _, pt := range link.Points {
			pts = append(pts, svgNum(pt[0])+","+svgNum(pt[1]))
		}
		fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="#4a4a4a" stroke-width="1.5"/>`, strings.Join(pts, " "))
		fmt.Fprintf(w, `<text x="%s" y="%s" font-size="11" fill="#1b1b1b">%s</text>`+"\n", svgNum(link.LabelX), svgNum(link.LabelY), svgText(link.Label))
	}
	for v, b := range l.Boxes {
		vr := c.Variants[v]
		fill, stroke, sw := "#ffffff", "#7a7a7a", "1"
		if v == c.Root {
			fill, stroke, sw = "#f4f7fc", "#2d4f8a", "2"
		}
		fmt.Fprintf(w, `<g><title>%s</title>`, svgText(variantTooltip(c, v)))
		fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" rx="4" fill="%s" stroke="%s" stroke-width="%s"`,
			svgNum(b.X), svgNum(b.Y), svgNum(b.W), svgNum(b.H), fill, stroke, sw)
		if vr.Unseen {
			w.WriteString(` stroke-dasharray="5 3"`)
		}
		w.WriteString("/>\n")
		fmt.Fprintf(w, `<text x="%s" y="%s" font-size="11" font-weight="bold" fill="#1b1b1b">%s</text>`+"\n",
			svgNum(b.X+6), svgNum(b.Y+14), svgText(truncateRunes(c.VariantHeading(v), boxChars)))
		for i, line := range wrapDiff(variantOps(vr), boxChars, 3) {
			fmt.Fprintf(w, `<text x="%s" y="%s" font-size="12" fill="#1b1b1b" xml:space="preserve">`, svgNum(b.X+6), svgNum(b.Y+31+float64(i)*15))
			for _, wd := range line {
				if wd.space {
					w.WriteString(" ")
				}
				switch wd.op {
				case vocab.OpDelete:
					fmt.Fprintf(w, `<tspan text-decoration="line-through" fill="#b3261e">%s</tspan>`, svgText(wd.text))
				case vocab.OpInsert:
					fmt.Fprintf(w, `<tspan text-decoration="underline" fill="#1b6e34">%s</tspan>`, svgText(wd.text))
				default:
					w.WriteString(svgText(wd.text))
				}
			}
			w.WriteString("</text>\n")
		}
		fmt.Fprintf(w, `<text x="%s" y="%s" font-size="11" fill="#5a5a5a">%s</text></g>`+"\n",
			svgNum(b.X+6), svgNum(b.Y+b.H-7), svgText(truncateRunes(c.VariantOrigin(v), boxChars+6)))
	}
}

// boxChars is about how many characters a variant box holds on a line.
const boxChars = 44

func variantTooltip(c *data.PropagationCluster, v int) string {
	vr := c.Variants[v]
	var b strings.Builder
	b.WriteString(c.VariantHeading(v) + "\n" + vr.Text + "\n" + c.VariantOrigin(v))
	if vr.Parent >= 0 {
		fmt.Fprintf(&b, "\n%.0f%% of its words in the parent, %.0f%% of the parent's kept; time order: %s", 100*vr.Contained, 100*vr.Kept, vr.Order)
		if len(vr.New) > 0 {
			b.WriteString("; its own changes: " + data.ChangeList(vr.New))
		}
	}
	return b.String()
}

// variantOps is a variant's text as diff steps against its parent: the
// text alone for the root and unseen variants.
func variantOps(v data.Variant) []data.DiffOp {
	if len(v.Diff) == 0 {
		return []data.DiffOp{{Op: vocab.OpEqual, Text: v.Text}}
	}
	return v.Diff
}

// diffWord is a word of a wrapped diff, with its step's op; space says
// that a space, unmarked, comes before it.
type diffWord struct {
	op    vocab.Op
	text  string
	space bool
}

// wrapDiff breaks diff steps into at most maxLines lines of about width
// characters, each a run of words keeping their step's op; the last line
// ends with an ellipsis when the text goes on.
func wrapDiff(ops []data.DiffOp, width, maxLines int) [][]diffWord {
	var lines [][]diffWord
	var cur []diffWord
	n := 0
	for _, op := range ops {
		for _, word := range strings.Fields(op.Text) {
			l := utf8.RuneCountInString(word)
			if n > 0 && n+1+l > width {
				lines = append(lines, cur)
				cur, n = nil, 0
				if len(lines) == maxLines {
					last := lines[maxLines-1]
					last[len(last)-1].text += "…"
					return lines
				}
			}
			cur = append(cur, diffWord{op.Op, word, n > 0})
			n += l + boolInt(n > 0)
		}
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
