package diffing

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ExtractQuotes finds every direct quotation in text with its attribution.
//
// Quotation marks may be straight or curly, double or single (British
// style); apostrophes ("children's", "the '90s", "rock 'n' roll") are not
// taken for marks. Of nested quotations only the outer one is returned. A
// quotation that runs over several paragraphs, each opened with a mark and
// only the last closed, is one Quote with a span per paragraph, and so is a
// quotation interrupted by its attribution (`"…," she said. "…"`). Spans
// hold the quoted words only: no marks, no surrounding space, and no comma
// that the attribution put at the end. Short "scare quotes" are returned
// too; the aligner decides what they are worth.
//
// The speaker comes from a reporting verb (said, told, added, according
// to, a colon after a name, ...) in the quote's sentence, before or after
// it; from a paragraph that ends "X said:"; or, for a quote that is a whole
// paragraph straight after another speaker's quote, from that speaker with
// low confidence. Pronouns and surnames are resolved to a speaker named
// earlier in the text (Via says which word was resolved). Where nothing in
// the text links a quote to a source, the attribution stays empty.
//
// Offsets are rune offsets into text. ExtractQuotes never panics, and its
// spans are non-empty, inside text, in order and non-overlapping.
func ExtractQuotes(text string) []Quote {
	// most of the cost is decoding; text without a single mark needs none
	if !strings.ContainsAny(text, qMarkRunes) {
		return nil
	}
	d := newQDoc(text)
	d.findQuotes()
	if len(d.quotes) == 0 {
		return nil
	}
	d.tokenize()
	d.splitSentences()
	d.findCues()
	d.attribute()
	d.mergeSplit()
	d.continuations()
	out := make([]Quote, 0, len(d.quotes))
	for _, q := range d.quotes {
		if q.drop {
			continue
		}
		if q.attr.Role != "" && q.attr.Role == q.attr.Speaker {
			q.attr.Role = ""
		}
		out = append(out, Quote{Spans: q.spans, Attribution: q.attr})
	}
	return out
}

type qTokKind uint8

const (
	qtWord qTokKind = iota + 1
	qtPunct
	qtQuote // a whole outer quotation, marks included
	qtPara  // one or more line breaks
)

type qTok struct {
	s, e   int32 // rune range
	ls, le int32 // a word's lower-case form in qDoc.lower
	q      int32 // index into qDoc.quotes for qtQuote
	kind   qTokKind
}

// qRaw is a quotation as the marks delimit it.
type qRaw struct {
	open, end int // from the opening mark to past the closing mark (or paragraph end)
	closed    bool
	fam       byte
	spans     []Span
	firstPara int
	lastPara  int
	closePoss bool // closed by a mark that may be a plural possessive
	lastInner rune // last non-space rune inside, before any trimming
	tok       int
	attr      Attribution
	hasCue    bool
	drop      bool
	lastTok   int // token of the last part of a merged quote
}

type qDoc struct {
	text   string
	runes  []rune
	boff   []int32 // byte offset of each rune, and of the end
	marks  []int32 // positions of every quotation-mark rune
	paras  []Span
	quotes []*qRaw
	toks   []qTok
	lower  string  // every word lower-cased, one allocation for all
	wc     []int32 // word tokens before each token, for distances
	sentOf []int32
	sents  []Span // token ranges
	cues   []qCue
	ents   []qEntity
	gender map[string]byte
	names  map[string][]qFull // built on first use
	bodies map[string]qBody   // namedBody's answers so far
}

func newQDoc(text string) *qDoc {
	n := utf8.RuneCountInString(text)
	d := &qDoc{text: text, runes: make([]rune, 0, n), boff: make([]int32, 0, n+1)}
	// one pass: runes, byte offsets, marks, and paragraphs (lines with
	// something on them, trimmed of space)
	start, last := -1, -1
	for i, r := range text {
		k := len(d.runes)
		d.runes = append(d.runes, r)
		d.boff = append(d.boff, int32(i))
		if r < 0x80 && r > ' ' && r != '"' && r != '\'' {
			if start < 0 {
				start = k
			}
			last = k
			continue
		}
		if qFamily(r) != 0 {
			d.marks = append(d.marks, int32(k))
		}
		switch {
		case qIsNewline(r):
			if start >= 0 {
				d.paras = append(d.paras, Span{start, last + 1})
			}
			start = -1
		case qIsSpace(r):
		default:
			if start < 0 {
				start = k
			}
			last = k
		}
	}
	d.boff = append(d.boff, int32(len(text)))
	if start >= 0 {
		d.paras = append(d.paras, Span{start, last + 1})
	}
	return d
}

