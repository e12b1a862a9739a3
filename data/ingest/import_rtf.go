package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/parallax-research/parallax/data"
)

// RTF is read by a small tokenizer of its own, written to the RTF 1.9.1
// specification. The Go libraries there are (judged from their
// documentation, December 2026) either strip markup rather than parse it
// (J45k4/rtf-go, unrulybuffalo/cat/rtftxt), parse a subset with only
// Windows-1252 for \'hh text (go-rtf/rtf), are untagged and unchanged for
// two years (aiq/go-rtf), or are days old with four releases in a week
// and a document model of their own (AOShei/go-fast-rtf): none is both
// complete enough for database exports (font character sets, double-byte
// code pages, \ucN) and settled enough to depend on.

// maxRTFDepth bounds group nesting; Word writes a few dozen levels, and a
// file nested deeper is broken or hostile.
const maxRTFDepth = 2000

// rtfDest says what the text of the current group is for.
type rtfDest uint8

const (
	destBody       rtfDest = iota
	destSkip               // a destination whose text is not body text
	destFontTable          // \fonttbl: font numbers and their character sets
	destStyleSheet         // \stylesheet: style numbers and names
	destTitle              // \info's \title
	destAuthor             // \info's \author
	destInfo               // the rest of \info
	destCreatim            // \info's \creatim: the creation date's numbers
)

// rtfState is the part of the reader's state that a group keeps: closing
// the group restores it.
type rtfState struct {
	dest    rtfDest
	uc      int  // characters to skip after \uN
	font    int  // current font, for its character set
	deleted bool // inside a tracked deletion
	style   int
}

// rtfSkipDests are destinations whose text is never article text:
// formatting tables, pictures and objects, running heads, notes and
// comments, field instructions, and the many tables Word adds.
var rtfSkipDests = map[string]bool{
	"colortbl": true, "pict": true, "object": true, "objdata": true, "header": true, "headerl": true,
	"headerr": true, "headerf": true, "footer": true, "footerl": true, "footerr": true, "footerf": true,
	"footnote": true, "annotation": true, "atnid": true, "atnauthor": true, "atndate": true, "atnref": true,
	"fldinst": true, "xe": true, "tc": true, "listtext": true, "pntext": true, "pntxta": true, "pntxtb": true,
	"listtable": true, "listoverridetable": true, "revtbl": true, "rsidtbl": true, "generator": true,
	"themedata": true, "colorschememapping": true, "latentstyles": true, "datastore": true,
	"xmlnstbl": true, "mmathPr": true, "bkmkstart": true, "bkmkend": true, "filetbl": true,
	"private": true, "nonshppict": true, "shpinst": true, "sp": true, "pgdsctbl": true, "protusertbl": true,
	"falt": true, "panose": true, "userprops": true, "docvar": true, "template": true, "wgrffmtfilter": true,
	"ftnsep": true, "ftnsepc": true, "aftnsep": true, "aftnsepc": true, "ftncn": true, "aftncn": true,
	"password": true, "operator": true, "doccomm": true, "hlinkbase": true, "category": true,
	"keywords": true, "comment": true, "subject": true, "manager": true, "company": true,
	"printim": true, "revtim": true, "buptim": true, "defchp": true, "defpap": true,
}

// rtfCharsets maps \fcharset numbers to Windows code pages.
var rtfCharsets = map[int]int{
	0: 1252, 161: 1253, 162: 1254, 163: 1258, 177: 1255, 178: 1256, 186: 1257,
	204: 1251, 222: 874, 238: 1250, 128: 932, 134: 936, 129: 949, 136: 950,
}

// codePage returns the decoder for a Windows code page, nil for unknown.
func codePage(cp int) encoding.Encoding {
	switch cp {
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 874:
		return charmap.Windows874
	case 932:
		return japanese.ShiftJIS
	case 936:
		return simplifiedchinese.GBK
	case 949:
		return korean.EUCKR
	case 950:
		return traditionalchinese.Big5
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1252:
		return charmap.Windows1252
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 10000:
		return charmap.Macintosh
	}
	return nil
}

