package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	lexPlace                          // Canada, Ohio, North: a place speaks as a body, and a person is "of" one
	lexNation                         // British, Korean: an adjective, never a name by itself
)

// nameSuffixes end a personal name without being its surname.
var nameSuffixes = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true}

// orgAcronyms are known organisations only in capitals: "UN" is one,
// "Un" in "Kim Jong Un" is not.
var orgAcronyms = map[string]bool{}

// postObjects are what a post is "of" before the holder's name: the
// "State" in "Secretary of State Mike Pompeo".
var postObjects = map[string]bool{}

func init() {
	for _, w := range strings.Fields("un eu ap afp cia fbi nasa nato imf opec nhs bbc itv cnn snp gop ukip dfe cps ipso dhsc ons") {
		orgAcronyms[w] = true
	}
	for _, w := range strings.Fields("state defense defence homeland security treasury commerce energy education labor labour agriculture interior transportation transport health human services justice staff national intelligence housing veterans affairs foreign home public communications policy the") {
		postObjects[w] = true
	}
}

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
	addWords(lexStop, "unless until whereas whether just even only still other others another such perhaps maybe instead indeed already almost nearly soon once more most less least many much few several every each either neither")
	addWords(lexAux, "himself herself themselves itself has have had would will did does do also again previously later then now has already further once still earlier recently subsequently repeatedly publicly separately privately initially originally clearly simply just only never often always reportedly")
	addWords(lexAdj, "senior junior local former top leading independent several other unnamed anonymous")
	addWords(lexBe, "was were is are been being be am")
	addWords(lexTitle, "mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron cllr councillor rev revd reverend sen rep gov det insp supt sgt lt col capt cmdr cpl pvt maj adm gen atty pres fr msgr")
	addWords(lexFemale, "mrs ms miss dame lady baroness she her")
	addWords(lexMale, "mr sir lord baron he him his")
	addWords(lexRole, "leader secretary minister director chief executive chair chairman chairwoman chairperson president spokesman spokeswoman spokesperson spokespeople commissioner officer head manager mayor councillor mp mep msp ceo cfo cto coo founder co-founder cofounder governor senator representative deputy member editor correspondent professor lecturer researcher analyst economist lawyer attorney judge coroner inspector superintendent constable sergeant detective coach captain partner owner teacher headteacher headmaster headmistress principal doctor nurse campaigner activist expert adviser advisor consultant official boss watchdog regulator speaker whip chancellor ambassador general admiral king queen prince princess bishop archbishop vicar pastor rabbi imam dean provost trustee treasurer clerk administrator coordinator co-ordinator organiser organizer strategist pollster historian scientist author actor actress singer player striker manager counsel prosecutor solicitor barrister surgeon consultant physician psychologist worker employee resident student pupil chairs directors leaders officials")
	addWords(lexOrgWord, "council trust department ministry office agency commission committee board police constabulary service services authority partnership party union university college school academy hospital institute institution foundation association society group bank inc ltd llc plc corp corporation company co court government parliament congress senate assembly federation network club charity panel inquiry tribunal fund organisation organization alliance coalition league church army navy administration bureau centre center cabinet ofsted nhs council's house street")
	addWords(lexOrgName, "downing labour tories conservatives snp plaid republicans democrats gop ukip greens ofsted ofcom ofgem ofwat ofqual nhs bbc itv reuters bloomberg cnn fbi cia nasa nato un eu imf opec whitehall westminster parliament congress pentagon kremlin interpol unicef unesco google apple microsoft amazon meta facebook twitter tesla nspcc barnardo's dfe cps ipso ap afp dhsc ons breitbart huffpost politico axios yonhap kcna xinhua tass sputnik wikileaks")
	addWords(lexDocNoun, "report reports letter statement document review study survey inspection findings judgement judgment ruling verdict paper email e-mail memo memorandum filing complaint lawsuit release blog post tweet guidance analysis assessment audit minutes affidavit transcript indictment decision summary briefing note notice submission bulletin update website motion bill petition manifesto plan strategy dossier investigation evaluation consultation")
	addWords(lexOrgNoun, "council government department ministry watchdog regulator agency authority trust company firm business charity organisation organization union party police force service partnership commission committee board panel court office administration inquiry institute university school hospital club bank campaign body network foundation association coalition alliance embassy cabinet parliament congress senate prosecution army military navy group team dfe nhs")
	addWords(lexGroupNoun, "inspectors campaigners officials chiefs leaders critics experts residents parents families protesters protestors activists researchers scientists analysts economists doctors nurses teachers workers staff employees officers detectives prosecutors lawyers ministers mps councillors members sources aides insiders witnesses neighbours neighbors friends relatives victims survivors users customers investors voters bosses managers executives directors governors senators lawmakers legislators representatives volunteers organisers organizers authorities people students pupils locals regulars shoppers commuters passengers patients tenants drivers farmers fans players colleagues supporters opponents police judges campaigners regulators inspectorate spokespeople commissioners councillors unions trustees")
	addWords(lexPersonNoun, "spokesman spokeswoman spokesperson official source witness resident neighbour neighbor friend relative mother father parent teacher doctor nurse boss chief leader minister secretary director manager officer detective lawyer expert analyst economist campaigner activist inspector judge coroner prosecutor mp councillor mayor president chairman chairwoman chair executive founder owner aide insider colleague member worker employee student pupil woman man girl boy commissioner representative adviser advisor consultant headteacher")
	addWords(lexPronoun, "she he it they")
	addWords(lexParticle, "de da di du del della van von der den le la bin ibn al el dos das ter ten y st")
	addWords(lexConnector, "of for and the on & de da di du del della van von der den le la bin ibn al el dos das ter ten y")
	addWords(lexAbbrev, "mr mrs ms mx dr prof st sen rep gov gen col lt sgt capt cmdr cpl pvt maj adm cllr det insp supt rev revd fr msgr atty pres jr sr inc ltd corp bros vs v cf etc approx dept fig e.g i.e a.m p.m u.s u.k ph.d")
	addWords(lexRel, "who which whose whom that where")
	addWords(lexPlace, "north south east west northern southern eastern western new united states kingdom republic city county island islands "+
		"afghanistan albania algeria america argentina armenia australia austria azerbaijan bahrain bangladesh belarus belgium bolivia bosnia brazil britain bulgaria "+
		"cambodia canada chile china colombia congo croatia cuba cyprus czechia denmark ecuador egypt england estonia ethiopia europe finland france germany ghana greece "+
		"guatemala haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan kazakhstan kenya korea kosovo kuwait laos latvia lebanon libya "+
		"lithuania luxembourg malaysia mali malta mexico moldova mongolia montenegro morocco myanmar nepal netherlands nicaragua nigeria norway oman pakistan palestine panama "+
		"paraguay peru philippines poland portugal qatar romania russia rwanda salvador saudi arabia scotland senegal serbia singapore slovakia slovenia somalia spain sudan sweden "+
		"switzerland syria taiwan tajikistan tanzania thailand tunisia turkey uganda ukraine uruguay uzbekistan venezuela vietnam wales yemen zambia zimbabwe gaza crimea "+
		"alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland "+
		"massachusetts michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey york carolina dakota ohio oklahoma oregon pennsylvania rhode "+
		"tennessee texas utah vermont wisconsin wyoming washington virginia "+
		"london paris berlin moscow beijing tokyo seoul pyongyang tehran jerusalem brussels davos geneva rome madrid kyiv kiev ottawa toronto chicago boston houston "+
		"seattle atlanta miami dallas denver phoenix detroit baltimore philadelphia manhattan brooklyn tijuana manchester birmingham leeds bradford glasgow edinburgh cardiff belfast dublin")
	addWords(lexNation, "american british english scottish welsh irish french german italian spanish portuguese dutch belgian swiss austrian swedish "+
		"norwegian danish finnish polish czech russian ukrainian belarusian hungarian romanian bulgarian serbian croatian greek turkish cypriot israeli "+
		"palestinian lebanese syrian iraqi iranian saudi kuwaiti qatari emirati yemeni omani jordanian egyptian libyan tunisian algerian moroccan african "+
		"nigerian kenyan ethiopian somali sudanese chinese japanese korean taiwanese vietnamese thai filipino indonesian malaysian indian pakistani afghan "+
		"bangladeshi canadian mexican cuban brazilian argentine argentinian chilean colombian venezuelan peruvian guatemalan honduran salvadoran "+
		"nicaraguan haitian dominican european asian hispanic latino latina briton brit muslim jewish arab kurdish sunni shiite catholic evangelical")
	addWords(lexRole, "fellow dictator congressman congresswoman lawmaker legislator democrat republican nominee candidate envoy negotiator diplomat aide counselor counsellor "+
		"columnist reporter anchor host commentator premier agent sheriff marshal commander lieutenant colonel sergeant general admiral ruler monarch "+
		"prosecutor commissioner ombudsman auditor comptroller whistleblower emir sultan ayatollah cleric")
	addWords(lexOrgWord, "tower hotel airport stadium plaza times post journal news herald tribune telegraph guardian mirror express gazette observer radio television press agency")
	addWords(lexOrgNoun, "newspaper outlet broadcaster network station website magazine channel administration campaign ministry embassy")
	addWords(lexDocNoun, "suit announcement proposal order")
	addWords(lexPronoun, "he's she's")
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

