package diffing

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parallax-research/parallax/diffing/quote"
)

// FigureKind says what a figure counts or names.
type FigureKind string

// Figure kinds.
const (
	FigureNumber   FigureKind = "number"   // "1,365", "seven", "1.2 million"
	FigurePercent  FigureKind = "percent"  // "40%", "40 per cent"
	FigureMoney    FigureKind = "money"    // "£3.5m", "50p"
	FigureAge      FigureKind = "age"      // "16-month-old", "aged 16"
	FigureDate     FigureKind = "date"     // "1 April", "September 2020", "2023-01-31"
	FigureYear     FigureKind = "year"     // "2018", "1990s"
	FigureOrdinal  FigureKind = "ordinal"  // "first", "21st"
	FigureDuration FigureKind = "duration" // "18 months", "two years"
)

// Figure is a number, amount, date or age stated in a text.
type Figure struct {
	quote.Span
	// Text is the figure exactly as it appears in the text.
	Text string
	Kind FigureKind
	// Value is the quantity: the number, the percentage (40 for 40%), the
	// amount in whole currency units (0.5 for 50p), the age or duration in
	// Unit, the ordinal's rank, the year. A date is YYYYMMDD with the parts
	// the text leaves out as zero: 20200900 for "September 2020", 401 for
	// "1 April".
	Value float64
	// Unit is "GBP", "USD" or "EUR" for money; "year", "month", "week",
	// "day", "hour", "minute", "second" or "decade" for ages and durations;
	// "decade" for a year such as "1990s"; "" otherwise.
	Unit string
}

// Canonical is the normalised form used to compare figures across
// outlets, derived from Kind, Value and Unit alone so that every spelling
// of the same figure gives the same string: "1,365" and "1365" give
// "1365"; "seven" and "7" give "7"; "£1.2m" and "£1,200,000" give
// "£1200000"; "16-month-old" and "16 months old" give "16 months old";
// "40%", "40 per cent" and "forty percent" give "40%"; dates are ISO 8601
// ("2023-01-31", "2020-09", "--04-01" when the year is not given).
func (f Figure) Canonical() string {
	v := formatNumber(f.Value)
	switch f.Kind {
	case FigurePercent:
		return v + "%"
	case FigureMoney:
		return currencySymbol[f.Unit] + v
	case FigureAge:
		return v + " " + plural(f.Unit, f.Value) + " old"
	case FigureDuration:
		return v + " " + plural(f.Unit, f.Value)
	case FigureOrdinal:
		return v + ordinalSuffix(f.Value)
	case FigureYear:
		if f.Unit == "decade" {
			return v + "s"
		}
		return v
	case FigureDate:
		d := int64(f.Value)
		y, m, day := d/10000, d/100%100, d%100
		switch {
		case y == 0:
			return pad2("--", m) + pad2("-", day)
		case day == 0 && m == 0:
			return strconv.FormatInt(y, 10)
		case day == 0:
			return strconv.FormatInt(y, 10) + pad2("-", m)
		}
		return strconv.FormatInt(y, 10) + pad2("-", m) + pad2("-", day)
	}
	return v
}

func pad2(prefix string, n int64) string {
	if n < 10 {
		return prefix + "0" + strconv.FormatInt(n, 10)
	}
	return prefix + strconv.FormatInt(n, 10)
}

func formatNumber(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func plural(unit string, v float64) string {
	if v == 1 {
		return unit
	}
	if unit == "century" {
		return "centuries"
	}
	return unit + "s"
}

func ordinalSuffix(v float64) string {
	n := int64(v)
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return "th"
	case n%10 == 1:
		return "st"
	case n%10 == 2:
		return "nd"
	case n%10 == 3:
		return "rd"
	}
	return "th"
}

var currencySymbol = map[string]string{"GBP": "£", "USD": "$", "EUR": "€"}

var currencyOfSymbol = map[string]string{"£": "GBP", "$": "USD", "€": "EUR"}

var currencyWords = map[string]string{
	"pounds": "GBP", "pound": "GBP", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
}

