package diffing

import (
	"iter"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/parallax-research/parallax/diffing/fold"
	"github.com/parallax-research/parallax/diffing/quote"
)

// Word is a token of text: a word (letters and digits, with inner
// apostrophes and hyphens, and number punctuation as in 1,365 or 2.5) or a
// single punctuation mark. A run of two or more full stops is one token, so
// that "..." and "…" compare equal.
type Word struct {
	quote.Span
	// Text is the token exactly as it appears in the text.
	Text string
	// Norm is Normalize(Text): the form tokens are compared by.
	Norm string
	// Punct is true for punctuation marks and symbols.
	Punct bool
}

// token is a Word with the byte offsets of its text, which the splitters
// and figure parser need to slice the original string without re-counting
// runes.
type token struct {
	Word
	bs, be int // byte offsets of Text
}

// Tokenize splits text into words and punctuation marks. Whitespace, and
// invisible format characters such as zero-width spaces, separate tokens
// and belong to none.
func Tokenize(text string) []Word {
	toks := tokenize(text)
	words := make([]Word, len(toks))
	for i, t := range toks {
		words[i] = t.Word
	}
	return words
}

// Words yields the words of text, as Tokenize splits it, without its
// punctuation: each as written and in its comparison form (Normalize).
// Nothing is kept between words, for readers that look at each word once
// (the propagation tokenizes some 75,000 wordings at 16,000 articles, and
// Tokenize's slices were most of what it allocated).
func Words(text string) iter.Seq2[string, string] {
	return func(yield func(written, norm string) bool) {
		withDecoded(text, func(rs []runeAt) {
			eachToken(rs, func(i, j int, punct bool) bool {
				if punct {
					return true
				}
				be := len(text)
				if j < len(rs) {
					be = rs[j].b
				}
				s := text[rs[i].b:be]
				return yield(s, Normalize(s))
			})
		})
	}
}

// runeAt is one decoded rune and its byte offset; its index in the slice
// decodeInto returns is its rune offset. Working on a decoded slice lets the
// tokenizer look ahead and behind freely while keeping both offsets exact,
// including for invalid UTF-8 (each bad byte is one U+FFFD rune, as with
// []rune(text)).
type runeAt struct {
	r rune
	b int // byte offset
}

func decodeInto(rs []runeAt, text string) []runeAt {
	for b := 0; b < len(text); {
		r, n := utf8.DecodeRuneInString(text[b:])
		rs = append(rs, runeAt{r: r, b: b})
		b += n
	}
	return rs
}

// decoded holds the buffers withDecoded lends. Every text an analysis
// reads is decoded at least three times (sentences, tokens, word counts),
// and a fresh buffer of 16 bytes per byte of text each time was a quarter
// of everything the analysis allocated; the collector's work follows.
var decoded = sync.Pool{New: func() any { return new([]runeAt) }}

// maxLentRunes bounds the buffers kept for reuse, so that one huge
// article does not stay in the pool.
const maxLentRunes = 1 << 20

// withDecoded calls f with text decoded. The slice is reused once f
// returns: f must not keep it.
func withDecoded(text string, f func(rs []runeAt)) {
	p := decoded.Get().(*[]runeAt)
	rs := decodeInto((*p)[:0], text)
	f(rs)
	if cap(rs) <= maxLentRunes {
		*p = rs
		decoded.Put(p)
	}
}

// isWordRune reports whether r can start or continue a word. Marks count so
// that decomposed accents stay inside their word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isIgnorable reports invisible characters that outlets' CMSs scatter
// through text (zero-width spaces, joiners, byte-order marks). They carry
// no meaning for comparison, so they separate tokens like whitespace and
// Normalize deletes them.
func isIgnorable(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return false
}

func isSpaceOrIgnorable(r rune) bool { return unicode.IsSpace(r) || isIgnorable(r) }

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

