package propagate

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestAlignPrefix: matching the common prefix before the dynamic programme
// gives the alignment the programme gives alone, on wordings like a
// cluster's (a root and its trims, elisions and rewordings) and on random
// ones with repeated words; and every alignment spells both sequences.
func TestAlignPrefix(t *testing.T) {
	root := []int32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	cases := [][2][]int32{
		{root, root},
		{root, root[:7]},
		{root, root[3:]},
		{root, append(append([]int32{}, root[:4]...), root[6:]...)},
		{root, append(append([]int32{}, root[:4]...), append([]int32{42}, root[5:]...)...)},
		{root, nil},
		{nil, root},
		{[]int32{1, 2, 1}, []int32{1}},
		{[]int32{1, 2, 1, 2}, []int32{1, 2, 2, 1}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		a, b := make([]int32, r.IntN(12)), make([]int32, r.IntN(12))
		for i := range a {
			a[i] = r.Int32N(4)
		}
		for i := range b {
			b[i] = r.Int32N(4)
		}
		if r.IntN(2) == 0 {
			// A shared beginning, as most wordings have.
			k := min(len(a), r.IntN(6))
			b = append(append([]int32{}, a[:k]...), b...)
		}
		cases = append(cases, [2][]int32{a, b})
	}
	var table []int32
	for _, c := range cases {
		a, b := c[0], c[1]
		got := align(a, b, &table)
		want := alignRest(a, b, &table)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("align(%v, %v) = %+v, the programme alone %+v", a, b, got, want)
		}
		var ra, rb []int32
		for _, op := range got {
			switch op.kind {
			case opEqual:
				if !reflect.DeepEqual(a[len(ra):len(ra)+op.n], b[op.j:op.j+op.n]) || op.j != len(rb) {
					t.Fatalf("align(%v, %v): equal run %+v is not", a, b, op)
				}
				ra, rb = append(ra, a[len(ra):len(ra)+op.n]...), append(rb, b[op.j:op.j+op.n]...)
			case opDrop:
				ra = append(ra, a[len(ra):len(ra)+op.n]...)
			case opAdd:
				if op.j != len(rb) {
					t.Fatalf("align(%v, %v): add run %+v starts at %d", a, b, op, len(rb))
				}
				rb = append(rb, b[op.j:op.j+op.n]...)
			}
		}
		if !reflect.DeepEqual(ra, a) && len(a) > 0 || !reflect.DeepEqual(rb, b) && len(b) > 0 {
			t.Fatalf("align(%v, %v) = %+v spells %v and %v", a, b, got, ra, rb)
		}
	}
}