var months = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
	"sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var timeUnits = map[string]string{
	"second": "second", "seconds": "second", "minute": "minute", "minutes": "minute",
	"hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week",
	"weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year",
	"decade": "decade", "decades": "decade", "century": "century", "centuries": "century",
}

// ageUnits are the units an age is given in; "a 16-hour-old" is not said.
var ageUnits = map[string]bool{"day": true, "week": true, "month": true, "year": true}

var scales = map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

// scaleExp is the power of ten of each scale word and suffix, so that
// "1.2 million" is parsed as "1.2e6", exactly 1200000, rather than by a
// float multiplication that lands a rounding error away.
var scaleExp = map[string]int{
	"thousand": 3, "million": 6, "billion": 9, "trillion": 12,
	"k": 3, "m": 6, "bn": 9, "tn": 12, "trn": 12,
}

var numberWords = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
	"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90,
}

var ordinalWords = map[string]float64{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
	"eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
	"fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
	"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
	"fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
	"hundredth": 100, "thousandth": 1000, "millionth": 1e6,
}

// notCountingOne are the words before "one" that make it a pronoun ("no
// one", "the one who", "any one of") rather than a count worth reporting.
var notCountingOne = map[string]bool{
	"no": true, "any": true, "some": true, "every": true, "each": true, "this": true,
	"that": true, "which": true, "the": true, "next": true, "last": true, "other": true,
	"another": true, "little": true, "loved": true,
}

// pronounOne reports whether the "one" at toks[i] is a pronoun or idiom
// rather than a count: "no one", "the next one", "one another", "I for one".
func (p *figParser) pronounOne(i int) bool {
	prev := p.normAt(i - 1)
	if notCountingOne[prev] || p.normAt(i+1) == "another" {
		return true
	}
	switch p.normAt(i - 2) {
	case "i", "we", "you", "he", "she", "they":
		return prev == "for"
	}
	return false
}

// Figures finds the numbers, amounts, percentages, ages, durations, dates,
// years and ordinals stated in text, in order and without overlaps. A
// figure spans all the words that state it ("£3.5 million", "aged 16",
// "April 1, 2023"), so its Canonical form can be compared across outlets.
// Times of day ("8:10 pm") and measurements in other units ("5km") are
// deliberately skipped rather than reported as bare numbers.
func Figures(text string) []Figure { return figuresOf(text, tokenize(text)) }

// figuresOf is Figures over text already tokenized.
func figuresOf(text string, toks []token) []Figure {
	p := figParser{text: text, toks: toks}
	for i := 0; i < len(p.toks); {
		if n := p.match(i); n > i {
			i = n
		} else {
			i++
		}
	}
	return p.out
}

type figParser struct {
	text string
	toks []token
	out  []Figure
}

// num is a number read from one or more tokens.
type num struct {
	v      float64
	next   int    // index of the first token after the number
	words  bool   // spelled out ("seven")
	plain  bool   // one token of digits only, no separators: a year candidate
	suffix string // letters glued to the last digit token ("p", "st", "s")
	trim   int    // bytes to leave off the end of the last token ("'s")
}

// gapOK reports whether toks[j] follows toks[j-1] on the same line with at
// most whitespace between: the words of one figure never span a paragraph.
func (p *figParser) gapOK(j int) bool {
	if j <= 0 || j >= len(p.toks) {
		return false
	}
	for _, r := range p.text[p.toks[j-1].be:p.toks[j].bs] {
		if quote.IsLineBreak(r) || !isSpaceOrIgnorable(r) {
			return false
		}
	}
	return true
}

func (p *figParser) adjacent(j int) bool {
	return j > 0 && j < len(p.toks) && p.toks[j-1].be == p.toks[j].bs
}

// normAt is token j's normalised text, or "" past the end.
func (p *figParser) normAt(j int) string {
	if j < 0 || j >= len(p.toks) {
		return ""
	}
	return p.toks[j].Norm
}

