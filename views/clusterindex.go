package views

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/fold"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Cluster index: what filtering and sorting need, computed once per load
// from the clusters' rows (no member text), so that a keystroke in the
// search box is a scan of flat in-memory slices however many hundred
// thousand clusters the project holds.

type clusterInfo struct {
	row        *data.ClusterRow
	ref        int      // index of the reference version
	outlets    []string // distinct, sorted
	divergence int      // versions saying more or other than the reference
	figures    bool
	speaker    string // folded
}

func oneLine(s string, maxRunes int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxRunes {
		rs := []rune(s)
		s = string(rs[:maxRunes]) + "…"
	}
	return s
}

func indexClusters(rows []data.ClusterRow) []clusterInfo {
	out := make([]clusterInfo, len(rows))
	speakers := map[string]string{} // name → folded: a few thousand names for 500,000 rows
	// Each row's outlets are cut from shared arrays: one allocation per
	// thousands of rows rather than one per row.
	var outlets []string
	for i := range rows {
		r := &rows[i]
		folded, ok := speakers[r.Speaker]
		if !ok {
			folded = fold.String(r.Speaker)
			speakers[r.Speaker] = folded
		}
		info := clusterInfo{row: r, speaker: folded}
		if cap(outlets)-len(outlets) < len(r.Versions) {
			outlets = make([]string, 0, max(len(r.Versions), 1<<14))
		}
		start := len(outlets)
		for j, v := range r.Versions {
			if v.Reference {
				info.ref = j
			}
			if !slices.Contains(outlets[start:], v.Outlet) {
				outlets = append(outlets, v.Outlet)
			}
			diverges := false
			for _, rel := range v.Relations {
				if rel == vocab.RelFiguresDiffer {
					info.figures = true
				}
				if !rel.Faithful() {
					diverges = true
				}
			}
			if diverges && !v.Reference {
				info.divergence++
			}
		}
		info.outlets = outlets[start:len(outlets):len(outlets)]
		slices.Sort(info.outlets)
		out[i] = info
	}
	return out
}

// clusterIndex is one load of the compare screen: the clusters' rows,
// indexed for filtering and in both sort orders, with the speaker and
// outlet choices they offer. It is built off the UI goroutine and handed
// to the screen whole; the search text follows in a second step.
type clusterIndex struct {
	rows  []data.ClusterRow
	infos []clusterInfo
	// bySpread and byDivergence list the rows in each sort order, so that
	// filtering keeps an order rather than sorting.
	bySpread, byDivergence []int32
	speakers               map[string]bool // folded names of the clusters' speakers
	// speakerChoices and outletChoices fill the speaker and outlet
	// drop-downs.
	speakerChoices []string
	outletChoices  []string // sorted
	// haystack is the clusters' text to search, nil until it is loaded.
	haystack *searchIndex
}

func newClusterIndex(rows []data.ClusterRow) clusterIndex {
	ix := clusterIndex{rows: rows, infos: indexClusters(rows), speakers: map[string]bool{}}
	counts := map[string]int{}
	outlets := map[string]bool{}
	hasUnattributed := false
	for i := range ix.infos {
		in := &ix.infos[i]
		if in.row.Speaker == "" {
			hasUnattributed = true
		} else {
			ix.speakers[in.speaker] = true
			counts[in.row.Speaker]++
		}
		for _, o := range in.outlets {
			outlets[o] = true
		}
	}
	ix.speakerChoices = speakerOptions(counts, hasUnattributed)
	ix.outletChoices = sortedKeys(outlets)
	spread := func(i int32) int { return len(ix.infos[i].outlets) }
	divergence := func(i int32) int { return ix.infos[i].divergence }
	ix.bySpread = sortByKeys(len(rows), spread, divergence)
	ix.byDivergence = sortByKeys(len(rows), divergence, spread)
	return ix
}

