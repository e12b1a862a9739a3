package app

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/views"
)

// cmdSnapshot renders a view with Fyne's test driver, whose software
// painter needs no display or OpenGL, so docs and CI can show real screens.
func cmdSnapshot(e *env, args []string) error {
	cmd := newProjectCommand("snapshot")
	view := cmd.String("view", "library", "view to render: library, reader, compare, matrix, propagation, sidebyside, annotations, codebook, memos or agreement")
	row := cmd.Int("row", -1, "agreement: select this row of the table (from 0) to show its disagreements side by side")
	cluster := cmd.Int64("cluster", 0, "cluster to select in the compare and propagation views (see 'parallax align')")
	edge := cmd.Int("edge", 0, "pickup edge to select in the propagation view, from 1 (see 'parallax propagation')")
	other := cmd.Int64("with", 0, "second article for the sidebyside view")
	article := cmd.Int64("article", 0, "article to show (default: the first one)")
	sel := cmd.String("select", "", "select START:END (rune offsets) in the reader")
	search := cmd.String("search", "", "type this into the library's search box")
	out := cmd.String("out", "", "PNG file to write")
	size := cmd.String("size", "1280x800", "image size WIDTHxHEIGHT in pixels")
	themeName := cmd.String("theme", "light", "light or dark")
	if err := cmd.parseFlags(args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out FILE.png is required"}
	}
	w, h, err := parseSize(*size)
	if err != nil {
		return usageError{err.Error()}
	}
	if *themeName != "light" && *themeName != "dark" {
		return usageError{fmt.Sprintf("--theme %q: want light or dark", *themeName)}
	}
	start, end := 0, 0
	if *sel != "" {
		a, b, ok := strings.Cut(*sel, ":")
		start, err = strconv.Atoi(a)
		if err == nil {
			end, err = strconv.Atoi(b)
		}
		if !ok || err != nil || start < 0 || end < start {
			return usageError{fmt.Sprintf("--select %q: want START:END with 0 <= START <= END", *sel)}
		}
	}
	return cmd.run(func(store *data.Store) error {
		a := test.NewApp()
		defer a.Quit()
		a.Settings().SetTheme(views.FixedTheme(*themeName == "dark"))
		win := test.NewWindow(nil)
		defer win.Close()
		wb := views.NewWorkbench(store, win, store.Path())
		// A trace being kept is waited for before the command ends, so
		// that it is not cut off half written.
		var keeping sync.WaitGroup
		defer keeping.Wait()
		wb.Propagation.Source = func(ctx context.Context, clusters []int64, progress func(string, int, int)) (*data.Propagation, error) {
			p, kept, err := keptPropagation(ctx, store, clusters, traceCacheDir(), false, progress)
			keeping.Go(kept)
			return p, err
		}
		// The screens load in the background; a snapshot waits for each load,
		// so that it shows the loaded screen and not the loading bar.
		wb.Background = func(work func(context.Context)) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				work(e.ctx)
			}()
			<-done
		}
		wb.Reload()
		id := *article
		if id == 0 {
			rows, err := store.ListArticles(e.ctx, data.ListQuery{Sort: data.SortDate})
			if err != nil {
				return err
			}
			if len(rows) > 0 && *view == "reader" {
				id = rows[0].ID
			}
		}
		switch *view {
		case "library":
			win.SetContent(wb.Content())
		case "reader":
			if id == 0 {
				return fmt.Errorf("snapshot reader: the project has no articles")
			}
			win.SetContent(wb.Reader.Content())
		case "compare", "matrix", "propagation", "sidebyside", "annotations", "codebook", "memos", "agreement":
			win.SetContent(wb.Content())
			if *view == "propagation" && *cluster != 0 {
				// The propagation follows the cluster Compare shows.
				wb.ShowTab("Compare")
				wb.Compare.SelectCluster(*cluster)
			}
			wb.ShowTab(map[string]string{"compare": "Compare", "matrix": "Matrix", "propagation": "Propagation", "sidebyside": "Side by side",
				"annotations": "Annotations", "codebook": "Codebook", "memos": "Memos", "agreement": "Agreement"}[*view])
		default:
			return usageError{fmt.Sprintf("--view %q: want library, reader, compare, matrix, propagation, sidebyside, annotations, codebook, memos or agreement", *view)}
		}
		// Lay out at the final size before filling the panes, as the window
		// does, so wrapped labels measure themselves at their real width.
		win.Resize(fyne.NewSize(float32(w), float32(h)))
		if *search != "" {
			wb.Library.SetSearch(*search)
		}
		if id != 0 {
			if _, err := store.Article(e.ctx, id); err != nil {
				return err
			}
			wb.ShowArticle(id)
		}
		if end > start {
			wb.Reader.SelectRange(start, end)
		}
		if *cluster != 0 {
			wb.Compare.SelectCluster(*cluster)
			if *view == "propagation" {
				wb.Propagation.SelectCluster(*cluster)
			}
		}
		if *view == "propagation" && *edge > 0 {
			wb.Propagation.SelectEdge(*edge - 1)
		}
		if *view == "sidebyside" && id != 0 && *other != 0 {
			wb.SideBySide.SetArticles(id, *other)
		}
		if *view == "agreement" && *row >= 0 && *row < len(wb.Agreement.Rows()) {
			wb.Agreement.SelectRow(*row)
		}
		// Lists lay out their rows lazily; a second layout pass at the final
		// size settles rows created by the search or selection above.
		win.Content().Refresh()
		win.Resize(fyne.NewSize(float32(w), float32(h)))
		img := win.Canvas().Capture()
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		if err := png.Encode(f, img); err != nil {
			f.Close()
			return fmt.Errorf("snapshot %s: %w", *out, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("snapshot %s: %w", *out, err)
		}
		fmt.Fprintf(e.stdout, "wrote %s (%dx%d)\n", *out, img.Bounds().Dx(), img.Bounds().Dy())
		return nil
	})
}

func parseSize(s string) (int, int, error) {
	a, b, ok := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(a)
	h, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || w < 200 || h < 150 || w > 8000 || h > 8000 {
		return 0, 0, fmt.Errorf("--size %q: want WIDTHxHEIGHT, e.g. 1280x800", s)
	}
	return w, h, nil
}
