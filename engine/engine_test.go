package engine_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBootstrap(t *testing.T) {
	eng := newEngine(t)
	root := connect(t, eng, "root", "111")
	assert.Equal(t, "moadmin", root.Role())
	accounts, err := root.ShowAccounts()
	require.NoError(t, err)
	assert.Equal(t, []string{"sys open"}, accounts)
	roles, err := root.ShowRoles()
	require.NoError(t, err)
	assert.Equal(t, []string{"moadmin", "public"}, roles)
	assert.True(t, root.Decide(model.PrivCreateAccount, account).Allowed)
	assert.Equal(t, uint64(0), eng.Snapshot().Revision(), "the bootstrap is revision 0 (reference §20)")
}

func TestNewNeedsRootSecret(t *testing.T) {
	_, err := engine.New()
	assert.ErrorIs(t, err, model.ErrPassword)
}

func TestGrantsReachUsersThroughRoles(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	assert.False(t, bob.Decide(model.PrivSelect, table("sales", "orders")).Allowed)

	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, engine.Target{Kind: model.KindTable, Database: "sales", AnyTable: true}, "analyst")))
	d := bob.Decide(model.PrivSelect, table("sales", "orders"))
	assert.True(t, d.Allowed)
	assert.Equal(t, engine.ReasonGrant, d.Reason)
	assert.False(t, bob.Decide(model.PrivInsert, table("sales", "orders")).Allowed)
	assert.False(t, bob.Decide(model.PrivSelect, table("sales", "missing")).Allowed)

	require.NoError(t, ann.RevokePrivilege(engine.RevokePrivilege{Privileges: []string{"select"},
		On: engine.Target{Kind: model.KindTable, Database: "sales", AnyTable: true}, From: []string{"analyst"}}))
	assert.False(t, bob.Decide(model.PrivSelect, table("sales", "orders")).Allowed, "a live session sees the revoke")
}

func TestLevelsNeverImplyEachOther(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"all"}, database("sales"), "analyst")))
	bob := connect(t, eng, "acme:bob", "pw")
	assert.True(t, bob.Decide(model.PrivCreateTable, database("sales")).Allowed)
	assert.True(t, bob.Decide(model.PrivDropTable, table("sales", "orders")).Allowed, "database-level DROP TABLE applies to its tables")
	assert.False(t, bob.Decide(model.PrivSelect, table("sales", "orders")).Allowed, "database ALL gives no table privilege")
	assert.Equal(t, engine.ReasonWrongLevel, bob.Decide(model.PrivSelect, database("sales")).Reason)
}

func TestRoleCycleRefusedAtomically(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"a", "b", "c"}}))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"a"}, To: []string{"b"}}))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"b"}, To: []string{"c"}}))
	rev := eng.Snapshot().Revision()
	err := ann.GrantRole(engine.GrantRole{Roles: []string{"c"}, To: []string{"analyst", "a"}})
	require.ErrorIs(t, err, model.ErrCycle)
	assert.EqualError(t, err, "cannot grant role c to a")
	assert.Equal(t, rev, eng.Snapshot().Revision(), "a failed statement publishes nothing")
	rows, err := ann.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: "analyst"})
	require.NoError(t, err)
	assert.NotContains(t, rows, "GRANT c TO ROLE analyst", "the first half was undone")
	assert.ErrorIs(t, ann.GrantRole(engine.GrantRole{Roles: []string{"a"}, To: []string{"a"}}), model.ErrCycle)
}

func TestMultiNameStatementIsAllOrNothing(t *testing.T) {
	eng, ann := acmeFixture(t)
	rev := eng.Snapshot().Revision()
	err := ann.CreateRole(engine.CreateRole{Names: []string{"x1", "x2", "analyst"}})
	require.ErrorIs(t, err, model.ErrExists)
	assert.EqualError(t, err, "the role analyst exists")
	roles, err := ann.ShowRoles()
	require.NoError(t, err)
	assert.Equal(t, []string{"accountadmin", "analyst", "public"}, roles)
	assert.Equal(t, rev, eng.Snapshot().Revision())

	require.NoError(t, ann.CreateRole(engine.CreateRole{IfNotExists: true, Names: []string{"x1", "analyst"}}))
	err = ann.DropRole(engine.DropRole{Names: []string{"x1", "x1"}})
	assert.EqualError(t, err, "there is no role x1", "the second name sees the first one's effect")
}

