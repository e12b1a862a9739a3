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
)

// QuoteJSON is a `quotes --json` row and the form quotes are cached in.
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
	for _, r := range all {
		var us []diffing.Unit
		if err := json.Unmarshal(r.Units, &us); err != nil {
			return rep, fmt.Errorf("article %d: cached analysis: %w", r.ArticleID, err)
		}
		for i := range us {
			us[i].Doc = r.ArticleID
		}
		units = append(units, us...)
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
		for _, m := range c.Members {
			u := units[m.Unit]
			if m.Spans != nil {
				// One sentence of a unit that ran several together.
				u.Spans, u.Text = m.Spans, m.Text
			}
			o := u.Outer()
			dm := data.ClusterMember{ArticleID: u.Doc, Outlet: outlets[u.Doc], Kind: u.Kind, Start: o.Start, End: o.End,
				Text: u.Text, Speaker: u.Attribution.Speaker, Reference: m.Reference, Relations: m.Relations}
			for _, s := range u.Spans {
				dm.Spans = append(dm.Spans, [2]int{s.Start, s.End})
			}
			for _, e := range m.Diff {
				dm.Diff = append(dm.Diff, data.DiffOp{Op: e.Op, Text: e.Text})
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

// extract runs the extractors over one article and encodes the result.
func extract(in data.AnalysisInput) (data.AnalysisRow, error) {
	an := diffing.Analyze(in.ArticleID, in.Text)
	runes := []rune(in.Text)
	qs := make([]QuoteJSON, 0, len(an.Quotes))
	for _, q := range an.Quotes {
		o := q.Outer()
		qj := QuoteJSON{Article: in.ArticleID, Speaker: q.Speaker, Kind: string(q.Kind), Role: q.Role, Cue: q.Cue, Via: q.Via,
			Confidence: q.Confidence, Start: o.Start, End: o.End}
		var parts []string
		for _, s := range q.Spans {
			qj.Spans = append(qj.Spans, SpanJSON{Start: s.Start, End: s.End})
			parts = append(parts, string(runes[s.Start:s.End]))
		}
		qj.Text = strings.Join(parts, " ")
		qs = append(qs, qj)
	}
	qb, err := json.Marshal(qs)
	if err != nil {
		return data.AnalysisRow{}, err
	}
	ub, err := json.Marshal(an.Units)
	if err != nil {
		return data.AnalysisRow{}, err
	}
	return data.AnalysisRow{ArticleID: in.ArticleID, Version: diffing.Version, Hash: in.Hash, Quotes: qb, Units: ub}, nil
}
