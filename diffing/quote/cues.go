package quote

import (
	"sort"
	"strings"
)

// Cues and attribution: the reporting expressions ("said", "told",
// "according to", a colon after a name), the quote each one reports, and
// quotes joined across an interrupting attribution or carried on from the
// paragraph before.

// cueInfo is what a reporting verb's form says about how it reports.
type cueInfo struct {
	part bool // a participle: the subject is the clause's ("..., adding")
	inv  bool // may come before its subject: "said Ms Haque"
	weak bool // reports speech only right next to a quote: "he continued"
	pp   bool // a past participle: after "was" it is passive
	near bool // reports only a quote a few words on: called the bill "..."
}

var cueWords = map[string]cueInfo{
	"said": {inv: true, pp: true}, "says": {inv: true}, "say": {}, "saying": {part: true},
	"told": {pp: true}, "tells": {}, "telling": {part: true},
	"added": {inv: true, pp: true}, "adds": {inv: true}, "adding": {part: true},
	"explained": {inv: true, pp: true}, "explains": {inv: true}, "explaining": {part: true},
	"warned": {inv: true, pp: true}, "warns": {inv: true}, "warning": {part: true},
	"admitted": {inv: true, pp: true}, "admits": {inv: true}, "admitting": {part: true},
	"stated": {inv: true, pp: true}, "states": {}, "stating": {part: true},
	"wrote": {inv: true}, "writes": {inv: true}, "writing": {part: true},
	"read": {inv: true, weak: true}, "reads": {inv: true, weak: true},
	"insisted": {inv: true, pp: true}, "insists": {inv: true}, "insisting": {part: true},
	"claimed": {inv: true, pp: true}, "claims": {inv: true}, "claiming": {part: true},
	"argued": {inv: true, pp: true}, "argues": {inv: true}, "arguing": {part: true},
	"noted": {inv: true, pp: true}, "notes": {}, "noting": {part: true},
	"acknowledged": {pp: true}, "acknowledges": {}, "acknowledging": {part: true},
	"confirmed": {pp: true}, "confirms": {},
	"continued": {inv: true, weak: true}, "continues": {inv: true, weak: true},
	"concluded": {inv: true, pp: true}, "concludes": {inv: true},
	"remarked": {inv: true, weak: true}, "commented": {inv: true, weak: true},
	"replied": {inv: true, weak: true}, "responded": {weak: true},
	"asked": {inv: true, weak: true, pp: true}, "asks": {inv: true, weak: true},
	"urged": {pp: true}, "urges": {}, "urging": {part: true},
	"vowed": {pp: true}, "vows": {}, "vowing": {part: true},
	"pledged": {pp: true}, "pledges": {}, "pledging": {part: true},
	"promised": {pp: true}, "promises": {}, "promising": {part: true},
	"suggested": {pp: true}, "suggests": {},
	"declared": {inv: true, pp: true}, "declares": {inv: true},
	"observed": {inv: true, pp: true},
	"stressed": {pp: true}, "stresses": {}, "stressing": {part: true},
	"recalled": {inv: true, weak: true}, "recalls": {inv: true, weak: true},
	"tweeted": {inv: true}, "tweets": {inv: true}, "posted": {}, "posts": {},
	"found": {pp: true}, "finds": {},
	"reported":    {pp: true},
	"highlighted": {pp: true}, "highlights": {},
	"described": {pp: true}, "describes": {}, "describing": {part: true},
	"pointed": {}, "points": {}, "point": {}, "pointing": {part: true},
	"called": {pp: true, near: true}, "calls": {near: true}, "calling": {part: true, near: true},
	"branded": {pp: true, near: true}, "brands": {near: true}, "branding": {part: true, near: true},
	"accused": {pp: true, near: true}, "accuses": {near: true}, "accusing": {part: true, near: true},
	"according": {},
}

// cueWindow bounds, in tokens, how far from a quote a cue is looked for,
// and how far back a name is looked for; far beyond any real sentence.
const cueWindow = 120

// cue is a reporting expression and the speaker it names.
type cue struct {
	tok   int // the verb, the colon, or "according"
	a, b  int // tokens covered by the cue and its subject
	word  string
	part  bool
	weak  bool
	near  bool
	colon bool
	np    *phrase
	res   resolved
	intro bool // directly introduces the quote after it ("said:", "said")
	// words after the cue up to punctuation, and whether a quote ends them
	tailWords int
	tailQuote bool
}

