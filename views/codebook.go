package views

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// CodebookBackend is what the codebook screen needs from the project.
type CodebookBackend interface {
	Codes(ctx context.Context) ([]data.Code, error)
	CreateCode(ctx context.Context, c data.Code) (data.Code, error)
	UpdateCode(ctx context.Context, c data.Code) error
	MergeCodes(ctx context.Context, from, into int64) (data.CodebookState, error)
	DeleteCode(ctx context.Context, id int64, mode data.CodeDeletion) (data.CodebookState, error)
	Annotations(ctx context.Context, f data.AnnotationFilter) ([]data.Annotation, error)
	RestoreCodebook(ctx context.Context, st data.CodebookState) error
	DeleteCoding(ctx context.Context, c data.Coding) error
	RestoreCoding(ctx context.Context, c data.Coding) error
}

// noColour is the colour choice of a code without one.
const noColour = "No colour"

// Codebook is the screen for managing codes: a tree on the left, the
// selected code's details on the right.
type Codebook struct {
	backend CodebookBackend
	window  fyne.Window
	history *History
	// OnChanged is called after any change, so highlights elsewhere can
	// pick up new names and colours.
	OnChanged func()
	OnError   func(error)
	// OnMemo asks for a memo on a code.
	OnMemo func(c data.Code)

	codes    []data.Code
	uses     map[int64]int
	selected int64

	tree        *widget.Tree
	name        *widget.Entry
	colour      *widget.Select
	colourNames []string
	category    *widget.Check
	desc        *widget.Entry
	parent      *widget.Select
	usage       *widget.Label
	hint        *widget.Label
	detail      *fyne.Container
	content     fyne.CanvasObject
}

// NewCodebook builds the codebook screen. Changes go through history so
// they can be undone.
func NewCodebook(b CodebookBackend, window fyne.Window, history *History) *Codebook {
	cb := &Codebook{backend: b, window: window, history: history}
	cb.tree = widget.NewTree(cb.childIDs, cb.isBranch,
		func(bool) fyne.CanvasObject {
			swatch := canvas.NewCircle(ParseHex(Palette[0].Hex))
			return container.NewHBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(14, 14), swatch)), widget.NewLabel("code name (000)"))
		},
		func(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			c := cb.code(uid)
			box := o.(*fyne.Container)
			swatch := box.Objects[0].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
			swatch.FillColor = CodeColor(c)
			swatch.Refresh()
			label := fmt.Sprintf("%s (%d)", c.Name, cb.uses[c.ID])
			if c.Category {
				label = fmt.Sprintf("%s — category", c.Name)
			}
			box.Objects[1].(*widget.Label).SetText(label)
		})
	cb.tree.OnSelected = func(uid widget.TreeNodeID) { cb.selectCode(cb.code(uid).ID) }
	cb.name = widget.NewEntry()
	// A code need not have a colour; "No colour" keeps it without one.
	names := []string{noColour}
	for _, p := range Palette {
		names = append(names, p.Name)
	}
	cb.colourNames = names
	cb.colour = widget.NewSelect(slices.Clone(names), nil)
	cb.category = widget.NewCheck("Category: groups codes, is not applied to text", nil)
	cb.desc = widget.NewMultiLineEntry()
	cb.desc.SetMinRowsVisible(3)
	cb.desc.Wrapping = fyne.TextWrapWord
	cb.parent = widget.NewSelect(nil, nil)
	cb.usage = widget.NewLabel("")
	save := widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), cb.save)
	save.Importance = widget.HighImportance
	merge := widget.NewButton("Merge into…", cb.confirmMerge)
	del := widget.NewButtonWithIcon("Delete…", theme.DeleteIcon(), cb.confirmDelete)
	del.Importance = widget.DangerImportance
	form := widget.NewForm(
		widget.NewFormItem("Name", cb.name),
		widget.NewFormItem("Colour", cb.colour),
		widget.NewFormItem("", cb.category),
		widget.NewFormItem("Parent", cb.parent),
		widget.NewFormItem("Description", cb.desc),
		widget.NewFormItem("Used by", cb.usage),
	)
	memo := widget.NewButtonWithIcon("Memo…", theme.DocumentCreateIcon(), func() {
		if cb.OnMemo != nil && cb.selected != 0 {
			cb.OnMemo(cb.code(strconv.FormatInt(cb.selected, 10)))
		}
	})
	cb.detail = container.NewVBox(form, container.NewHBox(save, memo, merge, del))
	cb.detail.Hide()
	add := widget.NewButtonWithIcon("New code", theme.ContentAddIcon(), func() { cb.newCode(0) })
	addSub := widget.NewButtonWithIcon("New sub-code", theme.ContentAddIcon(), func() {
		if cb.selected != 0 {
			cb.newCode(cb.selected)
		}
	})
	left := container.NewBorder(container.NewHBox(add, addSub), nil, nil, nil, cb.tree)
	cb.hint = widget.NewLabel("Select a code to rename, recolour, move, merge or delete it,\nor create one with New code.")
	cb.hint.Alignment = fyne.TextAlignCenter
	split := container.NewHSplit(left, container.NewPadded(container.NewStack(container.NewCenter(cb.hint), cb.detail)))
	split.Offset = 0.4
	cb.content = split
	return cb
}

