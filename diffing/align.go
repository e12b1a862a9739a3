package diffing

import (
	"cmp"
	"context"
	"hash/maphash"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// Member is one unit of a cluster with its classification against the
// cluster's reference.
type Member struct {
	// Unit indexes the units slice given to Align.
	Unit      int
	Reference bool
	Relations []vocab.Relation
	// Diff is the word-level diff from the reference to this member; nil
	// for the reference itself.
	Diff []Edit
}

// Cluster is a group of units that are versions of the same utterance or
// finding.
type Cluster struct {
	Kind    vocab.UnitKind
	Status  vocab.Status
	Speaker string
	Members []Member
}

// Docs is the number of distinct articles in the cluster.
func (c Cluster) Docs(units []Unit) int {
	seen := map[int64]bool{}
	for _, m := range c.Members {
		seen[units[m.Unit].Doc] = true
	}
	return len(seen)
}

// Options tune Align.
type Options struct {
	// Pinned chooses the reference of a cluster: when it returns true for a
	// unit index, that unit is the reference of the cluster holding it.
	Pinned func(unit int) bool
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
	// Progress, if set, is called with the stage and fraction done.
	Progress func(stage string, done, total int)
}

// Candidate generation: each variant is linked only to variants sharing
// its rarer word shingles, and a shingle's posting list is read only up to
// postingCap entries. Cost therefore grows with the number of variants
// times their length, not with the square of the corpus: the first
// variants of a family act as hubs that later ones attach to.
const (
	shingleSize   = 3
	postingCap    = 48
	maxCandidates = 8
)

// variant is a distinct passage text (after normalisation); identical
// quotes in a hundred articles are compared once.
type variant struct {
	units    []int
	stems    []int32 // word stems as IDs, punctuation dropped
	shingles []uint64
	words    int
}

// Align groups units that are versions of the same utterance or finding and
// classifies every member against its cluster's reference. Only clusters
// of two or more units are returned, ordered by their first unit.
//
// Align stops soon after ctx is cancelled, between passages in each stage,
// and then returns no clusters and ctx.Err().
func Align(ctx context.Context, units []Unit, opt Options) ([]Cluster, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	vars, err := buildVariants(ctx, units, workers)
	if err != nil {
		return nil, err
	}
	progress("Indexing passages", 1, 3)
	edges, err := candidateEdges(ctx, vars, workers)
	if err != nil {
		return nil, err
	}
	progress("Matching passages", 2, 3)
	groups := components(len(vars), edges)

	var jobs [][]int // unit indexes per cluster
	for _, g := range groups {
		var us []int
		for _, v := range g {
			us = append(us, vars[v].units...)
		}
		if len(us) < 2 {
			continue
		}
		slices.Sort(us)
		jobs = append(jobs, us)
	}
	slices.SortFunc(jobs, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	clusters := make([]Cluster, len(jobs))
	err = parallel(ctx, len(jobs), workers, func(i int) {
		clusters[i] = classifyCluster(units, jobs[i], opt.Pinned)
	})
	if err != nil {
		return nil, err
	}
	progress("Classifying", 3, 3)
	return clusters, nil
}

// parallel runs fn(0..n-1) on up to workers goroutines. Once ctx is
// cancelled no further fn starts, and parallel returns ctx.Err() when the
// running ones are done: each fn is one passage or one cluster, so that is
// soon.
func parallel(ctx context.Context, n, workers int, fn func(i int)) error {
	if workers < 1 {
		workers = 1
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for range min(workers, max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n || ctx.Err() != nil {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

var shingleSeed = maphash.MakeSeed()

// buildVariants merges units with the same match stems into variants.
func buildVariants(ctx context.Context, units []Unit, workers int) ([]variant, error) {
	keys := make([]string, len(units))
	stems := make([][]string, len(units))
	err := parallel(ctx, len(units), workers, func(i int) {
		stems[i] = matchStems(units[i])
		keys[i] = strings.Join(stems[i], " ")
	})
	if err != nil {
		return nil, err
	}
	byKey := map[string]int{}
	var vars []variant
	dict := map[string]int32{}
	for i, k := range keys {
		if i%cancelCheck == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		v, ok := byKey[k]
		if !ok {
			v = len(vars)
			byKey[k] = v
			ids := make([]int32, len(stems[i]))
			for j, s := range stems[i] {
				id, ok := dict[s]
				if !ok {
					id = int32(len(dict))
					dict[s] = id
				}
				ids[j] = id
			}
			vars = append(vars, variant{stems: ids, words: len(ids)})
		}
		vars[v].units = append(vars[v].units, i)
	}
	err = parallel(ctx, len(vars), workers, func(i int) {
		vars[i].shingles = shingles(vars[i].stems)
	})
	return vars, err
}

// shingles hashes every run of shingleSize stems (or the whole passage
// when it is shorter), deduplicated.
func shingles(ids []int32) []uint64 {
	n := shingleSize
	if len(ids) < n {
		n = len(ids)
	}
	if n == 0 {
		return nil
	}
	var buf [4 * shingleSize]byte
	out := make([]uint64, 0, len(ids)-n+1)
	for i := 0; i+n <= len(ids); i++ {
		b := buf[:0]
		for _, id := range ids[i : i+n] {
			b = append(b, byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
		}
		out = append(out, maphash.Bytes(shingleSeed, b))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// The posting index is split into 1<<indexShardBits shards, and the
// serial loops of Align look at their context every cancelCheck passages:
// often enough that Cancel takes effect within milliseconds, rarely enough
// to cost nothing.
const (
	indexShardBits = 8
	indexShards    = 1 << indexShardBits
	cancelCheck    = 1024
)

type edge struct{ a, b int }

type posting struct {
	hash uint64
	v    int32
}

// candidateEdges proposes, for every variant, the few earlier or later
// variants sharing the most shingles with it, and keeps the pairs that pass
// verification.
func candidateEdges(ctx context.Context, vars []variant, workers int) ([]edge, error) {
	// The index is sharded by the hash's top bits so that it is sorted in
	// pieces, in parallel, and a cancellation need not wait for one sort
	// of every posting in the corpus.
	shards := make([][]posting, indexShards)
	for v := range vars {
		if v%cancelCheck == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, h := range vars[v].shingles {
			s := h >> (64 - indexShardBits)
			shards[s] = append(shards[s], posting{h, int32(v)})
		}
	}
	err := parallel(ctx, len(shards), workers, func(s int) {
		slices.SortFunc(shards[s], func(a, b posting) int {
			if c := cmp.Compare(a.hash, b.hash); c != 0 {
				return c
			}
			return cmp.Compare(a.v, b.v)
		})
	})
	if err != nil {
		return nil, err
	}
	lookup := func(h uint64) []posting {
		index := shards[h>>(64-indexShardBits)]
		i, _ := slices.BinarySearchFunc(index, h, func(p posting, h uint64) int { return cmp.Compare(p.hash, h) })
		j := i
		for j < len(index) && index[j].hash == h && j-i < postingCap {
			j++
		}
		return index[i:j]
	}
	perVar := make([][]edge, len(vars))
	err = parallel(ctx, len(vars), workers, func(v int) {
		counts := map[int32]int{}
		for _, h := range vars[v].shingles {
			for _, p := range lookup(h) {
				if int(p.v) != v {
					counts[p.v]++
				}
			}
		}
		// A short passage (a trimmed or elided quote) may share only one
		// shingle with its source; verification weeds out chance hits.
		need := 2
		if vars[v].words <= 8 {
			need = 1
		}
		type cand struct {
			v int32
			n int
		}
		var cands []cand
		for c, n := range counts {
			if n >= need || n >= len(vars[c].shingles) {
				cands = append(cands, cand{c, n})
			}
		}
		slices.SortFunc(cands, func(a, b cand) int {
			if c := cmp.Compare(b.n, a.n); c != 0 {
				return c
			}
			return cmp.Compare(a.v, b.v)
		})
		if len(cands) > maxCandidates {
			cands = cands[:maxCandidates]
		}
		for _, c := range cands {
			if similar(vars[v].stems, vars[c.v].stems) {
				perVar[v] = append(perVar[v], edge{v, int(c.v)})
			}
		}
	})
	if err != nil {
		return nil, err
	}
	var out []edge
	for _, es := range perVar {
		out = append(out, es...)
	}
	return out, nil
}

// similar verifies a candidate pair: the shorter passage must be almost
// wholly contained in the longer one (a fragment), or the two must share
// most of their words in order (an edited version).
func similar(a, b []int32) bool {
	l := LCSLen(a, b)
	short, long := min(len(a), len(b)), max(len(a), len(b))
	if short == 0 || l < minQuoteWords {
		return false
	}
	contain := float64(l) / float64(short)
	if contain >= 0.9 {
		return true
	}
	// Edited versions must share enough words, and a good part of the
	// longer passage, that a few common words ("improvements had been
	// slow") cannot join two different statements.
	return l >= 5 && contain >= 0.6 && float64(l)/float64(long) >= 0.5
}

// LCSLen is the length of the longest common subsequence of a and b, in
// O(len(a)·len(b)) time and O(min) memory: the verification step of
// alignment (see similar). Re-anchoring does not use it: data cannot import
// diffing, and counts the words a passage kept with go-diff instead.
func LCSLen[T comparable](a, b []T) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// components is union-find over the verified edges.
func components(n int, edges []edge) [][]int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		ra, rb := find(e.a), find(e.b)
		if ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	groups := map[int][]int{}
	for i := range n {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	out := make([][]int, 0, len(groups))
	for _, g := range groups {
		out = append(out, g)
	}
	return out
}
