package catalog

import (
	"cmp"
	"hash/maphash"

	"github.com/google/btree"
	"github.com/pdp-authz/pdp/internal/pvec"
	"github.com/pdp-authz/pdp/model"
)

// degree is the B-tree degree of the catalog's trees: nodes hold up to
// 2*degree-1 items.
const degree = 32

// state is the part of the catalog kept outside go-memdb: users, tables,
// privilege grants, role edges and user role grants, by value in
// persistent structures. A committed state is never modified: a write
// transaction works on a copy whose B-trees are lazy copy-on-write clones
// and whose arrays copy the path of every element set, so that readers of
// any earlier state see it unchanged.
type state struct {
	users      pvec.Vec[User]          // by ID; a zero User is absent
	userNames  *btree.BTreeG[named]    // (account, hash of the name)
	tables     pvec.Vec[tableRec]      // by ID; a zero tableRec is absent
	tableNames *btree.BTreeG[named]    // (database, hash of the name)
	columns    *btree.BTreeG[columns]  // the non-empty column texts of tables
	grants     *btree.BTreeG[Grant]    // (role, scope, object, privilege)
	levels     *btree.BTreeG[levelKey] // the keys of grants by (scope, object, role, privilege)
	edges      *btree.BTreeG[RoleEdge] // (role, grantee)
	edgesTo    *btree.BTreeG[RoleEdge] // (grantee, role)
	userRoles  *btree.BTreeG[UserRole] // (user, role)
	holders    *btree.BTreeG[holder]   // the keys of user role grants by (role, user)
}

// levelKey is the key of a grant in the index by level (12 bytes where a
// Grant takes 28).
type levelKey struct {
	scope  Scope
	priv   model.Privilege
	object uint32
	role   model.RoleID
}

func levelOf(g *Grant) levelKey {
	return levelKey{scope: g.Scope, priv: g.Priv, object: g.Object, role: g.Role}
}

// holder is the key of a user role grant in the index by role.
type holder struct {
	role model.RoleID
	user model.UserID
}

// named is a name index entry: child id of parent has a name hashing to
// hash. It holds no pointer, so the garbage collector never scans the
// index; the name itself is read from the record when the hashes match.
type named struct {
	parent uint32
	hash   uint32
	id     uint32
}

func namedLess(a, b named) bool {
	return cmp.Or(cmp.Compare(a.parent, b.parent), cmp.Compare(a.hash, b.hash), cmp.Compare(a.id, b.id)) < 0
}

// nameSeed seeds the hashes of the name indexes (per process: the indexes
// live in memory only).
var nameSeed = maphash.MakeSeed()

// nameHash hashes a name for the name indexes (a variable, so that tests
// can force collisions).
var nameHash = func(name string) uint32 {
	h := maphash.String(nameSeed, name)
	return uint32(h ^ h>>32)
}

// nameKey returns the name index entry of child id of parent named name.
func nameKey(parent uint32, name string, id uint32) named {
	return named{parent: parent, hash: nameHash(name), id: id}
}

// tableRec is a Table as stored: without its column text, which is rare
// and kept in the columns tree, so that the array of tables stays small.
type tableRec struct {
	ID       model.TableID
	Account  model.AccountID
	Database model.DatabaseID
	Owner    model.RoleID
	Name     string
}

// columns is the column text of a table.
type columns struct {
	id   model.TableID
	text string
}

func columnsLess(a, b columns) bool { return a.id < b.id }

func grantLess(a, b Grant) bool {
	return cmp.Or(cmp.Compare(a.Role, b.Role), cmp.Compare(a.Scope, b.Scope),
		cmp.Compare(a.Object, b.Object), cmp.Compare(a.Priv, b.Priv)) < 0
}

func levelLess(a, b levelKey) bool {
	return cmp.Or(cmp.Compare(a.scope, b.scope), cmp.Compare(a.object, b.object),
		cmp.Compare(a.role, b.role), cmp.Compare(a.priv, b.priv)) < 0
}

