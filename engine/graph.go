package engine

import (
	"slices"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/internal/pvec"
	"github.com/pdp-authz/pdp/model"
)

// roleNode is a role's place in the role graph, kept in the snapshot beside
// the role views for the write path (Check never reads it): the derive of
// the next snapshot walks the graph from here instead of the catalog.
type roleNode struct {
	edit    *pvec.Edit     // the derive that may still change the node in place
	parents []model.RoleID // the roles it inherits directly, sorted; replaced, never changed
	// children are the roles inheriting it directly. Versions of a node
	// share the array: a derive appends past the end every published
	// version sees, and copies the array before removing from it.
	children    []model.RoleID
	ownChildren bool  // children's array is this version's own: removals may shift it
	held        bool  // users may hold it directly (see noteHolder)
	label       int64 // topological order: above every parent's label
}

// nodeAt returns the graph node of role r, or nil.
func (s *Snapshot) nodeAt(r model.RoleID) *roleNode {
	if p := s.graph.At(uint32(r)); p != nil {
		return *p
	}
	return nil
}

// children returns the roles inheriting r directly.
func (s *Snapshot) children(r model.RoleID) []model.RoleID {
	if n := s.nodeAt(r); n != nil {
		return n.children
	}
	return nil
}

// edges reads the role graph of the snapshot.
func (s *Snapshot) edges() inherit.Edges {
	return inherit.Edges{
		Parents: func(r model.RoleID) []model.RoleID {
			if n := s.nodeAt(r); n != nil {
				return n.parents
			}
			return nil
		},
		Children: s.children,
	}
}

// txEdges reads the role graph of a write transaction from the catalog.
func txEdges(tx *catalog.Tx) inherit.Edges {
	return inherit.Edges{
		Parents: func(r model.RoleID) []model.RoleID {
			var out []model.RoleID
			for _, e := range tx.EdgesTo(r) {
				out = append(out, e.Role)
			}
			return out
		},
		Children: func(r model.RoleID) []model.RoleID {
			var out []model.RoleID
			for _, e := range tx.EdgesOf(r) {
				out = append(out, e.Grantee)
			}
			return out
		},
	}
}

// mutNode returns the node of role r that this derive may change, copying
// the committed one (or creating it) on first use.
func (d *deriver) mutNode(r model.RoleID) *roleNode {
	n := d.next.nodeAt(r)
	switch {
	case n == nil:
		n = &roleNode{edit: d.edit, label: int64(r)}
	case n.edit != d.edit:
		c := *n
		c.edit, c.ownChildren = d.edit, false
		n = &c
	default:
		return n
	}
	d.next.graph = d.next.graph.Set(d.edit, uint32(r), n)
	return n
}

// order is the role graph of the next snapshot as a topological order.
func (d *deriver) order() inherit.Order {
	return inherit.Order{
		Edges:    d.next.edges(),
		Label:    func(r model.RoleID) int64 { return d.next.nodeAt(r).label },
		SetLabel: func(r model.RoleID, l int64) { d.mutNode(r).label = l },
	}
}

// refreshRoles brings the role graph up to date with the changed roles
// (role records, and grantees of changed edges), recomputes the
// closures of the changed roles and, in topological order, of the roles
// inheriting a closure that changed, and returns the users holding a role
// whose closure changed.
func (d *deriver) refreshRoles(changed catalog.IDs[model.RoleID]) *catalog.IDs[model.UserID] {
	users := &catalog.IDs[model.UserID]{}
	seeds, added, gone := d.relink(changed)
	for _, r := range gone {
		d.next.graph = d.next.graph.Set(d.edit, uint32(r), nil)
		d.next.roles = d.next.roles.Set(d.edit, uint32(r), roleView{})
	}
	o := d.order()
	for _, e := range added {
		o.Reorder(e[0], e[1])
	}
	o.Propagate(seeds, func(r model.RoleID, seed bool) bool { return d.refreshRole(r, seed, users) })
	return users
}

