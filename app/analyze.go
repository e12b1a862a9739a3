package app

import (
	"bytes"
	"cmp"
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// QuoteJSON is a `quotes --json` row.
// start/end span the whole quote; a quote split by its attribution lists
// each part in spans, and text joins the parts with a single space.
type QuoteJSON struct {
	Article    int64      `json:"article"`
	Outlet     string     `json:"outlet"`
	Speaker    string     `json:"speaker"`
	Kind       string     `json:"speaker_kind"`
	Role       string     `json:"role"`
	Cue        string     `json:"cue"`
	Via        string     `json:"via"`
	Confidence float64    `json:"confidence"`
	Text       string     `json:"text"`
	Start      int        `json:"start"`
	End        int        `json:"end"`
	Spans      []SpanJSON `json:"spans,omitempty"`
}

// AnalyzeReport says what an analysis run did.
type AnalyzeReport struct {
	Extracted int // articles (re-)extracted
	Cached    int // articles whose extraction was reused
	Units     int // passages in the project
	Clusters  int // clusters spanning two or more articles
	Largest   int // members of the largest cluster
	// Incremental is set when only the passages of new or changed
	// articles, and what they may match, were aligned; Aligned counts
	// the passages this run aligned.
	Incremental bool
	Aligned     int
}

// RunAnalyze extracts quotes and passages from the articles that need it,
// then aligns the passages and stores the clusters. Extraction is cached
// per article (and per analyser version), so analysing again after
// importing one article extracts only that one; alignment is redone in
// full only when the analyser changed or much of the project is new, and
// otherwise covers the new articles and the clusters they touch.
//
// Clusters imported from another tool (passim) are not replaced: RunAnalyze
// then fails with an *ImportedClustersError and changes nothing, and
// RunAnalyzeReplacing is what replaces them.
func RunAnalyze(ctx context.Context, store *data.Store, progress Progress) (AnalyzeReport, error) {
	return runAnalyze(ctx, store, progress, false)
}

// RunAnalyzeReplacing is RunAnalyze, replacing imported clusters too.
func RunAnalyzeReplacing(ctx context.Context, store *data.Store, progress Progress) (AnalyzeReport, error) {
	return runAnalyze(ctx, store, progress, true)
}

// While an analysis runs, the garbage collector works to a budget rather
// than to Go's fixed ratio: the analysis allocates about a hundred times
// the corpus's text in short-lived structures, and with Go's default
// (GOGC=100) the heap grew to twice what was live: 16,000 articles of
// months of coverage peaked at 966–992 MiB. A ratio of 50 kept them near
// 760 MiB but collected twice as often, a sixth of the analysis's CPU.
// Instead the heap may grow to three times what is live (gcRatio) within
// gcBudget (beyond what the process held when the work began), and past
// the budget to half again what is live, the ratio of
// 50, so that a corpus whose live data outgrows the budget is analysed as
// before instead of collecting without end. A watcher raises the limit as
// the live heap grows (the runtime's memory limit is fixed until set
// again).
const (
	gcRatio  = 200
	gcBudget = 640 << 20
	// gcWatch is how often the watcher reads the live heap.
	gcWatch = 50 * time.Millisecond
)

var gcTight struct {
	sync.Mutex
	n         int // analyses running
	prevGC    int // the settings to restore when the last ends
	prevLim   int64
	stopWatch chan struct{}
	watching  sync.WaitGroup
}

// tighterGC sets the analysis's collector budget until the function it
// returns is called, unless the user set GOGC or GOMEMLIMIT, whose choice
// stands. Analyses that overlap share the setting; the last to end
// restores it.
func tighterGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	gcTight.Lock()
	if gcTight.n == 0 {
		// The budget is the work's own, on top of what the process holds
		// already: in the window, whose screens hold a few hundred
		// megabytes at 16,000 articles, a budget counting them made a
		// trace collect at the ratio of 50 throughout, and take a fifth
		// longer (4.8-5.6 s against 3.7-4.3 s without the budget).
		budget := gcBudget + liveHeap()
		gcTight.prevGC = debug.SetGCPercent(gcRatio)
		gcTight.prevLim = debug.SetMemoryLimit(budget)
		gcTight.stopWatch = make(chan struct{})
		stop := gcTight.stopWatch
		gcTight.watching.Go(func() { watchLiveHeap(stop, budget) })
	}
	gcTight.n++
	gcTight.Unlock()
	return func() {
		gcTight.Lock()
		if gcTight.n--; gcTight.n == 0 {
			close(gcTight.stopWatch)
			gcTight.watching.Wait()
			debug.SetGCPercent(gcTight.prevGC)
			debug.SetMemoryLimit(gcTight.prevLim)
		}
		gcTight.Unlock()
	}
}

