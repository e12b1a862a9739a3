package diffing

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/parallax-research/parallax/diffing/difftest"
)

// wordDiffCases feed both TestWordDiff and FuzzWordDiff's seed corpus.
// Edits are written op-letter and text: "=" equal, "+" insert, "-" delete.
var wordDiffCases = []struct {
	name string
	a, b string
	want []string
}{
	{"both empty", "", "", nil},
	{"identical", "We know that children and families deserve better.", "We know that children and families deserve better.",
		[]string{"=We know that children and families deserve better."}},
	{"a empty", "", "New words.", []string{"+New words."}},
	{"b empty", "Old words.", "", []string{"-Old words."}},
	{"fragment", "There are widespread and serious failures across all service areas.", "widespread and serious failures",
		[]string{"-There are ", "=widespread and serious failures", "- across all service areas."}},
	// A short fragment between two long cuts stays a fragment: the
	// semantic cleanup would strike the whole reference and insert it.
	{"short fragment of a long sentence", "Last spring the river rose over its banks and it flooded a long and narrow strip of farmland near the town bridge",
		"long and narrow strip", []string{"-Last spring the river rose over its banks and it flooded a ", "=long and narrow strip", "- of farmland near the town bridge"}},
	{"extension", "It is our priority that children get the best services.", "It is our priority that children get the best services, she said.",
		[]string{"=It is our priority that children get the best services", "+, she said", "=."}},
	{"elision with ...", "the experience and progress of many children have declined", "the experience... of many children",
		[]string{"=the experience", "- and progress", "+...", "= of many children", "- have declined"}},
	{"elision with …", "the experience and progress of many children", "the experience … of many children",
		[]string{"=the experience", "- and progress", "+ …", "= of many children"}},
	{"insertion of [him]", "She told that she would resign", "She told [him] that she would resign",
		[]string{"=She told", "+ [him]", "= that she would resign"}},
	// Semantic cleanup folds a one-word equality between edits into the
	// change: "him" became "[him]" reads better than three edits.
	{"bracketed substitution", "I saw him there", "I saw [him] there",
		[]string{"=I saw", "- him", "+ [him]", "= there"}},
	{"brackets removed", "I saw [him] there", "I saw him there",
		[]string{"=I saw", "- [him]", "+ him", "= there"}},
	{"space kept after pure insertion", "we saw it", "we saw [that] it",
		[]string{"=we saw", "+ [that]", "= it"}},
	{"space kept before glued insertion", "told him so", "told [Mr] him so",
		[]string{"=told", "+ [Mr]", "= him so"}},
	{"space moved after glued insertion", "told him so", "told (him) so",
		[]string{"=told", "- him", "+ (him)", "= so"}},
	{"space after pure insertion glued to next", "told him so", "told x-him so",
		[]string{"=told", "- him", "+ x-him", "= so"}},
	{"space moves after pure insertion", "He said yes", "He said ,yes",
		[]string{"=He said ", "+,", "=yes"}},
	{"space moves after pure deletion", "He said ,yes", "He said yes",
		[]string{"=He said ", "-,", "=yes"}},
	{"substitution", "The testament of the witness was heard.", "The testimony of the witness was heard.",
		[]string{"=The", "- testament", "+ testimony", "= of the witness was heard."}},
	{"curly vs straight quotes", `He said “it’s children’s care” today.`, `He said "it's children's care" today.`,
		[]string{`=He said "it's children's care" today.`}},
	{"case only", "Significant weaknesses remain", "SIGNIFICANT weaknesses remain",
		[]string{"=SIGNIFICANT weaknesses remain"}},
	{"dashes and ellipsis forms", "inadequate – the lowest… rating", "inadequate - the lowest... rating",
		[]string{"=inadequate - the lowest... rating"}},
	{"whitespace only", "a  b\n\nc", "a b c", []string{"=a b c"}},
	{"leading and trailing whitespace", "  words here  ", "words here\n", []string{"=words here\n"}},
	{"glued after change", "foo bar baz", "foo,baz", []string{"=foo", "- bar ", "+,", "=baz"}},
	{"split after change", "foo,baz", "foo bar baz", []string{"=foo", "-,", "+ bar ", "=baz"}},
	{"indirect speech", "Corporate leaders continue to lack understanding of what actions, time and resources are needed",
		"leaders at the council continued to lack understanding of what actions and resources were needed",
		[]string{"-Corporate leaders continue", "+leaders at the council continued", "= to lack understanding of what actions", "-, time", "= and resources", "- are", "+ were", "= needed"}},
	{"punctuation only", "Yes.", "Yes!", []string{"=Yes", "-.", "+!"}},
	{"whitespace b only", "", "  ", []string{"+  "}},
	{"whitespace both", " ", "\n", []string{"=\n"}},
	{"whitespace a only", " ", "", []string{"- "}},
	// Found by FuzzWordDiff: a dash and a hyphen normalise alike but only
	// the hyphen joins words, so the rebuilt a reads "inadequate-the".
	{"dash equals hyphen", "inadequate–the lowest", "inadequate-", []string{"=inadequate-", "-the lowest"}},
}

