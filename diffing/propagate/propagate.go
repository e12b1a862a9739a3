// Package propagate reads how the versions of a remark travelled: which
// outlet carried which wording first, which version each was most likely
// taken from, and, across a corpus, which outlets pick up whose wording.
//
// Its input is a cluster's versions (the text each article gives, the
// outlet, when it was published and how precisely that is known, whether
// the article is a primary source or the researcher's pinned reference);
// its output is, per cluster, a variant graph (each distinct wording a
// node with its most likely parent, a confidence and the evidence) and,
// across clusters, a pickup graph of outlets.
//
// The ideas come from three places. MemeTracker (Leskovec, Backstrom &
// Kleinberg, KDD 2009) links each variant of a phrase to the fuller or
// earlier variant it derives from, so that every variant has one root.
// passim (Smith et al.) gives each reused passage a source: the earlier
// passage it most likely came from. Stemmatology reads shared changes as
// common descent: two outlets that drop the same word from a report's
// sentence more likely copied one another, or a common wire, than each
// made that change alone; and a copy does not restore words its source
// had dropped.
//
// How a source is chosen: the versions are put in one order that never
// puts a version before one published strictly earlier (a topological
// order of the time spans; versions whose spans overlap, such as two of
// the same day without times, are ordered fullest first, and pinned and
// primary versions come first of all). Each version's candidates are the
// versions before it, so the graph cannot have a cycle. Each wording is
// described by its changes against the root (words dropped, words added,
// at a place in the root), and a candidate's cost is the number of
// editing events that turn its wording into the version's: new changes
// cost one event per run, changes the candidate made that the version
// lacks cost more (restoring dropped words most), so that shared changes
// draw a version to the candidate that made them. A small penalty marks
// candidates not known to be earlier, and from the second pass on, the
// corpus's pickup counts from the pass before act as a prior: among
// verbatim copies of one wording, the outlet a version's outlet usually
// takes from is the likelier source. The confidence of a choice is its
// share of the candidates' likelihood (a softmax of the scores), given
// the pickup habits the corpus shows: in a corpus of two articles it says
// little more than which text explains the other better.
//
// The package is pure Go over strings and times: no Fyne, no SQL, no
// knowledge of the project store.
package propagate

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Version is one article's version of a clustered passage.
type Version struct {
	// Article identifies the article; Outlet names the source the pickup
	// graph groups versions by (the caller decides how an article without
	// an outlet is named).
	Article int64
	Outlet  string
	Text    string
	Time    Stamp
	// Primary marks an article the researcher flagged as a primary source
	// (the report, the press release, the transcript); Pinned the
	// cluster's pinned reference. Either is the root of the cluster.
	Primary, Pinned bool
	// Copy names the syndicated text the version's article belongs to (an
	// article and the copies of it that other outlets ran), 0 for an
	// article that is no copy and has none. Between two articles of one
	// syndicated text a pickup is one event, however many passages they
	// share: the pickup graph and the lag model count it once (see
	// copies); and of candidates of a version's very words, its own
	// text's are preferred (see copySame).
	Copy int64
}

// Cluster is the versions of one passage.
type Cluster struct {
	ID       int64
	Versions []Version
}

// Stamp is when a version was published, as the span of time its date
// stands for: [Lo, Hi) is a whole day for a date without a time, a minute
// for a time to the minute. Known is false for an undated version.
type Stamp struct {
	Lo, Hi time.Time
	Known  bool
}

// Timed reports whether the stamp is finer than a day: a time of day.
func (s Stamp) Timed() bool { return s.Known && s.Hi.Sub(s.Lo) < 24*time.Hour }

// TimeOrder is how two versions stand in time, as far as their dates'
// precision tells.
type TimeOrder int

// Time orders. Same covers overlapping spans: items of one day without
// times are the same day, not ordered.
const (
	Unknown TimeOrder = iota
	Before
	Same
	After
)

// String names the order as the JSON and the screens write it.
func (o TimeOrder) String() string {
	switch o {
	case Before:
		return "before"
	case Same:
		return "same"
	case After:
		return "after"
	}
	return "unknown"
}

// Order compares a and b: Before when a's span ends before b's begins.
func Order(a, b Stamp) TimeOrder {
	switch {
	case !a.Known || !b.Known:
		return Unknown
	case !a.Hi.After(b.Lo):
		return Before
	case !b.Hi.After(a.Lo):
		return After
	}
	return Same
}

