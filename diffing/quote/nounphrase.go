package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Speaker recognition: the noun phrase that is the subject of a reporting
// verb, what sort of source it is, and what a pronoun, a bare surname or a
// generic "the council" refers to. Everything works on the token stream of
// tokens.go, in which a whole quotation is one token, so nothing said inside
// a quote can be mistaken for its attribution.

// phrase is a speaker noun phrase as found in the text, before resolution.
type phrase struct {
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
	// nameA and nameB are the tokens of the name itself, without titles,
	// posts or a place, for a name phrase; 0, 0 otherwise.
	nameA, nameB int
}

func (np *phrase) roleOr() string {
	if np.role != "" {
		return np.role
	}
	return np.titleRole
}

// isNameTok says whether token i can be part of a capitalised name: an
// upper-case initial and not a function word that merely opens a sentence.
// A capitalised word that opens a sentence and that the article also
// writes in lower case ("Even", "Other", "Just") is layout, not a name,
// unless it is someone's surname ("May").
func (d *doc) isNameTok(i int) bool {
	if !d.isCapTok(i) {
		return false
	}
	f := d.flags(i)
	if f&(lexStop|lexTime) != 0 && f&lexTitle == 0 {
		return false
	}
	if f&(lexTitle|lexFirstName|lexRole|lexPlace|lexOrgName|lexOrgWord) == 0 && d.opensSentence(i) {
		lw := baseNoun(d.lw(i))
		// "Homeland Security Secretary": a capital word goes on
		if d.lowerSeen[lw] && !d.surnames[lw] && !d.isCapTok(i+1) {
			return false
		}
		// "Foremost", "Ultimately": adverbs no list can hold
		if (strings.HasSuffix(lw, "most") || strings.HasSuffix(lw, "ly")) && !d.surnames[lw] && !d.isCapTok(i+1) {
			return false
		}
	}
	return true
}

// opensSentence says whether token i is the first word of its sentence,
// where a capital says nothing about a name.
func (d *doc) opensSentence(i int) bool {
	if d.sentOf != nil && d.sentOf[i] >= 0 && d.sents[d.sentOf[i]].Start == i {
		return true
	}
	return i == 0 || d.toks[i-1].kind == tokPara
}

// isInitial says whether token i is a single capital letter, an initial
// whose full stop stays inside the name: "Michael J. Green".
func (d *doc) isInitial(i int) bool {
	if !d.isCapTok(i) {
		return false
	}
	t := d.toks[i]
	return t.e-t.s == 1
}

// possessive says whether word i ends in a singular possessive: a name
// with one ("Trump's") is the owner of what follows, not a speaker. A
// plural one stays inside names: "Childrens' Services", "Workers' Party".
func (d *doc) possessive(i int) bool {
	return d.isWord(i) && strings.HasSuffix(d.lw(i), "'s")
}

// capRunBack extends a run of capitalised name words backward from k (a
// capitalised word) down to no further than lo. Lower-case connectors and
// particles are kept only between capitalised words ("Department for
// Education", "Ursula von der Leyen"); the full stop of a title or an
// initial ("Sen. Mark Warner", "Michael J. Green") is kept with it. A
// possessive ends a run: in "Trump's campaign" the name is "Trump".
func (d *doc) capRunBack(lo, k int) int {
	j := k
	for j-1 >= lo {
		p := j - 1
		if d.isNameTok(p) && !d.possessive(p) {
			j = p
			continue
		}
		if d.isPunct(p, '.') && p-1 >= lo && (d.flags(p-1)&lexTitle != 0 || d.isInitial(p-1)) && d.isCapTok(p-1) {
			j = p - 1
			continue
		}
		// connectors: one or more lower-case words with a name word before
		c := p
		for c >= lo && (d.isWord(c) && !d.isCapTok(c) && d.flags(c)&lexConnector != 0 || d.isPunct(c, '&')) && p-c < 3 {
			c--
		}
		if c < p && c >= lo && d.isNameTok(c) && !d.possessive(c) {
			j = c
			continue
		}
		break
	}
	return j
}

