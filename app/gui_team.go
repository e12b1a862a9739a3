package app

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/refi"
	"github.com/parallax-research/parallax/views"
)

// prefCoder keys the coder name in the preferences.
const prefCoder = "coderName"

// coderName is the coder the window records: the name in Preferences, or
// the OS user name.
func (g *gui) coderName() string {
	return cmp.Or(strings.TrimSpace(g.app.Preferences().String(prefCoder)), DefaultCoder())
}

// showPreferences edits the coder name that new and changed annotations,
// codes and memos record.
func (g *gui) showPreferences() {
	name := widget.NewEntry()
	name.SetText(g.coderName())
	name.SetPlaceHolder(DefaultCoder())
	hint := widget.NewLabel("Every annotation, code and memo you make or change records this name,\nfor merging colleagues' work and measuring agreement.")
	hint.TextStyle.Italic = true
	d := dialog.NewForm("Preferences", "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Coder name", name),
		widget.NewFormItem("", hint),
	}, func(ok bool) {
		if !ok {
			return
		}
		g.app.Preferences().SetString(prefCoder, strings.TrimSpace(name.Text))
		g.store.SetCoder(g.coderName())
		g.wb.SetStatus("Coding as " + g.coderName() + ".")
	}, g.win)
	d.Resize(fyne.NewSize(520, 220))
	d.Show()
}

// chooseMerge asks for a colleague's project and merges their coding.
func (g *gui) chooseMerge() {
	d := dialog.NewFileOpen(g.openFile(g.mergePath), g.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".parallax", ".qdpx", ".qde"}))
	d.Show()
}

// mergePath merges in the background; the merge is one transaction, and
// one step of the history: undo removes what it added.
func (g *gui) mergePath(path string) {
	g.runJob("Merge", func(ctx context.Context, store *data.Store, wb *views.Workbench, progress Progress) (func(), error) {
		progress("Merging "+path, 0, 0)
		rep, added, err := MergeFile(ctx, store, path)
		return func() {
			recordDone(wb, store, "merge", added)
			wb.Reload()
			wb.SetStatus(fmt.Sprintf("Merged %d annotations, %d codes and %d memos from %s.", rep.Annotations, rep.Codes, rep.Memos, path))
			g.showReport("Merge report", mergeSummary(path, rep))
		}, err
	})
}

// recordDone puts a change that has already run (a merge, an import's
// updates) in the history as one step: its first Do is a no-op, a redo
// puts back the same annotations, codes and memos and the newer versions
// of what it revised, and undo removes what it added and sets back the
// older versions.
func recordDone(wb *views.Workbench, store *data.Store, name string, c data.Coding) {
	done := true
	if err := wb.History.Run(views.Action{
		Name: name,
		Do: func() error {
			if done {
				done = false
				return nil
			}
			return store.RestoreCoding(context.Background(), c)
		},
		Undo: func() error { return store.DeleteCoding(context.Background(), c) },
	}); err != nil {
		wb.ShowError(err)
	}
}

// recordREFIUpdates makes the updates each REFI-QDA import made to
// annotations and memos already in the project one step of the history,
// so that the older versions can come back. (What an import adds is not
// undone: articles are removed from the library.)
func recordREFIUpdates(wb *views.Workbench, store *data.Store, reps map[string]data.QDPXReport) {
	for _, path := range slices.Sorted(maps.Keys(reps)) {
		if r := reps[path]; len(r.Revised)+len(r.RevisedMemos) > 0 {
			recordDone(wb, store, "updates from "+filepath.Base(path), data.Coding{Revised: r.Revised, RevisedMemos: r.RevisedMemos})
		}
	}
}

func mergeSummary(path string, rep data.QDPXReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%d annotations added (%d already here) on %d articles; %d codes added, %d matched; %d memos added.\n%s.\n",
		path, rep.Annotations, rep.AnnotationsPresent, rep.ArticlesReused, rep.Codes, rep.CodesMatched, rep.Memos, capitalize(refiCounts(rep)))
	for _, u := range rep.Updated {
		b.WriteString("Updated: " + u + "\n")
	}
	if len(rep.Conflicts) == 0 {
		b.WriteString("\nNo conflicts.")
	} else {
		fmt.Fprintf(&b, "\n%d conflict(s):\n", len(rep.Conflicts))
		for _, c := range rep.Conflicts {
			b.WriteString("• " + c + "\n")
		}
	}
	for _, w := range rep.Warnings {
		b.WriteString("Warning: " + w + "\n")
	}
	for _, s := range rep.Skipped {
		b.WriteString("Skipped: " + s + "\n")
	}
	return b.String()
}

// refiSummary is the report of REFI-QDA files imported from the window.
func refiSummary(reps map[string]data.QDPXReport, failed []string) string {
	var b strings.Builder
	for path, r := range reps {
		fmt.Fprintf(&b, "%s: %d articles (%d already here), %d codes (%d matched), %d annotations (%d orphaned), %d memos\n",
			path, r.Articles, r.ArticlesReused, r.Codes, r.CodesMatched, r.Annotations, r.Orphaned, r.Memos)
		fmt.Fprintf(&b, "  %s\n", capitalize(refiCounts(r)))
		for _, u := range r.Updated {
			b.WriteString("  Updated: " + u + "\n")
		}
		for _, c := range r.Conflicts {
			b.WriteString("  Conflict: " + c + "\n")
		}
		for _, u := range r.Units {
			fmt.Fprintf(&b, "  %s: positions in %s (%s)\n", u.Source, u.Unit, u.Evidence)
		}
		for _, w := range r.Warnings {
			b.WriteString("  Warning: " + w + "\n")
		}
		for _, s := range r.Skipped {
			b.WriteString("  Skipped: " + s + "\n")
		}
	}
	for _, f := range failed {
		b.WriteString(f + "\n")
	}
	return b.String()
}

// importREFI imports the REFI-QDA files among paths, one transaction each,
// and returns the other paths.
func importREFI(ctx context.Context, store *data.Store, paths []string) (rest []string, reps map[string]data.QDPXReport, failed []string) {
	reps = map[string]data.QDPXReport{}
	for _, p := range paths {
		if !refi.IsREFI(p) {
			rest = append(rest, p)
			continue
		}
		r, err := refi.Import(ctx, store, p)
		if err != nil {
			failed = append(failed, err.Error())
			continue
		}
		reps[p] = r
	}
	return rest, reps, failed
}

// showReport shows a long report in a scrolling dialog.
func (g *gui) showReport(title, text string) {
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "Close", container.NewVScroll(msg), g.win)
	d.Resize(fyne.NewSize(680, 420))
	d.Show()
}

// capitalize upper-cases a sentence's first letter.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
