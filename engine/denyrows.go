package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// The SHOW GRANTS rows of reference §18: `GRANT SELECT (c) ON TABLE d.t TO r`
// and `DENY SELECT[ (c)] ON <LEVEL> TO r`, one row per privilege and
// column.

// columnName prints column c of table t, "" when either is gone.
func columnName(tx *catalog.Tx, t model.TableID, c model.ColumnID) string {
	if rec := tx.Table(t); rec != nil {
		if col := rec.ColumnByID(c); col != nil {
			return model.Quote(col.Name)
		}
	}
	return ""
}

// tableLevelName prints TABLE d.t for table t.
func tableLevelName(tx *catalog.Tx, t model.TableID) string {
	return levelName(tx, catalog.LevelKey{Scope: catalog.ScopeTable, Object: uint32(t)})
}

// columnGrantRow prints a column grant.
func columnGrantRow(tx *catalog.Tx, g *catalog.ColumnGrant) string {
	return "GRANT " + g.Priv.Upper() + " (" + columnName(tx, g.Table, g.Column) + ") ON " +
		tableLevelName(tx, g.Table) + " TO " + roleName(tx, g.Role) + option(g.Option)
}

// denialRow prints a denial.
func denialRow(tx *catalog.Tx, d *catalog.Denial) string {
	if d.Scope == catalog.ScopeColumn {
		return "DENY " + d.Priv.Upper() + " (" + columnName(tx, d.Table, model.ColumnID(d.Object)) + ") ON " +
			tableLevelName(tx, d.Table) + " TO " + roleName(tx, d.Role)
	}
	return "DENY " + d.Priv.Upper() + " ON " + levelName(tx, d.Level()) + " TO " + roleName(tx, d.Role)
}

// aclRowsOf returns the column grant and denial rows of role r.
func aclRowsOf(tx *catalog.Tx, r model.RoleID) []string {
	var rows []string
	for _, g := range tx.ColumnGrantsOf(r) {
		rows = append(rows, columnGrantRow(tx, g))
	}
	for _, d := range tx.DenialsOf(r) {
		rows = append(rows, denialRow(tx, d))
	}
	return rows
}

// columnRows returns the grant and denial rows stored at column c.
func columnRows(tx *catalog.Tx, c model.ColumnID) []string {
	var rows []string
	for _, g := range tx.ColumnGrantsOn(c) {
		rows = append(rows, columnGrantRow(tx, g))
	}
	for _, d := range tx.DenialsAt(catalog.LevelKey{Scope: catalog.ScopeColumn, Object: uint32(c)}) {
		rows = append(rows, denialRow(tx, d))
	}
	return rows
}

// aclRowsAt returns the denial rows stored at level l and, for a table,
// the grant and denial rows of its columns.
func aclRowsAt(tx *catalog.Tx, l level) []string {
	var rows []string
	for _, d := range tx.DenialsAt(l.key()) {
		rows = append(rows, denialRow(tx, d))
	}
	if l.scope == catalog.ScopeTable {
		for _, c := range tx.Table(l.table).Columns {
			rows = append(rows, columnRows(tx, c.ID)...)
		}
	}
	return rows
}

// columnSpec validates a COLUMN [d.]t.c object (stage 2): the table as a
// level, and the folded column name.
func (s *Session) columnSpec(on Target) (levelSpec, string, error) {
	if err := checkTarget(on); err != nil {
		return levelSpec{}, "", err
	}
	sp, err := s.tableSpec(Target{Kind: model.KindTable, Database: on.Database, Name: on.Name})
	if err != nil {
		return sp, "", err
	}
	var col string
	err = foldInto(&col, model.NameColumn, on.Column)
	return sp, col, err
}

// columnLevelRows returns the rows stored at column col of the table sp
// names (SHOW GRANTS ON COLUMN), or the error for a missing table or column.
func columnLevelRows(tx *catalog.Tx, a model.AccountID, sp levelSpec, col string) ([]string, error) {
	w := &writer{Tx: tx}
	l := w.resolve(a, sp)
	if l.missing != nil {
		return nil, l.missing
	}
	cl := w.columnLevel(l, col)
	if cl.missing != nil {
		return nil, cl.missing
	}
	return columnRows(tx, cl.column), nil
}
