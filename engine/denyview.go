package engine

import (
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// The decision views of reference §18: denials and columns. They hang off the
// views of accounts, databases and tables by pointers that are nil when
// there is nothing to say, so a decision in an account without denials
// pays one nil test for them.

// accountDeny is the denial part of an account's view; it exists when a
// role of the account holds a denial at any level, columns included.
type accountDeny struct {
	account  []entry // DENY ... ON ACCOUNT
	anyDB    []entry // DENY ... ON DATABASE *
	anyTable []entry // DENY ... ON TABLE *.*
	// holders are, by privilege p, the roles holding a denial anywhere in
	// the account (any level, columns and patterns included) that may deny
	// p: a decision whose S meets none of them skips every denial list.
	holders [model.PrivCount]inherit.Set
}

// mayDeny reports whether a role of set holds a denial that may deny p
// somewhere in the account.
func (d *accountDeny) mayDeny(set inherit.Set, p model.Privilege) bool {
	if p >= model.PrivCount {
		return true // never asked: the decisions gate invalid privileges
	}
	h := d.holders[p]
	for i := range min(len(h), len(set)) {
		if h[i]&set[i] != 0 {
			return true
		}
	}
	return false
}

// dbDeny holds the denials at a database's levels.
type dbDeny struct {
	db     []entry // DENY ... ON DATABASE d
	tables []entry // DENY ... ON TABLE d.*
}

// tableACL holds what a table's decisions need beyond its grants: the
// denials at its own level and, per role, the privileges granted or
// denied on some column of it. It is kept apart from the table's view (in
// Snapshot.tableACLs), so that the many views stay small and a decision in
// an account without denials never reads it.
type tableACL struct {
	deny      []entry // DENY ... ON TABLE d.t
	colDeny   []entry // the union of its columns' denials, per role
	colGrants []entry // the union of its columns' grants, per role
}

// columnView is one column: its table, and the grants and denials at its
// level. A zero view is an absent column.
type columnView struct {
	table model.TableID
	acl   *columnACL // nil when the column has no grant and no denial
}

// columnACL holds the grants and denials at one column's level.
type columnACL struct {
	grants []entry
	deny   []entry
}

func (s *Snapshot) columnAt(i uint32) *columnView {
	if v := s.columns.At(i); v != nil && v.table != 0 {
		return v
	}
	return nil
}

// denyMask returns the denials that deny p: p itself and its level's ALL;
// for an ALL, every privilege of its level (reference §18: Check(ALL) is
// denied by any denial of that level). It reads a table made once, so
// that it inlines in the decisions.
func denyMask(p model.Privilege) model.PrivSet {
	return denyMasks[p&63]
}

// denyMasks holds denyMask by privilege.
var denyMasks = func() (out [64]model.PrivSet) {
	for i := range model.Privileges {
		p := model.Privilege(i)
		if p.Info().All {
			out[i] = model.LevelPrivs(p.Level())
		} else {
			out[i] = p.Satisfying()
		}
	}
	return out
}()

// columnMask returns the column denials that deny a table-level decision
// for p: a column privilege itself; for the table's ALL, all of them.
func columnMask(p model.Privilege) model.PrivSet {
	if p == model.PrivTableAll {
		return model.ColumnPrivs
	}
	if p.OnColumns() {
		return p.Bit()
	}
	return 0
}

// accountDenied reports whether a role of set holds a denial of p on the
// account.
func (a *accountView) accountDenied(set inherit.Set, p model.Privilege) bool {
	return a.deny != nil && a.deny.mayDeny(set, p) && heldIn(a.deny.account, set, denyMask(p))
}

// databaseDenied reports whether a role of set holds a denial of p at
// DATABASE *, DATABASE p* (a prefix of name) or DATABASE d; d may be nil
// for a missing database named name.
func (a *accountView) databaseDenied(set inherit.Set, d *dbView, name string, p model.Privilege) bool {
	if a.deny == nil || !a.deny.mayDeny(set, p) {
		return false
	}
	want := denyMask(p)
	return heldIn(a.deny.anyDB, set, want) || d != nil && d.deny != nil && heldIn(d.deny.db, set, want) ||
		a.patterns.mayDeny(patternDatabase, want) && deniedAlong(&a.patterns, patternDatabase, name, set, want)
}

// tableLevelsDenied reports whether a role of set holds a denial of p at
// TABLE *.*, TABLE p*.* (a prefix of dname), TABLE d.*, TABLE d.q* (a
// prefix of tname) or TABLE d.t (d and acl may be nil; tname is read only
// when d has table-name patterns with denials).
func (a *accountView) tableLevelsDenied(set inherit.Set, d *dbView, dname, tname string, acl *tableACL, p model.Privilege) bool {
	want := denyMask(p)
	return heldIn(a.deny.anyTable, set, want) ||
		d != nil && d.deny != nil && heldIn(d.deny.tables, set, want) ||
		acl != nil && heldIn(acl.deny, set, want) ||
		a.patterns.mayDeny(patternTables, want) && deniedAlong(&a.patterns, patternTables, dname, set, want) ||
		d != nil && d.patterns.mayDeny(patternTables, want) && deniedAlong(&d.patterns, patternTables, tname, set, want)
}

// tableDenied reports whether a table-level decision for p on t is denied
// to set: a denial at a level covering t, or, for a column privilege or
// ALL, a denial on any column of t (reference §18: the decision asks for the
// whole table). t, the view of the table ref names, may be nil when not at
// hand: its ACL is then read whatever it holds.
func (a *accountView) tableDenied(set inherit.Set, d *dbView, dname string, t *tableView, tname string, ref tableRef, p model.Privilege) bool {
	if a.deny == nil || !a.deny.mayDeny(set, p) {
		return false
	}
	acl := ref.acl(t, aclDenials)
	return a.tableLevelsDenied(set, d, dname, tname, acl, p) || acl != nil && heldIn(acl.colDeny, set, columnMask(p))
}

// columnDenied reports whether a decision for p on column c of t is
// denied to set: a denial at a level covering t, or on c itself. t, the
// view of the table ref names, may be nil as for tableDenied.
func (a *accountView) columnDenied(set inherit.Set, d *dbView, dname string, t *tableView, tname string, ref tableRef, c *columnView, p model.Privilege) bool {
	if a.deny == nil || !a.deny.mayDeny(set, p) {
		return false
	}
	return a.tableLevelsDenied(set, d, dname, tname, ref.acl(t, tableDenials), p) || c != nil && c.acl != nil && heldIn(c.acl.deny, set, p.Bit())
}

// columnGrant decides column privilege p on column c of table t (named
// tname) in database d (reference §18): the admin role; a denial covering
// it; ownership of the table; a grant on c itself; what decides p on the
// table from the levels covering it (grants, groups and patterns),
// without the denials of its other columns. The column's own grants, a
// short list whose header is at hand, are read before the table's levels
// (measured: a column check allowed by a column grant no longer reads
// them all first); tableHeld tests the ownership again (one bit), so that
// table decisions keep their single call.
func (a *accountView) columnGrant(set inherit.Set, d *dbView, t *tableView, tname string, ref tableRef, c *columnView, p model.Privilege) Decision {
	switch {
	case set.Has(a.adminSlot):
		return allow(ReasonAdmin)
	case a.columnDenied(set, d, d.name, t, tname, ref, c, p):
		return deny(ReasonDenied)
	case set.Has(t.ownerSlot()):
		return allow(ReasonOwner)
	case c.acl != nil && heldIn(c.acl.grants, set, p.Bit()):
		return allow(ReasonGrant)
	}
	return a.tableHeld(set, d, d.name, t, tname, p)
}

// onColumn decides p on column c: only the column privileges apply.
func (a *accountView) onColumn(set inherit.Set, d *dbView, t *tableView, tname string, ref tableRef, c *columnView, p model.Privilege) Decision {
	if !p.OnColumns() {
		return deny(ReasonWrongLevel)
	}
	return a.columnGrant(set, d, t, tname, ref, c, p)
}

// heldIn reports whether a role of set holds one of want in entries that
// name no privilege group (denials, column grants).
func heldIn(entries []entry, set inherit.Set, want model.PrivSet) bool {
	for i := range entries {
		if entries[i].privs&want != 0 && set.Has(entries[i].slot) {
			return true
		}
	}
	return false
}

// anyIn reports whether a role of set holds any privilege in entries that
// name no privilege group.
func anyIn(entries []entry, set inherit.Set) bool {
	for i := range entries {
		if entries[i].privs != 0 && set.Has(entries[i].slot) {
			return true
		}
	}
	return false
}

// tableACLAt returns the ACL of table id: its denials and the unions of
// its columns' grants and denials, nil when it has none.
func (s *Snapshot) tableACLAt(id uint32) *tableACL {
	if v := s.tableACLs.At(id); v != nil {
		return *v
	}
	return nil
}

// tableRef names a table whose ACL a decision reads only once a denial
// may apply: a decision in an account without denials, or whose S holds
// none that may deny its privilege, or on a table whose view says its ACL
// holds no denial the decision reads, never touches the array of ACLs.
// The zero value names no table. The table's view travels beside it, not
// in it, so that the decisions' calls pass no word more.
type tableRef struct {
	s  *Snapshot
	id uint32
}

// acl returns the ACL of the table r names, nil for none or when t, its
// view, says it holds none of the denials bits (tableDenials,
// columnDenials); a nil t says nothing.
func (r tableRef) acl(t *tableView, bits uint32) *tableACL {
	if r.s == nil || t != nil && t.owner&bits == 0 {
		return nil
	}
	return r.s.tableACLAt(r.id)
}
