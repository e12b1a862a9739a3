package diffing

import (
	"cmp"
	"context"
	"hash/maphash"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Member is one unit of a cluster with its classification against the
// cluster's reference.
type Member struct {
	// Unit indexes the units slice given to Align.
	Unit int
	// Spans, when set, are the part of the unit that is the member: one
	// sentence of a unit that runs several together (see segments). Nil
	// means the whole unit.
	Spans     []quote.Span
	Text      string // the part's text when Spans is set
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
	// GroupOnly skips classification: clusters list their members, one of
	// them the reference, without relations or diffs.
	GroupOnly bool
	// Diffs fills each member's Diff. An analysis that stores relations
	// and computes diffs when they are shown leaves it unset: most members
	// of a large corpus are verbatim or fragments, whose relations need
	// no diff.
	Diffs bool
	// Each, if set, is called with each classified cluster in order, from
	// one goroutine, while later clusters are still being classified: a
	// caller storing clusters writes them as they come. Align then keeps
	// none of them (a corpus's clusters are hundreds of megabytes) and
	// returns nil once Each has seen them all.
	Each func(i int, c Cluster)
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
	minPartners   = 3
)

// variant is a distinct passage (after normalisation); identical quotes in
// a hundred articles are compared once.
type variant struct {
	units    []int
	stems    []int32  // word stems as IDs, punctuation dropped
	shingles []uint64 // runs of shingleSize stems
	skips    []uint64 // pairs of nearby content words
	docs     int      // distinct articles carrying it
	quote    bool     // at least one of its units is a direct quote
	words    int      // word count of its first unit
	// segs are its first unit's sentences when it holds several.
	segs []segment
	// sentence: its first unit reads as a whole sentence (see isSentence).
	sentence bool
	glue     []int // see passage.glue
}

// Align groups units that are versions of the same utterance or finding and
// classifies every member against its cluster's reference. Only clusters
// of two or more units are returned, ordered by their first unit.
//
// A cluster is one utterance or finding, never a chain: it grows around a
// center, the variant carried by the most articles together with its
// verified neighbours, and every other member is verified against that
// center (see cohesive). A passage that would match two clusters (a
// fragment, or two sentences glued together by a missing full stop) joins
// one of them and never bridges them. The center is the cluster's reference
// unless the researcher pinned another member.
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
	ps, err := buildPassages(ctx, units, workers)
	if err != nil {
		return nil, err
	}
	vars, unitVar, content, err := buildVariants(ctx, units, ps, workers)
	if err != nil {
		return nil, err
	}
	progress("Indexing passages", 1, 3)
	adj, err := candidateEdges(ctx, vars, content, workers)
	if err != nil {
		return nil, err
	}
	// The shingles have done their work (the later stages read stems):
	// eight bytes for each of the corpus's tens of millions, freed before
	// the clusters are built and classified.
	for i := range vars {
		vars[i].shingles, vars[i].skips = nil, nil
	}
	progress("Matching passages", 2, 3)
	stars, err := starClusters(ctx, vars, adj, content, workers)
	if err != nil {
		return nil, err
	}
	attachStatementNeighbours(units, vars, unitVar, stars)

	var jobs []clusterJob
	for _, st := range stars {
		var us []int
		for _, v := range st.vars {
			us = append(us, vars[v].units...)
		}
		var parts []pendingPart
		for _, pt := range st.parts {
			for _, m := range vars[pt.v].units {
				parts = append(parts, pendingPart{unit: m, from: pt.from, to: pt.to})
			}
		}
		if len(us)+len(parts) < 2 || len(st.vars) == 0 {
			continue
		}
		slices.Sort(us)
		jobs = append(jobs, clusterJob{units: us, pending: parts, center: vars[st.vars[0]].units})
	}
	// Cutting a part out of its passage tokenizes the passage again: it
	// is done in parallel, and a part that cannot be cut is no member.
	err = parallel(ctx, len(jobs), workers, func(i int) {
		j := &jobs[i]
		// The units of one variant mostly share a text (an agency
		// sentence in twenty articles): each text is cut once.
		type cut struct {
			p        *passage
			from, to int
		}
		type piece struct {
			a, b int
			text string
			ok   bool
		}
		cuts := map[cut]piece{}
		for _, pt := range j.pending {
			u := units[pt.unit]
			if len(u.Spans) != 1 {
				continue
			}
			k := cut{ps.of(u), pt.from, pt.to}
			pc, seen := cuts[k]
			if !seen {
				pc.a, pc.b, pc.ok = narrow(k.p, pt.from, pt.to)
				if pc.ok {
					pc.text = string([]rune(u.Text)[pc.a:pc.b])
				}
				cuts[k] = pc
			}
			if pc.ok {
				base := u.Spans[0].Start
				j.parts = append(j.parts, partUnit{unit: pt.unit, spans: []quote.Span{{Start: base + pc.a, End: base + pc.b}}, text: pc.text})
			}
		}
		j.pending = nil
		j.first = j.units[0]
		if len(j.parts) > 0 {
			j.first = min(j.first, j.parts[0].unit)
		}
	})
	if err != nil {
		return nil, err
	}
	jobs = slices.DeleteFunc(jobs, func(j clusterJob) bool { return len(j.units)+len(j.parts) < 2 })
	slices.SortFunc(jobs, func(a, b clusterJob) int { return cmp.Compare(a.first, b.first) })
	clusters := make([]Cluster, len(jobs))
	if opt.GroupOnly {
		for i, j := range jobs {
			for _, u := range j.units {
				clusters[i].Members = append(clusters[i].Members, Member{Unit: u, Reference: u == j.center[0]})
			}
			for _, pt := range j.parts {
				clusters[i].Members = append(clusters[i].Members, Member{Unit: pt.unit, Spans: pt.spans, Text: pt.text})
			}
		}
		progress("Classifying", 3, 3)
		return clusters, nil
	}
	if opt.Each == nil {
		err = parallel(ctx, len(jobs), workers, func(i int) {
			clusters[i] = classifyCluster(units, ps, jobs[i], opt.Pinned, opt.Diffs)
		})
	} else {
		err = classifyEach(ctx, len(jobs), workers, func(i int) {
			clusters[i] = classifyCluster(units, ps, jobs[i], opt.Pinned, opt.Diffs)
			jobs[i] = clusterJob{}
		}, func(i int) {
			opt.Each(i, clusters[i])
			clusters[i] = Cluster{}
		})
	}
	if err != nil {
		return nil, err
	}
	if opt.Each != nil {
		clusters = nil
	}
	progress("Classifying", 3, 3)
	return clusters, nil
}

