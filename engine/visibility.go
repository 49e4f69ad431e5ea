package engine

import (
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Visibility (SPEC §19, §21): which databases and tables a role set S sees,
// for SHOW DATABASES, SHOW TABLES and USE. Privileges count as Check
// decides them as if the account were open, secondaries' creation
// privileges included; the "also allowed by" privileges count; a grant
// covering TABLE d.* shows d even while it has no table.

// heldAny reports whether a role of set holds any privilege in entries.
func heldAny(entries []entry, set inherit.Set) bool {
	for i := range entries {
		if entries[i].privs != 0 && set.Has(entries[i].slot) {
			return true
		}
	}
	return false
}

// tablePrivsFromDatabase are the grants at a database level that give a
// privilege on its tables (SPEC §8: DROP and ALTER TABLE).
const tablePrivsFromDatabase = model.PrivSet(1)<<model.PrivDropTable | model.PrivSet(1)<<model.PrivAlterTable |
	model.PrivSet(1)<<model.PrivDatabaseAll

// seesAllDatabases reports whether S sees every database of the account:
// it holds SHOW DATABASES or the admin role.
func (a *accountView) seesAllDatabases(set inherit.Set) bool {
	return a.accountGrant(set, model.PrivShowDatabases).Allowed
}

// databaseVisible reports whether S sees database id of account a: it sees
// them all, or holds a privilege on it, owns it, or holds a privilege on
// one of its tables (or their columns) or at a level covering TABLE d.*.
func (s *Snapshot) databaseVisible(a *accountView, set inherit.Set, id model.DatabaseID) bool {
	d := s.dbAt(uint32(id))
	switch {
	case d == nil || d.account != a.id:
		return false
	case a.deny != nil:
		return s.databaseVisibleDenied(a, set, d, id)
	case a.seesAllDatabases(set), set.Has(d.ownerSlot),
		heldAny(a.anyDB, set), heldAny(d.grants, set), heldAny(a.anyTable, set), heldAny(d.tables, set),
		held(a.grants, set, model.PrivDropDatabase.Satisfying()):
		return true
	}
	for _, t := range s.index(a.id).tableIDs(id) {
		if tv := s.tableAt(uint32(t)); tv != nil && (set.Has(tv.ownerSlot) || heldAny(tv.entries(), set) ||
			s.columnGranted(uint32(t), set)) {
			return true
		}
	}
	return false
}

// seesAllTables reports whether S sees every table of database d: it holds
// SHOW TABLES on d (the admin role and d's owner do).
func (a *accountView) seesAllTables(set inherit.Set, d *dbView) bool {
	return a.databaseGrant(set, d, model.PrivShowTables).Allowed
}

// tableVisible reports whether S sees table id (view t) of database d: it
// sees every table of d, or holds a privilege on it or on one of its
// columns.
func (s *Snapshot) tableVisible(a *accountView, set inherit.Set, d *dbView, t *tableView, id model.TableID) bool {
	return a.seesAllTables(set, d) || s.tableHeld(a, set, d, t, id)
}

// tableHeld reports whether S holds a privilege on table id (view t) of
// database d, or on one of its columns, as Check decides them (from any
// level covering it, DROP and ALTER TABLE from the database levels and its
// ownership, or by ownership).
func (s *Snapshot) tableHeld(a *accountView, set inherit.Set, d *dbView, t *tableView, id model.TableID) bool {
	if a.deny != nil {
		return s.tableHeldDenied(a, set, d, t, id)
	}
	return set.Has(a.adminSlot) || set.Has(t.ownerSlot) || set.Has(d.ownerSlot) || heldAny(t.entries(), set) ||
		heldAny(d.tables, set) || heldAny(a.anyTable, set) ||
		held(d.grants, set, tablePrivsFromDatabase) || held(a.anyDB, set, tablePrivsFromDatabase) ||
		s.columnGranted(uint32(id), set)
}

// columnGranted reports whether a role of set holds a grant on a column of
// table id.
func (s *Snapshot) columnGranted(id uint32, set inherit.Set) bool {
	acl := s.tableACLAt(id)
	return acl != nil && heldAny(acl.colGrants, set)
}
