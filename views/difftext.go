package views

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Diff rendering. Fyne's RichText styles offer colour, bold and italic but
// no background or strike-through, so diffText lays out words itself:
// canvas.Text runs over canvas.Rectangle backgrounds, with canvas.Lines for
// the strike-through of deleted words and the underline of inserted ones.

// diffWord is a word of a member's diff; wrapping happens only at the
// whitespace before a word (space), as in the source text.
type diffWord struct {
	text  string
	op    vocab.Op
	space bool
}

// diffWords splits a member's diff into words. With no diff (the reference,
// or a member stored without one) the member's text is shown as equal, as
// are the words of an op this version does not know.
func diffWords(ops []data.DiffOp, text string) []diffWord {
	if len(ops) == 0 {
		ops = []data.DiffOp{{Op: vocab.OpEqual, Text: text}}
	}
	var out []diffWord
	space := false
	for _, op := range ops {
		kind := vocab.OpEqual
		if op.Op == vocab.OpInsert || op.Op == vocab.OpDelete {
			kind = op.Op
		}
		s := op.Text
		for s != "" {
			r, n := utf8.DecodeRuneInString(s)
			if unicode.IsSpace(r) {
				space = true
				s = s[n:]
				continue
			}
			end := strings.IndexFunc(s, unicode.IsSpace)
			if end < 0 {
				end = len(s)
			}
			out = append(out, diffWord{text: s[:end], op: kind, space: space})
			space = false
			s = s[end:]
		}
	}
	return out
}

// diffRun is a stretch of words of one op on one line, drawn as one text.
type diffRun struct {
	Op   vocab.Op
	Text string
	Line int
	X, W float32
}

type diffMetrics struct {
	textSize, textH, lineH, spaceW float32
}

func readDiffMetrics(th fyne.Theme) diffMetrics {
	size := th.Size(theme.SizeNameText)
	h := fyne.MeasureText("Mg", size, fyne.TextStyle{}).Height
	return diffMetrics{textSize: size, textH: h, lineH: float32(math.Ceil(float64(h * 1.3))), spaceW: measureWord(" ", size)}
}

type widthKey struct {
	s    string
	size float32
}

var (
	widthMu    sync.Mutex
	widthCache = map[widthKey]float32{}
)

// measureWord caches word widths: the alignment view re-wraps every
// version of a cluster whenever the pane's width changes.
func measureWord(s string, size float32) float32 {
	k := widthKey{s, size}
	widthMu.Lock()
	w, ok := widthCache[k]
	widthMu.Unlock()
	if ok {
		return w
	}
	w = fyne.MeasureText(s, size, fyne.TextStyle{}).Width
	widthMu.Lock()
	if len(widthCache) > 100_000 {
		clear(widthCache)
	}
	widthCache[k] = w
	widthMu.Unlock()
	return w
}

// layoutDiff wraps words into runs no wider than maxW (a word wider than a
// line is split between runes) and returns the runs and the line count.
func layoutDiff(words []diffWord, maxW float32, m diffMetrics) ([]diffRun, int) {
	if len(words) == 0 {
		return nil, 0
	}
	maxW = max(maxW, 4*m.textSize)
	var runs []diffRun
	line, x := 0, float32(0)
	place := func(text string, op vocab.Op, space bool, w float32) {
		if x > 0 && space {
			x += m.spaceW
		}
		if n := len(runs); n > 0 {
			last := &runs[n-1]
			if last.Line == line && last.Op == op {
				if space {
					last.Text += " "
				}
				last.Text += text
				last.W = x + w - last.X
				x += w
				return
			}
		}
		runs = append(runs, diffRun{Op: op, Text: text, Line: line, X: x, W: w})
		x += w
	}
	for _, wd := range words {
		w := measureWord(wd.text, m.textSize)
		gap := float32(0)
		if wd.space && x > 0 {
			gap = m.spaceW
		}
		if x > 0 && x+gap+w > maxW {
			line, x = line+1, 0
		}
		if w <= maxW {
			place(wd.text, wd.op, wd.space, w)
			continue
		}
		// A word wider than the column (a URL): break it between runes
		// rather than let it run under the next pane.
		rs := []rune(wd.text)
		space := wd.space
		for len(rs) > 0 {
			n := 1
			for n < len(rs) && measureWord(string(rs[:n+1]), m.textSize) <= maxW-x {
				n++
			}
			piece := string(rs[:n])
			place(piece, wd.op, space, measureWord(piece, m.textSize))
			space = false
			rs = rs[n:]
			if len(rs) > 0 {
				line, x = line+1, 0
			}
		}
	}
	return runs, line + 1
}

