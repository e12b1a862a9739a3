// Package export writes a project's contents in exchange and report
// formats: Markdown notes, annotation and quote CSV, W3C Web Annotation
// JSON-LD, a self-contained HTML report, and the outlet matrix CSV. Each
// writer is a pure function of a data.ExportData snapshot (the matrix CSV,
// of the table the screen shows): nothing here reads the project, so an
// export is consistent and the same input always gives the same bytes.
package export

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
)

// WriteMarkdown writes d as a Markdown report (format "md"): a title and
// the export date; the annotations under their codes, with the codebook
// hierarchy as heading levels (an annotation with several codes appears
// under each) and an "Uncoded" section; the memos; and a "Comparisons"
// section with each cluster as an outlet | version | relation table.
//
// Text from articles and notes is escaped so that it reads as written
// rather than turning into headings, links, emphasis or raw HTML.
func WriteMarkdown(w io.Writer, d *data.ExportData) error {
	bw := bufio.NewWriter(w)
	// bufio.Writer keeps the first write error and refuses later writes,
	// so checking Flush alone is enough.
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }

	p("# Parallax export: %s\n\n", mdOneLine(cmp.Or(d.Project, "project")))
	p("Exported %s · %s · %s · %s\n", exportStamp(d.Exported),
		countOf(len(d.Articles), "article", "articles"),
		countOf(len(d.Annotations), "annotation", "annotations"),
		countOf(len(d.Clusters), "cluster", "clusters"))

	for _, g := range annotationsByCode(d) {
		name := "Uncoded"
		if g.Code.ID != 0 {
			name = g.Code.Name
		}
		p("\n%s %s\n", strings.Repeat("#", min(g.Depth+1, 6)), mdOneLine(name))
		if g.Code.Description != "" {
			p("\n%s\n", mdParagraphs(g.Code.Description))
		}
		for _, a := range g.Annotations {
			art, _ := d.Article(a.ArticleID)
			p("\n%s\n", mdQuote(a.Exact))
			if a.Orphaned {
				p(">\n> _(passage no longer found in the article's current text)_\n")
			}
			p("\n%s\n", mdOneLine(articleLine(art, a.ArticleID)))
			if a.Note != "" {
				p("\n%s\n", mdParagraphs(a.Note))
			}
			p("\nSource: %s\n", mdOneLine(citation(articleOr(art, a.ArticleID))))
		}
	}

	if len(d.Memos) > 0 {
		p("\n# Memos\n")
		for _, m := range d.Memos {
			p("\n## %s\n\n_%s_\n", mdOneLine(cmp.Or(m.Title, "Untitled memo")), mdOneLine(memoTarget(d, m)))
			if m.Text != "" {
				p("\n%s\n", mdParagraphs(m.Text))
			}
		}
	}

	if len(d.Clusters) > 0 {
		p("\n# Comparisons\n")
		for _, c := range d.Clusters {
			p("\n## %s\n\n", mdOneLine(clusterHeading(c)))
			p("| outlet | version | relation |\n| --- | --- | --- |\n")
			for _, m := range referenceFirst(c.Members) {
				p("| %s | %s | %s |\n", mdCell(m.Source()), mdCell(m.Text), mdCell(joinRelations(memberRelations(m))))
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export markdown: %w", err)
	}
	return nil
}

// codeGroup is one heading of an annotations-by-code listing.
type codeGroup struct {
	Code        data.Code // zero for the uncoded group
	Depth       int       // 0 for a top-level code
	Annotations []data.Annotation
}

// annotationsByCode groups the annotations under their codes in codebook
// order, depth first, with an annotation listed under each of its codes.
// Codes with no annotations in their subtree are left out, but ancestors
// of coded ones stay so that the hierarchy reads. Uncoded annotations come
// last, in their own group.
func annotationsByCode(d *data.ExportData) []codeGroup {
	known := make(map[int64]data.Code, len(d.Codes))
	for _, c := range d.Codes {
		known[c.ID] = c
	}
	byCode := map[int64][]data.Annotation{}
	var uncoded []data.Annotation
	for _, a := range d.Annotations {
		coded := false
		seen := map[int64]bool{}
		for _, id := range a.CodeIDs {
			if _, ok := known[id]; ok && !seen[id] {
				seen[id] = true
				byCode[id] = append(byCode[id], a)
				coded = true
			}
		}
		if !coded {
			uncoded = append(uncoded, a)
		}
	}
	keep := map[int64]bool{}
	for id := range byCode {
		// The step limit guards against a parent cycle in hand-made data.
		for n := 0; id != 0 && !keep[id] && n <= len(d.Codes); n++ {
			keep[id] = true
			id = known[id].ParentID
		}
	}
	children := map[int64][]data.Code{}
	for _, c := range d.Codes {
		parent := c.ParentID
		if _, ok := known[parent]; !ok {
			parent = 0
		}
		children[parent] = append(children[parent], c)
	}
	var out []codeGroup
	visited := map[int64]bool{}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, c := range children[parent] {
			if !keep[c.ID] || visited[c.ID] {
				continue
			}
			visited[c.ID] = true
			out = append(out, codeGroup{Code: c, Depth: depth, Annotations: byCode[c.ID]})
			walk(c.ID, depth+1)
		}
	}
	walk(0, 0)
	if len(uncoded) > 0 {
		out = append(out, codeGroup{Annotations: uncoded})
	}
	return out
}

