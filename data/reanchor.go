package data

import (
	"slices"
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
// place, then as exact text elsewhere, then ignoring quote style, case and
// spacing, then by mapping its range through a diff of the old and new
// text and checking that the words there are still mostly the passage's.
//
// The same words elsewhere are not enough: "12 people" corrected to "21
// people" must not move the coding onto a later "12 people had been
// injured". An occurrence is taken only when it is the passage's own: the
// words occurred once in the old text and occur once in the new (they
// moved), or the text around it agrees with the passage's (see agrees), or
// the diff of the two texts carries the old range onto it.
func Reanchor(oldText, newText string, a Anchor) Reanchored {
	nr := []rune(newText)
	if a.End <= len(nr) && a.Start >= 0 && a.Start < a.End && string(nr[a.Start:a.End]) == a.Exact {
		return Reanchored{a.Start, a.End, AnchorKept}
	}
	m := &mapping{oldText: oldText, newText: newText, a: a}
	if s, ok := bestOccurrence(nr, []rune(oldText), []rune(a.Exact), a, m.runes); ok {
		return Reanchored{s, s + utf8.RuneCountInString(a.Exact), AnchorMoved}
	}
	if s, e, ok := normalizedFind(nr, []rune(oldText), a, m); ok {
		return Reanchored{s, e, AnchorMoved}
	}
	if s, e, ok := m.runes(); ok && similarity(a.Exact, string(nr[s:e])) >= minSimilarity {
		return Reanchored{s, e, AnchorMoved}
	}
	return Reanchored{Status: AnchorOrphaned}
}

// mapping is the annotation's old range carried through a diff of the old
// and new text, worked out once and only when asked for: most moved
// passages are found by their words and context alone.
type mapping struct {
	oldText, newText string
	a                Anchor
	done, ok         bool
	start, end       int // runes of the new text
}

// runes is the mapped range in runes of the new text.
func (m *mapping) runes() (int, int, bool) {
	if !m.done {
		m.done = true
		m.start, m.end, m.ok = diffMapped(m.oldText, m.newText, m.a)
	}
	return m.start, m.end, m.ok
}

// bestOccurrence finds exact in text (old is the text the anchor was made
// on, empty when unknown), among the occurrences that are the passage's
// own (see Reanchor), preferring the one whose surroundings match the
// stored prefix and suffix best, then the one nearest where the diff
// carries the old range, or else the old start.
func bestOccurrence(text, old, exact []rune, a Anchor, mapped func() (int, int, bool)) (int, bool) {
	if len(exact) == 0 {
		return 0, false
	}
	type occurrence struct{ at, score int }
	var found []occurrence
	for i := 0; i+len(exact) <= len(text); i++ {
		if text[i] != exact[0] || string(text[i:i+len(exact)]) != string(exact) {
			continue
		}
		before, after := []rune(a.Prefix), []rune(a.Suffix)
		pa, sa := commonSuffix(text[:i], before), commonPrefix(text[i+len(exact):], after)
		score := pa + sa
		if !agrees(pa, len(before), i) && !agrees(sa, len(after), len(text)-i-len(exact)) {
			score = -1 // its own only if it moved alone or the diff carries the range there
		}
		found = append(found, occurrence{i, score})
	}
	if len(found) == 0 {
		return 0, false
	}
	if len(found) == 1 && found[0].score < 0 && occurrences(old, exact, 2) == 1 {
		found[0].score = 0 // the only place the words were and are: they moved
	}
	near := a.Start
	best := -1
	for k, o := range found {
		if o.score < 0 {
			ms, me, ok := mapped()
			if !ok || o.at >= me || o.at+len(exact) <= ms {
				continue
			}
			o.score, near = 0, ms
			found[k] = o
		}
		if best < 0 || o.score > found[best].score || o.score == found[best].score && abs(o.at-near) < abs(found[best].at-near) {
			best = k
		}
	}
	if best < 0 {
		return 0, false
	}
	return found[best].at, true
}

// agreeContext is how many runes of the text beside an occurrence must
// be the passage's own prefix or suffix for the occurrence to be the
// passage's: enough to hold a word or two of the sentence around it, so
// that a bare quote mark and a space, which any quotation shares, do not
// count.
const agreeContext = 12

// agrees reports whether n runes of a stored context of length stored
// agree with the text beside an occurrence that has room runes on that
// side: agreeContext of them, or, where the stored context is shorter
// because the passage began or ended the article, all of it with the
// occurrence at the same edge of the new text.
func agrees(n, stored, room int) bool {
	if n >= agreeContext {
		return true
	}
	return stored < quoteContext && n == stored && room == stored
}

// occurrences counts exact in text, up to limit.
func occurrences(text, exact []rune, limit int) int {
	n := 0
	for i := 0; i+len(exact) <= len(text) && n < limit; i++ {
		if text[i] == exact[0] && string(text[i:i+len(exact)]) == string(exact) {
			n++
		}
	}
	return n
}

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
func normalizedFind(text, old []rune, a Anchor, m *mapping) (int, int, bool) {
	ft, idx := fold.Map(text)
	fe, _ := fold.Map([]rune(strings.TrimSpace(a.Exact)))
	if len(fe) == 0 {
		return 0, 0, false
	}
	fo, _ := fold.Map(old)
	fp, _ := fold.Map([]rune(a.Prefix))
	fs, _ := fold.Map([]rune(a.Suffix))
	// The diff's range, in runes of the new text, as runes of the folded
	// text.
	mapped := func() (int, int, bool) {
		s, e, ok := m.runes()
		if !ok {
			return 0, 0, false
		}
		fs, _ := slices.BinarySearch(idx, s)
		fe, _ := slices.BinarySearch(idx, e)
		return fs, fe, fs < fe
	}
	s, ok := bestOccurrence(ft, fo, fe, Anchor{Start: a.Start, Prefix: string(fp), Suffix: string(fs)}, mapped)
	if !ok {
		return 0, 0, false
	}
	return idx[s], idx[s+len(fe)-1] + 1, true
}

// diffMapped carries the range through a diff of the old and new text:
// its place in the new text, in runes, whatever words are there now.
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
	s := utf8.RuneCountInString(newText[:ns])
	return s, s + utf8.RuneCountInString(newText[ns:ne]), true
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
