package dcl_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

func TestParseIntrospectionStatements(t *testing.T) {
	orders := engine.Target{Kind: model.KindTable, Database: "sales", Name: "orders"}
	tests := []struct {
		src  string
		want dcl.Statement
	}{
		{"SHOW DATABASES", &dcl.ShowDatabases{}},
		{"show tables", &dcl.ShowTables{}},
		{"SHOW TABLES FROM `Sales`", &dcl.ShowTables{Database: "Sales"}},
		{"SHOW GRANTS ON ACCOUNT", &dcl.ShowGrantsOn{On: engine.Target{Kind: model.KindAccount}}},
		{"SHOW GRANTS ON TABLE sales.*", &dcl.ShowGrantsOn{On: engine.Target{Kind: model.KindTable, Database: "sales", AnyTable: true}}},
		{"SHOW GRANTS ON ROLE r", &dcl.ShowGrantsOn{On: engine.Target{Kind: model.KindRole, Name: "r"}}},
		{"SHOW GRANTS FOR ROLE r", &dcl.ShowGrants{For: engine.ShowRole, Name: "r"}},
		{"SHOW PRIVILEGES ON TABLE sales.orders", &dcl.ShowPrivileges{On: orders}},
		{"SHOW PRIVILEGES ON TABLE sales.orders FOR USER bob ROLE r SECONDARY NONE",
			&dcl.ShowPrivileges{On: orders, For: engine.ForUser{User: "bob", Role: "r"}}},
		{"SHOW PRIVILEGES ON USER bob FOR USER bob SECONDARY ALL",
			&dcl.ShowPrivileges{On: engine.Target{Kind: model.KindUser, Name: "bob"}, For: engine.ForUser{User: "bob", Secondary: engine.SecondaryAll}}},
		{"SHOW USERS WITH create table ON DATABASE d",
			&dcl.ShowHolders{Privilege: "create table", On: engine.Target{Kind: model.KindDatabase, Database: "d"}}},
		{"SHOW ROLES WITH SELECT ON TABLE sales.orders", &dcl.ShowHolders{Roles: true, Privilege: "SELECT", On: orders}},
		{"SHOW USERS", &dcl.ShowUsers{}},
		{"SHOW ROLES", &dcl.ShowRoles{}},
		{"WHAT IF REVOKE r FROM bob", &dcl.WhatIf{Statement: &dcl.RevokeRole{Roles: []string{"r"}, From: []string{"bob"}}}},
		{"what if drop table sales.orders", &dcl.WhatIf{Statement: &dcl.DropTable{Database: "sales", Name: "orders"}}},
	}
	for _, tt := range tests {
		got, err := dcl.Parse(tt.src)
		require.NoError(t, err, tt.src)
		assert.Equal(t, []dcl.Statement{tt.want}, got, tt.src)
	}
	for src, msg := range map[string]string{
		"SHOW TABLES FROM":                          "expected a database name",
		"SHOW PRIVILEGES ON TABLE t FOR bob":        "expected USER",
		"SHOW USERS WITH SELECT, INSERT ON TABLE t": "expected one privilege",
		"SHOW ROLES WITH SELECT":                    "expected ON",
		"SHOW GRANTS ON":                            "expected ACCOUNT, DATABASE, TABLE, COLUMN, ROLE or USER",
		"WHAT IF SHOW ROLES":                        "WHAT IF needs a statement that changes the catalog",
		"WHAT IF USE d":                             "WHAT IF needs a statement that changes the catalog",
		"WHAT IF WHAT IF DROP ROLE r":               "WHAT IF needs a statement that changes the catalog",
		"WHAT IF":                                   "expected a statement",
		"SHOW PRIVILEGES ON TABLE t FOR USER u ROLE r SECONDARY": "expected ALL or NONE",
	} {
		_, err := dcl.Parse(src)
		require.ErrorIs(t, err, model.ErrSyntax, src)
		assert.Contains(t, err.Error(), msg, src)
	}
}

