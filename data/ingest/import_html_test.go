package ingest

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/unicode/norm"

	"github.com/parallax-research/parallax/data"
)

// savedPage is a news page as a browser's "Save Page As" leaves it:
// metadata in the head, furniture around the article, scripts inside it.
const savedPage = `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Council cedes control of children's services | Community Care</title>
<meta property="og:site_name" content="Community Care">
<meta property="og:title" content="Council cedes control of children’s services">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2022-01-25T23:30:00-05:00">
<link rel="canonical" href="https://www.example.org/2022/01/25/council-cedes-control/">
<style>body { color: red }</style>
<script>var tracking = "SCRIPT-IN-HEAD";</script>
</head><body>
<header><div class="logo">HEADER-LOGO</div><nav><a href="/">NAV-HOME</a> <a href="/news">NAV-NEWS</a></nav></header>
<main><article>
<h1>Council cedes control of children’s services</h1>
<p class="byline">By Jane Doe</p>
<p>Government announces creation of trust to run services in Bradford, where council was rated inadequate in 2018.</p>
<p>The Department for Education said a trust would take over the running of the city’s services,
   following a review by the commissioner.</p>
<div>Ministers said the move would “secure rapid improvement”.</div>
<div>The council said it <em>welcomed</em> the decision<br>and would work with the trust.</div>
<script>document.write("SCRIPT-IN-BODY")</script>
<p>Cafe&#x301; owners nearby said nothing.</p>
</article></main>
<aside>ASIDE-MOST-READ</aside>
<footer><p>FOOTER-COPYRIGHT</p><form><input name="q"><button>FORM-SEARCH</button></form></footer>
</body></html>`

// furniture are words only the page's furniture holds.
var furniture = []string{"SCRIPT-IN-HEAD", "SCRIPT-IN-BODY", "HEADER-LOGO", "NAV-HOME", "ASIDE-MOST-READ", "FOOTER-COPYRIGHT", "FORM-SEARCH", "color: red"}

func TestReadHTML(t *testing.T) {
	a, err := ReadHTML(strings.NewReader(savedPage), "page.html")
	if err != nil {
		t.Fatal(err)
	}
	want := data.Meta{
		Title:  "Council cedes control of children’s services",
		Outlet: "Community Care",
		Author: "Jane Doe",
		// The page's own calendar day, not UTC's (which is the 26th).
		Date: data.MustParseDate("2022-01-25T23:30:00-05:00"),
		URL:  "https://www.example.org/2022/01/25/council-cedes-control/",
	}
	if a.Meta != want {
		t.Errorf("meta = %+v\nwant   %+v", a.Meta, want)
	}
	wantText := "Government announces creation of trust to run services in Bradford, where council was rated inadequate in 2018.\n\n" +
		"The Department for Education said a trust would take over the running of the city’s services, following a review by the commissioner.\n\n" +
		"Ministers said the move would “secure rapid improvement”.\n\n" +
		"The council said it welcomed the decision\nand would work with the trust.\n\n" +
		"Café owners nearby said nothing."
	if a.Text != wantText {
		t.Errorf("text =\n%s\n\nwant\n%s", a.Text, wantText)
	}
	if a.Words != data.CountWords(wantText) || a.Source != "page.html" {
		t.Errorf("words = %d, source = %q", a.Words, a.Source)
	}
}

func TestReadHTMLShortPage(t *testing.T) {
	// readability hands back the whole body of a page this short, nav and
	// all; the renderer must still drop furniture and keep paragraphs. The
	// same renderer over the whole document is the fallback when
	// readability finds nothing, so it is checked on its own too.
	page := `<html><head><title>Short note</title><script>SCRIPT-IN-HEAD</script></head><body>
<nav>NAV-HOME</nav><header>HEADER-LOGO</header>
<div>First line.</div><div>Second <b>line</b>.</div>
<table><tr><td>cell one</td><td>cell two</td></tr></table>
<pre>  kept
    as is</pre>
<aside>ASIDE-MOST-READ</aside><noscript>Enable JavaScript</noscript>
<p hidden>HIDDEN</p><span aria-hidden="true">ICON</span>
<footer>FOOTER-COPYRIGHT</footer></body></html>`
	a, err := ReadHTML(strings.NewReader(page), "note.htm")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Short note" {
		t.Errorf("title = %q, want the <title>", a.Title)
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"ReadHTML": a.Text, "renderBlocks": renderBlocks(doc)} {
		for _, want := range []string{"First line.\n\nSecond line.", "cell one cell two", "kept\n    as is"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: text %q does not contain %q", name, text, want)
			}
		}
		for _, bad := range append(furniture, "HIDDEN", "ICON", "Enable JavaScript", "Short note") {
			if strings.Contains(text, bad) {
				t.Errorf("%s: text %q contains furniture %q", name, text, bad)
			}
		}
	}
}

