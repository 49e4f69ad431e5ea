package engine_test

import (
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInvalidOptionsThroughTheAPI passes the values the statement parser
// never produces: enums out of range, options without the flag that
// selects them, empty lists, malformed targets. Each is a stage-2 error
// wrapping ErrInvalidOption, and nothing changes.
func TestInvalidOptionsThroughTheAPI(t *testing.T) {
	eng, ann := acmeFixture(t)
	root := connect(t, eng, "sys:root:moadmin", "111")
	orders := table("sales", "orders")
	tests := []struct {
		name string
		run  func() error
		msg  string
	}{
		{"create account status", func() error {
			return root.CreateAccount(engine.CreateAccount{Name: "b", AdminName: "a", AdminPassword: "pw", Status: 99})
		}, "the account status 99 is invalid"},
		{"alter account status", func() error {
			return root.AlterAccount(engine.AlterAccount{Name: "acme", Status: 99})
		}, "the account status 99 is invalid"},
		{"alter account admin without SetAdmin", func() error {
			return root.AlterAccount(engine.AlterAccount{Name: "acme", Status: model.StatusOpen, AdminName: "ann", AdminPassword: "x"})
		}, "an admin name or password is given without SetAdmin"},
		{"alter account comment without SetComment", func() error {
			return root.AlterAccount(engine.AlterAccount{Name: "acme", Status: model.StatusOpen, Comment: "c"})
		}, "a comment is given without SetComment"},
		{"create user with no user", func() error {
			return ann.CreateUser(engine.CreateUser{DefaultRole: "analyst"})
		}, "the statement names no user"},
		{"drop user with no user", func() error { return ann.DropUser(engine.DropUser{}) }, "the statement names no user"},
		{"alter user action", func() error {
			return ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: 99}}})
		}, "the ALTER USER action 99 is invalid"},
		{"alter user password with LOCK", func() error {
			return ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserLock, Password: "pw"}}})
		}, "only IDENTIFIED BY takes a password"},
		{"alter user role with UNLOCK", func() error {
			return ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserUnlock, Role: "analyst"}}})
		}, "only DEFAULT ROLE takes a role"},
		{"create role with no role", func() error { return ann.CreateRole(engine.CreateRole{}) }, "the statement names no role"},
		{"drop role with no role", func() error { return ann.DropRole(engine.DropRole{}) }, "the statement names no role"},
		{"grant option", func() error {
			return ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"}, On: orders, To: []string{"analyst"}, Option: 7})
		}, "the grant option 7 is invalid"},
		{"grant ownership option", func() error {
			return ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"ownership"}, On: orders, To: []string{"analyst"}, Option: 7})
		}, "the grant option 7 is invalid"},
		{"grant no privilege", func() error {
			return ann.GrantPrivilege(engine.GrantPrivilege{On: orders, To: []string{"analyst"}})
		}, "the statement names no privilege"},
		{"grant to no role", func() error {
			return ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"}, On: orders})
		}, "the statement names no role"},
		{"revoke no privilege", func() error {
			return ann.RevokePrivilege(engine.RevokePrivilege{On: orders, From: []string{"analyst"}})
		}, "the statement names no privilege"},
		{"grant role option", func() error {
			return ann.GrantRole(engine.GrantRole{Roles: []string{"analyst"}, To: []string{"bob"}, Option: 2})
		}, "the grant option 2 is invalid"},
		{"grant no role", func() error { return ann.GrantRole(engine.GrantRole{To: []string{"bob"}}) }, "the statement names no role"},
		{"revoke role from no one", func() error {
			return ann.RevokeRole(engine.RevokeRole{Roles: []string{"analyst"}})
		}, "the statement names no role or user"},
		{"secondary mode", func() error { return ann.SetSecondaryRoles(5) }, "the secondary role mode 5 is invalid"},
		{"show grants form", func() error {
			_, err := ann.ShowGrants(engine.ShowGrants{For: 9, Name: "bob"})
			return err
		}, "the SHOW GRANTS form 9 is invalid"},
		{"show own grants with a name", func() error {
			_, err := ann.ShowGrants(engine.ShowGrants{Name: "bob"})
			return err
		}, "SHOW GRANTS without FOR names no role or user"},
		{"account target with a database", func() error {
			return ann.GrantPrivilege(grant([]string{"create user"}, engine.Target{Kind: model.KindAccount, Database: "sales"}, "analyst"))
		}, "the target is malformed: ACCOUNT names no database or table"},
		{"database target with a table", func() error {
			return ann.GrantPrivilege(grant([]string{"show tables"}, engine.Target{Kind: model.KindDatabase, Database: "sales", Name: "orders"}, "analyst"))
		}, "the target is malformed: DATABASE names no table"},
		{"any database with a name", func() error {
			return ann.GrantPrivilege(grant([]string{"show tables"}, engine.Target{Kind: model.KindDatabase, Database: "sales", AnyDatabase: true}, "analyst"))
		}, "the target is malformed: DATABASE * names no database"},
		{"table *.t", func() error {
			return ann.GrantPrivilege(grant([]string{"select"}, engine.Target{Kind: model.KindTable, AnyDatabase: true, Name: "orders"}, "analyst"))
		}, "the target is malformed: TABLE *.t is not a level"},
		{"table *.* with a database", func() error {
			return ann.RevokePrivilege(engine.RevokePrivilege{Privileges: []string{"select"}, On: engine.Target{Kind: model.KindTable, Database: "sales", AnyDatabase: true, AnyTable: true}, From: []string{"analyst"}})
		}, "the target is malformed: TABLE *.* names no database"},
		{"table d.* with a table", func() error {
			return ann.GrantPrivilege(grant([]string{"select"}, engine.Target{Kind: model.KindTable, Database: "sales", Name: "orders", AnyTable: true}, "analyst"))
		}, "the target is malformed: TABLE d.* names no table"},
		{"ownership of a role with a database", func() error {
			return ann.GrantOwnership(engine.GrantOwnership{On: engine.Target{Kind: model.KindRole, Name: "analyst", Database: "sales"}, To: "analyst"})
		}, "the target is malformed: ROLE and USER name no database or wildcard"},
		{"grant level of an unknown kind", func() error {
			return ann.RevokePrivilege(engine.RevokePrivilege{Privileges: []string{"ownership"}, On: engine.Target{Kind: 42}, From: []string{"analyst"}})
		}, "the privilege ownership can not be revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := eng.Snapshot().Revision()
			err := tt.run()
			assert.EqualError(t, err, tt.msg)
			if tt.name != "grant level of an unknown kind" {
				assert.ErrorIs(t, err, model.ErrInvalidOption)
			}
			assert.Equal(t, before, eng.Snapshot().Revision(), "nothing committed")
		})
	}
	rows, err := root.ShowAccounts()
	require.NoError(t, err)
	assert.NotContains(t, rows, "acme unknown")
}

