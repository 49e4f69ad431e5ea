package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Summary describes a sample of durations, in nanoseconds.
type Summary struct {
	N    int     // the number of durations
	Mean float64 // their mean
	P50  float64 // the median
	P90  float64 // the 90th percentile
	P99  float64 // the 99th percentile
	P999 float64 // the 99.9th percentile
	Max  float64 // the largest
}

// Summarize sorts samples in place and returns their summary. Percentiles
// use the nearest-rank method, so each is a value of the sample.
func Summarize(samples []int64) Summary {
	if len(samples) == 0 {
		return Summary{}
	}
	slices.Sort(samples)
	var sum float64
	for _, v := range samples {
		sum += float64(v)
	}
	return Summary{
		N:    len(samples),
		Mean: sum / float64(len(samples)),
		P50:  float64(Percentile(samples, 0.50)),
		P90:  float64(Percentile(samples, 0.90)),
		P99:  float64(Percentile(samples, 0.99)),
		P999: float64(Percentile(samples, 0.999)),
		Max:  float64(samples[len(samples)-1]),
	}
}

// Percentile returns the q-quantile (0 < q <= 1) of sorted by the
// nearest-rank method: the smallest value with at least q of the sample at
// or below it. It returns 0 for an empty sample.
func Percentile(sorted []int64, q float64) int64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(q*float64(n))) - 1
	rank = max(0, min(rank, n-1))
	return sorted[rank]
}

// Recorder keeps a uniform random sample of bounded size of the durations
// recorded into it (reservoir sampling), in a buffer allocated up front so
// that recording never allocates. The maximum is tracked over every
// recorded duration, not only the kept ones.
type Recorder struct {
	buf  []int64
	seen int
	max  int64
	rng  *rand.Rand
	// Overhead is subtracted from every duration (the cost of reading the
	// clock twice), clamped at zero.
	Overhead int64
}

// NewRecorder returns a recorder that keeps up to capacity samples.
func NewRecorder(capacity int, seed uint64) *Recorder {
	return &Recorder{buf: make([]int64, 0, max(capacity, 1)), rng: rand.New(rand.NewPCG(seed, 1))}
}

// Record adds one duration of d nanoseconds.
func (r *Recorder) Record(d int64) {
	d = max(0, d-r.Overhead)
	r.seen++
	r.max = max(r.max, d)
	if len(r.buf) < cap(r.buf) {
		r.buf = append(r.buf, d)
		return
	}
	if j := r.rng.IntN(r.seen); j < len(r.buf) {
		r.buf[j] = d
	}
}

// Seen returns the number of durations recorded, kept or not.
func (r *Recorder) Seen() int { return r.seen }

// Summary sorts the kept samples and summarises them; Max is the maximum
// of every recorded duration and N the number recorded.
func (r *Recorder) Summary() Summary {
	s := Summarize(r.buf)
	s.N = r.seen
	s.Max = float64(r.max)
	return s
}

// clockOverhead estimates the cost of timing an empty interval with
// time.Now and time.Since: the median of many empty measurements.
func clockOverhead() int64 {
	const n = 20_001
	s := make([]int64, n)
	for i := range s {
		t := time.Now()
		s[i] = int64(time.Since(t))
	}
	slices.Sort(s)
	return s[n/2]
}
