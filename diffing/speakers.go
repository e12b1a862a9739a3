package diffing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Speaker recognition: the noun phrase that is the subject of a reporting
// verb, what sort of source it is, and what a pronoun, a bare surname or a
// generic "the council" refers to. Everything works on the token stream of
// quotes.go, in which a whole quotation is one token, so nothing said inside
// a quote can be mistaken for its attribution.

// qFlag describes what a word can be; one map lookup per word gives all of
// it, which keeps attribution cheap enough for bulk analysis.
type qFlag uint32

const (
	qfDet        qFlag = 1 << iota // the, a, its
	qfPrep                         // in, at: an NP after one is not a subject
	qfStop                         // capitalised, still not part of a name: But, In, The
	qfAux                          // has, also: between a subject and its verb
	qfBe                           // was, were: passive before a participle
	qfTitle                        // Ms, Dr, Cllr
	qfFemale                       // Ms, Dame, Susan
	qfMale                         // Mr, Sir, Robert
	qfRole                         // leader, secretary, MP
	qfOrgWord                      // Council, Trust: a name containing one is an organisation
	qfOrgName                      // Ofsted, NHS: known organisations
	qfDocNoun                      // report, letter
	qfOrgNoun                      // council, watchdog
	qfGroupNoun                    // inspectors, campaigners
	qfPersonNoun                   // spokesman, official
	qfPronoun                      // she, he, it, they
	qfParticle                     // de, van: inside personal names
	qfConnector                    // of, for, and: inside organisation names
	qfAbbrev                       // Mr., Corp.: a full stop after one ends no sentence
	qfRel                          // who, which: starts a relative clause
	qfTime                         // Tuesday, yesterday: not part of a name
	qfFirstName                    // a common given name (gender in qfFemale/qfMale)
	qfAdj                          // senior, local: opens a speaker phrase, not a name
	qfMonth                        // a month: opens a name run only by accident
)

var qLex = map[string]qFlag{}

func qAdd(f qFlag, words string) {
	for _, w := range strings.Fields(words) {
		qLex[w] |= f
	}
}

func init() {
	qAdd(qfDet, "the a an its their his her our this that these those some several many two three four five six seven eight nine ten one each another both all most other")
	qAdd(qfPrep, "in on at from by with of for to into within under about among via during despite through across against toward towards upon without including like per inside outside behind beside near than")
	qAdd(qfStop, "the a an but and or so yet however in on at for from with by of to after before when while since as if although though because meanwhile also now then following responding according this that these those it he she they we i his her their its our my your there here yesterday today tonight tomorrow last next following among between during despite under over about what where why how who which whose whom asked speaking writing referring commenting addressing today's update watch note warning breaking read analysis comment photo video listen question answer summary background related latest")
	qAdd(qfAux, "has have had would will did does do also again previously later then now has already further once still earlier recently subsequently repeatedly publicly separately privately initially originally clearly simply just only never often always reportedly")
	qAdd(qfAdj, "senior junior local former top leading independent several other unnamed anonymous")
	qAdd(qfBe, "was were is are been being be am")
	qAdd(qfTitle, "mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron cllr councillor rev revd reverend sen rep gov det insp supt sgt lt col capt gen")
	qAdd(qfFemale, "mrs ms miss dame lady baroness she her")
	qAdd(qfMale, "mr sir lord baron he him his")
	qAdd(qfRole, "leader secretary minister director chief executive chair chairman chairwoman chairperson president spokesman spokeswoman spokesperson spokespeople commissioner officer head manager mayor councillor mp mep msp ceo cfo cto coo founder co-founder cofounder governor senator representative deputy member editor correspondent professor lecturer researcher analyst economist lawyer attorney judge coroner inspector superintendent constable sergeant detective coach captain partner owner teacher headteacher headmaster headmistress principal doctor nurse campaigner activist expert adviser advisor consultant official boss watchdog regulator speaker whip chancellor ambassador general admiral king queen prince princess bishop archbishop vicar pastor rabbi imam dean provost trustee treasurer clerk administrator coordinator co-ordinator organiser organizer strategist pollster historian scientist author actor actress singer player striker manager counsel prosecutor solicitor barrister surgeon consultant physician psychologist worker employee resident student pupil chairs directors leaders officials")
	qAdd(qfOrgWord, "council trust department ministry office agency commission committee board police constabulary service services authority partnership party union university college school academy hospital institute institution foundation association society group bank inc ltd llc plc corp corporation company co court government parliament congress senate assembly federation network club charity panel inquiry tribunal fund organisation organization alliance coalition league church army navy administration bureau centre center cabinet ofsted nhs council's house street")
	qAdd(qfOrgName, "downing labour tories conservatives snp plaid republicans democrats gop ukip greens ofsted ofcom ofgem ofwat ofqual nhs bbc itv reuters bloomberg cnn fbi cia nasa nato un eu imf opec whitehall westminster parliament congress pentagon kremlin interpol unicef unesco google apple microsoft amazon meta facebook twitter tesla nspcc barnardo's dfe cps ipso ap afp dhsc ons")
	qAdd(qfDocNoun, "report reports letter statement document review study survey inspection findings judgement judgment ruling verdict paper email e-mail memo memorandum filing complaint lawsuit release blog post tweet guidance analysis assessment audit minutes affidavit transcript indictment decision summary briefing note notice submission bulletin update website motion bill petition manifesto plan strategy dossier investigation evaluation consultation")
	qAdd(qfOrgNoun, "council government department ministry watchdog regulator agency authority trust company firm business charity organisation organization union party police force service partnership commission committee board panel court office administration inquiry institute university school hospital club bank campaign body network foundation association coalition alliance embassy cabinet parliament congress senate prosecution army military navy group team dfe nhs")
	qAdd(qfGroupNoun, "inspectors campaigners officials chiefs leaders critics experts residents parents families protesters protestors activists researchers scientists analysts economists doctors nurses teachers workers staff employees officers detectives prosecutors lawyers ministers mps councillors members sources aides insiders witnesses neighbours neighbors friends relatives victims survivors users customers investors voters bosses managers executives directors governors senators lawmakers legislators representatives volunteers organisers organizers authorities people students pupils locals regulars shoppers commuters passengers patients tenants drivers farmers fans players colleagues supporters opponents police judges campaigners regulators inspectorate spokespeople commissioners councillors unions trustees")
	qAdd(qfPersonNoun, "spokesman spokeswoman spokesperson official source witness resident neighbour neighbor friend relative mother father parent teacher doctor nurse boss chief leader minister secretary director manager officer detective lawyer expert analyst economist campaigner activist inspector judge coroner prosecutor mp councillor mayor president chairman chairwoman chair executive founder owner aide insider colleague member worker employee student pupil woman man girl boy commissioner representative adviser advisor consultant headteacher")
	qAdd(qfPronoun, "she he it they")
	qAdd(qfParticle, "de da di du del della van von der den le la bin ibn al el dos das ter ten y st")
	qAdd(qfConnector, "of for and the on & de da di du del della van von der den le la bin ibn al el dos das ter ten y")
	qAdd(qfAbbrev, "mr mrs ms dr prof st sen rep gov gen col lt sgt capt cllr jr sr inc ltd co corp vs etc no con lab lib dem approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun u.s u.k e.g i.e a.m p.m ph.d mt ft ave rd det insp supt rev revd bros")
	qAdd(qfRel, "who which whose whom that where")
	qAdd(qfTime, "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight tomorrow weekend morning evening night week month year")
	qAdd(qfMonth, "january february march april may june july august september october november december")
	qAdd(qfFirstName|qfFemale, "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla marium mariam fatima aisha ayesha eileen priti yvette nicola kemi liz penny suella bridget jane jo kate katy claire clare louise lucy sophie chloe ellie amelia harriet caroline gillian alison fiona joanne lesley maureen pauline tracey wendy yvonne zoe savannah frankie ursula kamala hillary nancy")
	qAdd(qfFirstName|qfMale, "james robert john michael david william richard joseph thomas charles christopher daniel matthew anthony mark donald steven steve paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan albert willie alan eugene russell vincent philip bobby johnny bradley roy ralph louis harry mike robbie rob bob bill tom tim ben dan sam nadhim boris rishi keir nigel gordon tony ed ian colin graham neil simon martin kieran liam owen rhys gareth dai alun marc nick chris jim jimmy phil craig darren dean lee wayne barry trevor derek malcolm stuart stewart duncan hamish angus callum ross hugh rupert giles oliver jeremy matt sajid michael grant kwasi gavin dominic")
	// A post held by one person is a person who can speak: "the senator".
	for w, f := range qLex {
		if f&qfRole != 0 && !strings.HasSuffix(w, "s") && w != "watchdog" && w != "regulator" {
			qLex[w] |= qfPersonNoun
		}
	}
	qLex["boss"] |= qfPersonNoun
	// Names given to both sexes carry no gender: "Kersten", "Sam" alone.
	for _, w := range strings.Fields("jo sam chris alex jordan taylor morgan jamie frankie kersten charlie robin leslie lesley jesse casey") {
		qLex[w] &^= qfFemale | qfMale
		qLex[w] |= qfFirstName
	}
}

