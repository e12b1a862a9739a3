package views

import (
	"image/color"
	"math"
	"sort"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Typography of the reader, relative to the theme's text size. Articles are
// read for minutes at a time, so the text is a little larger and the lines
// more open than in Fyne's form widgets.
const (
	readingScale     = 1.15 // text size relative to theme.SizeNameText
	lineSpacingScale = 1.4  // line height relative to the reading text size
	paraGapScale     = 0.4  // extra space between paragraphs split by a single "\n"
	blankLineScale   = 0.8  // height of an empty line (so "\n\n" is not a full empty line)
	minTextEms       = 4    // narrowest text column, in reading text sizes
	maxBands         = 3    // highlight underline tracks before overlaps share a band
	maxCachedWidths  = 50000

	highlightAlpha    = 0x50 // opacity of a highlight's fill when given an opaque colour
	minSelectionAlpha = 0x66
)

// Highlight is a coloured range the reader paints under the text, such as a
// saved annotation. Start and End are rune offsets into the reader's text.
type Highlight struct {
	Start, End int
	Color      color.Color
}

// Reader shows an article's text word-wrapped for reading and lets the user
// select a range of it. Offsets in its API are rune (Unicode code point)
// offsets into the text given to SetText, the unit annotations are stored in.
//
// Fyne's Label and RichText cannot report what the user selected and Entry
// does not expose its selection anchor, which is why Parallax lays out text
// itself.
type Reader struct {
	widget.BaseWidget

	// OnSelectionChanged is called with the new selection (start <= end)
	// whenever it changes, by the user, Select or SetText.
	OnSelectionChanged func(start, end int)
	// OnContextMenu is called on a right click with its absolute
	// position, to show a menu there.
	OnContextMenu func(at fyne.Position)

	text   string
	runes  []rune // text as runes, so rune offsets slice it directly
	disp   []rune // runes as drawn: control characters become spaces
	tokens []token

	anchor, caret int // selection is between these, in either order

	highlights []Highlight
	tracks     []int // underline band of each highlight, so overlaps stay apart

	m           readerMetrics
	metricsSet  bool
	widthCache  map[string]float32 // word widths, kept across SetText because articles share vocabulary
	lines       []textLine
	layoutWidth float32
	layoutDirty bool
	height      float32 // bottom of the last line, before bottom padding

	dragging     bool
	dragExtends  bool // the press that started this drag had shift held
	pressHandled bool // MouseDown already acted on this click, so Tapped must not
	shiftDown    bool

	rend *readerRenderer
}

type tokenKind uint8

const (
	tokWord tokenKind = iota
	tokSpace
	tokBreak
)

// token is a run of word or space runes, or a paragraph break. Wrapping
// works on tokens so a resize only adds up cached widths.
type token struct {
	rs, re int32 // rune range
	bs, be int32 // byte range, so word widths can be looked up without allocating
	kind   tokenKind
	width  float32 // -1 until measured
}

// textLine is one wrapped line. Its range includes the spaces it wraps
// after, so lines of a paragraph tile it without gaps; "\n" is in no line.
type textLine struct {
	start, end int
	y, h       float32
	last       bool   // last line of its paragraph
	str        string // what is drawn, without trailing spaces
	width      float32
}

type readerMetrics struct {
	textSize    float32
	lineHeight  float32
	pad         float32
	paraGap     float32
	blankHeight float32
	spaceWidth  float32
	band        float32
	fingerprint fyne.Size // changes when the theme's font does
}

// NewReader creates an empty reader.
func NewReader() *Reader {
	r := &Reader{layoutDirty: true}
	r.ExtendBaseWidget(r)
	return r
}

// SetText replaces the text, clears the selection and the highlights (their
// offsets belong to the previous text) and re-wraps. "" shows nothing.
func (r *Reader) SetText(text string) {
	r.text = text
	r.runes = []rune(text)
	r.disp = make([]rune, len(r.runes))
	for i, c := range r.runes {
		if c != '\n' && unicode.IsControl(c) {
			// Tabs and other controls would be drawn with a width of their own
			// (tab stops), which would break the rune-to-x mapping.
			c = ' '
		}
		r.disp[i] = c
	}
	r.tokens = splitTokens(text, r.disp, r.tokens[:0])
	r.highlights, r.tracks = nil, nil
	r.layoutDirty = true
	r.dragging, r.dragExtends = false, false

	oldStart, oldEnd := r.Selection()
	r.anchor, r.caret = 0, 0
	r.Refresh()
	if oldStart != 0 || oldEnd != 0 {
		r.selectionChanged()
	}
}

// Text returns the text given to SetText.
func (r *Reader) Text() string {
	return r.text
}

// OffsetAt returns the rune offset nearest to pos, in widget coordinates: the
// boundary between runes closest to it on the line closest to it.
func (r *Reader) OffsetAt(pos fyne.Position) int {
	r.ensureLayout(r.Size().Width)
	if len(r.lines) == 0 {
		return 0
	}
	return r.boundaryAtX(r.lineAtY(pos.Y), pos.X-r.m.pad)
}

// LineTop returns the y, in widget coordinates, of the top of the line that
// holds offset, for scrolling a surrounding container.Scroll to it.
func (r *Reader) LineTop(offset int) float32 {
	r.ensureLayout(r.Size().Width)
	if len(r.lines) == 0 {
		return 0
	}
	return r.lines[r.lineFor(r.clamp(offset))].y
}

// readMetrics re-reads sizes from the theme; a change of text size or font
// invalidates the cached word widths and the layout, and is reported so the
// drawn lines can be re-rendered.
func (r *Reader) readMetrics() (fontChanged bool) {
	th := r.Theme()
	size := float32(math.Round(float64(th.Size(theme.SizeNameText) * readingScale)))
	m := readerMetrics{
		textSize:    size,
		lineHeight:  float32(math.Round(float64(size * lineSpacingScale))),
		pad:         th.Size(theme.SizeNameInnerPadding),
		paraGap:     float32(math.Round(float64(size * paraGapScale))),
		blankHeight: float32(math.Round(float64(size * blankLineScale))),
		spaceWidth:  fyne.MeasureText(" ", size, fyne.TextStyle{}).Width,
		band:        max(2, float32(math.Round(float64(size/8)))),
		fingerprint: fyne.MeasureText("Hamburgefonstiv ’é", size, fyne.TextStyle{}),
	}
	if r.metricsSet && m == r.m {
		return false
	}
	fontChanged = !r.metricsSet || m.textSize != r.m.textSize || m.fingerprint != r.m.fingerprint
	if fontChanged {
		r.widthCache = nil
		for i := range r.tokens {
			r.tokens[i].width = -1
		}
	}
	r.m = m
	r.metricsSet = true
	r.layoutDirty = true
	return fontChanged
}

func (r *Reader) ensureLayout(width float32) {
	if !r.metricsSet {
		r.readMetrics()
	}
	if !r.layoutDirty && width == r.layoutWidth {
		return
	}
	r.layoutDirty = false
	r.layoutWidth = width
	r.wrap(width)
}

func (r *Reader) measure(s string) float32 {
	return fyne.MeasureText(s, r.m.textSize, fyne.TextStyle{}).Width
}

func (r *Reader) tokenWidth(t *token) float32 {
	if t.width >= 0 {
		return t.width
	}
	var w float32
	switch t.kind {
	case tokBreak:
		w = 0
	case tokSpace:
		for _, c := range r.disp[t.rs:t.re] {
			if c == ' ' {
				w += r.m.spaceWidth
			} else {
				w += r.measure(string(c))
			}
		}
	default:
		word := r.text[t.bs:t.be]
		if cached, ok := r.widthCache[word]; ok {
			w = cached
		} else {
			w = r.measure(word)
			if r.widthCache == nil || len(r.widthCache) >= maxCachedWidths {
				r.widthCache = make(map[string]float32, 1024)
			}
			// cloned so the cache does not keep whole past articles alive
			r.widthCache[strings.Clone(word)] = w
		}
	}
	t.width = w
	return w
}

// wrap breaks the text into lines no wider than width minus padding. Spaces
// hang at the end of the line they follow; a word wider than a whole line is
// broken between runes. With no width yet (before the first Resize) each
// paragraph is one line, as RichText does.
func (r *Reader) wrap(width float32) {
	m := r.m
	maxW := float32(math.Inf(1))
	if width > 0 {
		maxW = max(width-2*m.pad, m.textSize*minTextEms)
	}

	r.lines = r.lines[:0]
	y := m.pad
	if len(r.runes) > 0 {
		prevBlank := true // no paragraph gap above the first paragraph
		ti, paraStart := 0, 0
		for {
			// the paragraph's tokens are [ti, tj); tj is its "\n", if any
			tj := ti
			for tj < len(r.tokens) && r.tokens[tj].kind != tokBreak {
				tj++
			}
			paraEnd := len(r.runes)
			if tj < len(r.tokens) {
				paraEnd = int(r.tokens[tj].rs)
			}
			blank := paraEnd == paraStart
			if blank {
				r.lines = append(r.lines, textLine{start: paraStart, end: paraStart, y: y, h: m.blankHeight, last: true})
				y += m.blankHeight
			} else {
				if !prevBlank {
					y += m.paraGap
				}
				y = r.wrapParagraph(ti, tj, paraStart, paraEnd, maxW, y)
			}
			prevBlank = blank
			if tj == len(r.tokens) {
				break
			}
			ti, paraStart = tj+1, paraEnd+1
		}
	}
	r.height = y
}

func (r *Reader) wrapParagraph(ti, tj, paraStart, paraEnd int, maxW, y float32) float32 {
	lineStart := paraStart
	x := float32(0)
	hasWord := false
	emit := func(end int, last bool) {
		r.lines = append(r.lines, r.newLine(lineStart, end, y, last))
		y += r.m.lineHeight
		lineStart = end
		x = 0
		hasWord = false
	}
	for k := ti; k < tj; k++ {
		t := &r.tokens[k]
		w := r.tokenWidth(t)
		if t.kind == tokSpace {
			x += w
			continue
		}
		if hasWord && x+w > maxW {
			emit(int(t.rs), false)
		}
		if w > maxW {
			// A word (a URL, or text without spaces) wider than the column:
			// break it between runes rather than let it overflow.
			pos := int(t.rs)
			for {
				rest := r.measure(string(r.disp[pos:t.re]))
				if x+rest <= maxW {
					x += rest
					break
				}
				n := int(t.re) - pos
				fit := sort.Search(n, func(i int) bool {
					return x+r.measure(string(r.disp[pos:pos+i+1])) > maxW
				})
				if fit == 0 && x == 0 {
					fit = 1 // at least one rune per line, however narrow
				}
				emit(pos+fit, false)
				pos += fit
			}
			hasWord = true
			continue
		}
		x += w
		hasWord = true
	}
	emit(paraEnd, true)
	return y
}

func (r *Reader) newLine(start, end int, y float32, last bool) textLine {
	vis := end
	for vis > start && isBreakSpace(r.disp[vis-1]) {
		vis--
	}
	return textLine{start: start, end: end, y: y, h: r.m.lineHeight, last: last, str: string(r.disp[start:vis]), width: -1}
}

// caretEnd is the last caret position on line li. A wrapped line's trailing
// space ends where the next line starts, so that offset belongs to the next
// line; clicking past the end of a wrapped line lands before its last space.
func (r *Reader) caretEnd(li int) int {
	l := &r.lines[li]
	if !l.last && l.end > l.start && isBreakSpace(r.disp[l.end-1]) {
		return l.end - 1
	}
	return l.end
}

// lineFor returns the line holding offset o: the last line starting at or
// before it.
func (r *Reader) lineFor(o int) int {
	i := sort.Search(len(r.lines), func(i int) bool { return r.lines[i].start > o })
	return max(0, i-1)
}

// lineAtY returns the line nearest to y; a gap between paragraphs is split
// between the lines above and below it.
func (r *Reader) lineAtY(y float32) int {
	n := len(r.lines)
	return sort.Search(n-1, func(i int) bool {
		l, next := &r.lines[i], &r.lines[i+1]
		return y < (l.y+l.h+next.y)/2
	})
}

// xAt returns the x of the boundary k runes into line li, relative to the
// text's left edge. It measures the drawn prefix, so it matches what
// canvas.Text paints (kerning included) better than summed word widths.
func (r *Reader) xAt(li, k int) float32 {
	if k <= 0 {
		return 0
	}
	l := &r.lines[li]
	if k >= l.end-l.start {
		if l.width < 0 {
			l.width = r.measure(string(r.disp[l.start:l.end]))
		}
		return l.width
	}
	return r.measure(string(r.disp[l.start : l.start+k]))
}

func (r *Reader) boundaryAtX(li int, x float32) int {
	l := &r.lines[li]
	n := r.caretEnd(li) - l.start
	if n <= 0 || x <= 0 {
		return l.start
	}
	// k is the first boundary at or right of x
	k := sort.Search(n, func(i int) bool { return r.xAt(li, i+1) >= x }) + 1
	if k > n {
		return l.start + n
	}
	if x-r.xAt(li, k-1) < r.xAt(li, k)-x {
		k--
	}
	return l.start + k
}

// runeAt returns the rune under pos (not the nearest boundary), so that a
// double-click on the right half of a word's last letter still picks the word.
func (r *Reader) runeAt(pos fyne.Position) (int, bool) {
	li := r.lineAtY(pos.Y)
	l := &r.lines[li]
	n := l.end - l.start
	if n == 0 {
		return 0, false
	}
	x := pos.X - r.m.pad
	k := sort.Search(n, func(i int) bool { return r.xAt(li, i+1) > x })
	return l.start + min(k, n-1), true
}

// positionOf returns the point of the caret position before rune o: x at the
// boundary, y in the middle of its line.
func (r *Reader) positionOf(o int) fyne.Position {
	r.ensureLayout(r.Size().Width)
	if len(r.lines) == 0 {
		return fyne.NewPos(r.m.pad, r.m.pad)
	}
	o = r.clamp(o)
	li := r.lineFor(o)
	l := &r.lines[li]
	return fyne.NewPos(r.m.pad+r.xAt(li, o-l.start), l.y+l.h/2)
}

func (r *Reader) minSize() fyne.Size {
	r.ensureLayout(r.Size().Width)
	h := r.height + r.m.pad
	if len(r.lines) == 0 {
		h = 2 * r.m.pad
	}
	return fyne.NewSize(2*r.m.pad+r.m.textSize*minTextEms, h)
}

// isBreakSpace reports whether a line may wrap after c. No-break spaces
// keep "10 km" and « quotes » together.
func isBreakSpace(c rune) bool {
	switch c {
	case ' ', '\t':
		return true
	case '\n', '\u00a0', '\u2007', '\u202f':
		return false
	}
	return unicode.IsSpace(c) || unicode.IsControl(c)
}

func splitTokens(text string, disp []rune, toks []token) []token {
	ri := 0
	start, startByte := 0, 0
	kind := tokenKind(255)
	flush := func(endRune, endByte int) {
		if kind != 255 && endRune > start {
			toks = append(toks, token{rs: int32(start), re: int32(endRune), bs: int32(startByte), be: int32(endByte), kind: kind, width: -1})
		}
	}
	for bi, c := range text {
		var k tokenKind
		switch {
		case c == '\n':
			k = tokBreak
		case isBreakSpace(disp[ri]):
			k = tokSpace
		default:
			k = tokWord
		}
		if k != kind || k == tokBreak {
			flush(ri, bi)
			start, startByte, kind = ri, bi, k
		}
		ri++
	}
	flush(ri, len(text))
	return toks
}
