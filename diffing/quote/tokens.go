package quote

import (
	"strings"
	"unicode"
)

// Tokens and sentences: the text outside quotes cut into words,
// punctuation and paragraph breaks, each whole quote one token, and the
// tokens grouped into sentences.

// tokKind is what a token is.
type tokKind uint8

const (
	tokWord tokKind = iota + 1
	tokPunct
	tokQuote // a whole outer quotation, marks included
	tokPara  // one or more line breaks
)

// token is a word, a punctuation mark, a paragraph break or a whole quote.
type token struct {
	s, e   int32 // rune range
	ls, le int32 // a word's lower-case form in doc.lower
	q      int32 // index into doc.quotes for tokQuote
	kind   tokKind
}

// IsLineBreak reports whether r ends a line, and so a paragraph: quotes
// run on from paragraph to paragraph only by their marks, and package
// diffing never lets a sentence cross one, so both use this one definition.
func IsLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

func isSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return unicode.IsSpace(r)
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// tokenize turns the text outside quotations into words and punctuation,
// with each quotation a single token, so that sentence splitting and the
// search for reporting verbs never look inside a quote.
func (d *doc) tokenize() {
	n := len(d.runes)
	d.toks = make([]token, 0, n/5+8)
	var lower strings.Builder
	lower.Grow(len(d.text))
	d.lowerSeen = map[string]bool{}
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
			d.toks = append(d.toks, token{s: int32(i), e: int32(q.end), kind: tokQuote, q: int32(qi)})
			i = q.end
			qi++
			continue
		}
		r := d.runes[i]
		switch {
		case IsLineBreak(r):
			j := i + 1
			for j < nextOpen && (IsLineBreak(d.runes[j]) || isSpace(d.runes[j])) {
				j++
			}
			d.toks = append(d.toks, token{s: int32(i), e: int32(j), kind: tokPara})
			i = j
		case isSpace(r):
			i++
		case isWordRune(r):
			j := i + 1
			for j < nextOpen {
				c := d.runes[j]
				if isWordRune(c) {
					j++
					continue
				}
				if j+1 < nextOpen && isWordRune(d.runes[j+1]) && strings.ContainsRune("'’-‐.&", c) {
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
			if unicode.IsLower(r) {
				d.lowerSeen[baseNoun(lower.String()[ls:])] = true
			}
			d.toks = append(d.toks, token{s: int32(i), e: int32(j), ls: ls, le: int32(lower.Len()), kind: tokWord})
			i = j
		default:
			d.toks = append(d.toks, token{s: int32(i), e: int32(i + 1), kind: tokPunct})
			i++
		}
	}
	d.lower = lower.String()
	d.wc = make([]int32, len(d.toks)+1)
	for i := range d.toks {
		d.wc[i+1] = d.wc[i]
		if d.toks[i].kind == tokWord && d.lw(i) != "that" {
			d.wc[i+1]++
		}
	}
}

// words is the number of words strictly between tokens x and y.
func (d *doc) words(x, y int) int {
	if y <= x+1 {
		return 0
	}
	return int(d.wc[y] - d.wc[x+1])
}

func (d *doc) isCapTok(i int) bool {
	return d.isWord(i) && unicode.IsUpper(d.runes[d.toks[i].s])
}

func (d *doc) isLowerTok(i int) bool {
	return d.isWord(i) && unicode.IsLower(d.runes[d.toks[i].s])
}

func (d *doc) isWord(i int) bool { return i >= 0 && i < len(d.toks) && d.toks[i].kind == tokWord }

func (d *doc) isPunct(i int, r rune) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	t := d.toks[i]
	return t.kind == tokPunct && d.runes[t.s] == r
}

func (d *doc) flags(i int) lexFlag {
	if !d.isWord(i) {
		return 0
	}
	return lexicon[d.lw(i)]
}

// textOf renders tokens [a, b] as in the article, with single spaces where
// the article has any space, so a role split over a line still reads well.
func (d *doc) textOf(a, b int) string {
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

func (d *doc) splitSentences() {
	d.sentOf = make([]int32, len(d.toks))
	cur := 0
	flush := func(end int) {
		if end > cur {
			d.sents = append(d.sents, Span{cur, end})
		}
		cur = end
	}
	for i := range d.toks {
		if d.toks[i].kind == tokPara {
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

func (d *doc) endsSentence(i int) bool {
	t := d.toks[i]
	next := i + 1
	switch t.kind {
	case tokPunct:
		r := d.runes[t.s]
		if r != '.' && r != '!' && r != '?' {
			return false
		}
		if r == '.' && i > 0 && d.isWord(i-1) && d.toks[i-1].e == t.s {
			lw := d.lw(i - 1)
			// "Acme Ltd. "Together ..."": a quote after the full stop
			// shows the abbreviation ended the sentence; a title never does
			quoteNext := next < len(d.toks) && d.toks[next].kind == tokQuote && lexicon[lw]&lexTitle == 0
			if IsAbbreviation(d.w(i-1)) && !quoteNext {
				return false
			}
		}
		for next < len(d.toks) && d.toks[next].kind == tokPunct && strings.ContainsRune(")]’'\"”", d.runes[d.toks[next].s]) {
			next++
		}
		if next >= len(d.toks) || d.toks[next].kind != tokWord {
			return true
		}
		return d.isCapTok(next)
	case tokQuote:
		q := d.quotes[t.q]
		if !q.closed || !strings.ContainsRune(".!?", q.lastInner) {
			return false
		}
		if next >= len(d.toks) || d.toks[next].kind != tokWord {
			return true
		}
		return d.isCapTok(next) && !(q.lastInner != '.' && d.cueSoon(next))
	}
	return false
}

// cueSoon: a reporting verb within the next few words, as in `"Why?" Smith
// asked.`, keeps a quote ending in a question mark in its sentence.
func (d *doc) cueSoon(i int) bool {
	for k := i; k < len(d.toks) && k < i+6; k++ {
		if d.isPunct(k, '.') && k > i && (d.flags(k-1)&lexTitle != 0 || d.isInitial(k-1)) {
			continue // "Mr. Mueller asked"
		}
		if !d.isWord(k) {
			return false
		}
		if !d.isLowerTok(k) {
			continue
		}
		// a reporting verb, or any verb straight after the name:
		// `"…?" Mr. Mueller planned to ask`
		_, ok := cueWords[d.lw(k)]
		return ok || k > i && d.isCapTok(k-1) && d.verbLike(k)
	}
	return false
}