// liveHeap is the heap the last collection found live, 0 if the runtime
// does not say.
func liveHeap() int64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(sample[0].Value.Uint64())
}

// watchLiveHeap keeps the memory limit at budget or half again the live
// heap, whichever is larger, until stop is closed.
func watchLiveHeap(stop <-chan struct{}, budget int64) {
	tick := time.NewTicker(gcWatch)
	defer tick.Stop()
	limit := budget
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		live := liveHeap()
		if want := max(budget, live+live/2); want != limit {
			limit = want
			debug.SetMemoryLimit(limit)
		}
	}
}

// ImportedClustersError says that the project's clusters were imported
// from another tool, which the researcher may have run for hours on a
// whole corpus, and that analysing would replace them.
type ImportedClustersError struct {
	Origin data.ClusterOrigin
}

func (e *ImportedClustersError) Error() string {
	from := e.Origin.Tool
	if e.Origin.Source != "" {
		from += " output " + e.Origin.Source
	}
	if !e.Origin.Imported.IsZero() {
		from += ", imported " + e.Origin.Imported.Local().Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("the project's clusters come from %s; analysing would replace them with Parallax's own alignment", from)
}

func runAnalyze(ctx context.Context, store *data.Store, progress Progress, replace bool) (AnalyzeReport, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	defer tighterGC()()
	var rep AnalyzeReport
	origin, err := store.ClusterOrigin(ctx)
	if err != nil {
		return rep, err
	}
	if origin.IsImported() && !replace {
		ie := &ImportedClustersError{Origin: origin}
		return rep, &data.Error{Code: data.EConflict, Message: ie.Error(), Err: ie}
	}
	todo, err := store.ArticlesToAnalyze(ctx, diffing.Version)
	if err != nil {
		return rep, err
	}
	rows := make([]data.AnalysisRow, len(todo))
	// What was extracted is kept for the alignment that follows, which
	// would otherwise read it back from the cache it was just written to.
	fresh := make([][]diffing.Unit, len(todo))
	var done atomic.Int64
	var wg sync.WaitGroup
	next := atomic.Int64{}
	var firstErr error
	var errOnce sync.Once
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(todo) || ctx.Err() != nil {
					return
				}
				row, units, err := extract(todo[i])
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				rows[i], fresh[i] = row, units
				todo[i].Text = "" // held by nothing else from here
				if n := done.Add(1); n%32 == 0 || int(n) == len(todo) {
					progress("Extracting quotes and findings", int(n), len(todo))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if firstErr != nil {
		return rep, firstErr
	}
	defer store.Announce(ctx, "analysis")()
	if err := store.SaveAnalyses(ctx, rows); err != nil {
		return rep, err
	}
	rep.Extracted = len(todo)

	state, err := store.Alignment(ctx)
	if err != nil {
		return rep, err
	}
	rep.Cached = state.Analysed - len(todo)
	// Every analysed article was extracted now: the alignment reads the
	// units as extracted (both are in article order).
	var extracted *freshUnits
	if rep.Cached == 0 {
		extracted = &freshUnits{todo, fresh}
	}
	switch {
	case origin.IsImported():
		// Replacing another tool's clusters replaces them all.
		err = alignAll(ctx, store, progress, &rep, extracted)
	case state.Version == diffing.Version && len(state.Unaligned) == 0:
		// Nothing new since the last alignment.
	case state.Version == diffing.Version && 4*len(state.Unaligned) <= state.Analysed:
		err = alignIncremental(ctx, store, state.Unaligned, progress, &rep)
	default:
		err = alignAll(ctx, store, progress, &rep, extracted)
	}
	if err != nil {
		return rep, err
	}
	after, err := store.Alignment(ctx)
	if err != nil {
		return rep, err
	}
	rep.Units, rep.Clusters, rep.Largest = after.Passages, after.Clusters, after.Largest
	return rep, nil
}

// freshUnits are the units extracted from articles in this run, each
// article's in the order of the articles.
type freshUnits struct {
	articles []data.AnalysisInput
	units    [][]diffing.Unit
}

// alignAll aligns every analysed article's passages and replaces every
// cluster. fresh, when not nil, holds every analysed article's units.
func alignAll(ctx context.Context, store *data.Store, progress Progress, rep *AnalyzeReport, fresh *freshUnits) error {
	var units []diffing.Unit
	var outlets map[int64]string
	if fresh != nil {
		units, outlets = joinUnits(fresh.units, func(i int) (int64, string) {
			return fresh.articles[i].ArticleID, fresh.articles[i].Outlet
		})
	} else {
		all, err := store.Analyses(ctx)
		if err != nil {
			return err
		}
		if units, outlets, err = decodeUnits(all); err != nil {
			return err
		}
	}
	rep.Aligned = len(units)
	// Whole-article clusters come from the articles alone: read first,
	// they follow the alignment's clusters into the store.
	wholes, err := wholeArticleClusters(ctx, store)
	if err != nil {
		return err
	}
	// Each cluster is written as soon as it and those before it are
	// classified: SQLite's one writer works while the other cores classify
	// the next (at 16,000 articles the writing had taken a few seconds on
	// one core after the classifying). A failure on either side cancels
	// the other, and the transaction then commits nothing.
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	made := make(chan data.Cluster, 256)
	saved := make(chan struct{})
	var saveErr error
	// The writer starts with the first cluster, not before: its
	// transaction holds the project's write lock until it commits.
	startSaver := sync.OnceFunc(func() {
		go func() {
			defer close(saved)
			saveErr = store.SaveAlignment(actx, data.Alignment{Version: diffing.Version, Full: true,
				Stream: func(yield func(data.Cluster) bool) {
					for c := range made {
						if !yield(c) {
							return
						}
					}
				}})
			if saveErr != nil {
				cancel()
			}
		}()
	})
	send := func(c data.Cluster) {
		startSaver()
		select {
		case made <- c:
		case <-saved:
		}
	}
	_, err = alignUnits(actx, store, units, progress, func(_ int, c diffing.Cluster) {
		send(storedCluster(c, units, outlets))
	})
	if err != nil {
		cancel()
	} else {
		for _, w := range wholes {
			send(w)
		}
	}
	close(made)
	// Started if nothing was sent: a full alignment of nothing still clears
	// the old clusters, and a failed one rolls back.
	startSaver()
	<-saved
	if saveErr != nil && (err == nil || !errors.Is(saveErr, context.Canceled)) {
		return saveErr
	}
	return err
}

// alignIncremental adds the passages of the articles the clusters do not
// account for yet (new ones, changed ones, and those whose clusters were
// dropped) to the project's clusters without aligning everything again.
// The full-text index proposes candidate articles; a first alignment of
// the new passages with the candidates' passages shows which stored
// clusters each new passage may belong to; a new passage that verifies
// against such a cluster's reference, as Align verifies a member against
// its center, joins it, and the cluster's other members stay as they are.
// The new passages that join no cluster are aligned with each other and
// with the candidates' unclustered passages into new clusters. Adding ten
// articles to months of coverage so touches only the clusters they join.
func alignIncremental(ctx context.Context, store *data.Store, unaligned []int64, progress Progress, rep *AnalyzeReport) error {
	progress("Finding what the new articles may match", 0, 0)
	fresh, err := store.AnalysesOf(ctx, unaligned)
	if err != nil {
		return err
	}
	freshUnits, outlets, err := decodeUnits(fresh)
	if err != nil {
		return err
	}
	isFresh := map[int64]bool{}
	for _, id := range unaligned {
		isFresh[id] = true
	}
	var queries [][]string
	for _, u := range freshUnits {
		if ws := diffing.KeyWords(u, 3); len(ws) > 0 {
			queries = append(queries, ws)
		}
	}
	found, err := store.CandidateArticles(ctx, queries, 6)
	if err != nil {
		return err
	}
	found = slices.DeleteFunc(found, func(id int64) bool { return isFresh[id] })
	candRows, err := store.AnalysesOf(ctx, found)
	if err != nil {
		return err
	}
	candUnits, candOutlets, err := decodeUnits(candRows)
	if err != nil {
		return err
	}
	maps.Copy(outlets, candOutlets)
	rep.Aligned, rep.Incremental = len(freshUnits), true

	// Which stored clusters each new passage may belong to: those holding
	// a candidate passage it aligns with.
	ranges := make([]data.MemberRef, len(candUnits))
	for i, u := range candUnits {
		o := u.Outer()
		ranges[i] = data.MemberRef{Article: u.Doc, Start: o.Start, End: o.End}
	}
	overlapping, err := store.MembersOverlapping(ctx, ranges)
	if err != nil {
		return err
	}
	stored := map[int64][]data.MemberRef{} // by article
	for _, m := range overlapping {
		stored[m.Article] = append(stored[m.Article], m)
	}
	clustersOf := func(u diffing.Unit) []int64 {
		o := u.Outer()
		var ids []int64
		for _, m := range stored[u.Doc] {
			if m.Start < o.End && o.Start < m.End && !slices.Contains(ids, m.Cluster) {
				ids = append(ids, m.Cluster)
			}
		}
		return ids
	}
	probe := append(slices.Clone(freshUnits), candUnits...)
	matched, err := diffing.Align(ctx, probe, diffing.Options{GroupOnly: true})
	if err != nil {
		return err
	}
	maybe := make([][]int64, len(freshUnits)) // by fresh unit
	for _, c := range matched {
		var ids []int64
		for _, m := range c.Members {
			if m.Unit >= len(freshUnits) {
				for _, id := range clustersOf(probe[m.Unit]) {
					if !slices.Contains(ids, id) {
						ids = append(ids, id)
					}
				}
			}
		}
		for _, m := range c.Members {
			if m.Unit < len(freshUnits) {
				maybe[m.Unit] = ids
			}
		}
	}

	// Each candidate cluster's reference, as a unit, to verify against.
	var want []int64
	for _, ids := range maybe {
		want = append(want, ids...)
	}
	slices.Sort(want)
	refs, err := referenceUnits(ctx, store, slices.Compact(want))
	if err != nil {
		return err
	}
	var joins []data.Joining
	var rest []diffing.Unit
	for i, u := range freshUnits {
		joined := false
		for _, id := range maybe[i] {
			ref, ok := refs[id]
			if !ok {
				continue
			}
			if rels, ok := diffing.Joins(ref, u); ok {
				joins = append(joins, data.Joining{Cluster: id, Member: storedMember(u, outlets[u.Doc], rels)})
				joined = true
				break
			}
		}
		if !joined {
			rest = append(rest, u)
		}
	}
	// The rest align with each other and with the candidates' passages
	// that no cluster holds.
	for _, u := range candUnits {
		if len(clustersOf(u)) == 0 {
			rest = append(rest, u)
		}
	}
	slices.SortStableFunc(rest, func(a, b diffing.Unit) int { return cmp.Compare(a.Doc, b.Doc) })
	clusters, err := alignUnits(ctx, store, rest, progress, nil)
	if err != nil {
		return err
	}
	// Whole-article clusters of copies are few: redone every time.
	wholes, err := wholeArticleClusters(ctx, store)
	if err != nil {
		return err
	}
	replace, err := store.ClusterIDsOfKind(ctx, vocab.UnitArticle)
	if err != nil {
		return err
	}
	return store.SaveAlignment(ctx, data.Alignment{Version: diffing.Version, Aligned: unaligned, Join: joins, Replace: replace,
		Clusters: append(storedClusters(clusters, rest, outlets), wholes...)})
}

// referenceUnits reads the reference of each cluster as the unit its
// article's extraction holds, its range narrowed to the member's where
// the member is one sentence of the unit.
func referenceUnits(ctx context.Context, store *data.Store, clusters []int64) (map[int64]diffing.Unit, error) {
	members, err := store.MembersOf(ctx, clusters)
	if err != nil {
		return nil, err
	}
	refs := map[int64]data.MemberRef{}
	var articles []int64
	for _, m := range members {
		if m.Reference {
			refs[m.Cluster] = m
			articles = append(articles, m.Article)
		}
	}
	slices.Sort(articles)
	rows, err := store.AnalysesOf(ctx, slices.Compact(articles))
	if err != nil {
		return nil, err
	}
	texts := map[int64][]rune{}
	for _, r := range rows {
		texts[r.ArticleID] = []rune(r.Text)
	}
	units, _, err := decodeUnits(rows)
	if err != nil {
		return nil, err
	}
	byDoc := map[int64][]diffing.Unit{}
	for _, u := range units {
		byDoc[u.Doc] = append(byDoc[u.Doc], u)
	}
	out := map[int64]diffing.Unit{}
	for id, m := range refs {
		for _, u := range byDoc[m.Article] {
			o := u.Outer()
			if m.Start < o.Start || m.End > o.End {
				continue
			}
			if m.Start != o.Start || m.End != o.End {
				// One sentence of the unit.
				rs := texts[m.Article]
				u.Spans = []quote.Span{{Start: m.Start, End: m.End}}
				u.Text = string(rs[m.Start:m.End])
			}
			out[id] = u
			break
		}
	}
	return out, nil
}

// storedMember is a unit as the store keeps a member.
func storedMember(u diffing.Unit, outlet string, rels []vocab.Relation) data.ClusterMember {
	o := u.Outer()
	m := data.ClusterMember{ArticleID: u.Doc, Outlet: outlet, Kind: u.Kind, Start: o.Start, End: o.End, Text: u.Text,
		Statement: u.Quote, Speaker: u.Attribution.Speaker, Relations: rels}
	for _, s := range u.Spans {
		m.Spans = append(m.Spans, [2]int{s.Start, s.End})
	}
	return m
}

// decodeUnits reads the passages of cached analyses, in article order,
// and each article's outlet.
func decodeUnits(rows []data.AnalysisRow) ([]diffing.Unit, map[int64]string, error) {
	// Each row decodes on its own (JSON, runes): on every core, then
	// joined in the rows' order.
	per := make([][]diffing.Unit, len(rows))
	errs := make([]error, len(rows))
	forEach(context.Background(), len(rows), func(i int) { _, per[i], errs[i] = decodeAnalysis(rows[i]) })
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	for i := range rows {
		rows[i].Text = "" // the units hold what alignment needs of it
	}
	units, outlets := joinUnits(per, func(i int) (int64, string) { return rows[i].ArticleID, rows[i].Outlet })
	return units, outlets, nil
}

// joinUnits joins articles' units in their order, with each article's
// outlet by its ID (article gives the ith's).
func joinUnits(per [][]diffing.Unit, article func(i int) (int64, string)) ([]diffing.Unit, map[int64]string) {
	n := 0
	for _, us := range per {
		n += len(us)
	}
	units := make([]diffing.Unit, 0, n)
	outlets := make(map[int64]string, len(per))
	for i, us := range per {
		units = append(units, us...)
		id, outlet := article(i)
		outlets[id] = outlet
	}
	return units, outlets
}

// pinnedSet reads the researcher's reference pins by article and range.
func pinnedSet(ctx context.Context, store *data.Store) (map[[3]int64]bool, error) {
	pins, err := store.Pins(ctx)
	if err != nil {
		return nil, err
	}
	pinned := map[[3]int64]bool{}
	for _, p := range pins {
		pinned[[3]int64{p.ArticleID, int64(p.Start), int64(p.End)}] = true
	}
	return pinned, nil
}

// alignUnits runs the aligner with the researcher's reference pins.
// each, if not nil, sees each cluster as it is classified
// (diffing.Options.Each).
func alignUnits(ctx context.Context, store *data.Store, units []diffing.Unit, progress Progress, each func(int, diffing.Cluster)) ([]diffing.Cluster, error) {
	pinned, err := pinnedSet(ctx, store)
	if err != nil {
		return nil, err
	}
	return diffing.Align(ctx, units, diffing.Options{
		Pinned: func(i int) bool {
			o := units[i].Outer()
			return pinned[[3]int64{units[i].Doc, int64(o.Start), int64(o.End)}]
		},
		Progress: progress,
		Each:     each,
	})
}

// storedClusters turns the aligner's clusters into the store's, on every
// core.
func storedClusters(clusters []diffing.Cluster, units []diffing.Unit, outlets map[int64]string) []data.Cluster {
	stored := make([]data.Cluster, len(clusters))
	forEach(context.Background(), len(clusters), func(i int) { stored[i] = storedCluster(clusters[i], units, outlets) })
	return stored
}

// storedCluster turns one of the aligner's clusters into the store's.
func storedCluster(c diffing.Cluster, units []diffing.Unit, outlets map[int64]string) data.Cluster {
	dc := data.Cluster{Kind: c.Kind, Status: c.Status, Speaker: c.Speaker, Articles: c.Docs(units),
		Members: make([]data.ClusterMember, 0, len(c.Members))}
	for _, m := range c.Members {
		u := units[m.Unit]
		if m.Spans != nil {
			// One sentence of a unit that ran several together.
			u.Spans, u.Text = m.Spans, m.Text
		}
		dm := storedMember(u, outlets[u.Doc], m.Relations)
		dm.Reference = m.Reference
		dc.Members = append(dc.Members, dm)
	}
	return dc
}

// The analysis cache keeps offsets and attributions, not text: a unit's
// text is read back from its article, and a quote unit's attribution from
// its quote, so the cache is a small fraction of the articles it indexes.
type cachedAnalysis struct {
	Quotes []cachedQuote `json:"q"`
	Units  []cachedUnit  `json:"u"`
}

type cachedQuote struct {
	Spans       [][2]int          `json:"s"`
	Attribution quote.Attribution `json:"a"`
}

type cachedUnit struct {
	Kind  vocab.UnitKind `json:"k"`
	Spans [][2]int       `json:"s"`
	Quote int            `json:"q,omitempty"` // diffing.Unit.Quote
}

func spanPairs(spans []quote.Span) [][2]int {
	out := make([][2]int, len(spans))
	for i, s := range spans {
		out[i] = [2]int{s.Start, s.End}
	}
	return out
}

// extract runs the extractors over one article and encodes the result,
// returning the units too.
func extract(in data.AnalysisInput) (data.AnalysisRow, []diffing.Unit, error) {
	an := diffing.Analyze(in.ArticleID, in.Text)
	var c cachedAnalysis
	for _, q := range an.Quotes {
		c.Quotes = append(c.Quotes, cachedQuote{Spans: spanPairs(q.Spans), Attribution: q.Attribution})
	}
	for _, u := range an.Units {
		c.Units = append(c.Units, cachedUnit{Kind: u.Kind, Spans: spanPairs(u.Spans), Quote: u.Quote})
	}
	b, err := json.Marshal(c)
	if err == nil {
		b, err = deflateCached(b)
	}
	if err != nil {
		return data.AnalysisRow{}, nil, fmt.Errorf("article %d: %w", in.ArticleID, err)
	}
	// The units outlive the article's text, which their strings may
	// share: each keeps a copy of its own, as units read back from the
	// cache do.
	for i := range an.Units {
		u := &an.Units[i]
		u.Text = strings.Clone(u.Text)
		a := &u.Attribution
		a.Speaker, a.Role, a.Cue, a.Via = strings.Clone(a.Speaker), strings.Clone(a.Role), strings.Clone(a.Cue), strings.Clone(a.Via)
	}
	return data.AnalysisRow{ArticleID: in.ArticleID, Version: diffing.Version, Hash: in.Hash, Units: b, Passages: len(an.Units)}, an.Units, nil
}

// Cached analyses are stored deflated behind a one-byte mark: the JSON
// repeats its keys and empty attributions, and deflated it is a fraction
// of its size (18 of the 166 MB of a project of 16,000 analysed articles
// were this JSON). A row written before starts with '{' and is read as
// it is.
const deflatedMark = 0x01

var (
	deflaters = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(nil, flate.BestSpeed)
		return w
	}}
	inflaters = sync.Pool{New: func() any { return flate.NewReader(nil) }}
)