// qLower lower-cases a word and folds the curly apostrophe, without
// allocating for the common all-lowercase ASCII word.
func qLower(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ReplaceAll(strings.ToLower(w), "’", "'")
		}
	}
	return w
}

// qNP is a speaker noun phrase as found in the text, before resolution.
type qNP struct {
	a, b    int    // token range [a, b] the phrase covers, for distances
	text    string // as the article gives it: "Marium Haque", "the report"
	kind    SpeakerKind
	role    string
	pronoun string // "she", "it": to be resolved
	short   bool   // a surname alone, with or without a title: "Ms Haque"
	surname string
	generic string // head of "the council", "the watchdog": may stand for a named body
	plural  bool
	gender  byte // 'f', 'm' or 0
	weak    bool // taken from the start of the clause rather than next to the verb
	// titleRole is the role a title implies ("Cllr"), used only when the
	// text gives no other.
	titleRole string
	common    bool // a common noun phrase ("the watchdog"), not a name
}

func (np *qNP) roleOr() string {
	if np.role != "" {
		return np.role
	}
	return np.titleRole
}

// qEntity is a speaker already met in the article, for pronoun and
// short-reference resolution.
type qEntity struct {
	name    string
	kind    SpeakerKind
	role    string
	plural  bool
	surname string
	tok     int
	nameLen int
}

// qResolved is a speaker after resolution.
type qResolved struct {
	speaker string
	kind    SpeakerKind
	role    string
	via     string
	conf    float64 // the most this resolution allows
}

func (d *qDoc) isCapTok(i int) bool {
	return d.isWord(i) && unicode.IsUpper(d.runes[d.toks[i].s])
}

func (d *qDoc) isLowerTok(i int) bool {
	return d.isWord(i) && unicode.IsLower(d.runes[d.toks[i].s])
}

func (d *qDoc) isWord(i int) bool { return i >= 0 && i < len(d.toks) && d.toks[i].kind == qtWord }

func (d *qDoc) isPunct(i int, r rune) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	t := d.toks[i]
	return t.kind == qtPunct && d.runes[t.s] == r
}

func (d *qDoc) flags(i int) qFlag {
	if !d.isWord(i) {
		return 0
	}
	return qLex[d.lw(i)]
}

// qBaseNoun strips a possessive so "council's" looks up as "council".
func qBaseNoun(lw string) string {
	if strings.HasSuffix(lw, "'s") {
		return lw[:len(lw)-2]
	}
	if strings.HasSuffix(lw, "s'") {
		return lw[:len(lw)-1]
	}
	return lw
}

// isNameTok says whether token i can be part of a capitalised name: an
// upper-case initial and not a function word that merely opens a sentence.
func (d *qDoc) isNameTok(i int) bool {
	if !d.isCapTok(i) {
		return false
	}
	f := d.flags(i)
	if f&(qfStop|qfTime) != 0 && f&qfTitle == 0 {
		return false
	}
	return true
}

// textOf renders tokens [a, b] as in the article, with single spaces where
// the article has any space, so a role split over a line still reads well.
func (d *qDoc) textOf(a, b int) string {
	if a > b || a < 0 || b >= len(d.toks) {
		return ""
	}
	var sb strings.Builder
	for i := a; i <= b; i++ {
		t := d.toks[i]
		if i > a && d.toks[i-1].e < t.s {
			sb.WriteByte(' ')
		}
		sb.WriteString(d.text[d.boff[t.s]:d.boff[t.e]])
	}
	return sb.String()
}

