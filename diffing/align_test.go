package diffing

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

func TestClassifyRelations(t *testing.T) {
	q, f := vocab.UnitQuote, vocab.UnitFinding
	cases := []struct {
		name     string
		ref      string
		member   string
		kind     vocab.UnitKind
		want     []vocab.Relation
		wantDiff string // optional: the member rendered with [-deleted-] and {+inserted+}
	}{
		{"verbatim", "We know that children deserve better.", "We know that children deserve better.", q, []vocab.Relation{vocab.RelVerbatim}, ""},
		{"verbatim despite attribution comma", "It is our priority that children get the best services.", "It is our priority that children get the best services,", q, []vocab.Relation{vocab.RelVerbatim}, ""},
		{"normalized quotes and case", "The council’s plan is “working”, she insists.", `the council's plan is "working", she insists.`, q, []vocab.Relation{vocab.RelNormalized}, ""},
		{"normalized title's full stop (house style)", "What efforts were made to reach out to Mr. Patel about the review?", "What efforts were made to reach out to Mr Patel about the review?", q, []vocab.Relation{vocab.RelNormalized}, ""},
		{"normalized spelled figure", "Inspectors made seven monitoring visits to the service.", "Inspectors made 7 monitoring visits to the service.", q, []vocab.Relation{vocab.RelNormalized}, ""},
		{"fragment", "There are widespread and serious failures across all service areas.", "widespread and serious failures", q, []vocab.Relation{vocab.RelFragment}, "[-There are -]widespread and serious failures[- across all service areas.-]"},
		{"extended", "We will appeal the ruling.", "We will appeal the ruling and we expect to win.", q, []vocab.Relation{vocab.RelExtended}, ""},
		{"elided with ellipsis", "the experience and progress of many children have declined", "the experience... of many children have declined", q, []vocab.Relation{vocab.RelElided}, "the experience[- and progress-]{+...+} of many children have declined"},
		{"elided silently", "We will not stop until every single child in this city is safe.", "We will not stop until every child is safe.", q, []vocab.Relation{vocab.RelElided}, ""},
		{"inserted brackets", "I told Johnson it was over.", "I told [him] it was over.", q, []vocab.Relation{vocab.RelInserted}, ""},
		{"inserted parenthetical", "Putin must answer for these crimes.", "(Russian President Vladimir) Putin must answer for these crimes.", q, []vocab.Relation{vocab.RelInserted}, ""},
		{"reworded", "This result is a testament to the staff and their hard work.", "This result is a testimony to the staff and their hard work.", q, []vocab.Relation{vocab.RelReworded}, "This result is a[- testament-]{+ testimony+} to the staff and their hard work."},
		{"figures differ", "Inspectors found 1,365 children waiting for an assessment.", "Inspectors found 1,400 children waiting for an assessment.", q, []vocab.Relation{vocab.RelFiguresDiffer}, ""},
		{"figures differ in words", "Five referrals were made in the first year of the trust.", "Six referrals were made in the first year of the trust.", q, []vocab.Relation{vocab.RelFiguresDiffer}, ""},
		{"indirect", "Corporate leaders continue to lack understanding of the scale of improvement required.",
			"The report found that leaders continued to lack understanding of the scale of improvement required.", f, []vocab.Relation{vocab.RelIndirect}, ""},
		{"indirect keeps figures-differ", "We have hired 40 new social workers this year.", "The council said it had hired 45 new social workers this year.", f, []vocab.Relation{vocab.RelIndirect, vocab.RelFiguresDiffer}, ""},
		{"elided and normalized", "The children’s services are “inadequate” and failing many families.", "The children's services are \"inadequate\" and failing families.", q, []vocab.Relation{vocab.RelElided, vocab.RelNormalized}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := classify(Unit{Kind: vocab.UnitQuote, Text: c.ref}, Unit{Kind: c.kind, Text: c.member})
			if !slices.Equal(got.rels, c.want) {
				t.Errorf("relations = %v, want %v (diff %s)", got.rels, c.want, renderEdits(got.diff))
			}
			if c.wantDiff != "" && renderEdits(got.diff) != c.wantDiff {
				t.Errorf("diff = %s\nwant   %s", renderEdits(got.diff), c.wantDiff)
			}
			var b strings.Builder
			for _, e := range got.diff {
				if e.Op != OpDelete {
					b.WriteString(e.Text)
				}
			}
			if b.String() != c.member {
				t.Errorf("diff does not rebuild the member: %q", b.String())
			}
		})
	}
}

