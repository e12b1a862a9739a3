// Package vocab is the vocabulary of a comparison as typed values: how a
// version relates to its cluster's reference, whether a cluster agrees,
// whether a passage is a quote or a finding, and what each step of a word
// diff does. The analyser produces these values, the store keeps them and
// the screens and exports show them; the string of each value is what the
// project file, the CLI's JSON and the exports write, so it never changes.
//
// It imports only the standard library, so that every layer can use it.
package vocab

import "strings"

// Relation is how a cluster member's version differs from the reference.
// A member may carry several.
type Relation string

// The relations the analyser assigns, in the canonical order.
const (
	RelVerbatim      Relation = "verbatim"
	RelNormalized    Relation = "normalized"
	RelFragment      Relation = "fragment"
	RelExtended      Relation = "extended"
	RelElided        Relation = "elided"
	RelInserted      Relation = "inserted"
	RelReworded      Relation = "reworded"
	RelIndirect      Relation = "indirect"
	RelMisattributed Relation = "misattributed"
	RelFiguresDiffer Relation = "figures-differ"
)

// RelReference names the reference in legends, badges and exports, where
// it is listed before the relations. No member carries it as a relation:
// the store marks the reference with a flag.
const RelReference Relation = "reference"

// relations is the canonical order: from faithful to factual divergence.
var relations = [...]Relation{
	RelVerbatim, RelNormalized, RelFragment, RelExtended, RelElided,
	RelInserted, RelReworded, RelIndirect, RelMisattributed, RelFiguresDiffer,
}

// Relations returns every relation the analyser assigns, in the order
// legends, badges and exports list them: from faithful copies through
// trimming and rewording to factual divergence (misattribution, other
// figures). Where the reference is listed too, RelReference comes first.
// The slice is the caller's to keep or change.
func Relations() []Relation {
	return append([]Relation(nil), relations[:]...)
}

// Join writes rels in their order separated by sep, as the exports and the
// CLI list a member's relations ("verbatim+misattributed").
func Join(rels []Relation, sep string) string {
	n := 0
	for _, r := range rels {
		n += len(r) + len(sep)
	}
	var b strings.Builder
	b.Grow(n)
	for i, r := range rels {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(string(r))
	}
	return b.String()
}

// Split reads relations written by Join; "" is none.
func Split(s, sep string) []Relation {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, sep)
	out := make([]Relation, len(parts))
	for i, p := range parts {
		out[i] = Relation(p)
	}
	return out
}

// Description is a one-line explanation of the relation for a reader of a
// legend; "" for a value that is not a relation.
func (r Relation) Description() string {
	switch r {
	case RelReference:
		return "The version the others are compared with: the most complete, or the one you pinned."
	case RelVerbatim:
		return "The same words as the reference, character for character."
	case RelNormalized:
		return "The same words, written differently: quotation marks, dashes, capitals, or a number in words or digits."
	case RelFragment:
		return "A continuous part of the reference, with the rest left out."
	case RelExtended:
		return "All of the reference, with more words added."
	case RelElided:
		return "Words cut from within the reference, with or without an ellipsis."
	case RelInserted:
		return "Words the outlet added in brackets, such as [him] for a name."
	case RelReworded:
		return "Some of the reference's words replaced by others."
	case RelIndirect:
		return "The quotation given as reported speech, outside quotation marks."
	case RelMisattributed:
		return "The same words attributed to a different person."
	case RelFiguresDiffer:
		return "A number, amount or date differs from the reference."
	}
	return ""
}

// Faithful reports whether the relation keeps the reference's words:
// verbatim or normalized. A cluster agrees when all its members' relations
// are faithful.
func (r Relation) Faithful() bool { return r == RelVerbatim || r == RelNormalized }

// Status summarises a cluster: agree when every member says the same as
// the reference (verbatim or normalized), diverge otherwise.
type Status string

// Cluster statuses.
const (
	StatusAgree   Status = "agree"
	StatusDiverge Status = "diverge"
)

// UnitKind says whether a passage is a direct quotation or a sentence in
// the article's own voice (a finding, a paraphrase, reported speech). A
// cluster of kind UnitArticle compares whole articles: an original and
// its syndicated copies.
type UnitKind string

// Unit kinds.
const (
	UnitQuote   UnitKind = "quote"
	UnitFinding UnitKind = "finding"
	UnitArticle UnitKind = "article"
)

// Edit is one step of a word diff from a cluster's reference.
type Edit struct {
	Op Op `json:"op"`
	// Text is the words the edit covers with the whitespace before each:
	// from the compared text for equal and insert, from the reference for
	// delete.
	Text string `json:"text"`
}

// Op is what one step of a word diff from the reference does: keep the
// reference's words, insert the version's own, or delete the reference's.
type Op string

// Diff operations.
const (
	OpEqual  Op = "equal"
	OpInsert Op = "insert"
	OpDelete Op = "delete"
)
