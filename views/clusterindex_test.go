package views

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// The cluster index and filter are plain Go: these tests need no window.

func sortedIDs(ids ...int64) []int64 {
	slices.Sort(ids)
	return ids
}

// filterCase is a filter and the clusters of the fixture it lists, in order.
type filterCase struct {
	name   string
	filter ClusterFilter
	want   string
}

// filterCases run both on the index directly and through the compare
// screen's SetFilter. art maps outlets to their articles' IDs.
func filterCases(art map[string]int64) []filterCase {
	return []filterCase{
		{"default: by spread", ClusterFilter{}, "CBADE"},
		{"by divergence", ClusterFilter{Sort: SortByDivergence}, "CBDEA"},
		{"agree", ClusterFilter{Status: StatusAgree}, "A"},
		{"diverge", ClusterFilter{Status: StatusDiverge}, "CBDE"},
		{"figures differ", ClusterFilter{Status: StatusFiguresDiffer}, "D"},
		{"findings", ClusterFilter{Kind: "finding"}, "D"},
		{"quotes", ClusterFilter{Kind: "quote"}, "CBAE"},
		{"speaker exact", ClusterFilter{Speaker: "Ofsted"}, "AE"},
		{"speaker any case", ClusterFilter{Speaker: "ofsted"}, "AE"},
		{"speaker fragment", ClusterFilter{Speaker: "hinch"}, "B"},
		{"unattributed", ClusterFilter{Speaker: "unattributed"}, "D"},
		{"outlet", ClusterFilter{Outlet: yp}, "CE"},
		{"search", ClusterFilter{Search: "let down"}, "B"},
		{"search folds case", ClusterFilter{Search: "CHILDREN"}, "CBD"},
		{"search phrase", ClusterFilter{Search: "ms haque said"}, "C"},
		{"search nothing", ClusterFilter{Search: "zebra"}, ""},
		{"combined", ClusterFilter{Status: StatusDiverge, Outlet: bbc, Sort: SortByDivergence}, "CBD"},
		{"group of two articles", ClusterFilter{Articles: sortedIDs(art[ta], art[yp])}, "C"},
		{"group shared three ways", ClusterFilter{Articles: sortedIDs(art[bbc], art[ta])}, "CBD"},
		{"group of one", ClusterFilter{Articles: []int64{art[yp]}}, "CE"},
	}
}

// indexOf indexes clusters (in ID order) as a load does: their rows, then
// the text to search, as the store makes both from the clusters.
func indexOf(cs []data.Cluster) clusterIndex {
	ix := newClusterIndex(data.NewClusterList(cs))
	sb := newSearchBuilder(ix.rows)
	for _, c := range cs {
		sb.add(c.ID, c.SearchText())
	}
	ix.haystack = sb.done()
	return ix
}

// indexedFixture indexes the fixture's clusters as a load does, without a
// store: articles numbered by outlet, clusters A to F numbered 1 to 6, and
// F, found in one article only, left out as the store's query leaves it;
// versions carry their article's outlet, as the store's join gives it.
// names spells listed rows as cluster letters.
func indexedFixture() (ix clusterIndex, art map[string]int64, names func(rows []int32) string) {
	art = map[string]int64{bbc: 1, itv: 2, ta: 3, guardian: 4, yp: 5}
	outletOf := map[int64]string{}
	for o, id := range art {
		outletOf[id] = o
	}
	var cs []data.Cluster
	for i, c := range fixtureClusters(art) {
		c.ID = int64(i + 1)
		for j := range c.Members {
			c.Members[j].Outlet = outletOf[c.Members[j].ArticleID]
		}
		if c.Articles >= DefaultMinArticles {
			cs = append(cs, c)
		}
	}
	ix = indexOf(cs)
	names = func(rows []int32) string {
		var b strings.Builder
		for _, r := range rows {
			b.WriteRune(rune('A' + ix.rows[r].ID - 1))
		}
		return b.String()
	}
	return ix, art, names
}

