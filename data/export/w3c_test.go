package export

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// w3cDoc is the part of the export the tests read back, decoded the way a
// consumer of the model would.
type w3cDoc struct {
	Context   string         `json:"@context"`
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	Label     string         `json:"label"`
	Generator w3cSoftwareDoc `json:"generator"`
	Generated string         `json:"generated"`
	Total     int            `json:"total"`
	Last      string         `json:"last"`
	First     *struct {
		ID         string `json:"id"`
		Type       string `json:"type"`
		PartOf     string `json:"partOf"`
		StartIndex *int   `json:"startIndex"`
		Items      []struct {
			ID         string `json:"id"`
			Type       string `json:"type"`
			Motivation string `json:"motivation"`
			Creator    *struct {
				Type, Name string
			} `json:"creator"`
			Created   string         `json:"created"`
			Modified  string         `json:"modified"`
			Generator w3cSoftwareDoc `json:"generator"`
			Generated string         `json:"generated"`
			Body      []struct {
				Type, Purpose, Value, Format string
			} `json:"body"`
			Target struct {
				Source   string           `json:"source"`
				Selector []map[string]any `json:"selector"`
			} `json:"target"`
		} `json:"items"`
	} `json:"first"`
}

// w3cSoftwareDoc is the generator as a consumer reads it.
type w3cSoftwareDoc struct {
	ID, Type, Name, Homepage string
}

func writeW3C(t *testing.T, d *data.ExportData) (w3cDoc, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteW3C(&buf, d); err != nil {
		t.Fatal(err)
	}
	var doc w3cDoc
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not the expected JSON-LD: %v\n%s", err, buf.Bytes())
	}
	return doc, buf.Bytes()
}

func TestWriteW3C(t *testing.T) {
	d := exportFixture(t)
	doc, raw := writeW3C(t, d)
	if doc.Context != "http://www.w3.org/ns/anno.jsonld" || doc.Type != "AnnotationCollection" ||
		!strings.HasPrefix(doc.ID, "urn:uuid:") || doc.Total != len(d.Annotations) {
		t.Fatalf("collection = %+v", doc)
	}
	p := doc.First
	if p == nil || p.Type != "AnnotationPage" || p.PartOf != doc.ID || p.ID == doc.ID || doc.Last != p.ID ||
		!strings.HasPrefix(p.ID, "urn:uuid:") || p.StartIndex == nil || *p.StartIndex != 0 || len(p.Items) != len(d.Annotations) {
		t.Fatalf("page = %+v", p)
	}
	if !bytes.Contains(raw, []byte("Compare T&A's “serious failures”")) {
		t.Error("notes should be written as text, not \\u escapes")
	}

	for i, item := range p.Items {
		a := d.Annotations[i]
		art, _ := d.Article(a.ArticleID)
		if item.ID != "urn:uuid:"+a.GUID || item.Type != "Annotation" {
			t.Errorf("item %d: id %q type %q", i, item.ID, item.Type)
		}
		for _, ts := range []string{item.Created, item.Modified} {
			if tm, err := time.Parse(time.RFC3339, ts); err != nil || !tm.Equal(exportNow) {
				t.Errorf("item %d: timestamp %q (%v)", i, ts, err)
			}
		}

		var notes, tags []string
		for _, b := range item.Body {
			if b.Type != "TextualBody" || b.Format != "text/plain" {
				t.Errorf("item %d: body %+v", i, b)
			}
			switch b.Purpose {
			case "commenting":
				notes = append(notes, b.Value)
			case "tagging":
				tags = append(tags, b.Value)
			default:
				t.Errorf("item %d: body purpose %q", i, b.Purpose)
			}
		}
		var wantTags []string
		for _, c := range a.CodeIDs {
			wantTags = append(wantTags, d.CodePath(c))
		}
		slices.Sort(tags)
		slices.Sort(wantTags)
		if !slices.Equal(tags, wantTags) {
			t.Errorf("item %d: tags %q, want %q", i, tags, wantTags)
		}
		if a.Note == "" && len(notes) != 0 || a.Note != "" && (len(notes) != 1 || notes[0] != a.Note) {
			t.Errorf("item %d: note bodies %q, want %q", i, notes, a.Note)
		}
		wantMotivation := map[bool]string{true: "commenting", false: "tagging"}[a.Note != ""]
		if len(item.Body) == 0 {
			wantMotivation = "highlighting"
		}
		if item.Motivation != wantMotivation {
			t.Errorf("item %d: motivation %q, want %q", i, item.Motivation, wantMotivation)
		}

		switch {
		case art.URL != "" && item.Target.Source != art.URL:
			t.Errorf("item %d: source %q, want the article URL %q", i, item.Target.Source, art.URL)
		case art.URL == "" && item.Target.Source != w3cSource(art):
			t.Errorf("item %d: source %q", i, item.Target.Source)
		case art.URL == "" && !strings.HasPrefix(item.Target.Source, "urn:uuid:"):
			t.Errorf("item %d: source %q is not a URN", i, item.Target.Source)
		}

		sel := map[string]map[string]any{}
		for _, s := range item.Target.Selector {
			sel[s["type"].(string)] = s
		}
		q, pos := sel["TextQuoteSelector"], sel["TextPositionSelector"]
		if q == nil || pos == nil || len(sel) != 2 {
			t.Fatalf("item %d: selectors %v", i, item.Target.Selector)
		}
		start, end := int(pos["start"].(float64)), int(pos["end"].(float64))
		rs := []rune(art.Text)
		exact, prefix, suffix := q["exact"].(string), q["prefix"].(string), q["suffix"].(string)
		if start != a.Start || end != a.End || string(rs[start:end]) != exact {
			t.Errorf("item %d: exact %q at %d–%d, text there %q", i, exact, start, end, string(rs[start:end]))
		}
		if before := string(rs[:start]); !strings.HasSuffix(before, prefix) || prefix == "" && start > 0 {
			t.Errorf("item %d: prefix %q does not end the text before the passage", i, prefix)
		}
		if after := string(rs[end:]); !strings.HasPrefix(after, suffix) || suffix == "" && end < len(rs) {
			t.Errorf("item %d: suffix %q does not start the text after the passage", i, suffix)
		}
	}
}