// capRunFwd is capRunBack forward from a capitalised word at a, up to hi.
func (d *doc) capRunFwd(a, hi int) int {
	k := a
	for k+1 <= hi && !d.possessive(k) {
		n := k + 1
		if d.isNameTok(n) {
			k = n
			continue
		}
		if d.isPunct(n, '.') && (d.flags(k)&lexTitle != 0 || d.isInitial(k)) && n+1 <= hi && d.isNameTok(n+1) {
			k = n
			continue
		}
		c := n
		for c <= hi && (d.isWord(c) && !d.isCapTok(c) && d.flags(c)&lexConnector != 0 || d.isPunct(c, '&')) && c-n < 3 {
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

// classifyName turns a capitalised run [a, b] into a speaker: the titles
// and posts before the name ("Sen.", "Washington Gov.", "Deputy Attorney
// Gen.", "Keighley MP") are separated from it into the role, as are a post
// after it ("Robbie Moore MP") and the place a person is "of" ("Justin
// Trudeau of Canada"); what remains is judged a person, or an organisation
// (a country speaks as one).
func (d *doc) classifyName(a, b int, det bool) *phrase {
	np := &phrase{a: a, b: b}
	// "Roger Stone Jr.": a generational suffix is part of no surname
	for b > a && nameSuffixes[d.lw(b)] {
		b--
	}
	// "In January Smith said": a month or a day opens a run by accident
	for a < b && d.flags(a)&(lexTime|lexMonth) != 0 {
		a++
		np.a = a
	}
	ofPlace := ""
	if c := d.placeTail(a, b); c > a {
		ofPlace = d.textOf(c, b)
		b = c - 1
	}
	nameA := a
	// A role followed by "of", "for" or nothing names a post: "Chief
	// Executive of Bradford Council", "Children's Commissioner". Words
	// before it may still be a name: "Robbie Moore MP"; a name may follow
	// the post's object: "Secretary of State Mike Pompeo".
	for i := a; i <= b; i++ {
		f := d.flags(i)
		if f&lexRole == 0 || f&lexTitle != 0 || !(i == b || d.isWord(i+1) && !d.isCapTok(i+1) && d.flags(i+1)&lexConnector != 0) {
			continue
		}
		if i < b {
			if e := d.postObjectEnd(i+1, b); e > i+1 && e < b && d.isNameTok(e+1) && !d.hasOrgWord(e+1, b) {
				nameA = e + 1
				np.role = d.textOf(a, e)
				break
			}
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
	// Titles and posts before the name, in any order: the name starts
	// after the last of them that a name word follows.
	if nameA == a {
		for i := a; i < b; i++ {
			f := d.flags(i)
			if !d.isWord(i) || f&(lexRole|lexTitle) == 0 || f&lexTitle != 0 && !d.isCapTok(i) {
				continue
			}
			n := i + 1
			if f&lexTitle != 0 && d.isPunct(n, '.') {
				n++
			}
			// a capitalised particle opens names: "Rev. Al Greene"
			if n <= b && d.isNameTok(n) && d.flags(n)&(lexRole|lexTitle) == 0 && (d.flags(n)&lexConnector == 0 || d.isCapTok(n)) {
				nameA = n
			}
		}
	}
	// "the visit to Britain of President Trump": the post starts after a
	// connector that no post comes before
	pa := a
	for i := a + 1; i < nameA; i++ {
		if d.isWord(i) && d.lw(i) == "of" && d.flags(i-1)&lexPlace != 0 {
			pa = i + 1
		}
	}
	title := d.prefix(np, pa, nameA)
	if nameA > b {
		return nil
	}
	if ofPlace != "" {
		switch {
		case np.role != "":
			np.role += " " + ofPlace
		case np.titleRole != "":
			np.titleRole += " " + ofPlace
		}
	}
	words := 0
	orgish := false
	hasAnd := false
	allCapsOne := false
	places, nations := 0, 0
	for i := nameA; i <= b; i++ {
		if !d.isWord(i) {
			continue
		}
		words++
		lw := d.lw(i)
		f := lexicon[lw] | lexicon[baseNoun(lw)]
		if d.isCapTok(i) && f&(lexOrgWord|lexOrgName) != 0 && (!orgAcronyms[baseNoun(lw)] || d.upperCount(i) >= 2) {
			orgish = true
		}
		if f&(lexPlace|lexNation) != 0 || lw == "the" || lw == "of" {
			places++
		}
		if f&lexNation != 0 || lexicon[strings.TrimSuffix(lw, "s")]&lexNation != 0 {
			nations++
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
	if words == 1 && title == "" && nounKind(lexicon[baseNoun(lowerWord(d.w(nameA)))]) != SpeakerUnknown && d.flags(nameA)&(lexOrgName|lexFirstName) == 0 {
		return nil // "Campaigners", "Officials" opening a sentence
	}
	if nations > 0 && places == words {
		return nil // "British", "South Korean": an adjective, no one's name
	}
	name := d.textOf(nameA, b)
	if d.possessive(b) {
		name = stripPossessive(name)
	}
	np.nameA, np.nameB = nameA, b
	switch {
	case orgish || allCapsOne || places == words || (det && np.gender == 0 && title == ""):
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
			np.gender = firstNameGender(d.flags(nameA))
		}
		if words == 1 {
			np.short = true
			np.surname = name
			if title != "" {
				name = title + " " + name
			}
		} else {
			np.surname = stripPossessive(d.surnameOf(nameA, b))
			switch lowerWord(title) {
			case "dr", "prof", "professor", "sir", "dame", "lord", "lady", "baroness", "baron":
				name = title + " " + name
			}
		}
	}
	np.text = name
	return np
}

// prefix reads the titles and posts in [a, nameA) into np: the sex a title
// gives, the role ("Washington Governor", "Deputy Attorney General", the
// titles spelled out), or for titles alone the role they imply ("Senator",
// "Lieutenant Governor"). It returns the form of address right before the
// name ("Ms", "Dr"), which a surname alone keeps.
func (d *doc) prefix(np *phrase, a, nameA int) string {
	var parts, titleParts []string
	plain := false // a word that is no title: the prefix is a post
	title := ""
	for i := a; i < nameA; i++ {
		if !d.isWord(i) {
			continue
		}
		lw := d.lw(i)
		f := lexicon[lw]
		if f&lexTitle == 0 || !d.isCapTok(i) {
			parts = append(parts, d.w(i))
			plain = true
			title = ""
			continue
		}
		if f&lexFemale != 0 {
			np.gender = 'f'
		} else if f&lexMale != 0 {
			np.gender = 'm'
		}
		title = ""
		if r, ok := titleRoles[lw]; ok {
			parts = append(parts, r)
			titleParts = append(titleParts, r)
		} else {
			title = d.w(i)
		}
	}
	if plain {
		np.role = strings.Join(parts, " ")
	} else if len(titleParts) > 0 {
		np.titleRole = strings.Join(titleParts, " ")
	}
	return title
}

// placeTail finds "of" and a place ending the run [a, b] ("Justin Trudeau
// of Canada", "Chuck Schumer of New York"): the index of "of", or -1.
func (d *doc) placeTail(a, b int) int {
	for i := b - 1; i > a; i-- {
		if !d.isWord(i) {
			return -1
		}
		if d.lw(i) == "of" && !d.isCapTok(i) {
			if i+1 > b || d.flags(i-1)&lexRole != 0 {
				return -1 // "President of France" is a post
			}
			places := true
			for k := i + 1; k <= b; k++ {
				if d.flags(k)&lexPlace == 0 {
					places = false
				}
			}
			// "Marely Ramirez of Coronado": a given name and a surname,
			// then where they are from
			if !places && (i-a < 2 || d.hasOrgWord(a, b) || d.hasRole(a, b)) {
				return -1
			}
			return i
		}
	}
	return -1
}

// postObjectEnd reads the object of a post after its "of" ("of State",
// "of Homeland Security", "of the Treasury") starting at the connector c:
// the last token of the object, or c when none follows.
func (d *doc) postObjectEnd(c, b int) int {
	if !d.isWord(c) || d.lw(c) != "of" {
		return c
	}
	e := c
	for k := c + 1; k <= b && d.isWord(k) && postObjects[d.lw(k)]; k++ {
		e = k
	}
	return e
}

// upperCount is the number of capital letters in word i.
func (d *doc) upperCount(i int) int {
	n := 0
	for _, r := range d.w(i) {
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n
}

// firstNameGender is the sex a given name's lexicon entry gives, or 0.
func firstNameGender(f lexFlag) byte { return sexOf(f, lexFirstName) }

// sexOf is the sex the lexicon gives a word that is of kind (a title, a
// given name): 'f', 'm', or 0 for none or for a word of another kind.
func sexOf(f, kind lexFlag) byte {
	switch {
	case f&kind == 0:
		return 0
	case f&lexFemale != 0:
		return 'f'
	case f&lexMale != 0:
		return 'm'
	}
	return 0
}

// stripPossessive drops a trailing "'s" or "’s": "Trump's" → "Trump".
func stripPossessive(s string) string {
	for _, suf := range []string{"'s", "’s", "'S", "’S"} {
		if strings.HasSuffix(s, suf) {
			return s[:len(s)-len(suf)]
		}
	}
	if strings.HasSuffix(s, "s'") || strings.HasSuffix(s, "s’") {
		return strings.TrimRight(s, "'’")
	}
	return s
}

// surnameOf is the family name of a full name: from the first particle on
// ("von der Leyen"), else the last word.
func (d *doc) surnameOf(a, b int) string {
	for i := a + 1; i < b; i++ {
		if d.isWord(i) && !d.isCapTok(i) && d.flags(i)&lexParticle != 0 {
			return d.textOf(i, b)
		}
	}
	return d.w(b)
}

// nounPhraseBack grabs a common-noun speaker ending at k ("the watchdog",
// "council chiefs", "Walker's review"), or nil when the head is not a noun
// that can speak.
func (d *doc) nounPhraseBack(lo, k int) *phrase {
	head := baseNoun(d.lw(k))
	hf := lexicon[head]
	kind := nounKind(hf)
	if kind == SpeakerUnknown {
		return nil
	}
	if d.isCapTok(k) && d.flags(k)&lexOrgName != 0 {
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
		f := lexicon[lw]
		if f&lexDet != 0 {
			j = p
			det = lw
			break
		}
		if strings.HasSuffix(lw, "'s") || strings.HasSuffix(lw, "s'") {
			j = p
			if d.isWord(p-1) && d.flags(p-1)&lexDet != 0 {
				j = p - 1
				break
			}
			// "the prime minister's office": the owner's own words
			if !d.isCapTok(p) && d.isWord(p-1) && !d.isCapTok(p-1) && d.isWord(p-2) && d.lw(p-2) == "the" {
				j = p - 2
			}
			break
		}
		if f&(lexPrep|lexRel|lexAux|lexBe|lexPronoun) != 0 || (f&lexStop != 0 && f&lexConnector == 0) {
			break
		}
		if lw == "and" || lw == "or" || lw == "but" {
			break
		}
		j = p
	}
	np := &phrase{a: j, b: k, kind: kind, common: true}
	txt := d.textOf(j, k)
	// A sentence capital on a common word is layout, not part of a name:
	// "The report" is "the report", "Inspectors" is "inspectors".
	if fj := d.flags(j); d.isCapTok(j) && fj != 0 && fj&lexOrgName == 0 && !d.allCaps(j) {
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
	if spokes[head] && k-j >= 1 {
		c := k - 1
		for c-1 > j && d.isNameTok(c-1) {
			c--
		}
		// "one former Israeli official" is a person, not a body
		if d.isNameTok(c) && !(c == k-1 && d.flags(c)&lexNation != 0) {
			np.text = d.textOf(c, k-1)
			np.kind = SpeakerOrganisation
			np.role = d.w(k)
			np.plural = false
		}
	}
	return np
}

func (d *doc) allCaps(i int) bool {
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

// npBack finds the speaker phrase ending at token k (inclusive), not before
// lo. It returns nil when the words there cannot be a speaker.
func (d *doc) npBack(lo, k int) *phrase {
	if k < lo || !d.isWord(k) {
		return nil
	}
	lw := d.lw(k)
	f := lexicon[lw]
	if f&lexPronoun != 0 {
		return &phrase{a: k, b: k, pronoun: strings.TrimSuffix(lw, "'s"), text: lw}
	}
	if !d.isCapTok(k) || (nounKind(lexicon[baseNoun(lw)]) != SpeakerUnknown && lexicon[lw]&lexOrgName == 0 && !d.isNameTok(k-1)) {
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
	for j < k && d.flags(j)&(lexTime|lexMonth) != 0 {
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
	if !det && j-1 >= lo && d.isLowerTok(j-1) && d.flags(j-1)&lexRole != 0 {
		p := j - 1
		for p-1 >= lo && d.isWord(p-1) && j-p < 3 && d.flags(p-1)&(lexDet|lexPrep|lexStop|lexRel|lexAux|lexBe) == 0 && d.lw(p-1) != "and" && !d.verbLike(p-1) {
			p--
		}
		np.role = d.textOf(p, j-1)
		np.a = p
		if np.kind == SpeakerPerson && (lexicon[d.lw(j-1)]&lexOrgNoun != 0 || d.lw(j-1) == "watchdog" || d.lw(j-1) == "regulator") && np.short {
			np.kind = SpeakerOrganisation
			np.short = false
		}
	}
	return d.withSpokes(lo, np)
}

// withSpokes turns "a spokesperson for | Bradford Council" into the body
// the spokesperson speaks for, with the post as role.
func (d *doc) withSpokes(lo int, np *phrase) *phrase {
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
	if !spokes[sp] {
		return np
	}
	a := p - 1
	if d.isWord(a-1) && a-1 >= lo && d.flags(a-1)&lexDet != 0 {
		a--
	}
	if np.kind == SpeakerOrganisation {
		np.role = sp
		np.a = a
		np.generic = ""
		return np
	}
	// "a spokesman for Mueller" is not Mueller: a common noun phrase
	np.text = lowerFirst(d.textOf(a, np.b), d.flags(a))
	np.kind = SpeakerPerson
	np.role = sp
	np.a = a
	np.short = false
	np.pronoun = ""
	np.common = true
	np.nameA, np.nameB = 0, 0
	return np
}

// npFwd finds a speaker phrase starting at token a, not beyond hi (used
// after an inverted verb, "said Ms Haque", and after "according to").
func (d *doc) npFwd(a, hi int) *phrase {
	if a > hi || !d.isWord(a) {
		return nil
	}
	lw := d.lw(a)
	f := lexicon[lw]
	if f&lexPronoun != 0 {
		return &phrase{a: a, b: a, pronoun: strings.TrimSuffix(lw, "'s"), text: lw}
	}
	if f&lexDet != 0 || d.isLowerTok(a) {
		// "the report", "a spokesman for Acme", "officials"
		for k := a; k <= hi && k-a < 5 && d.isWord(k); k++ {
			if k > a && (lexicon[d.lw(k)]&(lexPrep|lexRel|lexBe) != 0) {
				break
			}
			if d.isCapTok(k) && k > a {
				// "the Department for Education": a capitalised name after "the"
				if lw == "the" && k == a+1 {
					e := d.capRunFwd(k, hi)
					// "the Trump campaign": a name that qualifies a noun
					if n := e + 1; n <= hi && d.isLowerTok(n) && nounKind(lexicon[baseNoun(d.lw(n))]) != SpeakerUnknown {
						if np := d.nounPhraseBack(a, n); np != nil {
							np.text = lowerFirst(d.textOf(a, n), lexDet)
							return np
						}
					}
					np := d.classifyName(k, e, true)
					if np != nil && np.text != "" {
						np.a = a
						np.b = e
						return np
					}
				}
				continue
			}
			if nounKind(lexicon[baseNoun(d.lw(k))]) != SpeakerUnknown {
				// the head is the last noun of a compound: "a South Korean
				// government official"
				for k+1 <= hi && d.isLowerTok(k+1) && nounKind(lexicon[baseNoun(d.lw(k+1))]) != SpeakerUnknown {
					k++
				}
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
	// "said 18-year-old Karina Gomez"
	if d.isWord(a) && strings.HasSuffix(d.lw(a), "-year-old") && d.isNameTok(a+1) {
		a++
	}
	if !d.isNameTok(a) {
		return nil
	}
	b := d.capRunFwd(a, hi)
	for b > a && d.flags(b)&lexTime != 0 {
		b--
	}
	if d.possessive(b) {
		return d.afterPossessive(a, b, hi)
	}
	// "Conservative leader Kemi Badenoch": a post before the name
	premod := ""
	for r := b + 1; r <= b+3 && r+1 <= hi && d.isLowerTok(r); r++ {
		// "White House press secretary Sarah Huckabee Sanders"
		if d.flags(r)&lexRole != 0 && d.isNameTok(r+1) {
			premod = d.textOf(a, r)
			a = r + 1
			b = d.capRunFwd(a, hi)
			break
		}
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
	if d.isPunct(b+1, '.') && nameSuffixes[d.lw(b)] {
		b++ // "Roger Stanton Jr., a former adviser"
	}
	if d.isPunct(b+1, ',') && np.role == "" {
		a := b + 2
		if d.isWord(a) && unicode.IsDigit(d.runes[d.toks[a].s]) && d.isPunct(a+1, ',') {
			a += 2
		}
		e := a
		for e <= hi && (d.isWord(e) && d.flags(e)&lexRel == 0 || d.innerStop(e)) {
			e++
		}
		if e-1 >= a && e-a <= 14 {
			first := d.flags(a)
			switch {
			case d.partyTag(a, e-1):
				np.role = d.tagged(np, d.textOf(a, e-1))
			case first&(lexDet|lexRole) != 0 || d.isCapTok(a) && d.hasRole(a, e-1):
				np.role = d.textOf(a, e-1)
			}
		}
	}
	return np
}

// tagged joins a party and state tag ("D-Ohio") to the post a title gives:
// "Senator, D-Ohio".
func (d *doc) tagged(np *phrase, tag string) string {
	if np.titleRole != "" {
		return np.titleRole + ", " + tag
	}
	return tag
}

func (d *doc) hasOrgWord(a, b int) bool {
	for i := a; i <= b; i++ {
		if d.isCapTok(i) && d.flags(i)&(lexOrgWord|lexOrgName) != 0 {
			return true
		}
	}
	return false
}

func (d *doc) hasRole(a, b int) bool {
	for i := a; i <= b; i++ {
		if d.flags(i)&lexRole != 0 {
			return true
		}
	}
	return false
}

// segmentName reads a comma-delimited segment [a, b] as "[and] [role] Name
// [(...)] [role]": the form of each name in "Charlotte Ramsden, CEO of ...,
// and Eileen Milner, chair of ..., said". It returns nil when the segment
// is not led or ended by a name.
func (d *doc) segmentName(a, b int) (np *phrase, and bool) {
	// "Roger J. Stone Jr.,": the abbreviation's full stop ends nothing
	if b > a && d.isPunct(b, '.') && d.isWord(b-1) && nameSuffixes[d.lw(b-1)] {
		b--
	}
	if a > b {
		return nil, false
	}
	if d.isWord(a) && d.lw(a) == "and" {
		and = true
		a++
	}
	if a > b || d.partyTag(a, b) {
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
		if np.kind == SpeakerPerson && !np.short && d.flags(np.a-1)&(lexPrep|lexConnector) == 0 {
			return np, and
		}
	}
	// a name first, then its post: "Cllr Mike Pollard (Con. Baildon) Deputy Chair of ..."
	if d.isNameTok(a) {
		e := d.capRunFwd(a, b)
		np := d.classifyName(a, e, false)
		if np == nil || np.text == "" || np.kind != SpeakerPerson || np.short && np.role == "" && d.flags(a)&lexTitle == 0 {
			return nil, and
		}
		rest := e + 1
		if rest <= b {
			// "Roberto Saravia from Los Angeles"
			from := d.isWord(rest) && (d.lw(rest) == "from" || d.lw(rest) == "of") && d.isCapTok(rest+1)
			if !(from || d.isPunct(rest, '(') || d.flags(rest)&lexRole != 0 || d.isCapTok(rest) && d.hasRole(rest, b)) {
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
func (d *doc) roleText(a, b int) string {
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
func (d *doc) subjectBefore(lo, v int) *phrase {
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
	// "Boris Johnson, who said …": the name the clause is about
	if d.isWord(k) && d.lw(k) == "who" && d.isPunct(k-1, ',') && k-2 >= lo {
		if np := d.npBack(lo, k-2); np != nil && np.kind == SpeakerPerson && np.text != "" && !np.common {
			return np
		}
	}
	np := d.npBack(lo, k)
	if np == nil {
		return nil
	}
	// "Jo Swinson, Liberal Democrat deputy leader and Foreign Affairs
	// spokesperson said": a post beside the name is no speaker of its own
	if np.text != "" && np.pronoun == "" && (np.common && np.kind == SpeakerPerson || spokes[strings.ToLower(np.role)]) {
		if st := d.segStartFrom(lo, np.a); d.isPunct(st-1, ',') && st-2 >= lo {
			if named, and := d.segmentName(d.segStartFrom(lo, st-2), st-2); named != nil && !and && named.kind == SpeakerPerson && !named.common && named.text != "" {
				named.role = d.textOf(st, k)
				return named
			}
		}
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
	if np.a-1 >= lo && d.isWord(np.a-1) && d.flags(np.a-1)&lexPrep != 0 && np.pronoun == "" {
		// "British Ambassador to the US Sir Kim Darroch said": a post and
		// its complement before the name
		if r := np.a - 2; np.kind == SpeakerPerson && !np.common && r >= lo && d.isCapTok(r) && d.flags(r)&lexRole != 0 {
			st := r
			for st-1 >= lo && d.isCapTok(st-1) {
				st--
			}
			e := np.nameA - 1
			for e > st && (d.isPunct(e, '.') || d.flags(e)&lexTitle != 0 && titleRoles[d.lw(e)] == "") {
				e--
			}
			np.role = d.textOf(st, e)
			np.a = st
			return np
		}
		// "in its report said": the subject is further back
		return d.clauseSubject(lo, v, false)
	}
	return np
}

// skipToSubject steps back from k over what can stand between a subject
// and its verb: auxiliaries, adverbs and time ("has also", "on Tuesday").
func (d *doc) skipToSubject(lo, k int) int {
	for k >= lo && d.isWord(k) {
		f := d.flags(k)
		if f&lexPronoun != 0 {
			break
		}
		lw := d.lw(k)
		switch {
		case f&lexAux != 0:
		case f&lexTime != 0 && !d.isNameTok(k-1):
		case (lw == "on" || lw == "last" || lw == "this" || lw == "earlier" || lw == "late") && d.flags(k+1)&lexTime != 0:
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
func (d *doc) appositive(lo, k int) *phrase {
	var roles []string
	var joint []*phrase
	var common *phrase // "its treasurer": a speaker only if no name turns up
	end := k - 1
	for seg := 0; seg < 6 && end >= lo; seg++ {
		start := end
		for start-1 >= lo && !d.isPunct(start-1, ',') && !d.isPunct(start-1, '–') && !d.isPunct(start-1, '—') && d.toks[start-1].kind != tokQuote && d.toks[start-1].kind != tokPara {
			start--
		}
		// the first segment of the clause: after a quote, a line or nothing
		first := start-1 < lo || d.toks[start-1].kind != tokPunct
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
					if r := roles[len(roles)-1]; len(r) > 2 && r[1] == '-' && np.titleRole != "" {
						np.role = np.titleRole + ", " + r // "Senator, R-Texas"
					}
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
			// a post, not an aside: "however", "in a statement"
			if f := d.flags(start); f&lexRel == 0 && !(end == start && d.toks[start].kind == tokWord && unicode.IsDigit(d.runes[d.toks[start].s])) &&
				(d.hasRole(start, end) || f&(lexDet|lexAdj) != 0 || d.possessive(start) || d.partyTag(start, end)) {
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
func (d *doc) roleBefore(lo, nameStart int) string {
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
	if d.flags(st)&(lexDet|lexAdj) == 0 && !d.isCapTok(st) {
		return ""
	}
	for i := st; i < c; i++ {
		if _, ok := cueWords[d.lw(i)]; ok {
			return ""
		}
	}
	txt := d.textOf(st, c-1)
	if d.flags(st)&lexDet != 0 && d.isCapTok(st) {
		r, size := utf8.DecodeRuneInString(txt)
		txt = string(unicode.ToLower(r)) + txt[size:]
	}
	return txt
}

// clauseSubject takes the first noun phrase of the clause that holds the
// verb at v: "Ofsted visited the Trust ... and in its report said", and
// the subject of a participle, "Ofsted rated the service ... saying".
func (d *doc) clauseSubject(lo, v int, sameClause bool) *phrase {
	// segments from the sentence start; the first that opens with a speaker
	start := lo
	for start < v {
		i := start
		for i < v && d.isWord(i) && d.flags(i)&lexStop != 0 && d.flags(i)&(lexDet|lexPronoun) == 0 {
			i++
		}
		end := i
		for end < v && !d.isPunct(end, ',') && d.toks[end].kind != tokQuote {
			end++
		}
		if sameClause && end < v {
			start = end + 1
			continue
		}
		if i < end && d.flags(start)&lexPrep == 0 {
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

// afterPossessive reads a subject that opens with an owner's name ending
// at b: the holder of the owner's post, named next ("Trump's campaign
// manager Brad Parscale") or after a comma ("Mr. Trump's new lawyer ...,
// Rudolph W. Giuliani,"). A subject such as "Trump's comments" names no
// speaker: nil.
func (d *doc) afterPossessive(a, b, hi int) *phrase {
	// the name may stand past the clause the caller looks at
	if si := d.sentOf[b]; si >= 0 {
		hi = max(hi, d.sents[si].End-1)
	}
	role := -1
	k := b + 1
	for ; k <= hi && k-b <= 12 && d.isWord(k); k++ {
		f := d.flags(k)
		if f&lexRole != 0 && f&lexTitle == 0 {
			role = k
			if d.isNameTok(k + 1) {
				e := d.capRunFwd(k+1, hi)
				if np := d.classifyName(k+1, e, false); np != nil && np.kind == SpeakerPerson && np.text != "" {
					if np.role == "" {
						np.role = d.textOf(a, k)
					}
					np.a = a
					return np
				}
			}
			continue
		}
		if d.isCapTok(k) || f&(lexRel|lexBe|lexAux) != 0 {
			break
		}
	}
	if role < 0 || !d.isPunct(k, ',') || !d.isNameTok(k+1) {
		return nil
	}
	e := d.capRunFwd(k+1, hi)
	np := d.classifyName(k+1, e, false)
	if np == nil || np.kind != SpeakerPerson || np.text == "" {
		return nil
	}
	if np.role == "" {
		np.role = d.textOf(a, k-1)
	}
	np.a = a
	return np
}

// partyTag says whether tokens [a, b] are a party and state tag: "D-Ohio",
// "R-N.Y.", "I-Vt.".
func (d *doc) partyTag(a, b int) bool {
	if !d.isWord(a) {
		return false
	}
	w := d.w(a)
	if len(w) < 3 || w[1] != '-' || !strings.ContainsRune("DRI", rune(w[0])) || !unicode.IsUpper(rune(w[2])) {
		return false
	}
	for i := a + 1; i <= b; i++ {
		if d.isWord(i) {
			return false
		}
	}
	return true
}

// innerStop says whether token i is the full stop of a title or an initial
// inside a phrase ("a spokesman for Mr. Moon"), which ends nothing.
func (d *doc) innerStop(i int) bool {
	return d.isPunct(i, '.') && d.isWord(i-1) && (d.flags(i-1)&lexTitle != 0 && d.isCapTok(i-1) || d.isInitial(i-1) || strings.Contains(d.w(i-1), ".") && IsAbbreviation(d.w(i-1))) && d.isWord(i+1)
}

// segStartFrom is the first token of the comma-delimited segment that
// holds token e, not before lo.
func (d *doc) segStartFrom(lo, e int) int {
	st := e
	for st-1 >= lo && !d.isPunct(st-1, ',') && d.toks[st-1].kind != tokQuote && d.toks[st-1].kind != tokPara {
		st--
	}
	return st
}