func diffHeight(lines int, m diffMetrics) float32 {
	return float32(max(lines, 1)) * m.lineH
}

// diffText shows a member's text as a diff from the reference: words the
// member adds are highlighted and underlined, reference words it lacks are
// shown struck through on a red tint, so the two read apart even without
// colour.
type diffText struct {
	widget.BaseWidget
	words []diffWord

	m      diffMetrics
	laidW  float32
	runs   []diffRun
	lines  int
	dirty  bool
	render *diffTextRenderer
}

func newDiffText() *diffText {
	d := &diffText{dirty: true}
	d.ExtendBaseWidget(d)
	return d
}

// SetWords replaces the words shown.
func (d *diffText) SetWords(words []diffWord) {
	d.words = words
	d.dirty = true
	d.Refresh()
}

// Runs returns the runs laid out at the widget's current width.
func (d *diffText) Runs() []diffRun {
	d.ensureLayout(d.Size().Width)
	return d.runs
}

func (d *diffText) ensureLayout(width float32) {
	m := readDiffMetrics(d.Theme())
	if !d.dirty && width == d.laidW && m == d.m {
		return
	}
	d.m, d.laidW, d.dirty = m, width, false
	if width <= 0 {
		width = float32(math.Inf(1))
	}
	d.runs, d.lines = layoutDiff(d.words, width, m)
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (d *diffText) CreateRenderer() fyne.WidgetRenderer {
	r := &diffTextRenderer{d: d}
	d.render = r
	r.Refresh()
	return r
}

type diffTextRenderer struct {
	d       *diffText
	objects []fyne.CanvasObject
	built   float32 // width the objects were built for; -1 forces a rebuild
}

func (r *diffTextRenderer) MinSize() fyne.Size {
	d := r.d
	d.ensureLayout(d.Size().Width)
	return fyne.NewSize(4*d.m.textSize, diffHeight(d.lines, d.m))
}

func (r *diffTextRenderer) Layout(size fyne.Size) {
	if size.Width != r.built || r.d.dirty {
		r.build()
	}
}

func (r *diffTextRenderer) Refresh() {
	r.d.dirty = true
	r.build()
	canvas.Refresh(r.d)
}

// build makes fresh canvas objects for the current runs. A member's text is
// a few dozen objects at most, so rebuilding is simpler than pooling them.
func (r *diffTextRenderer) build() {
	d := r.d
	d.ensureLayout(d.Size().Width)
	r.built = d.Size().Width
	m := d.m
	fg := themeColor(d, theme.ColorNameForeground)
	ins := themeColor(d, theme.ColorNameSuccess)
	del := themeColor(d, theme.ColorNameError)
	faint := themeColor(d, theme.ColorNamePlaceHolder)
	pad := float32(2) // highlight overhang, so adjacent words' boxes join
	var backs, texts, marks []fyne.CanvasObject
	for _, run := range d.runs {
		y := float32(run.Line)*m.lineH + (m.lineH-m.textH)/2
		t := canvas.NewText(run.Text, fg)
		t.TextSize = m.textSize
		t.Move(fyne.NewPos(run.X, y))
		t.Resize(fyne.NewSize(run.W, m.textH))
		switch run.Op {
		case vocab.OpInsert:
			bg := canvas.NewRectangle(withAlpha(ins, tintAlpha))
			bg.CornerRadius = 2
			bg.Move(fyne.NewPos(run.X-pad, y))
			bg.Resize(fyne.NewSize(run.W+2*pad, m.textH))
			ul := canvas.NewLine(ins)
			ul.StrokeWidth = 2
			ul.Position1 = fyne.NewPos(run.X-pad, y+m.textH)
			ul.Position2 = fyne.NewPos(run.X+run.W+pad, y+m.textH)
			backs = append(backs, bg)
			marks = append(marks, ul)
		case vocab.OpDelete:
			t.Color = faint
			bg := canvas.NewRectangle(withAlpha(del, tintAlpha/2))
			bg.CornerRadius = 2
			bg.Move(fyne.NewPos(run.X-pad, y))
			bg.Resize(fyne.NewSize(run.W+2*pad, m.textH))
			st := canvas.NewLine(del)
			st.StrokeWidth = 1.5
			mid := y + m.textH*0.55
			st.Position1 = fyne.NewPos(run.X-pad, mid)
			st.Position2 = fyne.NewPos(run.X+run.W+pad, mid)
			backs = append(backs, bg)
			marks = append(marks, st)
		}
		texts = append(texts, t)
	}
	r.objects = slices.Concat(backs, texts, marks)
}

func (r *diffTextRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *diffTextRenderer) Destroy() {
	if r.d.render == r {
		r.d.render = nil
	}
}
