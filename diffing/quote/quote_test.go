package quote_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parallax-research/parallax/diffing"
	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/quote"
)

// wantQuote is one expected quote. Speaker, Kind, Cue and Via are compared
// exactly; Role only when set; Confidence must be 0 for an unknown speaker,
// and at least minConf otherwise.
type wantQuote struct {
	spans   []string
	speaker string
	kind    quote.SpeakerKind
	cue     string
	via     string
	role    string
	minConf float64
}

type quoteCase struct {
	name string
	text string
	want []wantQuote
}

// checkQuotes compares quote.Extract(text) with want and checks the
// invariants every result must hold.
func checkQuotes(t *testing.T, text string, want []wantQuote) {
	t.Helper()
	got := quote.Extract(text)
	checkQuoteInvariants(t, text, got)
	rs := []rune(text)
	if len(got) != len(want) {
		t.Errorf("got %d quotes, want %d:\n%s", len(got), len(want), renderQuotesForTest(rs, got))
		return
	}
	for i, w := range want {
		g := got[i]
		var spans []string
		for _, s := range g.Spans {
			spans = append(spans, string(rs[s.Start:s.End]))
		}
		if strings.Join(spans, "|") != strings.Join(w.spans, "|") {
			t.Errorf("quote %d spans = %q, want %q", i, spans, w.spans)
		}
		if g.Speaker != w.speaker || g.Kind != w.kind || g.Cue != w.cue || g.Via != w.via {
			t.Errorf("quote %d attribution = speaker %q kind %q cue %q via %q, want %q %q %q %q",
				i, g.Speaker, g.Kind, g.Cue, g.Via, w.speaker, w.kind, w.cue, w.via)
		}
		if w.role != "" && g.Role != w.role {
			t.Errorf("quote %d role = %q, want %q", i, g.Role, w.role)
		}
		if w.speaker == "" && g.Confidence != 0 {
			t.Errorf("quote %d: unknown speaker with confidence %v", i, g.Confidence)
		}
		if w.speaker != "" && (g.Confidence < w.minConf || g.Confidence <= 0) {
			t.Errorf("quote %d confidence = %v, want at least %v", i, g.Confidence, w.minConf)
		}
	}
}

// checkInvariants: spans inside the text, non-empty, in order, not
// overlapping; confidence in [0, 1]; no speaker, no confidence.
func checkQuoteInvariants(t testing.TB, text string, qs []quote.Quote) {
	t.Helper()
	n := utf8.RuneCountInString(text)
	last := 0
	for i, q := range qs {
		if len(q.Spans) == 0 {
			t.Fatalf("quote %d has no spans", i)
		}
		for _, s := range q.Spans {
			if s.Start < last || s.Start >= s.End || s.End > n {
				t.Fatalf("quote %d: bad span %v (previous end %d, text %d runes)", i, s, last, n)
			}
			last = s.End
		}
		if q.Confidence < 0 || q.Confidence > 1 || math.IsNaN(q.Confidence) {
			t.Fatalf("quote %d: confidence %v", i, q.Confidence)
		}
		if q.Speaker == "" && q.Confidence != 0 {
			t.Fatalf("quote %d: unknown speaker with confidence %v", i, q.Confidence)
		}
	}
}

func renderQuotesForTest(rs []rune, qs []quote.Quote) string {
	var sb strings.Builder
	for _, q := range qs {
		fmt.Fprintf(&sb, "  speaker=%q kind=%q cue=%q via=%q role=%q conf=%.2f\n", q.Speaker, q.Kind, q.Cue, q.Via, q.Role, q.Confidence)
		for _, s := range q.Spans {
			fmt.Fprintf(&sb, "    %q\n", string(rs[s.Start:s.End]))
		}
	}
	return sb.String()
}

func runQuoteCases(t *testing.T, cases []quoteCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkQuotes(t, c.text, c.want) })
	}
}

func unattributed(spans ...string) wantQuote { return wantQuote{spans: spans} }

