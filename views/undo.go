package views

import "fmt"

// Action is one undoable change. Do and Undo each write to the project in
// their own transaction; Redo runs Do again, so Do must be repeatable
// (e.g. restore with the same ID rather than create anew).
type Action struct {
	Name string
	Do   func() error
	Undo func() error
}

// History is the undo/redo stack for the open project. It lives as long as
// the project is open.
type History struct {
	done, undone []Action
	// OnChange is called after every change of the stacks, to update
	// menu items and the status line.
	OnChange func()
}

// Run performs a new action and records it, clearing the redo stack.
func (h *History) Run(a Action) error {
	if err := a.Do(); err != nil {
		return err
	}
	h.done = append(h.done, a)
	h.undone = nil
	h.changed()
	return nil
}

// Undo reverts the most recent action.
func (h *History) Undo() error {
	if len(h.done) == 0 {
		return nil
	}
	a := h.done[len(h.done)-1]
	if err := a.Undo(); err != nil {
		return fmt.Errorf("undo %s: %w", a.Name, err)
	}
	h.done = h.done[:len(h.done)-1]
	h.undone = append(h.undone, a)
	h.changed()
	return nil
}

// Redo performs the most recently undone action again.
func (h *History) Redo() error {
	if len(h.undone) == 0 {
		return nil
	}
	a := h.undone[len(h.undone)-1]
	if err := a.Do(); err != nil {
		return fmt.Errorf("redo %s: %w", a.Name, err)
	}
	h.undone = h.undone[:len(h.undone)-1]
	h.done = append(h.done, a)
	h.changed()
	return nil
}

// UndoName and RedoName describe what Undo and Redo would do, "" when
// nothing.
func (h *History) UndoName() string {
	if len(h.done) == 0 {
		return ""
	}
	return h.done[len(h.done)-1].Name
}

// RedoName is the name of the action Redo would perform, "" when none.
func (h *History) RedoName() string {
	if len(h.undone) == 0 {
		return ""
	}
	return h.undone[len(h.undone)-1].Name
}

func (h *History) changed() {
	if h.OnChange != nil {
		h.OnChange()
	}
}
