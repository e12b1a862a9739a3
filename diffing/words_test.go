package diffing

import (
	"slices"
	"testing"
	"unicode"

	"github.com/parallax-research/parallax/diffing/fold"
	"github.com/parallax-research/parallax/diffing/quote"
)

// runeSliceForWords is text[start:end] in rune offsets, counting each
// invalid byte as one rune as the package does.
func runeSliceForWords(text string, start, end int) (string, bool) {
	bs, be, ri := -1, -1, 0
	for i := range text {
		if ri == start {
			bs = i
		}
		if ri == end {
			be = i
		}
		ri++
	}
	if ri == start {
		bs = len(text)
	}
	if ri == end {
		be = len(text)
	}
	if bs < 0 || be < 0 || bs > be {
		return "", false
	}
	return text[bs:be], true
}

// checkSpansForWords checks what every span-producing function promises:
// spans inside the text, in order, not overlapping, non-empty, and text
// equal to the text at the span.
func checkSpansForWords(t *testing.T, what, text string, spans []quote.Span, texts []string) {
	t.Helper()
	// Byte offset of every rune offset, computed once: slicing by
	// runeSliceForWords per span would make fuzzing large inputs quadratic.
	var at []int
	for i := range text {
		at = append(at, i)
	}
	at = append(at, len(text))
	n := len(at) - 1
	prev := 0
	for i, s := range spans {
		if s.Start < prev || s.End <= s.Start || s.End > n {
			t.Fatalf("%s %d: span %v out of order, empty or outside text of %d runes (previous end %d) in %q", what, i, s, n, prev, text)
		}
		if got := text[at[s.Start]:at[s.End]]; got != texts[i] {
			t.Fatalf("%s %d: Text %q but text at %v is %q in %q", what, i, texts[i], s, got, text)
		}
		prev = s.End
	}
}

// tokenizeCases feed both TestTokenize and FuzzTokenize's seed corpus.
var tokenizeCases = []struct {
	name string
	in   string
	want []string // token texts; punctuation prefixed with "|"
}{
	{"empty", "", nil},
	{"spaces only", " \t\n ", nil},
	{"simple", "The cat sat.", []string{"The", "cat", "sat", "|."}},
	{"apostrophes", "children's children’s outlets' rock 'n' roll", []string{"children's", "children’s", "outlets", "|'", "rock", "|'", "n", "|'", "roll"}},
	{"hyphens", "16-month-old well‑known -x x-", []string{"16-month-old", "well‑known", "|-", "x", "x", "|-"}},
	{"thousands", "1,365 children and 1,365,000", []string{"1,365", "children", "and", "1,365,000"}},
	{"list not thousands", "5,6 and 1,2345 and 1,36", []string{"5", "|,", "6", "and", "1", "|,", "2345", "and", "1", "|,", "36"}},
	{"decimal", "2.5 and 3.5m but end.", []string{"2.5", "and", "3.5m", "but", "end", "|."}},
	{"ellipsis", "the experience... of … many", []string{"the", "experience", "|...", "of", "|…", "many"}},
	{"money percent", "£3.5m, 40% and $3bn", []string{"|£", "3.5m", "|,", "40", "|%", "and", "|$", "3bn"}},
	{"quotes brackets", `“We know,” he [said].`, []string{"|“", "We", "know", "|,", "|”", "he", "|[", "said", "|]", "|."}},
	{"dashes", "inadequate – the lowest — rating", []string{"inadequate", "|–", "the", "lowest", "|—", "rating"}},
	{"unicode letters", "Zoë café naïve Ελλάδα", []string{"Zoë", "café", "naïve", "Ελλάδα"}},
	{"combining accent", "cafe\u0301 x", []string{"cafe\u0301", "x"}},
	{"zero width", "a\u200bb soft\u00adhyphen", []string{"a", "b", "soft\u00adhyphen"}},
	{"iso date", "2023-01-31 31/01/2023", []string{"2023-01-31", "31", "|/", "01", "|/", "2023"}},
	{"email", "yorkslincs.news@bbc.co.uk", []string{"yorkslincs", "|.", "news", "|@", "bbc", "|.", "co", "|.", "uk"}},
	{"invalid utf8", "a\xffb c", []string{"a", "|\xff", "b", "c"}},
}