// goldenDigest stands for a passage in golden files, its words counted as
// the aligner counts them.
func goldenDigest(s string) string { return difftest.Digest(s, countWords(s)) }

func renderEdits(es []Edit) string {
	var b strings.Builder
	for _, e := range es {
		switch e.Op {
		case OpEqual:
			b.WriteString(e.Text)
		case OpDelete:
			b.WriteString("[-" + e.Text + "-]")
		case OpInsert:
			b.WriteString("{+" + e.Text + "+}")
		}
	}
	return b.String()
}

func TestMisattributed(t *testing.T) {
	text := "Children deserve far better than this from everyone involved."
	person := func(name string) quote.Attribution {
		return quote.Attribution{Speaker: name, Kind: quote.SpeakerPerson, Cue: "said", Confidence: 0.9}
	}
	cases := []struct {
		name string
		a, b quote.Attribution
		want bool
	}{
		{"different people", person("Marium Haque"), person("Susan Hinchcliffe"), true},
		{"same person, surname only", person("Marium Haque"), person("Ms Haque"), false},
		{"organisation and document", quote.Attribution{Speaker: "Ofsted", Kind: quote.SpeakerOrganisation, Confidence: 0.9},
			quote.Attribution{Speaker: "the report", Kind: quote.SpeakerDocument, Confidence: 0.9}, false},
		{"one unknown", person("Marium Haque"), quote.Attribution{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			units := []Unit{{Doc: 1, Kind: vocab.UnitQuote, Text: text, Attribution: c.a}, {Doc: 2, Kind: vocab.UnitQuote, Text: text, Attribution: c.b}}
			cl := classifyUnits(t, units, []int{0, 1})
			got := slices.Contains(cl.Members[1].Relations, vocab.RelMisattributed)
			if got != c.want {
				t.Fatalf("misattributed = %v, want %v (%v)", got, c.want, cl.Members[1].Relations)
			}
			if got && cl.Status != vocab.StatusDiverge {
				t.Fatal("a misattribution must mark the cluster as diverging")
			}
		})
	}
}

// TestAlignAmericanWire checks the engine on US wire style (said Tuesday,
// AP attribution after the quote), not only the British corpus.
func TestAlignAmericanWire(t *testing.T) {
	docs := []string{
		`WASHINGTON (AP) — The mayor promised a full rebuild on Tuesday. "We will rebuild every home that was lost, and we will do it this year," Mayor Jane Ortiz said Tuesday. Officials said 1,200 homes were destroyed.`,
		`Mayor Jane Ortiz vowed to act fast. "We will rebuild every home that was lost," Ortiz told reporters. City officials said 1,500 homes were destroyed by the storm.`,
		`Residents were skeptical. Ortiz said the city would rebuild every home that was lost and would do it this year.`,
	}
	var units []Unit
	for i, d := range docs {
		units = append(units, Analyze(int64(i+1), d).Units...)
	}
	clusters, err := Align(context.Background(), units, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rebuild *Cluster
	for i, c := range clusters {
		for _, m := range c.Members {
			if strings.Contains(units[m.Unit].Text, "rebuild every home") && c.Docs(units) == 3 {
				rebuild = &clusters[i]
			}
		}
	}
	if rebuild == nil {
		t.Fatalf("no three-outlet cluster for the rebuild quote; clusters: %s", dumpClusters(units, clusters))
	}
	rels := map[int64][]vocab.Relation{}
	for _, m := range rebuild.Members {
		rels[units[m.Unit].Doc] = m.Relations
		if m.Reference && units[m.Unit].Doc != 1 {
			t.Errorf("reference is from article %d, want the most complete version (1)", units[m.Unit].Doc)
		}
	}
	if !slices.Contains(rels[2], vocab.RelFragment) || !slices.Contains(rels[3], vocab.RelIndirect) {
		t.Errorf("relations = %v", rels)
	}
	if rebuild.Speaker != "Jane Ortiz" {
		t.Errorf("speaker = %q", rebuild.Speaker)
	}
}

func dumpClusters(units []Unit, cs []Cluster) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("\n[" + string(c.Kind) + " " + string(c.Status) + " " + c.Speaker + "]")
		for _, m := range c.Members {
			b.WriteString("\n   " + units[m.Unit].Text)
		}
	}
	return b.String()
}

