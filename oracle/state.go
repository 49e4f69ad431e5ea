package oracle

import (
	"maps"
	"slices"
	"time"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// ID identifies any object of the model. IDs come from one counter and are
// never reused, so a re-created name is a new object.
type ID int

// Account is a tenant.
type Account struct {
	ID        ID
	Name      string
	Status    model.AccountStatus
	Admin     ID // the admin role (moadmin or accountadmin)
	Public    ID // the public role
	AdminUser ID
}

// User is a user of an account.
type User struct {
	ID       ID
	Account  ID
	Name     string
	Password string
	Locked   bool // manual LOCK
	Default  ID   // the default role
	Owner    ID
}

// Role is a role of an account.
type Role struct {
	ID      ID
	Account ID
	Name    string
	Owner   ID
}

// Database is a database of an account.
type Database struct {
	ID      ID
	Account ID
	Name    string
	Owner   ID
}

// Table is a table of a database, with its columns in table order (a
// column is replaced, never changed in place).
type Table struct {
	ID      ID
	Account ID
	DB      ID
	Name    string
	Owner   ID
	Columns []Column
}

// Scope is the kind of a grant level (reference §4).
type Scope int

// The grant levels. Obj is the account for ScopeAccount, ScopeAnyDB and
// ScopeAnyTable, the database for ScopeDB and ScopeDBTables, the table for
// ScopeTable.
const (
	ScopeAccount  Scope = iota // ON ACCOUNT
	ScopeAnyDB                 // ON DATABASE *
	ScopeDB                    // ON DATABASE d
	ScopeAnyTable              // ON TABLE *.*
	ScopeDBTables              // ON TABLE d.*
	ScopeTable                 // ON TABLE d.t
	ScopeColumn                // one column: Obj is the column (reference §18)
	// The name patterns of reference §16: Obj is the account for the first two,
	// the database for the third; Prefix is the folded prefix.
	ScopeDBPattern       // ON DATABASE p*
	ScopeAnyTablePattern // ON TABLE p*.*
	ScopeTablePattern    // ON TABLE d.q*
)

// Level is a normalised grant level.
type Level struct {
	Scope  Scope
	Obj    ID
	Prefix string // name patterns only
}

// Grant is a privilege held by a role at a level.
type Grant struct {
	Role   ID
	Priv   model.Privilege
	Level  Level
	Option bool
}

// Edge is GRANT Role TO Grantee: Grantee inherits Role.
type Edge struct {
	Role    ID
	Grantee ID
	Option  bool
}

// UserRole is a role granted directly to a user.
type UserRole struct {
	User   ID
	Role   ID
	Option bool
}

// failure counts wrong logins in a row of a user or an unknown name pair,
// with its automatic lock: volatile login state, not a commit.
type failure struct {
	count       int
	lockedUntil time.Time
}

// State is everything the model knows. It is copied whole before every
// statement, which is slow and obviously atomic.
type State struct {
	Accounts  map[ID]*Account
	Users     map[ID]*User
	Roles     map[ID]*Role
	DBs       map[ID]*Database
	Tables    map[ID]*Table
	Grants    []Grant
	Edges     []Edge
	UserRoles []UserRole
	// reference §15–§17: custom privilege groups, grants of groups, aliases.
	Groups      map[ID]*Group
	GroupGrants []GroupGrant
	Aliases     map[ID]*Alias
	// ColumnGrants and Denials are the records of reference §18.
	ColumnGrants []ColumnGrant
	Denials      []Denial
	logins       map[ID]failure // per user
	unknown      map[[2]string]failure
	// Limits are the per-account limits (a zero field: none).
	Limits engine.Limits // per unknown account/user pair
	next   ID
}

func cloneMap[T any](m map[ID]*T) map[ID]*T {
	out := make(map[ID]*T, len(m))
	for k, v := range m {
		c := *v
		out[k] = &c
	}
	return out
}

func (s *State) clone() *State {
	return &State{
		Accounts:     cloneMap(s.Accounts),
		Users:        cloneMap(s.Users),
		Roles:        cloneMap(s.Roles),
		DBs:          cloneMap(s.DBs),
		Tables:       cloneMap(s.Tables),
		Grants:       slices.Clone(s.Grants),
		Edges:        slices.Clone(s.Edges),
		UserRoles:    slices.Clone(s.UserRoles),
		Groups:       cloneMap(s.Groups),
		GroupGrants:  slices.Clone(s.GroupGrants),
		Aliases:      cloneMap(s.Aliases),
		ColumnGrants: slices.Clone(s.ColumnGrants),
		Denials:      slices.Clone(s.Denials),
		logins:       maps.Clone(s.logins),
		unknown:      maps.Clone(s.unknown),
		next:         s.next,
		Limits:       s.Limits,
	}
}

// overLimit refuses a new object of kind ("users", "roles", "databases" or
// "tables") in account acc once the account holds its limit of them.
func (s *State) overLimit(acc ID, kind string) error {
	var max, n int
	switch kind {
	case "users":
		max = s.Limits.UsersPerAccount
		for _, u := range s.Users {
			if u.Account == acc {
				n++
			}
		}
	case "roles":
		max = s.Limits.RolesPerAccount
		for _, r := range s.Roles {
			if r.Account == acc {
				n++
			}
		}
	case "databases":
		max = s.Limits.DatabasesPerAccount
		for _, d := range s.DBs {
			if d.Account == acc {
				n++
			}
		}
	case "tables":
		max = s.Limits.TablesPerAccount
		for _, t := range s.Tables {
			if t.Account == acc {
				n++
			}
		}
		for _, a := range s.Aliases {
			if a.Account == acc {
				n++
			}
		}
	case "privilege groups":
		max = s.Limits.GroupsPerAccount
		for _, g := range s.Groups {
			if g.Account == acc {
				n++
			}
		}
	case "pattern levels":
		max = s.Limits.PatternsPerAccount
		n = len(s.patternLevels(acc))
	}
	if max > 0 && n >= max {
		return model.Errorf(model.ErrLimit, "the number of %s in account %s exceeds the limit %d", kind, s.Accounts[acc].Name, max)
	}
	return nil
}

func (s *State) newID() ID {
	s.next++
	return s.next
}

// Name lookups, in one account.

func (s *State) accountByName(name string) *Account {
	for _, a := range s.Accounts {
		if a.Name == name {
			return a
		}
	}
	return nil
}

func (s *State) userByName(acc ID, name string) *User {
	for _, u := range s.Users {
		if u.Account == acc && u.Name == name {
			return u
		}
	}
	return nil
}

func (s *State) roleByName(acc ID, name string) *Role {
	for _, r := range s.Roles {
		if r.Account == acc && r.Name == name {
			return r
		}
	}
	return nil
}

func (s *State) dbByName(acc ID, name string) *Database {
	for _, d := range s.DBs {
		if d.Account == acc && d.Name == name {
			return d
		}
	}
	return nil
}

func (s *State) tableByName(db ID, name string) *Table {
	for _, t := range s.Tables {
		if t.DB == db && t.Name == name {
			return t
		}
	}
	return nil
}

// tableOrAlias returns the table of db named name, or the table an alias
// of that name points at (reference §17).
func (s *State) tableOrAlias(db ID, name string) *Table {
	if t := s.tableByName(db, name); t != nil {
		return t
	}
	if a := s.aliasByName(db, name); a != nil {
		return s.Tables[a.Table]
	}
	return nil
}

// userRole returns the index of the grant of role r to user u, or -1.
func (s *State) userRole(u, r ID) int {
	return slices.IndexFunc(s.UserRoles, func(x UserRole) bool { return x.User == u && x.Role == r })
}

// edge returns the index of the edge r -> grantee, or -1.
func (s *State) edge(r, grantee ID) int {
	return slices.IndexFunc(s.Edges, func(e Edge) bool { return e.Role == r && e.Grantee == grantee })
}

// grant returns the index of the grant of p to r at l, or -1.
func (s *State) grant(r ID, p model.Privilege, l Level) int {
	return slices.IndexFunc(s.Grants, func(g Grant) bool { return g.Role == r && g.Priv == p && g.Level == l })
}

// Closure returns every role r inherits, by breadth-first search over the
// role edges: r itself, every role granted to a role already found, and
// public.
func (s *State) Closure(r ID) map[ID]bool {
	out := map[ID]bool{}
	role := s.Roles[r]
	if role == nil {
		return out
	}
	out[r] = true
	out[s.Accounts[role.Account].Public] = true
	queue := []ID{r}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, e := range s.Edges {
			if e.Grantee == x && !out[e.Role] {
				out[e.Role] = true
				queue = append(queue, e.Role)
			}
		}
	}
	return out
}

