package views

import (
	"context"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// Palette is the highlight colours offered for annotations: distinct in
// both themes once painted translucent under text.
var Palette = []struct{ Name, Hex string }{
	{"Amber", "#F6B73C"}, {"Green", "#4CAF50"}, {"Blue", "#4A90E2"},
	{"Pink", "#E5739D"}, {"Purple", "#9B6DD6"}, {"Teal", "#26A69A"},
}

// neutralHex is how a code without a colour is drawn: a neutral grey, not
// a colour the code does not have.
const neutralHex = "#9E9E9E"

// CodeColor is how a code's swatch is drawn: its colour, or a neutral grey
// when it has none.
func CodeColor(c data.Code) color.NRGBA {
	if c.Color == "" {
		return ParseHex(neutralHex)
	}
	return ParseHex(c.Color)
}

// ParseHex reads "#RRGGBB"; anything else gives the first palette colour,
// so a bad stored value never hides an annotation.
func ParseHex(s string) color.NRGBA {
	var r, g, b uint8
	if len(s) == 7 {
		if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err == nil {
			return color.NRGBA{R: r, G: g, B: b, A: 0xff}
		}
	}
	return color.NRGBA{R: 0xF6, G: 0xB7, B: 0x3C, A: 0xff}
}

// annotationColor is the annotation's own colour, else its first coloured
// code's, else the default highlight.
func annotationColor(a data.Annotation, codes map[int64]data.Code) string {
	if a.Color != "" {
		return a.Color
	}
	for _, id := range a.CodeIDs {
		if c, ok := codes[id]; ok && c.Color != "" {
			return c.Color
		}
	}
	return Palette[0].Hex
}

// categorySuffix marks a category in code lists.
const categorySuffix = " (category)"

// Notes is the list of the shown article's annotations under the reader.
type notes struct {
	pane  *ReaderPane
	items []data.Annotation
	list  *widget.List
}

func newNotes(p *ReaderPane) *notes {
	n := &notes{pane: p}
	n.list = widget.NewList(
		func() int { return len(n.items) },
		func() fyne.CanvasObject {
			codes := widget.NewLabel("codes")
			codes.TextStyle.Bold = true
			codes.Truncation = fyne.TextTruncateEllipsis
			note := widget.NewLabel("note")
			note.Truncation = fyne.TextTruncateEllipsis
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
			edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), nil)
			return container.NewBorder(nil, nil, nil, container.NewHBox(edit, del), container.NewVBox(codes, note))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := n.items[i]
			row := o.(*fyne.Container)
			texts := row.Objects[0].(*fyne.Container).Objects
			codes := p.codePaths(a.CodeIDs)
			if codes == "" {
				codes = "(no code)"
			}
			if a.Orphaned {
				texts[0].(*widget.Label).SetText(codes + " · ORPHANED: passage not found in the new version")
			} else {
				texts[0].(*widget.Label).SetText(fmt.Sprintf("%s · %d–%d", codes, a.Start, a.End))
			}
			line := "“" + strings.ReplaceAll(a.Exact, "\n", " ") + "”"
			if a.Note != "" {
				line = strings.ReplaceAll(a.Note, "\n", " ") + " — " + line
			}
			texts[1].(*widget.Label).SetText(line)
			buttons := row.Objects[1].(*fyne.Container).Objects
			buttons[0].(*widget.Button).OnTapped = func() { p.EditAnnotation(a) }
			buttons[1].(*widget.Button).OnTapped = func() { p.DeleteAnnotation(a.ID) }
		},
	)
	n.list.OnSelected = func(i widget.ListItemID) {
		a := n.items[i]
		if !a.Orphaned {
			p.SelectRange(a.Start, a.End)
		}
		n.list.UnselectAll()
	}
	return n
}

// Annotations are the shown article's annotations, for tests and panels.
func (p *ReaderPane) Annotations() []data.Annotation { return p.notes.items }