// bradford reads the real articles' texts in file order, with the line
// ends the importer would store.
func bradford(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, a := range difftest.Bradford(t) {
		out = append(out, strings.ReplaceAll(a.Text, "\r\n", "\n"))
	}
	return out
}

// TestAcceptanceCorpus asserts what a researcher sees in the real
// articles (see shared/corpus/README.md).
func TestAcceptanceCorpus(t *testing.T) {
	texts := bradford(t)
	var units []Unit
	for i, text := range texts {
		units = append(units, Analyze(int64(i), text).Units...)
	}
	clusters, err := Align(context.Background(), units, Options{Diffs: true})
	if err != nil {
		t.Fatal(err)
	}
	// find returns the cluster holding a unit of article doc whose text
	// contains s, and that member.
	find := func(doc int64, s string) (*Cluster, *Member) {
		for i := range clusters {
			for j, m := range clusters[i].Members {
				if units[m.Unit].Doc == doc && strings.Contains(units[m.Unit].Text, s) {
					return &clusters[i], &clusters[i].Members[j]
				}
			}
		}
		t.Fatalf("no cluster holds %q from article %03d", s, doc)
		return nil, nil
	}
	same := func(a, b *Cluster) {
		t.Helper()
		if a != b {
			t.Fatalf("expected one cluster, got two:%s", dumpClusters(units, []Cluster{*a, *b}))
		}
	}
	t.Run("Haque verbatim", func(t *testing.T) {
		c0, _ := find(0, "We know that children and families deserve better")
		c1, m1 := find(1, "We know that children and families deserve better")
		same(c0, c1)
		if !slices.Equal(m1.Relations, []vocab.Relation{vocab.RelVerbatim}) && !m1.Reference || c0.Status != vocab.StatusAgree || c0.Speaker != "Marium Haque" {
			t.Fatalf("relations %v, status %s, speaker %q", m1.Relations, c0.Status, c0.Speaker)
		}
	})
	t.Run("Hinchcliffe verbatim via pronoun", func(t *testing.T) {
		c0, _ := find(0, "It is our priority that children get the best services")
		c1, _ := find(1, "It is our priority that children get the best services")
		same(c0, c1)
		if c0.Status != vocab.StatusAgree || c0.Speaker != "Susan Hinchcliffe" {
			t.Fatalf("status %s, speaker %q", c0.Status, c0.Speaker)
		}
		for _, m := range c0.Members {
			if !m.Reference && !slices.Equal(m.Relations, []vocab.Relation{vocab.RelVerbatim}) {
				t.Fatalf("member relations %v", m.Relations)
			}
			if a := units[m.Unit].Attribution; a.Via != "she" && a.Via != "She" {
				t.Errorf("article %d attributes via %q, want the pronoun", units[m.Unit].Doc, a.Via)
			}
		}
	})
	t.Run("widespread and serious failures is a fragment", func(t *testing.T) {
		c0, m0 := find(0, "There are widespread and serious failures across all service areas")
		c1, m1 := find(1, "widespread and serious failures")
		same(c0, c1)
		if !m0.Reference || !slices.Contains(m1.Relations, vocab.RelFragment) || c0.Status != vocab.StatusDiverge {
			t.Fatalf("reference %v, relations %v, status %s", m0.Reference, m1.Relations, c0.Status)
		}
		if units[m1.Unit].Text != "widespread and serious failures" {
			t.Fatalf("fragment text %q", units[m1.Unit].Text)
		}
	})
	t.Run("experience... of many children is an elision", func(t *testing.T) {
		c0, _ := find(0, "the experience and progress of many children have declined")
		c1, m1 := find(1, "the experience... of many children")
		same(c0, c1)
		if !slices.Contains(m1.Relations, vocab.RelElided) || c0.Status != vocab.StatusDiverge {
			t.Fatalf("relations %v, status %s", m1.Relations, c0.Status)
		}
	})
	t.Run("Haque statement whole in 000, split in 001", func(t *testing.T) {
		statement := func(doc int) quote.Quote {
			for _, q := range Analyze(int64(doc), texts[doc]).Quotes {
				rs := []rune(texts[doc])
				if strings.Contains(string(rs[q.Spans[0].Start:q.Spans[0].End]), "We know that children") {
					return q
				}
			}
			t.Fatalf("no Haque statement in %03d", doc)
			return quote.Quote{}
		}
		whole, split := statement(0), statement(1)
		rs := []rune(texts[1])
		last := split.Spans[len(split.Spans)-1]
		if len(split.Spans) < 2 || !strings.Contains(string(rs[last.Start:last.End]), "We recognise") {
			t.Fatalf("001: want the statement in several spans ending with the part before \", she said.\"; got %d spans", len(split.Spans))
		}
		if whole.Speaker != "Marium Haque" || split.Speaker != "Marium Haque" {
			t.Fatalf("speakers %q / %q", whole.Speaker, split.Speaker)
		}
	})
	t.Run("corporate leaders finding as indirect speech", func(t *testing.T) {
		c0, m0 := find(0, "Corporate leaders continue to lack understanding")
		c1, m1 := find(1, "leaders at the council continued to lack understanding")
		same(c0, c1)
		if !m0.Reference || !slices.Equal(m1.Relations, []vocab.Relation{vocab.RelIndirect}) || c0.Kind != vocab.UnitFinding {
			t.Fatalf("reference %v, relations %v, kind %s", m0.Reference, m1.Relations, c0.Kind)
		}
		if !strings.Contains(renderEdits(m1.Diff), "[-, time-]") && !strings.Contains(renderEdits(m1.Diff), "time") {
			t.Fatalf("diff does not show the dropped \"time\": %s", renderEdits(m1.Diff))
		}
	})
}

