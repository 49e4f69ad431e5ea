package main

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkCheckColumnsAndDenials measures Engine.Check on the request
// streams of medium and its reference §18 variant (column grants and denials),
// with table-level and column-level checks, in one process so that they
// compare on equal terms.
func BenchmarkCheckColumnsAndDenials(b *testing.B) {
	for _, tc := range []struct {
		name   string
		preset string
		column float64
	}{
		{"medium", "medium", 0},
		{"medium-ultipa/table", "medium-ultipa", 0},
		{"medium-ultipa/column", "medium-ultipa", 1},
		{"wide-ultipa/column", "wide-ultipa", 1},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p := Presets[tc.preset]
			p.ColumnChecks, p.Mutations = tc.column, 0
			w, err := Generate(p)
			if err != nil {
				b.Fatal(err)
			}
			eng, err := NewEngine()
			if err != nil {
				b.Fatal(err)
			}
			if err := Load(eng, w); err != nil {
				b.Fatal(err)
			}
			reqs, unresolved := Resolve(eng.Snapshot(), w)
			if unresolved > 0 {
				b.Fatalf("%d unresolved checks", unresolved)
			}
			perm := rand.New(rand.NewPCG(1, 2)).Perm(len(reqs)) // random order, as pdp-bench asks
			b.ReportAllocs()
			var allowed int
			i := 0
			for b.Loop() {
				r := &reqs[perm[i%len(perm)]]
				if eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On).Allowed {
					allowed++
				}
				i++
			}
			b.ReportMetric(float64(allowed)/float64(i), "allowed/op")
		})
	}
}
