package engine

import (
	"slices"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// WHAT IF over columns and denials (reference §18, §19: columns count as
// objects). Denials make access non-monotone in S: a role entering S may
// take privileges away, one leaving may give them back. In an account with
// denials on either side every examined user is therefore compared whole:
// a gain still needs something that allows it after the statement (a
// grant, ownership or the admin role), a loss something that allowed it
// before, so the candidates from all the user holds on each side cover
// every change, and each candidate is decided exactly on both sides.

// hasDenials reports whether account acc holds denials in s.
func hasDenials(s *Snapshot, acc model.AccountID) bool {
	a := s.accountAt(uint32(acc))
	return a != nil && a.deny != nil
}

// denials returns the denial entries stored at level l on this side.
func (sd *side) denials(l catalog.LevelKey) []entry {
	switch l.Scope {
	case catalog.ScopeAccount, catalog.ScopeAnyDatabase, catalog.ScopeAnyTable:
		a := sd.s.accountAt(l.Object)
		if a == nil || a.deny == nil {
			return nil
		}
		switch l.Scope {
		case catalog.ScopeAccount:
			return a.deny.account
		case catalog.ScopeAnyDatabase:
			return a.deny.anyDB
		}
		return a.deny.anyTable
	case catalog.ScopeDatabase, catalog.ScopeDatabaseTables:
		d := sd.s.dbAt(l.Object)
		if d == nil || d.deny == nil {
			return nil
		}
		if l.Scope == catalog.ScopeDatabase {
			return d.deny.db
		}
		return d.deny.tables
	case catalog.ScopeTable:
		if acl := sd.s.tableACLAt(l.Object); acl != nil {
			return acl.deny
		}
	case catalog.ScopeColumn:
		if c := sd.s.columnAt(l.Object); c != nil && c.acl != nil {
			return c.acl.deny
		}
	case catalog.ScopeDatabasePattern, catalog.ScopeAnyTablePattern, catalog.ScopeTablePattern:
		return sd.patternDenials(l)
	}
	return nil
}

// columnsOf returns the columns of table t on this side.
func (sd *side) columnsOf(t model.TableID) []catalog.Column {
	if rec := sd.tx.Table(t); rec != nil {
		return rec.Columns
	}
	return nil
}

// examineColumns records the exact changes on the columns created or
// dropped with the tables the statement touched.
func (d *differ) examineColumns() {
	for id := range d.ch.Tables.All() {
		if d.b.objectAccount(model.TableObject(id)) != d.acc && d.a.objectAccount(model.TableObject(id)) != d.acc {
			continue
		}
		before := map[model.ColumnID]bool{}
		for _, c := range d.b.columnsOf(id) {
			before[c.ID] = true
		}
		for _, c := range d.a.columnsOf(id) {
			if !before[c.ID] {
				d.existence(model.ColumnObject(c.ID))
			}
			delete(before, c.ID)
		}
		for c := range before {
			d.existence(model.ColumnObject(c))
		}
	}
}

// expandColumns adds, for every table candidate of a column privilege, the
// same privilege on each of the table's columns (on either side).
func (d *differ) expandColumns(c *pending) {
	for p := range privilegesOf(model.ColumnPrivs) {
		if c.tables[p] == nil {
			continue
		}
		for pos := range c.tables[p].all() {
			id := d.space.ids[pos]
			seen := map[model.ColumnID]bool{}
			for _, sd := range []*side{d.a, d.b} {
				for _, col := range sd.columnsOf(id) {
					if !seen[col.ID] {
						seen[col.ID] = true
						c.other[p] = append(c.other[p], model.ColumnObject(col.ID))
					}
				}
			}
		}
	}
}

// columnObjectName names a column as WHAT IF prints it: COLUMN d.t.c.
func columnObjectName(s *Snapshot, tx *catalog.Tx, o model.Object) string {
	c := s.columnAt(o.ID)
	if c == nil {
		return "COLUMN"
	}
	t := tx.Table(c.table)
	if t == nil {
		return "COLUMN"
	}
	name := "COLUMN"
	if db := tx.Database(t.Database); db != nil {
		name += " " + model.Quote(db.Name) + "."
	}
	if col := t.ColumnByID(model.ColumnID(o.ID)); col != nil {
		name += model.Quote(t.Name) + "." + model.Quote(col.Name)
	}
	return name
}

// changedDenialSlots returns the slots whose denials differ between before
// and after, sorted.
func changedDenialSlots(before, after []entry) []uint32 {
	privs := map[uint32][2]model.PrivSet{}
	for i, entries := range [][]entry{before, after} {
		for _, e := range entries {
			v := privs[e.slot]
			v[i] |= e.privs
			privs[e.slot] = v
		}
	}
	var out []uint32
	for slot, v := range privs {
		if v[0] != v[1] {
			out = append(out, slot)
		}
	}
	slices.Sort(out)
	return out
}

// patternDenials returns the denials at pattern level l on this side.
func (sd *side) patternDenials(l catalog.LevelKey) []entry {
	p := sd.tx.Pattern(l.Object)
	if p == nil {
		return nil
	}
	x, kind := sd.patternIndex(p)
	if pl, ok := x.exact(kind, p.Prefix); ok && pl.id == p.ID {
		return pl.deny
	}
	return nil
}
