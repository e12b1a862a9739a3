package diffing

import (
	"slices"
	"testing"

	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// ClassifyCluster classifies a cluster made elsewhere against the
// reference it is given, not against one it would choose itself.
func TestClassifyCluster(t *testing.T) {
	q, f := vocab.UnitQuote, vocab.UnitFinding
	span := []quote.Span{{Start: 0, End: 1}}
	person := func(name string) quote.Attribution {
		return quote.Attribution{Speaker: name, Kind: quote.SpeakerPerson, Confidence: 0.9}
	}
	units := []Unit{
		{Doc: 1, Kind: q, Spans: span, Text: "There are widespread and serious failures across all service areas.", Attribution: person("Jane Smith")},
		{Doc: 2, Kind: q, Spans: span, Text: "widespread and serious failures", Attribution: person("Jane Smith")},
		{Doc: 3, Kind: q, Spans: span, Text: "There are widespread and serious failures across all service areas.", Attribution: person("Tom Brown")},
		{Doc: 4, Kind: f, Spans: span, Text: "Inspectors said there were widespread and serious failures across all service areas."},
	}
	c := ClassifyCluster(units, 0)
	if len(c.Members) != len(units) {
		t.Fatalf("%d members, want %d", len(c.Members), len(units))
	}
	want := [][]vocab.Relation{nil, {vocab.RelFragment}, {vocab.RelVerbatim, vocab.RelMisattributed}, {vocab.RelIndirect}}
	for i, m := range c.Members {
		if m.Unit != i {
			t.Errorf("member %d is unit %d: members must keep the order of units", i, m.Unit)
		}
		if m.Reference != (i == 0) {
			t.Errorf("member %d: reference = %v", i, m.Reference)
		}
		if !slices.Equal(m.Relations, want[i]) {
			t.Errorf("member %d: relations %v, want %v", i, m.Relations, want[i])
		}
	}
	if c.Kind != f || c.Status != vocab.StatusDiverge || c.Speaker != "Jane Smith" {
		t.Errorf("cluster kind %q, status %q, speaker %q; want finding, diverge, Jane Smith", c.Kind, c.Status, c.Speaker)
	}

	// The fragment as reference: the full sentence extends it.
	c = ClassifyCluster(units[:2], 1)
	if !c.Members[1].Reference || !slices.Equal(c.Members[0].Relations, []vocab.Relation{vocab.RelExtended}) {
		t.Errorf("with the fragment as reference: %+v", c.Members)
	}
	if c.Kind != q || c.Status != vocab.StatusDiverge {
		t.Errorf("two quotes: kind %q status %q", c.Kind, c.Status)
	}
	if got := ClassifyCluster(units, len(units)); len(got.Members) != 0 {
		t.Errorf("a reference outside the units gave %d members", len(got.Members))
	}
}
