package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/assets"
	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest"
	"github.com/parallax-research/parallax/data/refi"
	"github.com/parallax-research/parallax/views"
)

// AppID identifies Parallax to the OS and keys its preferences.
const AppID = "io.github.parallaxresearch.parallax"

const (
	prefRecent = "recentProjects"
	prefWidth  = "windowWidth"
	prefHeight = "windowHeight"
	prefSplit  = "librarySplit"
	prefTab    = "lastView"
	maxRecent  = 8
)

// gui is the running window: the open project and the work in progress.
type gui struct {
	app    fyne.App
	win    fyne.Window
	store  *data.Store
	wb     *views.Workbench
	mu     sync.Mutex         // guards cancel and project
	cancel context.CancelFunc // the running job's
	// project is cancelled when the open project closes, ending its
	// background work: the job and the screens' loads.
	project      context.Context
	closeProject context.CancelFunc
	jobs         sync.WaitGroup // background work, waited for before a store closes
}

// busy reports whether a background job is running.
func (g *gui) busy() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cancel != nil
}

func runWindow(e *env, args []string) int {
	fs := flag.NewFlagSet("parallax", flag.ContinueOnError)
	project := projectFlag(fs)
	if rest, err := parse(fs, args); err != nil || len(rest) > 0 {
		fmt.Fprintln(e.stderr, "Usage: parallax [--project FILE]   (run 'parallax help' for commands)")
		return exitUsage
	}
	store, err := openProject(*project)
	if err != nil {
		return reportFailure(e.stderr, "parallax", err)
	}
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(assets.Icon)
	g := &gui{app: a, win: a.NewWindow("Parallax")}
	g.win.SetIcon(assets.Icon)
	g.win.SetMaster()
	g.setProject(store)
	g.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		var paths []string
		for _, u := range uris {
			if u.Scheme() == "file" {
				paths = append(paths, filepath.FromSlash(u.Path()))
			}
		}
		g.importPaths(paths)
	})
	prefs := a.Preferences()
	g.win.Resize(fyne.NewSize(float32(prefs.FloatWithFallback(prefWidth, 1200)), float32(prefs.FloatWithFallback(prefHeight, 780))))
	g.win.SetCloseIntercept(func() {
		g.stopJobs()
		sz := g.win.Canvas().Size()
		prefs.SetFloat(prefWidth, float64(sz.Width))
		prefs.SetFloat(prefHeight, float64(sz.Height))
		prefs.SetFloat(prefSplit, g.wb.Split().Offset)
		prefs.SetInt(prefTab, g.wb.Tabs.SelectedIndex())
		g.win.Close()
	})
	g.win.ShowAndRun()
	g.stopJobs()
	g.jobs.Wait()
	if err := g.store.Close(); err != nil {
		return reportFailure(e.stderr, "parallax", err)
	}
	return exitOK
}

// setProject shows a newly opened project, closing the previous one.
func (g *gui) setProject(store *data.Store) {
	g.stopJobs()
	g.jobs.Wait() // never close a store under a running job
	if g.store != nil {
		if err := g.store.Close(); err != nil {
			dialog.ShowError(err, g.win)
		}
	}
	g.mu.Lock()
	g.project, g.closeProject = context.WithCancel(context.Background())
	g.mu.Unlock()
	g.store = store
	store.SetCoder(g.coderName())
	// A change made from the window waits only a moment for another
	// program writing the project: the window must not freeze, and the
	// History retries the change with a note (Workbench.retryLater).
	store.Wait = 200 * time.Millisecond
	g.wb = views.NewWorkbench(store, g.win, store.Path())
	g.wb.OnImportFiles = g.chooseFile
	g.wb.OnImportFolder = g.chooseFolder
	g.wb.OnOpenProject = g.openProject
	g.wb.OnPinReference = g.pinReference
	g.wb.History.Busy = g.busy
	g.wb.Background = g.background
	g.wb.Propagation.Source = func(ctx context.Context, clusters []int64, progress func(string, int, int)) (*data.Propagation, error) {
		return computePropagation(ctx, store, clusters, false, progress)
	}
	g.wb.Split().Offset = g.app.Preferences().FloatWithFallback(prefSplit, 0.45)
	if tab := g.app.Preferences().Int(prefTab); tab > 0 && tab < len(g.wb.Tabs.Items) {
		g.wb.Tabs.SelectIndex(tab)
	}
	g.win.SetContent(g.wb.Content())
	g.win.SetTitle(windowTitle(store))
	if why := store.ReadOnly(); why != "" {
		g.wb.SetReadOnly(why)
	}
	g.wb.Reload()
	// The window shows the project while SQLite checks it (a second for
	// a project of a gigabyte); a damaged one is reported as soon as the
	// check finds it, and its changes fail.
	wb := g.wb
	g.background(func(ctx context.Context) {
		if err := store.Checked(ctx); err != nil && !errors.Is(err, context.Canceled) {
			fyne.Do(func() {
				if g.wb == wb { // still this project's window
					wb.SetReadOnly("the file is damaged: restore a backup, or parallax recover")
					g.win.SetTitle(windowTitle(store) + " (damaged)")
				}
				g.showError(err)
			})
		}
	})
	g.remember(store.Path())
	g.win.SetMainMenu(g.menu())
	g.shortcuts()
}

