// Package quote finds the direct quotations in a news article and who
// said them: quotation marks paired into quotes (marks.go), the text
// around them cut into tokens and sentences with every quote one token
// (tokens.go), reporting expressions such as "said" or "according to"
// matched to quotes (cues.go), the speaker phrases those expressions name
// (nounphrase.go), pronouns, surnames and "the council" resolved to
// speakers named earlier (coref.go), and speaker names compared
// (names.go). The word lists all this rests on are in lexicon.go.
//
// It is pure Go over strings and knows nothing of alignment: package
// diffing builds on it. All offsets are rune (Unicode code point) offsets
// into the text passed in.
package quote

import (
	"strings"
	"unicode/utf8"
)

// Span is a half-open [Start, End) range of rune offsets. Package diffing
// uses it for sentences, words, figures and units as well, so that every
// range Parallax's analysis reports has one type.
type Span struct {
	Start, End int
}

// Len is the number of runes in the span.
func (s Span) Len() int { return s.End - s.Start }

// SpeakerKind says what sort of source a quote is attributed to.
type SpeakerKind string

// Speaker kinds. A pronoun is resolved to the person it refers to, and the
// attribution says so through its Via field and a lower confidence.
const (
	SpeakerUnknown      SpeakerKind = ""
	SpeakerPerson       SpeakerKind = "person"
	SpeakerOrganisation SpeakerKind = "organisation"
	SpeakerDocument     SpeakerKind = "document"
	SpeakerGroup        SpeakerKind = "group" // "inspectors", "campaigners"
)

// Attribution is who said a quote and how the text says so.
type Attribution struct {
	// Speaker is the name as the article gives it in full ("Marium Haque",
	// "Ofsted", "the report"); "" when unknown. Never a guess: when no
	// cue links the quote to a source, it stays unknown.
	Speaker string
	Kind    SpeakerKind
	// Role is the speaker's description where the text gives one
	// ("director of children's services at Bradford Council").
	Role string
	// Cue is the reporting expression: "said", "told", "added",
	// "according to", ":" for a colon after a name, ...
	Cue string
	// Via is the pronoun or short reference ("she", "Ms Haque") that was
	// resolved to Speaker, or "" when the name stands by the quote.
	Via string
	// Confidence in [0, 1]: 0.9+ for a name with a cue next to the quote,
	// lower for pronoun resolution and distant cues.
	Confidence float64
}

// Quote is one utterance in quotation marks. A quote interrupted by its
// attribution ("...," she said. "...") is one Quote with several spans.
type Quote struct {
	// Spans are the quoted words, inside the quotation marks, in order.
	// Each span's text is exactly the article text at that range.
	Spans []Span
	Attribution
}

// Outer is the range from the first span's start to the last span's end.
func (q Quote) Outer() Span {
	if len(q.Spans) == 0 {
		return Span{}
	}
	return Span{q.Spans[0].Start, q.Spans[len(q.Spans)-1].End}
}

// Extract finds every direct quotation in text with its attribution.
//
// Quotation marks may be straight or curly, double or single (British
// style); apostrophes ("children's", "the '90s", "rock 'n' roll") are not
// taken for marks. Of nested quotations only the outer one is returned. A
// quotation that runs over several paragraphs, each opened with a mark and
// only the last closed, is one Quote with a span per paragraph, and so is a
// quotation interrupted by its attribution (`"…," she said. "…"`). Spans
// hold the quoted words only: no marks, no surrounding space, and no comma
// that the attribution put at the end. Short "scare quotes" are returned
// too; the aligner decides what they are worth.
//
// The speaker comes from a reporting verb (said, told, added, according
// to, a colon after a name, ...) in the quote's sentence, before or after
// it; from a paragraph that ends "X said:"; or, for a quote that is a whole
// paragraph straight after another speaker's quote, from that speaker with
// low confidence. Pronouns and surnames are resolved to a speaker named
// earlier in the text (Via says which word was resolved). Where nothing in
// the text links a quote to a source, the attribution stays empty.
//
// Offsets are rune offsets into text. Extract never panics, and its
// spans are non-empty, inside text, in order and non-overlapping.
func Extract(text string) []Quote {
	// most of the cost is decoding; text without a single mark needs none
	if !strings.ContainsAny(text, markRunes) {
		return nil
	}
	d := newDoc(text)
	d.findQuotes()
	if len(d.quotes) == 0 {
		return nil
	}
	d.tokenize()
	d.splitSentences()
	d.buildPeople()
	d.findCues()
	d.attribute()
	d.mergeSplit()
	d.continuations()
	out := make([]Quote, 0, len(d.quotes))
	for _, q := range d.quotes {
		if q.drop || d.term(q) {
			continue
		}
		if q.attr.Role != "" && q.attr.Role == q.attr.Speaker {
			q.attr.Role = ""
		}
		out = append(out, Quote{Spans: q.spans, Attribution: q.attr})
	}
	return out
}

// doc is one text under analysis and everything found in it so far; each
// step of Extract fills in its part.
type doc struct {
	text   string
	runes  []rune
	boff   []int32 // byte offset of each rune, and of the end
	marks  []int32 // positions of every quotation-mark rune
	paras  []Span
	quotes []*rawQuote
	toks   []token
	lower  string  // every word lower-cased, one allocation for all
	wc     []int32 // word tokens before each token, for distances
	sentOf []int32
	sents  []Span // token ranges
	cues   []cue
	ents   []entity
	gender map[string]byte
	bodies map[string]body // namedBody's answers so far
	// lowerSeen holds the words the text writes in lower case: a capital
	// on one of them at a sentence start is no name.
	lowerSeen map[string]bool
	people    []person        // the people the article names (people.go)
	personAt  map[int]int     // last token of a name mention → index in people
	surnames  map[string]bool // lower-case surnames of people, "may" in "Theresa May"
	headline  []bool          // per paragraph: set in title case, a headline
}

// newDoc decodes text and finds its quotation marks and paragraphs.
func newDoc(text string) *doc {
	n := utf8.RuneCountInString(text)
	d := &doc{text: text, runes: make([]rune, 0, n), boff: make([]int32, 0, n+1)}
	// one pass: runes, byte offsets, marks, and paragraphs (lines with
	// something on them, trimmed of space)
	start, last := -1, -1
	for i, r := range text {
		k := len(d.runes)
		d.runes = append(d.runes, r)
		d.boff = append(d.boff, int32(i))
		if r < 0x80 && r > ' ' && r != '"' && r != '\'' {
			if start < 0 {
				start = k
			}
			last = k
			continue
		}
		if familyOf(r) != 0 {
			d.marks = append(d.marks, int32(k))
		}
		switch {
		case IsLineBreak(r):
			if start >= 0 {
				d.paras = append(d.paras, Span{start, last + 1})
			}
			start = -1
		case isSpace(r):
		default:
			if start < 0 {
				start = k
			}
			last = k
		}
	}
	d.boff = append(d.boff, int32(len(text)))
	if start >= 0 {
		d.paras = append(d.paras, Span{start, last + 1})
	}
	return d
}

// w is word i as the text gives it.
func (d *doc) w(i int) string {
	t := d.toks[i]
	return d.text[d.boff[t.s]:d.boff[t.e]]
}

// lw is word i lower-cased, with the curly apostrophe folded to '.
func (d *doc) lw(i int) string {
	t := d.toks[i]
	return d.lower[t.ls:t.le]
}
