package views

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// The Reader's pointer and keyboard input: presses, drags and keys move the
// selection; copy and select-all are its shortcuts.

// Cursor shows the text cursor, so the text reads as selectable.
func (r *Reader) Cursor() desktop.Cursor {
	return desktop.TextCursor
}

// MouseDown starts a selection at the pointer, or extends the current one
// when shift is held.
func (r *Reader) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	r.requestFocus()
	r.pressHandled = true
	o := r.OffsetAt(ev.Position)
	extend := ev.Modifier&fyne.KeyModifierShift != 0 || r.shiftDown
	r.dragExtends = extend
	if extend {
		r.setCaret(r.anchor, o)
	} else {
		r.setCaret(o, o)
	}
}

// MouseUp is part of desktop.Mouseable; a press is finished by DragEnd or
// Tapped instead.
func (r *Reader) MouseUp(*desktop.MouseEvent) {}

// Tapped clears the selection at the tap, unless MouseDown already handled
// this click: Fyne delivers Tapped after the double-click delay, which would
// otherwise undo a shift-click extension.
func (r *Reader) Tapped(ev *fyne.PointEvent) {
	if r.pressHandled {
		r.pressHandled = false
		return
	}
	r.requestFocus()
	o := r.OffsetAt(ev.Position)
	r.setCaret(o, o)
}

// TappedSecondary offers the context menu (right click) through
// OnContextMenu; the selection is kept so the menu can act on it.
func (r *Reader) TappedSecondary(ev *fyne.PointEvent) {
	if r.OnContextMenu != nil {
		r.OnContextMenu(ev.AbsolutePosition)
	}
}

// DoubleTapped selects the word (or run of spaces, or single punctuation
// mark) under the pointer.
func (r *Reader) DoubleTapped(ev *fyne.PointEvent) {
	r.pressHandled = false
	r.requestFocus()
	r.ensureLayout(r.Size().Width)
	if len(r.lines) == 0 {
		return
	}
	i, ok := r.runeAt(ev.Position)
	if !ok {
		return
	}
	s, e := wordAround(r.runes, i)
	r.setCaret(s, e)
}

// Dragged extends the selection to the pointer. The first event of a drag
// starts it where the pointer was pressed (Position minus Dragged), which is
// what both the desktop driver and test.Drag report.
func (r *Reader) Dragged(ev *fyne.DragEvent) {
	anchor := r.anchor
	if !r.dragging {
		r.dragging = true
		r.requestFocus()
		if !r.dragExtends {
			anchor = r.OffsetAt(ev.Position.Subtract(ev.Dragged))
		}
	}
	r.setCaret(anchor, r.OffsetAt(ev.Position))
}

// DragEnd finishes a drag selection.
func (r *Reader) DragEnd() {
	r.dragging, r.dragExtends, r.pressHandled = false, false, false
}

// FocusGained is part of fyne.Focusable; the reader takes focus so that
// copy and select-all reach it.
func (r *Reader) FocusGained() {}

// FocusLost forgets shift: its key-up goes to whatever has focus next.
func (r *Reader) FocusLost() {
	r.shiftDown = false
}

// TypedRune ignores typing: the text is read-only.
func (r *Reader) TypedRune(rune) {}

// KeyDown tracks shift, which desktop drivers deliver as its own key rather
// than as a modifier of arrow keys.
func (r *Reader) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		r.shiftDown = true
	}
}

// KeyUp tracks shift; see KeyDown.
func (r *Reader) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		r.shiftDown = false
	}
}

// TypedKey moves the caret by rune (left/right), line (up/down) or to the
// ends of a line (home/end); with shift held it extends the selection.
func (r *Reader) TypedKey(ev *fyne.KeyEvent) {
	r.ensureLayout(r.Size().Width)
	s, e := r.Selection()
	collapsed := s == e
	target := r.caret
	switch ev.Name {
	case fyne.KeyLeft:
		if !r.shiftDown && !collapsed {
			r.setCaret(s, s)
			return
		}
		target--
	case fyne.KeyRight:
		if !r.shiftDown && !collapsed {
			r.setCaret(e, e)
			return
		}
		target++
	case fyne.KeyUp, fyne.KeyDown:
		if len(r.lines) == 0 {
			return
		}
		li := r.lineFor(r.caret)
		x := r.xAt(li, r.caret-r.lines[li].start)
		if ev.Name == fyne.KeyUp && li > 0 {
			target = r.boundaryAtX(li-1, x)
		} else if ev.Name == fyne.KeyDown && li < len(r.lines)-1 {
			target = r.boundaryAtX(li+1, x)
		}
	case fyne.KeyHome, fyne.KeyEnd:
		if len(r.lines) == 0 {
			return
		}
		li := r.lineFor(r.caret)
		target = r.lines[li].start
		if ev.Name == fyne.KeyEnd {
			target = r.caretEnd(li)
		}
	default:
		return
	}
	target = r.clamp(target)
	if r.shiftDown {
		r.setCaret(r.anchor, target)
	} else {
		r.setCaret(target, target)
	}
}

// TypedShortcut handles copy and select-all.
func (r *Reader) TypedShortcut(s fyne.Shortcut) {
	switch s := s.(type) {
	case *fyne.ShortcutCopy:
		text := r.SelectedText()
		if text == "" {
			return
		}
		cb := s.Clipboard
		if cb == nil {
			cb = fyne.CurrentApp().Clipboard()
		}
		cb.SetContent(text)
	case *fyne.ShortcutSelectAll:
		r.Select(0, len(r.runes))
	}
}

func (r *Reader) requestFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(r); c != nil && c.Focused() != r {
		c.Focus(r)
	}
}
