package data

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"sync"

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

// Deflate levels Parallax stores with, each with its pool of writers (a
// flate.Writer is 600 KB to make, and each compresses a short text).
var deflaters = map[int]*sync.Pool{}

func init() {
	for _, level := range []int{flate.BestSpeed, flate.DefaultCompression} {
		deflaters[level] = &sync.Pool{New: func() any {
			w, _ := flate.NewWriter(nil, level)
			return w
		}}
	}
}

// Deflate appends src, deflated at level (flate.BestSpeed or
// flate.DefaultCompression), to dst.
func Deflate(dst *bytes.Buffer, src []byte, level int) error {
	pool, ok := deflaters[level]
	if !ok {
		return fmt.Errorf("deflate: level %d not pooled", level)
	}
	w := pool.Get().(*flate.Writer)
	defer pool.Put(w)
	w.Reset(dst)
	if _, err := w.Write(src); err != nil {
		return err
	}
	return w.Close()
}

var inflaters = sync.Pool{New: func() any { return flate.NewReader(nil) }}

// Inflate is what Deflate deflated.
func Inflate(b []byte) ([]byte, error) {
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// searchColumn is a cluster's search text as stored: deflated, as a blob,
// where that is shorter (its versions repeat one another's words, so it
// mostly is: 11.5 MB of search text became 2.5 MB at 16,000 articles),
// else as text.
func searchColumn(folded string) (any, error) {
	if len(folded) < 64 {
		return folded, nil
	}
	var b bytes.Buffer
	if err := Deflate(&b, []byte(folded), flate.DefaultCompression); err != nil {
		return nil, fmt.Errorf("deflate search text: %w", err)
	}
	if b.Len() >= len(folded) {
		return folded, nil
	}
	return b.Bytes(), nil
}