// Change is one edit of a wording against its cluster's root: root words
// dropped, words added, or both (words replaced). At is the root word it
// happens at (for an addition, the word it comes before).
type Change struct {
	At      int
	Dropped string
	Added   string
}

// Evidence says why a variant's parent was chosen.
type Evidence struct {
	// Contained is the share of the variant's words found, in order, in
	// the parent; Kept the share of the parent's words the variant keeps.
	Contained, Kept float64
	// Shared are the changes against the root the variant shares with its
	// parent; New the changes it makes itself; Reverted counts the
	// parent's changes it does not carry.
	Shared, New []Change
	Reverted    int
	// Unseen is set for a variant no version of the corpus explains
	// without undoing its changes: it most likely comes from a text the
	// corpus lacks (the wire's copy, the statement itself), and is a root
	// of its own.
	Unseen bool
	// Order is how the parent's carrier stands in time to the variant's
	// first carrier; Lag how long after it the variant appeared, when
	// both are dated to the day or finer (LagKnown; see lag).
	Order    TimeOrder
	Lag      time.Duration
	LagKnown bool
}

// Variant is a distinct wording of a cluster (versions differing only in
// quotation marks, case or punctuation are one variant).
type Variant struct {
	// Text is its first carrier's text.
	Text string
	// Carriers are the versions (indexes into the cluster's Versions) that
	// carry it, in the order the analysis placed them: the first is the
	// first carrier.
	Carriers []int
	// Parent is the variant it most likely derives from, -1 for the root
	// and for a variant from an unseen source (Evidence.Unseen);
	// Confidence the probability of that choice among the candidates.
	Parent     int
	Confidence float64
	Evidence   Evidence
}

// Source is where one version was most likely taken from.
type Source struct {
	// From is the version it was taken from, -1 for the root and for a
	// version taken from a text the corpus lacks (Unseen).
	From       int
	Unseen     bool
	Confidence float64
	Order      TimeOrder
	Lag        time.Duration
	LagKnown   bool
	// Shared are the changes against the root this version shares with
	// its source.
	Shared []Change
}

// Graph is a cluster's variant graph.
type Graph struct {
	Cluster  int64
	Versions []Version
	// Root is the root variant, -1 for a cluster without versions.
	Root     int
	Variants []Variant
	// VariantOf gives each version's variant; Sources each version's
	// source, in the order of Versions.
	VariantOf []int
	Sources   []Source
}

// Edge is a pickup of the corpus graph: From's wording taken by To.
type Edge struct {
	From, To string
	// Weight is the number of clusters in which a version of To most
	// likely derives from one of From, an article's syndicated copy
	// counting once however many passages it repeats (see copies); Score
	// sums those choices' confidences (a cluster counts its likeliest
	// pickup).
	Weight int
	Score  float64
	// Pickups are the evidence, one per cluster.
	Pickups []Pickup
	// MedianLag is the median of the pickups' lags where both versions
	// are dated to the day or finer (Lags counts them); LagResolution the
	// coarsest precision among those dates (a day, when one of them has
	// no time).
	MedianLag     time.Duration
	Lags          int
	LagResolution time.Duration
}

// Pickup is one cluster's evidence for an edge.
type Pickup struct {
	Cluster    int64
	From, To   int64 // articles
	Confidence float64
	Shared     []Change
	Lag        time.Duration
	LagKnown   bool
	// Copy says To's article is a syndicated copy of From's text (see
	// Version.Copy): the one pickup its copy counts, not a quote taken.
	Copy bool
}

// OutletStat is what the corpus says of one outlet.
type OutletStat struct {
	Outlet string
	// Clusters and Versions it carries.
	Clusters, Versions int
	// First counts the clusters it carried first: no other version is
	// known to be earlier (ties with other outlets included; Sole counts
	// the clusters where it alone was first).
	First, Sole int
	// FromPrimary counts its versions taken directly from a primary
	// source (of those that are not primary sources themselves:
	// Secondary).
	FromPrimary, Secondary int
}

// PrimaryShare is the share of the outlet's versions taken directly from
// a primary source.
func (s OutletStat) PrimaryShare() float64 {
	if s.Secondary == 0 {
		return 0
	}
	return float64(s.FromPrimary) / float64(s.Secondary)
}

// Result is a corpus's propagation.
type Result struct {
	Graphs  []Graph
	Edges   []Edge // heaviest first
	Outlets []OutletStat
}

