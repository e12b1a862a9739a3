package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// ReaderPane shows one article: its metadata above, its text in a Reader
// the researcher can select exact ranges in.
type ReaderPane struct {
	backend Backend
	window  fyne.Window

	// OnChanged is called after the article's metadata was edited or the
	// article deleted, so the library can refresh.
	OnChanged func()
	OnError   func(error)
	// OnMemo asks for a memo on the shown article.
	OnMemo func(a data.Article)
	// OnAnnotationsChanged is called after annotations were added,
	// edited, deleted, undone or redone.
	OnAnnotationsChanged func()
	// History records annotation changes for undo; the workbench shares
	// one for the whole project.
	History *History

	article   data.Article
	title     *widget.Label
	meta      *widget.Label
	note      *widget.Label // inferred fields and copies, when there are any
	link      *widget.Hyperlink
	selection *widget.Label
	edit      *widget.Button
	del       *widget.Button
	annotate  *widget.Button

	codes      []data.Code
	notes      *notes
	notesTitle *widget.Label
	Reader     *Reader
	scroll     *container.Scroll
	empty      fyne.CanvasObject
	body       fyne.CanvasObject
	content    *fyne.Container
}

// NewReaderPane builds an empty reader pane. window parents its dialogs.
func NewReaderPane(b Backend, window fyne.Window) *ReaderPane {
	p := &ReaderPane{backend: b, window: window}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Wrapping = fyne.TextWrapWord
	p.title.SizeName = theme.SizeNameSubHeadingText
	p.meta = widget.NewLabel("")
	p.meta.Truncation = fyne.TextTruncateEllipsis
	p.note = widget.NewLabel("")
	p.note.TextStyle.Italic = true
	p.note.Wrapping = fyne.TextWrapWord
	p.note.Hide()
	p.link = widget.NewHyperlink("", nil)
	p.link.Truncation = fyne.TextTruncateEllipsis
	p.selection = widget.NewLabel("")
	p.selection.TextStyle.Italic = true
	p.Reader = NewReader()
	p.Reader.OnSelectionChanged = func(start, end int) { p.showSelection(start, end) }
	p.Reader.OnContextMenu = p.contextMenu
	p.scroll = container.NewVScroll(p.Reader)
	p.annotate = widget.NewButtonWithIcon("Annotate…", theme.ContentAddIcon(), p.Annotate)
	p.annotate.Importance = widget.HighImportance
	p.annotate.Disable()
	p.notes = newNotes(p)
	p.notesTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.edit = widget.NewButtonWithIcon("Edit details…", theme.DocumentCreateIcon(), p.EditMeta)
	p.del = widget.NewButtonWithIcon("Delete…", theme.DeleteIcon(), p.ConfirmDelete)
	p.del.Importance = widget.DangerImportance
	memo := widget.NewButtonWithIcon("Memo…", theme.DocumentCreateIcon(), func() {
		if p.OnMemo != nil && p.article.ID != 0 {
			p.OnMemo(p.article)
		}
	})
	actions := container.NewHBox(memo, p.edit, p.del)
	header := container.NewVBox(p.title, container.NewBorder(nil, nil, nil, actions, p.meta), p.note, p.link, widget.NewSeparator())
	notesPanel := container.NewBorder(p.notesTitle, nil, nil, nil, p.notes.list)
	split := container.NewVSplit(p.scroll, notesPanel)
	split.Offset = 0.72
	p.body = container.NewBorder(header, container.NewBorder(nil, nil, nil, p.annotate, p.selection), nil, nil, split)
	empty := widget.NewLabel("Select an article in the library to read it here.")
	empty.Alignment = fyne.TextAlignCenter
	p.empty = container.NewCenter(empty)
	p.content = container.NewStack(p.empty)
	return p
}

// Content is the pane's canvas object.
func (p *ReaderPane) Content() fyne.CanvasObject { return p.content }

// Article is the article shown, or the zero Article.
func (p *ReaderPane) Article() data.Article { return p.article }

// Show loads and displays an article.
func (p *ReaderPane) Show(id int64) {
	a, err := p.backend.Article(context.Background(), id)
	if err != nil {
		p.fail(err)
		return
	}
	p.article = a
	p.showDetails(a)
	p.Reader.SetText(a.Text)
	p.reloadAnnotations()
	p.scroll.ScrollToTop()
	p.showSelection(0, 0)
	p.content.Objects = []fyne.CanvasObject{p.body}
	p.content.Refresh()
}