// reloadAnnotations re-reads the article's annotations and repaints their
// highlights.
func (p *ReaderPane) reloadAnnotations() {
	if p.article.ID == 0 {
		return
	}
	ctx := context.Background()
	codes, err := p.backend.Codes(ctx)
	if err != nil {
		p.fail(err)
		return
	}
	p.codes = codes
	list, err := p.backend.Annotations(ctx, data.AnnotationFilter{ArticleID: p.article.ID})
	if err != nil {
		p.fail(err)
		return
	}
	p.notes.items = list
	byID := p.codeMap()
	hs := make([]Highlight, 0, len(list))
	for _, a := range list {
		if a.Orphaned { // its passage is gone from this version of the text
			continue
		}
		hs = append(hs, Highlight{Start: a.Start, End: a.End, Color: ParseHex(annotationColor(a, byID))})
	}
	p.Reader.SetHighlights(hs)
	p.notes.list.Refresh()
	p.notesTitle.SetText(plural(len(list), "annotation", "annotations"))
}

func (p *ReaderPane) codeMap() map[int64]data.Code {
	m := make(map[int64]data.Code, len(p.codes))
	for _, c := range p.codes {
		m[c.ID] = c
	}
	return m
}

func (p *ReaderPane) codePaths(ids []int64) string {
	var out []string
	for _, id := range ids {
		out = append(out, data.CodePath(p.codes, id))
	}
	return strings.Join(out, ", ")
}

// Annotate opens the annotation form for the current selection.
func (p *ReaderPane) Annotate() {
	start, end := p.Reader.Selection()
	if p.article.ID == 0 || end <= start {
		return
	}
	p.annotationForm(data.Annotation{ArticleID: p.article.ID, Start: start, End: end})
}

// EditAnnotation opens the form for an existing annotation.
func (p *ReaderPane) EditAnnotation(a data.Annotation) { p.annotationForm(a) }

// annotationForm asks for codes, a note and a colour, then saves through
// the history so the change can be undone.
func (p *ReaderPane) annotationForm(a data.Annotation) {
	// Labels are typed paths (a "/" inside a name shows as "\/"), so
	// that each names one code; categories are listed, marked, and
	// refused on saving with a message saying why.
	paths := make([]string, len(p.codes))
	pathID := map[string]int64{}
	label := func(c data.Code) string {
		l := data.CodeAddress(p.codes, c.ID)
		if c.Category {
			l += categorySuffix
		}
		return l
	}
	for i, c := range p.codes {
		paths[i] = label(c)
		pathID[paths[i]] = c.ID
	}
	checks := widget.NewCheckGroup(paths, nil)
	for _, id := range a.CodeIDs {
		if c, ok := p.codeMap()[id]; ok {
			checks.Selected = append(checks.Selected, label(c))
		}
	}
	newCode := widget.NewEntry()
	newCode.SetPlaceHolder(`New code, e.g. Findings/Severity (a "/" inside a name: \/)`)
	note := widget.NewMultiLineEntry()
	note.SetText(a.Note)
	note.SetMinRowsVisible(4)
	note.Wrapping = fyne.TextWrapWord
	names := []string{"Code colour"}
	for _, c := range Palette {
		names = append(names, c.Name)
	}
	colour := widget.NewSelect(names, nil)
	colour.SetSelected("Code colour")
	for _, c := range Palette {
		if c.Hex == a.Color {
			colour.SetSelected(c.Name)
		}
	}
	excerpt := widget.NewLabel("“" + p.excerpt(a.Start, a.End) + "”")
	excerpt.Wrapping = fyne.TextWrapWord
	excerpt.TextStyle.Italic = true
	items := []*widget.FormItem{
		widget.NewFormItem("Passage", excerpt),
		widget.NewFormItem("Codes", container.NewVScroll(checks)),
		widget.NewFormItem("", newCode),
		widget.NewFormItem("Note", note),
		widget.NewFormItem("Colour", colour),
	}
	title := "Annotate passage"
	if a.ID != 0 {
		title = "Edit annotation"
	}
	d := dialog.NewForm(title, "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		var ids []int64
		for _, s := range checks.Selected {
			if strings.HasSuffix(s, categorySuffix) {
				p.fail(fmt.Errorf("%q is a category: it groups codes and cannot be applied to text; tick one of its codes instead (the annotation was not saved)", strings.TrimSuffix(s, categorySuffix)))
				return
			}
			ids = append(ids, pathID[s])
		}
		a.CodeIDs, a.Note, a.Color = ids, note.Text, ""
		for _, c := range Palette {
			if c.Name == colour.Selected {
				a.Color = c.Hex
			}
		}
		p.saveAnnotation(a, strings.TrimSpace(newCode.Text))
	}, p.window)
	d.Resize(fyne.NewSize(560, 520))
	d.Show()
}

