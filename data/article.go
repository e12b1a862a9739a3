// Package data holds Parallax's domain types, the SQLite project store
// with its migrations, and re-anchoring. Reading article files lives in
// data/ingest, writing exports in data/export, and REFI-QDA exchange in
// data/refi; each depends on this package and not the other way round.
//
// The types are plain Go in files named for what they describe
// (article.go, annotation.go, cluster.go, exchange.go, date.go, text.go,
// errors.go); the store that keeps them in SQLite is in the store*.go
// files, its schema in migrations/. Each exported Store method is one
// transaction, composed of unexported helpers that take the transaction.
//
// All text offsets in a project are rune (Unicode code point) offsets into an
// article's stored text, which is NFC-normalised with "\n" line ends. That is
// the unit REFI-QDA uses, and it keeps offsets stable across platforms.
package data

import (
	"maps"
	"slices"
	"time"
)

// MaxArticleBytes is the largest single article Parallax imports. News
// articles are a few kilobytes; anything this large is almost certainly the
// wrong file (a database dump, a video renamed .txt) and would make the
// reader and the comparison engine unusable.
const MaxArticleBytes = 16 << 20

// Meta is the descriptive metadata of an article, the part a researcher can
// edit after import.
type Meta struct {
	Outlet string
	Date   Date
	Title  string
	URL    string
	Author string
}

// Article is one stored news article.
type Article struct {
	ID int64
	Meta
	// Text is the NFC-normalised body with "\n" line ends; every rune offset
	// in the project indexes it.
	Text string
	// Words is the number of words in Text, counted at import.
	Words int
	// Source is the file (and, for multi-article files, the record) the
	// article came from, for the researcher's provenance notes.
	Source string
	// Attributes are extra metadata, such as manifest columns beyond the
	// standard ones. Keys are unique.
	Attributes map[string]string
	Imported   time.Time
	// Inferred names the metadata fields Parallax inferred rather than
	// read (FieldTitle, FieldOutlet, ...), sorted: the researcher should
	// check them. Editing a field clears its flag.
	Inferred []string
	// CopyOf is the earlier article whose text this one repeats, word for
	// word or nearly (a syndicated or wire copy), or 0; CopyShare is the
	// share of this article's text found in it, 1 for the same text.
	// Earlier by publication where the two dates tell which came first,
	// otherwise by import (see copyorder.go).
	CopyOf    int64
	CopyShare float64
	// Sheet, when set, is the metadata a researcher's sheet (a manifest)
	// gives for this article's file. It is not stored as such: if the same
	// file is already in the project with the same text, AddArticles sets
	// Sheet's fields (and the article's attributes) on it instead of
	// reporting a duplicate or adding a copy.
	Sheet *Meta
}

// Names of the metadata fields, as Inferred lists them.
const (
	FieldTitle  = "title"
	FieldOutlet = "outlet"
	FieldDate   = "date"
	FieldAuthor = "author"
	FieldURL    = "url"
)

// IsInferred reports whether the article's field was inferred.
func (a Article) IsInferred(field string) bool { return slices.Contains(a.Inferred, field) }

// Exact reports whether a copy repeats its original's text word for word.
func (a Article) Exact() bool { return a.CopyOf != 0 && a.CopyShare >= 1 }

// AttributeNames lists the article's attribute names in order, the order
// in which they are stored and written out.
func (a Article) AttributeNames() []string {
	return slices.Sorted(maps.Keys(a.Attributes))
}

// Summary is the row of the library list: what a researcher scans to find
// an article, without its text.
type Summary struct {
	ID     int64
	Outlet string
	Date   Date
	Title  string
	URL    string
	Words  int
	// Inferred, CopyOf and CopyShare are as in Article.
	Inferred  []string
	CopyOf    int64
	CopyShare float64
}

// IsInferred reports whether the row's field was inferred.
func (s Summary) IsInferred(field string) bool { return slices.Contains(s.Inferred, field) }

// AddResult says what became of one article offered to AddArticles.
type AddResult struct {
	// ID is the new article's ID, or the existing article's when Duplicate.
	ID int64
	// Duplicate is set when the same text was already in the project (or
	// earlier in the same batch); nothing was added.
	Duplicate bool
	// Updated is set when the article replaced an earlier version of
	// itself (same source file or URL, new text); its annotations were
	// re-anchored, with the outcome in Reanchor.
	Updated  bool
	Reanchor ReanchorReport
	// MetaUpdated is set when the same file was already in the project with
	// the same text and the article's Sheet metadata was set on it (ID).
	MetaUpdated bool
	// CopyOf is set when the article was added as a copy of an earlier one
	// (same text under another outlet, URL or date, or a near-copy), with
	// the share of its text in common: earlier by publication where the
	// dates tell, otherwise by import.
	CopyOf    int64
	CopyShare float64
	// OriginalOf lists the articles already stored that the article's
	// earlier date made copies of it: the original of their text, and
	// its copies, once imported first.
	OriginalOf []int64
}

// ReanchorReport counts what re-anchoring did with an article's
// annotations.
type ReanchorReport struct {
	Kept, Moved, Orphaned int
}

// SortKey names a library column to sort by.
type SortKey string

// Sort keys for ListQuery.
const (
	SortDate   SortKey = "date"
	SortOutlet SortKey = "outlet"
	SortTitle  SortKey = "title"
	SortWords  SortKey = "words"
	SortID     SortKey = "id"
)

// ListQuery selects and orders library rows.
type ListQuery struct {
	Outlet string // "" for all outlets
	// NoOutlet lists only the articles without an outlet.
	NoOutlet bool
	// HideCopies leaves out articles that repeat an earlier one.
	HideCopies bool
	Sort       SortKey
	Desc       bool
}

// Stats are the project-wide counts shown in the status bar.
type Stats struct {
	Articles    int
	Outlets     int
	Words       int
	Clusters    int // clusters spanning two or more articles
	Annotations int
	// NoOutlet counts the articles without an outlet; Copies those that
	// repeat an earlier article.
	NoOutlet int
	Copies   int
}

// SearchHit is one ranked full-text match.
type SearchHit struct {
	Summary
	// Snippet is a short extract around the match, plain text.
	Snippet string
	// Marks are the matched terms in Snippet as [start, end) rune offsets.
	Marks [][2]int
}
