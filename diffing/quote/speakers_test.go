package quote_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/quote"
)

// The classes of issue 12, each with made-up sentences of its shape.

// Class 1: speakers with titles and state or party tags.
func TestExtractSpeakerTitles(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"Sen. before the name", `Sen. Mark Wright said: "We will act."`,
			[]wantQuote{{spans: []string{"We will act."}, speaker: "Mark Wright", kind: quote.SpeakerPerson, cue: "said", role: "Senator", minConf: 0.9}}},
		{"Rep. with a party tag", `"We will act," said Rep. Jane Roe, D-Ohio.`,
			[]wantQuote{{spans: []string{"We will act"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", role: "Representative, D-Ohio", minConf: 0.9}}},
		{"tag before the verb", `Sen. Jane Roe, R-Texas, said the bill was "a disgrace".`,
			[]wantQuote{{spans: []string{"a disgrace"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", role: "Senator, R-Texas", minConf: 0.9}}},
		{"state before the title", `Idaho Gov. Jay Inslow said the fires were "the worst yet".`,
			[]wantQuote{{spans: []string{"the worst yet"}, speaker: "Jay Inslow", kind: quote.SpeakerPerson, cue: "said", role: "Idaho Governor", minConf: 0.9}}},
		{"two titles", `Lt. Gov. Ann Bell said: "Not today."`,
			[]wantQuote{{spans: []string{"Not today."}, speaker: "Ann Bell", kind: quote.SpeakerPerson, cue: "said", role: "Lieutenant Governor", minConf: 0.9}}},
		{"title inside a post", `Deputy Attorney Gen. Rod Ellis said, "There is no allegation."`,
			[]wantQuote{{spans: []string{"There is no allegation."}, speaker: "Rod Ellis", kind: quote.SpeakerPerson, cue: "said", role: "Deputy Attorney General", minConf: 0.9}}},
		{"forms of address", `Mrs. Ruth Ng said: "A." Rev. Al Greene said: "B." Sgt. Tom Bird said: "C." Gen. Pat Ruiz said: "D."`,
			[]wantQuote{
				{spans: []string{"A."}, speaker: "Ruth Ng", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"B."}, speaker: "Al Greene", kind: quote.SpeakerPerson, cue: "said", role: "Reverend", minConf: 0.9},
				{spans: []string{"C."}, speaker: "Tom Bird", kind: quote.SpeakerPerson, cue: "said", role: "Sergeant", minConf: 0.9},
				{spans: []string{"D."}, speaker: "Pat Ruiz", kind: quote.SpeakerPerson, cue: "said", role: "General", minConf: 0.9}}},
		{"initials and a suffix", `"We are done," said Roger K. Stanton Jr., a former adviser.`,
			[]wantQuote{{spans: []string{"We are done"}, speaker: "Roger K. Stanton", kind: quote.SpeakerPerson, cue: "said", role: "a former adviser", minConf: 0.9}}},
		{"a post and its object before the name", `Secretary of State Mike Palmer said: "We are ready." British Ambassador to the US Sir Kim Dalton said: "So are we."`,
			[]wantQuote{
				{spans: []string{"We are ready."}, speaker: "Mike Palmer", kind: quote.SpeakerPerson, cue: "said", role: "Secretary of State", minConf: 0.9},
				{spans: []string{"So are we."}, speaker: "Sir Kim Dalton", kind: quote.SpeakerPerson, cue: "said", role: "British Ambassador to the US", minConf: 0.9}}},
		{"a person of a place", `Prime Minister Jean Tremblay of Canada said he was "optimistic".`,
			[]wantQuote{{spans: []string{"optimistic"}, speaker: "Jean Tremblay", kind: quote.SpeakerPerson, cue: "said", role: "Prime Minister of Canada", minConf: 0.9}}},
	})
}

// A title's full stop ends no sentence, in this package or in diffing's
// splitter: both use quote.IsAbbreviation.
func TestIsAbbreviation(t *testing.T) {
	for _, w := range []string{"Sen", "Rep", "Gov", "Lt", "Gen", "Dr", "Rev", "Sgt", "Mr", "Mrs", "Ms", "Jr", "U.S", "D.C", "J", "Calif", "No", "Jan", "etc", "e.g"} {
		if !quote.IsAbbreviation(w) {
			t.Errorf("IsAbbreviation(%q) = false", w)
		}
	}
	for _, w := range []string{"", "no", "said", "Trump", "jan", "ill", "may", "US"} {
		if quote.IsAbbreviation(w) {
			t.Errorf("IsAbbreviation(%q) = true", w)
		}
	}
}

// Class 2: one person, one speaker, however the article names them.
func TestExtractOnePersonOneSpeaker(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"full name, title, surname, post", "President Donald Drummond met the press on Monday.\n\n\"We will win,\" Mr. Drummond said.\n\n\"It is good,\" Drummond said. \"It is very good.\"\n\n\"We are done,\" the president said.",
			[]wantQuote{
				{spans: []string{"We will win"}, speaker: "Donald Drummond", kind: quote.SpeakerPerson, cue: "said", via: "Mr Drummond", role: "President", minConf: 0.8},
				{spans: []string{"It is good", "It is very good."}, speaker: "Donald Drummond", kind: quote.SpeakerPerson, cue: "said", via: "Drummond", minConf: 0.8},
				{spans: []string{"We are done"}, speaker: "Donald Drummond", kind: quote.SpeakerPerson, cue: "said", via: "the president", minConf: 0.7}}},
		{"surname before the full name", "\"We will win,\" Drummond told reporters.\n\nPresident Donald Drummond later flew home.",
			[]wantQuote{{spans: []string{"We will win"}, speaker: "Donald Drummond", kind: quote.SpeakerPerson, cue: "told", via: "Drummond", minConf: 0.8}}},
		{"the senator", "Sen. Jane Roe led the hearing.\n\n\"No,\" the senator said.",
			[]wantQuote{{spans: []string{"No"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", via: "the senator", minConf: 0.7}}},
		{"the spokesman the article names", "A spokesman for the mayor, Tom Hale, spoke first.\n\n\"No comment,\" the spokesman said.",
			[]wantQuote{{spans: []string{"No comment"}, speaker: "Tom Hale", kind: quote.SpeakerPerson, cue: "said", via: "the spokesman", minConf: 0.7}}},
		{"a spokesman the article does not name", `"No comment," the spokesman said.`,
			[]wantQuote{{spans: []string{"No comment"}, speaker: "the spokesman", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"a spokesman for someone is not them", "Tom Hale runs the agency.\n\nA spokesman for Hale said it was \"working\".",
			[]wantQuote{{spans: []string{"working"}, speaker: "a spokesman for Hale", kind: quote.SpeakerPerson, cue: "said", role: "spokesman", minConf: 0.9}}},
		{"another country's president is not the president", "Chilean President Ana Soto arrived.\n\n\"We are ready,\" the president said.",
			[]wantQuote{{spans: []string{"We are ready"}, speaker: "the president", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"family name first", "North Korean leader Kim Jong Su spoke.\n\n\"We are done,\" Mr. Kim said.",
			[]wantQuote{{spans: []string{"We are done"}, speaker: "Kim Jong Su", kind: quote.SpeakerPerson, cue: "said", via: "Mr Kim", minConf: 0.8}}},
		{"the fullest form", "Sarah Sands spoke first.\n\nSarah Huckabee Sands later said: \"Yes.\"\n\n\"No,\" Ms. Sands said.",
			[]wantQuote{
				{spans: []string{"Yes."}, speaker: "Sarah Huckabee Sands", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"No"}, speaker: "Sarah Huckabee Sands", kind: quote.SpeakerPerson, cue: "said", via: "Ms Sands", minConf: 0.8}}},
	})
}

func TestSameEntity(t *testing.T) {
	person := func(s string) quote.Attribution { return quote.Attribution{Speaker: s, Kind: quote.SpeakerPerson} }
	cases := []struct {
		a, b        quote.Attribution
		same, known bool
	}{
		{person("Donald Drummond"), person("Drummond"), true, true},
		{person("Mr Drummond"), person("Donald Drummond"), true, true},
		{person("Chuck Sumner"), person("Chuck Sumner of New York"), true, true},
		{person("Ben Smithers"), person("BuzzFeed Editor-in-Chief Ben Smithers"), true, true},
		{person("Jay Inslow"), person("Washington Gov. Jay Inslow"), true, true},
		{person("Mike Palmer"), person("Michael Palmer"), true, true},
		{person("J. Palmer"), person("John Palmer"), true, true},
		{person("Sarah Sands"), person("Sarah Huckabee Sands"), true, true},
		{person("Debbie Wasserman Shultz"), person("Wasserman Shultz"), true, true},
		{person("Kim Jong Su"), person("Kim Jong-su"), true, true},
		{person("Roger Stanton Jr"), person("Roger Stanton"), true, true},
		{person("Charlotte Ramsden and Eileen Milner"), person("Ms Milner"), true, true},
		{person("Robbie Moore"), person("Roger Moore"), false, true},
		{person("Donald Drummond"), person("Kim Jong Su"), false, true},
		{person("Ms Haque"), person("Mr Haque"), false, true},
		{person("Drummond"), person("Palmer"), false, true},
		{person("the spokesman"), person("Marium Haque"), false, false},
		{person("the president"), person("Donald Drummond"), false, false},
		{person("a California Democrat"), person("Jane Roe"), false, false},
		{person("Kim"), person("Kim Jong Su"), false, false},
		{person(""), person("Jane Roe"), false, false},
		{quote.Attribution{Speaker: "Ofsted", Kind: quote.SpeakerOrganisation}, quote.Attribution{Speaker: "the report", Kind: quote.SpeakerDocument}, false, false},
		{quote.Attribution{Speaker: "Ofsted", Kind: quote.SpeakerOrganisation}, quote.Attribution{Speaker: "OFSTED", Kind: quote.SpeakerOrganisation}, true, true},
	}
	for _, c := range cases {
		for _, p := range [2][2]quote.Attribution{{c.a, c.b}, {c.b, c.a}} {
			if same, known := quote.SameEntity(p[0], p[1]); same != c.same || known != c.known {
				t.Errorf("SameEntity(%q, %q) = %v, %v; want %v, %v", p[0].Speaker, p[1].Speaker, same, known, c.same, c.known)
			}
		}
	}
}

// Class 3: a speaker wherever the article gives one, and never a non-name.
func TestExtractSpeakerFrames(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"any verb after the quote", `"We will win," Jane Roe quipped. "They will lose," conceded Tom Hale.`,
			[]wantQuote{
				{spans: []string{"We will win"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "quipped", minConf: 0.9},
				{spans: []string{"They will lose"}, speaker: "Tom Hale", kind: quote.SpeakerPerson, cue: "conceded", minConf: 0.9}}},
		{"any verb before a colon or a comma", `Jane Roe demurred: "Not today." Tom Hale mused, "Maybe tomorrow."`,
			[]wantQuote{
				{spans: []string{"Not today."}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "demurred", minConf: 0.9},
				{spans: []string{"Maybe tomorrow."}, speaker: "Tom Hale", kind: quote.SpeakerPerson, cue: "mused", minConf: 0.9}}},
		{"any verb with a that-clause", `Tom Hale thundered on social media that there was "no deal at all".`,
			[]wantQuote{{spans: []string{"no deal at all"}, speaker: "Tom Hale", kind: quote.SpeakerPerson, cue: "thundered", minConf: 0.8}}},
		{"a verb a few words before the quote", `Jane Roe, in a post on Friday, chided "lazy lawmakers" for the delay.`,
			[]wantQuote{{spans: []string{"lazy lawmakers"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "chided", minConf: 0.9}}},
		{"a quote that modifies a noun is no one's speech", `Tom Hale suffered "life-changing" injuries in the crash.`,
			[]wantQuote{unattributed("life-changing")}},
		{"tweeted and posted", `Jane Roe tweeted: "Great day!" Tom Hale posted on Facebook that the result was "a disgrace".`,
			[]wantQuote{
				{spans: []string{"Great day!"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "tweeted", minConf: 0.9},
				{spans: []string{"a disgrace"}, speaker: "Tom Hale", kind: quote.SpeakerPerson, cue: "posted", minConf: 0.8}}},
		{"name and outlet before a colon", `Jane Roe, The Daily Courier: "We asked twice."`,
			[]wantQuote{{spans: []string{"We asked twice."}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: ":", role: "the Daily Courier", minConf: 0.85}}},
		{"the sentence that introduces the quote", `Jane Roe took credit for the deal: "Without us, nothing would have happened."`,
			[]wantQuote{{spans: []string{"Without us, nothing would have happened."}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: ":", minConf: 0.8}}},
		{"the paragraph that introduces the quote", "Jane Roe took questions on the lawn:\n\n\"We are ready.\"",
			[]wantQuote{{spans: []string{"We are ready."}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: ":", minConf: 0.8}}},
		{"a long attribution between two halves", `"We are ready," said Tom Hale, a senior fellow at the Institute for Policy Studies who advised two governors on the matter. "They are not."`,
			[]wantQuote{{spans: []string{"We are ready", "They are not."}, speaker: "Tom Hale", kind: quote.SpeakerPerson, cue: "said", role: "a senior fellow at the Institute for Policy Studies", minConf: 0.9}}},
		{"was quoted as saying", `"We are ready," Mr. Kwon was quoted as telling envoys from the south last month.`,
			[]wantQuote{{spans: []string{"We are ready"}, speaker: "Mr Kwon", kind: quote.SpeakerPerson, cue: "telling", minConf: 0.75}}},
		{"an age before the name", `"Yes, I'm nervous," said 18-year-old Rosa Maldonado from Honduras.`,
			[]wantQuote{{spans: []string{"Yes, I'm nervous"}, speaker: "Rosa Maldonado", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"who said", `Tom Hale, who said in 2015 "the only way is up", now disagrees.`,
			[]wantQuote{{spans: []string{"the only way is up"}, speaker: "Tom Hale", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
	})
}

func TestExtractNeverANonName(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"an adverb opening the sentence", `Just days earlier, Jane Roe criticised the plan, saying it was "doomed".`,
			[]wantQuote{{spans: []string{"doomed"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "saying", minConf: 0.8}}},
		{"a determiner opening the sentence", `Other officials said the plan was "doomed".`,
			[]wantQuote{{spans: []string{"doomed"}, speaker: "other officials", kind: quote.SpeakerGroup, cue: "said", minConf: 0.9}}},
		{"a role noun beside the name", `Rep. Jane Roe, a California Democrat, said the bill was "a disgrace".`,
			[]wantQuote{{spans: []string{"a disgrace"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", role: "a California Democrat", minConf: 0.9}}},
		{"a post beside the name without a comma", `Jane Roe, Green Party deputy leader and health spokeswoman said the cuts were "cruel".`,
			[]wantQuote{{spans: []string{"cruel"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", role: "Green Party deputy leader and health spokeswoman", minConf: 0.9}}},
		{"a nationality is no body", `"We recognize the risk," one former Chilean official said.`,
			[]wantQuote{{spans: []string{"We recognize the risk"}, speaker: "one former Chilean official", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"the owner is not the speaker", `Drummond's campaign manager Brad Pascal called the lawsuit "frivolous".`,
			[]wantQuote{{spans: []string{"frivolous"}, speaker: "Brad Pascal", kind: quote.SpeakerPerson, cue: "called", role: "Drummond's campaign manager", minConf: 0.9}}},
		{"the headline is no name", "Senator Slams Budget Plan In Fiery Floor Speech\n\n\"It is a disgrace,\" he said.",
			[]wantQuote{{spans: []string{"It is a disgrace"}, cue: "said"}}},
	})
}

// Scare quotes, titles and names in quotation marks are no quotations.
func TestExtractTermsAreNoQuotes(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"so-called", `Critics mocked the so-called "peace dividend" all year.`, nil},
		{"dubbed and known as", `The plan, dubbed "the big squeeze" by critics, is known as "Project Lantern" inside the agency.`, nil},
		{"called after a noun", `The program, called "Safe Streets for All," ended in May.`, nil},
		{"a title in title case", `The crowd sang "Give Peace a Chance" outside. He told Ann Ruiz on "Morning Report" that he would stay.`, nil},
		{"called by its subject is speech", `Jane Roe called the deal "a total disaster".`,
			[]wantQuote{{spans: []string{"a total disaster"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "called", minConf: 0.9}}},
		{"a headline keeps its quotes", "Roe Says Deal Is 'A Disaster For Workers'\n\nSen. Jane Roe spoke.",
			[]wantQuote{unattributed("A Disaster For Workers")}},
	})
}

// Class 4: the right speaker for he, she and "He added:".
func TestExtractRightSpeaker(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"He added after a paragraph about another man", "\"We will win,\" Donald Drummond said.\n\nThe remarks came after Paul Marchand visited Washington, where Mr. Marchand met Senate leaders.\n\nHe added: \"They will lose.\"",
			[]wantQuote{
				{spans: []string{"We will win"}, speaker: "Donald Drummond", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"They will lose."}, speaker: "Donald Drummond", kind: quote.SpeakerPerson, cue: "added", via: "he", minConf: 0.65}}},
		{"he said after a new subject", "\"We are ready,\" said Jane Roe.\n\nTom Hale, her deputy, disagreed with the plan.\n\n\"It will fail,\" he said.",
			[]wantQuote{
				{spans: []string{"We are ready"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9},
				{spans: []string{"It will fail"}, speaker: "Tom Hale", kind: quote.SpeakerPerson, cue: "said", via: "he", minConf: 0.65}}},
		{"he in the sentence of its subject", `Mr. Drummond alluded to the talks when he said they were at "very high levels".`,
			[]wantQuote{{spans: []string{"very high levels"}, speaker: "Mr Drummond", kind: quote.SpeakerPerson, cue: "said", via: "he", minConf: 0.65}}},
		{"the subject of a subordinate clause", "While Mr. Abel praised the talks, he did not repeat the offer.\n\n\"We are friends,\" he said.",
			[]wantQuote{{spans: []string{"We are friends"}, speaker: "Mr Abel", kind: quote.SpeakerPerson, cue: "said", via: "he", minConf: 0.65}}},
		{"the owner in the subject", "A government official played down the report.\n\nMr. Drummond's comments suggested he backed the effort.\n\n\"They have my blessing,\" he said.",
			[]wantQuote{{spans: []string{"They have my blessing"}, speaker: "Mr Drummond", kind: quote.SpeakerPerson, cue: "said", via: "he", minConf: 0.65}}},
		{"she by the given name", "Tom Hale opened the meeting. Heather Crane, co-director of Open Doors, one of several groups helping, traveled to the border.\n\n\"This is who we are,\" she said.",
			[]wantQuote{{spans: []string{"This is who we are"}, speaker: "Heather Crane", kind: quote.SpeakerPerson, cue: "said", via: "she", minConf: 0.65}}},
	})
}

// Class 7, extraction: quotes left open in news style, doubled marks, a
// single mark for a double.
func TestExtractQuoteShapes(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"a paragraph left open mid-sentence", "Jane Roe said the talks \"were the best we have had.\n\n\"We will meet again in June.\"",
			[]wantQuote{{spans: []string{"were the best we have had.", "We will meet again in June."}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"a doubled mark", `Jane Roe said: ""We will win.""`,
			[]wantQuote{{spans: []string{"We will win."}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"doubled marks after the quote", `""We will win,"" Jane Roe said.`,
			[]wantQuote{{spans: []string{"We will win"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"closed with a single mark", `"We will win,' Jane Roe said.`,
			[]wantQuote{{spans: []string{"We will win"}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
		{"opened with a single mark", `Jane Roe said: 'We will win."`,
			[]wantQuote{{spans: []string{"We will win."}, speaker: "Jane Roe", kind: quote.SpeakerPerson, cue: "said", minConf: 0.9}}},
	})
}

// TestSpeakerStringsCleanCorpus: over the whole corpus, no speaker or role
// starts or ends with punctuation or space, and none is a headline.
func TestSpeakerStringsCleanCorpus(t *testing.T) {
	dir := difftest.CorpusDir(t)
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus articles under %s: %v", dir, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		qs := quote.Extract(text)
		checkQuoteInvariants(t, text, qs)
		headline, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
		for _, q := range qs {
			for _, s := range []string{q.Speaker, q.Role} {
				if s == "" {
					continue
				}
				first, last := []rune(s)[0], []rune(s)[len([]rune(s))-1]
				if unicode.IsPunct(first) || unicode.IsSpace(first) || unicode.IsSpace(last) || unicode.IsPunct(last) && last != '.' {
					t.Errorf("%s: unclean speaker or role %q", filepath.Base(p), s)
				}
			}
			if q.Speaker != "" && len(q.Speaker) > 12 && strings.Contains(headline, q.Speaker) && strings.Count(q.Speaker, " ") > 3 {
				t.Errorf("%s: the headline as a speaker: %q", filepath.Base(p), q.Speaker)
			}
			if strings.HasSuffix(q.Speaker, ".") {
				t.Errorf("%s: speaker ends with a full stop: %q", filepath.Base(p), q.Speaker)
			}
		}
	}
}
