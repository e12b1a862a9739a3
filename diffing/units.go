package diffing

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Minimum sizes of alignable passages. Shorter quotes are mostly scare
// quotes ("inadequate") that every article shares; shorter sentences are
// mostly page furniture ("- Published").
const (
	minQuoteWords   = 3
	minFindingWords = 6
)

// Unit is one alignable passage of one article: a quote, or a sentence
// outside quotation marks.
type Unit struct {
	// Doc identifies the article; the caller chooses its meaning.
	Doc  int64
	Kind vocab.UnitKind
	// Spans are the passage's ranges in the article: one per quote span,
	// or the sentence.
	Spans []quote.Span
	// Text is the passage: the text of its spans joined by single spaces.
	Text string
	// Attribution is set for quotes.
	Attribution quote.Attribution `json:",omitzero"`
	// Quote numbers the quotation the unit comes from, from 1 in the order
	// of Analysis.Quotes; 0 for a finding. The units of one quote are its
	// statement, sentence by sentence.
	Quote int `json:",omitempty"`
}

// Outer is the range from the first span's start to the last span's end.
func (u Unit) Outer() quote.Span {
	if len(u.Spans) == 0 {
		return quote.Span{}
	}
	return quote.Span{Start: u.Spans[0].Start, End: u.Spans[len(u.Spans)-1].End}
}

// Analysis is what the extractors find in one article.
type Analysis struct {
	Quotes []quote.Quote
	Units  []Unit
}

// Analyze extracts an article's quotes and its alignable units. It depends
// only on the text, so callers can cache it per article and redo it only
// for articles that changed.
//
// Units are sentences: each sentence of a quotation (carrying the quote's
// attribution), and each sentence in the article's own voice. Outlets cut
// long statements at sentence boundaries, so one article's three-paragraph
// quote and another's single quoted sentence align sentence by sentence
// instead of one being a mere fragment of the other.
func Analyze(doc int64, text string) Analysis {
	quotes := quote.Extract(text)
	rs := []rune(text)
	sentences := Sentences(text)
	var units []Unit
	for i, q := range quotes {
		us := quoteUnits(doc, rs, sentences, q)
		for j := range us {
			us[j].Quote = i + 1
		}
		units = append(units, us...)
	}
	// A sentence holding a real quotation is represented by the quote's
	// units; one with only scare quotes ("inadequate") is the article's
	// own statement.
	quoted := make([]bool, len(rs)+1)
	for _, q := range quotes {
		for _, s := range q.Spans {
			if !hasWords(string(rs[s.Start:s.End]), minQuoteWords) {
				continue
			}
			for i := s.Start; i < s.End; i++ {
				quoted[i] = true
			}
		}
	}
	for _, s := range sentences {
		if slices.Contains(quoted[s.Start:s.End], true) || !hasWords(s.Text, minFindingWords) {
			continue
		}
		// Text from the runes, not s.Text: on invalid UTF-8 the two differ,
		// and offsets count runes as []rune does.
		units = append(units, Unit{Doc: doc, Kind: vocab.UnitFinding, Spans: []quote.Span{s.Span}, Text: string(rs[s.Start:s.End])})
	}
	slices.SortStableFunc(units, func(a, b Unit) int { return cmp.Compare(a.Spans[0].Start, b.Spans[0].Start) })
	return Analysis{Quotes: quotes, Units: units}
}

// quoteUnits cuts a quote into sentence units. A sentence interrupted by
// the attribution ("The council," she said, "has failed.") stays one unit
// with two spans.
func quoteUnits(doc int64, rs []rune, sentences []Sentence, q quote.Quote) []Unit {
	type piece struct{ spans []quote.Span }
	var pieces []piece
	for _, sp := range q.Spans {
		for _, s := range sentences {
			a, b := max(s.Start, sp.Start), min(s.End, sp.End)
			a, b = trimSpan(rs, a, b)
			if a >= b {
				continue
			}
			n := len(pieces)
			if n > 0 && !endsSentence(rs, pieces[n-1].spans) && pieces[n-1].spans[len(pieces[n-1].spans)-1].End <= a &&
				a == firstPieceStart(rs, sentences, sp) && continues(rs, pieces[n-1].spans[len(pieces[n-1].spans)-1].End, a) {
				pieces[n-1].spans = append(pieces[n-1].spans, quote.Span{Start: a, End: b})
				continue
			}
			pieces = append(pieces, piece{spans: []quote.Span{{Start: a, End: b}}})
		}
	}
	var units []Unit
	for _, p := range pieces {
		parts := make([]string, len(p.spans))
		for i, s := range p.spans {
			parts[i] = string(rs[s.Start:s.End])
		}
		t := strings.Join(parts, " ")
		if !hasWords(t, minQuoteWords) {
			continue
		}
		units = append(units, Unit{Doc: doc, Kind: vocab.UnitQuote, Spans: p.spans, Text: t, Attribution: q.Attribution})
	}
	return units
}

