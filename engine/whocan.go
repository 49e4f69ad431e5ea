package engine

import (
	"iter"
	"math/bits"
	"slices"

	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Holders are the principals who hold a privilege on an object: users and
// roles, each by ID ascending.
type Holders struct {
	Users []model.UserID
	Roles []model.RoleID
}

// WhoCan returns who holds privilege p on object on (reference §19, SHOW USERS
// WITH and SHOW ROLES WITH): the users for whom [Snapshot.Check] allows
// with some role granted to them directly (public included) as the active
// role and [SecondaryAll], and the roles whose closure allows it while the
// account's state does (a suspended account: none; a restricted one: only
// the privileges it allows). ALL is the object's level's ALL.
//
// It starts from the roles that decide alone (a grant at a level covering
// the object, its owners, the admin role), walks the role graph down to the
// roles inheriting one of them and collects their holders: the cost follows
// the answer, not the size of the account. It allocates.
func (s *Snapshot) WhoCan(p model.Privilege, on model.Object) Holders {
	if s == nil || s.stale {
		return Holders{} // a replica that fails closed names no holder (reference §20)
	}
	if p == model.PrivAll {
		p = on.Kind.Level().All()
	}
	a := s.objectAccount(on)
	if a == nil || !accountAllows(a, p) {
		return Holders{}
	}
	x := s.index(a.id)
	reached := x.reach(s.deciders(a, p, on), a.publicSlot)
	var h Holders
	users := newBitmap(len(x.users))
	for slot := range slotsOf(reached) {
		if id := x.role(slot); id != 0 {
			h.Roles = append(h.Roles, id)
			for _, u := range x.holders[slot] {
				users.set(u)
			}
		}
	}
	slices.Sort(h.Roles)
	if reached.Has(a.publicSlot) {
		for i := range x.users {
			users.set(int32(i)) // every user holds public
		}
	}
	h.Users = x.usersOf(users)
	if a.deny != nil {
		h = s.withoutDenied(a, p, on, h)
	}
	return h
}

// objectAccount returns the view of the account object on belongs to, nil
// if on does not exist.
func (s *Snapshot) objectAccount(on model.Object) *accountView {
	var a model.AccountID
	switch on.Kind {
	case model.KindAccount:
		a = model.AccountID(on.ID)
	case model.KindDatabase:
		if v := s.dbAt(on.ID); v != nil {
			a = v.account
		}
	case model.KindTable:
		if v := s.tableAt(on.ID); v != nil {
			a = s.tableAccount(v)
		}
	case model.KindColumn:
		if c := s.columnAt(on.ID); c != nil {
			if v := s.tableAt(uint32(c.table)); v != nil {
				a = s.tableAccount(v)
			}
		}
	case model.KindRole:
		if v := s.roleAt(on.ID); v != nil {
			a = v.account
		}
	case model.KindUser:
		if v := s.userAt(on.ID); v != nil {
			a = v.account
		}
	}
	if a == 0 {
		return nil
	}
	return s.accountAt(uint32(a))
}

// accountAllows reports whether account a's state lets p be allowed at
// all (reference §8 rule 1, without the user).
func accountAllows(a *accountView, p model.Privilege) bool {
	switch {
	case !p.Valid() || p.Level() == model.LevelNone, a.status == model.StatusSuspended:
		return false
	case a.status == model.StatusRestricted:
		return p.Info().Restricted
	}
	return true
}

// deciders returns the slots of the roles that alone allow p on on, sorted:
// the roles holding p (or its level's ALL) at a level covering on or at
// the level its "also allowed by" row reads, its owners, the admin role.
// Candidates are read from those levels and each is confirmed by deciding
// for it alone, so the answer agrees with Check by construction.
func (s *Snapshot) deciders(a *accountView, p model.Privilege, on model.Object) []uint32 {
	want := p.Satisfying()
	cand := []uint32{a.adminSlot}
	add := func(entries []entry) {
		for i := range entries {
			if a.privsOf(&entries[i])&want != 0 {
				cand = append(cand, entries[i].slot)
			}
		}
	}
	along := func(x *prefixIndex, k int, name string) {
		for _, pl := range x.along(k, name) {
			add(pl.entries)
		}
	}
	switch on.Kind {
	case model.KindAccount, model.KindRole, model.KindUser:
		add(a.grants)
		if on.Kind == model.KindRole {
			if r := s.roleAt(on.ID); r != nil {
				cand = append(cand, r.ownerSlot)
			}
		}
		if on.Kind == model.KindUser {
			if u := s.userAt(on.ID); u != nil {
				cand = append(cand, u.ownerSlot)
			}
		}
	case model.KindDatabase:
		add(a.grants)
		add(a.anyDB)
		if d := s.dbAt(on.ID); d != nil {
			add(d.grants)
			along(&a.patterns, patternDatabase, d.name)
			cand = append(cand, d.ownerSlot)
		}
	case model.KindColumn:
		cand = append(cand, s.columnDeciders(on, add, along)...)
	case model.KindTable:
		add(a.anyDB)
		add(a.anyTable)
		if t := s.tableAt(on.ID); t != nil {
			add(t.entries())
			cand = append(cand, t.ownerSlot())
			if d := s.dbAt(uint32(t.db)); d != nil {
				add(d.grants)
				add(d.tables)
				along(&a.patterns, patternDatabase, d.name)
				along(&a.patterns, patternTables, d.name)
				along(&d.patterns, patternTables, s.tableName(model.TableID(on.ID)))
				cand = append(cand, d.ownerSlot)
			}
		}
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	out := cand[:0]
	one := make(inherit.Set, int(cand[len(cand)-1]>>6)+1)
	for _, slot := range cand {
		if slot == noSlot {
			continue
		}
		var active model.RoleID
		if slot == a.adminSlot {
			active = a.adminRole // cluster privileges: moadmin as the active role
		}
		one[slot>>6] |= 1 << (slot & 63)
		if s.decide(a, one, active, p, on).Allowed {
			out = append(out, slot)
		}
		one[slot>>6] = 0
	}
	return out
}

// reach returns the slots of the roles that inherit one of from (from
// included): every role when from holds public, which every role inherits.
func (x *acctIndex) reach(from []uint32, public uint32) inherit.Set {
	seen := make(inherit.Set, (len(x.roles)+63)/64)
	if slices.Contains(from, public) {
		for slot, id := range x.roles {
			if id != 0 {
				seen[slot>>6] |= 1 << (slot & 63)
			}
		}
		return seen
	}
	stack := make([]uint32, 0, 16)
	for _, slot := range from {
		if int(slot) < len(x.roles) && !seen.Has(slot) {
			seen[slot>>6] |= 1 << (slot & 63)
			stack = append(stack, slot)
		}
	}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range x.children[r] {
			if !seen.Has(c) {
				seen[c>>6] |= 1 << (c & 63)
				stack = append(stack, c)
			}
		}
	}
	return seen
}

// userCan reports whether user id holds p on on as SHOW USERS WITH counts
// it: Check allows with some role granted to the user directly as the
// active role and SECONDARY ALL. Since every rule of a decision is met by
// one role of S, that is a decision on the union of the direct roles'
// closures (for creation privileges too); a cluster privilege needs the
// admin role held directly.
func (s *Snapshot) userCan(id model.UserID, p model.Privilege, on model.Object) bool {
	u := s.userAt(uint32(id))
	if u == nil {
		return false
	}
	a := s.accountAt(uint32(u.account))
	if _, ok := gate(a, u, p); !ok {
		return false
	}
	if a.deny != nil && p.Info().Creation {
		return s.someDirectRoleCan(a, u, p, on)
	}
	var active model.RoleID
	if u.direct.Has(a.adminSlot) {
		active = a.adminRole
	}
	return s.decide(a, u.secondary, active, p, on).Allowed
}

// slotsOf yields the slots of set in ascending order.
func slotsOf(set inherit.Set) iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		for w, word := range set {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				word &^= 1 << b
				if !yield(uint32(w)<<6 | uint32(b)) {
					return
				}
			}
		}
	}
}
