package views

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// welcomeText introduces Parallax on an empty project, where a blank list
// would tell a newcomer nothing.
const welcomeText = `## Compare how outlets report the same event

Parallax finds the quotes and findings in each outlet's article, lines up the versions, and shows word by word who quotes **verbatim**, who **trims**, **elides** or **rewords**, who turns a quote into **reported speech**, and who reports **different figures**.

### How it works

1. **Import** the articles: text files, saved web pages, JSON from a scraper, or a whole folder (drop it on this window).
2. **Analyze** (Ctrl+R) finds the quotes, their speakers and the findings, and aligns them across outlets.
3. **Compare** each quote or finding outlet by outlet, see the **Matrix** of who carries what, read two articles **side by side**.
4. **Annotate** passages with codes and notes (Ctrl+M), then **export** to Markdown, CSV, W3C Web Annotation, REFI-QDA or an HTML report.

### Keyboard shortcuts

Ctrl+I import files · Ctrl+Shift+I import folder · Ctrl+R analyze · Ctrl+F search · Ctrl+M annotate · Ctrl+Z / Ctrl+Shift+Z undo / redo · Ctrl+Shift+E export · Ctrl+O open project`

// newWelcome builds the first-run pane.
func (wb *Workbench) newWelcome() fyne.CanvasObject {
	text := widget.NewRichTextFromMarkdown(welcomeText)
	text.Wrapping = fyne.TextWrapWord
	files := widget.NewButtonWithIcon("Import files…", theme.FileTextIcon(), wb.importFiles)
	files.Importance = widget.HighImportance
	folder := widget.NewButtonWithIcon("Import folder…", theme.FolderOpenIcon(), wb.importFolder)
	open := widget.NewButtonWithIcon("Open project…", theme.FolderIcon(), func() {
		if wb.OnOpenProject != nil {
			wb.OnOpenProject()
		}
	})
	buttons := container.NewHBox(files, folder, open)
	title := widget.NewLabelWithStyle("Welcome to Parallax", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	body := container.NewVBox(title, text, container.NewPadded(buttons))
	// A readable measure: the text column stays narrow on wide windows.
	return container.NewVScroll(container.NewCenter(container.New(&maxWidth{w: 760}, body)))
}

// maxWidth lays out one object at most w wide.
type maxWidth struct{ w float32 }

// centredMessage centres a wrapping label in the space it is given, at most
// 420 wide: centred alone, a wrapping label is as narrow as its widest
// letter and reads downwards a letter a line.
func centredMessage(l *widget.Label) fyne.CanvasObject {
	return container.NewCenter(container.New(&maxWidth{w: 420}, l))
}

func (m *maxWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(min(size.Width, m.w), o.MinSize().Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (m *maxWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		o.Resize(fyne.NewSize(m.w, o.MinSize().Height))
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(m.w, h)
}

// Welcoming reports whether the first-run pane is shown.
func (wb *Workbench) Welcoming() bool { return wb.welcoming }
