package quote

import "strings"

// The lexicon: the word lists attribution rests on, each word tagged with
// everything it can be (a determiner, a title, a role, an organisation
// word, a given name and its usual sex, ...).

// lexFlag describes what a word can be; one map lookup per word gives all of
// it, which keeps attribution cheap enough for bulk analysis.
type lexFlag uint32

const (
	lexDet        lexFlag = 1 << iota // the, a, its
	lexPrep                           // in, at: an NP after one is not a subject
	lexStop                           // capitalised, still not part of a name: But, In, The
	lexAux                            // has, also: between a subject and its verb
	lexBe                             // was, were: passive before a participle
	lexTitle                          // Ms, Dr, Cllr
	lexFemale                         // Ms, Dame, Susan
	lexMale                           // Mr, Sir, Robert
	lexRole                           // leader, secretary, MP
	lexOrgWord                        // Council, Trust: a name containing one is an organisation
	lexOrgName                        // Ofsted, NHS: known organisations
	lexDocNoun                        // report, letter
	lexOrgNoun                        // council, watchdog
	lexGroupNoun                      // inspectors, campaigners
	lexPersonNoun                     // spokesman, official
	lexPronoun                        // she, he, it, they
	lexParticle                       // de, van: inside personal names
	lexConnector                      // of, for, and: inside organisation names
	lexAbbrev                         // Mr., Corp.: a full stop after one ends no sentence
	lexRel                            // who, which: starts a relative clause
	lexTime                           // Tuesday, yesterday: not part of a name
	lexFirstName                      // a common given name (gender in lexFemale/lexMale)
	lexAdj                            // senior, local: opens a speaker phrase, not a name
	lexMonth                          // a month: opens a name run only by accident
)

// lexicon maps a lower-case word to everything it can be; init fills it.
var lexicon = map[string]lexFlag{}

// addWords tags each of the space-separated words with f.
func addWords(f lexFlag, words string) {
	for _, w := range strings.Fields(words) {
		lexicon[w] |= f
	}
}