func TestSecondaryRolesNeverAuthoriseCreation(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"builder"}}))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"create table"}, engine.Target{Kind: model.KindDatabase, AnyDatabase: true}, "builder")))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"insert"}, table("sales", "orders"), "builder")))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"builder"}, To: []string{"bob"}}))
	bob := connect(t, eng, "acme:bob:analyst", "pw")
	assert.False(t, bob.Decide(model.PrivInsert, table("sales", "orders")).Allowed)
	require.NoError(t, bob.SetSecondaryRoles(engine.SecondaryAll))
	assert.True(t, bob.Decide(model.PrivInsert, table("sales", "orders")).Allowed)
	assert.False(t, bob.Decide(model.PrivCreateTable, database("sales")).Allowed, "creation comes from the active role alone")
	require.ErrorIs(t, bob.CreateTable(engine.CreateTable{Database: "sales", Name: "t2"}), model.ErrDenied)
	require.NoError(t, bob.SetRole("builder"))
	assert.True(t, bob.Decide(model.PrivCreateTable, database("sales")).Allowed)
	require.NoError(t, bob.CreateTable(engine.CreateTable{Database: "sales", Name: "t2"}))
	rows, err := ann.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: "builder"})
	require.NoError(t, err)
	assert.Contains(t, rows, "GRANT OWNERSHIP ON TABLE sales.t2 TO builder", "the active role owns what it creates")
}

func TestDropRoleHandsOwnershipUpTheChain(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"lead", "dev"}}))
	require.NoError(t, ann.GrantOwnership(engine.GrantOwnership{On: engine.Target{Kind: model.KindRole, Name: "dev"}, To: "lead"}))
	require.NoError(t, ann.GrantOwnership(engine.GrantOwnership{On: database("sales"), To: "dev"}))
	require.NoError(t, ann.DropRole(engine.DropRole{Names: []string{"dev"}}))
	rows, err := ann.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: "lead"})
	require.NoError(t, err)
	assert.Contains(t, rows, "GRANT OWNERSHIP ON DATABASE sales TO lead")

	require.NoError(t, ann.DropRole(engine.DropRole{Names: []string{"lead"}}))
	rows, err = ann.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: "accountadmin"})
	require.NoError(t, err)
	assert.Contains(t, rows, "GRANT OWNERSHIP ON DATABASE sales TO accountadmin")
	_ = eng
}

