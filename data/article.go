// Package data holds Parallax's domain types, the SQLite project store
// with its migrations, and re-anchoring. Reading article files lives in
// data/ingest, writing exports in data/export, and REFI-QDA exchange in
// data/refi; each depends on this package and not the other way round.
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
}

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
}