// emit records a figure over tokens [i, j), leaving off trim bytes at the
// end of the last token and lead bytes at the start of the first.
func (p *figParser) emit(kind FigureKind, i, j, lead, trim int, v float64, unit string) {
	bs, be := p.toks[i].bs+lead, p.toks[j-1].be-trim
	start := p.toks[i].Start + utf8.RuneCountInString(p.text[p.toks[i].bs:bs])
	end := p.toks[j-1].End - utf8.RuneCountInString(p.text[be:p.toks[j-1].be])
	p.out = append(p.out, Figure{Span: quote.Span{Start: start, End: end}, Text: p.text[bs:be], Kind: kind, Value: v, Unit: unit})
}

// stripPossessive takes a possessive "'s" off a normalised token ("the
// 16-month-old's death", "2018's report"), and says how many bytes of the
// original text that is.
func stripPossessive(t token) (string, int) {
	n, text := t.Norm, t.Text
	if len(n) <= 2 || !strings.HasSuffix(n, "'s") {
		return n, 0
	}
	if last := text[len(text)-1]; last != 's' && last != 'S' {
		return n, 0
	}
	r, size := utf8.DecodeLastRuneInString(text[:len(text)-1])
	if Normalize(string(r)) != "'" {
		return n, 0
	}
	return n[:len(n)-2], size + 1
}

// digitToken reads a token of the form 1365, 1,365, 2.5 or 3.5bn: the
// number as a string ParseFloat accepts, and any letters after it.
func digitToken(t token) (digits, suffix string, trim int, ok bool) {
	n, trim := stripPossessive(t)
	if n == "" || n[0] < '0' || n[0] > '9' {
		return "", "", 0, false
	}
	var b strings.Builder
	sawDot := false
	i := 0
scan:
	for ; i < len(n); i++ {
		c := n[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ',' && !sawDot:
			// A thousands separator: the tokenizer joins no other comma.
		case c == '.' && !sawDot && i+1 < len(n) && n[i+1] >= '0' && n[i+1] <= '9':
			sawDot = true
			b.WriteByte(c)
		default:
			break scan
		}
	}
	suffix = n[i:]
	for _, r := range suffix {
		if r < 'a' || r > 'z' {
			return "", "", 0, false
		}
	}
	return b.String(), suffix, trim, true
}

func parseScaled(digits string, exp int) float64 {
	s := digits
	if exp != 0 {
		s += "e" + strconv.Itoa(exp)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.Inf(1) // only on overflow: digits are validated
	}
	return v
}

// number reads a number at toks[i]: digits with any scale suffix or scale
// word after them, or a spelled-out number. In a money context m and k
// are millions and thousands; elsewhere "3m" is as likely to be metres.
func (p *figParser) number(i int, money bool) (num, bool) {
	t := p.toks[i]
	if t.Punct {
		return num{}, false
	}
	digits, suffix, trim, ok := digitToken(t)
	if !ok {
		v, next, ok := p.spelled(i)
		if !ok {
			return num{}, false
		}
		return num{v: v, next: next, words: true}, true
	}
	n := num{next: i + 1, trim: trim}
	if exp, isScale := scaleExp[suffix]; isScale && (money || suffix == "bn" || suffix == "tn" || suffix == "trn") {
		n.v = parseScaled(digits, exp)
		return n, true
	}
	n.suffix = suffix
	plain := suffix == "" && !strings.ContainsAny(t.Text, ",.")
	if plain && trim == 0 && len(digits) <= 3 {
		// "1 365": a thousands group after a space, where it is clearly one
		// number (see spaceGrouped).
		j := i + 1
		for j < len(p.toks) && p.spaceGrouped(i, j) {
			digits += p.toks[j].Text
			j++
		}
		if j > i+1 {
			n.next, plain = j, false
		}
	}
	n.plain = plain
	exp := 0
	if suffix == "" && p.gapOK(n.next) {
		if e, isScale := scaleExp[p.normAt(n.next)]; isScale && scales[p.normAt(n.next)] > 0 {
			exp = e
			n.next++
			n.plain = false
		}
	}
	n.v = parseScaled(digits, exp)
	return n, true
}

