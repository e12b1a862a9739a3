package views

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// inferredMark follows a value Parallax inferred rather than read, which
// is also set in italics, so the researcher knows to check it.
const inferredMark = "*"

// libraryRow is one row of the library list. It takes clicks itself, with
// the modifier keys held, because widget.List selects one row at a time
// and the library marks several for a bulk edit (Library.Click).
type libraryRow struct {
	widget.BaseWidget
	lib   *Library
	index int
	mod   fyne.KeyModifier

	bg                    *canvas.Rectangle
	outlet, date, title   *widget.Label
	words                 *widget.Label
	copyBadge             *tagBadge
	cells, titleWithBadge *fyne.Container
}

func newLibraryRow(l *Library) *libraryRow {
	r := &libraryRow{lib: l, bg: canvas.NewRectangle(theme.Color(theme.ColorNameSelection))}
	r.words = widget.NewLabel("00000")
	r.words.Alignment = fyne.TextAlignTrailing
	r.title = widget.NewLabel("Title")
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.outlet = widget.NewLabel("Outlet")
	r.outlet.Truncation = fyne.TextTruncateEllipsis
	r.date = widget.NewLabel("2000-00-00")
	r.date.Truncation = fyne.TextTruncateEllipsis
	r.copyBadge = newTagBadge("", theme.ColorNamePrimary, false, -1)
	r.titleWithBadge = container.NewBorder(nil, nil, container.NewCenter(r.copyBadge), nil, r.title)
	r.cells = container.New(&columns{date: &l.dateWidth}, r.outlet, r.date, r.titleWithBadge, r.words)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (r *libraryRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.bg, r.cells))
}

// show fills the row with article s, the i-th row, marked or not.
func (r *libraryRow) show(i int, s data.Summary, marked bool) {
	r.index = i
	r.bg.FillColor = theme.Color(theme.ColorNameSelection)
	r.bg.Hidden = !marked
	r.bg.Refresh()
	setField(r.outlet, s.Outlet, s.IsInferred(data.FieldOutlet))
	setField(r.date, s.Date.String(), s.IsInferred(data.FieldDate))
	title := s.Title
	if title == "" {
		title = displayTitle(title, s.ID)
	}
	setField(r.title, title, s.IsInferred(data.FieldTitle))
	r.words.SetText(fmt.Sprint(s.Words))
	if text := copyBadgeText(s.CopyOf, s.CopyShare); text != "" {
		r.copyBadge.set(text, theme.ColorNamePrimary, false, -1)
		r.copyBadge.Show()
	} else {
		r.copyBadge.Hide()
	}
	r.titleWithBadge.Refresh()
	// The date column may have been widened or narrowed since the row was
	// laid out (see Library.fitDates); laying out four cells again costs
	// nothing that matters.
	r.cells.Layout.Layout(r.cells.Objects, r.cells.Size())
}

// setField shows a metadata value, in italics with the inferred mark when
// Parallax inferred it.
func setField(l *widget.Label, value string, inferred bool) {
	value = fieldText(value, inferred)
	if l.TextStyle.Italic != inferred {
		l.TextStyle.Italic = inferred
		l.Refresh()
	}
	l.SetText(value)
}

// fieldText is a value as setField writes it: an inferred one followed by
// the mark.
func fieldText(value string, inferred bool) string {
	if inferred && value != "" {
		return value + " " + inferredMark
	}
	return value
}

// copyBadgeText labels an article that repeats an earlier one: "copy of
// #12" for the same text, "87% of #12" for a near-copy; "" for neither.
func copyBadgeText(of int64, share float64) string {
	switch {
	case of == 0:
		return ""
	case share >= 1:
		return fmt.Sprintf("copy of #%d", of)
	}
	return fmt.Sprintf("%.0f%% of #%d", 100*share, of)
}

// MouseDown records the modifier keys held for the click that follows.
func (r *libraryRow) MouseDown(e *desktop.MouseEvent) { r.mod = e.Modifier }

// MouseUp is part of desktop.Mouseable.
func (r *libraryRow) MouseUp(*desktop.MouseEvent) {}

// Tapped marks the row as Library.Click says.
func (r *libraryRow) Tapped(*fyne.PointEvent) {
	mod := r.mod
	r.mod = 0
	r.lib.Click(r.index, mod)
}
