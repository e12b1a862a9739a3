// Package agreement measures inter-coder agreement on a project's
// codings, at character level, as the qualitative analysis tools report
// it:
//
//   - Percentage agreement and Cohen's kappa as NVivo's coding comparison
//     defines them: for a code (with the codes under it, as NVivo's
//     aggregate codes: a scope is a subtree), every character of the compared articles
//     is a unit, coded by coder A or not, by coder B or not. Agreement is
//     (both + neither) / characters; kappa is (TA − ΣEF) / (TU − ΣEF)
//     with TA the characters of agreement, TU all characters and ΣEF the
//     agreement expected by chance, (a·b + (TU−a)(TU−b)) / TU for a and b
//     the characters each coder coded. NVivo computes it per source; here
//     the compared articles are laid end to end as one text, and the
//     per-article figures are there too (Options.ByArticle). With more than
//     two coders the counts are summed over every pair and kappa is the
//     mean of the pairs' kappas (Light's kappa).
//   - Krippendorff's alpha for unitized text, the family ATLAS.ti reports
//     (Krippendorff 2019, Content Analysis, 4th ed., §12.6; Krippendorff,
//     Mathet, Bouvry & Widlöcher 2016, Quality & Quantity 50): |uα, the
//     "α-binary" of a code (do the coders mark the same text with it at
//     all?), and cuα, the "cu-α" of a semantic domain (given text they both
//     coded, do they apply the same codes of the domain?). A domain is a
//     code's subtree; the overall row's domain is the whole codebook.
//     cuα assumes the codes of a domain are mutually exclusive: where one
//     coder applied two of them to the same characters it is not computed.
//
// Every figure comes with the counts behind it. Figures that are not
// defined for the data (no variation to expect disagreement from) are
// reported as not computed, with the reason, never as 0 or 1.
package agreement

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/parallax-research/parallax/data"
)

// Segment is one coder's coding of one code on a range of an article, in
// rune offsets.
type Segment struct {
	Article    int64
	Start, End int
	Code       int64
	Coder      string
}

// Input is what is compared: the coders (two or more), the articles with
// their lengths in characters, the codebook, and the segments. Segments on
// other articles or by other coders are ignored.
type Input struct {
	Coders   []string
	Articles []Article
	Codes    []data.Code
	Segments []Segment
}

// Article is a compared article and its length in characters.
type Article struct {
	ID     int64
	Title  string
	Length int
}

// Options choose what Compute reports.
type Options struct {
	// ByArticle adds a row per code and article (NVivo's per-source
	// figures) after each code's row.
	ByArticle bool
}

// Figure is a coefficient, or the reason it is not defined.
type Figure struct {
	Value float64
	OK    bool
	Why   string // when not OK
}

func (f Figure) String() string {
	if !f.OK {
		return "—"
	}
	return fmt.Sprintf("%.3f", f.Value)
}

// Row is the agreement on one code (or, with CodeID 0, on all codes), over
// the compared articles or (Article != 0) one of them.
type Row struct {
	CodeID int64
	Code   string // the code's path, "All codes" for the overall row
	// Article is set on a per-article row.
	Article      int64
	ArticleTitle string
	// Articles and Characters are what was compared.
	Articles, Characters int
	// Both, OnlyA, OnlyB and Neither count characters, summed over every
	// pair of coders (A the first of the pair).
	Both, OnlyA, OnlyB, Neither int
	// Agreement is (Both + Neither) / all, in percent.
	Agreement Figure
	// Kappa is Cohen's kappa (Light's with more than two coders).
	Kappa Figure
	// AlphaBinary is |uα: coded with this code, or not.
	AlphaBinary Figure
	// CuAlpha is cuα over the domain: this code's subtree.
	CuAlpha Figure
	// DomainCodes is how many codes cuα's domain has.
	DomainCodes int
}

// OverallName names the row over all codes.
const OverallName = "All codes"

// span is a half-open range on the continuum of articles laid end to end.
type span struct{ start, end int }