// windowTitle names the project, and says when it cannot be changed.
func windowTitle(store *data.Store) string {
	t := "Parallax — " + filepath.Base(store.Path())
	if store.ReadOnly() != "" {
		t += " (read-only)"
	}
	return t
}

func (g *gui) remember(path string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return
	}
	prefs := g.app.Preferences()
	recent := slices.DeleteFunc(prefs.StringList(prefRecent), func(p string) bool { return p == abs })
	recent = append([]string{abs}, recent...)
	if len(recent) > maxRecent {
		recent = recent[:maxRecent]
	}
	prefs.SetStringList(prefRecent, recent)
}

func (g *gui) menu() *fyne.MainMenu {
	recent := fyne.NewMenuItem("Open Recent", nil)
	recent.ChildMenu = fyne.NewMenu("")
	for _, p := range g.app.Preferences().StringList(prefRecent) {
		recent.ChildMenu.Items = append(recent.ChildMenu.Items, fyne.NewMenuItem(p, func() { g.openPath(p, false) }))
	}
	recent.Disabled = len(recent.ChildMenu.Items) == 0
	newItem := fyne.NewMenuItem("New Project…", g.newProject)
	newItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	openItem := fyne.NewMenuItem("Open Project…", g.openProject)
	openItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	importItem := fyne.NewMenuItem("Import Files…", g.chooseFile)
	importItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}
	folderItem := fyne.NewMenuItem("Import Folder…", g.chooseFolder)
	folderItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	passimItem := fyne.NewMenuItem("Import passim Clusters…", g.choosePassim)
	exportItem := fyne.NewMenuItem("Export…", g.exportDialog)
	exportItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	analyzeItem := fyne.NewMenuItem("Analyze Quotes and Findings", g.analyze)
	analyzeItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	mergeItem := fyne.NewMenuItem("Merge Coding From…", g.chooseMerge)
	file := fyne.NewMenu("File", newItem, openItem, recent, fyne.NewMenuItemSeparator(), importItem, folderItem, passimItem, mergeItem,
		fyne.NewMenuItemSeparator(), analyzeItem, exportItem)
	find := fyne.NewMenuItem("Find Articles", func() { g.wb.FocusSearch() })
	find.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	edit := fyne.NewMenuItem("Edit Article Details…", func() { g.wb.Reader.EditMeta() })
	edit.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
	del := fyne.NewMenuItem("Delete Article…", func() { g.wb.Reader.ConfirmDelete() })
	annotate := fyne.NewMenuItem("Annotate Selection…", func() { g.wb.Reader.Annotate() })
	annotate.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyM, Modifier: fyne.KeyModifierShortcutDefault}
	article := fyne.NewMenu("Article", find, edit, annotate, del)
	undo := fyne.NewMenuItem("Undo", func() { g.wb.Undo() })
	undo.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault}
	redo := fyne.NewMenuItem("Redo", func() { g.wb.Redo() })
	redo.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	prefs := fyne.NewMenuItem("Preferences…", g.showPreferences)
	editMenu := fyne.NewMenu("Edit", undo, redo, fyne.NewMenuItemSeparator(), prefs)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard Shortcuts", g.showShortcuts),
		fyne.NewMenuItem("About Parallax", g.showAbout))
	return fyne.NewMainMenu(file, editMenu, article, help)
}

