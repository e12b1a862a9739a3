package diffing

import (
	"strings"
	"unicode"

	"github.com/parallax-research/parallax/diffing/quote"
)

// Sentence is one sentence of a text.
type Sentence struct {
	quote.Span
	// Text is the sentence exactly as it appears in the text.
	Text string
}

// Sentences splits text into sentences. A sentence ends at . ! or ?, or at
// an ellipsis (… or ...) followed by a capital, and keeps the closing
// quotation marks and brackets that follow its last mark. It never ends
// after a title or common abbreviation (Mr. Dr. Sen. Gov. Lt. Gen. Cllr.
// U.S. e.g. etc. No. Jan. Calif.: quote.IsAbbreviation's one list, which
// the speaker search shares), after an initial (J. K. Rowling), inside a
// decimal (2.5), before a lowercase word, or at an ellipsis followed by a
// lowercase word. A line break always ends a
// sentence: articles arrive one paragraph per line, and headlines, bylines
// and captions have no final full stop. Spans exclude surrounding
// whitespace; every non-blank rune of text is in exactly one sentence.
func Sentences(text string) []Sentence {
	var out []Sentence
	withDecoded(text, func(rs []runeAt) { out = sentencesOf(text, rs) })
	return out
}

func sentencesOf(text string, rs []runeAt) []Sentence {
	var out []Sentence
	start := -1 // index into rs of the current sentence's first rune
	flush := func(end int) {
		if start < 0 {
			return
		}
		for end > start && isSpaceOrIgnorable(rs[end-1].r) {
			end--
		}
		if end > start {
			bs := rs[start].b
			be := len(text)
			if end < len(rs) {
				be = rs[end].b
			}
			out = append(out, Sentence{Span: quote.Span{Start: start, End: end}, Text: text[bs:be]})
		}
		start = -1
	}
	for i := 0; i < len(rs); {
		r := rs[i].r
		if quote.IsLineBreak(r) {
			flush(i)
			i++
			continue
		}
		if start < 0 {
			if isSpaceOrIgnorable(r) {
				i++
				continue
			}
			start = i
		}
		if !isTerminator(r) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isTerminator(rs[j].r) {
			j++
		}
		k := j
		for k < len(rs) && isCloser(rs[k].r) {
			k++
		}
		if sentenceEnds(rs, start, i, j, k) {
			flush(k)
		}
		i = k
	}
	flush(len(rs))
	return out
}

func isTerminator(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '…'
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '›', ')', ']', '}':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '«', '‹', '(', '[', '{', '-', '–', '—':
		return true
	}
	return false
}

// sentenceEnds decides whether the terminators rs[i:j], followed by the
// closers rs[j:k], end the sentence that began at rs[start].
func sentenceEnds(rs []runeAt, start, i, j, k int) bool {
	if k < len(rs) && !isSpaceOrIgnorable(rs[k].r) {
		// "2.5", "bbc.co.uk", "U.S.-led": a mark inside a token.
		return false
	}
	next := nextWordRune(rs, k)
	if next == 0 {
		return true // end of text or of the paragraph
	}
	ellipsis := true
	for _, ra := range rs[i:j] {
		if ra.r == '!' || ra.r == '?' {
			ellipsis = false
		}
	}
	if j-i == 1 && rs[i].r == '.' {
		ellipsis = false
	}
	if ellipsis {
		return unicode.IsUpper(next)
	}
	if unicode.IsLower(next) {
		return false
	}
	if j-i == 1 && rs[i].r == '.' && j == k {
		w := wordBefore(rs, start, i)
		if quote.IsAbbreviation(w) {
			return false
		}
		// A number opening a line is a list marker ("1. Katy ..."), not a
		// sentence of its own.
		if w != "" && strings.Trim(w, "0123456789") == "" && i-len(w) == start {
			return false
		}
	}
	return true
}

// nextWordRune is the first letter or digit after rs[k:], skipping spaces
// and opening punctuation; 0 at a line break or the end of the text.
func nextWordRune(rs []runeAt, k int) rune {
	for ; k < len(rs); k++ {
		r := rs[k].r
		switch {
		case quote.IsLineBreak(r):
			return 0
		case isSpaceOrIgnorable(r), isOpener(r):
			continue
		}
		return r
	}
	return 0
}

// wordBefore is the run of letters, digits and inner full stops that ends
// at rs[i] ("Mr", "U.S", "e.g"), not reaching back before rs[start].
func wordBefore(rs []runeAt, start, i int) string {
	b := i
	for b > start && (isWordRune(rs[b-1].r) || (rs[b-1].r == '.' && b-1 > start && isWordRune(rs[b-2].r))) {
		b--
	}
	var sb strings.Builder
	for _, ra := range rs[b:i] {
		sb.WriteRune(ra.r)
	}
	return sb.String()
}
