package app

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/views"
)

// BenchmarkPropagationTab is what a researcher waits for in the window
// between clicking the Propagation tab and seeing the pickup graph, on
// projects of months of coverage (../shared/tools/gencorpus.py, imported
// and analysed): kept reads the trace kept from the same inputs, as every
// opening after the first does; fresh traces anew, as the first opening
// after an analysis or an edit does. The projects take a minute to make at
// 16,000 articles; set PARALLAX_BENCH_DIR to a folder to keep them there.
func BenchmarkPropagationTab(b *testing.B) {
	for _, n := range []int{1000, 16000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) { benchPropagationTab(b, analysedCorpus(b, n)) })
	}
}

func benchPropagationTab(b *testing.B, project string) {
	for _, kept := range []bool{true, false} {
		name := "fresh"
		if kept {
			name = "kept"
		}
		b.Run(name, func(b *testing.B) {
			store, err := data.Open(project)
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			a := test.NewApp()
			defer a.Quit()
			win := test.NewWindow(nil)
			defer win.Close()
			wb := views.NewWorkbench(store, win, store.Path())
			dir := b.TempDir()
			var keeping sync.WaitGroup
			wb.Propagation.Source = func(ctx context.Context, clusters []int64, progress func(string, int, int)) (*data.Propagation, error) {
				p, done, err := keptPropagation(ctx, store, clusters, dir, false, progress)
				keeping.Go(done)
				return p, err
			}
			// Each load is waited for, as the snapshot command does.
			wb.Background = func(work func(context.Context)) { work(context.Background()) }
			wb.Reload()
			win.SetContent(wb.Content())
			win.Resize(fyne.NewSize(1280, 800))
			if kept {
				// The first opening keeps the trace the others read.
				wb.ShowTab("Propagation")
				keeping.Wait()
			}
			for b.Loop() {
				b.StopTimer()
				wb.ShowTab("Compare")
				keeping.Wait()
				if !kept {
					os.RemoveAll(dir)
				}
				b.StartTimer()
				wb.ShowTab("Propagation")
			}
			b.StopTimer()
			keeping.Wait()
			if wb.Propagation.Snapshot() == nil || len(wb.Propagation.Snapshot().Clusters) == 0 {
				b.Fatal("the Propagation tab showed no clusters")
			}
		})
	}
}

// analysedCorpus is a project of n generated articles, imported and
// analysed, made once (and kept in PARALLAX_BENCH_DIR when it is set).
func analysedCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := os.Getenv("PARALLAX_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	project := filepath.Join(dir, fmt.Sprintf("propagation-%d-s%d.parallax", n, data.SchemaVersion()))
	// The marker says the project was made whole: one cut off halfway
	// is made again.
	made := project + ".made"
	if _, err := os.Stat(made); err == nil {
		return project
	}
	corpus := filepath.Join(dir, fmt.Sprintf("corpus-%d", n))
	gen := filepath.Join(filepath.Dir(difftest.CorpusDir(b)), "tools", "gencorpus.py")
	if _, err := os.Stat(filepath.Join(corpus, ".done")); err != nil {
		os.RemoveAll(corpus)
		if out, err := exec.Command("python3", gen, fmt.Sprint(n), corpus, "1").CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", gen, err, out)
		}
		if err := os.WriteFile(filepath.Join(corpus, ".done"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(project + suffix)
	}
	for _, args := range [][]string{{"import", "--project", project, corpus}, {"analyze", "--project", project}} {
		if code := Main(args, nopWriter{}, nopWriter{}); code != 0 {
			b.Fatalf("%v: exit %d", args, code)
		}
	}
	if err := os.WriteFile(made, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return project
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
