package engine

import (
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Check decides whether user, acting through activeRole (with its secondary
// roles when sec is SecondaryAll), holds privilege p on object on (reference §8).
// It reads only this immutable snapshot: no lock, no catalog read and no
// allocation. A nil Snapshot denies with ReasonNoSuchUser.
func (s *Snapshot) Check(user model.UserID, activeRole model.RoleID, sec Secondary, p model.Privilege, on model.Object) Decision {
	if s == nil {
		return deny(ReasonNoSuchUser)
	}
	if s.stale {
		return deny(ReasonReplicaStale)
	}
	if p == model.PrivAll {
		p = on.Kind.Level().All() // ALL asked of an object is its level's ALL (reference §3)
	}
	u := s.userAt(uint32(user))
	if u == nil {
		return deny(ReasonNoSuchUser)
	}
	a := s.accountAt(uint32(u.account))
	if d, ok := gate(a, u, p); !ok {
		return d
	}
	r := s.roleAt(uint32(activeRole))
	if r == nil || r.account != u.account || !u.direct.Has(r.slot) {
		return deny(ReasonRoleNotGranted)
	}
	set := r.closure
	if sec == SecondaryAll && !p.Info().Creation {
		set = u.secondary
	}
	return s.decide(a, set, r.id, p, on)
}

// gate applies the account and user states of reference §8 rule 1.
func gate(a *accountView, u *userView, p model.Privilege) (Decision, bool) {
	switch {
	case a == nil:
		return deny(ReasonNoSuchUser), false
	case !p.Valid() || p.Level() == model.LevelNone:
		return deny(ReasonWrongLevel), false
	case u.locked:
		return deny(ReasonUserLocked), false
	case a.status == model.StatusSuspended:
		return deny(ReasonSuspended), false
	case a.status == model.StatusRestricted && !p.Info().Restricted:
		return deny(ReasonRestricted), false
	}
	return Decision{}, true
}

// decide applies reference §8 rule 3 for the role set S on a concrete object.
func (s *Snapshot) decide(a *accountView, set inherit.Set, active model.RoleID, p model.Privilege, on model.Object) Decision {
	switch on.Kind {
	case model.KindAccount:
		if model.AccountID(on.ID) != a.id {
			return deny(ReasonNoSuchObject)
		}
		return a.onAccount(set, active, p)
	case model.KindDatabase:
		d := s.dbAt(on.ID)
		if d == nil || d.account != a.id {
			return deny(ReasonNoSuchObject)
		}
		return a.onDatabase(set, d, p)
	case model.KindTable:
		t := s.tableAt(on.ID)
		if t == nil {
			return deny(ReasonNoSuchObject)
		}
		d := s.dbAt(uint32(t.db))
		if d == nil || d.account != a.id {
			return deny(ReasonNoSuchObject)
		}
		var tname string // read only for a walk of d's table-name patterns
		if p.Level() == model.LevelTable && s.walksTables(a, d, p) {
			tname = s.tableName(model.TableID(on.ID))
		}
		return a.onTable(set, d, t, tname, tableRef{s, on.ID}, p)
	case model.KindRole:
		r := s.roleAt(on.ID)
		if r == nil || r.account != a.id {
			return deny(ReasonNoSuchObject)
		}
		return a.onRole(set, r, p)
	case model.KindUser:
		u := s.userAt(on.ID)
		if u == nil || u.account != a.id {
			return deny(ReasonNoSuchObject)
		}
		return a.onUser(set, u, p)
	case model.KindColumn:
		c := s.columnAt(on.ID)
		if c == nil {
			return deny(ReasonNoSuchObject)
		}
		t := s.tableAt(uint32(c.table))
		if t == nil {
			return deny(ReasonNoSuchObject)
		}
		d := s.dbAt(uint32(t.db))
		if d == nil || d.account != a.id {
			return deny(ReasonNoSuchObject)
		}
		var tname string // read only for a walk of d's table-name patterns
		if s.walksTables(a, d, p) {
			tname = s.tableName(c.table)
		}
		return a.onColumn(set, d, t, tname, tableRef{s, uint32(c.table)}, c, p)
	}
	return deny(ReasonNoSuchObject)
}

// walksTables reports whether a decision for table privilege p in
// database d may walk d's table-name patterns, for grants or denials: only
// then does it need the table's name.
func (s *Snapshot) walksTables(a *accountView, d *dbView, p model.Privilege) bool {
	return d.patterns.mayHold(patternTables, p.Satisfying()) || a.deny != nil && d.patterns.mayDeny(patternTables, denyMask(p))
}

// onAccount decides an account or cluster privilege on the account.
func (a *accountView) onAccount(set inherit.Set, active model.RoleID, p model.Privilege) Decision {
	switch p.Level() {
	case model.LevelCluster:
		if a.sys && active == a.adminRole {
			return allow(ReasonAdmin)
		}
		return deny(ReasonNoGrant)
	case model.LevelAccount:
		return a.accountGrant(set, p)
	}
	return deny(ReasonWrongLevel)
}

// accountGrant decides an account privilege from the admin role and the
// account-level grants.
func (a *accountView) accountGrant(set inherit.Set, p model.Privilege) Decision {
	if set.Has(a.adminSlot) {
		return allow(ReasonAdmin)
	}
	if a.deny != nil && a.accountDenied(set, p) {
		return deny(ReasonDenied)
	}
	if a.held(a.grants, set, p.Satisfying()) {
		return allow(ReasonGrant)
	}
	return deny(ReasonNoGrant)
}

// databaseGrant decides a database privilege on database d named name;
// d may be nil for a database that does not exist (authority for a
// missing target), which the grants at levels matching its name cover.
func (a *accountView) databaseGrant(set inherit.Set, d *dbView, name string, p model.Privilege) Decision {
	want := p.Satisfying()
	switch {
	case set.Has(a.adminSlot):
		return allow(ReasonAdmin)
	case a.deny != nil && a.databaseDenied(set, d, name, p):
		return deny(ReasonDenied)
	case d != nil && set.Has(d.ownerSlot):
		return allow(ReasonOwner)
	case d != nil && a.held(d.grants, set, want), a.held(a.anyDB, set, want),
		a.patterns.mayHold(patternDatabase, want) && a.walk(&a.patterns, patternDatabase, name, set, want):
		return allow(ReasonGrant)
	}
	return deny(ReasonNoGrant)
}

// tableGrant decides a table privilege on table t named tname of database
// d named dname; either may be nil for a missing target. tname is needed
// only when d has table-name patterns. The pattern indexes are tested
// before the call to their walk, which then stays out of most decisions.
// ref names the table whose ACL (denials, column unions) a decision reads
// once a denial may apply (see [tableRef]).
func (a *accountView) tableGrant(set inherit.Set, d *dbView, dname string, t *tableView, tname string, ref tableRef, p model.Privilege) Decision {
	switch {
	case set.Has(a.adminSlot):
		return allow(ReasonAdmin)
	case a.deny != nil && a.tableDenied(set, d, dname, t, tname, ref, p):
		return deny(ReasonDenied)
	}
	return a.tableHeld(set, d, dname, t, tname, p)
}

// tableHeld decides table privilege p on t from ownership and the grants
// at the levels covering it, past the admin role and the denials.
func (a *accountView) tableHeld(set inherit.Set, d *dbView, dname string, t *tableView, tname string, p model.Privilege) Decision {
	want := p.Satisfying()
	switch {
	case t != nil && set.Has(t.ownerSlot()):
		return allow(ReasonOwner)
	case t != nil && a.held(t.entries(), set, want),
		d != nil && a.held(d.tables, set, want),
		a.held(a.anyTable, set, want),
		d != nil && d.patterns.mayHold(patternTables, want) && a.walk(&d.patterns, patternTables, tname, set, want),
		a.patterns.mayHold(patternTables, want) && a.walk(&a.patterns, patternTables, dname, set, want):
		return allow(ReasonGrant)
	}
	return deny(ReasonNoGrant)
}

func (a *accountView) onDatabase(set inherit.Set, d *dbView, p model.Privilege) Decision {
	switch {
	case p.Level() == model.LevelDatabase:
		return a.databaseGrant(set, d, d.name, p)
	case p == model.PrivDropDatabase:
		return a.ownedOrAccount(set, d.ownerSlot, p)
	}
	return deny(ReasonWrongLevel)
}

func (a *accountView) onTable(set inherit.Set, d *dbView, t *tableView, tname string, ref tableRef, p model.Privilege) Decision {
	switch {
	case p.Level() == model.LevelTable:
		return a.tableGrant(set, d, d.name, t, tname, ref, p)
	case p == model.PrivDropTable || p == model.PrivAlterTable:
		if !set.Has(a.adminSlot) && a.databaseDenied(set, d, d.name, p) {
			return deny(ReasonDenied) // a denial at the level the grants are read from
		}
		if set.Has(t.ownerSlot()) {
			return allow(ReasonOwner)
		}
		return a.databaseGrant(set, d, d.name, p)
	}
	return deny(ReasonWrongLevel)
}

func (a *accountView) onRole(set inherit.Set, r *roleView, p model.Privilege) Decision {
	if p != model.PrivDropRole {
		return deny(ReasonWrongLevel)
	}
	return a.ownedOrAccount(set, r.ownerSlot, p)
}

func (a *accountView) onUser(set inherit.Set, u *userView, p model.Privilege) Decision {
	switch {
	case p != model.PrivDropUser && p != model.PrivAlterUser:
		return deny(ReasonWrongLevel)
	case u.admin:
		if set.Has(a.adminSlot) {
			return allow(ReasonAdmin)
		}
		return deny(ReasonNoGrant)
	case p == model.PrivDropUser:
		return a.ownedOrAccount(set, u.ownerSlot, p)
	}
	return a.accountGrant(set, p)
}

// ownedOrAccount allows p to the owner (ownerSlot in S) or from the account
// level.
func (a *accountView) ownedOrAccount(set inherit.Set, ownerSlot uint32, p model.Privilege) Decision {
	if d := a.accountGrant(set, p); d.Allowed || d.Reason == ReasonDenied {
		return d
	}
	if set.Has(ownerSlot) {
		return allow(ReasonOwner)
	}
	return deny(ReasonNoGrant)
}
