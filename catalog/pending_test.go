package catalog

import (
	"testing"

	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pendingFixture commits an account with a role and a database, and opens
// a write transaction that adds a user, a table, a grant, an edge and a
// user role grant without committing them.
func pendingFixture(t *testing.T) (*DB, *Tx, *Account, *Role, *Database) {
	t.Helper()
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	r := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r"}
	tx.Insert(r)
	d := &Database{ID: tx.NewDatabaseID(), Account: a.ID, Name: "d"}
	tx.Insert(d)
	require.NoError(t, tx.Err())
	tx.Commit()
	return db, db.Write(), a, r, d
}

func TestPreviewSeesTheUncommittedRecordsAndStaysDetached(t *testing.T) {
	db, tx, a, r, d := pendingFixture(t)
	u := &User{ID: tx.NewUserID(), Account: a.ID, Name: "u", Owner: r.ID}
	tx.Insert(u)
	tb := &Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t", Owner: r.ID}
	tx.Insert(tb)
	g := &Grant{Role: r.ID, Account: a.ID, Scope: ScopeTable, Object: uint32(tb.ID), Priv: model.PrivSelect}
	tx.Insert(g)
	r2 := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r2"}
	tx.Insert(r2)
	e := &RoleEdge{Role: r.ID, Grantee: r2.ID, Account: a.ID}
	tx.Put(e)
	ur := &UserRole{User: u.ID, Role: r.ID}
	tx.Put(ur)
	require.NoError(t, tx.Err())

	p := tx.Preview()
	// The transaction goes on after the preview: none of it reaches the preview.
	tx.Delete(tb)
	tx.Delete(g)
	tx.Delete(e)
	tx.Delete(ur)
	tx.Put(&User{ID: u.ID, Account: a.ID, Name: "renamed"})
	tx.Insert(&Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t2"})
	require.NoError(t, tx.Err())
	assert.Nil(t, tx.Table(tb.ID))
	tx.Abort()

	for _, read := range []*Tx{p, p.Preview()} {
		assert.Equal(t, u, read.UserByName(a.ID, "u"))
		assert.Nil(t, read.UserByName(a.ID, "renamed"))
		assert.Equal(t, []*Table{tb}, read.TablesOf(d.ID))
		assert.Equal(t, []*Grant{g}, read.GrantsAt(g.Level()))
		assert.Equal(t, []*RoleEdge{e}, read.EdgesTo(r2.ID))
		assert.Equal(t, []*UserRole{ur}, read.HoldersOf(r.ID))
		assert.Equal(t, r2, read.RoleByName(a.ID, "r2"))
	}
	now := db.Read()
	assert.Nil(t, now.UserByName(a.ID, "u"), "the aborted transaction committed nothing")
	assert.Empty(t, now.TablesOf(d.ID))
	assert.Nil(t, now.RoleByName(a.ID, "r2"))
}

func TestRewindGivesBackTheIDsOfAnAbortedTransaction(t *testing.T) {
	db, tx, a, _, d := pendingFixture(t)
	tx.Abort()
	m := db.Mark()
	tx = db.Write()
	first := tx.NewTableID()
	tx.Insert(&Table{ID: first, Account: a.ID, Database: d.ID, Name: "t"})
	tx.NewUserID()
	tx.NewRoleID()
	tx.Abort()
	db.Rewind(m)

	tx = db.Write()
	assert.Equal(t, first, tx.NewTableID())
	assert.Equal(t, IDMark(db.next), db.Mark())
	assert.Empty(t, tx.TablesOf(d.ID))
}

func TestOwnsRoleOrUser(t *testing.T) {
	db, tx, a, r, _ := pendingFixture(t)
	self := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "self"}
	self.Owner = self.ID
	tx.Insert(self)
	ownsRole := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "owns role"}
	tx.Insert(ownsRole)
	tx.Insert(&Role{ID: tx.NewRoleID(), Account: a.ID, Name: "owned", Owner: ownsRole.ID})
	ownsUser := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "owns user"}
	tx.Insert(ownsUser)
	tx.Insert(&User{ID: tx.NewUserID(), Account: a.ID, Name: "u", Owner: ownsUser.ID})
	require.NoError(t, tx.Err())
	tx.Commit()

	read := db.Read()
	set := func(ids ...model.RoleID) IDs[model.RoleID] {
		var s IDs[model.RoleID]
		for _, id := range ids {
			s.Add(id)
		}
		return s
	}
	assert.False(t, read.OwnsRoleOrUser(a.ID, set()))
	assert.False(t, read.OwnsRoleOrUser(a.ID, set(r.ID, self.ID)), "owning itself does not count")
	assert.True(t, read.OwnsRoleOrUser(a.ID, set(r.ID, ownsRole.ID)))
	assert.True(t, read.OwnsRoleOrUser(a.ID, set(ownsUser.ID)))
	assert.False(t, read.OwnsRoleOrUser(a.ID+1, set(ownsUser.ID, ownsRole.ID)), "another account's objects")
}
