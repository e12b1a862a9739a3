package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/parallax-research/parallax/data"
)

// PassimDoc is one line of passim's input. passim needs id and text, groups
// documents into series (reuse within a series is ignored, so an outlet
// copying its own boilerplate is not reuse), sorts a cluster's passages by
// date, and passes every other field through to its output untouched.
type PassimDoc struct {
	// ID is the article's ID in decimal (PassimID), which passim echoes
	// on every passage it finds in the article.
	ID     string `json:"id"`
	Series string `json:"series"`
	// Date is "", "YYYY", "YYYY-MM" or "YYYY-MM-DD" (ISO 8601 at the
	// precision known).
	Date   string `json:"date,omitempty"`
	Outlet string `json:"outlet"`
	Title  string `json:"title,omitempty"`
	URL    string `json:"url,omitempty"`
	Author string `json:"author,omitempty"`
	// Attributes are name/value pairs rather than an object: Spark infers
	// one schema for the whole input, and per-article keys (or two that
	// differ only in case) would make that schema ragged or ambiguous.
	Attributes []PassimAttribute `json:"attributes,omitempty"`
	Text       string            `json:"text"`
}

// PassimAttribute is one extra metadata field of an article.
type PassimAttribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// PassimID is the passim document ID of an article: its ID in decimal.
func PassimID(article int64) string { return strconv.FormatInt(article, 10) }

// PassimArticle reads back the article ID of a passim document ID, which
// must be as PassimID writes it ("42", not "042" or "+42").
func PassimArticle(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || PassimID(n) != id {
		return 0, false
	}
	return n, true
}

// PassimSeries is the series of an article: its outlet. An article without
// an outlet is a series of its own, so that passim compares it with every
// other article rather than treating all such articles as one source.
func PassimSeries(a data.Article) string {
	if a.Outlet != "" {
		return a.Outlet
	}
	return "(no outlet: article " + PassimID(a.ID) + ")"
}

// WritePassim writes the exported articles as passim's input: JSON Lines,
// one document per line in article order, text exactly as stored (NFC,
// "\n" line ends), so that the offsets passim reports index the texts the
// project has.
func WritePassim(w io.Writer, d *data.ExportData) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, a := range d.Articles {
		doc := PassimDoc{ID: PassimID(a.ID), Series: PassimSeries(a), Date: a.Date.String(), Outlet: a.Outlet,
			Title: a.Title, URL: a.URL, Author: a.Author, Text: a.Text}
		for _, name := range a.AttributeNames() {
			doc.Attributes = append(doc.Attributes, PassimAttribute{Name: name, Value: a.Attributes[name]})
		}
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("passim: article %d: %w", a.ID, err)
		}
	}
	return bw.Flush()
}
