package diffing

import (
	"context"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestClassifyEach: each sees every index in order, after it was
// classified, however the workers interleave; a cancelled context stops
// both and is reported.
func TestClassifyEach(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		var classified [200]atomic.Bool
		var seen []int
		err := classifyEach(context.Background(), len(classified), workers, func(i int) {
			if i%13 == 0 {
				time.Sleep(time.Millisecond) // later indexes finish first
			}
			classified[i].Store(true)
		}, func(i int) {
			if !classified[i].Load() {
				t.Errorf("workers %d: each(%d) before it was classified", workers, i)
			}
			seen = append(seen, i)
		})
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int, len(classified))
		for i := range want {
			want[i] = i
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("workers %d: each saw %v", workers, seen)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int32
	err := classifyEach(ctx, 1000, 2, func(i int) {
		if i == 10 {
			cancel()
		}
	}, func(int) { n.Add(1) })
	if err == nil || n.Load() >= 1000 {
		t.Fatalf("cancelled: err %v, each called %d times", err, n.Load())
	}
}

// TestAlignEach: with Each set, Align hands over every cluster, in order,
// exactly as it returns them without Each, and keeps none itself.
func TestAlignEach(t *testing.T) {
	units := generatedUnits(60, 6, 12, 30)
	want, err := Align(context.Background(), units, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []Cluster
	kept, err := Align(context.Background(), units, Options{Each: func(i int, c Cluster) {
		if i != len(got) {
			t.Errorf("Each(%d) after %d clusters", i, len(got))
		}
		got = append(got, c)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if kept != nil {
		t.Fatalf("Align kept %d clusters with Each set", len(kept))
	}
	if len(want) < 50 || !reflect.DeepEqual(got, want) {
		t.Fatalf("Each saw %d clusters, Align returns %d without it; equal: %v", len(got), len(want), reflect.DeepEqual(got, want))
	}
}
