package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/parallax-research/parallax/data"
)

// ReadHTML reads a saved web page and returns its article: the main text as
// found by readability (the algorithm behind Firefox's Reader View), with
// title, byline (as Author), site name (as Outlet), publication date (kept
// to the day) and canonical URL from the page's metadata.
//
// The text keeps the page's paragraphs, separated by blank lines, because
// researchers code quotes and findings paragraph by paragraph. When
// readability finds no article (short pages, unusual markup), the text is
// every visible block of the page instead, without scripts, styles,
// navigation, headers, footers, asides and forms: more furniture than
// readability would leave, but never a silently empty article.
//
// name becomes the article's Source. Errors do not name the file; the
// caller prefixes it. The returned Article has Meta, Text (normalised) and
// Words set.
func ReadHTML(r io.Reader, name string) (data.Article, error) {
	a, _, err := readHTML(r, name)
	return a, err
}

// readHTML is ReadHTML, also reporting whether readability recognised the
// page as an article, which web archives use to pass over home pages and
// indexes.
func readHTML(r io.Reader, name string) (_ data.Article, readable bool, err error) {
	b, err := io.ReadAll(io.LimitReader(r, data.MaxArticleBytes+1))
	if err != nil {
		return data.Article{}, false, fmt.Errorf("reading: %w", err)
	}
	if len(b) > data.MaxArticleBytes {
		return data.Article{}, false, data.Errorf(data.EInvalid, "over the %d MB per-article limit", data.MaxArticleBytes>>20)
	}
	s, err := decodeHTML(b)
	if err != nil {
		return data.Article{}, false, err
	}
	if err := checkHTMLSize(s); err != nil {
		return data.Article{}, false, err
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return data.Article{}, false, data.Errorf(data.EInvalid, "not HTML: %v", err)
	}

	var meta data.Meta
	var text string
	if ra, ok := runReadability(doc); ok {
		readable = ra.Node != nil
		meta.Title = cleanSpace(ra.Title())
		meta.Author = cleanByline(ra.Byline())
		meta.Outlet = cleanSpace(ra.SiteName())
		if t, err := ra.PublishedTime(); err == nil && t.Year() >= 1 && t.Year() <= 9999 {
			meta.Date = data.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Precision: data.PrecisionDay}
		}
		if ra.Node != nil {
			text = renderBlocks(ra.Node)
		}
	}
	// The page's own statement of when it was published, with its time
	// and zone; readability's reading of it keeps only the day.
	if d, ok := publishedDate(doc); ok {
		meta.Date = d
	}
	if strings.TrimSpace(text) == "" {
		readable = false
		text = renderBlocks(doc)
	}
	if meta.Title == "" {
		meta.Title = cleanSpace(pageTitle(doc))
	}
	meta.URL = canonicalURL(doc)
	meta.Title = dropSiteSuffix(meta.Title, meta)

	text = data.NormalizeText(dropTrailingFurniture(dropLeadingMeta(text, meta)))
	if text == "" {
		return data.Article{}, false, data.Errorf(data.EInvalid, "no article text found in the page")
	}
	return data.Article{Meta: meta, Text: text, Words: data.CountWords(text), Source: name}, readable, nil
}

// maxHTMLParts bounds the parts of one page: its elements, attributes,
// text runs and comments. Readability builds the page's tree and scores
// it, at most of a kilobyte per element: a 15 MB page of two million empty
// paragraphs took 1.8 GB and 13 seconds. A long news page has a few
// thousand elements, a heavy one (inline icons, comment threads) a few
// tens of thousands; a page at the cap takes under 250 MB.
const maxHTMLParts = 250_000

// checkHTMLSize counts a page's parts with the streaming tokenizer, which
// keeps one token at a time, and refuses the page past maxHTMLParts before
// any tree is built. A script or a style is one text run however long, as
// the tokenizer reads it, so code in the page does not count against it.
func checkHTMLSize(s string) error {
	z := html.NewTokenizer(strings.NewReader(s))
	for n := 0; ; {
		switch z.Next() {
		case html.ErrorToken:
			return nil // the end of the page; html.Parse takes any markup
		case html.StartTagToken, html.SelfClosingTagToken:
			n++
			for _, more := z.TagName(); more; n++ {
				_, _, more = z.TagAttr()
			}
		case html.TextToken, html.CommentToken:
			n++
		default:
			continue
		}
		if n > maxHTMLParts {
			return data.Errorf(data.EInvalid, "the page has more than %d elements, attributes, text runs and comments; a long news page has a few thousand", maxHTMLParts)
		}
	}
}

