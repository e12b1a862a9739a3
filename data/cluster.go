package data

import (
	"slices"
	"strings"

	"github.com/parallax-research/parallax/diffing/fold"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// AnalysisInput is an article that needs (re-)extraction.
type AnalysisInput struct {
	ArticleID int64
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
}

// DiffOp is one step of a word-level diff from a cluster's reference.
type DiffOp = vocab.Edit

// ClusterMember is one version of a clustered passage.
type ClusterMember struct {
	ArticleID  int64
	Outlet     string
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
	folded := make([]string, 0, len(raw))
	for i, t := range raw {
		if slices.Contains(raw[:i], t) {
			continue
		}
		if f := fold.String(t); !slices.Contains(folded, f) {
			folded = append(folded, f)
		}
	}
	return strings.Join(folded, "\n")
}

// ClusterRow is a cluster as a list of clusters shows, filters and sorts
// it: one row per cluster, with where each version is and how it differs,
// but no member's text, so that hundreds of thousands of them load in
// well under a second.
type ClusterRow struct {
	ID       int64
	Kind     vocab.UnitKind
	Status   vocab.Status
	Speaker  string
	Articles int
	// Versions are the members in the order Cluster lists them.
	Versions []ClusterVersion
}

// Row is the cluster's list row, its versions carrying the members'
// outlets and relations.
func (c Cluster) Row() ClusterRow {
	r := ClusterRow{ID: c.ID, Kind: c.Kind, Status: c.Status, Speaker: c.Speaker, Articles: c.Articles,
		Versions: make([]ClusterVersion, len(c.Members))}
	for i, m := range c.Members {
		r.Versions[i] = ClusterVersion{ArticleID: m.ArticleID, Outlet: m.Outlet, Reference: m.Reference, Relations: m.Relations}
	}
	return r
}

// ClusterVersion is one member of a ClusterRow.
type ClusterVersion struct {
	ArticleID int64
	// Outlet is the article's outlet as it is now, not as it was when
	// the cluster was stored.
	Outlet    string
	Reference bool
	// Relations are shared between the versions that carry the same
	// ones: read them, never change them.
	Relations []vocab.Relation
}

// Pin is a passage chosen as its cluster's reference.
type Pin struct {
	ArticleID  int64
	Start, End int
}