func TestSpecialRoles(t *testing.T) {
	_, ann := acmeFixture(t)
	tests := []struct {
		name string
		run  func() error
		want string
		kind error
	}{
		{"drop admin", func() error { return ann.DropRole(engine.DropRole{Names: []string{"accountadmin"}}) }, "can not delete the role accountadmin", model.ErrPredefined},
		{"drop public", func() error { return ann.DropRole(engine.DropRole{IfExists: true, Names: []string{"public"}}) }, "can not delete the role public", model.ErrPredefined},
		{"admin to role", func() error {
			return ann.GrantRole(engine.GrantRole{Roles: []string{"accountadmin"}, To: []string{"analyst"}})
		}, "the role accountadmin can not be granted to the other role analyst", model.ErrPredefined},
		{"admin to user", func() error {
			return ann.GrantRole(engine.GrantRole{Roles: []string{"accountadmin"}, To: []string{"bob"}})
		}, "the role accountadmin can not be granted to non administration user bob", model.ErrPredefined},
		{"public to role", func() error {
			return ann.GrantRole(engine.GrantRole{Roles: []string{"public"}, To: []string{"analyst"}})
		}, "the role public can not be granted to the other role analyst", model.ErrPredefined},
		{"privilege to admin", func() error {
			return ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "accountadmin"))
		}, "the privilege can not be granted to the role accountadmin", model.ErrPredefined},
		{"creation to public", func() error { return ann.GrantPrivilege(grant([]string{"create role"}, account, "public")) }, "the privilege create role can not be granted to the role public", model.ErrPredefined},
		{"option to public", func() error {
			g := grant([]string{"select"}, table("sales", "orders"), "public")
			g.Option = engine.GrantWithOption
			return ann.GrantPrivilege(g)
		}, "the grant option can not be granted to the role public", model.ErrPredefined},
		{"revoke connect from public", func() error {
			return ann.RevokePrivilege(engine.RevokePrivilege{Privileges: []string{"connect"}, On: account, From: []string{"public"}})
		}, "the privilege connect can not be revoked from the role public", model.ErrPredefined},
		{"predefined name", func() error { return ann.CreateRole(engine.CreateRole{Names: []string{"MoAdmin"}}) }, "can not use the name moadmin. it is the name of the predefined role", model.ErrPredefined},
		{"cluster privilege", func() error { return ann.GrantPrivilege(grant([]string{"create account"}, account, "analyst")) }, "the privilege create account can not be granted", model.ErrInvalidPrivilege},
		{"wrong level", func() error { return ann.GrantPrivilege(grant([]string{"select"}, account, "analyst")) }, `the privilege "select" can only be granted to the object type "table"`, model.ErrInvalidPrivilege},
		{"unknown privilege", func() error { return ann.GrantPrivilege(grant([]string{"FLY"}, account, "analyst")) }, "unsupported privilege type fly", model.ErrInvalidPrivilege},
		{"invalid name", func() error { return ann.CreateRole(engine.CreateRole{Names: []string{"a*b"}}) }, `the name "a*b" is invalid`, model.ErrInvalidName},
		{"grant to user", func() error { return ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "bob")) }, "there is no role bob", model.ErrNotFound},
		{"no database selected", func() error {
			return ann.GrantPrivilege(grant([]string{"select"}, engine.Target{Kind: model.KindTable, Name: "orders"}, "analyst"))
		}, "no database selected", model.ErrNoDatabase},
		{"missing table", func() error { return ann.GrantPrivilege(grant([]string{"select"}, table("sales", "nope"), "analyst")) }, `there is no table "nope" in database "sales"`, model.ErrNotFound},
		{"ownership alone", func() error {
			return ann.GrantPrivilege(grant([]string{"ownership", "select"}, table("sales", "orders"), "analyst"))
		}, "the privilege ownership must be granted alone to one role", model.ErrInvalidPrivilege},
		{"ownership to public", func() error {
			return ann.GrantOwnership(engine.GrantOwnership{On: database("sales"), To: "public"})
		}, "the ownership can not be granted to the role public", model.ErrPredefined},
		{"ownership of admin", func() error {
			return ann.GrantOwnership(engine.GrantOwnership{On: engine.Target{Kind: model.KindRole, Name: "accountadmin"}, To: "analyst"})
		}, "the ownership of accountadmin can not be transferred", model.ErrPredefined},
		{"drop admin user", func() error { return ann.DropUser(engine.DropUser{Names: []string{"ann"}}) }, "can not delete the user ann", model.ErrPredefined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, tt.kind)
		})
	}
}

func TestRefusalsDoNotRevealObjects(t *testing.T) {
	eng, _ := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	for _, err := range []error{
		bob.DropTable(engine.DropTable{Database: "sales", Name: "orders"}),
		bob.DropTable(engine.DropTable{Database: "sales", Name: "missing"}),
		bob.DropTable(engine.DropTable{Database: "nodb", Name: "missing"}),
		bob.DropRole(engine.DropRole{Names: []string{"nobody"}}),
		bob.DropRole(engine.DropRole{IfExists: true, Names: []string{"analyst"}}),
	} {
		require.Error(t, err)
		assert.True(t, errors.Is(err, model.ErrDenied), err.Error())
		assert.Equal(t, "do not have privilege to execute the statement", err.Error())
	}
}

