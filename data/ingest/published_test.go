package ingest

import (
	"context"
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
	} {
		d, ok := parseNewsDate(c.line)
		if !ok || d.String() != c.want {
			t.Errorf("parseNewsDate(%q) = %s, %v; want %s", c.line, d, ok, c.want)
		}
	}
	if _, ok := parseNewsDate("Council meets at 9:30 am on 31 January 2023 to decide the future of services"); ok {
		t.Error("a headline with a time read as a date line")
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
}