// joinsAt reports whether the non-word rune at rs[i] joins the word before
// it to the word after it.
func joinsAt(rs []runeAt, i int) bool {
	if i == 0 || i+1 >= len(rs) {
		return false
	}
	prev, r, next := rs[i-1].r, rs[i].r, rs[i+1].r
	if !isWordRune(prev) || !isWordRune(next) {
		return false
	}
	switch {
	case isApostrophe(r), isHyphen(r), r == '\u00ad':
		return true
	case r == '.':
		return isDigit(prev) && isDigit(next)
	case r == ',':
		// Only a thousands separator joins: "1,365" is one number, but "5,6"
		// is a list of two.
		if !isDigit(prev) {
			return false
		}
		for k := 1; k <= 3; k++ {
			if i+k >= len(rs) || !isDigit(rs[i+k].r) {
				return false
			}
		}
		return i+4 >= len(rs) || !isDigit(rs[i+4].r)
	}
	return false
}

func tokenize(text string) []token {
	var toks []token
	withDecoded(text, func(rs []runeAt) {
		toks = make([]token, 0, len(rs)/5+1) // about one token per five runes in English prose
		end := func(i int) (b, ri int) {
			if i < len(rs) {
				return rs[i].b, i
			}
			return len(text), len(rs)
		}
		eachToken(rs, func(i, j int, punct bool) bool {
			bs, rstart := end(i)
			be, rend := end(j)
			s := text[bs:be]
			toks = append(toks, token{
				Word: Word{Span: quote.Span{Start: rstart, End: rend}, Text: s, Norm: Normalize(s), Punct: punct},
				bs:   bs, be: be,
			})
			return true
		})
	})
	return toks
}

// eachToken calls emit with the rune range [i, j) of each token of rs and
// whether it is punctuation, until emit returns false: the one definition
// of a token that tokenize and countWords share.
func eachToken(rs []runeAt, emit func(i, j int, punct bool) bool) {
	for i := 0; i < len(rs); {
		r := rs[i].r
		switch {
		case isSpaceOrIgnorable(r):
			i++
		case isWordRune(r):
			j := i + 1
			for j < len(rs) && (isWordRune(rs[j].r) || joinsAt(rs, j)) {
				j++
			}
			if !emit(i, j, false) {
				return
			}
			i = j
		case r == '.':
			j := i + 1
			for j < len(rs) && rs[j].r == '.' {
				j++
			}
			if !emit(i, j, true) {
				return
			}
			i = j
		default:
			if !emit(i, i+1, true) {
				return
			}
			i++
		}
	}
}

// foldMarks folds quotes, apostrophes and dashes as package fold does, and
// deletes the invisible characters isIgnorable lists. It keeps case: case
// folding is left to x/text, which handles ß and the like. NFKC leaves the
// marks alone because they are distinct characters, not compatibility
// forms, and turns the ellipsis … into ... by itself.
func foldMarks(r rune) rune {
	if isIgnorable(r) {
		return -1
	}
	return fold.Mark(r)
}

// Normalize folds what outlets vary without changing meaning, for
// comparison and never for display: Unicode quotes and apostrophes become
// ASCII ' and ", dashes (– — ‑ −) become -, the ellipsis … becomes ...,
// every run of whitespace becomes one space, case is folded, and the text
// is put in NFKC. Normalize is idempotent. It is fold.String with NFKC,
// full case folding and the deletion of invisible characters added.
func Normalize(s string) string {
	if isASCII(s) {
		// Most tokens are ASCII, where NFKC is the identity and folding is
		// lower-casing; skipping the Unicode tables, and for the usual
		// lower-case word any allocation, keeps WordDiff fast.
		return fold.String(s)
	}
	if !utf8.ValidString(s) {
		// The norm package stops normalising at an invalid byte; make the
		// text valid first so that Normalize stays idempotent.
		s = strings.ToValidUTF8(s, "\ufffd")
	}
	// Marks first, because NFKC turns some of them into other things (the
	// acute accent ´ into a space and a combining mark, ″ into two primes).
	// NFKC then puts compatibility forms (full-width letters, ligatures,
	// no-break spaces) in their plain form; NFKC again after case folding,
	// which can produce text that is not in NFKC; marks again for any that
	// NFKC produced.
	s = strings.Map(foldMarks, s)
	s = norm.NFKC.String(s)
	// Full case folding handles ß and the like; lower-casing after it
	// because x/text folds Cherokee one way and back again (Ꮄ to ꮄ to Ꮄ),
	// which would make Normalize disagree with itself.
	s = strings.ToLower(cases.Fold().String(s))
	s = norm.NFKC.String(s)
	return collapseSpace(strings.Map(foldMarks, s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
