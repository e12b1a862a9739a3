package diffing

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// Op is what an edit does to the reference text: vocab.Op, the type the
// store and the screens keep diffs in, so an Edit's op passes through
// unconverted.
type Op = vocab.Op

// Edit operations.
const (
	OpEqual  = vocab.OpEqual
	OpInsert = vocab.OpInsert
	OpDelete = vocab.OpDelete
)

// Edit is one step of a word diff: vocab.Edit, the form the screens, the
// exports and the command line show diffs in.
type Edit = vocab.Edit

// maxTokenRune bounds the token alphabet: one valid, non-surrogate code
// point per distinct token.
const maxTokenRune = utf8.MaxRune - (0xdfff - 0xd800 + 1)

// WordDiff diffs b against the reference a at word level. Each distinct
// normalised token (see Tokenize and Normalize) is encoded as one rune, as
// go-diff's DiffLinesToRunes does for lines, so the diff can never split a
// word; go-diff's DiffMainRunes and DiffCleanupSemantic then compute it.
// Tokens compare by their normalised form, so curly against straight
// quotes, or case alone, are not differences. Passages of up to
// anchorAbove tokens get go-diff's exact diff; longer texts, such as whole
// articles, are first anchored on the rare words they share (see
// diffAnchored).
//
// Whitespace before a token travels with that token. Concatenating the
// Text of the equal and insert edits gives b exactly. Concatenating the
// equal and delete edits gives a up to normalisation and whitespace (equal
// edits carry b's text). Where one text has a space between two words and
// the other none, right after a change, the space is kept, or shown as a
// whitespace-only edit, so that the rebuilt a never glues two words
// together; this holds for valid UTF-8, as pieces of invalid text from the
// two sides can join into another rune. Adjacent edits of the same op are
// merged, and between two equal edits a delete comes before an insert.
func WordDiff(a, b string) []Edit {
	return wordDiff(a, b, anchorAbove)
}

// WordDiffFrom returns WordDiff(a, ·): a cluster's versions are each
// diffed against its reference, which is tokenized once.
func WordDiffFrom(a string) func(b string) []Edit {
	ta := tokenize(a)
	return func(b string) []Edit { return wordDiffTokens(a, b, ta, tokenize(b), anchorAbove) }
}

// wordDiff is WordDiff with the size above which the diff is anchored
// (see diffAnchored) as a parameter, so that tests can take the anchored
// path on small inputs.
func wordDiff(a, b string, above int) []Edit {
	return wordDiffTokens(a, b, tokenize(a), tokenize(b), above)
}

// wordDiffTokens is wordDiff over texts already tokenized.
func wordDiffTokens(a, b string, ta, tb []token, above int) []Edit {
	ra, rb, ok := encodeTokens(ta, tb)
	if !ok {
		// More distinct tokens than there are runes: megabytes of text,
		// far beyond what a word diff is for. Say everything changed.
		var out editList
		out.add(OpDelete, a)
		out.add(OpInsert, b)
		return out
	}

	dmp := diffmatchpatch.New()
	// No time limit. With go-diff's default of one second, a diff that
	// runs long gives up and returns a coarse, unreadable result without
	// any error (measured on 10 KB article pairs, STYLE.md); a word diff of
	// aligned passages finishes in milliseconds, so the limit buys nothing
	// and its silent failure would be mistaken for real differences.
	dmp.DiffTimeout = 0
	diffs := diffShared(dmp, ra, rb, above)
	raw := slices.Clone(diffs)
	diffs = dmp.DiffCleanupSemantic(diffs)
	if oneSided(raw) && equalRunes(diffs) < equalRunes(raw)-2 {
		// Only words left out (a fragment, an elision without a mark) or
		// only words added, and the cleanup folded a kept stretch of three
		// words or more into the change: it would show a fragment as the
		// whole reference struck and the fragment inserted, hiding exactly
		// what was kept. (A kept word or two between brackets added, "him"
		// to "[him]", still reads better folded.)
		diffs = raw
	}
	if !consistent(diffs, len(ra), len(rb)) {
		// go-diff v1.4.0's DiffCleanupSemanticLossless measures a common
		// suffix in runes and then cuts that many bytes, which can split a
		// multi-byte token rune. Its byte-wise search afterwards has always
		// come back to a rune boundary in our trials (millions of random
		// pairs), but nothing guarantees it, and one split rune would shift
		// every token after it onto the wrong text. The uncleaned diff is
		// exact, only more fragmented.
		diffs = raw
	}
	return buildEdits(a, b, ta, tb, diffs)
}

