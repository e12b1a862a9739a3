package refi

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
)

// A project document is read as a stream: xmlFilter stands between the
// decompressed bytes and encoding/xml's Decoder, so that memory follows
// what the file holds, not how far it expands. The Decoder keeps a whole
// text node, comment or tag in memory before returning it; the filter
// makes sure none of them is large:
//
//   - Text is passed on only inside the elements whose text the importer
//     reads (textElements), at most maxTextBytes of it in one run. The
//     rest (white space between elements, mostly) is checked and dropped.
//   - Comments are checked and dropped; a tag may hold at most
//     maxTagBytes; elements nest at most maxXMLDepth deep.
//   - It checks what Read promises of the document as it goes: UTF-8
//     throughout, no DOCTYPE or other declaration, and the archive's
//     decompression budget.
//
// The Decoder reads it through ReadByte and so does no buffering of its
// own: the filter's line count is the Decoder's position.

// maxTextBytes bounds one run of text: the per-article limit, with room
// for escapes (&amp; is five bytes for one). A variable so tests can lower
// it.
var maxTextBytes = 2 * data.MaxArticleBytes

const (
	// maxTagBytes bounds one tag with its attributes; QDA-XML's are a
	// few GUIDs, dates and a name.
	maxTagBytes = 1 << 20
	// maxXMLDepth bounds nesting: a codebook is the deepest part of a
	// project, a code tree a few levels deep.
	maxXMLDepth = 1000
	// maxEntityBytes bounds a character reference (&#x1F389;).
	maxEntityBytes = 32
)

// textElements are the elements whose text the importer reads.
var textElements = map[string]bool{
	"Description": true, "PlainTextContent": true,
	"TextValue": true, "BooleanValue": true, "IntegerValue": true, "FloatValue": true, "DateValue": true, "DateTimeValue": true,
}

// xmlFilter reads an XML document for the Decoder (see above).
type xmlFilter struct {
	src   *bufio.Reader
	entry string
	// limit is how many bytes may be read; tooBig makes the error for
	// more; damaged maps an error of the underlying reader.
	limit   int64
	tooBig  func() error
	damaged func(error) error
	n       int64 // bytes read so far
	line    int

	// UTF-8: continuation bytes still due, and the range of the next.
	need   int
	lo, hi byte

	out []byte // queued for the Decoder
	pos int
	err error // sticky: returned once out is drained

	started bool
	open    []bool // each open element: is its text read?
	run     int    // bytes of text passed on since the last tag
}

func newXMLFilter(r io.Reader, entry string, limit int64, tooBig func() error, damaged func(error) error) *xmlFilter {
	return &xmlFilter{src: bufio.NewReaderSize(r, 64<<10), entry: entry, limit: limit, tooBig: tooBig, damaged: damaged,
		line: 1, lo: 0x80, hi: 0xBF}
}

// ReadByte gives the Decoder its next byte.
func (f *xmlFilter) ReadByte() (byte, error) {
	for f.pos == len(f.out) {
		if f.err != nil {
			return 0, f.err
		}
		f.out, f.pos = f.out[:0], 0
		f.err = f.step()
	}
	c := f.out[f.pos]
	f.pos++
	return c, nil
}

// Read is ReadByte for callers that read blocks.
func (f *xmlFilter) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c, err := f.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		p[n] = c
		n++
	}
	return n, nil
}

// failed is the filter's own error, if reading stopped on one.
func (f *xmlFilter) failed() error {
	if f.err == nil || f.err == io.EOF {
		return nil
	}
	return f.err
}

// xmlError explains an error of the Decoder reading through f: the
// filter's own, or the Decoder's with the line it is at. what says what
// the document failed to be.
func (f *xmlFilter) xmlError(err error, what string) error {
	if ferr := f.failed(); ferr != nil {
		return ferr
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		// The Decoder's own count misses the lines of text the filter
		// dropped.
		err = fmt.Errorf("XML syntax error on line %d: %s", f.line, se.Msg)
	}
	return data.Errorf(data.EInvalid, "%s: %s: %v", f.entry, what, err)
}

