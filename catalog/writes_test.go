package catalog

import (
	"testing"

	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWritesAreLoggedInOrderWithTheIDCounters(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	r := &Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r"}
	tx.Insert(r)
	tx.Delete(r)
	require.NoError(t, tx.Err())
	ids := db.next.ids()
	assert.Equal(t, []Write{{Rec: a}, {Rec: r}, {Delete: true, Rec: r}, {Rec: &ids}}, tx.Writes())
	tx.Commit()

	tx = db.Write()
	tx.Put(&Account{ID: a.ID, Name: "acme", Comment: "c"})
	assert.Len(t, tx.Writes(), 1, "no ID taken, no counters")
	tx.Abort()
}

func TestAbortGivesTheIDsBack(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write()
	first := tx.NewRoleID()
	tx.Abort()
	tx = db.Write()
	assert.Equal(t, first, tx.NewRoleID())
	tx.Commit()
	tx.Abort()
	tx = db.Write()
	assert.Equal(t, first+1, tx.NewRoleID(), "Abort after Commit gives nothing back")
}

func TestReplayCountsNewRecordsAndMovesTheCounters(t *testing.T) {
	src, err := Open()
	require.NoError(t, err)
	tx := src.Write()
	a := &Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	tx.Insert(&Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r"})
	writes := tx.Writes()
	tx.Commit()

	dst, err := Open()
	require.NoError(t, err)
	rx := dst.Write()
	for _, w := range writes {
		rx.Replay(w)
	}
	rx.Replay(Write{Rec: "not a record"})
	assert.ErrorContains(t, rx.Err(), "not a catalog record")
	rx.Abort()
	rx = dst.Write()
	for _, w := range writes {
		rx.Replay(w)
	}
	require.NoError(t, rx.Err())
	rx.Commit()
	assert.Equal(t, src.next, dst.next)
	assert.Equal(t, 1, dst.Read().Count(a.ID).Roles)
}

func TestLimitLog(t *testing.T) {
	db, err := Open()
	require.NoError(t, err)
	tx := db.Write().LimitLog(2)
	for i := range 3 {
		tx.Put(&Account{ID: model.AccountID(i + 1), Name: string(rune('a' + i))})
	}
	require.NoError(t, tx.Err())
	assert.True(t, tx.Overflowed())
	assert.Empty(t, tx.Writes())
}