// capitalAbbrevs are abbreviations only when capitalised: the capital is
// what tells "No. 10", "Jan. 5" and "Calif." from "she said no." at the end
// of a sentence.
var capitalAbbrevs = map[string]bool{}

func init() {
	for _, w := range strings.Fields("No Nos Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun " +
		"Co Con Lab Lib Dem Est Mt Ft Ave Rd Blvd Hon Gens Reps Sens Govs " +
		// US states as AP style abbreviates them ("Sen. Jane Roe, D-Calif."),
		// and the parts of those with a space or a point inside
		"Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont Neb Nev Okla Ore Pa Tenn Tex Vt Va Wash Wis Wyo N.H N.J N.M N.Y N.C N.D R.I S.C S.D W.Va D.C") {
		capitalAbbrevs[w] = true
	}
}

// IsTitleAbbreviation reports whether w, followed by a full stop, is a
// title that stands before a name ("Mr", "Dr", "Gov", "Sgt"): a full stop
// after it never ends a sentence, where one after "U.S" or an initial may.
func IsTitleAbbreviation(w string) bool {
	f := lexicon[lowerWord(w)]
	return f&lexTitle != 0 && f&lexAbbrev != 0
}

// IsFunctionWord reports whether w is a word no name is made of ("The",
// "But", "In", "He"): after "Mr." it begins a new sentence, as it does
// where a text was cut and joined again at the title's full stop.
func IsFunctionWord(w string) bool {
	return lexicon[lowerWord(w)]&(lexStop|lexDet|lexPronoun) != 0
}

