package oracle

import (
	"strings"

	"github.com/pdp-authz/pdp/model"
)

// reference §15–§17, written out naively: privilege groups, name patterns and
// table aliases. A pattern is just a level with a prefix; its coverage is
// a prefix test of every name, every time.

// Group is a custom privilege group of an account.
type Group struct {
	ID      ID
	Account ID
	Name    string
	Privs   model.PrivSet
}

// GroupGrant is a privilege group granted to a role at a level.
type GroupGrant struct {
	Role   ID
	Group  ID // a custom group, or GroupReadOnly or GroupReadWrite
	Level  Level
	Option bool
}

// The predefined groups, the same in every account.
const (
	GroupReadOnly  ID = -1
	GroupReadWrite ID = -2
)

// Alias is a second name of a table of its database.
type Alias struct {
	ID      ID
	Account ID
	DB      ID
	Name    string
	Table   ID
	Owner   ID
}

// accountPrivs are the account-level privileges.
var accountPrivs = levelPrivs(model.LevelAccount)

// levelPrivs returns the privileges of level l, its ALL included.
func levelPrivs(l model.Level) model.PrivSet {
	var out model.PrivSet
	for p := model.PrivCreateAccount; p <= model.PrivTableAll; p++ {
		if levelOf(p) == l {
			out |= p.Bit()
		}
	}
	return out
}

// groupPrivs returns the members of group id of account acc.
func (s *State) groupPrivs(acc ID, id ID) model.PrivSet {
	switch id {
	case GroupReadOnly:
		return model.Privs(model.PrivShowDatabases, model.PrivShowTables, model.PrivSelect)
	case GroupReadWrite:
		return model.Privs(model.PrivShowDatabases, model.PrivShowTables, model.PrivSelect,
			model.PrivInsert, model.PrivUpdate, model.PrivDelete, model.PrivTruncate)
	}
	if g := s.Groups[id]; g != nil && g.Account == acc {
		return g.Privs
	}
	return 0
}

// groupByName returns the ID of the group of acc named name, 0 if none.
func (s *State) groupByName(acc ID, name string) ID {
	switch name {
	case model.ReadOnly:
		return GroupReadOnly
	case model.ReadWrite:
		return GroupReadWrite
	}
	for _, g := range s.Groups {
		if g.Account == acc && g.Name == name {
			return g.ID
		}
	}
	return 0
}

// groupName returns the name of group id.
func (s *State) groupName(id ID) string {
	switch id {
	case GroupReadOnly:
		return model.ReadOnly
	case GroupReadWrite:
		return model.ReadWrite
	}
	return s.Groups[id].Name
}

func (s *State) aliasByName(db ID, name string) *Alias {
	for _, a := range s.Aliases {
		if a.DB == db && a.Name == name {
			return a
		}
	}
	return nil
}

// patternLevels returns the pattern levels of account acc that hold a
// grant or a denial.
func (s *State) patternLevels(acc ID) map[Level]bool {
	out := map[Level]bool{}
	add := func(l Level, role ID) {
		if l.Scope >= ScopeDBPattern && s.Roles[role] != nil && s.Roles[role].Account == acc {
			out[l] = true
		}
	}
	for _, g := range s.Grants {
		add(g.Level, g.Role)
	}
	for _, g := range s.GroupGrants {
		add(g.Level, g.Role)
	}
	for _, d := range s.Denials {
		add(d.Level, d.Role)
	}
	return out
}

// holdsWhere reports whether a role of S holds p (or its level's ALL), by
// a privilege grant or a group holding p now, at a level at accepts (with
// grant option if opt).
func (s *State) holdsWhere(acc ID, S set, p model.Privilege, at func(Level) bool, opt bool) bool {
	for _, g := range s.Grants {
		if S[g.Role] && at(g.Level) && (g.Priv == p || g.Priv == allOf(levelOf(p))) && (g.Option || !opt) {
			return true
		}
	}
	for _, g := range s.GroupGrants {
		if S[g.Role] && at(g.Level) && s.groupPrivs(acc, g.Group).Has(p) && (g.Option || !opt) {
			return true
		}
	}
	return false
}

// coversDatabase reports whether level l (of database privileges) covers
// a database of account acc named name, with ID d (0 if it is missing).
func coversDatabase(l Level, acc, d ID, name string) bool {
	switch l.Scope {
	case ScopeAnyDB:
		return l.Obj == acc
	case ScopeDBPattern:
		return l.Obj == acc && strings.HasPrefix(name, l.Prefix)
	case ScopeDB:
		return d != 0 && l.Obj == d
	}
	return false
}

// coversTable reports whether level l (of table privileges) covers a
// table named tname, with ID t, of database d named dname of account acc
// (IDs 0 for missing objects).
func coversTable(l Level, acc, d ID, dname string, t ID, tname string) bool {
	switch l.Scope {
	case ScopeAnyTable:
		return l.Obj == acc
	case ScopeAnyTablePattern:
		return l.Obj == acc && strings.HasPrefix(dname, l.Prefix)
	case ScopeDBTables:
		return d != 0 && l.Obj == d
	case ScopeTablePattern:
		return d != 0 && l.Obj == d && strings.HasPrefix(tname, l.Prefix)
	case ScopeTable:
		return t != 0 && l.Obj == t
	}
	return false
}

// publicRefuses reports a privilege public may not be granted (reference §2).
func publicRefuses(p model.Privilege) bool {
	return isCreation(p) || levelOf(p) == model.LevelAccount && p != model.PrivConnect && p != model.PrivShowDatabases ||
		p == model.PrivDatabaseAll
}

// members lists the privileges of set in reference §3's order.
func members(set model.PrivSet) []model.Privilege {
	var out []model.Privilege
	for p := model.PrivCreateAccount; p <= model.PrivTableAll; p++ {
		if set.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

// ScopePatternFirst is the first scope of a name pattern level.
const ScopePatternFirst = ScopeDBPattern

// RoleAllowed reports whether role r's closure alone is allowed p on o, as
// SHOW ROLES WITH asks (the account's state aside).
func (s *State) RoleAllowed(r ID, p model.Privilege, o Object) bool {
	role := s.Roles[r]
	if role == nil {
		return false
	}
	return s.allowedTo(s.Accounts[role.Account], s.Closure(r), r, p, o)
}

// LevelText prints a level as SHOW GRANTS does.
func (s *State) LevelText(l Level) string { return s.levelText(l) }
