package views

import (
	"unicode"
)

// The Reader's selection: an anchor and a caret in rune offsets, kept in
// the text's bounds, and the word classes double-click selection uses.

// Selection returns the selected rune range, start <= end; start == end when
// nothing is selected.
func (r *Reader) Selection() (start, end int) {
	if r.anchor <= r.caret {
		return r.anchor, r.caret
	}
	return r.caret, r.anchor
}

// Select selects the rune range [start, end), clamped to the text (a reversed
// range is swapped), and calls OnSelectionChanged if the selection changed.
func (r *Reader) Select(start, end int) {
	start, end = r.clamp(start), r.clamp(end)
	if start > end {
		start, end = end, start
	}
	r.setCaret(start, end)
}

// SelectedText returns the selected text, "" if nothing is selected.
func (r *Reader) SelectedText() string {
	s, e := r.Selection()
	return string(r.runes[s:e])
}

func (r *Reader) clamp(o int) int {
	return max(0, min(o, len(r.runes)))
}

// setCaret sets the selection anchor and caret, keeping their direction so
// shift-extension continues from the right end.
func (r *Reader) setCaret(anchor, caret int) {
	oldS, oldE := r.Selection()
	r.anchor, r.caret = r.clamp(anchor), r.clamp(caret)
	if s, e := r.Selection(); s != oldS || e != oldE {
		r.selectionChanged()
	}
}

func (r *Reader) selectionChanged() {
	if r.rend != nil {
		r.rend.layoutSelection()
	}
	if r.OnSelectionChanged != nil {
		s, e := r.Selection()
		r.OnSelectionChanged(s, e)
	}
}

type runeClass uint8

const (
	classWord runeClass = iota
	classSpace
	classBreak
	classOther
)

func isWordRune(c rune) bool {
	return unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsMark(c) || c == '_'
}

// classAt classifies runes for double-click selection. Apostrophes and
// hyphens between letters belong to the word ("don’t", "well-known"), as in
// data.CountWords.
func classAt(rs []rune, i int) runeClass {
	c := rs[i]
	switch {
	case isWordRune(c):
		return classWord
	case c == '\n':
		return classBreak
	case isBreakSpace(c) || c == '\u00a0':
		return classSpace
	case (c == '\'' || c == '’' || c == '-' || c == '\u2011') &&
		i > 0 && i+1 < len(rs) && isWordRune(rs[i-1]) && isWordRune(rs[i+1]):
		return classWord
	}
	return classOther
}

// wordAround returns the run of runes of the same class around rune i;
// punctuation and symbols (emoji included) are selected one at a time.
func wordAround(rs []rune, i int) (int, int) {
	cls := classAt(rs, i)
	if cls == classBreak {
		return i, i
	}
	if cls == classOther {
		return i, i + 1
	}
	s, e := i, i+1
	for s > 0 && classAt(rs, s-1) == cls {
		s--
	}
	for e < len(rs) && classAt(rs, e) == cls {
		e++
	}
	return s, e
}