// sortByKeys orders 0…n-1 by first, then by second, both descending, then
// by index (the rows come in ID order). Both keys are small counts
// (outlets, versions), so two stable counting sorts do in linear time what
// a comparison sort of 500,000 rows takes a tenth of a second for.
func sortByKeys(n int, first, second func(int32) int) []int32 {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	tmp := make([]int32, n)
	for _, key := range []func(int32) int{second, first} {
		top := 0
		for _, i := range order {
			top = max(top, key(i))
		}
		// count[k] becomes where the first row with key top-k goes
		count := make([]int, top+2)
		for _, i := range order {
			count[top-key(i)+1]++
		}
		for k := 1; k < len(count); k++ {
			count[k] += count[k-1]
		}
		for _, i := range order {
			k := top - key(i)
			tmp[count[k]] = i
			count[k]++
		}
		order, tmp = tmp, order
	}
	return order
}

// searchIndex is the folded text of every cluster of a load in one string,
// cluster after cluster, so that a search is one pass of strings.Index
// over it rather than a call per cluster.
type searchIndex struct {
	text string
	ends []int // ends[i] is where row i's text ends in text
	// The last search's needle and result: the result is reused while
	// the needle stays (another filter changed), and narrowed when the
	// needle grows (the user typed on).
	needle string
	hits   []bool
}

// newSearchBuilder starts an index of rows' search text; add the texts in
// ID order.
func newSearchBuilder(rows []data.ClusterRow) *searchBuilder {
	return &searchBuilder{rows: rows, ends: make([]int, 0, len(rows))}
}

// searchBuilder gathers the search text the store streams, matching it to
// the rows by ID: the rows and the text are two reads, and a cluster
// stored or deleted between them only has no text to find.
type searchBuilder struct {
	rows []data.ClusterRow
	b    strings.Builder
	ends []int
}

// add appends cluster id's text; ids come in increasing order.
func (sb *searchBuilder) add(id int64, folded string) {
	for len(sb.ends) < len(sb.rows) && sb.rows[len(sb.ends)].ID <= id {
		if sb.rows[len(sb.ends)].ID == id {
			sb.b.WriteString(folded)
		}
		// Folded text has no line breaks: no match runs from one
		// cluster's text into the next.
		sb.b.WriteByte('\n')
		sb.ends = append(sb.ends, sb.b.Len())
	}
}

func (sb *searchBuilder) done() *searchIndex {
	for len(sb.ends) < len(sb.rows) {
		sb.ends = append(sb.ends, sb.b.Len())
	}
	return &searchIndex{text: sb.b.String(), ends: sb.ends}
}

// matches reports, for each row, whether its text contains needle, which
// is folded and not empty.
func (s *searchIndex) matches(needle string) []bool {
	if s.hits != nil && needle == s.needle {
		return s.hits
	}
	hits := make([]bool, len(s.ends))
	if s.hits != nil && strings.Contains(needle, s.needle) {
		// Only the rows that held the shorter needle can hold this one.
		for i, hit := range s.hits {
			if hit {
				hits[i] = strings.Contains(s.text[s.start(i):s.ends[i]], needle)
			}
		}
	} else {
		row := 0
		for at := 0; ; {
			j := strings.Index(s.text[at:], needle)
			if j < 0 {
				break
			}
			at += j
			// matches come in order, so the row only moves forward
			for s.ends[row] <= at {
				row++
			}
			hits[row] = true
			at = s.ends[row]
		}
	}
	s.needle, s.hits = needle, hits
	return hits
}

func (s *searchIndex) start(i int) int {
	if i == 0 {
		return 0
	}
	return s.ends[i-1]
}

// ClusterSort orders the compare screen's list.
type ClusterSort int

const (
	// SortBySpread puts the clusters carried by the most outlets first.
	SortBySpread ClusterSort = iota
	// SortByDivergence puts the clusters with the most versions that are
	// neither verbatim nor normalized first.
	SortByDivergence
)

