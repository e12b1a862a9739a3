package data

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// manyOutlets is a propagation of n outlets, each taking from the next
// one, the first carrying most first.
func manyOutlets(n int) *Propagation {
	p := &Propagation{}
	for i := range n {
		name := fmt.Sprintf("Outlet %02d", i)
		p.Outlets = append(p.Outlets, OutletPropagation{Outlet: name, Clusters: 400 + i, First: 100 - 2*i, Sole: 90 - 2*i})
		if i > 0 {
			p.Edges = append(p.Edges, PickupEdge{From: fmt.Sprintf("Outlet %02d", i-1), To: name, Weight: 10 + i})
		}
	}
	return p
}

// TestPickupGraphLabels: the outlet graph never draws a name over another
// or past its edge, nor a circle over its neighbour's; the names left out
// are those of the outlets that came first least, and a picture with room
// for every name shows every one.
func TestPickupGraphLabels(t *testing.T) {
	for _, tc := range []struct {
		name     string
		outlets  int
		w, h     float64
		hideNone bool
	}{
		{"five outlets, a wide pane", 5, 900, 600, true},
		{"forty outlets, a pane", 40, 575, 450, false},
		{"forty outlets, the export", 40, 1200, 900, false},
		{"twelve outlets, a small pane", 12, 360, 280, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := LayoutPickupGraph(manyOutlets(tc.outlets), tc.w, tc.h, 1, nil)
			if len(l.Nodes) != tc.outlets {
				t.Fatalf("%d nodes, want %d: an outlet vanished", len(l.Nodes), tc.outlets)
			}
			type box struct{ x0, y0, x1, y1 float64 }
			var shown []box
			hiddenFirst, shownFirst := math.MaxInt, 0
			for _, n := range l.Nodes {
				if n.Hidden {
					hiddenFirst = min(hiddenFirst, n.First)
					continue
				}
				shownFirst = max(shownFirst, n.First)
				w, h := EstimateLabel(n.Shown(), false)
				b := box{n.LabelX, n.LabelY - 0.8*h, n.LabelX + w, n.LabelY + 0.2*h}
				switch n.Anchor {
				case "middle":
					b.x0, b.x1 = b.x0-w/2, b.x1-w/2
				case "end":
					b.x0, b.x1 = b.x0-w, b.x1-w
				}
				if b.x0 < 0 || b.x1 > tc.w || b.y0 < 0 || b.y1 > tc.h {
					t.Errorf("%s's name runs past the picture: %+v", n.Outlet, b)
				}
				for _, o := range shown {
					if b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 {
						t.Errorf("%s's name overlaps another", n.Outlet)
					}
				}
				for _, o := range l.Nodes {
					if o.Outlet != n.Outlet && b.x0 < o.X+o.R && o.X-o.R < b.x1 && b.y0 < o.Y+o.R && o.Y-o.R < b.y1 {
						t.Errorf("%s's name overlaps %s's circle", n.Outlet, o.Outlet)
					}
				}
				shown = append(shown, b)
			}
			cut := l.HiddenLabels()
			for _, n := range l.Nodes {
				if n.Shortened {
					cut++
				}
			}
			if tc.hideNone && cut > 0 {
				t.Errorf("%d labels cut or hidden with room for all", cut)
			} else if !tc.hideNone && cut == 0 {
				t.Errorf("no label cut or hidden: the case does not test the crowding")
			}
			if l.HiddenLabels() > 0 && len(shown) == 0 {
				t.Error("every name hidden")
			}
			if len(shown) > 0 && shownFirst < hiddenFirst && l.HiddenLabels() > 0 && l.Nodes[0].Hidden {
				t.Error("the outlet that came first most lost its name")
			}
			for i, a := range l.Nodes {
				b := l.Nodes[(i+1)%len(l.Nodes)]
				if d := math.Hypot(a.X-b.X, a.Y-b.Y); d < a.R+b.R {
					t.Errorf("%s's and %s's circles overlap (%.1f apart, radii %.1f and %.1f)", a.Outlet, b.Outlet, d, a.R, b.R)
				}
			}
			// A tap on a circle finds its outlet.
			for i, n := range l.Nodes {
				if got := l.NearestNode(n.X, n.Y, 3); got != i {
					t.Errorf("a tap on %s's circle finds node %d", n.Outlet, got)
				}
			}
		})
	}
}

