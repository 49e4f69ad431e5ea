package catalog

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/model"
)

// Account returns the account with ID id, or nil.
func (tx *Tx) Account(id model.AccountID) *Account { return byID[Account](tx, tAccounts, uint32(id)) }

// AccountByName returns the account named name, or nil.
func (tx *Tx) AccountByName(name string) *Account {
	return byName[Account](tx, tAccounts, 0, name, name)
}

// Accounts returns every account, by ID.
func (tx *Tx) Accounts() []*Account { return list[Account](tx, tAccounts, "id") }

// User returns the user with ID id, or nil.
func (tx *Tx) User(id model.UserID) *User { return tx.st.user(id) }

// UserValue returns the user with ID id by value, and whether there is
// one. Unlike User it allocates nothing, for callers reading many.
func (tx *Tx) UserValue(id model.UserID) (User, bool) {
	u := tx.st.users.At(uint32(id))
	if u == nil || u.ID == 0 {
		return User{}, false
	}
	return *u, true
}

// UserByName returns the user of account a named name, or nil.
func (tx *Tx) UserByName(a model.AccountID, name string) *User {
	return tx.st.user(model.UserID(lookup(tx.st.userNames, uint32(a), name, tx.st.userName)))
}

// UsersOf returns the users of account a, by name.
func (tx *Tx) UsersOf(a model.AccountID) []*User {
	ids := children(tx.st.userNames, uint32(a))
	vals := make([]User, 0, len(ids))
	for _, id := range ids {
		vals = append(vals, *tx.st.users.At(id))
	}
	slices.SortFunc(vals, func(a, b User) int { return strings.Compare(a.Name, b.Name) })
	return pointers(vals)
}

// UsersOwnedBy returns the users role r owns, by ID. It scans the users of
// r's account (r may have been deleted by this transaction).
func (tx *Tx) UsersOwnedBy(r model.RoleID) []*User {
	var vals []User
	for _, id := range children(tx.st.userNames, uint32(tx.accountOf(r))) {
		if u := tx.st.users.At(id); u.Owner == r {
			vals = append(vals, *u)
		}
	}
	slices.SortFunc(vals, func(a, b User) int { return cmp.Compare(a.ID, b.ID) })
	return pointers(vals)
}

// accountOf returns the account of role r, which may have been deleted by
// this transaction; 0 if there is none.
func (tx *Tx) accountOf(r model.RoleID) model.AccountID {
	if rec := tx.Role(r); rec != nil {
		return rec.Account
	}
	return tx.goneRoles[r]
}

// OwnsRoleOrUser reports whether a role of roles owns a user of account a,
// or a role of a other than itself, without listing them. It scans the
// account's users and roles once, however many roles are asked about.
func (tx *Tx) OwnsRoleOrUser(a model.AccountID, roles IDs[model.RoleID]) bool {
	if roles.Len() == 0 {
		return false
	}
	for _, o := range tx.RolesOf(a) {
		if o.ID != o.Owner && roles.Has(o.Owner) {
			return true
		}
	}
	found := false
	tx.st.userNames.AscendGreaterOrEqual(named{parent: uint32(a)}, func(n named) bool {
		if n.parent != uint32(a) {
			return false
		}
		found = roles.Has(tx.st.users.At(n.id).Owner)
		return !found
	})
	return found
}

// Role returns the role with ID id, or nil.
func (tx *Tx) Role(id model.RoleID) *Role { return byID[Role](tx, tRoles, uint32(id)) }

// RoleByName returns the role of account a named name, or nil.
func (tx *Tx) RoleByName(a model.AccountID, name string) *Role {
	return byName[Role](tx, tRoles, uint32(a), name, a, name)
}

// RolesOf returns the roles of account a.
func (tx *Tx) RolesOf(a model.AccountID) []*Role { return list[Role](tx, tRoles, "name_prefix", a) }

// RolesOwnedBy returns the roles role r owns, by ID. It scans the roles of
// r's account (r may have been deleted by this transaction).
func (tx *Tx) RolesOwnedBy(r model.RoleID) []*Role {
	return ownedBy(tx.RolesOf(tx.accountOf(r)), func(o *Role) bool { return o.Owner == r },
		func(o *Role) model.RoleID { return o.ID })
}

// ownedBy returns the records of recs that owned accepts, by ID.
func ownedBy[T any, ID cmp.Ordered](recs []*T, owned func(*T) bool, id func(*T) ID) []*T {
	out := slices.DeleteFunc(recs, func(rec *T) bool { return !owned(rec) })
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(id(a), id(b)) })
	return out
}

// Database returns the database with ID id, or nil.
func (tx *Tx) Database(id model.DatabaseID) *Database {
	return byID[Database](tx, tDatabases, uint32(id))
}

// DatabaseByName returns the database of account a named name, or nil.
func (tx *Tx) DatabaseByName(a model.AccountID, name string) *Database {
	return byName[Database](tx, tDatabases, uint32(a), name, a, name)
}

// DatabasesOf returns the databases of account a.
func (tx *Tx) DatabasesOf(a model.AccountID) []*Database {
	return list[Database](tx, tDatabases, "name_prefix", a)
}

