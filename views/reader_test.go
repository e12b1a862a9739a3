package views

import (
	"fmt"
	"image/color"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// runeOffsetOf returns the rune offset of the first occurrence of sub in s,
// failing the test if there is none.
func runeOffsetOf(t testing.TB, s, sub string) int {
	t.Helper()
	i := strings.Index(s, sub)
	if i < 0 {
		t.Fatalf("%q not found in test text", sub)
	}
	return utf8.RuneCountInString(s[:i])
}

// showReaderAt puts a reader with text in a test window whose content is width
// wide and tall enough for all of the text, so every line can be hit.
func showReaderAt(t testing.TB, text string, width float32) (*Reader, fyne.Window) {
	t.Helper()
	r := NewReader()
	r.SetText(text)
	w := test.NewTempWindow(t, r)
	pad := 2 * theme.Padding() // the window's own padding
	w.Resize(fyne.NewSize(width+pad, 100))
	w.Resize(fyne.NewSize(width+pad, r.MinSize().Height+pad))
	if got := r.Size().Width; got != width {
		t.Fatalf("reader width %v, want %v", got, width)
	}
	return r, w
}

// readerPointIn returns a point frac of the way across rune o, computed from the
// public API and the font rather than from the reader's own positionOf.
func readerPointIn(r *Reader, o int, frac float32) fyne.Position {
	y := r.LineTop(o) + r.m.lineHeight/2
	lineStart := r.OffsetAt(fyne.NewPos(0, y))
	runes := []rune(strings.ReplaceAll(r.Text(), "\t", " ")) // the reader draws tabs as spaces
	prefix := fyne.MeasureText(string(runes[lineStart:o]), r.m.textSize, fyne.TextStyle{}).Width
	w := fyne.MeasureText(string(runes[o]), r.m.textSize, fyne.TextStyle{}).Width
	return fyne.NewPos(r.m.pad+prefix+frac*w, y)
}

// readerDrag drags from one point of r to another, both in r's coordinates.
func readerDrag(r *Reader, w fyne.Window, from, to fyne.Position) {
	// AbsolutePositionForObject is relative to the canvas' interactive area,
	// which the test canvas insets; test.Drag wants canvas coordinates.
	inset, _ := w.Canvas().InteractiveArea()
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(r).Add(inset)
	test.Drag(w.Canvas(), abs.Add(to), to.X-from.X, to.Y-from.Y)
}

const (
	pangram   = "The quick brown fox jumps over the lazy dog."
	longPara  = "Researchers select a character range of a news article to annotate it, and the annotation stores exact rune offsets into the article’s stored text, so the reader has to know precisely which runes were selected."
	twoParas  = "First paragraph here, short.\n\nSecond paragraph there, also short."
	multiByte = "“Café” — naïve 🙂 résumé’s text. Then the selection target follows."
)

func TestReaderDragSelectsRuneOffsets(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		width      float32
		from       string // word the drag starts in
		fromRune   int    // rune of that word the press lands in (30% across it)
		to         string // word the drag ends in
		toRune     int    // rune of that word the release lands in (70% across it)
		sameLine   bool
		backwards  bool
		wantString string
	}{
		{name: "one line", text: pangram, width: 600, from: "quick", fromRune: 1, to: "fox", toRune: 1, sameLine: true, wantString: "uick brown fo"},
		{name: "across wrapped lines", text: longPara, width: 300, from: "character", fromRune: 0, to: "exact", toRune: 4, wantString: "character range of a news article to annotate it, and the annotation stores exact"},
		{name: "across paragraphs", text: twoParas, width: 600, from: "paragraph", fromRune: 2, to: "there", toRune: 2, wantString: "ragraph here, short.\n\nSecond paragraph the"},
		{name: "multi-byte runes before", text: multiByte, width: 600, from: "résumé’s", fromRune: 2, to: "selection", toRune: 3, sameLine: true, wantString: "sumé’s text. Then the sele"},
		{name: "backwards across emoji", text: multiByte, width: 600, from: "text", fromRune: 3, to: "naïve", toRune: 2, sameLine: true, backwards: true, wantString: "ïve 🙂 résumé’s text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test.NewTempApp(t)
			r, w := showReaderAt(t, tt.text, tt.width)
			var got [][2]int
			r.OnSelectionChanged = func(s, e int) { got = append(got, [2]int{s, e}) }

			from := runeOffsetOf(t, tt.text, tt.from) + tt.fromRune
			to := runeOffsetOf(t, tt.text, tt.to) + tt.toRune
			fromPt, toPt := readerPointIn(r, from, 0.3), readerPointIn(r, to, 0.7)
			wantStart, wantEnd := from, to+1
			if tt.backwards {
				// pressing 70% into a rune and releasing 30% into one
				fromPt, toPt = readerPointIn(r, from, 0.7), readerPointIn(r, to, 0.3)
				wantStart, wantEnd = to, from+1
			}
			if same := fromPt.Y == toPt.Y; same != tt.sameLine {
				t.Fatalf("press and release on the same line = %v, want %v (lines at %v and %v)", same, tt.sameLine, fromPt.Y, toPt.Y)
			}
			readerDrag(r, w, fromPt, toPt)

			s, e := r.Selection()
			if s != wantStart || e != wantEnd {
				t.Errorf("Selection() = %d, %d; want %d, %d", s, e, wantStart, wantEnd)
			}
			if got := r.SelectedText(); got != tt.wantString {
				t.Errorf("SelectedText() = %q, want %q", got, tt.wantString)
			}
			if len(got) == 0 || got[len(got)-1] != [2]int{wantStart, wantEnd} {
				t.Errorf("OnSelectionChanged calls %v, want last %v", got, [2]int{wantStart, wantEnd})
			}
			if w.Canvas().Focused() != r {
				t.Error("dragging did not focus the reader, so Ctrl+C would not reach it")
			}
		})
	}
}