// Content is the screen's canvas object.
func (cb *Codebook) Content() fyne.CanvasObject { return cb.content }

// Paths lists the codebook as paths in tree order, for tests.
func (cb *Codebook) Paths() []string {
	out := make([]string, len(cb.codes))
	for i, c := range cb.codes {
		out[i] = data.CodePath(cb.codes, c.ID)
	}
	return out
}

// Reload re-reads codes and their use counts.
func (cb *Codebook) Reload() {
	ctx := context.Background()
	codes, err := cb.backend.Codes(ctx)
	if err != nil {
		cb.fail(err)
		return
	}
	anns, err := cb.backend.Annotations(ctx, data.AnnotationFilter{})
	if err != nil {
		cb.fail(err)
		return
	}
	cb.codes, cb.uses = codes, map[int64]int{}
	for _, a := range anns {
		for _, id := range a.CodeIDs {
			cb.uses[id]++
		}
	}
	cb.tree.Refresh()
	cb.tree.OpenAllBranches()
	if cb.selected != 0 {
		cb.selectCode(cb.selected)
	}
}

func (cb *Codebook) childIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	var parent int64
	if uid != "" {
		parent = cb.code(uid).ID
	}
	var out []widget.TreeNodeID
	for _, c := range cb.codes {
		if c.ParentID == parent {
			out = append(out, strconv.FormatInt(c.ID, 10))
		}
	}
	return out
}

func (cb *Codebook) isBranch(uid widget.TreeNodeID) bool {
	return uid == "" || len(cb.childIDs(uid)) > 0
}

func (cb *Codebook) code(uid widget.TreeNodeID) data.Code {
	id, _ := strconv.ParseInt(uid, 10, 64)
	for _, c := range cb.codes {
		if c.ID == id {
			return c
		}
	}
	return data.Code{}
}

// SelectCode shows one code's details.
func (cb *Codebook) SelectCode(id int64) { cb.tree.Select(strconv.FormatInt(id, 10)) }

func (cb *Codebook) selectCode(id int64) {
	c := cb.code(strconv.FormatInt(id, 10))
	if c.ID == 0 {
		cb.selected = 0
		cb.detail.Hide()
		cb.hint.Show()
		return
	}
	cb.selected = id
	cb.name.SetText(c.Name)
	cb.colour.Options = slices.Clone(cb.colourNames)
	cb.colour.SetSelected(noColour)
	for _, p := range Palette {
		if strings.EqualFold(p.Hex, c.Color) {
			cb.colour.SetSelected(p.Name)
		}
	}
	if c.Color != "" && cb.colour.Selected == noColour {
		// A colour from another tool, not in the palette: kept as it is
		// unless another is chosen.
		cb.colour.Options = append(cb.colour.Options, c.Color)
		cb.colour.SetSelected(c.Color)
	}
	cb.category.SetChecked(c.Category)
	cb.desc.SetText(c.Description)
	opts := []string{"(top level)"}
	for _, o := range cb.codes {
		if o.ID != id && !cb.descends(o.ID, id) {
			opts = append(opts, data.CodePath(cb.codes, o.ID))
		}
	}
	cb.parent.SetOptions(opts)
	cb.parent.SetSelected("(top level)")
	if c.ParentID != 0 {
		cb.parent.SetSelected(data.CodePath(cb.codes, c.ParentID))
	}
	cb.usage.SetText(plural(cb.uses[id], "annotation", "annotations"))
	cb.hint.Hide()
	cb.detail.Show()
}

// descends reports whether code id lies under ancestor.
func (cb *Codebook) descends(id, ancestor int64) bool {
	for seen := 0; id != 0 && seen <= len(cb.codes); seen++ {
		c := cb.code(strconv.FormatInt(id, 10))
		if c.ParentID == ancestor {
			return true
		}
		id = c.ParentID
	}
	return false
}

func (cb *Codebook) pathID(path string) int64 {
	for _, c := range cb.codes {
		if data.CodePath(cb.codes, c.ID) == path {
			return c.ID
		}
	}
	return 0
}