// DatabasesOwnedBy returns the databases role r owns, by ID. It scans the
// databases of r's account (r may have been deleted by this transaction).
func (tx *Tx) DatabasesOwnedBy(r model.RoleID) []*Database {
	return ownedBy(tx.DatabasesOf(tx.accountOf(r)), func(d *Database) bool { return d.Owner == r },
		func(d *Database) model.DatabaseID { return d.ID })
}

// Table returns the table with ID id, or nil.
func (tx *Tx) Table(id model.TableID) *Table { return tx.st.table(id) }

// TableValue returns the table with ID id by value, and whether there is
// one. Unlike Table it allocates nothing, for callers reading millions.
func (tx *Tx) TableValue(id model.TableID) (Table, bool) {
	t := tx.st.tables.At(uint32(id))
	if t == nil || t.ID == 0 {
		return Table{}, false
	}
	return tx.st.fromRec(*t), true
}

// TableByName returns the table of database d named name, or nil.
func (tx *Tx) TableByName(d model.DatabaseID, name string) *Table {
	return tx.st.table(model.TableID(lookup(tx.st.tableNames, uint32(d), name, tx.st.tableName)))
}

// TablesOf returns the tables of database d, by name.
func (tx *Tx) TablesOf(d model.DatabaseID) []*Table {
	ids := children(tx.st.tableNames, uint32(d))
	vals := make([]Table, 0, len(ids))
	for _, id := range ids {
		vals = append(vals, tx.st.fromRec(*tx.st.tables.At(id)))
	}
	slices.SortFunc(vals, func(a, b Table) int { return strings.Compare(a.Name, b.Name) })
	return pointers(vals)
}

// TablesOfAccount returns the tables of account a.
func (tx *Tx) TablesOfAccount(a model.AccountID) []*Table {
	var out []*Table
	for _, d := range tx.DatabasesOf(a) {
		out = append(out, tx.TablesOf(d.ID)...)
	}
	return out
}

// TablesOwnedBy returns the tables role r owns, by ID. It scans the tables
// of r's account (r may have been deleted by this transaction).
func (tx *Tx) TablesOwnedBy(r model.RoleID) []*Table {
	var vals []Table
	for _, d := range tx.DatabasesOf(tx.accountOf(r)) {
		for _, id := range children(tx.st.tableNames, uint32(d.ID)) {
			if t := tx.st.tables.At(id); t.Owner == r {
				vals = append(vals, tx.st.fromRec(*t))
			}
		}
	}
	slices.SortFunc(vals, func(a, b Table) int { return cmp.Compare(a.ID, b.ID) })
	return pointers(vals)
}

// Grant returns the grant of p to role r at level l, or nil.
func (tx *Tx) Grant(r model.RoleID, l LevelKey, p model.Privilege) *Grant {
	return get(tx.st.grants, Grant{Role: r, Scope: l.Scope, Object: l.Object, Priv: p})
}

// GrantsOf returns every privilege grant held by role r, by level and
// privilege.
func (tx *Tx) GrantsOf(r model.RoleID) []*Grant {
	return prefix(tx.st.grants, Grant{Role: r}, func(g *Grant) bool { return g.Role == r })
}

// GrantsAt returns every privilege grant at level l, by role and privilege.
func (tx *Tx) GrantsAt(l LevelKey) []*Grant {
	var vals []Grant
	tx.st.levels.AscendGreaterOrEqual(levelKey{scope: l.Scope, object: l.Object}, func(k levelKey) bool {
		if k.scope != l.Scope || k.object != l.Object {
			return false
		}
		g, _ := tx.st.grants.Get(Grant{Role: k.role, Scope: k.scope, Object: k.object, Priv: k.priv})
		vals = append(vals, g)
		return true
	})
	return pointers(vals)
}

// Edge returns the edge granting role r to role grantee, or nil.
func (tx *Tx) Edge(r, grantee model.RoleID) *RoleEdge {
	return get(tx.st.edges, RoleEdge{Role: r, Grantee: grantee})
}

// EdgesOf returns the edges granting role r to other roles, by grantee.
func (tx *Tx) EdgesOf(r model.RoleID) []*RoleEdge {
	return prefix(tx.st.edges, RoleEdge{Role: r}, func(e *RoleEdge) bool { return e.Role == r })
}

// EdgesTo returns the edges granting roles to role grantee, by role.
func (tx *Tx) EdgesTo(grantee model.RoleID) []*RoleEdge {
	return prefix(tx.st.edgesTo, RoleEdge{Grantee: grantee}, func(e *RoleEdge) bool { return e.Grantee == grantee })
}

// UserRole returns the grant of role r to user u, or nil.
func (tx *Tx) UserRole(u model.UserID, r model.RoleID) *UserRole {
	return get(tx.st.userRoles, UserRole{User: u, Role: r})
}

// RolesOfUser returns the role grants of user u, by role.
func (tx *Tx) RolesOfUser(u model.UserID) []*UserRole {
	return prefix(tx.st.userRoles, UserRole{User: u}, func(ur *UserRole) bool { return ur.User == u })
}

// HoldersOf returns the grants of role r to users, by user.
func (tx *Tx) HoldersOf(r model.RoleID) []*UserRole {
	var vals []UserRole
	tx.st.holders.AscendGreaterOrEqual(holder{role: r}, func(h holder) bool {
		if h.role != r {
			return false
		}
		ur, _ := tx.st.userRoles.Get(UserRole{User: h.user, Role: h.role})
		vals = append(vals, ur)
		return true
	})
	return pointers(vals)
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
