package views

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// variantTree draws a cluster's variant tree on a time axis: each wording
// a box at its first carrier's date, with its outlets and date, its words
// against its parent's (struck through or underlined, as in Compare) and
// where it comes from in words; a line from each parent, labelled with the
// confidence. The root's box has a heavier border and a variant from a
// source the project lacks a dashed one, both also said in words.
type variantTree struct {
	widget.BaseWidget
	cluster *data.PropagationCluster
	// diffs are its variants' words against their parents'.
	diffs [][]data.DiffOp
}

// maxDropLines is the most boxes a tree draws a line to from the axis.
const maxDropLines = 20

// Box sizes of the screen's tree: three lines of diff between a heading and
// the line saying where the wording comes from.
const (
	treeBoxWidth = 330
	treeDiffRows = 3
)

func newVariantTree() *variantTree {
	t := &variantTree{}
	t.ExtendBaseWidget(t)
	return t
}

// set shows a cluster's tree (nil for none).
func (t *variantTree) set(c *data.PropagationCluster) {
	t.cluster, t.diffs = c, nil
	if c != nil {
		t.diffs = make([][]data.DiffOp, len(c.Variants))
		for v := range c.Variants {
			t.diffs[v] = variantDiff(c, v)
		}
	}
	t.Refresh()
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (t *variantTree) CreateRenderer() fyne.WidgetRenderer { return &variantTreeRenderer{t: t} }

type variantTreeRenderer struct {
	t       *variantTree
	objects []fyne.CanvasObject
	size    fyne.Size
	height  float32
}

// boxHeight is a box's height with the theme's text sizes.
func (r *variantTreeRenderer) boxHeight() float32 {
	m := readDiffMetrics(r.t.Theme())
	caption := r.t.Theme().Size(theme.SizeNameCaptionText)
	return 2*(caption+10) + diffHeight(treeDiffRows, m) + 6
}

func (r *variantTreeRenderer) MinSize() fyne.Size {
	c := r.t.cluster
	if c == nil {
		return fyne.NewSize(treeBoxWidth+40, 120)
	}
	l := data.LayoutVariantTree(c, treeBoxWidth+40, treeBoxWidth, float64(r.boxHeight()))
	return fyne.NewSize(treeBoxWidth+40, float32(l.Height))
}

func (r *variantTreeRenderer) Layout(size fyne.Size) {
	if size != r.size {
		r.size = size
		r.build()
	}
}

func (r *variantTreeRenderer) Refresh() {
	r.build()
	canvas.Refresh(r.t)
}

func (r *variantTreeRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *variantTreeRenderer) Destroy() {}

func (r *variantTreeRenderer) build() {
	t := r.t
	c := t.cluster
	r.objects = nil
	if c == nil {
		return
	}
	th := t.Theme()
	fg := themeColor(t, theme.ColorNameForeground)
	muted := themeColor(t, theme.ColorNamePlaceHolder)
	accent := themeColor(t, theme.ColorNamePrimary)
	bg := themeColor(t, theme.ColorNameBackground)
	boxBG := themeColor(t, theme.ColorNameInputBackground)
	caption := th.Size(theme.SizeNameCaptionText)
	boxH := r.boxHeight()
	width := max(t.Size().Width, treeBoxWidth+40)
	l := data.LayoutVariantTree(c, float64(width), treeBoxWidth, float64(boxH))
	r.height = float32(l.Height)

	var under, over []fyne.CanvasObject
	axis := canvas.NewLine(muted)
	axis.Position1, axis.Position2 = fyne.NewPos(16, 28), fyne.NewPos(width-16, 28)
	under = append(under, axis)
	for _, tk := range l.Ticks {
		mark := canvas.NewLine(muted)
		mark.Position1, mark.Position2 = pos(tk.X, 24), pos(tk.X, 32)
		under = append(under, mark)
		over = append(over, plainText(tk.Label, tk.X, 4, caption, muted, fyne.TextStyle{}))
	}
	if l.Note != "" {
		note := plainText(l.Note, 16, 34, caption, muted, fyne.TextStyle{Italic: true})
		note.Text = fitText(l.Note, width-32, caption, note.TextStyle)
		over = append(over, note)
	}
	// A faint drop line from the axis to each box marks its date; past a
	// score of boxes the lines were a forest over the tree, and a short
	// mark under the axis for each (its heading says its date) is left.
	for _, b := range l.Boxes {
		drop := canvas.NewLine(withAlpha(muted, 90))
		end := b.Y
		if len(l.Boxes) > maxDropLines {
			end = 36
		}
		drop.Position1, drop.Position2 = pos(b.X, 28), pos(b.X, end)
		under = append(under, drop)
	}
	for _, link := range l.Links {
		for k := 1; k < len(link.Points); k++ {
			seg := canvas.NewLine(withAlpha(fg, 170))
			seg.StrokeWidth = 1.5
			seg.Position1 = pos(link.Points[k-1][0], link.Points[k-1][1])
			seg.Position2 = pos(link.Points[k][0], link.Points[k][1])
			under = append(under, seg)
		}
		over = append(over, haloText(link.Label, link.LabelX+12, link.LabelY, "middle", caption, fg, bg, false)...)
	}
	m := readDiffMetrics(th)
	inner := float32(treeBoxWidth - 12)
	for v, b := range l.Boxes {
		vr := c.Variants[v]
		box := canvas.NewRectangle(boxBG)
		box.StrokeColor, box.StrokeWidth, box.CornerRadius = withAlpha(fg, 120), 1, 4
		switch {
		case v == c.Root:
			box.StrokeColor, box.StrokeWidth = accent, 2.5
		case vr.Unseen:
			box.StrokeWidth = 0 // dashed below
		}
		box.Move(pos(b.X, b.Y))
		box.Resize(fyne.NewSize(float32(b.W), float32(b.H)))
		over = append(over, box)
		if vr.Unseen {
			over = append(over, dashedBorder(b, withAlpha(fg, 200))...)
		}
		x, y := float32(b.X)+6, float32(b.Y)+4
		head := plainText("", 0, 0, caption, fg, fyne.TextStyle{Bold: true})
		head.Text = fitText(c.VariantHeading(v), inner, caption, head.TextStyle)
		head.Move(fyne.NewPos(x, y))
		over = append(over, head)
		words := fitDiffWords(diffWords(t.diffs[v], vr.Text), inner, treeDiffRows, m)
		dt := newDiffText()
		dt.SetWords(words)
		dt.Move(fyne.NewPos(x, y+caption+8))
		dt.Resize(fyne.NewSize(inner, diffHeight(treeDiffRows, m)))
		over = append(over, dt)
		origin := plainText("", 0, 0, caption, muted, fyne.TextStyle{})
		origin.Text = fitText(c.VariantOrigin(v), inner, caption, origin.TextStyle)
		origin.Move(fyne.NewPos(x, float32(b.Y+b.H)-caption-8))
		over = append(over, origin)
	}
	r.objects = append(under, over...)
}

// variantDiff is variant v's words against its parent's, or its text alone
// (the root, and a variant from an unseen source). The window's snapshot
// comes without the diffs, which are worked out here for the cluster
// shown rather than for every cluster of the project.
func variantDiff(c *data.PropagationCluster, v int) []data.DiffOp {
	vr := c.Variants[v]
	switch {
	case len(vr.Diff) > 0:
		return vr.Diff
	case vr.Parent >= 0:
		return diffing.WordDiff(c.Variants[vr.Parent].Text, vr.Text)
	}
	return []data.DiffOp{{Op: vocab.OpEqual, Text: vr.Text}}
}

// plainText is a canvas text whose top left is at (x, y).
func plainText(s string, x, y float64, size float32, c color.Color, style fyne.TextStyle) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize, t.TextStyle = size, style
	t.Move(pos(x, y))
	return t
}

