package views

import (
	"context"
	"fmt"
	"time"

	"github.com/parallax-research/parallax/data"

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

	Library     *Library
	Reader      *ReaderPane
	Job         *JobBar
	Codebook    *Codebook
	Annotations *AnnotationsPanel
	Memos       *MemosPanel
	SideBySide  *SideBySide
	Compare     *Compare
	Matrix      *Matrix
	Agreement   *Agreement
	Propagation *Propagation
	// OnPinReference is set by the app: it stores the pin and re-aligns
	// in the background.
	OnPinReference func(c data.Cluster, m data.ClusterMember)
	// Tabs switches between the screens; the app remembers the last one.
	Tabs *container.AppTabs
	// History is the project's undo/redo stack.
	History *History

	// OnImportFiles and OnImportFolder are set by the app, which owns file
	// dialogs' consequences and background jobs.
	OnImportFiles  func()
	OnImportFolder func()
	// OnOpenProject opens another project (the welcome pane offers it).
	OnOpenProject func()
	// Background, set by the app, runs the screens' loads off the UI
	// goroutine; see Runner.
	Background Runner

	status  *widget.Label
	project *widget.Label
	// readOnly, when set, says why the project cannot be changed; the
	// status line always begins with it.
	readOnly string
	// waiting: a change waits for another program writing the project.
	waiting bool
	// after schedules a retry; tests replace time.AfterFunc with a clock
	// they advance, so the retry runs on the test's goroutine.
	after     func(time.Duration, func())
	split     *container.Split
	welcome   fyne.CanvasObject
	library   *fyne.Container // the Library tab: welcome pane or split
	welcoming bool
	content   fyne.CanvasObject
	// compareBanner and matrixBanner say when articles have no outlet.
	compareBanner, matrixBanner *outletBanner
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
	wb.Library.OnEditSelected = wb.EditArticles
	wb.Reader.OnError = wb.ShowError
	wb.Reader.OnChanged = wb.Reload
	wb.History = &History{Retry: wb.retryLater}
	wb.after = func(d time.Duration, f func()) { time.AfterFunc(d, f) }
	wb.Reader.History = wb.History
	wb.Codebook = NewCodebook(b, window, wb.History)
	wb.Codebook.OnError = wb.ShowError
	wb.Codebook.OnChanged = func() { wb.Reader.reloadAnnotations(); wb.Annotations.Reload() }
	wb.Annotations = NewAnnotationsPanel(b)
	wb.Annotations.OnError = wb.ShowError
	wb.Annotations.OnOpen = func(a data.Annotation) {
		wb.ShowTab("Library")
		wb.ShowArticle(a.ArticleID)
		wb.Reader.SelectRange(a.Start, a.End)
	}
	wb.Compare = NewCompare(b)
	wb.Compare.OnError = wb.ShowError
	wb.Compare.Background = wb.background
	wb.Compare.OnOpenMember = func(m data.ClusterMember) {
		wb.ShowTab("Library")
		wb.ShowArticle(m.ArticleID)
		wb.Reader.SelectRange(m.Start, m.End)
	}
	wb.Compare.OnAnnotateMember = func(m data.ClusterMember) {
		wb.Compare.OnOpenMember(m)
		wb.Reader.Annotate()
	}
	wb.Compare.OnPinReference = func(c data.Cluster, m data.ClusterMember) {
		if wb.OnPinReference != nil {
			wb.OnPinReference(c, m)
		}
	}
	wb.Matrix = NewMatrix(b)
	wb.Matrix.OnError = wb.ShowError
	wb.Matrix.Background = wb.background
	wb.Matrix.OnSelectCluster = func(id int64) {
		wb.ShowTab("Compare")
		wb.Compare.SelectCluster(id)
	}
	wb.Propagation = wb.newPropagation()
	wb.SideBySide = NewSideBySide(b, b)
	wb.SideBySide.OnError = wb.ShowError
	wb.Agreement = NewAgreement(b)
	wb.Agreement.OnError = wb.ShowError
	wb.Agreement.OnSaveCSV = func(content func() ([]byte, error)) { wb.saveFile("agreement.csv", ".csv", content) }
	wb.Memos = NewMemosPanel(b, window, wb.History)
	wb.Memos.OnError = wb.ShowError
	wb.Codebook.OnMemo = func(c data.Code) {
		wb.Memos.Edit(data.Memo{TargetKind: "code", TargetID: c.ID, Title: data.CodePath(wb.Codebook.codes, c.ID)})
	}
	wb.Reader.OnMemo = func(a data.Article) { wb.Memos.Edit(data.Memo{TargetKind: "article", TargetID: a.ID, Title: a.Title}) }
	wb.Reader.OnAnnotationsChanged = func() { wb.Annotations.Reload(); wb.Codebook.Reload(); wb.updateStatus() }

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
	wb.welcome = wb.newWelcome()
	wb.library = container.NewStack(wb.split)
	wb.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Library", theme.ListIcon(), wb.library),
		container.NewTabItemWithIcon("Compare", theme.MenuExpandIcon(), wb.compareTab()),
		container.NewTabItemWithIcon("Matrix", theme.GridIcon(), wb.matrixTab()),
		container.NewTabItemWithIcon("Propagation", theme.MailForwardIcon(), wb.propagationTab()),
		container.NewTabItemWithIcon("Side by side", theme.ViewRestoreIcon(), wb.SideBySide.Content()),
		container.NewTabItemWithIcon("Annotations", theme.DocumentIcon(), wb.Annotations.Content()),
		container.NewTabItemWithIcon("Codebook", theme.StorageIcon(), wb.Codebook.Content()),
		container.NewTabItemWithIcon("Memos", theme.DocumentCreateIcon(), wb.Memos.Content()),
		container.NewTabItemWithIcon("Agreement", theme.ConfirmIcon(), wb.Agreement.Content()),
	)
	wb.Tabs.OnSelected = func(*container.TabItem) { wb.refreshTab() }
	wb.content = container.NewBorder(nil, bottom, nil, nil, wb.Tabs)
	if window != nil {
		// Ctrl+A reaches the canvas when no text widget has the focus, as
		// after a click in the library's list: there it marks every row.
		window.Canvas().AddShortcut(&fyne.ShortcutSelectAll{}, func(fyne.Shortcut) {
			if wb.Tabs.Selected().Text == "Library" {
				wb.Library.SelectAll()
			}
		})
	}
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
	// The shown article may have been replaced by a re-import or deleted:
	// show its current text, so a selection never indexes an old one.
	if id := wb.Reader.Article().ID; id != 0 {
		if _, err := wb.backend.Article(context.Background(), id); err != nil {
			wb.Reader.Clear()
		} else {
			wb.Reader.Show(id)
		}
	}
	wb.refreshTab()
	wb.updateStatus()
}

