package ingest

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/parallax-research/parallax/data"
)

// DecodeText turns the bytes of a text file into a string, guessing the
// encoding the way a researcher's files actually arrive: saved from a
// browser (UTF-8), from Notepad (UTF-16 or UTF-8 with a byte-order mark) or
// from an older Windows program (Windows-1252).
//
// The rule, in order:
//
//   - A byte-order mark decides: UTF-8, UTF-16 LE or UTF-16 BE. The mark is
//     dropped. UTF-8 after a UTF-8 mark must be valid.
//   - Valid UTF-8 is taken as is.
//   - Otherwise the bytes are read as Windows-1252, but only if they are
//     plausible Windows-1252. Bytes that also hold at least one well-formed
//     multi-byte UTF-8 sequence are UTF-8 damaged in transit, not
//     Windows-1252 (guessing would turn "café" into "cafÃ©" silently), so
//     they are rejected with the line of the first bad byte. So are bytes
//     Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
//
// After decoding, text with a NUL, or in which more than 1 in 20 characters
// is a C0 control character other than tab, line feed, carriage return and
// form feed, is rejected as binary: it is an image, a word-processor file or
// a database renamed .txt, and importing it would fill the project with
// noise. Text that is empty or only white space is rejected too.
//
// Errors are *Error with code EInvalid. Their messages do not name the file;
// the caller knows it and prefixes it.
func DecodeText(b []byte) (string, error) {
	var s string
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
		if !utf8.Valid(b) {
			return "", errInvalidUTF8(b)
		}
		s = string(b)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		d, err := decodeUTF16(b, xunicode.LittleEndian)
		if err != nil {
			return "", err
		}
		s = d
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		d, err := decodeUTF16(b, xunicode.BigEndian)
		if err != nil {
			return "", err
		}
		s = d
	case utf8.Valid(b):
		s = string(b)
	default:
		d, err := decodeWindows1252(b)
		if err != nil {
			return "", err
		}
		s = d
	}
	if err := checkText(s); err != nil {
		return "", err
	}
	return s, nil
}

func decodeUTF16(b []byte, order xunicode.Endianness) (string, error) {
	// Unpaired surrogates become U+FFFD rather than an error: a damaged
	// character is visible in the reader, a refused file is not fixable.
	out, err := xunicode.UTF16(order, xunicode.ExpectBOM).NewDecoder().Bytes(b)
	if err != nil {
		return "", data.Errorf(data.EInvalid, "invalid UTF-16: %v", err)
	}
	return string(out), nil
}

// decodeWindows1252 decodes b, which is not valid UTF-8, as Windows-1252 if
// that is plausible (see DecodeText).
func decodeWindows1252(b []byte) (string, error) {
	if hasMultiByteUTF8(b) {
		return "", errInvalidUTF8(b)
	}
	for i, c := range b {
		switch c {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			return "", data.Errorf(data.EInvalid, "invalid UTF-8 at line %d, and not Windows-1252 either (byte 0x%02X)", lineAt(b, i), c)
		}
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return "", data.Errorf(data.EInvalid, "invalid Windows-1252: %v", err)
	}
	return string(out), nil
}

// hasMultiByteUTF8 reports whether b contains at least one well-formed UTF-8
// sequence of two or more bytes.
func hasMultiByteUTF8(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || n > 1 {
			return true
		}
		i++
	}
	return false
}

func errInvalidUTF8(b []byte) error {
	at := 0
	for at < len(b) {
		r, n := utf8.DecodeRune(b[at:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		at += n
	}
	return data.Errorf(data.EInvalid, "invalid UTF-8 at line %d", lineAt(b, at))
}

// lineAt returns the 1-based line number of byte offset i.
func lineAt(b []byte, i int) int {
	return bytes.Count(b[:i], []byte{'\n'}) + 1
}

// checkText rejects decoded text that is binary or has nothing in it.
func checkText(s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return data.Errorf(data.EInvalid, "binary file, not text")
	}
	controls, runes := 0, 0
	blank := true
	for _, r := range s {
		runes++
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\f':
		case r < 0x20:
			controls++
		}
		if blank && !isSpace(r) {
			blank = false
		}
	}
	// A few stray controls are normal in old files (a DOS end-of-file
	// marker, a vertical tab from a word processor); a high share is not.
	if controls > 0 && controls*20 > runes {
		return data.Errorf(data.EInvalid, "binary file, not text")
	}
	if blank {
		return data.Errorf(data.EInvalid, "empty file")
	}
	return nil
}

// isSpace is unicode.IsSpace plus the byte-order mark, which is invisible
// and would otherwise make a file holding only a mark look non-empty.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\uFEFF'
}
