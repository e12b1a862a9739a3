// Package fold is Parallax's one text fold for search and matching: the
// typographic variants outlets choose between (curly or straight quotes,
// guillemets, primes, the many dashes) and case fold to one form, so that
// a search, a re-anchored annotation and the analyser's word comparison
// agree on what counts as the same text.
//
// It depends on nothing but the standard library, so that every layer can
// use it. Folded text is for comparison only, never for display.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mark maps a quotation mark, apostrophe or dash variant to its ASCII
// form and leaves every other rune alone:
//
//   - single quotes, apostrophes and primes (‘ ’ ‚ ‛ ′ ʼ ` ´ ＇) become ';
//   - double quotes, guillemets and double primes (“ ” „ ‟ « » ″ ＂) become ";
//   - hyphens, dashes and minus signs (‐ ‑ ‒ – — ― − ﹣ －) become -.
//
// It does not change case: Rune does that as well.
func Mark(r rune) rune {
	if r < utf8.RuneSelf {
		if r == '`' {
			return '\''
		}
		return r
	}
	switch r {
	case '‘', '’', '‚', '‛', '′', 'ʼ', '´', '＇':
		return '\''
	case '“', '”', '„', '‟', '«', '»', '″', '＂':
		return '"'
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－':
		return '-'
	}
	return r
}

// Rune is Mark followed by lower-casing.
func Rune(r rune) rune {
	if r < utf8.RuneSelf {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r == '`':
			return '\''
		}
		return r
	}
	return unicode.ToLower(Mark(r))
}

// String folds every rune of s with Rune and turns every run of
// whitespace, at the ends too, into a single space. Text with nothing to
// fold is returned as it is, without a copy.
func String(s string) string {
	if !needsFold(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(Rune(r))
	}
	return b.String()
}

// needsFold reports whether String would change s: most search text is
// lower-case with single spaces, and is better left uncopied. Invalid UTF-8
// counts as a change, because String writes U+FFFD for each bad byte as
// []rune(s) does.
func needsFold(s string) bool {
	space := false
	for _, r := range s {
		if r == ' ' {
			if space {
				return true
			}
			space = true
			continue
		}
		if r == utf8.RuneError || unicode.IsSpace(r) || Rune(r) != r {
			return true
		}
		space = false
	}
	return false
}

// Map folds rs as String does and returns, for each folded rune, the index
// in rs of the rune it came from; a space standing for a run of whitespace
// maps to the run's first rune. A match found in the folded text is thus
// a range of the original: [index[i], index[j-1]+1).
func Map(rs []rune) (folded []rune, index []int) {
	folded = make([]rune, 0, len(rs))
	index = make([]int, 0, len(rs))
	space := false
	for i, r := range rs {
		if unicode.IsSpace(r) {
			if !space {
				folded = append(folded, ' ')
				index = append(index, i)
			}
			space = true
			continue
		}
		space = false
		folded = append(folded, Rune(r))
		index = append(index, i)
	}
	return folded, index
}
