package views

import (
	"fmt"
	"image/color"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Relation styles: how each relation an alignment finds is shown, as a
// badge on the compare screen and a glyph in the matrix.

// relationStyle is how one relation is shown on both screens. Every style
// has a text label and a glyph of its own, so meaning never rests on colour.
type relationStyle struct {
	rel    vocab.Relation // as stored, and in CSV cells
	label  string         // in badges and the legend
	symbol string         // the glyph as text, for tests and plain-text contexts
	color  fyne.ThemeColorName
	// strong styles get a solid badge: factual divergences (numbers, who
	// said it) must stand out from wording changes.
	strong bool
	// rank orders significance when a matrix cell has room for one glyph.
	rank int
	svg  string // glyph drawing on a 24×24 grid; {c} and {a} take the colour
}

// relationStyles holds a style for the reference and for every relation,
// in vocab.Relations' order after the reference: the legend's order and
// the order a cell's relations are named in.
//
// The glyphs are drawn rather than typed: Fyne's bundled Noto Sans lacks
// ≈ ⊂ ⊃ ↪ ≠ ●, and a system fallback font would make them look different
// on every machine, or missing.
var relationStyles = []relationStyle{
	{vocab.RelReference, "reference", "●", theme.ColorNamePrimary, true, 100, `<circle cx="12" cy="12" r="6.5" fill="{c}" fill-opacity="{a}"/>`},
	{vocab.RelVerbatim, "verbatim", "=", theme.ColorNameSuccess, false, 1, svgStroke("M5 9h14M5 15h14")},
	{vocab.RelNormalized, "normalized", "≈", theme.ColorNameSuccess, false, 2, svgStroke("M4 9.5c2.7-2.6 5.3-2.6 8 0s5.3 2.6 8 0M4 15.5c2.7-2.6 5.3-2.6 8 0s5.3 2.6 8 0")},
	{vocab.RelFragment, "fragment", "⊂", theme.ColorNameForeground, false, 4, svgStroke("M19 6h-7a6 6 0 0 0 0 12h7")},
	{vocab.RelExtended, "extended", "⊃", theme.ColorNameForeground, false, 3, svgStroke("M5 6h7a6 6 0 0 1 0 12H5")},
	{vocab.RelElided, "elided", "…", theme.ColorNameForeground, false, 5,
		`<circle cx="5" cy="15" r="2" fill="{c}" fill-opacity="{a}"/><circle cx="12" cy="15" r="2" fill="{c}" fill-opacity="{a}"/><circle cx="19" cy="15" r="2" fill="{c}" fill-opacity="{a}"/>`},
	{vocab.RelInserted, "inserted", "[ ]", theme.ColorNameWarning, false, 7, svgStroke("M9 4H5v16h4M15 4h4v16h-4")},
	{vocab.RelReworded, "reworded", "~", theme.ColorNameWarning, false, 8, svgStroke("M4 12c2.7-3.4 5.3-3.4 8 0s5.3 3.4 8 0")},
	{vocab.RelIndirect, "indirect", "↪", theme.ColorNameWarning, false, 6, svgStroke("M9 5a4.5 4.5 0 0 0 0 9h11M16 10l4 4-4 4")},
	{vocab.RelMisattributed, "misattributed", "≠", theme.ColorNameError, true, 9, svgStroke("M5 9h14M5 15h14M15 4L9 20")},
	{vocab.RelFiguresDiffer, "figures differ", "#", theme.ColorNameError, true, 10, svgStroke("M10 3.5L8 20.5M17 3.5l-2 17M4.5 9h16M3.5 15h16")},
}

// Indexes into relationStyles that the screens refer to by meaning.
var (
	relIdx          = map[vocab.Relation]int{}
	relIdxReference = mustRel(vocab.RelReference)
	relIdxVerbatim  = mustRel(vocab.RelVerbatim)
	relIdxFragment  = mustRel(vocab.RelFragment)
	relIdxElided    = mustRel(vocab.RelElided)
	relIdxReworded  = mustRel(vocab.RelReworded)
	relIdxIndirect  = mustRel(vocab.RelIndirect)
	relIdxFigures   = mustRel(vocab.RelFiguresDiffer)
)

func mustRel(r vocab.Relation) int {
	if len(relIdx) == 0 {
		for i, s := range relationStyles {
			relIdx[s.rel] = i
		}
	}
	i, ok := relIdx[r]
	if !ok {
		panic("views: no relation style " + string(r))
	}
	return i
}

func svgStroke(d string) string {
	return `<path d="` + d + `" fill="none" stroke="{c}" stroke-opacity="{a}" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>`
}

type iconKey struct {
	rel int
	c   color.NRGBA
}

var (
	iconMu    sync.Mutex
	iconCache = map[iconKey]fyne.Resource{}
)

// relationIcon returns relation i's glyph drawn in c. Resources are cached
// by colour, so a theme switch gets new ones and the painter's image cache,
// keyed by resource name, never shows a glyph in the old theme's colour.
func relationIcon(i int, c color.Color) fyne.Resource {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	k := iconKey{i, n}
	iconMu.Lock()
	defer iconMu.Unlock()
	if r, ok := iconCache[k]; ok {
		return r
	}
	hex := fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
	body := strings.NewReplacer("{c}", hex, "{a}", fmt.Sprintf("%.3f", float64(n.A)/255)).Replace(relationStyles[i].svg)
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">` + body + `</svg>`
	r := fyne.NewStaticResource(fmt.Sprintf("parallax-%s-%02x%02x%02x%02x.svg", relationStyles[i].rel, n.R, n.G, n.B, n.A), []byte(svg))
	iconCache[k] = r
	return r
}

// relMask is a set of relation style indexes: one bit per relationStyles
// entry.
type relMask uint16

func (m relMask) has(i int) bool { return m&(1<<i) != 0 }

// memberMask is a member's relations as a set; names the screens do not
// know (from a newer analyser) are left out.
func memberMask(m data.ClusterMember) relMask { return relationsMask(m.Reference, m.Relations) }

// relationsMask is a version's relations as a set, with the reference's
// when it is the reference.
func relationsMask(reference bool, rels []vocab.Relation) relMask {
	var mask relMask
	if reference {
		mask |= 1 << relIdxReference
	}
	for _, r := range rels {
		if i, ok := relIdx[r]; ok {
			mask |= 1 << i
		}
	}
	return mask
}

// topRelation is the most significant relation in mask, or -1 when it is
// empty.
func topRelation(mask relMask) int {
	best := -1
	for i, s := range relationStyles {
		if mask.has(i) && (best < 0 || s.rank > relationStyles[best].rank) {
			best = i
		}
	}
	return best
}

// themeColor resolves a colour name the way widgets do at render time, so
// both variants read well and a theme switch recolours on refresh.
func themeColor(o fyne.Widget, n fyne.ThemeColorName) color.Color {
	th := theme.CurrentForWidget(o)
	return th.Color(n, fyne.CurrentApp().Settings().ThemeVariant())
}

func withAlpha(c color.Color, a uint8) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// onColor is the text colour for a solid fill of the named colour.
func onColor(n fyne.ThemeColorName) fyne.ThemeColorName {
	switch n {
	case theme.ColorNameError:
		return theme.ColorNameForegroundOnError
	case theme.ColorNameSuccess:
		return theme.ColorNameForegroundOnSuccess
	case theme.ColorNameWarning:
		return theme.ColorNameForegroundOnWarning
	case theme.ColorNamePrimary:
		return theme.ColorNameForegroundOnPrimary
	}
	return theme.ColorNameBackground
}

const tintAlpha = 0x48 // badge and cell backgrounds: the colour, see-through

// tagBadge is a small rounded label with an optional relation glyph:
// relation and status badges on the compare screen, legend entries on the
// matrix.
type tagBadge struct {
	widget.BaseWidget
	text  string
	color fyne.ThemeColorName
	solid bool
	rel   int // relationStyles index of the glyph, or -1
}

func newTagBadge(text string, c fyne.ThemeColorName, solid bool, rel int) *tagBadge {
	b := &tagBadge{text: text, color: c, solid: solid, rel: rel}
	b.ExtendBaseWidget(b)
	return b
}

// badgeSpec is what a tagBadge shows.
type badgeSpec struct {
	text  string
	color fyne.ThemeColorName
	solid bool
	rel   int
}

// relationBadge describes a stored relation's badge; an unknown one gets a
// neutral badge with its name, so a newer analyser's output still reads.
func relationBadge(r vocab.Relation) badgeSpec {
	i, ok := relIdx[r]
	if !ok {
		return badgeSpec{string(r), theme.ColorNameForeground, false, -1}
	}
	s := relationStyles[i]
	return badgeSpec{s.label, s.color, s.strong, i}
}

// clusterStatus is the badge a cluster gets. Figures differing is reported
// over plain divergence: a different number is a factual discrepancy, the
// thing a researcher most needs to see first.
func clusterStatus(figures bool, status vocab.Status) (label string, c fyne.ThemeColorName, solid bool, rel int) {
	switch {
	case figures:
		s := relationStyles[relIdxFigures]
		return s.label, s.color, s.strong, relIdxFigures
	case status == vocab.StatusAgree:
		return string(status), theme.ColorNameSuccess, false, relIdxVerbatim
	case status == vocab.StatusDiverge:
		return string(status), theme.ColorNameWarning, false, relIdxReworded
	}
	return string(status), theme.ColorNameForeground, false, -1
}

func (b *tagBadge) set(text string, c fyne.ThemeColorName, solid bool, rel int) {
	if b.text == text && b.color == c && b.solid == solid && b.rel == rel {
		return
	}
	b.text, b.color, b.solid, b.rel = text, c, solid, rel
	b.Refresh()
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (b *tagBadge) CreateRenderer() fyne.WidgetRenderer {
	r := &tagBadgeRenderer{b: b, bg: canvas.NewRectangle(color.Transparent), txt: canvas.NewText("", color.Black), icon: canvas.NewImageFromResource(nil)}
	r.icon.FillMode = canvas.ImageFillContain
	r.txt.TextStyle.Bold = true
	r.Refresh()
	return r
}

type tagBadgeRenderer struct {
	b    *tagBadge
	bg   *canvas.Rectangle
	txt  *canvas.Text
	icon *canvas.Image
}

const badgePadX, badgePadY, badgeGap = 6, 2, 3

// tagBadgeSize is a badge's natural size, also used to give badges a
// column of equal width in the cluster list.
func tagBadgeSize(th fyne.Theme, text string, icon bool) fyne.Size {
	size := th.Size(theme.SizeNameCaptionText)
	t := fyne.MeasureText(text, size, fyne.TextStyle{Bold: true})
	w := 2*badgePadX + t.Width
	if icon {
		w += t.Height + badgeGap
	}
	return fyne.NewSize(w, t.Height+2*badgePadY)
}

func (r *tagBadgeRenderer) metrics() (textSize float32, text fyne.Size, iconSize float32) {
	textSize = r.b.Theme().Size(theme.SizeNameCaptionText)
	text = fyne.MeasureText(r.b.text, textSize, fyne.TextStyle{Bold: true})
	iconSize = 0
	if r.b.rel >= 0 {
		iconSize = text.Height
	}
	return
}

func (r *tagBadgeRenderer) MinSize() fyne.Size {
	return tagBadgeSize(r.b.Theme(), r.b.text, r.b.rel >= 0)
}

func (r *tagBadgeRenderer) Layout(size fyne.Size) {
	_, text, icon := r.metrics()
	r.bg.Resize(size)
	x := float32(badgePadX)
	if icon > 0 {
		r.icon.Move(fyne.NewPos(x, (size.Height-icon)/2))
		r.icon.Resize(fyne.NewSquareSize(icon))
		x += icon + badgeGap
	}
	r.txt.Move(fyne.NewPos(x, (size.Height-text.Height)/2))
	r.txt.Resize(text)
}

func (r *tagBadgeRenderer) Refresh() {
	b := r.b
	textSize, _, _ := r.metrics()
	base := themeColor(b, b.color)
	fg := themeColor(b, theme.ColorNameForeground)
	if b.solid {
		r.bg.FillColor = base
		fg = themeColor(b, onColor(b.color))
	} else {
		r.bg.FillColor = withAlpha(base, tintAlpha)
	}
	r.bg.CornerRadius = textSize / 2
	r.txt.Text, r.txt.TextSize, r.txt.Color = b.text, textSize, fg
	r.icon.Hidden = b.rel < 0
	if b.rel >= 0 {
		r.icon.Resource = relationIcon(b.rel, fg)
	}
	r.Layout(b.Size())
	r.bg.Refresh()
	r.txt.Refresh()
	r.icon.Refresh()
}

func (r *tagBadgeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.icon, r.txt}
}

func (r *tagBadgeRenderer) Destroy() {}

// colorBar is a theme-coloured strip: the change bar beside each version in
// the alignment view.
type colorBar struct {
	widget.BaseWidget
	color fyne.ThemeColorName
}

func newColorBar() *colorBar {
	b := &colorBar{color: theme.ColorNameSeparator}
	b.ExtendBaseWidget(b)
	return b
}

func (b *colorBar) setColor(n fyne.ThemeColorName) {
	if b.color != n {
		b.color = n
		b.Refresh()
	}
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (b *colorBar) CreateRenderer() fyne.WidgetRenderer {
	rect := canvas.NewRectangle(color.Transparent)
	r := &colorBarRenderer{b: b, rect: rect}
	r.Refresh()
	return r
}

type colorBarRenderer struct {
	b    *colorBar
	rect *canvas.Rectangle
}

func (r *colorBarRenderer) Layout(s fyne.Size)           { r.rect.Resize(s) }
func (r *colorBarRenderer) MinSize() fyne.Size           { return fyne.NewSize(3, 3) }
func (r *colorBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect} }
func (r *colorBarRenderer) Destroy()                     {}
func (r *colorBarRenderer) Refresh() {
	r.rect.FillColor = themeColor(r.b, r.b.color)
	r.rect.CornerRadius = 1.5
	r.rect.Refresh()
}
