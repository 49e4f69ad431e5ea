package engine_test

import (
	"testing"
)

func benchmarkCheck(b *testing.B, sh shape) {
	eng, qs := buildShape(b, sh, 1<<14)
	snap := eng.Snapshot()
	allowed := 0
	for _, q := range qs {
		if snap.Check(q.user, q.role, q.sec, q.priv, q.obj).Allowed {
			allowed++
		}
	}
	b.ReportMetric(float64(allowed)/float64(len(qs)), "allowed/op")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := &qs[i&(len(qs)-1)]
		eng.Check(q.user, q.role, q.sec, q.priv, q.obj)
		i++
	}
}

// BenchmarkCheckSmall decides random questions on the small shape.
func BenchmarkCheckSmall(b *testing.B) { benchmarkCheck(b, smallShape) }

// BenchmarkCheckMedium decides random questions on the medium shape.
func BenchmarkCheckMedium(b *testing.B) { benchmarkCheck(b, mediumShape) }

// BenchmarkCheckParallel decides random medium questions from all cores.
func BenchmarkCheckParallel(b *testing.B) {
	eng, qs := buildShape(b, mediumShape, 1<<14)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			q := &qs[i&(len(qs)-1)]
			eng.Check(q.user, q.role, q.sec, q.priv, q.obj)
			i++
		}
	})
}