// spaceGrouped reports whether toks[j] is a three-digit group continuing
// the number that starts at toks[first] across a space, as in "1 365". A
// no-break or thin space says so outright; an ordinary space only when
// nothing suggests two numbers side by side: a list ("4, 5 100"), a date
// ("May 5 100"), or a following group that is not three digits.
func (p *figParser) spaceGrouped(first, j int) bool {
	t := p.toks[j]
	if len(t.Text) != 3 || !isAllDigits(t.Text) || !p.gapOK(j) {
		return false
	}
	switch p.text[p.toks[j-1].be:t.bs] {
	case "\u00a0", "\u2009", "\u202f":
		return true
	case " ":
	default:
		return false
	}
	if first > 0 {
		prev := p.toks[first-1]
		if prev.Text == "," || isAllDigits(prev.Text) || months[prev.Norm] > 0 {
			return false
		}
	}
	after := p.normAt(j + 1)
	return !isAllDigits(after) || len(after) == 3
}

func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Categories of number words, for the little grammar in spelledWords.
const (
	catNone = iota
	catUnit
	catTens
	catHundred
	catScale
)

// numberWord classifies one normalised word: "seven", "twenty",
// "twenty-five", "hundred", "million".
func numberWord(w string) (cat int, v float64) {
	if v, ok := numberWords[w]; ok {
		if v >= 20 {
			return catTens, v
		}
		return catUnit, v
	}
	if w == "hundred" {
		return catHundred, 100
	}
	if v, ok := scales[w]; ok {
		return catScale, v
	}
	if tens, unit, ok := strings.Cut(w, "-"); ok {
		t, tok := numberWords[tens]
		u, uok := numberWords[unit]
		if tok && uok && t >= 20 && u >= 1 && u <= 9 {
			return catUnit, t + u
		}
	}
	return catNone, 0
}

// spelledWords reads the longest spelled-out number at the start of ws
// ("two hundred and fifty thousand"), returning its value and how many
// words it used; 0 words if ws does not start with one. The grammar is
// strict enough that "one two" or "twenty eleven" stop after the first
// word instead of adding up.
func spelledWords(ws []string) (float64, int) {
	total, cur := 0.0, 0.0
	last := catNone
	used := 0
	for k := 0; k < len(ws); k++ {
		w := ws[k]
		var next int
		if k+1 < len(ws) {
			next, _ = numberWord(ws[k+1])
		}
		if w == "and" && (last == catHundred || last == catScale) && (next == catUnit || next == catTens) {
			continue
		}
		if w == "a" && last == catNone && (next == catHundred || next == catScale) {
			cur, last = 1, catUnit
			continue
		}
		c, v := numberWord(w)
		fresh := last == catNone || last == catHundred || last == catScale
		switch {
		case c == catUnit && (fresh || last == catTens && v < 10):
			cur += v
		case c == catTens && fresh:
			cur += v
		case c == catHundred && (last == catUnit || last == catTens) && cur > 0 && cur < 100:
			cur *= 100
		case c == catScale && (last == catUnit || last == catTens || last == catHundred):
			total += cur * v
			cur = 0
		default:
			return total + cur, used
		}
		last = c
		used = k + 1
	}
	return total + cur, used
}

// spelled reads a spelled-out number starting at toks[i], on one line.
func (p *figParser) spelled(i int) (float64, int, bool) {
	if c, _ := numberWord(p.toks[i].Norm); c == catNone && p.toks[i].Norm != "a" {
		return 0, 0, false // most words: no need to gather the ones after
	}
	var ws []string
	for j := i; j < len(p.toks) && len(ws) < 16; j++ {
		if j > i && !p.gapOK(j) {
			break
		}
		ws = append(ws, p.toks[j].Norm)
	}
	v, n := spelledWords(ws)
	if n == 0 {
		return 0, 0, false
	}
	return v, i + n, true
}

