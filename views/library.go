package views

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

const allOutlets = "All outlets"

// Library is the article list: browse sorted and filtered by outlet, or
// full-text search with ranked snippets. Both lists are virtualised
// widget.Lists, so the cost of a frame does not depend on project size.
type Library struct {
	backend Backend

	// OnSelect is called with the chosen article's ID.
	OnSelect func(id int64)
	// OnError reports a failed query to the user.
	OnError func(error)

	query    data.ListQuery
	rows     []data.Summary
	hits     []data.SearchHit
	selected int64

	search  *widget.Entry
	outlet  *widget.Select
	sortBtn map[data.SortKey]*widget.Button
	list    *widget.List
	results *widget.List
	count   *widget.Label
	stack   *fyne.Container
	content fyne.CanvasObject
}

// NewLibrary builds the library for a backend. Call Reload to fill it.
func NewLibrary(b Backend) *Library {
	l := &Library{backend: b, query: data.ListQuery{Sort: data.SortDate}, sortBtn: map[data.SortKey]*widget.Button{}}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(`Search: words, "a phrase", -exclude, prefix*`)
	l.search.OnChanged = func(string) { l.runSearch() }
	l.search.ActionItem = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { l.search.SetText("") })
	l.outlet = widget.NewSelect([]string{allOutlets}, func(s string) {
		if s == allOutlets {
			s = ""
		}
		if s != l.query.Outlet {
			l.query.Outlet = s
			l.reloadRows()
		}
	})
	l.outlet.Selected = allOutlets

	header := container.New(&columns{})
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
		func() fyne.CanvasObject {
			words := widget.NewLabel("00000")
			words.Alignment = fyne.TextAlignTrailing
			title := widget.NewLabel("Title")
			title.Truncation = fyne.TextTruncateEllipsis
			outlet := widget.NewLabel("Outlet")
			outlet.Truncation = fyne.TextTruncateEllipsis
			return container.New(&columns{}, outlet, widget.NewLabel("2000-00-00"), title, words)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := l.rows[i]
			cells := o.(*fyne.Container).Objects
			cells[0].(*widget.Label).SetText(r.Outlet)
			cells[1].(*widget.Label).SetText(r.Date.String())
			cells[2].(*widget.Label).SetText(displayTitle(r.Title, r.ID))
			cells[3].(*widget.Label).SetText(fmt.Sprint(r.Words))
		},
	)
	l.list.OnSelected = func(i widget.ListItemID) { l.choose(l.rows[i].ID) }

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
	l.stack = container.NewStack(container.NewBorder(header, nil, nil, nil, l.list), l.results)
	l.results.Hide()
	top := container.NewBorder(nil, nil, nil, l.outlet, l.search)
	l.content = container.NewBorder(top, l.count, nil, nil, l.stack)
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
	l.outlet.SetOptions(opts)
	if l.query.Outlet != "" && !slices.Contains(outlets, l.query.Outlet) {
		l.query.Outlet = ""
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
		l.list.Select(i)
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
			l.list.Select(i)
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

func (l *Library) updateCount() {
	switch {
	case l.searching():
		// A query cut to the search caps says so where its matches are
		// counted.
		l.count.SetText(strings.TrimSpace(plural(len(l.hits), "match", "matches") + " " + data.QueryNote(l.search.Text)))
	case l.query.Outlet != "":
		l.count.SetText(plural(len(l.rows), "article", "articles") + " from " + l.query.Outlet)
	default:
		l.count.SetText(plural(len(l.rows), "article", "articles"))
	}
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
type columns struct{}

func (c *columns) widths(total float32) []float32 {
	outlet, date, words := float32(150), float32(100), float32(70)
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
	return fyne.NewSize(150+100+80+70, h)
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
