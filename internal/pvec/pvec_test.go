package pvec

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSetSharesAndIsolates(t *testing.T) {
	e1 := &Edit{}
	var v Vec[int]
	v = v.Set(e1, 1, 10).Set(e1, 300, 30).Set(e1, 70000, 7)
	assert.Equal(t, 10, v.Get(1))
	assert.Equal(t, 30, v.Get(300))
	assert.Equal(t, 7, v.Get(70000))
	assert.Equal(t, 0, v.Get(2))
	assert.Equal(t, 0, v.Get(MaxIndex))
	assert.Equal(t, 0, v.Get(MaxIndex+1))

	e2 := &Edit{}
	w := v.Set(e2, 1, 11).Set(e2, 2, 12)
	assert.Equal(t, 10, v.Get(1), "old version unchanged")
	assert.Equal(t, 0, v.Get(2), "old version unchanged")
	assert.Equal(t, 11, w.Get(1))
	assert.Equal(t, 12, w.Get(2))
	assert.Equal(t, 7, w.Get(70000))
}

func TestSetOutOfRangePanics(t *testing.T) {
	assert.Panics(t, func() { Vec[int]{}.Set(&Edit{}, MaxIndex+1, 1) })
}
