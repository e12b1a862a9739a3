package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/parallax-research/parallax/data"
)

// Web archives (ISO 28500 WARC, as the Internet Archive, Common Crawl,
// Webrecorder and Browsertrix write them, and WACZ, a zip holding WARCs)
// are read record by record with github.com/nlnwa/gowarc, so a 2 GB
// archive is never held in memory. Every HTML response goes through the
// same readability path as a saved page.

// Skip counts what a file held that was not imported and is not an error:
// the pages of a web archive that are not articles.
type Skip struct {
	Path string
	// Why maps a reason ("not HTML", "HTTP 404", "home, tag or section
	// page", "no article text") to how many records it covers.
	Why map[string]int
}

// Total is the number of records skipped.
func (s Skip) Total() int {
	n := 0
	for _, c := range s.Why {
		n += c
	}
	return n
}

// Reasons for passing over an archived page.
const (
	skipNotHTML   = "not HTML"
	skipIndexPage = "home, tag or section page"
	skipNoArticle = "no article text"
	skipRevisit   = "repeat capture"
)

// warcSink receives what reading an archive finds.
type warcSink struct {
	name, source string
	yield        func(Item) bool // false stops the reading
	skip         Skip
	records      int // response records seen, for naming them
	progress     func(read int64, articles int)
	articles     int
}

// readWARCFile reads a .warc or .warc.gz file (gzip is detected per
// record, so the name's ending does not matter).
func readWARCFile(ctx context.Context, r io.Reader, s *warcSink) error {
	cr := &countingReader{r: r}
	wf, err := gowarc.NewWarcFileReaderFromStream(cr, 0,
		// Lenient about syntax, as crawlers write small slips (a missing
		// CR, an unknown field). Specification checks stay at "warn":
		// they are what makes gowarc keep each record's block (in memory
		// up to the per-article limit, on disk beyond) for the payload to
		// be read, and what reports a record shorter than its
		// Content-Length. gowarc.WithNoValidation would also stop it
		// parsing the HTTP responses.
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore), gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore), gowarc.WithBufferMaxMemBytes(data.MaxArticleBytes))
	if err != nil {
		return data.Errorf(data.EInvalid, "not a web archive: %v", err)
	}
	defer wf.Close()
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := wf.Next()
		if err == io.EOF {
			if n == 0 {
				return data.Errorf(data.EInvalid, "empty web archive: no WARC records")
			}
			return nil
		}
		if err != nil {
			if n == 0 {
				return data.Errorf(data.EInvalid, "not a web archive (WARC): %v", err)
			}
			// A damaged record leaves the reader out of step with the
			// file; the records before it stay imported.
			s.yield(Item{Path: s.name, Err: fmt.Errorf("%s: record %d (at byte %d) is damaged or cut short, and the archive cannot be read past it: %w",
				s.name, n+1, rec.Offset, data.Errorf(data.EInvalid, "%v", err))})
			return nil
		}
		var short *gowarc.ContentLengthError
		for _, v := range rec.Validation {
			if errors.As(v, &short) && short.Actual < short.Expected {
				break
			}
			short = nil
		}
		more := s.record(rec.WarcRecord, short)
		if s.progress != nil {
			s.progress(cr.n, s.articles)
		}
		rec.WarcRecord.Close()
		if !more {
			return nil
		}
	}
}

// readWACZ reads the WARCs in a WACZ file's archive folder.
func readWACZ(ctx context.Context, r io.ReaderAt, size int64, s *warcSink) error {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return data.Errorf(data.EInvalid, "not a WACZ file: a .wacz is a zip archive, and this one cannot be read as one (%v)", err)
	}
	found := 0
	var done int64
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		if !strings.HasPrefix(name, "archive/") || !(strings.HasSuffix(name, ".warc") || strings.HasSuffix(name, ".warc.gz")) {
			continue
		}
		found++
		rc, err := f.Open()
		if err != nil {
			return data.Errorf(data.EInvalid, "%s in the WACZ cannot be read: %v", f.Name, err)
		}
		base, prog := done, s.progress
		if prog != nil {
			s.progress = func(read int64, n int) {
				prog(base+read*int64(f.CompressedSize64)/max(1, int64(f.UncompressedSize64)), n)
			}
		}
		err = readWARCFile(ctx, rc, s)
		s.progress = prog
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		done += int64(f.CompressedSize64)
	}
	if found == 0 {
		return data.Errorf(data.EInvalid, "no WARC files in the WACZ's archive/ folder")
	}
	return nil
}

