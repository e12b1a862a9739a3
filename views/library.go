package views

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

const (
	allOutlets = "All outlets"
	// noOutlet is the outlet filter's choice for the articles with none.
	noOutlet = "(no outlet)"
)

// Library is the article list: browse sorted and filtered by outlet, or
// full-text search with ranked snippets. Both lists are virtualised
// widget.Lists, so the cost of a frame does not depend on project size.
type Library struct {
	backend Backend

	// OnSelect is called with the chosen article's ID.
	OnSelect func(id int64)
	// OnError reports a failed query to the user.
	OnError func(error)
	// OnEditSelected is called to edit the details of the marked articles
	// together (the bulk edit).
	OnEditSelected func(ids []int64)

	query    data.ListQuery
	rows     []data.Summary
	hits     []data.SearchHit
	selected int64
	// marked are the articles selected in the list, for a bulk edit:
	// a click marks one, Ctrl+click adds or removes one, Shift+click
	// marks the run from anchor, Ctrl+A marks every row shown.
	marked map[int64]bool
	anchor int64

	search     *widget.Entry
	outlet     *widget.Select
	hideCopies *widget.Check
	editBtn    *widget.Button
	sortBtn    map[data.SortKey]*widget.Button
	list       *widget.List
	header     *fyne.Container
	// dateWidth is the date column's, wide enough for the widest date
	// listed (a time and its zone take twice a day's width).
	dateWidth float32
	results   *widget.List
	count     *widget.Label
	stack     *fyne.Container
	content   fyne.CanvasObject
}

// NewLibrary builds the library for a backend. Call Reload to fill it.
func NewLibrary(b Backend) *Library {
	l := &Library{backend: b, query: data.ListQuery{Sort: data.SortDate}, sortBtn: map[data.SortKey]*widget.Button{}, marked: map[int64]bool{}}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(`Search: words, "a phrase", -exclude, prefix*`)
	l.search.OnChanged = func(string) { l.runSearch() }
	l.search.ActionItem = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { l.search.SetText("") })
	l.outlet = widget.NewSelect([]string{allOutlets}, func(s string) {
		none := s == noOutlet
		if s == allOutlets || none {
			s = ""
		}
		if s != l.query.Outlet || none != l.query.NoOutlet {
			l.query.Outlet, l.query.NoOutlet = s, none
			l.reloadRows()
		}
	})
	l.outlet.Selected = allOutlets
	l.hideCopies = widget.NewCheck("Hide copies", func(on bool) {
		if on != l.query.HideCopies {
			l.query.HideCopies = on
			l.reloadRows()
		}
	})
	l.editBtn = widget.NewButtonWithIcon("Edit selected…", theme.DocumentCreateIcon(), l.EditSelected)
	l.editBtn.Importance = widget.LowImportance

	header := container.New(&columns{date: &l.dateWidth})
	l.header = header
	for _, c := range []struct {
		key   data.SortKey
		label string
	}{{data.SortOutlet, "Outlet"}, {data.SortDate, "Date"}, {data.SortTitle, "Title"}, {data.SortWords, "Words"}} {
		key := c.key
		b := &widget.Button{Text: c.label, Importance: widget.LowImportance, Alignment: widget.ButtonAlignLeading,
			OnTapped: func() { l.SortBy(key) }}
		l.sortBtn[key] = b
		header.Add(b)
	}

	l.list = widget.NewList(
		func() int { return len(l.rows) },
		func() fyne.CanvasObject { return newLibraryRow(l) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(l.rows) {
				o.(*libraryRow).show(i, l.rows[i], l.marked[l.rows[i].ID])
			}
		},
	)
	// Rows take clicks themselves (see libraryRow); the list's own
	// selection is what the keyboard moves.
	l.list.OnSelected = func(i widget.ListItemID) {
		if i < len(l.rows) && !l.marked[l.rows[i].ID] {
			l.Click(i, 0)
		}
	}

	l.results = widget.NewList(
		func() int { return len(l.hits) },
		func() fyne.CanvasObject {
			title := widget.NewLabel("Title")
			title.TextStyle.Bold = true
			title.Truncation = fyne.TextTruncateEllipsis
			meta := widget.NewLabel("Outlet · date")
			// A multi-segment RichText cannot truncate itself, so a
			// horizontal scroller clips it instead of letting a long
			// snippet widen the whole list.
			snippet := container.NewHScroll(widget.NewRichText())
			return container.NewVBox(container.NewBorder(nil, nil, nil, meta, title), snippet)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			h := l.hits[i]
			box := o.(*fyne.Container)
			top := box.Objects[0].(*fyne.Container)
			top.Objects[0].(*widget.Label).SetText(displayTitle(h.Title, h.ID))
			top.Objects[1].(*widget.Label).SetText(joinNonEmpty(" · ", h.Outlet, h.Date.String()))
			top.Refresh() // the meta label's width changed: lay the row out again
			snippet := box.Objects[1].(*container.Scroll)
			rt := snippet.Content.(*widget.RichText)
			rt.Segments = snippetSegments(h.Snippet, h.Marks)
			rt.Refresh()
			snippet.ScrollToTop()
		},
	)
	l.results.OnSelected = func(i widget.ListItemID) { l.choose(l.hits[i].ID) }

	l.count = widget.NewLabel("")
	l.count.TextStyle.Italic = true
	l.count.Truncation = fyne.TextTruncateEllipsis
	l.stack = container.NewStack(container.NewBorder(header, nil, nil, nil, l.list), l.results)
	l.results.Hide()
	top := container.NewBorder(nil, nil, nil, container.NewHBox(l.hideCopies, l.outlet), l.search)
	l.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, l.editBtn, l.count), nil, nil, l.stack)
	l.updateSortLabels()
	return l
}