// dropTable removes a table and the grants on it.
func (s *State) dropTable(t ID) {
	s.dropLevel(Level{Scope: ScopeTable, Obj: t})
	for _, c := range s.Tables[t].Columns {
		s.dropColumnRecords(c.ID)
	}
	delete(s.Tables, t)
}

// dropLevel removes every privilege and group grant and every denial at l.
func (s *State) dropLevel(l Level) {
	s.Grants = slices.DeleteFunc(s.Grants, func(g Grant) bool { return g.Level == l })
	s.GroupGrants = slices.DeleteFunc(s.GroupGrants, func(g GroupGrant) bool { return g.Level == l })
	s.Denials = slices.DeleteFunc(s.Denials, func(d Denial) bool { return d.Level == l })
}

// dropDatabase removes a database, its tables and every grant on or in it.
func (s *State) dropDatabase(d ID) {
	for id, a := range s.Aliases {
		if a.DB == d {
			delete(s.Aliases, id)
		}
	}
	for id, t := range s.Tables {
		if t.DB == d {
			s.dropTable(id)
		}
	}
	gone := func(l Level) bool {
		return l == Level{Scope: ScopeDB, Obj: d} || l == Level{Scope: ScopeDBTables, Obj: d} ||
			l.Scope == ScopeTablePattern && l.Obj == d
	}
	s.Grants = slices.DeleteFunc(s.Grants, func(g Grant) bool { return gone(g.Level) })
	s.GroupGrants = slices.DeleteFunc(s.GroupGrants, func(g GroupGrant) bool { return gone(g.Level) })
	s.Denials = slices.DeleteFunc(s.Denials, func(x Denial) bool { return gone(x.Level) })
	delete(s.DBs, d)
}

