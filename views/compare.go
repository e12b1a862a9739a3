package views

import (
	"cmp"
	"context"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// ClusterSource is what the compare and matrix screens need from a project:
// the stored alignment. *data.Store implements it.
type ClusterSource interface {
	Clusters(ctx context.Context, minArticles int) ([]data.Cluster, error)
}

// DefaultMinArticles is how many distinct articles a cluster must span to be
// listed: a passage found in one article only has nothing to compare with.
const DefaultMinArticles = 2

// relReference names the reference in badges, the legend and CSV cells. It
// is not a stored relation: the store marks the reference with a flag.
const relReference = "reference"

// relationStyle is how one relation is shown on both screens. Every style
// has a text label and a glyph of its own, so meaning never rests on colour.
type relationStyle struct {
	name   string // as stored, and in CSV cells
	label  string // in badges and the legend
	symbol string // the glyph as text, for tests and plain-text contexts
	color  fyne.ThemeColorName
	// strong styles get a solid badge: factual divergences (numbers, who
	// said it) must stand out from wording changes.
	strong bool
	// rank orders significance when a matrix cell has room for one glyph.
	rank int
	svg  string // glyph drawing on a 24×24 grid; {c} and {a} take the colour
}

// The glyphs are drawn rather than typed: Fyne's bundled Noto Sans lacks
// ≈ ⊂ ⊃ ↪ ≠ ●, and a system fallback font would make them look different
// on every machine, or missing.
var relationStyles = []relationStyle{
	{relReference, "reference", "●", theme.ColorNamePrimary, true, 100, `<circle cx="12" cy="12" r="6.5" fill="{c}" fill-opacity="{a}"/>`},
	{"verbatim", "verbatim", "=", theme.ColorNameSuccess, false, 1, svgStroke("M5 9h14M5 15h14")},
	{"normalized", "normalized", "≈", theme.ColorNameSuccess, false, 2, svgStroke("M4 9.5c2.7-2.6 5.3-2.6 8 0s5.3 2.6 8 0M4 15.5c2.7-2.6 5.3-2.6 8 0s5.3 2.6 8 0")},
	{"fragment", "fragment", "⊂", theme.ColorNameForeground, false, 4, svgStroke("M19 6h-7a6 6 0 0 0 0 12h7")},
	{"extended", "extended", "⊃", theme.ColorNameForeground, false, 3, svgStroke("M5 6h7a6 6 0 0 1 0 12H5")},
	{"elided", "elided", "…", theme.ColorNameForeground, false, 5,
		`<circle cx="5" cy="15" r="2" fill="{c}" fill-opacity="{a}"/><circle cx="12" cy="15" r="2" fill="{c}" fill-opacity="{a}"/><circle cx="19" cy="15" r="2" fill="{c}" fill-opacity="{a}"/>`},
	{"inserted", "inserted", "[ ]", theme.ColorNameWarning, false, 7, svgStroke("M9 4H5v16h4M15 4h4v16h-4")},
	{"reworded", "reworded", "~", theme.ColorNameWarning, false, 8, svgStroke("M4 12c2.7-3.4 5.3-3.4 8 0s5.3 3.4 8 0")},
	{"indirect", "indirect", "↪", theme.ColorNameWarning, false, 6, svgStroke("M9 5a4.5 4.5 0 0 0 0 9h11M16 10l4 4-4 4")},
	{"misattributed", "misattributed", "≠", theme.ColorNameError, true, 9, svgStroke("M5 9h14M5 15h14M15 4L9 20")},
	{"figures-differ", "figures differ", "#", theme.ColorNameError, true, 10, svgStroke("M10 3.5L8 20.5M17 3.5l-2 17M4.5 9h16M3.5 15h16")},
}

// Indexes into relationStyles that the screens refer to by meaning.
var (
	relIdx          = map[string]int{}
	relIdxReference = mustRel(relReference)
	relIdxVerbatim  = mustRel("verbatim")
	relIdxFragment  = mustRel("fragment")
	relIdxElided    = mustRel("elided")
	relIdxReworded  = mustRel("reworded")
	relIdxIndirect  = mustRel("indirect")
	relIdxFigures   = mustRel("figures-differ")
)

func mustRel(name string) int {
	if len(relIdx) == 0 {
		for i, s := range relationStyles {
			relIdx[s.name] = i
		}
	}
	i, ok := relIdx[name]
	if !ok {
		panic("views: no relation style " + name)
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
	r := fyne.NewStaticResource(fmt.Sprintf("parallax-%s-%02x%02x%02x%02x.svg", relationStyles[i].name, n.R, n.G, n.B, n.A), []byte(svg))
	iconCache[k] = r
	return r
}

// relMask is a set of relation style indexes: one bit per relationStyles
// entry.
type relMask uint16

func (m relMask) has(i int) bool { return m&(1<<i) != 0 }

// memberMask is a member's relations as a set; names the screens do not
// know (from a newer analyser) are left out.
func memberMask(m data.ClusterMember) relMask {
	var mask relMask
	if m.Reference {
		mask |= 1 << relIdxReference
	}
	for _, r := range m.Relations {
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

// relationBadge describes a stored relation name's badge; an unknown name
// gets a neutral badge with its name, so a newer analyser's output still
// reads.
func relationBadge(name string) badgeSpec {
	i, ok := relIdx[name]
	if !ok {
		return badgeSpec{name, theme.ColorNameForeground, false, -1}
	}
	s := relationStyles[i]
	return badgeSpec{s.label, s.color, s.strong, i}
}

// clusterStatus is the badge a cluster gets. Figures differing is reported
// over plain divergence: a different number is a factual discrepancy, the
// thing a researcher most needs to see first.
func clusterStatus(figures bool, status string) (label string, c fyne.ThemeColorName, solid bool, rel int) {
	switch {
	case figures:
		return "figures differ", theme.ColorNameError, true, relIdxFigures
	case status == "agree":
		return "agree", theme.ColorNameSuccess, false, relIdxVerbatim
	case status == "diverge":
		return "diverge", theme.ColorNameWarning, false, relIdxReworded
	}
	return status, theme.ColorNameForeground, false, -1
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

// Diff rendering. Fyne's RichText styles offer colour, bold and italic but
// no background or strike-through, so diffText lays out words itself:
// canvas.Text runs over canvas.Rectangle backgrounds, with canvas.Lines for
// the strike-through of deleted words and the underline of inserted ones.

type diffOpKind uint8

const (
	diffEqual diffOpKind = iota
	diffInsert
	diffDelete
)

func (k diffOpKind) String() string {
	switch k {
	case diffInsert:
		return "insert"
	case diffDelete:
		return "delete"
	}
	return "equal"
}

// diffWord is a word of a member's diff; wrapping happens only at the
// whitespace before a word (space), as in the source text.
type diffWord struct {
	text  string
	op    diffOpKind
	space bool
}

// diffWords splits a member's diff into words. With no diff (the reference,
// or a member stored without one) the member's text is shown as equal.
func diffWords(ops []data.DiffOp, text string) []diffWord {
	if len(ops) == 0 {
		ops = []data.DiffOp{{Op: "equal", Text: text}}
	}
	var out []diffWord
	space := false
	for _, op := range ops {
		kind := diffEqual
		switch op.Op {
		case "insert":
			kind = diffInsert
		case "delete":
			kind = diffDelete
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
	Op   string
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
	place := func(text string, op diffOpKind, space bool, w float32) {
		if x > 0 && space {
			x += m.spaceW
		}
		if n := len(runs); n > 0 {
			last := &runs[n-1]
			if last.Line == line && last.Op == op.String() {
				if space {
					last.Text += " "
				}
				last.Text += text
				last.W = x + w - last.X
				x += w
				return
			}
		}
		runs = append(runs, diffRun{Op: op.String(), Text: text, Line: line, X: x, W: w})
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
		case "insert":
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
		case "delete":
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

// Cluster index: what filtering and sorting need, computed once per load so
// that a keystroke in the search box is a scan of flat in-memory slices.

type clusterInfo struct {
	c          *data.Cluster
	ref        int      // index of the reference member
	outlets    []string // distinct, sorted
	divergence int      // members saying more or other than the reference
	figures    bool
	haystack   string // distinct folded member texts, for search
	speaker    string // folded
}

// short is the reference's text on one line, for list rows. It is made
// when a row is drawn rather than stored: only the visible rows need it.
func (in *clusterInfo) short() string {
	if len(in.c.Members) == 0 {
		return ""
	}
	return oneLine(in.c.Members[in.ref].Text, 240)
}

const curlyQuotes = "’‘‛“”„\u00a0"

var quoteFolder = strings.NewReplacer("’", "'", "‘", "'", "‛", "'", "“", `"`, "”", `"`, "„", `"`, "\u00a0", " ")

// foldText makes search insensitive to case and to curly against straight
// quotes, as the analyser's alignment is. Text with nothing to fold is
// returned as is, without a copy.
func foldText(s string) string {
	s = strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		// the quotes to fold are all non-ASCII: one byte scan rules most
		// texts out before ContainsAny's scan per character
		if s[i] >= utf8.RuneSelf {
			if strings.ContainsAny(s[i:], curlyQuotes) {
				s = quoteFolder.Replace(s)
			}
			break
		}
	}
	return s
}

func oneLine(s string, maxRunes int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxRunes {
		rs := []rune(s)
		s = string(rs[:maxRunes]) + "…"
	}
	return s
}

// faithful reports whether a relation keeps the reference's words.
func faithful(rel string) bool { return rel == "verbatim" || rel == "normalized" }

func indexClusters(cs []data.Cluster) []clusterInfo {
	out := make([]clusterInfo, len(cs))
	var texts []string
	for i := range cs {
		c := &cs[i]
		info := clusterInfo{c: c, speaker: foldText(c.Speaker)}
		texts = texts[:0]
		for j, m := range c.Members {
			if m.Reference {
				info.ref = j
			}
			if !slices.Contains(info.outlets, m.Outlet) {
				info.outlets = append(info.outlets, m.Outlet)
			}
			diverges := false
			for _, r := range m.Relations {
				if r == "figures-differ" {
					info.figures = true
				}
				if !faithful(r) {
					diverges = true
				}
			}
			if diverges && !m.Reference {
				info.divergence++
			}
			// Most versions are verbatim copies: searching each distinct
			// text once makes a keystroke's scan several times shorter.
			if f := foldText(m.Text); !slices.Contains(texts, f) {
				texts = append(texts, f)
			}
		}
		slices.Sort(info.outlets)
		info.haystack = strings.Join(texts, "\n")
		out[i] = info
	}
	return out
}

// ClusterSort orders the compare screen's list.
type ClusterSort int

const (
	// SortBySpread puts the clusters carried by the most outlets first.
	SortBySpread ClusterSort = iota
	// SortByDivergence puts the clusters with the most versions that are
	// neither verbatim nor normalized first.
	SortByDivergence
)

// Status filter values of ClusterFilter.
const (
	StatusAgree         = "agree"
	StatusDiverge       = "diverge"
	StatusFiguresDiffer = "figures-differ"
)

// ClusterFilter chooses and orders the clusters the compare screen lists.
// Empty fields match everything.
type ClusterFilter struct {
	Status  string // StatusAgree, StatusDiverge or StatusFiguresDiffer
	Kind    string // "quote" or "finding"
	Speaker string // case-insensitive; exact when it names a speaker, else a substring; "unattributed" for none
	Outlet  string // clusters this outlet carries
	Search  string // case-insensitive substring of any version's text
	// Articles, when set, limits the list to clusters this group of
	// articles shares: versions in two of them (one, for a group of one).
	Articles []int64
	Sort     ClusterSort
}

const unattributed = "unattributed"

// sharedBy reports whether a cluster has versions in two articles of the
// group (sorted IDs), or in its only article.
func sharedBy(c *data.Cluster, group []int64) bool {
	need := min(2, len(group))
	var seen []int64
	for _, m := range c.Members {
		if _, ok := slices.BinarySearch(group, m.ArticleID); ok && !slices.Contains(seen, m.ArticleID) {
			seen = append(seen, m.ArticleID)
			if len(seen) >= need {
				return true
			}
		}
	}
	return false
}

// filterClusters returns the indexes of the clusters f keeps, in f's order.
// speakers is the set of folded speaker names, for telling a chosen name
// from a typed fragment.
func filterClusters(infos []clusterInfo, speakers map[string]bool, f ClusterFilter, out []int32) []int32 {
	out = out[:0]
	needle := foldText(strings.TrimSpace(f.Search))
	speaker := foldText(strings.TrimSpace(f.Speaker))
	exactSpeaker := speaker == "" || speakers[speaker]
	noSpeaker := speaker == unattributed && !speakers[speaker]
	for i := range infos {
		in := &infos[i]
		c := in.c
		switch f.Status {
		case StatusAgree, StatusDiverge:
			if c.Status != f.Status {
				continue
			}
		case StatusFiguresDiffer:
			if !in.figures {
				continue
			}
		}
		if f.Kind != "" && c.Kind != f.Kind {
			continue
		}
		switch {
		case speaker == "":
		case noSpeaker:
			if in.speaker != "" {
				continue
			}
		case exactSpeaker:
			if in.speaker != speaker {
				continue
			}
		default:
			if !strings.Contains(in.speaker, speaker) {
				continue
			}
		}
		if f.Outlet != "" {
			if _, ok := slices.BinarySearch(in.outlets, f.Outlet); !ok {
				continue
			}
		}
		if needle != "" && !strings.Contains(in.haystack, needle) {
			continue
		}
		if len(f.Articles) > 0 && !sharedBy(in.c, f.Articles) {
			continue
		}
		out = append(out, int32(i))
	}
	bySpread := func(a, b *clusterInfo) int { return cmp.Compare(len(b.outlets), len(a.outlets)) }
	byDivergence := func(a, b *clusterInfo) int { return cmp.Compare(b.divergence, a.divergence) }
	first, second := bySpread, byDivergence
	if f.Sort == SortByDivergence {
		first, second = byDivergence, bySpread
	}
	slices.SortFunc(out, func(i, j int32) int {
		a, b := &infos[i], &infos[j]
		if c := first(a, b); c != 0 {
			return c
		}
		if c := second(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})
	return out
}

// memberKey identifies a version across re-alignments, which renumber
// clusters: a pinned reference must stay selected after the app re-aligns.
type memberKey struct {
	article    int64
	start, end int
}

// Option labels of the compare screen's selects.
const (
	allStatuses = "All statuses"
	allKinds    = "All kinds"
	sortSpread  = "Most outlets first"
	sortDiverge = "Most divergent first"
)

var (
	statusOptions = []string{allStatuses, "Agree", "Diverge", "Figures differ"}
	statusValues  = []string{"", StatusAgree, StatusDiverge, StatusFiguresDiffer}
	kindOptions   = []string{allKinds, "Quotes", "Findings"}
	kindValues    = []string{"", "quote", "finding"}
	sortOptions   = []string{sortSpread, sortDiverge}
)

// Compare is the comparison screen: the clusters of a project on the left,
// filtered and sorted in memory, and the selected cluster's versions aligned
// against its reference on the right, one block per version.
type Compare struct {
	src ClusterSource

	// MinArticles is the fewest distinct articles a listed cluster spans;
	// Reload applies it.
	MinArticles int
	// OnOpenMember is called when the user asks to read a version in its
	// article.
	OnOpenMember func(m data.ClusterMember)
	// OnPinReference is called when the user makes a version the cluster's
	// reference. The app persists the pin, re-aligns and calls Reload; the
	// screen then follows the cluster to its new ID.
	OnPinReference func(c data.Cluster, m data.ClusterMember)
	// OnAnnotateMember is called to annotate one version's passage.
	OnAnnotateMember func(m data.ClusterMember)
	// OnError reports a failed load.
	OnError func(error)

	clusters []data.Cluster
	infos    []clusterInfo
	speakers map[string]bool
	shown    []int32
	filter   ClusterFilter
	syncing  bool // widgets are being set from code: ignore their callbacks

	selected int // index into clusters, or -1
	selKeys  []memberKey
	members  []data.ClusterMember // the selected cluster's, reference first
	words    [][]diffWord
	heightsW float32 // width the member heights were computed for

	status, kind, outlet, sortBy *widget.Select
	speaker                      *widget.SelectEntry
	search                       *widget.Entry
	count                        *widget.Label
	list                         *widget.List

	title      *widget.Label
	badge      *tagBadge
	summary    *widget.Label
	memberList *widget.List
	empty      *widget.Label
	detail     *fyne.Container
	split      *container.Split
}

// NewCompare builds the compare screen over src. Call Reload to fill it.
func NewCompare(src ClusterSource) *Compare {
	c := &Compare{src: src, MinArticles: DefaultMinArticles, selected: -1, speakers: map[string]bool{}}

	c.search = widget.NewEntry()
	c.search.SetPlaceHolder("Search the text of quotes and findings")
	c.search.OnChanged = func(s string) { c.changeFilter(func(f *ClusterFilter) { f.Search = s }) }
	c.search.ActionItem = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { c.search.SetText("") })
	c.status = widget.NewSelect(statusOptions, func(s string) {
		c.changeFilter(func(f *ClusterFilter) { f.Status = statusValues[max(0, slices.Index(statusOptions, s))] })
	})
	c.kind = widget.NewSelect(kindOptions, func(s string) {
		c.changeFilter(func(f *ClusterFilter) { f.Kind = kindValues[max(0, slices.Index(kindOptions, s))] })
	})
	c.sortBy = widget.NewSelect(sortOptions, func(s string) {
		c.changeFilter(func(f *ClusterFilter) { f.Sort = ClusterSort(max(0, slices.Index(sortOptions, s))) })
	})
	c.outlet = widget.NewSelect([]string{allOutlets}, func(s string) {
		if s == allOutlets {
			s = ""
		}
		c.changeFilter(func(f *ClusterFilter) { f.Outlet = s })
	})
	// A select entry rather than a select: a large project has thousands
	// of speakers, too many to pick from a menu, so typing narrows the list.
	c.speaker = widget.NewSelectEntry(nil)
	c.speaker.SetPlaceHolder("All speakers")
	c.speaker.OnChanged = func(s string) { c.changeFilter(func(f *ClusterFilter) { f.Speaker = s }) }
	c.status.Selected, c.kind.Selected, c.sortBy.Selected, c.outlet.Selected = allStatuses, allKinds, sortSpread, allOutlets

	c.list = widget.NewList(func() int { return len(c.shown) }, newClusterRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(c.shown) {
			updateClusterRow(o.(*fyne.Container), &c.infos[c.shown[i]])
		}
	})
	c.list.OnSelected = func(i widget.ListItemID) {
		if i < len(c.shown) {
			c.show(int(c.shown[i]))
		}
	}
	c.count = widget.NewLabel("")
	c.count.TextStyle.Italic = true

	filters := container.NewVBox(
		c.search,
		container.NewGridWithColumns(3, c.status, c.kind, c.sortBy),
		container.NewGridWithColumns(2, c.speaker, c.outlet),
	)
	left := container.NewBorder(filters, c.count, nil, nil, c.list)

	c.title = widget.NewLabel("")
	c.title.TextStyle.Bold = true
	c.title.SizeName = theme.SizeNameSubHeadingText
	c.title.Truncation = fyne.TextTruncateEllipsis
	c.badge = newTagBadge("", theme.ColorNameForeground, false, -1)
	c.summary = widget.NewLabel("")
	c.summary.Truncation = fyne.TextTruncateEllipsis
	c.memberList = widget.NewList(func() int { return len(c.members) }, c.newMemberBlock, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(c.members) {
			c.updateMemberBlock(i, o.(*fyne.Container))
		}
	})
	// Selecting a version means nothing here; its buttons are the actions.
	c.memberList.OnSelected = func(widget.ListItemID) { c.memberList.UnselectAll() }
	header := container.NewVBox(c.title, container.NewBorder(nil, nil, container.NewCenter(c.badge), nil, c.summary), widget.NewSeparator())
	watched := container.New(&widthWatch{onWidth: c.layoutMembers}, c.memberList)
	c.detail = container.NewBorder(header, nil, nil, nil, watched)
	c.empty = widget.NewLabel("")
	c.empty.Alignment = fyne.TextAlignCenter
	c.empty.Wrapping = fyne.TextWrapWord
	right := container.NewStack(c.detail, container.NewCenter(c.empty))

	c.split = container.NewHSplit(left, right)
	c.split.Offset = 0.42
	c.showEmpty()
	return c
}

// Content is the compare screen's canvas object.
func (c *Compare) Content() fyne.CanvasObject { return c.split }

// Split is the list/alignment divider, whose offset the app may remember.
func (c *Compare) Split() *container.Split { return c.split }

// Reload re-reads the clusters, keeping the filters, and follows the
// selected cluster across a re-alignment (which renumbers clusters).
func (c *Compare) Reload() {
	cs, err := c.src.Clusters(context.Background(), c.MinArticles)
	if err != nil {
		if c.OnError != nil {
			c.OnError(err)
		}
		return
	}
	c.clusters = cs
	c.infos = indexClusters(cs)
	c.speakers = map[string]bool{}
	counts := map[string]int{}
	outlets := map[string]bool{}
	hasUnattributed := false
	for i := range c.infos {
		in := &c.infos[i]
		if in.c.Speaker == "" {
			hasUnattributed = true
		} else {
			c.speakers[in.speaker] = true
			counts[in.c.Speaker]++
		}
		for _, o := range in.outlets {
			outlets[o] = true
		}
	}
	c.syncing = true
	c.speaker.SetOptions(speakerOptions(counts, hasUnattributed))
	c.outlet.SetOptions(append([]string{allOutlets}, sortedKeys(outlets)...))
	if c.filter.Outlet != "" && !outlets[c.filter.Outlet] {
		c.filter.Outlet = ""
		c.outlet.SetSelected(allOutlets)
	}
	c.syncing = false

	prev := c.selected
	c.selected = -1
	if prev >= 0 {
		c.selected = c.findByKeys(c.selKeys)
	}
	c.apply()
	switch {
	case c.selected >= 0:
		c.show(c.selected)
	case len(c.shown) > 0:
		c.list.Select(0)
	default:
		c.showEmpty()
	}
}

// speakerOptions lists the most quoted speakers first, capped so that the
// drop-down stays a usable menu; others are reached by typing.
func speakerOptions(counts map[string]int, unattributedToo bool) []string {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	names = names[:min(len(names), 200)]
	if unattributedToo {
		names = append(names, unattributed)
	}
	return names
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out
}

// Filter returns the current filter and sort.
func (c *Compare) Filter() ClusterFilter { return c.filter }

// SetFilter sets every filter and the sort at once, updating the controls.
func (c *Compare) SetFilter(f ClusterFilter) {
	c.syncing = true
	c.status.SetSelected(statusOptions[max(0, slices.Index(statusValues, f.Status))])
	c.kind.SetSelected(kindOptions[max(0, slices.Index(kindValues, f.Kind))])
	c.sortBy.SetSelected(sortOptions[min(max(0, int(f.Sort)), len(sortOptions)-1)])
	if f.Outlet == "" || !slices.Contains(c.outlet.Options, f.Outlet) {
		c.outlet.SetSelected(allOutlets)
	} else {
		c.outlet.SetSelected(f.Outlet)
	}
	c.speaker.SetText(f.Speaker)
	c.search.SetText(f.Search)
	c.syncing = false
	c.filter = f
	c.apply()
}

func (c *Compare) changeFilter(edit func(*ClusterFilter)) {
	edit(&c.filter)
	if !c.syncing {
		c.apply()
	}
}

// apply re-runs the filter and sort and refreshes the list, keeping the
// selected cluster selected when it is still listed.
func (c *Compare) apply() {
	c.shown = filterClusters(c.infos, c.speakers, c.filter, c.shown)
	c.count.SetText(fmt.Sprintf("%d of %s", len(c.shown), plural(len(c.clusters), "cluster", "clusters")))
	c.list.UnselectAll()
	c.list.Refresh()
	if row := c.rowOf(c.selected); row >= 0 {
		c.selectRowQuietly(row)
	} else {
		c.list.ScrollToTop()
	}
}

// selectRowQuietly marks a row selected without re-showing its cluster.
func (c *Compare) selectRowQuietly(row int) {
	h := c.list.OnSelected
	c.list.OnSelected = nil
	c.list.Select(row)
	c.list.OnSelected = h
}

func (c *Compare) rowOf(idx int) int {
	if idx < 0 {
		return -1
	}
	return slices.Index(c.shown, int32(idx))
}

// Len is the number of clusters listed.
func (c *Compare) Len() int { return len(c.shown) }

// ClusterIDs returns the listed clusters' IDs in list order.
func (c *Compare) ClusterIDs() []int64 {
	out := make([]int64, len(c.shown))
	for i, k := range c.shown {
		out[i] = c.clusters[k].ID
	}
	return out
}

// Selected returns the cluster shown on the right.
func (c *Compare) Selected() (data.Cluster, bool) {
	if c.selected < 0 {
		return data.Cluster{}, false
	}
	return c.clusters[c.selected], true
}

// Members returns the selected cluster's versions in the order shown: the
// reference first.
func (c *Compare) Members() []data.ClusterMember { return c.members }

// SelectRow selects the i-th listed cluster as a click would.
func (c *Compare) SelectRow(i int) { c.list.Select(i) }

// SelectCluster shows the cluster with this ID, clearing the filters when
// they hide it. An unknown ID is ignored.
func (c *Compare) SelectCluster(id int64) {
	idx := slices.IndexFunc(c.clusters, func(cl data.Cluster) bool { return cl.ID == id })
	if idx < 0 {
		return
	}
	if c.rowOf(idx) < 0 {
		c.SetFilter(ClusterFilter{Sort: c.filter.Sort})
	}
	if row := c.rowOf(idx); row >= 0 {
		c.selectRowQuietly(row)
	}
	c.show(idx)
}

func (c *Compare) findByKeys(keys []memberKey) int {
	if len(keys) == 0 {
		return -1
	}
	// The first key is the old reference; a pin makes another version the
	// reference but keeps the same versions together, so any key will do.
	for _, k := range keys {
		for i := range c.clusters {
			for _, m := range c.clusters[i].Members {
				if (memberKey{m.ArticleID, m.Start, m.End}) == k {
					return i
				}
			}
		}
	}
	return -1
}

func (c *Compare) showEmpty() {
	c.selected, c.selKeys, c.members, c.words = -1, nil, nil, nil
	c.detail.Hide()
	if len(c.clusters) == 0 {
		c.empty.SetText("No clusters yet.\nRun the analysis to align quotes and findings across outlets.")
	} else {
		c.empty.SetText("Select a cluster to see its versions side by side.")
	}
	c.empty.Show()
}

// show fills the right pane with cluster idx.
func (c *Compare) show(idx int) {
	cl := &c.clusters[idx]
	in := &c.infos[idx]
	c.selected = idx
	// fresh slices: Members' result and the blocks' callbacks may outlive
	// this selection
	c.members = make([]data.ClusterMember, 0, len(cl.Members))
	c.members = append(c.members, cl.Members[in.ref])
	for i, m := range cl.Members {
		if i != in.ref {
			c.members = append(c.members, m)
		}
	}
	c.selKeys = make([]memberKey, 0, len(c.members))
	c.words = make([][]diffWord, 0, len(c.members))
	for _, m := range c.members {
		c.selKeys = append(c.selKeys, memberKey{m.ArticleID, m.Start, m.End})
		c.words = append(c.words, diffWords(m.Diff, m.Text))
	}

	title := cl.Speaker
	if title == "" {
		title = "Unattributed"
	}
	c.title.SetText(title)
	label, col, solid, rel := clusterStatus(in.figures, cl.Status)
	c.badge.set(label, col, solid, rel)
	c.summary.SetText(joinNonEmpty(" · ", cl.Kind, plural(len(in.outlets), "outlet", "outlets"),
		plural(cl.Articles, "article", "articles"), plural(len(cl.Members), "version", "versions")))
	c.empty.Hide()
	c.detail.Show()
	c.heightsW = 0
	c.layoutMembers(c.memberList.Size().Width)
	c.memberList.Refresh()
	c.memberList.ScrollToTop()
}

// widthWatch lays out its single child at full size and reports width
// changes, so that the member list's row heights follow the text wrapping.
type widthWatch struct {
	onWidth func(float32)
	width   float32
}

func (w *widthWatch) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != w.width {
		w.width = size.Width
		w.onWidth(size.Width)
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (w *widthWatch) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// Member blocks. Each block is a fyne.Container laid out by memberLayout;
// its height depends on the width (badges and text wrap), so the list's
// row heights are computed from the same geometry whenever the width
// changes.

const (
	mbBar = iota
	mbOutlet
	mbMeta
	mbOpen
	mbPin
	mbBadges
	mbText
	mbAnnotate
)

func (c *Compare) newMemberBlock() fyne.CanvasObject {
	outlet := widget.NewLabel("Outlet")
	outlet.TextStyle.Bold = true
	outlet.Truncation = fyne.TextTruncateEllipsis
	meta := widget.NewLabel("article")
	meta.Truncation = fyne.TextTruncateEllipsis
	open := widget.NewButtonWithIcon("Open in reader", theme.VisibilityIcon(), nil)
	open.Importance = widget.LowImportance
	pin := widget.NewButtonWithIcon("Pin as reference", theme.ConfirmIcon(), nil)
	pin.Importance = widget.LowImportance
	badges := container.New(&badgeFlow{})
	annotate := widget.NewButtonWithIcon("Annotate…", theme.ContentAddIcon(), nil)
	annotate.Importance = widget.LowImportance
	return container.New(&memberLayout{}, newColorBar(), outlet, meta, open, pin, badges, newDiffText(), annotate)
}

func (c *Compare) updateMemberBlock(i int, box *fyne.Container) {
	m := c.members[i]
	o := box.Objects
	mask := memberMask(m)
	bar := theme.ColorNameSeparator
	if top := topRelation(mask); top >= 0 {
		bar = relationStyles[top].color
		if bar == theme.ColorNameForeground {
			// a full-strength foreground bar would outshine the text
			bar = theme.ColorNamePlaceHolder
		}
	}
	o[mbBar].(*colorBar).setColor(bar)
	o[mbOutlet].(*widget.Label).SetText(cmp.Or(m.Outlet, "(no outlet)"))
	o[mbMeta].(*widget.Label).SetText(memberMeta(m, c.clusters[c.selected].Speaker))
	open := o[mbOpen].(*widget.Button)
	open.OnTapped = func() {
		if c.OnOpenMember != nil {
			c.OnOpenMember(m)
		}
	}
	o[mbAnnotate].(*widget.Button).OnTapped = func() {
		if c.OnAnnotateMember != nil {
			c.OnAnnotateMember(m)
		}
	}
	pin := o[mbPin].(*widget.Button)
	cl := c.clusters[c.selected]
	pin.OnTapped = func() {
		if c.OnPinReference != nil && !m.Reference {
			c.OnPinReference(cl, m)
		}
	}
	if m.Reference {
		pin.Disable()
	} else {
		pin.Enable()
	}
	setBadges(o[mbBadges].(*fyne.Container), memberBadges(m))
	o[mbText].(*diffText).SetWords(c.words[i])
	box.Layout.Layout(o, box.Size())
}

// memberMeta is the line beside the outlet: which article, and who this
// version credits when that is not the cluster's speaker.
func memberMeta(m data.ClusterMember, clusterSpeaker string) string {
	meta := fmt.Sprintf("article %d", m.ArticleID)
	if m.Speaker != "" && !strings.EqualFold(m.Speaker, clusterSpeaker) {
		meta += " · attributed to " + m.Speaker
	}
	if m.Kind != "" && m.Kind != "quote" {
		meta += " · " + m.Kind
	}
	return meta
}

// memberBadges lists a version's badges: "reference", then its relations.
func memberBadges(m data.ClusterMember) []badgeSpec {
	var out []badgeSpec
	if m.Reference {
		out = append(out, relationBadge(relReference))
	}
	for _, r := range m.Relations {
		out = append(out, relationBadge(r))
	}
	return out
}

// setBadges shows specs in box, reusing its badges: list rows are recycled
// on every scroll.
func setBadges(box *fyne.Container, specs []badgeSpec) {
	for len(box.Objects) < len(specs) {
		box.Objects = append(box.Objects, newTagBadge("", theme.ColorNameForeground, false, -1))
	}
	box.Objects = box.Objects[:len(specs)]
	for i, s := range specs {
		box.Objects[i].(*tagBadge).set(s.text, s.color, s.solid, s.rel)
	}
	box.Refresh()
}

// layoutMembers computes every version's block height for the list width.
func (c *Compare) layoutMembers(width float32) {
	if width <= 0 || width == c.heightsW || len(c.members) == 0 {
		return
	}
	c.heightsW = width
	geo := newMemberGeometry(c.memberList)
	th := theme.CurrentForWidget(c.memberList)
	for i, m := range c.members {
		var sizes []fyne.Size
		for _, b := range memberBadges(m) {
			sizes = append(sizes, tagBadgeSize(th, b.text, b.rel >= 0))
		}
		c.memberList.SetItemHeight(i, geo.height(width, sizes, c.words[i]))
	}
}

// memberGeometry holds the measurements shared by memberLayout.Layout and
// the list's row heights, so both agree on where things go.
type memberGeometry struct {
	pad, inner, bar, line1 float32
	m                      diffMetrics
}

func newMemberGeometry(o fyne.Widget) memberGeometry {
	th := theme.CurrentForWidget(o)
	inner := th.Size(theme.SizeNameInnerPadding)
	// a button's height: its text line (or icon, if taller) and padding
	line := max(fyne.MeasureText("Mg", th.Size(theme.SizeNameText), fyne.TextStyle{}).Height, th.Size(theme.SizeNameInlineIcon))
	return memberGeometry{
		pad:   th.Size(theme.SizeNamePadding),
		inner: inner,
		bar:   4,
		line1: line + 2*inner,
		m:     readDiffMetrics(th),
	}
}

func (g memberGeometry) textLeft() float32 { return g.bar + g.pad + g.inner }

func (g memberGeometry) textWidth(width float32) float32 {
	return max(0, width-g.textLeft()-g.inner)
}

func (g memberGeometry) height(width float32, badges []fyne.Size, words []diffWord) float32 {
	_, lines := layoutDiff(words, g.textWidth(width), g.m)
	return g.line1 + flowHeight(badges, g.textWidth(width), g.pad) + g.pad + diffHeight(lines, g.m) + 2*g.pad
}

type memberLayout struct{}

func (l *memberLayout) Layout(o []fyne.CanvasObject, size fyne.Size) {
	g := newMemberGeometry(o[mbText].(*diffText))
	o[mbBar].Move(fyne.NewPos(0, g.pad))
	o[mbBar].Resize(fyne.NewSize(g.bar, max(0, size.Height-2*g.pad)))
	x := g.bar + g.pad
	right := size.Width
	for _, b := range []fyne.CanvasObject{o[mbPin], o[mbOpen], o[mbAnnotate]} {
		w := b.MinSize().Width
		right -= w
		b.Move(fyne.NewPos(right, 0))
		b.Resize(fyne.NewSize(w, g.line1))
	}
	avail := max(0, right-x)
	// a truncating label's MinSize is only an ellipsis: measure the name
	outlet := o[mbOutlet].(*widget.Label)
	th := theme.CurrentForWidget(outlet)
	ow := fyne.MeasureText(outlet.Text, th.Size(theme.SizeNameText), outlet.TextStyle).Width + 2*g.inner + 2 // rounding slack
	ow = min(ow, avail*0.6)
	o[mbOutlet].Move(fyne.NewPos(x, 0))
	o[mbOutlet].Resize(fyne.NewSize(ow, g.line1))
	o[mbMeta].Move(fyne.NewPos(x+ow-g.inner, 0))
	o[mbMeta].Resize(fyne.NewSize(max(0, avail-ow+g.inner), g.line1))

	tw := g.textWidth(size.Width)
	var sizes []fyne.Size
	for _, b := range o[mbBadges].(*fyne.Container).Objects {
		sizes = append(sizes, b.MinSize())
	}
	bh := flowHeight(sizes, tw, g.pad)
	o[mbBadges].Move(fyne.NewPos(g.textLeft(), g.line1))
	o[mbBadges].Resize(fyne.NewSize(tw, bh))
	o[mbText].Move(fyne.NewPos(g.textLeft(), g.line1+bh+g.pad))
	o[mbText].Resize(fyne.NewSize(tw, max(0, size.Height-g.line1-bh-3*g.pad)))
}

func (l *memberLayout) MinSize(o []fyne.CanvasObject) fyne.Size {
	g := newMemberGeometry(o[mbText].(*diffText))
	w := o[mbOpen].MinSize().Width + o[mbPin].MinSize().Width + o[mbAnnotate].MinSize().Width + 120
	return fyne.NewSize(w, g.line1+g.m.lineH+3*g.pad)
}

// badgeFlow lays badges out left to right, wrapping to more rows.
type badgeFlow struct{}

func (f *badgeFlow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	x, y, rowH := float32(0), float32(0), float32(0)
	for _, o := range objs {
		s := o.MinSize()
		if x > 0 && x+s.Width > size.Width {
			x, y, rowH = 0, y+rowH+gap, 0
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(s)
		x += s.Width + gap
		rowH = max(rowH, s.Height)
	}
}

func (f *badgeFlow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// flowHeight is the height badgeFlow needs for items of these sizes.
func flowHeight(sizes []fyne.Size, width, gap float32) float32 {
	if len(sizes) == 0 {
		return 0
	}
	x, y, rowH := float32(0), float32(0), float32(0)
	for _, s := range sizes {
		if x > 0 && x+s.Width > width {
			x, y, rowH = 0, y+rowH+gap, 0
		}
		x += s.Width + gap
		rowH = max(rowH, s.Height)
	}
	return y + rowH
}

// Cluster list rows: status badge, kind, speaker and outlet count on the
// first line, the reference text below. Labels carry their own padding, so
// the second line is pulled up over the first's bottom padding.

func newClusterRow() fyne.CanvasObject {
	kind := widget.NewLabel("finding")
	kind.TextStyle.Italic = true
	speaker := widget.NewLabel("Speaker")
	speaker.TextStyle.Bold = true
	speaker.Truncation = fyne.TextTruncateEllipsis
	outlets := widget.NewLabel("00 outlets")
	text := widget.NewLabel("Text")
	text.Truncation = fyne.TextTruncateEllipsis
	return container.New(&clusterRowLayout{}, newTagBadge("figures differ", theme.ColorNameError, true, relIdxFigures), kind, speaker, outlets, text)
}

func updateClusterRow(box *fyne.Container, in *clusterInfo) {
	o := box.Objects
	label, col, solid, rel := clusterStatus(in.figures, in.c.Status)
	o[0].(*tagBadge).set(label, col, solid, rel)
	o[1].(*widget.Label).SetText(in.c.Kind)
	o[2].(*widget.Label).SetText(cmp.Or(in.c.Speaker, unattributed))
	o[3].(*widget.Label).SetText(plural(len(in.outlets), "outlet", "outlets"))
	text := in.short()
	if in.c.Kind == "quote" && text != "" {
		text = "“" + text + "”"
	}
	o[4].(*widget.Label).SetText(text)
	box.Layout.Layout(o, box.Size())
}

type clusterRowLayout struct{}

func (l *clusterRowLayout) lineStep(o []fyne.CanvasObject) (labelH, step float32) {
	labelH = o[2].MinSize().Height
	return labelH, labelH - theme.InnerPadding() - 2
}

func (l *clusterRowLayout) Layout(o []fyne.CanvasObject, size fyne.Size) {
	labelH, step := l.lineStep(o)
	inner := theme.InnerPadding()
	badge := o[0].MinSize()
	o[0].Move(fyne.NewPos(inner, (labelH-badge.Height)/2))
	o[0].Resize(badge)
	badgeSlot, kind := l.slots(o)
	x := inner + badgeSlot
	o[1].Move(fyne.NewPos(x, 0))
	o[1].Resize(fyne.NewSize(kind, labelH))
	x += kind - inner
	outlets := o[3].MinSize().Width
	o[3].Move(fyne.NewPos(size.Width-outlets, 0))
	o[3].Resize(fyne.NewSize(outlets, labelH))
	o[2].Move(fyne.NewPos(x, 0))
	o[2].Resize(fyne.NewSize(max(0, size.Width-outlets-x), labelH))
	o[4].Move(fyne.NewPos(0, step))
	o[4].Resize(fyne.NewSize(size.Width, labelH))
}

// slots are the widths of the badge and kind columns: fixed, so that
// speakers line up down the list whatever each row's status and kind.
func (l *clusterRowLayout) slots(o []fyne.CanvasObject) (badge, kind float32) {
	th := theme.CurrentForWidget(o[1])
	badge = tagBadgeSize(th, "figures differ", true).Width
	kind = fyne.MeasureText("finding", th.Size(theme.SizeNameText), fyne.TextStyle{Italic: true}).Width + 2*th.Size(theme.SizeNameInnerPadding)
	return badge, kind
}

func (l *clusterRowLayout) MinSize(o []fyne.CanvasObject) fyne.Size {
	labelH, step := l.lineStep(o)
	badge, kind := l.slots(o)
	return fyne.NewSize(badge+kind+o[3].MinSize().Width+80, step+labelH)
}
