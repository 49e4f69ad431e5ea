package engine

import (
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Visibility in an account with denials (SPEC §21: denials subtract). A
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
		if tv := s.tableAt(uint32(t)); tv != nil && s.tableHeldDenied(a, set, d, tv, t) {
			return true
		}
	}
	return false
}

// anyTableHeld reports whether S holds a table privilege at a level
// covering TABLE d.* that no denial there takes away: such a grant shows d
// even while it has no table.
func (s *Snapshot) anyTableHeld(a *accountView, set inherit.Set, d *dbView) bool {
	for p := range privilegesOf(model.LevelPrivs(model.LevelTable)) {
		want := p.Satisfying()
		if !held(a.anyTable, set, want) && !held(d.tables, set, want) {
			continue
		}
		mask := denyMask(p)
		if !held(a.deny.anyTable, set, mask) && (d.deny == nil || !held(d.deny.tables, set, mask)) {
			return true
		}
	}
	return false
}

// tableHeldDenied reports whether S holds a privilege on table id (view t)
// of database d, or on one of its columns, in an account with denials.
func (s *Snapshot) tableHeldDenied(a *accountView, set inherit.Set, d *dbView, t *tableView, id model.TableID) bool {
	for p := range privilegesOf(kindPrivileges[model.KindTable]) {
		if a.onTable(set, d, t, p).Allowed {
			return true
		}
	}
	if t.acl == nil || !heldAny(t.acl.colGrants, set) {
		return false
	}
	rec := s.read().Table(id)
	if rec == nil {
		return false
	}
	for _, c := range rec.Columns {
		cv := s.columnAt(uint32(c.ID))
		if cv == nil || cv.acl == nil || !heldAny(cv.acl.grants, set) {
			continue
		}
		for p := range privilegesOf(model.ColumnPrivs) {
			if a.onColumn(set, d, t, cv, p).Allowed {
				return true
			}
		}
	}
	return false
}