func TestTokenize(t *testing.T) {
	for _, tc := range tokenizeCases {
		t.Run(tc.name, func(t *testing.T) {
			words := Tokenize(tc.in)
			var got []string
			spans := make([]quote.Span, len(words))
			texts := make([]string, len(words))
			for i, w := range words {
				s := w.Text
				if w.Punct {
					s = "|" + s
				}
				got = append(got, s)
				spans[i], texts[i] = w.Span, w.Text
				if w.Norm != Normalize(w.Text) {
					t.Errorf("token %q: Norm %q, want Normalize(Text) %q", w.Text, w.Norm, Normalize(w.Text))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Tokenize(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			checkSpansForWords(t, "token", tc.in, spans, texts)
		})
	}
}

func TestTokenizeRuneOffsets(t *testing.T) {
	words := Tokenize("Zoë’s “café”")
	want := []quote.Span{{Start: 0, End: 5}, {Start: 6, End: 7}, {Start: 7, End: 11}, {Start: 11, End: 12}}
	var got []quote.Span
	for _, w := range words {
		got = append(got, w.Span)
	}
	if !slices.Equal(got, want) {
		t.Errorf("spans %v, want %v (rune offsets, not bytes)", got, want)
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ascii lower", "The Council", "the council"},
		{"curly apostrophe", "children’s", "children's"},
		{"curly double quotes", "“deeply sorry”", `"deeply sorry"`},
		{"low and reversed quotes", "„x‟ ‚y‛", `"x" 'y'`},
		{"guillemets", "«non»", `"non"`},
		{"prime and backtick", "`x´ 5′", "'x' 5'"},
		{"en dash", "2018–2020", "2018-2020"},
		{"em dash", "inadequate — the lowest", "inadequate - the lowest"},
		{"non-breaking hyphen", "well‑known", "well-known"},
		{"minus sign", "−5", "-5"},
		{"ellipsis", "experience…", "experience..."},
		{"whitespace runs", "a \t\n\n b", "a b"},
		{"nbsp", "a\u00a0b\u2009c", "a b c"},
		{"edges kept as one space", "  a  ", " a "},
		{"case fold sharp s", "STRASSE straße", "strasse strasse"},
		{"nfkc ligature and fullwidth", "ﬁnd ＡＢＣ", "find abc"},
		{"nfkc composes", "cafe\u0301", "café"},
		{"zero width removed", "chil\u00addren a\u200bb", "children ab"},
		{"greek", "ΟΔΟΣ", "οδοσ"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Normalize(tc.in)
			if got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize not idempotent: %q -> %q -> %q", tc.in, got, again)
			}
		})
	}
}

// TestNormalizeAgreesWithFold: every quote, apostrophe and dash that the
// search and re-anchoring fold maps to ASCII, the analyser maps to the same
// character, so the three never disagree on what is the same text.
func TestNormalizeAgreesWithFold(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		m := fold.Mark(r)
		if m == r {
			continue
		}
		n++
		if got := Normalize(string(r)); got != string(m) {
			t.Errorf("Normalize(%q) = %q, fold.Mark gives %q", r, got, m)
		}
		if got := Normalize("X" + string(r)); got != fold.String("X"+string(r)) {
			t.Errorf("Normalize(%q) = %q, fold.String gives %q", "X"+string(r), got, fold.String("X"+string(r)))
		}
	}
	if n < 25 {
		t.Fatalf("fold.Mark changes only %d runes", n)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, tc := range tokenizeCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		words := Tokenize(text)
		spans := make([]quote.Span, len(words))
		texts := make([]string, len(words))
		for i, w := range words {
			spans[i], texts[i] = w.Span, w.Text
			if w.Norm != Normalize(w.Text) {
				t.Fatalf("token %q: Norm %q, want %q", w.Text, w.Norm, Normalize(w.Text))
			}
		}
		checkSpansForWords(t, "token", text, spans, texts)
		nw := 0
		for _, w := range words {
			if !w.Punct {
				nw++
			}
		}
		if c := countWords(text); c != nw {
			t.Fatalf("countWords = %d, tokenize finds %d words", c, nw)
		}
		var plain []Word
		for _, w := range words {
			if !w.Punct {
				plain = append(plain, w)
			}
		}
		k := 0
		for written, norm := range Words(text) {
			if k >= len(plain) || written != plain[k].Text || norm != plain[k].Norm {
				t.Fatalf("Words' word %d is %q (%q); Tokenize's words are %+v", k, written, norm, plain)
			}
			k++
		}
		if k != len(plain) {
			t.Fatalf("Words yields %d words, Tokenize %d", k, len(plain))
		}
		for range Words(text) {
			break // stopping early must not upset the decoding buffers
		}
		for _, k := range []int{0, 1, nw - 1, nw, nw + 1} {
			if got := hasWords(text, k); got != (nw >= k) {
				t.Fatalf("hasWords(%d) = %v with %d words", k, got, nw)
			}
		}
		n := Normalize(text)
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", text, n, again)
		}
	})
}
