package propagate

import (
	"math"
	"slices"
)

// farSet holds, while choose walks the dated versions by start, the
// candidates published a week or more before the current one (far ones,
// see farLag) summed by wording. To the model such a candidate differs
// from another of the same wording only by its outlet's prior and its kind
// of date, so for each wording and each kind of version choosing (its
// outlet and kind of date: a combo) the set keeps the sum of the
// candidates' likelihoods and the likeliest of them. A version then weighs
// one entry per far wording instead of every far version: in a cluster of
// months of coverage nearly all its candidates are far, and their pairs
// grew with the square of the cluster (78 million per pass at 16,000
// articles).
//
// The choice of source is unchanged: the likeliest far candidate of a
// wording is the likeliest of its versions (the earliest listed of equal
// ones), and the confidences count every version. What the tree search
// sees of the far ones is the likeliest of each wording, so a cycle it
// must break is broken among fewer far alternatives.
type farSet struct {
	p   *prepared
	pri bool // a prior (and lag model) weighs the candidates
	// rows[t][f] is the prior of outlet f as outlet t's source; eRow its
	// exponential by t*k+f. lag and eLag are the lag term of a far
	// candidate by its kind of date and the choosing version's.
	rows [][]float64
	eRow []float64
	lag  [numTypes][numTypes]float64
	eLag [numTypes][numTypes]float64
	// combo numbers the combos in use among the versions that choose
	// (-1 for those not in use); combos lists them by number as
	// t*numTypes+kind.
	combo  []int
	combos []int
	// Per wording and combo (wording*len(combos)+combo): the sum of the
	// far candidates' exp(prior + lag), the best prior + lag, and the
	// candidate with it.
	w     []float64
	bestV []float64
	bestJ []int32
	// on marks the wordings with far candidates, active lists them.
	on       []bool
	active   []int32
	next     int // p.dated[:next] have joined
	sumsOnly bool
}

// exhaustive makes choose score every candidate one by one, far ones
// too: the tests check the sums against it.
var exhaustive = false

// newFarSet prepares the far candidates' sums for one pass; rows are the
// pass's priors (nil in the first pass, when only wording counts).
func (p *prepared) newFarSet(pr *prior, rows [][]float64, bufs *scratch) *farSet {
	k := len(p.outlets)
	f := &bufs.far
	*f = farSet{p: p, pri: pr != nil, rows: rows, combo: f.combo[:0], combos: f.combos[:0], eRow: f.eRow[:0],
		w: f.w[:0], bestV: f.bestV[:0], bestJ: f.bestJ[:0], on: f.on[:0], active: f.active[:0]}
	if f.pri {
		f.combo = slices.Grow(f.combo, numTypes*k)[:numTypes*k]
		for i := range f.combo {
			f.combo[i] = -1
		}
		for _, i := range p.childOrder {
			if p.classes[i] == 2 && p.spans[i].known {
				c := p.local[i]*numTypes + int(p.typ[i])
				if f.combo[c] < 0 {
					f.combo[c] = len(f.combos)
					f.combos = append(f.combos, c)
				}
			}
		}
		f.eRow = slices.Grow(f.eRow, k*k)[:k*k]
		for t := range rows {
			for o, v := range rows[t] {
				f.eRow[t*k+o] = math.Exp(v)
			}
		}
		for a := range f.lag {
			for b := range f.lag[a] {
				f.lag[a][b] = pr.lags.logPLag(typeWidth[a], typeWidth[b], int64(farLag), false)
				f.eLag[a][b] = math.Exp(f.lag[a][b])
			}
		}
	} else {
		f.combos = append(f.combos, 0)
	}
	size := len(p.nodes) * len(f.combos)
	f.w, f.bestV, f.bestJ = slices.Grow(f.w, size)[:size], slices.Grow(f.bestV, size)[:size], slices.Grow(f.bestJ, size)[:size]
	f.on = slices.Grow(f.on, len(p.nodes))[:len(p.nodes)]
	clear(f.bestV)
	f.reset()
	return f
}

func (f *farSet) reset() {
	clear(f.w)
	for i := range f.bestJ {
		f.bestJ[i] = -1
	}
	clear(f.on)
	f.active, f.next = f.active[:0], 0
}

// comboOf is the number of version i's combo.
func (f *farSet) comboOf(i int) int {
	if !f.pri {
		return 0
	}
	return f.combo[f.p.local[i]*numTypes+int(f.p.typ[i])]
}

// advance adds the dated versions begun at or before lo and returns how
// many have joined: the far candidates of a version are p.dated[:n] and
// its near ones follow.
func (f *farSet) advance(lo int64) int {
	p := f.p
	for f.next < len(p.dated) && p.datedLo[f.next] <= lo {
		f.join(int(p.dated[f.next]))
		f.next++
	}
	return f.next
}

func (f *farSet) join(j int) {
	p := f.p
	nd := p.node[j]
	if !f.on[nd] {
		f.on[nd] = true
		f.active = append(f.active, int32(nd))
	}
	base := nd * len(f.combos)
	if !f.pri {
		f.w[base]++
		if f.bestJ[base] < 0 || int32(j) < f.bestJ[base] {
			f.bestJ[base] = int32(j)
		}
		return
	}
	k, o, kind := len(p.outlets), p.local[j], p.typ[j]
	for c, tk := range f.combos {
		t, ti := tk/numTypes, tk%numTypes
		x := base + c
		f.w[x] += f.eRow[t*k+o] * f.eLag[kind][ti]
		if f.sumsOnly {
			continue // only the sums are wanted
		}
		v := f.rows[t][o] + f.lag[kind][ti]
		if b := f.bestJ[x]; b < 0 || v > f.bestV[x] || v == f.bestV[x] && int32(j) < b {
			f.bestV[x], f.bestJ[x] = v, int32(j)
		}
	}
}

// candidates appends to dst version i's likeliest far candidate of each
// wording, and returns the sum of exp(score) over all its far candidates.
// (exp(-cost) runs out of range only past a cost of 700, a candidate
// whose share beside the best one, never far below the unseen source's
// few tens, is nil.)
func (f *farSet) candidates(i int, dst []cand) ([]cand, float64) {
	p, c, ni := f.p, f.comboOf(i), f.p.node[i]
	total := 0.0
	for _, nd := range f.active {
		x := int(nd)*len(f.combos) + c
		c := p.costExp(int(nd), ni)
		dst = append(dst, cand{int(f.bestJ[x]), -c.cost + f.bestV[x]})
		total += c.exp * f.w[x]
	}
	return dst, total
}

// same walks the versions again and gives each the sum of exp(score -
// top) over its far candidates of its source's wording.
func (f *farSet) same(parent []int, top []float64) []float64 {
	p := f.p
	out := make([]float64, len(parent))
	if exhaustive {
		return out
	}
	f.reset()
	f.sumsOnly = true
	for _, i := range p.childOrder {
		if i == p.rootVersion || p.classes[i] != 2 || !p.spans[i].known {
			continue
		}
		f.advance(p.spans[i].lo - int64(farLag))
		if j := parent[i]; j >= 0 && f.on[p.node[j]] {
			nd := p.node[j]
			out[i] = math.Exp(-p.cost(nd, p.node[i])-top[i]) * f.w[nd*len(f.combos)+f.comboOf(i)]
		}
	}
	return out
}

// far reports whether version j is a far candidate of version i.
func (p *prepared) far(j, i int) bool {
	return p.classes[j] == 2 && p.spans[j].known && p.typ[j] != typeOther &&
		p.classes[i] == 2 && p.spans[i].known && p.spans[j].lo <= p.spans[i].lo-int64(farLag)
}