// dropLeadingMeta removes a first paragraph that only repeats the title or
// the byline ("By Jane Doe"): both are in Meta already, and left in the
// text they would count as words and turn up in every comparison.
func dropLeadingMeta(text string, m data.Meta) string {
	for range 2 {
		first, rest, _ := strings.Cut(strings.TrimLeft(text, "\n"), "\n\n")
		p := cleanSpace(first)
		switch {
		case p == "" || strings.TrimSpace(rest) == "":
			return text
		case m.Title != "" && p == m.Title,
			m.Author != "" && (p == m.Author || cleanByline(p) == m.Author):
			text = rest
		default:
			return text
		}
	}
	return text
}

// titleSeparators stand between a page's headline and the site's name in
// its <title>: "Headline | ITV News", "Headline - BBC News".
var titleSeparators = []string{" | ", " - ", " – ", " — "}

// dropSiteSuffix removes the site's name from the end of a page's title
// ("Headline | ITV News"), which readability keeps when the headline
// before it is short. The name goes when it is the page's own: its site
// name, its address's host or the outlet the table lists that host as.
// Another outlet of the table goes only from a page that names no site
// of its own, and not one whose name is an everyday word: after a
// separator that may be the headline's ("Pink Floyd - Time"), as may
// another outlet's name on a page that says whose it is ("Inside the
// newsroom | The Times" on the Guardian's site). Anything else after a
// separator stays ("Brexit - what happens next").
func dropSiteSuffix(title string, m data.Meta) string {
	host := urlHost(m.URL)
	own := []string{m.Outlet, host}
	if o, ok := tableOutlet(host); ok {
		own = append(own, o)
	}
	for _, sep := range titleSeparators {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		head, site := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
		if head == "" || site == "" {
			continue
		}
		base := readOutletName(site).base
		for _, n := range own {
			if n != "" && (strings.EqualFold(n, site) || readOutletName(n).base == base) {
				return head
			}
		}
		if m.Outlet == "" && host == "" && !commonWordName(site) {
			if _, listed := tableNames()[base]; listed {
				return head
			}
		}
	}
	return title
}

// trailingFurniture matches the share buttons, follow-us lines and
// promotions a page sets after the article, which readability leaves in
// when they sit inside the article's element. Only whole short
// paragraphs match, and only at the end of the text are they dropped: a
// paragraph of the article that merely mentions sharing is kept.
var trailingFurniture = lazyRegexp(`(?i)^(?:` +
	`share(?: this)?(?: article| story| page| post)?|share on (?:facebook|twitter|x|whatsapp|linkedin|email)|` +
	// Only a list of networks follows "Follow us on": the article's own
	// last paragraph may begin so ("Follow us on the road to recovery").
	`follow us on ` + socialNetwork + `(?:(?:,| and|,? &|,? or|, and) ` + socialNetwork + `)*|` +
	// ITV News's promotion of its podcast, under every article.
	`want a quick and expert briefing on the biggest news stories\? listen to our latest podcasts to find out what you need to know` +
	`)[.:!]?$`)

// socialNetwork is the name of a network a follow-us line points to,
// with the account's handle if it gives one ("X @islandcourier").
const socialNetwork = `(?:facebook|twitter|x|instagram|tiktok|youtube|linkedin|threads|bluesky|mastodon|` +
	`whatsapp|telegram|snapchat|pinterest|reddit|flipboard|google news|social media)(?: @\w{1,30})?`

// dropTrailingFurniture removes the paragraphs at the end of text that
// trailingFurniture matches, keeping at least the first paragraph.
func dropTrailingFurniture(text string) string {
	paras := strings.Split(strings.TrimRight(text, "\n"), "\n\n")
	n := len(paras)
	for n > 1 && trailingFurniture().MatchString(cleanSpace(paras[n-1])) {
		n--
	}
	if n == len(paras) {
		return text
	}
	return strings.Join(paras[:n], "\n\n")
}

// runReadability runs readability on a copy of doc. It recovers from a
// panic, because readability is a large port of JavaScript heuristics and a
// page that trips it should fall back to plain extraction rather than take
// the whole import down.
func runReadability(doc *html.Node) (a readability.Article, ok bool) {
	defer func() {
		if recover() != nil {
			a, ok = readability.Article{}, false
		}
	}()
	a, err := readability.FromDocument(doc, nil)
	return a, err == nil
}

// decodeHTML decodes a page to UTF-8. Valid UTF-8 wins over a declared
// charset, because browsers save pages as UTF-8 but often keep the
// original <meta charset>; a declared non-Western charset is honoured;
// anything else goes through DecodeText's Windows-1252 rule, which refuses
// damaged UTF-8 instead of garbling it.
func decodeHTML(b []byte) (string, error) {
	if bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE}) ||
		bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || utf8.Valid(b) {
		return DecodeText(b)
	}
	if e, name, _ := charset.DetermineEncoding(b, ""); e != nil {
		switch name {
		case "windows-1252", "utf-8", "":
		default:
			out, err := e.NewDecoder().Bytes(b)
			if err != nil {
				return "", data.Errorf(data.EInvalid, "invalid %s: %v", name, err)
			}
			s := string(out)
			if err := checkText(s); err != nil {
				return "", err
			}
			return s, nil
		}
	}
	return DecodeText(b)
}