// findCues finds every reporting expression in the text, in order, with
// its subject resolved against the speakers met before it.
func (d *doc) findCues() {
	d.gender = map[string]byte{}
	for i := range d.toks {
		si := d.sentOf[i]
		if si < 0 {
			continue
		}
		s := d.sents[si]
		if i == s.Start {
			d.noteSubject(s)
		}
		if d.isPunct(i, ':') {
			d.colonCue(i, s)
			continue
		}
		lw := d.lw(i)
		if !d.isLowerTok(i) && lw != "according" {
			continue
		}
		info, ok := cueWords[lw]
		if !ok {
			if c, ok := d.learnedCue(i, s); ok {
				d.addCue(c)
			}
			continue
		}
		c := cue{tok: i, a: i, b: i, word: lw, part: info.part, weak: info.weak, near: info.near}
		switch lw {
		case "according":
			if !d.isWord(i+1) || d.lw(i+1) != "to" {
				continue
			}
			c.word = "according to"
			c.np = d.npFwd(i+2, s.End-1)
			if c.np != nil {
				c.b = c.np.b
			}
			d.addCue(c)
			continue
		case "point", "points", "pointed", "pointing":
			if !d.isWord(i+1) || d.lw(i+1) != "out" {
				continue
			}
			c.word = lw + " out"
			c.b = i + 1
		}
		if !d.activeVerb(i, s.Start, info) {
			continue
		}
		// inverted: `"...," said Ms Haque`
		p := i - 1
		if d.isPunct(p, ',') {
			p--
		}
		if info.inv && p >= s.Start && d.toks[p].kind == tokQuote {
			if np := d.npFwd(i+1, s.End-1); np != nil {
				c.np = np
				c.b = np.b
				d.addCue(c)
				continue
			}
		}
		// "Mr. Kim was quoted as telling …": the subject of "was quoted"
		if info.part && d.isWord(i-2) && d.lw(i-1) == "as" && d.lw(i-2) == "quoted" {
			v := i - 2
			if d.flags(v-1)&lexBe != 0 {
				v-- // "was quoted"
			}
			if np := d.subjectBefore(s.Start, v); np != nil && (np.text != "" || np.pronoun != "") {
				c.np, c.part = np, false
				c.a = min(np.a, i)
				d.addCue(c)
				continue
			}
		}
		switch {
		case info.part:
			for k := len(d.cues) - 1; k >= 0 && k >= len(d.cues)-20 && d.cues[k].tok >= s.Start; k-- {
				if !d.cues[k].part && !d.cues[k].colon && d.cues[k].np != nil {
					c.np = d.cues[k].np
					c.res = d.cues[k].res
					break
				}
			}
			if c.np == nil {
				c.np = d.clauseSubject(s.Start, i, false)
			}
			if c.np != nil && c.res.speaker == "" && c.res.via == "" {
				c.res = d.resolve(c.np, i)
			}
			c.intro = d.introduces(c.b)
			c.tailWords, c.tailQuote = d.tail(c.b)
			d.cues = append(d.cues, c)
			continue
		default:
			c.np = d.subjectBefore(s.Start, i)
			if c.np != nil && c.np.b < i && c.np.a < c.a {
				c.a = c.np.a
				if c.np.weak {
					c.a = i
				}
			}
		}
		d.addCue(c)
	}
}

// activeVerb rules out what only looks like a reporting verb: passives
// ("was told"), infinitives and negations ("declined to say", "did not
// say"), nouns ("a warning"), and verbs that report nothing ("continued to").
func (d *doc) activeVerb(i, lo int, info cueInfo) bool {
	k := i - 1
	for k >= lo && d.isWord(k) && d.flags(k)&lexAux != 0 && d.flags(k)&lexPronoun == 0 {
		k--
	}
	if d.isWord(k) && k >= lo {
		lw := d.lw(k)
		f := lexicon[lw]
		if info.pp && f&lexBe != 0 {
			return false
		}
		if lw == "to" || lw == "not" || lw == "never" || strings.HasSuffix(lw, "n't") {
			return false
		}
		if (d.lw(i) == "described" || d.lw(i) == "describes") && d.isWord(i+1) && d.lw(i+1) == "as" {
			return false // "homes described as 'beyond shameful'"
		}
		if info.part && (f&lexDet != 0 || d.lw(i-1) == "without") {
			return false
		}
	}
	return true
}

