package data

import (
	"strings"

	"github.com/klauspost/compress/s2"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// How the store keeps what the analysis writes in bulk small (issue 13:
// the project of 16,000 analysed articles was 3.3 times their text, most
// of the excess half a million members' relation names, written out in
// each member's row and again in its cluster's listing, and the clusters'
// search text). Both forms are read, so projects written before read as
// they did; migration 11 marks a project that may hold the compact forms,
// so that an older Parallax refuses it rather than misread it.

// relationCodes are the letters that stand for the vocabulary's
// relations in a stored list of relations. Relation names are lower case,
// so a list made only of these letters is never a name; the letters are
// part of the file format: never change one.
var relationCodes = map[vocab.Relation]byte{
	vocab.RelVerbatim:      'V',
	vocab.RelNormalized:    'N',
	vocab.RelFragment:      'F',
	vocab.RelExtended:      'X',
	vocab.RelElided:        'E',
	vocab.RelInserted:      'I',
	vocab.RelReworded:      'R',
	vocab.RelIndirect:      'D',
	vocab.RelMisattributed: 'M',
	vocab.RelFiguresDiffer: 'G',
	vocab.RelReference:     'C',
}

// codeRelations is relationCodes the other way round.
var codeRelations = func() (out ['Z' + 1]vocab.Relation) {
	for r, c := range relationCodes {
		out[c] = r
	}
	return out
}()

// encodeRelations writes a member's relations as stored: a letter each,
// in order ("ER" for elided then reworded), or, where one is not the
// vocabulary's, the names joined by '+' as they were always written — led
// by a '+' where the names would otherwise read as letters.
func encodeRelations(rels []vocab.Relation) string {
	var b strings.Builder
	for _, r := range rels {
		c, ok := relationCodes[r]
		if !ok {
			joined := vocab.Join(rels, "+")
			if isCodes(joined) {
				return "+" + joined
			}
			return joined
		}
		b.WriteByte(c)
	}
	return b.String()
}

// decodeRelations reads what encodeRelations wrote, or the names joined
// by '+' of a project written before, each relation the vocabulary's own
// string where it is one, so that it keeps nothing of s.
func decodeRelations(s string) []vocab.Relation {
	if isCodes(s) {
		out := make([]vocab.Relation, len(s))
		for i := range len(s) {
			out[i] = codeRelations[s[i]]
		}
		return out
	}
	return canonicalRelations(strings.TrimPrefix(s, "+"))
}

// isCodes reports whether s is a list of relation letters.
func isCodes(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if c := s[i]; c > 'Z' || codeRelations[c] == "" {
			return false
		}
	}
	return true
}

// searchColumn is a cluster's search text as stored: compressed as an S2
// block, a blob, where that is shorter (its versions repeat one another's
// words, so it mostly is: 11.5 MB of search text became 3.7 MB at 16,000
// articles), else as text. S2 rather than deflate because Compare reads
// every cluster's text when it opens: 500,000 blocks decode in a quarter
// of a second, where inflating them took 2.4 s (deflate would have saved
// another 1.2 MB at 16,000 articles).
func searchColumn(folded string) any {
	if len(folded) < 64 {
		return folded
	}
	enc := s2.EncodeBetter(nil, []byte(folded))
	if len(enc) >= len(folded) {
		return folded
	}
	return enc
}
