package catalog

import (
	"slices"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/pdp-authz/pdp/internal/pvec"
	"github.com/pdp-authz/pdp/model"
)

// The bookkeeping of the record types of reference §15–§17 (privilege groups,
// group grants, name patterns and aliases), kept apart from the core
// records.

// milvusTables returns the store tables of those records.
func milvusTables() []*memdb.TableSchema {
	return slices.Concat(groupTables(), patternTables(), aliasTables())
}

// grantee returns the role of a record that counts towards its role's
// grants limit: a privilege grant or a group grant.
func grantee(rec any) (model.RoleID, bool) {
	switch r := rec.(type) {
	case *Grant:
		return r.Role, true
	case *GroupGrant:
		return r.Role, true
	}
	return columnGrantee(rec)
}

// countedMilvus returns the account of a counted record of reference §15–§17
// and the change of its counts when by such records are added: custom
// groups, pattern levels, and aliases, which count as tables (reference §17).
func countedMilvus(rec any, by int) (model.AccountID, Counts, bool) {
	switch r := rec.(type) {
	case *PrivilegeGroup:
		return r.Account, Counts{Groups: by}, true
	case *Pattern:
		return r.Account, Counts{Patterns: by}, true
	case *Alias:
		return r.Account, Counts{Tables: by}, true
	}
	return 0, Counts{}, false
}

// trackMilvus records a change of a record of reference §15–§17: a group
// changes its account's decision view, a group grant its level, a pattern
// the prefix index of its account or database. Aliases change no decision.
func trackMilvus(c *Changes, rec any) {
	switch r := rec.(type) {
	case *PrivilegeGroup:
		c.Accounts.Add(r.Account)
		c.Groups.Add(r.Account)
	case *GroupGrant:
		c.Levels[r.Level()] = true
	case *Pattern:
		if c.Patterns == nil {
			c.Patterns = map[PatternOwner]bool{}
		}
		c.Patterns[r.Owner()] = true
	}
}

// TableNames reads the names of the tables of one catalog state: lock-free
// and without allocating, for decisions that match table names against
// name patterns. The zero value knows no table.
type TableNames struct {
	tables pvec.Vec[tableRec]
}

// Name returns the name of table id, "" if it does not exist.
func (n TableNames) Name(id model.TableID) string {
	if t := n.tables.At(uint32(id)); t != nil {
		return t.Name
	}
	return ""
}

// TableNames returns the table names of the state the transaction sees (a
// write transaction: the state it would commit).
func (tx *Tx) TableNames() TableNames { return TableNames{tables: tx.st.tables} }