func (d *doc) addCue(c cue) {
	if c.np != nil && (c.np.text != "" || c.np.pronoun != "") {
		c.res = d.resolve(c.np, c.tok)
		d.register(c.res, c.np, c.tok)
	} else {
		c.np = nil
	}
	c.intro = d.introduces(c.b)
	c.tailWords, c.tailQuote = d.tail(c.b)
	d.cues = append(d.cues, c)
}

// tail measures what follows a cue up to the next punctuation: a verb
// followed by a clause that holds a quote reports that quote, not one
// before it (`"a scandal", while officials said the plan was "on track"`).
func (d *doc) tail(b int) (words int, quote bool) {
	for t := b + 1; t < len(d.toks); t++ {
		switch d.toks[t].kind {
		case tokWord:
			words++
			if words > 6 {
				return words, false // too long to be a trailing attribution anyway
			}
		case tokQuote:
			return words, words > 0
		case tokPara:
			return words, false
		case tokPunct:
			if strings.ContainsRune(",;.!?—–:()", d.runes[d.toks[t].s]) {
				return words, false
			}
		}
	}
	return words, false
}

// introduces says whether a cue ending at token b introduces the quote
// right after it (`said: "`, `said that "`), which then owns it.
func (d *doc) introduces(b int) bool {
	n := b + 1
	for n < len(d.toks) && (d.isPunct(n, ':') || d.isPunct(n, ',') || d.toks[n].kind == tokPara && d.isPunct(n-1, ':') || d.isWord(n) && d.lw(n) == "that") {
		n++
	}
	return n < len(d.toks) && d.toks[n].kind == tokQuote
}

// colonCue handles "Ofsted: "..."" and "She said:" where the colon, not a
// verb next to the quote, marks the speaker. A verb just before the colon
// is its own cue already.
func (d *doc) colonCue(i int, s Span) {
	n := i + 1
	for n < len(d.toks) && d.toks[n].kind == tokPara {
		n++
	}
	if n >= len(d.toks) || d.toks[n].kind != tokQuote {
		return
	}
	for k := len(d.cues) - 1; k >= 0 && d.cues[k].tok >= i-4; k-- {
		// "Khan remarked in January that:": a verb that reports only
		// what it stands next to leaves the colon to name the speaker
		if c := &d.cues[k]; c.tok < i && c.tok >= s.Start {
			if c.weak && c.np != nil {
				d.addCue(cue{tok: i, a: c.a, b: i, word: c.word, colon: true, np: c.np})
			}
			return
		}
	}
	st := i - 1
	for st-1 >= s.Start && !d.isPunct(st-1, ',') && d.toks[st-1].kind != tokQuote {
		st--
	}
	for st < i && d.isWord(st) && d.flags(st)&lexStop != 0 && d.flags(st)&(lexDet|lexPronoun) == 0 {
		st++
	}
	if st >= i || !d.isWord(i-1) {
		return
	}
	np := d.npBack(st, i-1)
	if np == nil || np.a > st || np.text == "" && np.pronoun == "" {
		// "Trump also took credit for improved relations, including …:
		// "…"": the subject of the clause the colon ends
		if np = d.colonSubject(s, i); np != nil {
			d.addCue(cue{tok: i, a: np.a, b: i, word: ":", colon: true, np: np})
		}
		return
	}
	if np.pronoun == "" && len([]rune(np.text)) < 2 {
		return // "Q:" and "A:" in an interview
	}
	// "Jane Roe, The Daily Paper:": the person, not the outlet
	if np.kind != SpeakerPerson && d.isPunct(st-1, ',') {
		if seg, _ := d.segmentName(d.segStart(s, st-2), st-2); seg != nil && seg.kind == SpeakerPerson && !seg.common && seg.text != "" {
			if seg.role == "" {
				seg.role = np.text
			}
			np = seg
		}
	}
	d.addCue(cue{tok: i, a: np.a, b: i, word: ":", colon: true, np: np})
}

