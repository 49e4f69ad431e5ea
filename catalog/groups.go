package catalog

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/pdp-authz/pdp/model"
)

// PrivilegeGroup is a custom privilege group of an account (reference §15): a
// named, mutable set of privileges. The predefined groups read_only and
// read_write have no record; they hold the slots 1 and 2 of every account.
type PrivilegeGroup struct {
	ID      model.GroupID
	Account model.AccountID
	Name    string
	Slot    uint32 // dense position within the account (from FirstGroupSlot), for decision views
	Privs   model.PrivSet
}

// The group slots of an account: 0 stands for no group, then the two
// predefined groups, then the custom ones.
const (
	SlotReadOnly   uint32 = 1
	SlotReadWrite  uint32 = 2
	FirstGroupSlot uint32 = 3
)

// GroupGrant is one privilege group granted to one role at one level. It
// stands for the group's current members of that level (reference §15).
type GroupGrant struct {
	Role        model.RoleID
	Account     model.AccountID
	Scope       Scope
	Object      uint32
	Group       model.GroupID
	Option      bool
	GrantorRole model.RoleID
	GrantorUser model.UserID
}

// Level returns the grant's level.
func (g *GroupGrant) Level() LevelKey { return LevelKey{g.Scope, g.Object} }

const (
	tGroups      = "groups"
	tGroupGrants = "group_grants"
)

func groupTables() []*memdb.TableSchema {
	return []*memdb.TableSchema{
		table(tGroups,
			index("id", true, uintIdx("ID")),
			index("name", true, compound(prefixIdx("Account"), strIdx("Name")))),
		table(tGroupGrants,
			index("id", true, compound(prefixIdx("Role"), uintIdx("Scope"), uintIdx("Object"), uintIdx("Group"))),
			index("level", false, compound(uintIdx("Scope"), uintIdx("Object"))),
			index("group", false, compound(uintIdx("Account"), uintIdx("Group")))),
	}
}

// Group returns the custom privilege group with ID id, or nil.
func (tx *Tx) Group(id model.GroupID) *PrivilegeGroup {
	return first[PrivilegeGroup](tx, tGroups, "id", id)
}

// GroupByName returns the custom privilege group of account a named name, or nil.
func (tx *Tx) GroupByName(a model.AccountID, name string) *PrivilegeGroup {
	return first[PrivilegeGroup](tx, tGroups, "name", a, name)
}

// GroupsOf returns the custom privilege groups of account a, by name.
func (tx *Tx) GroupsOf(a model.AccountID) []*PrivilegeGroup {
	return list[PrivilegeGroup](tx, tGroups, "name_prefix", a)
}

// GroupGrant returns the grant of group g to role r at level l, or nil.
func (tx *Tx) GroupGrant(r model.RoleID, l LevelKey, g model.GroupID) *GroupGrant {
	return first[GroupGrant](tx, tGroupGrants, "id", r, l.Scope, l.Object, g)
}

// GroupGrantsOf returns every group grant held by role r.
func (tx *Tx) GroupGrantsOf(r model.RoleID) []*GroupGrant {
	return list[GroupGrant](tx, tGroupGrants, "id_prefix", r)
}

// GroupGrantsAt returns every group grant at level l.
func (tx *Tx) GroupGrantsAt(l LevelKey) []*GroupGrant {
	return list[GroupGrant](tx, tGroupGrants, "level", l.Scope, l.Object)
}

// GrantsOfGroup returns every grant of group g of account a.
func (tx *Tx) GrantsOfGroup(a model.AccountID, g model.GroupID) []*GroupGrant {
	return list[GroupGrant](tx, tGroupGrants, "group", a, g)
}

// GroupGranted reports whether group g of account a is granted anywhere,
// without listing its grants.
func (tx *Tx) GroupGranted(a model.AccountID, g model.GroupID) bool {
	return first[GroupGrant](tx, tGroupGrants, "group", a, g) != nil
}

// NewGroupID hands out a fresh privilege group ID, above the IDs of the
// predefined groups.
func (tx *Tx) NewGroupID() model.GroupID {
	if tx.db.next.group < uint32(model.GroupReadWrite) {
		tx.db.next.group = uint32(model.GroupReadWrite)
	}
	return model.GroupID(tx.newID(&tx.db.next.group, "privilege group"))
}
