package quote

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names: whether two speaker strings, as articles write them, name the
// same source.

// SameSpeaker reports whether two speaker strings name the same source:
// "Marium Haque", "Ms Haque" and "Haque" do; "Marium Haque" and "Susan
// Haque" do not; "the Department for Education" and "DfE" do; a joint
// "Charlotte Ramsden and Eileen Milner" names both. Titles, a leading
// "the", case and punctuation are ignored. Empty strings never match.
func SameSpeaker(a, b string) bool {
	// a joint attribution names each of its speakers
	for _, pair := range [2][2]string{{a, b}, {b, a}} {
		if parts := jointNames(pair[0]); len(parts) > 1 {
			for _, p := range parts {
				if SameSpeaker(p, pair[1]) {
					return true
				}
			}
			return false
		}
	}
	ta, tb := speakerWords(a), speakerWords(b)
	if len(ta) == 0 || len(tb) == 0 {
		return false
	}
	// "Ms Haque" is not "Mr Haque"
	if ga, gb := titleGender(a), titleGender(b); ga != 0 && gb != 0 && ga != gb {
		return false
	}
	if slices.Equal(ta, tb) {
		return true
	}
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	// acronym: "DfE" for "Department for Education"
	if len(ta) == 1 && len(tb) > 1 {
		var all, content strings.Builder
		for _, w := range tb {
			r, _ := utf8.DecodeRuneInString(w)
			all.WriteRune(r)
			if lexicon[w]&lexConnector == 0 {
				content.WriteRune(r)
			}
		}
		if ta[0] == all.String() || ta[0] == content.String() {
			return len(ta[0]) >= 2
		}
	}
	// surname alone against a full name, particles included; a common
	// noun is no surname: "the council" is not "Bradford Council"
	if len(ta) == 1 && lexicon[ta[0]]&(lexOrgNoun|lexDocNoun|lexGroupNoun|lexPersonNoun|lexOrgWord) != 0 {
		return false
	}
	surA := surnameWords(ta)
	surB := surnameWords(tb)
	if len(ta) == len(surA) {
		return slices.Equal(surA, surB) || len(ta) == 1 && ta[0] == tb[len(tb)-1]
	}
	// two full names: same surname and compatible given names ("J Smith")
	if !slices.Equal(surA, surB) {
		return false
	}
	ga, gb := ta[:len(ta)-len(surA)], tb[:len(tb)-len(surB)]
	if len(ga) == 0 || len(gb) == 0 {
		return true
	}
	x, y := ga[0], gb[0]
	if x == y {
		return true
	}
	if utf8.RuneCountInString(x) == 1 && strings.HasPrefix(y, x) || utf8.RuneCountInString(y) == 1 && strings.HasPrefix(x, y) {
		return true
	}
	return false
}

// titleGender is the sex a leading title gives, or 0.
func titleGender(s string) byte {
	f := strings.Fields(lowerWord(s))
	if len(f) < 2 {
		return 0
	}
	fl := lexicon[strings.TrimSuffix(f[0], ".")]
	switch {
	case fl&lexTitle == 0:
		return 0
	case fl&lexFemale != 0:
		return 'f'
	case fl&lexMale != 0:
		return 'm'
	}
	return 0
}

// jointNames splits "Charlotte Ramsden and Eileen Milner" into its
// names; a body's name with "and" in it ("Children and Families Trust")
// stays whole.
func jointNames(s string) []string {
	if !strings.Contains(s, " and ") {
		return nil
	}
	parts := strings.Split(s, " and ")
	for _, p := range parts {
		ws := strings.Fields(p)
		if len(ws) < 2 {
			return nil
		}
		for _, w := range ws {
			if lexicon[lowerWord(w)]&(lexOrgWord|lexOrgName) != 0 {
				return nil
			}
		}
	}
	return parts
}

// speakerWords lower-cases a speaker string into words without titles,
// a leading article or punctuation.
func speakerWords(s string) []string {
	f := strings.FieldsFunc(lowerWord(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' || r == '&')
	})
	out := f[:0]
	for i, w := range f {
		w = strings.Trim(w, "'-")
		if w == "" {
			continue
		}
		if i == 0 && w == "the" {
			continue
		}
		if lexicon[w]&lexTitle != 0 && len(f) > 1 && i < len(f)-1 {
			continue
		}
		out = append(out, w)
	}
	return out
}

// surnameWords is the family name of a lower-cased name: from the first
// particle after the given name, else the last word.
func surnameWords(ws []string) []string {
	if len(ws) > 1 && lexicon[ws[0]]&lexParticle != 0 {
		return ws
	}
	for i := 1; i < len(ws)-1; i++ {
		if lexicon[ws[i]]&lexParticle != 0 && ws[i] != "st" {
			return ws[i:]
		}
	}
	return ws[len(ws)-1:]
}