// relink rereads the parents of the changed roles and updates the graph
// nodes on both sides of every added or removed edge. It returns the
// changed roles that still exist, the added edges (role, grantee) and the
// roles that are gone.
func (d *deriver) relink(changed catalog.IDs[model.RoleID]) (seeds []model.RoleID, added [][2]model.RoleID, gone []model.RoleID) {
	for r := range changed.All() {
		var parents []model.RoleID
		if d.tx.Role(r) == nil {
			gone = append(gone, r)
		} else {
			seeds = append(seeds, r)
			for _, e := range d.tx.EdgesTo(r) {
				parents = append(parents, e.Role)
			}
			slices.Sort(parents)
		}
		var old []model.RoleID
		if n := d.next.nodeAt(r); n != nil {
			old = n.parents
		}
		for _, p := range parents {
			if _, found := slices.BinarySearch(old, p); !found {
				n := d.mutNode(p)
				n.children = append(n.children, r)
				added = append(added, [2]model.RoleID{p, r})
			}
		}
		for _, p := range old {
			if _, found := slices.BinarySearch(parents, p); !found && d.next.nodeAt(p) != nil {
				n := d.mutNode(p)
				if i := slices.Index(n.children, r); i >= 0 {
					if !n.ownChildren {
						n.children, n.ownChildren = slices.Clone(n.children), true
					}
					n.children = slices.Delete(n.children, i, i+1)
				}
			}
		}
		if d.next.nodeAt(r) == nil || !slices.Equal(parents, old) {
			d.mutNode(r).parents = parents
		}
	}
	return seeds, added, gone
}

// noteHolder records that a user holds role r directly, so that a change
// of r's closure looks its holders up. The mark is cleared only when such
// a lookup finds none: roles never held directly cost no lookup.
func (d *deriver) noteHolder(r model.RoleID) {
	if n := d.next.nodeAt(r); n != nil && !n.held {
		d.mutNode(r).held = true
	}
}

// refreshRole recomputes the closure of role r from its parents' (final)
// closures, and its whole view if its record or its edges changed. It
// reports whether the closure changed, adding the users holding r to users
// if so.
func (d *deriver) refreshRole(r model.RoleID, record bool, users *catalog.IDs[model.UserID]) bool {
	old := d.next.roleAt(uint32(r))
	node := d.next.nodeAt(r)
	var view roleView
	public := noSlot
	if acc := d.next.accountAt(uint32(old.accountOrZero())); !record && acc != nil {
		view, public = *old, acc.publicSlot
	} else {
		rec := d.tx.Role(r)
		acc := d.tx.Account(rec.Account)
		if acc == nil {
			return false // its account goes in this transaction
		}
		view = roleView{id: r, account: rec.Account, slot: rec.Slot, ownerSlot: d.slotOf(rec.Owner)}
		public = d.slotOf(acc.PublicRole)
	}
	view.closure = d.closure(node.parents, view.slot, public)
	// A role reached only because its one parent's closure changed gains or
	// loses what its parent did: r itself and public are in both versions.
	sure := !record && old != nil && len(node.parents) == 1
	changed := sure || old == nil || !old.closure.Equal(view.closure)
	if !changed {
		view.closure = old.closure
	}
	if changed || record {
		d.next.roles = d.next.roles.Set(d.edit, uint32(r), view)
	}
	if changed && node.held {
		holders := d.tx.HoldersOf(r)
		for _, h := range holders {
			users.Add(h.User)
		}
		if len(holders) == 0 {
			d.mutNode(r).held = false
		}
	}
	return changed
}

// closure computes {slot, public} ∪ the closures of parents in the next
// snapshot: a copy of the longest parent closure (only the words past it
// zeroed) ORed with the others.
func (d *deriver) closure(parents []model.RoleID, slot, public uint32) inherit.Set {
	var longest inherit.Set
	for _, p := range parents {
		if v := d.next.roleAt(uint32(p)); v != nil && len(v.closure) > len(longest) {
			longest = v.closure
		}
	}
	words := int(slot>>6) + 1
	if public != noSlot {
		words = max(words, int(public>>6)+1)
	}
	out := inherit.Copy(longest, words)
	for _, p := range parents {
		if v := d.next.roleAt(uint32(p)); v != nil && len(v.closure) > 0 && &v.closure[0] != &longest[0] {
			for i, w := range v.closure {
				out[i] |= w
			}
		}
	}
	out = out.Add(slot)
	if public != noSlot && longest == nil { // every parent's closure holds public already
		out = out.Add(public)
	}
	return out
}

// accountOrZero returns the account of the role view v, or 0 for nil.
func (v *roleView) accountOrZero() model.AccountID {
	if v == nil {
		return 0
	}
	return v.account
}
