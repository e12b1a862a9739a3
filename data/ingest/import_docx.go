package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/parallax-research/parallax/data"
)

// Limits on what a .docx may unpack to. A news-database export of a few
// hundred articles is tens of megabytes of XML; a zip bomb is gigabytes
// from a few kilobytes, and is refused before it is unpacked. Variables so
// tests can lower them.
var (
	maxDocxPartBytes  int64 = 256 << 20 // one part (document.xml)
	maxDocxTotalBytes int64 = 512 << 20 // all the parts read
	maxDocxRatio      int64 = 200       // unpacked size per packed byte, past 1 MB
)

// maxDocxFileBytes bounds the .docx file itself.
const maxDocxFileBytes = 1 << 30

// readDocx reads a Word document (.docx, Office Open XML): the body's
// paragraphs with headings marked, and title, creator and creation date
// from docProps/core.xml. Text in tracked deletions, field codes,
// footnotes, endnotes and comments is left out; text boxes are read once
// (Word stores a second copy for old readers, which is skipped).
func readDocx(r io.ReaderAt, size int64) (*document, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, data.Errorf(data.EInvalid, "not a Word document: a .docx file is a zip archive, and this one cannot be read as one (%v)", err)
	}
	z := &docxArchive{parts: map[string]*zip.File{}, budget: maxDocxTotalBytes}
	for _, f := range zr.File {
		z.parts[strings.ToLower(path.Clean(strings.ReplaceAll(f.Name, `\`, "/")))] = f
	}
	main := z.parts["word/document.xml"]
	if main == nil {
		return nil, data.Errorf(data.EInvalid, "not a Word document: no word/document.xml in the archive")
	}
	styles := map[string]bool{}
	if f := z.parts["word/styles.xml"]; f != nil {
		b, err := z.read(f)
		if err != nil {
			return nil, err
		}
		styles = docxHeadingStyles(b)
	}
	b, err := z.read(main)
	if err != nil {
		return nil, err
	}
	paras, err := docxParagraphs(b, styles)
	if err != nil {
		return nil, err
	}
	doc := &document{Paras: paras}
	if f := z.parts["docprops/core.xml"]; f != nil {
		b, err := z.read(f)
		if err != nil {
			return nil, err
		}
		doc.Title, doc.Author, doc.Created = docxCoreProps(b)
	}
	return doc, nil
}

// docxArchive is an opened .docx: its parts by lower-cased name and the
// unpacking budget left.
type docxArchive struct {
	parts  map[string]*zip.File
	budget int64
}

// read unpacks one part within the limits. Sizes are counted as the data
// arrives, since the sizes in zip headers are written by whoever made the
// file and may lie.
func (z *docxArchive) read(f *zip.File) ([]byte, error) {
	limit := min(maxDocxPartBytes, z.budget)
	bomb := func() error {
		return data.Errorf(data.EInvalid, "%s unpacks to more than %d MB (or %d times its packed size); refusing it as a likely zip bomb", f.Name, limit>>20, maxDocxRatio)
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, bomb()
	}
	rc, err := f.Open()
	if err != nil {
		return nil, data.Errorf(data.EInvalid, "%s cannot be unpacked (%v)", f.Name, err)
	}
	defer rc.Close()
	// The ratio check needs the packed size, which the header gives too;
	// a lie there makes the ratio stricter, not looser.
	if r := int64(f.CompressedSize64); r > 0 && maxDocxRatio*r+(1<<20) < limit {
		limit = maxDocxRatio*r + (1 << 20)
	}
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(b)) > limit {
		return nil, bomb()
	}
	if err != nil {
		return nil, data.Errorf(data.EInvalid, "%s is damaged (%v)", f.Name, err)
	}
	z.budget -= int64(len(b))
	return b, nil
}

// xmlTokens walks an XML part, refusing a document type declaration:
// Word never writes one, and it is how entity-expansion attacks start.
func xmlTokens(b []byte, name string, fn func(xml.Token) error) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return data.Errorf(data.EInvalid, "%s is not well-formed XML: %v", name, err)
		}
		if _, ok := tok.(xml.Directive); ok {
			return data.Errorf(data.EInvalid, "%s contains a DOCTYPE or entity declaration, which Word never writes; refusing the file", name)
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

// docxHeadingStyles returns the IDs of the paragraph styles that are
// headings: those named "heading N" or "Title" (Word's built-in names,
// the same in every language), or with an outline level.
func docxHeadingStyles(b []byte) map[string]bool {
	out := map[string]bool{}
	id := ""
	_ = xmlTokens(b, "word/styles.xml", func(tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		if !ok {
			return nil
		}
		switch se.Name.Local {
		case "style":
			id = attrLocal(se, "styleId")
		case "name":
			n := strings.ToLower(attrLocal(se, "val"))
			if id != "" && (strings.HasPrefix(n, "heading") || n == "title" || n == "subtitle") {
				out[id] = true
			}
		case "outlineLvl":
			if id != "" {
				out[id] = true
			}
		}
		return nil
	})
	return out
}

func attrLocal(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// docxSkipped are elements whose content is not body text: tracked
// deletions, field instructions, the copy of a drawing kept for old
// readers, and the places footnotes and comments hang from.
var docxSkipped = map[string]bool{
	"del": true, "delText": true, "instrText": true, "Fallback": true,
	"footnoteReference": true, "endnoteReference": true, "commentReference": true,
	"moveFrom": true,
}

// docxParagraphs reads the body's paragraphs. A line break inside a
// paragraph starts a new one: the exports that use them put one field per
// line.
func docxParagraphs(b []byte, headingStyles map[string]bool) ([]docPara, error) {
	var paras []docPara
	var cur strings.Builder
	heading := false
	skip := 0 // depth inside skipped elements
	inText := false
	endPara := func() {
		for _, l := range strings.Split(cur.String(), "\n") {
			paras = append(paras, docPara{Text: collapseSpace(l), Heading: heading})
		}
		cur.Reset()
		heading = false
	}
	err := xmlTokens(b, "word/document.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 || docxSkipped[t.Name.Local] {
				skip++
				return nil
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				cur.WriteByte('\t')
			case "br", "cr":
				if attrLocal(t, "type") != "page" {
					cur.WriteByte('\n')
				}
			case "pStyle":
				if headingStyles[attrLocal(t, "val")] {
					heading = true
				}
			case "outlineLvl":
				heading = true
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				return nil
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				endPara()
			}
		case xml.CharData:
			if inText && skip == 0 {
				cur.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return paras, nil
}

// docxCoreProps reads title, creator and creation date from
// docProps/core.xml.
func docxCoreProps(b []byte) (title, creator, created string) {
	field := ""
	_ = xmlTokens(b, "docProps/core.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			field = t.Name.Local
		case xml.EndElement:
			field = ""
		case xml.CharData:
			switch field {
			case "title":
				title += string(t)
			case "creator":
				creator += string(t)
			case "created":
				created += string(t)
			}
		}
		return nil
	})
	return cleanSpace(title), cleanSpace(creator), strings.TrimSpace(created)
}
