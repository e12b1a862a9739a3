package views

import (
	"context"
	"iter"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/parallax-research/parallax/data"
)

// Runner runs work off the UI goroutine. The app's runner ties work to the
// open project: ctx is cancelled when the project closes, and the store is
// closed only after work has returned. A screen with no runner starts a
// goroutine of its own.
type Runner func(work func(ctx context.Context))

func (run Runner) start(work func(ctx context.Context)) {
	if run == nil {
		go work(context.Background())
		return
	}
	run(work)
}

// loader runs a screen's loads off the UI goroutine, showing a job bar with
// a Cancel button while one runs. Starting a load cancels the one running,
// and a load's result is applied only if it is still the newest and nobody
// cancelled it, so a stale load never overwrites a newer one and a
// cancelled one leaves the screen as it was. Its methods run on the UI
// goroutine.
type loader struct {
	bar    *JobBar
	seq    uint64             // numbers the loads; the newest owns the bar
	cancel context.CancelFunc // the newest load's, until it ends
	// onCancel, if set, is called on the UI goroutine when the newest
	// load is cancelled: a screen left with nothing to show says so.
	onCancel func()
}

func newLoader() *loader { return &loader{bar: NewJobBar()} }

// running reports whether a load has not ended yet.
func (l *loader) running() bool { return l.cancel != nil }

// loadSteps is what a load's work may do before it returns: name its
// stage on the bar, and show a first result while it reads the rest.
type loadSteps struct {
	// busy names the stage on the bar.
	busy func(stage string)
	// progress names the stage and fills the bar to done of total (total
	// 0: busy); throttled to what the bar can show.
	progress func(stage string, done, total int)
	// show runs apply on the UI goroutine, as the load's final apply
	// runs: only if the load is still the newest and nobody cancelled it.
	show func(apply func())
}

// start runs work with run. work reads in the background, may report its
// stage and show a first result through steps, and returns what to apply
// to the screen; apply runs on the UI goroutine. A failure is passed to
// onError, unless the load was cancelled, whose error only says so.
func (l *loader) start(run Runner, title string, work func(ctx context.Context, steps loadSteps) (apply func(), err error), onError func(error)) {
	if l.cancel != nil {
		l.cancel()
	}
	l.seq++
	seq := l.seq
	stop, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.bar.Start(title, cancel)
	l.bar.Busy(title)
	run.start(func(parent context.Context) {
		// ctx ends with the project (parent) or with this load (stop)
		ctx, cancelCtx := context.WithCancel(parent)
		defer cancelCtx()
		defer context.AfterFunc(stop, cancelCtx)()
		current := func() bool { return seq == l.seq && stop.Err() == nil && parent.Err() == nil }
		progress := throttle(func(stage string, done, total int) {
			fyne.Do(func() {
				switch {
				case seq != l.seq:
				case total <= 0:
					l.bar.Busy(stage)
				default:
					l.bar.Progress(stage, done, total)
				}
			})
		})
		apply, err := work(ctx, loadSteps{
			// A stage without a count always passes the throttle.
			busy:     func(stage string) { progress(stage, 0, 0) },
			progress: progress,
			show: func(apply func()) {
				fyne.Do(func() {
					if current() {
						apply()
					}
				})
			},
		})
		fyne.Do(func() {
			if seq != l.seq {
				return // superseded: the newer load owns the bar and the screen
			}
			cancelled := !current()
			l.bar.Finish()
			l.cancel = nil
			cancel()
			switch {
			case cancelled:
				if l.onCancel != nil {
					l.onCancel()
				}
			case err != nil:
				onError(err)
			default:
				apply()
			}
		})
	})
}

// loadClusters starts a load of the rows of the clusters src lists as
// spanning minArticles. build turns them, in the background, into what to
// apply on the UI goroutine; stage names that step on the bar. more, if
// not nil, reads on once the rows are shown and returns what to apply
// then. *onError is read only when a load fails, so a screen's OnError may
// be set after it is built.
func (l *loader) loadClusters(run Runner, src ClusterSource, minArticles int, stage string,
	build func(ctx context.Context, list data.ClusterList) (apply func(), more func(ctx context.Context, busy func(string)) (func(), error), err error),
	onError *func(error)) {
	l.start(run, "Loading clusters…", func(ctx context.Context, steps loadSteps) (func(), error) {
		list, err := src.ClusterRows(ctx, minArticles)
		if err != nil {
			return nil, err
		}
		steps.busy(stage + " " + plural(len(list.Rows), "cluster", "clusters") + "…")
		apply, more, err := build(ctx, list)
		if err != nil || more == nil {
			return apply, err
		}
		steps.show(apply)
		return more(ctx, steps.busy)
	}, func(err error) {
		if *onError != nil {
			(*onError)(err)
		}
	})
}

// textPager pages in the reference texts of the clusters a list shows, a
// page of rows at a time as they are drawn, so that opening a screen reads
// no text at all. Its methods run on the UI goroutine.
type textPager struct {
	src     ClusterSource
	ids     []int64 // by row
	texts   []string
	loaded  []bool
	onError *func(error)
	failed  bool // one failure reported per load, not one per row drawn
}

// pageRows is how many rows' texts one read brings: a few screens' worth.
const pageRows = 128

func newTextPager(src ClusterSource, ids []int64, onError *func(error)) *textPager {
	return &textPager{src: src, ids: ids, texts: make([]string, len(ids)), loaded: make([]bool, len(ids)), onError: onError}
}

// text is row i's reference text. When it is not loaded yet, the texts of
// the rows near it that lack theirs are loaded with it: near lists rows in
// the order the list shows them, from a little before i on.
func (p *textPager) text(i int, near iter.Seq[int]) string {
	if i < 0 || i >= len(p.ids) {
		return ""
	}
	if p.loaded[i] || p.failed {
		return p.texts[i]
	}
	page := []int{i}
	ids := []int64{p.ids[i]}
	if near == nil {
		near = func(func(int) bool) {}
	}
	for k := range near {
		if len(page) == pageRows {
			break
		}
		if k >= 0 && k < len(p.ids) && !p.loaded[k] && k != i {
			page = append(page, k)
			ids = append(ids, p.ids[k])
		}
	}
	texts, err := p.src.ClusterReferences(context.Background(), ids)
	if err != nil {
		p.failed = true
		if *p.onError != nil {
			(*p.onError)(err)
		}
		return ""
	}
	for j, k := range page {
		p.texts[k], p.loaded[k] = texts[j], true
	}
	return p.texts[i]
}

// around lists the rows shown near position pos of n, a few before it,
// then on from it; at gives the row shown at a position.
func around(n, pos int, at func(j int) int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for j := max(0, pos-pageRows/8); j < min(n, pos+pageRows); j++ {
			if !yield(at(j)) {
				return
			}
		}
	}
}

// throttle passes a stage's progress on at most every 50 ms, and every
// change of stage and the stage's end at once, so that a worker reporting
// often does not flood the UI goroutine with redraws. Safe to call from
// several goroutines.
func throttle(tell func(stage string, done, total int)) func(stage string, done, total int) {
	var mu sync.Mutex
	var last time.Time
	var lastStage string
	return func(stage string, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		// Told under the lock, so that what is told keeps its order.
		if now := time.Now(); stage != lastStage || done >= total || now.Sub(last) >= 50*time.Millisecond {
			last, lastStage = now, stage
			tell(stage, done, total)
		}
	}
}
