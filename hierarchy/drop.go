package hierarchy

import (
	"github.com/pdp-authz/pdp/catalog"
)

// DeleteGrantsAt removes every grant at level l: privilege grants and
// privilege group grants.
func DeleteGrantsAt(tx *catalog.Tx, l catalog.LevelKey) {
	for _, g := range tx.GrantsAt(l) {
		tx.Delete(g)
	}
	for _, g := range tx.GroupGrantsAt(l) {
		tx.Delete(g)
	}
}

// DropTable removes table t and every grant on it. The caller sees to its
// aliases (a table with aliases is not dropped alone, reference §17).
func DropTable(tx *catalog.Tx, t *catalog.Table) {
	DeleteAt(tx, catalog.LevelKey{Scope: catalog.ScopeTable, Object: uint32(t.ID)})
	dropColumns(tx, t)
	tx.Delete(t)
}

// DropPattern removes pattern p and every grant and denial at its level.
func DropPattern(tx *catalog.Tx, p *catalog.Pattern) {
	DeleteAt(tx, p.Level())
	tx.Delete(p)
}

// DropDatabase removes database d, its aliases, its tables with their
// grants, the grants at DATABASE d and TABLE d.*, and its TABLE d.q*
// pattern levels with theirs.
func DropDatabase(tx *catalog.Tx, d *catalog.Database) {
	for _, a := range tx.AliasesOf(d.ID) {
		tx.Delete(a)
	}
	for _, t := range tx.TablesOf(d.ID) {
		DropTable(tx, t)
	}
	for _, p := range tx.PatternsOf(catalog.PatternOwner{Account: d.Account, Database: d.ID}) {
		DropPattern(tx, p)
	}
	DeleteAt(tx, catalog.LevelKey{Scope: catalog.ScopeDatabase, Object: uint32(d.ID)})
	DeleteAt(tx, catalog.LevelKey{Scope: catalog.ScopeDatabaseTables, Object: uint32(d.ID)})
	tx.Delete(d)
}

// DropAccount removes account a and everything in it: databases, tables,
// aliases, users, roles, privilege groups, pattern levels, grants, role
// edges and user role grants.
func DropAccount(tx *catalog.Tx, a *catalog.Account) {
	for _, d := range tx.DatabasesOf(a.ID) {
		DropDatabase(tx, d)
	}
	for _, p := range tx.PatternsOfAccount(a.ID) {
		DropPattern(tx, p)
	}
	for _, g := range tx.GrantsOfAccount(a.ID) {
		tx.Delete(g)
	}
	dropAccountDenials(tx, a)
	for _, r := range tx.RolesOf(a.ID) {
		for _, g := range tx.GroupGrantsOf(r.ID) {
			tx.Delete(g)
		}
	}
	for _, g := range tx.GroupsOf(a.ID) {
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
