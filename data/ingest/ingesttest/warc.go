package ingesttest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"html"
	"strings"
	"time"
)

// Record is one WARC record to write.
type Record struct {
	// Type is "response", "request", "revisit", "warcinfo" or "metadata".
	Type string
	URI  string
	Date time.Time
	// Status and ContentType make the HTTP response head of a response
	// record; Body is its payload, sent with Encoding ("", "gzip" or
	// "chunked+gzip").
	Status      int
	ContentType string
	Body        string
	Encoding    string
	// Truncate, if above zero, cuts the record's block to that many bytes
	// while its Content-Length still promises the whole: an archive whose
	// download or crawl stopped midway.
	Truncate int
}

// ArticleHTML renders an article as a news site's page: navigation and
// footer around the article, with its metadata in meta tags.
func ArticleHTML(a Article) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s | %s</title>`, html.EscapeString(a.Title), html.EscapeString(a.Outlet))
	fmt.Fprintf(&b, `<meta property="og:site_name" content="%s"><meta property="article:published_time" content="%sT08:30:00Z">`, html.EscapeString(a.Outlet), a.Date)
	if a.URL != "" {
		fmt.Fprintf(&b, `<link rel="canonical" href="%s">`, html.EscapeString(a.URL))
	}
	fmt.Fprintf(&b, `<meta name="author" content="%s"></head><body>`, html.EscapeString(a.Author))
	b.WriteString(`<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav></header><main><article>`)
	fmt.Fprintf(&b, `<h1>%s</h1>`, html.EscapeString(a.Title))
	if a.Author != "" {
		fmt.Fprintf(&b, `<p class="byline">By %s</p>`, html.EscapeString(a.Author))
	}
	for _, p := range a.Paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	b.WriteString(`</article></main><footer><p>© Example Media. All rights reserved.</p><a href="/privacy">Privacy</a></footer></body></html>`)
	return b.String()
}

// HomeHTML is a site's front page: headlines linking to articles.
func HomeHTML(arts []Article) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><title>Example News - Home</title></head><body><nav><a href="/">Home</a></nav><ul>`)
	for _, a := range arts {
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, html.EscapeString(a.URL), html.EscapeString(a.Title))
	}
	b.WriteString(`</ul></body></html>`)
	return b.String()
}

// WARC writes records as a WARC 1.1 file, each record its own gzip member
// when gz is set (the .warc.gz convention), after a warcinfo record.
func WARC(recs []Record, gz bool) []byte {
	var out bytes.Buffer
	all := append([]Record{{Type: "warcinfo", Date: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC), Body: "software: parallax-test\r\nformat: WARC File Format 1.1\r\n"}}, recs...)
	for i, r := range all {
		block := r.Body
		ctype := "application/warc-fields"
		switch r.Type {
		case "response":
			block = httpResponse(r)
			ctype = "application/http; msgtype=response"
		case "request":
			block = "GET " + r.URI + " HTTP/1.1\r\nHost: example\r\nUser-Agent: test\r\n\r\n"
			ctype = "application/http; msgtype=request"
		case "revisit":
			block = fmt.Sprintf("HTTP/1.1 %d OK\r\nContent-Type: %s\r\n\r\n", r.Status, r.ContentType)
			ctype = "application/http; msgtype=response"
		}
		var head strings.Builder
		head.WriteString("WARC/1.1\r\n")
		fmt.Fprintf(&head, "WARC-Type: %s\r\n", r.Type)
		fmt.Fprintf(&head, "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n", i)
		fmt.Fprintf(&head, "WARC-Date: %s\r\n", r.Date.UTC().Format(time.RFC3339))
		if r.URI != "" {
			fmt.Fprintf(&head, "WARC-Target-URI: %s\r\n", r.URI)
		}
		if r.Type == "revisit" {
			head.WriteString("WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n")
			fmt.Fprintf(&head, "WARC-Refers-To-Target-URI: %s\r\n", r.URI)
		}
		fmt.Fprintf(&head, "Content-Type: %s\r\n", ctype)
		fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", len(block))
		rec := head.String() + block + "\r\n\r\n"
		if r.Truncate > 0 {
			rec = head.String() + block[:min(r.Truncate, len(block))]
		}
		if gz {
			zw := gzip.NewWriter(&out)
			zw.Write([]byte(rec))
			zw.Close()
		} else {
			out.WriteString(rec)
		}
	}
	return out.Bytes()
}

func httpResponse(r Record) string {
	body := r.Body
	var h strings.Builder
	fmt.Fprintf(&h, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n", r.Status, statusText(r.Status), r.ContentType)
	if strings.Contains(r.Encoding, "gzip") {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(body))
		zw.Close()
		body = z.String()
		h.WriteString("Content-Encoding: gzip\r\n")
	}
	if strings.Contains(r.Encoding, "chunked") {
		var c strings.Builder
		for len(body) > 0 {
			n := min(1000, len(body))
			fmt.Fprintf(&c, "%x\r\n%s\r\n", n, body[:n])
			body = body[n:]
		}
		c.WriteString("0\r\n\r\n")
		body = c.String()
		h.WriteString("Transfer-Encoding: chunked\r\n")
	} else {
		fmt.Fprintf(&h, "Content-Length: %d\r\n", len(body))
	}
	return h.String() + "\r\n" + body
}

func statusText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 404:
		return "Not Found"
	case 301:
		return "Moved Permanently"
	}
	return "Status"
}

// WACZ packs a WARC into a WACZ file: archive/data.warc.gz beside the
// package description and page list a WACZ holds.
func WACZ(warcGz []byte) []byte {
	return Zip(map[string]string{
		"archive/data.warc.gz": string(warcGz),
		"datapackage.json":     `{"profile":"data-package","wacz_version":"1.1.1","resources":[{"name":"data.warc.gz","path":"archive/data.warc.gz"}]}`,
		"pages/pages.jsonl":    `{"format":"json-pages-1.0","id":"pages","title":"All Pages"}` + "\n",
	})
}
