package propagate

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2023, 1, 31, 8, 0, 0, 0, time.UTC)

// at is a stamp to the minute, minutes after 08:00 on 31 January 2023.
func at(min int) Stamp {
	lo := t0.Add(time.Duration(min) * time.Minute)
	return Stamp{Lo: lo, Hi: lo.Add(time.Minute), Known: true}
}

// day is a stamp of a whole day, days after 31 January 2023.
func day(d int) Stamp {
	lo := t0.Truncate(24*time.Hour).AddDate(0, 0, d)
	return Stamp{Lo: lo, Hi: lo.AddDate(0, 0, 1), Known: true}
}

const report = "There are widespread and serious failures across all service areas in the city's children's services."

func version(article int64, outlet, text string, when Stamp) Version {
	return Version{Article: article, Outlet: outlet, Text: text, Time: when}
}

func sourceOf(t *testing.T, g Graph, article int64) (Source, Version) {
	t.Helper()
	for i, v := range g.Versions {
		if v.Article == article {
			s := g.Sources[i]
			if s.From < 0 {
				return s, Version{}
			}
			return s, g.Versions[s.From]
		}
	}
	t.Fatalf("no article %d", article)
	return Source{}, Version{}
}

// A primary source is the root even when its date is later than the
// versions that quote it, and a pinned reference wins over it.
func TestRoots(t *testing.T) {
	c := Cluster{ID: 1, Versions: []Version{
		version(1, "BBC", strings.Replace(report, " in the city's children's services", "", 1), at(30)),
		version(2, "Ofsted", report, at(60)),
		version(3, "ITV", report, at(45)),
	}}
	c.Versions[1].Primary = true
	g := Analyze([]Cluster{c}, Options{}).Graphs[0]
	if root := g.Versions[g.Variants[g.Root].Carriers[0]]; root.Article != 2 {
		t.Errorf("root is article %d, want the primary source 2", root.Article)
	}
	if _, from := sourceOf(t, g, 1); from.Article != 2 {
		t.Errorf("the BBC's trimmed version comes from %d, want the report", from.Article)
	}
	c.Versions[0].Pinned = true
	g = Analyze([]Cluster{c}, Options{}).Graphs[0]
	if root := g.Versions[g.Variants[g.Root].Carriers[0]]; root.Article != 1 {
		t.Errorf("root is article %d, want the pinned 1", root.Article)
	}
}

// Shared changes draw a version to the version that made them: C drops
// the word A dropped and rewords another, so it comes from A, not from
// the report or from B, which changed something else.
func TestSharedChanges(t *testing.T) {
	a := strings.Replace(report, "widespread and serious", "serious", 1)
	b := strings.Replace(report, "all service areas", "all areas", 1)
	cText := strings.Replace(a, "failures", "shortcomings", 1)
	c := Cluster{ID: 1, Versions: []Version{
		version(1, "Report", report, at(0)),
		version(2, "A", a, at(10)),
		version(3, "B", b, at(12)),
		version(4, "C", cText, at(30)),
	}}
	c.Versions[0].Primary = true
	g := Analyze([]Cluster{c}, Options{}).Graphs[0]
	src, from := sourceOf(t, g, 4)
	if from.Article != 2 {
		t.Fatalf("C comes from %d, want A", from.Article)
	}
	if len(src.Shared) != 1 || src.Shared[0].Dropped != "widespread and" || src.Shared[0].Added != "" {
		t.Errorf("shared changes %+v, want A's dropping of 'widespread and'", src.Shared)
	}
	v := g.Variants[g.VariantOf[3]]
	if v.Parent != g.VariantOf[1] || v.Evidence.Contained < 0.9 || v.Evidence.Order != Before || len(v.Evidence.New) != 1 ||
		v.Evidence.New[0].Dropped != "failures" || v.Evidence.New[0].Added != "shortcomings" {
		t.Errorf("C's variant: parent %d, evidence %+v", v.Parent, v.Evidence)
	}
	if v.Confidence <= 0.5 || v.Confidence > 1 {
		t.Errorf("C's confidence %.3f", v.Confidence)
	}
}

