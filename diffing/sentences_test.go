package diffing

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/quote"
	"github.com/parallax-research/parallax/diffing/vocab"
)

// sentenceCases feed both TestSentences and FuzzSentences' seed corpus.
var sentenceCases = []struct {
	name string
	in   string
	want []string
}{
	{"empty", "", nil},
	{"blank", "  \n\t ", nil},
	{"one without stop", "Failings admitted in Star case", []string{"Failings admitted in Star case"}},
	{"two", "He left. She stayed.", []string{"He left.", "She stayed."}},
	{"question exclamation", "Why? Because! Yes.", []string{"Why?", "Because!", "Yes."}},
	{"mixed marks", "Really?! Yes.", []string{"Really?!", "Yes."}},
	{"closing quote kept", `"He left." She said.`, []string{`"He left."`, "She said."}},
	{"curly closing quote", "“We know.” Then silence.", []string{"“We know.”", "Then silence."}},
	{"quote then lowercase", `"Why?" she asked. He shrugged.`, []string{`"Why?" she asked.`, "He shrugged."}},
	{"comma in quote", `"Services have deteriorated overall," it said.`, []string{`"Services have deteriorated overall," it said.`}},
	{"bracket", "(See the report.) It is long.", []string{"(See the report.)", "It is long."}},
	{"quote opens next sentence", `He left. "We know," she said.`, []string{"He left.", `"We know," she said.`}},
	{"abbreviations titles", "Mr. Moore and Dr. Khan met Cllr. Green and Prof. Li at St. Mary's.", []string{"Mr. Moore and Dr. Khan met Cllr. Green and Prof. Li at St. Mary's."}},
	{"abbreviations Ms Mrs", "Mrs. Smith met Ms. Brown. They talked.", []string{"Mrs. Smith met Ms. Brown.", "They talked."}},
	{"dotted abbreviations", "The U.S. and U.K. agreed. Talks went on.", []string{"The U.S. and U.K. agreed.", "Talks went on."}},
	{"eg ie etc", "Fruit, e.g. apples, i.e. Bramleys, etc. Were sold.", []string{"Fruit, e.g. apples, i.e. Bramleys, etc. Were sold."}},
	{"vs", "Leeds vs. Bradford was close.", []string{"Leeds vs. Bradford was close."}},
	{"No.", "He lives at No. 10 Downing Street. She said no. Then left.", []string{"He lives at No. 10 Downing Street.", "She said no.", "Then left."}},
	{"months", "On Jan. 5 and Sept. 9 they met. Dec. 1 too.", []string{"On Jan. 5 and Sept. 9 they met.", "Dec. 1 too."}},
	{"am pm", "It opens at 9 a.m. Monday and shuts at 5 p.m. Friday.", []string{"It opens at 9 a.m. Monday and shuts at 5 p.m. Friday."}},
	{"decimal", "Costs rose 2.5 per cent. Then fell.", []string{"Costs rose 2.5 per cent.", "Then fell."}},
	{"initials", "J. K. Rowling wrote it. A. N. Other read it.", []string{"J. K. Rowling wrote it.", "A. N. Other read it."}},
	{"US titles", "Sen. Mark Wright met Gov. Jay Inslow and Lt. Gov. Ann Bell. Rep. Jane Roe, D-Calif. and Deputy Attorney Gen. Rod Ellis left.", []string{"Sen. Mark Wright met Gov. Jay Inslow and Lt. Gov. Ann Bell.", "Rep. Jane Roe, D-Calif. and Deputy Attorney Gen. Rod Ellis left."}},
	{"Rev Sgt Dr", "Rev. Al Greene, Sgt. Tom Bird and Dr. Amy Wu spoke. Then silence.", []string{"Rev. Al Greene, Sgt. Tom Bird and Dr. Amy Wu spoke.", "Then silence."}},
	{"ellipsis lowercase", "the experience... of many children had declined.", []string{"the experience... of many children had declined."}},
	{"ellipsis char lowercase", "the experience… of many. Next.", []string{"the experience… of many.", "Next."}},
	{"ellipsis capital", "He paused... Then he spoke.", []string{"He paused...", "Then he spoke."}},
	{"ellipsis char capital", "He paused… Then he spoke.", []string{"He paused…", "Then he spoke."}},
	{"paragraph without stop", "Headline here\nBody text. More.", []string{"Headline here", "Body text.", "More."}},
	{"paragraph mid sentence", "A sentence that\nbreaks.", []string{"A sentence that", "breaks."}},
	{"blank lines", "One.\n\n\nTwo.\r\nThree", []string{"One.", "Two.", "Three"}},
	{"lowercase after stop", "It cost 5 vs. 6 in the end. and so on.", []string{"It cost 5 vs. 6 in the end. and so on."}},
	{"number starts sentence", "It began in 2018. 368 children were moved.", []string{"It began in 2018.", "368 children were moved."}},
	{"list marker", "  1. Katy January 25, 2022 at 8:10 pm #", []string{"1. Katy January 25, 2022 at 8:10 pm #"}},
	{"url and email", "See bbc.co.uk or a@b.com now. Done.", []string{"See bbc.co.uk or a@b.com now.", "Done."}},
	{"no space after stop", "It ended.Then more.", []string{"It ended.Then more."}},
	{"surrounding whitespace", "   Padded.   Also.  ", []string{"Padded.", "Also."}},
	{"quote inside", `She said: "We know. It is bad." Then left.`, []string{`She said: "We know.`, `It is bad."`, "Then left."}},
	{"single quotes", "'Incredibly worrying.' He said so.", []string{"'Incredibly worrying.'", "He said so."}},
	{"unicode", "Zoë left. Ελλάδα won.", []string{"Zoë left.", "Ελλάδα won."}},
}

