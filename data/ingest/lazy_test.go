package ingest

import "testing"

// TestLazyRegexpsCompile compiles every expression the importers compile
// when first used, and the outlets' furniture patterns.
func TestLazyRegexpsCompile(t *testing.T) {
	if len(lazyRegexps) < 16 {
		t.Fatalf("%d expressions listed, want the importers' 16 at least", len(lazyRegexps))
	}
	for _, re := range lazyRegexps {
		if re() == nil {
			t.Error("an expression compiled to nothing")
		}
	}
	if len(furnitureRes()) != len(outletFurniture) {
		t.Error("the outlets' furniture patterns are not all compiled")
	}
}
