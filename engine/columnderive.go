package engine

import (
	"slices"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// Deriving the views of SPEC §18: column views, and the denial and column
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
	return &accountDeny{
		account:  d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeAccount, Object: obj}),
		anyDB:    d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeAnyDatabase, Object: obj}),
		anyTable: d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeAnyTable, Object: obj}),
	}
}

// dbDeny returns the denials at database id's levels, nil when none.
func (d *deriver) dbDeny(id model.DatabaseID) *dbDeny {
	v := &dbDeny{
		db:     d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeDatabase, Object: uint32(id)}),
		tables: d.denialEntries(catalog.LevelKey{Scope: catalog.ScopeDatabaseTables, Object: uint32(id)}),
	}
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

// refreshTableACL stores the ACL of table id (nil rec: a dropped table).
func (d *deriver) refreshTableACL(id model.TableID, rec *catalog.Table) {
	var acl *tableACL
	if rec != nil {
		acl = d.tableACL(rec)
	}
	if acl != nil || d.next.tableACLAt(uint32(id)) != nil {
		d.next.tableACLs = d.next.tableACLs.Set(d.edit, uint32(id), acl)
	}
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

// refreshColumns brings the column views up to date: the columns of the
// tables whose record changed (added, dropped, or gone with their table)
// and the columns whose grants or denials changed. It adds to tables the
// tables whose unions of column grants and denials must be recomputed.
func (d *deriver) refreshColumns(old *Snapshot, ch *catalog.Changes, tables map[model.TableID]bool) {
	var before *catalog.Tx
	if !old.empty() {
		before = old.read()
	}
	for id := range ch.Tables {
		var was, is []catalog.Column
		if before != nil {
			if t := before.Table(id); t != nil {
				was = t.Columns
			}
		}
		if t := d.tx.Table(id); t != nil {
			is = t.Columns
		}
		d.relinkColumns(id, was, is)
	}
	for l := range ch.Levels {
		if l.Scope != catalog.ScopeColumn {
			continue
		}
		cv := d.next.columnAt(l.Object)
		if cv == nil {
			continue // dropped, with its grants and denials
		}
		table := cv.table
		d.next.columns = d.next.columns.Set(d.edit, l.Object, columnView{table: table, acl: d.columnACL(model.ColumnID(l.Object))})
		tables[table] = true
	}
}

// relinkColumns updates the views of table id's columns from was to is:
// dropped columns vanish, new ones appear.
func (d *deriver) relinkColumns(id model.TableID, was, is []catalog.Column) {
	if slices.EqualFunc(was, is, func(a, b catalog.Column) bool { return a.ID == b.ID }) {
		return
	}
	live := make(map[model.ColumnID]bool, len(is))
	for _, c := range is {
		live[c.ID] = true
		if d.next.columnAt(uint32(c.ID)) == nil {
			d.next.columns = d.next.columns.Set(d.edit, uint32(c.ID), columnView{table: id, acl: d.columnACL(c.ID)})
		}
	}
	for _, c := range was {
		if !live[c.ID] {
			d.next.columns = d.next.columns.Set(d.edit, uint32(c.ID), columnView{})
		}
	}
}
