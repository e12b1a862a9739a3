package data

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// runeCut is what SQLite's substr gives for characters [start, end):
// the reference articleText.cut must agree with.
func runeCut(s string, start, end int) string {
	rs := []rune(s)
	start, end = min(max(start, 0), len(rs)), min(max(end, 0), len(rs))
	if start >= end {
		return ""
	}
	return string(rs[start:end])
}

func TestArticleTextCut(t *testing.T) {
	long := strings.Repeat("Ofsted’s “inadequate” rating — café naïve. ", 20) // past several strides
	tests := []struct {
		name       string
		text       string
		start, end int
	}{
		{"ascii", "The council said.", 4, 11},
		{"ascii clamped", "The council said.", 10, 500},
		{"empty range", "abc", 2, 2},
		{"reversed", "abc", 2, 1},
		{"negative", "abc", -3, 2},
		{"curly quotes", "“We failed,” she said.", 1, 10},
		{"at a stride", long, textStride, 2 * textStride},
		{"across strides", long, textStride - 3, 5*textStride + 7},
		{"to the end", long, 100, utf8.RuneCountInString(long)},
		{"past the end", long, 100, 10_000},
		{"astral", "a😀b😀c", 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := &articleText{text: tt.text}
			if got, want := at.cut(tt.start, tt.end), runeCut(tt.text, tt.start, tt.end); got != want {
				t.Errorf("cut(%d, %d) = %q, want %q", tt.start, tt.end, got, want)
			}
			if got, want := at.runes(), utf8.RuneCountInString(tt.text); got != want {
				t.Errorf("runes() = %d, want %d", got, want)
			}
		})
	}
}

func FuzzArticleTextCut(f *testing.F) {
	f.Add("“We failed,” she said.", 1, 10)
	f.Add(strings.Repeat("é", 200), 63, 129)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		if !utf8.ValidString(text) {
			return // stored texts are valid UTF-8 (NormalizeText)
		}
		at := &articleText{text: text}
		if got, want := at.cut(start, end), runeCut(text, start, end); got != want {
			t.Errorf("cut(%q, %d, %d) = %q, want %q", text, start, end, got, want)
		}
	})
}