// Content is the library's canvas object.
func (l *Library) Content() fyne.CanvasObject { return l.content }

// SearchEntry is the search box, for focusing it from a shortcut.
func (l *Library) SearchEntry() *widget.Entry { return l.search }

// Selected is the ID of the article last chosen, or 0.
func (l *Library) Selected() int64 { return l.selected }

// Len is the number of rows shown (browse rows, or search hits while a
// search is active).
func (l *Library) Len() int {
	if l.searching() {
		return len(l.hits)
	}
	return len(l.rows)
}

// Reload re-reads outlets and rows from the backend, keeping the sort,
// filter and search.
func (l *Library) Reload() {
	outlets, err := l.backend.Outlets(context.Background())
	if err != nil {
		l.fail(err)
	}
	opts := append([]string{allOutlets}, outlets...)
	if st, err := l.backend.Stats(context.Background()); err == nil && st.NoOutlet > 0 {
		opts = append(opts, noOutlet)
	}
	l.outlet.SetOptions(opts)
	if (l.query.Outlet != "" && !slices.Contains(outlets, l.query.Outlet)) || (l.query.NoOutlet && !slices.Contains(opts, noOutlet)) {
		l.query.Outlet, l.query.NoOutlet = "", false
		l.outlet.SetSelected(allOutlets)
	}
	l.reloadRows()
	if l.searching() {
		l.runSearch()
	}
}

// SortBy sorts by key; choosing the current key again reverses the order.
func (l *Library) SortBy(key data.SortKey) {
	if l.query.Sort == key {
		l.query.Desc = !l.query.Desc
	} else {
		l.query.Sort, l.query.Desc = key, key == data.SortWords
	}
	l.updateSortLabels()
	l.reloadRows()
}

// FilterOutlet shows only one outlet's articles ("" for all).
func (l *Library) FilterOutlet(outlet string) {
	if outlet == "" {
		outlet = allOutlets
	}
	l.outlet.SetSelected(outlet)
}

// FilterNoOutlet shows only the articles without an outlet.
func (l *Library) FilterNoOutlet() {
	if !slices.Contains(l.outlet.Options, noOutlet) {
		l.outlet.Options = append(l.outlet.Options, noOutlet)
	}
	l.outlet.SetSelected(noOutlet)
}

// HideCopies hides (or shows again) the articles that repeat an earlier
// one, as the "Hide copies" box does.
func (l *Library) HideCopies(on bool) { l.hideCopies.SetChecked(on) }

// Click handles a click on the i-th browse row with the modifier keys
// held: alone it marks that article and opens it; with Ctrl (Cmd on
// macOS) it adds the article to the marked ones or takes it out; with
// Shift it marks the run of rows from the last article clicked.
func (l *Library) Click(i int, mod fyne.KeyModifier) {
	if i < 0 || i >= len(l.rows) {
		return
	}
	id := l.rows[i].ID
	switch {
	case mod&fyne.KeyModifierShift != 0 && l.anchor != 0:
		from := slices.IndexFunc(l.rows, func(r data.Summary) bool { return r.ID == l.anchor })
		if from < 0 {
			from = i
		}
		if mod&fyne.KeyModifierShortcutDefault == 0 {
			clear(l.marked)
		}
		for j := min(from, i); j <= max(from, i); j++ {
			l.marked[l.rows[j].ID] = true
		}
	case mod&fyne.KeyModifierShortcutDefault != 0:
		if l.marked[id] {
			delete(l.marked, id)
		} else {
			l.marked[id] = true
		}
		l.anchor = id
	default:
		clear(l.marked)
		l.marked[id] = true
		l.anchor = id
		l.choose(id)
	}
	l.list.Refresh()
	l.updateCount()
}

