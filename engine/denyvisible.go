package engine

import (
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Visibility in an account with denials (reference §21: denials subtract). A
// grant no longer shows an object by itself, so each privilege the object
// may be asked about is decided as Check decides it.

// databaseVisibleDenied reports whether S sees database d (ID id) of an
// account with denials.
func (s *Snapshot) databaseVisibleDenied(a *accountView, set inherit.Set, d *dbView, id model.DatabaseID) bool {
	if a.seesAllDatabases(set) {
		return true
	}
	for p := range privilegesOf(kindPrivileges[model.KindDatabase]) {
		if a.onDatabase(set, d, p).Allowed {
			return true
		}
	}
	if s.anyTableHeld(a, set, d) {
		return true
	}
	for _, t := range s.index(a.id).tableIDs(id) {
		if tv := s.tableAt(uint32(t)); tv != nil && s.tableHeldDenied(a, set, d, tv, t, s.tableName(t)) {
			return true
		}
	}
	return false
}

// anyTableHeld reports whether S holds a table privilege at a level
// covering TABLE d.* (TABLE *.*, TABLE p*.*, TABLE d.*) that no denial at
// a level covering TABLE d.* takes away, or at a level TABLE d.q* that no
// denial at a level covering TABLE d.q* takes away: such a grant shows d
// even while it has no table (as Check would decide for a table of d named
// q...).
func (s *Snapshot) anyTableHeld(a *accountView, set inherit.Set, d *dbView) bool {
	x := &d.patterns
	for p := range privilegesOf(model.LevelPrivs(model.LevelTable)) {
		want := p.Satisfying()
		if (a.held(a.anyTable, set, want) || a.held(d.tables, set, want) ||
			a.heldAlong(&a.patterns, patternTables, d.name, set, want)) &&
			!a.tableLevelsDenied(set, d, d.name, "", nil, p) {
			return true
		}
		for i := range x.nodes {
			n := &x.nodes[i]
			l := &n.levels[patternTables]
			if l.id != 0 && a.held(l.entries, set, want) &&
				!a.tableLevelsDenied(set, d, d.name, x.text[n.off:n.off+n.n], nil, p) {
				return true
			}
		}
	}
	return false
}

// tableHeldDenied reports whether S holds a privilege on table id (view t,
// named tname) of database d, or on one of its columns, in an account with
// denials.
func (s *Snapshot) tableHeldDenied(a *accountView, set inherit.Set, d *dbView, t *tableView, id model.TableID, tname string) bool {
	acl := s.tableACLAt(uint32(id))
	for p := range privilegesOf(kindPrivileges[model.KindTable]) {
		if a.onTable(set, d, t, tname, tableRef{s, uint32(id)}, p).Allowed {
			return true
		}
	}
	// A column privilege may come from a level covering the table, from
	// ownership (both denied for the whole table by a denied column, but
	// not for the other columns) or from a grant on a column.
	want := model.ColumnPrivs | model.PrivTableAll.Bit()
	fromTable := set.Has(t.ownerSlot()) || a.held(t.entries(), set, want) || a.held(d.tables, set, want) ||
		a.held(a.anyTable, set, want) || a.heldAlong(&d.patterns, patternTables, tname, set, want) ||
		a.heldAlong(&a.patterns, patternTables, d.name, set, want)
	if !fromTable && (acl == nil || !anyIn(acl.colGrants, set)) {
		return false
	}
	rec := s.read().Table(id)
	if rec == nil {
		return false
	}
	for _, c := range rec.Columns {
		cv := s.columnAt(uint32(c.ID))
		if cv == nil || !fromTable && (cv.acl == nil || !anyIn(cv.acl.grants, set)) {
			continue
		}
		for p := range privilegesOf(model.ColumnPrivs) {
			if a.onColumn(set, d, t, tname, tableRef{s, uint32(id)}, cv, p).Allowed {
				return true
			}
		}
	}
	return false
}

// withoutDenied keeps of h the roles and users whose role set Check allows
// p on on: in an account with denials, a role deciding alone may still be
// denied once the roles it inherits (or a user's other roles) join S.
func (s *Snapshot) withoutDenied(a *accountView, p model.Privilege, on model.Object, h Holders) Holders {
	var out Holders
	for _, r := range h.Roles {
		if rv := s.roleAt(uint32(r)); rv != nil && s.decide(a, rv.closure, r, p, on).Allowed {
			out.Roles = append(out.Roles, r)
		}
	}
	for _, u := range h.Users {
		if s.userCan(u, p, on) {
			out.Users = append(out.Users, u)
		}
	}
	return out
}

// columnDeciders returns the candidate deciders of a column object: the
// grantees at the levels covering its table (patterns along its names)
// and on the column itself (given to add and along), and the table's
// owner.
func (s *Snapshot) columnDeciders(on model.Object, add func([]entry), along func(*prefixIndex, int, string)) []uint32 {
	c := s.columnAt(on.ID)
	if c == nil {
		return nil
	}
	t := s.tableAt(uint32(c.table))
	if t == nil {
		return nil
	}
	a := s.accountAt(uint32(s.tableAccount(t)))
	if a == nil {
		return nil
	}
	add(a.anyTable)
	add(t.entries())
	if d := s.dbAt(uint32(t.db)); d != nil {
		add(d.tables)
		along(&a.patterns, patternTables, d.name)
		along(&d.patterns, patternTables, s.tableName(c.table))
	}
	if c.acl != nil {
		add(c.acl.grants)
	}
	return []uint32{t.ownerSlot()}
}

// keepAllowed keeps of the objects of kind k (IDs ids) those Check allows
// p on for set: in an account with denials, what S holds is no longer
// allowed by construction.
func (s *Snapshot) keepAllowed(a *accountView, set inherit.Set, active model.RoleID, p model.Privilege, k model.Kind, ids []uint32) []uint32 {
	out := ids[:0]
	for _, id := range ids {
		if s.decide(a, set, active, p, model.Object{Kind: k, ID: id}).Allowed {
			out = append(out, id)
		}
	}
	return out
}

// someDirectRoleCan decides a creation privilege for user u as SHOW USERS
// WITH counts it, in an account with denials: a creation privilege comes
// from the active role's closure alone, so a denial held by another direct
// role does not take it away, and the union of the closures would
// overstate the denials. Each direct role (public included) is tried as
// the active role.
func (s *Snapshot) someDirectRoleCan(a *accountView, u *userView, p model.Privilege, on model.Object) bool {
	for slot := range slotsOf(u.direct) {
		r := s.roleAt(uint32(s.index(a.id).role(slot)))
		if r != nil && s.decide(a, r.closure, r.id, p, on).Allowed {
			return true
		}
	}
	return false
}
