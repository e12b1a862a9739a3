package ingest

import (
	"io"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/parallax-research/parallax/data"
)

// collect runs a JSON reader over in and returns what it yields.
func collect(read func(r io.Reader, name string, yield func(Item) bool), in, name string) []Item {
	var items []Item
	read(strings.NewReader(in), name, func(it Item) bool {
		items = append(items, it)
		return true
	})
	return items
}

// jsonResult is what a test expects of one yielded Item: an article's
// fields, or an error substring.
type jsonResult struct {
	meta   data.Meta
	text   string
	source string
	attrs  map[string]string
	err    string
	// warning is a substring of the article's one warning; "" for none.
	warning string
}

var jsonlTests = []struct {
	name string
	in   string
	want []jsonResult
}{
	{
		name: "standard fields",
		in:   `{"title":"T","outlet":"BBC News","date":"2021-09-14","url":"https://bbc.co.uk/x","author":"Jane Doe","text":"Body one.\r\n\r\nBody two."}`,
		want: []jsonResult{{
			meta:   data.Meta{Title: "T", Outlet: "BBC News", Date: data.MustParseDate("2021-09-14"), URL: "https://bbc.co.uk/x", Author: "Jane Doe"},
			text:   "Body one.\n\nBody two.",
			source: "a.jsonl#1",
		}},
	},
	{
		name: "aliases, author list, timestamps kept with their time and zone, attributes",
		in: `{"media_name":"ITV News","publish_date":"2023-01-31 08:15:00.123456","authors":["A. One","B. Two"],"body":"Text","stories_id":12345,"language":"en","paywall":false,"tags":["x"],"extra":null}` + "\n" +
			`{"source":"T&A","published":"2021-09","content":"Text two","publisher":"ignored alias"}` + "\n" +
			`{"publication_date":"2021-09-14T23:30:00-05:00","text":"Text three","source":{"id":"bbc-news","name":"BBC News"}}`,
		want: []jsonResult{
			{
				meta:   data.Meta{Outlet: "ITV News", Date: data.MustParseDate("2023-01-31T08:15:00"), Author: "A. One, B. Two"},
				text:   "Text",
				source: "a.jsonl#1",
				attrs:  map[string]string{"stories_id": "12345", "language": "en", "paywall": "false"},
			},
			{meta: data.Meta{Outlet: "T&A", Date: data.MustParseDate("2021-09")}, text: "Text two", source: "a.jsonl#2"},
			{meta: data.Meta{Outlet: "BBC News", Date: data.MustParseDate("2021-09-14T23:30:00-05:00")}, text: "Text three", source: "a.jsonl#3"},
		},
	},
	{
		name: "text field preferred over content teaser",
		in:   `{"content":"Teaser…","text":"Full text","Title":"Upper-case key"}`,
		want: []jsonResult{{meta: data.Meta{Title: "Upper-case key"}, text: "Full text", source: "a.jsonl#1"}},
	},
	{
		name: "NFD text is normalised",
		in:   `{"text":"Cafe\u0301"}`,
		want: []jsonResult{{text: "Caf\u00e9", source: "a.jsonl#1"}},
	},
	{
		name: "bad line and missing text are per record",
		in: "\uFEFF" + `{"text":"good one"}` + "\n\n" +
			`{"text": "broken"` + "\n" +
			`{"title":"no text"}` + "\n" +
			`{"text":"good two","date":"2021-13"}` + "\n" +
			`["not","an","object"]` + "\n" +
			`{"text":42}` + "\n" +
			`{"text":"good three"}`,
		want: []jsonResult{
			{text: "good one", source: "a.jsonl#1"},
			{err: "a.jsonl:3: invalid JSON"},
			{err: "a.jsonl:4: no text (looked for text, body, content)"},
			{err: `a.jsonl:5: date "2021-13": month out of range`},
			{err: "a.jsonl:6: want a JSON object, got a list"},
			{err: "a.jsonl:7: text: want a string, got a number"},
			{text: "good three", source: "a.jsonl#7"},
		},
	},
	{
		name: "invalid UTF-8 is refused, not garbled",
		in:   "{\"text\":\"caf\xe9\"}",
		want: []jsonResult{{err: "a.jsonl:1: invalid UTF-8"}},
	},
	{
		name: "author list of non-strings",
		in:   `{"text":"x","author":[{"name":"A"}]}`,
		want: []jsonResult{{err: "a.jsonl:1: author: want a name or a list of names"}},
	},
	{
		name: "utf-16 from PowerShell",
		in:   string(utf16LE(`{"text":"café"}` + "\r\n" + `{"text":"two"}` + "\r\n")),
		want: []jsonResult{{text: "café", source: "a.jsonl#1"}, {text: "two", source: "a.jsonl#2"}},
	},
	{
		name: "NewsAPI's truncated content: the marker dropped, a warning; a full text still wins; a text's own bracket stays",
		in: `{"source":{"id":"reuters","name":"Reuters"},"title":"Ferry fares rise","publishedAt":"2023-03-09T12:15:00Z","content":"OBAN, March 9 (Reuters) - Ferry fares to the islands will rise by a fifth from May, the operator said on Thursday, in a move councillors called unfair to resid\u2026 [+1893 chars]"}` + "\n" +
			`{"text":"Full text of the story.","content":"Full text of\u2026 [+12 chars]"}` + "\n" +
			`{"content":"[+2375 chars]"}` + "\n" +
			// The marker is NewsAPI's only after its "…" and in "content".
			`{"text":"The full report runs to 40 pages. Appendix B lists the sums [+3 chars]"}` + "\n" +
			`{"content":"Appendix B lists the sums [+3 chars]"}` + "\n" +
			`{"body":"Ferry fares to the islands will rise by a fifth from May, the operator said\u2026 [+1893 chars]"}`,
		want: []jsonResult{
			{
				meta:    data.Meta{Title: "Ferry fares rise", Outlet: "Reuters", Date: data.MustParseDate("2023-03-09T12:15:00Z")},
				text:    "OBAN, March 9 (Reuters) - Ferry fares to the islands will rise by a fifth from May, the operator said on Thursday, in a move councillors called unfair to resid\u2026",
				source:  "a.jsonl#1",
				warning: `the text is truncated: "content" ended with NewsAPI's "[+1893 chars]", so 1893 characters of the article are missing`,
			},
			{text: "Full text of the story.", source: "a.jsonl#2"},
			{err: "a.jsonl:3: no text"},
			{text: "The full report runs to 40 pages. Appendix B lists the sums [+3 chars]", source: "a.jsonl#4"},
			{text: "Appendix B lists the sums [+3 chars]", source: "a.jsonl#5"},
			{text: "Ferry fares to the islands will rise by a fifth from May, the operator said\u2026 [+1893 chars]", source: "a.jsonl#6"},
		},
	},
	{
		name: "a NewsAPI response on a line is refused with a pointer to .json",
		in:   `{"status":"ok","totalResults":1,"articles":[{"title":"T","content":"Text"}]}`,
		want: []jsonResult{{err: "a.jsonl:1: no text (looked for text, body, content); this looks like a NewsAPI response"}},
	},
	{name: "empty file", in: "\n \n", want: []jsonResult{{err: "a.jsonl: no records in the file"}}},
}