func editsString(es []Edit) []string {
	var out []string
	for _, e := range es {
		switch e.Op {
		case OpEqual:
			out = append(out, "="+e.Text)
		case OpInsert:
			out = append(out, "+"+e.Text)
		case OpDelete:
			out = append(out, "-"+e.Text)
		default:
			out = append(out, "?"+e.Text)
		}
	}
	return out
}

// rebuild concatenates the text of the edits with the given ops.
func rebuild(es []Edit, ops ...Op) string {
	var b strings.Builder
	for _, e := range es {
		if slices.Contains(ops, e.Op) {
			b.WriteString(e.Text)
		}
	}
	return b.String()
}

func norms(s string) []string {
	var out []string
	for _, w := range Tokenize(s) {
		out = append(out, w.Norm)
	}
	return out
}

// checkWordDiffInvariants checks what WordDiff promises for any input:
// equal+insert rebuild b exactly; equal+delete rebuild a up to
// normalisation and whitespace; no empty edits; no two adjacent edits with
// the same op.
func checkWordDiffInvariants(t *testing.T, a, b string, es []Edit) {
	t.Helper()
	if got := rebuild(es, OpEqual, OpInsert); got != b {
		t.Fatalf("equal+insert = %q, want b = %q\nedits %q", got, b, editsString(es))
	}
	if got := rebuild(es, OpEqual, OpDelete); withoutSpace(Normalize(got)) != withoutSpace(Normalize(a)) {
		t.Fatalf("equal+delete = %q, want a = %q up to normalisation\nedits %q", got, a, editsString(es))
	}
	for i, e := range es {
		if e.Text == "" {
			t.Fatalf("edit %d is empty: %q", i, editsString(es))
		}
		if i > 0 && es[i-1].Op == e.Op {
			t.Fatalf("edits %d and %d share op %s: %q", i-1, i, e.Op, editsString(es))
		}
	}
}

func withoutSpace(s string) string { return strings.ReplaceAll(s, " ", "") }

func TestWordDiff(t *testing.T) {
	for _, tc := range wordDiffCases {
		t.Run(tc.name, func(t *testing.T) {
			es := WordDiff(tc.a, tc.b)
			if got := editsString(es); !slices.Equal(got, tc.want) {
				t.Errorf("WordDiff(%q, %q)\n got %q\nwant %q", tc.a, tc.b, got, tc.want)
			}
			checkWordDiffInvariants(t, tc.a, tc.b, es)
			checkWordDiffInvariants(t, tc.a, tc.b, wordDiff(tc.a, tc.b, 0))
			// Stronger than the promise, and true whenever b writes its
			// hyphens and apostrophes as a does: the rebuilt a splits into
			// a's tokens, so no two words were glued together.
			if got := rebuild(es, OpEqual, OpDelete); tc.name != "dash equals hyphen" && !slices.Equal(norms(got), norms(tc.a)) {
				t.Errorf("equal+delete = %q, tokens %q; want a's tokens %q", got, norms(got), norms(tc.a))
			}
		})
	}
}

// TestWordDiffFrom: diffing against a reference tokenized once gives what
// WordDiff gives, for every case, the same reference reused.
func TestWordDiffFrom(t *testing.T) {
	for _, tc := range wordDiffCases {
		diff := WordDiffFrom(tc.a)
		for range 2 {
			if got, want := diff(tc.b), WordDiff(tc.a, tc.b); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: WordDiffFrom(a)(b) = %v, WordDiff = %v", tc.name, got, want)
			}
		}
	}
}

// TestWordDiffFallbackIsExact checks the path WordDiff takes when go-diff's
// semantic cleanup returns a diff that no longer covers the tokens (see
// WordDiff): consistent must catch it, and the raw diff must rebuild both
// texts.
func TestWordDiffFallbackIsExact(t *testing.T) {
	split := []diffmatchpatch.Diff{
		{Type: diffmatchpatch.DiffEqual, Text: "x\xc3"},
		{Type: diffmatchpatch.DiffInsert, Text: "\xa9y"},
	}
	if consistent(split, 2, 3) {
		t.Error("consistent accepted a diff with a split rune")
	}
	short := []diffmatchpatch.Diff{{Type: diffmatchpatch.DiffEqual, Text: "ab"}}
	if consistent(short, 3, 2) {
		t.Error("consistent accepted a diff that leaves a token of a uncovered")
	}
	a, b := "the cat sat on the mat", "the dog sat on a mat"
	ta, tb := tokenize(a), tokenize(b)
	ra, rb, _ := encodeTokens(ta, tb)
	raw := diffmatchpatch.New().DiffMainRunes(ra, rb, false)
	if !consistent(raw, len(ra), len(rb)) {
		t.Fatalf("raw diff %q inconsistent", raw)
	}
	checkWordDiffInvariants(t, a, b, buildEdits(a, b, ta, tb, raw))
}

