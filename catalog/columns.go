package catalog

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/pdp-authz/pdp/model"
)

// The records of reference §18: columns of tables, grants on columns (privilege
// grants at a column level) and explicit denials.

// ScopeColumn is the level of one column: COLUMN d.t.c, written `priv (c)
// ON TABLE d.t`. Its object is the column's ID. (Its value leaves room for
// other scopes after ScopeTable.)
const ScopeColumn Scope = 16

// Column is a column of a table. Type is kept as written.
type Column struct {
	ID   model.ColumnID
	Name string
	Type string
}

// ColumnGrant is one column privilege granted to one role on one column
// (reference §18), at the level ScopeColumn of the column.
type ColumnGrant struct {
	Role        model.RoleID
	Account     model.AccountID
	Table       model.TableID
	Column      model.ColumnID
	Priv        model.Privilege
	Option      bool
	GrantorRole model.RoleID
	GrantorUser model.UserID
}

// Level returns the grant's level, its column's.
func (g *ColumnGrant) Level() LevelKey { return LevelKey{ScopeColumn, uint32(g.Column)} }

// Denial is an explicit denial (reference §18): privilege Priv denied to Role
// at one level, overriding grants and ownership for every session whose
// role set holds Role, unless it holds the admin role. Table is the table
// of a column's level (ScopeColumn), 0 for the other levels.
type Denial struct {
	Role        model.RoleID
	Account     model.AccountID
	Scope       Scope
	Object      uint32
	Table       model.TableID
	Priv        model.Privilege
	GrantorRole model.RoleID
	GrantorUser model.UserID
}

// Level returns the denial's level.
func (d *Denial) Level() LevelKey { return LevelKey{d.Scope, d.Object} }

const tColumnGrants = "column_grants"

func columnGrantTable() *memdb.TableSchema {
	return table(tColumnGrants,
		index("id", true, compound(prefixIdx("Role"), uintIdx("Column"), uintIdx("Priv"))),
		index("column", false, uintIdx("Column")))
}

const tDenials = "denials"

func denialTable() *memdb.TableSchema {
	return table(tDenials,
		index("id", true, compound(prefixIdx("Role"), uintIdx("Scope"), uintIdx("Object"), uintIdx("Priv"))),
		index("level", false, compound(uintIdx("Scope"), uintIdx("Object"))),
		index("account", false, uintIdx("Account")))
}

// columnGrantee returns the role of a record of reference §18 that counts
// towards its role's grants limit: a denial or a column grant.
func columnGrantee(rec any) (model.RoleID, bool) {
	switch r := rec.(type) {
	case *Denial:
		return r.Role, true
	case *ColumnGrant:
		return r.Role, true
	}
	return 0, false
}

// Column returns the column of t named name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// ColumnByID returns the column of t with ID id, or nil.
func (t *Table) ColumnByID(id model.ColumnID) *Column {
	for i := range t.Columns {
		if t.Columns[i].ID == id {
			return &t.Columns[i]
		}
	}
	return nil
}

// NewColumnID hands out a fresh column ID.
func (tx *Tx) NewColumnID() model.ColumnID {
	return model.ColumnID(tx.newID(&tx.db.next.column, "column"))
}

// Denial returns the denial of p to role r at level l, or nil.
func (tx *Tx) Denial(r model.RoleID, l LevelKey, p model.Privilege) *Denial {
	return first[Denial](tx, tDenials, "id", r, l.Scope, l.Object, p)
}

// DenialsOf returns every denial held by role r.
func (tx *Tx) DenialsOf(r model.RoleID) []*Denial {
	return list[Denial](tx, tDenials, "id_prefix", r)
}

// DenialsAt returns every denial at level l.
func (tx *Tx) DenialsAt(l LevelKey) []*Denial {
	return list[Denial](tx, tDenials, "level", l.Scope, l.Object)
}

// HasDenials reports whether a role of account a holds a denial.
func (tx *Tx) HasDenials(a model.AccountID) bool {
	return first[Denial](tx, tDenials, "account", a) != nil
}

// DenialsOfAccount returns every denial of account a.
func (tx *Tx) DenialsOfAccount(a model.AccountID) []*Denial {
	return list[Denial](tx, tDenials, "account", a)
}

// ColumnGrant returns the grant of p on column c to role r, or nil.
func (tx *Tx) ColumnGrant(r model.RoleID, c model.ColumnID, p model.Privilege) *ColumnGrant {
	return first[ColumnGrant](tx, tColumnGrants, "id", r, c, p)
}

// ColumnGrantsOf returns every column grant held by role r.
func (tx *Tx) ColumnGrantsOf(r model.RoleID) []*ColumnGrant {
	return list[ColumnGrant](tx, tColumnGrants, "id_prefix", r)
}

// ColumnGrantsOn returns every grant on column c.
func (tx *Tx) ColumnGrantsOn(c model.ColumnID) []*ColumnGrant {
	return list[ColumnGrant](tx, tColumnGrants, "column", c)
}