// partsNumber reads a whole number from the parts of a hyphenated token
// ("16", "six", "twenty five"); ok only if every part is used.
func partsNumber(parts []string) (float64, bool) {
	if len(parts) == 1 && isAllDigits(parts[0]) {
		return parseScaled(parts[0], 0), true
	}
	if len(parts) == 2 {
		if c, v := numberWord(parts[0] + "-" + parts[1]); c == catUnit {
			return v, true
		}
	}
	v, n := spelledWords(parts)
	return v, n == len(parts) && n > 0
}

func (p *figParser) match(i int) int {
	t := p.toks[i]
	if t.Punct {
		if cur, ok := currencyOfSymbol[t.Text]; ok && p.adjacent(i+1) {
			if n, ok := p.number(i+1, true); ok && n.suffix == "" {
				p.emit(FigureMoney, i, n.next, 0, n.trim, n.v, cur)
				return n.next
			}
		}
		return i
	}
	if next := p.matchDate(i); next > i {
		return next
	}
	if strings.Contains(t.Norm, "-") {
		if next := p.matchHyphenated(i); next > i {
			return next
		}
	}
	if t.Norm == "aged" && p.gapOK(i+1) {
		if n, ok := p.number(i+1, false); ok && n.suffix == "" {
			unit, next := "year", n.next
			if u, ok := timeUnits[p.normAt(next)]; ok && ageUnits[u] && p.gapOK(next) {
				unit, next = u, next+1
				if p.normAt(next) == "old" && p.gapOK(next) {
					next++
				}
			}
			p.emit(FigureAge, i, next, 0, 0, n.v, unit)
			return next
		}
	}
	if v, ok := ordinalWords[t.Norm]; ok {
		p.emit(FigureOrdinal, i, i+1, 0, 0, v, "")
		return i + 1
	}
	n, ok := p.number(i, false)
	if !ok {
		return i
	}
	if next := p.matchTime(i, n); next > i {
		return next
	}
	switch n.suffix {
	case "":
	case "p":
		p.emit(FigureMoney, i, n.next, 0, n.trim, n.v/100, "GBP")
		return n.next
	case "pc":
		p.emit(FigurePercent, i, n.next, 0, n.trim, n.v, "")
		return n.next
	case "st", "nd", "rd", "th":
		p.emit(FigureOrdinal, i, n.next, 0, n.trim, n.v, "")
		return n.next
	case "s":
		if len(t.Text) >= 5 && n.v >= 1000 && n.v < 3000 && math.Mod(n.v, 10) == 0 {
			p.emit(FigureYear, i, n.next, 0, n.trim, n.v, "decade")
		}
		return n.next
	default:
		return n.next // "5km", "10am": figures in units outside our kinds
	}
	j := n.next
	switch {
	case p.normAt(j) == "%" && (p.adjacent(j) || p.gapOK(j)):
		p.emit(FigurePercent, i, j+1, 0, 0, n.v, "")
		return j + 1
	case p.normAt(j) == "percent" && p.gapOK(j):
		p.emit(FigurePercent, i, j+1, 0, 0, n.v, "")
		return j + 1
	case p.normAt(j) == "per" && p.normAt(j+1) == "cent" && p.gapOK(j) && p.gapOK(j+1):
		p.emit(FigurePercent, i, j+2, 0, 0, n.v, "")
		return j + 2
	case currencyWords[p.normAt(j)] != "" && p.gapOK(j):
		p.emit(FigureMoney, i, j+1, 0, 0, n.v, currencyWords[p.normAt(j)])
		return j + 1
	case p.normAt(j) == "pence" && p.gapOK(j):
		p.emit(FigureMoney, i, j+1, 0, 0, n.v/100, "GBP")
		return j + 1
	}
	if p.gapOK(j) {
		un, trim := stripPossessive(p.toks[j])
		if u, ok := timeUnits[un]; ok {
			if ageUnits[u] && p.normAt(j+1) == "old" && p.gapOK(j+1) {
				p.emit(FigureAge, i, j+2, 0, 0, n.v, u)
				return j + 2
			}
			p.emit(FigureDuration, i, j+1, 0, trim, n.v, u)
			return j + 1
		}
		if u, ok := strings.CutSuffix(un, "-old"); ok && ageUnits[timeUnits[u]] {
			p.emit(FigureAge, i, j+1, 0, trim, n.v, timeUnits[u])
			return j + 1
		}
	}
	if n.plain && n.v >= 1800 && n.v <= 2100 && len(t.Text)-n.trim == 4 {
		p.emit(FigureYear, i, n.next, 0, n.trim, n.v, "")
		return n.next
	}
	if n.words && n.next == i+1 && t.Norm == "one" && p.pronounOne(i) {
		return i + 1
	}
	p.emit(FigureNumber, i, n.next, 0, n.trim, n.v, "")
	return n.next
}