func (d *qDoc) w(i int) string {
	t := d.toks[i]
	return d.text[d.boff[t.s]:d.boff[t.e]]
}

// lw is word i lower-cased, with the curly apostrophe folded to '.
func (d *qDoc) lw(i int) string {
	t := d.toks[i]
	return d.lower[t.ls:t.le]
}

func qIsNewline(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

func qIsSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return unicode.IsSpace(r)
}

func qIsWordRune(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

const (
	qDouble byte = 1
	qSingle byte = 2
)

// qMarkRunes are all the runes qFamily knows.
const qMarkRunes = "\"“”„‟«»＂'‘’‚‛‹›"

func qFamily(r rune) byte {
	switch r {
	case '"', '“', '”', '„', '‟', '«', '»', '＂':
		return qDouble
	case '\'', '‘', '’', '‚', '‛', '‹', '›':
		return qSingle
	}
	return 0
}

// qOpenSide: a rune after which a mark opens a quotation.
func qOpenSide(p rune) bool {
	if p < 0 || qIsSpace(p) || qFamily(p) != 0 {
		return true
	}
	switch p {
	case '(', '[', '{', '<', '—', '–', '-', '‐', '/', ':', ';':
		return true
	}
	return unicode.Is(unicode.Ps, p)
}

// qCloseSide: a rune before which a mark closes a quotation.
func qCloseSide(n rune) bool {
	return n < 0 || qIsSpace(n) || qFamily(n) != 0 || unicode.IsPunct(n) || unicode.IsSymbol(n)
}

// markRole says whether the mark at i, in the paragraph [ps, pe), can open
// and can close a quotation. A mark that can do both is decided by whether
// a quotation of its family is open.
func (d *qDoc) markRole(i, ps, pe int) (open, close bool) {
	r := d.runes[i]
	p, n := rune(-1), rune(-1)
	if i > ps {
		p = d.runes[i-1]
	}
	if i+1 < pe {
		n = d.runes[i+1]
	}
	pOpen, nClose := qOpenSide(p), qCloseSide(n)
	pWord, nWord := p >= 0 && qIsWordRune(p), n >= 0 && qIsWordRune(n)
	switch r {
	case '"', '＂':
		open = pOpen && n >= 0
		close = p >= 0 && nClose && (!qIsSpace(p) || pOpen && nClose)
	case '“':
		open = n >= 0 && (pOpen || !nClose)
		close = p >= 0 && !pOpen && nClose
	case '”':
		close = p >= 0 && (!pOpen || nClose)
		open = n >= 0 && pOpen && !nClose
	case '„', '‟', '«', '‚', '‛', '‹':
		open = n >= 0
	case '»', '›':
		close = p >= 0
	case '\'', '‘', '’':
		if pWord && nWord {
			return false, false // children's, O'Neill
		}
		if r != '’' {
			open = pOpen && n >= 0 && !qIsSpace(n) && !d.elision(i+1, pe)
		}
		close = p >= 0 && !qIsSpace(p) && !(qOpenSide(p) && !(qFamily(p) != 0)) && nClose
		if r == '‘' {
			close = close && pWord
		}
	}
	return open, close
}

// elision says whether the word at j follows an apostrophe of elision
// rather than an opening quotation mark: 'tis, 'em, rock 'n' roll, the '90s.
func (d *qDoc) elision(j, pe int) bool {
	k := j
	for k < pe && k-j < 6 && unicode.IsLetter(d.runes[k]) {
		k++
	}
	if k > j && (k == pe || !qIsWordRune(d.runes[k])) {
		switch strings.ToLower(string(d.runes[j:k])) {
		case "tis", "twas", "til", "cause", "cos", "em", "n", "bout", "s", "d", "ll", "re", "ve":
			return true
		}
		return false
	}
	k = j
	for k < pe && unicode.IsDigit(d.runes[k]) {
		k++
	}
	if k-j == 2 && (k == pe || d.runes[k] == 's' || !qIsWordRune(d.runes[k])) {
		return true
	}
	return false
}

type qOpen struct {
	open, spanStart int
	spans           []Span
	firstPara       int
	colon           bool
	children        []*qRaw
}

type qMark struct {
	pos         int
	open, close bool
	poss        bool
}

// pairFamily pairs the marks of one family (double or single) paragraph by
// paragraph. Families are paired separately so that an apostrophe taken
// for a single mark cannot swallow a double-quoted passage; the outer
// quotation is chosen afterwards.
func (d *qDoc) pairFamily(fam byte) []*qRaw {
	var out []*qRaw
	var stack []*qOpen
	var carry *qOpen
	var marks []qMark
	mk := 0
	for pi, p := range d.paras {
		marks = marks[:0]
		for mk < len(d.marks) && int(d.marks[mk]) < p.Start {
			mk++
		}
		for ; mk < len(d.marks) && int(d.marks[mk]) < p.End; mk++ {
			i := int(d.marks[mk])
			if qFamily(d.runes[i]) != fam {
				continue
			}
			o, c := d.markRole(i, p.Start, p.End)
			if !o && !c {
				continue
			}
			m := qMark{pos: i, open: o, close: c}
			if fam == qSingle && c && i > p.Start && (d.runes[i-1] == 's' || d.runes[i-1] == 'S') && i+1 < p.End && qIsSpace(d.runes[i+1]) {
				m.poss = true
			}
			marks = append(marks, m)
		}
		lastClose := -1
		for mi := range marks {
			if marks[mi].close {
				lastClose = mi
			}
		}
		stack = stack[:0]
		mi := 0
		if carry != nil {
			carry.spanStart = marks[0].pos + 1
			stack = append(stack, carry)
			carry = nil
			mi = 1
		}
		for ; mi < len(marks); mi++ {
			m := marks[mi]
			if m.close && len(stack) > 0 && !(m.poss && mi < lastClose) {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				q := &qRaw{
					open: top.open, end: m.pos + 1, closed: true, fam: fam,
					spans:     append(top.spans, Span{top.spanStart, m.pos}),
					firstPara: top.firstPara, lastPara: pi, closePoss: m.poss,
				}
				if len(stack) == 0 {
					out = append(out, q)
				} else {
					parent := stack[len(stack)-1]
					parent.children = append(parent.children, q)
				}
				continue
			}
			if m.open {
				stack = append(stack, &qOpen{open: m.pos, spanStart: m.pos + 1, firstPara: pi, colon: d.colonBefore(m.pos, p.Start)})
			}
		}
		if len(stack) == 0 {
			continue
		}
		bottom := stack[0]
		for _, e := range stack[1:] {
			bottom.children = append(bottom.children, e.children...)
		}
		bottom.spans = append(bottom.spans, Span{bottom.spanStart, p.End})
		switch {
		case pi+1 < len(d.paras) && d.continues(pi+1, fam):
			carry = bottom
		case len(bottom.spans) > 1 || bottom.colon:
			// the closing mark is missing, but the paragraph chain or the
			// colon before it says a quotation runs to here
			out = append(out, &qRaw{open: bottom.open, end: p.End, fam: fam, spans: bottom.spans, firstPara: bottom.firstPara, lastPara: pi})
		default:
			out = append(out, bottom.children...)
		}
	}
	return out
}

// continues says whether paragraph pi opens with a mark of family fam,
// which continues a quotation left open at the end of the paragraph before.
func (d *qDoc) continues(pi int, fam byte) bool {
	p := d.paras[pi]
	if qFamily(d.runes[p.Start]) != fam {
		return false
	}
	o, _ := d.markRole(p.Start, p.Start, p.End)
	return o
}

func (d *qDoc) colonBefore(pos, ps int) bool {
	for i := pos - 1; i >= ps; i-- {
		if qIsSpace(d.runes[i]) {
			continue
		}
		return d.runes[i] == ':'
	}
	return false
}

// findQuotes pairs both families and keeps the outer quotations.
func (d *qDoc) findQuotes() {
	all := append(d.pairFamily(qDouble), d.pairFamily(qSingle)...)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].open != all[j].open {
			return all[i].open < all[j].open
		}
		return all[i].fam < all[j].fam
	})
	var kept []*qRaw
	for _, q := range all {
		if len(kept) == 0 {
			kept = append(kept, q)
			continue
		}
		last := kept[len(kept)-1]
		if q.open >= last.end {
			kept = append(kept, q)
			continue
		}
		if q.end <= last.end {
			// nested: the outer quote is the utterance, unless the outer one
			// is a single-quoted stretch closed by what may be a possessive
			if last.fam == qSingle && q.fam == qDouble && last.closePoss {
				kept[len(kept)-1] = q
			}
			continue
		}
		// crossing marks: trust double marks over single ones
		if last.fam == qSingle && q.fam == qDouble {
			kept[len(kept)-1] = q
		}
	}
	for _, q := range kept {
		// the last rune inside, before trimming, tells how the quote ends
		endInner := q.end
		if q.closed {
			endInner--
		}
		for i := endInner - 1; i > q.open; i-- {
			if !qIsSpace(d.runes[i]) {
				q.lastInner = d.runes[i]
				break
			}
		}
		spans := q.spans[:0]
		for _, s := range q.spans {
			if s = d.trim(s); s.Len() > 0 && d.hasWordRune(s) {
				spans = append(spans, s)
			}
		}
		q.spans = spans
		if len(spans) > 0 {
			d.quotes = append(d.quotes, q)
		}
	}
}

