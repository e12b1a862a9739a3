package data

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parallax-research/parallax/diffing/vocab"
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

// cutFrom cuts members' texts from text, as eachClusterCut does from their
// article's (of several spans, the first two).
func cutFrom(s string) func(m *ClusterMember, spans [][2]int) error {
	text := &articleText{text: s}
	return func(m *ClusterMember, spans [][2]int) error {
		if spans == nil {
			m.Text = text.cut(m.Start, m.End)
		} else {
			m.Text = text.cut(spans[0][0], spans[0][1]) + " " + text.cut(spans[1][0], spans[1][1])
		}
		return nil
	}
}

// unpackCase is a packing of members and what it reads as.
type unpackCase struct {
	name    string
	packed  string
	want    []ClusterMember
	wantErr bool
}

func runUnpackCases(t *testing.T, tests []unpackCase, unpack func(string) ([]ClusterMember, error)) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := unpack(tt.packed)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestUnpackMembers: the packed members clusterChunk reads come back as
// stored, and a damaged packing is an error rather than members made up.
func TestUnpackMembers(t *testing.T) {
	cut := cutFrom("“We failed,” she said. The trust takes over.")
	// article, start, end, statement, reference, then the byte lengths of
	// kind, speaker, relations and spans, then those strings.
	one := "12,0,12,1,1,5,7,8,0,quoteSpeakerverbatim"
	two := "13,1,43,0,0,7,0,14,16,findingtrimmed+elided[[1,10],[23,43]]"
	tests := []unpackCase{
		{"none", "", nil, false},
		{"one", one, []ClusterMember{{ArticleID: 12, Start: 0, End: 12, Statement: 1, Reference: true, Kind: "quote", Speaker: "Speaker",
			Relations: []vocab.Relation{"verbatim"}, Spans: [][2]int{{0, 12}}, Text: "“We failed,”"}}, false},
		{"two", one + two, []ClusterMember{
			{ArticleID: 12, Start: 0, End: 12, Statement: 1, Reference: true, Kind: "quote", Speaker: "Speaker",
				Relations: []vocab.Relation{"verbatim"}, Spans: [][2]int{{0, 12}}, Text: "“We failed,”"},
			{ArticleID: 13, Start: 1, End: 43, Kind: "finding", Relations: []vocab.Relation{"trimmed", "elided"},
				Spans: [][2]int{{1, 10}, {23, 43}}, Text: "We failed The trust takes over"}}, false},
		{"truncated string", one[:len(one)-3], nil, true},
		{"length past the end", "12,0,12,1,1,5,7,8,99,quoteSpeakerverbatim", nil, true},
		{"not a number", "x,0,12,1,1,5,7,8,0,quoteSpeakerverbatim", nil, true},
		{"bad spans", "13,1,43,0,0,7,0,0,3,finding[[1", nil, true},
	}
	runUnpackCases(t, tests, func(packed string) ([]ClusterMember, error) { return unpackMembers(packed, 1, cut) })
}

// TestUnpackMemberTexts: the members clusterTextChunk packs (article,
// start, end, the byte length of the spans, then the spans) come back with
// where they are and their texts, and a damaged packing is an error.
func TestUnpackMemberTexts(t *testing.T) {
	cut := cutFrom("“We failed,” she said. The trust takes over.")
	one := "12,0,12,0,"
	two := "13,1,43,16,[[1,10],[23,43]]"
	tests := []unpackCase{
		{"none", "", nil, false},
		{"one", one, []ClusterMember{{ArticleID: 12, Start: 0, End: 12, Text: "“We failed,”"}}, false},
		{"two", one + two, []ClusterMember{
			{ArticleID: 12, Start: 0, End: 12, Text: "“We failed,”"},
			{ArticleID: 13, Start: 1, End: 43, Spans: [][2]int{{1, 10}, {23, 43}}, Text: "We failed The trust takes over"}}, false},
		{"truncated spans", one + two[:len(two)-3], nil, true},
		{"a full member's packing", "12,0,12,1,1,5,7,8,0,quoteSpeakerverbatim", nil, true},
		{"not a number", "x,0,12,0,", nil, true},
		{"bad spans", "13,1,43,3,[[1", nil, true},
	}
	runUnpackCases(t, tests, func(packed string) ([]ClusterMember, error) { return unpackMemberTexts(packed, 2, cut) })
}
