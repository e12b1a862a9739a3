package app

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

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
	Units     int
	Clusters  int // clusters spanning two or more articles
	Largest   int // members of the largest cluster
}

// RunAnalyze extracts quotes and passages from the articles that need it,
// then aligns every article's passages and stores the clusters. Extraction
// is cached per article (and per analyser version), so analysing again
// after importing one article extracts only that one.
func RunAnalyze(ctx context.Context, store *data.Store, progress Progress) (AnalyzeReport, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	var rep AnalyzeReport
	todo, err := store.ArticlesToAnalyze(ctx, diffing.Version)
	if err != nil {
		return rep, err
	}
	rows := make([]data.AnalysisRow, len(todo))
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
				row, err := extract(todo[i])
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				rows[i] = row
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

	all, err := store.Analyses(ctx)
	if err != nil {
		return rep, err
	}
	rep.Cached = len(all) - len(todo)
	var units []diffing.Unit
	for i := range all {
		_, us, err := decodeAnalysis(all[i])
		if err != nil {
			return rep, err
		}
		units = append(units, us...)
		all[i].Text = "" // the units hold what alignment needs of it
	}
	rep.Units = len(units)
	pins, err := store.Pins(ctx)
	if err != nil {
		return rep, err
	}
	pinned := map[[3]int64]bool{}
	for _, p := range pins {
		pinned[[3]int64{p.ArticleID, int64(p.Start), int64(p.End)}] = true
	}
	clusters, err := diffing.Align(ctx, units, diffing.Options{
		Pinned: func(i int) bool {
			o := units[i].Outer()
			return pinned[[3]int64{units[i].Doc, int64(o.Start), int64(o.End)}]
		},
		Progress: progress,
	})
	if err != nil {
		return rep, err
	}
	outlets := map[int64]string{}
	for _, r := range all {
		outlets[r.ArticleID] = r.Outlet
	}
	stored := make([]data.Cluster, 0, len(clusters))
	for _, c := range clusters {
		dc := data.Cluster{Kind: c.Kind, Status: c.Status, Speaker: c.Speaker, Articles: c.Docs(units)}
		if dc.Articles >= 2 {
			rep.Clusters++
		}
		rep.Largest = max(rep.Largest, len(c.Members))
		for _, m := range c.Members {
			u := units[m.Unit]
			if m.Spans != nil {
				// One sentence of a unit that ran several together.
				u.Spans, u.Text = m.Spans, m.Text
			}
			o := u.Outer()
			dm := data.ClusterMember{ArticleID: u.Doc, Outlet: outlets[u.Doc], Kind: u.Kind, Start: o.Start, End: o.End,
				Text: u.Text, Statement: u.Quote, Speaker: u.Attribution.Speaker, Reference: m.Reference, Relations: m.Relations}
			for _, s := range u.Spans {
				dm.Spans = append(dm.Spans, [2]int{s.Start, s.End})
			}
			dc.Members = append(dc.Members, dm)
		}
		stored = append(stored, dc)
	}
	if err := store.ReplaceClusters(ctx, stored); err != nil {
		return rep, err
	}
	return rep, nil
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

// extract runs the extractors over one article and encodes the result.
func extract(in data.AnalysisInput) (data.AnalysisRow, error) {
	an := diffing.Analyze(in.ArticleID, in.Text)
	var c cachedAnalysis
	for _, q := range an.Quotes {
		c.Quotes = append(c.Quotes, cachedQuote{Spans: spanPairs(q.Spans), Attribution: q.Attribution})
	}
	for _, u := range an.Units {
		c.Units = append(c.Units, cachedUnit{Kind: u.Kind, Spans: spanPairs(u.Spans), Quote: u.Quote})
	}
	b, err := json.Marshal(c)
	if err != nil {
		return data.AnalysisRow{}, fmt.Errorf("article %d: %w", in.ArticleID, err)
	}
	return data.AnalysisRow{ArticleID: in.ArticleID, Version: diffing.Version, Hash: in.Hash, Units: b}, nil
}

// decodeAnalysis reads an article's cached extraction back into quotes
// and units, their texts taken from the article.
func decodeAnalysis(r data.AnalysisRow) ([]quote.Quote, []diffing.Unit, error) {
	var c cachedAnalysis
	if err := json.Unmarshal(r.Units, &c); err != nil {
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
