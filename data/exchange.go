package data

import "time"

// ExportScope narrows an export; an empty field means everything.
type ExportScope struct {
	Articles []int64
	Codes    []int64 // annotations carrying at least one of these codes (sub-codes not included)
	Clusters []int64
}

// ExportData is everything an exporter writes, read in one go so that each
// format is a pure function of it.
type ExportData struct {
	// Project is the project file's base name, for titles.
	Project  string
	Exported time.Time
	// Articles in the scope, with text and attributes, by ID.
	Articles []Article
	// Codes is the whole codebook (parents before children): exports need
	// ancestors for paths even when the scope names only leaves.
	Codes []Code
	// Annotations in the scope, by article and position.
	Annotations []Annotation
	// Clusters in the scope spanning two or more articles.
	Clusters []Cluster
	// Memos on the project and on in-scope articles, codes and clusters.
	Memos []Memo
	// Propagation is how the in-scope clusters' versions travelled, for
	// the formats that show it (the network exports, the HTML report's
	// section); nil when the exporter did not ask for it. The store does
	// not fill it: app computes it from the clusters.
	Propagation *Propagation
}

// Article returns the exported article with an ID, or false.
func (d *ExportData) Article(id int64) (Article, bool) {
	for _, a := range d.Articles {
		if a.ID == id {
			return a, true
		}
	}
	return Article{}, false
}

// CodePath is a code's full path, "Findings/Severity".
func (d *ExportData) CodePath(id int64) string { return CodePath(d.Codes, id) }

// QDPXPlan is a REFI-QDA project read and checked by package refi, ready
// for ApplyQDPX to write in one transaction. Nothing in it has an ID in
// this project yet, so its parts refer to each other by index.
type QDPXPlan struct {
	Codes   []QDPXCode // parents before children
	Sources []QDPXSource
	Memos   []QDPXMemo
	// Skipped lists, one line each, what the file holds that Parallax does
	// not import and why.
	Skipped []string
}

// QDPXCode is a code of the file's codebook.
type QDPXCode struct {
	GUID, Name, Color, Description string
	Parent                         int // index into Codes, -1 at the top
}

// QDPXSource is a text source as an article, with its coded selections.
type QDPXSource struct {
	Article    Article
	Selections []QDPXSelection
}

// QDPXSelection is a coded passage of its source, in rune offsets of the
// source's normalised text.
type QDPXSelection struct {
	GUID              string
	Start, End        int
	Codes             []int // indexes into Codes
	Note              string
	Created, Modified time.Time
}

// QDPXMemo is a note of the file, as a memo.
type QDPXMemo struct {
	GUID, Title, Text string
	// Kind is "project", "article" or "code"; Target is an index into
	// Sources for an article and into Codes for a code.
	Kind              string
	Target            int
	Created, Modified time.Time
}

// QDPXReport says what ApplyQDPX did.
type QDPXReport struct {
	// Articles is the number of articles added; ArticlesReused the sources
	// whose text was already in the project, whose annotations were added
	// to the existing article.
	Articles, ArticlesReused int
	// Codes is the number of codes added; CodesMatched the codes found in
	// the project by GUID or by path and used as they are.
	Codes, CodesMatched int
	// Annotations is the number added; AnnotationsPresent those whose
	// GUID was already in the project (an earlier import of the same
	// file), left unchanged.
	Annotations, AnnotationsPresent int
	// Memos is the number added; MemosPresent those already there.
	Memos, MemosPresent int
	// Skipped is the plan's list of what was not imported.
	Skipped []string
}