// Compute returns a row per code used by any coder in the compared
// articles (and per code with such codes under it), in codebook order,
// then the overall row.
func Compute(in Input, opt Options) ([]Row, error) {
	if len(in.Coders) < 2 {
		return nil, data.Errorf(data.EInvalid, "agreement needs two or more coders (got %d)", len(in.Coders))
	}
	if slices.ContainsFunc(in.Coders, func(c string) bool { return c == "" }) {
		return nil, data.Errorf(data.EInvalid, "a coder without a name cannot be compared")
	}
	// The continuum: articles end to end, each at its offset.
	offset := map[int64]int{}
	total := 0
	for _, a := range in.Articles {
		offset[a.ID] = total
		total += a.Length
	}
	coderIdx := map[string]int{}
	for i, c := range in.Coders {
		coderIdx[c] = i
	}
	// segs[code][coder] = spans on the continuum, as coded (unmerged).
	segs := map[int64][][]span{}
	for _, s := range in.Segments {
		off, ok := offset[s.Article]
		ci, ok2 := coderIdx[s.Coder]
		if !ok || !ok2 || s.End <= s.Start {
			continue
		}
		if segs[s.Code] == nil {
			segs[s.Code] = make([][]span, len(in.Coders))
		}
		segs[s.Code][ci] = append(segs[s.Code][ci], span{off + s.Start, off + s.End})
	}
	// A code gets a row when it or a code under it was used.
	var rows []Row
	for _, c := range in.Codes {
		sub := data.Subtree(in.Codes, []int64{c.ID})
		if !slices.ContainsFunc(sub, func(id int64) bool { return segs[id] != nil }) {
			continue
		}
		r := Row{CodeID: c.ID, Code: data.CodePath(in.Codes, c.ID), Articles: len(in.Articles), Characters: total}
		// A code's scope is its subtree: a character counts as coded with
		// a code when it is coded with it or a code under it (NVivo's
		// aggregate codes). A code without sub-codes is just itself.
		bySubtree := make([][]span, len(in.Coders))
		for _, id := range sub {
			for i, ss := range segs[id] {
				bySubtree[i] = append(bySubtree[i], ss...)
			}
		}
		perCoder := codedSpans(bySubtree, len(in.Coders))
		pairCounts(&r, perCoder, []span{{0, total}})
		r.AlphaBinary = alphaBinary(bySubtree, len(in.Coders), total)
		r.CuAlpha, r.DomainCodes = cuAlpha(segs, sub, len(in.Coders))
		rows = append(rows, r)
		if opt.ByArticle {
			for _, a := range in.Articles {
				ar := Row{CodeID: c.ID, Code: r.Code, Article: a.ID, ArticleTitle: a.Title, Articles: 1, Characters: a.Length}
				pairCounts(&ar, perCoder, []span{{offset[a.ID], offset[a.ID] + a.Length}})
				ar.AlphaBinary = Figure{Why: "per article: see the code's row"}
				ar.CuAlpha = Figure{Why: "per article: see the code's row"}
				rows = append(rows, ar)
			}
		}
	}
	rows = append(rows, overall(in, segs, total))
	return rows, nil
}

// overall pools every code: each pair's counts summed over codes (each
// character × code a unit), |uα for "coded with any code" and cuα over the
// whole codebook.
func overall(in Input, segs map[int64][][]span, total int) Row {
	r := Row{Code: OverallName, Articles: len(in.Articles)}
	var all []int64
	var pooled []counts
	anyCode := make([][]span, len(in.Coders))
	for _, c := range in.Codes {
		if segs[c.ID] == nil {
			continue
		}
		all = append(all, c.ID)
		r.Characters += total
		tables := pairTables(codedSpans(segs[c.ID], len(in.Coders)), []span{{0, total}})
		if pooled == nil {
			pooled = make([]counts, len(tables))
		}
		for k, t := range tables {
			pooled[k] = pooled[k].add(t)
		}
		for i, s := range segs[c.ID] {
			anyCode[i] = append(anyCode[i], s...)
		}
	}
	fill(&r, pooled)
	merged := make([][]span, len(in.Coders))
	for i, s := range anyCode {
		merged[i] = union(s)
	}
	r.AlphaBinary = alphaBinary(merged, len(in.Coders), total)
	r.CuAlpha, r.DomainCodes = cuAlpha(segs, all, len(in.Coders))
	return r
}

// codedSpans merges each coder's spans of one code: a character coded
// twice with the same code is coded.
func codedSpans(bycoder [][]span, coders int) [][]span {
	out := make([][]span, coders)
	for i := range out {
		if bycoder != nil {
			out[i] = union(bycoder[i])
		}
	}
	return out
}