// segStart is the first token of the comma-delimited segment of sentence s
// that ends at token e.
func (d *doc) segStart(s Span, e int) int {
	st := e
	for st-1 >= s.Start && !d.isPunct(st-1, ',') && d.toks[st-1].kind != tokQuote && d.toks[st-1].kind != tokPara {
		st--
	}
	return st
}

// colonSubject is the speaker of a quote introduced by a colon that ends
// a clause rather than a name: the subject of the clause's first verb,
// when that is a person, a pronoun or a document. The text does not say
// the subject spoke, only that the quote illustrates what they did, so
// the phrase is marked weak.
func (d *doc) colonSubject(s Span, colon int) *phrase {
	if k := len(d.cues) - 1; k >= 0 && d.cues[k].tok >= s.Start {
		return nil // a reporting verb of the sentence reports the quote
	}
	for v := s.Start; v < colon; v++ {
		if d.toks[v].kind == tokQuote {
			return nil
		}
		if !d.verbLike(v) {
			continue
		}
		np := d.subjectBefore(s.Start, v)
		if np == nil || np.text == "" && np.pronoun == "" {
			return nil
		}
		if np.pronoun == "" && np.kind != SpeakerPerson && np.kind != SpeakerDocument {
			return nil
		}
		np.weak = true
		return np
	}
	return nil
}

// attributable says whether quote token t ends the way a quote with its
// attribution after it does: a comma, a question or exclamation mark or
// a dash inside the marks, or a comma or dash after them.
func (d *doc) attributable(t int) bool {
	q := d.quotes[d.toks[t].q]
	if q.closed && strings.ContainsRune(",?!—–-", q.lastInner) {
		return true
	}
	return d.isPunct(t+1, ',') || d.isPunct(t+1, '—') || d.isPunct(t+1, '–')
}

// learnedCue reads a verb no list names as a reporting verb from where it
// stands: in the attribution slot of a quote (`"…," Jane Roe quipped`,
// `"…," quipped Jane Roe`, `Jane Roe demurred, "…"`), or introducing a
// clause that quotes (`Mr. Trump thundered on social media that there
// was "…"`). Any past or present-tense verb in those places reports the
// quote; a list of verbs would always miss the next one.
func (d *doc) learnedCue(i int, s Span) (cue, bool) {
	lw := d.lw(i)
	if !d.isLowerTok(i) || !d.verbLike(i) || lexicon[lw]&(lexAux|lexBe|lexTime) != 0 || pastVerbs[lw] && len(lw) <= 4 {
		return cue{}, false
	}
	c := cue{tok: i, a: i, b: i, word: lw, weak: true}
	// `"…," quipped Jane Roe`
	p := i - 1
	if d.isPunct(p, ',') {
		p--
	}
	if p >= s.Start && d.toks[p].kind == tokQuote && d.attributable(p) {
		if np := d.npFwd(i+1, s.End-1); np != nil && np.pronoun == "" && np.text != "" {
			c.np = np
			c.b = np.b
			return c, true
		}
	}
	np := d.subjectBefore(s.Start, i)
	if np == nil || np.text == "" && np.pronoun == "" {
		return cue{}, false
	}
	c.np = np
	if np.a < c.a && !np.weak {
		c.a = np.a
	}
	// `"…," Jane Roe quipped`
	q := np.a - 1
	if d.isPunct(q, ',') {
		q--
	}
	if q >= s.Start && d.toks[q].kind == tokQuote && d.attributable(q) {
		return c, true
	}
	// `Jane Roe demurred, "…"` and `Jane Roe demurred: "…"`
	if (d.isPunct(i+1, ',') || d.isPunct(i+1, ':')) && i+2 < len(d.toks) && d.toks[i+2].kind == tokQuote {
		c.weak = false
		return c, true
	}
	// Further off a quote, only a person's (or a document's) verb that
	// opens the sentence's reporting reads as one: in `Netanyahu says his
	// government has obtained "…"` the quote is Netanyahu's, not the
	// government's; in `Ofsted rated the council "inadequate"` no one is
	// quoted saying anything.
	person := np.kind == SpeakerPerson && np.pronoun == "" || np.pronoun == "he" || np.pronoun == "she"
	if !person && np.kind != SpeakerDocument || d.cueBefore(s, i) {
		return cue{}, false
	}
	if strings.HasSuffix(lw, "s") && np.b != i-1 {
		return cue{}, false // "filings", "regulations": nouns as often as verbs
	}
	// `Mr. Trump thundered on social media that there was "…"`
	for k := i + 1; k < s.End && k-i <= 6 && d.isWord(k); k++ {
		if d.lw(k) == "that" {
			c.weak = false
			return c, true
		}
	}
	// `Mr. Trump, in a tweet, chided "obstructionist Democrats"`, `Kim
	// promised to "never use nuclear weapons"`: a quote a few words on,
	// in the verb's own clause
	if np.weak || !person || !(strings.HasSuffix(lw, "ed") || pastVerbs[lw]) {
		return cue{}, false
	}
	for k := i + 1; k < s.End && k-i <= 8; k++ {
		if d.toks[k].kind == tokQuote {
			// not a word that modifies a noun: `suffered "catastrophic"
			// injuries`
			if n := k + 1; d.isLowerTok(n) && d.flags(n)&(lexPrep|lexConnector|lexRel|lexStop|lexAux|lexBe|lexTime) == 0 && !d.attributable(k) &&
				!strings.HasSuffix(d.lw(n), "ed") && !strings.HasSuffix(d.lw(n), "ing") && !pastVerbs[d.lw(n)] {
				break
			}
			c.weak, c.near = false, true
			return c, true
		}
		if !d.isWord(k) || d.flags(k)&lexRel != 0 || d.verbLike(k) && d.lw(k) != "to" {
			break
		}
	}
	return cue{}, false
}

