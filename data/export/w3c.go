package export

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/parallax-research/parallax/data"
)

// w3cContext is the JSON-LD context of the Web Annotation Data Model.
const w3cContext = "http://www.w3.org/ns/anno.jsonld"

// exportNamespace roots the name-based (version 5) UUIDs the exports mint,
// so that the same project, article or export always gets the same URN and
// no other program's UUIDs collide with them.
var exportNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/parallax-research/parallax"))

type w3cCollection struct {
	Context   string       `json:"@context"`
	ID        string       `json:"id"`
	Type      string       `json:"type"`
	Label     string       `json:"label"`
	Generator *w3cSoftware `json:"generator"`
	Generated string       `json:"generated,omitempty"`
	Total     int          `json:"total"`
	First     *w3cPage     `json:"first,omitempty"`
	Last      string       `json:"last,omitempty"`
}

// w3cAgent is an annotation's creator: the coder, a Person by name.
type w3cAgent struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// w3cSoftware is the generator: Parallax and its version.
type w3cSoftware struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Name     string `json:"name"`
	Homepage string `json:"homepage"`
}

// w3cHomepage identifies Parallax as the generator.
const w3cHomepage = "https://github.com/parallax-research/parallax"

type w3cPage struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	PartOf     string          `json:"partOf"`
	StartIndex int             `json:"startIndex"`
	Items      []w3cAnnotation `json:"items"`
}

type w3cAnnotation struct {
	ID         string       `json:"id"`
	Type       string       `json:"type"`
	Motivation string       `json:"motivation"`
	Creator    *w3cAgent    `json:"creator,omitempty"`
	Created    string       `json:"created,omitempty"`
	Modified   string       `json:"modified,omitempty"`
	Generator  *w3cSoftware `json:"generator"`
	Generated  string       `json:"generated,omitempty"`
	Body       []w3cBody    `json:"body,omitempty"`
	Target     w3cTarget    `json:"target"`
}

type w3cBody struct {
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
	Value   string `json:"value"`
	Format  string `json:"format"`
}

type w3cTarget struct {
	Source   string        `json:"source"`
	Selector []w3cSelector `json:"selector"`
}

// w3cSelector is a TextQuoteSelector or a TextPositionSelector. The quote
// fields are not omitempty: an empty prefix at the start of an article is
// information, not absence.
type w3cSelector struct {
	Type   string  `json:"type"`
	Exact  *string `json:"exact,omitempty"`
	Prefix *string `json:"prefix,omitempty"`
	Suffix *string `json:"suffix,omitempty"`
	Start  *int    `json:"start,omitempty"`
	End    *int    `json:"end,omitempty"`
}

// WriteW3C writes the annotations as JSON-LD in the W3C Web Annotation
// Data Model (format "w3c"): an AnnotationCollection whose first (and only)
// AnnotationPage holds the annotations, the container the model defines
// for a set of annotations.
//
// Each annotation names its coder as creator (a Person) where known, and
// Parallax with its version (ExportData.Generator) as generator, with the
// export time as generated.
//
// Each annotation has id urn:uuid:<GUID>; a commenting TextualBody with
// the note, if any, and a tagging TextualBody per code whose value is the
// code's path; and a target whose source is the article's URL (or, for an
// article without an absolute URL, a URN derived from its text) with a
// TextQuoteSelector and a TextPositionSelector in rune (code point)
// offsets, as the model counts. Tools re-anchoring on the live web page
// should prefer the quote: the positions index Parallax's stored text,
// which may differ from the page's. An orphaned annotation, whose passage
// is no longer in its article, keeps its quote but gets no positions, so
// that nothing points at the wrong words.
func WriteW3C(w io.Writer, d *data.ExportData) error {
	stamp := d.Project + "\x00" + d.Exported.UTC().Format(time.RFC3339Nano)
	gen := &w3cSoftware{ID: w3cHomepage, Type: "Software", Name: cmp.Or(d.Generator, "Parallax"), Homepage: w3cHomepage}
	coll := w3cCollection{
		Context:   w3cContext,
		ID:        "urn:uuid:" + uuid.NewSHA1(exportNamespace, []byte("collection\x00"+stamp)).String(),
		Type:      "AnnotationCollection",
		Label:     "Parallax annotations: " + cmp.Or(d.Project, "project"),
		Generator: gen,
		Generated: exportTime(d.Exported),
		Total:     len(d.Annotations),
	}
	// The model requires a page to have items, so an empty collection has
	// no page at all.
	if len(d.Annotations) > 0 {
		page := &w3cPage{
			ID:     "urn:uuid:" + uuid.NewSHA1(exportNamespace, []byte("page\x00"+stamp)).String(),
			Type:   "AnnotationPage",
			PartOf: coll.ID,
			Items:  make([]w3cAnnotation, 0, len(d.Annotations)),
		}
		for _, a := range d.Annotations {
			item, err := w3cAnnotationOf(d, a)
			if err != nil {
				return fmt.Errorf("export W3C annotations: %w", err)
			}
			item.Generator, item.Generated = gen, coll.Generated
			page.Items = append(page.Items, item)
		}
		coll.First, coll.Last = page, page.ID
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// The output is a JSON-LD file, not a fragment of a web page, so
	// "<" and "&" in quotes are left readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(coll); err != nil {
		return fmt.Errorf("export W3C annotations: %w", err)
	}
	return nil
}