func TestLoaderRefusesInvalidGrantOptions(t *testing.T) {
	eng := newEngine(t)
	err := eng.Load(func(l *engine.Loader) error {
		a, err := l.CreateAccount("acme", "ann", "pw")
		require.NoError(t, err)
		r, err := l.CreateRole(a, "r")
		require.NoError(t, err)
		r2, err := l.CreateRole(a, "r2")
		require.NoError(t, err)
		u, err := l.CreateUser(a, "bob", "pw")
		require.NoError(t, err)
		assert.ErrorIs(t, l.GrantPrivilege(r, model.PrivCreateUser, engine.Level{Kind: model.LevelAccount, Account: a}, 3), model.ErrInvalidOption)
		assert.ErrorIs(t, l.GrantRole(r, r2, 3), model.ErrInvalidOption)
		assert.ErrorIs(t, l.GrantRoleToUser(r, u, 3), model.ErrInvalidOption)
		assert.ErrorIs(t, l.GrantPrivilege(r, model.PrivCreateUser, engine.Level{Kind: 77, Account: a}, engine.PlainGrant), model.ErrInvalidPrivilege)
		return nil
	})
	require.NoError(t, err)
}

func TestValidOptionsStillRun(t *testing.T) {
	eng, ann := acmeFixture(t)
	root := connect(t, eng, "sys:root:moadmin", "111")
	require.NoError(t, root.AlterAccount(engine.AlterAccount{Name: "acme", Status: model.StatusRestricted}))
	require.NoError(t, root.AlterAccount(engine.AlterAccount{Name: "acme", SetComment: true}))
	require.NoError(t, root.AlterAccount(engine.AlterAccount{Name: "acme", Status: model.StatusOpen}))
	require.NoError(t, ann.SetSecondaryRoles(engine.SecondaryAll))
	require.NoError(t, ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"}, On: engine.Target{Kind: model.KindTable, AnyDatabase: true, AnyTable: true}, To: []string{"analyst"}, Option: engine.GrantWithOption}))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"show tables"}, engine.Target{Kind: model.KindDatabase, AnyDatabase: true}, "analyst")))
	_, err := ann.ShowGrants(engine.ShowGrants{For: engine.ShowUser, Name: "bob"})
	require.NoError(t, err)
}

// TestDecisionsDenyOutOfRangeValues asks decisions with values outside
// their enums: they never error and never allow.
func TestDecisionsDenyOutOfRangeValues(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst")))
	bob := connect(t, eng, "acme:bob", "pw")
	p := bob.Principal()
	snap := eng.Snapshot()
	db, _ := snap.Database(p.Account, "sales")
	tbl, _ := snap.Table(db, "orders")
	orders := model.TableObject(tbl)
	require.True(t, snap.Check(p.User, p.Role, p.Secondary, model.PrivSelect, orders).Allowed, "the baseline allows")

	assert.Equal(t, engine.ReasonWrongLevel, snap.Check(p.User, p.Role, p.Secondary, 200, orders).Reason)
	assert.Equal(t, engine.ReasonNoSuchObject, snap.Check(p.User, p.Role, p.Secondary, model.PrivSelect, model.Object{Kind: 42, ID: uint32(tbl)}).Reason)
	assert.Equal(t, engine.ReasonNoSuchObject, bob.Decide(model.PrivSelect, engine.Target{Kind: 42, Name: "orders"}).Reason)
	assert.False(t, bob.Explain(200, table("sales", "orders")).Decision.Allowed)
	assert.False(t, snap.Explain(p.User, p.Role, 9, 200, orders).Decision.Allowed)
	// An unknown secondary mode means no secondary roles: S only narrows.
	assert.True(t, snap.Check(p.User, p.Role, 9, model.PrivSelect, orders).Allowed)
}