// TestReadableMinWeight: the graph's threshold is the step that leaves
// the number of arrows nearest MaxArrows, whatever the edges weigh (months
// of coverage give edges of thousands of clusters) and never one that
// leaves none, and the selector offers the steps that leave an arrow.
func TestReadableMinWeight(t *testing.T) {
	edges := func(weights ...int) *Propagation {
		p := &Propagation{}
		for _, w := range weights {
			p.Edges = append(p.Edges, PickupEdge{Weight: w})
		}
		return p
	}
	many := func(n, w int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = w + i
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		p         *Propagation
		want      int
		wantSteps int // the last step offered
	}{
		{"none", edges(), 1, 1},
		{"a few", edges(1, 2, 7), 1, 5},
		{"sixty", edges(many(60, 1)...), 1, 50},
		{"sixty-one", edges(many(61, 1)...), 2, 50},
		{"thousands of clusters each", edges(many(300, 2500)...), 1, 2000},
		{"a few more than sixty, then one", edges(many(72, 129)...), 1, 200},
		{"a thousand light, a hundred heavy", edges(append(many(1000, 1), many(100, 3000)...)...), 2000, 2000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ReadableMinWeight(tc.p)
			if got != tc.want {
				t.Errorf("threshold %d, want %d", got, tc.want)
			}
			shown := 0
			for _, e := range tc.p.Edges {
				if e.Weight >= got {
					shown++
				}
			}
			if shown == 0 && len(tc.p.Edges) > 0 {
				t.Errorf("no arrow left at %d", got)
			}
			// No step leaves a number of arrows nearer the aim.
			for _, w := range WeightStepsFor(tc.p) {
				n := 0
				for _, e := range tc.p.Edges {
					if e.Weight >= w {
						n++
					}
				}
				if abs(n-MaxArrows) < abs(shown-MaxArrows) {
					t.Errorf("%d arrows at %d, %d at %d", shown, got, n, w)
				}
			}
			steps := WeightStepsFor(tc.p)
			if last := steps[len(steps)-1]; last != tc.wantSteps {
				t.Errorf("steps up to %d, want %d", last, tc.wantSteps)
			}
		})
	}
}

// TestAxisTicksApart: however narrow the axis, and wherever it starts,
// ticks stand at least a label's width (and the gap) apart, and there is
// at least one.
func TestAxisTicksApart(t *testing.T) {
	for _, lo := range []time.Time{time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2023, 1, 4, 13, 0, 0, 0, time.UTC),
		time.Date(2023, 5, 17, 9, 41, 0, 0, time.UTC)} {
		for _, length := range []time.Duration{5 * time.Hour, 98 * time.Hour, 9 * 24 * time.Hour, 27 * 24 * time.Hour, 350 * 24 * time.Hour, 1800 * 24 * time.Hour} {
			hi := lo.Add(length)
			for span := 140.0; span <= 2000; span += 7 {
				const w = 60
				ticks, _ := axisTicks(lo, hi, span, func(bool) float64 { return w })
				if len(ticks) == 0 {
					t.Errorf("%v from %v over %.0f px: no tick", length, lo, span)
				}
				for i, tk := range ticks {
					if tk.Before(lo) || tk.After(hi) {
						t.Errorf("%v from %v over %.0f px: tick %v outside", length, lo, span, tk)
					}
					if i == 0 {
						continue
					}
					if gap := span * float64(tk.Sub(ticks[i-1])) / float64(length); gap < w+tickGap {
						t.Errorf("%v from %v over %.0f px: ticks %v and %v %.0f px apart", length, lo, span, ticks[i-1], tk, gap)
					}
				}
			}
		}
	}
}

