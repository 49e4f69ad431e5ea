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

// prefixUint is a uint field that may end a prefix scan of a compound index
// ("id_prefix" with the leading fields only).
type prefixUint struct{ memdb.UintFieldIndex }

func (p *prefixUint) PrefixFromArgs(args ...any) ([]byte, error) { return p.FromArgs(args...) }

func prefixIdx(field string) memdb.Indexer {
	return &prefixUint{memdb.UintFieldIndex{Field: field}}
}

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

// schema keeps indexes few: each index entry costs a radix-tree node, and
// the compound indexes serve their leading fields by prefix scans.
func schema() *memdb.DBSchema {
	named := func(name, parent string) *memdb.TableSchema {
		return table(name,
			index("id", true, uintIdx("ID")),
			index("name", true, compound(prefixIdx(parent), strIdx("Name"))),
			index("owner", false, uintIdx("Owner")))
	}
	s := &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tAccounts: table(tAccounts,
			index("id", true, uintIdx("ID")),
			index("name", true, strIdx("Name"))),
		tUsers:     named(tUsers, "Account"),
		tRoles:     named(tRoles, "Account"),
		tDatabases: named(tDatabases, "Account"),
		tTables:    named(tTables, "Database"),
		tGrants: table(tGrants,
			index("id", true, compound(prefixIdx("Role"), uintIdx("Scope"), uintIdx("Object"), uintIdx("Priv"))),
			index("level", false, compound(uintIdx("Scope"), uintIdx("Object")))),
		tEdges: table(tEdges,
			index("id", true, compound(prefixIdx("Role"), uintIdx("Grantee"))),
			index("grantee", false, uintIdx("Grantee"))),
		tUserRoles: table(tUserRoles,
			index("id", true, compound(prefixIdx("User"), uintIdx("Role"))),
			index("role", false, uintIdx("Role"))),
	}}
	for _, t := range milvusTables() {
		s.Tables[t.Name] = t
	}
	return s
}
