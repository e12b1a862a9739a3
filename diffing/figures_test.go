package diffing

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parallax-research/parallax/diffing/difftest"
	"github.com/parallax-research/parallax/diffing/quote"
)

// fig is a figure as the tables state it: text, kind and canonical form.
type fig struct {
	text  string
	kind  FigureKind
	canon string
}

func (f fig) String() string { return fmt.Sprintf("%q %s %q", f.text, f.kind, f.canon) }

// figureCases feed both TestFigures and FuzzFigures' seed corpus, grouped
// by what they exercise.
var figureCases = []struct {
	group, in string
	want      []fig
}{
	// Digits.
	{"digits", "368 children", []fig{{"368", FigureNumber, "368"}}},
	{"digits", "the 1,365 children", []fig{{"1,365", FigureNumber, "1365"}}},
	{"digits", "1365 children", []fig{{"1365", FigureNumber, "1365"}}},
	{"digits", "1,200,000 people", []fig{{"1,200,000", FigureNumber, "1200000"}}},
	{"digits", "1 365 children", []fig{{"1 365", FigureNumber, "1365"}}},
	{"digits", "1\u00a0365\u00a0000 children", []fig{{"1\u00a0365\u00a0000", FigureNumber, "1365000"}}},
	{"digits", "cases 4, 5 100 times", []fig{{"4", FigureNumber, "4"}, {"5", FigureNumber, "5"}, {"100", FigureNumber, "100"}}},
	{"digits", "between 12 3456", []fig{{"12", FigureNumber, "12"}, {"3456", FigureNumber, "3456"}}},
	{"digits", "scores 5,6 and 7", []fig{{"5", FigureNumber, "5"}, {"6", FigureNumber, "6"}, {"7", FigureNumber, "7"}}},
	{"decimals", "a rate of 2.5 and 0.75", []fig{{"2.5", FigureNumber, "2.5"}, {"0.75", FigureNumber, "0.75"}}},
	{"decimals", "1,234.5 tonnes", []fig{{"1,234.5", FigureNumber, "1234.5"}}},
	// Spelled out.
	{"words", "seven monitoring visits", []fig{{"seven", FigureNumber, "7"}}},
	{"words", "Five referrals were made", []fig{{"Five", FigureNumber, "5"}}},
	{"words", "nineteen, twenty and ninety", []fig{{"nineteen", FigureNumber, "19"}, {"twenty", FigureNumber, "20"}, {"ninety", FigureNumber, "90"}}},
	{"words", "twenty-five staff and twenty five more", []fig{{"twenty-five", FigureNumber, "25"}, {"twenty five", FigureNumber, "25"}}},
	{"words", "two hundred people", []fig{{"two hundred", FigureNumber, "200"}}},
	{"words", "two hundred and fifty homes", []fig{{"two hundred and fifty", FigureNumber, "250"}}},
	{"words", "three thousand four hundred and twelve", []fig{{"three thousand four hundred and twelve", FigureNumber, "3412"}}},
	{"words", "a hundred and a million", []fig{{"a hundred", FigureNumber, "100"}, {"a million", FigureNumber, "1000000"}}},
	{"words", "one two", []fig{{"one", FigureNumber, "1"}, {"two", FigureNumber, "2"}}},
	{"words", "one and two", []fig{{"one", FigureNumber, "1"}, {"two", FigureNumber, "2"}}},
	{"scales", "1.2 million people", []fig{{"1.2 million", FigureNumber, "1200000"}}},
	{"scales", "two million", []fig{{"two million", FigureNumber, "2000000"}}},
	{"scales", "3bn and 4.5 billion", []fig{{"3bn", FigureNumber, "3000000000"}, {"4.5 billion", FigureNumber, "4500000000"}}},
	{"scales", "a 3m wall", nil},
	// "one" as a pronoun, "second" as an ordinal.
	{"one", "No one is asking", nil},
	{"one", "someone, anyone and everyone", nil},
	{"one", "the one who left and each one of them", nil},
	{"one", "they helped one another", nil},
	{"one", "I for one will not, when the next one comes", nil},
	{"one", "for one child", []fig{{"one", FigureNumber, "1"}}},
	{"one", "one of the children", []fig{{"one", FigureNumber, "1"}}},
	{"one", "one child death", []fig{{"one", FigureNumber, "1"}}},
	{"ordinal", "a second inspection", []fig{{"second", FigureOrdinal, "2nd"}}},
	{"ordinal", "the first, third and sixth visits", []fig{{"first", FigureOrdinal, "1st"}, {"third", FigureOrdinal, "3rd"}, {"sixth", FigureOrdinal, "6th"}}},
	{"ordinal", "3rd, 21st, 22nd, 11th, 112th", []fig{{"3rd", FigureOrdinal, "3rd"}, {"21st", FigureOrdinal, "21st"}, {"22nd", FigureOrdinal, "22nd"}, {"11th", FigureOrdinal, "11th"}, {"112th", FigureOrdinal, "112th"}}},
	{"ordinal", "twenty-first century", []fig{{"twenty-first", FigureOrdinal, "21st"}}},
	{"ordinal", "the twentieth", []fig{{"twentieth", FigureOrdinal, "20th"}}},
	// Percentages.
	{"percent", "40% of", []fig{{"40%", FigurePercent, "40%"}}},
	{"percent", "40 per cent", []fig{{"40 per cent", FigurePercent, "40%"}}},
	{"percent", "forty percent", []fig{{"forty percent", FigurePercent, "40%"}}},
	{"percent", "2.5 % and 12pc", []fig{{"2.5 %", FigurePercent, "2.5%"}, {"12pc", FigurePercent, "12%"}}},
	// Money.
	{"money", "£1.2m", []fig{{"£1.2m", FigureMoney, "£1200000"}}},
	{"money", "£1,200,000", []fig{{"£1,200,000", FigureMoney, "£1200000"}}},
	{"money", "£1.2 million", []fig{{"£1.2 million", FigureMoney, "£1200000"}}},
	{"money", "£3.5m and $3bn", []fig{{"£3.5m", FigureMoney, "£3500000"}, {"$3bn", FigureMoney, "$3000000000"}}},
	{"money", "€20k bonus", []fig{{"€20k", FigureMoney, "€20000"}}},
	{"money", "a 50p coin", []fig{{"50p", FigureMoney, "£0.5"}}},
	{"money", "50 pence and 20 pounds", []fig{{"50 pence", FigureMoney, "£0.5"}, {"20 pounds", FigureMoney, "£20"}}},
	{"money", "£ alone", nil},
	// Ages.
	{"age", "The 16-month-old died", []fig{{"16-month-old", FigureAge, "16 months old"}}},
	{"age", "16 months old", []fig{{"16 months old", FigureAge, "16 months old"}}},
	{"age", "a six-year-old boy", []fig{{"six-year-old", FigureAge, "6 years old"}}},
	{"age", "a 6 year-old boy", []fig{{"6 year-old", FigureAge, "6 years old"}}},
	{"age", "twenty-five-year-old", []fig{{"twenty-five-year-old", FigureAge, "25 years old"}}},
	{"age", "one-year-old twins", []fig{{"one-year-old", FigureAge, "1 year old"}}},
	{"age", "the 16-month-old’s death", []fig{{"16-month-old", FigureAge, "16 months old"}}},
	{"age", "aged 16", []fig{{"aged 16", FigureAge, "16 years old"}}},
	{"age", "aged six months", []fig{{"aged six months", FigureAge, "6 months old"}}},
	{"age", "aged 16 years old", []fig{{"aged 16 years old", FigureAge, "16 years old"}}},
	// Durations.
	{"duration", "for 18 months", []fig{{"18 months", FigureDuration, "18 months"}}},
	{"duration", "almost three years after", []fig{{"three years", FigureDuration, "3 years"}}},
	{"duration", "Three months later", []fig{{"Three months", FigureDuration, "3 months"}}},
	{"duration", "a five-year plan and a 24-hour service", []fig{{"five-year", FigureDuration, "5 years"}, {"24-hour", FigureDuration, "24 hours"}}},
	{"duration", "one day", []fig{{"one day", FigureDuration, "1 day"}}},
	{"duration", "day-to-day and year-on-year", nil},
	// Dates.
	{"date", "from 1 April.", []fig{{"1 April", FigureDate, "--04-01"}}},
	{"date", "on 1st of April 2023", []fig{{"1st of April 2023", FigureDate, "2023-04-01"}}},
	{"date", "April 1, 2023", []fig{{"April 1, 2023", FigureDate, "2023-04-01"}}},
	{"date", "on July 18 and 19", []fig{{"July 18", FigureDate, "--07-18"}, {"19", FigureNumber, "19"}}},
	{"date", "in September 2020.", []fig{{"September 2020", FigureDate, "2020-09"}}},
	{"date", "23 January 2023", []fig{{"23 January 2023", FigureDate, "2023-01-23"}}},
	{"date", "31/01/2023", []fig{{"31/01/2023", FigureDate, "2023-01-31"}}},
	{"date", "01/31/2023", []fig{{"01/31/2023", FigureDate, "2023-01-31"}}},
	{"date", "31/01/23", []fig{{"31/01/23", FigureDate, "2023-01-31"}}},
	{"date", "date 2023-01-31", []fig{{"2023-01-31", FigureDate, "2023-01-31"}}},
	{"date", "you may 5 times", []fig{{"5", FigureNumber, "5"}}},
	{"date", "January 25, 2022 at 8:10 pm #", []fig{{"January 25, 2022", FigureDate, "2022-01-25"}}},
	// Years.
	{"year", "an inspection in 2018.", []fig{{"2018", FigureYear, "2018"}}},
	{"year", "in the 1990s", []fig{{"1990s", FigureYear, "1990s"}}},
	{"year", "in mid-2019 and mid 2019", []fig{{"2019", FigureYear, "2019"}, {"2019", FigureYear, "2019"}}},
	{"year", "2018's report", []fig{{"2018", FigureYear, "2018"}}},
	{"year", "2000 metres", []fig{{"2000", FigureYear, "2000"}}},
	{"year", "9999 and 1066", []fig{{"9999", FigureNumber, "9999"}, {"1066", FigureNumber, "1066"}}},
	// Not figures.
	{"skipped", "at 8:10 pm and 10am, a 5km run, Covid-19, Published23", nil},
	{"skipped", "in her 30s", nil},
	{"skipped", "", nil},
}

