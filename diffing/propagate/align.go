package propagate

import (
	"github.com/sergi/go-diff/diffmatchpatch"
)

// An alignment of two word-ID sequences a and b: runs of words both have
// (equal), words only a has (drop) and words only b has (add). j is where
// a run starts in b.
type alignOp struct {
	kind uint8
	n, j int
}

const (
	opEqual uint8 = iota
	opDrop
	opAdd
)

// dpLimit bounds the table of the exact longest common subsequence: the
// passages of a cluster are a sentence or a few (a few thousand cells);
// longer pairs, such as whole articles, go through go-diff's Myers diff.
const dpLimit = 1 << 16

// align aligns a and b on a longest common subsequence. table is scratch
// space for the dynamic programme, grown as needed and kept.
//
// Most wordings of a cluster begin as its root does: their common prefix
// is matched before the programme, which fills its table for the rest
// only. The alignment is the same, as the programme's walk back takes a
// pair of equal words whenever it meets one.
func align(a, b []int32, table *[]int32) []alignOp {
	if (len(a)+1)*(len(b)+1) > dpLimit {
		return alignMyers(a, b)
	}
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	if p == 0 {
		return alignRest(a, b, table)
	}
	out := []alignOp{{kind: opEqual, n: p, j: 0}}
	for _, op := range alignRest(a[p:], b[p:], table) {
		op.j += p
		out = append(out, op)
	}
	return out
}

// alignRest is align's dynamic programme, without the common prefix's
// shortcut.
func alignRest(a, b []int32, table *[]int32) []alignOp {
	n, m := len(a), len(b)
	w := m + 1
	if cap(*table) < (n+1)*w {
		*table = make([]int32, (n+1)*w)
	}
	t := (*table)[:(n+1)*w]
	// The last row and column are the empty suffixes' zero.
	for j := range w {
		t[n*w+j] = 0
	}
	for i := range n {
		t[i*w+m] = 0
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				t[i*w+j] = t[(i+1)*w+j+1] + 1
			case t[(i+1)*w+j] >= t[i*w+j+1]:
				t[i*w+j] = t[(i+1)*w+j]
			default:
				t[i*w+j] = t[i*w+j+1]
			}
		}
	}
	var out []alignOp
	push := func(kind uint8, j int) {
		if k := len(out) - 1; k >= 0 && out[k].kind == kind {
			out[k].n++
			return
		}
		out = append(out, alignOp{kind: kind, n: 1, j: j})
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			push(opEqual, j)
			i++
			j++
		case j == m || i < n && t[(i+1)*w+j] >= t[i*w+j+1]:
			push(opDrop, j)
			i++
		default:
			push(opAdd, j)
			j++
		}
	}
	return out
}

// alignMyers aligns long sequences with go-diff on the IDs as runes.
func alignMyers(a, b []int32) []alignOp {
	ra, rb := toRunes(a), toRunes(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var out []alignOp
	j := 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			out = append(out, alignOp{opEqual, n, j})
			j += n
		case diffmatchpatch.DiffDelete:
			out = append(out, alignOp{opDrop, n, j})
		case diffmatchpatch.DiffInsert:
			out = append(out, alignOp{opAdd, n, j})
			j += n
		}
	}
	return out
}

// toRunes encodes word IDs as runes from U+E000 on, above the surrogates:
// a cluster has far fewer distinct words than the million code points
// there.
func toRunes(ids []int32) []rune {
	out := make([]rune, len(ids))
	for i, id := range ids {
		out[i] = rune(id) + 0xE000
	}
	return out
}
