package catalog

import (
	"math"
	"slices"
	"testing"

	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteTracksChangesAndCounts(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	r := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r"}
	tx.Insert(r)
	d := &Database{ID: tx.NewDatabaseID(), Account: a.ID, Name: "d"}
	tx.Insert(d)
	tb := &Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t"}
	tx.Insert(tb)
	g := &Grant{Role: r.ID, Account: a.ID, Scope: ScopeTable, Object: uint32(tb.ID), Priv: model.PrivSelect}
	tx.Put(g)
	tx.Put(&RoleEdge{Role: r.ID, Grantee: 99, Account: a.ID})
	require.NoError(t, tx.Err())

	ch := tx.Changes()
	assert.True(t, ch.Accounts.Has(a.ID))
	assert.True(t, ch.Roles.Has(r.ID))
	assert.True(t, ch.Roles.Has(99), "the grantee of a changed edge")
	assert.False(t, ch.Roles.Has(98))
	assert.True(t, ch.Tables.Has(tb.ID))
	assert.Equal(t, 1, ch.Tables.Len())
	assert.True(t, ch.Levels[g.Level()])
	assert.Equal(t, Counts{Roles: 1, Databases: 1, Tables: 1}, tx.Count(a.ID))
	tx.Commit()

	read := db.Read()
	assert.Equal(t, []*Table{tb}, read.TablesOf(d.ID))
	assert.Equal(t, []*Table{tb}, read.TablesOfAccount(a.ID))
	assert.Equal(t, []*Grant{g}, read.GrantsOf(r.ID))
	assert.Equal(t, []*Grant{g}, read.GrantsAt(g.Level()))
	assert.Equal(t, tb, read.TableByName(d.ID, "t"))
	assert.Nil(t, read.TableByName(d.ID, "u"))

	tx = db.Write()
	tx.Delete(tb)
	assert.Equal(t, Counts{Roles: 1, Databases: 1}, tx.Count(a.ID))
	tx.Abort()
	assert.Equal(t, Counts{Roles: 1, Databases: 1, Tables: 1}, db.Read().Count(a.ID), "an aborted transaction counts nothing")
}

func TestSnapshotIsFrozen(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	view := db.Snapshot()
	tx := db.Write()
	tx.Put(&Account{ID: tx.NewAccountID(), Name: "acme"})
	tx.Commit()
	assert.Nil(t, view.Read().AccountByName("acme"))
	assert.NotNil(t, db.Read().AccountByName("acme"))
}

func TestIDsNeverWrapAround(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	db.next.table = math.MaxUint32 - 1
	tx := db.Write()
	assert.Equal(t, model.TableID(math.MaxUint32), tx.NewTableID())
	require.NoError(t, tx.Err())
	assert.Equal(t, model.TableID(0), tx.NewTableID())
	assert.ErrorIs(t, tx.Err(), model.ErrLimit)
}

func TestTreesAreCopiedOnWrite(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	r := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r"}
	tx.Insert(r)
	d := &Database{ID: tx.NewDatabaseID(), Account: a.ID, Name: "d"}
	tx.Insert(d)
	tb := &Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t", Columns: "id int", Owner: r.ID}
	tx.Insert(tb)
	u := &User{ID: tx.NewUserID(), Account: a.ID, Name: "u", Owner: r.ID}
	tx.Insert(u)
	g := &Grant{Role: r.ID, Account: a.ID, Scope: ScopeTable, Object: uint32(tb.ID), Priv: model.PrivSelect}
	tx.Insert(g)
	ur := &UserRole{Role: r.ID, User: u.ID, Account: a.ID}
	tx.Put(ur)
	require.NoError(t, tx.Err())
	tx.Commit()
	view := db.Snapshot()

	tx = db.Write()
	tx.Delete(g)
	tx.Delete(ur)
	tx.Delete(tb)
	tx.Put(WithOwner(u, 0))
	tx.Put(&Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t2"})
	require.NoError(t, tx.Err())
	assert.Nil(t, tx.TableByName(d.ID, "t"))
	tx.Abort()

	tx = db.Write()
	tx.Delete(g)
	tx.Delete(tb)
	tx.Commit()

	for name, read := range map[string]*Tx{"aborted": view.Read(), "committed after": db.Read()} {
		if name == "committed after" {
			assert.Nil(t, read.Table(tb.ID), name)
			assert.Empty(t, read.GrantsAt(g.Level()), name)
			assert.Equal(t, []*UserRole{ur}, read.HoldersOf(r.ID), name)
			continue
		}
		assert.Equal(t, tb, read.Table(tb.ID), name)
		assert.Equal(t, tb, read.TableByName(d.ID, "t"), name)
		assert.Nil(t, read.TableByName(d.ID, "t2"), name)
		assert.Equal(t, []*Grant{g}, read.GrantsAt(g.Level()), name)
		assert.Equal(t, []*UserRole{ur}, read.HoldersOf(r.ID), name)
		assert.Equal(t, r.ID, read.User(u.ID).Owner, name)
	}
	view2 := db.Snapshot().Read()
	assert.Equal(t, []*User{u}, view2.UsersOf(a.ID), "the aborted owner change left nothing")
}

func TestDeleteOfAMissingRecordFails(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	tx.Delete(&Grant{Role: 1, Scope: ScopeAccount, Object: 1, Priv: model.PrivCreateUser})
	assert.Error(t, tx.Err())
	tx.Abort()
	read := db.Read()
	read.Put(&Account{ID: 1, Name: "x"})
	assert.Error(t, read.Err(), "a read transaction refuses writes")
}

func TestOwnedByFindsTheObjectsOfADeletedRole(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	r := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r"}
	other := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "o", Owner: r.ID}
	tx.Insert(r)
	tx.Insert(other)
	d := &Database{ID: tx.NewDatabaseID(), Account: a.ID, Name: "d", Owner: r.ID}
	tx.Insert(d)
	t2 := &Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "b", Owner: r.ID}
	t1 := &Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "a", Owner: other.ID}
	t3 := &Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "c", Owner: r.ID}
	tx.Insert(t2)
	tx.Insert(t1)
	tx.Insert(t3)
	u := &User{ID: tx.NewUserID(), Account: a.ID, Name: "u", Owner: r.ID}
	tx.Insert(u)
	tx.Delete(r)
	require.NoError(t, tx.Err())
	assert.Equal(t, []*Table{t2, t3}, tx.TablesOwnedBy(r.ID), "by ID")
	assert.Equal(t, []*User{u}, tx.UsersOwnedBy(r.ID))
	assert.Equal(t, []*Database{d}, tx.DatabasesOwnedBy(r.ID))
	assert.Equal(t, []*Role{other}, tx.RolesOwnedBy(r.ID))
	assert.Equal(t, []*Table{t1, t2, t3}, tx.TablesOf(d.ID), "by name")
}