func edgeLess(a, b RoleEdge) bool {
	return cmp.Or(cmp.Compare(a.Role, b.Role), cmp.Compare(a.Grantee, b.Grantee)) < 0
}

func edgeToLess(a, b RoleEdge) bool {
	return cmp.Or(cmp.Compare(a.Grantee, b.Grantee), cmp.Compare(a.Role, b.Role)) < 0
}

func userRoleLess(a, b UserRole) bool {
	return cmp.Or(cmp.Compare(a.User, b.User), cmp.Compare(a.Role, b.Role)) < 0
}

func holderLess(a, b holder) bool {
	return cmp.Or(cmp.Compare(a.role, b.role), cmp.Compare(a.user, b.user)) < 0
}

func newState() *state {
	return &state{
		userNames:  btree.NewG(degree, namedLess),
		tableNames: btree.NewG(degree, namedLess),
		columns:    btree.NewG(degree, columnsLess),
		grants:     btree.NewG(degree, grantLess),
		levels:     btree.NewG(degree, levelLess),
		edges:      btree.NewG(degree, edgeLess),
		edgesTo:    btree.NewG(degree, edgeToLess),
		userRoles:  btree.NewG(degree, userRoleLess),
		holders:    btree.NewG(degree, holderLess),
	}
}

// clone returns a writable copy of s; s itself is never written again.
func (s *state) clone() *state {
	return &state{
		users:      s.users,
		userNames:  cloneTree(s.userNames),
		tables:     s.tables,
		tableNames: cloneTree(s.tableNames),
		columns:    cloneTree(s.columns),
		grants:     cloneTree(s.grants),
		levels:     cloneTree(s.levels),
		edges:      cloneTree(s.edges),
		edgesTo:    cloneTree(s.edgesTo),
		userRoles:  cloneTree(s.userRoles),
		holders:    cloneTree(s.holders),
	}
}

// cloneTree returns a copy-on-write clone of t without writing to t, which
// readers of a published state may be using: Clone is called on a private
// copy of the tree header, so t keeps its nodes and its context and the
// clone copies every node before changing it.
func cloneTree[T any](t *btree.BTreeG[T]) *btree.BTreeG[T] {
	c := *t
	return c.Clone()
}

// prefix returns the items of t from the first item not less than from,
// as long as in holds; the pointers are to fresh copies.
func prefix[T any](t *btree.BTreeG[T], from T, in func(*T) bool) []*T {
	var vals []T
	t.AscendGreaterOrEqual(from, func(x T) bool {
		if !in(&x) {
			return false
		}
		vals = append(vals, x)
		return true
	})
	return pointers(vals)
}

// pointers returns pointers to the elements of vals.
func pointers[T any](vals []T) []*T {
	if len(vals) == 0 {
		return nil
	}
	out := make([]*T, len(vals))
	for i := range vals {
		out[i] = &vals[i]
	}
	return out
}

// get returns a fresh copy of the item of t equal to key, or nil.
func get[T any](t *btree.BTreeG[T], key T) *T {
	if v, ok := t.Get(key); ok {
		return &v
	}
	return nil
}

// children returns the IDs under parent in a name index, in hash order.
func children(t *btree.BTreeG[named], parent uint32) []uint32 {
	var ids []uint32
	t.AscendGreaterOrEqual(named{parent: parent}, func(n named) bool {
		if n.parent != parent {
			return false
		}
		ids = append(ids, n.id)
		return true
	})
	return ids
}

// lookup returns the ID of the child of parent named name, or 0; nameOf
// returns the name of a child.
func lookup(t *btree.BTreeG[named], parent uint32, name string, nameOf func(uint32) string) uint32 {
	h := nameHash(name)
	found := uint32(0)
	t.AscendGreaterOrEqual(named{parent: parent, hash: h}, func(n named) bool {
		if n.parent != parent || n.hash != h {
			return false
		}
		if nameOf(n.id) == name {
			found = n.id
			return false
		}
		return true
	})
	return found
}

// user returns a copy of the user with ID id, or nil.
func (s *state) user(id model.UserID) *User {
	if u := s.users.At(uint32(id)); u != nil && u.ID != 0 {
		c := *u
		return &c
	}
	return nil
}

