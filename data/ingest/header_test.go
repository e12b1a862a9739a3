package ingest

import (
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
)

var headerTests = []struct {
	name      string
	in        string
	meta      data.Meta
	body      string
	attrs     map[string]string
	wantErr   string
	precision data.Precision
}{
	{
		name: "all keys",
		in:   "Title: Council cedes control\nOutlet: Community Care\nDate: 2022-01-25\nURL: https://example.org/a?b=c\nAuthor: Jane Doe\n\nThe body.\n",
		meta: data.Meta{Title: "Council cedes control", Outlet: "Community Care", Date: data.MustParseDate("2022-01-25"), URL: "https://example.org/a?b=c", Author: "Jane Doe"},
		body: "The body.\n",
	},
	{
		name: "aliases and case",
		in:   "SOURCE: BBC News\npublished: 2021-09\nByline: A. Reporter\n\nBody",
		meta: data.Meta{Outlet: "BBC News", Date: data.MustParseDate("2021-09"), Author: "A. Reporter"},
		body: "Body", precision: data.PrecisionMonth,
	},
	{
		name: "publisher alias and year precision",
		in:   "publisher: Telegraph & Argus\ndate: 2021\n\nBody",
		meta: data.Meta{Outlet: "Telegraph & Argus", Date: data.MustParseDate("2021")},
		body: "Body", precision: data.PrecisionYear,
	},
	{
		name:  "attribute keys",
		in:    "title: T\nsection: News\nlang: en\nkeywords: ofsted, bradford\n\nBody",
		meta:  data.Meta{Title: "T"},
		body:  "Body",
		attrs: map[string]string{"section": "News", "language": "en", "tags": "ofsted, bradford"},
	},
	{
		name:      "date word form with body on the same line",
		in:        " date 2023-01-31 A damning report has found\n\nSecond paragraph.",
		meta:      data.Meta{Date: data.MustParseDate("2023-01-31")},
		body:      "A damning report has found\n\nSecond paragraph.",
		precision: data.PrecisionDay,
	},
	{
		name: "date word form alone, then headers",
		in:   "date 2023-01\ntitle: T\n\nBody",
		meta: data.Meta{Date: data.MustParseDate("2023-01"), Title: "T"},
		body: "Body",
	},
	{
		name: "date word form needs an ISO date",
		in:   "Date 2021 was a hard year.\nMore.",
		body: "Date 2021 was a hard year.\nMore.",
	},
	{
		name: "unknown key stays body",
		in:   "Update: the council has responded.\n\nMore text.",
		body: "Update: the council has responded.\n\nMore text.",
	},
	{
		name: "block ends at first non-header line",
		in:   "Title: T\nFoo: bar\nBody line",
		meta: data.Meta{Title: "T"},
		body: "Foo: bar\nBody line",
	},
	{
		name: "crlf and leading blank lines",
		in:   "\r\n\r\nTitle: T\r\nDate: 2021-09-14T08:00:00Z\r\n\r\n\r\nBody\r\nline",
		meta: data.Meta{Title: "T", Date: data.MustParseDate("2021-09-14T08:00:00Z")},
		body: "Body\r\nline",
	},
	{
		name: "timestamp without zone kept to the second, its zone unknown",
		in:   "date: 2021-09-14 08:00:00\n\nBody",
		meta: data.Meta{Date: data.MustParseDate("2021-09-14T08:00:00")},
		body: "Body",
	},
	{
		name: "no header",
		in:   "Bradford children's services rated inadequate\n- Published\nChildren in Bradford",
		body: "Bradford children's services rated inadequate\n- Published\nChildren in Bradford",
	},
	{name: "header only", in: "Title: T\n", meta: data.Meta{Title: "T"}, body: ""},
	{name: "bom", in: "\uFEFFTitle: T\n\nBody", meta: data.Meta{Title: "T"}, body: "Body"},
	{name: "bad date", in: "Title: T\ndate: 2021-13\n\nBody", wantErr: `line 2: date "2021-13": month out of range`},
	{name: "impossible day", in: "\n\ndate: 2021-02-30\n\nBody", wantErr: `line 3: date "2021-02-30": no such day`},
	{name: "bad date word form", in: " date 2023-13-01 Body", wantErr: `line 1: date "2023-13-01": month out of range`},
	{name: "unparseable date", in: "date: last Tuesday\n\nBody", wantErr: `line 1: date "last Tuesday"`},
}

func TestParseHeader(t *testing.T) {
	for _, tt := range headerTests {
		t.Run(tt.name, func(t *testing.T) {
			meta, body, attrs, err := ParseHeader(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseHeader error = %v, want one containing %q", err, tt.wantErr)
				}
				if data.ErrorCode(err) != data.EInvalid {
					t.Errorf("error code %q, want %q", data.ErrorCode(err), data.EInvalid)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHeader: %v", err)
			}
			if meta != tt.meta {
				t.Errorf("meta = %+v, want %+v", meta, tt.meta)
			}
			if body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if !maps.Equal(attrs, tt.attrs) {
				t.Errorf("attrs = %v, want %v", attrs, tt.attrs)
			}
			if tt.precision != data.PrecisionNone && meta.Date.Precision != tt.precision {
				t.Errorf("date precision = %v, want %v", meta.Date.Precision, tt.precision)
			}
		})
	}
}

func FuzzParseHeader(f *testing.F) {
	for _, tt := range headerTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		meta, body, _, err := ParseHeader(in)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q: want one line starting \"line N:\"", err)
			}
			return
		}
		// The body is a suffix of the input, except that the date word
		// form drops the text before the body on its line.
		if !strings.HasSuffix(in, body) && meta.Date.IsZero() {
			t.Fatalf("body %q is not the end of the input %q", body, in)
		}
		if len(body) > len(in) {
			t.Fatalf("body %q longer than input %q", body, in)
		}
		if strings.TrimSpace(body) != "" {
			first, _, _ := strings.Cut(body, "\n")
			if strings.TrimSpace(first) == "" {
				t.Fatalf("body %q starts with a blank line", body)
			}
		}
		if utf8.ValidString(in) {
			if !utf8.ValidString(body) {
				t.Fatalf("body %q: invalid UTF-8 from valid input", body)
			}
			if n := data.NormalizeText(body); strings.Contains(n, "\r") || !utf8.ValidString(n) {
				t.Fatalf("NormalizeText(body) = %q", n)
			}
		}
		if d := meta.Date; !d.IsZero() {
			if back, err := data.ParseDateTime(d.String()); err != nil || back != d {
				t.Fatalf("date %+v does not round-trip: %v", d, err)
			}
		}
	})
}