// shortcuts registers the menu shortcuts on the canvas too, because menus
// are not always native (and not always visible) on Linux and Windows.
// Fyne's window turns Ctrl+Z and Ctrl+Y into its own Undo and Redo
// shortcuts before it looks for custom ones, so the menu's Ctrl+Z never
// matched; those two are registered under Fyne's names as well.
func (g *gui) shortcuts() {
	g.win.Canvas().AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { g.wb.Undo() })
	g.win.Canvas().AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { g.wb.Redo() })
	for _, m := range g.win.MainMenu().Items {
		for _, it := range m.Items {
			if sc, ok := it.Shortcut.(*desktop.CustomShortcut); ok && it.Action != nil {
				action := it.Action
				g.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { action() })
			}
		}
	}
}

func (g *gui) showShortcuts() {
	text := strings.Join([]string{
		"Ctrl+N\tNew project", "Ctrl+O\tOpen project", "Ctrl+I\tImport files", "Ctrl+Shift+I\tImport folder",
		"Ctrl+R\tAnalyze quotes and findings", "Ctrl+F\tFind articles", "Ctrl+E\tEdit article details", "Ctrl+M\tAnnotate the selected passage",
		"Ctrl+Shift+E\tExport", "Ctrl+Z\tUndo", "Ctrl+Shift+Z\tRedo", "Ctrl+A\tSelect all text (reader)", "Ctrl+C\tCopy selection (reader)",
	}, "\n")
	dialog.ShowCustom("Keyboard shortcuts", "Close", widget.NewLabel(strings.ReplaceAll(text, "\t", "    ")), g.win)
}

func (g *gui) showAbout() {
	dialog.ShowInformation("About Parallax", "Parallax "+VersionLine()+"\n\nCompare how outlets report the same event:\nquotes, findings and figures, side by side.", g.win)
}

func (g *gui) chooseFile() {
	d := dialog.NewFileOpen(g.openFile(func(path string) { g.importPaths([]string{path}) }), g.win)
	d.SetFilter(storage.NewExtensionFileFilter(append(dialogExtensions(), refi.Extensions...)))
	d.Show()
}

// dialogExtensions are the article file types as Fyne's file filter
// matches them: by the last extension only, so a .warc.gz shows as .gz.
func dialogExtensions() []string {
	var exts []string
	for _, e := range ingest.ArticleExtensions {
		if i := strings.LastIndex(e, "."); i > 0 {
			e = e[i:]
		}
		if !slices.Contains(exts, e) {
			exts = append(exts, e)
		}
	}
	return exts
}

func (g *gui) chooseFolder() {
	g.pickFolder(func(dir string) { g.importPaths([]string{dir}) })
}

// pickFolder asks for a folder and passes its path on; a cancelled dialog
// does nothing.
func (g *gui) pickFolder(then func(dir string)) {
	dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, g.win)
			return
		}
		if u != nil {
			then(filepath.FromSlash(u.Path()))
		}
	}, g.win)
}

// background runs work off the UI goroutine for as long as the project is
// open: closing it cancels ctx, and waits for work to return before the
// store closes. Jobs run through it, and so do the screens' loads
// (Workbench.Background), which only read and so run beside a job.
func (g *gui) background(work func(ctx context.Context)) {
	g.mu.Lock()
	ctx := g.project
	g.jobs.Add(1)
	g.mu.Unlock()
	go func() {
		defer g.jobs.Done()
		work(ctx)
	}()
}