// classifyEach runs classify(i) for i in [0, n) on workers goroutines and
// calls each(i) in order of i, from one more goroutine, as soon as i and
// those before it are classified. The workers take indexes in order, so
// each rarely waits.
func classifyEach(ctx context.Context, n, workers int, classify, each func(i int)) error {
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
	}
	emitted := make(chan struct{})
	go func() {
		defer close(emitted)
		for i := range n {
			select {
			case <-done[i]:
				each(i)
			case <-ctx.Done():
				return
			}
		}
	}()
	err := parallel(ctx, n, workers, func(i int) {
		classify(i)
		close(done[i])
	})
	<-emitted
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// clusterJob is one cluster to classify: its units, in order, and the
// units of its center variant.
type clusterJob struct {
	units   []int
	parts   []partUnit
	pending []pendingPart // parts still to be cut out of their units
	center  []int
	first   int // the smallest unit index, for ordering
}

// pendingPart is a part before narrow has cut it: stems from to to of the
// unit's passage.
type pendingPart struct {
	unit, from, to int
}

// partUnit is a member that is one sentence of a unit.
type partUnit struct {
	unit  int
	spans []quote.Span
	text  string
}

// narrow finds the sentences (segments of passage p) holding stems from to
// to (exclusive), or for a passage of one sentence those words, and
// returns their rune range [a, b) in the passage's text.
func narrow(p *passage, from, to int) (a, b int, ok bool) {
	n := utf8.RuneCountInString(p.text)
	if len(p.segs) == 0 {
		a, b, ok = narrowWords(p, from, to)
	} else {
		first, last := -1, -1
		for i, sg := range p.segs {
			next := 1 << 30
			if i < len(p.segs)-1 {
				next = p.segs[i+1].stem
			}
			if sg.stem < to && from < next {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			return 0, 0, false
		}
		a, b, ok = p.segs[first].start, p.segs[last].end, true
	}
	if !ok || a < 0 || b > n || a >= b {
		return 0, 0, false
	}
	return a, b, true
}

// narrowWords finds the words that stems from to to (exclusive) come
// from, with the punctuation that closes them, as a rune range of the
// passage's text.
func narrowWords(p *passage, from, to int) (a, b int, ok bool) {
	d := p.detail()
	from, to = from+p.strip, to+p.strip
	if from < 0 || to > len(d.tokOf) || from >= to {
		return 0, 0, false
	}
	first, last := d.tokOf[from], d.tokOf[to-1]
	for last+1 < len(d.toks) && d.toks[last+1].Punct && d.toks[last+1].Start == d.toks[last].End {
		last++ // a closing full stop, comma or quotation mark
	}
	return d.toks[first].Start, d.toks[last].End, true
}

// classifyCluster picks the reference (a pinned member, else the center's
// first direct quote, else its first unit) and classifies every member.
func classifyCluster(units []Unit, ps passages, job clusterJob, pinned func(int) bool, withDiff bool) Cluster {
	ref := -1
	if pinned != nil {
		for _, m := range job.units {
			if pinned(m) {
				ref = m
				break
			}
		}
	}
	if ref < 0 {
		ref = job.center[0]
		for _, m := range job.center {
			if units[m].Kind == vocab.UnitQuote {
				ref = m
				break
			}
		}
	}
	c := Cluster{Kind: vocab.UnitQuote, Status: vocab.StatusAgree}
	refP := ps.of(units[ref]).detail()
	cache := map[*passage]classified{}
	for _, m := range job.units {
		u := units[m]
		if u.Kind != vocab.UnitQuote {
			c.Kind = vocab.UnitFinding
		}
		if m == ref {
			c.Members = append(c.Members, Member{Unit: m, Reference: true})
			continue
		}
		p := ps.of(u)
		cl, ok := cache[p]
		if !ok {
			cl = classifyPassages(refP, p, withDiff)
			cache[p] = cl
		}
		rels := slices.Clone(cl.rels)
		if misattributed(units[ref].Attribution, u.Attribution) {
			rels = append(rels, vocab.RelMisattributed)
		}
		for _, r := range rels {
			if !r.Faithful() {
				c.Status = vocab.StatusDiverge
			}
		}
		c.Members = append(c.Members, Member{Unit: m, Relations: rels, Diff: cl.diff})
	}
	partCache := map[passageKey]classified{}
	for _, pt := range job.parts {
		u := units[pt.unit]
		if u.Kind != vocab.UnitQuote {
			c.Kind = vocab.UnitFinding
		}
		k := passageKey{u.Kind, pt.text}
		cl, ok := partCache[k]
		if !ok {
			pd := newPassageDetailed(pt.text, u.Kind)
			cl = classifyDetailed(refP, pd.passage, pd, withDiff)
			partCache[k] = cl
		}
		rels := slices.Clone(cl.rels)
		if misattributed(units[ref].Attribution, u.Attribution) {
			rels = append(rels, vocab.RelMisattributed)
		}
		for _, r := range rels {
			if !r.Faithful() {
				c.Status = vocab.StatusDiverge
			}
		}
		c.Members = append(c.Members, Member{Unit: pt.unit, Spans: pt.spans, Text: pt.text, Relations: rels, Diff: cl.diff})
	}
	slices.SortStableFunc(c.Members, func(a, b Member) int { return cmp.Compare(a.Unit, b.Unit) })
	c.Speaker = clusterSpeaker(units, job.units, ref)
	return c
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

// buildPassages tokenizes each distinct unit text once.
func buildPassages(ctx context.Context, units []Unit, workers int) (passages, error) {
	ps := passages{}
	var todo []passageKey
	for i, u := range units {
		if i%cancelCheck == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		k := passageKey{u.Kind, u.Text}
		if _, ok := ps[k]; !ok {
			ps[k] = nil
			todo = append(todo, k)
		}
	}
	built := make([]*passage, len(todo))
	err := parallel(ctx, len(todo), workers, func(i int) {
		built[i] = newPassage(todo[i].text, todo[i].kind)
	})
	if err != nil {
		return nil, err
	}
	for i, k := range todo {
		ps[k] = built[i]
	}
	return ps, nil
}

// buildVariants merges units with the same match stems into variants, and
// returns each unit's variant.
func buildVariants(ctx context.Context, units []Unit, ps passages, workers int) (vars []variant, unitVar []int, content []bool, err error) {
	byKey := map[string]int{}
	unitVar = make([]int, len(units))
	dict := map[string]int32{}
	lastDoc := map[int]int64{}
	for i, u := range units {
		if i%cancelCheck == 0 && ctx.Err() != nil {
			return nil, nil, nil, ctx.Err()
		}
		p := ps.of(u)
		k := strings.Join(p.stems, " ")
		v, ok := byKey[k]
		if !ok {
			v = len(vars)
			byKey[k] = v
			ids := make([]int32, len(p.stems))
			for j, s := range p.stems {
				id, ok := dict[s]
				if !ok {
					id = int32(len(dict))
					dict[s] = id
				}
				ids[j] = id
			}
			vars = append(vars, variant{stems: ids, words: p.count, sentence: p.sentence, glue: p.glue})
			if len(u.Spans) == 1 {
				vars[v].segs = p.segs
			}
		}
		if d, seen := lastDoc[v]; !seen || d != u.Doc {
			// Units come article by article, so a new article shows as a
			// change of Doc.
			vars[v].docs++
			lastDoc[v] = u.Doc
		}
		if u.Kind == vocab.UnitQuote {
			vars[v].quote = true
		}
		vars[v].units = append(vars[v].units, i)
		unitVar[i] = v
	}
	for _, p := range ps {
		p.stems = nil // the variants hold them as IDs now
	}
	content = make([]bool, len(dict))
	for s, id := range dict {
		content[id] = !stopStems[s]
	}
	err = parallel(ctx, len(vars), workers, func(i int) {
		vars[i].shingles, vars[i].skips = shingles(vars[i].stems, content)
	})
	return vars, unitVar, content, err
}

// shingles hashes every run of shingleSize stems (or the whole passage
// when it is shorter), and every pair of content words at most two content
// words apart, deduplicated. The pairs survive the edits outlets make
// between content words ("the friendship we've built" / "the friendship we
// have built over the past year"), which break every run of three.
func shingles(ids []int32, content []bool) (runs, skips []uint64) {
	n := shingleSize
	if len(ids) < n {
		n = len(ids)
	}
	if n == 0 {
		return nil, nil
	}
	var buf [4*shingleSize + 1]byte
	out := make([]uint64, 0, len(ids))
	for i := 0; i+n <= len(ids); i++ {
		b := buf[:0]
		for _, id := range ids[i : i+n] {
			b = append(b, byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
		}
		out = append(out, maphash.Bytes(shingleSeed, b))
	}
	slices.Sort(out)
	runs = slices.Compact(out)
	out = nil
	var cw []int32
	for _, id := range ids {
		if content[id] {
			cw = append(cw, id)
		}
	}
	for i := range cw {
		for j := i + 1; j < len(cw) && j <= i+2; j++ {
			a, c := cw[i], cw[j]
			b := append(buf[:0], 0xff, byte(a), byte(a>>8), byte(a>>16), byte(a>>24), byte(c), byte(c>>8), byte(c>>16), byte(c>>24))
			out = append(out, maphash.Bytes(shingleSeed, b))
		}
	}
	slices.Sort(out)
	return runs, slices.Compact(out)
}

// The posting index is split into 1<<indexShardBits shards, and the
// serial loops of Align look at their context every cancelCheck passages:
// often enough that Cancel takes effect within milliseconds, rarely enough
// to cost nothing.
const (
	indexShardBits = 8
	indexShards    = 1 << indexShardBits
	cancelCheck    = 1024
	dirBits        = 12
)

// dirBucket is a hash's bucket in its shard's directory: the bits after
// the shard's.
func dirBucket(h uint64) int { return int(h >> (64 - indexShardBits - dirBits) & (1<<dirBits - 1)) }

type edge struct {
	a, b   int
	score  float64
	common int // words in common, in order
}

// nbr is a verified neighbour, the pair's similarity score and the number
// of words they have in common.
type nbr struct {
	v      int32
	score  float64
	common int
}

type posting struct {
	hash uint64
	v    int32
}

// candidateEdges proposes, for every variant, the few earlier or later
// variants sharing the most shingles with it, keeps the pairs that pass
// verification, and returns them as each variant's sorted neighbours.
func candidateEdges(ctx context.Context, vars []variant, content []bool, workers int) ([][]nbr, error) {
	// The index is sharded by the hash's top bits so that it is sorted in
	// pieces, in parallel, and a cancellation need not wait for one sort
	// of every posting in the corpus.
	shards := make([][]posting, indexShards)
	for v := range vars {
		if v%cancelCheck == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, hs := range [2][]uint64{vars[v].shingles, vars[v].skips} {
			for _, h := range hs {
				s := h >> (64 - indexShardBits)
				shards[s] = append(shards[s], posting{h, int32(v)})
			}
		}
	}
	// Each shard is sorted, then kept as its distinct hashes, where each
	// one's run of variants starts, and the variants, with a directory
	// from the next dirBits bits of a hash to its first distinct hash
	// there: a lookup reads one directory entry and about one hash, where
	// scanning the hashes of every posting to the run's end had been a
	// third of the matching time (months of coverage repeat most shingles
	// in dozens of variants).
	type shard struct {
		uniq  []uint64
		start []uint32 // len(uniq)+1: uniq[i]'s run is vs[start[i]:start[i+1]]
		vs    []int32
		dir   []uint32 // len 1<<dirBits + 1
	}
	idx := make([]shard, len(shards))
	err := parallel(ctx, len(shards), workers, func(s int) {
		ps := shards[s]
		slices.SortFunc(ps, func(a, b posting) int {
			if c := cmp.Compare(a.hash, b.hash); c != 0 {
				return c
			}
			return cmp.Compare(a.v, b.v)
		})
		sh := shard{vs: make([]int32, len(ps)), dir: make([]uint32, 1<<dirBits+1)}
		b := 0
		for i, p := range ps {
			sh.vs[i] = p.v
			if i > 0 && p.hash == ps[i-1].hash {
				continue
			}
			for k := dirBucket(p.hash); b <= k; b++ {
				sh.dir[b] = uint32(len(sh.uniq))
			}
			sh.uniq = append(sh.uniq, p.hash)
			sh.start = append(sh.start, uint32(i))
		}
		sh.start = append(sh.start, uint32(len(ps)))
		for ; b <= 1<<dirBits; b++ {
			sh.dir[b] = uint32(len(sh.uniq))
		}
		idx[s] = sh
		shards[s] = nil
	})
	if err != nil {
		return nil, err
	}
	lookup := func(h uint64) []int32 {
		sh := &idx[h>>(64-indexShardBits)]
		k := dirBucket(h)
		i, end := int(sh.dir[k]), int(sh.dir[k+1])
		for i < end && sh.uniq[i] < h {
			i++
		}
		if i == end || sh.uniq[i] != h {
			return nil
		}
		from, to := sh.start[i], sh.start[i+1]
		return sh.vs[from:min(to, from+postingCap)]
	}
	// Each worker counts shared shingles in a dense array over all
	// variants, clearing only what it touched: a map per variant was most
	// of the matching time.
	type counter struct {
		n       []uint16
		touched []int32
	}
	pool := sync.Pool{New: func() any { return &counter{n: make([]uint16, len(vars))} }}
	perVar := make([][]edge, len(vars))
	err = parallel(ctx, len(vars), workers, func(v int) {
		ct := pool.Get().(*counter)
		defer pool.Put(ct)
		count := func(hs []uint64) {
			for _, h := range hs {
				for _, u := range lookup(h) {
					if int(u) != v {
						if ct.n[u] == 0 {
							ct.touched = append(ct.touched, u)
						}
						if ct.n[u] < 0xffff {
							ct.n[u]++
						}
					}
				}
			}
		}
		// A short passage (a trimmed or elided quote) may share only one
		// shingle with its source; verification weeds out chance hits.
		need := 2
		if vars[v].words <= 8 {
			need = 1
		}
		// tried holds the candidates verified in the first round, so that
		// the second does not verify a failed pair again.
		var tried [maxCandidates]int32
		nTried := 0
		verify := func(all bool) {
			// The maxCandidates variants sharing the most shingles (ties
			// to the lower index), kept in order by insertion: most
			// variants touch hundreds, and sorting them all cost more
			// than the verification.
			var top [maxCandidates]struct {
				v int32
				n int
			}
			k := 0
			for _, c := range ct.touched {
				n := int(ct.n[c])
				ct.n[c] = 0
				if n < need {
					// Fewer shared than needed passes only when that is
					// all the candidate has; its variant is read only
					// then, since reading each touched one missed the
					// cache.
					total := len(vars[c].shingles)
					if all {
						total += len(vars[c].skips)
					}
					if n < total {
						continue
					}
				}
				if k == maxCandidates && (n < top[k-1].n || n == top[k-1].n && c > top[k-1].v) {
					continue
				}
				i := min(k, maxCandidates-1)
				for i > 0 && (top[i-1].n < n || top[i-1].n == n && top[i-1].v > c) {
					top[i] = top[i-1]
					i--
				}
				top[i].v, top[i].n = c, n
				k = min(k+1, maxCandidates)
			}
			ct.touched = ct.touched[:0]
			for _, c := range top[:k] {
				if slices.Contains(tried[:nTried], c.v) {
					continue
				}
				if !all {
					tried[nTried] = c.v
					nTried++
				}
				if sc, l, ok := similarityLCS(vars[v].stems, vars[c.v].stems, content, minContent(vars[v], vars[c.v])); ok {
					perVar[v] = append(perVar[v], edge{v, int(c.v), sc, l})
				}
			}
		}
		// Runs of words first; the content-word pairs, which survive edits
		// between the words, only for a passage that found few partners
		// that way: most passages of a family find their center by runs.
		count(vars[v].shingles)
		verify(false)
		if len(perVar[v]) < minPartners {
			count(vars[v].shingles)
			count(vars[v].skips)
			verify(true)
		}
	})
	if err != nil {
		return nil, err
	}
	adj := make([][]nbr, len(vars))
	for _, es := range perVar {
		for _, e := range es {
			adj[e.a] = append(adj[e.a], nbr{int32(e.b), e.score, e.common})
			adj[e.b] = append(adj[e.b], nbr{int32(e.a), e.score, e.common})
		}
	}
	for v := range adj {
		slices.SortFunc(adj[v], func(a, b nbr) int { return cmp.Compare(a.v, b.v) })
		adj[v] = slices.CompactFunc(adj[v], func(a, b nbr) bool { return a.v == b.v })
	}
	return adj, nil
}

// similar verifies a candidate pair: the shorter passage must be almost
// wholly contained in the longer one (a fragment), or the two must share
// most of their words in order (an edited version).
func similar(a, b []int32, content []bool, minContent int) bool {
	_, ok := similarity(a, b, content, minContent)
	return ok
}

// minContent is how many content words two variants must share: two, or
// one where both are direct quotes, since a short partial quote ("can be
// good") is evidence of its own that it quotes the sentence holding it.
func minContent(a, b variant) int {
	if a.quote && b.quote {
		return 1
	}
	return 2
}

// similarity is similar with a score for choosing among passing pairs: the
// share of both passages' words that they have in common, in order. Any
// match must share minContent content words: in a reporter's own words,
// "can be good" occurs in too many sentences to say which one it was cut
// from.
func similarity(a, b []int32, content []bool, minContent int) (float64, bool) {
	score, _, ok := similarityLCS(a, b, content, minContent)
	return score, ok
}

// similarityLCS is similarity with the length of the longest common
// subsequence it computed (0 when it rejected the pair before).
func similarityLCS(a, b []int32, content []bool, minContent int) (float64, int, bool) {
	short, long := min(len(a), len(b)), max(len(a), len(b))
	if short < minQuoteWords {
		return 0, 0, false
	}
	cc := commonContent(a, b, content) // cheaper than the LCS: reject first
	if cc < minContent {
		return 0, 0, false
	}
	l := lcsIDs(a, b)
	if l < minQuoteWords {
		return 0, l, false
	}
	score := 2 * float64(l) / float64(len(a)+len(b))
	contain := float64(l) / float64(short)
	if contain >= 0.9 {
		return score, l, true
	}
	// Edited versions must share enough words, and a good part of the
	// longer passage, that a few common words ("improvements had been
	// slow") cannot join two different statements.
	return score, l, l >= 5 && contain >= 0.6 && float64(l)/float64(long) >= 0.5
}

// commonContent counts the content words (see stopStems) the two passages
// share, each as often as both have it.
func commonContent(a, b []int32, content []bool) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b) <= 64 {
		// Most passages are sentences: mark used words in a bit set
		// rather than allocate a map.
		var used uint64
		n := 0
		for _, x := range a {
			if !content[x] {
				continue
			}
			for j, y := range b {
				if y == x && used&(1<<j) == 0 {
					used |= 1 << j
					n++
					break
				}
			}
		}
		return n
	}
	var counts map[int32]int
	for _, id := range a {
		if content[id] {
			if counts == nil {
				counts = make(map[int32]int, len(a))
			}
			counts[id]++
		}
	}
	n := 0
	for _, id := range b {
		if counts[id] > 0 {
			counts[id]--
			n++
		}
	}
	return n
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

// lcsIDs is LCSLen for stem IDs. When the shorter passage has at most 64
// words, as sentences do, it runs the bit-parallel algorithm (Allison and
// Dix; Hyyrö's form): one machine word holds a row of the table, and each
// word of the longer passage updates it in a few operations. Verification
// computes it for every candidate pair.
func lcsIDs(a, b []int32) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	m := len(a)
	if m == 0 {
		return 0
	}
	if m > 64 {
		return LCSLen(a, b)
	}
	// Where each ID occurs in a, as a bit mask: a small open-addressed
	// table on the stack, keys stored plus one so that zero is empty.
	const size = 128
	var keys [size]int32
	var masks [size]uint64
	slot := func(id int32) int {
		i := int(uint32(id)*0x9E3779B1>>25) & (size - 1)
		for keys[i] != 0 && keys[i] != id+1 {
			i = (i + 1) & (size - 1)
		}
		return i
	}
	for i, id := range a {
		k := slot(id)
		keys[k] = id + 1
		masks[k] |= 1 << i
	}
	v := ^uint64(0)
	for _, id := range b {
		k := slot(id)
		if keys[k] == 0 {
			continue // not in a: the row is unchanged
		}
		u := v & masks[k]
		v = (v + u) | (v - u)
	}
	low := ^uint64(0)
	if m < 64 {
		low = 1<<m - 1
	}
	return m - bits.OnesCount64(v&low)
}

// star is a cluster under construction: its center variant first, then
// the variants verified against it.
type star struct {
	vars  []int
	parts []part
}

// part links one sentence (or run of sentences) of a variant that holds
// several to a cluster: stems from to to (exclusive).
type part struct {
	v, from, to int
}

// starClusters builds cohesive clusters from the verified neighbour lists.
// Variants are visited from the most to the least supported (support: the
// articles carrying the variant and its neighbours); an unassigned variant
// joins the cluster of an assigned neighbour if it also verifies against
// that cluster's center, and otherwise becomes a center itself, taking its
// unassigned neighbours with it. Every member is therefore verified against
// its cluster's center, and a passage that matches two clusters joins one:
// union-find over all verified pairs instead chained months of coverage
// into one cluster of everything, each fragment bridging two sentences.
func starClusters(ctx context.Context, vars []variant, adj [][]nbr, content []bool, workers int) ([]star, error) {
	// A variant's support is the articles whose words it accounts for:
	// its own, and each neighbour's weighted by the share of the
	// neighbour's words it holds. The full sentence accounts for every
	// outlet's fragment of it, a fragment for a little of the sentence, so
	// the most complete version of a remark becomes its center even when
	// more outlets quote only a piece of it.
	//
	// A passage that ends with another whole sentence word for word, run
	// into words of its own with no mark between (a fragment that lost
	// its full stop), or that has sentence breaks the splitter missed, would,
	// as a center, gather the families of every sentence it holds. It is
	// composite: it comes last, joining a cluster or linking its sentences
	// to clusters, and never gathers a cluster itself. A fuller version of
	// a sentence is not composite: its extra words sit between or after
	// the shorter version's.
	//
	// Both are worked out for each variant on its own, on every core: the
	// greedy pass below is the aligner's one serial stage.
	support := make([]float64, len(vars))
	composite := make([]bool, len(vars))
	err := parallel(ctx, len(vars), workers, func(v int) {
		support[v] = float64(vars[v].docs)
		for _, u := range adj[v] {
			if n := len(vars[u.v].stems); n > 0 {
				support[v] += float64(vars[u.v].docs) * float64(u.common) / float64(n)
			}
		}
		if len(vars[v].segs) > 0 {
			composite[v] = true // sentence breaks the splitter missed
			return
		}
		for _, u := range adj[v] {
			n := len(vars[u.v].stems)
			if !vars[u.v].sentence || u.common != n || len(vars[v].stems) < n+4 {
				continue
			}
			// The sentence must close the passage, words before it: a
			// fragment without its full stop run into the next sentence.
			// Words after it extend the sentence ("…treachery: the
			// campaign of…", "…the ruling and we expect to win").
			if _, lo, hi := lcsWindow(vars[u.v].stems, vars[v].stems); hi-lo+1 == n && hi == len(vars[v].stems)-1 && slices.Contains(vars[v].glue, lo) {
				composite[v] = true
				return
			}
		}
	})
	if err != nil {
		return nil, err
	}
	order := make([]int, len(vars))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if composite[a] != composite[b] {
			if composite[b] {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(support[b], support[a]); c != 0 {
			return c
		}
		// A direct quote before a paraphrase, then the fuller version:
		// the reference should be the most complete form of the words.
		if vars[a].quote != vars[b].quote {
			if vars[a].quote {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(vars[b].words, vars[a].words); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	assign := make([]int32, len(vars))
	for i := range assign {
		assign[i] = -1
	}
	// linked marks variants whose sentences were linked to clusters one by
	// one: they are parts, never centers.
	linked := make([]bool, len(vars))
	var stars []star
	// linkPart links the sentences of v that align with cluster c's center,
	// when v holds several sentences and only some of them align.
	linkPart := func(v int, c int32) bool {
		if len(vars[v].segs) == 0 && !composite[v] || composite[stars[c].vars[0]] {
			return false
		}
		for _, pt := range stars[c].parts {
			if pt.v == v {
				return true
			}
		}
		center := vars[stars[c].vars[0]].stems
		_, lo, hi := lcsWindow(center, vars[v].stems)
		if lo < 0 {
			return false
		}
		// Whole sentences where the passage has sentence breaks; else,
		// for a composite run together without one, the aligned words.
		from, to := lo, hi+1
		if len(vars[v].segs) > 0 {
			from, to = segmentRange(vars[v].segs, len(vars[v].stems), lo, hi)
		}
		if from == 0 && to == len(vars[v].stems) {
			return false // the whole passage aligns: a member, not a part
		}
		if !similar(vars[v].stems[from:to], center, content, 2) {
			return false
		}
		stars[c].parts = append(stars[c].parts, part{v, from, to})
		linked[v] = true
		return true
	}
	for _, v := range order {
		if assign[v] >= 0 {
			continue
		}
		best, bestScore := int32(-1), 0.0
		for _, u := range adj[v] {
			c := assign[u.v]
			if c < 0 || c == best || composite[stars[c].vars[0]] {
				continue // a composite's own star takes nobody in
			}
			if linkPart(v, c) {
				continue
			}
			center := stars[c].vars[0]
			if sc, ok := similarity(vars[v].stems, vars[center].stems, content, minContent(vars[v], vars[center])); ok && sc > bestScore {
				best, bestScore = c, sc
			}
		}
		if linked[v] {
			continue
		}
		if best >= 0 {
			assign[v] = best
			stars[best].vars = append(stars[best].vars, v)
			continue
		}
		c := int32(len(stars))
		stars = append(stars, star{vars: []int{v}})
		assign[v] = c
		if composite[v] {
			continue
		}
		for _, u := range adj[v] {
			if assign[u.v] >= 0 || linkPart(int(u.v), c) || composite[u.v] {
				continue
			}
			assign[u.v] = c
			stars[c].vars = append(stars[c].vars, int(u.v))
		}
	}
	adoptFragments(vars, adj, content, stars, assign, composite)
	return stars, nil
}

// adoptFragments gives a cluster the fragments of its members that matched
// no center. "an act of previously unimaginable treachery" is cut from a
// member that the center rewords ("an act of unprecedented treachery");
// too little of the fragment survives the rewording to verify against
// the center, so the fragment would stand alone, though every word of it
// is in the cluster. A fragment left on its own joins the cluster of a
// neighbour that holds it whole when it also shares a run of words and two
// content words with the center: never a chain, since nothing joins
// through a fragment, and only a fragment no other article carries moves.
func adoptFragments(vars []variant, adj [][]nbr, content []bool, stars []star, assign []int32, composite []bool) {
	for si := range stars {
		st := &stars[si]
		if len(st.vars) != 1 || len(st.parts) > 0 {
			continue
		}
		v := st.vars[0]
		if vars[v].docs != 1 || composite[v] {
			continue
		}
		n := len(vars[v].stems)
		best, bestScore := int32(-1), 0.0
		for _, u := range adj[v] {
			c := assign[u.v]
			if c < 0 || int(c) == si || len(stars[c].vars) < 2 || composite[stars[c].vars[0]] {
				continue
			}
			if float64(u.common) < 0.9*float64(n) || len(vars[u.v].stems) <= n {
				continue // not a fragment of the neighbour
			}
			center := vars[stars[c].vars[0]].stems
			if commonContent(vars[v].stems, center, content) < 2 || lcsIDs(vars[v].stems, center) < minQuoteWords {
				continue
			}
			if u.score > bestScore {
				best, bestScore = c, u.score
			}
		}
		if best < 0 {
			continue
		}
		st.vars = nil
		assign[v] = best
		stars[best].vars = append(stars[best].vars, v)
	}
}

// lcsTables lends lcsWindow its table: the candidate check fills one for
// every pair of passages it compares, and allocating each anew was the
// analysis's second largest allocation.
var lcsTables = sync.Pool{New: func() any { return new([]int32) }}

// lcsWindow is LCSLen with the first and last index of b that a longest
// common subsequence matches (-1, -1 when there is none). Matches that
// stand apart, more than maxGap words from the rest, are left out of the
// window: a common word far from the aligned run ("President ... of the
// United States will visit the UK") is no part of it.
func lcsWindow(a, b []int32) (l, lo, hi int) {
	n, m := len(a), len(b)
	tp := lcsTables.Get().(*[]int32)
	defer lcsTables.Put(tp)
	if cap(*tp) < (n+1)*(m+1) {
		*tp = make([]int32, (n+1)*(m+1))
	}
	t := (*tp)[:(n+1)*(m+1)]
	// The loop below writes every cell but the last row and column, which
	// it reads as zero.
	clear(t[n*(m+1):])
	for i := range n {
		t[i*(m+1)+m] = 0
	}
	at := func(i, j int) int32 { return t[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			v := max(at(i+1, j), at(i, j+1))
			if a[i] == b[j] {
				v = max(v, at(i+1, j+1)+1)
			}
			t[i*(m+1)+j] = v
		}
	}
	var matched []int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j] && at(i, j) == at(i+1, j+1)+1:
			matched = append(matched, j)
			i++
			j++
		case at(i+1, j) >= at(i, j+1):
			i++
		default:
			j++
		}
	}
	if len(matched) == 0 {
		return 0, -1, -1
	}
	// The densest run of matches: split where two are more than maxGap
	// apart, keep the run with the most.
	const maxGap = 4
	bestFrom, bestN, from := 0, 0, 0
	for k := 1; k <= len(matched); k++ {
		if k == len(matched) || matched[k]-matched[k-1] > maxGap {
			if k-from > bestN {
				bestFrom, bestN = from, k-from
			}
			from = k
		}
	}
	return int(at(0, 0)), matched[bestFrom], matched[bestFrom+bestN-1]
}

// segmentRange widens the stem range lo..hi (inclusive) to whole segments
// and returns it as [from, to).
func segmentRange(segs []segment, stems, lo, hi int) (from, to int) {
	from, to = 0, stems
	for i, sg := range segs {
		end := stems
		if i+1 < len(segs) {
			end = segs[i+1].stem
		}
		if sg.stem <= lo && lo < end {
			from = sg.stem
		}
		if sg.stem <= hi && hi < end {
			to = end
		}
	}
	return from, to
}

// stopStems are the function words left out of the content-word shingles
// (as stems: see stem).
var stopStems = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the a an and or but nor of to in on at for with by from into onto over under about as than
		then so if that this these those there here it its be have do doe did done would could should might must shall
		not no he his him she her they their them you your me mine who whom whose which what when where why how
		also just very all any some such only own same other more most up out off again further once`) {
		m[stem(w)] = true
	}
	return m
}()

// attachStatementNeighbours aligns the sentences around a matched one. Two
// outlets quoting the same statement have their sentences in the same
// order; where one sentence is clustered, its neighbours in the two
// statements are versions of each other even when they are too short or
// too edited to be matched on their own ("We reject his message." / "We
// reject his visit."). A neighbour that no other article carries joins the
// cluster of its counterpart if it shares most of its words with that
// cluster's center (relaxedSimilar); a neighbour already clustered is left
// where it is, so this pass never merges clusters.
func attachStatementNeighbours(units []Unit, vars []variant, unitVar []int, stars []star) {
	starOf := make([]int, len(vars))
	for si, st := range stars {
		for _, v := range st.vars {
			starOf[v] = si
		}
	}
	lonely := func(v int) bool { return vars[v].docs == 1 && len(stars[starOf[v]].vars) == 1 }
	sameStatement := func(a, b int) bool {
		return b >= 0 && b < len(units) && units[a].Quote > 0 && units[b].Doc == units[a].Doc && units[b].Quote == units[a].Quote
	}
	// A few passes carry the alignment outwards, one sentence each.
	for range 3 {
		moved := false
		for si := range stars {
			st := &stars[si]
			if len(st.vars) == 0 || len(st.vars) == 1 && len(vars[st.vars[0]].units) < 2 {
				continue
			}
			r := vars[st.vars[0]].units[0]
			for _, v := range st.vars {
				for _, m := range vars[v].units {
					if units[m].Doc == units[r].Doc {
						continue
					}
					for _, dir := range [2]int{-1, 1} {
						rn, mn := r+dir, m+dir
						if !sameStatement(r, rn) || !sameStatement(m, mn) {
							continue
						}
						vr, vm := unitVar[rn], unitVar[mn]
						if starOf[vr] == starOf[vm] || !lonely(vm) {
							continue
						}
						target := starOf[vr]
						if !relaxedSimilar(vars[vm].stems, vars[stars[target].vars[0]].stems) {
							continue
						}
						stars[starOf[vm]].vars = nil
						stars[target].vars = append(stars[target].vars, vm)
						starOf[vm] = target
						moved = true
					}
				}
			}
		}
		if !moved {
			return
		}
	}
}

// relaxedSimilar verifies a pair whose context already says they are the
// same sentence: at least minQuoteWords words in common, in order, making
// most of both.
func relaxedSimilar(a, b []int32) bool {
	l := lcsIDs(a, b)
	short, long := min(len(a), len(b)), max(len(a), len(b))
	return short > 0 && l >= minQuoteWords && float64(l)/float64(short) >= 0.6 && float64(l)/float64(long) >= 0.5
}
