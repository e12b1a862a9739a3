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
	return sexOf(lexicon[strings.TrimSuffix(f[0], ".")], lexTitle)
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

// SameEntity compares the speakers of two attributions across articles:
// same is whether they name one person, known whether the names allow an
// answer at all. Two named people are the same when one name is the
// other's end ("Trump", "Donald Trump"; "Wasserman Schultz", "Debbie
// Wasserman Schultz") or they share a surname and compatible given names
// ("J. Smith", "John Smith"; "Chuck Schumer", "Charles Schumer"), and no
// title gives them different sexes. An unresolved post or role noun on
// either side ("the spokesman", "the president") is unknown, not
// different, and so is a lone word that starts the other name ("Kim",
// "Kim Jong Un"). For organisations, documents and groups only sameness
// is known: such sources often speak the same words.
func SameEntity(a, b Attribution) (same, known bool) {
	if a.Speaker == "" || b.Speaker == "" {
		return false, false
	}
	if a.Kind != SpeakerPerson || b.Kind != SpeakerPerson {
		if SameSpeaker(a.Speaker, b.Speaker) {
			return true, true
		}
		return false, false
	}
	for _, pair := range [2][2]string{{a.Speaker, b.Speaker}, {b.Speaker, a.Speaker}} {
		if parts := jointNames(pair[0]); len(parts) > 1 {
			for _, p := range parts {
				if s, k := SameEntity(Attribution{Speaker: p, Kind: SpeakerPerson}, Attribution{Speaker: pair[1], Kind: SpeakerPerson}); s || !k {
					return s, k
				}
			}
			return false, true
		}
	}
	if !isNamed(a.Speaker) || !isNamed(b.Speaker) {
		if strings.EqualFold(a.Speaker, b.Speaker) {
			return true, true
		}
		return false, false
	}
	if ga, gb := titleGender(a.Speaker), titleGender(b.Speaker); ga != 0 && gb != 0 && ga != gb {
		return false, true
	}
	ta, tb := nameWords(a.Speaker), nameWords(b.Speaker)
	if len(ta) == 0 || len(tb) == 0 {
		return false, false
	}
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	// "Kim Jong Un" and "Kim Jong-un"
	if strings.ReplaceAll(strings.Join(ta, ""), "-", "") == strings.ReplaceAll(strings.Join(tb, ""), "-", "") {
		return true, true
	}
	if slices.Equal(ta, tb[len(tb)-len(ta):]) {
		return true, true
	}
	if len(ta) == 1 {
		if ta[0] == tb[0] {
			return false, false // a family name given first, or a given name alone
		}
		return false, true
	}
	surA, surB := surnameWords(ta), surnameWords(tb)
	if !slices.Equal(surA, surB) {
		return false, true
	}
	return compatibleGiven(ta[0], tb[0]), true
}

// nameWords are a personal name's lower-case words without titles, a
// leading article, punctuation or a generational suffix.
func nameWords(s string) []string {
	ws := speakerWords(s)
	// "Chuck Sumner of New York": where from is no part of the name
	for i := 2; i < len(ws); i++ {
		if ws[i] == "of" {
			ws = ws[:i]
			break
		}
	}
	for len(ws) > 1 && nameSuffixes[ws[len(ws)-1]] {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// isNamed says whether a person speaker is a name ("Donald Trump", "Ms
// Okafor") rather than a post or a role noun ("the president", "a
// spokeswoman", "California Democrat"): it starts with a capital and has a
// word that is no title, post, determiner, nationality or place.
func isNamed(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return false
	}
	for _, w := range strings.Fields(s) {
		lw := strings.Trim(lowerWord(w), ".,;:")
		if lw == "" {
			continue
		}
		if lexicon[baseNoun(lw)]&(lexTitle|lexRole|lexDet|lexStop|lexNation|lexPlace|lexConnector|lexPersonNoun|lexGroupNoun) == 0 {
			return true
		}
	}
	return false
}