// runJob runs work in the background with the job bar's progress and
// Cancel, and reports whether it started. Progress and the result reach the
// window only through fyne.Do; a stage of unknown length (total 0) shows a
// moving bar. One job at a time: import and analysis write the whole
// project, and the bar shows one job.
func (g *gui) runJob(title string, work func(ctx context.Context, store *data.Store, wb *views.Workbench, progress Progress) (func(), error)) bool {
	g.mu.Lock()
	if g.cancel != nil {
		g.mu.Unlock()
		dialog.ShowInformation(title, "Another job is still running. Wait for it or cancel it first.", g.win)
		return false
	}
	ctx, cancel := context.WithCancel(g.project)
	g.cancel = cancel
	store, wb := g.store, g.wb
	g.mu.Unlock()
	// A job waits as long as it takes for another program writing the
	// project (the user can cancel), and says whom it waits for.
	ctx = data.WithWait(ctx, 24*time.Hour, func(note string) {
		fyne.Do(func() {
			wb.Job.Busy("Waiting for another Parallax using this project…")
			wb.SetStatus(strings.ToUpper(note[:1]) + note[1:])
		})
	})
	wb.Job.Start(title+"…", cancel)
	g.background(func(context.Context) {
		finish, err := work(ctx, store, wb, func(stage string, done, total int) {
			fyne.Do(func() {
				if total <= 0 {
					wb.Job.Busy(stage + "…")
					return
				}
				wb.Job.Progress(fmt.Sprintf("%s %d/%d", stage, done, total), done, total)
			})
		})
		g.mu.Lock()
		g.cancel = nil
		g.mu.Unlock()
		cancel()
		fyne.Do(func() {
			wb.Job.Finish()
			if g.store != store { // the project was switched meanwhile
				return
			}
			switch {
			case errors.Is(err, context.Canceled):
				wb.SetStatus(title + " cancelled; nothing was changed.")
			case err != nil:
				g.showError(fmt.Errorf("%s failed, nothing was changed: %w", strings.ToLower(title), err))
			default:
				finish()
			}
		})
	})
	return true
}

// importPaths imports in the background; Cancel rolls the whole batch back.
func (g *gui) importPaths(paths []string) {
	if len(paths) == 0 {
		return
	}
	// A newcomer who drops articles on an empty project is taken through
	// analysis straight to the comparison, the point of the tool.
	firstRun := g.wb.Welcoming()
	g.runJob("Import", func(ctx context.Context, store *data.Store, wb *views.Workbench, progress Progress) (func(), error) {
		// REFI-QDA files are imported one transaction each, before the
		// articles' batch.
		rest, refiReps, refiFailed := importREFI(ctx, store, paths)
		var rep ImportReport
		var err error
		if len(rest) > 0 {
			rep, err = ImportDropped(ctx, store, rest, progress)
		}
		return func() {
			recordREFIUpdates(wb, store, refiReps)
			wb.Reload()
			if len(rest) > 0 {
				wb.SetStatus(rep.Summary())
			} else {
				wb.SetStatus(fmt.Sprintf("Imported %d REFI-QDA %s.", len(refiReps), pluralWord(len(refiReps), "file", "files")))
			}
			if len(refiReps)+len(refiFailed) > 0 {
				g.showReport("REFI-QDA import", refiSummary(refiReps, refiFailed))
			}
			added, _, failed := rep.Counts()
			if failed > 0 || rep.Warned() > 0 {
				g.showFailures(rep)
			}
			if firstRun && added > 0 {
				g.analyzeThen(func() { wb.ShowTab("Compare") })
			}
		}, err
	})
}