// Items of one day without times are not ordered: the text decides, so
// the fuller version is the source of the trimmed one whatever their
// order in the input.
func TestSameDay(t *testing.T) {
	trimmed := strings.Replace(report, " in the city's children's services", "", 1)
	for _, order := range [][2]int{{0, 1}, {1, 0}} {
		vs := []Version{version(1, "Guardian", trimmed, day(0)), version(2, "BBC", report, day(0))}
		c := Cluster{ID: 1, Versions: []Version{vs[order[0]], vs[order[1]]}}
		g := Analyze([]Cluster{c}, Options{}).Graphs[0]
		src, from := sourceOf(t, g, 1)
		if from.Article != 2 || src.Order != Same {
			t.Errorf("order %v: the Guardian's version from %d (%v), want the BBC's, same day", order, from.Article, src.Order)
		}
	}
}

// TestFragmentsOfOneQuote: outlets quoting different fragments of one
// long quote on the same day. A fragment that has root words another
// fragment dropped ("extremely high levels" against "direct talks at very
// high levels") is the root's, not a rewording of the other; and two
// outlets with the same fragment take it from the root with a confidence
// that is not shared out between the two of them.
func TestFragmentsOfOneQuote(t *testing.T) {
	const full = "we have had direct talks at very high levels, extremely high levels, with North Korea."
	c := Cluster{ID: 1, Versions: []Version{
		version(1, "Breitbart", "direct talks at very high levels", day(0)),
		version(2, "Fox", "extremely high levels", day(0)),
		version(3, "Times", "extremely high levels", day(0)),
		version(4, "USA Today", full, day(0)),
	}}
	g := Analyze([]Cluster{c}, Options{}).Graphs[0]
	entered := false
	for _, a := range []int64{2, 3} {
		src, from := sourceOf(t, g, a)
		if from.Article == 1 {
			t.Fatalf("article %d's fragment from the other fragment, which lacks its words", a)
		}
		if from.Article == 4 {
			entered = true
			if src.Confidence < 0.3 {
				t.Errorf("article %d from the full quote with confidence %.3f: its twin of the same day shared it out", a, src.Confidence)
			}
		}
	}
	if !entered {
		t.Fatal("neither fragment from the full quote")
	}
	v := g.Variants[g.VariantOf[1]]
	if v.Parent != g.Root || v.Confidence < 0.3 {
		t.Errorf("the fragment's variant from %d with confidence %.3f, want the root's (%d) and a confidence ≥ 0.3", v.Parent, v.Confidence, g.Root)
	}
}

// TestOwnArticleFragment: an article that quotes a fragment in its lede
// and the whole quote further down cut the fragment from its own quote,
// not from another outlet's shorter version a word nearer it.
func TestOwnArticleFragment(t *testing.T) {
	c := Cluster{ID: 1, Versions: []Version{
		version(1, "Times", "They do have my blessing to discuss the end of the war", day(0)),
		version(2, "Fox", "have my blessing to discuss the end of the war.", day(0)),
		version(1, "Times", "discuss the end of the war", day(0)),
	}}
	g := Analyze([]Cluster{c}, Options{}).Graphs[0]
	if src := g.Sources[2]; src.From != 0 {
		t.Errorf("the Times' lede fragment from version %d, want 0, the Times' own whole quote", src.From)
	}
	res := Analyze([]Cluster{c}, Options{})
	for _, e := range res.Edges {
		if e.From == "Fox" && e.To == "Times" {
			t.Errorf("a pickup Fox -> Times from the Times' own fragment: %+v", e)
		}
	}
}