// checkAlignment verifies the invariants every alignment must keep.
func checkAlignment(t *testing.T, texts []string, units []Unit, clusters []Cluster) {
	t.Helper()
	for _, u := range units {
		rs := []rune(texts[u.Doc])
		var parts []string
		for _, s := range u.Spans {
			if s.Start < 0 || s.End > len(rs) || s.Start >= s.End {
				t.Fatalf("unit span %v outside text of %d runes", s, len(rs))
			}
			parts = append(parts, string(rs[s.Start:s.End]))
		}
		if strings.Join(parts, " ") != u.Text {
			t.Fatalf("unit text %q is not its spans' text %q", u.Text, strings.Join(parts, " "))
		}
	}
	for _, c := range clusters {
		refs := 0
		for _, m := range c.Members {
			if m.Unit < 0 || m.Unit >= len(units) {
				t.Fatalf("member unit %d out of range", m.Unit)
			}
			if m.Reference {
				refs++
			}
		}
		if refs != 1 {
			t.Fatalf("cluster has %d references", refs)
		}
	}
}

func FuzzAlign(f *testing.F) {
	f.Add(`"We will rebuild every home," she said. "It will take a year."`, `Officials said "we will rebuild every home" soon. She said they would rebuild every home.`)
	f.Add(`"There are widespread and serious failures across all service areas."`, `Ofsted found "widespread and serious failures".`)
	f.Add("“a ‘b’ c” d", "'x' \"y\" …")
	f.Fuzz(func(t *testing.T, a, b string) {
		texts := []string{a, b}
		var units []Unit
		for i, s := range texts {
			units = append(units, Analyze(int64(i), s).Units...)
		}
		clusters, err := Align(context.Background(), units, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		checkAlignment(t, texts, units, clusters)
	})
}

// TestAlignEditedVersions: shortened and lightly reworded versions of one
// remark cluster (contractions, dropped adverbials, swapped words; a short
// sentence beside a matched one in the same statement), and sentences that
// merely share common words do not.
func TestAlignEditedVersions(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		same bool
	}{
		{"contraction and dropped adverbial",
			`"The friendship we've built is a testament to what binds our nations," the prime minister said.`,
			`"The friendship we have built over the past year is a testament to the enduring bond that binds our two nations," he said.`, true},
		{"short neighbour sentence in one statement",
			`The mayor said: "We don't want him here. We reject his message."`,
			`"We don't want him here. We reject his visit," the mayor told reporters.`, true},
		{"hyphen written as a space",
			`"Every state-funded school will get the money by March," the minister said.`,
			`"Every state funded school will get the money by March," the minister said.`, true},
		{"reported speech after a long frame naming whom he told",
			`"I'm optimistic that the government can set the conditions for a deal appropriately," the nominee told the committee.`,
			`During his confirmation hearing on Thursday, the nominee told senators on the Foreign Relations Committee that he was optimistic that the government could set the conditions for a deal.`, true},
		{"reported speech without that after a title and name",
			`"Over the past day several groups of people associated with the convoy have illegally entered the country without documents by climbing over the old scrap metal fence on either side of the crossing," the chief said.`,
			`Border Patrol Chief Agent Ruth Okafor said several groups of people associated with the convoy illegally entered the country by climbing over a fence.`, true},
		{"same frame, other words",
			`Border Patrol Chief Agent Ruth Okafor said the agency would hire more officers for the crossings next year.`,
			`Border Patrol Chief Agent Ruth Okafor said several groups of people had been turned back at the crossings.`, false},
		{"common words only",
			`"We are going to work very hard on this for the people of the city," the governor said.`,
			`"We are going to look very closely at the budget for the next year," the senator said.`, false},
		{"same topic, other claim",
			`Inspectors found that the council had failed to protect children at risk in the city.`,
			`Inspectors found that the council had cut the number of social workers in the city.`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ua := Analyze(1, c.a).Units
			ub := Analyze(2, c.b).Units
			units := append(slices.Clone(ua), ub...)
			clusters, err := Align(context.Background(), units, Options{})
			if err != nil {
				t.Fatal(err)
			}
			shared := 0
			for _, cl := range clusters {
				if cl.Docs(units) == 2 {
					shared++
				}
			}
			want := 0
			if c.same {
				want = len(ub)
			}
			if shared != want {
				t.Fatalf("%d clusters span both articles, want %d:%s", shared, want, dumpClusters(units, clusters))
			}
		})
	}
}

