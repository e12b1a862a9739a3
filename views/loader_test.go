package views

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parallax-research/parallax/data"
)

// reloadWait reloads a screen with a runner that, like the app's, works on
// goroutines of its own, and waits for the load to land.
func reloadWait(reload func(), bg *Runner) {
	var wg sync.WaitGroup
	*bg = func(work func(context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(context.Background())
		}()
	}
	reload()
	wg.Wait()
	// Later loads (a filter changed, a tab shown) run on the caller's
	// goroutine: the test driver's fyne.Do applies a load on the goroutine
	// that finished it, so one left running on its own would race with the
	// test.
	*bg = func(work func(context.Context)) { work(context.Background()) }
}

// gatedSource answers each ClusterRows call with what the store held when
// the call came, but only once the test opens the call's gate. The rest of
// what a screen reads (search text, reference texts, a cluster's members)
// goes straight to the store.
type gatedSource struct {
	ClusterSource
	calls chan *gatedCall
}

type gatedCall struct {
	ctx  context.Context
	open chan struct{}
	// fail makes the call end as a real store's does when its context is
	// cancelled; otherwise it returns its rows regardless, the worst a
	// slow store can do.
	fail bool
}

func newGatedSource(store ClusterSource) *gatedSource {
	return &gatedSource{ClusterSource: store, calls: make(chan *gatedCall, 8)}
}

func (g *gatedSource) ClusterRows(ctx context.Context, minArticles int) (data.ClusterList, error) {
	rows, err := g.ClusterSource.ClusterRows(context.Background(), minArticles)
	call := &gatedCall{ctx: ctx, open: make(chan struct{})}
	g.calls <- call
	select {
	case <-call.open:
	case <-time.After(10 * time.Second):
		// a Reload that waits for its load on the UI goroutine ends here
		return data.ClusterList{}, errors.New("gated source: the gate was never opened")
	}
	if call.fail {
		return data.ClusterList{}, ctx.Err()
	}
	return rows, err
}

// next is the next call that reached the source.
func (g *gatedSource) next(t *testing.T) *gatedCall {
	t.Helper()
	select {
	case c := <-g.calls:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no load reached the source")
		return nil
	}
}

// cancelled waits for the call's context to be cancelled.
func (c *gatedCall) cancelled(t *testing.T) {
	t.Helper()
	select {
	case <-c.ctx.Done():
	case <-time.After(10 * time.Second):
		t.Error("the load's context was not cancelled")
	}
}

// trackRunner runs each work on a goroutine of its own, as the app's runner
// does, and lets the test wait for any one of them. Its context ends when
// the test closes the project.
type trackRunner struct {
	project context.Context
	close   context.CancelFunc
	done    []chan struct{}
}

func newTrackRunner() *trackRunner {
	r := &trackRunner{}
	r.project, r.close = context.WithCancel(context.Background())
	return r
}

func (r *trackRunner) run(work func(context.Context)) {
	d := make(chan struct{})
	r.done = append(r.done, d)
	go func() {
		defer close(d)
		work(r.project)
	}()
}

// wait waits for the i-th work to return.
func (r *trackRunner) wait(t *testing.T, i int) {
	t.Helper()
	select {
	case <-r.done[i]:
	case <-time.After(10 * time.Second):
		t.Fatalf("load %d never ended", i)
	}
}

// loadingScreen is what these tests need of the compare and matrix screens.
type loadingScreen struct {
	reload func()
	ids    func() []int64 // the clusters listed, in order
	loads  *loader
}

// newLoadingScreens builds each screen over src in a window, loading with
// run. A load's error fails the test.
func newLoadingScreens(t *testing.T, src ClusterSource, run Runner) map[string]loadingScreen {
	t.Helper()
	onError := func(err error) { t.Errorf("load failed: %v", err) }
	c := NewCompare(src)
	c.Background, c.OnError = run, onError
	test.NewTempWindow(t, c.Content()).Resize(fyne.NewSize(1200, 700))
	m := NewMatrix(src)
	m.Background, m.OnError = run, onError
	test.NewTempWindow(t, m.Content()).Resize(fyne.NewSize(1200, 700))
	return map[string]loadingScreen{
		"compare": {c.Reload, c.ClusterIDs, c.loads},
		"matrix": {m.Reload, func() []int64 {
			var ids []int64
			for _, r := range m.rows {
				ids = append(ids, r.id)
			}
			slices.Sort(ids)
			return ids
		}, m.loads},
	}
}

// sortedIDsOf lists a screen's clusters by ID, for comparing loads whatever
// their order.
func sortedIDsOf(s loadingScreen) []int64 { return slices.Sorted(slices.Values(s.ids())) }

// gatedScreen builds the named screen over the fixture behind a gated
// source. With loaded, its first load has landed.
func gatedScreen(t *testing.T, name string, loaded bool) (*clusterFixture, *gatedSource, *trackRunner, loadingScreen) {
	t.Helper()
	f := newClusterFixture(t)
	test.NewTempApp(t)
	src, r := newGatedSource(f.store), newTrackRunner()
	s := newLoadingScreens(t, src, r.run)[name]
	if loaded {
		s.reload()
		close(src.next(t).open)
		r.wait(t, 0)
	}
	return f, src, r, s
}