// roundTripText mixes multi-byte runes, paragraph kinds, runs of spaces, a
// tab and a word too long for a narrow line.
const roundTripText = "“Quoted” opening — with é, ß and 🙂 emoji; spaces  between   words.\n" +
	"A second paragraph\tafter a tab, ending here.\n\n" +
	"After a blank line: https://example.org/a/very/long/path/that/cannot/fit/on/one/narrow/line and more words to wrap around the column."

func TestReaderOffsetRoundTrip(t *testing.T) {
	test.NewTempApp(t)
	n := utf8.RuneCountInString(roundTripText)
	r, w := showReaderAt(t, roundTripText, 700)
	r.Select(10, 120)

	lineCounts := map[float32]int{}
	for _, width := range []float32{700, 260} {
		pad := 2 * theme.Padding()
		w.Resize(fyne.NewSize(width+pad, 100))
		w.Resize(fyne.NewSize(width+pad, r.MinSize().Height+pad))
		lineCounts[width] = len(r.lines)

		var prev fyne.Position
		for o := 0; o <= n; o++ {
			p := r.positionOf(o)
			if got := r.OffsetAt(p); got != o {
				t.Errorf("width %v: OffsetAt(positionOf(%d) = %v) = %d", width, o, p, got)
			}
			if o > 0 && p.Y == prev.Y && p.X < prev.X {
				t.Errorf("width %v: offset %d at x %v is left of offset %d at x %v on the same line", width, o, p.X, o-1, prev.X)
			}
			if p.Y < prev.Y {
				t.Errorf("width %v: offset %d is above offset %d", width, o, o-1)
			}
			if top := r.LineTop(o); top > p.Y || p.Y-top > r.m.lineHeight {
				t.Errorf("width %v: LineTop(%d) = %v, not the top of the line at y %v", width, o, top, p.Y)
			}
			prev = p
		}
		if s, e := r.Selection(); s != 10 || e != 120 {
			t.Errorf("width %v: selection became %d, %d after re-wrapping", width, s, e)
		}
		// the same words are found at their new places, measured independently
		for _, word := range []string{"ß", "between", "tab", "narrow", "column"} {
			o := runeOffsetOf(t, roundTripText, word) + 1
			if got := r.OffsetAt(readerPointIn(r, o, 0.2)); got != o {
				t.Errorf("width %v: OffsetAt inside %q = %d, want %d", width, word, got, o)
			}
		}
	}
	if lineCounts[260] <= lineCounts[700] {
		t.Errorf("narrowing from 700 to 260 gave %d lines, was %d", lineCounts[260], lineCounts[700])
	}
	// the long URL must have been broken inside the word, not left to overflow
	for _, l := range r.lines {
		if width := fyne.MeasureText(l.str, r.m.textSize, fyne.TextStyle{}).Width; width > 260-2*r.m.pad+1 {
			t.Errorf("line %q is %v wide, more than the column", l.str, width)
		}
	}
}

