package diffing

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// passage is what matching needs of one distinct unit text. Months of
// coverage repeat the same sentence in hundreds of articles; each distinct
// text is tokenized once for matching, and its tokens are not kept: most
// passages match nothing, and tokens cost more memory than the text. A
// passage that lands in a cluster is tokenized once more, by detail, for
// its classification (the reference once per cluster, not per member).
type passage struct {
	text string
	kind vocab.UnitKind
	// stems are what passages are matched by: the comparison forms (see
	// detailed.words) crudely stemmed, and for findings without the
	// reporting frame ("The report found that").
	stems []string
	// count is the number of word tokens, as countWords counts them.
	count int
	// strip is how many leading stems stripFrame dropped.
	strip int
	// glue lists the stems where a capitalised word follows another word
	// with nothing but space between: where a sentence may have been run
	// into the words before it ("…a great success The President will…").
	glue []int
	// sentence is set when the text reads as a whole sentence: a capital
	// or digit first, a full stop, question or exclamation mark last.
	sentence bool
	// segs are the sentences of a passage that holds more than one (two
	// sentences run together by a missing full stop or a sentence
	// splitter's miss), nil for the usual single sentence: the parts
	// alignment may link to different clusters.
	segs []segment
}

// segment is one sentence of a passage: its first stem, and its range of
// runes in the passage's text.
type segment struct {
	stem       int
	start, end int
}

// detailed is a passage with what classification needs.
type detailed struct {
	*passage
	toks []token
	figs []Figure
	// words are the forms versions are compared by: normalised words,
	// contractions spelled out and hyphenated compounds split ("we've" =
	// "we have", "state-funded" = "state funded"), figures in canonical
	// form, punctuation dropped.
	words []string
	// tokOf is, for each word, the index of the token it comes from.
	tokOf []int
}

func newPassage(text string, kind vocab.UnitKind) *passage {
	return newPassageDetailed(text, kind).passage
}