// StatusFilter chooses clusters by status in a ClusterFilter.
type StatusFilter string

// Status filter values of ClusterFilter. StatusAgree and StatusDiverge
// keep the clusters stored with that status. StatusFiguresDiffer is the
// screen's own, not a status any cluster is stored with: it keeps the
// clusters with a version whose figures differ from the reference's (all
// of which diverge), the discrepancies a researcher checks first.
const (
	StatusAgree         = StatusFilter(vocab.StatusAgree)
	StatusDiverge       = StatusFilter(vocab.StatusDiverge)
	StatusFiguresDiffer = StatusFilter(vocab.RelFiguresDiffer)
)

// ClusterFilter chooses and orders the clusters the compare screen lists.
// Empty fields match everything.
type ClusterFilter struct {
	Status  StatusFilter
	Kind    vocab.UnitKind
	Speaker string // case-insensitive; exact when it names a speaker, else a substring; "unattributed" for none
	Outlet  string // clusters this outlet carries
	Search  string // case-insensitive substring of any version's text
	// Articles, when set, limits the list to clusters this group of
	// articles shares: versions in two of them (one, for a group of one).
	Articles []int64
	Sort     ClusterSort
}

const unattributed = "unattributed"

// sharedBy reports whether a cluster has versions in two articles of the
// group (sorted IDs), or in its only article.
func sharedBy(r *data.ClusterRow, group []int64) bool {
	need := min(2, len(group))
	var seen []int64
	for _, v := range r.Versions {
		if _, ok := slices.BinarySearch(group, v.ArticleID); ok && !slices.Contains(seen, v.ArticleID) {
			seen = append(seen, v.ArticleID)
			if len(seen) >= need {
				return true
			}
		}
	}
	return false
}

// searching reports whether f searches the text, which the index may not
// have loaded yet.
func (f ClusterFilter) searching() bool { return strings.TrimSpace(f.Search) != "" }

// filtered returns the indexes of the rows f keeps, in f's order, reusing
// out. A search before the text to search is loaded keeps nothing.
func (ix *clusterIndex) filtered(f ClusterFilter, out []int32) []int32 {
	out = out[:0]
	var hits []bool
	if f.searching() {
		if ix.haystack == nil {
			return out
		}
		hits = ix.haystack.matches(fold.String(strings.TrimSpace(f.Search)))
	}
	speaker := fold.String(strings.TrimSpace(f.Speaker))
	exactSpeaker := speaker == "" || ix.speakers[speaker]
	noSpeaker := speaker == unattributed && !ix.speakers[speaker]
	order := ix.bySpread
	if f.Sort == SortByDivergence {
		order = ix.byDivergence
	}
	for _, i := range order {
		in := &ix.infos[i]
		r := in.row
		switch f.Status {
		case StatusAgree, StatusDiverge:
			if r.Status != vocab.Status(f.Status) {
				continue
			}
		case StatusFiguresDiffer:
			if !in.figures {
				continue
			}
		}
		if f.Kind != "" && r.Kind != f.Kind {
			continue
		}
		switch {
		case speaker == "":
		case noSpeaker:
			if in.speaker != "" {
				continue
			}
		case exactSpeaker:
			if in.speaker != speaker {
				continue
			}
		default:
			if !strings.Contains(in.speaker, speaker) {
				continue
			}
		}
		if f.Outlet != "" {
			if _, ok := slices.BinarySearch(in.outlets, f.Outlet); !ok {
				continue
			}
		}
		if hits != nil && !hits[i] {
			continue
		}
		if len(f.Articles) > 0 && !sharedBy(r, f.Articles) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// speakerOptions lists the most quoted speakers first, capped so that the
// drop-down stays a usable menu; others are reached by typing.
func speakerOptions(counts map[string]int, unattributedToo bool) []string {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	names = names[:min(len(names), 200)]
	if unattributedToo {
		names = append(names, unattributed)
	}
	return names
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out
}
