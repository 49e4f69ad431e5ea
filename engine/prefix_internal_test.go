package engine

import (
	"slices"
	"strings"
	"testing"

	must "github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// TestPrefixIndexMatchesANaiveScan: the levels an index finds along a name
// are exactly the patterns whose prefix starts the name, shortest first,
// and a walk is allowed exactly when one of them holds the privilege for a
// role of the set.
func TestPrefixIndexMatchesANaiveScan(t *testing.T) {
	word := rapid.StringOfN(rapid.SampledFrom([]rune("ab\u00e9")), 1, 5, -1)
	rapid.Check(t, func(t *rapid.T) {
		prefixes := rapid.SliceOfNDistinct(word, 0, 12, func(s string) string { return s }).Draw(t, "prefixes")
		var levels []patternEntry
		for i, p := range prefixes {
			e := entry{slot: uint32(i), privs: model.PrivSelect.Bit()}
			levels = append(levels, patternEntry{kind: i % 2, prefix: p, level: patternLevel{id: uint32(i + 1), entries: []entry{e}}})
		}
		x := buildPrefixIndex(levels)
		a := &accountView{}
		for range 20 {
			name := word.Draw(t, "name")
			var set inherit.Set
			for _, s := range rapid.SliceOfN(rapid.IntRange(0, 11), 0, 4).Draw(t, "set") {
				set = set.With(uint32(s))
			}
			for k := range 2 {
				var want []uint32
				held := false
				for i, p := range prefixes {
					if i%2 == k && strings.HasPrefix(name, p) {
						want = append(want, uint32(i+1))
						held = held || set.Has(uint32(i))
					}
				}
				var got []uint32
				for _, l := range x.along(k, name) {
					got = append(got, l.id)
				}
				slices.SortFunc(want, func(p, q uint32) int { return len(prefixes[p-1]) - len(prefixes[q-1]) })
				must.Equal(t, want, got, "along %q, kind %d", name, k)
				must.Equal(t, held, a.heldAlong(&x, k, name, set, model.PrivSelect.Bit()), "held along %q", name)
				must.False(t, a.heldAlong(&x, k, name, set, model.PrivInsert.Bit()), "nothing holds INSERT")
			}
			for i, p := range prefixes {
				l, ok := x.exact(i%2, p)
				must.True(t, ok)
				must.Equal(t, uint32(i+1), l.id)
			}
		}
		must.Len(t, x.all(), len(prefixes))
	})
}
