package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// TestPlaceholderDates imports articles whose files or sheet give a date
// no article came out on: a program's placeholder for a missing date, or a
// day after the import. Each is imported without it (or with the date its
// address gives, flagged as inferred) and says so in a warning; a date the
// researcher typed for the import is kept whatever it is.
func TestPlaceholderDates(t *testing.T) {
	const body = "Inspectors found serious failings in the way the trust handled complaints from patients and families."
	record := func(date, url string) string {
		return `{"title": "Trust criticised", "outlet": "Herald", "date": "` + date + `", "url": "` + url + `", "text": "` + body + `"}`
	}
	now := time.Date(2023, 3, 1, 12, 0, 0, 0, time.UTC)
	page := func(ld, meta string) string {
		return `<html><head><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"` + ld + `"}</script>` +
			`<meta property="article:published_time" content="` + meta + `"><meta property="og:site_name" content="Herald"><title>Trust criticised</title></head>` +
			`<body><article><h1>Trust criticised</h1><p>` + body + `</p><p>` + body + `</p></article></body></html>`
	}
	for _, c := range []struct {
		name     string
		files    map[string]string
		override string
		want     string // the article's date
		inferred bool
		warning  string // in the one warning, "" for none
		sheet    string // the sheet's date kept for updates, when given
	}{
		{name: "the Unix epoch in a JSON export", files: map[string]string{"a.json": record("1970-01-01T00:00:00Z", "")},
			warning: "date 1970-01-01T00:00:00Z is the Unix epoch, a timestamp of 0, not a day the article came out: not taken"},
		{name: "a zero timestamp", files: map[string]string{"a.json": `{"title": "Trust criticised", "date": 0, "text": "` + body + `"}`},
			warning: "the Unix epoch"},
		{name: "JavaScript's epoch in New York", files: map[string]string{"a.json": record("1969-12-31T19:00:00-05:00", "")},
			warning: "the Unix epoch"},
		{name: "a program's zero date in a text header", files: map[string]string{"a.txt": "Title: Trust criticised\nOutlet: Herald\nDate: 0001-01-01\n\n" + body},
			warning: "date 0001-01-01 is the year 1"},
		{name: "the epoch, the address giving the day", files: map[string]string{"a.json": record("1970-01-01T00:00:00Z", "https://herald.example/2023/02/27/trust-criticised")},
			want: "2023-02-27", inferred: true, warning: "not taken; dated 2023-02-27 instead, which its address or text gives (flagged as inferred)"},
		{name: "a spreadsheet's day 0, which is a day too, in the sheet", files: map[string]string{"a.txt": "Title: Trust criticised\n\n" + body, "manifest.csv": "file,outlet,date\na.txt,Herald,1900-01-01\n"},
			want: "1900-01-01", sheet: "1900-01-01", warning: "date 1900-01-01 is a spreadsheet's day 0 as well as a day articles came out: kept; check it"},
		{name: "a sheet's doubtful day over the file's date after the import", files: map[string]string{"a.txt": "Title: Trust criticised\nDate: 2031-05-01\n\n" + body, "manifest.csv": "file,outlet,date\na.txt,Herald,1899-12-30\n"},
			want: "1899-12-30", sheet: "1899-12-30", warning: "date 1899-12-30 is a spreadsheet's day 0 as well as a day articles came out: kept; check it"},
		{name: "a sheet's doubtful day over the file's doubtful day", files: map[string]string{"a.txt": "Title: Trust criticised\nDate: 1970-01-01\n\n" + body, "manifest.csv": "file,outlet,date\na.txt,Herald,1899-12-30\n"},
			want: "1899-12-30", sheet: "1899-12-30", warning: "kept; check it"},
		{name: "no date, the address giving the epoch's day", files: map[string]string{"a.json": `{"title": "Trust criticised", "url": "https://herald.example/1970/01/01/trust-criticised", "text": "` + body + `"}`},
			warning: "the date 1970-01-01 its address or text gives is the Unix epoch, a timestamp of 0, which may not be a day the article came out: not inferred"},
		{name: "the epoch, the address giving the epoch's day", files: map[string]string{"a.json": record("1970-01-01T00:00:00Z", "https://herald.example/1970/01/01/trust-criticised")},
			warning: "the Unix epoch, a timestamp of 0, not a day the article came out: not taken"},
		{name: "the epoch's day in a JSON export", files: map[string]string{"a.json": record("1970-01-01", "")},
			want: "1970-01-01", warning: "as well as a day articles came out: kept"},
		{name: "a spreadsheet's empty datetime in the sheet, over the file's own date", files: map[string]string{"a.txt": "Title: Trust criticised\nDate: 2023-02-27\n\n" + body, "manifest.csv": "file,outlet,date\na.txt,Herald,1899-12-30 00:00:00\n"},
			want: "2023-02-27", warning: "the sheet's date 1899-12-30T00:00:00 is a spreadsheet's day 0, not a day the article came out: not taken; the file's own date 2023-02-27 is kept"},
		{name: "a sheet's epoch over the file's own day 0", files: map[string]string{"a.txt": "Title: Trust criticised\nDate: 1900-01-01\n\n" + body, "manifest.csv": "file,outlet,date\na.txt,Herald,1970-01-01T00:00:00Z\n"},
			want: "1900-01-01", warning: "the sheet's date 1970-01-01T00:00:00Z is the Unix epoch, a timestamp of 0, not a day the article came out: not taken; the file's own date 1900-01-01 is a spreadsheet's day 0 as well as a day articles came out: kept; check it"},
		{name: "a spreadsheet's day 0 in the sheet, the address giving the day", files: map[string]string{"a.txt": "Title: Trust criticised\nURL: https://herald.example/2023/02/27/trust-criticised\n\n" + body, "manifest.csv": "file,outlet,date\na.txt,Herald,1899-12-30\n"},
			want: "2023-02-27", inferred: true, warning: "date 1899-12-30 is a spreadsheet's day 0, which may not be a day the article came out: not taken; dated 2023-02-27 instead, which its address or text gives (flagged as inferred)"},
		{name: "a spreadsheet's day 0 in the sheet, over the file's own date", files: map[string]string{"a.txt": "Title: Trust criticised\nDate: 2023-02-27\n\n" + body, "manifest.csv": "file,outlet,date\na.txt,Herald,1899-12-30\n"},
			want: "2023-02-27", warning: "the sheet's date 1899-12-30 is a spreadsheet's day 0, which may not be a day the article came out: not taken; the file's own date 2023-02-27 is kept"},
		{name: "a page's JSON-LD epoch day beside its published time", files: map[string]string{"a.html": page("1970-01-01", "2023-02-27T08:00:00Z")},
			want: "2023-02-27T08:00:00Z"},
		{name: "a page's JSON-LD epoch beside its published time", files: map[string]string{"a.html": page("1970-01-01T00:00:00+00:00", "2023-02-27T08:00:00Z")},
			want: "2023-02-27T08:00:00Z"},
		{name: "a page's epoch alone", files: map[string]string{"a.html": page("1970-01-01T00:00:00+00:00", "")},
			warning: "the Unix epoch"},
		{name: "a date after the import", files: map[string]string{"a.json": record("2031-05-01T09:00:00Z", "")},
			warning: "date 2031-05-01T09:00:00Z is after the import"},
		{name: "the next day, which a zone ahead may have reached", files: map[string]string{"a.json": record("2023-03-02", "")}, want: "2023-03-02"},
		{name: "a real date", files: map[string]string{"a.json": record("2023-02-27T08:00:00Z", "")}, want: "2023-02-27T08:00:00Z"},
		{name: "a day in 1970", files: map[string]string{"a.json": record("1970-06-01", "")}, want: "1970-06-01"},
		{name: "the epoch typed for the import", files: map[string]string{"a.json": record("2023-02-27", "")}, override: "1970-01-01T00:00Z", want: "1970-01-01T00:00Z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range c.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			im := &Importer{Now: func() time.Time { return now }}
			if c.override != "" {
				im.Override.Date = data.MustParseDate(c.override)
			}
			items, err := im.Read(context.Background(), []string{dir}, nil)
			if err != nil || len(items) != 1 || items[0].Err != nil {
				t.Fatalf("Read: %v, %d items %+v", err, len(items), items)
			}
			it := items[0]
			a := it.Article
			if a.Date.String() != c.want || a.IsInferred(data.FieldDate) != c.inferred {
				t.Errorf("date %q (inferred %v), want %q (%v)", a.Date, a.IsInferred(data.FieldDate), c.want, c.inferred)
			}
			if a.Sheet != nil {
				if _, sure := a.Sheet.Date.Placeholder(); sure {
					t.Errorf("the sheet's placeholder %s is kept as the sheet's date", a.Sheet.Date)
				}
				if c.sheet != "" && a.Sheet.Date.String() != c.sheet {
					t.Errorf("the sheet's date for updates %q, want %q", a.Sheet.Date, c.sheet)
				}
			}
			switch {
			case c.warning == "" && len(it.Warnings) > 0:
				t.Errorf("warnings %q, want none", it.Warnings)
			case c.warning != "" && (len(it.Warnings) != 1 || !strings.Contains(it.Warnings[0], c.warning)):
				t.Errorf("warnings %q, want one with %q", it.Warnings, c.warning)
			}
		})
	}
}

// TestSheetPlaceholderKeepsInferredFlag: a date the file only guessed at
// (a Nexis article's Load-Date, flagged as inferred), kept because the
// sheet's date for it is a placeholder, keeps its flag.
func TestSheetPlaceholderKeepsInferredFlag(t *testing.T) {
	a := data.Article{Meta: data.Meta{Date: data.MustParseDate("2023-02-03")}, Inferred: []string{data.FieldDate}}
	row := ManifestRow{File: "a.docx#1", Meta: data.Meta{Date: data.MustParseDate("1970-01-01T00:00:00Z")}}
	w := (&Importer{}).finish(&a, row, nil)
	if a.Date.String() != "2023-02-03" || !a.IsInferred(data.FieldDate) || !strings.Contains(w, "the file's own date 2023-02-03 is kept") {
		t.Errorf("date %s, inferred %v, warning %q; want the load date, still flagged", a.Date, a.IsInferred(data.FieldDate), w)
	}
}