// continues reports whether the quote resuming at rs[b] continues the
// sentence left open at rs[a] ("The council," she said, "has failed."),
// rather than starting the next one after an attribution that closed the
// sentence ("…by the council," she said. "The trust…"): news style ends a
// quoted sentence with a comma before its attribution either way.
func continues(rs []rune, a, b int) bool {
	for i := b - 1; i >= a; i-- {
		switch r := rs[i]; {
		case unicode.IsSpace(r) || r == '"' || r == '“' || r == '”' || r == '\'' || r == '‘' || r == '’':
			continue
		case r == '.' || r == '!' || r == '?':
			return false
		default:
			return true
		}
	}
	return true
}

// firstPieceStart is where the first sentence piece of a quote span
// starts: only that piece may continue a sentence left open by the
// previous span.
func firstPieceStart(rs []rune, sentences []Sentence, sp quote.Span) int {
	for _, s := range sentences {
		a, b := trimSpan(rs, max(s.Start, sp.Start), min(s.End, sp.End))
		if a < b {
			return a
		}
	}
	return -1
}

// endsSentence reports whether the last span ends with a full stop,
// question or exclamation mark (or an ellipsis).
func endsSentence(rs []rune, spans []quote.Span) bool {
	last := spans[len(spans)-1]
	for i := last.End - 1; i >= last.Start; i-- {
		switch rs[i] {
		case '.', '!', '?', '…':
			return true
		case '"', '\'', '”', '’', ')', ']':
			continue
		}
		return false
	}
	return false
}

// trimSpan narrows [a, b) past spaces and quotation marks at either end.
func trimSpan(rs []rune, a, b int) (int, int) {
	isTrim := func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '“' || r == '”' || r == '‘'
	}
	for a < b && isTrim(rs[a]) {
		a++
	}
	for b > a && isTrim(rs[b-1]) {
		b--
	}
	return a, b
}

// countWords counts the word tokens of s as tokenize finds them, without
// building the tokens.
func countWords(s string) int { return wordsUpTo(s, math.MaxInt) }

// hasWords reports whether s holds at least n words, reading no further
// than the nth: most sentences are far longer than the few words a unit
// needs.
func hasWords(s string, n int) bool { return wordsUpTo(s, n) >= n }

// wordsUpTo counts the word tokens of s up to limit, where it stops.
func wordsUpTo(s string, limit int) int {
	n := 0
	withDecoded(s, func(rs []runeAt) {
		eachToken(rs, func(_, _ int, punct bool) bool {
			if !punct {
				n++
			}
			return n < limit
		})
	})
	return n
}

// KeyWords returns up to n of a unit's most distinctive words, in text
// order: its longest content words, normalised. A full-text index finds
// the unit's other versions by them (an incremental analysis looks only
// there).
func KeyWords(u Unit, n int) []string {
	type cand struct {
		w   string
		pos int
	}
	var cs []cand
	seen := map[string]bool{}
	for i, t := range tokenize(u.Text) {
		if t.Punct || stopStems[stem(t.Norm)] || seen[t.Norm] || strings.HasPrefix(t.Norm, "#") {
			continue
		}
		seen[t.Norm] = true
		cs = append(cs, cand{t.Norm, i})
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return cmp.Compare(utf8.RuneCountInString(b.w), utf8.RuneCountInString(a.w)) })
	cs = cs[:min(n, len(cs))]
	slices.SortFunc(cs, func(a, b cand) int { return cmp.Compare(a.pos, b.pos) })
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.w
	}
	return out
}
