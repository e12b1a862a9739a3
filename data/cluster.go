package data

import "github.com/parallax-research/parallax/diffing/vocab"

// AnalysisInput is an article that needs (re-)extraction.
type AnalysisInput struct {
	ArticleID int64
	Hash      string
	Text      string
}

// AnalysisRow is one article's cached extraction. Quotes and Units are
// JSON produced and read by the analyser; the store keeps them opaque.
type AnalysisRow struct {
	ArticleID int64
	Outlet    string
	Version   int
	Hash      string
	Quotes    []byte
	Units     []byte
}

// DiffOp is one step of a word-level diff from a cluster's reference.
type DiffOp struct {
	Op   vocab.Op `json:"op"`
	Text string   `json:"text"`
}

// ClusterMember is one version of a clustered passage.
type ClusterMember struct {
	ArticleID  int64
	Outlet     string
	Kind       vocab.UnitKind
	Start, End int
	Spans      [][2]int
	Text       string
	Speaker    string
	Reference  bool
	Relations  []vocab.Relation
	Diff       []DiffOp
}

// Cluster is a group of versions of the same utterance or finding.
type Cluster struct {
	ID       int64
	Kind     vocab.UnitKind
	Status   vocab.Status
	Speaker  string
	Articles int
	Members  []ClusterMember
}

// Pin is a passage chosen as its cluster's reference.
type Pin struct {
	ArticleID  int64
	Start, End int
}
