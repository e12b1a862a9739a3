// Package quote finds the direct quotations in a news article and who
// said them: quotation marks paired into quotes (marks.go), the text
// around them cut into tokens and sentences with every quote one token
// (tokens.go), reporting expressions such as "said" or "according to"
// matched to quotes (cues.go), the speaker phrases those expressions name
// (nounphrase.go), the people the article names and the posts it gives
// them (people.go), pronouns, surnames, posts and "the council" resolved
// to those people and bodies (coref.go), and speaker names compared within
// and across articles (names.go). The word lists all this rests on are in
// lexicon.go.
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
	// Speaker is the source as the article names it in full: for a
	// person the fullest name the article gives them ("Donald Trump" for
	// "Mr. Trump", "he" or "the president" where the article says who that
	// is), without titles or posts; else the body or document ("Ofsted",
	// "the report"), or a role noun nothing resolves ("a spokesman"); ""
	// when unknown. Never a guess: when no cue links the quote to a source,
	// it stays unknown. It never begins or ends with punctuation.
	Speaker string
	Kind    SpeakerKind
	// Role is the speaker's description where the text gives one
	// ("director of children's services at Bradford Council"), or the
	// post their title names ("Senator, D-Ohio" for "Sen. Jane Roe,
	// D-Ohio").
	Role string
	// Cue is the reporting expression: "said", "told", "added",
	// "according to", ":" for a colon after a name, ...
	Cue string
	// Via is the pronoun, short reference or post ("she", "Ms Haque", "the
	// president") that was resolved to Speaker, or "" when the name stands
	// by the quote as Speaker gives it.
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
// quotation interrupted by its attribution (`"…," she said. "…"`), however
// long the attribution between. A doubled mark (`""…""`) and a quotation
// closed with a mark of the other kind (`"…,' she said`) are read as the
// writer meant them. Spans hold the quoted words only: no marks, no
// surrounding space, and no comma that the attribution put at the end.
// Short "scare quotes" are returned too, and the aligner decides what they
// are worth; but names and terms in quotation marks are no quotations and
// are left out: a title in title case that no one is quoted saying ("Give
// Peace a Chance"), and what the sentence introduces as a name ("the
// so-called "deal"", "known as "…"", "a program called "…"").
//
// The speaker comes from a reporting expression in the quote's sentence,
// before or after it: a reporting verb (said, told, added, according to,
// ...), or any verb where a reporting verb stands (`"…," Jane Roe quipped`,
// `Jane Roe demurred: "…"`, `Jane Roe thundered that there was "…"`); a
// colon after a name, or after a clause whose subject is named; a
// paragraph that ends "X said:" or with such a clause; or, for a quote that
// is a whole paragraph straight after another speaker's quote, from that
// speaker with low confidence. Names, surnames, posts ("the president")
// and pronouns are resolved to the people the article names, so that one
// person is one Speaker however the text refers to them (Via says which
// words were resolved); "he" and "she" go to the person the text is about
// just then, and after "added" to the last speaker. Where nothing in the
// text links a quote to a source, the attribution stays empty.
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