// union merges overlapping or touching spans.
func union(ss []span) []span {
	s := slices.Clone(ss)
	slices.SortFunc(s, func(a, b span) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 && x.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, x.end)
			continue
		}
		out = append(out, x)
	}
	return out
}

// coveredIn is how many characters of within the merged spans cover.
func coveredIn(ss []span, within span) int {
	n := 0
	for _, s := range ss {
		n += max(0, min(s.end, within.end)-max(s.start, within.start))
	}
	return n
}

// intersect is the characters both merged span lists cover, within w.
func intersect(a, b []span, w span) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		lo, hi := max(a[i].start, b[j].start, w.start), min(a[i].end, b[j].end, w.end)
		n += max(0, hi-lo)
		if a[i].end < b[j].end {
			i++
		} else {
			j++
		}
	}
	return n
}

// counts is one pair of coders' 2×2 table, in characters.
type counts struct{ both, onlyA, onlyB, neither int }

func (c counts) add(o counts) counts {
	return counts{c.both + o.both, c.onlyA + o.onlyA, c.onlyB + o.onlyB, c.neither + o.neither}
}

// pairTables is the 2×2 table of every pair of coders (in order: 0-1,
// 0-2, …) over the characters in within.
func pairTables(perCoder [][]span, within []span) []counts {
	length := 0
	for _, w := range within {
		length += w.end - w.start
	}
	var out []counts
	for a := 0; a < len(perCoder); a++ {
		for b := a + 1; b < len(perCoder); b++ {
			var both, ca, cb int
			for _, w := range within {
				both += intersect(perCoder[a], perCoder[b], w)
				ca += coveredIn(perCoder[a], w)
				cb += coveredIn(perCoder[b], w)
			}
			out = append(out, counts{both, ca - both, cb - both, length - ca - cb + both})
		}
	}
	return out
}

// pairCounts fills r's counts and NVivo figures for the characters in
// within.
func pairCounts(r *Row, perCoder [][]span, within []span) {
	fill(r, pairTables(perCoder, within))
}

// fill sums the pairs' tables into r and computes the percentage
// agreement and the pairs' mean kappa.
func fill(r *Row, tables []counts) {
	var sum counts
	var kappas []float64
	for _, t := range tables {
		sum = sum.add(t)
		k := cohen(float64(t.both), float64(t.onlyA), float64(t.onlyB), float64(t.neither))
		if !k.OK {
			r.Kappa = k // one undefined pair leaves the mean undefined
			kappas = nil
			break
		}
		kappas = append(kappas, k.Value)
	}
	r.Both, r.OnlyA, r.OnlyB, r.Neither = sum.both, sum.onlyA, sum.onlyB, sum.neither
	r.Agreement = percent(sum.both+sum.neither, sum.both+sum.onlyA+sum.onlyB+sum.neither)
	if len(kappas) > 0 {
		mean := 0.0
		for _, k := range kappas {
			mean += k
		}
		r.Kappa = Figure{Value: mean / float64(len(kappas)), OK: true}
	} else if r.Kappa.Why == "" {
		r.Kappa = Figure{Why: "no characters compared"}
	}
}

func percent(n, of int) Figure {
	if of == 0 {
		return Figure{Why: "no characters compared"}
	}
	return Figure{Value: 100 * float64(n) / float64(of), OK: true}
}

// cohen is NVivo's kappa for one pair: (TA − ΣEF) / (TU − ΣEF).
func cohen(both, onlyA, onlyB, neither float64) Figure {
	tu := both + onlyA + onlyB + neither
	if tu == 0 {
		return Figure{Why: "no characters compared"}
	}
	a, b := both+onlyA, both+onlyB
	ef := (a*b + (tu-a)*(tu-b)) / tu
	if tu == ef {
		// Both coders coded everything or nothing: chance explains all.
		return Figure{Why: "every character coded alike by chance alone (one coder coded all or none of the text)"}
	}
	return Figure{Value: ((both + neither) - ef) / (tu - ef), OK: true}
}

// alphaBinary is |uα for one code: each coder's continuum is the code's
// segments (overlaps merged; touching segments stay distinct units) and
// the gaps between them.
func alphaBinary(bycoder [][]span, coders, total int) Figure {
	if bycoder == nil || total == 0 {
		return Figure{Why: "no characters compared"}
	}
	parts := make([][]valued, coders)
	for i := range parts {
		parts[i] = partition(mergeOverlaps(bycoder[i]), 1, total)
	}
	return alphaFrom(parts, false)
}

