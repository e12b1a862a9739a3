package views

import (
	"image/color"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// The Reader's renderer: pooled canvas objects for the wrapped lines, the
// highlights painted under them and the selection.

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (r *Reader) CreateRenderer() fyne.WidgetRenderer {
	r.ExtendBaseWidget(r)
	rr := &readerRenderer{r: r}
	r.rend = rr
	rr.readColors()
	rr.layoutAll()
	return rr
}

// SetHighlights replaces the highlights painted under the text. Ranges are
// clamped to the text. An opaque colour is painted translucent so text and
// overlapping highlights stay visible; each highlight also gets an underline
// band, stacked so that overlapping highlights can be told apart.
func (r *Reader) SetHighlights(hs []Highlight) {
	r.highlights = make([]Highlight, 0, len(hs))
	for _, h := range hs {
		h.Start, h.End = r.clamp(h.Start), r.clamp(h.End)
		if h.Start > h.End {
			h.Start, h.End = h.End, h.Start
		}
		if h.Color == nil {
			h.Color = r.Theme().Color(theme.ColorNamePrimary, fyne.CurrentApp().Settings().ThemeVariant())
		}
		r.highlights = append(r.highlights, h)
	}
	r.tracks = assignTracks(r.highlights)
	if r.rend != nil {
		r.rend.layoutHighlights()
	}
}

// assignTracks gives each highlight the lowest underline band not used by a
// highlight overlapping it, so nested and crossing annotations show as
// separate stripes.
func assignTracks(hs []Highlight) []int {
	order := make([]int, len(hs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ha, hb := hs[order[a]], hs[order[b]]
		if ha.Start != hb.Start {
			return ha.Start < hb.Start
		}
		return ha.End > hb.End
	})
	tracks := make([]int, len(hs))
	var ends []int // end offset of the last highlight on each band
	for _, i := range order {
		h := hs[i]
		t := 0
		for t < len(ends) && ends[t] > h.Start {
			t++
		}
		if t == len(ends) {
			ends = append(ends, 0)
		}
		ends[t] = h.End
		tracks[i] = min(t, maxBands-1)
	}
	return tracks
}

// highlightFill makes an opaque highlight colour translucent, so that text and
// other highlights under or over it remain visible.
func highlightFill(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	if n.A > highlightAlpha {
		n.A = highlightAlpha
	}
	return n
}

func highlightBand(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = 0xff
	return n
}

type readerRenderer struct {
	r *Reader

	fills, bands, sel []*canvas.Rectangle
	texts             []*canvas.Text
	objects           []fyne.CanvasObject
	poolsGrew         bool
	forceTexts        bool // the font changed under unchanged strings

	fg, selColor color.Color
}

func (rr *readerRenderer) Destroy() {
	if rr.r.rend == rr {
		rr.r.rend = nil
	}
}

func (rr *readerRenderer) Layout(size fyne.Size) {
	rr.r.ensureLayout(size.Width)
	rr.layoutAll()
}

func (rr *readerRenderer) MinSize() fyne.Size {
	return rr.r.minSize()
}

func (rr *readerRenderer) Objects() []fyne.CanvasObject {
	return rr.objects
}

// Refresh re-reads the theme, so a switch between light and dark themes
// recolours the text and the selection. It refreshes only the objects that
// changed rather than the whole widget: a container.Scroll refreshes its
// content freely, and refreshing the widget would re-rasterise every line.
func (rr *readerRenderer) Refresh() {
	rr.forceTexts = rr.r.readMetrics()
	rr.readColors()
	rr.layoutAll()
}

func (rr *readerRenderer) readColors() {
	th := rr.r.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	rr.fg = th.Color(theme.ColorNameForeground, v)
	// The theme's selection colour is made for plain text fields; over a
	// highlight it is too faint to tell what is selected, so it gets a
	// minimum opacity.
	sel := color.NRGBAModel.Convert(th.Color(theme.ColorNameSelection, v)).(color.NRGBA)
	sel.A = max(sel.A, minSelectionAlpha)
	rr.selColor = sel
}

func (rr *readerRenderer) layoutAll() {
	rr.r.ensureLayout(rr.r.Size().Width)
	rr.layoutTexts()
	rr.layoutHighlights()
	rr.layoutSelection()
}

// The object list is rebuilt only when a pool grows; unused pooled objects
// stay in it hidden, so a selection change repaints just its rectangles
// instead of refreshing the widget (which would re-rasterise every line).
func (rr *readerRenderer) syncObjects() {
	if !rr.poolsGrew && rr.objects != nil {
		return
	}
	rr.poolsGrew = false
	objs := make([]fyne.CanvasObject, 0, len(rr.fills)+len(rr.bands)+len(rr.sel)+len(rr.texts))
	for _, o := range rr.fills {
		objs = append(objs, o)
	}
	for _, o := range rr.bands {
		objs = append(objs, o)
	}
	for _, o := range rr.sel {
		objs = append(objs, o)
	}
	for _, o := range rr.texts {
		objs = append(objs, o)
	}
	rr.objects = objs
}

func (rr *readerRenderer) layoutTexts() {
	r := rr.r
	width := max(0, r.Size().Width-2*r.m.pad)
	n := 0
	for _, l := range r.lines {
		if l.str == "" {
			continue
		}
		if n == len(rr.texts) {
			rr.texts = append(rr.texts, canvas.NewText("", rr.fg))
			rr.poolsGrew = true
		}
		t := rr.texts[n]
		n++
		changed := rr.forceTexts || t.Text != l.str || t.Color != rr.fg || t.TextSize != r.m.textSize || t.Hidden
		t.Text, t.Color, t.TextSize, t.Hidden = l.str, rr.fg, r.m.textSize, false
		// The text box spans the line height; painters centre text in it.
		t.Move(fyne.NewPos(r.m.pad, l.y))
		t.Resize(fyne.NewSize(width, l.h))
		if changed {
			t.Refresh()
		}
	}
	for _, t := range rr.texts[n:] {
		if !t.Hidden {
			t.Hide()
			t.Refresh()
		}
	}
	rr.forceTexts = false
	rr.syncObjects()
}

func (rr *readerRenderer) rect(pool *[]*canvas.Rectangle, i int, pos fyne.Position, size fyne.Size, c color.Color) {
	if i == len(*pool) {
		*pool = append(*pool, canvas.NewRectangle(c))
		rr.poolsGrew = true
	}
	rect := (*pool)[i]
	changed := rect.Hidden || rect.FillColor != c || rect.Position() != pos || rect.Size() != size
	rect.FillColor, rect.Hidden = c, false
	rect.Move(pos)
	rect.Resize(size)
	if changed {
		rect.Refresh()
	}
}

func hideRects(pool []*canvas.Rectangle, n int) {
	for _, rect := range pool[n:] {
		if !rect.Hidden {
			rect.Hide()
		}
	}
}

// spans calls f with the x range, relative to the text's left edge, that
// [s, e) covers on each line it touches.
func (r *Reader) spans(s, e int, f func(li int, x0, x1 float32)) {
	if s >= e || len(r.lines) == 0 {
		return
	}
	for li := r.lineFor(s); li < len(r.lines) && r.lines[li].start < e; li++ {
		l := &r.lines[li]
		a, b := max(s, l.start), min(e, l.end)
		if a >= b {
			continue
		}
		f(li, r.xAt(li, a-l.start), r.xAt(li, b-l.start))
	}
}

func (rr *readerRenderer) layoutHighlights() {
	r := rr.r
	nf, nb := 0, 0
	for i, h := range r.highlights {
		fill, band := highlightFill(h.Color), highlightBand(h.Color)
		track := float32(0)
		if i < len(r.tracks) {
			track = float32(r.tracks[i])
		}
		r.spans(h.Start, h.End, func(li int, x0, x1 float32) {
			l := &r.lines[li]
			rr.rect(&rr.fills, nf, fyne.NewPos(r.m.pad+x0, l.y), fyne.NewSize(x1-x0, l.h), fill)
			nf++
			by := l.y + l.h - (track+1)*r.m.band
			rr.rect(&rr.bands, nb, fyne.NewPos(r.m.pad+x0, by), fyne.NewSize(x1-x0, r.m.band), band)
			nb++
		})
	}
	hideRects(rr.fills, nf)
	hideRects(rr.bands, nb)
	rr.syncObjects()
}

func (rr *readerRenderer) layoutSelection() {
	r := rr.r
	s, e := r.Selection()
	n := 0
	if s < e && len(r.lines) > 0 {
		for li := r.lineFor(s); li < len(r.lines) && r.lines[li].start <= e; li++ {
			l := &r.lines[li]
			a, b := max(s, l.start), min(e, l.end)
			x0, x1 := r.xAt(li, a-l.start), r.xAt(li, b-l.start)
			if l.last && l.end < len(r.runes) && s <= l.end && e > l.end {
				// the "\n" after this line is selected: show it as a space
				x1 += r.m.spaceWidth
			} else if a >= b {
				continue
			}
			rr.rect(&rr.sel, n, fyne.NewPos(r.m.pad+x0, l.y), fyne.NewSize(x1-x0, l.h), rr.selColor)
			n++
		}
	}
	hideRects(rr.sel, n)
	rr.syncObjects()
}
