package vocab

import (
	"slices"
	"strings"
	"testing"
)

// TestRelations pins the canonical order and the stored names: the project
// file, the CLI's JSON and the exports all hold these strings.
func TestRelations(t *testing.T) {
	want := []string{"verbatim", "normalized", "fragment", "extended", "elided",
		"inserted", "reworded", "indirect", "misattributed", "figures-differ"}
	var got []string
	for _, r := range Relations() {
		got = append(got, string(r))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Relations() = %q, want %q", got, want)
	}
	rs := Relations()
	rs[0] = RelFiguresDiffer
	if Relations()[0] != RelVerbatim {
		t.Fatal("changing the slice Relations returned changed the canonical order")
	}
}

func TestDescriptions(t *testing.T) {
	seen := map[string]Relation{}
	for _, r := range append([]Relation{RelReference}, Relations()...) {
		d := r.Description()
		if d == "" || strings.Contains(d, "\n") || !strings.HasSuffix(d, ".") {
			t.Errorf("%s: description %q, want one sentence on one line", r, d)
		}
		if other, ok := seen[d]; ok {
			t.Errorf("%s and %s share the description %q", r, other, d)
		}
		seen[d] = r
	}
	if d := Relation("agree").Description(); d != "" {
		t.Errorf("a status has the relation description %q", d)
	}
}

func TestStoredNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{string(RelReference), "reference"},
		{string(StatusAgree), "agree"},
		{string(StatusDiverge), "diverge"},
		{string(UnitQuote), "quote"},
		{string(UnitFinding), "finding"},
		{string(OpEqual), "equal"},
		{string(OpInsert), "insert"},
		{string(OpDelete), "delete"},
	} {
		if c.got != c.want {
			t.Errorf("stored name %q, want %q", c.got, c.want)
		}
	}
}

func TestJoin(t *testing.T) {
	for _, c := range []struct {
		rels []Relation
		want string
	}{
		{nil, ""},
		{[]Relation{RelVerbatim}, "verbatim"},
		{[]Relation{RelFiguresDiffer, RelFragment, "from-the-future"}, "figures-differ+fragment+from-the-future"},
	} {
		if got := Join(c.rels, "+"); got != c.want {
			t.Errorf("Join(%q) = %q, want %q", c.rels, got, c.want)
		}
	}
}

func TestFaithful(t *testing.T) {
	var got []Relation
	for _, r := range append([]Relation{RelReference}, Relations()...) {
		if r.Faithful() {
			got = append(got, r)
		}
	}
	if want := []Relation{RelVerbatim, RelNormalized}; !slices.Equal(got, want) {
		t.Errorf("faithful relations %q, want %q", got, want)
	}
}
