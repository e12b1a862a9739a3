package views

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/diffing/fold"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Cluster index: what filtering and sorting need, computed once per load
// from the clusters' rows (no member text), so that a keystroke in the
// search box is a scan of flat in-memory slices however many hundred
// thousand clusters the project holds. The index holds numbers, not
// strings: outlets and speakers are numbered, which makes it quicker to
// build and to filter, and leaves the garbage collector nothing to trace.

// clusterInfo is what the index knows of one row.
type clusterInfo struct {
	ref        int32  // index of the reference version
	outlets    int32  // where the row's outlets start in clusterIndex.rowOutlets
	spread     uint16 // how many distinct outlets carry it
	divergence uint16 // versions saying more or other than the reference
	speaker    int32  // index into clusterIndex.folded
	figures    bool
}

func oneLine(s string, maxRunes int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxRunes {
		rs := []rune(s)
		s = string(rs[:maxRunes]) + "…"
	}
	return s
}

// clusterIndex is one load of the compare screen: the clusters' rows,
// indexed for filtering and in both sort orders, with the speaker and
// outlet choices they offer. It is built off the UI goroutine and handed
// to the screen whole; the search text follows in a second step.
type clusterIndex struct {
	rows  []data.ClusterRow
	infos []clusterInfo // by row
	// rowOutlets lists each row's outlets, sorted, as indexes into
	// outletChoices.
	rowOutlets []int32
	// folded are the speakers' names folded, numbered as clusterInfo's
	// speaker; speakers is the set of them, "" left out.
	folded   []string
	speakers map[string]bool
	// bySpread and byDivergence list the rows in each sort order, so that
	// filtering keeps an order rather than sorting.
	bySpread, byDivergence []int32
	// speakerChoices and outletChoices fill the speaker and outlet
	// drop-downs.
	speakerChoices []string
	outletChoices  []string // sorted
	// haystack is the clusters' text to search, nil until it is loaded.
	haystack *searchIndex
}

// outletsOf returns row i's outlets as indexes into outletChoices.
func (ix *clusterIndex) outletsOf(i int) []int32 {
	in := &ix.infos[i]
	return ix.rowOutlets[in.outlets : in.outlets+int32(in.spread)]
}

func newClusterIndex(list data.ClusterList) clusterIndex {
	rows := list.Rows
	ix := clusterIndex{rows: rows, infos: make([]clusterInfo, len(rows)), speakers: map[string]bool{}}
	var choice []int32 // the drop-down's number of each of the list's outlets
	ix.outletChoices, choice = byName(list.Outlets)
	// What the filters ask of relations, decided once per combination.
	figures := make([]bool, len(list.Relations))
	diverges := make([]bool, len(list.Relations))
	for k, rels := range list.Relations {
		for _, rel := range rels {
			figures[k] = figures[k] || rel == vocab.RelFiguresDiffer
			diverges[k] = diverges[k] || !rel.Faithful()
		}
	}
	// Speakers are numbered as they come.
	speakerIDs := map[string]int32{}
	var counts []int // clusters per speaker
	var names []string
	ix.rowOutlets = make([]int32, 0, len(rows)*3)
	for i := range rows {
		r := &rows[i]
		sp, ok := speakerIDs[r.Speaker]
		if !ok {
			sp = int32(len(names))
			speakerIDs[r.Speaker] = sp
			names = append(names, r.Speaker)
			counts = append(counts, 0)
		}
		counts[sp]++
		in := clusterInfo{speaker: sp, outlets: int32(len(ix.rowOutlets))}
		for j, v := range r.Versions {
			if v.Reference {
				in.ref = int32(j)
			}
			if o := choice[v.Outlet]; !slices.Contains(ix.rowOutlets[in.outlets:], o) {
				ix.rowOutlets = append(ix.rowOutlets, o)
			}
			in.figures = in.figures || figures[v.Relations]
			if diverges[v.Relations] && !v.Reference && in.divergence < math.MaxUint16 {
				in.divergence++
			}
		}
		in.spread = uint16(min(len(ix.rowOutlets)-int(in.outlets), math.MaxUint16))
		insertionSort(ix.rowOutlets[in.outlets:])
		ix.infos[i] = in
	}

	ix.folded = make([]string, len(names))
	byName := map[string]int{}
	hasUnattributed := false
	for k, name := range names {
		ix.folded[k] = fold.String(name)
		if name == "" {
			hasUnattributed = true
			continue
		}
		ix.speakers[ix.folded[k]] = true
		byName[name] = counts[k]
	}
	ix.speakerChoices = speakerOptions(byName, hasUnattributed)

	spread := make([]uint16, len(rows))
	divergence := make([]uint16, len(rows))
	for i, in := range ix.infos {
		spread[i], divergence[i] = in.spread, in.divergence
	}
	ix.bySpread = sortByKeys(spread, divergence)
	ix.byDivergence = sortByKeys(divergence, spread)
	return ix
}

