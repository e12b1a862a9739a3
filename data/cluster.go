package data

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parallax-research/parallax/diffing/fold"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// AnalysisInput is an article that needs (re-)extraction.
type AnalysisInput struct {
	ArticleID int64
	Outlet    string
	Hash      string
	Text      string
}

// AnalysisRow is one article's cached extraction. Units is produced and
// read by the analyser; the store keeps it opaque. Analyses fills in the
// article's outlet and text, which the cache refers to by offsets.
type AnalysisRow struct {
	ArticleID int64
	Outlet    string
	Text      string
	Version   int
	Hash      string
	Units     []byte
	Passages  int // how many alignable passages Units holds
}

// DiffOp is one step of a word-level diff from a cluster's reference.
type DiffOp = vocab.Edit

// ClusterMember is one version of a clustered passage.
type ClusterMember struct {
	ArticleID int64
	Outlet    string
	// CopyOf is the article the member's article repeats (a syndicated
	// copy), or 0; read from the article, not stored with the cluster.
	CopyOf     int64
	Kind       vocab.UnitKind
	Start, End int
	Spans      [][2]int
	// Text is the article's text at Spans, joined by single spaces. It is
	// not stored: the store reads it from the article.
	Text string
	// Statement numbers the quotation the member belongs to in its
	// article, from 1 (0 for a finding): members of one statement are its
	// sentences.
	Statement int
	Speaker   string
	Reference bool
	Relations []vocab.Relation
	// Diff is the word diff from the reference. It is not stored either:
	// the store leaves it nil, and whoever shows a diff computes it.
	Diff []DiffOp
}

// SourceName names an article where comparisons group articles by outlet
// (the compare screen's outlet count, the matrix's columns, the exports'
// outlet columns): its outlet, or, for an article without one, the article
// itself. Articles whose outlet is unknown are never pooled into one
// source: that would count their versions as one outlet's and hide that
// they may come from several.
func SourceName(outlet string, articleID int64) string {
	if strings.TrimSpace(outlet) != "" {
		return outlet
	}
	return fmt.Sprintf("(no outlet) #%d", articleID)
}

// Source is the member's SourceName.
func (m ClusterMember) Source() string { return SourceName(m.Outlet, m.ArticleID) }

// Cluster is a group of versions of the same utterance or finding. IDs
// are stable: a re-analysis gives a cluster the ID of the earlier cluster
// it shares most of its members with.
type Cluster struct {
	ID       int64
	Kind     vocab.UnitKind
	Status   vocab.Status
	Speaker  string
	Articles int
	Members  []ClusterMember
}

// Reference returns the cluster's reference member, or false.
func (c Cluster) Reference() (ClusterMember, bool) {
	for _, m := range c.Members {
		if m.Reference {
			return m, true
		}
	}
	return ClusterMember{}, false
}

// SearchText is what a search of the cluster's text looks through: the
// text of each distinct version, folded (fold.String), the reference's
// first, one per line. Folded text has no line breaks, so a search never
// matches across two versions.
func (c Cluster) SearchText() string {
	raw := make([]string, 0, len(c.Members))
	if ref, ok := c.Reference(); ok {
		raw = append(raw, ref.Text)
	}
	for _, m := range c.Members {
		if !m.Reference {
			raw = append(raw, m.Text)
		}
	}
	// Most versions are verbatim copies: fold each distinct text once.
	seen, seenFolded := make(map[string]bool, len(raw)), map[string]bool{}
	folded := make([]string, 0, len(raw))
	for _, t := range raw {
		if seen[t] {
			continue
		}
		seen[t] = true
		if f := fold.String(t); !seenFolded[f] {
			seenFolded[f] = true
			folded = append(folded, f)
		}
	}
	return strings.Join(folded, "\n")
}

// ClusterList is the clusters a list shows, filters and sorts: a row each,
// with where each version is and how it differs, but no member's text, so
// that hundreds of thousands of them load in well under a second. Versions
// refer to their outlet and relations by number, into Outlets and
// Relations: a million and a half versions then hold no pointer for the
// garbage collector to follow and no string to compare.
type ClusterList struct {
	Rows []ClusterRow
	// Outlets are the sources (SourceName) of the versions' articles as
	// they are now (not as they were when the clusters were stored),
	// sorted, each once: an article without an outlet is a source of its
	// own, so outlet-less articles are never pooled into one.
	Outlets []string
	// Relations are the combinations of relations versions carry, sorted
	// by their names joined with "+"; the first is none.
	Relations [][]vocab.Relation
}

// ClusterRow is one cluster of a ClusterList.
type ClusterRow struct {
	ID       int64
	Kind     vocab.UnitKind
	Status   vocab.Status
	Speaker  string
	Articles int
	// Versions are the members in the order Cluster lists them.
	Versions []ClusterVersion
}