func TestReaderOffsetAtOutside(t *testing.T) {
	test.NewTempApp(t)
	r, _ := showReaderAt(t, twoParas, 600)
	n := utf8.RuneCountInString(twoParas)
	tests := []struct {
		name string
		pos  fyne.Position
		want int
	}{
		{"above and left", fyne.NewPos(-50, -50), 0},
		{"left of first line", fyne.NewPos(0, r.m.pad+1), 0},
		{"right of first line", fyne.NewPos(599, r.m.pad+1), runeOffsetOf(t, twoParas, "\n")},
		{"below and right", fyne.NewPos(2000, 2000), n},
	}
	for _, tt := range tests {
		if got := r.OffsetAt(tt.pos); got != tt.want {
			t.Errorf("%s: OffsetAt(%v) = %d, want %d", tt.name, tt.pos, got, tt.want)
		}
	}
}

func TestReaderSelectClamps(t *testing.T) {
	test.NewTempApp(t)
	r := NewReader()
	r.SetText(multiByte)
	n := utf8.RuneCountInString(multiByte)
	var calls int
	r.OnSelectionChanged = func(int, int) { calls++ }

	tests := []struct {
		start, end           int
		wantStart, wantEnd   int
		wantText             string
		wantCallbackIncrease int
	}{
		{0, 6, 0, 6, "“Café”", 1},
		{0, 6, 0, 6, "“Café”", 0}, // unchanged: no callback
		{-5, 1, 0, 1, "“", 1},
		{9, 2, 2, 9, "afé” — ", 1},
		{n - 2, n + 40, n - 2, n, "s.", 1},
		{n + 3, n + 9, n, n, "", 1},
		{3, 3, 3, 3, "", 1},
	}
	for _, tt := range tests {
		before := calls
		r.Select(tt.start, tt.end)
		s, e := r.Selection()
		if s != tt.wantStart || e != tt.wantEnd {
			t.Errorf("Select(%d, %d): Selection() = %d, %d; want %d, %d", tt.start, tt.end, s, e, tt.wantStart, tt.wantEnd)
		}
		if got := r.SelectedText(); got != tt.wantText {
			t.Errorf("Select(%d, %d): SelectedText() = %q, want %q", tt.start, tt.end, got, tt.wantText)
		}
		if got := calls - before; got != tt.wantCallbackIncrease {
			t.Errorf("Select(%d, %d): %d OnSelectionChanged calls, want %d", tt.start, tt.end, got, tt.wantCallbackIncrease)
		}
	}

	r.SetText("new text")
	if s, e := r.Selection(); s != 0 || e != 0 {
		t.Errorf("SetText kept selection %d, %d", s, e)
	}
	if r.Text() != "new text" {
		t.Errorf("Text() = %q", r.Text())
	}
}

func TestReaderEmptyText(t *testing.T) {
	test.NewTempApp(t)
	r, w := showReaderAt(t, pangram, 300)
	r.Select(2, 9)
	r.SetText("")
	r.Select(0, 10)
	r.SetHighlights([]Highlight{{Start: 0, End: 5, Color: color.NRGBA{R: 255, A: 255}}})
	test.Drag(w.Canvas(), fyne.NewPos(50, 10), 30, 0)
	r.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(10, 10)})
	r.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if s, e := r.Selection(); s != 0 || e != 0 {
		t.Errorf("Selection() = %d, %d on empty text", s, e)
	}
	if got := r.OffsetAt(fyne.NewPos(100, 100)); got != 0 {
		t.Errorf("OffsetAt = %d on empty text", got)
	}
	if got := r.LineTop(3); got != 0 {
		t.Errorf("LineTop = %v on empty text", got)
	}
	for _, o := range test.TempWidgetRenderer(t, r).Objects() {
		if o.Visible() {
			t.Errorf("empty reader shows %T", o)
		}
	}
	if h := r.MinSize().Height; h > 2*r.m.pad {
		t.Errorf("empty reader is %v tall", h)
	}
}