// deflateCached is a cached analysis's JSON as stored.
func deflateCached(js []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte(deflatedMark)
	w := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(js); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inflateCached is the JSON of a cached analysis as stored.
func inflateCached(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != deflatedMark {
		return b, nil
	}
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(b[1:]), nil); err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// decodeAnalysis reads an article's cached extraction back into quotes
// and units, their texts taken from the article.
func decodeAnalysis(r data.AnalysisRow) ([]quote.Quote, []diffing.Unit, error) {
	var c cachedAnalysis
	js, err := inflateCached(r.Units)
	if err == nil {
		err = json.Unmarshal(js, &c)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("article %d: cached analysis: %w", r.ArticleID, err)
	}
	rs := []rune(r.Text)
	text := func(spans [][2]int) ([]quote.Span, string, error) {
		out := make([]quote.Span, len(spans))
		parts := make([]string, len(spans))
		for i, s := range spans {
			if s[0] < 0 || s[1] > len(rs) || s[0] > s[1] {
				return nil, "", fmt.Errorf("article %d: cached analysis: span %v outside the text", r.ArticleID, s)
			}
			out[i] = quote.Span{Start: s[0], End: s[1]}
			parts[i] = string(rs[s[0]:s[1]])
		}
		return out, strings.Join(parts, " "), nil
	}
	qs := make([]quote.Quote, len(c.Quotes))
	for i, q := range c.Quotes {
		spans, _, err := text(q.Spans)
		if err != nil {
			return nil, nil, err
		}
		qs[i] = quote.Quote{Spans: spans, Attribution: q.Attribution}
	}
	us := make([]diffing.Unit, len(c.Units))
	for i, cu := range c.Units {
		spans, t, err := text(cu.Spans)
		if err != nil {
			return nil, nil, err
		}
		us[i] = diffing.Unit{Doc: r.ArticleID, Kind: cu.Kind, Spans: spans, Text: t, Quote: cu.Quote}
		if cu.Quote > 0 && cu.Quote <= len(qs) {
			us[i].Attribution = qs[cu.Quote-1].Attribution
		}
	}
	return qs, us, nil
}

// quoteJSON is a quote as `quotes --json` prints it.
func quoteJSON(r data.AnalysisRow, q quote.Quote) QuoteJSON {
	rs := []rune(r.Text)
	o := q.Outer()
	qj := QuoteJSON{Article: r.ArticleID, Outlet: r.Outlet, Speaker: q.Speaker, Kind: string(q.Kind), Role: q.Role, Cue: q.Cue,
		Via: q.Via, Confidence: q.Confidence, Start: o.Start, End: o.End}
	parts := make([]string, len(q.Spans))
	for i, s := range q.Spans {
		parts[i] = string(rs[s.Start:s.End])
		if len(q.Spans) > 1 {
			qj.Spans = append(qj.Spans, SpanJSON{Start: s.Start, End: s.End})
		}
	}
	qj.Text = strings.Join(parts, " ")
	return qj
}

// wholeArticleClusters is copyClusters with the researcher's pins.
func wholeArticleClusters(ctx context.Context, store *data.Store) ([]data.Cluster, error) {
	pinned, err := pinnedSet(ctx, store)
	if err != nil {
		return nil, err
	}
	return copyClusters(ctx, store, pinned)
}

// copyClusters compares syndicated copies with their originals as whole
// articles: one cluster of kind article per original, its copies as
// versions. Sentence by sentence the alignment already shows a copy
// agreeing with its original; this cluster says that the article as a
// whole is the same text (verbatim) or nearly (extended, reworded...), and
// its diff shows what the copying outlet changed. The original is the
// reference unless the researcher pinned another version.
func copyClusters(ctx context.Context, store *data.Store, pinned map[[3]int64]bool) ([]data.Cluster, error) {
	groups, err := store.CopyGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out []data.Cluster
	for _, g := range groups {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ids := []int64{g.Original}
		for _, c := range g.Copies {
			ids = append(ids, c.ID)
		}
		arts, err := store.Articles(ctx, ids)
		if err != nil {
			return nil, err
		}
		if len(arts) < 2 {
			continue
		}
		ref := slices.IndexFunc(arts, func(a data.Article) bool { return a.ID == g.Original })
		for i, a := range arts {
			if pinned[[3]int64{a.ID, 0, int64(utf8.RuneCountInString(a.Text))}] {
				ref = i
			}
		}
		if ref < 0 {
			continue
		}
		c := data.Cluster{Kind: vocab.UnitArticle, Status: vocab.StatusAgree, Articles: len(arts)}
		for i, a := range arts {
			m := data.ClusterMember{ArticleID: a.ID, Outlet: a.Outlet, CopyOf: a.CopyOf, Kind: vocab.UnitArticle,
				Start: 0, End: utf8.RuneCountInString(a.Text), Text: a.Text, Reference: i == ref}
			m.Spans = [][2]int{{m.Start, m.End}}
			if i != ref {
				m.Relations = diffing.CompareWhole(arts[ref].Text, a.Text)
				for _, r := range m.Relations {
					if !r.Faithful() {
						c.Status = vocab.StatusDiverge
					}
				}
			}
			c.Members = append(c.Members, m)
		}
		out = append(out, c)
	}
	return out, nil
}