// oneSided reports whether a diff only deletes or only inserts.
func oneSided(diffs []diffmatchpatch.Diff) bool {
	var del, ins bool
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			del = true
		case diffmatchpatch.DiffInsert:
			ins = true
		}
	}
	return !del || !ins
}

// equalRunes counts the tokens a diff keeps.
func equalRunes(diffs []diffmatchpatch.Diff) int {
	n := 0
	for _, d := range diffs {
		if d.Type == diffmatchpatch.DiffEqual {
			n += utf8.RuneCountInString(d.Text)
		}
	}
	return n
}

// encodeTokens gives each distinct normalised token one rune, in order of
// first appearance, skipping the surrogate range that no rune may hold.
func encodeTokens(ta, tb []token) (ra, rb []rune, ok bool) {
	code := make(map[string]rune)
	enc := func(ts []token) []rune {
		rs := make([]rune, len(ts))
		for i, t := range ts {
			r, seen := code[t.Norm]
			if !seen {
				r = rune(len(code))
				if r >= 0xd800 {
					r += 0xdfff - 0xd800 + 1
				}
				code[t.Norm] = r
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb = enc(ta), enc(tb)
	return ra, rb, len(code) <= maxTokenRune
}

// diffShared diffs ra against rb with DiffMainRunes over only the tokens
// that occur in both. A token found on one side only can never be part of
// a common subsequence, so leaving it out changes nothing about which
// tokens can match, but it shortens both sequences and the edit distance D
// that go-diff's bisection costs O(D²) in when texts differ: between two
// articles on one story, a fifth to a half of the tokens are unique to one
// side. The left-out tokens go back in as deletions and insertions where
// they stood.
func diffShared(dmp *diffmatchpatch.DiffMatchPatch, ra, rb []rune, above int) []diffmatchpatch.Diff {
	inA := make(map[rune]bool, len(ra))
	for _, r := range ra {
		inA[r] = true
	}
	inB := make(map[rune]bool, len(rb))
	for _, r := range rb {
		inB[r] = true
	}
	var ka, kb []int // indices of the shared tokens
	for i, r := range ra {
		if inB[r] {
			ka = append(ka, i)
		}
	}
	for j, r := range rb {
		if inA[r] {
			kb = append(kb, j)
		}
	}
	if len(ka) == len(ra) && len(kb) == len(rb) {
		return diffAnchored(dmp, ra, rb, above)
	}
	sa, sb := make([]rune, len(ka)), make([]rune, len(kb))
	for i, k := range ka {
		sa[i] = ra[k]
	}
	for j, k := range kb {
		sb[j] = rb[k]
	}

	var out diffRuns
	ia, ib := 0, 0 // next token of ra and rb not yet emitted
	// upTo emits the left-out tokens before ra[na] and rb[nb].
	upTo := func(na, nb int) {
		out.add(diffmatchpatch.DiffDelete, ra[ia:na])
		out.add(diffmatchpatch.DiffInsert, rb[ib:nb])
		ia, ib = na, nb
	}
	xa, xb := 0, 0 // next shared token of sa and sb
	for _, d := range diffAnchored(dmp, sa, sb, above) {
		for range utf8.RuneCountInString(d.Text) {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				upTo(ka[xa], kb[xb])
				out.add(diffmatchpatch.DiffEqual, ra[ia:ia+1])
				ia, ib = ia+1, ib+1
				xa, xb = xa+1, xb+1
			case diffmatchpatch.DiffDelete:
				upTo(ka[xa], ib)
				out.add(diffmatchpatch.DiffDelete, ra[ia:ia+1])
				ia, xa = ia+1, xa+1
			case diffmatchpatch.DiffInsert:
				upTo(ia, kb[xb])
				out.add(diffmatchpatch.DiffInsert, rb[ib:ib+1])
				ib, xb = ib+1, xb+1
			}
		}
	}
	upTo(len(ra), len(rb))
	return out.done()
}

// Anchoring thresholds; see diffAnchored.
const (
	anchorAbove = 1000 // tokens on both sides together
	anchorRare  = 4    // most occurrences on either side of an anchor token
)

// diffAnchored is DiffMainRunes, except that for long texts (whole
// articles rather than the aligned passages WordDiff is meant for) it
// first matches the rare tokens, those that occur at most anchorRare
// times on each side (names, figures, unusual words), and then diffs each
// gap between matched rare tokens on its own, as histogram and patience
// diff do (and STYLE.md's go-diff measurement recommends). Splitting a
// diff of distance D into k gaps cuts go-diff's O(D²) work about k-fold.
// The result is no longer guaranteed minimal, only anchored on the rare
// words the texts share; texts of up to above tokens (anchorAbove in
// WordDiff: every quote, sentence and paragraph) get go-diff's exact diff.
func diffAnchored(dmp *diffmatchpatch.DiffMatchPatch, sa, sb []rune, above int) []diffmatchpatch.Diff {
	if len(sa)+len(sb) <= above {
		return dmp.DiffMainRunes(sa, sb, false)
	}
	count := make(map[rune][2]int)
	for _, r := range sa {
		c := count[r]
		c[0]++
		count[r] = c
	}
	for _, r := range sb {
		c := count[r]
		c[1]++
		count[r] = c
	}
	rare := func(r rune) bool { c := count[r]; return c[0] <= anchorRare && c[1] <= anchorRare }
	var pa, pb []int // positions of rare tokens
	var qa, qb []rune
	for i, r := range sa {
		if rare(r) {
			pa, qa = append(pa, i), append(qa, r)
		}
	}
	for j, r := range sb {
		if rare(r) {
			pb, qb = append(pb, j), append(qb, r)
		}
	}
	var anchors [][2]int
	xa, xb := 0, 0
	for _, d := range dmp.DiffMainRunes(qa, qb, false) {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			for k := range n {
				anchors = append(anchors, [2]int{pa[xa+k], pb[xb+k]})
			}
			xa, xb = xa+n, xb+n
		case diffmatchpatch.DiffDelete:
			xa += n
		case diffmatchpatch.DiffInsert:
			xb += n
		}
	}
	if len(anchors) == 0 {
		return dmp.DiffMainRunes(sa, sb, false)
	}
	// Gaps are anchored again on the words rare within them, but each
	// level doubles the size up to which a gap gets the exact diff, so
	// that texts whose rare words match only one or two at a time cannot
	// recurse deeper than log₂ of their length.
	above = 2*above + 1
	var out diffRuns
	prevA, prevB := 0, 0
	for _, an := range anchors {
		out.addDiffs(diffShared(dmp, sa[prevA:an[0]], sb[prevB:an[1]], above))
		out.add(diffmatchpatch.DiffEqual, sa[an[0]:an[0]+1])
		prevA, prevB = an[0]+1, an[1]+1
	}
	out.addDiffs(diffShared(dmp, sa[prevA:], sb[prevB:], above))
	return out.done()
}

// diffRuns gathers a diff a few tokens at a time into one Diff per run of
// one op: a Diff per token would make go-diff's DiffCleanupMerge, which
// splices, quadratic.
type diffRuns struct {
	out []diffmatchpatch.Diff
	run []rune
	op  diffmatchpatch.Operation
}

func (d *diffRuns) add(op diffmatchpatch.Operation, rs []rune) {
	if len(rs) == 0 {
		return
	}
	if op != d.op {
		d.flush()
		d.op = op
	}
	d.run = append(d.run, rs...)
}

func (d *diffRuns) addDiffs(ds []diffmatchpatch.Diff) {
	for _, x := range ds {
		d.add(x.Type, []rune(x.Text))
	}
}

func (d *diffRuns) flush() {
	if len(d.run) > 0 {
		d.out = append(d.out, diffmatchpatch.Diff{Type: d.op, Text: string(d.run)})
		d.run = d.run[:0]
	}
}

// done returns the diff in go-diff's normal form: runs merged, each change
// a deletion then an insertion.
func (d *diffRuns) done() []diffmatchpatch.Diff {
	d.flush()
	if len(d.out) == 0 {
		return nil
	}
	return diffmatchpatch.New().DiffCleanupMerge(d.out)
}

// consistent reports whether diffs still cover exactly na runes of a and
// nb of b, each diff's text intact.
func consistent(diffs []diffmatchpatch.Diff, na, nb int) bool {
	for _, d := range diffs {
		if !utf8.ValidString(d.Text) {
			return false
		}
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			na -= n
			nb -= n
		case diffmatchpatch.DiffDelete:
			na -= n
		case diffmatchpatch.DiffInsert:
			nb -= n
		}
	}
	return na == 0 && nb == 0
}

