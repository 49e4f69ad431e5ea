package engine

import (
	"slices"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// Deriving the views of reference §18: column views, and the denial and column
// parts of the account, database and table views.

// denialEntries groups the denials at level l by role.
func (d *deriver) denialEntries(l catalog.LevelKey) []entry {
	var out []entry
	for _, dn := range d.tx.DenialsAt(l) {
		out = addEntry(out, d.slotOf(dn.Role), dn.Priv.Bit(), 0)
	}
	return out
}

// addEntry ORs privs (and options) into the entry of slot in out.
func addEntry(out []entry, slot uint32, privs, options model.PrivSet) []entry {
	i := slices.IndexFunc(out, func(e entry) bool { return e.slot == slot })
	if i < 0 {
		return append(out, entry{slot: slot, privs: privs, options: options})
	}
	out[i].privs |= privs
	out[i].options |= options
	return out
}

// accountDeny returns the denial part of account id's view: nil when no
// role of the account holds a denial.
func (d *deriver) accountDeny(id model.AccountID) *accountDeny {
	if !d.tx.HasDenials(id) {
		return nil
	}
	obj := uint32(id)
	v := &accountDeny{
		account:  d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeAccount, Object: obj}),
		anyDB:    d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeAnyDatabase, Object: obj}),
		anyTable: d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeAnyTable, Object: obj}),
	}
	for _, dn := range d.tx.DenialsOfAccount(id) {
		slot := d.slotOf(dn.Role)
		if slot == noSlot {
			continue
		}
		for p := range model.PrivCount {
			if denyMask(model.Privilege(p)).Has(dn.Priv) {
				v.holders[p] = v.holders[p].Add(slot)
			}
		}
	}
	return v
}

// dbDenyOf returns the denials at database id's levels, nil when none:
// old, the previous snapshot's, unless the transaction wrote at one of
// those levels (a new database has none unless written there).
func (d *deriver) dbDenyOf(id uint32, old *dbDeny) *dbDeny {
	lDB := catalog.LevelKey{Scope: catalog.ScopeDatabase, Object: id}
	lTables := catalog.LevelKey{Scope: catalog.ScopeDatabaseTables, Object: id}
	if !d.ch.Levels[lDB] && !d.ch.Levels[lTables] {
		return old
	}
	v := &dbDeny{db: d.denialEntries(lDB), tables: d.denialEntries(lTables)}
	if v.db == nil && v.tables == nil {
		return nil
	}
	return v
}

// tableACL returns the denials at table t's level and the unions of its
// columns' grants and denials (read from the column views, which are
// refreshed first), nil when there are none.
func (d *deriver) tableACL(t *catalog.Table) *tableACL {
	v := &tableACL{deny: d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeTable, Object: uint32(t.ID)})}
	for _, c := range t.Columns {
		cv := d.next.columnAt(uint32(c.ID))
		if cv == nil || cv.acl == nil {
			continue
		}
		for _, e := range cv.acl.deny {
			v.colDeny = addEntry(v.colDeny, e.slot, e.privs, 0)
		}
		for _, e := range cv.acl.grants {
			v.colGrants = addEntry(v.colGrants, e.slot, e.privs, e.options)
		}
	}
	if v.deny == nil && v.colDeny == nil && v.colGrants == nil {
		return nil
	}
	return v
}

// refreshTableACL rebuilds the ACL of table id (none for a dropped table)
// and the bits of its view that say which denials the ACL holds.
func (d *deriver) refreshTableACL(id model.TableID) {
	var acl *tableACL
	if rec, ok := d.tx.TableValue(id); ok {
		acl = d.tableACL(&rec)
	}
	if acl != nil || d.next.tableACLAt(uint32(id)) != nil {
		d.next.tableACLs = d.next.tableACLs.Set(d.edit, uint32(id), acl)
	}
	if v := d.next.tableAt(uint32(id)); v != nil && v.owner&aclDenials != acl.denialBits() {
		view := *v
		view.owner = packOwner(v.ownerSlot(), acl.denialBits())
		d.next.tables = d.next.tables.Set(d.edit, uint32(id), view)
	}
}

// denialBits returns the bits of a table view saying which denials acl
// holds (see tableView): none for a nil ACL.
func (acl *tableACL) denialBits() uint32 {
	var bits uint32
	if acl != nil && len(acl.deny) > 0 {
		bits |= tableDenials
	}
	if acl != nil && len(acl.colDeny) > 0 {
		bits |= columnDenials
	}
	return bits
}

// columnACL returns the grants and denials at column c's level, nil when
// there are none.
func (d *deriver) columnACL(c model.ColumnID) *columnACL {
	v := &columnACL{deny: d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeColumn, Object: uint32(c)})}
	for _, g := range d.tx.ColumnGrantsOn(c) {
		var opt model.PrivSet
		if g.Option {
			opt = g.Priv.Bit()
		}
		v.grants = addEntry(v.grants, d.slotOf(g.Role), g.Priv.Bit(), opt)
	}
	if v.grants == nil && v.deny == nil {
		return nil
	}
	return v
}

// refreshColumns brings the column views and the table ACLs up to date:
// the columns of the tables whose record changed (added, dropped, or gone
// with their table), the columns whose grants or denials changed, and the
// ACLs of their tables and of the tables whose denials changed. Tables and
// columns nothing touched keep their views; a bulk load of tables without
// grants on their columns reads no grant or denial per column.
func (d *deriver) refreshColumns(old *Snapshot) {
	acls := map[model.TableID]bool{}
	var before *catalog.Tx
	for id := range d.ch.Tables.All() {
		is, live := d.tx.TableValue(id)
		var was catalog.Table
		if !old.empty() {
			if before == nil {
				before = old.read()
			}
			was, _ = before.TableValue(id)
		}
		if d.relinkColumns(id, was.Columns, is.Columns) || !live {
			acls[id] = true
		}
	}
	for l := range d.ch.Levels {
		switch l.Scope {
		case catalog.ScopeTable:
			acls[model.TableID(l.Object)] = true
		case catalog.ScopeColumn:
			cv := d.next.columnAt(l.Object)
			if cv == nil {
				continue // dropped, with its grants and denials
			}
			table := cv.table
			d.next.columns = d.next.columns.Set(d.edit, l.Object, columnView{table: table, acl: d.columnACL(model.ColumnID(l.Object))})
			acls[table] = true
		}
	}
	for id := range acls {
		d.refreshTableACL(id)
	}
}

// relinkColumns updates the views of table id's columns from was to is:
// dropped columns vanish, new ones appear. It reports whether any did.
func (d *deriver) relinkColumns(id model.TableID, was, is []catalog.Column) bool {
	if slices.EqualFunc(was, is, func(a, b catalog.Column) bool { return a.ID == b.ID }) {
		return false
	}
	live := make(map[model.ColumnID]bool, len(is))
	for _, c := range is {
		live[c.ID] = true
		if d.next.columnAt(uint32(c.ID)) == nil {
			var acl *columnACL
			if d.ch.Levels[catalog.LevelKey{Scope: catalog.ScopeColumn, Object: uint32(c.ID)}] {
				acl = d.columnACL(c.ID)
			}
			d.next.columns = d.next.columns.Set(d.edit, uint32(c.ID), columnView{table: id, acl: acl})
		}
	}
	for _, c := range was {
		if !live[c.ID] {
			d.next.columns = d.next.columns.Set(d.edit, uint32(c.ID), columnView{})
		}
	}
	return true
}
