package hierarchy

import "github.com/pdp-authz/pdp/catalog"

// Columns and denials (reference §18) die with what they are on: a column with
// its table, and the grants and denials at a column's level with the
// column.

// DeleteDenialsAt removes every denial at level l.
func DeleteDenialsAt(tx *catalog.Tx, l catalog.LevelKey) {
	for _, d := range tx.DenialsAt(l) {
		tx.Delete(d)
	}
}

// DeleteAt removes every grant and every denial at level l.
func DeleteAt(tx *catalog.Tx, l catalog.LevelKey) {
	DeleteGrantsAt(tx, l)
	DeleteDenialsAt(tx, l)
}

// DeleteACLOf removes every denial and every column grant held by
// role r.
func DeleteACLOf(tx *catalog.Tx, r *catalog.Role) {
	for _, d := range tx.DenialsOf(r.ID) {
		tx.Delete(d)
	}
	for _, g := range tx.ColumnGrantsOf(r.ID) {
		tx.Delete(g)
	}
}

// ColumnLevel returns the level of column c.
func ColumnLevel(c *catalog.Column) catalog.LevelKey {
	return catalog.LevelKey{Scope: catalog.ScopeColumn, Object: uint32(c.ID)}
}

// deleteColumnACL removes the grants and denials on column c.
func deleteColumnACL(tx *catalog.Tx, c *catalog.Column) {
	for _, g := range tx.ColumnGrantsOn(c.ID) {
		tx.Delete(g)
	}
	DeleteDenialsAt(tx, ColumnLevel(c))
}

// dropColumns removes the grants and denials on every column of t.
func dropColumns(tx *catalog.Tx, t *catalog.Table) {
	for i := range t.Columns {
		deleteColumnACL(tx, &t.Columns[i])
	}
}

// DropColumn removes column c of table t, with the grants and denials on
// it, and stores the table without it.
func DropColumn(tx *catalog.Tx, t *catalog.Table, c *catalog.Column) {
	deleteColumnACL(tx, c)
	next := *t
	next.Columns = make([]catalog.Column, 0, len(t.Columns)-1)
	for _, col := range t.Columns {
		if col.ID != c.ID {
			next.Columns = append(next.Columns, col)
		}
	}
	tx.Put(&next)
}

// dropAccountDenials removes every denial and column grant of account a
// (its roles' column grants are gone with its tables already).
func dropAccountDenials(tx *catalog.Tx, a *catalog.Account) {
	for _, d := range tx.DenialsOfAccount(a.ID) {
		tx.Delete(d)
	}
}