// fitText cuts s with an ellipsis to fit width at size.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(rs[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(rs[:lo]) + "…"
}

// fitDiffWords keeps as many words as fit in maxLines lines of width,
// ending with an ellipsis when some are left out.
func fitDiffWords(words []diffWord, width float32, maxLines int, m diffMetrics) []diffWord {
	if _, lines := layoutDiff(words, width, m); lines <= maxLines {
		return words
	}
	with := func(n int) []diffWord {
		out := append([]diffWord(nil), words[:n]...)
		return append(out, diffWord{text: "…", op: vocab.OpEqual, space: true})
	}
	lo, hi := 0, len(words)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if _, lines := layoutDiff(with(mid), width, m); lines <= maxLines {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return with(lo)
}

// dashedBorder draws a box's border as dashes: the box of a wording from a
// source the project lacks.
func dashedBorder(b data.BoxPlace, c color.Color) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	dash := func(x1, y1, x2, y2 float64) {
		n := int(math.Max(1, math.Hypot(x2-x1, y2-y1)/9))
		for k := 0; k < n; k += 2 {
			f1, f2 := float64(k)/float64(n), math.Min(1, float64(k+1)/float64(n))
			l := canvas.NewLine(c)
			l.StrokeWidth = 2
			l.Position1, l.Position2 = pos(x1+(x2-x1)*f1, y1+(y2-y1)*f1), pos(x1+(x2-x1)*f2, y1+(y2-y1)*f2)
			out = append(out, l)
		}
	}
	dash(b.X, b.Y, b.X+b.W, b.Y)
	dash(b.X+b.W, b.Y, b.X+b.W, b.Y+b.H)
	dash(b.X+b.W, b.Y+b.H, b.X, b.Y+b.H)
	dash(b.X, b.Y+b.H, b.X, b.Y)
	return out
}
