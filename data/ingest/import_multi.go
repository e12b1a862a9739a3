package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"

	"github.com/parallax-research/parallax/data"
)

// fileExt is a file's type as the importer sees it: its extension in
// lower case, with ".warc.gz" kept whole.
func fileExt(p string) string {
	l := strings.ToLower(p)
	if strings.HasSuffix(l, ".warc.gz") {
		return ".warc.gz"
	}
	return filepath.Ext(l)
}

// documentExts are the files that may hold many articles: word-processor
// documents and PDFs (one article, or a news-database export) and web
// archives.
var documentExts = map[string]bool{
	".pdf": true, ".docx": true, ".rtf": true, ".warc": true, ".warc.gz": true, ".wacz": true,
}

// maxDocumentBytes bounds the document files: a PDF is read whole into
// memory; .docx and .rtf are streamed, and their limits keep the time an
// import takes in reason. Web archives are streamed and have no limit.
func maxDocumentBytes(ext string) int64 {
	switch ext {
	case ".pdf":
		return maxPDFBytes
	case ".docx":
		return maxDocxFileBytes
	case ".rtf":
		return maxRTFBytes
	}
	return -1
}

// maxRTFBytes bounds an .rtf file: RTF carries pictures as hexadecimal
// text, so an export with images is large.
const maxRTFBytes = 1 << 30

// readDocumentFile reads a .pdf, .docx, .rtf, .warc, .warc.gz or .wacz
// file, appending its items. cancelled reports that ctx ended. Problems
// with the file as a whole are one Item naming the file; problems with
// one article of it name the article ("file.rtf#3").
func (im *Importer) readDocumentFile(ctx context.Context, path, ext string, items []Item) (_ []Item, cancelled bool) {
	fail := func(err error) []Item {
		return append(items, Item{Path: path, Err: pathErr(path, err)})
	}
	fi, err := os.Stat(path)
	if err != nil {
		return append(items, Item{Path: path, Err: fileErr(path, err)}), false
	}
	if !fi.Mode().IsRegular() {
		return fail(data.Errorf(data.EInvalid, "not a regular file")), false
	}
	if limit := maxDocumentBytes(ext); limit > 0 && fi.Size() > limit {
		return fail(data.Errorf(data.EInvalid, "%s is over the %s limit for a %s file", formatSize(fi.Size()), formatSize(limit), strings.TrimPrefix(ext, "."))), false
	}
	f, err := os.Open(path)
	if err != nil {
		return append(items, Item{Path: path, Err: fileErr(path, err)}), false
	}
	defer f.Close()
	row, sheet := im.lookup(path)
	source := pathKey(path)

	add := func(it Item) {
		if it.Err == nil {
			it.warn(im.finish(&it.Article, row, it.Article.Attributes))
			it.Sheet = sheet
		}
		items = append(items, it)
	}

	if ext == ".warc" || ext == ".warc.gz" || ext == ".wacz" {
		s := &warcSink{name: path, source: source}
		s.yield = func(it Item) bool {
			if ctx.Err() != nil {
				return false
			}
			add(it)
			return true
		}
		if im.FileProgress != nil {
			// At most a thousand reports per file: an archive of a million
			// small records must not flood the window with updates.
			var last int64 = -1
			step := fi.Size() / 1000
			s.progress = func(read int64, n int) {
				if last < 0 || read-last >= step || read >= fi.Size() {
					last = read
					im.FileProgress(path, read, fi.Size(), n)
				}
			}
		}
		if ext == ".wacz" {
			err = readWACZ(ctx, f, fi.Size(), s)
		} else {
			err = readWARCFile(ctx, f, s)
		}
		if ctx.Err() != nil {
			return items, true
		}
		if err != nil {
			return fail(err), false
		}
		if s.skip.Total() > 0 {
			s.skip.Path = path
			im.Skipped = append(im.Skipped, s.skip)
		}
		return items, false
	}

	var doc *document
	switch ext {
	case ".pdf":
		var progress func(page, pages int)
		if im.FileProgress != nil {
			progress = func(page, pages int) { im.FileProgress(path, fi.Size()*int64(page)/int64(pages), fi.Size(), 0) }
		}
		var pd *pdfDoc
		pd, err = readPDF(ctx, f, fi.Size(), progress)
		if err == nil {
			doc = &document{Paras: layoutPDF(pd.Pages), Title: pd.Title, Author: pd.Author, Created: pd.Created}
		}
	case ".docx":
		doc, err = readDocx(f, fi.Size())
	case ".rtf":
		// The size was checked above; the limit holds if the file grows.
		doc, err = readRTFFrom(io.LimitReader(f, maxRTFBytes))
	}
	if ctx.Err() != nil {
		return items, true
	}
	if err != nil {
		return fail(err), false
	}
	its, err := documentItems(ctx, doc, path, source)
	if ctx.Err() != nil {
		return items, true
	}
	if err != nil {
		return fail(err), false
	}
	for _, it := range its {
		add(it)
	}
	return items, false
}

// readHTMLFile reads a saved page, or a Factiva export saved as HTML,
// which becomes one item per article.
func (im *Importer) readHTMLFile(ctx context.Context, r io.Reader, path string, limit int64) ([]Item, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	if paras, ok := factivaHTML(b); ok {
		its, _, err := splitExport(ctx, paras, path, pathKey(path))
		return its, err
	}
	a, err := ReadHTML(bytes.NewReader(b), path)
	if err != nil {
		return nil, err
	}
	a.Source = pathKey(path)
	return []Item{{Path: path, Article: a}}, nil
}

// factivaHTML recognises a Factiva export saved as a web page, whose
// articles are tables with a field code in the first cell of each row
// (HD, BY, PD, SN, LP, TD...), and returns its fields as lines for
// splitExport: "CODE<tab>value", then one line per further paragraph.
func factivaHTML(b []byte) ([]docPara, bool) {
	if !bytes.Contains(b, []byte(">HD<")) && !bytes.Contains(b, []byte(">HD </")) {
		return nil, false
	}
	s, err := decodeHTML(b)
	if err != nil {
		return nil, false
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return nil, false
	}
	var paras []docPara
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" {
			var cells []*html.Node
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					cells = append(cells, c)
				}
			}
			if len(cells) == 2 {
				code := cleanSpace(textOf(cells[0]))
				if factivaCodes[code] {
					lines := strings.Split(renderBlocks(cells[1]), "\n\n")
					// A tab, as in Factiva's RTF: the code stands in a cell of
					// its own (see factivaField).
					paras = append(paras, docPara{Text: code + "\t" + cleanSpace(lines[0])})
					for _, l := range lines[1:] {
						paras = append(paras, docPara{Text: cleanSpace(l)})
					}
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	lines := make([]string, len(paras))
	for i, p := range paras {
		lines[i] = p.Text
	}
	return paras, isFactiva(lines)
}
