package app

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTighterGCSetsAndRestores: an analysis runs the collector to its
// budget, overlapping analyses share it, the last to end restores what
// was set before, and a GOGC or GOMEMLIMIT the user chose is left alone.
func TestTighterGCSetsAndRestores(t *testing.T) {
	gcPercent := func() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }
	memLimit := func() int64 { return debug.SetMemoryLimit(-1) }
	prevGC, prevLim := debug.SetGCPercent(77), debug.SetMemoryLimit(3<<30)
	t.Cleanup(func() { debug.SetGCPercent(prevGC); debug.SetMemoryLimit(prevLim) })

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	first := tighterGC()
	if gcPercent() != gcRatio || memLimit() < gcBudget {
		t.Fatalf("during an analysis: GOGC %d, limit %d; want %d and at least %d", gcPercent(), memLimit(), gcRatio, gcBudget)
	}
	second := tighterGC()
	first()
	if gcPercent() != gcRatio {
		t.Fatalf("one analysis ended, another running: GOGC %d, want %d", gcPercent(), gcRatio)
	}
	second()
	if gcPercent() != 77 || memLimit() != 3<<30 {
		t.Fatalf("after: GOGC %d, limit %d; want 77 and %d", gcPercent(), memLimit(), int64(3<<30))
	}

	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run("user set "+env, func(t *testing.T) {
			t.Setenv(env, "150")
			restore := tighterGC()
			defer restore()
			if gcPercent() != 77 || memLimit() != 3<<30 {
				t.Fatalf("with %s set: GOGC %d, limit %d; want them untouched", env, gcPercent(), memLimit())
			}
		})
	}
}

// TestWatchLiveHeapRaisesLimit: once the live heap outgrows the budget,
// the limit follows it at half again its size, so the collector does not
// run without end.
func TestWatchLiveHeapRaisesLimit(t *testing.T) {
	prevLim := debug.SetMemoryLimit(1 << 20)
	t.Cleanup(func() { debug.SetMemoryLimit(prevLim) })
	live := make([][]byte, 64)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { watchLiveHeap(stop, 1<<20); close(done) }()
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 64<<20 && time.Now().Before(deadline) {
		time.Sleep(gcWatch)
	}
	close(stop)
	<-done
	if got := debug.SetMemoryLimit(-1); got < 64<<20*3/2 {
		t.Fatalf("limit %d MiB with 64 MiB live; want at least 96 MiB", got>>20)
	}
	runtime.KeepAlive(live)
}

// TestTighterGCBudgetBeyondLive: the budget is the work's own, on top of
// what the process holds when it begins (the window's screens), so that
// a trace in a window does not collect at the ratio of 50 throughout.
func TestTighterGCBudgetBeyondLive(t *testing.T) {
	prevGC, prevLim := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(prevGC); debug.SetMemoryLimit(prevLim) })
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	held := make([][]byte, 256)
	for i := range held {
		held[i] = make([]byte, 1<<20)
	}
	runtime.GC()
	restore := tighterGC()
	limit := debug.SetMemoryLimit(-1)
	restore()
	if limit < gcBudget+256<<20 {
		t.Fatalf("limit %d MiB with 256 MiB held; want the budget of %d MiB beyond it", limit>>20, gcBudget>>20)
	}
	runtime.KeepAlive(held)
}