func TestLookupReadsNamesOnHashMatches(t *testing.T) {
	tree := newState().tableNames
	names := map[uint32]string{1: "a", 2: "b", 3: "c"}
	for id := range names {
		tree.ReplaceOrInsert(named{parent: 7, hash: 42, id: id}) // all collide
	}
	nameOf := func(id uint32) string { return names[id] }
	old := nameHash
	t.Cleanup(func() { nameHash = old })
	nameHash = func(string) uint32 { return 42 }
	assert.Equal(t, uint32(2), lookup(tree, 7, "b", nameOf))
	assert.Equal(t, uint32(3), lookup(tree, 7, "c", nameOf))
	assert.Zero(t, lookup(tree, 7, "d", nameOf))
	assert.Zero(t, lookup(tree, 8, "a", nameOf))
}

func TestIDs(t *testing.T) {
	var s IDs[model.TableID]
	for _, id := range []model.TableID{1, 63, 64, 65, 1 << 20, math.MaxUint32} {
		s.Add(id)
	}
	s.Add(64)
	assert.Equal(t, 6, s.Len())
	assert.True(t, s.Has(63))
	assert.False(t, s.Has(62))
	assert.ElementsMatch(t, []model.TableID{1, 63, 64, 65, 1 << 20, math.MaxUint32}, slices.Collect(s.All()))
	c := s.Clone()
	c.Add(2)
	assert.False(t, s.Has(2))
}

func TestWriteCachesFollowEveryChange(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	assert.Nil(t, tx.RoleByName(a.ID, "x"), "cached as absent")
	r := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "x"}
	tx.Insert(r)
	assert.Same(t, r, tx.RoleByName(a.ID, "x"))
	owned := WithOwner(r, 7).(*Role)
	tx.Put(owned)
	assert.Same(t, owned, tx.RoleByName(a.ID, "x"))
	assert.Same(t, owned, tx.Role(r.ID))
	renamed := *owned
	renamed.Name = "y"
	tx.Put(&renamed)
	assert.Nil(t, tx.RoleByName(a.ID, "x"), "a renamed record is not found by its old name")
	assert.Equal(t, &renamed, tx.RoleByName(a.ID, "y"))
	tx.Delete(&renamed)
	assert.Nil(t, tx.RoleByName(a.ID, "y"))
	assert.Nil(t, tx.Role(r.ID))
	require.NoError(t, tx.Err())
	tx.Commit()
	assert.Nil(t, db.Read().RoleByName(a.ID, "x"))
	assert.Equal(t, a, db.Read().AccountByName("acme"))
}

func TestInsertTableCountsAndTracks(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	d := &Database{ID: tx.NewDatabaseID(), Account: a.ID, Name: "d"}
	tx.Insert(d)
	tb := Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t", Columns: "id int"}
	tx.InsertTable(tb)
	assert.Equal(t, &tb, tx.TableByName(d.ID, "t"))
	assert.True(t, tx.Changes().Tables.Has(tb.ID))
	assert.Equal(t, Counts{Databases: 1, Tables: 1}, tx.Count(a.ID))
}