// editList appends edits, merging each into the last when the op is the
// same.
type editList []Edit

func (l *editList) add(op Op, text string) {
	if text == "" {
		return
	}
	if n := len(*l); n > 0 && (*l)[n-1].Op == op {
		(*l)[n-1].Text += text
		return
	}
	*l = append(*l, Edit{Op: op, Text: text})
}

// buildEdits turns the token-level diff back into text.
func buildEdits(a, b string, ta, tb []token, diffs []diffmatchpatch.Diff) []Edit {
	var out editList
	var del, ins strings.Builder
	changed := false // a delete or insert since the last equal token
	ia, ib := 0, 0
	pa, pb := 0, 0 // byte offsets where the next token's leading whitespace starts
	for _, d := range diffs {
		n := utf8.RuneCountInString(d.Text)
		for range n {
			switch d.Type {
			case diffmatchpatch.DiffDelete:
				del.WriteString(a[pa:ta[ia].be])
				pa = ta[ia].be
				ia++
				changed = true
			case diffmatchpatch.DiffInsert:
				ins.WriteString(b[pb:tb[ib].be])
				pb = tb[ib].be
				ib++
				changed = true
			case diffmatchpatch.DiffEqual:
				wsA, wsB := a[pa:ta[ia].bs], b[pb:tb[ib].bs]
				text := b[pb:tb[ib].be]
				if changed && (wsA == "") != (wsB == "") {
					// After a change, the equal token's whitespace (from b)
					// would also stand between it and what precedes it in a
					// when a is rebuilt; where only one side has a space
					// there, the rebuilt a would glue two words together
					// ("foo" + " bar" + "baz") or split one.
					text = b[tb[ib].bs:tb[ib].be]
					moveSpace(&out, &del, &ins, wsA, wsB)
				}
				flushChange(&out, &del, &ins)
				changed = false
				out.add(OpEqual, text)
				pa, pb = ta[ia].be, tb[ib].be
				ia++
				ib++
			}
		}
	}
	flushChange(&out, &del, &ins)
	if tail := b[pb:]; tail != "" {
		// b's trailing whitespace goes with the last edit that carries b's
		// text, so that equal and insert edits still rebuild b exactly.
		for k := len(out) - 1; k >= 0; k-- {
			if out[k].Op != OpDelete {
				out[k].Text += tail
				return out
			}
		}
		if len(ta) == 0 && a != "" {
			out.add(OpEqual, tail)
		} else {
			out.add(OpInsert, tail)
		}
	} else if len(ta) == 0 && len(tb) == 0 && a != "" {
		out.add(OpDelete, a)
	}
	return out
}

