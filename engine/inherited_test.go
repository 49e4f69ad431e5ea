package engine_test

import (
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInheritedRoleIsNoActiveRole: a role the user reaches only through
// another role may not be its active role (reference §8 rule 1), however
// much it holds; asking with it denies "role not granted", by ID as by name.
func TestInheritedRoleIsNoActiveRole(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"reader"}}))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "reader")))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"reader"}, To: []string{"analyst"}}))

	snap := eng.Snapshot()
	acme, _ := snap.Account("acme")
	bob, _ := snap.User(acme, "bob")
	analyst, _ := snap.Role(acme, "analyst")
	reader, _ := snap.Role(acme, "reader")
	sales, _ := snap.Database(acme, "sales")
	orders, _ := snap.Table(sales, "orders")
	obj := model.TableObject(orders)

	for _, sec := range []engine.Secondary{engine.SecondaryNone, engine.SecondaryAll} {
		assert.Equal(t, engine.Decision{Allowed: true, Reason: engine.ReasonGrant},
			eng.Check(bob, analyst, sec, model.PrivSelect, obj), "through the granted role")
		assert.Equal(t, engine.Decision{Reason: engine.ReasonRoleNotGranted},
			eng.Check(bob, reader, sec, model.PrivSelect, obj), "as the inherited role itself")
	}
	_, err := eng.Connect("acme:bob:reader", "pw")
	assert.ErrorIs(t, err, model.ErrNotGranted)
	s := connect(t, eng, "acme:bob", "pw")
	assert.ErrorIs(t, s.SetRole("reader"), model.ErrNotGranted)
}