func TestAccountIsolation(t *testing.T) {
	eng, ann := acmeFixture(t)
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "other", AdminName: "oz", AdminPassword: "pw"}))
	oz := connect(t, eng, "other:oz", "pw")
	assert.Equal(t, engine.ReasonNoSuchObject, oz.Decide(model.PrivSelect, table("sales", "orders")).Reason)
	assert.EqualError(t, oz.GrantRole(engine.GrantRole{Roles: []string{"analyst"}, To: []string{"oz"}}), "there is no role analyst")

	snap := eng.Snapshot()
	acme, _ := snap.Account("acme")
	db, _ := snap.Database(acme, "sales")
	tbl, _ := snap.Table(db, "orders")
	assert.Equal(t, engine.ReasonNoSuchObject, oz.Check(model.PrivSelect, model.TableObject(tbl)).Reason,
		"an object of another account is a missing one, even by ID")
	_ = ann
}

func TestLiveSessionSeesLockSuspendAndDrops(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst")))
	bob := connect(t, eng, "acme:bob", "pw")
	sel := func() engine.Decision { return bob.Decide(model.PrivSelect, table("sales", "orders")) }
	require.True(t, sel().Allowed)

	require.NoError(t, ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserLock}}}))
	assert.Equal(t, engine.ReasonUserLocked, sel().Reason)
	assert.EqualError(t, bob.SetRole("analyst"), "user is locked, please ask the administrator to unlock")
	require.NoError(t, ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserUnlock}}}))
	assert.True(t, sel().Allowed)

	root := connect(t, eng, "root", "111")
	require.NoError(t, root.AlterAccount(engine.AlterAccount{Name: "acme", Status: model.StatusSuspended}))
	assert.Equal(t, engine.ReasonSuspended, sel().Reason)
	assert.EqualError(t, bob.SetRole("analyst"), "Account acme is suspended")
	require.NoError(t, root.AlterAccount(engine.AlterAccount{Name: "acme", Status: model.StatusRestricted}))
	assert.True(t, sel().Allowed, "a restricted account still allows SELECT")
	assert.Equal(t, engine.ReasonRestricted, bob.Decide(model.PrivInsert, table("sales", "orders")).Reason)
	require.NoError(t, root.AlterAccount(engine.AlterAccount{Name: "acme", Status: model.StatusOpen}))

	require.NoError(t, ann.RevokeRole(engine.RevokeRole{Roles: []string{"analyst"}, From: []string{"bob"}}))
	assert.Equal(t, engine.ReasonRoleNotGranted, sel().Reason)
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"analyst"}, To: []string{"bob"}}))
	assert.True(t, sel().Allowed)

	require.NoError(t, ann.DropRole(engine.DropRole{Names: []string{"analyst"}}))
	assert.Equal(t, engine.ReasonSessionClosed, sel().Reason)
	assert.EqualError(t, bob.SetSecondaryRoles(engine.SecondaryAll), "the session is closed")
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"analyst"}}))
	assert.Equal(t, engine.ReasonSessionClosed, sel().Reason, "a re-created role is a new object")
}

func TestLoginOrderAndLockout(t *testing.T) {
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	eng := newEngine(t, engine.WithClock(clk.Now), engine.WithLockout(3, time.Minute))
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))

	for _, login := range []string{"acme:nobody", "nowhere:ann", "a:b:c:d", "acme::x", "acme:ann"} {
		_, err := eng.Connect(login, "wrong")
		assert.EqualError(t, err, "invalid username or password", login)
		assert.ErrorIs(t, err, model.ErrAuth)
	}
	_, err := eng.Connect("acme:ann", "wrong")
	require.ErrorIs(t, err, model.ErrAuth)
	_, err = eng.Connect("acme:ann", "wrong") // the third in a row locks
	require.ErrorIs(t, err, model.ErrAuth)
	_, err = eng.Connect("acme:ann", "pw")
	assert.EqualError(t, err, "user is locked, please try again later", "the password is not even checked")
	clk.now = clk.now.Add(2 * time.Minute)
	_, err = eng.Connect("acme:ann", "pw")
	require.NoError(t, err, "automatic locks expire")

	_, err = eng.Connect("acme:ann:nosuch", "pw")
	assert.EqualError(t, err, "there is no role nosuch")
	require.NoError(t, root.AlterAccount(engine.AlterAccount{Name: "acme", Status: model.StatusSuspended}))
	_, err = eng.Connect("acme:ann", "wrong")
	assert.ErrorIs(t, err, model.ErrAuth, "a wrong password never learns the account state")
	_, err = eng.Connect("acme:ann", "pw")
	assert.EqualError(t, err, "Account acme is suspended")
}

