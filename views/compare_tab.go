package views

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
)

// compareTab wraps the compare screen with the actions that touch the
// project: coding a whole cluster.
func (wb *Workbench) compareTab() fyne.CanvasObject {
	code := widget.NewButtonWithIcon("Code this cluster…", theme.ContentAddIcon(), wb.CodeCluster)
	memo := widget.NewButtonWithIcon("Cluster memo…", theme.DocumentCreateIcon(), func() {
		if c, ok := wb.Compare.Selected(); ok {
			wb.Memos.Edit(data.Memo{TargetKind: "cluster", TargetID: c.ID, Title: clusterTitle(c)})
		}
	})
	group := widget.NewButtonWithIcon("Articles: all", theme.FolderOpenIcon(), nil)
	group.OnTapped = func() { wb.chooseArticleGroup(group) }
	wb.compareBanner = wb.newOutletBanner()
	return container.NewBorder(container.NewVBox(wb.compareBanner.content, container.NewHBox(group, code, memo)), nil, nil, nil, wb.Compare.Content())
}

// chooseArticleGroup limits the clusters list to a group of articles.
func (wb *Workbench) chooseArticleGroup(button *widget.Button) {
	rows, err := wb.backend.ListArticles(context.Background(), data.ListQuery{Sort: data.SortDate})
	if err != nil {
		wb.ShowError(err)
		return
	}
	labels := make([]string, len(rows))
	ids := map[string]int64{}
	current := wb.Compare.Filter().Articles
	var selected []string
	for i, r := range rows {
		labels[i] = fmt.Sprintf("%d · %s", r.ID, joinNonEmpty(" · ", r.Outlet, r.Date.String(), displayTitle(r.Title, r.ID)))
		ids[labels[i]] = r.ID
		if slices.Contains(current, r.ID) {
			selected = append(selected, labels[i])
		}
	}
	checks := widget.NewCheckGroup(labels, nil)
	checks.Selected = selected
	scroll := container.NewVScroll(checks)
	scroll.SetMinSize(fyne.NewSize(600, 320))
	d := dialog.NewCustomConfirm("Compare a group of articles", "Apply", "Cancel", scroll, func(ok bool) {
		if !ok {
			return
		}
		var group []int64
		for _, l := range checks.Selected {
			group = append(group, ids[l])
		}
		slices.Sort(group)
		wb.SetArticleGroup(group)
		button.SetText("Articles: " + map[bool]string{true: "all", false: plural(len(group), "article", "articles")}[len(group) == 0])
	}, wb.window)
	d.Show()
}

// SetArticleGroup limits the compare list to clusters the articles share
// (nil for the whole project).
func (wb *Workbench) SetArticleGroup(ids []int64) {
	f := wb.Compare.Filter()
	f.Articles = ids
	wb.Compare.SetFilter(f)
}

// clusterTitle names a cluster for a memo: speaker and the reference's
// first words.
func clusterTitle(c data.Cluster) string {
	for _, m := range c.Members {
		if m.Reference {
			t := []rune(strings.ReplaceAll(m.Text, "\n", " "))
			if len(t) > 60 {
				t = append(t[:60], '…')
			}
			return joinNonEmpty(": ", c.Speaker, string(t))
		}
	}
	return c.Speaker
}

// CodeCluster asks for a code and a note and annotates every version of the
// selected cluster with them: one annotation per member, one undo step.
func (wb *Workbench) CodeCluster() {
	c, ok := wb.Compare.Selected()
	if !ok {
		return
	}
	path := widget.NewSelectEntry(nil)
	if codes, err := wb.backend.Codes(context.Background()); err == nil {
		var opts []string
		for _, k := range codes {
			opts = append(opts, data.CodePath(codes, k.ID))
		}
		path.SetOptions(opts)
	}
	path.SetPlaceHolder("Code path, e.g. Quotes/Officials")
	note := widget.NewMultiLineEntry()
	note.SetMinRowsVisible(3)
	dialog.ShowForm("Code cluster", "Code", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Versions", widget.NewLabel(plural(len(c.Members), "version", "versions")+" in "+plural(c.Articles, "article", "articles"))),
		widget.NewFormItem("Code", path),
		widget.NewFormItem("Note", note),
	}, func(ok bool) {
		if !ok || strings.TrimSpace(path.Text) == "" {
			return
		}
		ctx := context.Background()
		var made data.Coding
		err := wb.History.Run(Action{
			Name: "cluster coding",
			Do: func() error {
				if made.Annotations != nil { // redo: the same code and annotations again
					return wb.backend.RestoreCoding(ctx, made)
				}
				as := make([]data.Annotation, len(c.Members))
				for i, m := range c.Members {
					as[i] = data.Annotation{ArticleID: m.ArticleID, Start: m.Start, End: m.End, Note: note.Text}
				}
				var err error
				made, err = wb.backend.CreateAnnotationsWithCodes(ctx, as, []string{path.Text})
				return err
			},
			Undo: func() error { return wb.backend.DeleteCoding(ctx, made) },
		})
		if err != nil {
			wb.ShowError(err) // nothing was coded: a bad path or passage creates nothing
			return
		}
		wb.Reader.refreshAfterChange()
		wb.SetStatus("Coded " + plural(len(made.Annotations), "version", "versions") + " with " + path.Text + ".")
	}, wb.window)
}

// matrixTab wraps the outlet matrix with its exports.
func (wb *Workbench) matrixTab() fyne.CanvasObject {
	csvBtn := widget.NewButtonWithIcon("Export CSV…", theme.DownloadIcon(), func() {
		wb.saveFile("outlet-matrix.csv", ".csv", func() ([]byte, error) { return wb.Matrix.CSV(), nil })
	})
	pngBtn := widget.NewButtonWithIcon("Export PNG…", theme.DownloadIcon(), func() {
		wb.saveFile("outlet-matrix.png", ".png", func() ([]byte, error) { return wb.Matrix.PNG(fyne.NewSize(1600, 1000)) })
	})
	wb.matrixBanner = wb.newOutletBanner()
	return container.NewBorder(container.NewVBox(wb.matrixBanner.content, container.NewHBox(csvBtn, pngBtn)), nil, nil, nil, wb.Matrix.Content())
}

// saveFile asks where to save and writes what content returns there.
func (wb *Workbench) saveFile(name, ext string, content func() ([]byte, error)) {
	b, err := content()
	if err != nil {
		wb.ShowError(err)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			wb.ShowError(err)
			return
		}
		if w == nil {
			return
		}
		_, werr := w.Write(b)
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			wb.ShowError(werr)
			return
		}
		wb.SetStatus("Saved " + w.URI().Path())
	}, wb.window)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Show()
}
