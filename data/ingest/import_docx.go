package ingest

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
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

// maxDocxPropBytes bounds the document properties read, together.
const maxDocxPropBytes = 64 << 10

// maxDocxFileBytes bounds the .docx file itself.
const maxDocxFileBytes = 1 << 30

// readDocx reads a Word document (.docx, Office Open XML): the body's
// paragraphs with headings marked, and title, creator and creation date
// from docProps/core.xml. Text in tracked deletions, field codes,
// footnotes, endnotes and comments is left out; text boxes are read once
// (Word stores a second copy for old readers, which is skipped).
//
// Each part is decoded as it is unpacked, through a docxFilter, so memory
// follows the text the document holds rather than the size of its XML.
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
		if err := z.read(f, func(x *docxFilter) error {
			styles = docxHeadingStyles(x)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	var paras []docPara
	if err := z.read(main, func(x *docxFilter) (err error) {
		paras, err = docxParagraphs(x, styles)
		return err
	}); err != nil {
		return nil, err
	}
	doc := &document{Paras: paras}
	if f := z.parts["docprops/core.xml"]; f != nil {
		if err := z.read(f, func(x *docxFilter) error {
			doc.Title, doc.Author, doc.Created = docxCoreProps(x)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// docxArchive is an opened .docx: its parts by lower-cased name and the
// unpacking budget left.
type docxArchive struct {
	parts  map[string]*zip.File
	budget int64
}

// read unpacks one part within the limits, handing it to fn as it is
// unpacked. Sizes are counted as the data arrives, since the sizes in zip
// headers are written by whoever made the file and may lie. An error of
// the unpacking (a bomb, damage) wins over what fn made of the part cut
// short.
func (z *docxArchive) read(f *zip.File, fn func(*docxFilter) error) error {
	limit := min(maxDocxPartBytes, z.budget)
	bomb := func() error {
		return data.Errorf(data.EInvalid, "%s unpacks to more than %d MB (or %d times its packed size); refusing it as a likely zip bomb", f.Name, limit>>20, maxDocxRatio)
	}
	if f.UncompressedSize64 > uint64(limit) {
		return bomb()
	}
	rc, err := f.Open()
	if err != nil {
		return data.Errorf(data.EInvalid, "%s cannot be unpacked (%v)", f.Name, err)
	}
	defer rc.Close()
	// The ratio check needs the packed size, which the header gives too;
	// a lie there makes the ratio stricter, not looser.
	if r := int64(f.CompressedSize64); r > 0 && maxDocxRatio*r+(1<<20) < limit {
		limit = maxDocxRatio*r + (1 << 20)
	}
	x := newDocxFilter(rc, f.Name, limit, bomb)
	err = fn(x)
	if x.err != nil && x.err != io.EOF {
		return x.err
	}
	if err != nil {
		return err
	}
	z.budget -= x.n
	return nil
}

// xmlTokens walks an XML part, refusing a document type declaration:
// Word never writes one, and it is how entity-expansion attacks start.
func xmlTokens(x *docxFilter, fn func(xml.Token) error) error {
	dec := xml.NewDecoder(x)
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if x.err != nil && x.err != io.EOF {
			return x.err // the filter's own: the Decoder stopped on it
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return data.Errorf(data.EInvalid, "%s is not well-formed XML: %v", x.name, err)
		}
		if _, ok := tok.(xml.Directive); ok {
			return data.Errorf(data.EInvalid, "%s contains a DOCTYPE or entity declaration, which Word never writes; refusing the file", x.name)
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

// docxHeadingStyles returns the IDs of the paragraph styles that are
// headings: those named "heading N" or "Title" (Word's built-in names,
// the same in every language), or with an outline level.
func docxHeadingStyles(x *docxFilter) map[string]bool {
	out := map[string]bool{}
	id := ""
	_ = xmlTokens(x, func(tok xml.Token) error {
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
func docxParagraphs(x *docxFilter, headingStyles map[string]bool) ([]docPara, error) {
	var paras paraList
	var cur strings.Builder
	heading := false
	skip := 0 // depth inside skipped elements
	inText := false
	endPara := func() error {
		for _, l := range strings.Split(cur.String(), "\n") {
			if err := paras.add(collapseSpace(l), heading); err != nil {
				return fmt.Errorf("%s: %w", x.name, err)
			}
		}
		cur.Reset()
		heading = false
		return nil
	}
	err := xmlTokens(x, func(tok xml.Token) error {
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
				return endPara()
			}
		case xml.CharData:
			if inText && skip == 0 {
				// No paragraph of an article is longer than an article.
				if cur.Len()+len(t) > data.MaxArticleBytes {
					return data.Errorf(data.EInvalid, "%s: a paragraph longer than the %d MB per-article limit; refusing the file", x.name, data.MaxArticleBytes>>20)
				}
				cur.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return paras.paras, nil
}

// docxCoreProps reads title, creator and creation date from
// docProps/core.xml.
func docxCoreProps(x *docxFilter) (title, creator, created string) {
	field := ""
	_ = xmlTokens(x, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			field = t.Name.Local
		case xml.EndElement:
			field = ""
		case xml.CharData:
			if len(title)+len(creator)+len(created) > maxDocxPropBytes {
				return nil // a property repeated or padded past any real one
			}
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

// Limits on the XML of one part, checked by docxFilter.
const (
	// maxDocxTagBytes bounds one tag with its attributes; Word's are a
	// few revision IDs and properties.
	maxDocxTagBytes = 1 << 20
	// maxDocxTextRun bounds one run of text between two tags: the
	// per-article limit, with room for escapes (&amp; is five bytes for
	// one).
	maxDocxTextRun = 2 * data.MaxArticleBytes
	// maxDocxSpaceRun is how much of a run of white space is passed on.
	// Every reader of the text collapses such runs, so the rest of a long
	// one changes nothing but the memory it takes.
	maxDocxSpaceRun = 64
)

// docxFilter stands between an unpacked part and encoding/xml's Decoder,
// which holds a whole text node, comment or tag in memory before
// returning it. The filter makes sure none of them is large: it counts
// the bytes unpacked against the part's limit as they arrive, drops
// comments, shortens runs of white space to maxDocxSpaceRun bytes, and
// refuses a tag or a run of text over its bound.
type docxFilter struct {
	src   *bufio.Reader
	name  string // the part, for messages
	limit int64
	bomb  func() error
	n     int64 // bytes unpacked so far
	err   error // sticky; io.EOF at the end

	state  docxState
	quote  byte    // the quote a tag's attribute value is in, or 0
	end    string  // what ends a comment, CDATA section or instruction
	last   [3]byte // the last bytes of a comment, section or instruction
	spaces int     // white space in the current run of text
	run    int     // bytes of the current run of text, or of the tag
}

type docxState uint8

const (
	docxText    docxState = iota
	docxTag               // inside <...>
	docxComment           // inside <!-- ... -->, dropped
	docxSection           // inside <![CDATA[ ... ]]> or <? ... ?>, passed on
)

func newDocxFilter(r io.Reader, name string, limit int64, bomb func() error) *docxFilter {
	return &docxFilter{src: bufio.NewReaderSize(r, 64<<10), name: name, limit: limit, bomb: bomb}
}

// Read gives the Decoder the part's next bytes, filtered.
func (x *docxFilter) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && x.err == nil {
		c, err := x.src.ReadByte()
		if err != nil {
			if err != io.EOF {
				err = data.Errorf(data.EInvalid, "%s is damaged (%v)", x.name, err)
			}
			x.err = err
			break
		}
		if x.n++; x.n > x.limit {
			x.err = x.bomb()
			break
		}
		keep, err := x.step(c)
		if err != nil {
			x.err = err
			break
		}
		if keep {
			p[n] = c
			n++
		}
	}
	if n > 0 {
		return n, nil
	}
	return 0, x.err
}

// step reads one byte and reports whether the Decoder is to see it.
func (x *docxFilter) step(c byte) (bool, error) {
	switch x.state {
	case docxText:
		switch c {
		case '<':
			x.spaces, x.run = 0, 0
			// A comment is dropped whole; its "<!--" is still in the
			// buffer, unread.
			if b, _ := x.src.Peek(3); string(b) == "!--" {
				x.src.Discard(3)
				x.n += 3
				x.state, x.end, x.last = docxComment, "-->", [3]byte{}
				return false, nil
			}
			if b, _ := x.src.Peek(8); string(b) == "![CDATA[" {
				x.state, x.end, x.last = docxSection, "]]>", [3]byte{}
				return true, nil
			}
			if b, _ := x.src.Peek(1); string(b) == "?" {
				x.state, x.end, x.last = docxSection, "?>", [3]byte{}
				return true, nil
			}
			x.state, x.quote = docxTag, 0
			return true, nil
		case ' ', '\t', '\n', '\r':
			x.spaces++
			return x.spaces <= maxDocxSpaceRun, nil
		}
		x.spaces = 0
		return true, x.text()
	case docxTag:
		if x.run++; x.run > maxDocxTagBytes {
			return false, data.Errorf(data.EInvalid, "%s: a tag longer than %d MB; refusing the file", x.name, maxDocxTagBytes>>20)
		}
		switch {
		case x.quote != 0:
			if c == x.quote {
				x.quote = 0
			}
		case c == '"' || c == '\'':
			x.quote = c
		case c == '>':
			x.state, x.run = docxText, 0
		}
		return true, nil
	}
	// A comment, CDATA section or processing instruction, up to its end.
	x.last = [3]byte{x.last[1], x.last[2], c}
	if string(x.last[3-len(x.end):]) == x.end {
		keep := x.state == docxSection
		x.state, x.run = docxText, 0
		return keep, nil
	}
	if x.state == docxComment {
		return false, nil
	}
	return true, x.text()
}

// text counts a byte of text against the bound on one run.
func (x *docxFilter) text() error {
	if x.run++; x.run > maxDocxTextRun {
		return data.Errorf(data.EInvalid, "%s: a run of text longer than %d MB; refusing the file", x.name, maxDocxTextRun>>20)
	}
	return nil
}
