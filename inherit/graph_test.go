package inherit

import (
	"testing"

	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
)

// graph is a test role graph: parents[r] are the roles granted to r.
type graph map[model.RoleID][]model.RoleID

func (g graph) edges() Edges {
	return Edges{
		Parents: func(r model.RoleID) []model.RoleID { return g[r] },
		Children: func(r model.RoleID) []model.RoleID {
			var out []model.RoleID
			for c, ps := range g {
				for _, p := range ps {
					if p == r {
						out = append(out, c)
					}
				}
			}
			return out
		},
	}
}

func TestCycles(t *testing.T) {
	g := graph{2: {1}, 3: {2}} // 3 inherits 2 inherits 1
	e := g.edges()
	assert.True(t, WouldCycle(e, 3, 1), "granting 3 to 1 closes 1→2→3→1")
	assert.True(t, WouldCycle(e, 1, 1))
	assert.False(t, WouldCycle(e, 1, 3), "already implied, no cycle")
	assert.Equal(t, []model.RoleID{3, 2, 1}, Path(e, 3, 1))
	assert.Nil(t, Path(e, 1, 3))
}

func TestDependentsOrder(t *testing.T) {
	g := graph{2: {1}, 3: {1, 2}, 4: {3}, 5: {9}}
	order := Dependents(g.edges(), []model.RoleID{1})
	assert.ElementsMatch(t, []model.RoleID{1, 2, 3, 4}, order)
	pos := map[model.RoleID]int{}
	for i, r := range order {
		pos[r] = i
	}
	assert.Less(t, pos[1], pos[2])
	assert.Less(t, pos[2], pos[3])
	assert.Less(t, pos[3], pos[4])
}

func TestClosure(t *testing.T) {
	g := graph{2: {1}, 3: {2}}
	slot := func(r model.RoleID) uint32 { return uint32(r) * 40 }
	closures := map[model.RoleID]Set{}
	for _, r := range Dependents(g.edges(), []model.RoleID{1, 2, 3}) {
		closures[r] = Closure(g.edges(), r, slot, 0, func(p model.RoleID) Set { return closures[p] })
	}
	for _, slot := range []uint32{0, 40, 80, 120} {
		assert.True(t, closures[3].Has(slot), slot)
	}
	assert.False(t, closures[3].Has(160))
	assert.False(t, closures[1].Has(80))
	assert.False(t, closures[1].Has(1<<20))
	merged := closures[2]
	UnionInto(&merged, closures[1])
	assert.True(t, merged.Equal(closures[2]))
	assert.False(t, closures[2].Equal(closures[3]))
}
