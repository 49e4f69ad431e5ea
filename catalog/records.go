package catalog

import "github.com/pdp-authz/pdp/model"

// Account is an account (tenant).
type Account struct {
	ID         model.AccountID
	Name       string
	Status     model.AccountStatus
	Comment    string
	AdminRole  model.RoleID
	PublicRole model.RoleID
	AdminUser  model.UserID
	NextSlot   uint32 // the next role slot (bit position in closures) to hand out
}

// User is a user of an account. Hash is the encoded password hash; the
// password itself is never kept. Failure counts and automatic locks are
// volatile login state kept by the engine, not records.
type User struct {
	ID          model.UserID
	Account     model.AccountID
	Name        string
	Hash        string
	Comment     string
	DefaultRole model.RoleID
	Owner       model.RoleID
	Locked      bool // locked by ALTER USER ... LOCK
}

// Role is a role of an account. Slot is its dense position within the
// account, used as its bit in closure sets.
type Role struct {
	ID      model.RoleID
	Account model.AccountID
	Name    string
	Slot    uint32
	Owner   model.RoleID
}

// Database is a database of an account.
type Database struct {
	ID      model.DatabaseID
	Account model.AccountID
	Name    string
	Owner   model.RoleID
}

// Table is a table of a database. Columns are its columns in table order
// (reference §18); the slice is never modified in place.
type Table struct {
	ID       model.TableID
	Account  model.AccountID
	Database model.DatabaseID
	Name     string
	Columns  []Column
	Owner    model.RoleID
}

// Scope is the kind of a normalised grant level.
type Scope uint8

// The grant scopes. The object of a level is the account (the first
// three), the database (the next two) or the table.
const (
	ScopeAccount        Scope = iota + 1 // ON ACCOUNT
	ScopeAnyDatabase                     // ON DATABASE *
	ScopeAnyTable                        // ON TABLE *.*
	ScopeDatabase                        // ON DATABASE d
	ScopeDatabaseTables                  // ON TABLE d.*
	ScopeTable                           // ON TABLE d.t
)

// LevelKey is a normalised grant level: a scope and the ID of the account,
// database or table it is anchored to.
type LevelKey struct {
	Scope  Scope
	Object uint32
}

// Grant is one privilege granted to one role at one level.
type Grant struct {
	Role        model.RoleID
	Account     model.AccountID
	Scope       Scope
	Object      uint32
	Priv        model.Privilege
	Option      bool
	GrantorRole model.RoleID
	GrantorUser model.UserID
}

// Level returns the grant's level.
func (g *Grant) Level() LevelKey { return LevelKey{g.Scope, g.Object} }

// RoleEdge is `GRANT Role TO Grantee`: Grantee inherits Role.
type RoleEdge struct {
	Role        model.RoleID
	Grantee     model.RoleID
	Account     model.AccountID
	Option      bool
	GrantorRole model.RoleID
	GrantorUser model.UserID
}

// UserRole is `GRANT Role TO User`.
type UserRole struct {
	Role        model.RoleID
	User        model.UserID
	Account     model.AccountID
	Option      bool
	GrantorRole model.RoleID
	GrantorUser model.UserID
}

// WithOption returns a copy of rec, a *Grant, *GroupGrant, *RoleEdge or *UserRole, whose
// grant option is on; any other record is returned unchanged.
func WithOption(rec any, on bool) any {
	switch r := rec.(type) {
	case *Grant:
		c := *r
		c.Option = on
		return &c
	case *RoleEdge:
		c := *r
		c.Option = on
		return &c
	case *UserRole:
		c := *r
		c.Option = on
		return &c
	case *GroupGrant:
		c := *r
		c.Option = on
		return &c
	}
	return rec
}

// WithOwner returns a copy of rec, a *Database, *Table, *Role, *User or *Alias,
// owned by owner; any other record is returned unchanged.
func WithOwner(rec any, owner model.RoleID) any {
	switch r := rec.(type) {
	case *Database:
		c := *r
		c.Owner = owner
		return &c
	case *Table:
		c := *r
		c.Owner = owner
		return &c
	case *Role:
		c := *r
		c.Owner = owner
		return &c
	case *User:
		c := *r
		c.Owner = owner
		return &c
	case *Alias:
		c := *r
		c.Owner = owner
		return &c
	}
	return rec
}