// attributionFollows says whether what follows quote token q up to the
// cue's start at token a opens an attribution: the subject itself, or a
// noun phrase and an aside leading to it, but no conjunction or
// preposition that starts a clause of its own.
func (d *doc) attributionFollows(q, a int) bool {
	t := q + 1
	if d.isPunct(t, ',') {
		t++
	}
	if t >= a {
		return true
	}
	if !d.isWord(t) {
		return false
	}
	lw := d.lw(t)
	return !openers[lw] && lexicon[lw]&(lexPrep|lexRel) == 0 && d.words(q, a) <= 12
}

// cueBefore says whether a reporting expression of sentence s comes
// before token i: what follows it is reported content.
func (d *doc) cueBefore(s Span, i int) bool {
	k := len(d.cues) - 1
	return k >= 0 && d.cues[k].tok >= s.Start && d.cues[k].tok < i
}

// punctBetween says whether a clause-ending mark stands between tokens x
// and y: a verb reports a quote a few words on only within its clause.
func (d *doc) punctBetween(x, y int) bool {
	for t := x + 1; t < y; t++ {
		if t < len(d.toks) && d.toks[t].kind == tokPunct && strings.ContainsRune(",;.!?:—–()", d.runes[d.toks[t].s]) && !d.innerStop(t) {
			return true
		}
	}
	return false
}

// attribute picks, for each quote, the nearest reporting expression in its
// sentence, before or after it.
func (d *doc) attribute() {
	for _, q := range d.quotes {
		best, dist, ok := d.bestCue(q)
		if !ok {
			continue
		}
		q.hasCue = true
		q.attr = d.attrOf(best, dist)
	}
}