// visibleSelection returns the x range of each selection rectangle the
// renderer shows, by line top.
func visibleSelection(t *testing.T, r *Reader) map[float32][2]float32 {
	t.Helper()
	test.TempWidgetRenderer(t, r)
	got := map[float32][2]float32{}
	for _, rect := range r.rend.sel {
		if rect.Visible() {
			got[rect.Position().Y] = [2]float32{rect.Position().X, rect.Position().X + rect.Size().Width}
		}
	}
	return got
}

func TestReaderPaintsSelection(t *testing.T) {
	test.NewTempApp(t)
	r, w := showReaderAt(t, longPara, 300)
	at := func(o int) fyne.Position { return r.positionOf(o) }
	sel := runeOffsetOf(t, longPara, "select")
	rng := runeOffsetOf(t, longPara, "range")
	news := runeOffsetOf(t, longPara, "news")
	if r.LineTop(sel) != r.LineTop(rng) || r.LineTop(rng) == r.LineTop(news) {
		t.Fatalf("test text wraps differently than expected")
	}

	// a drag that starts inside the current selection without a MouseDown
	// (as test.Drag and touch screens send it) must repaint the new range
	r.Select(sel, rng+4)
	readerDrag(r, w, at(sel+4), at(rng+4))
	if s, e := r.Selection(); s != sel+4 || e != rng+4 {
		t.Fatalf("Selection() = %d, %d; want %d, %d", s, e, sel+4, rng+4)
	}
	want := map[float32][2]float32{r.LineTop(sel): {at(sel + 4).X, at(rng + 4).X}}
	if got := visibleSelection(t, r); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("painted selection %v, want %v", got, want)
	}

	// across a wrap the first line is painted to its end, trailing space included
	r.Select(rng, news+2)
	got := visibleSelection(t, r)
	first, second := got[r.LineTop(rng)], got[r.LineTop(news)]
	lineEnd := r.m.pad + r.xAt(r.lineFor(rng), len(r.runes))
	if len(got) != 2 || first != [2]float32{at(rng).X, lineEnd} || second != [2]float32{r.m.pad, at(news + 2).X} {
		t.Errorf("painted selection %v, want %v to %v then %v to %v", got, at(rng).X, lineEnd, r.m.pad, at(news+2).X)
	}

	r.Select(3, 3)
	if got := visibleSelection(t, r); len(got) != 0 {
		t.Errorf("empty selection painted %v", got)
	}
}

func TestReaderSelectAllAndCopy(t *testing.T) {
	a := test.NewTempApp(t)
	r, w := showReaderAt(t, multiByte, 600)
	w.Canvas().Focus(r)

	r.TypedShortcut(&fyne.ShortcutSelectAll{})
	if s, e := r.Selection(); s != 0 || e != utf8.RuneCountInString(multiByte) {
		t.Fatalf("Ctrl+A selected %d, %d", s, e)
	}

	r.Select(runeOffsetOf(t, multiByte, "naïve"), runeOffsetOf(t, multiByte, " résumé"))
	r.TypedShortcut(&fyne.ShortcutCopy{Clipboard: a.Clipboard()})
	if got := a.Clipboard().Content(); got != "naïve 🙂" {
		t.Errorf("clipboard = %q after copy", got)
	}

	// a shortcut without a clipboard (as from a menu item) uses the app's
	r.Select(0, 6)
	r.TypedShortcut(&fyne.ShortcutCopy{})
	if got := a.Clipboard().Content(); got != "“Café”" {
		t.Errorf("clipboard = %q after copy without clipboard", got)
	}

	// copying nothing leaves the clipboard alone
	r.Select(3, 3)
	r.TypedShortcut(&fyne.ShortcutCopy{Clipboard: a.Clipboard()})
	if got := a.Clipboard().Content(); got != "“Café”" {
		t.Errorf("clipboard = %q after copying an empty selection", got)
	}
}

