package engine

import (
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Visibility (reference §19, §21): which databases and tables a role set S sees,
// for SHOW DATABASES, SHOW TABLES and USE. Privileges count as Check
// decides them as if the account were open, secondaries' creation
// privileges included; the "also allowed by" privileges count; a grant
// covering TABLE d.* shows d even while it has no table.

// tablePrivsFromDatabase are the grants at a database level that give a
// privilege on its tables (reference §8: DROP and ALTER TABLE).
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
		a.heldAny(a.anyDB, set, model.LevelDatabase), a.heldAny(d.grants, set, model.LevelDatabase),
		a.heldAny(a.anyTable, set, model.LevelTable), a.heldAny(d.tables, set, model.LevelTable),
		a.held(a.grants, set, model.PrivDropDatabase.Satisfying()),
		a.heldAlong(&a.patterns, patternDatabase, d.name, set, levelPrivileges[model.LevelDatabase]),
		a.heldAlong(&a.patterns, patternTables, d.name, set, levelPrivileges[model.LevelTable]),
		a.heldAnyPattern(&d.patterns, set):
		return true
	}
	for _, t := range s.index(a.id).tableIDs(id) {
		if tv := s.tableAt(uint32(t)); tv != nil && (set.Has(tv.ownerSlot()) || a.heldAny(tv.entries(), set, model.LevelTable) ||
			s.columnGranted(uint32(t), set)) {
			return true
		}
	}
	return false
}

// heldAnyPattern reports whether a role of set holds a table privilege at
// any pattern level of x, a database's index of TABLE d.q* levels.
func (a *accountView) heldAnyPattern(x *prefixIndex, set inherit.Set) bool {
	for _, l := range x.all() {
		if a.heldAny(l.entries, set, model.LevelTable) {
			return true
		}
	}
	return false
}

// seesAllTables reports whether S sees every table of database d: it holds
// SHOW TABLES on d (the admin role and d's owner do).
func (a *accountView) seesAllTables(set inherit.Set, d *dbView) bool {
	return a.databaseGrant(set, d, d.name, model.PrivShowTables).Allowed
}

// tableVisible reports whether S sees table id (view t, named tname) of
// database d: it sees every table of d, or holds a privilege on it or on
// one of its columns.
func (s *Snapshot) tableVisible(a *accountView, set inherit.Set, d *dbView, t *tableView, id model.TableID, tname string) bool {
	return a.seesAllTables(set, d) || s.tableHeld(a, set, d, t, id, tname)
}

// tableHeld reports whether S holds a privilege on table id (view t, named
// tname) of database d, or on one of its columns, as Check decides them
// (from any level covering it, patterns included; DROP and ALTER TABLE from
// the database levels and its ownership; or by ownership).
func (s *Snapshot) tableHeld(a *accountView, set inherit.Set, d *dbView, t *tableView, id model.TableID, tname string) bool {
	if a.deny != nil {
		return s.tableHeldDenied(a, set, d, t, id, tname)
	}
	tablePrivs := levelPrivileges[model.LevelTable]
	return set.Has(a.adminSlot) || set.Has(t.ownerSlot()) || set.Has(d.ownerSlot) ||
		a.heldAny(t.entries(), set, model.LevelTable) ||
		a.heldAny(d.tables, set, model.LevelTable) || a.heldAny(a.anyTable, set, model.LevelTable) ||
		a.held(d.grants, set, tablePrivsFromDatabase) || a.held(a.anyDB, set, tablePrivsFromDatabase) ||
		a.heldAlong(&d.patterns, patternTables, tname, set, tablePrivs) ||
		a.heldAlong(&a.patterns, patternTables, d.name, set, tablePrivs) ||
		a.heldAlong(&a.patterns, patternDatabase, d.name, set, tablePrivsFromDatabase) ||
		s.columnGranted(uint32(id), set)
}

// columnGranted reports whether a role of set holds a grant on a column of
// table id.
func (s *Snapshot) columnGranted(id uint32, set inherit.Set) bool {
	acl := s.tableACLAt(id)
	return acl != nil && anyIn(acl.colGrants, set)
}
