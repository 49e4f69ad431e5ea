package engine

import (
	"slices"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Explanations of reference §18 decisions: the deciding grant of a column
// decision, and the deciding denial of a denied one.

// locateColumn names column on.Column of the table on names (see locate).
func locateColumn(tx *catalog.Tx, a model.AccountID, curDB model.DatabaseID, curName string, on Target) (model.Object, Reason) {
	tobj, reason := locate(tx, a, curDB, curName, Target{Kind: model.KindTable, Database: on.Database, Name: on.Name})
	if reason != 0 {
		return model.Object{}, reason
	}
	if t := tx.Table(model.TableID(tobj.ID)); t != nil {
		if c := t.Column(fold(model.NameColumn, on.Column)); c != nil {
			return model.ColumnObject(c.ID), 0
		}
	}
	return model.Object{}, ReasonNoSuchObject
}

// tableObjectOf returns the table of a column object, and obj itself for
// any other object.
func (snap *Snapshot) tableObjectOf(obj model.Object) model.Object {
	if obj.Kind != model.KindColumn {
		return obj
	}
	if c := snap.columnAt(obj.ID); c != nil {
		return model.TableObject(c.table)
	}
	return model.Object{}
}

// decidingRow is [decidingRow] for any object: a column is decided by the
// rows that decide its table, and by the grants on the column itself.
func (snap *Snapshot) decidingRow(tx *catalog.Tx, a *accountView, r *catalog.Role, p model.Privilege, obj model.Object, reason Reason) string {
	if obj.Kind != model.KindColumn {
		return decidingRow(tx, a, r, p, obj, reason)
	}
	table := snap.tableObjectOf(obj)
	if reason != ReasonGrant {
		return decidingRow(tx, a, r, p, table, reason)
	}
	rows := coveringGrantRows(tx, a, r.ID, p, table, " TO "+model.Quote(r.Name))
	for _, g := range tx.ColumnGrantsOf(r.ID) {
		if g.Column == model.ColumnID(obj.ID) && g.Priv == p {
			rows = append(rows, columnGrantRow(tx, g))
		}
	}
	return least(rows)
}

// denyingRow returns the least row, by (role, row), of the denials held by
// roles of set that deny p on obj, and that role's name.
func (snap *Snapshot) denyingRow(tx *catalog.Tx, a *accountView, set inherit.Set, p model.Privilege, obj model.Object) (role, row string) {
	table := snap.tableObjectOf(obj)
	levels := coveringLevels(tx, a, p.Level(), table)
	mask := denyMask(p)
	for _, r := range tx.RolesOf(a.id) {
		rv := snap.roleAt(uint32(r.ID))
		if rv == nil || !set.Has(rv.slot) {
			continue
		}
		var rows []string
		for _, d := range tx.DenialsOf(r.ID) {
			if denies(d, levels, mask, p, obj, table) {
				rows = append(rows, denialRow(tx, d))
			}
		}
		if len(rows) > 0 {
			return r.Name, slices.Min(rows) // roles come by name
		}
	}
	return "", ""
}

// denies reports whether denial d denies p on obj (of table table): at a
// level covering it; on the column obj is; or, for a table decision on a
// column privilege or ALL, on a column of the table.
func denies(d *catalog.Denial, levels []catalog.LevelKey, mask model.PrivSet, p model.Privilege, obj, table model.Object) bool {
	switch {
	case d.Scope != catalog.ScopeColumn:
		return mask.Has(d.Priv) && slices.Contains(levels, d.Level())
	case obj.Kind == model.KindColumn:
		return d.Object == obj.ID && d.Priv == p
	case obj.Kind == model.KindTable:
		return uint32(d.Table) == obj.ID && columnMask(p).Has(d.Priv)
	}
	return false
}