// record handles one WARC record and reports whether to go on. short,
// if not nil, says the record's block is shorter than its header
// promised: the archive was cut off inside it.
func (s *warcSink) record(rec gowarc.WarcRecord, short *gowarc.ContentLengthError) bool {
	switch rec.Type() {
	case gowarc.Response:
	case gowarc.Revisit:
		s.skipped(skipRevisit)
		return true
	default:
		return true // requests, metadata, warcinfo: not pages
	}
	s.records++
	target := rec.WarcHeader().Get(gowarc.WarcTargetURI)
	label := fmt.Sprintf("%s#%d", s.name, s.records)
	if target != "" {
		label += " (" + target + ")"
	}
	fail := func(err error) bool {
		return s.yield(Item{Path: s.name, Err: fmt.Errorf("%s: %w", label, err)})
	}
	if short != nil {
		return fail(data.Errorf(data.EInvalid, "the record is cut short: %d of its %d bytes are in the file", short.Actual, short.Expected))
	}
	hb, ok := rec.Block().(gowarc.HttpResponseBlock)
	if !ok {
		s.skipped(skipNotHTML) // a DNS answer, a screenshot
		return true
	}
	if code := hb.HttpStatusCode(); code != 200 {
		s.skipped(fmt.Sprintf("HTTP %d", code))
		return true
	}
	h := hb.HttpHeader()
	if h == nil {
		return fail(data.Errorf(data.EInvalid, "the record has no HTTP headers"))
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt != "text/html" && mt != "application/xhtml+xml" {
		s.skipped(skipNotHTML)
		return true
	}
	if indexPage(target) {
		s.skipped(skipIndexPage)
		return true
	}
	payload, err := hb.PayloadBytes()
	if err != nil {
		return fail(data.Errorf(data.EInvalid, "cannot read the page: %v", err))
	}
	body, err := httpBody(payload, h.Get("Transfer-Encoding"), h.Get("Content-Encoding"))
	if err != nil {
		return fail(err)
	}
	a, readable, err := readHTML(body, "")
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fail(data.Errorf(data.EInvalid, "the page is cut short in the archive"))
		}
		return fail(err)
	}
	if !readable || a.Words < minArchivedWords {
		s.skipped(skipNoArticle)
		return true
	}
	if a.URL == "" {
		a.URL = target
	}
	a.Attributes = map[string]string{"archived_url": target}
	if t, err := rec.Date(); err == nil {
		a.Attributes["archived"] = t.UTC().Format(time.RFC3339)
	}
	a.Source = fmt.Sprintf("%s#%d", s.source, s.records)
	s.articles++
	return s.yield(Item{Path: s.name, Article: a})
}

// minArchivedWords is the least text an archived page needs to count as
// an article; readability finds "articles" of a caption or a cookie notice
// on galleries and error pages.
const minArchivedWords = 80

func (s *warcSink) skipped(why string) {
	if s.skip.Why == nil {
		s.skip.Why = map[string]int{}
	}
	s.skip.Why[why]++
}

// indexSegments are path segments of pages that list articles rather than
// hold one.
var indexSegments = map[string]bool{
	"tag": true, "tags": true, "topic": true, "topics": true, "category": true, "categories": true,
	"section": true, "sections": true, "author": true, "authors": true, "search": true, "page": true,
	"archive": true, "archives": true, "index": true, "feed": true, "rss": true, "video": true,
	"videos": true, "gallery": true, "galleries": true, "live": true,
}

// indexPage reports a URL that names a home page or a listing: no path
// beyond the site, or a path through a tag, topic, section or author page
// with nothing article-like after it.
func indexPage(target string) bool {
	u, err := url.Parse(target)
	if err != nil {
		return false
	}
	p := strings.Trim(u.Path, "/")
	if p == "" || p == "index.html" || p == "index.htm" || p == "index.php" {
		return true
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if indexSegments[strings.ToLower(seg)] && i >= len(segs)-2 {
			// "/tag/politics" and "/section/world/" list; an article
			// under a section has a longer slug after it.
			last := segs[len(segs)-1]
			if i == len(segs)-1 || !strings.Contains(last, "-") || strings.Count(last, "-") < 3 {
				return true
			}
		}
	}
	return false
}

// httpBody undoes the HTTP transfer and content encodings an archive keeps
// as the server sent them: chunked, gzip and deflate. The result is
// bounded by the per-article limit.
func httpBody(r io.Reader, transfer, content string) (io.Reader, error) {
	// gowarc parses the HTTP head with net/http, which moves
	// Transfer-Encoding out of the header map; so chunking is recognised by
	// the body too: a chunk-size line, where a page starts with markup.
	br := bufio.NewReader(r)
	r = br
	if head, _ := br.Peek(20); chunkStart().Match(head) {
		r = httputil.NewChunkedReader(br)
	}
	switch strings.ToLower(strings.TrimSpace(content)) {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, data.Errorf(data.EInvalid, "the page is gzip-compressed but damaged: %v", err)
		}
		r = zr
	case "deflate":
		br := bufio.NewReader(r)
		if b, _ := br.Peek(2); len(b) == 2 && b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, data.Errorf(data.EInvalid, "the page is deflate-compressed but damaged: %v", err)
			}
			r = zr
		} else {
			r = flate.NewReader(br)
		}
	default:
		return nil, data.Errorf(data.EInvalid, "the page is stored %s-compressed, which Parallax cannot decompress", content)
	}
	b, err := io.ReadAll(io.LimitReader(r, data.MaxArticleBytes+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, data.Errorf(data.EInvalid, "the page is cut short in the archive")
		}
		return nil, data.Errorf(data.EInvalid, "cannot decode the page: %v", err)
	}
	if len(b) > data.MaxArticleBytes {
		return nil, data.Errorf(data.EInvalid, "the page is over the %d MB per-article limit", data.MaxArticleBytes>>20)
	}
	return bytes.NewReader(b), nil
}

// chunkStart matches the start of a chunked body: the first chunk's size
// in hexadecimal, extensions, CRLF.
var chunkStart = lazyRegexp(`^[0-9a-fA-F]{1,8}(;[^\r\n]*)?\r\n`)

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
