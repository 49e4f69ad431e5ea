package engine_test

import (
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExplainNamesTheGrantingRoleAndPath(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"reader"}}))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"reader"}, To: []string{"analyst"}}))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "reader")))
	bob := connect(t, eng, "acme:bob", "pw")

	x := bob.Explain(model.PrivSelect, table("sales", "orders"))
	assert.Equal(t, bob.Decide(model.PrivSelect, table("sales", "orders")), x.Decision)
	assert.True(t, x.Decision.Allowed)
	assert.Equal(t, "reader", x.Via)
	assert.Equal(t, []string{"analyst", "reader"}, x.Path)
	assert.ElementsMatch(t, []string{"analyst", "public", "reader"}, x.Roles)
	assert.Contains(t, x.String(), "via analyst -> reader")

	denied := bob.Explain(model.PrivInsert, table("sales", "orders"))
	assert.False(t, denied.Decision.Allowed)
	assert.Empty(t, denied.Via)
	assert.Contains(t, denied.String(), "deny (no grant)")
}

func TestExplainNamesTheDecidingRow(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"reader"}}))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"reader"}, To: []string{"analyst"}}))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "reader")))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"all"}, engine.Target{Kind: model.KindTable, Database: "sales", AnyTable: true}, "analyst")))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"drop table"}, database("sales"), "reader")))
	bob := connect(t, eng, "acme:bob", "pw")

	// Two roles decide: the least one by name, and its least row.
	x := bob.Explain(model.PrivSelect, table("sales", "orders"))
	assert.Equal(t, "analyst", x.Via)
	assert.Equal(t, []string{"analyst"}, x.Path)
	assert.Equal(t, "GRANT ALL ON TABLE sales.* TO analyst", x.Grant)

	x = bob.Explain(model.PrivDropTable, table("sales", "orders"))
	assert.Equal(t, engine.Decision{Allowed: true, Reason: engine.ReasonGrant}, x.Decision)
	assert.Equal(t, "reader", x.Via)
	assert.Equal(t, "GRANT DROP TABLE ON DATABASE sales TO reader", x.Grant)

	require.NoError(t, ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"ownership"},
		On: table("sales", "orders"), To: []string{"analyst"}}))
	x = bob.Explain(model.PrivAlterTable, table("sales", "orders"))
	assert.Equal(t, engine.Decision{Allowed: true, Reason: engine.ReasonOwner}, x.Decision)
	assert.Equal(t, "GRANT OWNERSHIP ON TABLE sales.orders TO analyst", x.Grant)

	// The admin role decides with its fixed row, though it owns the database too.
	x = ann.Explain(model.PrivDropDatabase, database("sales"))
	assert.Equal(t, engine.Decision{Allowed: true, Reason: engine.ReasonAdmin}, x.Decision)
	assert.Equal(t, "accountadmin", x.Via)
	assert.Equal(t, "GRANT ALL ON ACCOUNT TO accountadmin WITH GRANT OPTION", x.Grant)
	assert.Equal(t, "GRANT ALL ON TABLE *.* TO accountadmin WITH GRANT OPTION",
		ann.Explain(model.PrivSelect, table("sales", "orders")).Grant)

	root := connect(t, eng, "root", "111")
	x = root.Explain(model.PrivCreateAccount, account)
	assert.Equal(t, "moadmin", x.Via)
	assert.Equal(t, "GRANT CREATE ACCOUNT ON ACCOUNT TO moadmin", x.Grant)

	assert.Empty(t, bob.Explain(model.PrivDelete, database("sales")).Grant)
}

func TestSnapshotExplainByIDsMatchesTheSession(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst")))
	bob := connect(t, eng, "acme:bob", "pw")
	p := bob.Principal()
	snap := eng.Snapshot()
	db, _ := snap.Database(p.Account, "sales")
	tbl, _ := snap.Table(db, "orders")
	for _, priv := range []model.Privilege{model.PrivSelect, model.PrivInsert} {
		byID := snap.Explain(p.User, p.Role, p.Secondary, priv, model.TableObject(tbl))
		assert.Equal(t, bob.Explain(priv, table("sales", "orders")), byID, priv.String())
		assert.Equal(t, snap.Check(p.User, p.Role, p.Secondary, priv, model.TableObject(tbl)), byID.Decision)
	}
	assert.Equal(t, engine.Decision{Reason: engine.ReasonNoSuchUser}, snap.Explain(999, p.Role, p.Secondary, model.PrivSelect, model.TableObject(tbl)).Decision)
}
