package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/ingest"
	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/propagate"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// ComputePropagation runs the propagation analysis on the project's stored
// clusters (those spanning two or more articles; only the given IDs when
// clusters is not nil) and returns the snapshot the screens and exports
// show. It is computed on demand from what analyze stored: the clusters,
// the articles' dates and primary-source marks, and the pinned references.
func ComputePropagation(ctx context.Context, store *data.Store, clusters []int64) (*data.Propagation, error) {
	return computePropagation(ctx, store, clusters, true, nil)
}

// computePropagation is ComputePropagation, with each variant's word diff
// from its parent worked out only when diffs is set: a reader of the text
// summary never sees them, the window works them out for the cluster it
// shows, and at 16,000 articles they took a tenth of the command's time.
// A trace of the whole project is kept (see traceCacheDir) and read back
// while what it was made from is unchanged.
func computePropagation(ctx context.Context, store *data.Store, clusters []int64, diffs bool, progress func(stage string, done, total int)) (*data.Propagation, error) {
	p, _, err := keptPropagation(ctx, store, clusters, traceCacheDir(), false, progress)
	if err != nil {
		return nil, err
	}
	if diffs {
		addVariantDiffs(p.Clusters)
	}
	return p, nil
}

// keptPropagation is the propagation of clusters (all when nil) without
// the variants' diffs: for all, the trace kept in dir under the digest of
// the project's inputs if there is one (unless fresh), else a new trace,
// which is then kept in the background; kept waits until it is. The
// caller may add the diffs meanwhile (the trace being kept has its own
// variants) but changes nothing else. progress, if not nil, is told what
// is being done (see views.PropagationSource).
func keptPropagation(ctx context.Context, store *data.Store, clusters []int64, dir string, fresh bool,
	progress func(stage string, done, total int)) (p *data.Propagation, kept func(), err error) {
	p, _, kept, err = keptPropagationOr(ctx, store, clusters, dir, fresh, false, progress)
	return p, kept, err
}

// keptPropagationOr is keptPropagation that, with stream set, gives a
// kept trace opened (t) rather than decoded whole (p), for a reader that
// takes its clusters a chunk at a time.
func keptPropagationOr(ctx context.Context, store *data.Store, clusters []int64, dir string, fresh, stream bool,
	progress func(stage string, done, total int)) (p *data.Propagation, t *openedTrace, kept func(), err error) {
	kept = func() {}
	keep := clusters == nil && dir != ""
	var key string
	var read bool
	p, read, err = readPropagation(ctx, store, clusters, keep, func(digest string, rd reading) (*data.Propagation, bool) {
		if !keep {
			return nil, false
		}
		key = traceKey(digest)
		if fresh {
			return nil, false
		}
		found := func() {
			if progress != nil {
				progress("Reading the trace kept from these inputs…", 0, 0)
			}
		}
		if stream {
			var ok bool
			if t, ok = openKeptTrace(dir, key, found); ok {
				t.notes = rd.notesFor(t.head.Outlets, t.head.Edges, false)
			}
			return nil, ok
		}
		return loadTrace(ctx, dir, key, found)
	}, progress)
	if err != nil || !keep || read {
		return p, t, kept, err
	}
	mine := &data.Propagation{Clusters: slices.Clone(p.Clusters), Edges: p.Edges, Outlets: p.Outlets}
	for i := range mine.Clusters {
		mine.Clusters[i].Variants = slices.Clone(mine.Clusters[i].Variants)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A trace that cannot be kept (a full disk, a read-only home) is
		// made again next time: nothing is lost.
		_ = saveTrace(dir, key, mine)
	}()
	return p, nil, func() { <-done }, nil
}

// traceReadHook, when set, is called once a trace's inputs besides the
// clusters are read, before the clusters are: a test's way to change the
// project while a trace reads it.
var traceReadHook func()