// newPassageDetailed is newPassage keeping the details it computed on the
// way: for a passage made to be classified at once (a part cut out of a
// unit), which would otherwise be tokenized a second time.
func newPassageDetailed(text string, kind vocab.UnitKind) *detailed {
	d := newDetailed(&passage{text: text, kind: kind})
	p := d.passage
	for _, t := range d.toks {
		if !t.Punct {
			p.count++
		}
	}
	p.stems = make([]string, len(d.words))
	for i, w := range d.words {
		if strings.HasPrefix(w, "#") {
			p.stems[i] = w // a figure's canonical form
		} else {
			p.stems[i] = stem(w)
		}
	}
	stripped := 0
	if kind == vocab.UnitFinding {
		n := len(p.stems)
		p.stems = stripFrame(p.stems)
		stripped = n - len(p.stems)
	}
	p.strip = stripped
	for i, w := range d.tokOf {
		t := d.toks[w]
		if i == 0 || i > 0 && d.tokOf[i-1] == w || w == 0 || d.toks[w-1].Punct {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(t.Text); unicode.IsUpper(r) && i-stripped > 0 {
			p.glue = append(p.glue, i-stripped)
		}
	}
	p.segs = segments(d, d.tokOf, stripped, len(p.stems))
	p.sentence = isSentence(d.toks)
	return d
}

// isSentence reports whether tokens start with a capitalised word or a
// figure and end with a sentence's closing mark, quotation marks aside.
func isSentence(toks []token) bool {
	i, j := 0, len(toks)-1
	for i <= j && toks[i].Punct && !isSentenceEnd(toks[i].Text) {
		i++
	}
	for j >= i && toks[j].Punct && !isSentenceEnd(toks[j].Text) {
		j--
	}
	if i >= j || !isSentenceEnd(toks[j].Text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(toks[i].Text)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// segments cuts a passage into sentences at every full stop, question or
// exclamation mark or ellipsis followed by a space or a capital: where the
// sentence splitter did not cut (lower case after the mark, no space after
// it), alignment still can. Stem indexes count the stems stripFrame left;
// a passage of one sentence has no segments.
func segments(d *detailed, tokOf []int, stripped, stems int) []segment {
	var segs []segment
	from, fromRune := 0, 0
	for i, t := range d.toks {
		if !t.Punct || !isSentenceEnd(t.Text) || i+1 >= len(d.toks) {
			continue
		}
		next := d.toks[i+1]
		r, _ := utf8.DecodeRuneInString(next.Text)
		if next.Start == t.End && !unicode.IsUpper(r) {
			continue
		}
		// "Mr. Flynn", "Gov. Hochul": no sentence ends at a title's full
		// stop before a name; cut there, a cluster's member lost the words
		// before the name. Before "The" or "But" one does: a text cut at
		// the title's full stop and joined to another (as generated
		// corpora split sentences). After "U.S." or an initial a sentence
		// may end, and a passage Sentences did not cut there is cut here.
		if prev := d.toks[max(i-1, 0)]; i > 0 && t.Text == "." && !prev.Punct && prev.End == t.Start &&
			quote.IsTitleAbbreviation(prev.Text) && !quote.IsFunctionWord(next.Text) {
			continue
		}
		at, _ := slices.BinarySearch(tokOf, i+1) // words before the next token
		at -= stripped
		if at <= from || at >= stems {
			continue
		}
		segs = append(segs, segment{stem: from, start: fromRune, end: t.End})
		from, fromRune = at, next.Start
	}
	if len(segs) == 0 {
		return nil
	}
	return append(segs, segment{stem: from, start: fromRune, end: d.toks[len(d.toks)-1].End})
}

func isSentenceEnd(s string) bool {
	switch s {
	case ".", "!", "?", "…":
		return true
	}
	return strings.Count(s, ".") == len(s) && len(s) > 1 // an ellipsis typed as dots
}

// detail tokenizes the passage for classification.
func (p *passage) detail() *detailed { return newDetailed(p) }

func newDetailed(p *passage) *detailed {
	d := &detailed{passage: p, toks: tokenize(p.text)}
	d.figs = figuresOf(p.text, d.toks)
	d.words, d.tokOf = wordForms(d.toks, d.figs)
	return d
}

// wordForms turns tokens into comparison forms: punctuation dropped, each
// figure as one "#canonical" form, contractions spelled out, hyphenated
// compounds split.
func wordForms(toks []token, figs []Figure) (out []string, tokOf []int) {
	out = make([]string, 0, len(toks))
	tokOf = make([]int, 0, len(toks))
	fi := 0
	for i, t := range toks {
		if t.Punct {
			continue
		}
		for fi < len(figs) && figs[fi].End <= t.Start {
			fi++
		}
		if fi < len(figs) && figs[fi].Start <= t.Start && t.End <= figs[fi].End {
			c := "#" + figs[fi].Canonical()
			if len(out) == 0 || out[len(out)-1] != c {
				out = append(out, c)
				tokOf = append(tokOf, i)
			}
			continue
		}
		n := len(out)
		out = appendWordForm(out, t.Norm)
		for range len(out) - n {
			tokOf = append(tokOf, i)
		}
	}
	return out, tokOf
}

// appendWordForm appends the comparison forms of one normalised word.
func appendWordForm(out []string, w string) []string {
	if full, ok := contractions[w]; ok {
		return append(out, full...)
	}
	if strings.HasSuffix(w, "n't") && len(w) > 3 {
		// didn't, wouldn't, ... (won't, can't, ain't are in the table).
		return append(out, w[:len(w)-3], "not")
	}
	for _, suffix := range [...]string{"'ve", "'re", "'ll", "'m", "'d"} {
		if strings.HasSuffix(w, suffix) && len(w) > len(suffix) {
			return append(out, w[:len(w)-len(suffix)], contractionSuffix[suffix])
		}
	}
	if strings.ContainsAny(w, "-") && !strings.HasPrefix(w, "-") && !strings.HasSuffix(w, "-") {
		for part := range strings.SplitSeq(w, "-") {
			if part != "" {
				out = append(out, part)
			}
		}
		return out
	}
	return append(out, w)
}

// contractions spells out the contractions whose stem changes or whose 's
// means "is"; a possessive 's ("the council's") is left alone.
var contractions = map[string][]string{
	"won't": {"will", "not"}, "can't": {"can", "not"}, "cannot": {"can", "not"}, "ain't": {"am", "not"},
	"shan't": {"shall", "not"}, "let's": {"let", "us"},
	"it's": {"it", "is"}, "that's": {"that", "is"}, "there's": {"there", "is"}, "here's": {"here", "is"},
	"what's": {"what", "is"}, "who's": {"who", "is"}, "he's": {"he", "is"}, "she's": {"she", "is"},
	"where's": {"where", "is"}, "how's": {"how", "is"},
}

var contractionSuffix = map[string]string{"'ve": "have", "'re": "are", "'ll": "will", "'m": "am", "'d": "would"}

// compareWords are the comparison forms of s (see passage.words).
func compareWords(s string) []string {
	toks := tokenize(s)
	words, _ := wordForms(toks, figuresOf(s, toks))
	return words
}

// passages hands out one passage per distinct (kind, text), safe for
// concurrent use once built.
type passages map[passageKey]*passage

type passageKey struct {
	kind vocab.UnitKind
	text string
}

func (ps passages) of(u Unit) *passage { return ps[passageKey{u.Kind, u.Text}] }