// IsAbbreviation reports whether a full stop right after w (as the text
// writes it, without the stop) marks an abbreviation rather than the end
// of a sentence: a title ("Sen", "Gov", "Mr"), a common abbreviation
// ("etc", "e.g", "U.S"), a capitalised one ("No", "Jan", "Calif"), an
// initial ("J") or a dotted acronym ("D.C"). Package diffing's sentence
// splitter and this package's share this one list, so that a speaker's
// title never ends a sentence in one and not in the other.
func IsAbbreviation(w string) bool {
	if w == "" {
		return false
	}
	if lexicon[lowerWord(w)]&lexAbbrev != 0 || capitalAbbrevs[w] {
		return true
	}
	// initials and dotted acronyms: "J", "K", "U.N", "D.C"
	first := true
	for _, p := range strings.Split(w, ".") {
		r, size := utf8.DecodeRuneInString(p)
		if size == 0 || size != len(p) || !unicode.IsLetter(r) {
			return false
		}
		if first && !unicode.IsUpper(r) && !strings.Contains(w, ".") {
			return false
		}
		first = false
	}
	return true
}

// titleRoles are titles that name a post rather than a form of address:
// dropped from the speaker's name, kept as the role if the text gives none.
var titleRoles = map[string]string{
	"cllr": "Councillor", "councillor": "Councillor", "sen": "Senator", "rep": "Representative",
	"gov": "Governor", "gen": "General", "col": "Colonel", "capt": "Captain", "lt": "Lieutenant",
	"sgt": "Sergeant", "det": "Detective", "insp": "Inspector", "supt": "Superintendent",
	"cmdr": "Commander", "cpl": "Corporal", "pvt": "Private", "maj": "Major", "adm": "Admiral",
	"atty": "Attorney", "pres": "President", "rev": "Reverend", "revd": "Reverend", "reverend": "Reverend",
	"fr": "Father", "msgr": "Monsignor",
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
