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

// Cluster index: what filtering and sorting need, computed once per load so
// that a keystroke in the search box is a scan of flat in-memory slices.

type clusterInfo struct {
	c          *data.Cluster
	ref        int      // index of the reference member
	outlets    []string // distinct sources (data.SourceName), sorted
	divergence int      // members saying more or other than the reference
	figures    bool
	haystack   string // distinct folded member texts, for search
	speaker    string // folded
}

// short is the reference's text on one line, for list rows. It is made
// when a row is drawn rather than stored: only the visible rows need it.
func (in *clusterInfo) short() string {
	if len(in.c.Members) == 0 {
		return ""
	}
	return oneLine(in.c.Members[in.ref].Text, 240)
}

func oneLine(s string, maxRunes int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxRunes {
		rs := []rune(s)
		s = string(rs[:maxRunes]) + "…"
	}
	return s
}

func indexClusters(cs []data.Cluster) []clusterInfo {
	out := make([]clusterInfo, len(cs))
	var texts []string
	for i := range cs {
		c := &cs[i]
		info := clusterInfo{c: c, speaker: fold.String(c.Speaker)}
		texts = texts[:0]
		for j, m := range c.Members {
			if m.Reference {
				info.ref = j
			}
			if src := m.Source(); !slices.Contains(info.outlets, src) {
				info.outlets = append(info.outlets, src)
			}
			diverges := false
			for _, r := range m.Relations {
				if r == vocab.RelFiguresDiffer {
					info.figures = true
				}
				if !r.Faithful() {
					diverges = true
				}
			}
			if diverges && !m.Reference {
				info.divergence++
			}
			// Most versions are verbatim copies: searching each distinct
			// text once makes a keystroke's scan several times shorter.
			if f := fold.String(m.Text); !slices.Contains(texts, f) {
				texts = append(texts, f)
			}
		}
		slices.Sort(info.outlets)
		// Folded text has no line breaks, so a search never matches
		// across two versions.
		info.haystack = strings.Join(texts, "\n")
		out[i] = info
	}
	return out
}

// clusterIndex is one load of the compare screen: the clusters, indexed
// for filtering, with the speaker and outlet choices they offer. It is
// built off the UI goroutine and handed to the screen whole.
type clusterIndex struct {
	clusters []data.Cluster
	infos    []clusterInfo
	speakers map[string]bool // folded names of the clusters' speakers
	// speakerChoices and outletChoices fill the speaker and outlet
	// drop-downs.
	speakerChoices []string
	outletChoices  []string // sorted
}

func newClusterIndex(cs []data.Cluster) clusterIndex {
	ix := clusterIndex{clusters: cs, infos: indexClusters(cs), speakers: map[string]bool{}}
	counts := map[string]int{}
	outlets := map[string]bool{}
	hasUnattributed := false
	for i := range ix.infos {
		in := &ix.infos[i]
		if in.c.Speaker == "" {
			hasUnattributed = true
		} else {
			ix.speakers[in.speaker] = true
			counts[in.c.Speaker]++
		}
		for _, o := range in.outlets {
			outlets[o] = true
		}
	}
	ix.speakerChoices = speakerOptions(counts, hasUnattributed)
	ix.outletChoices = sortedKeys(outlets)
	return ix
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
func sharedBy(c *data.Cluster, group []int64) bool {
	need := min(2, len(group))
	var seen []int64
	for _, m := range c.Members {
		if _, ok := slices.BinarySearch(group, m.ArticleID); ok && !slices.Contains(seen, m.ArticleID) {
			seen = append(seen, m.ArticleID)
			if len(seen) >= need {
				return true
			}
		}
	}
	return false
}

// filterClusters returns the indexes of the clusters f keeps, in f's order.
// speakers is the set of folded speaker names, for telling a chosen name
// from a typed fragment.
func filterClusters(infos []clusterInfo, speakers map[string]bool, f ClusterFilter, out []int32) []int32 {
	out = out[:0]
	needle := fold.String(strings.TrimSpace(f.Search))
	speaker := fold.String(strings.TrimSpace(f.Speaker))
	exactSpeaker := speaker == "" || speakers[speaker]
	noSpeaker := speaker == unattributed && !speakers[speaker]
	for i := range infos {
		in := &infos[i]
		c := in.c
		switch f.Status {
		case StatusAgree, StatusDiverge:
			if c.Status != vocab.Status(f.Status) {
				continue
			}
		case StatusFiguresDiffer:
			if !in.figures {
				continue
			}
		}
		if f.Kind != "" && c.Kind != f.Kind {
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
		if needle != "" && !strings.Contains(in.haystack, needle) {
			continue
		}
		if len(f.Articles) > 0 && !sharedBy(in.c, f.Articles) {
			continue
		}
		out = append(out, int32(i))
	}
	bySpread := func(a, b *clusterInfo) int { return cmp.Compare(len(b.outlets), len(a.outlets)) }
	byDivergence := func(a, b *clusterInfo) int { return cmp.Compare(b.divergence, a.divergence) }
	first, second := bySpread, byDivergence
	if f.Sort == SortByDivergence {
		first, second = byDivergence, bySpread
	}
	slices.SortFunc(out, func(i, j int32) int {
		a, b := &infos[i], &infos[j]
		if c := first(a, b); c != 0 {
			return c
		}
		if c := second(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})
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