func (d *doc) bestCue(q *rawQuote) (best *cue, bestDist int, found bool) {
	qt := q.tok
	si := d.sentOf[qt]
	if si < 0 {
		return nil, 0, false
	}
	s := d.sents[si]
	// A name a few words further off beats a pronoun next to the quote:
	// in `Robbie Moore said he found this "incredibly worrying"` both name
	// him, and the name is the better evidence.
	rank := func(c *cue) int {
		switch {
		case c.res.speaker != "" && (c.np == nil || c.np.pronoun == ""):
			return 0 // a name, a surname or a post
		case c.res.speaker != "":
			return 1
		}
		return 2
	}
	bestScore := 0
	// The best cue before the quote, kept apart for a quote that a
	// "reported" after it also claims (see below).
	var before *cue
	beforeDist, beforeScore := 0, 0
	consider := func(c *cue, dist int) {
		if c.np == nil {
			return
		}
		score := dist + 3*rank(c)
		if best == nil || score < bestScore || score == bestScore && rank(c) < rank(best) {
			best, bestDist, bestScore = c, dist, score
		}
		if c.b < qt && rank(c) < 2 && (before == nil || score < beforeScore) {
			before, beforeDist, beforeScore = c, dist, score
		}
	}
	// a window around the quote keeps long run-on paragraphs linear
	from, to := max(s.Start, qt-cueWindow), min(s.End, qt+cueWindow)
	nextQuote := len(d.toks)
	if t := d.toks[qt]; int(t.q)+1 < len(d.quotes) {
		nextQuote = d.quotes[t.q+1].tok
	}
	lo := sort.Search(len(d.cues), func(k int) bool { return d.cues[k].tok >= from })
	for k := lo; k < len(d.cues) && d.cues[k].tok < to; k++ {
		c := &d.cues[k]
		if c.b < qt {
			dist := d.words(c.b, qt)
			if c.weak && dist > 0 || c.near && (dist > 6 || d.punctBetween(c.b, qt)) {
				continue
			}
			consider(c, dist)
			continue
		}
		if c.a > qt {
			if nextQuote < c.a {
				continue // the cue is the next quote's
			}
			dist := d.words(qt, c.a)
			if dist > 0 && (c.weak || c.intro || c.colon) || c.near {
				continue
			}
			// `"…," Trump said after welcoming Abe to …`: an attribution
			// right after a quote owns it, however long the sentence runs
			// on; further off, a verb with a clause of its own reports that
			if (dist > 0 || !d.attributable(qt)) && (c.tailQuote || c.tailWords > 5) {
				continue
			}
			consider(c, dist)
		}
	}
	// a quote that opens a paragraph after one ending "X said:"
	if qt == s.Start && qt >= 2 && d.toks[qt-1].kind == tokPara && d.isPunct(qt-2, ':') {
		for k := len(d.cues) - 1; k >= 0; k-- {
			c := &d.cues[k]
			if c.tok > qt-2 {
				continue
			}
			if c.b < qt-6 {
				break
			}
			if c.intro || c.colon || c.tok == qt-2 {
				consider(c, 0)
				break
			}
		}
	}
	// `X said the evidence was "fake and fabricated," the Associated
	// Press reported`: who reported the words is not who said them; a
	// speaker the sentence names before the quote is the speaker.
	if best != nil && before != nil && best.a > qt && (best.word == "reported" || best.word == "reports") {
		best, bestDist = before, beforeDist
	}
	return best, bestDist, best != nil
}

func (d *doc) attrOf(c *cue, dist int) Attribution {
	a := Attribution{Cue: c.word}
	if c.res.speaker == "" {
		return a
	}
	conf := 0.95
	switch {
	case dist > 15:
		conf = 0.75
	case dist > 3:
		conf = 0.85
	}
	if c.colon {
		conf = min(conf, 0.9)
	}
	conf = min(conf, c.res.conf)
	a.Speaker = c.res.speaker
	a.Kind = c.res.kind
	a.Role = c.res.role
	a.Via = c.res.via
	a.Confidence = conf
	return a
}

// mergeSplit joins a quotation interrupted by its attribution, `"...," she
// said. "..."`, into one Quote: the two parts are one utterance.
func (d *doc) mergeSplit() {
	var head *rawQuote
	for i, b := range d.quotes {
		if i == 0 {
			head = b
			continue
		}
		a := d.quotes[i-1]
		if d.joins(a, b) {
			head.spans = append(head.spans, b.spans...)
			if b.attr.Confidence > head.attr.Confidence {
				head.attr = b.attr
			}
			head.hasCue = head.hasCue || b.hasCue
			head.lastTok = b.tok
			head.lastPara = b.lastPara
			b.drop = true
			continue
		}
		head = b
	}
}