// hasWordRune: a span of marks and punctuation only quotes nothing.
func (d *qDoc) hasWordRune(s Span) bool {
	for _, r := range d.runes[s.Start:s.End] {
		if qIsWordRune(r) {
			return true
		}
	}
	return false
}

// trim drops the space inside the marks and the comma the attribution puts
// at the end of a quotation ("...better," she said).
func (d *qDoc) trim(s Span) Span {
	for s.Start < s.End && qIsSpace(d.runes[s.Start]) {
		s.Start++
	}
	for s.End > s.Start && qIsSpace(d.runes[s.End-1]) {
		s.End--
	}
	if s.End > s.Start && d.runes[s.End-1] == ',' {
		s.End--
		for s.End > s.Start && qIsSpace(d.runes[s.End-1]) {
			s.End--
		}
	}
	return s
}

// tokenize turns the text outside quotations into words and punctuation,
// with each quotation a single token, so that sentence splitting and the
// search for reporting verbs never look inside a quote.
func (d *qDoc) tokenize() {
	n := len(d.runes)
	d.toks = make([]qTok, 0, n/5+8)
	var lower strings.Builder
	lower.Grow(len(d.text))
	qi := 0
	for i := 0; i < n; {
		nextOpen := n
		if qi < len(d.quotes) {
			nextOpen = d.quotes[qi].open
		}
		if i == nextOpen {
			q := d.quotes[qi]
			q.tok = len(d.toks)
			q.lastTok = q.tok
			d.toks = append(d.toks, qTok{s: int32(i), e: int32(q.end), kind: qtQuote, q: int32(qi)})
			i = q.end
			qi++
			continue
		}
		r := d.runes[i]
		switch {
		case qIsNewline(r):
			j := i + 1
			for j < nextOpen && (qIsNewline(d.runes[j]) || qIsSpace(d.runes[j])) {
				j++
			}
			d.toks = append(d.toks, qTok{s: int32(i), e: int32(j), kind: qtPara})
			i = j
		case qIsSpace(r):
			i++
		case qIsWordRune(r):
			j := i + 1
			for j < nextOpen {
				c := d.runes[j]
				if qIsWordRune(c) {
					j++
					continue
				}
				if j+1 < nextOpen && qIsWordRune(d.runes[j+1]) && strings.ContainsRune("'’-‐.&", c) {
					j++
					continue
				}
				// a plural possessive keeps its apostrophe: "Childrens’ Services"
				if (c == '’' || c == '\'') && (d.runes[j-1] == 's' || d.runes[j-1] == 'S') {
					j++
				}
				break
			}
			ls := int32(lower.Len())
			for _, c := range d.runes[i:j] {
				switch {
				case c < 0x80:
					if c >= 'A' && c <= 'Z' {
						c += 'a' - 'A'
					}
					lower.WriteByte(byte(c))
				case c == '’':
					lower.WriteByte('\'')
				default:
					lower.WriteRune(unicode.ToLower(c))
				}
			}
			d.toks = append(d.toks, qTok{s: int32(i), e: int32(j), ls: ls, le: int32(lower.Len()), kind: qtWord})
			i = j
		default:
			d.toks = append(d.toks, qTok{s: int32(i), e: int32(i + 1), kind: qtPunct})
			i++
		}
	}
	d.lower = lower.String()
	d.wc = make([]int32, len(d.toks)+1)
	for i := range d.toks {
		d.wc[i+1] = d.wc[i]
		if d.toks[i].kind == qtWord && d.lw(i) != "that" {
			d.wc[i+1]++
		}
	}
}