// TestIdenticalUnordered: two outlets carrying the same words on the same
// day, neither known to be first, make no pickup: nothing says who took
// them from whom. Known to be first, or named a primary source, the one
// is the other's source in the graph too.
func TestIdenticalUnordered(t *testing.T) {
	for _, c := range []struct {
		name       string
		a, b       Stamp
		primary    bool
		wantPickup bool
	}{
		{"same day, no times", day(0), day(0), false, false},
		{"dates unknown", Stamp{}, Stamp{}, false, false},
		{"an hour apart", at(0), at(60), false, true},
		{"same day, the first a primary source", day(0), day(0), true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := version(1, "ITV", report, c.a)
			a.Primary = c.primary
			cl := Cluster{ID: 1, Versions: []Version{a, version(2, "BBC", report, c.b)}}
			res := Analyze([]Cluster{cl}, Options{})
			if got := len(res.Edges) > 0; got != c.wantPickup {
				t.Errorf("edges %+v, want a pickup: %v", res.Edges, c.wantPickup)
			}
			if g := res.Graphs[0]; len(g.Variants) != 1 {
				t.Errorf("%d variants of one wording", len(g.Variants))
			}
		})
	}
}

// A fuller version published after a fragment does not come from the
// fragment: it would have had to restore the dropped words. It comes from
// an unseen source, and is a root of its own.
func TestUnseenSource(t *testing.T) {
	fragment := "widespread and serious failures"
	c := Cluster{ID: 1, Versions: []Version{
		version(1, "Guardian", "There are "+fragment+".", at(0)),
		version(2, "BBC", report, at(60)),
	}}
	g := Analyze([]Cluster{c}, Options{}).Graphs[0]
	src, _ := sourceOf(t, g, 2)
	if !src.Unseen || src.From != -1 {
		t.Fatalf("BBC's source %+v, want an unseen one", src)
	}
	v := g.Variants[g.VariantOf[1]]
	if v.Parent != -1 || !v.Evidence.Unseen {
		t.Errorf("BBC's variant %+v", v)
	}
	res := Analyze([]Cluster{c}, Options{})
	if len(res.Edges) != 0 {
		t.Errorf("edges %+v, want none", res.Edges)
	}
}

// Whatever the dates and texts, the sources form a forest and each
// variant's parents lead to a root without a cycle; confidences are
// probabilities.
func TestNoCycles(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	words := strings.Fields(report)
	for trial := range 300 {
		n := 2 + r.IntN(12)
		c := Cluster{ID: int64(trial)}
		for i := range n {
			w := slices.Clone(words)
			for range r.IntN(4) {
				k := r.IntN(len(w))
				switch r.IntN(3) {
				case 0:
					w = append(w[:k:k], w[k+1:]...)
				case 1:
					w[k] = words[r.IntN(len(words))]
				default:
					w = append(w[:k:k], append([]string{"indeed"}, w[k:]...)...)
				}
			}
			var when Stamp
			switch r.IntN(3) {
			case 0:
				when = at(r.IntN(120))
			case 1:
				when = day(r.IntN(2))
			}
			v := version(int64(i+1), []string{"A", "B", "C", "D"}[r.IntN(4)], strings.Join(w, " "), when)
			v.Primary = r.IntN(10) == 0
			c.Versions = append(c.Versions, v)
		}
		g := Analyze([]Cluster{c}, Options{}).Graphs[0]
		for i := range g.Versions {
			seen := map[int]bool{}
			for k := i; k >= 0; k = g.Sources[k].From {
				if seen[k] {
					t.Fatalf("trial %d: the sources cycle through version %d", trial, k)
				}
				seen[k] = true
			}
			if c := g.Sources[i].Confidence; c <= 0 || c > 1+1e-9 {
				t.Fatalf("trial %d: confidence %v", trial, c)
			}
			if s := g.Sources[i]; s.From >= 0 && Order(g.Versions[s.From].Time, g.Versions[i].Time) == After && !g.Versions[s.From].Primary {
				t.Fatalf("trial %d: version %d taken from one published after it", trial, i)
			}
		}
		for vi := range g.Variants {
			seen := map[int]bool{}
			for k := vi; k >= 0; k = g.Variants[k].Parent {
				if seen[k] {
					t.Fatalf("trial %d: the variants cycle through %d", trial, k)
				}
				seen[k] = true
			}
		}
		if g.Variants[g.Root].Parent != -1 {
			t.Fatalf("trial %d: the root has a parent", trial)
		}
	}
}