func (s *state) userName(id uint32) string { return s.users.At(id).Name }

func (s *state) tableName(id uint32) string { return s.tables.At(id).Name }

// table returns a copy of the table with ID id, or nil.
func (s *state) table(id model.TableID) *Table {
	t := s.tables.At(uint32(id))
	if t == nil || t.ID == 0 {
		return nil
	}
	c := s.fromRec(*t)
	return &c
}

func (s *state) fromRec(t tableRec) Table {
	c := Table{ID: t.ID, Account: t.Account, Database: t.Database, Name: t.Name, Owner: t.Owner}
	if s.columns.Len() > 0 {
		if col, ok := s.columns.Get(columns{id: t.ID}); ok {
			c.Columns = col.text
		}
	}
	return c
}

// put inserts or replaces a record kept in the trees.
func (s *state) put(e *pvec.Edit, rec any) {
	switch r := rec.(type) {
	case *User:
		if old := s.users.At(uint32(r.ID)); old != nil && old.ID != 0 {
			s.userNames.Delete(nameKey(uint32(old.Account), old.Name, uint32(old.ID)))
		}
		s.userNames.ReplaceOrInsert(nameKey(uint32(r.Account), r.Name, uint32(r.ID)))
		s.users = s.users.Set(e, uint32(r.ID), *r)
	case *Table:
		s.putTable(e, r)
	case *Grant:
		s.grants.ReplaceOrInsert(*r)
		s.levels.ReplaceOrInsert(levelOf(r))
	case *RoleEdge:
		s.edges.ReplaceOrInsert(*r)
		s.edgesTo.ReplaceOrInsert(*r)
	case *UserRole:
		s.userRoles.ReplaceOrInsert(*r)
		s.holders.ReplaceOrInsert(holder{role: r.Role, user: r.User})
	}
}

// putTable inserts or replaces table r.
func (s *state) putTable(e *pvec.Edit, r *Table) {
	if old := s.tables.At(uint32(r.ID)); old != nil && old.ID != 0 {
		s.tableNames.Delete(nameKey(uint32(old.Database), old.Name, uint32(old.ID)))
	}
	s.tableNames.ReplaceOrInsert(nameKey(uint32(r.Database), r.Name, uint32(r.ID)))
	s.tables = s.tables.Set(e, uint32(r.ID),
		tableRec{ID: r.ID, Account: r.Account, Database: r.Database, Owner: r.Owner, Name: r.Name})
	if r.Columns != "" {
		s.columns.ReplaceOrInsert(columns{id: r.ID, text: r.Columns})
	} else if s.columns.Len() > 0 {
		s.columns.Delete(columns{id: r.ID})
	}
}

// delete removes a record kept in the trees and reports whether it was
// there.
func (s *state) delete(e *pvec.Edit, rec any) bool {
	switch r := rec.(type) {
	case *User:
		old := s.users.At(uint32(r.ID))
		if old == nil || old.ID == 0 {
			return false
		}
		s.userNames.Delete(nameKey(uint32(old.Account), old.Name, uint32(old.ID)))
		s.users = s.users.Set(e, uint32(r.ID), User{})
	case *Table:
		old := s.tables.At(uint32(r.ID))
		if old == nil || old.ID == 0 {
			return false
		}
		s.tableNames.Delete(nameKey(uint32(old.Database), old.Name, uint32(old.ID)))
		s.tables = s.tables.Set(e, uint32(r.ID), tableRec{})
		s.columns.Delete(columns{id: r.ID})
	case *Grant:
		_, ok := s.grants.Delete(*r)
		s.levels.Delete(levelOf(r))
		return ok
	case *RoleEdge:
		_, ok := s.edges.Delete(*r)
		s.edgesTo.Delete(*r)
		return ok
	case *UserRole:
		_, ok := s.userRoles.Delete(*r)
		s.holders.Delete(holder{role: r.Role, user: r.User})
		return ok
	}
	return true
}
