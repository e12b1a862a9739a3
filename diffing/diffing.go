// Package diffing is Parallax's text analysis: it finds quotations and
// their speakers, sentences and the figures in them, aligns versions of the
// same utterance or finding across articles, and classifies how each
// version differs from a reference, with go-diff at word level.
//
// It is pure Go over strings: no Fyne, no SQL, no knowledge of the project
// store. All offsets are rune (Unicode code point) offsets into the text
// passed in, the unit the rest of Parallax stores.
package diffing

// Span is a half-open [Start, End) range of rune offsets.
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

// Version identifies the extractors' behaviour. Stored extractions made by
// another version are redone, so bump it whenever quote, sentence or unit
// extraction changes what it finds.
const Version = 3