// The corpus graph: one pickup per cluster and pair of outlets, the first
// carriers (ties shared), the median lag and the share of versions taken
// from a primary source.
func TestCorpus(t *testing.T) {
	trimmed := strings.Replace(report, " in the city's children's services", "", 1)
	var clusters []Cluster
	for k := range 3 {
		c := Cluster{ID: int64(k + 1), Versions: []Version{
			version(int64(10*k+1), "Ofsted", report, at(0)),
			version(int64(10*k+2), "Wire", trimmed, at(10+10*k)),
			version(int64(10*k+3), "Paper", strings.Replace(trimmed, "serious", "grave", 1), at(60+10*k)),
		}}
		c.Versions[0].Primary = true
		clusters = append(clusters, c)
	}
	// Two outlets of the same day, without times: both first.
	clusters = append(clusters, Cluster{ID: 9, Versions: []Version{
		version(91, "Wire", report, day(3)), version(92, "Paper", trimmed, day(3)),
	}})
	res := Analyze(clusters, Options{})
	edge := func(from, to string) Edge {
		for _, e := range res.Edges {
			if e.From == from && e.To == to {
				return e
			}
		}
		return Edge{}
	}
	if e := edge("Ofsted", "Wire"); e.Weight != 3 || e.MedianLag != 20*time.Minute || e.Lags != 3 || e.LagResolution != time.Minute {
		t.Errorf("Ofsted → Wire: %+v", e)
	}
	if e := edge("Wire", "Paper"); e.Weight != 4 || len(e.Pickups) != 4 || e.Pickups[0].Cluster != 1 || e.LagResolution != 24*time.Hour {
		t.Errorf("Wire → Paper: %+v", e)
	}
	stats := map[string]OutletStat{}
	for _, s := range res.Outlets {
		stats[s.Outlet] = s
	}
	if s := stats["Ofsted"]; s.First != 3 || s.Sole != 3 || s.Clusters != 3 {
		t.Errorf("Ofsted: %+v", s)
	}
	if s := stats["Paper"]; s.First != 1 || s.Sole != 0 || s.Versions != 4 || s.FromPrimary != 0 {
		t.Errorf("Paper: %+v", s)
	}
	if s := stats["Wire"]; s.FromPrimary != 3 || s.Secondary != 4 || s.PrimaryShare() != 0.75 {
		t.Errorf("Wire: %+v", s)
	}
}

// TestAnalyzeProgress: the progress told rises to every cluster once per
// pass, one call at a time.
func TestAnalyzeProgress(t *testing.T) {
	var cs []Cluster
	for id := range 700 {
		cs = append(cs, Cluster{ID: int64(id), Versions: []Version{
			{Article: 1, Outlet: "A", Text: "the inspectors found serious failures"},
			{Article: 2, Outlet: "B", Text: "the inspectors found failures"}}})
	}
	var got []int
	var calls atomic.Int32
	res := Analyze(cs, Options{Progress: func(done, total int) {
		if calls.Add(1) != 1 {
			t.Error("two calls at once")
		}
		defer calls.Add(-1)
		if total != 3*len(cs) {
			t.Errorf("total %d, want %d", total, 3*len(cs))
		}
		got = append(got, done)
	}})
	if len(res.Graphs) != len(cs) {
		t.Fatalf("%d graphs", len(res.Graphs))
	}
	if len(got) < 2 || got[len(got)-1] != 3*len(cs) {
		t.Fatalf("progress told %v, want it to end at %d", got, 3*len(cs))
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Errorf("progress fell or stood: %v", got)
			break
		}
	}
}

