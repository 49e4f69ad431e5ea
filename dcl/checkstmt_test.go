package dcl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

func TestParseCheckStatements(t *testing.T) {
	orders := engine.Target{Kind: model.KindTable, Database: "sales", Name: "orders"}
	stmts, err := dcl.Parse("check select on table sales.orders; EXPLAIN CHECK create table ON DATABASE d;" +
		"CHECK DROP USER ON USER `Bob`; CHECK SELECT ON TABLE sales.orders FOR USER bob ROLE r SECONDARY ALL;" +
		"EXPLAIN CHECK SELECT ON TABLE sales.orders FOR USER bob")
	require.NoError(t, err)
	assert.Equal(t, []dcl.Statement{
		&dcl.Check{Privilege: "select", On: orders},
		&dcl.ExplainCheck{Check: dcl.Check{Privilege: "create table", On: engine.Target{Kind: model.KindDatabase, Database: "d"}}},
		&dcl.Check{Privilege: "DROP USER", On: engine.Target{Kind: model.KindUser, Name: "Bob"}},
		&dcl.Check{Privilege: "SELECT", On: orders, For: engine.ForUser{User: "bob", Role: "r", Secondary: engine.SecondaryAll}},
		&dcl.ExplainCheck{Check: dcl.Check{Privilege: "SELECT", On: orders, For: engine.ForUser{User: "bob"}}},
	}, stmts)

	for src, msg := range map[string]string{
		"CHECK SELECT, INSERT ON TABLE t":                 "expected one privilege",
		"CHECK SELECT TABLE t":                            "expected ON",
		"EXPLAIN SELECT ON TABLE t":                       "expected CHECK",
		"CHECK SELECT ON TABLE t FOR u":                   "expected USER",
		"EXPLAIN CHECK SELECT ON TABLE t FOR USER u ROLE": "expected a role name",
		"CHECK SELECT ON TABLE t FOR USER u SECONDARY":    "expected ALL or NONE",
		"CHECK SELECT ON TABLE t extra":                   `unexpected "extra"`,
	} {
		_, err := dcl.Parse(src)
		require.ErrorIs(t, err, model.ErrSyntax, src)
		assert.Contains(t, err.Error(), msg, src)
	}
}

// checkFixture is an engine with database sales, table sales.orders, role
// reader (SELECT on sales.*) granted to role analyst, the default role of
// user bob; it returns a connection logged in as bob and one as root.
func checkFixture(t *testing.T) (bob, root *dcl.Conn) {
	t.Helper()
	eng, err := engine.New(engine.WithRootPassword("111"), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	root = dcl.NewConn(eng)
	require.NoError(t, root.Connect("root", "111"))
	stmts, err := dcl.Parse(`CREATE DATABASE sales; CREATE TABLE sales.orders; CREATE ROLE reader, analyst;
		GRANT SELECT ON TABLE sales.* TO reader; GRANT reader TO analyst;
		CREATE USER bob IDENTIFIED BY 'pw' DEFAULT ROLE analyst`)
	require.NoError(t, err)
	for _, st := range stmts {
		_, err := root.Exec(st)
		require.NoError(t, err)
	}
	bob = dcl.NewConn(eng)
	require.NoError(t, bob.Connect("bob", "pw"))
	return bob, root
}

// rowsOf runs one statement on c and returns its rows.
func rowsOf(t *testing.T, c *dcl.Conn, src string) []string {
	t.Helper()
	stmts, err := dcl.Parse(src)
	require.NoError(t, err)
	require.Len(t, stmts, 1)
	res, err := c.Exec(stmts[0])
	require.NoError(t, err, src)
	assert.True(t, res.Show, src)
	return res.Rows
}

func TestExecCheckStatements(t *testing.T) {
	bob, root := checkFixture(t)
	assert.Equal(t, []string{"allow granted"}, rowsOf(t, bob, "CHECK SELECT ON TABLE sales.orders"))
	assert.Equal(t, []string{"allow granted", "via reader", "path analyst -> reader",
		"grant GRANT SELECT ON TABLE sales.* TO reader"}, rowsOf(t, bob, "EXPLAIN CHECK SELECT ON TABLE sales.orders"))
	assert.Equal(t, []string{"deny no grant"}, rowsOf(t, bob, "EXPLAIN CHECK INSERT ON TABLE sales.orders"))
	// A missing object answers like an existing one with no grant.
	assert.Equal(t, []string{"deny no grant"}, rowsOf(t, bob, "CHECK SELECT ON TABLE sales.nope"))
	assert.Equal(t, []string{"deny no grant"}, rowsOf(t, bob, "CHECK SELECT ON TABLE nodb.t"))
	assert.Equal(t, []string{"deny wrong level"}, rowsOf(t, bob, "CHECK SELECT ON ROLE nope"))
	assert.Equal(t, []string{"deny wildcard object"}, rowsOf(t, bob, "CHECK SELECT ON TABLE sales.*"))
	assert.Equal(t, []string{"deny no database selected"}, rowsOf(t, bob, "CHECK SELECT ON TABLE orders"))
	// ALL is the ALL of the object's level.
	assert.Equal(t, []string{"deny no grant"}, rowsOf(t, bob, "CHECK ALL ON TABLE sales.orders"))
	assert.Equal(t, []string{"allow admin role", "via moadmin", "path moadmin",
		"grant GRANT ALL ON TABLE *.* TO moadmin WITH GRANT OPTION"}, rowsOf(t, root, "EXPLAIN CHECK ALL ON TABLE sales.orders"))

	stmts, err := dcl.Parse("CHECK FLY ON ACCOUNT")
	require.NoError(t, err)
	_, err = bob.Exec(stmts[0])
	require.ErrorIs(t, err, model.ErrInvalidPrivilege)
	assert.EqualError(t, err, "unsupported privilege type fly")
	_, err = dcl.Exec(nil, stmts[0])
	require.ErrorIs(t, err, model.ErrNotConnected)
}
