package catalog

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/pdp-authz/pdp/model"
)

// Alias is a second name of a table, in its database's table name space
// (reference §17). It has an owner like a table.
type Alias struct {
	ID       model.AliasID
	Account  model.AccountID
	Database model.DatabaseID
	Name     string
	Table    model.TableID
	Owner    model.RoleID
}

const tAliases = "aliases"

func aliasTables() []*memdb.TableSchema {
	return []*memdb.TableSchema{
		table(tAliases,
			index("id", true, uintIdx("ID")),
			index("name", true, compound(prefixIdx("Database"), strIdx("Name"))),
			index("table", false, uintIdx("Table")),
			index("owner", false, uintIdx("Owner"))),
	}
}

// Alias returns the alias with ID id, or nil.
func (tx *Tx) Alias(id model.AliasID) *Alias { return first[Alias](tx, tAliases, "id", id) }

// AliasByName returns the alias of database d named name, or nil.
func (tx *Tx) AliasByName(d model.DatabaseID, name string) *Alias {
	return first[Alias](tx, tAliases, "name", d, name)
}

// AliasesOf returns the aliases of database d, by name.
func (tx *Tx) AliasesOf(d model.DatabaseID) []*Alias {
	return list[Alias](tx, tAliases, "name_prefix", d)
}

// AliasesTo returns the aliases pointing at table t.
func (tx *Tx) AliasesTo(t model.TableID) []*Alias { return list[Alias](tx, tAliases, "table", t) }

// HasAliases reports whether an alias points at table t.
func (tx *Tx) HasAliases(t model.TableID) bool { return first[Alias](tx, tAliases, "table", t) != nil }

// AliasesOwnedBy returns the aliases role r owns.
func (tx *Tx) AliasesOwnedBy(r model.RoleID) []*Alias { return list[Alias](tx, tAliases, "owner", r) }

// NewAliasID hands out a fresh alias ID.
func (tx *Tx) NewAliasID() model.AliasID {
	return model.AliasID(tx.newID(&tx.db.next.alias, "alias"))
}