func TestFilterClusters(t *testing.T) {
	ix, art, names := indexedFixture()
	var rows []int32
	for _, tc := range filterCases(art) {
		rows = ix.filtered(tc.filter, rows)
		if got := names(rows); got != tc.want {
			t.Errorf("%s: listed %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestClusterIndex(t *testing.T) {
	ix, _, names := indexedFixture()
	cases := []struct {
		cluster    string
		ref        int // the reference's position among the members
		outlets    int
		divergence int // versions neither verbatim nor normalized
		figures    bool
		speaker    string
	}{
		{"A", 0, 3, 0, false, "ofsted"},
		{"B", 1, 4, 3, false, "susan hinchcliffe"},
		{"C", 0, 5, 4, false, "marium haque"},
		{"D", 0, 2, 1, true, ""},
		{"E", 0, 2, 1, false, "ofsted"},
	}
	if len(ix.infos) != len(cases) {
		t.Fatalf("indexed %d clusters, want %d", len(ix.infos), len(cases))
	}
	for i, want := range cases {
		in := ix.infos[i]
		if got := names([]int32{int32(i)}); got != want.cluster {
			t.Fatalf("info %d is cluster %s, want %s", i, got, want.cluster)
		}
		var outlets []string
		for _, o := range ix.outletsOf(i) {
			outlets = append(outlets, ix.outletChoices[o])
		}
		speaker := ix.folded[in.speaker]
		if int(in.ref) != want.ref || len(outlets) != want.outlets || int(in.spread) != want.outlets || int(in.divergence) != want.divergence ||
			in.figures != want.figures || speaker != want.speaker {
			t.Errorf("%s: ref %d, %d outlets, divergence %d, figures %v, speaker %q; want %+v",
				want.cluster, in.ref, len(outlets), in.divergence, in.figures, speaker, want)
		}
		if !slices.IsSorted(outlets) {
			t.Errorf("%s: outlets not sorted: %v", want.cluster, outlets)
		}
	}
	// The drop-downs: outlets by name; speakers most quoted first, then by
	// name, and "unattributed" for the finding with no speaker.
	if want := []string{bbc, itv, ta, guardian, yp}; !slices.Equal(ix.outletChoices, want) {
		t.Errorf("outlet choices %q, want %q", ix.outletChoices, want)
	}
	if want := []string{"Ofsted", "Marium Haque", "Susan Hinchcliffe", unattributed}; !slices.Equal(ix.speakerChoices, want) {
		t.Errorf("speaker choices %q, want %q", ix.speakerChoices, want)
	}
	if !ix.speakers["ofsted"] || ix.speakers[""] || len(ix.speakers) != 3 {
		t.Errorf("folded speakers %v", ix.speakers)
	}
}

// TestSearchFolds: search ignores case and curly against straight quotes,
// as the analyser's alignment does (both use package fold), whichever side
// has which.
func TestSearchFolds(t *testing.T) {
	cs := []data.Cluster{
		{ID: 1, Members: []data.ClusterMember{{Text: "The Council’s “Plan”"}}},
		{ID: 2, Members: []data.ClusterMember{{Text: `the council's "plan"`}}},
		{ID: 3, Members: []data.ClusterMember{{Text: "the council's plan"}}},
	}
	ix := indexOf(cs)
	for _, search := range []string{`the council's "plan"`, "THE COUNCIL’S “PLAN”"} {
		var ids []int64
		for _, i := range ix.filtered(ClusterFilter{Search: search}, nil) {
			ids = append(ids, ix.rows[i].ID)
		}
		if slices.Sort(ids); !slices.Equal(ids, []int64{1, 2}) {
			t.Errorf("search %q lists clusters %v, want 1 and 2", search, ids)
		}
	}
}

// syntheticClusters makes n clusters shaped like a real project's: two to
// twelve versions from 40 outlets, most of them verbatim copies, a fifth
// of them diverging with words of their own.
func syntheticClusters(n int) []data.Cluster {
	rng := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("the council said children services were failing inspectors found serious widespread failures across all areas minister promised action report budget million waiting families police health school")
	speakers := make([]string, 2000)
	for i := range speakers {
		speakers[i] = fmt.Sprintf("Speaker %d", i)
	}
	rels := vocab.Relations()
	out := make([]data.Cluster, n)
	for i := range out {
		var sb strings.Builder
		for k := range 12 + rng.IntN(20) {
			if k > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[rng.IntN(len(words))])
		}
		text := sb.String()
		c := data.Cluster{ID: int64(i + 1), Kind: "quote", Status: "agree", Speaker: speakers[rng.IntN(len(speakers))]}
		if rng.IntN(4) == 0 {
			c.Kind, c.Speaker = "finding", ""
		}
		members := 2 + rng.IntN(11)
		for j := range members {
			m := data.ClusterMember{ArticleID: int64(rng.IntN(100000)), Outlet: fmt.Sprintf("Outlet %02d", rng.IntN(40)), Text: text, Reference: j == 0}
			if j > 0 {
				m.Relations = []vocab.Relation{rels[rng.IntN(2)]}
				if rng.IntN(5) == 0 {
					m.Relations = []vocab.Relation{rels[2+rng.IntN(len(rels)-2)]}
					c.Status = "diverge"
					// a diverging version has words of its own
					m.Text = text[:len(text)/2] + " " + words[rng.IntN(len(words))] + " " + text[len(text)/2:]
				}
			}
			c.Members = append(c.Members, m)
		}
		c.Articles = members
		out[i] = c
	}
	return out
}

// TestSearchBeforeItsText: until the text to search has loaded, a search
// lists nothing rather than everything; the other filters work at once.
func TestSearchBeforeItsText(t *testing.T) {
	ix, _, names := indexedFixture()
	ix.haystack = nil
	if got := names(ix.filtered(ClusterFilter{Search: "children"}, nil)); got != "" {
		t.Errorf("search before its text: listed %q", got)
	}
	if got := names(ix.filtered(ClusterFilter{Speaker: "Ofsted"}, nil)); got != "AE" {
		t.Errorf("speaker before the text: listed %q", got)
	}
}

// TestSearchIndexMatches checks the one-pass search, with its result
// reused and narrowed as a user types, against a plain search of each
// cluster's text.
func TestSearchIndexMatches(t *testing.T) {
	cs := syntheticClusters(2000)
	// a few clusters with no text, and one missing from the text read
	cs[0].Members, cs[7].Members = nil, nil
	ix := indexOf(cs[:1500])
	sb := newSearchBuilder(ix.rows)
	for _, c := range cs[:1500] {
		if c.ID != 42 {
			sb.add(c.ID, c.SearchText())
		}
	}
	ix.haystack = sb.done()
	texts := make([]string, len(ix.rows))
	for i, c := range cs[:1500] {
		if c.ID != 42 {
			texts[i] = c.SearchText()
		}
	}
	for _, split := range []int{splitSearch, 0} {
		defer func(n int) { splitSearch = n }(splitSearch)
		splitSearch = split // 0: in two halves
		ix.haystack.hits = nil
		for _, needle := range []string{"s", "se", "ser", "serious", "serious f", "serious", "e", "council said", "council said",
			"zzz", "e s", "t", "lth s", "y p", "ly"} {
			hits := ix.haystack.matches(needle)
			for i, text := range texts {
				if want := strings.Contains(text, needle); hits[i] != want {
					t.Fatalf("split at %d: %q in cluster %d (%q): %v, want %v", split, needle, ix.rows[i].ID, text, hits[i], want)
				}
			}
		}
	}
}

// TestFinder checks the rare-byte search against strings.Index.
func TestFinder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const alphabet = "et zq,x"
	random := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	// frequencies that make some bytes rare enough to look for and leave
	// others to strings.Index
	freq := byteFrequencies(strings.Repeat("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeettttttttttttttttttttttttttttttttttttttttt      z,", 10))
	for range 20_000 {
		text, needle := random(rng.IntN(60)), random(1+rng.IntN(5))
		if got, want := finder(needle, freq)(text), strings.Index(text, needle); got != want {
			t.Fatalf("%q in %q: %d, want %d", needle, text, got, want)
		}
	}
}

func TestSortByKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, top := range []int{12, 30, 70_000} { // the last too wide to count
		a, b := make([]uint16, 5000), make([]uint16, 5000)
		for i := range a {
			a[i], b[i] = uint16(rng.IntN(12)), uint16(rng.IntN(min(top, 65535)))
		}
		got := sortByKeys(a, b)
		want := make([]int32, len(a))
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortFunc(want, func(i, j int32) int {
			if c := int(a[j]) - int(a[i]); c != 0 {
				return c
			}
			if c := int(b[j]) - int(b[i]); c != 0 {
				return c
			}
			return int(i - j)
		})
		if !slices.Equal(got, want) {
			t.Fatalf("keys up to %d: counting sort differs from a comparison sort", top)
		}
	}
}

// BenchmarkClusterFilterSort measures what a keystroke in the search box or
// a change of filter costs on a large project: filtering 50,000 clusters in
// memory, in an order sorted once per load. BenchmarkFilter500k does the
// same on 500,000 clusters loaded from a project.
func BenchmarkClusterFilterSort(b *testing.B) {
	cs := syntheticClusters(50_000)
	ix := indexOf(cs)
	var buf []int32
	for _, bc := range []struct {
		name string
		f    ClusterFilter
	}{
		{"sort all by spread", ClusterFilter{}},
		{"diverge+search, by divergence", ClusterFilter{Status: StatusDiverge, Search: "serious failures", Sort: SortByDivergence}},
		{"outlet+speaker fragment", ClusterFilter{Outlet: "Outlet 07", Speaker: "speaker 12"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				ix.haystack.hits = nil // every keystroke a new search
				buf = ix.filtered(bc.f, buf)
			}
			b.ReportMetric(float64(len(buf)), "shown")
		})
	}
	list := data.NewClusterList(cs)
	b.Run("index 50k clusters", func(b *testing.B) {
		for b.Loop() {
			newClusterIndex(list)
		}
	})
}
