package ingesttest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
)

// PDFOptions shape a PDF fixture's layout.
type PDFOptions struct {
	Columns     int    // text columns under each headline; 0 means 1
	Header      string // running header on every page
	PageNumbers bool   // "Page N" at the foot of every page
	Hyphenate   bool   // break long words at line ends with a hyphen
	// Pages, if set, repeats the articles until the PDF has this many
	// pages.
	Pages int
	// UserPassword, if set, encrypts the file so that it needs it to open.
	UserPassword  string
	Title, Author string
	Created       time.Time
}

const (
	pageW, pageH       = 595.28, 841.89
	margin             = 56.0
	top, bottom        = 70.0, 790.0
	colGap             = 18.0
	bodySize, headSize = 10.0, 16.0
	leading            = 12.0
)

// PDF sets articles as a newspaper page does: each headline across the
// page in large type, the paragraphs ragged-right in columns under it,
// with running header and page numbers as asked.
func PDF(arts []Article, o PDFOptions) []byte {
	if o.Columns < 1 {
		o.Columns = 1
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	pdf.SetMargins(margin, top, margin)
	pdf.SetAutoPageBreak(false, 0)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	if o.Title != "" {
		pdf.SetTitle(o.Title, true)
	}
	if o.Author != "" {
		pdf.SetAuthor(o.Author, true)
	}
	if !o.Created.IsZero() {
		pdf.SetCreationDate(o.Created)
	}
	if o.UserPassword != "" {
		pdf.SetProtection(fpdf.CnProtectPrint, o.UserPassword, "owner-"+o.UserPassword)
	}
	pdf.SetHeaderFunc(func() {
		if o.Header != "" {
			pdf.SetFont("Helvetica", "I", 8)
			pdf.Text(margin, 40, tr(o.Header))
		}
	})
	pdf.SetFooterFunc(func() {
		if o.PageNumbers {
			pdf.SetFont("Helvetica", "", 8)
			s := fmt.Sprintf("Page %d", pdf.PageNo())
			pdf.Text((pageW-pdf.GetStringWidth(s))/2, 815, s)
		}
	})
	colW := (pageW - 2*margin - float64(o.Columns-1)*colGap) / float64(o.Columns)
	done := func() bool { return o.Pages > 0 && pdf.PageNo() >= o.Pages }
	for round := 0; ; round++ {
		for _, a := range arts {
			if done() {
				return pdfOutput(pdf)
			}
			pdf.AddPage()
			pdf.SetFont("Helvetica", "B", headSize)
			y := top + headSize
			for _, l := range breakLines(pdf, tr, a.Title, pageW-2*margin, false) {
				pdf.Text(margin, y, l)
				y += headSize * 1.25
			}
			y += 10
			colTop, col := y-bodySize, 0
			pdf.SetFont("Times", "", bodySize)
			for _, p := range a.Paras {
				for _, l := range breakLines(pdf, tr, p, colW, o.Hyphenate) {
					if y > bottom {
						col++
						if col == o.Columns {
							if done() {
								return pdfOutput(pdf)
							}
							pdf.AddPage()
							pdf.SetFont("Times", "", bodySize)
							colTop, col = top, 0
						}
						y = colTop + bodySize
					}
					pdf.Text(margin+float64(col)*(colW+colGap), y, l)
					y += leading
				}
				y += 5
			}
		}
		if o.Pages == 0 {
			return pdfOutput(pdf)
		}
	}
}

func pdfOutput(pdf *fpdf.Fpdf) []byte {
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// breakLines breaks text into lines of at most width in the current font,
// hyphenating words of eight letters or more when asked.
func breakLines(pdf *fpdf.Fpdf, tr func(string) string, text string, width float64, hyphenate bool) []string {
	var lines []string
	line := ""
	fits := func(s string) bool { return pdf.GetStringWidth(tr(s)) <= width }
	for _, w := range strings.Fields(text) {
		cand := w
		if line != "" {
			cand = line + " " + w
		}
		if fits(cand) {
			line = cand
			continue
		}
		if hyphenate && len(w) >= 8 && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			for k := len(w) - 3; k >= 3; k-- {
				head := w[:k] + "-"
				if line != "" {
					head = line + " " + head
				}
				if fits(head) {
					lines = append(lines, tr(head))
					line, w = "", w[k:]
					break
				}
			}
			if line == "" {
				line = w
				continue
			}
		}
		if line != "" {
			lines = append(lines, tr(line))
		}
		line = w
	}
	if line != "" {
		lines = append(lines, tr(line))
	}
	return lines
}

// PDFLines sets each line as a paragraph of its own in one column, as a
// Nexis Uni PDF export does.
func PDFLines(lines []string, o PDFOptions) []byte {
	arts := []Article{{Title: lines[0], Paras: lines[1:]}}
	return PDF(arts, o)
}

// ScanPDF is a PDF whose pages are images only, as a scanner makes them:
// there is no text to read without OCR.
func ScanPDF(pages int) []byte {
	img := image.NewGray(image.Rect(0, 0, 300, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 300; x++ {
			c := uint8(255)
			if y%20 < 6 && x > 30 && x < 270 && (x/7)%5 != 0 {
				c = 40 // lines of "text"
			}
			img.SetGray(x, y, color.Gray{Y: c})
		}
	}
	var png8 bytes.Buffer
	if err := png.Encode(&png8, img); err != nil {
		panic(err)
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	pdf.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png8.Bytes()))
	for range pages {
		pdf.AddPage()
		pdf.ImageOptions("scan", 0, 0, pageW, pageH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	return pdfOutput(pdf)
}
