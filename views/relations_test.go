package views

import (
	"testing"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// TestEveryRelationHasAStyle fails when the reference or a relation the
// analyser can assign has no style of its own (a label, a glyph and its
// drawing, a colour, a rank), or when the styles leave vocab's order, which
// the legend and the cells' relation names follow.
func TestEveryRelationHasAStyle(t *testing.T) {
	all := append([]vocab.Relation{vocab.RelReference}, vocab.Relations()...)
	if len(all) > 16 {
		t.Fatalf("%d relations do not fit a relMask", len(all))
	}
	labels, symbols, ranks := map[string]vocab.Relation{}, map[string]vocab.Relation{}, map[int]vocab.Relation{}
	for k, r := range all {
		i, ok := relIdx[r]
		if !ok {
			t.Errorf("%s: no style", r)
			continue
		}
		if i != k {
			t.Errorf("%s: style %d, want %d, its place in vocab's order", r, i, k)
		}
		s := relationStyles[i]
		if s.label == "" || s.symbol == "" || s.svg == "" || s.color == "" {
			t.Errorf("%s: label %q, glyph %q, drawing %q, colour %q: want all four", r, s.label, s.symbol, s.svg, s.color)
		}
		if b := relationBadge(r); b.text != s.label || b.rel != i {
			t.Errorf("%s: badge %+v, want its style's label and glyph", r, b)
		}
		for _, seen := range []struct {
			m   map[string]vocab.Relation
			key string
		}{{labels, s.label}, {symbols, s.symbol}} {
			if other, ok := seen.m[seen.key]; ok {
				t.Errorf("%s and %s share %q", r, other, seen.key)
			}
			seen.m[seen.key] = r
		}
		if other, ok := ranks[s.rank]; ok {
			t.Errorf("%s and %s share rank %d: a matrix cell could show either", r, other, s.rank)
		}
		ranks[s.rank] = r
	}
	if len(relationStyles) != len(all) {
		t.Errorf("%d styles for %d relations", len(relationStyles), len(all))
	}
}
