package fold

import (
	"slices"
	"testing"
	"unicode"
)

func TestRune(t *testing.T) {
	for _, c := range []struct {
		in   string // runes that fold alike
		want rune
	}{
		{"'‘’‚‛′ʼ`´＇", '\''},
		{"\"“”„‟«»″＂", '"'},
		{"-‐‑‒–—―−﹣－", '-'},
		{"aA", 'a'},
		{"éÉ", 'é'},
		{"σΣ", 'σ'},
	} {
		for _, r := range c.in {
			if got := Rune(r); got != c.want {
				t.Errorf("Rune(%q) = %q, want %q", r, got, c.want)
			}
		}
	}
	// An ellipsis is three runes folded, Normalize's job; single guillemets
	// are left alone, as Normalize leaves them; whitespace is String's and
	// Map's business.
	for _, r := range "…‹› \u00a0\tж" {
		if got := Rune(r); got != r {
			t.Errorf("Rune(%q) = %q, want it unchanged", r, got)
		}
	}
}

func TestMarkKeepsCase(t *testing.T) {
	for _, c := range []struct{ in, want rune }{
		{'A', 'A'}, {'É', 'É'}, {'’', '\''}, {'«', '"'}, {'—', '-'}, {'`', '\''}, {'x', 'x'},
	} {
		if got := Mark(c.in); got != c.want {
			t.Errorf("Mark(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// stringCases feed TestString, TestMap and FuzzFold's seed corpus.
var stringCases = []struct{ name, in, want string }{
	{"empty", "", ""},
	{"plain", "the council", "the council"},
	{"case", "The Council", "the council"},
	{"curly apostrophe", "children’s", "children's"},
	{"modifier apostrophe", "Hawaiʼi", "hawai'i"},
	{"curly double", "“Deeply sorry”", `"deeply sorry"`},
	{"guillemets and low quotes", "«non» „ja“", `"non" "ja"`},
	{"primes", "5′10″", `5'10"`},
	{"en dash", "2018–2020", "2018-2020"},
	{"em dash", "inadequate — the lowest", "inadequate - the lowest"},
	{"minus", "−5", "-5"},
	{"whitespace run", "a \t\n\n b", "a b"},
	{"no-break and thin space", "a\u00a0b\u2009c", "a b c"},
	{"edges as one space", "  a  ", " a "},
	{"single spaces kept", " a b ", " a b "},
	{"greek", "ΟΔΟΣ", "οδοσ"},
	{"invalid utf-8", "a\xffb", "a\ufffdb"},
}

func TestString(t *testing.T) {
	for _, c := range stringCases {
		t.Run(c.name, func(t *testing.T) {
			got := String(c.in)
			if got != c.want {
				t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
			}
			if again := String(got); again != got {
				t.Errorf("String not idempotent: %q -> %q -> %q", c.in, got, again)
			}
		})
	}
}

func TestMap(t *testing.T) {
	for _, c := range []struct {
		in    string
		want  string
		index []int
	}{
		{"", "", []int{}},
		{"Ab", "ab", []int{0, 1}},
		{"a  b", "a b", []int{0, 1, 3}},
		{"  “Hi”\n", ` "hi" `, []int{0, 2, 3, 4, 5, 6}},
		{"x – y", "x - y", []int{0, 1, 2, 3, 4}},
		{"a\u00a0\u00a0\tB", "a b", []int{0, 1, 4}},
	} {
		folded, index := Map([]rune(c.in))
		if string(folded) != c.want || !slices.Equal(index, c.index) {
			t.Errorf("Map(%q) = %q %v, want %q %v", c.in, string(folded), index, c.want, c.index)
		}
	}
}

// checkMap checks what Map promises for any input: the same fold as
// String, and an index that points at runes of the input in order, each
// folding to the rune it stands for.
func checkMap(t *testing.T, s string) {
	t.Helper()
	rs := []rune(s)
	folded, index := Map(rs)
	if string(folded) != String(s) {
		t.Fatalf("Map(%q) = %q, String = %q", s, string(folded), String(s))
	}
	if len(index) != len(folded) {
		t.Fatalf("Map(%q): %d runes, %d indexes", s, len(folded), len(index))
	}
	for i, at := range index {
		if at < 0 || at >= len(rs) || i > 0 && at <= index[i-1] {
			t.Fatalf("Map(%q): index %v not increasing within the input", s, index)
		}
		if folded[i] == ' ' && unicode.IsSpace(rs[at]) {
			continue // a whitespace run
		}
		if Rune(rs[at]) != folded[i] {
			t.Fatalf("Map(%q): rune %d %q maps to %q", s, i, folded[i], rs[at])
		}
	}
}

func TestMapAgreesWithString(t *testing.T) {
	for _, c := range stringCases {
		checkMap(t, c.in)
	}
}

func TestStringNoCopy(t *testing.T) {
	s := "nothing to fold here, café"
	if got := String(s); got != s {
		t.Fatalf("String(%q) = %q", s, got)
	}
	if n := testing.AllocsPerRun(10, func() { _ = String(s) }); n != 0 {
		t.Errorf("String on folded text allocates %v times, want none", n)
	}
}

func FuzzFold(f *testing.F) {
	for _, c := range stringCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkMap(t, s)
		if got := String(s); String(got) != got {
			t.Fatalf("String not idempotent on %q: %q", s, got)
		}
	})
}
