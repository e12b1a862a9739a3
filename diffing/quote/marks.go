package quote

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quotation marks: which marks open and which close, apostrophes told apart
// from single quotes, marks paired paragraph by paragraph into quotes, and
// the outer quote kept where quotes nest.

// rawQuote is a quotation as the marks delimit it.
type rawQuote struct {
	open, end int // from the opening mark to past the closing mark (or paragraph end)
	closed    bool
	fam       family
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

// family is the kind of quotation mark: double and single marks pair only
// with their own kind.
type family byte

// Mark families; 0 is not a quotation mark.
const (
	famDouble family = 1
	famSingle family = 2
)

// markRunes are all the runes familyOf knows.
const markRunes = "\"“”„‟«»＂'‘’‚‛‹›"

// familyOf is the family of a quotation mark, or 0 for any other rune.
func familyOf(r rune) family {
	switch r {
	case '"', '“', '”', '„', '‟', '«', '»', '＂':
		return famDouble
	case '\'', '‘', '’', '‚', '‛', '‹', '›':
		return famSingle
	}
	return 0
}

// openSide: a rune after which a mark opens a quotation.
func openSide(p rune) bool {
	if p < 0 || isSpace(p) || familyOf(p) != 0 {
		return true
	}
	switch p {
	case '(', '[', '{', '<', '—', '–', '-', '‐', '/', ':', ';':
		return true
	}
	return unicode.Is(unicode.Ps, p)
}

// closeSide: a rune before which a mark closes a quotation.
func closeSide(n rune) bool {
	return n < 0 || isSpace(n) || familyOf(n) != 0 || unicode.IsPunct(n) || unicode.IsSymbol(n)
}

// markRole says whether the mark at i, in the paragraph [ps, pe), can open
// and can close a quotation. A mark that can do both is decided by whether
// a quotation of its family is open.
func (d *doc) markRole(i, ps, pe int) (open, close bool) {
	r := d.runes[i]
	p, n := rune(-1), rune(-1)
	if i > ps {
		p = d.runes[i-1]
	}
	if i+1 < pe {
		n = d.runes[i+1]
	}
	pOpen, nClose := openSide(p), closeSide(n)
	pWord, nWord := p >= 0 && isWordRune(p), n >= 0 && isWordRune(n)
	switch r {
	case '"', '＂':
		open = pOpen && n >= 0
		close = p >= 0 && nClose && (!isSpace(p) || pOpen && nClose)
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
			open = pOpen && n >= 0 && !isSpace(n) && !d.elision(i+1, pe)
		}
		if r == '‘' && pOpen && n >= 0 && isSpace(n) {
			// "said: ‘ There are…", a stray space after an opening
			// mark, as "said: \" There" is read: a left single mark with
			// space on both sides is no apostrophe.
			k := i + 1
			for k < pe && isSpace(d.runes[k]) {
				k++
			}
			open = k < pe && isWordRune(d.runes[k]) && !d.elision(k, pe)
		}
		close = p >= 0 && !isSpace(p) && !(openSide(p) && !(familyOf(p) != 0)) && nClose
		if r == '‘' {
			close = close && pWord
		}
	}
	return open, close
}