// save applies the detail form to the selected code (undoable).
func (cb *Codebook) save() {
	before := cb.code(strconv.FormatInt(cb.selected, 10))
	after := before
	after.Name, after.Description, after.Category = cb.name.Text, cb.desc.Text, cb.category.Checked
	after.ParentID = cb.pathID(cb.parent.Selected)
	switch cb.colour.Selected {
	case noColour:
		after.Color = ""
	case before.Color:
		// kept
	default:
		for _, p := range Palette {
			if p.Name == cb.colour.Selected {
				after.Color = p.Hex
			}
		}
	}
	ctx := context.Background()
	cb.run(Action{
		Name: "code change",
		Do:   func() error { return cb.backend.UpdateCode(ctx, after) },
		Undo: func() error { return cb.backend.UpdateCode(ctx, before) },
	})
}

// newCode asks for a name and creates the code (undoable).
func (cb *Codebook) newCode(parent int64) {
	e := widget.NewEntry()
	e.SetPlaceHolder("Code name")
	dialog.ShowForm("New code", "Create", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", e)}, func(ok bool) {
		if !ok {
			return
		}
		ctx := context.Background()
		// A new code is a coding without annotations: its undo and redo
		// need no copy of the codebook.
		var made data.Coding
		cb.run(Action{
			Name: "new code",
			Do: func() error {
				if made.Codes != nil { // redo: the same code again
					return cb.backend.RestoreCoding(ctx, made)
				}
				c, err := cb.backend.CreateCode(ctx, data.Code{ParentID: parent, Name: e.Text})
				if err == nil {
					made.Codes = []data.Code{c}
				}
				return err
			},
			Undo: func() error { return cb.backend.DeleteCoding(ctx, made) },
		})
		if made.Codes != nil {
			cb.SelectCode(made.Codes[0].ID)
		}
	}, cb.window)
}

// confirmMerge picks the target code and merges (undoable).
func (cb *Codebook) confirmMerge() {
	from := cb.selected
	var targets []string
	for _, c := range cb.codes {
		if c.ID != from && !cb.descends(c.ID, from) {
			targets = append(targets, data.CodePath(cb.codes, c.ID))
		}
	}
	sel := widget.NewSelect(targets, nil)
	dialog.ShowForm("Merge code", "Merge", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Merge into", sel),
		widget.NewFormItem("", widget.NewLabel("Its annotations and sub-codes move to the chosen code.")),
	}, func(ok bool) {
		into := cb.pathID(sel.Selected)
		if !ok || into == 0 {
			return
		}
		cb.selected = into
		cb.runSnapshotted("code merge", func(ctx context.Context) (data.CodebookState, error) {
			return cb.backend.MergeCodes(ctx, from, into)
		})
	}, cb.window)
}

// confirmDelete asks what to do with the code's annotations.
func (cb *Codebook) confirmDelete() {
	id := cb.selected
	choices := []string{
		"Keep the annotations, remove only this code from them",
		"Recode the annotations with the parent code",
		"Delete annotations that have no other code",
	}
	modes := []data.CodeDeletion{data.UncodeAnnotations, data.MoveToParent, data.DeleteAnnotations}
	radio := widget.NewRadioGroup(choices, nil)
	radio.SetSelected(choices[0])
	msg := fmt.Sprintf("Delete “%s” and its sub-codes? It is used by %s.", data.CodePath(cb.codes, id), plural(cb.uses[id], "annotation", "annotations"))
	dialog.ShowForm("Delete code", "Delete", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", widget.NewLabel(msg)),
		widget.NewFormItem("Annotations", radio),
	}, func(ok bool) {
		if !ok {
			return
		}
		mode := modes[0]
		for i, c := range choices {
			if c == radio.Selected {
				mode = modes[i]
			}
		}
		cb.selected = 0
		cb.runSnapshotted("code deletion", func(ctx context.Context) (data.CodebookState, error) {
			return cb.backend.DeleteCode(ctx, id, mode)
		})
	}, cb.window)
}

// runSnapshotted runs a merge or deletion through the history: op returns
// the codebook, codings and annotations as they were just before, copied
// in op's own transaction, and the undo restores them.
func (cb *Codebook) runSnapshotted(name string, op func(ctx context.Context) (data.CodebookState, error)) {
	ctx := context.Background()
	var before data.CodebookState
	cb.run(Action{
		Name: name,
		Do: func() error {
			var err error
			before, err = op(ctx)
			return err
		},
		Undo: func() error { return cb.backend.RestoreCodebook(ctx, before) },
	})
}

func (cb *Codebook) run(a Action) {
	if err := cb.history.Run(a); err != nil {
		cb.fail(err)
	}
	cb.changed()
}

func (cb *Codebook) changed() {
	cb.Reload()
	if cb.OnChanged != nil {
		cb.OnChanged()
	}
}

func (cb *Codebook) fail(err error) {
	if cb.OnError != nil {
		cb.OnError(err)
	}
}
