package views

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Workbench is the main window's content: library on the left, reader on
// the right, a job bar and a status line below.
type Workbench struct {
	backend Backend
	window  fyne.Window

	Library *Library
	Reader  *ReaderPane
	Job     *JobBar
	// History is the project's undo/redo stack.
	History *History

	// OnImportFiles and OnImportFolder are set by the app, which owns file
	// dialogs' consequences and background jobs.
	OnImportFiles  func()
	OnImportFolder func()

	status  *widget.Label
	project *widget.Label
	split   *container.Split
	content fyne.CanvasObject
}

// NewWorkbench builds the main screen for a project backend. window parents
// dialogs; projectName is shown in the status line.
func NewWorkbench(b Backend, window fyne.Window, projectName string) *Workbench {
	wb := &Workbench{backend: b, window: window}
	wb.Library = NewLibrary(b)
	wb.Reader = NewReaderPane(b, window)
	wb.Job = NewJobBar()
	wb.Library.OnSelect = wb.Reader.Show
	wb.Library.OnError = wb.ShowError
	wb.Reader.OnError = wb.ShowError
	wb.Reader.OnChanged = wb.Reload
	wb.History = &History{}
	wb.Reader.History = wb.History

	importBtn := widget.NewButtonWithIcon("Import files…", theme.FileTextIcon(), wb.importFiles)
	importBtn.Importance = widget.HighImportance
	folderBtn := widget.NewButtonWithIcon("Import folder…", theme.FolderOpenIcon(), wb.importFolder)
	wb.status = widget.NewLabel("")
	wb.project = widget.NewLabel(projectName)
	wb.project.Truncation = fyne.TextTruncateEllipsis

	left := container.NewBorder(container.NewHBox(importBtn, folderBtn), nil, nil, nil, wb.Library.Content())
	wb.split = container.NewHSplit(left, wb.Reader.Content())
	wb.split.Offset = 0.45
	bottom := container.NewVBox(wb.Job.Content(), container.NewBorder(nil, nil, wb.status, nil, wb.project))
	wb.content = container.NewBorder(nil, bottom, nil, nil, wb.split)
	return wb
}

// Content is the workbench's canvas object.
func (wb *Workbench) Content() fyne.CanvasObject { return wb.content }

// Split is the library/reader divider, whose offset the app remembers.
func (wb *Workbench) Split() *container.Split { return wb.split }

// Reload refreshes the library and the status line after the project
// changed.
func (wb *Workbench) Reload() {
	wb.Library.Reload()
	st, err := wb.backend.Stats(context.Background())
	if err != nil {
		wb.ShowError(err)
		return
	}
	wb.status.SetText(fmt.Sprintf("%s from %s · %s words",
		plural(st.Articles, "article", "articles"), plural(st.Outlets, "outlet", "outlets"), fmt.Sprint(st.Words)))
}

// ShowArticle opens an article in the reader and selects its row in the
// library when it is listed.
func (wb *Workbench) ShowArticle(id int64) {
	if !wb.Library.SelectID(id) {
		wb.Reader.Show(id)
	}
}

// FocusSearch puts the keyboard focus in the library's search box.
func (wb *Workbench) FocusSearch() { wb.window.Canvas().Focus(wb.Library.SearchEntry()) }

// Undo reverts the last annotation change.
func (wb *Workbench) Undo() { wb.step(wb.History.Undo) }

// Redo performs the last undone change again.
func (wb *Workbench) Redo() { wb.step(wb.History.Redo) }

func (wb *Workbench) step(f func() error) {
	if err := f(); err != nil {
		wb.ShowError(err)
	}
	wb.Reader.refreshAfterChange()
}

// ShowError reports an error in a dialog.
func (wb *Workbench) ShowError(err error) { dialog.ShowError(err, wb.window) }

// SetStatus replaces the status line, e.g. with an import summary.
func (wb *Workbench) SetStatus(s string) { wb.status.SetText(s) }

func (wb *Workbench) importFiles() {
	if wb.OnImportFiles != nil {
		wb.OnImportFiles()
	}
}

func (wb *Workbench) importFolder() {
	if wb.OnImportFolder != nil {
		wb.OnImportFolder()
	}
}
