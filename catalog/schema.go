package catalog

import memdb "github.com/hashicorp/go-memdb"

// Table names of the go-memdb store.
const (
	tAccounts  = "accounts"
	tRoles     = "roles"
	tDatabases = "databases"
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

// schema holds the named, indexed entities that stay few: accounts, roles
// and databases, by ID and by name. Each index entry costs a radix-tree
// node (~400 bytes), so the many records (users, tables, grants, edges,
// user role grants) live in the persistent trees of [state] instead, and
// owners are found by scanning the account's objects (only DROP ROLE and
// SHOW GRANTS ask).
func schema() *memdb.DBSchema {
	named := func(name string) *memdb.TableSchema {
		return table(name,
			index("id", true, uintIdx("ID")),
			index("name", true, compound(prefixIdx("Account"), strIdx("Name"))))
	}
	s := &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tAccounts: table(tAccounts,
			index("id", true, uintIdx("ID")),
			index("name", true, strIdx("Name"))),
		tRoles:        named(tRoles),
		tDatabases:    named(tDatabases),
		tDenials:      denialTable(),
		tColumnGrants: columnGrantTable(),
	}}
	for _, t := range milvusTables() {
		s.Tables[t.Name] = t
	}
	return s
}
