package propagate

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// prior is the corpus's pickup counts from a pass: how often each outlet
// took its wording from each other, weighted by the confidence of each
// choice. Outlets are numbered by outletIDs; the unseen source is number
// len(outlets).
type prior struct {
	from map[uint64]float64 // from<<32 | to → weight
	in   []float64          // to → total
	n    float64            // outlets
	lags lagModel
	// dense is logP by from*outlets+to, worked out once when there are
	// not too many outlets (every cluster asks for its outlets' pairs in
	// every pass); nil otherwise.
	dense   []float64
	outlets int
}

// priorStrength is the Dirichlet smoothing of the prior, in pickups: an
// outlet's choices weigh against a uniform spread over the outlets as if
// it had made this many more.
const priorStrength = 2.0

func pairKey(from, to int32) uint64 { return uint64(uint32(from))<<32 | uint64(uint32(to)) }

// newPrior counts the pass's choices: each version's chosen source,
// weighted by its confidence. Counting only the choices, rather than every
// candidate's share as expectation maximisation would, sharpens the prior
// from pass to pass; with every candidate's share, a version that reads
// as the root spreads its weight between the root's outlet and an unseen
// source, which explain it almost equally well, and the passes drift
// towards unseen sources (in the simulations, 87% of sources recovered
// instead of 91% after three passes, and fewer with each pass).
func newPrior(prep []*prepared, graphs []Graph, outlets int) *prior {
	p := &prior{from: map[uint64]float64{}, in: make([]float64, outlets+1), n: float64(max(1, outlets))}
	unseen := int32(outlets)
	// Unlike the pickup graph and the lag model, the prior counts every
	// passage a copy took from its original: running another's article
	// is a habit of taking its wording, and it is that habit which keeps
	// the copy's passages with the original rather than with a third
	// outlet that has the same words. (Counted once, it let an outlet's
	// other habits take them; drawing a copy's versions to its text with
	// a fixed bonus instead lost to strong habits, beat another outlet's
	// exact words, and could not reach copies a week apart.)
	for k, g := range graphs {
		ids := prep[k].outlet
		for i, s := range g.Sources {
			if s.From < 0 && !s.Unseen {
				continue // the root
			}
			from := unseen
			if s.From >= 0 {
				from = ids[s.From]
			}
			p.from[pairKey(from, ids[i])] += s.Confidence
			p.in[ids[i]] += s.Confidence
		}
	}
	p.lags = fitLags(graphs)
	if (outlets+1)*outlets <= maxDensePrior {
		dense := make([]float64, (outlets+1)*outlets)
		for from := range outlets + 1 {
			for to := range outlets {
				dense[from*outlets+to] = p.logP(int32(from), int32(to))
			}
		}
		p.dense, p.outlets = dense, outlets
	}
	return p
}

// maxDensePrior bounds prior.dense: 32 MB, some 2,000 outlets.
const maxDensePrior = 1 << 22

// logP is the log-probability that outlet to takes its wording from
// outlet from.
func (p *prior) logP(from, to int32) float64 {
	if p.dense != nil {
		return p.dense[int(from)*p.outlets+int(to)]
	}
	w := p.from[pairKey(from, to)]
	return math.Log((w + priorStrength/p.n) / (p.in[to] + priorStrength))
}