// SelectAll marks every row shown (Ctrl+A in the list).
func (l *Library) SelectAll() {
	if l.searching() {
		return
	}
	for _, r := range l.rows {
		l.marked[r.ID] = true
	}
	l.list.Refresh()
	l.updateCount()
}

// Marked returns the marked articles' IDs in list order.
func (l *Library) Marked() []int64 {
	var out []int64
	for _, r := range l.rows {
		if l.marked[r.ID] {
			out = append(out, r.ID)
		}
	}
	return out
}

// EditSelected asks to edit the marked articles together, or the one
// shown when none is marked.
func (l *Library) EditSelected() {
	ids := l.Marked()
	if len(ids) == 0 && l.selected != 0 {
		ids = []int64{l.selected}
	}
	if len(ids) > 0 && l.OnEditSelected != nil {
		l.OnEditSelected(ids)
	}
}

// SetSearch puts text in the search box and runs the search.
func (l *Library) SetSearch(q string) { l.search.SetText(q) }

// Titles returns the titles shown, in order: for tests and status lines.
func (l *Library) Titles() []string {
	var out []string
	if l.searching() {
		for _, h := range l.hits {
			out = append(out, h.Title)
		}
		return out
	}
	for _, r := range l.rows {
		out = append(out, r.Title)
	}
	return out
}

// SelectRow selects the i-th shown row as a click would.
func (l *Library) SelectRow(i int) {
	if l.searching() {
		l.results.Select(i)
	} else {
		l.Click(i, 0)
	}
}

// SelectID selects the row of an article as a click would, and reports
// whether the article is listed.
func (l *Library) SelectID(id int64) bool {
	if l.searching() {
		for i, h := range l.hits {
			if h.ID == id {
				l.results.Select(i)
				return true
			}
		}
		return false
	}
	for i, r := range l.rows {
		if r.ID == id {
			l.Click(i, 0)
			l.list.ScrollTo(i)
			return true
		}
	}
	return false
}

func (l *Library) searching() bool { return strings.TrimSpace(l.search.Text) != "" }

func (l *Library) choose(id int64) {
	l.selected = id
	if l.OnSelect != nil {
		l.OnSelect(id)
	}
}

func (l *Library) reloadRows() {
	rows, err := l.backend.ListArticles(context.Background(), l.query)
	if err != nil {
		l.fail(err)
		return
	}
	l.rows = rows
	l.fitDates()
	listed := map[int64]bool{}
	for _, r := range rows {
		listed[r.ID] = true
	}
	maps.DeleteFunc(l.marked, func(id int64, _ bool) bool { return !listed[id] })
	l.list.UnselectAll()
	l.list.Refresh()
	for i, r := range rows {
		if r.ID == l.selected {
			l.list.ScrollTo(i)
			break
		}
	}
	l.updateCount()
}

func (l *Library) runSearch() {
	if !l.searching() {
		l.hits = nil
		l.results.Hide()
		l.stack.Objects[0].Show()
		l.updateCount()
		return
	}
	hits, err := l.backend.Search(context.Background(), l.search.Text, 500)
	if err != nil {
		l.fail(err)
		return
	}
	l.hits = hits
	l.results.UnselectAll()
	l.results.Refresh()
	l.results.ScrollToTop()
	l.stack.Objects[0].Hide()
	l.results.Show()
	l.updateCount()
}

// fitDates widens the date column to the widest date listed, so that a
// time and its zone are not drawn over the title (or cut off: the time is
// what orders a day's versions), and narrows it again when none is there.
func (l *Library) fitDates() {
	// Texts of one length are not one width ("+" is wider than "-"), and
	// measuring every date of a large library would take a while: each is
	// measured by its shape, its figures all written as the widest figure,
	// and a library has a handful of shapes.
	size := theme.TextSize()
	widest, wide := '0', float32(0)
	for d := '0'; d <= '9'; d++ {
		if w := fyne.MeasureText(string(d), size, fyne.TextStyle{Italic: true}).Width; w > wide {
			widest, wide = d, w
		}
	}
	shapes := map[string]bool{} // shape → inferred
	for _, r := range l.rows {
		inferred := r.IsInferred(data.FieldDate)
		shape := strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return widest
			}
			return c
		}, fieldText(r.Date.String(), inferred))
		shapes[shape] = shapes[shape] || inferred
	}
	w := float32(minDateWidth)
	for shape, inferred := range shapes {
		// An inferred date is set in italics, the others upright: the
		// wider of the two is taken for a shape both have.
		m := fyne.MeasureText(shape, size, fyne.TextStyle{})
		if inferred {
			m = m.Max(fyne.MeasureText(shape, size, fyne.TextStyle{Italic: true}))
		}
		w = max(w, m.Width+2*theme.InnerPadding())
	}
	w = float32(math.Ceil(float64(w)))
	if w == l.dateWidth {
		return
	}
	l.dateWidth = w
	l.header.Refresh()
}