// TestWordDiffManyTokens exercises token runes beyond one byte, where
// go-diff's semantic cleanup can split runes (see WordDiff), and beyond
// the UTF-16 surrogate range, which no rune may encode.
func TestWordDiffManyTokens(t *testing.T) {
	var a, b strings.Builder
	for i := range 60000 {
		fmt.Fprintf(&a, "w%d ", i)
		if i%7 == 0 {
			fmt.Fprintf(&b, "w%d x%d ", i, i%3)
		} else if i%11 != 0 {
			fmt.Fprintf(&b, "w%d ", i)
		}
	}
	// Repeated rare tokens after a change: the shape that makes go-diff's
	// lossless shift cut a multi-byte rune.
	a.WriteString("q1 r9 q1 s r9")
	b.WriteString("q1 r9 t q1 r9 s r9")
	es := WordDiff(a.String(), b.String())
	checkWordDiffInvariants(t, a.String(), b.String(), es)
}

// TestWordDiffPairsCorpus diffs whole corpus articles, which are long
// enough to take the anchored path (see diffAnchored): every pair, and
// every article against a copy with words dropped, doubled and changed.
// Besides the invariants it checks that anchoring loses next to nothing
// against go-diff's exact diff once both are cleaned up.
func TestWordDiffPairsCorpus(t *testing.T) {
	arts := difftest.Bradford(t)
	texts := make([]string, 0, 2*len(arts))
	for _, a := range arts {
		texts = append(texts, a.Text)
	}
	for _, a := range arts {
		words := strings.Fields(a.Text)
		for i := range words {
			switch i % 17 {
			case 3:
				words[i] = ""
			case 8:
				words[i] += " " + words[i]
			case 12:
				words[i] = strings.ToUpper(words[i]) + "x"
			}
		}
		texts = append(texts, strings.Join(words, " "))
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	for i, a := range texts {
		for j, b := range texts {
			if j < i && j != i-len(arts) {
				continue
			}
			es := WordDiff(a, b)
			checkWordDiffInvariants(t, a, b, es)
			// Anchoring gives up matches of scattered common words between
			// unrelated texts, which semantic cleanup discards anyway; after
			// the cleanup it should match about as much as the exact diff.
			ra, rb, _ := encodeTokens(tokenize(a), tokenize(b))
			exact := matchedTokens(dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false)))
			anchored := matchedTokens(dmp.DiffCleanupSemantic(diffShared(dmp, ra, rb, anchorAbove)))
			if anchored < exact*9/10-10 {
				t.Errorf("texts %d and %d: anchored diff keeps %d tokens equal, exact diff %d", i, j, anchored, exact)
			}
			if j == i+len(arts) {
				// An article against its edited copy: most words survive
				// the semantic cleanup as equal.
				if got := len(norms(rebuild(es, OpEqual))); got < len(ra)*3/4 {
					t.Errorf("article %d against its edit: %d of %d tokens equal", i, got, len(ra))
				}
			}
		}
	}
}

func matchedTokens(ds []diffmatchpatch.Diff) int {
	n := 0
	for _, d := range ds {
		if d.Type == diffmatchpatch.DiffEqual {
			n += utf8.RuneCountInString(d.Text)
		}
	}
	return n
}

func FuzzWordDiff(f *testing.F) {
	for _, tc := range wordDiffCases {
		f.Add(tc.a, tc.b)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		es := WordDiff(a, b)
		if got := rebuild(es, OpEqual, OpInsert); got != b {
			t.Fatalf("equal+insert = %q, want b = %q\nedits %q", got, b, editsString(es))
		}
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			// Rebuilding a from pieces of both texts can join two invalid
			// bytes into a valid rune, so a is only promised for UTF-8.
			return
		}
		checkWordDiffInvariants(t, a, b, es)
		// The anchored path that whole articles take, forced on.
		checkWordDiffInvariants(t, a, b, wordDiff(a, b, 0))
	})
}

// tenKBPairForWords is corpus articles 000 and 001, each repeated three
// times to about 10 KB, as in STYLE.md's go-diff measurement.
func tenKBPairForWords(b *testing.B) (string, string) {
	b.Helper()
	arts := difftest.Bradford(b)
	if len(arts) < 2 {
		b.Fatal("need corpus articles 000 and 001")
	}
	rep := func(s string) string { return strings.Repeat(s+"\n\n", 3) }
	return rep(arts[0].Text), rep(arts[1].Text)
}

func BenchmarkWordDiff10KB(b *testing.B) {
	x, y := tenKBPairForWords(b)
	b.SetBytes(int64(len(x) + len(y)))
	for b.Loop() {
		WordDiff(x, y)
	}
}

// BenchmarkCharDiff10KB is the character-level baseline for
// BenchmarkWordDiff10KB: go-diff's DiffMain on the same pair, with no
// time limit so that it computes the real diff rather than giving up.
func BenchmarkCharDiff10KB(b *testing.B) {
	x, y := tenKBPairForWords(b)
	b.SetBytes(int64(len(x) + len(y)))
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	for b.Loop() {
		dmp.DiffMain(x, y, false)
	}
}
