package diffing

import (
	"slices"
	"testing"

	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// Issue 12: misattributed only when both speakers are named people that
// quote.SameEntity knows to be different; the cluster's speaker is the
// fullest name its members give for that person.
func TestMisattributedEntities(t *testing.T) {
	text := "The friendship we have built is a testament to what binds our nations."
	person := func(name string) quote.Attribution {
		return quote.Attribution{Speaker: name, Kind: quote.SpeakerPerson, Cue: "said", Confidence: 0.9}
	}
	cases := []struct {
		name string
		a, b quote.Attribution
		want bool
	}{
		{"a title and a state", person("Jay Inslow"), person("Washington Gov. Jay Inslow"), false},
		{"a place after the name", person("Chuck Sumner"), person("Chuck Sumner of New York"), false},
		{"a post before the name", person("Ben Smithers"), person("BuzzFeed Editor-in-Chief Ben Smithers"), false},
		{"surname only", person("Donald Drummond"), person("Drummond"), false},
		{"an unresolved role noun", person("Marium Haque"), person("the spokesman"), false},
		{"a post", person("Donald Drummond"), person("the president"), false},
		{"a family name first", person("Kim Jong Su"), person("Kim"), false},
		{"same surname, other given name", person("Robbie Moore"), person("Roger Moore"), true},
		{"different people", person("Donald Drummond"), person("Shinzo Abel"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			units := []Unit{{Doc: 1, Kind: vocab.UnitQuote, Text: text, Attribution: c.a}, {Doc: 2, Kind: vocab.UnitQuote, Text: text, Attribution: c.b}}
			cl := classifyCluster(units, []int{0, 1}, nil)
			if got := slices.Contains(cl.Members[1].Relations, vocab.RelMisattributed); got != c.want {
				t.Fatalf("misattributed = %v, want %v (%v)", got, c.want, cl.Members[1].Relations)
			}
		})
	}
}

func TestClusterSpeakerFullestName(t *testing.T) {
	person := func(name string) quote.Attribution {
		return quote.Attribution{Speaker: name, Kind: quote.SpeakerPerson, Cue: "said", Confidence: 0.9}
	}
	long := "The friendship we have built over the past year is a testament to what binds our two nations."
	short := "The friendship we have built is a testament to what binds our nations."
	cases := []struct {
		name  string
		attrs []quote.Attribution
		want  string
	}{
		{"surname in the reference", []quote.Attribution{person("Drummond"), person("Donald Drummond"), person("the president")}, "Donald Drummond"},
		{"a different person is not taken", []quote.Attribution{person("Drummond"), person("Paul Marchand")}, "Drummond"},
		{"no speaker in the reference", []quote.Attribution{{}, person("Drummond"), person("Donald Drummond")}, "Donald Drummond"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var units []Unit
			var members []int
			for i, a := range c.attrs {
				txt := short
				if i == 0 {
					txt = long // the reference: the most complete version
				}
				units = append(units, Unit{Doc: int64(i + 1), Kind: vocab.UnitQuote, Text: txt, Attribution: a})
				members = append(members, i)
			}
			if got := classifyCluster(units, members, nil).Speaker; got != c.want {
				t.Fatalf("cluster speaker = %q, want %q", got, c.want)
			}
		})
	}
}