// capRunBack extends a run of capitalised name words backward from k (a
// capitalised word) down to no further than lo. Lower-case connectors and
// particles are kept only between capitalised words ("Department for
// Education", "Ursula von der Leyen"); a title's full stop ("Mr. Smith") is
// kept with its title.
func (d *qDoc) capRunBack(lo, k int) int {
	j := k
	for j-1 >= lo {
		p := j - 1
		if d.isNameTok(p) {
			j = p
			continue
		}
		if d.isPunct(p, '.') && p-1 >= lo && d.flags(p-1)&qfTitle != 0 && d.isCapTok(p-1) {
			j = p - 1
			continue
		}
		// connectors: one or more lower-case words with a name word before
		c := p
		for c >= lo && d.isWord(c) && !d.isCapTok(c) && d.flags(c)&qfConnector != 0 && p-c < 3 {
			c--
		}
		if c < p && c >= lo && d.isNameTok(c) {
			j = c
			continue
		}
		break
	}
	return j
}

// capRunFwd is capRunBack forward from a capitalised word at a, up to hi.
func (d *qDoc) capRunFwd(a, hi int) int {
	k := a
	for k+1 <= hi {
		n := k + 1
		if d.isNameTok(n) {
			k = n
			continue
		}
		if d.isPunct(n, '.') && d.flags(k)&qfTitle != 0 && n+1 <= hi && d.isNameTok(n+1) {
			k = n
			continue
		}
		c := n
		for c <= hi && d.isWord(c) && !d.isCapTok(c) && d.flags(c)&qfConnector != 0 && c-n < 3 {
			c++
		}
		if c > n && c <= hi && d.isNameTok(c) {
			k = c
			continue
		}
		break
	}
	return k
}

// classifyName turns a capitalised run [a, b] into a speaker: titles and a
// leading role ("Keighley MP Robbie Moore") are separated from the name,
// and the run is judged a person or an organisation.
func (d *qDoc) classifyName(a, b int, det bool) *qNP {
	np := &qNP{a: a, b: b}
	// A role followed by "of", "for" or nothing names a post: "Chief
	// Executive of Bradford Council", "Children's Commissioner". Words
	// before it may still be a name: "Robbie Moore MP".
	for i := a; i <= b; i++ {
		f := d.flags(i)
		if f&qfRole == 0 || f&qfTitle != 0 || !(i == b || d.isWord(i+1) && !d.isCapTok(i+1) && d.flags(i+1)&qfConnector != 0) {
			continue
		}
		if i-a >= 2 && !d.hasRole(a, i-1) && !d.hasOrgWord(a, i-1) {
			np.role = d.textOf(i, b)
			b = i - 1
			np.b = b
			break
		}
		np.kind = SpeakerPerson
		np.role = d.textOf(a, b)
		return np
	}
	// A role word followed by a name is a premodifier: "Keighley MP |
	// Robbie Moore", "Chief Executive | Kersten England".
	nameA := a
	for i := b - 1; i >= a; i-- {
		if d.isWord(i) && d.flags(i)&qfRole != 0 && d.flags(i)&qfTitle == 0 && d.isNameTok(i+1) && d.flags(i+1)&(qfRole|qfConnector) == 0 {
			nameA = i + 1
			np.role = d.textOf(a, i)
			break
		}
	}
	// Titles.
	var title string
	for nameA <= b && d.flags(nameA)&qfTitle != 0 {
		lw := d.lw(nameA)
		f := qLex[lw]
		if f&qfFemale != 0 {
			np.gender = 'f'
		} else if f&qfMale != 0 {
			np.gender = 'm'
		}
		if r, ok := qTitleRoles[lw]; ok {
			np.titleRole = r
		} else {
			title = d.textOf(nameA, nameA)
		}
		nameA++
		if d.isPunct(nameA, '.') {
			nameA++
		}
	}
	if nameA > b {
		return nil
	}
	words := 0
	orgish := false
	hasAnd := false
	allCapsOne := false
	for i := nameA; i <= b; i++ {
		if !d.isWord(i) {
			continue
		}
		words++
		lw := d.lw(i)
		f := qLex[lw] | qLex[qBaseNoun(lw)]
		if d.isCapTok(i) && f&(qfOrgWord|qfOrgName) != 0 {
			orgish = true
		}
		if lw == "and" || lw == "&" {
			hasAnd = true
		}
	}
	if words == 1 {
		// an acronym ("NHS", "DfE"), not "McConnell"
		up, low := 0, 0
		for _, r := range d.w(nameA) {
			if unicode.IsUpper(r) {
				up++
			} else if unicode.IsLower(r) {
				low++
			}
		}
		allCapsOne = up >= 2 && low <= up
	}
	name := d.textOf(nameA, b)
	switch {
	case orgish || allCapsOne || (det && np.gender == 0 && title == ""):
		np.kind = SpeakerOrganisation
		if det {
			name = "the " + name
		}
		np.gender = 0
	case hasAnd:
		np.kind = SpeakerPerson
		np.plural = true
	default:
		np.kind = SpeakerPerson
		if np.gender == 0 {
			f := d.flags(nameA)
			if f&qfFirstName != 0 {
				if f&qfFemale != 0 {
					np.gender = 'f'
				} else if f&qfMale != 0 {
					np.gender = 'm'
				}
			}
		}
		if words == 1 {
			np.short = true
			np.surname = name
			if title != "" {
				name = title + " " + name
			}
		} else {
			np.surname = d.surnameOf(nameA, b)
			switch qLower(title) {
			case "dr", "prof", "professor", "sir", "dame", "lord", "lady", "baroness", "baron":
				name = title + " " + name
			}
		}
	}
	np.text = name
	return np
}

// qTitleRoles are titles that name a post rather than a form of address:
// dropped from the speaker's name, kept as the role if the text gives none.
var qTitleRoles = map[string]string{
	"cllr": "Councillor", "councillor": "Councillor", "sen": "Senator", "rep": "Representative",
	"gov": "Governor", "gen": "General", "col": "Colonel", "capt": "Captain", "lt": "Lieutenant",
	"sgt": "Sergeant", "det": "Detective", "insp": "Inspector", "supt": "Superintendent",
}