// ShowTab switches to the screen with the given tab title and reports
// whether there is one.
func (wb *Workbench) ShowTab(title string) bool {
	for _, t := range wb.Tabs.Items {
		if t.Text == title {
			wb.Tabs.Select(t)
			return true
		}
	}
	return false
}

// refreshTab reloads the visible screen other than the library, which
// Reload always refreshes; hidden screens reload when shown.
func (wb *Workbench) refreshTab() {
	switch wb.Tabs.Selected().Text {
	case "Annotations":
		wb.Annotations.Reload()
	case "Codebook":
		wb.Codebook.Reload()
	case "Memos":
		wb.Memos.Reload()
	case "Side by side":
		wb.SideBySide.Reload()
	case "Compare":
		wb.Compare.Reload()
	case "Matrix":
		wb.Matrix.Reload()
	case "Agreement":
		wb.Agreement.Reload()
	case "Propagation":
		wb.Propagation.Reload()
	}
}

func (wb *Workbench) updateStatus() {
	ctx := context.Background()
	st, err := wb.backend.Stats(ctx)
	if err != nil {
		wb.ShowError(err)
		return
	}
	// An empty project opens on the welcome pane, not on a blank list.
	if empty := st.Articles == 0; empty != wb.welcoming {
		wb.welcoming = empty
		wb.library.Objects = []fyne.CanvasObject{wb.split}
		if empty {
			wb.library.Objects = []fyne.CanvasObject{wb.welcome}
		}
		wb.library.Refresh()
	}
	wb.compareBanner.update(st.NoOutlet)
	wb.matrixBanner.update(st.NoOutlet)
	wb.SetStatus(fmt.Sprintf("%s from %s · %s words · %s · %s",
		plural(st.Articles, "article", "articles"), plural(st.Outlets, "outlet", "outlets"), fmt.Sprint(st.Words),
		plural(st.Clusters, "cluster", "clusters"), plural(st.Annotations, "annotation", "annotations")))
}

// SetReadOnly marks the project as one that cannot be changed, for the
// reason given (the file or its folder is read-only): the status line
// says so from then on, and changes fail with a message naming the file.
func (wb *Workbench) SetReadOnly(why string) {
	wb.readOnly = why
	wb.updateStatus()
}

// retryLater is the History's Retry: it shows, in the status line, that a
// change waits for another Parallax using the project, and tries it again
// every second until it is saved or fails for another reason.
func (wb *Workbench) retryLater(err error, again func() error) {
	wb.waiting = true
	wb.status.SetText("Waiting for another Parallax using this project; your change is saved when it has finished. (" + err.Error() + ")")
	wb.after(time.Second, func() {
		fyne.Do(func() {
			wb.waiting = false
			if err := again(); err != nil {
				wb.ShowError(err)
			}
			if !wb.waiting { // saved (or failed): show the result
				wb.step(func() error { return nil })
				wb.updateStatus()
			}
		})
	})
}

// ShowArticle opens an article in the reader and selects its row in the
// library when it is listed.
func (wb *Workbench) ShowArticle(id int64) {
	// Selecting an already selected row does nothing, so check what the
	// reader shows rather than trust the library.
	if !wb.Library.SelectID(id) || wb.Reader.Article().ID != id {
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
	done, undone := len(wb.History.done), len(wb.History.undone)
	if err := f(); err != nil {
		wb.ShowError(err)
	}
	if done == len(wb.History.done) && undone == len(wb.History.undone) {
		return // nothing to undo or redo
	}
	// An undone step may belong to any screen: refresh them all, the
	// visible one too (undoing a date edit with the Propagation tab open
	// had left its trace and notes as they were).
	wb.Reader.refreshAfterChange()
	wb.Reader.RefreshDetails()
	wb.Memos.Reload()
	wb.Library.Reload()
	wb.refreshTab()
	wb.updateStatus()
}

// ShowError reports an error in a dialog.
func (wb *Workbench) ShowError(err error) { dialog.ShowError(err, wb.window) }

// SetStatus replaces the status line, e.g. with an import summary. A
// read-only project's status line always says so first.
func (wb *Workbench) SetStatus(s string) {
	if wb.readOnly != "" {
		s = "Read-only (" + wb.readOnly + "): nothing can be changed · " + s
	}
	wb.status.SetText(s)
}

// background runs work with the app's runner, which is set after the
// screens are built.
func (wb *Workbench) background(work func(ctx context.Context)) { wb.Background.start(work) }

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
