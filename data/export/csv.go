package export

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// WriteAnnotationsCSV writes the annotations as CSV (format "csv"): a
// header row, then one row per annotation and code, so that a spreadsheet
// can filter and count by code directly; an uncoded annotation gets one row
// with an empty code_path. Columns: annotation_id, article_id, outlet,
// date, title, url, code_path, start, end (rune offsets), text, note,
// color, created, modified (RFC 3339, UTC).
//
// The file is UTF-8 without a byte-order mark, RFC 4180 quoted, with CRLF
// line ends. Cells that a spreadsheet would run as a formula are prefixed
// with an apostrophe (see FormulaSafe).
func WriteAnnotationsCSV(w io.Writer, d *data.ExportData) error {
	cw := newExportCSV(w)
	cw.Write([]string{"annotation_id", "article_id", "outlet", "date", "title", "url", "code_path",
		"start", "end", "text", "note", "color", "created", "modified"})
	for _, a := range d.Annotations {
		art, _ := d.Article(a.ArticleID)
		var paths []string
		for _, id := range a.CodeIDs {
			if p := d.CodePath(id); p != "" && !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 {
			paths = []string{""}
		}
		for _, p := range paths {
			cw.Write([]string{
				strconv.FormatInt(a.ID, 10), strconv.FormatInt(a.ArticleID, 10),
				FormulaSafe(art.Outlet), art.Date.String(), FormulaSafe(art.Title), FormulaSafe(art.URL),
				FormulaSafe(p), strconv.Itoa(a.Start), strconv.Itoa(a.End),
				FormulaSafe(a.Exact), FormulaSafe(a.Note), FormulaSafe(a.Color),
				exportTime(a.Created), exportTime(a.Modified),
			})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export annotations CSV: %w", err)
	}
	return nil
}

// WriteQuotesCSV writes the clusters as CSV (format "quotes-csv"), one
// row per cluster: cluster_id, kind, speaker, status, reference_outlet,
// reference_text, then two columns per outlet (sorted by name, over all
// the clusters): "<outlet>", that outlet's version of the passage, and
// "<outlet> relation", how it relates to the reference ("reference" for
// the reference itself, several relations joined with "+"). An outlet that
// carries a passage more than once has its versions, and their relations,
// joined with " || " in the same order; one that does not carry it has
// empty cells. The encoding is as for WriteAnnotationsCSV.
func WriteQuotesCSV(w io.Writer, d *data.ExportData) error {
	outlets := clusterOutlets(d.Clusters)
	cw := newExportCSV(w)
	head := []string{"cluster_id", "kind", "speaker", "status", "reference_outlet", "reference_text"}
	for _, o := range outlets {
		head = append(head, FormulaSafe(o), FormulaSafe(o+" relation"))
	}
	cw.Write(head)
	for _, c := range d.Clusters {
		var refOutlet, refText string
		if ms := referenceFirst(c.Members); len(ms) > 0 {
			refOutlet, refText = ms[0].Source(), ms[0].Text
		}
		row := []string{strconv.FormatInt(c.ID, 10), FormulaSafe(string(c.Kind)), FormulaSafe(c.Speaker), FormulaSafe(string(c.Status)),
			FormulaSafe(refOutlet), FormulaSafe(refText)}
		for _, o := range outlets {
			var texts, rels []string
			for _, m := range referenceFirst(c.Members) {
				if m.Source() == o {
					texts = append(texts, m.Text)
					rels = append(rels, joinRelations(memberRelations(m)))
				}
			}
			row = append(row, FormulaSafe(strings.Join(texts, " || ")), FormulaSafe(strings.Join(rels, " || ")))
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export quotes CSV: %w", err)
	}
	return nil
}

// exportCSV is a csv.Writer whose Write errors are left to Error: a failed
// write sticks in the underlying buffer, so checking once after Flush
// catches it without an error check on every row.
type exportCSV struct{ *csv.Writer }

func newExportCSV(w io.Writer) exportCSV {
	cw := csv.NewWriter(w)
	// RFC 4180 ends records with CRLF, and Excel on Windows expects it.
	cw.UseCRLF = true
	return exportCSV{cw}
}

func (c exportCSV) Write(rec []string) { _ = c.Writer.Write(rec) }

// FormulaSafe neutralises spreadsheet formula injection: a cell starting
// with = + - or @ (or a tab, carriage return or line feed, which some
// spreadsheets skip before reading one; the CSV writer turns a leading
// line feed into CR LF after this check) gets a leading apostrophe, so that
// an article title or a note can never run as a formula, or fetch a URL,
// when the export is opened. The apostrophe is visible in plain readers;
// that is the price of a file that is safe to double-click.
func FormulaSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportTime is a timestamp as exports write it: RFC 3339 in UTC, to the
// second; the zero time is left empty rather than written as year 1.
func exportTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// relationOrder is the order relations are listed in, the same as the
// compare screen's legend: the reference first, then from faithful to
// factual divergence.
var relationOrder = append([]vocab.Relation{vocab.RelReference}, vocab.Relations()...)

// memberRelations is a member's relations with the reference's name added
// for the reference, which the store marks with a flag rather than a
// relation.
func memberRelations(m data.ClusterMember) []vocab.Relation {
	if m.Reference {
		return append([]vocab.Relation{vocab.RelReference}, m.Relations...)
	}
	return m.Relations
}

// joinRelations lists relations as orderRelations does, joined with "+".
func joinRelations(rels []vocab.Relation) string { return vocab.Join(orderRelations(rels), "+") }

// orderRelations lists relations once each in relationOrder; names from a
// newer analyser come last, in their own order, rather than being dropped.
func orderRelations(rels []vocab.Relation) []vocab.Relation {
	var out []vocab.Relation
	for _, r := range relationOrder {
		if slices.Contains(rels, r) {
			out = append(out, r)
		}
	}
	for _, r := range rels {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// referenceFirst returns the members with the reference first, the rest in
// their stored order: the reading order of a collation table. Without a
// flagged reference the first member serves, as on the compare screen.
func referenceFirst(ms []data.ClusterMember) []data.ClusterMember {
	i := slices.IndexFunc(ms, func(m data.ClusterMember) bool { return m.Reference })
	if i <= 0 {
		return ms
	}
	out := make([]data.ClusterMember, 0, len(ms))
	out = append(out, ms[i])
	out = append(out, ms[:i]...)
	return append(out, ms[i+1:]...)
}

// clusterOutlets lists the outlets of all the clusters' members, sorted by
// name: the columns of the quotes CSV and the outlet matrix.
func clusterOutlets(cs []data.Cluster) []string {
	var out []string
	for _, c := range cs {
		for _, m := range c.Members {
			out = append(out, m.Source())
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
	})
	return slices.Compact(out)
}

// clusterStatus is the status a cluster is reported with, and a CSS class
// for it. Figures differing is reported over plain divergence, as on the
// compare screen: a different number is a factual discrepancy, the first
// thing a reader needs to see.
func clusterStatus(c data.Cluster) (label, class string) {
	for _, m := range c.Members {
		if slices.Contains(m.Relations, vocab.RelFiguresDiffer) {
			return "figures differ", "figures"
		}
	}
	switch c.Status {
	case vocab.StatusAgree, vocab.StatusDiverge:
		return string(c.Status), string(c.Status)
	}
	return string(c.Status), "other"
}
