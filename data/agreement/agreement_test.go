package agreement

import (
	"math"
	"testing"

	"github.com/parallax-research/parallax/data"
)

// units builds one coder's segments of code on article 1 from a string of
// one character per unit: each character in mark is a one-character
// segment of its own (adjacent units stay distinct, as the literature's
// unit-by-unit tables have them); code is the value's code ID.
func units(coder string, values string, code func(byte) int64) []Segment {
	var out []Segment
	for i := 0; i < len(values); i++ {
		if c := code(values[i]); c != 0 {
			out = append(out, Segment{Article: 1, Start: i, End: i + 1, Code: c, Coder: coder})
		}
	}
	return out
}

// spans builds segments of one code from character ranges.
func spans(coder string, code int64, rs ...[2]int) []Segment {
	var out []Segment
	for _, r := range rs {
		out = append(out, Segment{Article: 1, Start: r[0], End: r[1], Code: code, Coder: coder})
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func row(t *testing.T, rows []Row, code int64) Row {
	t.Helper()
	for _, r := range rows {
		if r.CodeID == code && r.Article == 0 {
			return r
		}
	}
	t.Fatalf("no row for code %d in %+v", code, rows)
	return Row{}
}

// Worked examples, each figure computed by hand (or given by the source)
// and checked exactly.
func TestWorkedExamples(t *testing.T) {
	one := []data.Code{{ID: 7, Name: "Finding"}}
	cases := []struct {
		name   string
		source string
		in     Input
		code   int64
		// want: counts and figures; NaN for "not computed".
		both, onlyA, onlyB, neither   int
		agreement, kappa, alphaBinary float64
	}{
		{
			// NVivo's documentation, "How is the percentage agreement
			// calculated?": a 1000-character source, 50 characters coded
			// by both users, 150 by one of them, 800 by neither: 85%.
			// The 150 split as 100 (A only) and 50 (B only) gives, by
			// NVivo's kappa formula: EF = (150·100 + 850·900)/1000 = 780,
			// kappa = (850 − 780)/(1000 − 780) = 70/220.
			name:   "NVivo documentation",
			source: "NVivo 12 Help, Run a coding comparison query",
			in: Input{Coders: []string{"A", "B"}, Articles: []Article{{ID: 1, Length: 1000}}, Codes: one,
				Segments: append(spans("A", 7, [2]int{0, 150}), spans("B", 7, [2]int{100, 200})...)},
			code: 7, both: 50, onlyA: 100, onlyB: 50, neither: 800,
			agreement: 85, kappa: 70.0 / 220, alphaBinary: math.NaN(),
		},
		{
			// Cohen's kappa's textbook example (Wikipedia, "Cohen's
			// kappa", worked example): 50 units, both yes 20, A yes B no
			// 5, A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5,
			// kappa = 0.4.
			name:   "Cohen's kappa textbook table",
			source: "Wikipedia, Cohen's kappa, Examples",
			in: Input{Coders: []string{"A", "B"}, Articles: []Article{{ID: 1, Length: 50}}, Codes: one,
				Segments: append(spans("A", 7, [2]int{0, 25}), spans("B", 7, [2]int{0, 20}, [2]int{25, 35})...)},
			code: 7, both: 20, onlyA: 5, onlyB: 10, neither: 15,
			agreement: 70, kappa: 0.4, alphaBinary: math.NaN(),
		},
		{
			// Krippendorff (2011), "Computing Krippendorff's
			// Alpha-Reliability", example A: two observers, binary data,
			// ten units. A: 0 1 0 0 0 0 0 0 1 0, B: 1 1 1 0 0 1 0 0 0 0.
			// Coincidences o00 = 10, o01 = o10 = 4, o11 = 2; n = 20:
			// alpha = 1 − 19·4/(14·6) = 1 − 76/84 ≈ 0.095. With every
			// unit one character, |uα is this alpha (Krippendorff 2019,
			// §12.6.4: |uα reduces to the binary alpha).
			name:   "Krippendorff binary example",
			source: "Krippendorff 2011, example A",
			in: Input{Coders: []string{"A", "B"}, Articles: []Article{{ID: 1, Length: 10}}, Codes: one,
				Segments: append(units("A", "0100000010", func(b byte) int64 { return int64(b-'0') * 7 }),
					units("B", "1110010000", func(b byte) int64 { return int64(b-'0') * 7 })...)},
			code: 7, both: 1, onlyA: 1, onlyB: 3, neither: 5,
			agreement: 60, kappa: (6 - (2.0*4+8*6)/10) / (10 - (2.0*4+8*6)/10), alphaBinary: 1 - 76.0/84,
		},
		{
			// Hand-computed unitizing case with long segments: a text of
			// 10 characters, A codes 0–4, B codes 2–6.
			// Coincidences (both directions): l11 = 4, l10 = l01 = 4,
			// l00 = 8; l1. = 8, l0. = 12, l.. = 20. Self-pairings: the
			// coded segments 4² + 4², the gaps 6 + 2 + 4 characters: 44.
			// D_e = (400 − 64 − 144)/(20 − 44/20) = 192/17.8,
			// alpha = 1 − 8·17.8/192 = 31/120.
			// NVivo: both 2, A only 2, B only 2, neither 4: 60%;
			// EF = (4·4 + 6·6)/10 = 5.2, kappa = 0.8/4.8 = 1/6.
			name:   "overlapping segments",
			source: "hand-computed",
			in: Input{Coders: []string{"A", "B"}, Articles: []Article{{ID: 1, Length: 10}}, Codes: one,
				Segments: append(spans("A", 7, [2]int{0, 4}), spans("B", 7, [2]int{2, 6})...)},
			code: 7, both: 2, onlyA: 2, onlyB: 2, neither: 4,
			agreement: 60, kappa: 1.0 / 6, alphaBinary: 31.0 / 120,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := Compute(c.in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := row(t, rows, c.code)
			t.Logf("%s: %+v", c.source, r)
			if r.Both != c.both || r.OnlyA != c.onlyA || r.OnlyB != c.onlyB || r.Neither != c.neither {
				t.Errorf("counts %d/%d/%d/%d, want %d/%d/%d/%d", r.Both, r.OnlyA, r.OnlyB, r.Neither, c.both, c.onlyA, c.onlyB, c.neither)
			}
			if !r.Agreement.OK || !near(r.Agreement.Value, c.agreement) {
				t.Errorf("agreement = %+v, want %v", r.Agreement, c.agreement)
			}
			if !r.Kappa.OK || !near(r.Kappa.Value, c.kappa) {
				t.Errorf("kappa = %+v, want %v", r.Kappa, c.kappa)
			}
			if !math.IsNaN(c.alphaBinary) && (!r.AlphaBinary.OK || !near(r.AlphaBinary.Value, c.alphaBinary)) {
				t.Errorf("α-binary = %+v, want %v", r.AlphaBinary, c.alphaBinary)
			}
		})
	}
}

// Krippendorff (2011), example B: two observers, nominal data (values a–e),
// twelve units, no missing data:
//
//	A: a a b b d c c c e d d a
//	B: b a b b b c c c e d d d
//
// n_a = 4, n_b = 6, n_c = 6, n_d = 6, n_e = 2 (n = 24); three units
// disagree, so Σ o_ck (c ≠ k) = 6, and alpha = 1 − 23·6/(24² − Σ n_c²)
// = 1 − 138/448 ≈ 0.692. As codes a–e of one domain, each unit a
// character both coders coded, cuα is this alpha (Krippendorff 2019,
// §12.6.5: cuα is alpha over the coded matter).
func TestCuAlphaKrippendorffExampleB(t *testing.T) {
	codes := []data.Code{{ID: 1, Name: "Domain", Category: true}}
	for i, n := range []string{"a", "b", "c", "d", "e"} {
		codes = append(codes, data.Code{ID: int64(10 + i), ParentID: 1, Name: n})
	}
	value := func(b byte) int64 { return 10 + int64(b-'a') }
	in := Input{Coders: []string{"A", "B"}, Articles: []Article{{ID: 1, Length: 12}}, Codes: codes,
		Segments: append(units("A", "aabbdcccedda", value), units("B", "babbbccceddd", value)...)}
	rows, err := Compute(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := row(t, rows, 1)
	if !r.CuAlpha.OK || !near(r.CuAlpha.Value, 1-138.0/448) || r.DomainCodes != 5 {
		t.Errorf("cu-α = %+v over %d codes, want %v over 5", r.CuAlpha, r.DomainCodes, 1-138.0/448)
	}
	// The overall row's domain is the whole codebook: the same here.
	if o := rows[len(rows)-1]; o.Code != OverallName || !o.CuAlpha.OK || !near(o.CuAlpha.Value, r.CuAlpha.Value) {
		t.Errorf("overall = %+v", o)
	}
	// A single code has no cu-α: its domain has one code.
	if a := row(t, rows, 10); a.CuAlpha.OK || a.CuAlpha.Why == "" {
		t.Errorf("cu-α of one code = %+v, want not computed with a reason", a.CuAlpha)
	}
}

// Three coders: counts are summed over the three pairs and kappa is the
// mean of the pairs' kappas (Light's kappa).
func TestThreeCoders(t *testing.T) {
	one := []data.Code{{ID: 7, Name: "Finding"}}
	in := Input{Coders: []string{"A", "B", "C"}, Articles: []Article{{ID: 1, Length: 10}}, Codes: one,
		Segments: append(append(spans("A", 7, [2]int{0, 4}), spans("B", 7, [2]int{2, 6})...), spans("C", 7, [2]int{0, 4})...)}
	rows, err := Compute(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := row(t, rows, 7)
	// A–B: 2/2/2/4 (kappa 1/6); A–C: 4/0/0/6 (kappa 1); B–C: 2/2/2/4 (1/6).
	if r.Both != 8 || r.OnlyA != 4 || r.OnlyB != 4 || r.Neither != 14 || !near(r.Agreement.Value, 100*22.0/30) {
		t.Errorf("counts = %+v", r)
	}
	if !near(r.Kappa.Value, (1.0/6+1+1.0/6)/3) {
		t.Errorf("kappa = %v", r.Kappa)
	}
}

// Figures with nothing to measure are reported as not computed, with the
// reason, never as a number.
func TestUndefinedFigures(t *testing.T) {
	one := []data.Code{{ID: 7, Name: "Finding"}}
	// Both coders coded the whole text: agreement 100%, kappa undefined.
	in := Input{Coders: []string{"A", "B"}, Articles: []Article{{ID: 1, Length: 10}}, Codes: one,
		Segments: append(spans("A", 7, [2]int{0, 10}), spans("B", 7, [2]int{0, 10})...)}
	rows, _ := Compute(in, Options{})
	r := row(t, rows, 7)
	if !near(r.Agreement.Value, 100) || r.Kappa.OK || r.Kappa.Why == "" || r.AlphaBinary.OK {
		t.Errorf("row = %+v", r)
	}
	if _, err := Compute(Input{Coders: []string{"A"}}, Options{}); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("one coder: %v", err)
	}
	// Two codes of one domain on the same characters by one coder:
	// cu-α is not computed.
	codes := []data.Code{{ID: 1, Name: "D"}, {ID: 2, ParentID: 1, Name: "x"}, {ID: 3, ParentID: 1, Name: "y"}}
	in = Input{Coders: []string{"A", "B"}, Articles: []Article{{ID: 1, Length: 10}}, Codes: codes,
		Segments: append(append(spans("A", 2, [2]int{0, 4}), spans("A", 3, [2]int{2, 6})...), spans("B", 2, [2]int{0, 4})...)}
	rows, _ = Compute(in, Options{})
	if r := row(t, rows, 1); r.CuAlpha.OK {
		t.Errorf("cu-α with overlapping codes of one coder = %+v", r.CuAlpha)
	}
}

// Per-article rows are NVivo's per-source figures; the code's row lays the
// articles end to end.
func TestByArticle(t *testing.T) {
	one := []data.Code{{ID: 7, Name: "Finding"}}
	in := Input{Coders: []string{"A", "B"}, Articles: []Article{{ID: 1, Title: "one", Length: 10}, {ID: 2, Title: "two", Length: 10}}, Codes: one,
		Segments: []Segment{
			{Article: 1, Start: 0, End: 4, Code: 7, Coder: "A"}, {Article: 1, Start: 2, End: 6, Code: 7, Coder: "B"},
			{Article: 2, Start: 5, End: 10, Code: 7, Coder: "A"}, {Article: 2, Start: 5, End: 10, Code: 7, Coder: "B"},
		}}
	rows, err := Compute(in, Options{ByArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1].Article != 1 || rows[2].Article != 2 || rows[3].Code != OverallName {
		t.Fatalf("rows = %+v", rows)
	}
	if !near(rows[1].Kappa.Value, 1.0/6) || !near(rows[2].Kappa.Value, 1) || !near(rows[1].Agreement.Value, 60) {
		t.Errorf("per article: %+v / %+v", rows[1], rows[2])
	}
	// The code's row: 20 characters, both 7, A only 2, B only 2, neither 9.
	if r := rows[0]; r.Both != 7 || r.OnlyA != 2 || r.OnlyB != 2 || r.Neither != 9 || r.Characters != 20 {
		t.Errorf("code row = %+v", r)
	}
}
