package data

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/parallax-research/parallax/diffing/fold"
)

// AnchorStatus says what re-anchoring did with an annotation.
type AnchorStatus string

// Re-anchoring outcomes.
const (
	AnchorKept     AnchorStatus = "kept"     // same words at the same place
	AnchorMoved    AnchorStatus = "moved"    // same (or nearly the same) words elsewhere
	AnchorOrphaned AnchorStatus = "orphaned" // passage gone or only weakly similar: left for the user
)

// Anchor is what an annotation knows about its passage.
type Anchor struct {
	Start, End            int
	Exact, Prefix, Suffix string
}

// Reanchored is an annotation's new range in the new text.
type Reanchored struct {
	Start, End int
	Status     AnchorStatus
}

// minSimilarity is how much of the passage's words a fuzzy match must keep
// before the annotation is moved onto it; below, it is orphaned rather than
// attached to the wrong words.
const minSimilarity = 0.8

// Reanchor finds an annotation's passage in a changed article: at its old
// place, then as exact text elsewhere (context and distance pick among
// repeats), then ignoring quote style, case and spacing, then by mapping
// its range through a diff of the old and new text and checking that the
// words there are still mostly the passage's.
func Reanchor(oldText, newText string, a Anchor) Reanchored {
	nr := []rune(newText)
	if a.End <= len(nr) && a.Start >= 0 && a.Start < a.End && string(nr[a.Start:a.End]) == a.Exact {
		return Reanchored{a.Start, a.End, AnchorKept}
	}
	if s, ok := bestOccurrence(nr, []rune(a.Exact), a); ok {
		return Reanchored{s, s + utf8.RuneCountInString(a.Exact), AnchorMoved}
	}
	if s, e, ok := normalizedFind(nr, a); ok {
		return Reanchored{s, e, AnchorMoved}
	}
	if s, e, ok := diffMapped(oldText, newText, a); ok {
		return Reanchored{s, e, AnchorMoved}
	}
	return Reanchored{Status: AnchorOrphaned}
}

// bestOccurrence finds exact in text, preferring the occurrence whose
// surroundings match the stored prefix and suffix, then the nearest.
func bestOccurrence(text, exact []rune, a Anchor) (int, bool) {
	if len(exact) == 0 {
		return 0, false
	}
	best, bestScore, count := -1, -1, 0
	for i := 0; i+len(exact) <= len(text); i++ {
		if text[i] != exact[0] || string(text[i:i+len(exact)]) != string(exact) {
			continue
		}
		count++
		score := commonSuffix(text[:i], []rune(a.Prefix)) + commonPrefix(text[i+len(exact):], []rune(a.Suffix))
		if score > bestScore || score == bestScore && abs(i-a.Start) < abs(best-a.Start) {
			best, bestScore = i, score
		}
	}
	// Among repeats, only context can tell which one was meant; without
	// any, let the position-tracking diff decide or orphan it.
	if count > 1 && bestScore < minContext {
		return 0, false
	}
	return best, best >= 0
}

// minContext is how many runes of prefix and suffix must agree to choose
// among several occurrences of the same passage.
const minContext = 4

func commonSuffix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// normalizedFind looks for the passage in the folded text (see fold.Map):
// quote style, dashes, case and runs of whitespace are then no difference.
func normalizedFind(text []rune, a Anchor) (int, int, bool) {
	ft, idx := fold.Map(text)
	fe, _ := fold.Map([]rune(strings.TrimSpace(a.Exact)))
	if len(fe) == 0 {
		return 0, 0, false
	}
	fp, _ := fold.Map([]rune(a.Prefix))
	fs, _ := fold.Map([]rune(a.Suffix))
	s, ok := bestOccurrence(ft, fe, Anchor{Start: a.Start, Prefix: string(fp), Suffix: string(fs)})
	if !ok {
		return 0, 0, false
	}
	return idx[s], idx[s+len(fe)-1] + 1, true
}

// diffMapped carries the range through a diff of the old and new text and
// accepts the result only if it still holds most of the passage's words.
func diffMapped(oldText, newText string, a Anchor) (int, int, bool) {
	or := []rune(oldText)
	if a.Start < 0 || a.End > len(or) || a.Start >= a.End {
		return 0, 0, false
	}
	dmp := diffmatchpatch.New()
	// No timeout: a timed-out diff is coarse, and a coarse diff maps
	// ranges badly. Line mode keeps whole articles fast.
	dmp.DiffTimeout = 0
	diffs := dmp.DiffMain(oldText, newText, true)
	startByte := len(string(or[:a.Start]))
	endByte := len(string(or[:a.End]))
	ns := dmp.DiffXIndex(diffs, startByte)
	ne := dmp.DiffXIndex(diffs, endByte)
	if ns < 0 || ne > len(newText) || ns >= ne || !utf8.ValidString(newText[ns:ne]) {
		return 0, 0, false
	}
	cand := newText[ns:ne]
	if similarity(a.Exact, cand) < minSimilarity {
		return 0, 0, false
	}
	s := utf8.RuneCountInString(newText[:ns])
	return s, s + utf8.RuneCountInString(cand), true
}

// similarity is the share of the passage's words found, in order, in the
// candidate, penalised when the candidate is much longer.
func similarity(exact, cand string) float64 {
	a, b := wordsOf(exact), wordsOf(cand)
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	l := commonWords(a, b)
	sim := float64(l) / float64(len(a))
	if len(b) > len(a) {
		sim *= float64(len(a)) / float64(len(b))
	}
	return sim
}

// firstWordRune is where commonWords starts numbering words: the private
// use area, so that every word gets a valid rune of its own up to
// utf8.MaxRune.
const firstWordRune = 0xE000

// commonWords is how many words a and b have in common in order: the
// length of their longest common subsequence. Each distinct word becomes
// one rune and go-diff compares the two rune strings; with no time limit
// and no clean-up pass its diff is minimal, so its equal parts are such a
// subsequence.
func commonWords(a, b []string) int {
	if len(a)+len(b) > utf8.MaxRune-firstWordRune {
		return 0 // more distinct words than runes: no passage is this long
	}
	ids := map[string]rune{}
	encode := func(words []string) []rune {
		rs := make([]rune, len(words))
		for i, w := range words {
			r, ok := ids[w]
			if !ok {
				r = firstWordRune + rune(len(ids))
				ids[w] = r
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := encode(a), encode(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // a timed-out diff is not minimal
	n := 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		if d.Type == diffmatchpatch.DiffEqual {
			n += utf8.RuneCountInString(d.Text)
		}
	}
	return n
}

func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.Map(fold.Rune, s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