// surnameOf is the family name of a full name: from the first particle on
// ("von der Leyen"), else the last word.
func (d *qDoc) surnameOf(a, b int) string {
	for i := a + 1; i < b; i++ {
		if d.isWord(i) && !d.isCapTok(i) && d.flags(i)&qfParticle != 0 {
			return d.textOf(i, b)
		}
	}
	return d.w(b)
}

// nounPhraseBack grabs a common-noun speaker ending at k ("the watchdog",
// "council chiefs", "Walker's review"), or nil when the head is not a noun
// that can speak.
func (d *qDoc) nounPhraseBack(lo, k int) *qNP {
	head := qBaseNoun(d.lw(k))
	hf := qLex[head]
	kind := qNounKind(hf)
	if kind == SpeakerUnknown {
		return nil
	}
	if d.isCapTok(k) && d.flags(k)&qfOrgName != 0 {
		return nil
	}
	j := k
	det := ""
	for j-1 >= lo && k-j < 5 {
		p := j - 1
		if !d.isWord(p) {
			break
		}
		lw := d.lw(p)
		f := qLex[lw]
		if f&qfDet != 0 {
			j = p
			det = lw
			break
		}
		if strings.HasSuffix(lw, "'s") || strings.HasSuffix(lw, "s'") {
			j = p
			if d.isWord(p-1) && d.flags(p-1)&qfDet != 0 {
				j = p - 1
			}
			break
		}
		if f&(qfPrep|qfRel|qfAux|qfBe|qfPronoun) != 0 || (f&qfStop != 0 && f&qfConnector == 0) {
			break
		}
		if lw == "and" || lw == "or" || lw == "but" {
			break
		}
		j = p
	}
	np := &qNP{a: j, b: k, kind: kind, common: true}
	txt := d.textOf(j, k)
	// A sentence capital on a common word is layout, not part of a name:
	// "The report" is "the report", "Inspectors" is "inspectors".
	if fj := d.flags(j); d.isCapTok(j) && fj != 0 && fj&qfOrgName == 0 && !d.allCaps(j) {
		r, size := utf8.DecodeRuneInString(txt)
		txt = string(unicode.ToLower(r)) + txt[size:]
	}
	np.text = txt
	np.plural = kind == SpeakerGroup
	if kind == SpeakerOrganisation && (j == k || j == k-1 && det == "the") {
		np.generic = head
	}
	// "a Treasury spokesperson", "a White House spokeswoman": the body
	// speaks, through its spokesperson
	if qSpokes[head] && k-j >= 1 {
		c := k - 1
		for c-1 > j && d.isNameTok(c-1) {
			c--
		}
		if d.isNameTok(c) {
			np.text = d.textOf(c, k-1)
			np.kind = SpeakerOrganisation
			np.role = d.w(k)
			np.plural = false
		}
	}
	return np
}

func (d *qDoc) allCaps(i int) bool {
	w := d.w(i)
	up := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			up++
		}
	}
	return up >= 2
}

// qSpokes are the people who speak for a body.
var qSpokes = map[string]bool{"spokesman": true, "spokeswoman": true, "spokesperson": true, "representative": true, "source": true, "official": true, "insider": true}

func qNounKind(f qFlag) SpeakerKind {
	switch {
	case f&qfGroupNoun != 0:
		return SpeakerGroup
	case f&qfDocNoun != 0:
		return SpeakerDocument
	case f&qfOrgNoun != 0:
		return SpeakerOrganisation
	case f&qfPersonNoun != 0:
		return SpeakerPerson
	}
	return SpeakerUnknown
}

// npBack finds the speaker phrase ending at token k (inclusive), not before
// lo. It returns nil when the words there cannot be a speaker.
func (d *qDoc) npBack(lo, k int) *qNP {
	if k < lo || !d.isWord(k) {
		return nil
	}
	lw := d.lw(k)
	f := qLex[lw]
	if f&qfPronoun != 0 {
		return &qNP{a: k, b: k, pronoun: lw, text: lw}
	}
	if !d.isCapTok(k) || (qNounKind(qLex[qBaseNoun(lw)]) != SpeakerUnknown && qLex[lw]&qfOrgName == 0 && !d.isNameTok(k-1)) {
		np := d.nounPhraseBack(lo, k)
		if np == nil {
			return nil
		}
		return d.withSpokes(lo, np)
	}
	if !d.isNameTok(k) {
		return nil
	}
	j := d.capRunBack(lo, k)
	// Months and days open runs by accident: "In January Smith said".
	for j < k && d.flags(j)&(qfTime|qfMonth) != 0 {
		j++
	}
	det := false
	a := j
	if j-1 >= lo && d.isWord(j-1) && d.lw(j-1) == "the" {
		det = true
		a = j - 1
	}
	np := d.classifyName(j, k, det)
	if np == nil {
		return nil
	}
	np.a = a
	if np.text == "" {
		return np // a role phrase: the caller looks for the name
	}
	// A lower-case role before the name: "Council leader Susan Hinchcliffe",
	// "Government watchdog Ofsted".
	if !det && j-1 >= lo && d.isLowerTok(j-1) && d.flags(j-1)&qfRole != 0 {
		p := j - 1
		for p-1 >= lo && d.isWord(p-1) && j-p < 3 && d.flags(p-1)&(qfDet|qfPrep|qfStop|qfRel|qfAux|qfBe) == 0 && d.lw(p-1) != "and" {
			p--
		}
		np.role = d.textOf(p, j-1)
		np.a = p
		if np.kind == SpeakerPerson && (qLex[d.lw(j-1)]&qfOrgNoun != 0 || d.lw(j-1) == "watchdog" || d.lw(j-1) == "regulator") && np.short {
			np.kind = SpeakerOrganisation
			np.short = false
		}
	}
	return d.withSpokes(lo, np)
}

// withSpokes turns "a spokesperson for | Bradford Council" into the body
// the spokesperson speaks for, with the post as role.
func (d *qDoc) withSpokes(lo int, np *qNP) *qNP {
	p := np.a - 1
	if p-1 < lo || !d.isWord(p) {
		return np
	}
	switch d.lw(p) {
	case "for", "at", "from", "of":
	default:
		return np
	}
	sp := d.lw(p - 1)
	if !qSpokes[sp] {
		return np
	}
	a := p - 1
	if d.isWord(a-1) && a-1 >= lo && d.flags(a-1)&qfDet != 0 {
		a--
	}
	if np.kind == SpeakerOrganisation {
		np.role = sp
		np.a = a
		np.generic = ""
		return np
	}
	np.text = d.textOf(a, np.b)
	np.kind = SpeakerPerson
	np.role = sp
	np.a = a
	np.short = false
	np.pronoun = ""
	return np
}

