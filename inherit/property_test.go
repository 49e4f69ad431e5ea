package inherit

import (
	"slices"
	"testing"

	"github.com/pdp-authz/pdp/model"
	"pgregory.net/rapid"
)

// incremental is a role graph whose closures are kept the way the engine
// keeps them: labels repaired by Reorder, closures recomputed by Propagate
// from the roles whose edges changed. Slot of role r is r.
type incremental struct {
	g        graph
	l        labels
	closures map[model.RoleID]Set
}

func (x *incremental) closure(r model.RoleID) Set {
	out := Set(nil).With(uint32(r))
	for _, p := range x.g[r] {
		UnionInto(&out, x.closures[p])
	}
	return out
}

// commit recomputes after the grantees in changed got new parents, the
// pairs in added among them.
func (x *incremental) commit(changed []model.RoleID, added [][2]model.RoleID) {
	o := x.l.order(x.g)
	for _, e := range added {
		o.Reorder(e[0], e[1])
	}
	o.Propagate(changed, func(r model.RoleID, _ bool) bool {
		c := x.closure(r)
		same := c.Equal(x.closures[r])
		x.closures[r] = c
		return !same
	})
}

// naive is the closure of r by a walk.
func (x *incremental) naive(r model.RoleID) Set {
	out := Set(nil)
	seen := map[model.RoleID]bool{}
	stack := []model.RoleID{r}
	for len(stack) > 0 {
		y := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !seen[y] {
			seen[y] = true
			out = out.With(uint32(y))
			stack = append(stack, x.g[y]...)
		}
	}
	return out
}

// TestIncrementalMatchesNaive applies random transactions of edge
// additions (each checked for cycles by Pending against a walk) or
// removals, and compares every closure with a naive recomputation and
// every label with the order it must keep.
func TestIncrementalMatchesNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 12).Draw(t, "roles")
		x := &incremental{g: graph{}, l: labels{}, closures: map[model.RoleID]Set{}}
		roles := make([]model.RoleID, n)
		for i := range roles {
			r := model.RoleID(i + 1)
			roles[i] = r
			x.l[r] = int64(rapid.IntRange(0, 20).Draw(t, "label"))
			x.closures[r] = Set(nil).With(uint32(r))
		}
		role := rapid.SampledFrom(roles)
		for range rapid.IntRange(1, 25).Draw(t, "transactions") {
			if rapid.Bool().Draw(t, "remove") {
				g := role.Draw(t, "grantee")
				if len(x.g[g]) == 0 {
					continue
				}
				i := rapid.IntRange(0, len(x.g[g])-1).Draw(t, "parent")
				x.g[g] = slices.Delete(slices.Clone(x.g[g]), i, i+1)
				x.commit([]model.RoleID{g}, nil)
			} else {
				x.add(t, role)
			}
			for _, r := range roles {
				if !x.closures[r].Equal(x.naive(r)) {
					t.Fatalf("closure of %d: incremental %v, naive %v", r, x.closures[r], x.naive(r))
				}
				for _, p := range x.g[r] {
					if x.l[p] >= x.l[r] {
						t.Fatalf("label of %d (%d) not below its child %d (%d)", p, x.l[p], r, x.l[r])
					}
				}
			}
		}
	})
}

// add runs one transaction of edge additions: each is refused if Pending
// says it closes a cycle, which must agree with a walk of the graph so far.
func (x *incremental) add(t *rapid.T, role *rapid.Generator[model.RoleID]) {
	committed := graph{}
	for r, ps := range x.g {
		committed[r] = slices.Clone(ps)
	}
	p := &Pending{
		Committed: func(r model.RoleID) (Set, bool) { return x.closures[r], true },
		Children:  committed.edges().Children,
		Slot:      func(r model.RoleID) uint32 { return uint32(r) },
	}
	var changed []model.RoleID
	var added [][2]model.RoleID
	for range rapid.IntRange(1, 6).Draw(t, "pairs") {
		r, g := role.Draw(t, "role"), role.Draw(t, "grantee")
		cycle := r == g || p.Inherits(r, uint32(g))
		if want := r == g || Reaches(x.g.edges(), r, g); cycle != want {
			t.Fatalf("cycle check of %d to %d: pending %v, walk %v", r, g, cycle, want)
		}
		if cycle || slices.Contains(x.g[g], r) {
			continue
		}
		x.g[g] = append(x.g[g], r)
		p.Add(r, g)
		changed = append(changed, g)
		added = append(added, [2]model.RoleID{r, g})
	}
	x.commit(changed, added)
}