func TestPasswordsAreNeverStoredOrShown(t *testing.T) {
	eng, ann := acmeFixture(t)
	err := ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "eve", Password: ""}}})
	assert.EqualError(t, err, "password is empty string")
	long := make([]byte, 129)
	for i := range long {
		long[i] = 'x'
	}
	err = ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "eve", Password: model.Secret(long)}}})
	assert.EqualError(t, err, "password is too long")
	require.NoError(t, ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserSetPassword, Password: "n3w-secret"}}}))
	_, err = eng.Connect("acme:bob", "pw")
	assert.ErrorIs(t, err, model.ErrAuth)
	connect(t, eng, "acme:bob", "n3w-secret")
}

func TestSnapshotsAreImmutable(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	p := bob.Principal()
	snap := eng.Snapshot()
	db, _ := snap.Database(p.Account, "sales")
	tbl, _ := snap.Table(db, "orders")
	obj := model.TableObject(tbl)
	require.False(t, snap.Check(p.User, p.Role, p.Secondary, model.PrivSelect, obj).Allowed)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst")))
	assert.False(t, snap.Check(p.User, p.Role, p.Secondary, model.PrivSelect, obj).Allowed, "an old snapshot keeps its answer")
	assert.True(t, eng.Check(p.User, p.Role, p.Secondary, model.PrivSelect, obj).Allowed)
	assert.Equal(t, snap.Revision()+1, eng.Snapshot().Revision())
}

func TestLimitsAreCheckedAtomically(t *testing.T) {
	eng := newEngine(t, engine.WithLimits(engine.Limits{RolesPerAccount: 4, TablesPerAccount: 1}))
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))
	ann := connect(t, eng, "acme:ann", "pw")
	// accountadmin and public count: two more roles fit.
	err := ann.CreateRole(engine.CreateRole{Names: []string{"a", "b", "c"}})
	require.ErrorIs(t, err, model.ErrLimit)
	assert.EqualError(t, err, "the number of roles in account acme exceeds the limit 4")
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"a", "b"}}), "the failed statement counted nothing")
	require.NoError(t, ann.DropRole(engine.DropRole{Names: []string{"a"}}))
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"c"}}), "a drop frees its place")

	require.NoError(t, ann.CreateDatabase(engine.CreateDatabase{Name: "d"}))
	require.NoError(t, ann.CreateTable(engine.CreateTable{Database: "d", Name: "t1"}))
	assert.ErrorIs(t, ann.CreateTable(engine.CreateTable{Database: "d", Name: "t2"}), model.ErrLimit)
	require.NoError(t, ann.DropDatabase(engine.DropDatabase{Name: "d"}))
	require.NoError(t, ann.CreateDatabase(engine.CreateDatabase{Name: "d"}))
	require.NoError(t, ann.CreateTable(engine.CreateTable{Database: "d", Name: "t2"}), "tables dropped with their database are uncounted")
}

// TestSecondaryUnionFollowsInheritedChanges: a grant deep in the graph
// reaches the secondary roles of users holding a role that inherits it,
// also when several closures change in one commit.
func TestSecondaryUnionFollowsInheritedChanges(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"r1", "r2", "r3"}}))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"r2"}, To: []string{"r3"}}))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"r3"}, To: []string{"bob"}}))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "r1")))
	bob := connect(t, eng, "acme:bob", "pw")
	require.NoError(t, bob.SetSecondaryRoles(engine.SecondaryAll))
	require.False(t, bob.Decide(model.PrivSelect, table("sales", "orders")).Allowed)

	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"r1"}, To: []string{"r2"}}))
	assert.True(t, bob.Decide(model.PrivSelect, table("sales", "orders")).Allowed)
	require.NoError(t, ann.RevokeRole(engine.RevokeRole{Roles: []string{"r1"}, From: []string{"r2"}}))
	assert.False(t, bob.Decide(model.PrivSelect, table("sales", "orders")).Allowed)
}

