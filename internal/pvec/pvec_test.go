package pvec

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSetSharesAndIsolates(t *testing.T) {
	e1 := &Edit{}
	var v Vec[int]
	v = v.Set(e1, 1, 10).Set(e1, 300, 30).Set(e1, 70000, 7).Set(e1, math.MaxUint32, 42)
	assert.Equal(t, 10, get(v, 1))
	assert.Equal(t, 30, get(v, 300))
	assert.Equal(t, 7, get(v, 70000))
	assert.Equal(t, 42, get(v, math.MaxUint32))
	assert.Equal(t, 0, get(v, 2))
	assert.Nil(t, v.At(1<<30))

	e2 := &Edit{}
	w := v.Set(e2, 1, 11).Set(e2, 2, 12)
	assert.Equal(t, 10, get(v, 1), "old version unchanged")
	assert.Equal(t, 0, get(v, 2), "old version unchanged")
	assert.Equal(t, 11, get(w, 1))
	assert.Equal(t, 12, get(w, 2))
	assert.Equal(t, 7, get(w, 70000))
}

func TestAtPointsIntoTheLeaf(t *testing.T) {
	e := &Edit{}
	v := Vec[int]{}.Set(e, 5, 1)
	p := v.At(5)
	v = v.Set(e, 5, 2) // same edit: rewritten in place
	assert.Equal(t, 2, *p)
	w := v.Set(&Edit{}, 5, 3) // new edit: copied
	assert.Equal(t, 2, *p)
	assert.Equal(t, 3, get(w, 5))
}

func get(v Vec[int], i uint32) int {
	if p := v.At(i); p != nil {
		return *p
	}
	return 0
}

func TestAllYieldsInIndexOrder(t *testing.T) {
	var v Vec[int]
	e := &Edit{}
	want := map[uint32]int{0: 1, 7: 2, 300: 3, 1 << 20: 4, math.MaxUint32: 5}
	for i, x := range want {
		v = v.Set(e, i, x)
	}
	got := map[uint32]int{}
	prev := int64(-1)
	for i, x := range v.All() {
		assert.Greater(t, int64(i), prev, "in index order")
		prev = int64(i)
		if *x != 0 {
			got[i] = *x
		}
	}
	assert.Equal(t, want, got)
	for range v.All() {
		break // stopping early is allowed
	}
}

func TestNewEditCopiesLeavesItFinds(t *testing.T) {
	e1 := &Edit{}
	v := Vec[int]{}.Set(e1, 1, 1).Set(e1, 2, 2)
	e2 := &Edit{}
	w := v.Set(e2, 1, 10)
	w = w.Set(e2, 2, 20) // the leaf e2 copied is now e2's: rewritten in place
	x := w.Set(&Edit{}, 3, 30)
	assert.Equal(t, []int{1, 2, 0}, []int{get(v, 1), get(v, 2), get(v, 3)})
	assert.Equal(t, []int{10, 20, 0}, []int{get(w, 1), get(w, 2), get(w, 3)})
	assert.Equal(t, []int{10, 20, 30}, []int{get(x, 1), get(x, 2), get(x, 3)})
}