func (f *xmlFilter) syntax(format string, args ...any) error {
	return data.Errorf(data.EInvalid, "%s: not well-formed XML: XML syntax error on line %d: %s", f.entry, f.line, fmt.Sprintf(format, args...))
}

func (f *xmlFilter) invalidUTF8() error {
	return data.Errorf(data.EInvalid, "%s: not valid UTF-8 (QDA-XML documents must be UTF-8)", f.entry)
}

// next reads one byte of the document, checking UTF-8 and the limit.
func (f *xmlFilter) next() (byte, error) {
	c, err := f.src.ReadByte()
	if err != nil {
		switch {
		case err == io.EOF && f.need > 0:
			return 0, f.invalidUTF8()
		case err == io.EOF:
			return 0, io.EOF
		}
		return 0, f.damaged(err)
	}
	if f.n++; f.n > f.limit {
		return 0, f.tooBig()
	}
	if f.need > 0 {
		if c < f.lo || c > f.hi {
			return 0, f.invalidUTF8()
		}
		f.need, f.lo, f.hi = f.need-1, 0x80, 0xBF
		return c, nil
	}
	switch {
	case c == '\n':
		f.line++
	case c < 0x80:
	case c >= 0xC2 && c <= 0xDF:
		f.need = 1
	case c == 0xE0:
		f.need, f.lo = 2, 0xA0 // no overlong forms
	case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
		f.need = 2
	case c == 0xED:
		f.need, f.hi = 2, 0x9F // no surrogates
	case c == 0xF0:
		f.need, f.lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		f.need = 3
	case c == 0xF4:
		f.need, f.hi = 3, 0x8F // nothing past U+10FFFF
	default:
		return 0, f.invalidUTF8()
	}
	return c, nil
}

// nextIn reads the next byte inside markup, where the document may not
// end.
func (f *xmlFilter) nextIn() (byte, error) {
	c, err := f.next()
	if err == io.EOF {
		return 0, f.syntax("unexpected EOF")
	}
	return c, err
}

// skipPrefix consumes p if the document continues with it.
func (f *xmlFilter) skipPrefix(p string) (bool, error) {
	b, _ := f.src.Peek(len(p))
	if string(b) != p {
		return false, nil
	}
	for range len(p) {
		if _, err := f.next(); err != nil {
			return false, err
		}
	}
	return true, nil
}

// step reads what comes next and queues what the Decoder is to see.
func (f *xmlFilter) step() error {
	if !f.started {
		f.started = true
		if _, err := f.skipPrefix("\uFEFF"); err != nil { // a byte-order mark
			return err
		}
	}
	if !f.keeping() {
		f.skipRun(false)
	}
	c, err := f.next()
	if err != nil {
		return err
	}
	if c == '<' {
		return f.markup()
	}
	return f.text(c)
}

// keeping reports whether the text at this point is passed on.
func (f *xmlFilter) keeping() bool {
	return len(f.open) > 0 && f.open[len(f.open)-1]
}

// pass queues text, within the bound on one run.
func (f *xmlFilter) pass(b ...byte) error {
	if f.run += len(b); f.run > maxTextBytes {
		return data.Errorf(data.EInvalid, "%s, line %d: an element's text is longer than %d MB; refusing the file", f.entry, f.line, maxTextBytes>>20)
	}
	f.out = append(f.out, b...)
	return nil
}

func (f *xmlFilter) text(c byte) error {
	switch {
	case c == '&':
		ref, err := f.reference()
		if err != nil || !f.keeping() {
			return err
		}
		return f.pass(ref...)
	case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
		return f.syntax("illegal character code U+%04X", c)
	case !f.keeping():
		return nil
	}
	return f.pass(c)
}