func checkItems(t *testing.T, got []Item, want []jsonResult) {
	t.Helper()
	if len(got) != len(want) {
		for _, it := range got {
			t.Logf("got %+v", it)
		}
		t.Fatalf("got %d items, want %d", len(got), len(want))
	}
	for i, w := range want {
		it := got[i]
		if w.err != "" {
			if it.Err == nil || !strings.Contains(it.Err.Error(), w.err) {
				t.Errorf("item %d: err = %v, want one containing %q", i, it.Err, w.err)
			} else if strings.Contains(it.Err.Error(), "\n") {
				t.Errorf("item %d: err %q is not one line", i, it.Err)
			}
			continue
		}
		if it.Err != nil {
			t.Errorf("item %d: %v", i, it.Err)
			continue
		}
		a := it.Article
		if a.Meta != w.meta {
			t.Errorf("item %d: meta = %+v, want %+v", i, a.Meta, w.meta)
		}
		if a.Text != w.text {
			t.Errorf("item %d: text = %q, want %q", i, a.Text, w.text)
		}
		if a.Words != data.CountWords(w.text) {
			t.Errorf("item %d: words = %d, want %d", i, a.Words, data.CountWords(w.text))
		}
		if a.Source != w.source {
			t.Errorf("item %d: source = %q, want %q", i, a.Source, w.source)
		}
		if !maps.Equal(a.Attributes, w.attrs) {
			t.Errorf("item %d: attributes = %v, want %v", i, a.Attributes, w.attrs)
		}
		switch {
		case w.warning == "" && len(it.Warnings) > 0:
			t.Errorf("item %d: warnings %q, want none", i, it.Warnings)
		case w.warning != "" && (len(it.Warnings) != 1 || !strings.Contains(it.Warnings[0], w.warning)):
			t.Errorf("item %d: warnings %q, want one containing %q", i, it.Warnings, w.warning)
		}
	}
}

