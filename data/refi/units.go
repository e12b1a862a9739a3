package refi

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// REFI-QDA positions are meant to count Unicode code points, but tools
// count what their strings count: NVivo (.NET) counts UTF-16 code units,
// in which an emoji is two, and other tools have been seen counting bytes
// or counting a CRLF line end as one. Read decides the unit of each source
// from the evidence in the file, never by guessing:
//
//  1. A selection whose name is its text (QualCoder and Parallax write the
//     passage, or its first words and "…") must find that text at its
//     positions; the reading under which most selection texts match wins.
//  2. Otherwise the reading under which most selections start and end
//     between words (never inside one) wins: coders select words.
//  3. When the text cannot tell the readings apart, the unit the producer
//     (Project/@origin) is known to count decides; when nothing does,
//     selections that the readings would place differently are imported
//     orphaned, with a warning, never at a guessed place.

// posUnit is what a position counts.
type posUnit int

const (
	unitCodePoints posUnit = iota
	unitUTF16
	unitBytes
)

// reading is one way to count positions: a unit, and whether a CRLF line
// end counts as one.
type reading struct {
	unit    posUnit
	crlfOne bool
}

func (r reading) String() string {
	s := [...]string{"code points", "UTF-16 code units", "bytes (UTF-8)"}[r.unit]
	if r.crlfOne {
		s += ", a CRLF line end counted as one"
	}
	return s
}

// producerReading is the reading the tool named in origin is known to
// use, and that tool's name ("" when unknown, and then the zero reading).
func producerReading(origin string) (reading, string) {
	o := strings.ToLower(origin)
	for _, p := range []struct {
		key, name string
		r         reading
	}{
		// .NET and Windows strings are UTF-16.
		{"nvivo", "NVivo", reading{unit: unitUTF16}},
		{"maxqda", "MAXQDA", reading{unit: unitUTF16}},
		{"atlas", "ATLAS.ti", reading{unit: unitUTF16}},
		// Python strings and Go runes are code points.
		{"qualcoder", "QualCoder", reading{unit: unitCodePoints}},
		{"parallax", "Parallax", reading{unit: unitCodePoints}},
	} {
		if strings.Contains(o, p.key) {
			return p.r, p.name
		}
	}
	return reading{}, ""
}

// boundaries is, for one reading of a text, the position of each rune
// boundary: boundaries[k] is where rune k starts.
type boundaries []int

func readingBoundaries(rs []rune, r reading) boundaries {
	out := make(boundaries, len(rs)+1)
	pos := 0
	for k, c := range rs {
		out[k] = pos
		switch {
		case r.crlfOne && c == '\r' && k+1 < len(rs) && rs[k+1] == '\n':
			// counts nothing: the '\n' after it is the line end
		case r.unit == unitUTF16:
			pos += utf16.RuneLen(c)
		case r.unit == unitBytes:
			pos += utf8.RuneLen(c)
		default:
			pos++
		}
	}
	out[len(rs)] = pos
	return out
}

// rune returns the rune offset at position p, or false when p falls inside
// a character or outside the text. A position shared by a CR counted as
// nothing and its LF is the CR's.
func (b boundaries) rune(p int) (int, bool) {
	return slices.BinarySearch(b, p)
}

// isWordRune reports whether r is part of a word: cutting between two
// such runes splits the word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// betweenWords reports whether [start, end) of rs starts and ends at a
// word or paragraph boundary.
func betweenWords(rs []rune, start, end int) bool {
	splits := func(i int) bool { return i > 0 && i < len(rs) && isWordRune(rs[i-1]) && isWordRune(rs[i]) }
	return !splits(start) && !splits(end)
}

// matchText normalises a selection's name or text for comparison: NFC,
// line ends and runs of spaces as one space. A trailing "…" or "..." marks
// an excerpt, which need only begin the text.
func matchText(s string) (text string, excerpt bool) {
	s = norm.NFC.String(s)
	s = strings.Join(strings.Fields(s), " ")
	for _, e := range []string{"…", "..."} {
		if t, ok := strings.CutSuffix(s, e); ok {
			return strings.TrimSpace(t), true
		}
	}
	return s, false
}

// textMatches reports whether a selection's name is the text it selects.
func textMatches(name, selected string) bool {
	n, excerpt := matchText(name)
	if n == "" {
		return false
	}
	got, _ := matchText(selected)
	if excerpt {
		return strings.HasPrefix(got, n)
	}
	return got == n
}

// rawSelection is a selection's positions as the file has them.
type rawSelection struct {
	start, end int
	name       string
}

// sourceReading is the decision for one source.
type sourceReading struct {
	r reading
	// evidence says why, for the import summary.
	evidence string
	// runes are each selection's rune range in the raw text, and ok whether
	// it is placed; the others are imported orphaned, and why says why.
	runes [][2]int
	ok    []bool
	why   []string
}

