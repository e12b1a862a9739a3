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
	cancel  *widget.Button
	onStop  func()
	content *fyne.Container
}

// NewJobBar builds a hidden job bar.
func NewJobBar() *JobBar {
	j := &JobBar{label: widget.NewLabel(""), bar: widget.NewProgressBar()}
	j.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		if j.onStop != nil {
			j.cancel.Disable()
			j.label.SetText(j.label.Text + " — cancelling…")
			j.onStop()
		}
	})
	j.content = container.NewBorder(nil, nil, j.label, j.cancel, j.bar)
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
	j.bar.SetValue(0)
	j.cancel.Enable()
	j.content.Show()
}

// Progress sets the fraction done and the label.
func (j *JobBar) Progress(label string, done, total int) {
	if total > 0 {
		j.bar.SetValue(float64(done) / float64(total))
	}
	if label != "" && !j.cancel.Disabled() {
		j.label.SetText(label)
	}
}

// Finish hides the bar.
func (j *JobBar) Finish() {
	j.onStop = nil
	j.content.Hide()
}