// exportDialog asks for a format, a scope and a destination, then exports.
func (g *gui) exportDialog() {
	formats := ExportFormats()
	labels := make([]string, len(formats))
	for i, f := range formats {
		labels[i] = f + " — " + exporters[f].about
	}
	format := widget.NewSelect(labels, nil)
	format.SetSelectedIndex(0)
	scopes := []string{"Whole project", "The article in the reader", "Annotations with the chosen codes", "The cluster selected in Compare"}
	scope := widget.NewRadioGroup(scopes, nil)
	scope.SetSelected(scopes[0])
	codes, _ := g.store.Codes(context.Background())
	var paths []string
	byPath := map[string]int64{}
	for _, c := range codes {
		// Typed paths: unique even when a name holds a "/". A code
		// brings the codes under it into the scope.
		p := data.CodeAddress(codes, c.ID)
		paths = append(paths, p)
		byPath[p] = c.ID
	}
	codeChecks := widget.NewCheckGroup(paths, nil)
	codeScroll := container.NewVScroll(codeChecks)
	codeScroll.SetMinSize(fyne.NewSize(0, 120))
	// QualCoder cannot tell apart codes of one name under different
	// parents: say so, and offer qualified names, for REFI-QDA exports.
	qualify := widget.NewCheck("Write shared code names as “Name (Parent)”", nil)
	sharedNote := widget.NewLabel(SharedNamesWarning(codes))
	sharedNote.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem("Format", format),
		widget.NewFormItem("Scope", scope),
		widget.NewFormItem("Codes", codeScroll),
	}
	if sharedNote.Text != "" {
		items = append(items, widget.NewFormItem("REFI-QDA", container.NewVBox(sharedNote, qualify)))
	}
	d := dialog.NewForm("Export", "Export…", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		f := formats[format.SelectedIndex()]
		var sc data.ExportScope
		switch scope.Selected {
		case scopes[1]:
			if id := g.wb.Reader.Article().ID; id != 0 {
				sc.Articles = []int64{id}
			}
		case scopes[2]:
			for _, p := range codeChecks.Selected {
				sc.Codes = append(sc.Codes, byPath[p])
			}
		case scopes[3]:
			if c, ok := g.wb.Compare.Selected(); ok {
				sc.Clusters = []int64{c.ID}
			}
		}
		save := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				if err != nil {
					dialog.ShowError(err, g.win)
				}
				return
			}
			path := w.URI().Path()
			w.Close()
			g.exportJob(path, func(ctx context.Context, store *data.Store, progress Progress) error {
				var warnings []string
				warn := func(w string) { warnings = append(warnings, w) }
				if err := exportFile(ctx, store, f, sc, path, ExportOptions{QualifyNames: qualify.Checked, Warn: warn}, progress); err != nil {
					return err
				}
				if len(warnings) > 0 {
					fyne.Do(func() { dialog.ShowInformation("Export", strings.Join(warnings, "\n\n"), g.win) })
				}
				return nil
			}, "Exported "+f+" to "+path)
		}, g.win)
		save.SetFileName(strings.TrimSuffix(filepath.Base(g.store.Path()), filepath.Ext(g.store.Path())) + exporters[f].ext)
		save.Show()
	}, g.win)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}

// exportJob runs export as a background job and reports done in the status
// line. The save dialog has already created (or emptied) the file at path:
// an export that fails, is cancelled or cannot start removes that empty
// file, so nothing is left where the user expects an export.
func (g *gui) exportJob(path string, export func(ctx context.Context, store *data.Store, progress Progress) error, done string) {
	started := g.runJob("Export", func(ctx context.Context, store *data.Store, wb *views.Workbench, progress Progress) (func(), error) {
		if err := export(ctx, store, progress); err != nil {
			removeIfEmpty(path)
			return nil, err
		}
		return func() { wb.SetStatus(done) }, nil
	})
	if !started {
		removeIfEmpty(path)
	}
}

// removeIfEmpty deletes the empty file a save dialog made. A file with
// content is left alone: it is not the dialog's.
func removeIfEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		_ = os.Remove(path) // best effort: an empty file is harmless
	}
}