// dropRoleRecords removes a role with its grants, edges in both directions
// and user grants; users whose default it was fall back to public.
func (s *State) dropRoleRecords(r ID) {
	pub := s.Accounts[s.Roles[r].Account].Public
	s.Grants = slices.DeleteFunc(s.Grants, func(g Grant) bool { return g.Role == r })
	s.GroupGrants = slices.DeleteFunc(s.GroupGrants, func(g GroupGrant) bool { return g.Role == r })
	s.Edges = slices.DeleteFunc(s.Edges, func(e Edge) bool { return e.Role == r || e.Grantee == r })
	s.UserRoles = slices.DeleteFunc(s.UserRoles, func(x UserRole) bool { return x.Role == r })
	s.ColumnGrants = slices.DeleteFunc(s.ColumnGrants, func(g ColumnGrant) bool { return g.Role == r })
	s.Denials = slices.DeleteFunc(s.Denials, func(d Denial) bool { return d.Role == r })
	for _, u := range s.Users {
		if u.Default == r {
			u.Default = pub
		}
	}
	delete(s.Roles, r)
}

// dropAccount removes an account and everything in it.
func (s *State) dropAccount(a ID) {
	for id, d := range s.DBs {
		if d.Account == a {
			s.dropDatabase(id)
		}
	}
	for id, r := range s.Roles {
		if r.Account == a {
			s.dropRoleRecords(id)
		}
	}
	for id, u := range s.Users {
		if u.Account == a {
			delete(s.Users, id)
		}
	}
	for id, g := range s.Groups {
		if g.Account == a {
			delete(s.Groups, id)
		}
	}
	delete(s.Accounts, a)
}

// AccountByName returns the account named name, or nil.
func (s *State) AccountByName(name string) *Account { return s.accountByName(name) }

// RoleByName returns the role of account acc named name, or nil.
func (s *State) RoleByName(acc ID, name string) *Role { return s.roleByName(acc, name) }

// UserByName returns the user of account acc named name, or nil.
func (s *State) UserByName(acc ID, name string) *User { return s.userByName(acc, name) }

// DatabaseByName returns the database of account acc named name, or nil.
func (s *State) DatabaseByName(acc ID, name string) *Database { return s.dbByName(acc, name) }

// TableByName returns the table of database db named name, or nil.
func (s *State) TableByName(db ID, name string) *Table { return s.tableByName(db, name) }
