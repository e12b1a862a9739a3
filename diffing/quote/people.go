package quote

import (
	"strings"
	"unicode"
)

// The people an article names: one entry per person, however the text
// refers to them ("President Donald Trump", "Mr. Trump", "Trump"), with
// the posts it gives them, so that every quote of one person carries one
// speaker, and "the president" can be resolved to the person the article
// says holds that post.

// person is someone the article names.
type person struct {
	// name is the fullest form the article gives: "Donald Trump"; for a
	// person only ever named by surname, the surname ("Trump"), or with
	// its form of address when the text never drops it ("Ms Okafor").
	name    string
	full    bool   // name has a given name
	words   int    // words in name, initials not counted
	surname string // lower-case family name: "trump", "von der leyen"
	given   string // lower-case first word of a full name
	gender  byte
	posts   [][]string // each post the article gives, lower-case words
	role    string     // the first post as the text writes it
	// mentions counts the references by name; first and last are the
	// tokens of the first and the last.
	mentions    int
	first, last int
	// titled is a surname-only person's name with its form of address,
	// used as the name while the text never writes the bare surname.
	titled string
	bare   bool
	// strong says the text shows this is a person, not a place or a
	// thing with a capitalised name: a title, a post, a given name.
	strong bool
}

// isHeadline says whether token i is in a paragraph set in title case: a
// headline's capitals run every word into one "name", so none is taken
// from there.
func (d *doc) isHeadline(i int) bool {
	if d.headline == nil {
		d.markHeadlines()
	}
	p := d.paraOf(i)
	return p >= 0 && d.headline[p]
}

