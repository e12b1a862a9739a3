package views

import (
	"cmp"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Row layouts of the compare screen: the cluster list's rows and the
// version blocks of the alignment pane.

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
	o[mbOutlet].(*widget.Label).SetText(m.Source())
	o[mbMeta].(*widget.Label).SetText(memberMeta(m, c.current.Speaker))
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
	cl := c.current
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
	switch m.Kind {
	case "", vocab.UnitQuote:
	case vocab.UnitArticle:
		meta += " · the whole text"
	default:
		meta += " · " + string(m.Kind)
	}
	return meta
}

// memberBadges lists a version's badges: the reference's, then its
// relations.
func memberBadges(m data.ClusterMember) []badgeSpec {
	var out []badgeSpec
	if m.Reference {
		out = append(out, relationBadge(vocab.RelReference))
	}
	for _, r := range m.Relations {
		out = append(out, relationBadge(r))
	}
	if m.CopyOf != 0 {
		out = append(out, badgeSpec{fmt.Sprintf("syndicated copy of #%d", m.CopyOf), theme.ColorNamePrimary, false, -1})
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
	kind := widget.NewLabel(string(vocab.UnitFinding))
	kind.TextStyle.Italic = true
	speaker := widget.NewLabel("Speaker")
	speaker.TextStyle.Bold = true
	speaker.Truncation = fyne.TextTruncateEllipsis
	outlets := widget.NewLabel("00 outlets")
	text := widget.NewLabel("Text")
	text.Truncation = fyne.TextTruncateEllipsis
	return container.New(&clusterRowLayout{}, newTagBadge(clusterStatus(true, "")), kind, speaker, outlets, text)
}

// updateClusterRow shows a cluster's row, with its reference's text,
// which the caller pages in: only the rows drawn need it.
func updateClusterRow(box *fyne.Container, r *data.ClusterRow, in *clusterInfo, reference string) {
	o := box.Objects
	label, col, solid, rel := clusterStatus(in.figures, r.Status)
	o[0].(*tagBadge).set(label, col, solid, rel)
	o[1].(*widget.Label).SetText(string(r.Kind))
	o[2].(*widget.Label).SetText(rowWho(r))
	o[3].(*widget.Label).SetText(plural(int(in.spread), "outlet", "outlets"))
	// A truncating label lays out all its text to find where to cut it, so
	// it gets no more than could fit the row: no letter is narrower than
	// 0.3 of the text size.
	th := theme.CurrentForWidget(o[4])
	fits := int(box.Size().Width/(0.3*th.Size(theme.SizeNameText))) + 8
	text := oneLine(reference, min(max(fits, 80), 240))
	if r.Kind == vocab.UnitQuote && text != "" {
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
	badge = tagBadgeSize(th, relationStyles[relIdxFigures].label, true).Width
	kind = fyne.MeasureText(string(vocab.UnitFinding), th.Size(theme.SizeNameText), fyne.TextStyle{Italic: true}).Width + 2*th.Size(theme.SizeNameInnerPadding)
	return badge, kind
}

func (l *clusterRowLayout) MinSize(o []fyne.CanvasObject) fyne.Size {
	labelH, step := l.lineStep(o)
	badge, kind := l.slots(o)
	return fyne.NewSize(badge+kind+o[3].MinSize().Width+80, step+labelH)
}

// rowWho names who a list's row is by: its speaker, "whole article" for
// an article's copies, or unattributed.
func rowWho(r *data.ClusterRow) string {
	if r.Kind == vocab.UnitArticle {
		return "whole article"
	}
	return cmp.Or(r.Speaker, unattributed)
}