// matchTime skips times of day ("8:10", "8:10 pm"), which are not among
// the figures compared and would otherwise be read as two numbers.
func (p *figParser) matchTime(i int, n num) int {
	if n.suffix != "" || n.words || !isAllDigits(p.toks[i].Text) || len(p.toks[i].Text) > 2 {
		return i
	}
	if p.normAt(i+1) != ":" || !p.adjacent(i+1) || !p.adjacent(i+2) || !isAllDigits(p.normAt(i+2)) || len(p.normAt(i+2)) != 2 {
		return i
	}
	j := i + 3
	if w := p.normAt(j); (w == "am" || w == "pm") && p.gapOK(j) {
		j++
	}
	return j
}

// dayNumber reads a day of the month at toks[j]: 1 to 31, bare or with an
// ordinal suffix.
func (p *figParser) dayNumber(j int) (int, bool) {
	if j >= len(p.toks) {
		return 0, false
	}
	digits, suffix, trim, ok := digitToken(p.toks[j])
	if !ok || trim != 0 || !isAllDigits(digits) || len(digits) > 2 {
		return 0, false
	}
	switch suffix {
	case "", "st", "nd", "rd", "th":
	default:
		return 0, false
	}
	d, _ := strconv.Atoi(digits)
	return d, d >= 1 && d <= 31
}

// yearNumber reads a four-digit year at toks[j].
func (p *figParser) yearNumber(j int) (int, bool) {
	if j >= len(p.toks) {
		return 0, false
	}
	s := p.toks[j].Text
	if len(s) != 4 || !isAllDigits(s) {
		return 0, false
	}
	y, _ := strconv.Atoi(s)
	return y, y >= 1000
}