func TestW3COrphanedAndOddAnnotations(t *testing.T) {
	d := exportFixture(t)
	bbc := d.Annotations[0].ArticleID
	d.Annotations = []data.Annotation{
		// The passage is gone from the text: the quote stays, positions go.
		{ID: 90, GUID: "6f1f4a52-7c0e-4b7e-8d3c-8f5b2f0c9a01", ArticleID: bbc, Start: 3, End: 9,
			Exact: "a sentence since cut", Prefix: "before ", Suffix: " after", Orphaned: true},
		// A GUID that is not a UUID still gets a valid, stable URN.
		{ID: 91, GUID: "refi-imported-7", ArticleID: bbc, Start: 0, End: 6, Exact: "Ofsted", Suffix: " said"},
	}
	doc, _ := writeW3C(t, d)
	items := doc.First.Items
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	if sel := items[0].Target.Selector; len(sel) != 1 || sel[0]["type"] != "TextQuoteSelector" || sel[0]["exact"] != "a sentence since cut" {
		t.Errorf("orphaned selectors = %v", sel)
	}
	if id := items[1].ID; !strings.HasPrefix(id, "urn:uuid:") || len(id) != len("urn:uuid:")+36 {
		t.Errorf("id for a non-UUID GUID = %q", id)
	}
	if again, _ := writeW3C(t, d); again.First.Items[1].ID != items[1].ID {
		t.Error("derived id is not stable")
	}
	if sel := items[1].Target.Selector; len(sel) != 2 || sel[0]["prefix"] != "" {
		t.Errorf("passage at the very start: selectors %v, want an empty prefix kept", sel)
	}

	d.Annotations[0].ArticleID = 12345
	if err := WriteW3C(&bytes.Buffer{}, d); err == nil || !strings.Contains(err.Error(), "article 12345") {
		t.Errorf("annotation on an article outside the export: err = %v", err)
	}
}

func TestW3CEmptyCollection(t *testing.T) {
	doc, _ := writeW3C(t, &data.ExportData{Project: "p", Exported: exportNow})
	if doc.Type != "AnnotationCollection" || doc.Total != 0 || doc.First != nil || doc.Last != "" {
		t.Errorf("empty collection = %+v (the model forbids an empty page)", doc)
	}
}

func TestW3CSource(t *testing.T) {
	a := data.Article{Text: "Some text."}
	urn := w3cSource(a)
	if !strings.HasPrefix(urn, "urn:uuid:") || w3cSource(data.Article{ID: 99, Text: "Some text."}) != urn {
		t.Errorf("derived source %q should depend on the text alone", urn)
	}
	if w3cSource(data.Article{Text: "Other text."}) == urn {
		t.Error("different texts got the same source")
	}
	for _, u := range []string{"www.example.com/page", "javascript:alert(1)", "/relative"} {
		if got := w3cSource(data.Article{Text: "Some text.", Meta: data.Meta{URL: u}}); got != urn {
			t.Errorf("URL %q used as source %q; want the derived URN", u, got)
		}
	}
}

// Each annotation names its coder as creator and Parallax, with its
// version, as generator; so does the collection.
func TestW3CCreatorAndGenerator(t *testing.T) {
	d := exportFixture(t)
	d.Generator = "Parallax 9.9.9"
	d.Annotations[0].Creator = "Ana Lima"
	doc, _ := writeW3C(t, d)
	want := w3cSoftwareDoc{ID: w3cHomepage, Type: "Software", Name: "Parallax 9.9.9", Homepage: w3cHomepage}
	if doc.Generator != want || doc.Generated != exportNow.Format(time.RFC3339) {
		t.Errorf("collection generator = %+v at %q", doc.Generator, doc.Generated)
	}
	for i, item := range doc.First.Items {
		if item.Generator != want || item.Generated != doc.Generated {
			t.Errorf("item %d: generator %+v at %q", i, item.Generator, item.Generated)
		}
		switch {
		case i == 0 && (item.Creator == nil || item.Creator.Type != "Person" || item.Creator.Name != "Ana Lima"):
			t.Errorf("item 0: creator %+v, want the coder", item.Creator)
		case i > 0 && item.Creator != nil:
			t.Errorf("item %d: creator %+v for an annotation whose coder is unknown", i, item.Creator)
		}
	}
}