func figsOf(fs []Figure) []fig {
	var out []fig
	for _, f := range fs {
		out = append(out, fig{f.Text, f.Kind, f.Canonical()})
	}
	return out
}

func TestFigures(t *testing.T) {
	for _, tc := range figureCases {
		t.Run(tc.group+"/"+tc.in, func(t *testing.T) {
			fs := Figures(tc.in)
			got := figsOf(fs)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("Figures(%q)\n got %v\nwant %v", tc.in, got, tc.want)
			}
			checkFigureSpans(t, tc.in, fs)
		})
	}
}

func checkFigureSpans(t *testing.T, text string, fs []Figure) {
	t.Helper()
	spans := make([]quote.Span, len(fs))
	texts := make([]string, len(fs))
	for i, f := range fs {
		spans[i], texts[i] = f.Span, f.Text
	}
	checkSpansForWords(t, "figure", text, spans, texts)
}

// TestFigureCanonicalAgrees checks the point of Canonical: the spellings
// outlets choose between give the same string.
func TestFigureCanonicalAgrees(t *testing.T) {
	for _, group := range [][]string{
		{"1,365", "1365", "1 365"},
		{"seven", "7"},
		{"£1.2m", "£1,200,000", "£1.2 million", "£1200000"},
		{"16-month-old", "16 months old", "16-months-old", "sixteen-month-old"},
		{"40%", "40 per cent", "forty percent", "40 percent", "40pc"},
		{"1 April 2023", "April 1, 2023", "1st April 2023", "2023-04-01", "01/04/2023"},
		{"21st", "twenty-first"},
		{"aged 6", "six-year-old", "6 years old"},
		{"two years", "2 years", "two-year"},
	} {
		var want string
		for i, s := range group {
			fs := Figures(s)
			if len(fs) != 1 {
				t.Errorf("Figures(%q) = %v, want one figure", s, figsOf(fs))
				continue
			}
			if i == 0 {
				want = fs[0].Canonical()
			} else if got := fs[0].Canonical(); got != want {
				t.Errorf("Canonical of %q = %q, of %q = %q: want equal", s, got, group[0], want)
			}
		}
	}
}