// npFwd finds a speaker phrase starting at token a, not beyond hi (used
// after an inverted verb, "said Ms Haque", and after "according to").
func (d *qDoc) npFwd(a, hi int) *qNP {
	if a > hi || !d.isWord(a) {
		return nil
	}
	lw := d.lw(a)
	f := qLex[lw]
	if f&qfPronoun != 0 {
		return &qNP{a: a, b: a, pronoun: lw, text: lw}
	}
	if f&qfDet != 0 || d.isLowerTok(a) {
		// "the report", "a spokesman for Acme", "officials"
		for k := a; k <= hi && k-a < 5 && d.isWord(k); k++ {
			if k > a && (qLex[d.lw(k)]&(qfPrep|qfRel|qfBe) != 0) {
				break
			}
			if d.isCapTok(k) && k > a {
				// "the Department for Education": a capitalised name after "the"
				if lw == "the" && k == a+1 {
					e := d.capRunFwd(k, hi)
					np := d.classifyName(k, e, true)
					if np != nil && np.text != "" {
						np.a = a
						np.b = e
						return np
					}
				}
				continue
			}
			if qNounKind(qLex[qBaseNoun(d.lw(k))]) != SpeakerUnknown {
				np := d.nounPhraseBack(a, k)
				if np == nil {
					return nil
				}
				// "a spokesperson for the council"
				if np.kind == SpeakerPerson && k+2 <= hi && d.isWord(k+1) {
					switch d.lw(k + 1) {
					case "for", "at", "from":
						if inner := d.npFwd(k+2, hi); inner != nil && inner.pronoun == "" && inner.text != "" {
							if inner.kind == SpeakerOrganisation {
								inner.role = d.w(k)
								inner.a = a
								inner.generic = ""
								return inner
							}
						}
					}
				}
				return np
			}
		}
		return nil
	}
	if !d.isNameTok(a) {
		return nil
	}
	b := d.capRunFwd(a, hi)
	for b > a && d.flags(b)&qfTime != 0 {
		b--
	}
	// "Conservative leader Kemi Badenoch": a post before the name
	premod := ""
	if d.isLowerTok(b+1) && d.flags(b+1)&qfRole != 0 && b+2 <= hi && d.isNameTok(b+2) {
		premod = d.textOf(a, b+1)
		a = b + 2
		b = d.capRunFwd(a, hi)
	}
	np := d.classifyName(a, b, false)
	if np == nil || np.text == "" {
		return nil
	}
	if premod != "" && np.role == "" {
		np.role = premod
	}
	// an appositive after the name: "said Jane Doe, chief executive of
	// Acme.", "said Maria Gonzalez, 54, a nurse from Phoenix who ..."
	if d.isPunct(b+1, ',') && np.role == "" {
		a := b + 2
		if d.isWord(a) && unicode.IsDigit(d.runes[d.toks[a].s]) && d.isPunct(a+1, ',') {
			a += 2
		}
		e := a
		for e <= hi && d.isWord(e) && d.flags(e)&qfRel == 0 {
			e++
		}
		if e-1 >= a && e-a <= 12 {
			first := d.flags(a)
			if first&(qfDet|qfRole) != 0 || d.isCapTok(a) && d.hasRole(a, e-1) {
				np.role = d.textOf(a, e-1)
			}
		}
	}
	return np
}

func (d *qDoc) hasOrgWord(a, b int) bool {
	for i := a; i <= b; i++ {
		if d.isCapTok(i) && d.flags(i)&(qfOrgWord|qfOrgName) != 0 {
			return true
		}
	}
	return false
}

func (d *qDoc) hasRole(a, b int) bool {
	for i := a; i <= b; i++ {
		if d.flags(i)&qfRole != 0 {
			return true
		}
	}
	return false
}

// segmentName reads a comma-delimited segment [a, b] as "[and] [role] Name
// [(...)] [role]": the form of each name in "Charlotte Ramsden, CEO of ...,
// and Eileen Milner, chair of ..., said". It returns nil when the segment
// is not led or ended by a name.
func (d *qDoc) segmentName(a, b int) (np *qNP, and bool) {
	if a > b {
		return nil, false
	}
	if d.isWord(a) && d.lw(a) == "and" {
		and = true
		a++
	}
	if a > b {
		return nil, and
	}
	// the whole segment is a speaker phrase
	if np := d.npBack(a, b); np != nil && np.text != "" {
		if np.a <= a {
			return np, and
		}
		// an opening phrase without its comma: "In response to the report
		// Kersten England, Chief Executive ..., said"; but not the object
		// of a preposition ending a role: "director ... at Bradford Council"
		if np.kind == SpeakerPerson && !np.short && d.flags(np.a-1)&(qfPrep|qfConnector) == 0 {
			return np, and
		}
	}
	// a name first, then its post: "Cllr Mike Pollard (Con. Baildon) Deputy Chair of ..."
	if d.isNameTok(a) {
		e := d.capRunFwd(a, b)
		np := d.classifyName(a, e, false)
		if np == nil || np.text == "" || np.kind != SpeakerPerson || np.short && np.role == "" && d.flags(a)&qfTitle == 0 {
			return nil, and
		}
		rest := e + 1
		if rest <= b {
			if !(d.isPunct(rest, '(') || d.flags(rest)&qfRole != 0 || d.isCapTok(rest) && d.hasRole(rest, b)) {
				return nil, and
			}
			np.role = d.roleText(rest, b)
		}
		np.a, np.b = a, e
		return np, and
	}
	return nil, and
}

// roleText renders a role without a leading parenthetical aside.
func (d *qDoc) roleText(a, b int) string {
	if d.isPunct(a, '(') {
		for i := a; i <= b; i++ {
			if d.isPunct(i, ')') {
				a = i + 1
				break
			}
		}
	}
	for a <= b && !d.isWord(a) {
		a++
	}
	for b >= a && !d.isWord(b) {
		b--
	}
	return d.textOf(a, b)
}