// readPropagation traces clusters (all when nil) read from store in one
// read transaction, without the variants' diffs. With digest set, kept is
// first given the digest of the inputs and the trace's notes (see
// timeReading), and its trace, if it has one, is returned instead (read
// says so). progress, if not nil, is told what is being done.
func readPropagation(ctx context.Context, store *data.Store, clusters []int64, digest bool,
	kept func(digest string, rd reading) (*data.Propagation, bool), progress func(stage string, done, total int)) (p *data.Propagation, read bool, err error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	// A trace works to the analysis's collector budget: at 16,000
	// articles it cut the command's peak by a fifth and its time by a
	// twelfth; at 100,000 the peak by a sixth, for a fifteenth more time.
	// A kept trace is read without it: in a window already holding a few
	// hundred megabytes, the budget's limit made the collector run without
	// end while the trace was decoded (reading it at 16,000 articles took
	// 0.5-1.5 s instead of 0.4 s).
	restore := func() {}
	defer func() { restore() }()
	var want []int64
	if clusters != nil {
		want = slices.Clone(clusters)
		slices.Sort(want)
	}
	var (
		found  *data.Propagation
		stamps map[int64]data.ArticleStamp
		pinned = map[data.Pin]bool{}
		b      *propagate.Builder
		cs     []clusterHead
		rd     reading
	)
	err = store.ReadPropagation(ctx, 2, want, digest, func(in data.PropagationRead) (bool, error) {
		rd = readingOf(in.Stamps)
		if kept != nil {
			if p, ok := kept(in.Digest, rd); ok {
				found, read = p, true
				return false, nil
			}
		}
		restore = tighterGC()
		stamps = rd.undated(in.Stamps)
		for _, p := range in.Pins {
			pinned[p] = true
		}
		if traceReadHook != nil {
			traceReadHook()
		}
		// The clusters are prepared as they are read: the reading runs
		// on one core, the preparing on the others.
		b = propagate.NewBuilder()
		progress("Reading the clusters…", 0, 0)
		return true, nil
	}, func(c data.Cluster) error {
		// Of the members only their ranges are kept: the versions hold
		// the rest, and the members whole were a third of the memory.
		cs = append(cs, headOf(c))
		b.Add(propagateCluster(c, stamps, pinned, rd))
		return nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		if b != nil {
			b.Discard()
		}
		return nil, false, err
	}
	if read {
		if found != nil {
			found.Notes = rd.notesFor(found.Outlets, found.Edges, clusters != nil)
		}
		return found, true, nil
	}
	res := b.Analyze(propagate.Options{Progress: func(done, total int) {
		progress("Choosing where each version came from…", done, total)
	}})
	p = propagationResult(cs, res, stamps)
	p.Notes = rd.notesFor(p.Outlets, p.Edges, clusters != nil)
	return p, false, nil
}

// addVariantDiffs works out each variant's word diff from its parent, on
// every core.
func addVariantDiffs(cs []data.PropagationCluster) {
	_ = forEach(context.Background(), len(cs), func(i int) { variantDiffs(&cs[i]) })
}

// variantDiffs works out the word diff of each of c's variants from its
// parent. Most variants hang from a few parents (the root above all): each
// parent is tokenized once for the diffs of its children.
func variantDiffs(c *data.PropagationCluster) {
	from := map[int]func(string) []data.DiffOp{}
	for k := range c.Variants {
		v := &c.Variants[k]
		if v.Parent < 0 {
			continue
		}
		diff, ok := from[v.Parent]
		if !ok {
			diff = diffing.WordDiffFrom(c.Variants[v.Parent].Text)
			from[v.Parent] = diff
		}
		v.Diff = diff(v.Text)
	}
}

// propagationOf analyses clusters read from store, with the articles'
// stamps and the pins it holds; scoped says cs are some of the project's
// clusters, chosen (see reading.notesFor).
func propagationOf(ctx context.Context, store *data.Store, cs []data.Cluster, scoped bool) (*data.Propagation, error) {
	stamps, pinned, err := propagationInputs(ctx, store)
	if err != nil {
		return nil, err
	}
	return propagation(cs, stamps, pinned, scoped), nil
}

// propagationInputs reads the articles' stamps and the pinned references.
func propagationInputs(ctx context.Context, store *data.Store) (map[int64]data.ArticleStamp, map[data.Pin]bool, error) {
	stamps, err := store.ArticleStamps(ctx)
	if err != nil {
		return nil, nil, err
	}
	pins, err := store.Pins(ctx)
	if err != nil {
		return nil, nil, err
	}
	pinned := map[data.Pin]bool{}
	for _, p := range pins {
		pinned[p] = true
	}
	return stamps, pinned, ctx.Err()
}

// propagation analyses clusters whose articles are described by stamps;
// scoped as for propagationOf.
func propagation(cs []data.Cluster, stamps map[int64]data.ArticleStamp, pinned map[data.Pin]bool, scoped bool) *data.Propagation {
	in := make([]propagate.Cluster, len(cs))
	heads := make([]clusterHead, len(cs))
	rd := readingOf(stamps)
	stamps = rd.undated(stamps)
	for i, c := range cs {
		in[i], heads[i] = propagateCluster(c, stamps, pinned, rd), headOf(c)
	}
	p := propagationResult(heads, propagate.Analyze(in, propagate.Options{}), stamps)
	p.Notes = rd.notesFor(p.Outlets, p.Edges, scoped)
	addVariantDiffs(p.Clusters)
	return p
}

// propagateCluster is a stored cluster as the analysis reads it, its
// articles read as rd says.
func propagateCluster(c data.Cluster, stamps map[int64]data.ArticleStamp, pinned map[data.Pin]bool, rd reading) propagate.Cluster {
	pc := propagate.Cluster{ID: c.ID, Versions: make([]propagate.Version, len(c.Members))}
	for k, m := range c.Members {
		st := stamps[m.ArticleID]
		pc.Versions[k] = propagate.Version{
			Article: m.ArticleID,
			Outlet:  data.SourceLabel(st.Outlet, m.ArticleID),
			Text:    m.Text,
			Time:    stampOf(st.Date, rd.anyZone),
			Primary: st.Primary,
			Pinned:  pinned[data.Pin{ArticleID: m.ArticleID, Start: m.Start, End: m.End}],
			Copy:    rd.family[m.ArticleID],
		}
	}
	return pc
}

// clusterHead is what the snapshot needs of a cluster beside its graph.
type clusterHead struct {
	ID      int64
	Kind    vocab.UnitKind
	Speaker string
	// Ranges are its members' starts and ends, in order.
	Ranges [][2]int
}

func headOf(c data.Cluster) clusterHead {
	h := clusterHead{ID: c.ID, Kind: c.Kind, Speaker: c.Speaker, Ranges: make([][2]int, len(c.Members))}
	for i, m := range c.Members {
		h.Ranges[i] = [2]int{m.Start, m.End}
	}
	return h
}

// propagationResult is the snapshot of the analysis of clusters cs,
// without the variants' word diffs (see addVariantDiffs).
func propagationResult(cs []clusterHead, res propagate.Result, stamps map[int64]data.ArticleStamp) *data.Propagation {
	out := &data.Propagation{Clusters: make([]data.PropagationCluster, len(res.Graphs))}
	_ = forEach(context.Background(), len(res.Graphs), func(i int) {
		out.Clusters[i] = clusterPropagation(cs[i], res.Graphs[i], stamps)
	})
	for _, e := range res.Edges {
		pe := data.PickupEdge{From: e.From, To: e.To, Weight: e.Weight, Score: e.Score,
			MedianLag: e.MedianLag, Lags: e.Lags, LagResolution: e.LagResolution}
		for _, p := range e.Pickups {
			pe.Pickups = append(pe.Pickups, data.Pickup{Cluster: p.Cluster, From: p.From, To: p.To, Confidence: p.Confidence,
				Shared: textChanges(p.Shared), Lag: p.Lag, LagKnown: p.LagKnown, Copy: p.Copy})
		}
		out.Edges = append(out.Edges, pe)
	}
	for _, o := range res.Outlets {
		out.Outlets = append(out.Outlets, data.OutletPropagation{Outlet: o.Outlet, Clusters: o.Clusters, Versions: o.Versions,
			First: o.First, Sole: o.Sole, FromPrimary: o.FromPrimary, Secondary: o.Secondary})
	}
	return out
}

// clusterPropagation turns a cluster's variant graph into the snapshot's
// form.
func clusterPropagation(c clusterHead, g propagate.Graph, stamps map[int64]data.ArticleStamp) data.PropagationCluster {
	pc := data.PropagationCluster{ID: c.ID, Kind: c.Kind, Speaker: c.Speaker, Root: g.Root,
		Versions: make([]data.PropagatedVersion, 0, len(g.Versions)), Variants: make([]data.Variant, 0, len(g.Variants))}
	for i, v := range g.Versions {
		m := c.Ranges[i]
		s := g.Sources[i]
		pv := data.PropagatedVersion{Article: v.Article, Outlet: v.Outlet, Date: stamps[v.Article].Date, Start: m[0], End: m[1],
			Primary: v.Primary, Pinned: v.Pinned, Variant: g.VariantOf[i], Unseen: s.Unseen, Confidence: s.Confidence,
			Order: s.Order.String(), Lag: s.Lag, LagKnown: s.LagKnown}
		if s.From >= 0 {
			pv.Source = g.Versions[s.From].Article
		} else {
			pv.Order = ""
		}
		pc.Versions = append(pc.Versions, pv)
	}
	for _, v := range g.Variants {
		pv := data.Variant{Text: v.Text, Carriers: v.Carriers, Parent: v.Parent, Confidence: v.Confidence, Unseen: v.Evidence.Unseen,
			Contained: v.Evidence.Contained, Kept: v.Evidence.Kept, Shared: textChanges(v.Evidence.Shared), New: textChanges(v.Evidence.New),
			Reverted: v.Evidence.Reverted, Lag: v.Evidence.Lag, LagKnown: v.Evidence.LagKnown}
		if v.Parent >= 0 {
			pv.Order = v.Evidence.Order.String()
		}
		pc.Variants = append(pc.Variants, pv)
	}
	return pc
}

func textChanges(cs []propagate.Change) []data.TextChange {
	if len(cs) == 0 {
		return nil
	}
	out := make([]data.TextChange, len(cs))
	for i, c := range cs {
		out[i] = data.TextChange{At: c.At, Dropped: c.Dropped, Added: c.Added}
	}
	return out
}

// stampOf is the span of time a date stands for, as the analysis reads
// it (see data.Date.Span); with anyZone set, a time without a zone stands
// for every instant it could be in some zone (see timeReading).
func stampOf(d data.Date, anyZone bool) propagate.Stamp {
	lo, hi, ok := d.Span()
	if anyZone && d.HasTime() && !d.Zoned {
		// Zones run from 12 hours behind UTC to 14 ahead: the clock time
		// t is t+12h UTC at the latest and t-14h at the earliest.
		lo, hi = lo.Add(-14*time.Hour), hi.Add(12*time.Hour)
	}
	return propagate.Stamp{Lo: lo, Hi: hi, Known: ok}
}

// summaryOf is one line saying what a snapshot holds, from its counts.
func summaryOf(clusters, variants, outlets, edges int) string {
	return fmt.Sprintf("%d %s, %d %s, %d %s, %d %s", clusters, pluralWord(clusters, "cluster", "clusters"),
		variants, pluralWord(variants, "variant", "variants"), outlets, pluralWord(outlets, "outlet", "outlets"),
		edges, pluralWord(edges, "pickup edge", "pickup edges"))
}

// variantCount counts the wordings of cs.
func variantCount(cs []data.PropagationCluster) int {
	n := 0
	for _, c := range cs {
		n += len(c.Variants)
	}
	return n
}

// reading is how a trace reads the project's articles besides their
// passages, and notes what a reader of the trace must know of it.
type reading struct {
	// anyZone: see timeReading; family: see syndication.
	anyZone bool
	family  map[int64]int64
	// notes are the notes on the inputs; see notesFor for a trace's.
	notes []string
	// unreal are the articles whose dates are read as none (unrealDates).
	unreal map[int64]bool
	// outlets are the project's named outlets, sorted.
	outlets []string
	// stamps are the articles' details the trace was read with.
	stamps map[int64]data.ArticleStamp
}

func readingOf(stamps map[int64]data.ArticleStamp) reading {
	unreal := unrealDates(stamps)
	anyZone, notes := timeReading(stamps, unreal)
	family, note := syndication(stamps)
	seen := map[string]bool{}
	var outlets []string
	for _, st := range stamps {
		if strings.TrimSpace(st.Outlet) != "" && !seen[st.Outlet] {
			seen[st.Outlet] = true
			outlets = append(outlets, st.Outlet)
		}
	}
	slices.Sort(outlets)
	for _, n := range []string{unanalysed(stamps), note, outletNames(outlets), noOutlets(stamps)} {
		if n != "" {
			notes = append(notes, n)
		}
	}
	return reading{anyZone: anyZone, family: family, notes: notes, outlets: outlets, unreal: unreal, stamps: stamps}
}

// undated is stamps with the dates the trace does not read as dates (see
// unrealDates) taken off, so that the trace, its trees and their time
// axes read those articles as undated; stamps itself when there are none.
func (rd reading) undated(stamps map[int64]data.ArticleStamp) map[int64]data.ArticleStamp {
	if len(rd.unreal) == 0 {
		return stamps
	}
	out := maps.Clone(stamps)
	for id := range rd.unreal {
		st := out[id]
		st.Date, st.DateInferred = data.Date{}, false
		out[id] = st
	}
	return out
}

// placeholderYears is how near another article's date must be for a day
// that is also a placeholder (1970-01-01, 1900-01-01) to be read as a
// date: an archive of 1900's papers has articles all around it; a
// project of this year's coverage, one at 1970-01-01, has none.
const placeholderYears = 5

// unrealDates are the articles whose dates the trace reads as none: a
// placeholder no article could have (see data.Date.Placeholder), or a day
// that is also a placeholder with no other article's date (not a
// placeholder) within placeholderYears of it. Taken as a date, the Unix
// epoch made its article the first carrier of everything it shares,
// decades before the rest.
func unrealDates(stamps map[int64]data.ArticleStamp) map[int64]bool {
	unreal := map[int64]bool{}
	var maybe []int64
	var real []time.Time
	for id, st := range stamps {
		why, sure := st.Date.Placeholder()
		switch {
		case why == "":
			if lo, _, ok := st.Date.Span(); ok {
				real = append(real, lo)
			}
			continue
		case !sure:
			maybe = append(maybe, id)
			continue
		}
		unreal[id] = true
	}
	slices.SortFunc(real, func(a, b time.Time) int { return a.Compare(b) })
	for _, id := range maybe {
		lo, _, _ := stamps[id].Date.Span()
		from, to := lo.AddDate(-placeholderYears, 0, 0), lo.AddDate(placeholderYears, 0, 0)
		i, _ := slices.BinarySearchFunc(real, from, func(a, b time.Time) int { return a.Compare(b) })
		if i == len(real) || !real[i].Before(to) {
			unreal[id] = true
		}
	}
	return unreal
}

// notesFor is the notes of a trace read as rd says, whose outlets are
// outlets: the inputs' notes, and for a trace of the whole project
// (scoped false) one naming the outlets the trace does not show.
func (rd reading) notesFor(outlets []data.OutletPropagation, edges []data.PickupEdge, scoped bool) []string {
	notes := slices.Clone(rd.notes)
	if n := rd.unorderedPickups(edges); n != "" {
		notes = append(notes, n)
	}
	if scoped {
		// Outlets outside the clusters chosen are left out by choice. The
		// outlets' habits, which weigh every choice from the second pass
		// on, are read from the clusters traced: the same pickup had 95%
		// in the whole project's trace and 83-88% in traces of two
		// clusters, with nothing to say why.
		return append(notes, scopedHabits)
	}
	if n := absentOutlets(rd.outlets, outlets); n != "" {
		notes = append(notes, n)
	}
	return notes
}

// scopedHabits is the note of a trace of chosen clusters.
const scopedHabits = "This trace is of the clusters chosen: the outlets' habits of taking one another's words, which weigh each choice, are read from these clusters alone, so a choice's confidence can differ from the whole project's trace."

// unorderedPickups is a note counting the pickups of edges that join two
// versions their dates do not order (of one day, without times), other
// than a syndicated copy's and one from a primary source: the text alone
// put one first (the fuller, or the one the other's changes lead back
// to). Bradford's ITV and BBC, quoting one Ofsted report on one day,
// made an edge ITV -> BBC that read as the BBC taking ITV's words.
func (rd reading) unorderedPickups(edges []data.PickupEdge) string {
	total, same := 0, 0
	for _, e := range edges {
		for _, p := range e.Pickups {
			total++
			from, to := rd.stamps[p.From], rd.stamps[p.To]
			if p.Copy || from.Primary || rd.unreal[p.From] || rd.unreal[p.To] {
				continue
			}
			if propagate.Order(stampOf(from.Date, rd.anyZone), stampOf(to.Date, rd.anyZone)) == propagate.Same {
				same++
			}
		}
	}
	if same == 0 {
		return ""
	}
	of := fmt.Sprintf("%d of the %d pickups join", same, total)
	switch {
	case same == 1 && total > 1:
		of = fmt.Sprintf("1 of the %d pickups joins", total)
	case total == 1:
		of = "The pickup joins"
	case same == total && total == 2:
		of = "Both pickups join"
	case same == total:
		of = fmt.Sprintf("All %d pickups join", total)
	}
	return of + " versions their dates do not order (the same day, without times): which came first is read from the words — the fuller version, or the one the other's changes lead back to — not known. Outlets quoting one statement or report on one day show as such pickups; mark the primary sources (parallax mark, or the article's details) or import the times before reading them as who took whose words."
}

// absentOutlets is a note naming the project's outlets (all, its named
// outlets) that a trace of the whole project shows none of (shown are
// its outlets' figures). Such an outlet shares no passage with another
// article, or only with articles not yet analysed; it is in none of the
// trace's figures, and a reader of the pickup graph counting five
// outlets where the project has six would not otherwise know why.
func absentOutlets(all []string, shown []data.OutletPropagation) string {
	in := make(map[string]bool, len(shown))
	for _, o := range shown {
		in[o.Outlet] = true
	}
	var absent []string
	for _, o := range all {
		if !in[o] {
			absent = append(absent, strconv.Quote(o))
		}
	}
	n := len(absent)
	if n == 0 {
		return ""
	}
	const named = 8
	list := strings.Join(absent[:min(n, named)], ", ")
	switch {
	case n > named:
		list += fmt.Sprintf(" and %d more", n-named)
	case n > 1:
		list = strings.Join(absent[:n-1], ", ") + " and " + absent[n-1]
	}
	which := fmt.Sprintf("%d of the project's %d outlets %s", n, len(all), pluralWord(n, "is", "are"))
	if n == len(all) {
		which = fmt.Sprintf("The project's %s", pluralWord(n, "one outlet is", fmt.Sprintf("%d outlets are", n)))
	}
	return fmt.Sprintf("%s in none of the clusters traced, so in none of the figures: %s. "+
		"%s no passage with another article (or only with articles not analysed yet).",
		which, list, pluralWord(n, "Its articles share", "Their articles share"))
}

// unanalysed is a note saying how many articles the stored clusters do
// not account for (see data.ArticleStamp.Unanalysed): the trace reads
// the clusters, so their passages are not in it, whatever outlet or
// date they have, until the project is analysed again.
func unanalysed(stamps map[int64]data.ArticleStamp) string {
	n := 0
	for _, st := range stamps {
		if st.Unanalysed {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d of the %d articles in the project %s not in the trace (imported or changed since the last analysis, or sharing passages with an article deleted or replaced since): "+
		"%s no cluster until the project is analysed again. Analyse the project (Ctrl+R in the window, or parallax analyze) to trace %s.",
		n, len(stamps), pluralWord(n, "is", "are"), pluralWord(n, "it is in", "they are in"), pluralWord(n, "it", "them"))
}

// noOutlets is a note saying how many articles have no outlet: the trace
// takes each for a source of its own (see data.SourceLabel), which a
// reader of the pickup graph must know to read its nodes.
func noOutlets(stamps map[int64]data.ArticleStamp) string {
	n := 0
	for _, st := range stamps {
		if strings.TrimSpace(st.Outlet) == "" {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d of the %d articles in the project %s no outlet: the trace counts each as a source of its own (\"(no outlet) #12\"), "+
		"so %s pickups and first carriers are %s, not an outlet's. Give %s outlet (in the articles' details, or parallax edit --outlet) to count %s with %s.",
		n, len(stamps), pluralWord(n, "has", "have"), pluralWord(n, "its", "their"), pluralWord(n, "the article's", "each article's"),
		pluralWord(n, "it its", "them their"), pluralWord(n, "it", "them"), pluralWord(n, "its outlet's other articles", "their outlets' other articles"))
}

// outletNames is a note naming the outlets the project may name in more
// than one way (names, its outlets' names, each once) (see ingest.LikelySameOutlet): each name is an outlet of
// its own to the trace, and a pickup between two names of one outlet
// would read as one outlet's from another.
func outletNames(names []string) string {
	groups := ingest.LikelySameOutlet(names)
	if len(groups) == 0 {
		return ""
	}
	const shown = 4
	var said []string
	for _, g := range groups[:min(len(groups), shown)] {
		q := make([]string, len(g))
		for i, n := range g {
			q[i] = strconv.Quote(n)
		}
		said = append(said, strings.Join(q[:len(q)-1], ", ")+" and "+q[len(q)-1])
	}
	list := strings.Join(said, "; ")
	if more := len(groups) - shown; more > 0 {
		list += fmt.Sprintf("; and %d more (parallax list --json gives every article's outlet)", more)
	}
	return fmt.Sprintf("The project may name %s in more than one way: %s. "+
		"The trace counts each name as an outlet of its own, so a version one name's article took from another's counts as a pickup between two outlets, and each name can be first where another was. "+
		"If they are one outlet, give its articles one name (edit the outlet of several articles in the library, or parallax edit --articles … --outlet …).",
		pluralWord(len(groups), "an outlet", "some outlets"), list)
}

// syndication gives each article of a syndicated text (an article and the
// copies of it other outlets ran, found at import: see
// data.Article.CopyOf) the ID of the text's first article, for the trace
// to count a pickup between two of them once (see propagate.Version.Copy);
// and a note saying so, when the project has copies.
func syndication(stamps map[int64]data.ArticleStamp) (family map[int64]int64, note string) {
	copies := 0
	for id, st := range stamps {
		if st.CopyOf == 0 {
			continue
		}
		copies++
		// A copy of a copy belongs to the first article's text. Links
		// point to earlier articles (earlier published, or imported where
		// the dates do not tell; an import never closes a loop), so they
		// end; in a damaged project's loop of links, the text is the
		// loop's least article.
		first := st.CopyOf
		path := []int64{id}
		for !slices.Contains(path, first) {
			path = append(path, first)
			next := stamps[first].CopyOf
			if next == 0 {
				break
			}
			first = next
		}
		if stamps[first].CopyOf != 0 { // the walk came round to the loop
			first = slices.Min(path[slices.Index(path, first):])
		}
		if family == nil {
			family = map[int64]int64{}
		}
		family[id], family[first] = first, first
	}
	if copies == 0 {
		return nil, ""
	}
	return family, fmt.Sprintf("%d %s of the project %s another's text (%s, found at import): "+
		"between an article and a copy of it the pickup graph counts one pickup, not one for each passage they share (and none when nothing orders the two, as for the same words on the same day).",
		copies, pluralWord(copies, "article", "articles"), pluralWord(copies, "repeats", "repeat"),
		pluralWord(copies, "a syndicated copy", "syndicated copies"))
}

// timeReading says how a trace reads the articles' dates, and in notes
// what a reader of it must know: how many articles have no date, how many
// have a date Parallax inferred, and how times without a zone are read
// among times with one. A time
// without a zone is read as UTC, so that a project whose times name no
// zone (one database's export, say) is still ordered clock to clock. Once
// some times name their zone and others do not, that reading would be a
// quiet guess of up to a day ("12:05" from an American outlet against
// "17:05 GMT" from a British one, the same instant): the times without a
// zone are then read as anywhere a zone could put them (anyZone, see
// stampOf), so that the trace orders them only against times further off,
// and a note says so. The rule is the project's, whatever part of it is
// traced, so that an article's time reads the same in every trace.
func timeReading(stamps map[int64]data.ArticleStamp, unreal map[int64]bool) (anyZone bool, notes []string) {
	zoned, unzoned, undated, inferred := 0, 0, 0, 0
	placeholders := map[string]int{}
	for id, st := range stamps {
		if unreal[id] {
			why, _ := st.Date.Placeholder()
			placeholders[st.Date.String()+" ("+why]++
			continue
		}
		if st.DateInferred && !st.Date.IsZero() {
			inferred++
		}
		switch {
		case st.Date.IsZero():
			undated++
		case !st.Date.HasTime():
		case st.Date.Zoned:
			zoned++
		default:
			unzoned++
		}
	}
	if undated > 0 {
		// Said, as the trace treats them quietly otherwise: an undated
		// version may come before or after any other.
		notes = append(notes, fmt.Sprintf("%d of the %d articles in the project %s no date: when %s versions came out is unknown, "+
			"so their sources are chosen without regard to time (by their words and the outlets' habits), they are never counted as carrying a wording first, and their lags are unknown. "+
			"Date %s (in the articles' details, or parallax edit --date) to order %s.",
			undated, len(stamps), pluralWord(undated, "has", "have"), pluralWord(undated, "its", "their"),
			pluralWord(undated, "it", "them"), pluralWord(undated, "it", "them")))
	}
	if n := len(placeholders); n > 0 {
		// Imports drop the sure ones (see ingest.Importer); a project
		// imported before, a date typed in, or a day that is also a
		// placeholder may still be there.
		dates := slices.Sorted(maps.Keys(placeholders))
		count := len(unreal)
		for i, d := range dates {
			if k := placeholders[d]; k > 1 && n > 1 {
				dates[i] += fmt.Sprintf("; %d articles", k)
			}
			dates[i] += ")"
		}
		list := strings.Join(dates, ", ")
		if n > 1 {
			list = strings.Join(dates[:n-1], ", ") + " and " + dates[n-1]
		}
		notes = append(notes, fmt.Sprintf("%d of the %d articles in the project %s dated %s: %s that programs write where a date is missing "+
			"(a day alone counts as one only when no other article of the project is dated within %d years of it), "+
			"so the trace reads %s as undated (%s versions are never counted as carrying a wording first, and %s lags are unknown). "+
			"Give %s real %s (in the articles' details, or parallax edit --date) to order %s.",
			count, len(stamps), pluralWord(count, "is", "are"), list, pluralWord(n, "a date", "dates"), placeholderYears,
			pluralWord(count, "it", "them"), pluralWord(count, "its", "their"), pluralWord(count, "its", "their"),
			pluralWord(count, "it its", "them their"), pluralWord(count, "date", "dates"), pluralWord(count, "it", "them")))
	}
	if inferred > 0 {
		// An inferred date is a guess the researcher was asked to check
		// (a database's load date can be days after publication), and the
		// trace would otherwise order by it without a word.
		notes = append(notes, fmt.Sprintf("%d of the %d dated articles in the project %s a date Parallax inferred (from an address, a dateline or a database's load date) rather than one the source gave, "+
			"and the trace orders %s versions by %s. Check %s in the library, where inferred dates are in italics, and correct %s wrong (in the articles' details, or parallax edit --date).",
			inferred, len(stamps)-undated-len(unreal), pluralWord(inferred, "has", "have"), pluralWord(inferred, "its", "their"), pluralWord(inferred, "it", "them"),
			pluralWord(inferred, "it", "them"), pluralWord(inferred, "it if", "any")))
	}
	if zoned == 0 || unzoned == 0 {
		return false, notes
	}
	one := func(singular, plural string) string { return pluralWord(unzoned, singular, plural) }
	return true, append(notes, fmt.Sprintf("%d of the %d articles in the project with a time of day %s no time zone and %d %s: "+
		"%s read as anywhere from 14 hours before to 12 hours after the clock %s, as a zone could put %s, "+
		"so %s ordered only against times further off. "+
		"Give %s zone (in the %s details, or parallax edit --date) to order %s by the hour.",
		unzoned, zoned+unzoned, one("gives", "give"), zoned, pluralWord(zoned, "gives one", "give one"),
		one("its time is", "their times are"), one("time it gives", "times they give"), one("it", "them"),
		one("it is", "they are"), one("it its", "them their"), one("article's", "articles'"), one("it", "them")))
}