// TestAlignAdoptsFragmentOfMember: a short quote cut from a member that
// rewords the center joins the cluster, though too little of it survives
// the rewording to verify against the center; a fragment sharing only
// common words with the member's cluster does not.
func TestAlignAdoptsFragmentOfMember(t *testing.T) {
	center := `"This constituted an act of unprecedented treachery: the campaign of a nominee in league with a hostile foreign power to bolster its own chance to win," the chairman said.`
	member := `"The conspiracy constituted an act of previously unimaginable treachery: the campaign of the presidential nominee of a major party in league with a hostile foreign power to bolster its own chance to win," the suit states.`
	cases := []struct {
		name     string
		fragment string
		docs     int
	}{
		{"fragment of the rewording", `In the document, the committee accuses them of "an act of previously unimaginable treachery."`, 6},
		{"fragment of the member's own words only", `The lawsuit names "the presidential nominee of a major party" as its target.`, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var units []Unit
			// The center is carried whole by two articles and in part by
			// two more, so it, not the fuller rewording, leads.
			texts := []string{center, center,
				`The chairman called it "an act of unprecedented treachery."`,
				`He said it was "an act of unprecedented treachery."`,
				member, c.fragment}
			for i, text := range texts {
				units = append(units, Analyze(int64(i+1), text).Units...)
			}
			clusters, err := Align(context.Background(), units, Options{})
			if err != nil {
				t.Fatal(err)
			}
			most := 0
			for _, cl := range clusters {
				most = max(most, cl.Docs(units))
			}
			if most != c.docs {
				t.Fatalf("largest cluster spans %d articles, want %d:%s", most, c.docs, dumpClusters(units, clusters))
			}
		})
	}
}