// TestAxisTicks: the tree's time axis is marked two to twelve times at
// round times, on the calendar for spans of months: a year of coverage is
// marked by months, not once at an arbitrary day.
func TestAxisTicks(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name   string
		lo, hi string
		first  string
	}{
		{"an afternoon", "2023-01-31T08:00:00Z", "2023-01-31T13:05:00Z", "2023-01-31T08:00:00Z"},
		{"a week", "2023-03-01T00:00:00Z", "2023-03-08T00:00:00Z", "2023-03-02T00:00:00Z"},
		{"a year of coverage", "2023-01-02T00:00:00Z", "2023-12-20T00:00:00Z", "2023-03-01T00:00:00Z"},
		{"two months", "2023-05-10T00:00:00Z", "2023-07-15T00:00:00Z", "2023-06-01T00:00:00Z"},
		{"five years", "2019-03-01T00:00:00Z", "2024-02-01T00:00:00Z", "2020-01-01T00:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := at(tc.lo), at(tc.hi)
			ticks, _ := axisTicks(lo, hi, 2000, func(bool) float64 { return 60 })
			if len(ticks) < 2 || len(ticks) > 12 {
				t.Fatalf("%d ticks: %v", len(ticks), ticks)
			}
			if !ticks[0].Equal(at(tc.first)) {
				t.Errorf("first tick %v, want %s", ticks[0], tc.first)
			}
			for i, tk := range ticks {
				if tk.Before(lo) || tk.After(hi) || i > 0 && !tk.After(ticks[i-1]) {
					t.Errorf("tick %v out of [%v, %v] or out of order", tk, lo, hi)
				}
			}
		})
	}
}

func TestLagText(t *testing.T) {
	for _, c := range []struct {
		lag, resolution time.Duration
		lags            int
		want            string
	}{
		{0, 0, 0, "—"},
		{30 * time.Second, time.Minute, 1, "under a minute"},
		{4*time.Hour + 5*time.Minute, time.Minute, 2, "4h5m"},
		{47 * time.Hour, time.Minute, 1, "47h0m"},
		{49 * time.Hour, time.Minute, 1, "2 days"},
		{466017 * time.Hour, time.Minute, 1, "19417 days"},
		{0, 24 * time.Hour, 3, "same day"},
		{24 * time.Hour, 24 * time.Hour, 1, "1 day"},
		{72 * time.Hour, 24 * time.Hour, 1, "3 days"},
	} {
		e := PickupEdge{MedianLag: c.lag, LagResolution: c.resolution, Lags: c.lags}
		if got := e.LagText(); got != c.want {
			t.Errorf("lag %v at %v: %q, want %q", c.lag, c.resolution, got, c.want)
		}
	}
}

// An edge's label in the pickup graph says how many of its pickups are a
// syndicated copy's.
func TestPickupGraphCopyLabel(t *testing.T) {
	p := manyOutlets(3)
	p.Edges[0].Pickups = []Pickup{{Cluster: 1, Copy: true}}
	p.Edges[0].Weight = 1
	l := LayoutPickupGraph(p, 800, 600, 1, func(label string, edge bool) (float64, float64) { return float64(7 * len(label)), 14 })
	found := false
	for _, e := range l.Edges {
		if e.Edge == 0 {
			found = true
			if e.Label != "1 (a copy)" {
				t.Errorf("edge 0's label %q, want %q", e.Label, "1 (a copy)")
			}
		} else if strings.Contains(e.Label, "cop") {
			t.Errorf("edge %d's label %q speaks of copies", e.Edge, e.Label)
		}
	}
	if !found {
		t.Fatal("edge 0 not laid out")
	}
}