// TestLagOnlyToTheDay: a lag is measured between dates known to the day or
// finer; from or to a month, or a time in an unknown zone, it is unknown
// (the starts of such spans are not when the versions appeared).
func TestLagOnlyToTheDay(t *testing.T) {
	month := Stamp{Lo: t0.Truncate(24*time.Hour).AddDate(0, 0, -30), Hi: t0.Truncate(24*time.Hour).AddDate(0, 0, 1), Known: true}
	for _, c := range []struct {
		name  string
		a, b  Stamp
		want  time.Duration
		known bool
	}{
		{"minutes", at(0), at(90), 90 * time.Minute, true},
		{"days", day(0), day(2), 48 * time.Hour, true},
		// Against a day, whole days: the days between the dates.
		{"a day to a minute", day(0), at(24 * 60), 24 * time.Hour, true}, // t0 is 08:00
		{"a minute to the next day", at(0), day(1), 24 * time.Hour, true},
		{"a minute to its own day", at(0), day(0), 0, true},
		{"a day to a minute that day", day(0), at(10 * 60), 0, true},
		{"after, never negative", at(90), at(0), 0, true},
		{"from a month", month, day(2), 0, false},
		{"to a time in any zone", at(0), anyZone(at(600)), 0, false},
		{"from a time in any zone", anyZone(at(0)), at(600), 0, false},
		{"undated", Stamp{}, at(0), 0, false},
	} {
		got, known := lag(c.a, c.b)
		if got != c.want || known != c.known {
			t.Errorf("%s: lag %v, %v; want %v, %v", c.name, got, known, c.want, c.known)
		}
	}
}

// copySentences are an article's passages: five of a report's sentences
// and, with more, made-up paragraphs, enough for the lag model to fit a
// copy's lags.
func copySentences(more int) []string {
	out := []string{
		report,
		"Corporate leaders continue to lack understanding of the scale of improvement required.",
		"The pace of change has been very slow since the last inspection in 2018.",
		"Too many children are left in situations of risk for too long.",
		"The council said it accepted the findings and would act on them.",
	}
	for k := range more {
		out = append(out, fmt.Sprintf("Paragraph %d of the article reports what was found at the home in ward %d.", k, k))
	}
	return out
}

// copyClusters are the clusters of an article (1, the Herald) and its
// copies: for each passage, the versions each article's text makes of it
// (text returns "" for an article without the passage), then the
// whole-article cluster the analysis adds (ID 99).
func copyClusters(sentences []string, arts []Version, text func(art int64, k int, s string) string) []Cluster {
	var cs []Cluster
	whole := make([][]string, len(arts))
	for k, s := range sentences {
		var vs []Version
		for a, v := range arts {
			if t := text(v.Article, k, s); t != "" {
				v.Text = t
				vs = append(vs, v)
				whole[a] = append(whole[a], t)
			}
		}
		cs = append(cs, Cluster{ID: int64(k + 1), Versions: vs})
	}
	var vs []Version
	for a, v := range arts {
		v.Text = strings.Join(whole[a], " ")
		vs = append(vs, v)
	}
	return append(cs, Cluster{ID: 99, Versions: vs})
}

// An edge's lag resolution is that of the lags it counts: of two Echo
// articles taking the Wire's sentence in one cluster, the one dated to
// the minute counts, and the one dated to the day had made the edge's
// lags read as to the day.
func TestLagResolutionOfCounted(t *testing.T) {
	s := report
	res := Analyze([]Cluster{{ID: 1, Versions: []Version{
		version(1, "Wire", s, at(0)),
		version(2, "Echo", strings.TrimSuffix(s, "."), day(1)),
		version(3, "Echo", strings.Replace(s, "widespread and ", "", 1), at(60)),
	}}}, Options{})
	if len(res.Edges) != 1 {
		t.Fatalf("edges %+v", res.Edges)
	}
	if e := res.Edges[0]; len(e.Pickups) != 1 || e.Pickups[0].To != 3 || e.Lags != 1 || e.LagResolution != time.Minute {
		t.Errorf("edge %+v: want the minute's pickup, resolution a minute", e)
	}
}