// rtfReader turns RTF into paragraphs. It reads the file as a stream,
// so memory follows the text the document holds, not the size of its
// markup: pictures, tables and formatting pass through a small buffer.
type rtfReader struct {
	in    *bufio.Reader
	pos   int64 // bytes read, for messages
	err   error // a read error or a limit: stops the reading
	st    rtfState
	stack []rtfState

	ansiCP    int
	fontCP    map[int]int  // font number -> code page
	headings  map[int]bool // style numbers named "heading N" or "Title"
	styleName strings.Builder

	bytes []byte // \'hh and 8-bit bytes waiting to be decoded together
	para  strings.Builder
	head  bool // the paragraph's style is a heading
	paras paraList

	title, author strings.Builder
	created       [3]int // \creatim's year, month, day
	skipChars     int    // characters still to skip after \uN
}

// readRTF reads an RTF document: body paragraphs with headings marked, and
// title, author and creation date from \info. Text in footnotes, comments
// (annotations), headers and footers, field instructions, pictures and
// tracked deletions is left out.
func readRTF(b []byte) (*document, error) {
	return readRTFFrom(bytes.NewReader(b))
}

// readRTFFrom is readRTF reading from a stream.
func readRTFFrom(rd io.Reader) (*document, error) {
	in := bufio.NewReaderSize(rd, 64<<10)
	b, err := in.Peek(64)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("reading: %w", err)
	}
	if !strings.HasPrefix(strings.TrimLeft(string(b), " \t\r\n\uFEFF"), `{\rtf`) {
		return nil, data.Errorf(data.EInvalid, `not an RTF document (an RTF file starts with "{\rtf")`)
	}
	r := &rtfReader{in: in, ansiCP: 1252, fontCP: map[int]int{}, headings: map[int]bool{}, st: rtfState{uc: 1}}
	if err := r.run(); err != nil {
		return nil, err
	}
	if r.endPara(); r.err != nil {
		return nil, r.err
	}
	doc := &document{Paras: r.paras.paras, Title: cleanSpace(r.title.String()), Author: cleanSpace(r.author.String())}
	if y, m, d := r.created[0], r.created[1], r.created[2]; y > 0 && m > 0 && d > 0 {
		doc.Created = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	return doc, nil
}

// peek returns the next byte without consuming it; ok is false at the
// end of the file or on a read error, which it records.
func (r *rtfReader) peek() (c byte, ok bool) {
	b, err := r.in.Peek(1)
	if err != nil {
		if err != io.EOF && r.err == nil {
			r.err = fmt.Errorf("reading: %w", err)
		}
		return 0, false
	}
	return b[0], true
}

// skip consumes n bytes already peeked, or as many as there are.
func (r *rtfReader) skip(n int) {
	d, _ := r.in.Discard(n)
	r.pos += int64(d)
}

func (r *rtfReader) run() error {
	for r.err == nil {
		c, ok := r.peek()
		if !ok {
			break
		}
		switch c {
		case '{':
			r.flushBytes()
			if len(r.stack) >= maxRTFDepth {
				return data.Errorf(data.EInvalid, "RTF groups nested more than %d deep at byte %d; the file is damaged", maxRTFDepth, r.pos)
			}
			r.stack = append(r.stack, r.st)
			r.skipChars = 0
			r.skip(1)
			// {\*\dest ...}: a destination this reader does not know is
			// skipped whole, as the specification asks.
			if b, _ := r.in.Peek(2); string(b) == `\*` {
				r.skip(2)
				word := r.peekWord()
				if !rtfKnownStarred(word) {
					r.st.dest = destSkip
				}
			}
		case '}':
			r.flushBytes()
			if r.st.dest == destStyleSheet && len(r.stack) > 0 {
				r.endStyle()
			}
			if len(r.stack) == 0 {
				return nil // the end of the document; anything after is ignored
			}
			r.st = r.stack[len(r.stack)-1]
			r.stack = r.stack[:len(r.stack)-1]
			r.skipChars = 0
			r.skip(1)
		case '\\':
			if err := r.control(); err != nil {
				return err
			}
		case '\r', '\n':
			r.skip(1)
		default:
			r.skip(1)
			if r.skipChars > 0 {
				r.skipChars--
				continue
			}
			r.byte(c)
		}
	}
	// A file that ends with groups open is kept: Word refuses such
	// files, but the text read so far is still the text.
	return r.err
}

