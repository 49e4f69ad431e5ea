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

func TestSets(t *testing.T) {
	a := Set(nil).With(0).With(70)
	b := a.With(200)
	assert.True(t, b.Has(200) && b.Has(70) && b.Has(0))
	assert.False(t, a.Has(200), "With copies")
	assert.False(t, a.Has(1<<20))
	assert.True(t, b.Contains(a))
	assert.False(t, a.Contains(b))
	assert.True(t, a.Contains(Set{0, 0, 0, 0, 0}), "zero words beyond a are contained")
	c := Copy(a, 5)
	assert.Len(t, c, 5)
	assert.True(t, c.Equal(a))
	c = c.Add(300)
	assert.True(t, c.Has(300))
	assert.False(t, a.Has(300), "Copy copies")
	assert.Len(t, Copy(b, 1), len(b))
	merged := a
	UnionInto(&merged, Set(nil).With(130))
	assert.True(t, merged.Has(130) && merged.Has(70))
	assert.False(t, merged.Equal(a))
}

// labels is a test order: the labels of a graph's roles.
type labels map[model.RoleID]int64

func (l labels) order(g graph) Order {
	return Order{
		Edges:    g.edges(),
		Label:    func(r model.RoleID) int64 { return l[r] },
		SetLabel: func(r model.RoleID, v int64) { l[r] = v },
	}
}

func TestReorderLowersANewRole(t *testing.T) {
	g := graph{2: {1}, 3: {2}}
	l := labels{1: 1, 2: 2, 3: 3, 9: 9}
	g[1] = append(g[1], 9) // 1 now inherits the newer role 9
	l.order(g).Reorder(9, 1)
	assert.Less(t, l[9], l[1])
	assert.Equal(t, labels{1: 1, 2: 2, 3: 3, 9: 0}, l, "only 9 moved")
}

func TestReorderRaisesDescendants(t *testing.T) {
	// 9 has more ancestors than the budget: 1, 2, 3 move up instead.
	g := graph{2: {1}, 3: {2}}
	l := labels{1: 1, 2: 2, 3: 3}
	for i := range lowerBudget + 1 {
		a := model.RoleID(100 + i)
		g[9] = append(g[9], a)
		l[a] = 8
	}
	l[9] = 9
	g[1] = append(g[1], 9)
	l.order(g).Reorder(9, 1)
	assert.Equal(t, int64(10), l[1])
	assert.Equal(t, int64(11), l[2])
	assert.Equal(t, int64(12), l[3])
	assert.Equal(t, int64(9), l[9])
}

func TestPropagateVisitsInOrderAndStops(t *testing.T) {
	// 1 → 2 → 4, 1 → 3 → 4, 4 → 5; 3 reports no change.
	g := graph{2: {1}, 3: {1}, 4: {2, 3}, 5: {4}, 6: {5}}
	l := labels{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}
	var visited, seeds []model.RoleID
	l.order(g).Propagate([]model.RoleID{3, 1}, func(r model.RoleID, seed bool) bool {
		visited = append(visited, r)
		if seed {
			seeds = append(seeds, r)
		}
		return r != 5
	})
	assert.Equal(t, []model.RoleID{1, 2, 3, 4, 5}, visited, "each once, parents first, 6 never reached")
	assert.Equal(t, []model.RoleID{1, 3}, seeds, "3 is a seed though 1 reaches it too")
}

func TestPending(t *testing.T) {
	// Committed: 2 inherits 1. The transaction adds 3 (new) inheriting 2,
	// then 4 (committed, alone) inheriting 3.
	committed := map[model.RoleID]Set{1: Set(nil).With(1), 2: Set(nil).With(1).With(2), 4: Set(nil).With(4)}
	p := &Pending{
		Committed: func(r model.RoleID) (Set, bool) { s, ok := committed[r]; return s, ok },
		Children:  graph{2: {1}}.edges().Children,
		Slot:      func(r model.RoleID) uint32 { return uint32(r) },
	}
	assert.True(t, p.Inherits(2, 1))
	assert.False(t, p.Inherits(3, 1))
	p.Add(2, 3)
	p.Add(3, 4)
	assert.True(t, p.Inherits(4, 1), "through both additions")
	assert.True(t, p.Inherits(3, 2))
	assert.False(t, p.Inherits(1, 4))
	assert.Equal(t, Set(nil).With(4), committed[4], "committed sets are never written")
	p.Add(1, 4) // already implied: nothing grows
	assert.True(t, p.Inherits(4, 3))
}