func TestReadHTMLNoFurniture(t *testing.T) {
	a, err := ReadHTML(strings.NewReader(savedPage), "page.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range furniture {
		if strings.Contains(a.Text, bad) {
			t.Errorf("text contains furniture %q", bad)
		}
	}
	if strings.Contains(a.Text, "\n\n\n") || strings.Contains(a.Text, "\r") {
		t.Errorf("text %q has stray line breaks", a.Text)
	}
}

func TestReadHTMLCharsets(t *testing.T) {
	cp1252, _ := charmap.Windows1252.NewEncoder().String("It’s a “café”.")
	sjis, _ := japanese.ShiftJIS.NewEncoder().String("東京の記事です。")
	tests := []struct {
		name, page, want, wantErr string
	}{
		{name: "declared windows-1252", page: `<meta charset="windows-1252"><p>` + cp1252 + `</p>`, want: "It’s a “café”."},
		{name: "declared latin-1 means windows-1252", page: `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>` + cp1252 + `</p>`, want: "It’s a “café”."},
		{name: "undeclared windows-1252", page: `<p>` + cp1252 + `</p>`, want: "It’s a “café”."},
		{name: "utf-8 wins over a stale declaration", page: `<meta charset="iso-8859-1"><p>It’s a “café”.</p>`, want: "It’s a “café”."},
		{name: "declared shift_jis", page: `<meta charset="shift_jis"><p>` + sjis + `</p>`, want: "東京の記事です。"},
		{name: "utf-16 with bom", page: string(utf16LE(`<p>It’s a “café”.</p>`)), want: "It’s a “café”."},
		{name: "damaged utf-8", page: "<p>caf\u00e9 and caf\xe9</p>", wantErr: "invalid UTF-8 at line 1"},
		{name: "binary", page: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", wantErr: "binary file"},
		{name: "no text", page: `<html><body><nav>Home</nav><script>x()</script></body></html>`, wantErr: "no article text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ReadHTML(strings.NewReader(tt.page), "p.html")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q (text %q)", err, tt.wantErr, a.Text)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Text != tt.want {
				t.Errorf("text = %q, want %q", a.Text, tt.want)
			}
		})
	}
}

func TestReadHTMLTooBig(t *testing.T) {
	big := bytes.Repeat([]byte("<p>x</p>"), data.MaxArticleBytes/8+1)
	_, err := ReadHTML(bytes.NewReader(big), "big.html")
	if err == nil || !strings.Contains(err.Error(), "16 MB per-article limit") {
		t.Fatalf("err = %v, want the size limit", err)
	}
}

// TestReadHTMLTooManyParts: a page under the size limit but with more
// parts than maxHTMLParts is refused before it is parsed, and a page at
// the cap, however its parts are made, passes the count.
func TestReadHTMLTooManyParts(t *testing.T) {
	head := "<html><body><p>" + strings.Repeat("Text of the article. ", 10) + "</p>"
	for _, tt := range []struct {
		name, unit string
		parts      int
	}{
		{"elements", "<p></p>", 1},
		{"attributes", "<br a b c d>", 5},
		{"text runs", "<br>x", 2},
		{"comments", "<!-- x -->", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := (maxHTMLParts - 10) / tt.parts
			// checkHTMLSize, not ReadHTML: readability takes seconds over
			// a page at the cap.
			if err := checkHTMLSize(head + strings.Repeat(tt.unit, n)); err != nil {
				t.Errorf("page at the cap: %v", err)
			}
			_, err := ReadHTML(strings.NewReader(head+strings.Repeat(tt.unit, n+20)), "over.html")
			if err == nil || err.Error() != "the page has more than 250000 elements, attributes, text runs and comments; a long news page has a few thousand" {
				t.Errorf("page over the cap: err = %v", err)
			}
		})
	}
	// A script is one text run however much code it holds.
	script := "<script>" + strings.Repeat("<p></p>", maxHTMLParts) + "</script>"
	if err := checkHTMLSize(head + script); err != nil {
		t.Errorf("page with a long script: %v", err)
	}
}

func FuzzReadHTML(f *testing.F) {
	f.Add(savedPage)
	f.Add(`<meta charset="shift_jis"><p>x</p>`)
	f.Add("<pre>\r\n a\r b</pre><br><td>x<th>y")
	f.Add("<html><body><article><p>One.</p><p>Two.</p></article></body></html>")
	f.Add("<html><head><title>One - The Metro</title><link rel=\"canonical\" href=\"https://blog.example/a\"></head><body><article><p>One.</p></article></body></html>")
	f.Add("<html><head><title>One | The Atlantic</title></head><body><article><p>One.</p><p>Follow us on Bluesky</p></article></body></html>")
	f.Add("<html><head><title>One | Two</title><meta property=\"og:site_name\" content=\"Two\"></head><body><article><p>One.</p><p>Share this article</p></article></body></html>")
	f.Fuzz(func(t *testing.T, page string) {
		a, err := ReadHTML(strings.NewReader(page), "f.html")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q is not one line", err)
			}
			return
		}
		if !utf8.ValidString(a.Text) || !norm.NFC.IsNormalString(a.Text) || strings.Contains(a.Text, "\r") {
			t.Fatalf("text %q is not normalised valid UTF-8", a.Text)
		}
		if strings.TrimSpace(a.Text) == "" {
			t.Fatalf("empty text without an error")
		}
		for _, s := range []string{a.Title, a.Outlet, a.Author, a.URL} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") {
				t.Fatalf("metadata %q is not one line of valid UTF-8", s)
			}
		}
	})
}