func init() {
	addWords(lexDet, "the a an its their his her our this that these those some several many two three four five six seven eight nine ten one each another both all most other")
	addWords(lexPrep, "in on at from by with of for to into within under about among via during despite through across against toward towards upon without including like per inside outside behind beside near than")
	addWords(lexStop, "the a an but and or so yet however in on at for from with by of to after before when while since as if although though because meanwhile also now then following responding according this that these those it he she they we i his her their its our my your there here yesterday today tonight tomorrow last next following among between during despite under over about what where why how who which whose whom asked speaking writing referring commenting addressing today's update watch note warning breaking read analysis comment photo video listen question answer summary background related latest")
	addWords(lexAux, "has have had would will did does do also again previously later then now has already further once still earlier recently subsequently repeatedly publicly separately privately initially originally clearly simply just only never often always reportedly")
	addWords(lexAdj, "senior junior local former top leading independent several other unnamed anonymous")
	addWords(lexBe, "was were is are been being be am")
	addWords(lexTitle, "mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron cllr councillor rev revd reverend sen rep gov det insp supt sgt lt col capt gen")
	addWords(lexFemale, "mrs ms miss dame lady baroness she her")
	addWords(lexMale, "mr sir lord baron he him his")
	addWords(lexRole, "leader secretary minister director chief executive chair chairman chairwoman chairperson president spokesman spokeswoman spokesperson spokespeople commissioner officer head manager mayor councillor mp mep msp ceo cfo cto coo founder co-founder cofounder governor senator representative deputy member editor correspondent professor lecturer researcher analyst economist lawyer attorney judge coroner inspector superintendent constable sergeant detective coach captain partner owner teacher headteacher headmaster headmistress principal doctor nurse campaigner activist expert adviser advisor consultant official boss watchdog regulator speaker whip chancellor ambassador general admiral king queen prince princess bishop archbishop vicar pastor rabbi imam dean provost trustee treasurer clerk administrator coordinator co-ordinator organiser organizer strategist pollster historian scientist author actor actress singer player striker manager counsel prosecutor solicitor barrister surgeon consultant physician psychologist worker employee resident student pupil chairs directors leaders officials")
	addWords(lexOrgWord, "council trust department ministry office agency commission committee board police constabulary service services authority partnership party union university college school academy hospital institute institution foundation association society group bank inc ltd llc plc corp corporation company co court government parliament congress senate assembly federation network club charity panel inquiry tribunal fund organisation organization alliance coalition league church army navy administration bureau centre center cabinet ofsted nhs council's house street")
	addWords(lexOrgName, "downing labour tories conservatives snp plaid republicans democrats gop ukip greens ofsted ofcom ofgem ofwat ofqual nhs bbc itv reuters bloomberg cnn fbi cia nasa nato un eu imf opec whitehall westminster parliament congress pentagon kremlin interpol unicef unesco google apple microsoft amazon meta facebook twitter tesla nspcc barnardo's dfe cps ipso ap afp dhsc ons")
	addWords(lexDocNoun, "report reports letter statement document review study survey inspection findings judgement judgment ruling verdict paper email e-mail memo memorandum filing complaint lawsuit release blog post tweet guidance analysis assessment audit minutes affidavit transcript indictment decision summary briefing note notice submission bulletin update website motion bill petition manifesto plan strategy dossier investigation evaluation consultation")
	addWords(lexOrgNoun, "council government department ministry watchdog regulator agency authority trust company firm business charity organisation organization union party police force service partnership commission committee board panel court office administration inquiry institute university school hospital club bank campaign body network foundation association coalition alliance embassy cabinet parliament congress senate prosecution army military navy group team dfe nhs")
	addWords(lexGroupNoun, "inspectors campaigners officials chiefs leaders critics experts residents parents families protesters protestors activists researchers scientists analysts economists doctors nurses teachers workers staff employees officers detectives prosecutors lawyers ministers mps councillors members sources aides insiders witnesses neighbours neighbors friends relatives victims survivors users customers investors voters bosses managers executives directors governors senators lawmakers legislators representatives volunteers organisers organizers authorities people students pupils locals regulars shoppers commuters passengers patients tenants drivers farmers fans players colleagues supporters opponents police judges campaigners regulators inspectorate spokespeople commissioners councillors unions trustees")
	addWords(lexPersonNoun, "spokesman spokeswoman spokesperson official source witness resident neighbour neighbor friend relative mother father parent teacher doctor nurse boss chief leader minister secretary director manager officer detective lawyer expert analyst economist campaigner activist inspector judge coroner prosecutor mp councillor mayor president chairman chairwoman chair executive founder owner aide insider colleague member worker employee student pupil woman man girl boy commissioner representative adviser advisor consultant headteacher")
	addWords(lexPronoun, "she he it they")
	addWords(lexParticle, "de da di du del della van von der den le la bin ibn al el dos das ter ten y st")
	addWords(lexConnector, "of for and the on & de da di du del della van von der den le la bin ibn al el dos das ter ten y")
	addWords(lexAbbrev, "mr mrs ms dr prof st sen rep gov gen col lt sgt capt cllr jr sr inc ltd co corp vs etc no con lab lib dem approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun u.s u.k e.g i.e a.m p.m ph.d mt ft ave rd det insp supt rev revd bros")
	addWords(lexRel, "who which whose whom that where")
	addWords(lexTime, "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight tomorrow weekend morning evening night week month year")
	addWords(lexMonth, "january february march april may june july august september october november december")
	addWords(lexFirstName|lexFemale, "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla marium mariam fatima aisha ayesha eileen priti yvette nicola kemi liz penny suella bridget jane jo kate katy claire clare louise lucy sophie chloe ellie amelia harriet caroline gillian alison fiona joanne lesley maureen pauline tracey wendy yvonne zoe savannah frankie ursula kamala hillary nancy")
	addWords(lexFirstName|lexMale, "james robert john michael david william richard joseph thomas charles christopher daniel matthew anthony mark donald steven steve paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan albert willie alan eugene russell vincent philip bobby johnny bradley roy ralph louis harry mike robbie rob bob bill tom tim ben dan sam nadhim boris rishi keir nigel gordon tony ed ian colin graham neil simon martin kieran liam owen rhys gareth dai alun marc nick chris jim jimmy phil craig darren dean lee wayne barry trevor derek malcolm stuart stewart duncan hamish angus callum ross hugh rupert giles oliver jeremy matt sajid michael grant kwasi gavin dominic")
	// A post held by one person is a person who can speak: "the senator".
	for w, f := range lexicon {
		if f&lexRole != 0 && !strings.HasSuffix(w, "s") && w != "watchdog" && w != "regulator" {
			lexicon[w] |= lexPersonNoun
		}
	}
	lexicon["boss"] |= lexPersonNoun
	// Names given to both sexes carry no gender: "Kersten", "Sam" alone.
	for _, w := range strings.Fields("jo sam chris alex jordan taylor morgan jamie frankie kersten charlie robin leslie lesley jesse casey") {
		lexicon[w] &^= lexFemale | lexMale
		lexicon[w] |= lexFirstName
	}
}

// lowerWord lower-cases a word and folds the curly apostrophe, without
// allocating for the common all-lowercase ASCII word.
func lowerWord(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ReplaceAll(strings.ToLower(w), "’", "'")
		}
	}
	return w
}

// baseNoun strips a possessive so "council's" looks up as "council".
func baseNoun(lw string) string {
	if strings.HasSuffix(lw, "'s") {
		return lw[:len(lw)-2]
	}
	if strings.HasSuffix(lw, "s'") {
		return lw[:len(lw)-1]
	}
	return lw
}

// titleRoles are titles that name a post rather than a form of address:
// dropped from the speaker's name, kept as the role if the text gives none.
var titleRoles = map[string]string{
	"cllr": "Councillor", "councillor": "Councillor", "sen": "Senator", "rep": "Representative",
	"gov": "Governor", "gen": "General", "col": "Colonel", "capt": "Captain", "lt": "Lieutenant",
	"sgt": "Sergeant", "det": "Detective", "insp": "Inspector", "supt": "Superintendent",
}

// spokes are the people who speak for a body.
var spokes = map[string]bool{"spokesman": true, "spokeswoman": true, "spokesperson": true, "representative": true, "source": true, "official": true, "insider": true}

// nounKind is the sort of source a common noun names ("inspectors", "the
// report", "the council", "a spokesman"), or SpeakerUnknown.
func nounKind(f lexFlag) SpeakerKind {
	switch {
	case f&lexGroupNoun != 0:
		return SpeakerGroup
	case f&lexDocNoun != 0:
		return SpeakerDocument
	case f&lexOrgNoun != 0:
		return SpeakerOrganisation
	case f&lexPersonNoun != 0:
		return SpeakerPerson
	}
	return SpeakerUnknown
}
