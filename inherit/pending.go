package inherit

import "github.com/pdp-authz/pdp/model"

// Pending answers cycle checks inside a transaction that adds role edges to
// a committed graph whose closures are known. It keeps the closures the
// transaction's additions changed, updated as each edge is added, so that
// every check is one bit test and an addition touches only the roles whose
// closure grows. Additions are applied when the next check needs them, so
// a transaction adding one edge never walks the graph. It knows nothing of
// removals: a transaction that removes edges must check cycles some other
// way.
type Pending struct {
	// Committed returns a role's closure in the committed graph, and false
	// for a role created by the transaction.
	Committed func(model.RoleID) (Set, bool)
	// Children returns the roles inheriting a role directly in the
	// committed graph.
	Children func(model.RoleID) []model.RoleID
	// Slot returns a role's slot.
	Slot func(model.RoleID) uint32

	sets  map[model.RoleID]Set            // closures changed by the transaction, owned by it
	added map[model.RoleID][]model.RoleID // children added by the transaction
	queue [][2]model.RoleID               // additions (role, grantee) not applied yet
}

// closure returns the closure of r as the transaction sees it. Only the
// public role is left out of the closures of roles created by the
// transaction, which no cycle check asks about.
func (p *Pending) closure(r model.RoleID) Set {
	if s, ok := p.sets[r]; ok {
		return s
	}
	if s, ok := p.Committed(r); ok {
		return s
	}
	return Set(nil).With(p.Slot(r))
}

// Inherits reports whether role r inherits the role in slot target.
func (p *Pending) Inherits(r model.RoleID, target uint32) bool {
	for _, e := range p.queue {
		p.apply(e[0], e[1])
	}
	p.queue = p.queue[:0]
	return p.closure(r).Has(target)
}

// Add records that grantee now inherits role.
func (p *Pending) Add(role, grantee model.RoleID) {
	p.queue = append(p.queue, [2]model.RoleID{role, grantee})
}

// apply grows the closures of grantee and of the roles inheriting it by
// role's closure, stopping wherever a closure already holds it.
func (p *Pending) apply(role, grantee model.RoleID) {
	if p.sets == nil {
		p.sets, p.added = map[model.RoleID]Set{}, map[model.RoleID][]model.RoleID{}
	}
	delta := p.closure(role)
	queue := []model.RoleID{grantee}
	for len(queue) > 0 {
		r := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		cur, owned := p.sets[r]
		if !owned {
			cur = p.closure(r)
		}
		if cur.Contains(delta) {
			continue
		}
		if !owned {
			cur = append(Set(nil), cur...) // the committed set is shared
		}
		UnionInto(&cur, delta)
		p.sets[r] = cur
		queue = append(queue, p.Children(r)...)
		queue = append(queue, p.added[r]...)
	}
	p.added[role] = append(p.added[role], grantee)
}