// excerptExact is the shown text at [start, end).
func (p *ReaderPane) excerptExact(start, end int) string {
	rs := []rune(p.Reader.Text())
	if start < 0 || end > len(rs) || start >= end {
		return ""
	}
	return string(rs[start:end])
}

func (p *ReaderPane) excerpt(start, end int) string {
	rs := []rune(p.article.Text)
	if start < 0 || end > len(rs) || start >= end {
		return ""
	}
	s := strings.ReplaceAll(string(rs[start:end]), "\n", " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:80]) + " … " + string(r[len(r)-60:])
	}
	return s
}

// saveAnnotation creates or updates through the history. A new code path
// is created in the same transaction as the annotation, and undoing the
// annotation removes the codes it created.
func (p *ReaderPane) saveAnnotation(a data.Annotation, newCode string) {
	ctx := context.Background()
	var err error
	if a.ID == 0 {
		// The passage as shown: the store refuses it if the article has
		// changed since, instead of annotating other words.
		a.Exact = p.excerptExact(a.Start, a.End)
		var paths []string
		if newCode != "" {
			paths = []string{newCode}
		}
		var made data.Coding
		err = p.history().Run(Action{
			Name: "annotation",
			Do: func() error {
				if made.Annotations != nil { // redo: the same codes and annotation again
					return p.backend.RestoreCoding(ctx, made)
				}
				created, codes, err := p.backend.CreateAnnotationWithCodes(ctx, a, paths)
				if err == nil {
					made = data.Coding{Annotations: []data.Annotation{created}, Codes: codes}
				}
				return err
			},
			Undo: func() error { return p.backend.DeleteCoding(ctx, made) },
		})
	} else {
		before, gerr := p.find(a.ID)
		if gerr != nil {
			p.fail(gerr)
			return
		}
		err = p.history().Run(Action{
			Name: "annotation edit",
			Do:   func() error { _, err := p.backend.UpdateAnnotation(ctx, a); return err },
			Undo: func() error { _, err := p.backend.UpdateAnnotation(ctx, before); return err },
		})
	}
	if err != nil {
		p.fail(err)
	}
	p.refreshAfterChange()
}

// DeleteAnnotation deletes an annotation (undoable).
func (p *ReaderPane) DeleteAnnotation(id int64) {
	ctx := context.Background()
	var old data.Annotation
	err := p.history().Run(Action{
		Name: "annotation deletion",
		Do: func() error {
			a, err := p.backend.DeleteAnnotation(ctx, id)
			old = a
			return err
		},
		Undo: func() error { return p.backend.RestoreAnnotations(ctx, []data.Annotation{old}) },
	})
	if err != nil {
		p.fail(err)
	}
	p.refreshAfterChange()
}

func (p *ReaderPane) find(id int64) (data.Annotation, error) {
	for _, a := range p.notes.items {
		if a.ID == id {
			return a, nil
		}
	}
	return data.Annotation{}, fmt.Errorf("annotation %d is not on this article", id)
}

func (p *ReaderPane) history() *History {
	if p.History == nil {
		p.History = &History{}
	}
	return p.History
}

// refreshAfterChange repaints after an annotation change, including one
// made by undo or redo.
func (p *ReaderPane) refreshAfterChange() {
	p.reloadAnnotations()
	if p.OnAnnotationsChanged != nil {
		p.OnAnnotationsChanged()
	}
}