func TestReaderDoubleTapSelectsWord(t *testing.T) {
	text := "“Don’t” — naïve 🙂 well-known résumé, 42 ends."
	tests := []struct {
		name string
		at   int // rune tapped, as an offset into text
		frac float32
		want string
	}{
		{"curly apostrophe inside word", runeOffsetOf(t, text, "’t"), 0.5, "Don’t"},
		{"right half of last letter", runeOffsetOf(t, text, "t”"), 0.9, "Don’t"},
		{"accented word", runeOffsetOf(t, text, "ïve"), 0.2, "naïve"},
		{"emoji alone", runeOffsetOf(t, text, "🙂"), 0.5, "🙂"},
		{"hyphenated word", runeOffsetOf(t, text, "-known"), 0.5, "well-known"},
		{"word before comma", runeOffsetOf(t, text, "umé,"), 0.5, "résumé"},
		{"punctuation alone", runeOffsetOf(t, text, "—"), 0.5, "—"},
		{"number", runeOffsetOf(t, text, "42"), 0.1, "42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test.NewTempApp(t)
			r, _ := showReaderAt(t, text, 600)
			r.DoubleTapped(&fyne.PointEvent{Position: readerPointIn(r, tt.at, tt.frac)})
			if got := r.SelectedText(); got != tt.want {
				t.Errorf("double tap selected %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("test.DoubleTap", func(t *testing.T) {
		test.NewTempApp(t)
		r, _ := showReaderAt(t, pangram, 600)
		test.DoubleTap(r) // at (1, 1): nearest is the first word
		if got := r.SelectedText(); got != "The" {
			t.Errorf("double tap selected %q", got)
		}
	})
}

func TestReaderClicks(t *testing.T) {
	test.NewTempApp(t)
	r, _ := showReaderAt(t, pangram, 600)
	quick := runeOffsetOf(t, pangram, "quick")
	lazy := runeOffsetOf(t, pangram, "lazy")
	press := func(o int, mod fyne.KeyModifier) {
		r.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: readerPointIn(r, o, 0.1)}, Button: desktop.MouseButtonPrimary, Modifier: mod})
		r.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: readerPointIn(r, o, 0.1)}, Button: desktop.MouseButtonPrimary, Modifier: mod})
		// the driver delivers Tapped after the double-click delay
		r.Tapped(&fyne.PointEvent{Position: readerPointIn(r, o, 0.1)})
	}

	press(quick, 0)
	press(lazy, fyne.KeyModifierShift)
	if s, e := r.Selection(); s != quick || e != lazy {
		t.Errorf("shift+click gave %d, %d; want %d, %d", s, e, quick, lazy)
	}
	press(quick+2, fyne.KeyModifierShift)
	if s, e := r.Selection(); s != quick || e != quick+2 {
		t.Errorf("second shift+click gave %d, %d; want %d, %d (extending from the first click)", s, e, quick, quick+2)
	}

	press(lazy, 0)
	if s, e := r.Selection(); s != lazy || e != lazy {
		t.Errorf("click gave %d, %d; want an empty selection at %d", s, e, lazy)
	}

	r.Select(2, 9)
	test.Tap(r) // no MouseDown first, as on a touch screen
	if s, e := r.Selection(); s != e {
		t.Errorf("tap left selection %d, %d", s, e)
	}

	// shift+drag extends from the existing anchor
	r.Select(quick, quick+3)
	r.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: readerPointIn(r, lazy, 0.1)}, Button: desktop.MouseButtonPrimary, Modifier: fyne.KeyModifierShift})
	to := readerPointIn(r, lazy+2, 0.1)
	r.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(10, 0)})
	r.DragEnd()
	if s, e := r.Selection(); s != quick || e != lazy+2 {
		t.Errorf("shift+drag gave %d, %d; want %d, %d", s, e, quick, lazy+2)
	}
}

