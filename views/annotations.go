package views

import (
	"cmp"
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

const (
	allCodes  = "All codes"
	allCoders = "All coders"
)

// AnnotationsPanel lists every annotation in the project, filtered by
// code, outlet or text.
type AnnotationsPanel struct {
	backend Backend
	// OnOpen is called with an annotation the user wants to see in the
	// reader.
	OnOpen  func(a data.Annotation)
	OnError func(error)

	items    []data.Annotation
	codes    []data.Code
	articles map[int64]data.Summary

	code    *widget.Select
	coder   *widget.Select
	outlet  *widget.Select
	search  *widget.Entry
	count   *widget.Label
	list    *widget.List
	content fyne.CanvasObject
}

// NewAnnotationsPanel builds the panel; call Reload to fill it.
func NewAnnotationsPanel(b Backend) *AnnotationsPanel {
	p := &AnnotationsPanel{backend: b}
	p.code = widget.NewSelect([]string{allCodes}, func(string) { p.Reload() })
	p.code.Selected = allCodes
	p.outlet = widget.NewSelect([]string{allOutlets}, func(string) { p.Reload() })
	p.outlet.Selected = allOutlets
	p.coder = widget.NewSelect([]string{allCoders}, func(string) { p.Reload() })
	p.coder.Selected = allCoders
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder("Filter by passage or note text")
	p.search.OnChanged = func(string) { p.Reload() }
	p.count = widget.NewLabel("")
	p.count.TextStyle.Italic = true
	p.list = widget.NewList(
		func() int { return len(p.items) },
		func() fyne.CanvasObject {
			head := widget.NewLabel("article")
			head.TextStyle.Bold = true
			head.Truncation = fyne.TextTruncateEllipsis
			body := widget.NewLabel("passage")
			body.Truncation = fyne.TextTruncateEllipsis
			note := widget.NewLabel("note")
			note.Truncation = fyne.TextTruncateEllipsis
			note.TextStyle.Italic = true
			return container.NewVBox(head, body, note)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := p.items[i]
			art := p.articles[a.ArticleID]
			rows := o.(*fyne.Container).Objects
			codes := make([]string, 0, len(a.CodeIDs))
			for _, id := range a.CodeIDs {
				codes = append(codes, data.CodePath(p.codes, id))
			}
			rows[0].(*widget.Label).SetText(joinNonEmpty(" · ", strings.Join(codes, ", "), a.Creator, art.Outlet, art.Date.String(), displayTitle(art.Title, art.ID)))
			rows[1].(*widget.Label).SetText("“" + strings.ReplaceAll(a.Exact, "\n", " ") + "”")
			rows[2].(*widget.Label).SetText(strings.ReplaceAll(a.Note, "\n", " "))
		},
	)
	p.list.OnSelected = func(i widget.ListItemID) {
		if p.OnOpen != nil {
			p.OnOpen(p.items[i])
		}
		p.list.UnselectAll()
	}
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(p.code, p.coder, p.outlet), p.search)
	p.content = container.NewBorder(filters, p.count, nil, nil, p.list)
	return p
}

// Content is the panel's canvas object.
func (p *AnnotationsPanel) Content() fyne.CanvasObject { return p.content }

// Items are the annotations shown.
func (p *AnnotationsPanel) Items() []data.Annotation { return p.items }

// SetCoder filters by the coder who made the annotations ("" for any).
func (p *AnnotationsPanel) SetCoder(name string) {
	p.coder.Selected = cmp.Or(name, allCoders)
	p.Reload()
}

// SetFilter sets the code path, outlet and text filters ("" for any).
func (p *AnnotationsPanel) SetFilter(code, outlet, text string) {
	if code == "" {
		code = allCodes
	}
	if outlet == "" {
		outlet = allOutlets
	}
	p.code.Selected, p.outlet.Selected = code, outlet
	p.search.Text = text
	p.Reload()
}

// Reload re-reads annotations with the current filters.
func (p *AnnotationsPanel) Reload() {
	ctx := context.Background()
	codes, err := p.backend.Codes(ctx)
	if err != nil {
		p.fail(err)
		return
	}
	outlets, err := p.backend.Outlets(ctx)
	if err != nil {
		p.fail(err)
		return
	}
	rows, err := p.backend.ListArticles(ctx, data.ListQuery{})
	if err != nil {
		p.fail(err)
		return
	}
	p.codes = codes
	p.articles = make(map[int64]data.Summary, len(rows))
	for _, r := range rows {
		p.articles[r.ID] = r
	}
	codeOpts := []string{allCodes}
	f := data.AnnotationFilter{Text: strings.TrimSpace(p.search.Text)}
	for _, c := range codes {
		path := data.CodePath(codes, c.ID)
		codeOpts = append(codeOpts, path)
		if path == p.code.Selected {
			f.CodeID = c.ID
		}
	}
	p.code.Options = codeOpts
	p.outlet.Options = append([]string{allOutlets}, outlets...)
	if p.outlet.Selected != allOutlets {
		f.Outlet = p.outlet.Selected
	}
	coders, err := p.backend.Coders(ctx)
	if err != nil {
		p.fail(err)
		return
	}
	p.coder.Options = []string{allCoders}
	for _, c := range coders {
		p.coder.Options = append(p.coder.Options, c.Name)
	}
	if p.coder.Selected != allCoders {
		f.Coder = p.coder.Selected
	}
	items, err := p.backend.Annotations(ctx, f)
	if err != nil {
		p.fail(err)
		return
	}
	p.items = items
	p.list.Refresh()
	p.count.SetText(plural(len(items), "annotation", "annotations"))
}

func (p *AnnotationsPanel) fail(err error) {
	if p.OnError != nil {
		p.OnError(err)
	}
}