// TestReadHTMLSiteFurniture: a page's <title> loses the site's name after
// " | " or " - " when the page gives that name, or the table of outlets
// does on a page that names no site, and keeps anything else there; share
// buttons, follow-us lines naming networks and a podcast promotion that
// end the article are dropped, a paragraph that only mentions sharing or
// following is not.
func TestReadHTMLSiteFurniture(t *testing.T) {
	body := []string{
		"Ferry fares to the islands will rise by a fifth from May, the operator said on Thursday, in a move councillors called unfair to residents.",
		"The operator said fuel and crew costs had risen sharply over the winter and that the timetable would be cut on two routes.",
		"Islanders were urged to share their views at a meeting in the village hall next week, the council said.",
	}
	page := func(head, site, canonical string, tail ...string) string {
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + head + `</title>`)
		if site != "" {
			b.WriteString(`<meta property="og:site_name" content="` + site + `">`)
		}
		if canonical != "" {
			b.WriteString(`<link rel="canonical" href="` + canonical + `">`)
		}
		b.WriteString(`</head><body><main><article>`)
		for _, p := range append(append([]string{}, body...), tail...) {
			b.WriteString("<p>" + p + "</p>")
		}
		b.WriteString(`</article></main></body></html>`)
		return b.String()
	}
	promo := "Want a quick and expert briefing on the biggest news stories? Listen to our latest podcasts to find out What You Need To Know."
	text := strings.Join(body, "\n\n")
	for _, c := range []struct {
		name, page, title, text string
	}{
		{"site name after a bar, share and promo at the end",
			page("Ferry fares to rise | The Island Courier", "The Island Courier", "", "Share this article", promo),
			"Ferry fares to rise", text},
		{"listed outlet after a dash, no site name",
			page("Ferry fares to rise - BBC News", "", "", "Share", "Follow us on Facebook, X and Instagram"),
			"Ferry fares to rise", text},
		{"the host after a bar",
			page("Ferry fares to rise | islandcourier.example", "", "https://www.islandcourier.example/news/ferry", "Share on WhatsApp"),
			"Ferry fares to rise", text},
		{"the rest of a headline is kept",
			page("Ferry fares - what islanders pay", "The Island Courier", "", "Residents can share this article with neighbours who are not online."),
			"Ferry fares - what islanders pay", text + "\n\nResidents can share this article with neighbours who are not online."},
		{"a share line before the last paragraph stays",
			page("Ferry fares to rise | Sport", "The Island Courier", "", "Share", "The meeting starts at seven."),
			"Ferry fares to rise | Sport", text + "\n\nShare\n\nThe meeting starts at seven."},
		{"follow-us lines name networks",
			page("Ferry fares to rise", "", "", "Follow us on X @islandcourier, Bluesky and TikTok", "Follow us on social media."),
			"Ferry fares to rise", text},
		{"a last paragraph that begins like a follow-us line stays",
			page("Ferry fares to rise", "", "", "Follow us on the road to recovery."),
			"Ferry fares to rise", text + "\n\nFollow us on the road to recovery."},
		{"the outlet the host is listed as",
			page("Ferry fares to rise | The Guardian", "", "https://www.theguardian.com/uk-news/ferry"),
			"Ferry fares to rise", text},
		{"a listed outlet written as the table does, no site given",
			page("Ferry fares to rise | The Atlantic", "", ""),
			"Ferry fares to rise", text},
		// Another outlet's name stays on a page that names its own site,
		// and an everyday word stays on any page.
		{"another outlet's name on a page with a site name",
			page("Inside the ferry office | The Times", "The Guardian", "https://www.theguardian.com/media/ferry"),
			"Inside the ferry office | The Times", text},
		{"an outlet that is an everyday word, on a page with a site name",
			page("Ferry songs - Time", "Island Music Weekly", ""),
			"Ferry songs - Time", text},
		{"an outlet that is an everyday word, on a page with a host",
			page("Rocket science | Nature", "", "https://blog.example/rockets"),
			"Rocket science | Nature", text},
		{"an everyday word with a The the table does not write, no site given",
			page("Ferry fares – The Metro", "", ""),
			"Ferry fares – The Metro", text},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := ReadHTML(strings.NewReader(c.page), "page.html")
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != c.title {
				t.Errorf("title %q, want %q", a.Title, c.title)
			}
			if a.Text != c.text {
				t.Errorf("text:\n%s\nwant:\n%s", a.Text, c.text)
			}
		})
	}
}