func (d *doc) joins(a, b *rawQuote) bool {
	if !a.closed || a.lastPara != b.firstPara {
		return false
	}
	switch a.lastInner {
	case '.', ':', ';':
		return false
	}
	between := 0
	for t := a.tok + 1; t < b.tok; t++ {
		switch d.toks[t].kind {
		case tokPara, tokQuote:
			return false
		case tokWord:
			between++
		}
	}
	// A long attribution is still one when the quote goes on in the next
	// sentence: `"…," said Michael Green, a senior vice president … who
	// advised President Bush. "…"`
	if between == 0 || between > 12 && (between > 40 || d.sents[d.sentOf[b.tok]].Start != b.tok || d.sentOf[b.tok-1] != d.sentOf[a.tok]) {
		return false
	}
	// the words between are the attribution
	var mid *cue
	lo := sort.Search(len(d.cues), func(k int) bool { return d.cues[k].tok > a.tok })
	for k := lo; k < len(d.cues) && d.cues[k].tok < b.tok; k++ {
		c := &d.cues[k]
		if c.a > a.tok && c.b < b.tok && c.np != nil && !c.part && !c.colon {
			mid = c
			break
		}
	}
	// the attribution follows at once (`"…," the White House press
	// secretary, Sarah Huckabee Sanders, said`), not a new clause (`"…,"
	// while officials said`)
	if mid == nil || d.sentOf[mid.tok] != d.sentOf[a.tok] || !d.attributionFollows(a.tok, mid.a) {
		return false
	}
	// and nothing else: `she said, adding the authority had invested "..."`
	// is a new clause, not the rest of the quote
	// After the attribution, either the quote goes on at once (`said Ms
	// Haque, "and ..."`), or the attribution's sentence ends and the quote
	// opens the next (`Biden said at the White House. "It's ..."`); a new
	// clause with a verb of its own (`she said, adding the council had
	// invested "..."`) is not the rest of the quote.
	rest := 0
	for t := mid.b + 1; t < b.tok; t++ {
		if d.isWord(t) && d.flags(t)&lexTime == 0 && d.lw(t) != "on" {
			rest++
		}
	}
	if rest > 0 && d.sents[d.sentOf[b.tok]].Start != b.tok {
		return false
	}
	for k := lo; k < len(d.cues) && d.cues[k].tok < b.tok; k++ {
		if c := &d.cues[k]; c != mid && c.tok > mid.b {
			return false
		}
	}
	// b must not carry an attribution of its own
	if si := d.sentOf[b.tok]; si >= 0 {
		s := d.sents[si]
		lo := sort.Search(len(d.cues), func(k int) bool { return d.cues[k].tok > b.tok })
		for k := lo; k < len(d.cues) && d.cues[k].tok < min(s.End, b.tok+cueWindow); k++ {
			c := &d.cues[k]
			if c.np != nil && d.words(b.tok, c.a) == 0 && !c.intro {
				return false
			}
		}
	}
	return true
}

// continuations gives a quote that is a whole paragraph, with no cue of
// its own, the speaker of the quote that ends the paragraph before: news
// writing runs one speaker's quotes on paragraph after paragraph. It is
// a convention, not a statement, so the confidence is low.
func (d *doc) continuations() {
	var prev *rawQuote // last quote seen, as a merged whole
	for _, q := range d.quotes {
		if q.drop {
			continue
		}
		p := prev
		prev = q
		if q.hasCue || p == nil || p.attr.Speaker == "" || p.lastPara != q.firstPara-1 {
			continue
		}
		if q.fam != p.fam {
			// A writer carrying one speaker on keeps to one kind of
			// mark; a paragraph in the other kind after a double-quoted
			// remark is a quote of its own, its source unsaid.
			continue
		}
		if q.tok > 0 && d.toks[q.tok-1].kind != tokPara {
			continue
		}
		// nothing but punctuation after the quote in its paragraph
		alone := true
		for t := q.lastTok + 1; t < len(d.toks) && d.toks[t].kind != tokPara; t++ {
			if d.toks[t].kind != tokPunct {
				alone = false
				break
			}
		}
		if !alone {
			continue
		}
		if q.closed && !strings.ContainsRune(".!?…", q.lastInner) {
			continue // a headline in quotes: 'Incredibly worrying'
		}
		// the previous quote, or its attribution, ends its paragraph
		tail := 0
		for t := p.lastTok + 1; t < len(d.toks) && d.toks[t].kind != tokPara; t++ {
			if d.toks[t].kind == tokWord {
				tail++
			}
			if d.toks[t].kind == tokQuote {
				tail = 100
			}
		}
		if tail > 6 {
			continue
		}
		q.attr = p.attr
		q.attr.Confidence = min(p.attr.Confidence, 0.6)
	}
}