// subjectBefore finds the subject of the reporting verb at v, looking back
// no further than lo (the sentence start).
func (d *qDoc) subjectBefore(lo, v int) *qNP {
	k := d.skipToSubject(lo, v-1)
	if k < lo {
		return nil
	}
	// "The Institute for Fiscal Studies (IFS) said"
	if d.isPunct(k, ')') {
		for o := k - 1; o >= lo && o >= k-5; o-- {
			if d.isPunct(o, '(') {
				if o-1 >= lo && d.isWord(o-1) {
					k = o - 1
				}
				break
			}
		}
	}
	if d.isPunct(k, ',') || d.isPunct(k, ')') || d.isPunct(k, '–') || d.isPunct(k, '—') {
		return d.appositive(lo, k)
	}
	// "Kemi Badenoch accused him of ... and said": the clause's subject
	if d.isWord(k) && (d.lw(k) == "and" || d.lw(k) == "but") {
		return d.clauseSubject(lo, k, false)
	}
	np := d.npBack(lo, k)
	if np == nil {
		return nil
	}
	if np.text == "" {
		// a post without a name: "Councillor Kyle Green, Conservative Group
		// Spokesman for Childrens' Services said"
		if d.isPunct(np.a-1, ',') {
			if s := d.appositive(lo, np.a-1); s != nil {
				if s.role == "" {
					s.role = np.role
				}
				return s
			}
		}
		return nil
	}
	if np.a-1 >= lo && d.isWord(np.a-1) && d.flags(np.a-1)&qfPrep != 0 && np.pronoun == "" {
		// "in its report said": the subject is further back
		return d.clauseSubject(lo, v, false)
	}
	return np
}

// skipToSubject steps back from k over what can stand between a subject
// and its verb: auxiliaries, adverbs and time ("has also", "on Tuesday").
func (d *qDoc) skipToSubject(lo, k int) int {
	for k >= lo && d.isWord(k) {
		f := d.flags(k)
		if f&qfPronoun != 0 {
			break
		}
		lw := d.lw(k)
		switch {
		case f&qfAux != 0:
		case f&qfTime != 0 && !d.isNameTok(k-1):
		case (lw == "on" || lw == "last" || lw == "this" || lw == "earlier" || lw == "late") && d.flags(k+1)&qfTime != 0:
		case d.isLowerTok(k) && strings.HasSuffix(lw, "ly") && f == 0:
		default:
			return k
		}
		k--
	}
	return k
}

// appositive handles "Name, role, [who ...,] said": comma k closes the last
// segment before the verb.
func (d *qDoc) appositive(lo, k int) *qNP {
	var roles []string
	var joint []*qNP
	var common *qNP // "its treasurer": a speaker only if no name turns up
	end := k - 1
	for seg := 0; seg < 6 && end >= lo; seg++ {
		start := end
		for start-1 >= lo && !d.isPunct(start-1, ',') && !d.isPunct(start-1, '–') && !d.isPunct(start-1, '—') && d.toks[start-1].kind != qtQuote && d.toks[start-1].kind != qtPara {
			start--
		}
		// the first segment of the clause: after a quote, a line or nothing
		first := start-1 < lo || d.toks[start-1].kind != qtPunct
		if end-start > 16 {
			return nil
		}
		np, and := d.segmentName(start, end)
		if np != nil && np.common && !and {
			// in "Ofsted, the schools watchdog, said" the common noun is the
			// role of the name before it
			if common == nil {
				common = np
			}
			roles = append(roles, d.roleText(start, end))
			if first {
				break
			}
			end = start - 2
			continue
		}
		if np != nil && np.pronoun == "" {
			if and {
				joint = append(joint, np)
				if len(roles) > 0 && np.role == "" {
					np.role = roles[len(roles)-1]
				}
				roles = roles[:0]
			} else {
				if np.role == "" && len(roles) > 0 {
					np.role = roles[len(roles)-1]
				}
				if np.role == "" && len(joint) == 0 {
					np.role = d.roleBefore(lo, start)
				}
				if len(joint) > 0 {
					names := []string{np.text}
					rs := []string{np.role}
					for i := len(joint) - 1; i >= 0; i-- {
						names = append(names, joint[i].text)
						rs = append(rs, joint[i].role)
					}
					np.text = strings.Join(names, " and ")
					np.role = strings.Trim(strings.Join(rs, "; "), "; ")
					np.plural = true
					np.short = false
				}
				return np
			}
		} else if !and {
			if f := d.flags(start); f&qfRel == 0 && !(end == start && d.toks[start].kind == qtWord && unicode.IsDigit(d.runes[d.toks[start].s])) {
				roles = append(roles, d.roleText(start, end))
			}
		} else {
			return nil
		}
		if first {
			break
		}
		end = start - 2
	}
	return common
}

// roleBefore reads a post given before a name in commas: "Its director,
// Paul Johnson, said", "A White House spokeswoman, Karine ..., said".
func (d *qDoc) roleBefore(lo, nameStart int) string {
	c := nameStart - 1
	if !d.isPunct(c, ',') {
		return ""
	}
	st := c - 1
	for st-1 >= lo && d.isWord(st-1) {
		st--
	}
	if st-1 >= lo && !d.isPunct(st-1, ',') || c-st > 8 || c-st < 1 || !d.hasRole(st, c-1) {
		return ""
	}
	if d.flags(st)&(qfDet|qfAdj) == 0 && !d.isCapTok(st) {
		return ""
	}
	for i := st; i < c; i++ {
		if _, ok := qCues[d.lw(i)]; ok {
			return ""
		}
	}
	txt := d.textOf(st, c-1)
	if d.flags(st)&qfDet != 0 && d.isCapTok(st) {
		r, size := utf8.DecodeRuneInString(txt)
		txt = string(unicode.ToLower(r)) + txt[size:]
	}
	return txt
}