// pinReference makes a version its cluster's reference and re-aligns
// (extraction is cached, so only the alignment runs).
func (g *gui) pinReference(c data.Cluster, m data.ClusterMember) {
	if g.busy() {
		dialog.ShowInformation("Pin as reference", "A background job is running. Pin the reference when it has finished.", g.win)
		return
	}
	var others []data.Pin
	for _, o := range c.Members {
		if o.ArticleID != m.ArticleID || o.Start != m.Start || o.End != m.End {
			others = append(others, data.Pin{ArticleID: o.ArticleID, Start: o.Start, End: o.End})
		}
	}
	if err := g.store.PinReference(context.Background(), data.Pin{ArticleID: m.ArticleID, Start: m.Start, End: m.End}, others); err != nil {
		dialog.ShowError(err, g.win)
		return
	}
	// Imported clusters keep their members and are classified again
	// against the pin; Parallax's own are re-aligned.
	g.runJob("Classification", func(ctx context.Context, store *data.Store, wb *views.Workbench, progress Progress) (func(), error) {
		origin, err := store.ClusterOrigin(ctx)
		if err != nil {
			return nil, err
		}
		if !origin.IsImported() {
			return g.analyze, nil
		}
		_, err = ReclassifyImported(ctx, store, progress)
		return func() {
			wb.Reload()
			wb.SetStatus("Classified the " + origin.Tool + " clusters against the pinned reference.")
		}, err
	})
}

// analyze finds quotes and findings and aligns them, in the background.
func (g *gui) analyze() { g.analyzeThen(nil) }

// analyzeThen analyses and then, if it succeeded, runs then. Clusters
// imported from passim are replaced only once the researcher agrees.
func (g *gui) analyzeThen(then func()) { g.analyzeJob(RunAnalyze, then) }

func (g *gui) analyzeJob(run func(context.Context, *data.Store, Progress) (AnalyzeReport, error), then func()) {
	g.runJob("Analysis", func(ctx context.Context, store *data.Store, wb *views.Workbench, progress Progress) (func(), error) {
		rep, err := run(ctx, store, progress)
		if ie := (*ImportedClustersError)(nil); errors.As(err, &ie) {
			return func() { g.confirmReplace(ie, then) }, nil
		}
		return func() {
			if then != nil {
				defer then()
			}
			wb.Reload()
			wb.SetStatus(fmt.Sprintf("Analysed %d new or changed %s; %d %s across outlets.", rep.Extracted,
				pluralWord(rep.Extracted, "article", "articles"), rep.Clusters, pluralWord(rep.Clusters, "cluster", "clusters")))
		}, err
	})
}

// confirmReplace asks before Parallax's analysis replaces imported
// clusters.
func (g *gui) confirmReplace(ie *ImportedClustersError, then func()) {
	msg := widget.NewLabel(strings.ToUpper(ie.Error()[:1]) + ie.Error()[1:] + ".\n\nReplace them? Memos, codes and pins stay; " +
		"the imported alignment can be brought back only by importing passim's output again.")
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Replace the imported clusters?", "Replace", "Keep them", msg, func(ok bool) {
		if ok {
			g.analyzeJob(RunAnalyzeReplacing, then)
		}
	}, g.win)
	d.Resize(fyne.NewSize(520, 240))
	d.Show()
}

// choosePassim asks for passim's output folder and imports its clusters.
func (g *gui) choosePassim() {
	g.pickFolder(func(dir string) {
		g.runJob("Import of passim's clusters", func(ctx context.Context, store *data.Store, wb *views.Workbench, progress Progress) (func(), error) {
			rep, err := ImportPassim(ctx, store, dir, progress)
			return func() {
				wb.Reload()
				wb.SetStatus(rep.Summary())
				wb.ShowTab("Compare")
				if len(rep.Refused) > 0 || rep.Incomplete > 0 {
					g.showPassimNotes(rep)
				}
			}, err
		})
	})
}

// showPassimNotes lists the passages a passim import refused.
func (g *gui) showPassimNotes(rep PassimReport) {
	var lines []string
	if rep.Incomplete > 0 {
		lines = append(lines, fmt.Sprintf("%d %s larger in passim's output than in the part files read: is a part file missing?",
			rep.Incomplete, pluralWord(rep.Incomplete, "cluster is", "clusters are")))
	}
	for _, r := range rep.Refused {
		lines = append(lines, fmt.Sprintf("%s: article %d: %s", r.Where, r.Article, r.Reason))
	}
	msg := widget.NewLabel(rep.Summary() + "\n\n" + strings.Join(lines, "\n"))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("passim import", "Close", container.NewVScroll(msg), g.win)
	d.Resize(fyne.NewSize(640, 360))
	d.Show()
}