// Requirement 1: the marks, apostrophes, nesting and scare quotes.
func TestExtractQuotesMarks(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"straight double", `The minister said "we will not back down" on Monday.`,
			[]wantQuote{{spans: []string{"we will not back down"}, speaker: "the minister", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"curly double, inverted", `“We are ready,” said Ana Lopes.`,
			[]wantQuote{{spans: []string{"We are ready"}, speaker: "Ana Lopes", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"curly single, British", `‘We are ready,’ said Ana Lopes.`,
			[]wantQuote{{spans: []string{"We are ready"}, speaker: "Ana Lopes", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"straight single, British", `'We are ready,' said Ana Lopes.`,
			[]wantQuote{{spans: []string{"We are ready"}, speaker: "Ana Lopes", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"apostrophes only", `The children's centre, Star's family, rock 'n' roll in the '90s and Bradford’s council: nobody here was quoted, not even the workers' union or James' dog.`,
			nil},
		{"apostrophes around a single quote", `Bradford’s children's services have 'deteriorated' since the '90s, the report said.`,
			[]wantQuote{{spans: []string{"deteriorated"}, speaker: "the report", kind: quote.SpeakerDocument, cue: "said", minConf: 0.9}}},
		{"elisions", `'Tis the season, said nobody in the '80s; rock 'n' roll lives on, they'd tell 'em.`,
			nil},
		{"nested single in double", `“He said ‘no’ twice,” Jane Smith recalled.`,
			[]wantQuote{{spans: []string{"He said ‘no’ twice"}, speaker: "Jane Smith", kind: quote.SpeakerPerson, cue: "recalled", minConf: 0.9}}},
		{"nested double in single", `‘He said “no” twice,’ Jane Smith recalled.`,
			[]wantQuote{{spans: []string{"He said “no” twice"}, speaker: "Jane Smith", kind: quote.SpeakerPerson, cue: "recalled", minConf: 0.9}}},
		{"nested straight", `Tom Reed said: "The sign read "closed" all week."`,
			[]wantQuote{{spans: []string{`The sign read "closed" all week.`}, speaker: "Tom Reed", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"scare quotes", `Government watchdog Ofsted rated the city council "inadequate" in 2018 after a 'damning' visit.`,
			[]wantQuote{unattributed("inadequate"), unattributed("damning")}},
		{"possessive inside a single quote", `Critics called it 'the workers’ charter' in 2020.`,
			[]wantQuote{{spans: []string{"the workers’ charter"}, speaker: "critics", kind: quote.SpeakerGroup, cue: "called", minConf: 0.9}}},
	})
}

// Requirement 2: one quote over several paragraphs.
func TestExtractQuotesParagraphs(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"three paragraphs", "Dr Amal Rahman said: \"The first paragraph of the statement.\n\n\"The second paragraph.\n\n\"The third and last.\"\n\nThe meeting ended.",
			[]wantQuote{{spans: []string{"The first paragraph of the statement.", "The second paragraph.", "The third and last."}, speaker: "Dr Amal Rahman", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"single newlines, British marks", "The head teacher, Tom Price, said: ‘First part of it.\n‘Second part of it.’\nParents left.",
			[]wantQuote{{spans: []string{"First part of it.", "Second part of it."}, speaker: "Tom Price", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"British marks, a space after the opening one", "In its report the watchdog, Ofsted, said: ‘ There are failures across all areas.\n\n‘This leaves children at risk.’\n\nThe council was stripped of control.",
			[]wantQuote{{spans: []string{"There are failures across all areas.", "This leaves children at risk."}, speaker: "Ofsted", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.5}}},
		{"mixed curly and straight marks", "Cllr Ann Lee said, “We welcome this.\n\n\"But more must be done.\"",
			[]wantQuote{{spans: []string{"We welcome this.", "But more must be done."}, speaker: "Ann Lee", kind: quote.SpeakerPerson, cue: "said", role: "Councillor", minConf: 0.9}}},
		{"opening mark missing before an attribution", "Chief Agent Rodney Scott said there had been several entries.\n\nOver the past day several groups have crossed the fence,\" he said.",
			[]wantQuote{{spans: []string{"Over the past day several groups have crossed the fence"}, speaker: "Rodney Scott", kind: quote.SpeakerPerson, cue: "said", via: "he", minConf: 0.5}}},
		{"opening mark missing, curly, named after", "We will not stop until the work is done,” Jane Roe told reporters.",
			[]wantQuote{{spans: []string{"We will not stop until the work is done"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "told", minConf: 0.75}}},
		{"a stray closing mark with no attribution is no quote", "The sign in the window of the shop,\" was taken down on Monday.", nil},
		{"a stray closing mark after a full stop is no quote", "The council met on Monday to discuss it.\" Officials said little.", nil},
		{"closing mark missing at the end", "The letter said: \"We regret the delay.\n\n\"We will respond in full",
			[]wantQuote{{spans: []string{"We regret the delay.", "We will respond in full"}, speaker: "the letter", kind: quote.SpeakerDocument, cue: "said", minConf: 0.9}}},
	})
}

// Requirement 3: a quote split by its attribution is one quote.
func TestExtractQuotesSplit(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"she said", "Marium Haque said the council accepted the findings.\n\n\"We know that children and families deserve better,\" she said. \"We are committed to improving.\"",
			[]wantQuote{{spans: []string{"We know that children and families deserve better", "We are committed to improving."}, speaker: "Marium Haque", kind: quote.SpeakerPerson, cue: "said", via: "she", minConf: 0.65}}},
		{"said Ms Haque", "Marium Haque, the director, spoke after the report.\n\n“We know that children deserve better,” said Ms Haque, “and we will act.”",
			[]wantQuote{{spans: []string{"We know that children deserve better", "and we will act."}, speaker: "Marium Haque", kind: quote.SpeakerPerson, cue: "said", via: "Ms Haque", minConf: 0.8}}},
		{"two speakers stay apart", `"We will win," Smith said. "They will lose," Jones said.`,
			[]wantQuote{
				{spans: []string{"We will win"}, speaker: "Smith", kind: quote.SpeakerPerson, cue: "said", minConf: 0.75},
				{spans: []string{"They will lose"}, speaker: "Jones", kind: quote.SpeakerPerson, cue: "said", minConf: 0.75}}},
		{"a new clause is not the rest of the quote", `"It is our priority," she said, adding the council had invested "substantially" in services. Earlier, Ms Green said nothing.`,
			[]wantQuote{
				{spans: []string{"It is our priority"}, cue: "said"},
				{spans: []string{"substantially"}, cue: "adding"}}},
	})
}

// Requirement 4: never panic, never a bad span.
func TestExtractQuotesRobust(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"unclosed opener", "He shouted \"stop and then ran away.\n\nThe police arrived later.", nil},
		{"unclosed opener keeps the quotes inside", `He "said 'hello' and left`, []wantQuote{unattributed("hello")}},
		{"space after the opening mark", `In its report, the watchdog said: " There are widespread failures."`,
			[]wantQuote{{spans: []string{"There are widespread failures."}, speaker: "the watchdog", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9}}},
		{"quotes at start and end", `"Start of the text," said Ann Bell. Tom Hill replied: "end of the text"`,
			[]wantQuote{
				{spans: []string{"Start of the text"}, speaker: "Ann Bell", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"end of the text"}, speaker: "Tom Hill", kind: quote.SpeakerPerson, cue: "replied", minConf: 0.9}}},
		{"empty quotes", `He said "" and left. Then “” and '' and "ok".`, []wantQuote{unattributed("ok")}},
		{"marks only", `"""''' “”‘’ " ' “ ‘`, nil},
		{"stray closers", `It was 5'10" tall” and ’ then “`, nil},
		{"only space inside", `She said "   " twice.`, nil},
		{"empty text", ``, nil},
		{"lone mark", `"`, nil},
		{"colon then nothing", `Ofsted said: "`, nil},
		{"a label is not a speaker", `Update: "We are reviewing the decision."`, []wantQuote{unattributed("We are reviewing the decision.")}},
	})
}

// Requirement 5: attribution.
func TestExtractQuotesAttribution(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"says with appositive", `"Prices will rise," says Priya Patel, an economist at the bank.`,
			[]wantQuote{{spans: []string{"Prices will rise"}, speaker: "Priya Patel", kind: quote.SpeakerPerson, cue: "says", role: "an economist at the bank", minConf: 0.9}}},
		{"they: two people named as one subject", "Officials in Washington said quotas would replace the tariffs.\n\nAustralia's Prime Minister Ana Lopes and the country's Trade Minister Tom Price welcomed the exemption on Friday.\n\n\"The exemption reflects a fair trade relationship,\" they said in a statement.",
			[]wantQuote{{spans: []string{"The exemption reflects a fair trade relationship"}, speaker: "Ana Lopes and Tom Price", kind: quote.SpeakerGroup, cue: "said", via: "they", minConf: 0.5}}},
		{"she: a person named after a place's possessive", "Britain's Prime Minister Jane Roe met the president on Monday.\n\n\"We will work together,\" she said.",
			[]wantQuote{{spans: []string{"We will work together"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", via: "she", minConf: 0.5}}},
		{"said, then a news agency reported", `The deputy minister, Omar Haddad, said the evidence was "fake and fabricated," the Associated Press reported.`,
			[]wantQuote{{spans: []string{"fake and fabricated"}, speaker: "Omar Haddad", kind: quote.SpeakerPerson, cue: "said", minConf: 0.5}}},
		{"a newspaper reported, no speaker before", `"The deal is off," the Herald reported on Monday.`,
			[]wantQuote{{spans: []string{"The deal is off"}, speaker: "the Herald", kind: quote.SpeakerOrganisation, cue: "reported", minConf: 0.5}}},
		{"told the BBC", `Mark Evans told the BBC: "We were not warned."`,
			[]wantQuote{{spans: []string{"We were not warned."}, speaker: "Mark Evans", kind: quote.SpeakerPerson, cue: "told", minConf: 0.9}}},
		{"added, surname only", `"It is a good day," Ms Okafor added.`,
			[]wantQuote{{spans: []string{"It is a good day"}, speaker: "Ms Okafor", kind: quote.SpeakerPerson, cue: "added", minConf: 0.75}}},
		{"explained", `The chief constable, Sarah Jones, explained: "We had no choice."`,
			[]wantQuote{{spans: []string{"We had no choice."}, speaker: "Sarah Jones", kind: quote.SpeakerPerson, cue: "explained", minConf: 0.9}}},
		{"warned", `Mr Brown warned that the plan was "reckless".`,
			[]wantQuote{{spans: []string{"reckless"}, speaker: "Mr Brown", kind: quote.SpeakerPerson, cue: "warned", minConf: 0.75}}},
		{"admitted", `The company admitted it had "made mistakes".`,
			[]wantQuote{{spans: []string{"made mistakes"}, speaker: "the company", kind: quote.SpeakerOrganisation, cue: "admitted", minConf: 0.9}}},
		{"stated", `The document stated: "All staff must comply."`,
			[]wantQuote{{spans: []string{"All staff must comply."}, speaker: "the document", kind: quote.SpeakerDocument, cue: "stated", minConf: 0.9}}},
		{"wrote", `Writing on social media, Gary Lineker wrote: "Thanks to all."`,
			[]wantQuote{{spans: []string{"Thanks to all."}, speaker: "Gary Lineker", kind: quote.SpeakerPerson, cue: "wrote", minConf: 0.9}}},
		{"according to, after", `The plan is "dead in the water", according to a senior official.`,
			[]wantQuote{{spans: []string{"dead in the water"}, speaker: "a senior official", kind: quote.SpeakerPerson, cue: "according to", minConf: 0.9}}},
		{"according to, before", `According to the report, "services are failing".`,
			[]wantQuote{{spans: []string{"services are failing"}, speaker: "the report", kind: quote.SpeakerDocument, cue: "according to", minConf: 0.9}}},
		{"colon after a name", `Mayor Eric Adams: "We will rebuild."`,
			[]wantQuote{{spans: []string{"We will rebuild."}, speaker: "Eric Adams", kind: quote.SpeakerPerson, cue: ":", role: "Mayor", minConf: 0.85}}},
		{"appositive role", `Jane Doe, the chief executive of Acme, said: "We are pleased."`,
			[]wantQuote{{spans: []string{"We are pleased."}, speaker: "Jane Doe", kind: quote.SpeakerPerson, cue: "said", role: "the chief executive of Acme", minConf: 0.9}}},
		{"organisations", `Ofsted said the service was "unsafe". Bradford Council said it was "disappointed". The Department for Education said: "We will act." The government said it was "monitoring closely".`,
			[]wantQuote{
				{spans: []string{"unsafe"}, speaker: "Ofsted", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"disappointed"}, speaker: "Bradford Council", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"We will act."}, speaker: "the Department for Education", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"monitoring closely"}, speaker: "the government", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9}}},
		{"documents", `The letter said staff were "exhausted". The inspection report said: "Leaders lack grip." The statement said it was "a sad day".`,
			[]wantQuote{
				{spans: []string{"exhausted"}, speaker: "the letter", kind: quote.SpeakerDocument, cue: "said", minConf: 0.9},
				{spans: []string{"Leaders lack grip."}, speaker: "the inspection report", kind: quote.SpeakerDocument, cue: "said", minConf: 0.9},
				{spans: []string{"a sad day"}, speaker: "the statement", kind: quote.SpeakerDocument, cue: "said", minConf: 0.9}}},
		{"groups", `Inspectors said progress was "too slow". Campaigners said it was "a scandal", while officials said the plan was "on track". Council chiefs said they were "deeply sorry".`,
			[]wantQuote{
				{spans: []string{"too slow"}, speaker: "inspectors", kind: quote.SpeakerGroup, cue: "said", minConf: 0.9},
				{spans: []string{"a scandal"}, speaker: "campaigners", kind: quote.SpeakerGroup, cue: "said", minConf: 0.9},
				{spans: []string{"on track"}, speaker: "officials", kind: quote.SpeakerGroup, cue: "said", minConf: 0.9},
				{spans: []string{"deeply sorry"}, speaker: "council chiefs", kind: quote.SpeakerGroup, cue: "said", minConf: 0.9}}},
		{"the watchdog, resolved", "Government watchdog Ofsted visited in May.\n\nThe watchdog said: \"Children are at risk.\"",
			[]wantQuote{{spans: []string{"Children are at risk."}, speaker: "Ofsted", kind: quote.SpeakerOrganisation, cue: "said", via: "the watchdog", minConf: 0.75}}},
		{"the watchdog, alone", `The watchdog said: "Children are at risk."`,
			[]wantQuote{{spans: []string{"Children are at risk."}, speaker: "the watchdog", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9}}},
		{"a spokesperson for", `A spokesperson for Bradford Council said: "We accept the findings."`,
			[]wantQuote{{spans: []string{"We accept the findings."}, speaker: "Bradford Council", kind: quote.SpeakerOrganisation, cue: "said", role: "spokesperson", minConf: 0.9}}},
		{"a spokesman", `"No comment," a spokesman said.`,
			[]wantQuote{{spans: []string{"No comment"}, speaker: "a spokesman", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"particles", `"We will appeal," said Ursula von der Leyen.`,
			[]wantQuote{{spans: []string{"We will appeal"}, speaker: "Ursula von der Leyen", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"apostrophe and hyphen in names", `Sean O'Neill said: "Yes." Anne-Marie Trevelyan said: "No."`,
			[]wantQuote{
				{spans: []string{"Yes."}, speaker: "Sean O'Neill", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"No."}, speaker: "Anne-Marie Trevelyan", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"titles", `Cllr Susan Hinchcliffe said: "A." Dame Rachel de Souza said: "B." Prof Jane Smith said: "C." Mr. John Baker said: "D."`,
			[]wantQuote{
				{spans: []string{"A."}, speaker: "Susan Hinchcliffe", kind: quote.SpeakerPerson, cue: "said", role: "Councillor", minConf: 0.9},
				{spans: []string{"B."}, speaker: "Dame Rachel de Souza", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"C."}, speaker: "Prof Jane Smith", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"D."}, speaker: "John Baker", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"premodifier roles", `Keighley MP Robbie Moore said it was "worrying". Education secretary Nadia Khan said: "We act."`,
			[]wantQuote{
				{spans: []string{"worrying"}, speaker: "Robbie Moore", kind: quote.SpeakerPerson, cue: "said", role: "Keighley MP", minConf: 0.9},
				{spans: []string{"We act."}, speaker: "Nadia Khan", kind: quote.SpeakerPerson, cue: "said", role: "Education secretary", minConf: 0.9}}},
		{"she and he by gender", "Tom Jones said he was angry. Sarah Ahmed said the plan was late. Mr Jones said the report was wrong.\n\n\"We must move on,\" she said.\n\n\"It is over,\" he said.",
			[]wantQuote{
				{spans: []string{"We must move on"}, speaker: "Sarah Ahmed", kind: quote.SpeakerPerson, cue: "said", via: "she", minConf: 0.65},
				{spans: []string{"It is over"}, speaker: "Tom Jones", kind: quote.SpeakerPerson, cue: "said", via: "he", minConf: 0.65}}},
		{"it and they", "The council said it was sorry. \"We failed,\" it said.\n\nCampaigners said the decision was wrong. \"This is a betrayal,\" they said.",
			[]wantQuote{
				{spans: []string{"We failed"}, speaker: "the council", kind: quote.SpeakerOrganisation, cue: "said", via: "it", minConf: 0.6},
				{spans: []string{"This is a betrayal"}, speaker: "campaigners", kind: quote.SpeakerGroup, cue: "said", via: "they", minConf: 0.6}}},
		{"surname to full name", "Marium Haque, director of children's services, spoke first.\n\n\"We will do better,\" Ms Haque said.",
			[]wantQuote{{spans: []string{"We will do better"}, speaker: "Marium Haque", kind: quote.SpeakerPerson, cue: "said", via: "Ms Haque", minConf: 0.8}}},
		{"a surname does not take a different title", "Mr Tom Haque said it was fine.\n\n\"We will do better,\" Ms Haque said.",
			[]wantQuote{{spans: []string{"We will do better"}, speaker: "Ms Haque", kind: quote.SpeakerPerson, cue: "said", minConf: 0.75}}},
		{"unknown pronoun stays unknown", `"Maybe," she said.`,
			[]wantQuote{{spans: []string{"Maybe"}, cue: "said"}}},
		{"no cue", `"Nobody knows," the sign read.`, []wantQuote{unattributed("Nobody knows")}},
		{"cue in another paragraph", "\"We are ready.\"\n\nThe minister said this in 2019.", []wantQuote{unattributed("We are ready.")}},
		{"paragraph ending with a colon", "The head of the review, Professor Eileen Munro, said:\n\n\"Children deserve better.\"",
			[]wantQuote{{spans: []string{"Children deserve better."}, speaker: "Professor Eileen Munro", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"whole-paragraph quote after an attributed one", "\"We acted fast,\" said Rosa Diaz.\n\n\"We would do the same again.\"",
			[]wantQuote{
				{spans: []string{"We acted fast"}, speaker: "Rosa Diaz", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"We would do the same again."}, speaker: "Rosa Diaz", kind: quote.SpeakerPerson, cue: "said", minConf: 0.5}}},
		{"a paragraph in the other kind of mark is no continuation", "\"We acted fast,\" said Rosa Diaz.\n\n'Our rivals have failed the city for years.'",
			[]wantQuote{
				{spans: []string{"We acted fast"}, speaker: "Rosa Diaz", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				unattributed("Our rivals have failed the city for years.")}},
		{"passive is not a cue", `The council was told it would lose "control of services".`, []wantQuote{unattributed("control of services")}},
		{"two joint speakers", `Ann Lee, chair of the board, and Raj Patel, its treasurer, said: "We resign."`,
			[]wantQuote{{spans: []string{"We resign."}, speaker: "Ann Lee and Raj Patel", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
	})
}

// Requirement 6: English news that is not the corpus, and rune offsets.
func TestExtractQuotesStyles(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"US, said Tuesday", `"We're not going anywhere," Mayor Karen Bass said Tuesday. "This city is our home."`,
			[]wantQuote{{spans: []string{"We're not going anywhere", "This city is our home."}, speaker: "Karen Bass", kind: quote.SpeakerPerson, cue: "said", role: "Mayor", minConf: 0.9}}},
		{"AP style", `"We will comply with the order," Smith said. "But we disagree with it."`,
			[]wantQuote{{spans: []string{"We will comply with the order", "But we disagree with it."}, speaker: "Smith", kind: quote.SpeakerPerson, cue: "said", minConf: 0.75}}},
		{"reported speech", "The minister said the plan was sound and that critics were wrong.\n\nShe added that the cost had been \"grossly exaggerated\" by opponents, who she said were \"scaremongering\".",
			[]wantQuote{
				{spans: []string{"grossly exaggerated"}, speaker: "the minister", kind: quote.SpeakerPerson, cue: "added", via: "she", minConf: 0.65},
				{spans: []string{"scaremongering"}, speaker: "the minister", kind: quote.SpeakerPerson, cue: "said", via: "she", minConf: 0.65}}},
		{"ellipsis and insertion", `Ofsted said the council had "failed to act … [and] let children down".`,
			[]wantQuote{{spans: []string{"failed to act … [and] let children down"}, speaker: "Ofsted", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9}}},
		{"ellipsis at the start", `The report said leaders had "...no grip [on] the service".`,
			[]wantQuote{{spans: []string{"...no grip [on] the service"}, speaker: "the report", kind: quote.SpeakerDocument, cue: "said", minConf: 0.9}}},
		{"interview", "Interviewer: Why did you resign?\nHughes: \"I had no choice. The board had made up its mind.\"\nInterviewer: Do you regret it?\nHughes: \"Not for a second.\"",
			[]wantQuote{
				{spans: []string{"I had no choice. The board had made up its mind."}, speaker: "Hughes", kind: quote.SpeakerPerson, cue: ":", minConf: 0.75},
				{spans: []string{"Not for a second."}, speaker: "Hughes", kind: quote.SpeakerPerson, cue: ":", minConf: 0.75}}},
		{"press release", "LONDON, 3 March 2024 — Acme Ltd today announced a partnership with Widget Corp.\n\n\"We are thrilled to partner with Widget,\" said Jane Doe, chief executive of Acme Ltd. \"Together we will reach more customers.\"\n\nJohn Roe, president of Widget Corp, added: \"This is a great day for both companies.\"",
			[]wantQuote{
				{spans: []string{"We are thrilled to partner with Widget", "Together we will reach more customers."}, speaker: "Jane Doe", kind: quote.SpeakerPerson, cue: "said", role: "chief executive of Acme Ltd", minConf: 0.9},
				{spans: []string{"This is a great day for both companies."}, speaker: "John Roe", kind: quote.SpeakerPerson, cue: "added", role: "president of Widget Corp", minConf: 0.9}}},
		{"US wire story", "WASHINGTON (AP) — Governor Dana Whitfield on Tuesday called the bill \"a historic step\" for workers.\n\n\"This is about dignity,\" Whitfield said at the Capitol. \"It's about whether you can look your kid in the eye.\"\n\nSenate Minority Leader Hal Brenner said the measure was \"reckless spending\". \"We will not support it,\" Brenner told reporters.\n\n\"I think people are tired,\" said Maria Gonzalez, 54, a nurse from Phoenix who attended the rally. \"They just want something that works.\"\n\nAsked whether he would compromise, the senator replied: \"Never.\"",
			[]wantQuote{
				{spans: []string{"a historic step"}, speaker: "Dana Whitfield", kind: quote.SpeakerPerson, cue: "called", role: "Governor", minConf: 0.9},
				{spans: []string{"This is about dignity", "It's about whether you can look your kid in the eye."}, speaker: "Dana Whitfield", kind: quote.SpeakerPerson, cue: "said", via: "Whitfield", minConf: 0.8},
				{spans: []string{"reckless spending"}, speaker: "Hal Brenner", kind: quote.SpeakerPerson, cue: "said", role: "Senate Minority Leader", minConf: 0.9},
				{spans: []string{"We will not support it"}, speaker: "Hal Brenner", kind: quote.SpeakerPerson, cue: "told", via: "Brenner", minConf: 0.8},
				{spans: []string{"I think people are tired", "They just want something that works."}, speaker: "Maria Gonzalez", kind: quote.SpeakerPerson, cue: "said", role: "a nurse from Phoenix", minConf: 0.9},
				{spans: []string{"Never."}, speaker: "the senator", kind: quote.SpeakerPerson, cue: "replied", minConf: 0.9}}},
		{"UK politics", "Opposition leader Joan Keating accused him of \"breaking his promises\" and said the plans were \"a tax on aspiration\".\n\nMrs Keating told the BBC's Sunday programme: \"He said he would not raise taxes. He has.\"\n\nA Treasury spokesperson said: \"We are committed to fiscal rules.\"\n\nThe Institute for Fiscal Studies (IFS) said the figures \"do not add up\". Its director, Paul Hobbs, said: \"There is a black hole.\"\n\nOfsted, the schools watchdog, said: \"Standards have slipped.\"\n\n'It is a bleak picture,' one economist said.",
			[]wantQuote{
				{spans: []string{"breaking his promises"}, speaker: "Joan Keating", kind: quote.SpeakerPerson, cue: "accused", role: "Opposition leader", minConf: 0.9},
				{spans: []string{"a tax on aspiration"}, speaker: "Joan Keating", kind: quote.SpeakerPerson, cue: "said", minConf: 0.8},
				{spans: []string{"He said he would not raise taxes. He has."}, speaker: "Joan Keating", kind: quote.SpeakerPerson, cue: "told", via: "Mrs Keating", minConf: 0.8},
				{spans: []string{"We are committed to fiscal rules."}, speaker: "Treasury", kind: quote.SpeakerOrganisation, cue: "said", role: "spokesperson", minConf: 0.9},
				{spans: []string{"do not add up"}, speaker: "the Institute for Fiscal Studies", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"There is a black hole."}, speaker: "Paul Hobbs", kind: quote.SpeakerPerson, cue: "said", role: "its director", minConf: 0.9},
				{spans: []string{"Standards have slipped."}, speaker: "Ofsted", kind: quote.SpeakerOrganisation, cue: "said", role: "the schools watchdog", minConf: 0.9},
				{spans: []string{"It is a bleak picture"}, speaker: "one economist", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"bodies, ages and posts", "Downing Street said: \"No comment.\" The White House said it was \"monitoring\". Labour said it was \"a shambles\". Republicans said the vote was \"rigged\", while West Yorkshire Police said: \"Enquiries continue.\"\n\n\"We're done,\" Johnson, 45, said. Police said they were \"looking for witnesses\". Local residents said they were \"terrified\".\n\nPrime Minister Alan Grey said: \"It's time.\" The BBC's political editor, Tara Quinn, said the mood was \"grim\".",
			[]wantQuote{
				{spans: []string{"No comment."}, speaker: "Downing Street", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"monitoring"}, speaker: "the White House", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"a shambles"}, speaker: "Labour", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"rigged"}, speaker: "Republicans", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"Enquiries continue."}, speaker: "West Yorkshire Police", kind: quote.SpeakerOrganisation, cue: "said", minConf: 0.9},
				{spans: []string{"We're done"}, speaker: "Johnson", kind: quote.SpeakerPerson, cue: "said", minConf: 0.75},
				{spans: []string{"looking for witnesses"}, speaker: "police", kind: quote.SpeakerGroup, cue: "said", minConf: 0.9},
				{spans: []string{"terrified"}, speaker: "local residents", kind: quote.SpeakerGroup, cue: "said", minConf: 0.9},
				{spans: []string{"It's time."}, speaker: "Alan Grey", kind: quote.SpeakerPerson, cue: "said", role: "Prime Minister", minConf: 0.9},
				{spans: []string{"grim"}, speaker: "Tara Quinn", kind: quote.SpeakerPerson, cue: "said", role: "the BBC's political editor", minConf: 0.9}}},
		{"question with capital after", `"Why now?" Senator Ruth Ortiz asked. "Nobody can say."`,
			[]wantQuote{{spans: []string{"Why now?", "Nobody can say."}, speaker: "Ruth Ortiz", kind: quote.SpeakerPerson, cue: "asked", minConf: 0.9}}},
		{"unicode before and inside", "🎉🎉 Ré-ouverture à Montréal! Café owner Zoë Dupré said: “C’est la vie 🎉 — we’ll reopen.” Her café’s regulars said they were “délighted”.",
			[]wantQuote{
				{spans: []string{"C’est la vie 🎉 — we’ll reopen."}, speaker: "Zoë Dupré", kind: quote.SpeakerPerson, cue: "said", role: "Café owner", minConf: 0.9},
				{spans: []string{"délighted"}, speaker: "her café’s regulars", kind: quote.SpeakerGroup, cue: "said", minConf: 0.8}}},
	})
}

func TestExtractQuotesRuneOffsets(t *testing.T) {
	text := "Ça coûte €5 — “naïve” 😀 said Zoë."
	qs := quote.Extract(text)
	if len(qs) != 1 {
		t.Fatalf("got %d quotes", len(qs))
	}
	rs := []rune(text)
	s := qs[0].Spans[0]
	if got := string(rs[s.Start:s.End]); got != "naïve" {
		t.Fatalf("span %v = %q", s, got)
	}
	if want := runeIndexForQuotes(text, "naïve"); s.Start != want {
		t.Fatalf("start %d, want rune offset %d (byte offset %d)", s.Start, want, strings.Index(text, "naïve"))
	}
}

func TestSameSpeaker(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"Marium Haque", "Ms Haque", true},
		{"Marium Haque", "Haque", true},
		{"Ms Haque", "Haque", true},
		{"marium haque", "Marium Haque", true},
		{"Marium Haque", "Susan Haque", false},
		{"M. Haque", "Marium Haque", true},
		{"Susan Hinchcliffe", "Cllr Susan Hinchcliffe", true},
		{"Dame Rachel de Souza", "Ms de Souza", true},
		{"Ursula von der Leyen", "von der Leyen", true},
		{"Ursula von der Leyen", "Leyen", true},
		{"Sean O'Neill", "Mr O’Neill", true},
		{"the Department for Education", "DfE", true},
		{"Department for Education", "the Department for Education", true},
		{"Ofsted", "OFSTED", true},
		{"the council", "Bradford Council", false},
		{"Ofsted", "the watchdog", false},
		{"Marium Haque", "", false},
		{"", "", false},
		{"Mr", "Mr", true},
		{"Robbie Moore", "Roger Moore", false},
		{"Ms Haque", "Mr Haque", false},
		{"Mrs. Haque", "Ms Haque", true},
		{"Charlotte Ramsden and Eileen Milner", "Ms Milner", true},
		{"Charlotte Ramsden and Eileen Milner", "Charlotte Ramsden", true},
		{"Charlotte Ramsden and Eileen Milner", "Marium Haque", false},
		{"Bradford Children and Families Trust", "Families Trust", false},
	}
	for _, c := range cases {
		if got := quote.SameSpeaker(c.a, c.b); got != c.want {
			t.Errorf("SameSpeaker(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := quote.SameSpeaker(c.b, c.a); got != c.want {
			t.Errorf("SameSpeaker(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

// runeIndex is strings.Index in runes; -1 when absent.
func runeIndexForQuotes(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return -1
	}
	return utf8.RuneCountInString(s[:i])
}

// quotesCorpus reads the Bradford article whose file name starts with id.
func quotesCorpus(t testing.TB, id string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(difftest.CorpusDir(t), "bradford", id+"_*.txt"))
	if len(m) != 1 {
		t.Fatalf("corpus file %s_*.txt: %d matches", id, len(m))
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// findQuote returns the quote with a span starting at phrase (the phrase's
// first occurrence in text) and the index of that span.
func findQuoteAt(t *testing.T, text string, qs []quote.Quote, phrase string) (quote.Quote, int) {
	t.Helper()
	at := runeIndexForQuotes(text, phrase)
	if at < 0 {
		t.Fatalf("phrase %q not in the corpus file", phrase)
	}
	for _, q := range qs {
		for i, s := range q.Spans {
			if s.Start == at {
				return q, i
			}
		}
	}
	t.Fatalf("no quote span starts at %q (rune %d):\n%s", phrase, at, renderQuotesForTest([]rune(text), qs))
	return quote.Quote{}, 0
}

func quoteSpanText(text string, s quote.Span) string { return string([]rune(text)[s.Start:s.End]) }

// TestExtractQuotesCorpus asserts what a researcher must find in the
// corpus (shared/corpus/README.md).
func TestExtractQuotesCorpus(t *testing.T) {
	a, b := quotesCorpus(t, "000"), quotesCorpus(t, "001")
	qa, qb := quote.Extract(a), quote.Extract(b)
	checkQuoteInvariants(t, a, qa)
	checkQuoteInvariants(t, b, qb)

	t.Run("Haque deserve better", func(t *testing.T) {
		const p = "We know that children and families deserve better."
		for _, c := range []struct {
			text string
			qs   []quote.Quote
		}{{a, qa}, {b, qb}} {
			q, i := findQuoteAt(t, c.text, c.qs, p)
			if got := quoteSpanText(c.text, q.Spans[i]); got != p {
				t.Errorf("span = %q, want %q", got, p)
			}
			if q.Speaker != "Marium Haque" || q.Kind != quote.SpeakerPerson || q.Confidence < 0.9 {
				t.Errorf("attribution = %+v, want Marium Haque", q.Attribution)
			}
		}
	})
	t.Run("Hinchcliffe priority via she", func(t *testing.T) {
		const p = "It is our priority that children get the best services"
		for _, c := range []struct {
			text, end string
			qs        []quote.Quote
		}{{a, ".", qa}, {b, "", qb}} {
			q, i := findQuoteAt(t, c.text, c.qs, p)
			if got := quoteSpanText(c.text, q.Spans[i]); got != p+c.end {
				t.Errorf("span = %q, want %q", got, p+c.end)
			}
			if q.Speaker != "Susan Hinchcliffe" || q.Kind != quote.SpeakerPerson || q.Via != "she" || q.Cue != "said" {
				t.Errorf("attribution = %+v, want Susan Hinchcliffe via she", q.Attribution)
			}
			if q.Confidence < 0.6 || q.Confidence > 0.8 {
				t.Errorf("confidence %v: a pronoun resolution should be lower", q.Confidence)
			}
		}
	})
	t.Run("report in full and fragment", func(t *testing.T) {
		const full = "There are widespread and serious failures across all service areas."
		q, i := findQuoteAt(t, a, qa, full)
		if got := quoteSpanText(a, q.Spans[i]); got != full {
			t.Errorf("000 span = %q, want %q", got, full)
		}
		if q.Kind != quote.SpeakerOrganisation && q.Kind != quote.SpeakerDocument || q.Speaker == "" {
			t.Errorf("000 attribution = %+v, want the watchdog, Ofsted or the report", q.Attribution)
		}
		if !quote.SameSpeaker(q.Speaker, "Ofsted") || q.Via != "the watchdog" {
			t.Errorf("000 attribution = %+v, want Ofsted via the watchdog", q.Attribution)
		}
		const frag = "widespread and serious failures"
		q, i = findQuoteAt(t, b, qb, frag)
		if got := quoteSpanText(b, q.Spans[i]); got != frag {
			t.Errorf("001 span = %q, want %q", got, frag)
		}
		if q.Speaker != "Ofsted" || q.Kind != quote.SpeakerOrganisation {
			t.Errorf("001 attribution = %+v, want Ofsted", q.Attribution)
		}
	})
	t.Run("long statement", func(t *testing.T) {
		// Haque's statement follows "We know that children and families
		// deserve better." in both articles, as more paragraphs of the same
		// quotation. 000 gives it as one paragraph: a quote of 2 spans.
		// 001 splits it over two, the second closing `," she said.`: a
		// quote of 3 spans. Either way the words are the same.
		const p = "We know that children and families deserve better."
		q0, i0 := findQuoteAt(t, a, qa, p)
		q1, i1 := findQuoteAt(t, b, qb, p)
		if i0 != 0 || len(q0.Spans) != 2 {
			t.Fatalf("000: want the statement as the second of 2 spans:\n%s", renderQuotesForTest([]rune(a), []quote.Quote{q0}))
		}
		if i1 != 0 || len(q1.Spans) != 3 {
			t.Fatalf("001: want the statement as spans 2 and 3 of 3:\n%s", renderQuotesForTest([]rune(b), []quote.Quote{q1}))
		}
		if after := string([]rune(b)[q1.Spans[2].End:]); !strings.HasPrefix(after, `," she said.`) {
			t.Errorf("001: the last span should end right before `,\" she said.`")
		}
		fold := strings.NewReplacer("’", "'").Replace
		block := fold(quoteSpanText(a, q0.Spans[1]))
		split := fold(quoteSpanText(b, q1.Spans[1]) + " " + quoteSpanText(b, q1.Spans[2]) + ".")
		if block != split {
			t.Errorf("000's block and 001's two spans differ:\n000 %q\n001 %q", block, split)
		}
		if q0.Speaker != "Marium Haque" || q1.Speaker != "Marium Haque" || q1.Via != "" {
			t.Errorf("statement attributed to %q (000) and %q via %q (001), want Marium Haque by name", q0.Speaker, q1.Speaker, q1.Via)
		}
	})
	t.Run("experience declined", func(t *testing.T) {
		for _, c := range []struct {
			text, p string
			qs      []quote.Quote
		}{{a, "the experience and progress of many children have declined", qa}, {b, "the experience... of many children", qb}} {
			q, i := findQuoteAt(t, c.text, c.qs, c.p)
			if got := quoteSpanText(c.text, q.Spans[i]); got != c.p || len(q.Spans) != 1 {
				t.Errorf("span = %q (%d spans), want %q", got, len(q.Spans), c.p)
			}
			if q.Speaker != "Ofsted" {
				t.Errorf("%q attributed to %q, want Ofsted", c.p, q.Speaker)
			}
		}
	})
}

// digest stands for a quote's first span in the golden files: its words,
// counted as package diffing counts them, and a hash.
func digest(s string) string {
	words := 0
	for _, w := range diffing.Tokenize(s) {
		if !w.Punct {
			words++
		}
	}
	return difftest.Digest(s, words)
}

// renderGolden: one line per quote, with at most 60 runes of its text.
func renderQuotesGolden(text string, qs []quote.Quote) string {
	rs := []rune(text)
	var sb strings.Builder
	for _, q := range qs {
		o := q.Outer()
		fmt.Fprintf(&sb, "[%d,%d) spans=%d speaker=%q kind=%q cue=%q via=%q conf=%.2f %s\n",
			o.Start, o.End, len(q.Spans), q.Speaker, q.Kind, q.Cue, q.Via, q.Confidence, digest(string(rs[q.Spans[0].Start:q.Spans[0].End])))
	}
	return sb.String()
}

func TestExtractQuotesGoldenCorpus(t *testing.T) {
	for _, a := range difftest.Bradford(t) {
		id := strings.SplitN(a.Name, "_", 2)[0]
		t.Run(id, func(t *testing.T) {
			qs := quote.Extract(a.Text)
			checkQuoteInvariants(t, a.Text, qs)
			difftest.Golden(t, filepath.Join("testdata", "quotes", id+".golden"), renderQuotesGolden(a.Text, qs))
		})
	}
}

func FuzzExtractQuotes(f *testing.F) {
	for _, s := range quoteFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		qs := quote.Extract(text)
		checkQuoteInvariants(t, text, qs)
		rs := []rune(text)
		for _, q := range qs {
			for _, s := range q.Spans {
				if strings.TrimSpace(string(rs[s.Start:s.End])) != string(rs[s.Start:s.End]) {
					t.Fatalf("span %v has space at an edge: %q", s, string(rs[s.Start:s.End]))
				}
			}
		}
		if again := quote.Extract(text); fmt.Sprint(again) != fmt.Sprint(qs) {
			t.Fatalf("not deterministic:\n%v\n%v", qs, again)
		}
	})
}

var quoteFuzzSeeds = []string{
	`The minister said "we will not back down" on Monday.`,
	`‘He said “no” twice,’ Jane Smith recalled.`,
	"Dr Amal Rahman said: \"The first.\n\n\"The second.\n\n\"The third.\"",
	`"We know," she said. "We are committed."`,
	`He said "" and left. Then “” and '' and "ok".`,
	`"""''' “”‘’ " ' “ ‘`,
	`It was 5'10" tall” and ’ then “`,
	"Ofsted said: \" There are failures.\n\n\"This leaves children at risk.\"",
	`"Why now?" Senator Ruth Ortiz asked. "Nobody can say."`,
	"🎉🎉 Café owner Zoë Dupré said: “C’est la vie — we’ll reopen.”",
	"Interviewer: Why?\nHughes: \"No choice.\"",
	`Ann Lee, chair of the board, and Raj Patel, its treasurer, said: "We resign."`,
	"rock 'n' roll in the '90s, 'Tis the season, they'd tell 'em",
	"\"A,\" said Ms X, \"b\". \"C,\" \n\"\" said , , : \"",
}

func BenchmarkExtractQuotes(b *testing.B) {
	articles := difftest.Bradford(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range articles {
			quote.Extract(a.Text)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(articles))/1e3, "µs/article")
}
