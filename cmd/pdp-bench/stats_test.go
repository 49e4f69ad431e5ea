package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPercentile(t *testing.T) {
	hundred := make([]int64, 100)
	for i := range hundred {
		hundred[i] = int64(i + 1)
	}
	tests := []struct {
		name   string
		sorted []int64
		q      float64
		want   int64
	}{
		{"empty", nil, 0.5, 0},
		{"one value", []int64{7}, 0.99, 7},
		{"median of odd", []int64{1, 2, 3}, 0.5, 2},
		{"median of even takes the lower", []int64{1, 2, 3, 4}, 0.5, 2},
		{"p50 of 1..100", hundred, 0.50, 50},
		{"p90 of 1..100", hundred, 0.90, 90},
		{"p99 of 1..100", hundred, 0.99, 99},
		{"p99.9 of 1..100 is the max", hundred, 0.999, 100},
		{"q 1 is the max", hundred, 1, 100},
		{"tiny q is the min", hundred, 0.0001, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Percentile(tt.sorted, tt.q))
		})
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]int64{5, 1, 4, 2, 3})
	assert.Equal(t, Summary{N: 5, Mean: 3, P50: 3, P90: 5, P99: 5, P999: 5, Max: 5}, s)
	assert.Equal(t, Summary{}, Summarize(nil))
}

func TestRecorderKeepsABoundedUniformSample(t *testing.T) {
	r := NewRecorder(1000, 1)
	r.Overhead = 10
	for i := range 100_000 {
		r.Record(int64(i + 10))
	}
	s := r.Summary()
	assert.Equal(t, 100_000, s.N)
	assert.Equal(t, 1000, len(r.buf))
	assert.Equal(t, float64(99_999), s.Max, "the max covers every recorded value")
	assert.InDelta(t, 50_000, s.P50, 5_000, "a uniform sample keeps the median")
	assert.InDelta(t, 99_000, s.P99, 2_000)
}

func TestRecorderClampsAtZero(t *testing.T) {
	r := NewRecorder(4, 1)
	r.Overhead = 50
	r.Record(20)
	r.Record(70)
	assert.Equal(t, []int64{0, 20}, r.buf)
	assert.Equal(t, float64(20), r.Summary().Max)
}

func TestUnits(t *testing.T) {
	assert.Equal(t, "81 ns", nsString(81.2))
	assert.Equal(t, "1.5 µs", nsString(1500))
	assert.Equal(t, "2.50 ms", nsString(2.5e6))
	assert.Equal(t, "3.0 KiB", bytesString(3*1024))
	assert.Equal(t, "1.20M", countString(1.2e6))
}
