package diffing

import (
	"slices"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// CompareWhole relates a whole article to the one it copies, as Align
// relates a cluster's versions to its reference: verbatim for the same
// text, normalized for the same words written differently, and otherwise
// the relations its word diff shows (extended for a paragraph added,
// elided for one cut, reworded for a new headline), in the canonical
// order.
func CompareWhole(ref, text string) []vocab.Relation {
	switch {
	case ref == text:
		return []vocab.Relation{vocab.RelVerbatim}
	case Normalize(ref) == Normalize(text):
		return []vocab.Relation{vocab.RelNormalized}
	}
	rels := diffRelations(WordDiff(ref, text))
	if len(rels) == 0 {
		return []vocab.Relation{vocab.RelNormalized}
	}
	order := vocab.Relations()
	slices.SortFunc(rels, func(a, b vocab.Relation) int { return slices.Index(order, a) - slices.Index(order, b) })
	return rels
}