// answer runs one statement and returns its rows or its error message, so
// that two answers compare byte for byte.
func answer(t *testing.T, c *dcl.Conn, src string) string {
	t.Helper()
	sts, err := dcl.Parse(src)
	require.NoError(t, err, src)
	require.Len(t, sts, 1, src)
	res, err := c.Exec(sts[0])
	if err != nil {
		return "error: " + err.Error()
	}
	out := "rows:"
	for _, r := range res.Rows {
		out += "\n" + r
	}
	return out
}

// TestMissingAndInvisibleObjectsAnswerAlike asks every introspection
// statement about an object that exists but that the caller cannot see and
// about one that does not exist: the answers are the same, byte for byte
// (reference §19).
func TestMissingAndInvisibleObjectsAnswerAlike(t *testing.T) {
	eng, err := engine.New(engine.WithRootPassword("111"), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	root := dcl.NewConn(eng)
	require.NoError(t, root.Connect("root", "111"))
	for _, src := range []string{
		"CREATE DATABASE open", "CREATE TABLE open.t", "CREATE DATABASE secret", "CREATE TABLE secret.plans",
		"CREATE ROLE r, keeper", "GRANT SELECT ON TABLE open.t TO r", "GRANT SELECT ON TABLE secret.plans TO keeper",
		"CREATE USER bob IDENTIFIED BY 'pw' DEFAULT ROLE r",
	} {
		require.Equal(t, "rows:", answer(t, root, src), src)
	}
	bob := dcl.NewConn(eng)
	require.NoError(t, bob.Connect("bob", "pw"))

	// Each statement is asked of an existing invisible object (%s is
	// replaced by it) and of missing ones.
	existing := map[string]string{"table": "secret.plans", "db": "secret"}
	missing := map[string][]string{"table": {"secret.nope", "nodb.nope"}, "db": {"nodb"}}
	// forOther marks the statements asked for bob, whom root does not see
	// the object for either.
	statements := []struct {
		kind, src string
		forOther  bool
	}{
		{"table", "CHECK SELECT ON TABLE %s", false},
		{"table", "EXPLAIN CHECK SELECT ON TABLE %s", false},
		{"table", "CHECK DROP TABLE ON TABLE %s", false},
		{"table", "CHECK SELECT ON TABLE %s FOR USER bob", true},
		{"table", "EXPLAIN CHECK SELECT ON TABLE %s FOR USER bob ROLE r SECONDARY ALL", true},
		{"db", "CHECK SHOW TABLES ON DATABASE %s", false},
		{"db", "EXPLAIN CHECK DROP DATABASE ON DATABASE %s", false},
		{"table", "SHOW PRIVILEGES ON TABLE %s", false},
		{"db", "SHOW PRIVILEGES ON DATABASE %s", false},
		{"table", "SHOW PRIVILEGES ON TABLE %s FOR USER bob", true},
		{"table", "SHOW GRANTS ON TABLE %s", false},
		{"db", "SHOW GRANTS ON DATABASE %s", false},
		{"db", "SHOW GRANTS ON TABLE %s.*", false},
		{"table", "SHOW USERS WITH SELECT ON TABLE %s", false},
		{"table", "SHOW ROLES WITH SELECT ON TABLE %s", false},
		{"db", "SHOW USERS WITH CREATE TABLE ON DATABASE %s", false},
		{"table", "WHAT IF REVOKE SELECT ON TABLE %s FROM r", false},
		{"table", "WHAT IF GRANT SELECT ON TABLE %s TO r", false},
		{"table", "WHAT IF DROP TABLE %s", false},
		{"db", "WHAT IF DROP DATABASE %s", false},
		{"db", "USE %s", false},
		{"db", "SHOW TABLES FROM %s", false},
	}
	for _, st := range statements {
		src := strings.ReplaceAll(st.src, "%s", existing[st.kind])
		want := answer(t, bob, src)
		if !st.forOther {
			assert.NotEqual(t, answer(t, root, src), want, "%s: root sees %s, so its answer should differ", src, existing[st.kind])
		}
		for _, m := range missing[st.kind] {
			msrc := strings.ReplaceAll(st.src, "%s", m)
			assert.Equal(t, want, answer(t, bob, msrc), "%s and %s answer differently", src, msrc)
		}
	}
}