// showDetails fills the header: title, metadata (inferred values marked),
// what the article copies, and its link.
func (p *ReaderPane) showDetails(a data.Article) {
	mark := func(field, v string) string {
		if v != "" && a.IsInferred(field) {
			return v + " " + inferredMark
		}
		return v
	}
	p.title.SetText(mark(data.FieldTitle, displayTitle(a.Title, a.ID)))
	var primary string
	if a.Primary() {
		primary = "primary source"
	}
	p.meta.SetText(joinNonEmpty(" · ", mark(data.FieldOutlet, a.Outlet), mark(data.FieldDate, a.Date.String()), mark(data.FieldAuthor, a.Author),
		plural(a.Words, "word", "words"), primary))
	var notes []string
	if a.CopyOf != 0 {
		if a.Exact() {
			notes = append(notes, fmt.Sprintf("Syndicated copy: the same text as article #%d.", a.CopyOf))
		} else {
			notes = append(notes, fmt.Sprintf("Near-copy of article #%d: %.0f%% of its text in common.", a.CopyOf, 100*a.CopyShare))
		}
	}
	if len(a.Inferred) > 0 {
		notes = append(notes, fmt.Sprintf("%s Inferred by Parallax, to check: %s.", inferredMark, strings.Join(a.Inferred, ", ")))
	}
	p.note.SetText(strings.Join(notes, " "))
	p.note.Hidden = len(notes) == 0
	if u, err := url.Parse(a.URL); err == nil && a.URL != "" && u.Scheme != "" {
		p.link.SetText(a.URL)
		p.link.SetURL(u)
		p.link.Show()
	} else {
		p.link.Hide()
	}
}

// RefreshDetails re-reads the shown article's details after they changed
// elsewhere (a bulk edit or its undo), leaving text, scroll and selection
// alone.
func (p *ReaderPane) RefreshDetails() {
	if p.article.ID == 0 {
		return
	}
	a, err := p.backend.Article(context.Background(), p.article.ID)
	if err != nil || a.Text != p.article.Text {
		return // gone or replaced: Reload shows what is there now
	}
	p.article = a
	p.showDetails(a)
}

// Clear shows the empty state.
func (p *ReaderPane) Clear() {
	p.article = data.Article{}
	p.Reader.SetText("")
	p.content.Objects = []fyne.CanvasObject{p.empty}
	p.content.Refresh()
}

// SelectRange selects [start, end) in the shown article and scrolls to it.
func (p *ReaderPane) SelectRange(start, end int) {
	p.Reader.Select(start, end)
	p.scroll.Offset.Y = max(0, p.Reader.LineTop(start)-p.scroll.Size().Height/3)
	p.scroll.Refresh()
}

func (p *ReaderPane) showSelection(start, end int) {
	if end <= start {
		p.annotate.Disable()
		if under := p.annotationsAt(start); len(under) > 0 {
			p.selection.SetText(under)
			return
		}
		p.selection.SetText("Drag over the text to select a passage.")
		return
	}
	p.annotate.Enable()
	p.selection.SetText(fmt.Sprintf("Selected characters %d–%d (%s)", start, end, plural(end-start, "character", "characters")))
}

// contextMenu offers the reader's actions at a right click.
func (p *ReaderPane) contextMenu(at fyne.Position) {
	annotate := fyne.NewMenuItem("Annotate Selection…", p.Annotate)
	copyItem := fyne.NewMenuItem("Copy", func() {
		if t := p.Reader.SelectedText(); t != "" {
			fyne.CurrentApp().Clipboard().SetContent(t)
		}
	})
	start, end := p.Reader.Selection()
	annotate.Disabled, copyItem.Disabled = end <= start, end <= start
	menu := fyne.NewMenu("", annotate, copyItem,
		fyne.NewMenuItem("Select All", func() { p.Reader.Select(0, len([]rune(p.Reader.Text()))) }))
	widget.ShowPopUpMenuAtPosition(menu, p.window.Canvas(), at)
}

