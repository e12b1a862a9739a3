package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
)

// Every line is one JSON document with passim's fields, the text exactly as
// stored, and an ID that leads back to the article.
func TestWritePassim(t *testing.T) {
	d := exportFixture(t)
	// Two articles without an outlet must not share a series: passim
	// ignores reuse within a series.
	d.Articles = append(d.Articles,
		data.Article{ID: 41, Text: "A press release, copied.\nLine two."},
		data.Article{ID: 42, Meta: data.Meta{Date: data.MustParseDate("2023")}, Text: "The same press release, copied.",
			Attributes: map[string]string{"section": "News", "Section": "Other"}})
	var buf bytes.Buffer
	if err := WritePassim(&buf, d); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	var docs []map[string]any
	for sc.Scan() {
		var doc map[string]any
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatalf("line %d is not one JSON object: %v\n%s", len(docs)+1, err, sc.Text())
		}
		docs = append(docs, doc)
	}
	if len(docs) != len(d.Articles) {
		t.Fatalf("%d lines for %d articles", len(docs), len(d.Articles))
	}
	series := map[string]int64{}
	for i, doc := range docs {
		a := d.Articles[i]
		id, ok := PassimArticle(doc["id"].(string))
		if !ok || id != a.ID {
			t.Errorf("line %d: id %v does not lead back to article %d", i+1, doc["id"], a.ID)
		}
		if doc["text"] != a.Text {
			t.Errorf("line %d: text %q, want the stored text %q", i+1, doc["text"], a.Text)
		}
		s, _ := doc["series"].(string)
		if s == "" {
			t.Errorf("line %d: empty series", i+1)
		}
		if a.Outlet != "" && s != a.Outlet {
			t.Errorf("line %d: series %q, want the outlet %q", i+1, s, a.Outlet)
		}
		if other, seen := series[s]; seen && d.Articles[i].Outlet == "" {
			t.Errorf("articles %d and %d share the series %q though neither has an outlet", other, a.ID, s)
		}
		series[s] = a.ID
		if got, _ := doc["date"].(string); got != a.Date.String() {
			t.Errorf("line %d: date %q, want %q", i+1, got, a.Date.String())
		}
		if doc["outlet"] != a.Outlet || doc["title"] != nilIfEmpty(a.Title) {
			t.Errorf("line %d: outlet %v title %v, want %q %q", i+1, doc["outlet"], doc["title"], a.Outlet, a.Title)
		}
	}
	if docs[0]["date"] != "2023-11-01" || docs[1]["date"] != "2023-11" {
		t.Errorf("dates %v, %v: want ISO at the known precision", docs[0]["date"], docs[1]["date"])
	}
	if _, ok := docs[3]["date"]; ok {
		t.Errorf("an unknown date is written as %v; want it left out", docs[3]["date"])
	}
	attrs, _ := json.Marshal(docs[4]["attributes"])
	if string(attrs) != `[{"name":"Section","value":"Other"},{"name":"section","value":"News"}]` {
		t.Errorf("attributes = %s", attrs)
	}
	if !strings.Contains(docs[0]["text"].(string), "😀") {
		t.Error("the emoji did not survive the export")
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestPassimArticle(t *testing.T) {
	for id, want := range map[string]int64{"1": 1, "42": 42, "9007199254740993": 9007199254740993} {
		if got, ok := PassimArticle(id); !ok || got != want {
			t.Errorf("PassimArticle(%q) = %d, %v; want %d", id, got, ok, want)
		}
	}
	for _, id := range []string{"", "0", "-3", "042", "+42", "4 2", "d1", "42.0", "99999999999999999999"} {
		if got, ok := PassimArticle(id); ok {
			t.Errorf("PassimArticle(%q) = %d; want it refused", id, got)
		}
	}
}
