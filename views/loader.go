package views

import (
	"context"

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
}

func newLoader() *loader { return &loader{bar: NewJobBar()} }

// running reports whether a load has not ended yet.
func (l *loader) running() bool { return l.cancel != nil }

// start runs work with run. work reads in the background, may report its
// stage through busy, and returns what to apply to the screen; apply runs on
// the UI goroutine. A failure is passed to onError, unless the load was
// cancelled, whose error only says so.
func (l *loader) start(run Runner, title string, work func(ctx context.Context, busy func(stage string)) (apply func(), err error), onError func(error)) {
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
		apply, err := work(ctx, func(stage string) {
			fyne.Do(func() {
				if seq == l.seq {
					l.bar.Busy(stage)
				}
			})
		})
		fyne.Do(func() {
			if seq != l.seq {
				return // superseded: the newer load owns the bar and the screen
			}
			cancelled := stop.Err() != nil || parent.Err() != nil
			l.bar.Finish()
			l.cancel = nil
			cancel()
			switch {
			case cancelled:
			case err != nil:
				onError(err)
			default:
				apply()
			}
		})
	})
}

// loadClusters starts a load of the clusters src lists as spanning
// minArticles. build turns them, in the background, into what to apply on
// the UI goroutine; stage names that step on the bar. *onError is read only
// when a load fails, so a screen's OnError may be set after it is built.
func (l *loader) loadClusters(run Runner, src ClusterSource, minArticles int, stage string, build func([]data.Cluster) (apply func()), onError *func(error)) {
	l.start(run, "Loading clusters…", func(ctx context.Context, busy func(string)) (func(), error) {
		cs, err := src.Clusters(ctx, minArticles)
		if err != nil {
			return nil, err
		}
		busy(stage + " " + plural(len(cs), "cluster", "clusters") + "…")
		return build(cs), nil
	}, func(err error) {
		if *onError != nil {
			(*onError)(err)
		}
	})
}