// corpus gathers the pickup graph and the outlets' figures from the
// clusters' graphs.
func corpus(graphs []Graph) ([]Edge, []OutletStat) {
	edges := map[[2]string]*Edge{}
	stats := map[string]*OutletStat{}
	stat := func(o string) *OutletStat {
		s, ok := stats[o]
		if !ok {
			s = &OutletStat{Outlet: o}
			stats[o] = s
		}
		return s
	}
	var resolution = map[[2]string]time.Duration{}
	var lags = map[[2]string][]time.Duration{}
	// The pairs of outlets a graph has a pickup of other than a copy's (a
	// copy held there would take its place), listed only for the graphs
	// with a copy's pickup: most have none.
	others := map[int]map[[2]string]bool{}
	held := copiesHeld(graphs, pickedUp, func(k int, g Graph, i int) bool {
		pairs, listed := others[k]
		if !listed {
			pairs = map[[2]string]bool{}
			for j, src := range g.Sources {
				if _, isCopy := copyPickup(g, j); !isCopy && pickedUp(g, j) {
					pairs[[2]string{g.Versions[src.From].Outlet, g.Versions[j].Outlet}] = true
				}
			}
			others[k] = pairs
		}
		return !pairs[[2]string{g.Versions[g.Sources[i].From].Outlet, g.Versions[i].Outlet}]
	})
	for k, g := range graphs {
		carried := map[string]bool{}
		for i, v := range g.Versions {
			s := stat(v.Outlet)
			s.Versions++
			if !carried[v.Outlet] {
				carried[v.Outlet] = true
				s.Clusters++
			}
			if !v.Primary && !v.Pinned {
				s.Secondary++
				if src := g.Sources[i]; src.From >= 0 && g.Versions[src.From].Primary {
					s.FromPrimary++
				}
			}
		}
		firsts := firstCarriers(g.Versions)
		for _, o := range firsts {
			stat(o).First++
		}
		if len(firsts) == 1 {
			stat(firsts[0]).Sole++
		}
		// One pickup per cluster and pair of outlets, the likeliest; a
		// copy's only in the cluster that holds it (see copies).
		best := map[[2]string]Pickup{}
		res := map[[2]string]time.Duration{}
		for i, src := range g.Sources {
			if !pickedUp(g, i) {
				continue
			}
			if !held.counts(k, g, i) {
				continue
			}
			key := [2]string{g.Versions[src.From].Outlet, g.Versions[i].Outlet}
			if b, ok := best[key]; ok && b.Confidence >= src.Confidence {
				continue
			}
			_, copied := copyPickup(g, i)
			best[key] = Pickup{Cluster: g.Cluster, From: g.Versions[src.From].Article, To: g.Versions[i].Article,
				Confidence: src.Confidence, Shared: src.Shared, Lag: src.Lag, LagKnown: src.LagKnown, Copy: copied}
			res[key] = max(width(g.Versions[src.From].Time), width(g.Versions[i].Time))
		}
		for key, pk := range best {
			e, ok := edges[key]
			if !ok {
				e = &Edge{From: key[0], To: key[1]}
				edges[key] = e
			}
			e.Weight++
			e.Score += pk.Confidence
			e.Pickups = append(e.Pickups, pk)
			if pk.LagKnown {
				lags[key] = append(lags[key], pk.Lag)
				// The precision of the lags counted, not of a pickup
				// another of the cluster's took the place of.
				resolution[key] = max(resolution[key], res[key])
			}
		}
	}
	out := make([]Edge, 0, len(edges))
	for k, e := range edges {
		slices.SortFunc(e.Pickups, func(a, b Pickup) int {
			return cmp.Or(cmp.Compare(a.Cluster, b.Cluster), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
		})
		if ls := lags[k]; len(ls) > 0 {
			slices.Sort(ls)
			e.MedianLag = median(ls)
			e.Lags = len(ls)
			e.LagResolution = resolution[k]
		}
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(b.Score, a.Score), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	os := make([]OutletStat, 0, len(stats))
	for _, s := range stats {
		os = append(os, *s)
	}
	slices.SortFunc(os, func(a, b OutletStat) int {
		return cmp.Or(cmp.Compare(b.First, a.First), cmp.Compare(b.Clusters, a.Clusters), cmp.Compare(a.Outlet, b.Outlet))
	})
	return out, os
}

// copyOf is an article of a syndicated text taking from the text: the
// text's Copy and the article.
type copyOf [2]int64

// copies is, for each article of a syndicated text that a pass's graphs
// say took from another of that text, the one of those pickups that
// counts in a figure of the corpus: of those the figure would count (its
// keep), one where it has nothing else to count between the two outlets
// if there is one (see spare), then the likeliest, then the first in the
// graphs' order; as graph and version index. Every passage an outlet runs
// from another's article is a version taken from it: counted once per
// cluster, one syndicated article of 58 passages made an edge of 58
// clusters, outweighing any outlet that quoted another's words itself,
// and its one lag made 58 of the lag model's observations. Once per
// article that takes, not per pair of articles: a copy of a copy, whose
// passages may be taken from the copy or from the first article alike,
// is one event. Chosen among those the figure keeps, a copy is not lost
// where its likeliest pickup is one the figure passes over (the same
// words on the same day).
type copies map[copyOf][2]int

// copiesHeld is the copies of graphs; spare, if not nil, says whether
// graph k has no other pickup to count between the outlets of version
// i's pickup, where the copy's would take that pickup's place.
func copiesHeld(graphs []Graph, keep func(g Graph, i int) bool, spare func(k int, g Graph, i int) bool) copies {
	held := copies{}
	free := func(k int, g Graph, i int) bool { return spare == nil || spare(k, g, i) }
	for k, g := range graphs {
		for i, s := range g.Sources {
			key, ok := copyPickup(g, i)
			if !ok || !keep(g, i) {
				continue
			}
			h, seen := held[key]
			if !seen {
				held[key] = [2]int{k, i}
				continue
			}
			hg := graphs[h[0]]
			if f, hf := free(k, g, i), free(h[0], hg, h[1]); f != hf {
				if f {
					held[key] = [2]int{k, i}
				}
				continue
			}
			if s.Confidence > hg.Sources[h[1]].Confidence {
				held[key] = [2]int{k, i}
			}
		}
	}
	return held
}

// copyPickup is the article of a syndicated text that version i of g
// is, if it takes from another of that text.
func copyPickup(g Graph, i int) (copyOf, bool) {
	s := g.Sources[i]
	if s.From < 0 {
		return copyOf{}, false
	}
	a, b := &g.Versions[s.From], &g.Versions[i]
	if a.Copy == 0 || a.Copy != b.Copy || a.Article == b.Article {
		return copyOf{}, false
	}
	return copyOf{b.Copy, b.Article}, true
}

// counts reports whether the source of version i of graph k, the k-th of
// the graphs h was made from, counts in the figure: a pickup between two
// articles of one syndicated text only where h holds it.
func (h copies) counts(k int, g Graph, i int) bool {
	if len(h) == 0 {
		return true
	}
	key, ok := copyPickup(g, i)
	return !ok || h[key] == [2]int{k, i}
}

// pickedUp reports whether version i of g counts as a pickup in the
// graph of who takes whose wording: its source is another outlet's
// version, and not the same words not known to have come out first from
// a version the researcher did not name as the origin (nothing says who
// took them from whom: two outlets quoting one press statement on the
// same day; the tree still needs a parent, the graph does not count it).
func pickedUp(g Graph, i int) bool {
	src := g.Sources[i]
	if src.From < 0 {
		return false
	}
	sv, v := &g.Versions[src.From], &g.Versions[i]
	if sv.Outlet == v.Outlet {
		return false
	}
	return g.VariantOf[src.From] != g.VariantOf[i] || src.Order == Before || sv.Primary || sv.Pinned
}

func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func width(s Stamp) time.Duration { return s.Hi.Sub(s.Lo) }

// firstCarriers lists the outlets of the dated versions that no other
// version is known to precede, each once: the cluster's first carriers.
// Several outlets share the honour when their dates cannot be told apart.
func firstCarriers(vs []Version) []string {
	var out []string
	for i, v := range vs {
		if !v.Time.Known || slices.Contains(out, v.Outlet) {
			continue
		}
		first := true
		for j, w := range vs {
			if j != i && Order(w.Time, v.Time) == Before {
				first = false
				break
			}
		}
		if first {
			out = append(out, v.Outlet)
		}
	}
	return out
}