// readingScore is how well one reading fits a source's selections.
type readingScore struct {
	r                   reading
	text, invalid, fits int
	runes               [][2]int
	valid, named        []bool
}

func (s *readingScore) key() [3]int { return [3]int{-s.text, s.invalid, -s.fits} }

// decideReading chooses the reading of a source's positions and places
// each selection under it (see the comment at the top of this file).
// producer is the producer's reading; known says whether there is one.
func decideReading(rs []rune, sels []rawSelection, producer reading, known bool) sourceReading {
	readings := []reading{{unit: unitCodePoints}, {unit: unitUTF16}, {unit: unitBytes}}
	if slices.Contains(rs, '\r') {
		readings = append(readings, reading{unitCodePoints, true}, reading{unitUTF16, true}, reading{unitBytes, true})
	}
	knownText := make([]bool, len(sels))
	scores := make([]*readingScore, len(readings))
	for i, r := range readings {
		b := readingBoundaries(rs, r)
		sc := &readingScore{r: r, runes: make([][2]int, len(sels)), valid: make([]bool, len(sels)), named: make([]bool, len(sels))}
		for j, s := range sels {
			a, ok1 := b.rune(s.start)
			e, ok2 := b.rune(s.end)
			if !ok1 || !ok2 || e <= a {
				sc.invalid++
				continue
			}
			sc.runes[j], sc.valid[j] = [2]int{a, e}, true
			if s.name != "" && textMatches(s.name, string(rs[a:e])) {
				sc.text++
				sc.named[j], knownText[j] = true, true
			}
			if betweenWords(rs, a, e) {
				sc.fits++
			}
		}
		scores[i] = sc
	}
	pref := func(r reading) int {
		switch {
		case known && r == producer:
			return 0
		case r == reading{}:
			return 1 // the standard's unit
		}
		return 2
	}
	slices.SortStableFunc(scores, func(x, y *readingScore) int {
		kx, ky := x.key(), y.key()
		if c := slices.Compare(kx[:], ky[:]); c != 0 {
			return c
		}
		return cmp.Compare(pref(x.r), pref(y.r))
	})
	best := scores[0]
	var tied []*readingScore
	for _, s := range scores {
		if s.key() == best.key() {
			tied = append(tied, s)
		}
	}
	// differs reports whether the tied readings place selection j apart.
	differs := func(j int) bool {
		for _, s := range tied[1:] {
			if s.valid[j] != best.valid[j] || s.runes[j] != best.runes[j] {
				return true
			}
		}
		return false
	}
	ambiguous := false
	for j := range sels {
		if differs(j) {
			ambiguous = true
			break
		}
	}
	// The text decides when one reading scores best alone; the producer
	// decides between readings the text cannot tell apart.
	byProducer := ambiguous && known && pref(best.r) == 0
	undecided := ambiguous && !byProducer
	// allAgree: every reading, not only the best ones, places every
	// selection alike (a text of ASCII and LF line ends, say).
	allAgree := true
	for _, s := range scores[1:] {
		for j := range sels {
			if s.valid[j] != best.valid[j] || s.runes[j] != best.runes[j] {
				allAgree = false
			}
		}
	}
	out := sourceReading{r: best.r, runes: best.runes, ok: make([]bool, len(sels)), why: make([]string, len(sels))}
	switch {
	case len(sels) == 0:
		out.evidence = "no selections"
	case allAgree:
		out.r = reading{}
		out.evidence = "every unit gives the same positions"
	case best.text > 0 && !undecided:
		out.evidence = fmt.Sprintf("the text of %d of %d selections is at their positions", best.text, len(sels))
	case !ambiguous:
		out.evidence = fmt.Sprintf("%d of %d selections start and end between words (%d when counted in %s)",
			best.fits, len(sels), scores[len(tied)].fits, scores[len(tied)].r)
	case byProducer:
		out.evidence = "the text cannot tell the units apart; the producer counts so"
	default:
		out.evidence = "the text cannot tell the units apart and the producer is not known"
	}
	for j, s := range sels {
		switch {
		case !best.valid[j]:
			out.why[j] = fmt.Sprintf("positions %d–%d do not fall on characters when counted in %s", s.start, s.end, best.r)
		case knownText[j] && !best.named[j]:
			out.why[j] = fmt.Sprintf("its text %q is not at positions %d–%d counted in %s", refiExcerpt(s.name, 40), s.start, s.end, best.r)
		case undecided && differs(j):
			out.why[j] = fmt.Sprintf("positions %d–%d mean different text in different units and nothing tells which", s.start, s.end)
		default:
			out.ok[j] = true
		}
	}
	return out
}
