package views

import (
	"context"
	"sync"
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
}
