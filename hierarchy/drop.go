package hierarchy

import (
	"github.com/pdp-authz/pdp/catalog"
)

// DeleteGrantsAt removes every grant at level l.
func DeleteGrantsAt(tx *catalog.Tx, l catalog.LevelKey) {
	for _, g := range tx.GrantsAt(l) {
		tx.Delete(g)
	}
}

// DropTable removes table t and every grant on it.
func DropTable(tx *catalog.Tx, t *catalog.Table) {
	DeleteAt(tx, catalog.LevelKey{Scope: catalog.ScopeTable, Object: uint32(t.ID)})
	dropColumns(tx, t)
	tx.Delete(t)
}

// DropDatabase removes database d, its tables with their grants, and the
// grants at DATABASE d and TABLE d.*.
func DropDatabase(tx *catalog.Tx, d *catalog.Database) {
	for _, t := range tx.TablesOf(d.ID) {
		DropTable(tx, t)
	}
	DeleteAt(tx, catalog.LevelKey{Scope: catalog.ScopeDatabase, Object: uint32(d.ID)})
	DeleteAt(tx, catalog.LevelKey{Scope: catalog.ScopeDatabaseTables, Object: uint32(d.ID)})
	tx.Delete(d)
}

// DropAccount removes account a and everything in it: databases, tables,
// users, roles, grants, role edges and user role grants.
func DropAccount(tx *catalog.Tx, a *catalog.Account) {
	for _, d := range tx.DatabasesOf(a.ID) {
		DropDatabase(tx, d)
	}
	for _, g := range tx.GrantsOfAccount(a.ID) {
		tx.Delete(g)
	}
	dropAccountDenials(tx, a)
	for _, e := range tx.EdgesOfAccount(a.ID) {
		tx.Delete(e)
	}
	for _, ur := range tx.UserRolesOfAccount(a.ID) {
		tx.Delete(ur)
	}
	for _, u := range tx.UsersOf(a.ID) {
		tx.Delete(u)
	}
	for _, r := range tx.RolesOf(a.ID) {
		tx.Delete(r)
	}
	tx.Delete(a)
}
