package engine_test

import (
	"testing"
	"time"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/stretchr/testify/require"
)

// clock is a settable test clock.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newEngine(t testing.TB, opts ...engine.Option) *engine.Engine {
	t.Helper()
	base := []engine.Option{engine.WithRootPassword("111"), engine.WithHasher(password.Testing())}
	eng, err := engine.New(append(base, opts...)...)
	require.NoError(t, err)
	return eng
}

func connect(t testing.TB, eng *engine.Engine, login, pw string) *engine.Session {
	t.Helper()
	s, err := eng.Connect(login, pw)
	require.NoError(t, err)
	return s
}

// acmeFixture builds account acme (admin ann) with database sales, table
// sales.orders, role analyst granted to user bob (default role analyst).
func acmeFixture(t testing.TB) (*engine.Engine, *engine.Session) {
	t.Helper()
	eng := newEngine(t)
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))
	ann := connect(t, eng, "acme:ann", "pw")
	require.NoError(t, ann.CreateDatabase(engine.CreateDatabase{Name: "sales"}))
	require.NoError(t, ann.CreateTable(engine.CreateTable{Database: "sales", Name: "orders"}))
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"analyst"}}))
	require.NoError(t, ann.CreateUser(engine.CreateUser{
		Users: []engine.UserCredential{{Name: "bob", Password: "pw"}}, DefaultRole: "analyst"}))
	return eng, ann
}

func table(db, name string) engine.Target {
	return engine.Target{Kind: model.KindTable, Database: db, Name: name}
}

func database(name string) engine.Target {
	return engine.Target{Kind: model.KindDatabase, Database: name}
}

var account = engine.Target{Kind: model.KindAccount}

func grant(privs []string, on engine.Target, to ...string) engine.GrantPrivilege {
	return engine.GrantPrivilege{Privileges: privs, On: on, To: to}
}
