package catalog

import "github.com/pdp-authz/pdp/model"

// Account returns the account with ID id, or nil.
func (tx *Tx) Account(id model.AccountID) *Account { return first[Account](tx, tAccounts, "id", id) }

// AccountByName returns the account named name, or nil.
func (tx *Tx) AccountByName(name string) *Account {
	return first[Account](tx, tAccounts, "name", name)
}

// Accounts returns every account, by ID.
func (tx *Tx) Accounts() []*Account { return list[Account](tx, tAccounts, "id") }

// User returns the user with ID id, or nil.
func (tx *Tx) User(id model.UserID) *User { return first[User](tx, tUsers, "id", id) }

// UserByName returns the user of account a named name, or nil.
func (tx *Tx) UserByName(a model.AccountID, name string) *User {
	return first[User](tx, tUsers, "name", a, name)
}

// UsersOf returns the users of account a.
func (tx *Tx) UsersOf(a model.AccountID) []*User { return list[User](tx, tUsers, "name_prefix", a) }

// UsersOwnedBy returns the users role r owns.
func (tx *Tx) UsersOwnedBy(r model.RoleID) []*User { return list[User](tx, tUsers, "owner", r) }

// OwnsRoleOrUser reports whether role r owns a user, or a role other than
// itself, without listing them.
func (tx *Tx) OwnsRoleOrUser(r model.RoleID) bool {
	if first[User](tx, tUsers, "owner", r) != nil {
		return true
	}
	for _, o := range list[Role](tx, tRoles, "owner", r) {
		if o.ID != r {
			return true
		}
	}
	return false
}

// Role returns the role with ID id, or nil.
func (tx *Tx) Role(id model.RoleID) *Role { return first[Role](tx, tRoles, "id", id) }

// RoleByName returns the role of account a named name, or nil.
func (tx *Tx) RoleByName(a model.AccountID, name string) *Role {
	return first[Role](tx, tRoles, "name", a, name)
}

// RolesOf returns the roles of account a.
func (tx *Tx) RolesOf(a model.AccountID) []*Role { return list[Role](tx, tRoles, "name_prefix", a) }

// RolesOwnedBy returns the roles role r owns.
func (tx *Tx) RolesOwnedBy(r model.RoleID) []*Role { return list[Role](tx, tRoles, "owner", r) }

// Database returns the database with ID id, or nil.
func (tx *Tx) Database(id model.DatabaseID) *Database {
	return first[Database](tx, tDatabases, "id", id)
}

// DatabaseByName returns the database of account a named name, or nil.
func (tx *Tx) DatabaseByName(a model.AccountID, name string) *Database {
	return first[Database](tx, tDatabases, "name", a, name)
}

// DatabasesOf returns the databases of account a.
func (tx *Tx) DatabasesOf(a model.AccountID) []*Database {
	return list[Database](tx, tDatabases, "name_prefix", a)
}

// DatabasesOwnedBy returns the databases role r owns.
func (tx *Tx) DatabasesOwnedBy(r model.RoleID) []*Database {
	return list[Database](tx, tDatabases, "owner", r)
}

// Table returns the table with ID id, or nil.
func (tx *Tx) Table(id model.TableID) *Table { return first[Table](tx, tTables, "id", id) }

// TableByName returns the table of database d named name, or nil.
func (tx *Tx) TableByName(d model.DatabaseID, name string) *Table {
	return first[Table](tx, tTables, "name", d, name)
}

// TablesOf returns the tables of database d.
func (tx *Tx) TablesOf(d model.DatabaseID) []*Table {
	return list[Table](tx, tTables, "name_prefix", d)
}

// TablesOfAccount returns the tables of account a.
func (tx *Tx) TablesOfAccount(a model.AccountID) []*Table {
	var out []*Table
	for _, d := range tx.DatabasesOf(a) {
		out = append(out, tx.TablesOf(d.ID)...)
	}
	return out
}

// TablesOwnedBy returns the tables role r owns.
func (tx *Tx) TablesOwnedBy(r model.RoleID) []*Table {
	return list[Table](tx, tTables, "owner", r)
}

// Grant returns the grant of p to role r at level l, or nil.
func (tx *Tx) Grant(r model.RoleID, l LevelKey, p model.Privilege) *Grant {
	return first[Grant](tx, tGrants, "id", r, l.Scope, l.Object, p)
}

// GrantsOf returns every privilege grant held by role r.
func (tx *Tx) GrantsOf(r model.RoleID) []*Grant { return list[Grant](tx, tGrants, "id_prefix", r) }

// GrantsAt returns every privilege grant at level l.
func (tx *Tx) GrantsAt(l LevelKey) []*Grant {
	return list[Grant](tx, tGrants, "level", l.Scope, l.Object)
}

// Edge returns the edge granting role r to role grantee, or nil.
func (tx *Tx) Edge(r, grantee model.RoleID) *RoleEdge {
	return first[RoleEdge](tx, tEdges, "id", r, grantee)
}

// EdgesOf returns the edges granting role r to other roles.
func (tx *Tx) EdgesOf(r model.RoleID) []*RoleEdge { return list[RoleEdge](tx, tEdges, "id_prefix", r) }

// EdgesTo returns the edges granting roles to role grantee.
func (tx *Tx) EdgesTo(grantee model.RoleID) []*RoleEdge {
	return list[RoleEdge](tx, tEdges, "grantee", grantee)
}

// UserRole returns the grant of role r to user u, or nil.
func (tx *Tx) UserRole(u model.UserID, r model.RoleID) *UserRole {
	return first[UserRole](tx, tUserRoles, "id", u, r)
}

// RolesOfUser returns the role grants of user u.
func (tx *Tx) RolesOfUser(u model.UserID) []*UserRole {
	return list[UserRole](tx, tUserRoles, "id_prefix", u)
}

// HoldersOf returns the grants of role r to users.
func (tx *Tx) HoldersOf(r model.RoleID) []*UserRole {
	return list[UserRole](tx, tUserRoles, "role", r)
}

// GrantsOfAccount returns every privilege grant of account a.
func (tx *Tx) GrantsOfAccount(a model.AccountID) []*Grant {
	var out []*Grant
	for _, r := range tx.RolesOf(a) {
		out = append(out, tx.GrantsOf(r.ID)...)
	}
	return out
}

// EdgesOfAccount returns every role edge of account a.
func (tx *Tx) EdgesOfAccount(a model.AccountID) []*RoleEdge {
	var out []*RoleEdge
	for _, r := range tx.RolesOf(a) {
		out = append(out, tx.EdgesOf(r.ID)...)
	}
	return out
}

// UserRolesOfAccount returns every user role grant of account a.
func (tx *Tx) UserRolesOfAccount(a model.AccountID) []*UserRole {
	var out []*UserRole
	for _, u := range tx.UsersOf(a) {
		out = append(out, tx.RolesOfUser(u.ID)...)
	}
	return out
}
