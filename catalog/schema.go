package catalog

import memdb "github.com/hashicorp/go-memdb"

// Table names of the store.
const (
	tAccounts  = "accounts"
	tUsers     = "users"
	tRoles     = "roles"
	tDatabases = "databases"
	tTables    = "tables"
	tGrants    = "grants"
	tEdges     = "edges"
	tUserRoles = "user_roles"
)

func uintIdx(field string) memdb.Indexer { return &memdb.UintFieldIndex{Field: field} }

func strIdx(field string) memdb.Indexer { return &memdb.StringFieldIndex{Field: field} }

func compound(idx ...memdb.Indexer) memdb.Indexer {
	return &memdb.CompoundIndex{Indexes: idx}
}

func index(name string, unique bool, idx memdb.Indexer) *memdb.IndexSchema {
	return &memdb.IndexSchema{Name: name, Unique: unique, Indexer: idx}
}

func table(name string, idx ...*memdb.IndexSchema) *memdb.TableSchema {
	ts := &memdb.TableSchema{Name: name, Indexes: map[string]*memdb.IndexSchema{}}
	for _, i := range idx {
		ts.Indexes[i.Name] = i
	}
	return ts
}

func schema() *memdb.DBSchema {
	owned := func(name string, extra ...*memdb.IndexSchema) *memdb.TableSchema {
		base := []*memdb.IndexSchema{
			index("id", true, uintIdx("ID")),
			index("account", false, uintIdx("Account")),
			index("owner", false, uintIdx("Owner")),
		}
		return table(name, append(base, extra...)...)
	}
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tAccounts: table(tAccounts,
			index("id", true, uintIdx("ID")),
			index("name", true, strIdx("Name"))),
		tUsers:     owned(tUsers, index("name", true, compound(uintIdx("Account"), strIdx("Name")))),
		tRoles:     owned(tRoles, index("name", true, compound(uintIdx("Account"), strIdx("Name")))),
		tDatabases: owned(tDatabases, index("name", true, compound(uintIdx("Account"), strIdx("Name")))),
		tTables: owned(tTables,
			index("name", true, compound(uintIdx("Database"), strIdx("Name"))),
			index("database", false, uintIdx("Database"))),
		tGrants: table(tGrants,
			index("id", true, compound(uintIdx("Role"), uintIdx("Scope"), uintIdx("Object"), uintIdx("Priv"))),
			index("role", false, uintIdx("Role")),
			index("account", false, uintIdx("Account")),
			index("level", false, compound(uintIdx("Scope"), uintIdx("Object")))),
		tEdges: table(tEdges,
			index("id", true, compound(uintIdx("Role"), uintIdx("Grantee"))),
			index("role", false, uintIdx("Role")),
			index("grantee", false, uintIdx("Grantee")),
			index("account", false, uintIdx("Account"))),
		tUserRoles: table(tUserRoles,
			index("id", true, compound(uintIdx("User"), uintIdx("Role"))),
			index("role", false, uintIdx("Role")),
			index("user", false, uintIdx("User")),
			index("account", false, uintIdx("Account"))),
	}}
}
