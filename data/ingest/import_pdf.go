package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/parallax-research/parallax/data"
)

// PDFs are read with PDFium, the PDF engine of Chrome, compiled to
// WebAssembly and run by wazero: no cgo and no system library, the same
// text on Linux, macOS and Windows. The README's "PDF: what we chose and
// why" gives the measurements behind the choice.

// maxPDFBytes bounds a PDF file. A PDF may hold a whole news-database
// export (hundreds of articles with images), so it is allowed far more
// than one article's 16 MB; each article found in it is still held to
// data.MaxArticleBytes.
const maxPDFBytes = 1 << 30

// pdfiumEngine is the process's one PDFium instance, started on the first
// PDF: compiling the module takes seconds, so it is done once and cached
// on disk (see pdfiumCacheDir).
var pdfiumEngine struct {
	once sync.Once
	mu   sync.Mutex // an instance runs one call at a time
	inst pdfium.Pdfium
	err  error
}

// pdfiumCacheDir is where wazero keeps the compiled PDFium module, so only
// the first PDF ever read on a machine waits for the compiler (about ten
// seconds on two cores; a quarter of a second afterwards). Empty means no
// cache.
func pdfiumCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "parallax", "pdfium-wasm")
}

func pdfiumInstance() (pdfium.Pdfium, error) {
	e := &pdfiumEngine
	e.once.Do(func() {
		// PDFium's module throws WebAssembly exceptions, a feature wazero
		// keeps behind a flag.
		rc := wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling)
		if dir := pdfiumCacheDir(); dir != "" {
			if cache, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
		pool, err := webassembly.Init(webassembly.Config{
			MinIdle: 1, MaxIdle: 1, MaxTotal: 1,
			RuntimeConfig: rc,
			// No file system: documents are handed over as readers, and a
			// hostile PDF gets no path to the user's files.
			FSConfig: wazero.NewFSConfig(),
			Stdout:   io.Discard,
			Stderr:   io.Discard,
		})
		if err != nil {
			e.err = fmt.Errorf("starting the PDF reader: %w", err)
			return
		}
		e.inst, e.err = pool.GetInstance(time.Minute)
		if e.err != nil {
			e.err = fmt.Errorf("starting the PDF reader: %w", e.err)
		}
	})
	return e.inst, e.err
}

// pdfDoc is what a PDF holds for Parallax: each page's text runs and the
// document information dictionary.
type pdfDoc struct {
	Pages                  []pdfPage
	Title, Author, Created string
}

// readPDF reads the text of every page of the PDF in r (size bytes).
// ctx is checked between pages, so a thousand-page file can be cancelled,
// and progress, if not nil, is called after each page.
func readPDF(ctx context.Context, r io.ReadSeeker, size int64, progress func(page, pages int)) (*pdfDoc, error) {
	inst, err := pdfiumInstance()
	if err != nil {
		return nil, err
	}
	e := &pdfiumEngine
	e.mu.Lock()
	defer e.mu.Unlock()

	doc, err := inst.OpenDocument(&requests.OpenDocument{FileReader: r, FileReaderSize: size})
	if err != nil {
		if errors.Is(err, pdferrors.ErrPassword) {
			return nil, data.Errorf(data.EInvalid, "the PDF is protected by a password, and Parallax cannot read protected files: open it in a PDF viewer and save or print an unprotected copy")
		}
		return nil, data.Errorf(data.EInvalid, "not a readable PDF (damaged, or another kind of file): %v", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})

	var d pdfDoc
	meta := func(tag string) string {
		m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: tag})
		if err != nil {
			return ""
		}
		return cleanSpace(m.Value)
	}
	d.Title, d.Author, d.Created = meta("Title"), meta("Author"), meta("CreationDate")

	pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return nil, data.Errorf(data.EInvalid, "not a readable PDF: %v", err)
	}
	chars := 0
	for i := 0; i < pc.PageCount; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		page := requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}
		sz, err := inst.GetPageSize(&requests.GetPageSize{Page: page})
		if err != nil {
			return nil, data.Errorf(data.EInvalid, "page %d cannot be read: %v", i+1, err)
		}
		t, err := inst.GetPageTextStructured(&requests.GetPageTextStructured{
			Page: page, Mode: requests.GetPageTextStructuredModeRects, CollectFontInformation: true,
		})
		if err != nil {
			return nil, data.Errorf(data.EInvalid, "page %d: cannot read its text: %v", i+1, err)
		}
		p := pdfPage{Width: sz.Width, Height: sz.Height}
		for _, rc := range t.Rects {
			if rc.Text == "" {
				continue
			}
			chars += len(rc.Text)
			p.Runs = append(p.Runs, pdfiumRun(rc.Text, rc.PointPosition.Left, rc.PointPosition.Right,
				rc.PointPosition.Bottom, rc.PointPosition.Top, rc.FontInformation))
		}
		d.Pages = append(d.Pages, p)
		if progress != nil {
			progress(i+1, pc.PageCount)
		}
	}
	if chars == 0 {
		return nil, data.Errorf(data.EInvalid, "the PDF has no text layer, only images: it looks like a scan. Run it through OCR (for example OCRmyPDF) and import the result")
	}
	return &d, nil
}

// pdfiumRun converts one of PDFium's text rectangles. PDFium bounds the
// ink, which differs from line to line ("was" has no ascender, "Tuesday"
// a descender), so the box is rebuilt around the ink's middle from the
// font size, giving every line of one type size the same height. PDFium
// marks a hyphen it judges to be a line-end break with U+0002.
func pdfiumRun(text string, left, right, bottom, top float64, fi *responses.FontInformation) pdfRun {
	text = strings.ReplaceAll(text, "\x02", "-")
	size := top - bottom
	if fi != nil {
		if fi.RenderedSize > 0 {
			size = fi.RenderedSize
		} else if fi.Size > 0 {
			size = fi.Size
		}
	}
	mid := (top + bottom) / 2
	return pdfRun{S: text, Left: left, Right: right, Bottom: mid - size/2, Top: mid + size/2}
}