// words is the number of words strictly between tokens x and y.
func (d *qDoc) words(x, y int) int {
	if y <= x+1 {
		return 0
	}
	return int(d.wc[y] - d.wc[x+1])
}

func (d *qDoc) splitSentences() {
	d.sentOf = make([]int32, len(d.toks))
	cur := 0
	flush := func(end int) {
		if end > cur {
			d.sents = append(d.sents, Span{cur, end})
		}
		cur = end
	}
	for i := range d.toks {
		if d.toks[i].kind == qtPara {
			flush(i)
			cur = i + 1
			continue
		}
		if d.endsSentence(i) {
			flush(i + 1)
		}
	}
	flush(len(d.toks))
	for i := range d.sentOf {
		d.sentOf[i] = -1
	}
	for si, s := range d.sents {
		for i := s.Start; i < s.End; i++ {
			d.sentOf[i] = int32(si)
		}
	}
}

func (d *qDoc) endsSentence(i int) bool {
	t := d.toks[i]
	next := i + 1
	switch t.kind {
	case qtPunct:
		r := d.runes[t.s]
		if r != '.' && r != '!' && r != '?' {
			return false
		}
		if r == '.' && i > 0 && d.isWord(i-1) && d.toks[i-1].e == t.s {
			lw := d.lw(i - 1)
			// "Acme Ltd. "Together ..."": a quote after the full stop
			// shows the abbreviation ended the sentence; a title never does
			quoteNext := next < len(d.toks) && d.toks[next].kind == qtQuote && qLex[lw]&qfTitle == 0
			if (qLex[lw]&qfAbbrev != 0 || len(lw) == 1 && d.isCapTok(i-1)) && !quoteNext {
				return false
			}
		}
		for next < len(d.toks) && d.toks[next].kind == qtPunct && strings.ContainsRune(")]’'\"”", d.runes[d.toks[next].s]) {
			next++
		}
		if next >= len(d.toks) || d.toks[next].kind != qtWord {
			return true
		}
		return d.isCapTok(next)
	case qtQuote:
		q := d.quotes[t.q]
		if !q.closed || !strings.ContainsRune(".!?", q.lastInner) {
			return false
		}
		if next >= len(d.toks) || d.toks[next].kind != qtWord {
			return true
		}
		return d.isCapTok(next) && !(q.lastInner != '.' && d.cueSoon(next))
	}
	return false
}