// memoTarget says what a memo is about, in words.
func memoTarget(d *data.ExportData, m data.Memo) string {
	switch m.TargetKind {
	case "project":
		return "On the project"
	case "article":
		a, _ := d.Article(m.TargetID)
		return "On the article " + citation(articleOr(a, m.TargetID))
	case "code":
		return "On the code " + cmp.Or(d.CodePath(m.TargetID), fmt.Sprintf("%d", m.TargetID))
	case "cluster":
		return fmt.Sprintf("On cluster %d", m.TargetID)
	}
	return fmt.Sprintf("On %s %d", m.TargetKind, m.TargetID)
}

// articleOr is a, or a stand-in carrying only the ID when the article is
// not in the export, so citations still say which article was meant.
func articleOr(a data.Article, id int64) data.Article {
	if a.ID == 0 {
		a.ID = id
	}
	return a
}

// citation is a one-line reference to an article for notes and reports.
func citation(a data.Article) string {
	s := outletName(a.Outlet)
	if !a.Date.IsZero() {
		s += " (" + a.Date.String() + ")"
	}
	s += fmt.Sprintf(". “%s”.", cmp.Or(a.Title, fmt.Sprintf("Article %d", a.ID)))
	if a.URL != "" {
		s += " " + a.URL
	}
	return s
}

// articleLine is "outlet · date · title", leaving out what is unknown.
func articleLine(a data.Article, id int64) string {
	parts := []string{outletName(a.Outlet)}
	if !a.Date.IsZero() {
		parts = append(parts, a.Date.String())
	}
	parts = append(parts, cmp.Or(a.Title, fmt.Sprintf("Article %d", id)))
	return strings.Join(parts, " · ")
}

// outletName is how an outlet is labelled; an article without one still
// needs a column and a name in the reports.
func outletName(s string) string { return cmp.Or(s, "Unknown outlet") }

// clusterHeading is "Cluster 3 · quote · Ofsted · figures differ".
func clusterHeading(c data.Cluster) string {
	parts := []string{fmt.Sprintf("Cluster %d", c.ID)}
	if c.Kind != "" {
		parts = append(parts, string(c.Kind))
	}
	if c.Speaker != "" {
		parts = append(parts, c.Speaker)
	}
	if label, _ := clusterStatus(c); label != "" {
		parts = append(parts, label)
	}
	return strings.Join(parts, " · ")
}

// exportStamp is the export time as people read it, in UTC so that the
// same export reads the same everywhere.
func exportStamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// mdInline escapes text for Markdown so that it reads as written: the
// characters that open emphasis, code, links or raw HTML are
// backslash-escaped everywhere, and what would make a heading, list, quote,
// table (a ":--" delimiter row) or rule at the start of a line is escaped
// there. Leading spaces are dropped since four of them would make a code
// block. Newlines are kept; mdParagraphs and mdQuote decide what they
// become.
func mdInline(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = mdLine(l)
	}
	return strings.Join(lines, "\n")
}

// mdOneLine escapes text that must stay on one line, such as a heading or
// a citation: a title with a line break would otherwise end the heading
// and start a paragraph with the rest.
func mdOneLine(s string) string { return mdLine(strings.Join(strings.Fields(s), " ")) }

// mdLine escapes one line. Pipes are escaped everywhere, not only in table
// cells: two lines of a note could otherwise read as a table header and its
// delimiter row.
func mdLine(l string) string {
	l = strings.TrimLeft(l, " \t")
	digits := 0
	for digits < len(l) && l[digits] >= '0' && l[digits] <= '9' {
		digits++
	}
	var b strings.Builder
	for i, r := range l {
		switch {
		case strings.ContainsRune("\\`*_[]<>~|", r),
			i == 0 && strings.ContainsRune("#-+=>:", r),
			// "&amp;" in a note means those five characters, not "&".
			r == '&' && mdEntity.MatchString(l[i:]),
			// "1." or "1)" opens an ordered list.
			digits > 0 && i == digits && (r == '.' || r == ')'),
			// A trailing # after a space would close a heading.
			r == '#' && i == len(l)-1:
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdEntity matches what Markdown would read as an HTML entity or numeric
// character reference.
var mdEntity = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// mdParagraphs escapes multi-line text (a note, a memo) and keeps its line
// breaks: a single newline would otherwise be joined into the line before.
func mdParagraphs(s string) string {
	lines := strings.Split(strings.TrimRight(mdInline(s), "\n"), "\n")
	for i := range len(lines) - 1 {
		switch {
		case lines[i] == "" || lines[i+1] == "":
		case strings.HasSuffix(lines[i], "\\"):
			// A backslash break after an escaped backslash is misread
			// by some renderers; two spaces mean the same.
			lines[i] += "  "
		default:
			lines[i] += "\\"
		}
	}
	return strings.Join(lines, "\n")
}

// mdQuote is a passage as a block quote, every line marked so that
// paragraph breaks inside the passage stay inside the quote.
func mdQuote(s string) string {
	lines := strings.Split(mdParagraphs(s), "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// mdCell escapes text for a table cell, where a newline would end the row:
// lines are joined with <br>, which GitHub-flavoured tables render, set off
// by spaces so that a renderer that drops raw HTML does not run the words
// together.
func mdCell(s string) string {
	var lines []string
	for l := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		lines = append(lines, mdLine(strings.TrimSpace(l)))
	}
	return strings.Join(lines, " <br> ")
}