// reference reads an entity or character reference after its '&' and
// returns it whole. Only XML's five entities exist in QDA-XML (a
// document declares none).
func (f *xmlFilter) reference() ([]byte, error) {
	ref := []byte{'&'}
	for {
		c, err := f.nextIn()
		if err != nil {
			return nil, err
		}
		ref = append(ref, c)
		if c == ';' {
			break
		}
		name := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '#'
		if !name || len(ref) > maxEntityBytes {
			return nil, f.syntax("invalid character entity %s (no semicolon)", ref[:len(ref)-1])
		}
	}
	name := string(ref[1 : len(ref)-1])
	switch name {
	case "amp", "lt", "gt", "apos", "quot":
		return ref, nil
	}
	digits, hex := name, false
	if len(name) > 1 && name[0] == '#' {
		digits, hex = name[1:], len(name) > 2 && (name[1] == 'x')
		if hex {
			digits = name[2:]
		}
		ok := digits != ""
		for _, d := range []byte(digits) {
			ok = ok && ('0' <= d && d <= '9' || hex && ('a' <= d && d <= 'f' || 'A' <= d && d <= 'F'))
		}
		if ok {
			return ref, nil
		}
	}
	return nil, f.syntax("invalid character entity %s", ref)
}

// markup reads what follows a '<'.
func (f *xmlFilter) markup() error {
	for _, m := range []struct {
		prefix string
		read   func() error
	}{{"!--", f.comment}, {"![CDATA[", f.cdata}, {"!", f.declaration}, {"?", f.instruction}} {
		ok, err := f.skipPrefix(m.prefix)
		if err != nil {
			return err
		}
		if ok {
			return m.read()
		}
	}
	return f.tag()
}

// until reads up to and including the first occurrence of end (at most
// eight bytes), giving each byte read to each (which may be nil).
func (f *xmlFilter) until(end string, each func(byte) error) error {
	var win [8]byte // the last bytes read
	n := 0
	for {
		c, err := f.nextIn()
		if err != nil {
			return err
		}
		if n < len(end) {
			win[n] = c
			n++
		} else {
			copy(win[:], win[1:n])
			win[n-1] = c
		}
		if each != nil {
			if err := each(c); err != nil {
				return err
			}
		}
		if string(win[:n]) == end {
			return nil
		}
	}
}

// comment drops a comment, checking it as the Decoder would.
func (f *xmlFilter) comment() error {
	dashes := 0
	for {
		if dashes == 0 {
			f.skipRun(true)
		}
		c, err := f.nextIn()
		if err != nil {
			return err
		}
		switch {
		case c == '>' && dashes >= 2:
			return nil
		case dashes >= 2:
			return f.syntax(`invalid sequence "--" not allowed in comments`)
		case c == '-':
			dashes++
		default:
			dashes = 0
		}
	}
}

// skipRun drops the buffered bytes up to the next one that needs a look
// (in a comment a '-', in text '<', '&' or a control character) when
// they are whole UTF-8 characters, and returns how many it dropped: long
// runs (white space between elements, a comment) then cost a scan rather
// than a step each. The byte-by-byte path takes over from where it stops.
func (f *xmlFilter) skipRun(comment bool) int {
	if f.need > 0 {
		return 0
	}
	buf, _ := f.src.Peek(f.src.Buffered())
	buf = buf[:min(int64(len(buf)), max(f.limit-f.n, 0))]
	i := len(buf)
	if comment {
		if j := bytes.IndexByte(buf, '-'); j >= 0 {
			i = j
		}
	} else {
		for j, c := range buf {
			if c == '<' || c == '&' || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				i = j
				break
			}
		}
	}
	// A character cut by the end of the buffer is left for next.
	for j := i - 1; j >= max(0, i-utf8.UTFMax); j-- {
		if utf8.RuneStart(buf[j]) {
			if !utf8.FullRune(buf[j:i]) {
				i = j
			}
			break
		}
	}
	run := buf[:i]
	if i == 0 || !utf8.Valid(run) {
		return 0 // next finds the invalid byte
	}
	f.line += bytes.Count(run, []byte{'\n'})
	f.n += int64(i)
	f.src.Discard(i)
	return i
}

