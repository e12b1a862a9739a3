package ingest

import "testing"

// TestLazyRegexpsCompile compiles every expression the importers compile
// when first used, and the outlets' furniture patterns.
func TestLazyRegexpsCompile(t *testing.T) {
	if len(lazyRegexps) < 16 {
		t.Fatalf("%d expressions listed, want the importers' 16 at least", len(lazyRegexps))
	}
	// A pattern that does not compile panics, failing the test.
	for _, re := range lazyRegexps {
		re()
	}
	furnitureRes()
}