// elision says whether the word at j follows an apostrophe of elision
// rather than an opening quotation mark: 'tis, 'em, rock 'n' roll, the '90s.
func (d *doc) elision(j, pe int) bool {
	k := j
	for k < pe && k-j < 6 && unicode.IsLetter(d.runes[k]) {
		k++
	}
	if k > j && (k == pe || !isWordRune(d.runes[k])) {
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
	if k-j == 2 && (k == pe || d.runes[k] == 's' || !isWordRune(d.runes[k])) {
		return true
	}
	return false
}

// opening is a quotation whose closing mark pairFamily has not met yet.
type opening struct {
	open, spanStart int
	spans           []Span
	firstPara       int
	colon           bool
	children        []*rawQuote
}

// mark is a quotation mark with the roles it can take: opening, closing,
// and closing what may be a plural possessive (the Smiths' house).
type mark struct {
	pos         int
	open, close bool
	poss        bool
}

// pairFamily pairs the marks of one family (double or single) paragraph by
// paragraph. Families are paired separately so that an apostrophe taken
// for a single mark cannot swallow a double-quoted passage; the outer
// quotation is chosen afterwards.
func (d *doc) pairFamily(fam family) []*rawQuote {
	var out []*rawQuote
	var stack []*opening
	var carry *opening
	var marks []mark
	mk := 0
	for pi, p := range d.paras {
		marks = marks[:0]
		for mk < len(d.marks) && int(d.marks[mk]) < p.Start {
			mk++
		}
		for ; mk < len(d.marks) && int(d.marks[mk]) < p.End; mk++ {
			i := int(d.marks[mk])
			if familyOf(d.runes[i]) != fam {
				continue
			}
			o, c := d.markRole(i, p.Start, p.End)
			if !o && !c {
				continue
			}
			m := mark{pos: i, open: o, close: c}
			if fam == famSingle && c && i > p.Start && (d.runes[i-1] == 's' || d.runes[i-1] == 'S') && i+1 < p.End && isSpace(d.runes[i+1]) {
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
				q := &rawQuote{
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
			if mi == 0 && !m.open && fam == famDouble && d.missingOpen(p, m.pos) {
				// `Over the past day several groups crossed," he said.`:
				// the opening mark was left out, and the attribution
				// after the closing one says the paragraph is the quote.
				out = append(out, &rawQuote{open: p.Start, end: m.pos + 1, closed: true, fam: fam,
					spans: []Span{{p.Start, m.pos}}, firstPara: pi, lastPara: pi})
				continue
			}
			if m.open {
				stack = append(stack, &opening{open: m.pos, spanStart: m.pos + 1, firstPara: pi, colon: d.colonBefore(m.pos, p.Start)})
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
		closeAt := -1
		if len(bottom.spans) == 1 {
			closeAt = d.crossClose(bottom, p, fam)
		}
		switch {
		case pi+1 < len(d.paras) && d.continues(pi+1, fam):
			carry = bottom
		case closeAt >= 0:
			// `"We will win,’ he said`: closed by a mark of the other kind
			out = append(out, &rawQuote{open: bottom.open, end: closeAt + 1, closed: true, fam: fam,
				spans: []Span{{bottom.spanStart, closeAt}}, firstPara: bottom.firstPara, lastPara: pi})
			for _, c := range bottom.children {
				if c.open > closeAt {
					out = append(out, c)
				}
			}
		case len(bottom.spans) > 1 || bottom.colon:
			// the closing mark is missing, but the paragraph chain or the
			// colon before it says a quotation runs to here
			out = append(out, &rawQuote{open: bottom.open, end: p.End, fam: fam, spans: bottom.spans, firstPara: bottom.firstPara, lastPara: pi})
		default:
			out = append(out, bottom.children...)
		}
	}
	return out
}

// missingOpen says whether the closing mark at pos, the first mark of its
// paragraph p, closes a quotation whose opening mark was left out: the
// punctuation that ends a quote before its attribution (a comma, a
// question or exclamation mark or a dash) stands before it, several words
// of the paragraph lead up to it, and a reporting verb follows within the
// next few words of the clause (`," he said.`, `," Jane Roe told
// reporters.`). A stray mark anywhere else is left alone.
func (d *doc) missingOpen(p Span, pos int) bool {
	if pos <= p.Start || !strings.ContainsRune(",?!—–", d.runes[pos-1]) {
		return false
	}
	words, inWord := 0, false
	for i := p.Start; i < pos; i++ {
		w := isWordRune(d.runes[i])
		if w && !inWord {
			words++
		}
		inWord = w
	}
	if words < 4 {
		return false
	}
	var word []rune
	seen := 0
	for i := pos + 1; i <= p.End && seen < 5; i++ {
		r := rune(' ')
		if i < p.End {
			r = d.runes[i]
		}
		if isWordRune(r) {
			word = append(word, unicode.ToLower(r))
			continue
		}
		if len(word) > 0 {
			seen++
			if info, ok := cueWords[string(word)]; ok && !info.near && !info.part && string(word) != "according" {
				return true
			}
			word = word[:0]
		}
		if unicode.IsPunct(r) && r != '-' && r != '\'' && r != '’' {
			return false // the clause ended without a reporting verb
		}
	}
	return false
}

// crossClose finds where a quotation opened with a mark of family fam and
// left open in paragraph p was closed with a mark of the other family, a
// typing slip (`"We will win,’ he said`): a closing mark of the other kind
// straight after the punctuation that ends a quote, with no opening mark
// of that kind before it. Only a quotation that opens its paragraph or
// follows a colon or comma is repaired. It returns the mark's position,
// or -1.
func (d *doc) crossClose(o *opening, p Span, fam family) int {
	if o.open > p.Start {
		prev := o.open - 1
		for prev > p.Start && isSpace(d.runes[prev]) {
			prev--
		}
		if r := d.runes[prev]; r != ':' && r != ',' {
			return -1
		}
	}
	for i := o.spanStart + 1; i < p.End; i++ {
		r := d.runes[i]
		f := familyOf(r)
		if f == 0 || f == fam {
			continue
		}
		op, cl := d.markRole(i, p.Start, p.End)
		if op && !cl {
			return -1 // a quotation of the other kind opens: this is no slip
		}
		if !cl || !strings.ContainsRune(",.?!", d.runes[i-1]) {
			continue
		}
		if i+1 == p.End || isSpace(d.runes[i+1]) {
			return i
		}
	}
	return -1
}

// continues says whether paragraph pi opens with a mark of family fam,
// which continues a quotation left open at the end of the paragraph before.
func (d *doc) continues(pi int, fam family) bool {
	p := d.paras[pi]
	if familyOf(d.runes[p.Start]) != fam {
		return false
	}
	o, _ := d.markRole(p.Start, p.Start, p.End)
	return o
}

func (d *doc) colonBefore(pos, ps int) bool {
	for i := pos - 1; i >= ps; i-- {
		if isSpace(d.runes[i]) {
			continue
		}
		return d.runes[i] == ':'
	}
	return false
}

// findQuotes pairs both families and keeps the outer quotations.
func (d *doc) findQuotes() {
	all := append(d.pairFamily(famDouble), d.pairFamily(famSingle)...)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].open != all[j].open {
			return all[i].open < all[j].open
		}
		return all[i].fam < all[j].fam
	})
	var kept []*rawQuote
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
			if last.fam == famSingle && q.fam == famDouble && last.closePoss {
				kept[len(kept)-1] = q
			}
			continue
		}
		// crossing marks: trust double marks over single ones
		if last.fam == famSingle && q.fam == famDouble {
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
			if !isSpace(d.runes[i]) {
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

// doubled says whether span s starts and ends with a quotation mark of
// one family and holds no other mark of that family: the inner half of a
// doubled mark.
func (d *doc) doubled(s Span) bool {
	f := familyOf(d.runes[s.Start])
	if f == 0 || familyOf(d.runes[s.End-1]) != f {
		return false
	}
	for i := s.Start + 1; i < s.End-1; i++ {
		if familyOf(d.runes[i]) != f {
			continue
		}
		// an apostrophe inside a word ("don't") is no mark
		if f == famSingle && isWordRune(d.runes[i-1]) && isWordRune(d.runes[i+1]) {
			continue
		}
		return false
	}
	return true
}

// hasWordRune: a span of marks and punctuation only quotes nothing.
func (d *doc) hasWordRune(s Span) bool {
	for _, r := range d.runes[s.Start:s.End] {
		if isWordRune(r) {
			return true
		}
	}
	return false
}

// trim drops the space inside the marks and the comma the attribution puts
// at the end of a quotation ("...better," she said).
func (d *doc) trim(s Span) Span {
	for s.Start < s.End && isSpace(d.runes[s.Start]) {
		s.Start++
	}
	for s.End > s.Start && isSpace(d.runes[s.End-1]) {
		s.End--
	}
	// a doubled mark typed for one: ""We will win,"" holds the words
	// inside the inner pair
	for s.Len() >= 2 && d.doubled(s) {
		s.Start++
		s.End--
		for s.Start < s.End && isSpace(d.runes[s.Start]) {
			s.Start++
		}
		for s.End > s.Start && isSpace(d.runes[s.End-1]) {
			s.End--
		}
	}
	if s.End > s.Start && d.runes[s.End-1] == ',' {
		s.End--
		for s.End > s.Start && isSpace(d.runes[s.End-1]) {
			s.End--
		}
	}
	return s
}

// term says whether a quote marks a name or a term rather than anyone's
// words, and so is no quotation: one the sentence introduces as a name
// ("the so-called "deal"", "a project code-named "Amad"", "known as
// "Rocket Man""), or, with no one to attribute it to, a title or name set
// in title case inside a sentence ("singing "Give Peace a Chance"", "told
// Bret Baier on "Special Report"").
func (d *doc) term(q *rawQuote) bool {
	if len(q.spans) != 1 || q.tok <= 0 {
		return false
	}
	text := string(d.runes[q.spans[0].Start:q.spans[0].End])
	if len(strings.Fields(text)) > 8 {
		return false
	}
	if d.namingFrame(q.tok - 1) {
		return true
	}
	if d.toks[q.tok-1].kind != tokWord && !d.isPunct(q.tok-1, ',') || d.isHeadline(q.tok) {
		return false // a quote that opens its sentence is speech; a headline capitalises all
	}
	// attributed, only where it stands as a noun would: `for "Take Your
	// Daughters and Sons to Work Day," noting`
	if q.attr.Speaker != "" && d.flags(q.tok-1)&(lexPrep|lexDet) == 0 {
		return false
	}
	return titleCase(text)
}

// namingFrame says whether the words ending at token p introduce what
// follows as a name: "so-called", "dubbed", "titled", "known as", or
// "called" after a noun or a comma ("the program, called", "a practice
// called") rather than after its subject ("Trump called").
func (d *doc) namingFrame(p int) bool {
	if !d.isWord(p) {
		return false
	}
	switch lw := d.lw(p); lw {
	case "so-called", "dubbed", "nicknamed", "titled", "entitled", "codenamed", "code-named", "headlined", "slogan", "hashtag", "motto":
		return true
	case "as":
		return d.isWord(p-1) && (d.lw(p-1) == "known" || d.lw(p-1) == "to" && d.isWord(p-2) && d.lw(p-2) == "referred")
	case "called", "named":
		if d.isPunct(p-1, ',') {
			return true
		}
		f := d.flags(p - 1)
		return d.isLowerTok(p-1) && f&(lexPronoun|lexAux|lexBe|lexRel) == 0 && nounKind(f) == SpeakerUnknown && f&lexDet == 0 && !strings.HasSuffix(d.lw(p-1), "ly")
	}
	return false
}

// titleCase says whether every word of s is capitalised but for short
// function words, with at least one word in capitals and small letters:
// "Give Peace a Chance", "Fox & Friends"; not "NO COLLUSION", not "deal".
func titleCase(s string) bool {
	mixed := false
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !(unicode.IsLetter(r) || r == '\'' || r == '’' || r == '-') }) {
		r, size := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			if smallWords[strings.ToLower(w)] {
				continue
			}
			return false
		}
		if strings.IndexFunc(w[size:], unicode.IsLower) >= 0 {
			mixed = true
		}
	}
	return mixed
}

// smallWords stay lower case in a title.
var smallWords = map[string]bool{"a": true, "an": true, "the": true, "and": true, "or": true, "nor": true, "but": true, "of": true, "for": true,
	"to": true, "in": true, "on": true, "at": true, "by": true, "with": true, "from": true, "as": true, "vs": true, "de": true, "la": true, "del": true}
