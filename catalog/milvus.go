package catalog

import (
	"slices"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/pdp-authz/pdp/model"
)

// The bookkeeping of the record types of SPEC §15–§17 (privilege groups,
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
	return 0, false
}

// countedMilvus returns the account of a counted record of SPEC §15–§17
// and its field in Counts: custom groups, pattern levels, and aliases,
// which count as tables (SPEC §17).
func countedMilvus(rec any) (model.AccountID, func(*Counts) *int) {
	switch r := rec.(type) {
	case *PrivilegeGroup:
		return r.Account, func(c *Counts) *int { return &c.Groups }
	case *Pattern:
		return r.Account, func(c *Counts) *int { return &c.Patterns }
	case *Alias:
		return r.Account, func(c *Counts) *int { return &c.Tables }
	}
	return 0, nil
}

// trackMilvus records a change of a record of SPEC §15–§17: a group
// changes its account's decision view, a group grant its level, a pattern
// the prefix index of its account or database. Aliases change no decision.
func trackMilvus(c *Changes, rec any) {
	switch r := rec.(type) {
	case *PrivilegeGroup:
		c.Accounts[r.Account] = true
		c.Groups[r.Account] = true
	case *GroupGrant:
		c.Levels[r.Level()] = true
	case *Pattern:
		c.Patterns[r.Owner()] = true
	}
}