// cuAlpha is cuα over a domain of codes: among characters two coders both
// coded with a code of the domain, do they apply the same one?
func cuAlpha(segs map[int64][][]span, domain []int64, coders int) (Figure, int) {
	var used []int64
	for _, id := range domain {
		if segs[id] != nil {
			used = append(used, id)
		}
	}
	if len(used) < 2 {
		return Figure{Why: "its domain (the code and the codes under it) has fewer than two codes in use; see α-binary"}, len(used)
	}
	parts := make([][]valued, coders)
	for i := range parts {
		var vs []valued
		for v, id := range used {
			for _, s := range mergeOverlaps(segs[id][i]) {
				vs = append(vs, valued{s, v + 1})
			}
		}
		slices.SortFunc(vs, func(a, b valued) int { return cmp.Compare(a.start, b.start) })
		for k := 1; k < len(vs); k++ {
			if vs[k].start < vs[k-1].end {
				return Figure{Why: "a coder applied two codes of this domain to the same characters; cu-α needs its codes to be mutually exclusive"}, len(used)
			}
		}
		parts[i] = vs
	}
	return alphaFrom(parts, true), len(used)
}

// mergeOverlaps merges spans that overlap (not those that only touch: two
// adjacent annotations are two units).
func mergeOverlaps(ss []span) []span {
	s := slices.Clone(ss)
	slices.SortFunc(s, func(a, b span) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 && x.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, x.end)
			continue
		}
		out = append(out, x)
	}
	return out
}

// valued is a segment with its value: 0 is a gap, v > 0 a code.
type valued struct {
	span
	v int
}

// partition lays a coder's segments (all of value v) and the gaps between
// them over [0, total).
func partition(ss []span, v, total int) []valued {
	var out []valued
	pos := 0
	for _, s := range ss {
		if s.start > pos {
			out = append(out, valued{span{pos, s.start}, 0})
		}
		out = append(out, valued{s, v})
		pos = s.end
	}
	if pos < total {
		out = append(out, valued{span{pos, total}, 0})
	}
	return out
}

// alphaFrom computes Krippendorff's nominal alpha for unitized continua
// (Krippendorff 2019, §12.6, eqs. 32–37). Each coder's parts are valued
// segments. With coded false (|uα) the parts cover the continuum, gaps
// included, and a gap's characters are interchangeable single units while
// a coded segment is one unit. With coded true (cuα) only coded segments
// take part, each paired only with the other coders' coded matter.
func alphaFrom(parts [][]valued, coded bool) Figure {
	m := len(parts)
	// Observed coincidences ℓ_ck: each ordered pair of coders i ≠ j,
	// overlap lengths of their segments, over m−1.
	obs := map[[2]int]float64{}
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			if i == j {
				continue
			}
			for _, g := range parts[i] {
				for _, h := range parts[j] {
					if ov := min(g.end, h.end) - max(g.start, h.start); ov > 0 {
						obs[[2]int{g.v, h.v}] += float64(ov)
					}
				}
			}
		}
	}
	var tot, disagree float64
	marg := map[int]float64{}
	for k, n := range obs {
		n /= float64(m - 1)
		tot += n
		marg[k[0]] += n
		if k[0] != k[1] {
			disagree += n
		}
	}
	if tot == 0 {
		return Figure{Why: "no characters that two coders both coded"}
	}
	// Self-pairings excluded from the expected coincidences.
	var corr float64
	for i, ps := range parts {
		for _, g := range ps {
			l := float64(g.end - g.start)
			switch {
			case g.v == 0:
				corr += l
			case coded:
				p := float64(pairable(g.span, parts, i))
				corr += p * p
			default:
				corr += l * l
			}
		}
	}
	var sq float64
	for _, n := range marg {
		sq += n * n
	}
	denom := tot - corr/tot
	expected := (tot*tot - sq) / denom
	if expected <= 0 || denom <= 0 {
		return Figure{Why: "every coder used one value throughout: no disagreement to expect"}
	}
	return Figure{Value: 1 - disagree/expected, OK: true}
}

// pairable is how much of s the other coders' coded segments cover.
func pairable(s span, parts [][]valued, self int) int {
	var cover []span
	for j, ps := range parts {
		if j == self {
			continue
		}
		for _, h := range ps {
			if h.v != 0 {
				cover = append(cover, h.span)
			}
		}
	}
	return coveredIn(union(cover), s)
}