func TestReadJSONLines(t *testing.T) {
	for _, tt := range jsonlTests {
		t.Run(tt.name, func(t *testing.T) {
			checkItems(t, collect(readJSONLines, tt.in, "a.jsonl"), tt.want)
		})
	}
}

func TestReadJSONLinesStops(t *testing.T) {
	n := 0
	readJSONLines(strings.NewReader("{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\":\"c\"}\n"), "a.jsonl", func(Item) bool {
		n++
		return n < 2
	})
	if n != 2 {
		t.Errorf("yield called %d times after returning false, want 2", n)
	}
}

func TestReadJSONLinesLongLine(t *testing.T) {
	// One record over the limit is skipped without holding it, and the
	// records after it still import.
	long := `{"text":"` + strings.Repeat("x", data.MaxArticleBytes) + `"}`
	in := `{"text":"before"}` + "\n" + long + "\n" + `{"text":"after"}` + "\n"
	checkItems(t, collect(readJSONLines, in, "big.jsonl"), []jsonResult{
		{text: "before", source: "big.jsonl#1"},
		{err: "big.jsonl:2: record is over the 16 MB per-article limit"},
		{text: "after", source: "big.jsonl#3"},
	})
}

func TestReadJSONFile(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []jsonResult
	}{
		{
			name: "one object",
			in:   `{"title":"T","text":"Body","author":"  Jane   Doe "}`,
			want: []jsonResult{{meta: data.Meta{Title: "T", Author: "Jane Doe"}, text: "Body", source: "f.json"}},
		},
		{
			name: "array with errors on their own lines",
			in: "[\n" +
				"  {\"text\": \"one\", \"note\": \"a ] b } c\"},\n" +
				"  {\"title\": \"no text\"},\n" +
				"  {\n    \"text\": \"three\",\n    \"date\": \"2021-13\"\n  },\n" +
				"  \"a string\",\n" +
				"  {\"text\": \"five\\n\\nparagraph\"}\n" +
				"]\n",
			want: []jsonResult{
				{text: "one", source: "f.json#1", attrs: map[string]string{"note": "a ] b } c"}},
				{err: "f.json:3: no text"},
				{err: `f.json:4: date "2021-13"`},
				{err: "f.json:8: want a JSON object, got a string"},
				{text: "five\n\nparagraph", source: "f.json#5"},
			},
		},
		{
			name: "syntax error line inside a multi-line record",
			in:   "[\n{\n\"text\": \"a\",\n\"title\": nope\n}\n]",
			want: []jsonResult{{err: "f.json:4: invalid JSON"}},
		},
		{name: "empty array", in: " [ ] ", want: []jsonResult{{err: "f.json: no records in the file"}}},
		{name: "empty file", in: "  \n", want: []jsonResult{{err: "f.json: empty file"}}},
		{name: "not an object or array", in: `"hello"`, want: []jsonResult{{err: "f.json:1: want a JSON array or object"}}},
		{
			name: "truncated array keeps earlier records",
			in:   "[{\"text\":\"one\"},\n{\"text\":\"tw",
			want: []jsonResult{{text: "one", source: "f.json#1"}, {err: "f.json:2: unexpected end of file"}},
		},
		{
			name: "trailing comma",
			in:   "[{\"text\":\"one\"},\n]",
			want: []jsonResult{{text: "one", source: "f.json#1"}, {err: `f.json:2: unexpected "]"`}},
		},
		{
			name: "NewsAPI response: its articles are the records",
			in: "{\n  \"status\": \"ok\",\n  \"totalResults\": 3,\n  \"articles\": [\n" +
				"    {\"source\": {\"id\": \"reuters\", \"name\": \"Reuters\"}, \"author\": \"Jo Bloggs\", \"title\": \"Ferry fares rise\",\n" +
				"     \"description\": \"Fares rise by a fifth.\", \"url\": \"https://example.com/ferry\", \"publishedAt\": \"2023-03-09T12:15:00Z\",\n" +
				"     \"content\": \"Ferry fares will rise by a fifth from May, the operator said\u2026 [+1893 chars]\"},\n" +
				"    {\"source\": {\"id\": null, \"name\": \"Yahoo News\"}, \"title\": \"No content\", \"content\": null},\n" +
				"    {\"source\": {\"id\": null, \"name\": \"Yahoo News\"}, \"title\": \"Whole\", \"content\": \"A short item in full.\"}\n" +
				"  ]\n}\n",
			want: []jsonResult{
				{
					meta:    data.Meta{Title: "Ferry fares rise", Outlet: "Reuters", Date: data.MustParseDate("2023-03-09T12:15:00Z"), URL: "https://example.com/ferry", Author: "Jo Bloggs"},
					text:    "Ferry fares will rise by a fifth from May, the operator said\u2026",
					source:  "f.json#1",
					attrs:   map[string]string{"description": "Fares rise by a fifth."},
					warning: "1893 characters of the article are missing",
				},
				{err: "f.json:8: no text"},
				{meta: data.Meta{Title: "Whole", Outlet: "Yahoo News"}, text: "A short item in full.", source: "f.json#3"},
			},
		},
		{
			name: "an article with a list named articles is still an article",
			in:   `{"text":"Body","articles":["a","b"]}`,
			want: []jsonResult{{text: "Body", source: "f.json"}},
		},
		{
			name: "NewsAPI response with no articles",
			in:   `{"status":"ok","totalResults":0,"articles":[]}`,
			want: []jsonResult{{err: "f.json: no records in the file"}},
		},
		{
			name: "junk after the object",
			in:   "{\"text\":\"one\"}\n{\"text\":\"two\"}",
			want: []jsonResult{{err: "f.json:2: unexpected data after the object"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkItems(t, collect(readJSONFile, tt.in, "f.json"), tt.want)
		})
	}
}