func TestNilSessionIsNotConnected(t *testing.T) {
	var s *engine.Session
	calls := []error{
		s.CreateAccount(engine.CreateAccount{}), s.DropAccount(engine.DropAccount{}), s.AlterAccount(engine.AlterAccount{}),
		s.CreateUser(engine.CreateUser{}), s.DropUser(engine.DropUser{}), s.AlterUser(engine.AlterUser{}),
		s.CreateRole(engine.CreateRole{}), s.DropRole(engine.DropRole{}),
		s.GrantPrivilege(engine.GrantPrivilege{}), s.RevokePrivilege(engine.RevokePrivilege{}),
		s.GrantRole(engine.GrantRole{}), s.RevokeRole(engine.RevokeRole{}), s.GrantOwnership(engine.GrantOwnership{}),
		s.CreateDatabase(engine.CreateDatabase{}), s.DropDatabase(engine.DropDatabase{}), s.UseDatabase("d"),
		s.CreateTable(engine.CreateTable{}), s.DropTable(engine.DropTable{}),
		s.SetRole("r"), s.SetSecondaryRoles(engine.SecondaryAll),
	}
	for i, err := range calls {
		assert.ErrorIs(t, err, model.ErrNotConnected, "call %d", i)
	}
	_, err := s.ShowGrants(engine.ShowGrants{})
	assert.ErrorIs(t, err, model.ErrNotConnected)
	_, err = s.ShowRoles()
	assert.ErrorIs(t, err, model.ErrNotConnected)
	assert.Equal(t, engine.ReasonNotConnected, s.Decide(model.PrivSelect, account).Reason)
}

// TestSessionIsValidatedBeforeStatelessChecks: a closed session answers
// "the session is closed" whatever the statement's own mistakes (reference §7:
// every statement, once parsed, re-validates its session).
func TestSessionIsValidatedBeforeStatelessChecks(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	require.NoError(t, ann.DropUser(engine.DropUser{Names: []string{"bob"}}))
	assert.EqualError(t, bob.CreateRole(engine.CreateRole{Names: []string{"bad*name"}}), "the session is closed")
	assert.EqualError(t, bob.GrantPrivilege(grant([]string{"fly"}, account, "r")), "the session is closed")
	assert.EqualError(t, bob.AlterUser(engine.AlterUser{Users: make([]engine.UserChange, 2)}), "the session is closed")
}

// TestFailedCreateUserKeepsUnknownFailures: clearing the failure count of an
// unknown name happens only if the user is really created (reference §7, §11).
func TestFailedCreateUserKeepsUnknownFailures(t *testing.T) {
	eng := newEngine(t, engine.WithLockout(3, time.Minute))
	root := connect(t, eng, "root", "111")
	for range 2 {
		_, err := eng.Connect("u2", "wrong")
		require.ErrorIs(t, err, model.ErrAuth)
	}
	require.NoError(t, root.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "u1", Password: "pw"}}}))
	err := root.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "u2", Password: "pw"}, {Name: "u1", Password: "pw"}}})
	require.ErrorIs(t, err, model.ErrExists)
	_, err = eng.Connect("u2", "wrong")
	require.ErrorIs(t, err, model.ErrAuth, "the third failure locks the name")
	_, err = eng.Connect("u2", "wrong")
	assert.ErrorIs(t, err, model.ErrLocked)
}

