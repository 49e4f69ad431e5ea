package engine_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

func TestCheckBatchDecidesLikeCheck(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst")))
	bob := connect(t, eng, "acme:bob", "pw").Principal()
	snap := eng.Snapshot()
	db, _ := snap.Database(bob.Account, "sales")
	orders, _ := snap.Table(db, "orders")
	var qs []engine.Question
	for _, p := range []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivShowTables, model.PrivAll} {
		for _, o := range []model.Object{model.TableObject(orders), model.DatabaseObject(db), model.TableObject(9999)} {
			qs = append(qs, engine.Question{User: bob.User, Role: bob.Role, Privilege: p, Object: o})
		}
	}
	got := snap.CheckBatch(qs, make([]engine.Decision, 0, len(qs)))
	require.Len(t, got, len(qs))
	for i, q := range qs {
		assert.Equal(t, snap.Check(q.User, q.Role, q.Secondary, q.Privilege, q.Object), got[i], "%+v", q)
	}
	assert.True(t, got[0].Allowed)
	assert.Zero(t, testing.AllocsPerRun(100, func() { snap.CheckBatch(qs, got[:0]) }))
}

func TestIntrospectionOfMissingAndLockedPrincipals(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst")))
	bob := connect(t, eng, "acme:bob", "pw").Principal()
	snap := eng.Snapshot()
	db, _ := snap.Database(bob.Account, "sales")
	orders, _ := snap.Table(db, "orders")
	obj := model.TableObject(orders)

	assert.Equal(t, engine.Holders{}, snap.WhoCan(model.PrivSelect, model.TableObject(9999)), "a missing object")
	assert.Len(t, snap.WhoCan(model.PrivSelect, obj).Users, 2, "ann and bob")
	assert.Equal(t, engine.Holders{}, snap.WhoCan(model.PrivOwnership, obj), "not a privilege")
	assert.Equal(t, model.PrivSelect.Bit(), snap.Privileges(bob.User, bob.Role, bob.Secondary, obj))
	assert.Equal(t, []model.Object{obj}, slices.Collect(snap.Objects(bob.User, bob.Role, bob.Secondary, model.PrivSelect, model.KindTable)))

	require.NoError(t, ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserLock}}}))
	snap = eng.Snapshot()
	h := snap.WhoCan(model.PrivSelect, obj)
	assert.Len(t, h.Users, 1, "a locked user cannot")
	analyst, _ := snap.Role(bob.Account, "analyst")
	assert.Contains(t, h.Roles, analyst, "its roles still can")
	assert.Zero(t, snap.Privileges(bob.User, bob.Role, bob.Secondary, obj))
	assert.Empty(t, slices.Collect(snap.Objects(bob.User, bob.Role, bob.Secondary, model.PrivSelect, model.KindTable)))
	assert.Equal(t, engine.ReasonUserLocked, snap.Explain(bob.User, bob.Role, bob.Secondary, model.PrivSelect, obj).Decision.Reason)
}