func (l *Library) updateCount() {
	var s string
	switch {
	case l.searching():
		// A query cut to the search caps says so where its matches are
		// counted.
		l.count.SetText(strings.TrimSpace(plural(len(l.hits), "match", "matches") + " " + data.QueryNote(l.search.Text)))
		l.editBtn.Hide()
		return
	case l.query.Outlet != "":
		s = plural(len(l.rows), "article", "articles") + " from " + l.query.Outlet
	case l.query.NoOutlet:
		s = plural(len(l.rows), "article", "articles") + " without an outlet"
	default:
		s = plural(len(l.rows), "article", "articles")
	}
	if n := len(l.Marked()); n > 1 {
		s += fmt.Sprintf(" · %d selected", n)
	}
	for _, r := range l.rows {
		if len(r.Inferred) > 0 {
			s += " · " + inferredMark + " inferred: check"
			break
		}
	}
	l.count.SetText(s)
	l.editBtn.SetText("Edit details…")
	if n := len(l.Marked()); n > 1 {
		l.editBtn.SetText(fmt.Sprintf("Edit %d articles…", n))
	}
	l.editBtn.Show()
}

func (l *Library) updateSortLabels() {
	names := map[data.SortKey]string{data.SortOutlet: "Outlet", data.SortDate: "Date", data.SortTitle: "Title", data.SortWords: "Words"}
	for key, b := range l.sortBtn {
		b.Icon = nil
		if key == l.query.Sort {
			b.Icon = theme.MenuDropDownIcon()
			if l.query.Desc {
				b.Icon = theme.MenuDropUpIcon()
			}
		}
		b.SetText(names[key])
	}
}

func (l *Library) fail(err error) {
	if l.OnError != nil {
		l.OnError(err)
	}
}

// snippetSegments renders a search snippet with its matches in bold.
func snippetSegments(s string, marks [][2]int) []widget.RichTextSegment {
	runes := []rune(s)
	var segs []widget.RichTextSegment
	pos := 0
	add := func(text string, bold bool) {
		if text == "" {
			return
		}
		style := widget.RichTextStyleInline
		style.TextStyle.Bold = bold
		if !bold {
			style.ColorName = theme.ColorNamePlaceHolder
		}
		segs = append(segs, &widget.TextSegment{Text: text, Style: style})
	}
	for _, m := range marks {
		if m[0] < pos || m[1] > len(runes) {
			continue
		}
		add(string(runes[pos:m[0]]), false)
		add(string(runes[m[0]:m[1]]), true)
		pos = m[1]
	}
	add(strings.ReplaceAll(string(runes[pos:]), "\n", " "), false)
	for _, s := range segs {
		t := s.(*widget.TextSegment)
		t.Text = strings.ReplaceAll(t.Text, "\n", " ")
	}
	return segs
}

// columns lays out library cells: outlet and date at fixed widths, the
// title taking what is left, the word count at the end. Header and rows use
// the same layout so they line up.
type columns struct {
	// date is the date column's width, the library's, which it widens
	// to fit dates with a time and zone (see Library.fitDates); nil for
	// the narrowest.
	date *float32
}

// minDateWidth fits a day ("2023-01-31"), the date most articles have.
const minDateWidth = 100

func (c *columns) dateWidth() float32 {
	if c.date == nil {
		return minDateWidth
	}
	return max(minDateWidth, *c.date)
}

func (c *columns) widths(total float32) []float32 {
	outlet, date, words := float32(150), c.dateWidth(), float32(70)
	title := total - outlet - date - words
	if title < 80 {
		title = 80
	}
	return []float32{outlet, date, title, words}
}

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, w := range c.widths(size.Width) {
		if i >= len(objs) {
			break
		}
		objs[i].Move(fyne.NewPos(x, 0))
		objs[i].Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(150+c.dateWidth()+80+70, h)
}

func displayTitle(title string, id int64) string {
	if strings.TrimSpace(title) == "" {
		return fmt.Sprintf("(untitled article %d)", id)
	}
	return title
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
