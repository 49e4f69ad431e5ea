package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// SHOW rows of reference §21 for privilege groups, pattern levels and aliases.

// groupName returns the name of group id as tx sees it, "" if it does not
// exist.
func groupName(tx *catalog.Tx, id model.GroupID) string {
	switch id {
	case model.GroupReadOnly:
		return model.ReadOnly
	case model.GroupReadWrite:
		return model.ReadWrite
	}
	if g := tx.Group(id); g != nil {
		return g.Name
	}
	return ""
}

// groupGrantRow returns the SHOW GRANTS row of group grant g.
func groupGrantRow(tx *catalog.Tx, g *catalog.GroupGrant) string {
	return "GRANT PRIVILEGE GROUP " + model.Quote(groupName(tx, g.Group)) + " ON " + levelName(tx, g.Level()) +
		" TO " + roleName(tx, g.Role) + option(g.Option)
}

// patternLevelName prints pattern level k as SHOW GRANTS does: the folded
// prefix, quoted like a name, followed by `*`.
func patternLevelName(tx *catalog.Tx, k catalog.LevelKey) string {
	l := level{scope: k.Scope}
	if p := tx.Pattern(k.Object); p != nil {
		switch p.Scope {
		case catalog.ScopeTablePattern:
			l.tbName = p.Prefix
			if d := tx.Database(p.Database); d != nil {
				l.dbName = d.Name
			}
		default:
			l.dbName = p.Prefix
		}
	}
	return l.String()
}

// aliasName prints alias a as `d.a`.
func aliasName(tx *catalog.Tx, a *catalog.Alias) string {
	db := ""
	if d := tx.Database(a.Database); d != nil {
		db = d.Name
	}
	return model.Quote(db) + "." + model.Quote(a.Name)
}

// aliasOwnershipRows returns the ownership rows of the aliases role r owns.
func aliasOwnershipRows(tx *catalog.Tx, r *catalog.Role) []string {
	var rows []string
	for _, a := range tx.AliasesOwnedBy(r.ID) {
		rows = append(rows, "GRANT OWNERSHIP ON ALIAS "+aliasName(tx, a)+" TO "+model.Quote(r.Name))
	}
	return rows
}
