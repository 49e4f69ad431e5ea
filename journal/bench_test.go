package journal

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// The benchmarks append 200-byte payloads (about the size of a change
// record) to a journal in a temporary directory, on whatever disk holds it;
// set TMPDIR to measure another one.
//
//	go test -run '^$' -bench Append -benchtime 3s ./journal

const benchPayload = 200

// BenchmarkAppend is one writer: every append waits for its own fsync.
func BenchmarkAppend(b *testing.B) {
	j, _, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	p := make([]byte, benchPayload)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if err := j.Append(uint64(i), p); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	report(b, lat)
}

// BenchmarkAppendParallel8 is eight writers that assign revisions under a
// shared lock, as an engine's single writer would, and wait for durability
// outside it: appends that arrive during an fsync share the next one.
func BenchmarkAppendParallel8(b *testing.B) {
	const writers = 8
	j, _, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	p := make([]byte, benchPayload)
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
		lats [writers][]time.Duration
	)
	b.ResetTimer()
	for w := range writers {
		wg.Go(func() {
			for {
				start := time.Now()
				mu.Lock()
				if next == b.N {
					mu.Unlock()
					return
				}
				next++
				pending := j.AppendAsync(j.Next(), p)
				mu.Unlock()
				if err := pending.Wait(); err != nil {
					b.Error(err)
					return
				}
				lats[w] = append(lats[w], time.Since(start))
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	report(b, slices.Concat(lats[:]...))
}

// report adds appends per second and latency percentiles to the result.
func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
