package data

import (
	"fmt"
	"strings"

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