// timesBetween is a copy of the Herald's article of 25 passages by the
// Echo (at echo), three of which the Times had run in between (at
// times), and the Echo's versions of the Times's own words in clusters
// 200 on: quoted, when, and what the Echo made of them.
func timesBetween(herald, times, echo Stamp, quoted []string, when func(k int) (Stamp, Stamp), made func(string) string) []Cluster {
	cs := copyClusters(copySentences(20), []Version{version(1, "Herald", "", herald), version(3, "Times", "", times), version(2, "Echo", "", echo)}, func(art int64, k int, s string) string {
		if art == 3 && k >= 3 {
			return ""
		}
		return s
	})
	cs[len(cs)-1].Versions = slices.Delete(cs[len(cs)-1].Versions, 1, 2)
	for k, s := range quoted {
		t, e := when(k)
		cs = append(cs, Cluster{ID: int64(200 + k), Versions: []Version{version(int64(100+k), "Times", s, t), version(int64(300+k), "Echo", made(s), e)}})
	}
	return cs
}

// An outlet running another's article whole or nearly (a syndicated copy)
// takes every passage of it: counted once per cluster, one article made an
// edge of as many clusters as it has passages, and as many lags, and
// drew a third outlet's versions to the copy. With the versions marked as
// one syndicated text (Copy), the copy counts once; it is not lost where
// the likeliest of its pickups is one the graph passes over (the same
// words the same day); its passages are taken from its original rather
// than from a third outlet with the same words; and pickups outside the
// copy count as before.
func TestSyndicatedCountsOnce(t *testing.T) {
	same := func(_ int64, _ int, s string) string { return s }
	twoQuotes := []string{"The mayor said the city would appeal against the ruling within the month.", "Residents said the closure of the library had left the ward without a meeting place."}
	trimStop := func(s string) string { return strings.TrimSuffix(s, ".") }
	herald, echo := version(1, "Herald", "", at(0)), version(2, "Echo", "", at(120))
	for _, c := range []struct {
		name string
		in   func() []Cluster
		copy map[int64]int64 // article → its syndicated text
		// want is the pickup graph with the copies marked; unmarked, when
		// not nil, without.
		want, unmarked map[string]int
	}{
		{
			name: "a copy of 25 passages two hours on, and the Times quoting two",
			in: func() []Cluster {
				cs := copyClusters(copySentences(20), []Version{herald, echo, version(3, "Times", "", at(240))}, func(art int64, k int, s string) string {
					if art == 3 {
						if k >= 2 {
							return ""
						}
						return strings.TrimSuffix(s, ".")
					}
					return s
				})
				cs[len(cs)-1].Versions = cs[len(cs)-1].Versions[:2]
				// Elsewhere the Echo takes the Times's own sentence.
				reworded := "Inspectors said leaders still do not grasp how much must improve."
				return append(cs, Cluster{ID: 100, Versions: []Version{version(3, "Times", reworded, at(0)), version(4, "Echo", reworded+" Officials agreed", at(60))}})
			},
			copy: map[int64]int64{1: 1, 2: 1},
			want: map[string]int{"Herald → Echo": 1, "Herald → Times": 2, "Times → Echo": 1},
			// Unmarked, the copy's pickups and lags also drew the Times's
			// versions to the Echo, the copy, rather than to the Herald.
			unmarked: map[string]int{"Herald → Echo": 26, "Echo → Times": 2, "Times → Echo": 1},
		},
		{
			name: "the same day, the Herald's versions of two quotes pinned",
			in: func() []Cluster {
				cs := copyClusters(copySentences(0), []Version{version(1, "Herald", "", day(0)), version(2, "Echo", "", day(0))}, same)
				cs[0].Versions[0].Pinned, cs[1].Versions[0].Pinned = true, true
				return cs
			},
			copy:     map[int64]int64{1: 1, 2: 1},
			want:     map[string]int{"Herald → Echo": 1},
			unmarked: map[string]int{"Herald → Echo": 2},
		},
		{
			name: "the same day, a passage trimmed and a paragraph added",
			in: func() []Cluster {
				arts := []Version{version(1, "Herald", "", day(0)), version(2, "Echo", "", day(0))}
				return copyClusters(append(copySentences(0), "Readers can write to the Echo's newsdesk about the service."), arts, func(art int64, k int, s string) string {
					switch {
					case art == 1 && k == 5:
						return ""
					case art == 2 && k == 2:
						return strings.Replace(s, "very slow", "slow", 1)
					}
					return s
				})
			},
			copy: map[int64]int64{1: 1, 2: 1},
			want: map[string]int{"Herald → Echo": 1},
		},
		{
			// The Times's passages may be taken from the Echo or the
			// Herald alike: one copy, counted once (per pair of articles,
			// it had been counted from both).
			name: "a copy of a copy",
			in: func() []Cluster {
				return copyClusters(copySentences(20), []Version{herald, echo, version(3, "Times", "", at(240))}, func(art int64, k int, s string) string {
					if art > 1 && k == 2 {
						return strings.Replace(s, "very slow", "slow", 1)
					}
					return s
				})
			},
			copy: map[int64]int64{1: 1, 2: 1, 3: 1},
			want: map[string]int{"Herald → Echo": 1, "Echo → Times": 1},
		},
		{
			name: "two copies in one outlet",
			in: func() []Cluster {
				return copyClusters(copySentences(0), []Version{version(1, "Wire", "", at(0)), version(2, "Echo", "", at(120)), version(3, "Echo", "", at(600))}, same)
			},
			// Weights count clusters: both copies' pickups are in each.
			copy: map[int64]int64{1: 1, 2: 1, 3: 1},
			want: map[string]int{"Wire → Echo": 1},
		},
		{
			// Without the copy drawing its passages to its original, they
			// went to the Times, which the Echo quotes elsewhere.
			name: "the Times has three of the passages before the copy",
			in: func() []Cluster {
				return timesBetween(at(60), at(240), at(420), twoQuotes, func(int) (Stamp, Stamp) { return at(0), at(100) }, trimStop)
			},
			copy: map[int64]int64{1: 1, 2: 1},
			want: map[string]int{"Herald → Echo": 1, "Herald → Times": 3, "Times → Echo": 2},
		},
		{
			// A week and more apart, the Herald is a far candidate of the
			// copy's versions, summed by wording.
			name: "a copy nine days on, the Times with three passages between",
			in: func() []Cluster {
				return timesBetween(day(0), day(5), day(9), twoQuotes, func(int) (Stamp, Stamp) { return day(1), day(2) }, trimStop)
			},
			copy: map[int64]int64{1: 1, 2: 1},
			want: map[string]int{"Herald → Echo": 1, "Herald → Times": 3, "Times → Echo": 2},
		},
		{
			// The copy carries the Times's rewording of one passage, word
			// for word: its version is the Times's, whatever the copy.
			name: "the copy has another outlet's exact rewording",
			in: func() []Cluster {
				reworded := strings.Replace(copySentences(0)[2], "since the last inspection", "since the last full Ofsted inspection", 1)
				return copyClusters(copySentences(0), []Version{herald, version(3, "Times", "", at(60)), echo}, func(art int64, k int, s string) string {
					switch {
					case art == 3 && k != 2:
						return ""
					case art != 1 && k == 2:
						return reworded
					}
					return s
				})[:5]
			},
			copy: map[int64]int64{1: 1, 2: 1},
			want: map[string]int{"Herald → Echo": 1, "Herald → Times": 1, "Times → Echo": 1},
		},
		{
			// The Echo takes the Times's words in forty clusters; its copy
			// of the Herald still counts, and the three passages the
			// Times had too, in the same words, are the Herald's (by
			// the Echo's habit they had gone to the Times).
			name: "a copy by an outlet that habitually takes another's words",
			in: func() []Cluster {
				var quoted []string
				for k := range 40 {
					quoted = append(quoted, fmt.Sprintf("The Times reported on the %d closures in district %d this week.", k+2, k))
				}
				// Lags from 20 minutes to a day, as a habit's are.
				return timesBetween(at(60), at(240), at(420), quoted, func(k int) (Stamp, Stamp) { return at(0), at(20 + (k*37)%1420) },
					func(s string) string { return strings.TrimSuffix(s, " this week.") })
			},
			copy: map[int64]int64{1: 1, 2: 1},
			want: map[string]int{"Herald → Echo": 1, "Herald → Times": 3, "Times → Echo": 40},
		},
		{
			// The Echo's own article quotes the first passage the next
			// day: a pickup of its own, which the copy's, held in the same
			// cluster, had taken the place of.
			name: "the copying outlet quotes a passage itself",
			in: func() []Cluster {
				cs := copyClusters(copySentences(20), []Version{herald, echo}, same)
				cs[0].Versions = append(cs[0].Versions, version(7, "Echo", strings.Join(strings.Fields(report)[2:], " "), at(24*60)))
				return cs
			},
			copy: map[int64]int64{1: 1, 2: 1},
			want: map[string]int{"Herald → Echo": 2},
		},
		{
			// The copy is dated only to the day of the Herald's 08:00,
			// with a word changed that only the whole-article cluster
			// holds: as the earlier start (midnight) it had been made the
			// original.
			name: "a copy dated to its timed original's day",
			in: func() []Cluster {
				cs := copyClusters(copySentences(20), []Version{herald, version(2, "Echo", "", day(0))}, func(art int64, k int, s string) string {
					if art == 2 && k == 2 {
						return strings.Replace(s, "inspection", "review", 1)
					}
					return s
				})
				return append(cs[:2], cs[3:]...)
			},
			copy:     map[int64]int64{1: 1, 2: 1},
			want:     map[string]int{"Herald → Echo": 1},
			unmarked: map[string]int{"Herald → Echo": 1},
		},
	} {
		for _, marked := range []bool{true, false} {
			want := c.want
			if !marked {
				if want = c.unmarked; want == nil {
					continue
				}
			}
			in := c.in()
			if marked {
				for _, cl := range in {
					for i := range cl.Versions {
						cl.Versions[i].Copy = c.copy[cl.Versions[i].Article]
					}
				}
			}
			res := Analyze(in, Options{})
			// A share of the candidates' likelihood: never above one (far
			// candidates are summed without the copy's bonus, and the one
			// chosen must be scored as they were).
			for _, g := range res.Graphs {
				for i, src := range g.Sources {
					if src.Confidence > 1+1e-9 {
						t.Errorf("%s (marked %v): cluster %d: version %d's source has confidence %v", c.name, marked, g.Cluster, i, src.Confidence)
					}
				}
			}
			got := map[string]int{}
			for _, e := range res.Edges {
				got[e.From+" → "+e.To] = e.Weight
				if len(e.Pickups) != e.Weight {
					t.Errorf("%s: %s → %s weighs %d with %d pickups", c.name, e.From, e.To, e.Weight, len(e.Pickups))
				}
			}
			if !maps.Equal(got, want) {
				t.Errorf("%s (marked %v): edges %v, want %v", c.name, marked, got, want)
			}
			if c.unmarked == nil || c.unmarked["Herald → Echo"] < 20 {
				continue
			}
			// The lag model sees the copy's lag once: too few lags to fit;
			// the prior weighs every passage the Echo took from the
			// Herald, the habit that keeps them together.
			if fitted := fitLags(res.Graphs).timed; fitted == marked {
				t.Errorf("%s (marked %v): lag model fitted %v", c.name, marked, fitted)
			}
			prep, outlets := prepareAll(c.in())
			pr := newPrior(prep, res.Graphs, outlets)
			h, e := prep[0].outlet[0], prep[0].outlet[1]
			if w := pr.from[pairKey(h, e)]; w < 25 {
				t.Errorf("%s (marked %v): the prior weighs Herald → Echo %.2f, want every passage", c.name, marked, w)
			}
		}
	}
}