func TestReaderKeys(t *testing.T) {
	test.NewTempApp(t)
	r, _ := showReaderAt(t, multiByte, 600)
	shift := &fyne.KeyEvent{Name: desktop.KeyShiftLeft}
	key := func(name fyne.KeyName) { r.TypedKey(&fyne.KeyEvent{Name: name}) }

	cafe := runeOffsetOf(t, multiByte, "é”")
	r.Select(cafe, cafe)
	r.KeyDown(shift)
	key(fyne.KeyRight)
	key(fyne.KeyRight)
	if got := r.SelectedText(); got != "é”" {
		t.Errorf("shift+right twice selected %q", got)
	}
	key(fyne.KeyLeft)
	if got := r.SelectedText(); got != "é" {
		t.Errorf("shift+left after that selected %q", got)
	}
	key(fyne.KeyLeft)
	key(fyne.KeyLeft)
	if got := r.SelectedText(); got != "f" {
		t.Errorf("shift+left past the anchor selected %q", got)
	}
	r.KeyUp(shift)

	key(fyne.KeyRight) // collapses to the end of the selection
	if s, e := r.Selection(); s != cafe || e != cafe {
		t.Errorf("right collapsed to %d, %d; want %d", s, e, cafe)
	}
	key(fyne.KeyRight)
	if s, e := r.Selection(); s != cafe+1 || e != cafe+1 {
		t.Errorf("right moved to %d, %d; want %d", s, e, cafe+1)
	}

	r.Select(0, 0)
	key(fyne.KeyLeft)
	if s, e := r.Selection(); s != 0 || e != 0 {
		t.Errorf("left at the start moved to %d, %d", s, e)
	}
	r.KeyDown(shift)
	key(fyne.KeyEnd)
	r.KeyUp(shift)
	if got, want := r.SelectedText(), multiByte; got != want {
		t.Errorf("shift+end selected %q, want %q", got, want)
	}
}

func TestReaderKeysUpDown(t *testing.T) {
	test.NewTempApp(t)
	r, _ := showReaderAt(t, longPara, 300)
	o := runeOffsetOf(t, longPara, "range")
	r.Select(o, o)
	r.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftRight})
	r.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	s, e := r.Selection()
	if s != o || e <= o || r.LineTop(e) != r.LineTop(o)+r.m.lineHeight {
		t.Errorf("shift+down selected %d, %d, want from %d to the next line", s, e, o)
	}
	r.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if s, e := r.Selection(); s != o || e != o {
		t.Errorf("shift+up back gave %d, %d", s, e)
	}
}

func TestReaderMinSizeInScroll(t *testing.T) {
	test.NewTempApp(t)
	text := strings.Repeat(longPara+"\n\n", 6)
	r := NewReader()
	r.SetText(text)
	scroll := container.NewVScroll(r)
	w := test.NewTempWindow(t, scroll)

	heights := map[float32]float32{}
	for _, width := range []float32{800, 400, 800} {
		w.Resize(fyne.NewSize(width, 300))
		scrollWidth := scroll.Size().Width
		if got := r.Size().Width; got != scrollWidth {
			t.Errorf("reader is %v wide in a %v wide scroll", got, scrollWidth)
		}
		last := r.lines[len(r.lines)-1]
		want := last.y + last.h + r.m.pad
		min := r.MinSize()
		if min.Height != want {
			t.Errorf("width %v: MinSize().Height = %v, want %v to fit %d wrapped lines", width, min.Height, want, len(r.lines))
		}
		if min.Width > 200 {
			t.Errorf("MinSize().Width = %v would stop the scroll from narrowing", min.Width)
		}
		if got := r.Size().Height; got != want {
			t.Errorf("width %v: scroll gave the reader height %v, want %v", width, got, want)
		}
		if h, ok := heights[width]; ok && h != want {
			t.Errorf("width %v: height %v differs from %v at the same width before", width, want, h)
		}
		heights[width] = want
	}
	if heights[400] <= heights[800] {
		t.Errorf("narrower reader is not taller: %v at 400, %v at 800", heights[400], heights[800])
	}

	// LineTop lets the scroll bring a passage into view
	o := runeOffsetOf(t, text, "selected.") + utf8.RuneCountInString(longPara+"\n\n")
	scroll.ScrollToOffset(fyne.NewPos(0, r.LineTop(o)))
	if scroll.Offset.Y != r.LineTop(o) || scroll.Offset.Y == 0 {
		t.Errorf("scroll offset %v, want LineTop %v", scroll.Offset.Y, r.LineTop(o))
	}
}

