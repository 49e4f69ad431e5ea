package engine_test

import (
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckDoesNotAllocate guards the hot path: no allocation for allowed
// and denied answers, with and without secondary roles.
func TestCheckDoesNotAllocate(t *testing.T) {
	eng, qs := buildShape(t, smallShape, 2000)
	var seen [2][2]bool
	for _, q := range qs {
		allowed := eng.Check(q.user, q.role, q.sec, q.priv, q.obj).Allowed
		a, s := 0, int(q.sec)
		if allowed {
			a = 1
		}
		if seen[a][s] {
			continue
		}
		seen[a][s] = true
		allocs := testing.AllocsPerRun(1000, func() { eng.Check(q.user, q.role, q.sec, q.priv, q.obj) })
		assert.Zero(t, allocs, "allowed=%v secondary=%v", allowed, q.sec)
	}
	require.Equal(t, [2][2]bool{{true, true}, {true, true}}, seen, "every combination was exercised")
	missing := testing.AllocsPerRun(1000, func() {
		eng.Check(qs[0].user, qs[0].role, engine.SecondaryAll, model.PrivSelect, model.TableObject(1<<20))
	})
	assert.Zero(t, missing, "a missing object")
}