// cueSoon: a reporting verb within the next few words, as in `"Why?" Smith
// asked.`, keeps a quote ending in a question mark in its sentence.
func (d *qDoc) cueSoon(i int) bool {
	for k := i; k < len(d.toks) && k < i+4; k++ {
		if !d.isWord(k) {
			return false
		}
		if _, ok := qCues[d.lw(k)]; ok && d.isLowerTok(k) {
			return true
		}
	}
	return false
}

type qCueInfo struct {
	part bool // a participle: the subject is the clause's ("..., adding")
	inv  bool // may come before its subject: "said Ms Haque"
	weak bool // reports speech only right next to a quote: "he continued"
	pp   bool // a past participle: after "was" it is passive
	near bool // reports only a quote a few words on: called the bill "..."
}

var qCues = map[string]qCueInfo{
	"said": {inv: true, pp: true}, "says": {inv: true}, "say": {}, "saying": {part: true},
	"told": {pp: true}, "tells": {}, "telling": {part: true},
	"added": {inv: true, pp: true}, "adds": {inv: true}, "adding": {part: true},
	"explained": {inv: true, pp: true}, "explains": {inv: true}, "explaining": {part: true},
	"warned": {inv: true, pp: true}, "warns": {inv: true}, "warning": {part: true},
	"admitted": {inv: true, pp: true}, "admits": {inv: true}, "admitting": {part: true},
	"stated": {inv: true, pp: true}, "states": {}, "stating": {part: true},
	"wrote": {inv: true}, "writes": {inv: true},
	"insisted": {inv: true, pp: true}, "insists": {inv: true}, "insisting": {part: true},
	"claimed": {inv: true, pp: true}, "claiming": {part: true},
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
	"suggested": {pp: true}, "suggests": {},
	"declared": {inv: true, pp: true}, "declares": {inv: true},
	"observed": {inv: true, pp: true},
	"stressed": {pp: true}, "stresses": {}, "stressing": {part: true},
	"recalled": {inv: true, weak: true}, "recalls": {inv: true, weak: true},
	"tweeted": {}, "posted": {weak: true},
	"found": {pp: true}, "finds": {},
	"reported":    {pp: true},
	"highlighted": {pp: true}, "highlights": {},
	"described": {pp: true}, "describes": {}, "describing": {part: true},
	"pointed": {}, "points": {}, "point": {},
	"called": {pp: true, near: true}, "calls": {near: true}, "calling": {part: true, near: true},
	"branded": {pp: true, near: true}, "brands": {near: true}, "branding": {part: true, near: true},
	"accused": {pp: true, near: true}, "accuses": {near: true}, "accusing": {part: true, near: true},
	"according": {},
}

