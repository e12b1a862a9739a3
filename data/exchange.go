package data

import (
	"fmt"
	"strings"
	"time"
)

// ExportScope narrows an export; an empty field means everything.
type ExportScope struct {
	Articles []int64
	Codes    []int64 // annotations carrying at least one of these codes or a code under them
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
	// Coders are the project's coders, by name, with their REFI-QDA GUIDs
	// where known.
	Coders []Coder
	// Sets kept from imported REFI-QDA projects, with their members in
	// the scope; VariableTypes the types of their variables.
	Sets          []Set
	VariableTypes []VariableType
	// Coder is the coder exporting (Store.Coder), "" if not set.
	Coder string
	// Generator names the program and version writing the export,
	// "Parallax 0.1.0"; set by the caller, which knows the version.
	Generator string
	// QualifyNames asks the REFI-QDA writers to write a code name that
	// other codes share as "Name (Parent/Path)": QualCoder needs unique
	// names. Set by the caller when the user chooses it.
	QualifyNames bool
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

// UnplacedNote is the text of the note a REFI-QDA export writes for an
// annotation with no place in its article's text (an orphan): its
// passage, its codes' paths (codePath gives a code's) and its note. It is
// here, not in package refi, because an import compares a note coming
// back with the annotation it was written from.
func UnplacedNote(an Annotation, codePath func(id int64) string) string {
	text := fmt.Sprintf("Unplaced annotation (its passage is no longer in the text): “%s”", an.Exact)
	if len(an.CodeIDs) > 0 {
		paths := make([]string, len(an.CodeIDs))
		for i, c := range an.CodeIDs {
			paths[i] = codePath(c)
		}
		text += "\nCodes: " + strings.Join(paths, "; ")
	}
	if an.Note != "" {
		text += "\n\n" + an.Note
	}
	return text
}

// QDPXPlan is a REFI-QDA project read and checked by package refi, ready
// for ApplyQDPX to write in one transaction. Nothing in it has an ID in
// this project yet, so its parts refer to each other by index.
type QDPXPlan struct {
	Codes   []QDPXCode // parents before children
	Sources []QDPXSource
	Memos   []QDPXMemo
	// Coders are the file's users, by name, with their GUIDs.
	Coders []Coder
	// Sets are the file's sets of sources and codes; VariableTypes the
	// types of its variables that are not text.
	Sets          []QDPXSet
	VariableTypes []VariableType
	// Producer is the tool that wrote the file, when Project/@origin names
	// one Parallax knows ("NVivo"), else "".
	Producer string
	// Units says, per source with selections, how its positions were read.
	Units []QDPXUnit
	// Skipped lists, one line each, what the file holds that Parallax does
	// not import and why.
	Skipped []string
	// Warnings lists what was imported but needs the researcher's eye:
	// selections imported orphaned, and why.
	Warnings []string
}

// QDPXSet is a set of the file: its members by index into the plan's
// Sources and Codes.
type QDPXSet struct {
	GUID, Name, Description string
	Sources, Codes          []int
}

// Set is a REFI-QDA set kept from an imported project: a named group of
// articles and codes, written back by the REFI-QDA export.
type Set struct {
	GUID, Name, Description string
	Articles, Codes         []int64
}

// VariableType is the REFI-QDA type of a variable ("Boolean", "Integer",
// "Float", "Date", "DateTime"), kept from an imported project; Parallax
// keeps the values as text attributes.
type VariableType struct {
	Name, Type string
}

// QDPXUnit is how one source's positions were read: Unit is "code points",
// "UTF-16 code units" or "bytes (UTF-8)" (and whether a CRLF counted as
// one), Evidence why, and Orphaned how many of its selections no reading
// placed.
type QDPXUnit struct {
	Source, Unit, Evidence string
	Selections, Orphaned   int
}

// QDPXCode is a code of the file's codebook.
type QDPXCode struct {
	GUID, Name, Color, Description string
	Parent                         int // index into Codes, -1 at the top
	Category                       bool
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
	Creator, Modifier string
	// Orphaned: no reading of the file's positions placed the selection;
	// Start and End are the file's numbers and Exact the text the file
	// gives for it, if any.
	Orphaned bool
	Exact    string
}

// QDPXMemo is a note of the file, as a memo.
type QDPXMemo struct {
	GUID, Title, Text string
	// Kind is "project", "article" or "code"; Target is an index into
	// Sources for an article and into Codes for a code.
	Kind              string
	Target            int
	Created, Modified time.Time
	Creator, Modifier string
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
	// file, a colleague's copy of the project's own work) and that were
	// left as they are: the same in the file, or not newer there (then
	// listed in Conflicts).
	Annotations, AnnotationsPresent int
	// AnnotationsUpdated counts those here that the file holds in a
	// newer version (a later modification date), which replaced this
	// project's; AnnotationsSkipped the file's selections not imported,
	// each listed in Conflicts with the reason.
	AnnotationsUpdated, AnnotationsSkipped int
	// Memos is the number added; MemosPresent those already there and
	// left as they are; MemosUpdated those replaced by a newer version.
	Memos, MemosPresent, MemosUpdated int
	// Orphaned counts the annotations added orphaned: their positions
	// could not be placed on the text.
	Orphaned int
	// Units, Skipped and Warnings are the plan's.
	Units    []QDPXUnit
	Skipped  []string
	Warnings []string
	// Conflicts lists, by name, where the file and the project differ and
	// this project's version was kept, and what the file holds that could
	// not be brought in, with why.
	Conflicts []string
	// Updated names each annotation and memo a newer version from the
	// file replaced; Revised and RevisedMemos hold both versions, for
	// undo (see Coding).
	Updated      []string
	Revised      []AnnotationRevision
	RevisedMemos []MemoRevision
}
