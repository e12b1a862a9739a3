package views

import (
	"errors"
	"fmt"

	"github.com/parallax-research/parallax/data"
)

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
	// Busy, if set, reports a background job writing the project; changes
	// wait for it rather than block the window on the database.
	Busy func() bool
	// Retry, if set, takes a new change that found the project being
	// written by another program (data.EBusy) to run again later; Run
	// then returns nil, and Retry reports what becomes of the change.
	Retry func(err error, again func() error)
}

// ErrBusy is returned while a background job is writing the project.
var ErrBusy = errors.New("a background job (import or analysis) is writing the project; try again when it has finished")

func (h *History) busy() bool { return h.Busy != nil && h.Busy() }

// Run performs a new action and records it, clearing the redo stack.
func (h *History) Run(a Action) error {
	if h.busy() {
		return ErrBusy
	}
	if err := a.Do(); err != nil {
		if data.ErrorCode(err) == data.EBusy && h.Retry != nil {
			h.Retry(err, func() error { return h.Run(a) })
			return nil
		}
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
	if h.busy() {
		return ErrBusy
	}
	a := h.done[len(h.done)-1]
	h.done = h.done[:len(h.done)-1]
	if err := a.Undo(); err != nil {
		// A step that cannot be undone (its article was deleted, say) is
		// dropped, with everything it would have enabled to redo, so it
		// cannot block the steps below it.
		h.undone = nil
		h.changed()
		return fmt.Errorf("could not undo the %s, so it was dropped from the history: %w", a.Name, err)
	}
	h.undone = append(h.undone, a)
	h.changed()
	return nil
}

// Redo performs the most recently undone action again.
func (h *History) Redo() error {
	if len(h.undone) == 0 {
		return nil
	}
	if h.busy() {
		return ErrBusy
	}
	a := h.undone[len(h.undone)-1]
	h.undone = h.undone[:len(h.undone)-1]
	if err := a.Do(); err != nil {
		h.undone = nil
		h.changed()
		return fmt.Errorf("could not redo the %s, so it was dropped from the history: %w", a.Name, err)
	}
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