// clauseSubject takes the first noun phrase of the clause that holds the
// verb at v: "Ofsted visited the Trust ... and in its report said", and
// the subject of a participle, "Ofsted rated the service ... saying".
func (d *qDoc) clauseSubject(lo, v int, sameClause bool) *qNP {
	// segments from the sentence start; the first that opens with a speaker
	start := lo
	for start < v {
		i := start
		for i < v && d.isWord(i) && d.flags(i)&qfStop != 0 && d.flags(i)&(qfDet|qfPronoun) == 0 {
			i++
		}
		end := i
		for end < v && !d.isPunct(end, ',') && d.toks[end].kind != qtQuote {
			end++
		}
		if sameClause && end < v {
			start = end + 1
			continue
		}
		if i < end && d.flags(start)&qfPrep == 0 {
			if np := d.npFwd(i, end-1); np != nil && (np.text != "" || np.pronoun != "") {
				if np.kind != SpeakerUnknown || np.pronoun != "" {
					np.weak = true
					return np
				}
			}
		}
		start = end + 1
		if v-lo > 40 {
			break
		}
	}
	return nil
}

// qLookBack bounds, in tokens, the search for the full name behind a
// surname or a generic noun: several pages of news, and no quadratic
// blow-up on a pathological text.
const qLookBack = 5000

// qMaxEnts bounds how many earlier speakers a pronoun is matched against.
const qMaxEnts = 200

// resolve turns a speaker phrase into the speaker it names, using what the
// article said before token at.
func (d *qDoc) resolve(np *qNP, at int) qResolved {
	switch np.pronoun {
	case "she", "he":
		want := byte('f')
		if np.pronoun == "he" {
			want = 'm'
		}
		for i := len(d.ents) - 1; i >= 0 && i >= len(d.ents)-qMaxEnts; i-- {
			e := &d.ents[i]
			if e.tok >= at || e.kind != SpeakerPerson || e.plural {
				continue
			}
			g := d.gender[e.name]
			if g != 0 && g != want {
				continue
			}
			if g == 0 {
				d.gender[e.name] = want
			}
			return qResolved{e.name, e.kind, e.role, np.pronoun, 0.7}
		}
		return qResolved{via: np.pronoun}
	case "it", "they":
		for i := len(d.ents) - 1; i >= 0 && i >= len(d.ents)-qMaxEnts; i-- {
			e := &d.ents[i]
			if e.tok >= at {
				continue
			}
			ok := e.kind == SpeakerOrganisation || e.kind == SpeakerDocument
			if np.pronoun == "they" {
				ok = e.kind == SpeakerGroup || e.kind == SpeakerOrganisation || e.plural
			}
			if ok {
				return qResolved{e.name, e.kind, e.role, np.pronoun, 0.65}
			}
		}
		return qResolved{via: np.pronoun}
	}
	conf := 1.0
	if np.weak {
		conf = 0.85
	}
	if np.kind == SpeakerPerson && np.short {
		if full, role := d.fullName(np, at); full != "" {
			if np.role != "" || role == "" {
				role = np.roleOr()
			}
			return qResolved{full, SpeakerPerson, role, np.text, min(conf, 0.85)}
		}
		return qResolved{np.text, SpeakerPerson, np.roleOr(), "", min(conf, 0.8)}
	}
	if np.generic != "" {
		if name := d.namedBody(np.generic, at); name != "" {
			return qResolved{name, SpeakerOrganisation, np.role, np.text, min(conf, 0.8)}
		}
	}
	return qResolved{np.text, np.kind, np.roleOr(), "", conf}
}

// fullName finds the full name a surname refers to: first among speakers
// already met, then among the names the article mentions earlier.
func (d *qDoc) fullName(np *qNP, at int) (string, string) {
	sur := qLower(np.surname)
	for i := len(d.ents) - 1; i >= 0 && i >= len(d.ents)-qMaxEnts; i-- {
		e := d.ents[i]
		if e.tok < at && e.kind == SpeakerPerson && e.nameLen > 1 && e.surname != "" && e.surname == sur {
			if g := d.gender[e.name]; g != 0 && np.gender != 0 && g != np.gender {
				continue
			}
			return e.name, e.role
		}
	}
	if d.names == nil {
		d.indexNames()
	}
	fs := strings.Fields(sur)
	if len(fs) == 0 {
		return "", ""
	}
	list := d.names[fs[len(fs)-1]]
	for k := len(list) - 1; k >= 0; k-- {
		f := list[k]
		if f.tok >= at {
			continue
		}
		if f.tok <= at-qLookBack {
			break
		}
		if f.words <= len(fs) || len(fs) > 1 && !strings.HasSuffix(qLower(f.name), sur) {
			continue
		}
		if np.gender != 0 && f.gender != 0 && np.gender != f.gender {
			continue
		}
		return f.name, f.role
	}
	return "", ""
}

// qFull is a full personal name the article mentions.
type qFull struct {
	tok    int // its last word
	words  int
	name   string
	role   string
	gender byte
}

// indexNames lists the full personal names in the text by the lower-case
// last word, once, so that resolving many surnames stays linear.
func (d *qDoc) indexNames() {
	d.names = map[string][]qFull{}
	for i := 1; i < len(d.toks); i++ {
		if !d.isNameTok(i) {
			continue
		}
		j := d.capRunBack(0, i)
		for j < i && d.flags(j)&(qfTitle|qfTime) != 0 {
			j++
		}
		if i-j < 1 {
			continue
		}
		name := d.classifyName(j, i, false)
		if name == nil || name.kind != SpeakerPerson || name.text == "" || name.short || name.plural {
			continue
		}
		key := d.lw(i)
		d.names[key] = append(d.names[key], qFull{tok: i, words: i - j + 1, name: name.text, role: name.role, gender: name.gender})
	}
}

// namedBody finds the named organisation a generic noun stands for: "the
// council" for an earlier "Bradford Council", "the watchdog" for "watchdog
// Ofsted".
func (d *qDoc) namedBody(head string, at int) string {
	// Answers are kept per noun, so each stretch of text is searched once.
	from := max(0, at-qLookBack)
	hit, ok := d.bodies[head]
	if ok && hit.upTo <= at {
		from = max(from, hit.upTo)
	} else {
		hit = qBody{}
	}
	if name := d.namedBodyIn(head, from, at); name != "" {
		hit.name = name
	}
	hit.upTo = at
	if d.bodies == nil {
		d.bodies = map[string]qBody{}
	}
	d.bodies[head] = hit
	return hit.name
}

// qBody is the named body found for a generic noun in text before upTo.
type qBody struct {
	upTo int
	name string
}