// Options tune the analysis; the zero value is the default.
type Options struct {
	// Passes is how many times the sources are chosen: the first pass
	// without a prior, each later one with the pickup counts of the one
	// before. 0 means 3: with dates without times, the third pass still
	// recovers five points more of the simulations' true sources.
	Passes int
	// PriorWeight scales the prior's log-probability against the editing
	// cost; 0 means 1.
	PriorWeight float64
	// Progress, if set, is told how many of the passes' cluster choices
	// are done, of how many (every cluster once per pass), now and then
	// and at the end, rising; it is called from the goroutines that
	// choose, one call at a time.
	Progress func(done, total int)
}

// progressEvery is how many clusters' choices pass between two calls of
// Options.Progress.
const progressEvery = 256

func (o Options) passes() int {
	if o.Passes <= 0 {
		return 3
	}
	return o.Passes
}

func (o Options) priorWeight() float64 {
	if o.PriorWeight <= 0 {
		return 1
	}
	return o.PriorWeight
}

// Analyze builds each cluster's variant graph and the corpus's pickup
// graph. Clusters are read on every core.
func Analyze(clusters []Cluster, opt Options) Result { return builderOf(clusters).Analyze(opt) }

// builderOf is a Builder with clusters added.
func builderOf(clusters []Cluster) *Builder {
	b := NewBuilder()
	for _, c := range clusters {
		b.Add(c)
	}
	return b
}

// Builder takes a corpus's clusters one at a time and prepares each (its
// wordings and their changes) on every core as it arrives, so that a
// caller reading clusters from a store overlaps the reading with the
// preparing. Call Analyze, or Discard, once when all are added.
type Builder struct {
	ids  map[string]int32
	prep []*prepared
	work chan *prepared
	done sync.WaitGroup
}

// NewBuilder starts a Builder's preparing.
func NewBuilder() *Builder {
	b := &Builder{ids: map[string]int32{}, work: make(chan *prepared, 256)}
	for range runtime.GOMAXPROCS(0) {
		b.done.Go(func() {
			for p := range b.work {
				p.prepare()
			}
		})
	}
	return b
}

// Add adds a cluster; it is prepared in the background.
func (b *Builder) Add(c Cluster) {
	outlet := make([]int32, len(c.Versions))
	for k, v := range c.Versions {
		id, ok := b.ids[v.Outlet]
		if !ok {
			id = int32(len(b.ids))
			b.ids[v.Outlet] = id
		}
		outlet[k] = id
	}
	p := &prepared{c: c, outlet: outlet}
	b.prep = append(b.prep, p)
	b.work <- p
}

// finish waits for the clusters added to be prepared and returns them
// with the number of outlets.
func (b *Builder) finish() ([]*prepared, int) {
	close(b.work)
	b.done.Wait()
	return b.prep, len(b.ids)
}

// Discard stops the preparing, for a caller that gives up before
// Analyze.
func (b *Builder) Discard() { b.finish() }

// Analyze builds each added cluster's variant graph and the corpus's
// pickup graph, in the order the clusters were added.
func (b *Builder) Analyze(opt Options) Result {
	prep, outlets := b.finish()
	var pr *prior
	var res Result
	passes := opt.passes()
	total := passes * len(prep)
	var done atomic.Int64
	var told sync.Mutex
	last := -1
	tell := func(n int) {
		if opt.Progress == nil {
			return
		}
		told.Lock()
		defer told.Unlock()
		// Counts reach here out of order; only a rise is told.
		if n > last {
			last = n
			opt.Progress(n, total)
		}
	}
	for pass := range passes {
		graphs := make([]Graph, len(prep))
		final := pass == passes-1
		parallel(len(prep), func(i int) {
			graphs[i] = prep[i].choose(pr, opt.priorWeight(), outlets, final)
			if n := int(done.Add(1)); n%progressEvery == 0 {
				tell(n)
			}
		})
		res.Graphs = graphs
		if !final {
			pr = newPrior(prep, graphs, outlets)
		}
	}
	tell(total)
	res.Edges, res.Outlets = corpus(res.Graphs)
	return res
}

// prepareAll prepares clusters, returning them with the number of
// outlets.
func prepareAll(clusters []Cluster) ([]*prepared, int) { return builderOf(clusters).finish() }

// parallel calls work(0) … work(n-1) on every core.
func parallel(n int, work func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				work(i)
			}
		})
	}
	wg.Wait()
}
