package data

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizeText turns decoded text into the form Parallax stores: NFC, "\n"
// line ends, no byte-order mark, no trailing blank lines. Offsets are taken
// after this step, so it must be applied exactly once, at import.
func NormalizeText(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	s = norm.NFC.String(s)
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// CountWords counts runs of letters and digits, the way a reader would count
// words (apostrophes and hyphens inside a word do not split it).
func CountWords(s string) int {
	n := 0
	in := false
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !in {
				n++
				in = true
			}
		case in && (r == '\'' || r == '’' || r == '-') && i+utf8.RuneLen(r) < len(s):
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			in = unicode.IsLetter(next) || unicode.IsDigit(next)
		default:
			in = false
		}
	}
	return n
}

// ContentHash identifies an article's text for duplicate detection. It is
// taken over the stored (normalised) text, so the same article saved as
// UTF-16 or with CRLF line ends is recognised as the same.
func ContentHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}