// monthAt reads a month name at toks[j]. Only a capitalised name counts, so
// "may" the verb is never a date.
func (p *figParser) monthAt(j int) (int, bool) {
	if j < 0 || j >= len(p.toks) {
		return 0, false
	}
	m, ok := months[p.toks[j].Norm]
	if !ok {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(p.toks[j].Text)
	return m, unicode.IsUpper(r)
}

func (p *figParser) matchDate(i int) int {
	t := p.toks[i]
	emitDate := func(end, y, m, d int) int {
		p.emit(FigureDate, i, end, 0, 0, float64(y*10000+m*100+d), "")
		return end
	}
	// 2023-01-31
	if n := t.Text; len(n) == 10 && n[4] == '-' && n[7] == '-' && isAllDigits(n[:4]) && isAllDigits(n[5:7]) && isAllDigits(n[8:]) {
		y, _ := strconv.Atoi(n[:4])
		m, _ := strconv.Atoi(n[5:7])
		d, _ := strconv.Atoi(n[8:])
		if m >= 1 && m <= 12 && d >= 1 && d <= 31 {
			return emitDate(i+1, y, m, d)
		}
	}
	// 31/01/2023, read day first as British outlets write it unless the
	// month position is out of range.
	if isAllDigits(t.Text) && len(t.Text) <= 2 && p.normAt(i+1) == "/" && p.adjacent(i+1) && p.adjacent(i+2) &&
		isAllDigits(p.normAt(i+2)) && len(p.normAt(i+2)) <= 2 && p.normAt(i+3) == "/" && p.adjacent(i+3) && p.adjacent(i+4) &&
		isAllDigits(p.normAt(i+4)) && (len(p.normAt(i+4)) == 4 || len(p.normAt(i+4)) == 2) {
		a, _ := strconv.Atoi(t.Text)
		b, _ := strconv.Atoi(p.normAt(i + 2))
		y, _ := strconv.Atoi(p.normAt(i + 4))
		if y < 100 {
			y += 2000
		}
		d, m := a, b
		if m > 12 && d <= 12 {
			d, m = m, d
		}
		if m >= 1 && m <= 12 && d >= 1 && d <= 31 {
			return emitDate(i+5, y, m, d)
		}
	}
	// April 1, 2023; April 1; September 2020
	if m, ok := p.monthAt(i); ok && p.gapOK(i+1) {
		if d, ok := p.dayNumber(i + 1); ok {
			end := i + 2
			if p.normAt(end) == "," && p.adjacent(end) && p.gapOK(end+1) {
				if y, ok := p.yearNumber(end + 1); ok {
					return emitDate(end+2, y, m, d)
				}
			}
			if y, ok := p.yearNumber(end); ok && p.gapOK(end) {
				return emitDate(end+1, y, m, d)
			}
			if _, isUnit := timeUnits[p.normAt(end)]; !isUnit || !p.gapOK(end) {
				return emitDate(end, 0, m, d)
			}
		}
		if y, ok := p.yearNumber(i + 1); ok {
			return emitDate(i+2, y, m, 0)
		}
	}
	// 1 April, 1st of April 2023
	if d, ok := p.dayNumber(i); ok && p.gapOK(i+1) {
		j := i + 1
		if p.normAt(j) == "of" && p.gapOK(j+1) {
			j++
		}
		if m, ok := p.monthAt(j); ok {
			if y, ok := p.yearNumber(j + 1); ok && p.gapOK(j+1) {
				return emitDate(j+2, y, m, d)
			}
			return emitDate(j+1, 0, m, d)
		}
	}
	return i
}

// matchHyphenated reads figures written as one hyphenated word:
// "16-month-old", "six-year-old", "five-year" (plan), "twenty-first",
// "mid-2019".
func (p *figParser) matchHyphenated(i int) int {
	n, trim := stripPossessive(p.toks[i])
	parts := strings.Split(n, "-")
	if len(parts) < 2 {
		return i
	}
	last := parts[len(parts)-1]
	if last == "old" && len(parts) >= 3 {
		if u := timeUnits[parts[len(parts)-2]]; ageUnits[u] {
			if v, ok := partsNumber(parts[:len(parts)-2]); ok {
				p.emit(FigureAge, i, i+1, 0, trim, v, u)
				return i + 1
			}
		}
	}
	if u, ok := timeUnits[last]; ok {
		if v, ok := partsNumber(parts[:len(parts)-1]); ok {
			p.emit(FigureDuration, i, i+1, 0, trim, v, u)
			return i + 1
		}
	}
	if o, ok := ordinalWords[last]; ok && len(parts) == 2 && o < 10 {
		if tens, ok := numberWords[parts[0]]; ok && tens >= 20 {
			p.emit(FigureOrdinal, i, i+1, 0, trim, tens+o, "")
			return i + 1
		}
	}
	if len(last) == 4 && isAllDigits(last) {
		lead := strings.TrimSuffix(n, last)
		allLetters := true
		for _, r := range strings.TrimSuffix(lead, "-") {
			allLetters = allLetters && unicode.IsLetter(r)
		}
		y, _ := strconv.Atoi(last)
		if allLetters && y >= 1800 && y <= 2100 && trim == 0 {
			// Norm and Text have the same byte length here: both are
			// letters, ASCII hyphen and digits after the prefix check.
			if len(lead) < len(p.toks[i].Text) && strings.HasSuffix(p.toks[i].Text, last) {
				p.emit(FigureYear, i, i+1, len(p.toks[i].Text)-4, 0, float64(y), "")
				return i + 1
			}
		}
	}
	return i
}
