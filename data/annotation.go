package data

import (
	"time"
)

// Annotation is a note and codes attached to a rune range of an article.
type Annotation struct {
	ID        int64
	GUID      string
	ArticleID int64
	Start     int
	End       int
	// Exact is the annotated text; Prefix and Suffix the text just
	// before and after it.
	Exact, Prefix, Suffix string
	Note                  string
	Color                 string
	CodeIDs               []int64
	// Orphaned is set when a re-imported article no longer contains the
	// passage; the annotation is kept for the researcher to place.
	Orphaned bool
	Created  time.Time
	Modified time.Time
	// Creator is the coder who made the annotation and Modifier the one
	// who changed it last; "" when not known.
	Creator, Modifier string
}

// AnnotationFilter selects annotations; zero fields match everything.
type AnnotationFilter struct {
	ArticleID int64
	CodeID    int64 // the code and its sub-codes: a scope is a subtree
	Outlet    string
	Text      string // substring of the passage or note, case-insensitive
	// CodeID matches annotations carrying the code or any code under it.
	// Coder matches the annotations a coder made.
	Coder string
}

// quoteContext is how many runes of prefix and suffix an annotation keeps
// to find its passage again (the W3C TextQuoteSelector idea).
const quoteContext = 32

// QuoteContext returns the text just before and just after [start, end)
// of text, as much of it as an annotation keeps to find its passage again.
// The range must lie inside text.
func QuoteContext(text []rune, start, end int) (prefix, suffix string) {
	return string(text[max(0, start-quoteContext):start]), string(text[end:min(len(text), end+quoteContext)])
}

// Coding is what one coding action added to the project: annotations and
// the codes created for them, parents before children, and (for a merge)
// memos. DeleteCoding (the undo) removes exactly that and RestoreCoding
// (the redo) puts it back with the same IDs, so that each direction is one
// transaction.
//
// A merge or an import also replaces annotations and memos with a
// colleague's newer versions: Revised and RevisedMemos, which DeleteCoding
// sets back to their older versions and RestoreCoding to the newer. A
// merge keeps the file's REFI-QDA sets too: Sets, what it added to them.
type Coding struct {
	Annotations  []Annotation
	Codes        []Code
	Memos        []Memo
	Revised      []AnnotationRevision
	RevisedMemos []MemoRevision
	Sets         []SetChange
}

// SetChange is what a merge added to one kept REFI-QDA set: the set itself
// when Created, and the members it gained (Set.Articles and Set.Codes).
// Undoing the merge removes those members, and the set if the merge
// created it and nothing else has joined it since; redoing puts them back.
type SetChange struct {
	Set
	Created bool
}

// Code is one entry of the codebook.
type Code struct {
	ID       int64
	GUID     string
	ParentID int64 // 0 for a top-level code
	// Name is kept exactly as given: a "/" in it is part of the name.
	Name string
	// Color is "#RRGGBB", or "" for a code that has none (the views draw
	// a neutral default; exports write no colour).
	Color       string
	Description string
	// Category marks a code that groups others and is never applied to
	// text itself (REFI-QDA isCodable="false"): coding with it is refused.
	Category bool
	// Creator is the coder who made the code, "" when not known.
	Creator string
}

// CodeDeletion says what happens to a deleted code's annotations.
type CodeDeletion int

// Ways to delete a code.
const (
	// UncodeAnnotations keeps the annotations (notes survive) and only
	// removes the code, and its sub-codes, from them.
	UncodeAnnotations CodeDeletion = iota
	// MoveToParent recodes them with the parent code (top-level codes
	// behave as UncodeAnnotations); sub-codes move up a level.
	MoveToParent
	// DeleteAnnotations deletes annotations that carry no other code.
	DeleteAnnotations
)

// Memo is a free note on the project, an article, a code or a cluster.
type Memo struct {
	ID         int64
	GUID       string
	TargetKind string // project | article | code | cluster
	TargetID   int64
	Title      string
	Text       string
	Created    time.Time
	Modified   time.Time
	// Creator made the memo and Modifier changed it last; "" when not
	// known.
	Creator, Modifier string
}

// Coder is a person who codes: annotations, codes and memos record their
// name. GUID is the REFI-QDA user GUID other tools know them by.
type Coder struct {
	Name, GUID string
}

// CodebookState is a copy of the codebook, its codings and the annotations,
// taken before a merge or a deletion so that it can be undone exactly.
type CodebookState struct {
	codes       []Code
	codings     [][2]int64
	annotations []Annotation
	// setCodes are the codes' places in kept REFI-QDA sets, which
	// deleting the codes would drop.
	setCodes []setCode
}

type setCode struct {
	set  string
	code int64
}