// showFailures lists the items an import could not read, and what it did
// not take as the files gave it.
func (g *gui) showFailures(rep ImportReport) {
	lines := importProblems(rep)
	title := "Some items were not imported"
	if _, _, failed := rep.Counts(); failed == 0 {
		title = "Imported, with warnings"
	}
	msg := widget.NewLabel(rep.Summary() + "\n\n" + strings.Join(lines, "\n"))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "Close", container.NewVScroll(msg), g.win)
	d.Resize(fyne.NewSize(640, 360))
	d.Show()
}

// stopJobs cancels the running job and the screens' loads: the project is
// closing.
func (g *gui) stopJobs() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cancel != nil {
		g.cancel()
	}
	if g.closeProject != nil {
		g.closeProject()
	}
}

// picked adapts a file dialog's callback: it reports dialog errors, ignores
// a cancelled dialog, closes what the dialog opened, and passes the path on.
func (g *gui) picked(then func(path string)) func(io.Closer, fyne.URI, error) {
	return func(c io.Closer, u fyne.URI, err error) {
		if err != nil {
			dialog.ShowError(err, g.win)
			return
		}
		if c == nil || u == nil {
			return
		}
		c.Close()
		then(filepath.FromSlash(u.Path()))
	}
}

// newProject asks for a folder and a name. Fyne's save dialog would open
// (and so truncate) the chosen file itself, which could wipe an existing
// project, so the file is created by SQLite after checking it is new.
func (g *gui) newProject() {
	if g.busy() {
		dialog.ShowInformation("New project", "A background job is running. Wait for it or cancel it first.", g.win)
		return
	}
	name := widget.NewEntry()
	name.SetText("Untitled")
	dir := filepath.Dir(g.store.Path())
	folder := widget.NewLabel(dir)
	folder.Truncation = fyne.TextTruncateEllipsis
	choose := widget.NewButton("Choose folder…", func() {
		dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				dir = u.Path()
				folder.SetText(dir)
			}
		}, g.win)
	})
	dialog.ShowForm("New project", "Create", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, choose, folder)),
	}, func(ok bool) {
		if !ok {
			return
		}
		base := strings.TrimSpace(name.Text)
		if base == "" || strings.ContainsAny(base, `/\`) {
			dialog.ShowError(fmt.Errorf("project name %q: give a file name without folders", base), g.win)
			return
		}
		if filepath.Ext(base) == "" {
			base += ".parallax"
		}
		path := filepath.Join(dir, base)
		if _, err := os.Stat(path); err == nil {
			dialog.ShowError(fmt.Errorf("%s already exists; use Open Project to open it", path), g.win)
			return
		}
		g.openPath(path, true)
	}, g.win)
}

func (g *gui) openProject() {
	d := dialog.NewFileOpen(g.openFile(func(p string) { g.openPath(p, false) }), g.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".parallax", ".db", ".sqlite"}))
	d.Show()
}

// openFile is picked for the file-open dialog's callback type.
func (g *gui) openFile(then func(path string)) func(fyne.URIReadCloser, error) {
	done := g.picked(then)
	return func(r fyne.URIReadCloser, err error) {
		if r == nil {
			done(nil, nil, err)
			return
		}
		done(r, r.URI(), err)
	}
}

// openPath opens an existing project; create allows a new one (New
// Project), as only commands that create projects may make one of an
// empty file.
func (g *gui) openPath(path string, create bool) {
	if g.busy() {
		dialog.ShowInformation("Open project", "A background job is running. Wait for it or cancel it first.", g.win)
		return
	}
	store, err := data.OpenWith(path, data.Options{Create: create, CheckInBackground: true})
	if err != nil {
		g.showError(err)
		return
	}
	g.setProject(store)
}

// showError shows err with what the user can do about it, as the command
// line prints it (a damaged project: restore or recover).
func (g *gui) showError(err error) {
	if _, hint := failure(err); hint != "" && data.ErrorCode(err) != data.ENotProj {
		err = fmt.Errorf("%w\n\n%s", err, hint)
	}
	dialog.ShowError(err, g.win)
}