func TestReaderHighlightTracks(t *testing.T) {
	tests := []struct {
		name string
		hs   []Highlight
		want []int
	}{
		{"disjoint share a band", []Highlight{{Start: 0, End: 5}, {Start: 5, End: 9}}, []int{0, 0}},
		{"crossing", []Highlight{{Start: 0, End: 6}, {Start: 4, End: 9}}, []int{0, 1}},
		{"nested, outer given last", []Highlight{{Start: 2, End: 4}, {Start: 0, End: 9}}, []int{1, 0}},
		{"many overlaps share the last band", []Highlight{{Start: 0, End: 9}, {Start: 1, End: 9}, {Start: 2, End: 9}, {Start: 3, End: 9}}, []int{0, 1, 2, maxBands - 1}},
	}
	for _, tt := range tests {
		if got := assignTracks(tt.hs); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: tracks %v, want %v", tt.name, got, tt.want)
		}
	}
}

const goldenText = "Parallax’s reader shows an article as a researcher reads it: “Café” résumés, naïve 🙂 quotes and all.\n\n" +
	"Selections and highlights are rune offsets, so what is painted matches what gets stored.\n" +
	"A single line break starts a paragraph too."

func TestReaderGolden(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, FixedTheme(false))

	r := NewReader()
	r.SetText(goldenText)
	w := test.NewTempWindow(t, r)
	w.Resize(fyne.NewSize(420, 240))

	r.Select(runeOffsetOf(t, goldenText, "researcher"), runeOffsetOf(t, goldenText, " résumés"))
	r.SetHighlights([]Highlight{
		{Start: runeOffsetOf(t, goldenText, "article"), End: runeOffsetOf(t, goldenText, " and all"), Color: color.NRGBA{R: 0xf5, G: 0xc2, B: 0x11, A: 0xff}},
		{Start: runeOffsetOf(t, goldenText, "naïve"), End: runeOffsetOf(t, goldenText, " are rune"), Color: color.NRGBA{R: 0x2e, G: 0x9e, B: 0x6b, A: 0xff}},
	})
	test.AssertRendersToImage(t, "reader_light.png", w.Canvas())

	// the same widget must pick up the new theme's colours on refresh
	test.ApplyTheme(t, FixedTheme(true))
	test.AssertRendersToImage(t, "reader_dark.png", w.Canvas())
}

// BenchmarkReaderSetTextLayout measures what opening an article costs:
// SetText and wrapping about 20 KB at 700 px.
func BenchmarkReaderSetTextLayout(b *testing.B) {
	test.NewTempApp(b)
	text := makeBenchText(20 << 10)
	b.Run("reused reader", func(b *testing.B) {
		r := NewReader()
		w := test.NewTempWindow(b, r)
		w.Resize(fyne.NewSize(700+2*theme.Padding(), 600))
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			r.SetText(text)
			r.MinSize()
		}
		b.ReportMetric(float64(len(r.lines)), "lines")
	})
	b.Run("resize only", func(b *testing.B) {
		r := NewReader()
		w := test.NewTempWindow(b, r)
		r.SetText(text)
		widths := [2]float32{700, 680}
		i := 0
		for b.Loop() {
			i++
			w.Resize(fyne.NewSize(widths[i%2]+2*theme.Padding(), 600))
			r.MinSize()
		}
	})
	b.Run("new reader", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			r := NewReader()
			r.Resize(fyne.NewSize(700, 600))
			r.SetText(text)
			r.MinSize()
		}
	})
}

// makeBenchText builds about size bytes of article-like text: sentences of
// common and accented words in paragraphs separated by blank lines.
func makeBenchText(size int) string {
	vocab := strings.Fields("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no will more can out up about who said what into them than only its some could new time these two may first then do any like my now over such our man me even most made after also did many before must through back years where much your way well down should because each just those people how too state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three “Brussels” résumé naïve café façade déjà über piñata São Zürich 2024 £12m €3.5bn 40% minister’s government’s parliament spokesperson negotiations")
	rng := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for sb.Len() < size {
		sentences := 3 + rng.IntN(4)
		for s := range sentences {
			n := 8 + rng.IntN(18)
			for i := range n {
				w := vocab[rng.IntN(len(vocab))]
				if i == 0 {
					first, n := utf8.DecodeRuneInString(w)
					w = string(unicode.ToUpper(first)) + w[n:]
				}
				sb.WriteString(w)
				if i < n-1 {
					sb.WriteByte(' ')
				}
			}
			sb.WriteByte('.')
			if s < sentences-1 {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString("\n\n")
	}
	return strings.TrimSpace(sb.String())
}
