package catalog

import (
	"math"
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
