package ingest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
)

// TestPublishedTimes: the time of day a page or a database export states
// is kept with its zone, and a source that states only a day stays a day.
func TestPublishedTimes(t *testing.T) {
	page := func(head string) string {
		return `<!DOCTYPE html><html><head><title>T</title>` + head + `</head><body><article><h1>T</h1>
<p>` + strings.Repeat("The council said the trust would take over the running of services. ", 12) + `</p></article></body></html>`
	}
	for _, c := range []struct {
		name, head, want string
	}{
		{"meta with zone", `<meta property="article:published_time" content="2022-01-25T23:30:00-05:00">`, "2022-01-25T23:30:00-05:00"},
		{"JSON-LD graph before meta", `<meta property="article:published_time" content="2022-01-26T10:00:00Z">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2022-01-25T09:15:00+00:00"}]}</script>`, "2022-01-25T09:15:00Z"},
		{"JSON-LD list", `<script type="application/ld+json">[{"@type":"NewsArticle","datePublished":"2022-01-25T09:15+01:00"}]</script>`, "2022-01-25T09:15+01:00"},
		{"time itemprop", `</head><body><time itemprop="datePublished" datetime="2022-01-25T07:00:00Z">25 Jan</time>`, "2022-01-25T07:00:00Z"},
		{"day only", `<meta property="article:published_time" content="2022-01-25">`, "2022-01-25"},
		{"an unreadable meta tag, then the next", `<meta property="article:published_time" content="last Tuesday"><meta name="pubdate" content="2022-01-24">`, "2022-01-24"},
	} {
		a, err := ReadHTML(strings.NewReader(page(c.head)), "p.html")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if a.Date.String() != c.want {
			t.Errorf("%s: date %s, want %s", c.name, a.Date, c.want)
		}
	}

	for _, c := range []struct{ line, want string }{
		{"January 31, 2023 Tuesday 9:30 AM GMT", "2023-01-31T09:30Z"},
		{"January 31, 2023 Tuesday 9:30 p.m. EST", "2023-01-31T21:30-05:00"},
		{"Tuesday 31 January 2023 12:05 am", "2023-01-31T00:05"},
		{"31. Januar 2023 18:45:10 +0100", "2023-01-31T18:45:10+01:00"},
		{"31 Jan 2023", "2023-01-31"},
		{"January 2023", "2023-01"},
		{"2023-01-31T09:30:00Z", "2023-01-31T09:30:00Z"},
		// American outlets' zones mean standard or daylight time as the
		// day falls.
		{"Jan. 31, 2023, 12:05 p.m. ET", "2023-01-31T12:05-05:00"},
		{"July 4, 2023 9:30 a.m. ET", "2023-07-04T09:30-04:00"},
		{"July 4, 2023 9:30 a.m. PT", "2023-07-04T09:30-07:00"},
		{"March 12, 2023 1:30 a.m. CT", "2023-03-12T01:30-06:00"},
		{"March 12, 2023 3:30 a.m. CT", "2023-03-12T03:30-05:00"},
		{"Jan 31, 2023 9:30 Eastern Time", "2023-01-31T09:30-05:00"},
		{"Updated 9:41 AM ET, Tue January 31, 2023", "2023-01-31T09:41-05:00"},
		// "et" is French for "and": without a.m. or p.m. it is no zone.
		{"mardi 31 janvier 2023 10:30 et", "2023-01-31T10:30"},
		// British papers set the time with a point, or run "am" on.
		{"Tue 31 Jan 2023 09.30 GMT", "2023-01-31T09:30Z"},
		{"31 January 2023 9.30pm", "2023-01-31T21:30"},
		{"31 January 2023 9:30am BST", "2023-01-31T09:30+01:00"},
		{"31 January 2023 9.30 p.m.", "2023-01-31T21:30"},
		{"31 January 2023 9:30a.m. ET", "2023-01-31T09:30-05:00"},
		{"31 January 2023 9.30a.m.", "2023-01-31T09:30"},
		{"31. Januar 2023 10.30 Uhr", "2023-01-31T10:30"},
		{"31. Januar 2023 10.30 Uhr MEZ", "2023-01-31T10:30+01:00"},
		{"31. Juli 2023, 10:30 MESZ", "2023-07-31T10:30+02:00"},
		{"31 January 2023 10.30 +0100", "2023-01-31T10:30+01:00"},
		// The standard or daylight time a line names, whatever the day.
		{"July 4, 2023 9:30 a.m. Eastern Standard Time", "2023-07-04T09:30-05:00"},
		{"January 31, 2023 9:30 a.m. Pacific Daylight Time", "2023-01-31T09:30-07:00"},
		// Neither an edition nor a page is a zone or a time; a signed
		// number is no time.
		{"31 January 2023 9:30 Central Edition", "2023-01-31T09:30"},
		{"January 31, 2023 Page 12.30", "2023-01-31"},
		{"1 Jan 2000 -1:00", "2000-01-01"},
		{"31 January 2023 -0:-5", "2023-01-31"},
		{"31 January 2023 9:30 +-100", "2023-01-31T09:30"},
		{"January 31, 2023 9:30 p.m. Central European Time", "2023-01-31T21:30+01:00"},
		{"July 31, 2023 9:30 Central European Summer Time", "2023-07-31T09:30+02:00"},
		{"31 January 2023 9:30 pm Central Edition", "2023-01-31T21:30"},
		{"January 31, 2023 9:30 a.m. Eastern", "2023-01-31T09:30-05:00"},
		{"January 2023 Page 12.30", "2023-01"},
		{"31. Januar 2023", "2023-01-31"},
		{"31 July 2023 09.30 Eastern European Time.", "2023-07-31T09:30+02:00"},
		{"31 January 2023 09.30 Eastern Time.", "2023-01-31T09:30-05:00"},
		{"July 31, 2023 9:30 a.m. ET Standard Edition", "2023-07-31T09:30-04:00"},
		{"July 31, 2023 09.30 Central", "2023-07-31"},
		// Ordinal days; a number away from the month is no day.
		{"1er janvier 2023", "2023-01-01"},
		{"January 1st, 2023", "2023-01-01"},
		{"31st January 2023 9:30 am GMT", "2023-01-31T09:30Z"},
		{"January 2023 Page 12", "2023-01"},
		{"Heft 3, März 2023", "2023-03"},
		{"Janvier 2023 n° 12", "2023-01"},
		{"Tuesday, 31 January, 2023", "2023-01-31"},
	} {
		d, ok := parseNewsDate(c.line)
		if !ok || d.String() != c.want {
			t.Errorf("parseNewsDate(%q) = %s, %v; want %s", c.line, d, ok, c.want)
		}
	}
	if _, ok := parseNewsDate("Council meets at 9:30 am on 31 January 2023 to decide the future of services"); ok {
		t.Error("a headline with a time read as a date line")
	}
	// Too many other words for a date line, rather than a page read as a
	// time.
	if d, ok := parseNewsDate("January 31, 2023 Page 12.30 Eastern Edition"); ok && d.HasTime() {
		t.Errorf("a page number read as a time: %s", d)
	}
	for _, line := range []string{"31.01.2023", "31.01.2023 10.30"} {
		if d, ok := parseNewsDate(line); ok {
			t.Errorf("parseNewsDate(%q) = %s: a day and month in figures cannot be told from a month and day", line, d)
		}
	}

	items, err := splitFactiva(context.Background(), []string{
		"HD", "Council cedes control", "WC", "120 words", "PD", "31 January 2023", "ET", "09:30", "SN", "The Times",
		"LP", "Lead paragraph.", "TD", "Text.", "AN", "Document TIMES00020230131",
	})
	if err != nil || len(items) != 1 {
		t.Fatalf("factiva: %v, %d items", err, len(items))
	}
	if got := items[0].article.Date; got != data.MustParseDate("2023-01-31T09:30") {
		t.Errorf("factiva PD + ET: %s", got)
	}
	for _, et := range []string{"09.30", "9.30 am", "9.30a.m."} {
		items, err := splitFactiva(context.Background(), []string{
			"HD", "Council cedes control", "PD", "31 January 2023", "ET", et, "SN", "The Times", "LP", "Lead paragraph.",
		})
		if err != nil || len(items) != 1 || items[0].article.Date.String() != "2023-01-31T09:30" {
			t.Errorf("factiva ET %q: %v, %d items, %v", et, err, len(items), items)
		}
	}
}