func w3cAnnotationOf(d *data.ExportData, a data.Annotation) (w3cAnnotation, error) {
	art, ok := d.Article(a.ArticleID)
	if !ok {
		// A target must name its source; inventing one would make an
		// annotation that points nowhere.
		return w3cAnnotation{}, fmt.Errorf("annotation %d: article %d is not in the export", a.ID, a.ArticleID)
	}
	id := a.GUID
	if _, err := uuid.Parse(id); err != nil {
		// Older or imported annotations may carry a GUID that is not a
		// UUID; derive a stable one so the id is still a valid URN.
		id = uuid.NewSHA1(exportNamespace, []byte("annotation\x00"+a.GUID+"\x00"+strconv.FormatInt(a.ID, 10))).String()
	}
	out := w3cAnnotation{
		ID:       "urn:uuid:" + id,
		Type:     "Annotation",
		Created:  exportTime(a.Created),
		Modified: exportTime(a.Modified),
		Target:   w3cTarget{Source: w3cSource(art)},
	}
	if a.Creator != "" {
		out.Creator = &w3cAgent{Type: "Person", Name: a.Creator}
	}
	if a.Note != "" {
		out.Body = append(out.Body, w3cBody{Type: "TextualBody", Purpose: "commenting", Value: a.Note, Format: "text/plain"})
	}
	seen := map[string]bool{}
	for _, c := range a.CodeIDs {
		if p := d.CodePath(c); p != "" && !seen[p] {
			seen[p] = true
			out.Body = append(out.Body, w3cBody{Type: "TextualBody", Purpose: "tagging", Value: p, Format: "text/plain"})
		}
	}
	switch {
	case a.Note != "":
		out.Motivation = "commenting"
	case len(out.Body) > 0:
		out.Motivation = "tagging"
	default:
		out.Motivation = "highlighting"
	}
	exact, prefix, suffix := a.Exact, a.Prefix, a.Suffix
	rs := []rune(art.Text)
	placed := !a.Orphaned && a.Start >= 0 && a.Start < a.End && a.End <= len(rs) && string(rs[a.Start:a.End]) == a.Exact
	if placed {
		// Context is taken from the text itself, so that it matches the
		// positions even if the stored context predates an edit.
		prefix, suffix = data.QuoteContext(rs, a.Start, a.End)
	}
	out.Target.Selector = []w3cSelector{{Type: "TextQuoteSelector", Exact: &exact, Prefix: &prefix, Suffix: &suffix}}
	if placed {
		start, end := a.Start, a.End
		out.Target.Selector = append(out.Target.Selector, w3cSelector{Type: "TextPositionSelector", Start: &start, End: &end})
	}
	return out, nil
}

// w3cSource is the IRI an annotation's target names: the article's own URL
// when it has an absolute one, otherwise a URN derived from its text, so
// that the same article gets the same source in every project and export.
func w3cSource(a data.Article) string {
	if u, err := url.Parse(a.URL); err == nil && u.IsAbs() && u.Host != "" {
		return a.URL
	}
	return "urn:uuid:" + uuid.NewSHA1(exportNamespace, []byte("article\x00"+data.ContentHash(a.Text))).String()
}