// paraOf is the paragraph that holds token i, or -1.
func (d *doc) paraOf(i int) int {
	if i < 0 || i >= len(d.toks) {
		return -1
	}
	pos := int(d.toks[i].s)
	lo, hi := 0, len(d.paras)
	for lo < hi {
		m := (lo + hi) / 2
		if d.paras[m].End <= pos {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(d.paras) && d.paras[lo].Start <= pos {
		return lo
	}
	return -1
}

// markHeadlines marks the paragraphs set in title case: at least four
// words, and most words of four letters or more capitalised.
func (d *doc) markHeadlines() {
	d.headline = make([]bool, len(d.paras))
	for pi, p := range d.paras {
		long, caps, words := 0, 0, 0
		inWord := false
		start := 0
		for i := p.Start; i <= p.End; i++ {
			w := i < p.End && unicode.IsLetter(d.runes[i])
			if w && !inWord {
				start = i
			}
			if !w && inWord {
				words++
				if i-start >= 4 {
					long++
					if unicode.IsUpper(d.runes[start]) {
						caps++
					}
				}
			}
			inWord = w
		}
		// mostly capitals, and all of them unless no full stop ends it:
		// not "President Donald Drummond met the press on Monday."
		ends := d.runes[p.End-1] == '.'
		d.headline[pi] = words >= 4 && long >= 4 && caps*20 >= long*17 && (!ends || caps == long)
	}
}

// buildPeople lists the people the article names. Full names come first;
// a surname alone ("Mr. Kim", "Trump") is then linked to the full name
// with that surname the article gives nearest before it (or, failing
// that, after it: a headline's "Trump" is the body's "Donald Trump").
func (d *doc) buildPeople() {
	d.personAt = map[int]int{}
	d.surnames = map[string]bool{}
	type short struct {
		np  *phrase
		end int // last token of the mention
	}
	var shorts []short
	bySurname := map[string][]int{}
	for i := 0; i < len(d.toks); i++ {
		if !d.isCapTok(i) || !d.isNameTok(i) || d.isHeadline(i) {
			continue
		}
		e := d.capRunFwd(i, len(d.toks)-1)
		for _, r := range d.splitAnd(i, e) {
			np := d.classifyName(r[0], r[1], d.isWord(r[0]-1) && d.lw(r[0]-1) == "the")
			if np == nil || np.kind != SpeakerPerson || np.text == "" || np.plural {
				continue
			}
			// a post in lower case before the name: "North Korean dictator
			// Kim Jong Un", "the C.I.A. director Mike Pompeo"
			if np.roleOr() == "" && d.isLowerTok(r[0]-1) && d.flags(r[0]-1)&lexRole != 0 {
				if nb := d.npBack(max(0, r[0]-4), r[1]); nb != nil && nb.kind == SpeakerPerson && nb.role != "" {
					np.role = nb.role
				}
			}
			if np.short {
				shorts = append(shorts, short{np, np.nameB})
				continue
			}
			pi := d.matchFull(np, bySurname)
			if pi < 0 {
				pi = len(d.people)
				d.people = append(d.people, person{surname: lowerWord(np.surname), first: np.nameB})
				bySurname[d.people[pi].surname] = append(bySurname[d.people[pi].surname], pi)
			}
			d.mention(pi, np)
		}
		i = e
	}
	// Surnames alone, now that every full name is known.
	for _, s := range shorts {
		sur := lowerWord(s.np.surname)
		pi := d.nearest(bySurname[sur], s.end, s.np.gender)
		if pi < 0 {
			// "Mr. Kim" for "Kim Jong Un": a family name given first
			pi = d.nearestGiven(sur, s.end, s.np.gender, bySurname)
		}
		if pi < 0 {
			pi = len(d.people)
			d.people = append(d.people, person{surname: sur, first: s.end})
			bySurname[sur] = append(bySurname[sur], pi)
		}
		d.mention(pi, s.np)
	}
	for i := range d.people {
		p := &d.people[i]
		if !p.full {
			p.name = p.titled
			if p.bare {
				p.name = lastWordOf(p.titled)
			}
		}
		for _, w := range strings.Fields(p.surname) {
			d.surnames[w] = true
		}
	}
}

// splitAnd cuts a run at an "and" between two people's names ("Mr. Moon
// and Mr. Kim"); a body's name with "and" in it stays whole.
func (d *doc) splitAnd(a, b int) [][2]int {
	for i := a + 1; i < b; i++ {
		if !d.isWord(i) || d.lw(i) != "and" && d.lw(i) != "&" {
			continue
		}
		if d.hasOrgWord(a, b) {
			break
		}
		return append([][2]int{{a, i - 1}}, d.splitAnd(i+1, b)...)
	}
	return [][2]int{{a, b}}
}

// matchFull finds the person a full name belongs to: same surname, a
// compatible given name, no contrary sex. -1 when it is someone new.
func (d *doc) matchFull(np *phrase, bySurname map[string][]int) int {
	given := lowerWord(d.w(np.nameA))
	for _, pi := range bySurname[lowerWord(np.surname)] {
		p := &d.people[pi]
		if p.gender != 0 && np.gender != 0 && p.gender != np.gender {
			continue
		}
		if p.given == "" || compatibleGiven(p.given, given) {
			return pi
		}
	}
	return -1
}

// nearest is, of the people in list, the one of sex g (or unknown) whose
// first mention is the latest before token at, else the first after it.
func (d *doc) nearest(list []int, at int, g byte) int {
	best, after := -1, -1
	for _, pi := range list {
		p := &d.people[pi]
		if g != 0 && p.gender != 0 && g != p.gender {
			continue
		}
		if p.first < at {
			if best < 0 || p.first > d.people[best].first {
				best = pi
			}
		} else if after < 0 || p.first < d.people[after].first {
			after = pi
		}
	}
	if best >= 0 {
		return best
	}
	return after
}

// nearestGiven links a lone word to a full name that starts with it, the
// order of Korean and Chinese names ("Kim" in "Kim Jong Un", "Xi" in "Xi
// Jinping"), when no one in the article has it as a last name.
func (d *doc) nearestGiven(w string, at int, g byte, bySurname map[string][]int) int {
	if len(bySurname[w]) > 0 {
		return -1
	}
	var list []int
	for pi := range d.people {
		if p := &d.people[pi]; p.full && p.strong && p.given == w {
			list = append(list, pi)
		}
	}
	return d.nearest(list, at, g)
}

// mention records a reference by name to person pi.
func (d *doc) mention(pi int, np *phrase) {
	p := &d.people[pi]
	d.personAt[np.nameB] = pi
	p.mentions++
	p.last = np.nameB
	if np.gender != 0 && p.gender == 0 {
		p.gender = np.gender
	}
	if np.gender != 0 || np.roleOr() != "" || d.flags(np.nameA)&lexFirstName != 0 || koreanGiven(d.lw(np.nameB)) {
		p.strong = true
	}
	if !np.short {
		words := 0
		for i := np.nameA; i <= np.nameB; i++ {
			if d.isWord(i) && !d.isInitial(i) {
				words++
			}
		}
		// the fullest form: "Sarah Huckabee Sanders" over "Sarah Sanders"
		if !p.full || words > p.words {
			p.name, p.words, p.full = np.text, words, true
			p.given = lowerWord(d.w(np.nameA))
		}
	} else {
		if p.titled == "" {
			p.titled = np.text
		}
		if np.text == np.surname {
			p.bare = true
		}
	}
	role := np.roleOr()
	if role == "" {
		role = d.appositivePost(np)
	}
	if role != "" {
		p.addPost(role)
		p.strong = true
	}
}

// appositivePost reads a post given beside a name between commas: "Tom
// Perez, the chairman of the Democratic Party,", "The defense minister,
// Itsunori Onodera,".
func (d *doc) appositivePost(np *phrase) string {
	if d.isPunct(np.b+1, ',') {
		a := np.b + 2
		e := a
		for e < len(d.toks) && e-a < 16 && (d.isWord(e) && d.flags(e)&lexRel == 0 || d.innerStop(e)) {
			e++
		}
		if e > a && (d.flags(a)&(lexDet|lexAdj|lexRole) != 0 || d.possessive(a)) && d.hasRole(a, e-1) {
			return lowerFirst(d.textOf(a, e-1), d.flags(a))
		}
	}
	if d.isPunct(np.a-1, ',') && d.isPunct(np.nameB+1, ',') {
		e := np.a - 2
		a := e
		for a-1 >= 0 && d.isWord(a-1) && e-a < 8 {
			a--
		}
		if a <= e && d.flags(a)&lexDet != 0 && d.hasRole(a, e) && (a == 0 || !d.isWord(a-1)) && !d.hasVerb(a, e) {
			return lowerFirst(d.textOf(a, e), d.flags(a))
		}
	}
	return ""
}

// addPost records a post, once.
func (p *person) addPost(role string) {
	ws := postWords(role)
	if len(ws) == 0 {
		return
	}
	if p.role == "" {
		p.role = role
	}
	for _, q := range p.posts {
		if strings.Join(q, " ") == strings.Join(ws, " ") {
			return
		}
	}
	p.posts = append(p.posts, ws)
}

// postWords are the lower-case words of a post, without determiners,
// possessives and punctuation: "the president of the United States" →
// president of united states.
func postWords(role string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(lowerWord(role), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' || r == '.')
	}) {
		w = strings.Trim(w, "'.-")
		if w == "" || lexicon[w]&lexDet != 0 || strings.HasSuffix(w, "'s") {
			continue
		}
		out = append(out, w)
	}
	return out
}

// compatibleGiven says whether two given names can be one person's: the
// same, an initial of the other ("J" and "John"), or a usual short form
// ("Mike" and "Michael").
func compatibleGiven(x, y string) bool {
	x, y = strings.TrimSuffix(x, "."), strings.TrimSuffix(y, ".")
	if x == y {
		return true
	}
	if len([]rune(x)) == 1 && strings.HasPrefix(y, x) || len([]rune(y)) == 1 && strings.HasPrefix(x, y) {
		return true
	}
	return nicknames[x] == y || nicknames[y] == x || nicknames[x] != "" && nicknames[x] == nicknames[y]
}

// nicknames maps a usual short form of a given name to the full one.
var nicknames = map[string]string{}

func init() {
	for _, pair := range strings.Fields("mike:michael bill:william billy:william will:william bob:robert bobby:robert rob:robert robbie:robert " +
		"jim:james jimmy:james jamie:james tom:thomas tommy:thomas dick:richard rick:richard rich:richard chuck:charles charlie:charles " +
		"joe:joseph dan:daniel danny:daniel dave:david steve:stephen steven:stephen chris:christopher matt:matthew nick:nicholas " +
		"pete:peter tony:anthony andy:andrew drew:andrew ben:benjamin sam:samuel ed:edward ted:edward teddy:edward ken:kenneth " +
		"larry:lawrence jerry:gerald rudy:rudolph bernie:bernard don:donald liz:elizabeth beth:elizabeth betsy:elizabeth kate:katherine " +
		"kathy:katherine katie:katherine sue:susan jen:jennifer jenny:jennifer debbie:deborah deb:deborah becky:rebecca " +
		"pat:patricia patty:patricia peggy:margaret maggie:margaret meg:margaret jeff:jeffrey greg:gregory alex:alexander al:albert " +
		"hank:henry harry:henry jack:john johnny:john jon:jonathan fred:frederick frank:francis gene:eugene vince:vincent mitch:mitchell") {
		k, v, _ := strings.Cut(pair, ":")
		nicknames[k] = v
	}
}

// lowerFirst lower-cases the capital a sentence start gave a determiner:
// "The defense minister" → "the defense minister".
func lowerFirst(s string, f lexFlag) string {
	if f&lexDet == 0 || s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// lastWordOf is the last space-separated word of s.
func lastWordOf(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

// personOf is the person a name phrase refers to, or nil.
func (d *doc) personOf(np *phrase) *person {
	if np == nil || np.kind != SpeakerPerson || np.text == "" || np.common || np.plural || np.pronoun != "" {
		return nil
	}
	if pi, ok := d.personAt[np.nameB]; ok {
		return &d.people[pi]
	}
	return nil
}

// holder finds the person the article says holds the post a common noun
// phrase names ("the president", "Israel's prime minister", "the
// senator"), or nil: the post's head noun must match, and its other words
// be among the post's. Of several holders the most mentioned wins: in US
// news "the president" is the one the story is about.
func (d *doc) holder(np *phrase) *person {
	if np == nil || !np.common || np.kind != SpeakerPerson || np.plural {
		return nil
	}
	head := baseNoun(d.lw(np.b))
	if lexicon[head]&lexRole == 0 {
		return nil
	}
	// "a spokesman" is someone new; "the spokesman" someone known
	if first := d.lw(np.a); first == "a" || first == "an" || first == "one" || first == "another" {
		return nil
	}
	var mods []string
	for i := np.a; i < np.b; i++ {
		if !d.isWord(i) || d.possessive(i) {
			continue
		}
		lw := d.lw(i)
		f := lexicon[lw]
		if f&(lexDet|lexAdj) != 0 || lw == "former" || lw == "then" {
			continue
		}
		mods = append(mods, lw)
	}
	var best *person
	var all []*person
	for pi := range d.people {
		p := &d.people[pi]
		if !holds(p, head, mods, head == "president" && len(mods) == 0) {
			continue
		}
		all = append(all, p)
		if best == nil || p.mentions > best.mentions {
			best = p
		}
	}
	if len(all) > 1 {
		// the holder the text is about just now: "Still, Mr. Trump
		// welcomed what Mr. Kim said. "…," the president said"
		for i := len(d.ents) - 1; i >= 0 && i >= len(d.ents)-maxEnts && d.words(d.ents[i].tok, np.a) < 200; i-- {
			for _, p := range all {
				if d.ents[i].name == p.name {
					return p
				}
			}
		}
	}
	return best
}

// holds says whether one of p's posts has the head noun head and every
// word of mods. With home set, a post qualified by a country other than
// the United States does not count: news calls only its own country's
// president "the president", whatever other presidents the story names.
func holds(p *person, head string, mods []string, home bool) bool {
	for _, post := range p.posts {
		if home && foreignPost(post) {
			continue
		}
		i := -1
		for k, w := range post {
			if baseNoun(w) == head {
				i = k
			}
		}
		if i < 0 {
			continue
		}
		ok := true
		for _, m := range mods {
			found := false
			for _, w := range post {
				if w == m || strings.HasPrefix(w, m) || strings.HasPrefix(m, w) && len(w) >= 4 {
					found = true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// maxCoordinated is how many tokens may stand between the first name of
// "X and Y said" and the second's: "and the country's Trade Minister".
const maxCoordinated = 6

// noteCoordinated records, after the subject second (resolved as r) of a
// sentence, the pair first and second when the sentence names them as one
// subject ("Prime Minister Malcolm Turnbull and the country's Trade
// Minister Steven Ciobo welcomed the exemption"): a "they" after it is the
// two of them. Without it "they" went back past them to the last group
// the article named ("Trump administration officials").
func (d *doc) noteCoordinated(first, second *phrase, r resolved) {
	if first == nil || r.kind != SpeakerPerson || second.a-first.b > maxCoordinated || !d.isWord(first.b+1) || d.lw(first.b+1) != "and" {
		return
	}
	f := d.resolve(first, first.b)
	if f.speaker == "" || f.kind != SpeakerPerson || f.speaker == r.speaker {
		return
	}
	both := &phrase{a: first.a, b: second.b, text: f.speaker + " and " + r.speaker, kind: SpeakerGroup, plural: true}
	d.note(resolved{speaker: both.text, kind: SpeakerGroup, conf: r.conf}, both, second.b, false)
}

// noteSubject records the person a sentence is about, for a later "he" or
// "she": a pronoun subject again ("And he has tweeted"), a post the
// article has named the holder of ("The president has been critical"),
// the first person named as the subject of a verb ("In his meeting with
// Mr. Abe, Mr. Trump projected optimism"; "While Mr. Abe lavished praise
// ..., he"; "The defense minister, Itsunori Onodera, who ..., said"), or,
// failing that, the owner who opens the sentence ("Mr. Trump's comments
// suggested he ..."). A sentence that opens with a quote is about whoever
// its reporting verb names, which findCues records.
func (d *doc) noteSubject(s Span) {
	if s.Start >= len(d.toks) || d.toks[s.Start].kind == tokQuote || d.isHeadline(s.Start) {
		return
	}
	i0 := s.Start
	for i0 < s.End && d.isWord(i0) && openers[d.lw(i0)] {
		i0++
	}
	if d.isWord(i0) {
		switch lw := d.lw(i0); {
		case lw == "he" || lw == "she":
			if d.verbAfter(i0, s.End) {
				np := &phrase{a: i0, b: i0, pronoun: lw, text: lw}
				d.note(d.resolve(np, i0), np, i0, false)
			}
			return
		case lw == "the":
			if np := d.npFwd(i0, min(s.End-1, i0+8)); np != nil && np.common && d.holder(np) != nil && d.verbAfter(np.b, s.End) {
				d.note(d.resolve(np, np.b), np, np.b, false)
				return
			}
		}
	}
	var owner, before *phrase
	for i := s.Start; i < s.End; i++ {
		if d.toks[i].kind == tokQuote {
			return
		}
		// A possessive ends a name: "Australia's Prime Minister Malcolm
		// Turnbull" is a place's and a person's.
		if !d.isNameTok(i) || i > s.Start && d.isNameTok(i-1) && !d.possessive(i-1) {
			continue
		}
		e := d.capRunFwd(i, s.End-1)
		np := d.classifyName(i, e, d.isWord(i-1) && d.lw(i-1) == "the")
		if np == nil || np.kind != SpeakerPerson || np.text == "" || np.plural {
			i = e
			continue
		}
		if d.possessive(e) {
			if owner == nil && d.startsClause(s, i) {
				owner = np
			}
			i = e
			continue
		}
		if d.verbAfter(e, s.End) {
			r := d.resolve(np, np.b)
			d.note(r, np, np.b, false)
			d.noteCoordinated(before, np, r)
			return
		}
		before = np
		i = e
	}
	if owner != nil {
		d.note(d.resolve(owner, owner.b), owner, owner.b, false)
	}
}

// startsClause says whether token i opens sentence s, but for openers
// ("But Mr. Trump's ...").
func (d *doc) startsClause(s Span, i int) bool {
	for k := s.Start; k < i; k++ {
		if !d.isWord(k) || !openers[d.lw(k)] {
			return false
		}
	}
	return true
}

// verbAfter says whether a verb follows a name ending at token e, at once
// ("Trump said", "Mr. Abe lavished", "Trump has"), after an adverb
// ("Trump unexpectedly accepted") or after an aside in commas ("Mr.
// Pompeo, who is awaiting confirmation, has been").
func (d *doc) verbAfter(e, end int) bool {
	k := e + 1
	for asides := 0; d.isPunct(k, ',') && asides < 3; asides++ {
		// an aside: a relative clause, an age, or a post ("Heather Cronk,
		// co-director of ..., one of several groups ..., traveled")
		c := k + 1
		if asides == 0 && !(d.flags(c)&(lexRel|lexDet|lexAdj) != 0 || d.isWord(c) && unicode.IsDigit(d.runes[d.toks[c].s])) {
			ok := false
			for r := c; r < end && r-c < 8 && d.isWord(r); r++ {
				if d.flags(r)&lexRole != 0 || strings.ContainsRune(d.lw(r), '-') && hasRoleSuffix(d.lw(r)) {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		for c < end && c-k < 30 && !d.isPunct(c, ',') && d.toks[c].kind != tokQuote {
			c++
		}
		if !d.isPunct(c, ',') {
			return false
		}
		if d.verbAt(c+1, end) {
			return true
		}
		k = c // another aside may follow
	}
	return d.verbAt(k, end)
}

// verbAt says whether a verb, perhaps after an adverb, starts at token k.
func (d *doc) verbAt(k, end int) bool {
	if d.isLowerTok(k) && strings.HasSuffix(d.lw(k), "ly") && lexicon[d.lw(k)] == 0 {
		k++
	}
	return k < end && d.verbLike(k)
}

// verbLike says whether token i looks like a finite verb: an auxiliary, a
// reporting verb, a common irregular past, or a lower-case word in -ed or
// -s. It is a guess, good enough to tell "Trump said" from "Trump Tower"
// and "Mr. Abe, Mr. Trump".
func (d *doc) verbLike(i int) bool {
	if !d.isLowerTok(i) {
		return false
	}
	lw := d.lw(i)
	f := lexicon[lw]
	if f&(lexBe|lexAux) != 0 && f&lexTime == 0 {
		return true
	}
	if _, ok := cueWords[lw]; ok || pastVerbs[lw] {
		return true
	}
	if f&(lexDet|lexPrep|lexConnector|lexRel|lexStop|lexPronoun|lexRole|lexOrgWord) != 0 || strings.HasSuffix(lw, "'s") || nounKind(f) != SpeakerUnknown {
		return false
	}
	return len(lw) > 3 && (strings.HasSuffix(lw, "ed") || strings.HasSuffix(lw, "s") && !strings.HasSuffix(lw, "ss") && !strings.HasSuffix(lw, "us"))
}

// pastVerbs are common irregular verb forms that end in neither -ed nor -s.
var pastVerbs = map[string]bool{}

func init() {
	for _, w := range strings.Fields("said told wrote spoke met made took gave went came got saw knew thought felt found left led held kept sent put " +
		"began become became brought bought built chose drew drove fell fought flew forgot froze grew hid hit hung laid lost meant paid ran rose " +
		"sang sat shook shot shut slept sold sought spent stood stole struck swore taught tore threw understood won withdrew wore can could " +
		"will would should may might must did do does say tell think want need hope plan") {
		pastVerbs[w] = true
	}
}

// openers are words that open a sentence before its subject, or before a
// clause whose subject the sentence is about.
var openers = map[string]bool{}

func init() {
	for _, w := range strings.Fields("but and or so yet still also however meanwhile now then instead indeed later earlier even just only " +
		"while when whereas although though because since if as once until unless after before whether") {
		openers[w] = true
	}
}

// foreignPost says whether a post is qualified by anything but the United
// States: "president of South Korea", "south korean president".
func foreignPost(post []string) bool {
	for _, w := range post {
		switch w {
		case "u.s", "us", "united", "states", "america", "american", "of", "the", "former", "then":
			continue
		}
		if lexicon[w]&lexRole != 0 {
			continue
		}
		return true
	}
	return false
}

// hasRoleSuffix says whether a hyphenated word ends in a post:
// "co-director", "vice-president".
func hasRoleSuffix(w string) bool {
	i := strings.LastIndexByte(w, '-')
	return i >= 0 && lexicon[w[i+1:]]&lexRole != 0
}

// hasVerb says whether a verb stands among tokens [a, b]: a clause, not a
// post ("The US President had been warned by London's mayor").
func (d *doc) hasVerb(a, b int) bool {
	for i := a; i <= b; i++ {
		if d.isLowerTok(i) && d.flags(i)&(lexBe|lexAux) != 0 {
			return true
		}
	}
	return false
}

// bodyRole says whether a description is a body's, not a person's: its
// head noun ("a South Korean newspaper", "a government watchdog group")
// is an organisation, not a post ("the campaign manager").
func bodyRole(role string) bool {
	head := lexFlag(0)
	for _, w := range strings.Fields(lowerWord(role)) {
		f := lexicon[strings.Trim(w, ".,")]
		if f&(lexPrep|lexRel) != 0 {
			break
		}
		if f&(lexRole|lexOrgNoun|lexGroupNoun|lexPersonNoun) != 0 {
			head = f
		}
	}
	return head&lexOrgNoun != 0 && head&(lexRole|lexPersonNoun) == 0
}

// koreanGiven says whether a word is a hyphenated given name as Korean
// names are romanised ("Jong-un", "Jae-in"): the name before it is a
// person's, with the family name first.
func koreanGiven(w string) bool {
	i := strings.IndexByte(w, '-')
	return i > 0 && i < len(w)-1 && len(w) <= 9 && !strings.Contains(w[i+1:], "-") && lexicon[w[:i]] == 0
}
