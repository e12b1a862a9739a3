package propagate

// arc is a weighted directed edge of the candidate graph: from may be the
// source of to.
type arc struct {
	from, to int
	w        float64
}

// arborescence finds the spanning tree rooted at root, with every other
// node's parent an arc into it, whose total weight is greatest (Chu–Liu /
// Edmonds). It returns each node's chosen arc (an index into arcs), -1 for
// the root. Every node must be reachable from root through arcs. A tree
// has no cycle, so the sources it gives cannot form one, whatever the
// order of the dates.
//
// This is the plain O(V·E) form: each round takes every node's best arc
// in, and if those close a cycle, contracts it into one node whose arcs
// in are discounted by the arc they would replace, and solves the smaller
// graph. The candidate graphs here have a few dozen arcs per node.
func arborescence(n, root int, arcs []arc) []int {
	// Most candidate graphs close no cycle with each node's best arc in
	// (a version's candidates are mostly earlier ones): those arcs are
	// then the tree, and the rounds below, which copy every arc first (a
	// tenth of propagation's time at 16,000 articles), are not needed.
	best := bestArcs(n, root, len(arcs), func(i int) (int, int, float64) { a := arcs[i]; return a.from, a.to, a.w })
	if _, cycles := cyclesAmong(n, root, best, func(i int) int { return arcs[i].from }); cycles == 0 {
		return best
	}
	type edge struct {
		from, to int
		w        float64
		id       int // the arc of the original graph
	}
	es := make([]edge, len(arcs))
	for i, a := range arcs {
		es[i] = edge{a.from, a.to, a.w, i}
	}
	// Each round's choices and contractions, to expand afterwards.
	type round struct {
		n        int
		best     []int // per node, index into es of this round
		es       []edge
		comp     []int // node → node of the next round
		cycleOf  []int // node → its cycle's number, -1
		cycleNew []int // cycle number → node of the next round
	}
	var rounds []round
	for {
		best := bestArcs(n, root, len(es), func(i int) (int, int, float64) { e := es[i]; return e.from, e.to, e.w })
		cycleOf, cycles := cyclesAmong(n, root, best, func(i int) int { return es[i].from })
		r := round{n: n, best: best, es: es, cycleOf: cycleOf}
		if cycles == 0 {
			rounds = append(rounds, r)
			break
		}
		// Contract: each cycle becomes one node, the other nodes keep one
		// each.
		comp := make([]int, n)
		next := 0
		cycleNew := make([]int, cycles)
		for c := range cycleNew {
			cycleNew[c] = -1
		}
		for v := range n {
			if c := cycleOf[v]; c >= 0 {
				if cycleNew[c] < 0 {
					cycleNew[c] = next
					next++
				}
				comp[v] = cycleNew[c]
			} else {
				comp[v] = next
				next++
			}
		}
		nes := make([]edge, 0, len(es))
		for i, e := range es {
			cf, ct := comp[e.from], comp[e.to]
			if cf == ct {
				continue
			}
			w := e.w
			if cycleOf[e.to] >= 0 {
				w -= es[best[e.to]].w
			}
			nes = append(nes, edge{cf, ct, w, i})
		}
		r.comp, r.cycleNew = comp, cycleNew
		rounds = append(rounds, r)
		root = comp[root]
		n = next
		es = nes
	}
	// Expand from the last round back: the chosen arcs of a round are, in
	// the round before, arcs into the contracted nodes; each cycle keeps
	// its own arcs but the one its chosen arc in replaces.
	last := rounds[len(rounds)-1]
	chosen := make([]int, last.n) // per node, index into that round's es
	copy(chosen, last.best)
	for k := len(rounds) - 2; k >= 0; k-- {
		r := rounds[k]
		up := rounds[k+1].es
		cur := make([]int, r.n)
		for v := range cur {
			cur[v] = -1
		}
		// Arcs chosen above, mapped to this round's arcs.
		for _, i := range chosen {
			if i < 0 {
				continue
			}
			e := r.es[up[i].id]
			cur[e.to] = up[i].id
		}
		for v := range r.n {
			if cur[v] == -1 && r.cycleOf[v] >= 0 {
				cur[v] = r.best[v]
			}
		}
		chosen = cur
	}
	out := make([]int, len(chosen))
	for v, i := range chosen {
		out[v] = -1
		if i >= 0 {
			out[v] = rounds[0].es[i].id
		}
	}
	return out
}

// bestArcs is, for each of n nodes but root, the index of its heaviest arc
// in (the first of equals), -1 for none; arc gives arc i's ends and
// weight.
func bestArcs(n, root, arcs int, arc func(i int) (from, to int, w float64)) []int {
	best := make([]int, n)
	bestW := make([]float64, n)
	for v := range best {
		best[v] = -1
	}
	for i := range arcs {
		from, to, w := arc(i)
		if to == root || from == to {
			continue
		}
		if best[to] < 0 || w > bestW[to] {
			best[to], bestW[to] = i, w
		}
	}
	return best
}

// cyclesAmong numbers the cycles the chosen arcs best close (from gives an
// arc's tail): each node's cycle, -1 for none, and how many there are.
func cyclesAmong(n, root int, best []int, from func(i int) int) (cycleOf []int, cycles int) {
	cycleOf = make([]int, n)
	mark := make([]int, n)
	for v := range cycleOf {
		cycleOf[v], mark[v] = -1, -1
	}
	for v := range n {
		u := v
		for u != root && mark[u] == -1 && best[u] >= 0 {
			mark[u] = v
			u = from(best[u])
		}
		if u != root && mark[u] == v && best[u] >= 0 && cycleOf[u] == -1 {
			// u is on a cycle found from v
			for w := u; cycleOf[w] == -1; w = from(best[w]) {
				cycleOf[w] = cycles
			}
			cycles++
		}
	}
	return cycleOf, cycles
}
