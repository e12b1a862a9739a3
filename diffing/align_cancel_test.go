package diffing

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// generatedUnits makes a corpus of passages from made-up words, so that
// alignment can be exercised at scale without the real articles: families
// of versions of one base passage of 25 to 45 words, edited the ways
// outlets edit quotes (cut to a fragment, words elided or replaced, a
// bracketed insertion), one version per article.
func generatedUnits(families, versions, minWords, maxWords int) []Unit {
	r := rand.New(rand.NewPCG(9, uint64(families)))
	syllables := []string{"ba", "ke", "lo", "mi", "nu", "ra", "si", "to", "ve", "zu", "dra", "pel"}
	word := func() string {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		return b.String()
	}
	var units []Unit
	for f := range families {
		base := make([]string, minWords+r.IntN(maxWords-minWords+1))
		for i := range base {
			base[i] = word()
		}
		speaker := fmt.Sprintf("Speaker %d", f)
		for v := range versions {
			w := append([]string(nil), base...)
			switch v % 5 {
			case 1: // a fragment
				a := r.IntN(len(w) / 3)
				w = w[a : a+len(w)/2]
			case 2: // elided
				a := 3 + r.IntN(len(w)-8)
				w = append(w[:a:a], append([]string{"..."}, w[a+2:]...)...)
			case 3: // reworded
				for range 1 + r.IntN(2) {
					w[r.IntN(len(w))] = word()
				}
			case 4: // an insertion
				a := r.IntN(len(w))
				w = append(w[:a:a], append([]string{"[" + word() + "]"}, w[a:]...)...)
			}
			text := strings.Join(w, " ") + "."
			units = append(units, Unit{
				Doc: int64(v), Kind: vocab.UnitQuote, Text: text,
				Spans:       []quote.Span{{Start: 0, End: len([]rune(text))}},
				Attribution: quote.Attribution{Speaker: speaker, Kind: quote.SpeakerPerson, Cue: "said", Confidence: 0.9},
			})
		}
	}
	return units
}

// TestAlignCancel cancels alignment while it matches passages and while it
// classifies clusters, and wants context.Canceled back promptly: Cancel in
// the window must stop the work, not merely discard its result.
func TestAlignCancel(t *testing.T) {
	t.Run("while matching", func(t *testing.T) {
		// Long passages make matching (LCS verification) the long stage:
		// about two seconds uncancelled on a two-core machine
		// (BenchmarkAlignGenerated), four times the bound below.
		units := generatedUnits(1000, 12, 120, 160)
		const promptly = 500 * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		var cancelled time.Time
		var stages []string
		progress := func(s string, _, _ int) {
			mu.Lock()
			defer mu.Unlock()
			stages = append(stages, s)
			if s == "Indexing passages" {
				// a little into matching, so that it is under way
				time.AfterFunc(20*time.Millisecond, func() {
					mu.Lock()
					cancelled = time.Now()
					mu.Unlock()
					cancel()
				})
			}
		}
		clusters, err := Align(ctx, units, Options{Progress: progress})
		returned := time.Now()
		mu.Lock()
		defer mu.Unlock()
		if !errors.Is(err, context.Canceled) || clusters != nil {
			t.Fatalf("Align = %d clusters, %v; want none and context.Canceled (stages %q)", len(clusters), err, stages)
		}
		if cancelled.IsZero() {
			t.Fatal("Align returned before it was cancelled")
		}
		wait := returned.Sub(cancelled)
		if wait > promptly {
			t.Errorf("Align returned %v after Cancel, want within %v", wait, promptly)
		}
		t.Logf("Align returned %v after Cancel", wait)
		if len(stages) != 1 {
			t.Errorf("stages reported %q, want matching stopped before it ended", stages)
		}
	})
	t.Run("while classifying", func(t *testing.T) {
		// Pinned is asked about the members of each cluster as it is
		// classified: cancelling from it stops classification mid-way,
		// and counting its calls shows how far it went on.
		const families, versions, workers, cancelAt = 300, 12, 2, 100
		units := generatedUnits(families, versions, 25, 45)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var calls atomic.Int64
		pinned := func(int) bool {
			if calls.Add(1) == cancelAt {
				cancel()
			}
			return false
		}
		clusters, err := Align(ctx, units, Options{Pinned: pinned, Workers: workers})
		if !errors.Is(err, context.Canceled) || clusters != nil {
			t.Fatalf("Align = %d clusters, %v; want none and context.Canceled", len(clusters), err)
		}
		// The clusters under way finish; no other starts.
		if n := calls.Load(); n > cancelAt+workers*versions {
			t.Errorf("Pinned asked %d times, want at most %d: classification went on after Cancel (uncancelled: %d)",
				n, cancelAt+workers*versions, len(units))
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Align(ctx, generatedUnits(10, 3, 25, 45), Options{}); !errors.Is(err, context.Canceled) {
			t.Fatalf("Align with a cancelled context = %v, want context.Canceled", err)
		}
	})
}