// rtfKnownStarred reports starred destinations whose text matters.
func rtfKnownStarred(word string) bool {
	return word == "fldrslt" || word == "shptxt"
}

// peekWord returns the letters of the control word next in the file,
// without consuming it.
func (r *rtfReader) peekWord() string {
	b, _ := r.in.Peek(33)
	if len(b) == 0 || b[0] != '\\' {
		return ""
	}
	n := 1
	for n < len(b) && isASCIILetter(b[n]) {
		n++
	}
	return string(b[1:n])
}

// readWord reads a control word's letters and number after the backslash,
// and the space that may end it.
func (r *rtfReader) readWord() (word string, param int, hasParam bool) {
	var buf [32]byte
	w := buf[:0]
	for c, ok := r.peek(); ok && isASCIILetter(c) && len(w) < 32; c, ok = r.peek() {
		w = append(w, c)
		r.skip(1)
	}
	word = string(w)
	var num [12]byte
	d := num[:0]
	if c, ok := r.peek(); ok && c == '-' {
		d = append(d, c)
		r.skip(1)
	}
	for c, ok := r.peek(); ok && c >= '0' && c <= '9' && len(d) < 11; c, ok = r.peek() {
		d = append(d, c)
		r.skip(1)
	}
	if len(d) > 0 {
		n, err := strconv.Atoi(string(d))
		if err == nil {
			param, hasParam = n, true
		}
	}
	if c, ok := r.peek(); ok && c == ' ' {
		r.skip(1)
	}
	return word, param, hasParam
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// control handles a backslash sequence.
func (r *rtfReader) control() error {
	r.skip(1) // the backslash
	c, ok := r.peek()
	if !ok {
		return nil
	}
	if !isASCIILetter(c) {
		r.skip(1)
		if r.skipChars > 0 && c != '\'' {
			r.skipChars--
			return nil
		}
		switch c {
		case '\'':
			b, _ := r.in.Peek(2)
			if len(b) < 2 {
				return nil
			}
			v, err := strconv.ParseUint(string(b), 16, 8)
			r.skip(2)
			if err != nil {
				return nil
			}
			if r.skipChars > 0 {
				r.skipChars--
				return nil
			}
			r.byte(byte(v))
		case '\\', '{', '}':
			r.byte(c)
		case '~':
			r.text("\u00A0")
		case '_':
			r.text("\u2011")
		case '-': // an optional hyphen: no text
		case '\r', '\n':
			r.endPara()
		case '*':
		}
		return nil
	}
	word, param, hasParam := r.readWord()
	if r.skipChars > 0 {
		r.skipChars--
		return nil
	}
	switch word {
	// Destinations.
	case "fonttbl":
		r.st.dest = destFontTable
	case "stylesheet":
		r.st.dest = destStyleSheet
	case "info":
		r.st.dest = destInfo
	case "title":
		if r.st.dest == destInfo {
			r.st.dest = destTitle
		}
	case "author":
		if r.st.dest == destInfo {
			r.st.dest = destAuthor
		}
	case "creatim":
		if r.st.dest == destInfo {
			r.st.dest = destCreatim
		}
	case "yr", "mo", "dy":
		if r.st.dest == destCreatim {
			r.created[strings.Index("yrmody", word)/2] = param
		}
	case "bin":
		r.flushBytes()
		if hasParam && param > 0 {
			r.skip(param)
		}
	// Character sets.
	case "ansicpg":
		if codePage(param) != nil {
			r.ansiCP = param
		}
	case "f":
		r.flushBytes()
		r.st.font = param
	case "fcharset":
		if cp, ok := rtfCharsets[param]; ok && r.st.dest == destFontTable {
			r.fontCP[r.st.font] = cp
		}
	case "cpg":
		if codePage(param) != nil && r.st.dest == destFontTable {
			r.fontCP[r.st.font] = param
		}
	case "uc":
		r.st.uc = max(0, param)
	case "u":
		if !hasParam {
			return nil
		}
		if param < 0 {
			param += 65536
		}
		r.rune(rune(param))
		r.skipChars = r.st.uc
	// Paragraphs and styles.
	case "par", "sect", "page", "row":
		r.endPara()
	case "line":
		r.endPara()
	case "pard":
		r.st.style = 0
		r.head = false
	case "s":
		r.st.style = param
		if r.st.dest == destBody && r.headings[param] {
			r.head = true
		}
	case "outlinelevel":
		if r.st.dest == destBody && param < 9 {
			r.head = true
		}
	case "deleted":
		r.st.deleted = !hasParam || param != 0
	// Special characters.
	case "tab", "cell":
		r.text("\t")
	case "emdash":
		r.text("—")
	case "endash":
		r.text("–")
	case "lquote":
		r.text("‘")
	case "rquote":
		r.text("’")
	case "ldblquote":
		r.text("“")
	case "rdblquote":
		r.text("”")
	case "bullet":
		r.text("•")
	case "emspace", "enspace", "qmspace":
		r.text(" ")
	default:
		if rtfSkipDests[word] {
			r.st.dest = destSkip
		}
	}
	return nil
}

// byte takes one byte of text in the current code page.
func (r *rtfReader) byte(c byte) {
	if c < 0x80 {
		r.flushBytes()
		r.text(string(rune(c)))
		return
	}
	if r.st.deleted || !r.keeps() {
		return // text no one reads is not buffered
	}
	r.bytes = append(r.bytes, c)
}

// keeps reports whether the current destination's text is read.
func (r *rtfReader) keeps() bool {
	switch r.st.dest {
	case destBody, destTitle, destAuthor, destStyleSheet:
		return true
	}
	return false
}

// flushBytes decodes the pending bytes with the current font's code page,
// together, so double-byte code pages see both bytes of a character.
func (r *rtfReader) flushBytes() {
	if len(r.bytes) == 0 {
		return
	}
	cp := r.ansiCP
	if fcp, ok := r.fontCP[r.st.font]; ok {
		cp = fcp
	}
	enc := codePage(cp)
	if enc == nil {
		enc = charmap.Windows1252
	}
	out, err := enc.NewDecoder().Bytes(r.bytes)
	r.bytes = r.bytes[:0]
	if err != nil || !utf8.Valid(out) {
		out = []byte("\uFFFD")
	}
	r.write(string(out))
}

func (r *rtfReader) rune(c rune) {
	r.flushBytes()
	r.text(string(c))
}

// text adds decoded text to wherever the current destination sends it.
func (r *rtfReader) text(s string) {
	r.flushBytes()
	r.write(s)
}

func (r *rtfReader) write(s string) {
	if r.st.deleted {
		return
	}
	// Properties and style names are short; what is past any real one
	// is dropped rather than kept. No paragraph of an article is longer
	// than an article.
	small := func(b *strings.Builder) {
		if b.Len() < maxRTFPropBytes {
			b.WriteString(s)
		}
	}
	switch r.st.dest {
	case destBody:
		if r.para.Len()+len(s) > data.MaxArticleBytes {
			if r.err == nil {
				r.err = data.Errorf(data.EInvalid, "a paragraph longer than the %d MB per-article limit at byte %d; refusing the file", data.MaxArticleBytes>>20, r.pos)
			}
			return
		}
		r.para.WriteString(s)
	case destTitle:
		small(&r.title)
	case destAuthor:
		small(&r.author)
	case destStyleSheet:
		small(&r.styleName)
	}
}

// maxRTFPropBytes bounds the title, the author and a style's name.
const maxRTFPropBytes = 64 << 10

// endStyle records a stylesheet entry when its group closes: the style's
// number and whether its name makes it a heading.
func (r *rtfReader) endStyle() {
	name := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(r.styleName.String()), ";")))
	r.styleName.Reset()
	if strings.HasPrefix(name, "heading") || name == "title" {
		r.headings[r.st.style] = true
	}
}

func (r *rtfReader) endPara() {
	r.flushBytes()
	if err := r.paras.add(collapseSpace(r.para.String()), r.head); err != nil && r.err == nil {
		r.err = err
	}
	r.para.Reset()
}
