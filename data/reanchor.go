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
// text around it agrees with the passage's (see agrees), or, none agreeing,
// the words occurred once in the old text and occur once in the new (they
// moved), or the diff of the two texts carries the old range onto it.
// oldText is the text the anchor was made on, "" when that is not known
// (an annotation already orphaned on an earlier version): then only the
// context can place it.
func Reanchor(oldText, newText string, a Anchor) Reanchored {
	return NewAnchorer(oldText, newText).Place(a)
}

// Anchorer re-anchors the annotations of one article from its old text to
// its new, working out what they share (the new text's runes, the diff of
// the two texts) once for all of them.
type Anchorer struct {
	oldText, newText string
	nr, or           []rune
	diffed           bool
	diffs            []diffmatchpatch.Diff
	dmp              *diffmatchpatch.DiffMatchPatch
	// folded texts, with each folded rune's index in the text.
	folded     bool
	fnew, fold []rune
	fnewIdx    []int
}

// NewAnchorer prepares the re-anchoring of annotations made on oldText
// ("" when unknown) onto newText.
func NewAnchorer(oldText, newText string) *Anchorer {
	return &Anchorer{oldText: oldText, newText: newText, nr: []rune(newText), or: []rune(oldText)}
}

// Place finds one annotation's passage (see Reanchor).
func (r *Anchorer) Place(a Anchor) Reanchored {
	nr := r.nr
	if a.End <= len(nr) && a.Start >= 0 && a.Start < a.End && string(nr[a.Start:a.End]) == a.Exact {
		return Reanchored{a.Start, a.End, AnchorKept}
	}
	mapped := func() (int, int, bool) { return r.mapped(a) }
	if s, ok := bestOccurrence(nr, r.or, []rune(a.Exact), a, mapped); ok {
		return Reanchored{s, s + utf8.RuneCountInString(a.Exact), AnchorMoved}
	}
	if s, e, ok := r.normalizedFind(a); ok {
		return Reanchored{s, e, AnchorMoved}
	}
	if s, e, ok := r.mapped(a); ok && similarity(a.Exact, string(nr[s:e])) >= minSimilarity {
		return Reanchored{s, e, AnchorMoved}
	}
	return Reanchored{Status: AnchorOrphaned}
}

// mapped carries the annotation's old range through a diff of the old and
// new text: its place in the new text, in runes, whatever words are there
// now. The diff is made once for the article, when first asked for: most
// moved passages are found by their words and context alone.
func (r *Anchorer) mapped(a Anchor) (int, int, bool) {
	if r.oldText == "" || a.Start < 0 || a.End > len(r.or) || a.Start >= a.End {
		return 0, 0, false
	}
	if !r.diffed {
		r.diffed = true
		r.dmp = diffmatchpatch.New()
		// No timeout: a timed-out diff is coarse, and a coarse diff maps
		// ranges badly. Line mode keeps whole articles fast.
		r.dmp.DiffTimeout = 0
		r.diffs = r.dmp.DiffMain(r.oldText, r.newText, true)
	}
	startByte := utf8Len(r.or[:a.Start])
	endByte := startByte + utf8Len(r.or[a.Start:a.End])
	ns := r.dmp.DiffXIndex(r.diffs, startByte)
	ne := r.dmp.DiffXIndex(r.diffs, endByte)
	if ns < 0 || ne > len(r.newText) || ns >= ne || !utf8.ValidString(r.newText[ns:ne]) {
		return 0, 0, false
	}
	s := utf8.RuneCountInString(r.newText[:ns])
	return s, s + utf8.RuneCountInString(r.newText[ns:ne]), true
}

// utf8Len is the length in bytes of rs written as UTF-8.
func utf8Len(rs []rune) int {
	n := 0
	for _, r := range rs {
		n += utf8.RuneLen(r)
	}
	return n
}

// bestOccurrence finds exact in text (old is the text the anchor was made
// on, empty when unknown) among the occurrences that are the passage's own
// (see Reanchor): of those whose surroundings agree with the stored prefix
// or suffix, the one agreeing most, then the nearest the old start; none
// agreeing, the only one, where the words were once in the old text too;
// else the one the diff carries the old range onto (mapped, asked only
// then).
func bestOccurrence(text, old, exact []rune, a Anchor, mapped func() (int, int, bool)) (int, bool) {
	if len(exact) == 0 {
		return 0, false
	}
	found := occurrences(text, exact, -1)
	before, after := []rune(a.Prefix), []rune(a.Suffix)
	best, bestScore := -1, -1
	for _, i := range found {
		pa, sa := commonSuffix(text[:i], before), commonPrefix(text[i+len(exact):], after)
		if !agrees(pa, len(before), i) && !agrees(sa, len(after), len(text)-i-len(exact)) {
			continue
		}
		if score := pa + sa; score > bestScore || score == bestScore && abs(i-a.Start) < abs(best-a.Start) {
			best, bestScore = i, score
		}
	}
	switch {
	case best >= 0:
		return best, true
	case len(found) == 0:
		return 0, false
	case len(found) == 1 && len(occurrences(old, exact, 2)) == 1:
		return found[0], true // the only place the words were and are: they moved
	}
	ms, me, ok := mapped()
	if !ok {
		return 0, false
	}
	for _, i := range found {
		if i < me && i+len(exact) > ms && (best < 0 || abs(i-ms) < abs(best-ms)) {
			best = i
		}
	}
	return best, best >= 0
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

// occurrences lists where exact starts in text, the first limit of them
// (all for a negative limit).
func occurrences(text, exact []rune, limit int) []int {
	var at []int
	for i := 0; i+len(exact) <= len(text) && len(at) != limit; i++ {
		if text[i] == exact[0] && slices.Equal(text[i:i+len(exact)], exact) {
			at = append(at, i)
		}
	}
	return at
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
// The space the passage begins or ends with, which the search leaves out,
// belongs to its context.
func (r *Anchorer) normalizedFind(a Anchor) (int, int, bool) {
	if !r.folded {
		r.folded = true
		r.fnew, r.fnewIdx = fold.Map(r.nr)
		r.fold, _ = fold.Map(r.or)
	}
	exact := strings.TrimSpace(a.Exact)
	fe, _ := fold.Map([]rune(exact))
	if len(fe) == 0 {
		return 0, 0, false
	}
	lead := a.Exact[:strings.Index(a.Exact, exact)]
	trail := a.Exact[len(lead)+len(exact):]
	fp, _ := fold.Map([]rune(a.Prefix + lead))
	fsuf, _ := fold.Map([]rune(trail + a.Suffix))
	idx := r.fnewIdx
	// The diff's range, in runes of the new text, as runes of the folded
	// text.
	mapped := func() (int, int, bool) {
		s, e, ok := r.mapped(a)
		if !ok {
			return 0, 0, false
		}
		from, _ := slices.BinarySearch(idx, s)
		to, _ := slices.BinarySearch(idx, e)
		return from, to, from < to
	}
	s, ok := bestOccurrence(r.fnew, r.fold, fe, Anchor{Start: a.Start, Prefix: string(fp), Suffix: string(fsuf)}, mapped)
	if !ok {
		return 0, 0, false
	}
	return idx[s], idx[s+len(fe)-1] + 1, true
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
