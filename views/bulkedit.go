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

// Bulk editing: one form sets outlet, date, title, author or an attribute
// on every marked article, as one undoable step (one transaction each
// way), and banners point at the articles that still lack an outlet.

// EditArticles opens the form for setting details on the articles ids. A
// field left empty is left as each article has it.
func (wb *Workbench) EditArticles(ids []int64) {
	if len(ids) == 0 {
		return
	}
	rows, err := wb.backend.ListArticles(context.Background(), data.ListQuery{Sort: data.SortID})
	if err != nil {
		wb.ShowError(err)
		return
	}
	in := map[int64]bool{}
	for _, id := range ids {
		in[id] = true
	}
	// Where every article has the same value, the form shows it; where
	// they differ it says so, and typing replaces them all.
	common := func(get func(data.Summary) string) (value, hint string) {
		first := true
		for _, r := range rows {
			if !in[r.ID] {
				continue
			}
			v := get(r)
			switch {
			case first:
				value, first = v, false
			case v != value:
				return "", "(various: leave empty to keep each)"
			}
		}
		return value, "(none)"
	}
	entry := func(get func(data.Summary) string) *widget.Entry {
		e := widget.NewEntry()
		v, hint := common(get)
		e.SetText(v)
		e.SetPlaceHolder(hint)
		return e
	}
	outlet := entry(func(s data.Summary) string { return s.Outlet })
	date := entry(func(s data.Summary) string { return s.Date.String() })
	date.Validator = func(s string) error { _, err := data.ParseDateTime(s); return err }
	title := entry(func(s data.Summary) string { return s.Title })
	attrName := widget.NewEntry()
	attrName.SetPlaceHolder("name, e.g. event")
	attrValue := widget.NewEntry()
	attrValue.SetPlaceHolder("value")
	orig := map[*widget.Entry]string{outlet: outlet.Text, date: date.Text, title: title.Text}

	items := []*widget.FormItem{
		widget.NewFormItem("Outlet", outlet),
		widget.NewFormItem("Date", date),
	}
	if len(ids) == 1 {
		items = append(items, widget.NewFormItem("Title", title))
	}
	items = append(items, widget.NewFormItem("Attribute", container.NewGridWithColumns(2, attrName, attrValue)))
	what := plural(len(ids), "article", "articles")
	d := dialog.NewForm("Edit details of "+what, "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		var e data.MetaEdit
		// Only what the researcher changed is set.
		changed := func(en *widget.Entry) *string {
			v := strings.TrimSpace(en.Text)
			if v == orig[en] || (v == "" && orig[en] == "") {
				return nil
			}
			return &v
		}
		e.Outlet = changed(outlet)
		if len(ids) == 1 {
			e.Title = changed(title)
		}
		if v := changed(date); v != nil {
			d, _ := data.ParseDateTime(*v) // validated by the form
			e.Date = &d
		}
		if k := strings.TrimSpace(attrName.Text); k != "" {
			e.Attributes = map[string]string{k: strings.TrimSpace(attrValue.Text)}
		}
		if e.Empty() {
			return
		}
		wb.applyEdit(ids, e)
	}, wb.window)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// applyEdit applies e to the articles as one undoable step.
func (wb *Workbench) applyEdit(ids []int64, e data.MetaEdit) {
	var before []data.MetaState
	ctx := context.Background()
	err := wb.History.Run(Action{
		Name: "edit of " + plural(len(ids), "article", "articles"),
		Do: func() error {
			b, err := wb.backend.EditArticles(ctx, ids, e)
			if err == nil {
				before = b
			}
			return err
		},
		Undo: func() error { return wb.backend.RestoreMeta(ctx, before) },
	})
	if err != nil {
		wb.ShowError(err)
		return
	}
	wb.Reload()
	wb.SetStatus(fmt.Sprintf("Updated the details of %s (Ctrl+Z to undo).", plural(len(ids), "article", "articles")))
}

// FixOutlets shows the articles without an outlet in the library, marks
// them and opens the form to name their outlet.
func (wb *Workbench) FixOutlets() {
	wb.ShowTab("Library")
	wb.Library.SetSearch("")
	wb.Library.FilterNoOutlet()
	wb.Library.SelectAll()
	wb.EditArticles(wb.Library.Marked())
}

// outletBanner is the notice above the compare and matrix screens while
// some articles have no outlet: each of them counts as a source of its
// own, and the button names their outlets.
type outletBanner struct {
	label   *widget.Label
	content *fyne.Container
}

func (wb *Workbench) newOutletBanner() *outletBanner {
	b := &outletBanner{label: widget.NewLabel("")}
	b.label.Wrapping = fyne.TextWrapWord
	fix := widget.NewButtonWithIcon("Set outlets…", theme.DocumentCreateIcon(), wb.FixOutlets)
	fix.Importance = widget.HighImportance
	icon := widget.NewIcon(theme.WarningIcon())
	b.content = container.NewBorder(nil, widget.NewSeparator(), icon, fix, b.label)
	b.content.Hide()
	return b
}

// update shows the banner when n articles have no outlet.
func (b *outletBanner) update(n int) {
	if n == 0 {
		b.content.Hide()
		return
	}
	b.label.SetText(fmt.Sprintf("%s no outlet: each is compared as a source of its own until you name its outlet.",
		map[bool]string{true: "1 article has", false: fmt.Sprintf("%d articles have", n)}[n == 1]))
	b.content.Show()
}