// ClusterVersion is one member of a ClusterRow.
type ClusterVersion struct {
	ArticleID int64
	Outlet    int32 // into ClusterList.Outlets
	Relations int32 // into ClusterList.Relations
	Reference bool
}

// OutletOf is the outlet that carries v.
func (l *ClusterList) OutletOf(v ClusterVersion) string { return l.Outlets[v.Outlet] }

// RelationsOf are v's relations; the slice is shared, not to be changed.
func (l *ClusterList) RelationsOf(v ClusterVersion) []vocab.Relation { return l.Relations[v.Relations] }

// NewClusterList lists clusters, with their members' outlets and
// relations, as the store's ClusterRows lists the clusters it holds.
func NewClusterList(cs []Cluster) ClusterList {
	l := ClusterList{Relations: [][]vocab.Relation{nil}}
	outlets := map[string]int32{}
	relations := map[string]int32{"": 0}
	for _, c := range cs {
		r := ClusterRow{ID: c.ID, Kind: c.Kind, Status: c.Status, Speaker: c.Speaker, Articles: c.Articles,
			Versions: make([]ClusterVersion, len(c.Members))}
		for i, m := range c.Members {
			src := m.Source()
			o, ok := outlets[src]
			if !ok {
				o = int32(len(l.Outlets))
				outlets[src] = o
				l.Outlets = append(l.Outlets, src)
			}
			key := vocab.Join(m.Relations, "+")
			rel, ok := relations[key]
			if !ok {
				rel = int32(len(l.Relations))
				relations[key] = rel
				l.Relations = append(l.Relations, vocab.Split(key, "+"))
			}
			r.Versions[i] = ClusterVersion{ArticleID: m.ArticleID, Outlet: o, Relations: rel, Reference: m.Reference}
		}
		l.Rows = append(l.Rows, r)
	}
	l.canonical()
	return l
}

// canonical numbers outlets and relations in their documented order,
// leaving out outlets no version refers to: two lists of the same
// clusters are then equal however they were read.
func (l *ClusterList) canonical() {
	used := make([]bool, len(l.Outlets))
	for _, r := range l.Rows {
		for _, v := range r.Versions {
			used[v.Outlet] = true
		}
	}
	var outlets []string
	for i, name := range l.Outlets {
		if used[i] {
			outlets = append(outlets, name)
		}
	}
	slices.Sort(outlets)
	outlets = slices.Compact(outlets)
	outletNo := make([]int32, len(l.Outlets))
	for i, name := range l.Outlets {
		k, _ := slices.BinarySearch(outlets, name)
		outletNo[i] = int32(k)
	}
	key := func(rels []vocab.Relation) string { return vocab.Join(rels, "+") }
	relations := slices.Clone(l.Relations)
	slices.SortFunc(relations, func(a, b []vocab.Relation) int { return strings.Compare(key(a), key(b)) })
	relationNo := make([]int32, len(l.Relations))
	for i, rels := range l.Relations {
		k, _ := slices.BinarySearchFunc(relations, key(rels), func(r []vocab.Relation, k string) int { return strings.Compare(key(r), k) })
		relationNo[i] = int32(k)
	}
	for _, r := range l.Rows {
		for i := range r.Versions {
			v := &r.Versions[i]
			v.Outlet, v.Relations = outletNo[v.Outlet], relationNo[v.Relations]
		}
	}
	l.Outlets, l.Relations = outlets, relations
}

// Pin is a passage chosen as its cluster's reference.
type Pin struct {
	ArticleID  int64
	Start, End int
}

// Statement is a quotation seen whole: the sentences of one article's
// quote, each aligned in its own cluster, and how each other article
// carries them. Outlets cut and rejoin statements at sentence boundaries,
// so the sentence clusters say which words each outlet kept; the
// statement says how much of the whole it carried.
type Statement struct {
	// Article and Number identify the reference quotation: the
	// statement-th quote of the article (ClusterMember.Statement).
	Article int64
	Number  int
	// Sentences are the quotation's sentences in order, each with the
	// cluster it is aligned in (0 when no other article carries it).
	Sentences []StatementSentence
	// Versions are the other articles carrying any of the sentences.
	Versions []StatementVersion
}

// StatementSentence is one sentence of a statement.
type StatementSentence struct {
	Cluster    int64
	Start, End int
	Text       string
}

// StatementVersion is how one article carries a statement.
type StatementVersion struct {
	Article int64
	Outlet  string
	// Relations holds, per sentence of the statement, the article's
	// version's relations to it; nil where the article lacks the
	// sentence.
	Relations [][]vocab.Relation
	// Whole is the statement as a whole: verbatim when every sentence is
	// there word for word (verbatim or normalized), fragment when only
	// some are and those word for word, else the sentences' relations.
	Whole []vocab.Relation
}