// cdata passes a CDATA section on as text where text is read, and drops
// it elsewhere.
func (f *xmlFilter) cdata() error {
	keep := f.keeping()
	if keep {
		f.out = append(f.out, "<![CDATA["...)
	}
	return f.until("]]>", func(c byte) error {
		if keep {
			return f.pass(c)
		}
		return nil
	})
}

// declaration refuses a <!DOCTYPE …> or any other declaration:
// encoding/xml expands no external entities, but a DOCTYPE has no business
// in QDA-XML and is how entity attacks start, so it is refused outright
// rather than trusted to be harmless.
func (f *xmlFilter) declaration() error {
	var d []byte
	for len(d) < 64 {
		c, err := f.next()
		if err != nil || c == '>' {
			break
		}
		d = append(d, c)
	}
	return data.Errorf(data.EInvalid, "%s: contains a declaration (<!%s>); DOCTYPE and entity declarations are not allowed in QDA-XML and are refused",
		f.entry, refiExcerpt(string(bytes.ToValidUTF8(d, nil)), 20))
}

// instruction passes a processing instruction on (the XML declaration
// names the encoding, which the Decoder checks).
func (f *xmlFilter) instruction() error {
	f.out = append(f.out, '<', '?')
	n := 2
	return f.until("?>", func(c byte) error {
		if n++; n > maxTagBytes {
			return data.Errorf(data.EInvalid, "%s, line %d: a processing instruction longer than %d MB; refusing the file", f.entry, f.line, maxTagBytes>>20)
		}
		f.out = append(f.out, c)
		return nil
	})
}

// tag passes a start or end tag on, keeping track of which elements are
// open.
func (f *xmlFilter) tag() error {
	f.run = 0
	f.out = append(f.out, '<')
	start := len(f.out)
	var quote byte
	// ended reads c, and reports whether it ends the tag.
	ended := func(c byte) bool {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return true
		}
		return false
	}
	for done := false; !done; {
		// Most of a tag is ASCII already in the buffer: it is copied in
		// one go, up to a byte next must see (a line end, a character
		// of more than one byte).
		if f.need == 0 {
			buf, _ := f.src.Peek(f.src.Buffered())
			buf = buf[:min(int64(len(buf)), max(f.limit-f.n, 0))]
			j := 0
			for j < len(buf) && !done && buf[j] < 0x80 && buf[j] != '\n' {
				done = ended(buf[j])
				j++
			}
			f.out = append(f.out, buf[:j]...)
			f.n += int64(j)
			f.src.Discard(j)
		}
		if !done {
			c, err := f.nextIn()
			if err != nil {
				return err
			}
			f.out = append(f.out, c)
			done = ended(c)
		}
		if len(f.out)-start > maxTagBytes {
			return data.Errorf(data.EInvalid, "%s, line %d: a tag longer than %d MB; refusing the file", f.entry, f.line, maxTagBytes>>20)
		}
	}
	t := f.out[start : len(f.out)-1]
	if len(t) > 0 && t[0] == '/' {
		if len(f.open) > 0 {
			f.open = f.open[:len(f.open)-1]
		}
		return nil
	}
	if len(t) > 0 && t[len(t)-1] == '/' {
		return nil // <Empty/>
	}
	if len(f.open) >= maxXMLDepth {
		return data.Errorf(data.EInvalid, "%s, line %d: elements nested more than %d deep; refusing the file", f.entry, f.line, maxXMLDepth)
	}
	name := t
	if i := bytes.IndexAny(name, " \t\r\n"); i >= 0 {
		name = name[:i]
	}
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	f.open = append(f.open, textElements[string(name)])
	return nil
}