// qWindow bounds, in tokens, how far from a quote a cue is looked for,
// and how far back a name is looked for; far beyond any real sentence.
const qWindow = 120

// qCue is a reporting expression and the speaker it names.
type qCue struct {
	tok   int // the verb, the colon, or "according"
	a, b  int // tokens covered by the cue and its subject
	word  string
	part  bool
	weak  bool
	near  bool
	colon bool
	np    *qNP
	res   qResolved
	intro bool // directly introduces the quote after it ("said:", "said")
	// words after the cue up to punctuation, and whether a quote ends them
	tailWords int
	tailQuote bool
}

// findCues finds every reporting expression in the text, in order, with
// its subject resolved against the speakers met before it.
func (d *qDoc) findCues() {
	d.gender = map[string]byte{}
	for i := range d.toks {
		si := d.sentOf[i]
		if si < 0 {
			continue
		}
		s := d.sents[si]
		if d.isPunct(i, ':') {
			d.colonCue(i, s)
			continue
		}
		lw := d.lw(i)
		if !d.isLowerTok(i) && lw != "according" {
			continue
		}
		info, ok := qCues[lw]
		if !ok {
			continue
		}
		c := qCue{tok: i, a: i, b: i, word: lw, part: info.part, weak: info.weak, near: info.near}
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
		case "point", "points", "pointed":
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
		if info.inv && p >= s.Start && d.toks[p].kind == qtQuote {
			if np := d.npFwd(i+1, s.End-1); np != nil {
				c.np = np
				c.b = np.b
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
func (d *qDoc) activeVerb(i, lo int, info qCueInfo) bool {
	k := i - 1
	for k >= lo && d.isWord(k) && d.flags(k)&qfAux != 0 && d.flags(k)&qfPronoun == 0 {
		k--
	}
	if d.isWord(k) && k >= lo {
		lw := d.lw(k)
		f := qLex[lw]
		if info.pp && f&qfBe != 0 {
			return false
		}
		if lw == "to" || lw == "not" || lw == "never" || strings.HasSuffix(lw, "n't") {
			return false
		}
		if (d.lw(i) == "described" || d.lw(i) == "describes") && d.isWord(i+1) && d.lw(i+1) == "as" {
			return false // "homes described as 'beyond shameful'"
		}
		if info.part && (f&qfDet != 0 || d.lw(i-1) == "without") {
			return false
		}
	}
	return true
}

func (d *qDoc) addCue(c qCue) {
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
func (d *qDoc) tail(b int) (words int, quote bool) {
	for t := b + 1; t < len(d.toks); t++ {
		switch d.toks[t].kind {
		case qtWord:
			words++
			if words > 6 {
				return words, false // too long to be a trailing attribution anyway
			}
		case qtQuote:
			return words, words > 0
		case qtPara:
			return words, false
		case qtPunct:
			if strings.ContainsRune(",;.!?—–:()", d.runes[d.toks[t].s]) {
				return words, false
			}
		}
	}
	return words, false
}

// introduces says whether a cue ending at token b introduces the quote
// right after it (`said: "`, `said that "`), which then owns it.
func (d *qDoc) introduces(b int) bool {
	n := b + 1
	for n < len(d.toks) && (d.isPunct(n, ':') || d.isPunct(n, ',') || d.toks[n].kind == qtPara && d.isPunct(n-1, ':') || d.isWord(n) && d.lw(n) == "that") {
		n++
	}
	return n < len(d.toks) && d.toks[n].kind == qtQuote
}

// colonCue handles "Ofsted: "..."" and "She said:" where the colon, not a
// verb next to the quote, marks the speaker. A verb just before the colon
// is its own cue already.
func (d *qDoc) colonCue(i int, s Span) {
	n := i + 1
	for n < len(d.toks) && d.toks[n].kind == qtPara {
		n++
	}
	if n >= len(d.toks) || d.toks[n].kind != qtQuote {
		return
	}
	for k := len(d.cues) - 1; k >= 0 && d.cues[k].tok >= i-4; k-- {
		if d.cues[k].tok < i && d.cues[k].tok >= s.Start {
			return
		}
	}
	st := i - 1
	for st-1 >= s.Start && !d.isPunct(st-1, ',') && d.toks[st-1].kind != qtQuote {
		st--
	}
	for st < i && d.isWord(st) && d.flags(st)&qfStop != 0 && d.flags(st)&(qfDet|qfPronoun) == 0 {
		st++
	}
	if st >= i || !d.isWord(i-1) {
		return
	}
	np := d.npBack(st, i-1)
	if np == nil || np.a > st || np.text == "" && np.pronoun == "" {
		return
	}
	if np.pronoun == "" && len([]rune(np.text)) < 2 {
		return // "Q:" and "A:" in an interview
	}
	d.addCue(qCue{tok: i, a: np.a, b: i, word: ":", colon: true, np: np})
}

// attribute picks, for each quote, the nearest reporting expression in its
// sentence, before or after it.
func (d *qDoc) attribute() {
	for _, q := range d.quotes {
		best, dist, ok := d.bestCue(q)
		if !ok {
			continue
		}
		q.hasCue = true
		q.attr = d.attrOf(best, dist)
	}
}

func (d *qDoc) bestCue(q *qRaw) (best *qCue, bestDist int, found bool) {
	qt := q.tok
	si := d.sentOf[qt]
	if si < 0 {
		return nil, 0, false
	}
	s := d.sents[si]
	// A name a few words further off beats a pronoun next to the quote:
	// in `Robbie Moore said he found this "incredibly worrying"` both name
	// him, and the name is the better evidence.
	rank := func(c *qCue) int {
		switch {
		case c.res.speaker != "" && c.res.via == "":
			return 0
		case c.res.speaker != "":
			return 1
		}
		return 2
	}
	bestScore := 0
	consider := func(c *qCue, dist int) {
		if c.np == nil {
			return
		}
		score := dist + 3*rank(c)
		if best == nil || score < bestScore || score == bestScore && rank(c) < rank(best) {
			best, bestDist, bestScore = c, dist, score
		}
	}
	// a window around the quote keeps long run-on paragraphs linear
	from, to := max(s.Start, qt-qWindow), min(s.End, qt+qWindow)
	nextQuote := len(d.toks)
	if t := d.toks[qt]; int(t.q)+1 < len(d.quotes) {
		nextQuote = d.quotes[t.q+1].tok
	}
	lo := sort.Search(len(d.cues), func(k int) bool { return d.cues[k].tok >= from })
	for k := lo; k < len(d.cues) && d.cues[k].tok < to; k++ {
		c := &d.cues[k]
		if c.b < qt {
			dist := d.words(c.b, qt)
			if c.weak && dist > 0 || c.near && dist > 4 {
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
			if dist > 0 && (c.weak || c.intro || c.colon) || c.near || c.tailQuote || c.tailWords > 5 {
				continue
			}
			consider(c, dist)
		}
	}
	// a quote that opens a paragraph after one ending "X said:"
	if qt == s.Start && qt >= 2 && d.toks[qt-1].kind == qtPara && d.isPunct(qt-2, ':') {
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
	return best, bestDist, best != nil
}

func (d *qDoc) attrOf(c *qCue, dist int) Attribution {
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
func (d *qDoc) mergeSplit() {
	var head *qRaw
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

func (d *qDoc) joins(a, b *qRaw) bool {
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
		case qtPara, qtQuote:
			return false
		case qtWord:
			between++
		}
	}
	if between == 0 || between > 12 {
		return false
	}
	// the words between are the attribution
	var cue *qCue
	lo := sort.Search(len(d.cues), func(k int) bool { return d.cues[k].tok > a.tok })
	for k := lo; k < len(d.cues) && d.cues[k].tok < b.tok; k++ {
		c := &d.cues[k]
		if c.a > a.tok && c.b < b.tok && c.np != nil && !c.part && !c.colon {
			cue = c
			break
		}
	}
	if cue == nil || d.words(a.tok, cue.a) > 0 || d.sentOf[cue.tok] != d.sentOf[a.tok] {
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
	for t := cue.b + 1; t < b.tok; t++ {
		if d.isWord(t) && d.flags(t)&qfTime == 0 && d.lw(t) != "on" {
			rest++
		}
	}
	if rest > 0 && d.sents[d.sentOf[b.tok]].Start != b.tok {
		return false
	}
	for k := lo; k < len(d.cues) && d.cues[k].tok < b.tok; k++ {
		if c := &d.cues[k]; c != cue && c.tok > cue.b {
			return false
		}
	}
	// b must not carry an attribution of its own
	if si := d.sentOf[b.tok]; si >= 0 {
		s := d.sents[si]
		lo := sort.Search(len(d.cues), func(k int) bool { return d.cues[k].tok > b.tok })
		for k := lo; k < len(d.cues) && d.cues[k].tok < min(s.End, b.tok+qWindow); k++ {
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
func (d *qDoc) continuations() {
	var prev *qRaw // last quote seen, as a merged whole
	for _, q := range d.quotes {
		if q.drop {
			continue
		}
		p := prev
		prev = q
		if q.hasCue || p == nil || p.attr.Speaker == "" || p.lastPara != q.firstPara-1 {
			continue
		}
		if q.tok > 0 && d.toks[q.tok-1].kind != qtPara {
			continue
		}
		// nothing but punctuation after the quote in its paragraph
		alone := true
		for t := q.lastTok + 1; t < len(d.toks) && d.toks[t].kind != qtPara; t++ {
			if d.toks[t].kind != qtPunct {
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
		for t := p.lastTok + 1; t < len(d.toks) && d.toks[t].kind != qtPara; t++ {
			if d.toks[t].kind == qtWord {
				tail++
			}
			if d.toks[t].kind == qtQuote {
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
