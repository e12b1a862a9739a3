package views

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// MemoBackend is what memos need from the project.
type MemoBackend interface {
	Memos(ctx context.Context, kind string, target int64) ([]data.Memo, error)
	SaveMemo(ctx context.Context, m data.Memo) (data.Memo, error)
	DeleteMemo(ctx context.Context, id int64) (data.Memo, error)
	RestoreMemo(ctx context.Context, m data.Memo) error
}

// MemosPanel lists the project's memos (on the project, articles, codes and
// clusters) and edits them, with undo.
type MemosPanel struct {
	backend MemoBackend
	window  fyne.Window
	history *History
	OnError func(error)

	items   []data.Memo
	list    *widget.List
	content fyne.CanvasObject
}

// NewMemosPanel builds the panel; call Reload to fill it.
func NewMemosPanel(b MemoBackend, window fyne.Window, history *History) *MemosPanel {
	p := &MemosPanel{backend: b, window: window, history: history}
	p.list = widget.NewList(
		func() int { return len(p.items) },
		func() fyne.CanvasObject {
			title := widget.NewLabel("title")
			title.TextStyle.Bold = true
			title.Truncation = fyne.TextTruncateEllipsis
			body := widget.NewLabel("text")
			body.Truncation = fyne.TextTruncateEllipsis
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
			return container.NewBorder(nil, nil, nil, del, container.NewVBox(title, body))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			m := p.items[i]
			row := o.(*fyne.Container)
			texts := row.Objects[0].(*fyne.Container).Objects
			texts[0].(*widget.Label).SetText(joinNonEmpty(" · ", memoTarget(m), m.Title, m.Modified.Local().Format("2006-01-02 15:04")))
			texts[1].(*widget.Label).SetText(strings.ReplaceAll(m.Text, "\n", " "))
			row.Objects[1].(*widget.Button).OnTapped = func() { p.Delete(m.ID) }
		},
	)
	p.list.OnSelected = func(i widget.ListItemID) {
		p.Edit(p.items[i])
		p.list.UnselectAll()
	}
	add := widget.NewButtonWithIcon("New project memo", theme.ContentAddIcon(), func() { p.Edit(data.Memo{TargetKind: "project"}) })
	p.content = container.NewBorder(container.NewHBox(add), nil, nil, nil, p.list)
	return p
}

func memoTarget(m data.Memo) string {
	if m.TargetKind == "project" {
		return "Project"
	}
	return fmt.Sprintf("%s %d", strings.ToUpper(m.TargetKind[:1])+m.TargetKind[1:], m.TargetID)
}

// Content is the panel's canvas object.
func (p *MemosPanel) Content() fyne.CanvasObject { return p.content }

// Items are the memos shown.
func (p *MemosPanel) Items() []data.Memo { return p.items }

// Reload re-reads the memos.
func (p *MemosPanel) Reload() {
	items, err := p.backend.Memos(context.Background(), "", 0)
	if err != nil {
		p.fail(err)
		return
	}
	p.items = items
	p.list.Refresh()
}

// Edit opens a memo (ID 0 for a new one on m's target) in a form.
func (p *MemosPanel) Edit(m data.Memo) {
	title := widget.NewEntry()
	title.SetText(m.Title)
	text := widget.NewMultiLineEntry()
	text.SetText(m.Text)
	text.SetMinRowsVisible(8)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm("Memo — "+memoTarget(m), "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Title", title), widget.NewFormItem("Text", text),
	}, func(ok bool) {
		if ok {
			m.Title, m.Text = title.Text, text.Text
			p.Save(m)
		}
	}, p.window)
	d.Resize(fyne.NewSize(560, 420))
	d.Show()
}

// Save creates or updates a memo (undoable).
func (p *MemosPanel) Save(m data.Memo) {
	ctx := context.Background()
	if m.ID == 0 {
		var made data.Memo
		p.run(Action{
			Name: "new memo",
			Do: func() error {
				if made.ID != 0 {
					return p.backend.RestoreMemo(ctx, made)
				}
				var err error
				made, err = p.backend.SaveMemo(ctx, m)
				return err
			},
			Undo: func() error { _, err := p.backend.DeleteMemo(ctx, made.ID); return err },
		})
		return
	}
	var before data.Memo
	for _, x := range p.items {
		if x.ID == m.ID {
			before = x
		}
	}
	p.run(Action{
		Name: "memo edit",
		Do:   func() error { _, err := p.backend.SaveMemo(ctx, m); return err },
		Undo: func() error { _, err := p.backend.SaveMemo(ctx, before); return err },
	})
}

// Delete removes a memo (undoable).
func (p *MemosPanel) Delete(id int64) {
	ctx := context.Background()
	var old data.Memo
	p.run(Action{
		Name: "memo deletion",
		Do:   func() error { var err error; old, err = p.backend.DeleteMemo(ctx, id); return err },
		Undo: func() error { return p.backend.RestoreMemo(ctx, old) },
	})
}

func (p *MemosPanel) run(a Action) {
	if err := p.history.Run(a); err != nil {
		p.fail(err)
	}
	p.Reload()
}

func (p *MemosPanel) fail(err error) {
	if p.OnError != nil {
		p.OnError(err)
	}
}
