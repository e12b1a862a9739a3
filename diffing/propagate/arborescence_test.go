package propagate

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestArborescence compares the tree found with the best of every choice
// of one arc in per node that forms a tree, on small random graphs, some
// with cycles of heavy arcs.
func TestArborescence(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 400 {
		n := 2 + r.IntN(5)
		var arcs []arc
		for v := 1; v < n; v++ {
			arcs = append(arcs, arc{0, v, r.Float64() * 3}) // every node reachable
			for u := 1; u < n; u++ {
				if u != v && r.Float64() < 0.7 {
					arcs = append(arcs, arc{u, v, r.Float64() * 10})
				}
			}
		}
		got := arborescence(n, 0, arcs)
		gw, ok := treeWeight(n, 0, arcs, got)
		if !ok {
			t.Fatalf("trial %d: not a tree: %v", trial, got)
		}
		if want := bruteForce(n, 0, arcs); math.Abs(gw-want) > 1e-9 {
			t.Fatalf("trial %d: weight %.4f, the best tree weighs %.4f (%v)", trial, gw, want, arcs)
		}
	}
}

// treeWeight checks that choice (an arc per node, -1 for the root) is a
// tree rooted at root and returns its weight.
func treeWeight(n, root int, arcs []arc, choice []int) (float64, bool) {
	w := 0.0
	for v := range n {
		if v == root {
			if choice[v] != -1 {
				return 0, false
			}
			continue
		}
		if choice[v] < 0 || arcs[choice[v]].to != v {
			return 0, false
		}
		w += arcs[choice[v]].w
		// Following parents from v reaches the root within n steps.
		u, steps := v, 0
		for u != root {
			if steps > n {
				return 0, false
			}
			u = arcs[choice[u]].from
			steps++
		}
	}
	return w, true
}

func bruteForce(n, root int, arcs []arc) float64 {
	in := make([][]int, n)
	for i, a := range arcs {
		in[a.to] = append(in[a.to], i)
	}
	best := math.Inf(-1)
	choice := make([]int, n)
	var rec func(v int)
	rec = func(v int) {
		if v == n {
			if w, ok := treeWeight(n, root, arcs, choice); ok && w > best {
				best = w
			}
			return
		}
		if v == root {
			choice[v] = -1
			rec(v + 1)
			return
		}
		for _, i := range in[v] {
			choice[v] = i
			rec(v + 1)
		}
	}
	rec(0)
	return best
}

// TestBestCands: the k best candidates, best first, the earlier of equal
// scores first — what a stable sort by score would keep.
func TestBestCands(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		n, k := rng.IntN(40), 1+rng.IntN(20)
		cs := make([]cand, n)
		for i := range cs {
			cs[i] = cand{i, float64(rng.IntN(8))} // many ties
		}
		want := slices.Clone(cs)
		slices.SortStableFunc(want, func(a, b cand) int { return cmp.Compare(b.score, a.score) })
		want = want[:min(k, n)]
		if got := bestCands(nil, cs, k); !slices.Equal(got, want) {
			t.Fatalf("trial %d: %v, want %v", trial, got, want)
		}
	}
}
