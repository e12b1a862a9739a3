package diffing

import (
	"slices"
	"testing"

	"github.com/parallax-research/parallax/diffing/vocab"
)

func TestCompareWhole(t *testing.T) {
	orig := "Council cedes control\nThe council will hand its children's services to a trust. The trust starts in April."
	for _, c := range []struct {
		text string
		want []vocab.Relation
	}{
		{orig, []vocab.Relation{vocab.RelVerbatim}},
		{"Council cedes control\nThe council will hand its children’s services to a trust. The trust starts in April.", []vocab.Relation{vocab.RelNormalized}},
		{orig + "\nA spokesman declined to comment on the decision.", []vocab.Relation{vocab.RelExtended}},
		{"Trust to run Bradford services\nThe council will hand its children's services to a trust. The trust starts in April.", []vocab.Relation{vocab.RelReworded}},
		{"Council cedes control\nThe council will hand its children's services to a trust.", []vocab.Relation{vocab.RelElided}},
	} {
		if got := CompareWhole(orig, c.text); !slices.Equal(got, c.want) {
			t.Errorf("CompareWhole(%.50q) = %v, want %v", c.text, got, c.want)
		}
	}
}