func TestSentences(t *testing.T) {
	for _, tc := range sentenceCases {
		t.Run(tc.name, func(t *testing.T) {
			ss := Sentences(tc.in)
			var got []string
			spans := make([]quote.Span, len(ss))
			texts := make([]string, len(ss))
			for i, s := range ss {
				got = append(got, s.Text)
				spans[i], texts[i] = s.Span, s.Text
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			checkSpansForWords(t, "sentence", tc.in, spans, texts)
		})
	}
}

func TestSentencesRuneOffsets(t *testing.T) {
	got := Sentences("“Zoë.” Ελλάδα.")
	want := []Sentence{{quote.Span{Start: 0, End: 6}, "“Zoë.”"}, {quote.Span{Start: 7, End: 14}, "Ελλάδα."}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestSentencesGoldenCorpus checks the split of every corpus article against
// testdata/sentences/<article>.golden: one line per sentence with its rune
// span, word count and hash (goldenDigest: no corpus text in the repo). Run with -update to rewrite the files after
// a deliberate change, then review the diff by eye.
func TestSentencesGoldenCorpus(t *testing.T) {
	for _, a := range difftest.Bradford(t) {
		t.Run(a.Name, func(t *testing.T) {
			var b strings.Builder
			for _, s := range Sentences(a.Text) {
				fmt.Fprintf(&b, "%d,%d\t%s\n", s.Start, s.End, goldenDigest(s.Text))
			}
			difftest.Golden(t, filepath.Join("testdata", "sentences", a.Name+".golden"), b.String())
		})
	}
}

func FuzzSentences(f *testing.F) {
	for _, tc := range sentenceCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ss := Sentences(text)
		spans := make([]quote.Span, len(ss))
		texts := make([]string, len(ss))
		for i, s := range ss {
			spans[i], texts[i] = s.Span, s.Text
			if strings.TrimFunc(s.Text, isSpaceOrIgnorable) != s.Text {
				t.Fatalf("sentence %q has surrounding whitespace", s.Text)
			}
		}
		checkSpansForWords(t, "sentence", text, spans, texts)
	})
}

func BenchmarkSentences(b *testing.B) {
	articles := difftest.Bradford(b)
	size := 0
	for _, a := range articles {
		size += len(a.Text)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, a := range articles {
			Sentences(a.Text)
		}
	}
}

// TestPassageSegmentsAbbreviations: alignment's sentence cuts, like
// Sentences, pass over titles, initials and dotted acronyms; it had cut a
// finding after "Mr." and kept of its cluster member only "Flynn, have
// pleaded guilty…".
func TestPassageSegmentsAbbreviations(t *testing.T) {
	cases := []struct {
		text string
		segs int // sentences alignment may cut the passage into (0: one)
	}{
		{"Four people, including Mr. Flynn, have pleaded guilty to lying to investigators.", 0},
		{"Sgt. Jones and Prof. Ali spoke.", 0},
		{"Boris Johnson, used Mr. The debate over the deal will go on.", 2},
		{"Dr. Patel said the ward was full. Gov. Hochul said more beds would come.", 2},
		{"The ward was full. More beds will come.", 2},
	}
	for _, c := range cases {
		p := newPassage(c.text, vocab.UnitFinding)
		if len(p.segs) != c.segs {
			var parts []string
			for _, s := range p.segs {
				parts = append(parts, string([]rune(c.text)[s.start:s.end]))
			}
			t.Errorf("%q: %d segments %q, want %d", c.text, len(p.segs), parts, c.segs)
		}
	}
}