func FuzzReadJSONL(f *testing.F) {
	for _, tt := range jsonlTests {
		f.Add(tt.in)
	}
	f.Add("[{\"text\":\"one\"},\n{\"text\":\"two\"}]")
	f.Add("{\"status\":\"ok\",\"articles\":[\n{\"content\":\"One\u2026 [+5 chars]\"},\n{\"title\":\"x\"}]}")
	f.Add("{\"text\":\"One [+5 chars]\"}\n{\"content\":\"\u2026[+5 chars] \"}\n")
	f.Fuzz(func(t *testing.T, in string) {
		// The same bytes through both readers: the .json scanner is the
		// more intricate code.
		for _, read := range []struct {
			name string
			fn   func(io.Reader, string, func(Item) bool)
		}{{"f.jsonl", readJSONLines}, {"f.json", readJSONFile}} {
			items := collect(read.fn, in, read.name)
			if len(items) == 0 {
				t.Fatalf("%s: no items for %q; want an article or an error", read.name, in)
			}
			for _, it := range items {
				if it.Err != nil {
					msg := it.Err.Error()
					if !strings.HasPrefix(msg, read.name+":") || strings.Contains(msg, "\n") {
						t.Fatalf("%s: error %q: want one line starting with the file name", read.name, msg)
					}
					continue
				}
				a := it.Article
				if !utf8.ValidString(a.Text) || !norm.NFC.IsNormalString(a.Text) || strings.Contains(a.Text, "\r") {
					t.Fatalf("%s: text %q is not normalised valid UTF-8", read.name, a.Text)
				}
				if strings.TrimSpace(a.Text) == "" {
					t.Fatalf("%s: article with blank text from %q", read.name, in)
				}
				if !strings.HasPrefix(a.Source, read.name) {
					t.Fatalf("%s: source %q", read.name, a.Source)
				}
				for k, v := range a.Attributes {
					if v == "" || !utf8.ValidString(k) || !utf8.ValidString(v) {
						t.Fatalf("%s: attribute %q = %q", read.name, k, v)
					}
				}
			}
		}
	})
}