// TestColonTimes: only a point time that a meridiem or a zone follows, or
// that ends the line, is a time.
func TestColonTimes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Tue 31 Jan 2023 09.30 GMT", "Tue 31 Jan 2023 09:30 GMT"},
		{"31 January 2023 9.30am", "31 January 2023 9:30am"},
		{"31 January 2023 9.30 a.m.", "31 January 2023 9:30 a.m."},
		{"31 January 2023, 21.05", "31 January 2023, 21.05"},
		{"January 31, 2023 Page 12.30", "January 31, 2023 Page 12.30"},
		{"31. Januar 2023 10.30 Uhr", "31. Januar 2023 10:30 Uhr"},
		{"31 January 2023 10.30 +0100", "31 January 2023 10:30 +0100"},
		{"31 January 2023 9.30a.m.", "31 January 2023 9:30a.m."},
		{"January 31, 2023 Page 12.30 Eastern Edition", "January 31, 2023 Page 12.30 Eastern Edition"},
		{"31 January 2023 09.30 Eastern Time", "31 January 2023 09:30 Eastern Time"},
		{"31 January 2023 09.30 Central European Time", "31 January 2023 09:30 Central European Time"},
		{"31.01.2023", "31.01.2023"},
		{"vol. 12.30 of the series", "vol. 12.30 of the series"},
		{"page 3.5", "page 3.5"},
		{"9:30 GMT", "9:30 GMT"},
	} {
		if got := colonTimes(c.in); got != c.want {
			t.Errorf("colonTimes(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzParseNewsDate: any line reads as no date or as a date that reads
// back as itself, with an offset a zone can have.
func FuzzParseNewsDate(f *testing.F) {
	for _, s := range []string{"January 31, 2023 Tuesday 9:30 PM EST", "Jan. 31, 2023, 12:05 p.m. ET", "Tue 31 Jan 2023 09.30 GMT",
		"31. Januar 2023 18:45:10 +0100", "July 4, 2023 9:30am PT", "31.01.2023 10.30", "2023-01-31T09:30:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		d, ok := parseNewsDate(line)
		if !ok {
			return
		}
		if d.Offset < -18*60 || d.Offset > 18*60 {
			t.Fatalf("%q: offset %d minutes", line, d.Offset)
		}
		back, err := data.ParseDateTime(d.String())
		if err != nil || back != d {
			t.Fatalf("%q: %s reads back as %s, %v", line, d, back, err)
		}
	})
}

// TestNexisLoadDate: an article whose export has no date line is dated by
// its Load-Date, the day the database loaded it, marked as inferred for
// the researcher to check; one with a date line keeps it, unmarked.
func TestNexisLoadDate(t *testing.T) {
	piece := func(dateLine ...string) []string {
		l := append([]string{"Council cedes control", "The Times"}, dateLine...)
		return append(l, "Length: 120 words", "Body", "Lead paragraph of the article.", "Load-Date: February 3, 2023", "End of Document")
	}
	for _, c := range []struct {
		name     string
		lines    []string
		want     string
		inferred bool
	}{
		{"no date line", piece(), "2023-02-03", true},
		{"a date line", piece("January 31, 2023 Tuesday"), "2023-01-31", false},
	} {
		items, err := splitNexisUni(context.Background(), c.lines)
		if err != nil || len(items) != 1 || items[0].err != nil {
			t.Fatalf("%s: %v, %d items", c.name, err, len(items))
		}
		a := items[0].article
		if a.Date.String() != c.want || a.IsInferred(data.FieldDate) != c.inferred || a.Attributes["load_date"] != "February 3, 2023" {
			t.Errorf("%s: date %s, inferred %v, load_date %q; want %s, %v", c.name, a.Date, a.IsInferred(data.FieldDate), a.Attributes["load_date"], c.want, c.inferred)
		}
		// Imported as it is, the guess stays marked; with a date from the
		// sheet or the command line, it is gone.
		kept := a
		(&Importer{}).finish(&kept, ManifestRow{}, nil)
		given := a
		given.Inferred = slices.Clone(a.Inferred)
		(&Importer{Override: data.Meta{Date: data.MustParseDate("2023-01-30")}}).finish(&given, ManifestRow{}, nil)
		if kept.IsInferred(data.FieldDate) != c.inferred || given.IsInferred(data.FieldDate) || given.Date.String() != "2023-01-30" {
			t.Errorf("%s: imported, date inferred %v; with --date, %s inferred %v", c.name, kept.IsInferred(data.FieldDate), given.Date, given.IsInferred(data.FieldDate))
		}
	}
}
