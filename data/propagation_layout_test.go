package data

import (
	"fmt"
	"math"
	"testing"
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
			l := LayoutPickupGraph(manyOutlets(tc.outlets), tc.w, tc.h, 1)
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
				w, h := EstimateLabel(n.Label)
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
				shown = append(shown, b)
			}
			if hidden := l.HiddenLabels(); tc.hideNone && hidden > 0 {
				t.Errorf("%d names hidden with room for all", hidden)
			} else if !tc.hideNone && hidden == 0 {
				t.Errorf("no name hidden: the case does not test the crowding")
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