// insertionSort sorts a row's few outlets, where slices.Sort's setting up
// would cost more than the sorting.
func insertionSort(s []int32) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// sortByKeys orders the rows by first, then by second, both descending,
// then by index (the rows come in ID order). Both keys are small counts
// (outlets, versions), so one counting sort on the pair does in linear
// time what a comparison sort of 500,000 rows takes a tenth of a second
// for; keys too large for that are sorted by comparison.
func sortByKeys(first, second []uint16) []int32 {
	top := uint64(0)
	for _, k := range second {
		top = max(top, uint64(k))
	}
	span := top + 1
	key := func(i int) uint64 { return uint64(first[i])*span + uint64(second[i]) }
	hi := uint64(0)
	for i := range first {
		hi = max(hi, key(i))
	}
	order := make([]int32, len(first))
	if hi > 4*uint64(len(first))+1024 {
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(key(int(b)), key(int(a))) })
		return order
	}
	// count[k] becomes where the first row with key hi-k goes
	count := make([]int, hi+2)
	for i := range first {
		count[hi-key(i)+1]++
	}
	for k := 1; k < len(count); k++ {
		count[k] += count[k-1]
	}
	for i := range first {
		k := hi - key(i)
		order[count[k]] = int32(i)
		count[k]++
	}
	return order
}

// searchIndex is the folded text of every cluster of a load in one string,
// cluster after cluster, so that a search is one pass of strings.Index
// over it rather than a call per cluster.
type searchIndex struct {
	text string
	ends []int // ends[i] is where row i's text ends in text
	// freq counts the bytes of a sample of text, for finder.
	freq *[256]int
	// The last search's needle and result: the result is reused while
	// the needle stays (another filter changed), and narrowed when the
	// needle grows (the user typed on).
	needle string
	hits   []bool
}

// newSearchBuilder starts an index of rows' search text (rows in ID
// order); add the texts in ID order.
func newSearchBuilder(rows []data.ClusterRow) *searchBuilder {
	return &searchBuilder{rows: rows, texts: make([]string, 0, len(rows))}
}

// searchBuilder gathers the search text the store streams, matching it to
// the rows by ID: the rows and the text are two reads, and a cluster
// stored or deleted between them only has no text to find. It keeps the
// texts as they come and joins them once, at their full length: a hundred
// megabytes grown a piece at a time are copied over and over.
type searchBuilder struct {
	rows  []data.ClusterRow
	texts []string // by row; "" for a row without text
	size  int
}

// add appends cluster id's text; ids come in increasing order.
func (sb *searchBuilder) add(id int64, folded string) {
	for len(sb.texts) < len(sb.rows) && sb.rows[len(sb.texts)].ID <= id {
		text := ""
		if sb.rows[len(sb.texts)].ID == id {
			text = folded
		}
		sb.texts = append(sb.texts, text)
		sb.size += len(text) + 1
	}
}

func (sb *searchBuilder) done() *searchIndex {
	for len(sb.texts) < len(sb.rows) {
		sb.texts = append(sb.texts, "")
		sb.size++
	}
	var b strings.Builder
	b.Grow(sb.size)
	ends := make([]int, len(sb.texts))
	for i, text := range sb.texts {
		b.WriteString(text)
		// Folded text has no line breaks: no match runs from one
		// cluster's text into the next.
		b.WriteByte('\n')
		ends[i] = b.Len()
	}
	s := &searchIndex{text: b.String(), ends: ends}
	s.freq = byteFrequencies(s.text)
	return s
}

// byteFrequencies counts the bytes of text, or of a sample of it spread
// over the whole when it is long: which letters are rare depends on the
// language of the articles, and a few megabytes tell.
func byteFrequencies(text string) *[256]int {
	var freq [256]int
	const piece, every = 4096, 64 * 1024
	for at := 0; at < len(text); at += every {
		for _, b := range []byte(text[at:min(len(text), at+piece)]) {
			freq[b]++
		}
	}
	return &freq
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
		// Two halves, each on a core of its own: a needle found nowhere
		// means reading the whole text, a hundred megabytes at 500,000
		// clusters.
		half := len(s.ends) / 2
		if len(s.text) < splitSearch {
			half = 0
		}
		var wg sync.WaitGroup
		wg.Go(func() { s.scan(needle, hits, 0, half) })
		s.scan(needle, hits, half, len(s.ends))
		wg.Wait()
	}
	s.needle, s.hits = needle, hits
	return hits
}

// splitSearch is the size of text from which a search runs in two halves;
// tests lower it.
var splitSearch = 1 << 22

