package diffing

import (
	"context"
	"slices"
	"testing"

	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Issue 12: misattributed only when both speakers are named people that
// quote.SameEntity knows to be different; the cluster's speaker is the
// fullest name its members give for that person.
func TestMisattributedEntities(t *testing.T) {
	for _, c := range []struct {
		name, a, b string
		want       bool
	}{
		{"a title and a state", "Jay Inslow", "Washington Gov. Jay Inslow", false},
		{"a place after the name", "Chuck Sumner", "Chuck Sumner of New York", false},
		{"a post before the name", "Ben Smithers", "BuzzFeed Editor-in-Chief Ben Smithers", false},
		{"surname only", "Donald Drummond", "Drummond", false},
		{"an unresolved role noun", "Marium Haque", "the spokesman", false},
		{"a post", "Donald Drummond", "the president", false},
		{"a family name first", "Kim Jong Su", "Kim", false},
		{"same surname, other given name", "Robbie Moore", "Roger Moore", true},
		{"different people", "Donald Drummond", "Shinzo Abel", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := classifyUnits(t, speakerUnits(c.a, c.b), []int{0, 1})
			if got := slices.Contains(cl.Members[1].Relations, vocab.RelMisattributed); got != c.want {
				t.Fatalf("misattributed = %v, want %v (%v)", got, c.want, cl.Members[1].Relations)
			}
		})
	}
}

// speakerUnits are one quote unit per speaker, a person said confidently
// or none for "": the first is the longest, and so the reference.
func speakerUnits(speakers ...string) []Unit {
	var units []Unit
	for i, s := range speakers {
		text := "The friendship we have built is a testament to what binds our nations."
		if i == 0 {
			text = "The friendship we have built over the past year is a testament to what binds our two nations."
		}
		var a quote.Attribution
		if s != "" {
			a = quote.Attribution{Speaker: s, Kind: quote.SpeakerPerson, Cue: "said", Confidence: 0.9}
		}
		units = append(units, Unit{Doc: int64(i + 1), Kind: vocab.UnitQuote, Text: text, Attribution: a})
	}
	return units
}

func TestClusterSpeakerFullestName(t *testing.T) {
	for _, c := range []struct {
		name     string
		speakers []string
		want     string
	}{
		{"surname in the reference", []string{"Drummond", "Donald Drummond", "the president"}, "Donald Drummond"},
		{"a different person is not taken", []string{"Drummond", "Paul Marchand"}, "Drummond"},
		{"no speaker in the reference", []string{"", "Drummond", "Drummond", "Donald Drummond"}, "Donald Drummond"},
	} {
		t.Run(c.name, func(t *testing.T) {
			members := make([]int, len(c.speakers))
			for i := range members {
				members[i] = i
			}
			if got := classifyUnits(t, speakerUnits(c.speakers...), members).Speaker; got != c.want {
				t.Fatalf("cluster speaker = %q, want %q", got, c.want)
			}
		})
	}
}

// classifyUnits classifies members as one cluster whose center is the
// first member's unit.
func classifyUnits(t *testing.T, units []Unit, members []int) Cluster {
	t.Helper()
	ps, err := buildPassages(context.Background(), units, 1)
	if err != nil {
		t.Fatal(err)
	}
	return classifyCluster(units, ps, clusterJob{units: members, center: members[:1]}, nil, true)
}