func (d *qDoc) namedBodyIn(head string, from, at int) string {
	for i := min(at, len(d.toks)) - 1; i >= from; i-- {
		if !d.isWord(i) || qBaseNoun(d.lw(i)) != head {
			continue
		}
		if d.isCapTok(i) {
			// "Bradford Council", "Department for Education"
			j := d.capRunBack(0, i)
			k := d.capRunFwd(i, len(d.toks)-1)
			if k-j < 1 {
				continue
			}
			np := d.classifyName(j, k, false)
			if np != nil && np.kind == SpeakerOrganisation && np.text != "" {
				return np.text
			}
			continue
		}
		// "watchdog Ofsted"
		if d.isNameTok(i + 1) {
			k := d.capRunFwd(i+1, len(d.toks)-1)
			np := d.classifyName(i+1, k, false)
			if np != nil && np.text != "" {
				return np.text
			}
		}
	}
	return ""
}

// register records a resolved speaker for later pronouns and surnames.
func (d *qDoc) register(r qResolved, np *qNP, at int) {
	if r.speaker == "" {
		return
	}
	e := qEntity{name: r.speaker, kind: r.kind, role: r.role, tok: at, plural: np.plural}
	if r.kind == SpeakerPerson {
		e.nameLen = len(strings.Fields(r.speaker))
		if np.pronoun == "" && np.surname != "" {
			e.surname = qLower(np.surname)
		} else {
			fs := strings.Fields(r.speaker)
			e.surname = qLower(fs[len(fs)-1])
		}
		if np.gender != 0 && d.gender[r.speaker] == 0 {
			d.gender[r.speaker] = np.gender
		}
	}
	d.ents = append(d.ents, e)
}

// SameSpeaker reports whether two speaker strings name the same source:
// "Marium Haque", "Ms Haque" and "Haque" do; "Marium Haque" and "Susan
// Haque" do not; "the Department for Education" and "DfE" do; a joint
// "Charlotte Ramsden and Eileen Milner" names both. Titles, a leading
// "the", case and punctuation are ignored. Empty strings never match.
func SameSpeaker(a, b string) bool {
	// a joint attribution names each of its speakers
	for _, pair := range [2][2]string{{a, b}, {b, a}} {
		if parts := qJointNames(pair[0]); len(parts) > 1 {
			for _, p := range parts {
				if SameSpeaker(p, pair[1]) {
					return true
				}
			}
			return false
		}
	}
	ta, tb := qSpeakerWords(a), qSpeakerWords(b)
	if len(ta) == 0 || len(tb) == 0 {
		return false
	}
	// "Ms Haque" is not "Mr Haque"
	if ga, gb := qTitleGender(a), qTitleGender(b); ga != 0 && gb != 0 && ga != gb {
		return false
	}
	if qEqualWords(ta, tb) {
		return true
	}
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	// acronym: "DfE" for "Department for Education"
	if len(ta) == 1 && len(tb) > 1 {
		var all, content strings.Builder
		for _, w := range tb {
			r, _ := utf8.DecodeRuneInString(w)
			all.WriteRune(r)
			if qLex[w]&qfConnector == 0 {
				content.WriteRune(r)
			}
		}
		if ta[0] == all.String() || ta[0] == content.String() {
			return len(ta[0]) >= 2
		}
	}
	// surname alone against a full name, particles included; a common
	// noun is no surname: "the council" is not "Bradford Council"
	if len(ta) == 1 && qLex[ta[0]]&(qfOrgNoun|qfDocNoun|qfGroupNoun|qfPersonNoun|qfOrgWord) != 0 {
		return false
	}
	surA := qSurnameWords(ta)
	surB := qSurnameWords(tb)
	if len(ta) == len(surA) {
		return qEqualWords(surA, surB) || len(ta) == 1 && ta[0] == tb[len(tb)-1]
	}
	// two full names: same surname and compatible given names ("J Smith")
	if !qEqualWords(surA, surB) {
		return false
	}
	ga, gb := ta[:len(ta)-len(surA)], tb[:len(tb)-len(surB)]
	if len(ga) == 0 || len(gb) == 0 {
		return true
	}
	x, y := ga[0], gb[0]
	if x == y {
		return true
	}
	if utf8.RuneCountInString(x) == 1 && strings.HasPrefix(y, x) || utf8.RuneCountInString(y) == 1 && strings.HasPrefix(x, y) {
		return true
	}
	return false
}

// qTitleGender is the sex a leading title gives, or 0.
func qTitleGender(s string) byte {
	f := strings.Fields(qLower(s))
	if len(f) < 2 {
		return 0
	}
	fl := qLex[strings.TrimSuffix(f[0], ".")]
	switch {
	case fl&qfTitle == 0:
		return 0
	case fl&qfFemale != 0:
		return 'f'
	case fl&qfMale != 0:
		return 'm'
	}
	return 0
}

// qJointNames splits "Charlotte Ramsden and Eileen Milner" into its
// names; a body's name with "and" in it ("Children and Families Trust")
// stays whole.
func qJointNames(s string) []string {
	if !strings.Contains(s, " and ") {
		return nil
	}
	parts := strings.Split(s, " and ")
	for _, p := range parts {
		ws := strings.Fields(p)
		if len(ws) < 2 {
			return nil
		}
		for _, w := range ws {
			if qLex[qLower(w)]&(qfOrgWord|qfOrgName) != 0 {
				return nil
			}
		}
	}
	return parts
}

func qEqualWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// qSpeakerWords lower-cases a speaker string into words without titles,
// a leading article or punctuation.
func qSpeakerWords(s string) []string {
	f := strings.FieldsFunc(qLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' || r == '&')
	})
	out := f[:0]
	for i, w := range f {
		w = strings.Trim(w, "'-")
		if w == "" {
			continue
		}
		if i == 0 && w == "the" {
			continue
		}
		if qLex[w]&qfTitle != 0 && len(f) > 1 && i < len(f)-1 {
			continue
		}
		out = append(out, w)
	}
	return out
}

// qSurnameWords is the family name of a lower-cased name: from the first
// particle after the given name, else the last word.
func qSurnameWords(ws []string) []string {
	if len(ws) > 1 && qLex[ws[0]]&qfParticle != 0 {
		return ws
	}
	for i := 1; i < len(ws)-1; i++ {
		if qLex[ws[i]]&qfParticle != 0 && ws[i] != "st" {
			return ws[i:]
		}
	}
	return ws[len(ws)-1:]
}