func TestFigureCanonicalFromFields(t *testing.T) {
	for _, tc := range []struct {
		f    Figure
		want string
	}{
		{Figure{Kind: FigureDate, Value: 20200900}, "2020-09"},
		{Figure{Kind: FigureDate, Value: 401}, "--04-01"},
		{Figure{Kind: FigureDate, Value: 20230131}, "2023-01-31"},
		{Figure{Kind: FigureMoney, Value: 0.5, Unit: "GBP"}, "£0.5"},
		{Figure{Kind: FigureAge, Value: 1, Unit: "year"}, "1 year old"},
		{Figure{Kind: FigureDuration, Value: 2, Unit: "century"}, "2 centuries"},
		{Figure{Kind: FigureOrdinal, Value: 13}, "13th"},
		{Figure{Kind: FigureYear, Value: 1990, Unit: "decade"}, "1990s"},
	} {
		if got := tc.f.Canonical(); got != tc.want {
			t.Errorf("%+v.Canonical() = %q, want %q", tc.f, got, tc.want)
		}
	}
}

// TestFiguresCorpus checks the findings a researcher sees in the Bradford
// articles (shared/corpus/README.md) with their kinds and canonical forms.
func TestFiguresCorpus(t *testing.T) {
	articles := difftest.Bradford(t)
	want := []struct {
		article string // file name prefix
		fig
	}{
		{"000", fig{"16-month-old", FigureAge, "16 months old"}},
		{"000", fig{"2018", FigureYear, "2018"}},
		{"000", fig{"September 2020", FigureDate, "2020-09"}},
		{"000", fig{"1 April", FigureDate, "--04-01"}},
		{"000", fig{"2023-01-31", FigureDate, "2023-01-31"}},
		{"001", fig{"seven", FigureNumber, "7"}},
		{"001", fig{"16-month-old", FigureAge, "16 months old"}},
		{"001", fig{"2018", FigureYear, "2018"}},
		{"001", fig{"second", FigureOrdinal, "2nd"}},
		{"002", fig{"1,365", FigureNumber, "1365"}},
		{"002", fig{"368", FigureNumber, "368"}},
		{"002", fig{"three years", FigureDuration, "3 years"}},
		{"003", fig{"Five", FigureNumber, "5"}},
		{"003", fig{"Three months", FigureDuration, "3 months"}},
		{"003", fig{"January 25, 2022", FigureDate, "2022-01-25"}},
		{"004", fig{"July 18", FigureDate, "--07-18"}},
	}
	found := make(map[string][]fig)
	for _, a := range articles {
		fs := Figures(a.Text)
		checkFigureSpans(t, a.Text, fs)
		found[a.Name[:3]] = figsOf(fs)
	}
	for _, w := range want {
		ok := false
		for _, f := range found[w.article] {
			ok = ok || f == w.fig
		}
		if !ok {
			t.Errorf("article %s: %v not found among %v", w.article, w.fig, found[w.article])
		}
	}
	// The context around the findings: "seven monitoring visits", "1,365
	// children", "368 children", "Five referrals".
	for _, c := range []struct{ article, figure, after string }{
		{"001", "seven", " monitoring visits"},
		{"002", "1,365", " children"},
		{"002", "368", " children"},
		{"003", "Five", " referrals"},
	} {
		for _, a := range articles {
			if !strings.HasPrefix(a.Name, c.article) {
				continue
			}
			ok := false
			for _, f := range Figures(a.Text) {
				if f.Text == c.figure {
					rest, _ := runeSliceForWords(a.Text, f.End, min(f.End+len([]rune(c.after)), len([]rune(a.Text))))
					ok = ok || rest == c.after
				}
			}
			if !ok {
				t.Errorf("article %s: no figure %q followed by %q", c.article, c.figure, c.after)
			}
		}
	}
	// "No one is asking Bradford" (003) is not a count.
	for _, a := range articles {
		for _, f := range Figures(a.Text) {
			if f.Text == "one" {
				before, _ := runeSliceForWords(a.Text, max(f.Start-3, 0), f.Start)
				if strings.EqualFold(before, "no ") {
					t.Errorf("article %s: %q at %v reported as a figure", a.Name, "no one", f.Span)
				}
			}
		}
	}
}

// TestFiguresGoldenCorpus keeps every corpus figure in
// testdata/figures/<article>.golden for review by eye; -update rewrites.
func TestFiguresGoldenCorpus(t *testing.T) {
	for _, a := range difftest.Bradford(t) {
		t.Run(a.Name, func(t *testing.T) {
			var b strings.Builder
			for _, f := range Figures(a.Text) {
				fmt.Fprintf(&b, "%d,%d\t%s\t%q\t%s\n", f.Start, f.End, f.Kind, f.Text, f.Canonical())
			}
			difftest.Golden(t, filepath.Join("testdata", "figures", a.Name+".golden"), b.String())
		})
	}
}

func FuzzFigures(f *testing.F) {
	for _, tc := range figureCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fs := Figures(text)
		checkFigureSpans(t, text, fs)
		for _, fg := range fs {
			if fg.Kind == "" {
				t.Fatalf("figure %q has no kind", fg.Text)
			}
			_ = fg.Canonical()
		}
	})
}

func BenchmarkFigures(b *testing.B) {
	articles := difftest.Bradford(b)
	size := 0
	for _, a := range articles {
		size += len(a.Text)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, a := range articles {
			Figures(a.Text)
		}
	}
}