// scan marks in hits the rows from first to end whose text holds needle.
func (s *searchIndex) scan(needle string, hits []bool, first, end int) {
	if first >= end {
		return
	}
	text := s.text[:s.ends[end-1]]
	find := finder(needle, s.freq)
	row := first
	for at := s.start(first); ; {
		j := find(text[at:])
		if j < 0 {
			return
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

// finder returns a search for needle in text whose bytes are about as
// frequent as freq counts. strings.Index looks for the needle's first byte
// and checks each place it occurs; in prose that byte is usually a common
// letter, and checking every one of them is most of a search. Looking for
// the needle's rarest byte instead skips most of the text at the speed of
// strings.IndexByte.
func finder(needle string, freq *[256]int) func(text string) int {
	rare := 0
	total := 0
	for i := range len(needle) {
		if freq[needle[i]] < freq[needle[rare]] {
			rare = i
		}
	}
	for _, n := range freq {
		total += n
	}
	if freq[needle[rare]]*40 > total {
		// even the rarest byte is one in forty: no quicker than Index
		return func(text string) int { return strings.Index(text, needle) }
	}
	b := needle[rare]
	return func(text string) int {
		for at := 0; at+len(needle) <= len(text); {
			j := strings.IndexByte(text[at+rare:len(text)-len(needle)+rare+1], b)
			if j < 0 {
				return -1
			}
			at += j
			if text[at:at+len(needle)] == needle {
				return at
			}
			at++
		}
		return -1
	}
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

// sharedBy reports whether a cluster has versions in two articles of a
// group of size articles, or in its only article; in says whether an
// article is in the group.
func sharedBy(r *data.ClusterRow, in func(int64) bool, size int) bool {
	need := min(2, size)
	first, seen := int64(0), 0
	for _, v := range r.Versions {
		if in(v.ArticleID) && (seen == 0 || v.ArticleID != first) {
			first = v.ArticleID
			if seen++; seen >= need {
				return true
			}
		}
	}
	return false
}

// groupSet returns membership of a group of articles (sorted IDs): a table
// indexed by ID when the IDs are small enough, which a million and a half
// versions can be checked against in a few milliseconds.
func groupSet(group []int64) func(int64) bool {
	if top := group[len(group)-1]; group[0] >= 0 && top < 1<<24 {
		table := make([]bool, top+1)
		for _, id := range group {
			table[id] = true
		}
		return func(id int64) bool { return id >= 0 && id <= top && table[id] }
	}
	return func(id int64) bool {
		_, ok := slices.BinarySearch(group, id)
		return ok
	}
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
	speakers := ix.speakerMatches(f.Speaker)
	outlet := -1
	if f.Outlet != "" {
		if outlet = slices.Index(ix.outletChoices, f.Outlet); outlet < 0 {
			return out
		}
	}
	var inGroup func(int64) bool
	if len(f.Articles) > 0 {
		inGroup = groupSet(f.Articles)
	}
	order := ix.bySpread
	if f.Sort == SortByDivergence {
		order = ix.byDivergence
	}
	if hits == nil && speakers == nil && outlet < 0 && inGroup == nil && f.Status == "" && f.Kind == "" {
		return append(out, order...)
	}
	// Rows are tested in the order they lie in memory, then listed in the
	// sort's: reading half a million rows in sorted order would wait on
	// memory at every row.
	keep := make([]bool, len(ix.rows))
	for i := range ix.rows {
		in := &ix.infos[i]
		r := &ix.rows[i]
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
		if speakers != nil && !speakers[in.speaker] {
			continue
		}
		if outlet >= 0 && !slices.Contains(ix.outletsOf(i), int32(outlet)) {
			continue
		}
		if hits != nil && !hits[i] {
			continue
		}
		if inGroup != nil && !sharedBy(r, inGroup, len(f.Articles)) {
			continue
		}
		keep[i] = true
	}
	for _, i := range order {
		if keep[i] {
			out = append(out, i)
		}
	}
	return out
}

// speakerMatches says which speakers (numbered as clusterInfo's) a speaker
// filter keeps, nil for all: a name chosen or typed in full keeps that
// speaker, "unattributed" the clusters with none, anything else the
// speakers whose names contain it. Deciding once per speaker leaves a
// lookup per cluster.
func (ix *clusterIndex) speakerMatches(filter string) []bool {
	speaker := fold.String(strings.TrimSpace(filter))
	if speaker == "" {
		return nil
	}
	exact := ix.speakers[speaker]
	none := speaker == unattributed && !exact
	keep := make([]bool, len(ix.folded))
	for k, name := range ix.folded {
		switch {
		case none:
			keep[k] = name == ""
		case exact:
			keep[k] = name == speaker
		default:
			keep[k] = strings.Contains(name, speaker)
		}
	}
	return keep
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

// byName sorts a list's outlets as the screens show them (sortNames) and
// returns, for each outlet's number in the list, its place there.
func byName(outlets []string) (sorted []string, place []int32) {
	sorted = slices.Clone(outlets)
	sortNames(sorted)
	place = make([]int32, len(outlets))
	for k, name := range outlets {
		place[k] = int32(slices.Index(sorted, name))
	}
	return sorted, place
}

// sortNames sorts names as the drop-downs list them: ignoring case, then
// by bytes.
func sortNames(names []string) {
	slices.SortFunc(names, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}