// annotationsAt describes the annotations covering a clicked offset, so a
// click on a highlight shows its codes and note.
func (p *ReaderPane) annotationsAt(offset int) string {
	var parts []string
	for _, a := range p.notes.items {
		if !a.Orphaned && a.Start <= offset && offset < a.End {
			codes := p.codePaths(a.CodeIDs)
			if codes == "" {
				codes = "(no code)"
			}
			parts = append(parts, joinNonEmpty(" — ", codes, strings.ReplaceAll(a.Note, "\n", " ")))
		}
	}
	return strings.Join(parts, "  |  ")
}

// EditMeta opens a form for the article's outlet, date (with a time and
// zone where known), title, URL and author, and whether it is a primary
// source.
func (p *ReaderPane) EditMeta() {
	if p.article.ID == 0 {
		return
	}
	a := p.article
	outlet := widget.NewEntry()
	outlet.SetText(a.Outlet)
	date := widget.NewEntry()
	date.SetText(a.Date.String())
	date.SetPlaceHolder("YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM+01:00")
	date.Validator = func(s string) error { _, err := data.ParseDateTime(s); return err }
	title := widget.NewEntry()
	title.SetText(a.Title)
	link := widget.NewEntry()
	link.SetText(a.URL)
	author := widget.NewEntry()
	author.SetText(a.Author)
	primary := widget.NewCheck("the report, release or transcript outlets quote: the root of the propagation", nil)
	primary.SetChecked(a.Primary())
	// A value Parallax inferred is flagged until the researcher changes
	// it, or says here that it is right: a right date left as it was had
	// kept its flag, and the propagation's note on inferred dates, for
	// good.
	confirms := map[string]*widget.Check{}
	var items []*widget.FormItem
	for _, f := range []struct {
		label, field string
		entry        *widget.Entry
	}{
		{"Outlet", data.FieldOutlet, outlet}, {"Date", data.FieldDate, date}, {"Title", data.FieldTitle, title},
		{"URL", data.FieldURL, link}, {"Author", data.FieldAuthor, author},
	} {
		items = append(items, widget.NewFormItem(f.label, f.entry))
		if a.IsInferred(f.field) {
			confirms[f.field] = widget.NewCheck("inferred by Parallax; checked, and right", nil)
			items = append(items, widget.NewFormItem("", confirms[f.field]))
		}
	}
	items = append(items, widget.NewFormItem("Primary source", primary))
	d := dialog.NewForm("Article details", "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		day, err := data.ParseDateTime(date.Text)
		if err != nil {
			p.fail(err)
			return
		}
		if p.history().busy() {
			p.fail(ErrBusy)
			return
		}
		m := data.Meta{Outlet: outlet.Text, Date: day, Title: title.Text, URL: link.Text, Author: author.Text}
		var confirmed []string
		for field, c := range confirms {
			if c.Checked {
				confirmed = append(confirmed, field)
			}
		}
		if err := p.backend.UpdateMeta(context.Background(), a.ID, m, confirmed...); err != nil {
			p.fail(err)
			return
		}
		if primary.Checked != a.Primary() {
			if err := p.backend.SetPrimarySource(context.Background(), []int64{a.ID}, primary.Checked); err != nil {
				p.fail(err)
				return
			}
		}
		p.Show(a.ID)
		if p.OnChanged != nil {
			p.OnChanged()
		}
	}, p.window)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// ConfirmDelete asks before deleting the shown article and everything
// attached to it.
func (p *ReaderPane) ConfirmDelete() {
	if p.article.ID == 0 {
		return
	}
	a := p.article
	msg := fmt.Sprintf("Delete “%s” from this project?\nIts annotations are deleted with it. This cannot be undone.", displayTitle(a.Title, a.ID))
	dialog.ShowConfirm("Delete article", msg, func(ok bool) {
		if !ok {
			return
		}
		if p.history().busy() {
			p.fail(ErrBusy)
			return
		}
		if err := p.backend.DeleteArticles(context.Background(), []int64{a.ID}); err != nil {
			p.fail(err)
			return
		}
		p.Clear()
		if p.OnChanged != nil {
			p.OnChanged()
		}
	}, p.window)
}

func (p *ReaderPane) fail(err error) {
	if p.OnError != nil {
		p.OnError(err)
	}
}