// TestAlignDiffsOptionalCorpus: leaving Options.Diffs unset changes nothing
// but the diffs: the same clusters, references and relations as with them.
func TestAlignDiffsOptionalCorpus(t *testing.T) {
	var units []Unit
	for i, text := range bradford(t) {
		units = append(units, Analyze(int64(i), text).Units...)
	}
	with, err := Align(context.Background(), units, Options{Diffs: true})
	if err != nil {
		t.Fatal(err)
	}
	without, err := Align(context.Background(), units, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(with) != len(without) {
		t.Fatalf("%d clusters with diffs, %d without", len(with), len(without))
	}
	diffs := 0
	for i := range with {
		a, b := with[i], without[i]
		if a.Kind != b.Kind || a.Status != b.Status || a.Speaker != b.Speaker || len(a.Members) != len(b.Members) {
			t.Fatalf("cluster %d differs: %+v / %+v", i, a, b)
		}
		for j := range a.Members {
			ma, mb := a.Members[j], b.Members[j]
			if ma.Unit != mb.Unit || ma.Reference != mb.Reference || ma.Text != mb.Text || !slices.Equal(ma.Relations, mb.Relations) {
				t.Fatalf("cluster %d member %d: %+v / %+v", i, j, ma, mb)
			}
			if mb.Diff != nil {
				t.Fatalf("cluster %d member %d has a diff though none was asked for", i, j)
			}
			if !ma.Reference && ma.Diff != nil {
				diffs++
			}
		}
	}
	if diffs == 0 {
		t.Fatal("no member has a diff with Options.Diffs set")
	}
}

// TestLCSIDs: the bit-parallel LCS agrees with the dynamic programme on
// passages below, at and above 64 words, on a small alphabet (many
// repeats) and a large one.
func TestLCSIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 5, 20, 63, 64, 65, 100} {
		for _, alphabet := range []int32{2, 5, 50, 100000} {
			for range 50 {
				a := make([]int32, n)
				b := make([]int32, rng.IntN(2*n+2))
				for i := range a {
					a[i] = rng.Int32N(alphabet)
				}
				for i := range b {
					b[i] = rng.Int32N(alphabet)
				}
				if got, want := lcsIDs(a, b), LCSLen(a, b); got != want {
					t.Fatalf("lcsIDs(%v, %v) = %d, want %d", a, b, got, want)
				}
				if got, want := lcsIDs(b, a), LCSLen(a, b); got != want {
					t.Fatalf("lcsIDs swapped = %d, want %d", got, want)
				}
			}
		}
	}
}
