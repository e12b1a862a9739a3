package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/parallax-research/parallax/app"
	"github.com/parallax-research/parallax/data"
)

func main() {
	s, err := data.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	f, _ := os.Create(os.Args[2])
	pprof.StartCPUProfile(f)
	t0 := time.Now()
	last := ""
	rep, err := app.RunAnalyze(context.Background(), s, func(stage string, done, total int) {
		if stage != last {
			fmt.Printf("%6.1fs %s\n", time.Since(t0).Seconds(), stage)
			last = stage
		}
	})
	pprof.StopCPUProfile()
	fmt.Println(rep, err, time.Since(t0))
	s.Close()
}
