package hierarchy

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// DeleteGrantsAt removes every grant at level l.
func DeleteGrantsAt(tx *catalog.Tx, l catalog.LevelKey) {
	for _, g := range tx.GrantsAt(l) {
		tx.Delete(g)
	}
}

// DropTable removes table t and every grant on it.
func DropTable(tx *catalog.Tx, t *catalog.Table) {
	DeleteGrantsAt(tx, catalog.LevelKey{Scope: catalog.ScopeTable, Object: uint32(t.ID)})
	tx.Delete(t)
}

// DropDatabase removes database d, its tables with their grants, and the
// grants at DATABASE d and TABLE d.*.
func DropDatabase(tx *catalog.Tx, d *catalog.Database) {
	for _, t := range tx.TablesOf(d.ID) {
		DropTable(tx, t)
	}
	DeleteGrantsAt(tx, catalog.LevelKey{Scope: catalog.ScopeDatabase, Object: uint32(d.ID)})
	DeleteGrantsAt(tx, catalog.LevelKey{Scope: catalog.ScopeDatabaseTables, Object: uint32(d.ID)})
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

// Covering returns the levels that cover a table of database d (d.t's own
// level excluded), widest last: TABLE d.*, TABLE *.*.
func Covering(a model.AccountID, d model.DatabaseID) [2]catalog.LevelKey {
	return [2]catalog.LevelKey{
		{Scope: catalog.ScopeDatabaseTables, Object: uint32(d)},
		{Scope: catalog.ScopeAnyTable, Object: uint32(a)},
	}
}