func TestReloadRunsInBackground(t *testing.T) {
	for _, name := range []string{"compare", "matrix"} {
		t.Run(name, func(t *testing.T) {
			_, src, r, s := gatedScreen(t, name, false)

			// Reload returns while the store is still being read: the read
			// happens on another goroutine.
			s.reload()
			call := src.next(t)
			if !s.loads.bar.Running() || s.loads.bar.label.Text != "Loading clusters…" || len(s.ids()) != 0 {
				t.Errorf("while loading: bar shown %v, label %q, %d clusters listed", s.loads.bar.Running(), s.loads.bar.label.Text, len(s.ids()))
			}
			close(call.open)
			r.wait(t, 0)
			if got := len(s.ids()); got != 5 || s.loads.bar.Running() {
				t.Errorf("after the load: %d clusters listed, want 5; bar still shown %v", got, s.loads.bar.Running())
			}
		})
	}
}

func TestReloadSupersedes(t *testing.T) {
	for _, name := range []string{"compare", "matrix"} {
		for _, order := range []string{"newest lands first", "stale lands first"} {
			t.Run(name+"/"+order, func(t *testing.T) {
				f, src, r, s := gatedScreen(t, name, true)
				before := sortedIDsOf(s)

				cs := fixtureClusters(f.art)
				f.replace(t, cs[:2]) // clusters A and B
				s.reload()
				stale := src.next(t)
				f.replace(t, cs[:4]) // A to D
				newest := []int64{f.ids["A"], f.ids["B"], f.ids["C"], f.ids["D"]}
				s.reload()
				fresh := src.next(t)
				stale.cancelled(t)

				if order == "stale lands first" {
					close(stale.open)
					r.wait(t, 1)
					if got := sortedIDsOf(s); !slices.Equal(got, before) || !s.loads.bar.Running() {
						t.Errorf("after the superseded load ended: listed %v, want the earlier %v; bar shown %v", got, before, s.loads.bar.Running())
					}
				}
				close(fresh.open)
				r.wait(t, 2)
				if order == "newest lands first" {
					close(stale.open)
					r.wait(t, 1)
				}
				want := slices.Sorted(slices.Values(newest))
				if got := sortedIDsOf(s); !slices.Equal(got, want) || s.loads.bar.Running() {
					t.Errorf("after both loads: listed %v, want the newest %v; bar shown %v", got, want, s.loads.bar.Running())
				}
			})
		}
	}
}

func TestReloadCancel(t *testing.T) {
	for _, name := range []string{"compare", "matrix"} {
		t.Run(name, func(t *testing.T) {
			f, src, r, s := gatedScreen(t, name, true)
			before := s.ids()

			f.replace(t, fixtureClusters(f.art)[:2])
			s.reload()
			call := src.next(t)
			test.Tap(s.loads.bar.cancel)
			call.cancelled(t)
			call.fail = true // as the store does: the read ends with ctx's error, which is not reported
			close(call.open)
			r.wait(t, 1)
			if got := s.ids(); !slices.Equal(got, before) || s.loads.bar.Running() {
				t.Errorf("after Cancel: listed %v, want the old %v; bar shown %v", got, before, s.loads.bar.Running())
			}
		})
	}
}

func TestReloadDroppedWhenProjectCloses(t *testing.T) {
	_, src, r, s := gatedScreen(t, "compare", false)
	s.reload()
	call := src.next(t)
	r.close()
	call.cancelled(t)
	close(call.open) // the clusters come back all the same
	r.wait(t, 0)
	if got := s.ids(); len(got) != 0 {
		t.Errorf("a load of a closed project was shown: %v", got)
	}
}

func TestCompareSelectClusterWhileLoading(t *testing.T) {
	f := newClusterFixture(t)
	test.NewTempApp(t)
	src, r := newGatedSource(f.store), newTrackRunner()
	c := NewCompare(src)
	c.Background = r.run
	test.NewTempWindow(t, c.Content()).Resize(fyne.NewSize(1200, 700))
	// The matrix opens a cluster in the compare screen as it starts loading.
	c.Reload()
	c.SelectCluster(f.ids["D"])
	close(src.next(t).open)
	r.wait(t, 0)
	if cl, ok := c.Selected(); !ok || cl.ID != f.ids["D"] {
		t.Errorf("selected %d once loaded, want D (%d)", cl.ID, f.ids["D"])
	}
}

func TestWorkbenchLoadsWithItsRunner(t *testing.T) {
	f := newClusterFixture(t)
	wb, _ := newBench(t, f.store)
	r := newTrackRunner()
	wb.Background = r.run
	for i, tab := range []string{"Compare", "Matrix"} {
		wb.ShowTab(tab)
		if len(r.done) != i+1 {
			t.Fatalf("showing %s ran %d loads with the workbench's runner, want %d", tab, len(r.done), i+1)
		}
		r.wait(t, i)
	}
	if wb.Compare.Len() != 5 || wb.Matrix.Len() != 5 {
		t.Errorf("loaded %d clusters to compare, %d in the matrix; want 5", wb.Compare.Len(), wb.Matrix.Len())
	}
}
