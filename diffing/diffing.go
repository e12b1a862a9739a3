// Package diffing is Parallax's text analysis: it cuts articles into
// sentences and the figures in them, takes their quotations and speakers
// from package quote, aligns versions of the same utterance or finding
// across articles, and classifies how each version differs from a
// reference, with go-diff at word level.
//
// It is pure Go over strings: no Fyne, no SQL, no knowledge of the project
// store. All offsets are rune (Unicode code point) offsets into the text
// passed in, the unit the rest of Parallax stores, as quote.Span.
package diffing

// Version identifies the extractors' behaviour. Stored extractions made by
// another version are redone, so bump it whenever quote, sentence or unit
// extraction changes what it finds.
const Version = 6
