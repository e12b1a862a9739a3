package views

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// JobBar shows the progress of one background job with a Cancel button.
// Its methods touch widgets, so callers on other goroutines go through
// fyne.Do.
type JobBar struct {
	label   *widget.Label
	bar     *widget.ProgressBar
	busy    *widget.ProgressBarInfinite // for stages whose length is unknown
	slot    *fyne.Container             // holds bar or busy
	cancel  *widget.Button
	onStop  func()
	content *fyne.Container
}

// NewJobBar builds a hidden job bar.
func NewJobBar() *JobBar {
	j := &JobBar{label: widget.NewLabel(""), bar: widget.NewProgressBar(), busy: widget.NewProgressBarInfinite()}
	j.slot = container.NewStack(j.bar)
	j.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		if j.onStop != nil {
			j.cancel.Disable()
			j.label.SetText(j.label.Text + " — cancelling…")
			j.onStop()
		}
	})
	j.content = container.NewBorder(nil, nil, j.label, j.cancel, j.slot)
	j.content.Hide()
	return j
}

// Content is the bar's canvas object.
func (j *JobBar) Content() fyne.CanvasObject { return j.content }

// Running reports whether a job is shown.
func (j *JobBar) Running() bool { return j.content.Visible() }

// Start shows the bar for a job; cancel is called when the user presses
// Cancel.
func (j *JobBar) Start(title string, cancel func()) {
	j.onStop = cancel
	j.label.SetText(title)
	j.showBusy(false)
	j.bar.SetValue(0)
	j.cancel.Enable()
	j.content.Show()
}

// Progress sets the fraction done and the label.
func (j *JobBar) Progress(label string, done, total int) {
	j.showBusy(false)
	if total > 0 {
		j.bar.SetValue(float64(done) / float64(total))
	}
	j.setLabel(label)
}

// Busy shows that the job is working on a stage whose length it cannot
// tell, such as one long database read: the bar moves without filling.
func (j *JobBar) Busy(label string) {
	j.showBusy(true)
	j.setLabel(label)
}

// Finish hides the bar.
func (j *JobBar) Finish() {
	j.onStop = nil
	j.showBusy(false)
	j.content.Hide()
}

func (j *JobBar) setLabel(label string) {
	// once cancelling, the label says so until the job ends
	if label != "" && !j.cancel.Disabled() {
		j.label.SetText(label)
	}
}

// showBusy swaps the plain bar for the moving one. The moving bar is in
// the tree only while shown, and stopped when taken out: hidden, it would
// keep animating unseen.
func (j *JobBar) showBusy(on bool) {
	if on == (j.slot.Objects[0] == j.busy) {
		return
	}
	if on {
		j.slot.Objects = []fyne.CanvasObject{j.busy}
		j.busy.Start()
	} else {
		j.busy.Stop()
		j.slot.Objects = []fyne.CanvasObject{j.bar}
	}
	j.slot.Refresh()
}