func TestRootHashMustSuitTheHasher(t *testing.T) {
	testHash, err := password.Testing().Hash("111")
	require.NoError(t, err)
	_, err = engine.New(engine.WithRootHash(testHash), engine.WithHasher(password.PBKDF2(1000)))
	assert.ErrorIs(t, err, model.ErrPassword, "a production hasher refuses test hashes")
	eng, err := engine.New(engine.WithRootHash(testHash), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	connect(t, eng, "root", "111")

	_, err = engine.New(engine.WithRootPassword("111"), engine.WithPasswordPolicy(func(pw string) error {
		if len(pw) < 8 {
			return errors.New("password is shorter than 8 characters")
		}
		return nil
	}))
	assert.ErrorIs(t, err, model.ErrPassword)
	assert.EqualError(t, err, "password is shorter than 8 characters")
}

func TestGrantsPerRoleLimit(t *testing.T) {
	eng := newEngine(t, engine.WithLimits(engine.Limits{GrantsPerRole: 3}))
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateRole(engine.CreateRole{Names: []string{"r"}}))
	require.NoError(t, root.CreateDatabase(engine.CreateDatabase{Name: "d"}))
	require.NoError(t, root.GrantPrivilege(grant([]string{"create table", "drop table"}, database("d"), "r")))
	require.NoError(t, root.GrantPrivilege(grant([]string{"create table"}, database("d"), "r")), "a re-grant adds nothing")
	err := root.GrantPrivilege(grant([]string{"alter table", "show tables"}, database("d"), "r"))
	assert.EqualError(t, err, "the grants per role exceeds the limit 3")
	require.NoError(t, root.GrantPrivilege(grant([]string{"alter table"}, database("d"), "r")), "the failed statement counted nothing")
	require.NoError(t, root.DropDatabase(engine.DropDatabase{Name: "d"}))
	require.NoError(t, root.CreateDatabase(engine.CreateDatabase{Name: "d"}))
	require.NoError(t, root.GrantPrivilege(grant([]string{"create table", "drop table", "alter table"}, database("d"), "r")),
		"grants that died with their database are uncounted")
}

// TestRoleGrantPairsLimit: roles × grantees of one role GRANT or REVOKE
// are limited, in stage 2: before existence and authority, REVOKE and IF
// EXISTS included.
func TestRoleGrantPairsLimit(t *testing.T) {
	assert.Equal(t, 10_000, newEngine(t).Limits().RoleGrantPairsPerStatement, "the default")
	eng := newEngine(t, engine.WithLimits(engine.Limits{RoleGrantPairsPerStatement: 4}))
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))
	ann := connect(t, eng, "acme:ann", "pw")
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"a", "b", "c", "x", "y"}}))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"a", "b"}, To: []string{"x", "y"}}), "4 pairs fit")
	require.NoError(t, ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "bob", Password: "pw"}}}))
	bob := connect(t, eng, "acme:bob", "pw")
	rev := eng.Snapshot().Revision()

	const msg = "the role grant pairs per statement exceeds the limit 4"
	err := ann.GrantRole(engine.GrantRole{Roles: []string{"a", "b", "c"}, To: []string{"x", "y"}})
	require.ErrorIs(t, err, model.ErrLimit)
	assert.EqualError(t, err, msg)
	err = ann.GrantRole(engine.GrantRole{Roles: []string{"c", "c", "c", "c", "c"}, To: []string{"x"}})
	assert.EqualError(t, err, msg, "pairs are counted as written")
	err = ann.GrantRole(engine.GrantRole{Roles: []string{"m1", "m2", "m3"}, To: []string{"m4", "m5"}})
	assert.EqualError(t, err, msg, "before existence")
	err = ann.RevokeRole(engine.RevokeRole{Roles: []string{"a", "b", "c"}, From: []string{"x", "y"}})
	assert.EqualError(t, err, msg, "REVOKE counts too")
	err = ann.RevokeRole(engine.RevokeRole{IfExists: true, GrantOptionOnly: true, Roles: []string{"a", "b", "m"},
		From: []string{"x", "y"}})
	assert.EqualError(t, err, msg, "IF EXISTS does not skip it")
	err = bob.GrantRole(engine.GrantRole{Roles: []string{"a", "b", "c"}, To: []string{"x", "y"}})
	assert.EqualError(t, err, msg, "before authority")
	assert.ErrorIs(t, bob.GrantRole(engine.GrantRole{Roles: []string{"a"}, To: []string{"x"}}), model.ErrDenied)
	assert.Equal(t, rev, eng.Snapshot().Revision(), "nothing committed")
}