// moveSpace keeps the space before an equal token that follows a change
// on the side that has it. When the change is a pure insertion that begins
// with a space (a="saw him", b="saw [him]"), that space is common to both
// texts and becomes equal text before the insertion; likewise for a pure
// deletion (a="saw [him]", b="saw him"). Otherwise the space is recorded
// as the change it is: a whitespace-only delete or insert.
func moveSpace(out *editList, del, ins *strings.Builder, wsA, wsB string) {
	switch {
	case wsA != "" && del.Len() == 0 && startsWithSpace(ins.String()):
		lead, rest := splitLeadingSpace(ins.String())
		out.add(OpEqual, lead)
		ins.Reset()
		ins.WriteString(rest)
	case wsB != "" && ins.Len() == 0 && startsWithSpace(del.String()):
		_, rest := splitLeadingSpace(del.String())
		out.add(OpEqual, wsB)
		del.Reset()
		del.WriteString(rest)
	default:
		del.WriteString(wsA)
		ins.WriteString(wsB)
	}
}

func startsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && isSpaceOrIgnorable(r)
}

func splitLeadingSpace(s string) (lead, rest string) {
	i := strings.IndexFunc(s, func(r rune) bool { return !isSpaceOrIgnorable(r) })
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

func flushChange(out *editList, del, ins *strings.Builder) {
	out.add(OpDelete, del.String())
	out.add(OpInsert, ins.String())
	del.Reset()
	ins.Reset()
}