// dropped are elements whose text is never article text. The last line
// is page furniture; readability removes it by scoring, the fallback by
// name. Elements are matched by name, not atom, because readability
// renames elements (div to p) without updating their atom.
var dropped = map[string]bool{
	"head": true, "script": true, "style": true, "template": true, "noscript": true,
	"svg": true, "math": true, "iframe": true, "object": true, "canvas": true,
	"video": true, "audio": true, "select": true, "button": true, "textarea": true,
	"nav": true, "header": true, "footer": true, "aside": true, "form": true,
}

// blocks are elements that start a new paragraph.
var blocks = map[string]bool{
	"address": true, "article": true, "blockquote": true, "body": true, "caption": true,
	"dd": true, "details": true, "dialog": true, "div": true, "dl": true, "dt": true,
	"fieldset": true, "figcaption": true, "figure": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "hgroup": true, "hr": true,
	"li": true, "main": true, "ol": true, "p": true, "pre": true, "section": true,
	"summary": true, "table": true, "tr": true, "ul": true,
}

// renderBlocks renders the visible text under n with every block element
// as its own paragraph. readability's RenderText is not used because it
// separates <div>s and list items by a single line break, so pages that
// build paragraphs from <div>s would come out as one block.
func renderBlocks(n *html.Node) string {
	var r blockRenderer
	r.walk(n, false)
	return r.String()
}

type blockRenderer struct {
	out       strings.Builder
	para      strings.Builder // the paragraph being built
	pendSpace bool
}

func (r *blockRenderer) walk(n *html.Node, pre bool) {
	switch n.Type {
	case html.TextNode:
		r.text(n.Data, pre)
		return
	case html.ElementNode:
		if dropped[n.Data] || hidden(n) {
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	block := n.Type == html.ElementNode && blocks[n.Data]
	switch n.Data {
	case "br":
		r.para.WriteByte('\n')
		r.pendSpace = false
		return
	case "td", "th":
		r.pendSpace = true
	case "pre":
		pre = true
	}
	if block {
		r.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c, pre)
	}
	if block {
		r.flush()
	}
}

func (r *blockRenderer) text(s string, pre bool) {
	if pre {
		r.para.WriteString(s)
		r.pendSpace = false
		return
	}
	// Runs of layout white space become one space, and none at all at the
	// start of a line, as a browser shows them.
	for s != "" {
		if i := strings.IndexFunc(s, notHTMLSpace); i != 0 {
			r.pendSpace = true
			if i < 0 {
				return
			}
			s = s[i:]
		}
		j := strings.IndexFunc(s, isHTMLSpace)
		if j < 0 {
			j = len(s)
		}
		if r.pendSpace && r.para.Len() > 0 && !strings.HasSuffix(r.para.String(), "\n") {
			r.para.WriteByte(' ')
		}
		r.para.WriteString(s[:j])
		r.pendSpace = false
		s = s[j:]
	}
}

// isHTMLSpace is HTML's inter-element white space. A no-break space is
// text, not layout, so it is kept.
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

func notHTMLSpace(r rune) bool { return !isHTMLSpace(r) }

// flush ends the current paragraph.
func (r *blockRenderer) flush() {
	p := strings.TrimSpace(r.para.String())
	r.para.Reset()
	r.pendSpace = false
	if p == "" {
		return
	}
	if r.out.Len() > 0 {
		r.out.WriteString("\n\n")
	}
	// Trim each line too: a <br> next to white space leaves ragged lines.
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	r.out.WriteString(strings.Join(lines, "\n"))
}

func (r *blockRenderer) String() string {
	r.flush()
	return r.out.String()
}

// hidden reports elements the page hides from readers.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "" || a.Val == "true" {
				return true
			}
		}
	}
	return false
}

func pageTitle(doc *html.Node) string {
	var title, h1 string
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.DataAtom == atom.Title && title == "":
				title = textOf(n)
			case n.DataAtom == atom.H1 && h1 == "":
				h1 = textOf(n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if strings.TrimSpace(h1) != "" {
		return h1
	}
	return title
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// canonicalURL returns the page's own address as the page states it, from
// <link rel="canonical"> or og:url. A saved page has no other record of
// where it came from.
func canonicalURL(doc *html.Node) string {
	var link, og string
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Link:
				if link == "" && strings.EqualFold(attr(n, "rel"), "canonical") {
					link = attr(n, "href")
				}
			case atom.Meta:
				if og == "" && strings.EqualFold(attr(n, "property"), "og:url") {
					og = attr(n, "content")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	for _, u := range []string{link, og} {
		u = strings.TrimSpace(u)
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			return u
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// cleanSpace collapses runs of white space, as metadata copied out of
// markup is full of line breaks and indentation.
func cleanSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
