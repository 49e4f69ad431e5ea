package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

const sample = `-- peerbench workload v1
-- params: name=tiny
-- section: setup
CREATE ACCOUNT acc0 ADMIN_NAME 'admin' IDENTIFIED BY 'pw';
USE ACCOUNT acc0;                 -- directive: the following setup lines apply to acc0
CREATE DATABASE db0;
CREATE TABLE db0.t0 (a INT);
CREATE TABLE db0.t3 (a INT);
CREATE ROLE r0;
CREATE ROLE r5;
GRANT r5 TO r0;
GRANT SELECT ON TABLE db0.t3 TO r5;
GRANT CREATE TABLE ON DATABASE * TO r5;
GRANT update ON TABLE db0.* TO r0;
GRANT DELETE ON TABLE *.* TO r0;
GRANT DROP TABLE ON DATABASE db0 TO r0;
CREATE USER u0 IDENTIFIED BY 'pw';
GRANT r0 TO u0;
-- section: checks
CHECK ACCOUNT acc0 USER u0 ROLE r0 SECONDARY ALL SELECT ON TABLE db0.t3 EXPECT ALLOW;
CHECK ACCOUNT acc0 USER u0 ROLE r5 SECONDARY NONE CREATE TABLE ON DATABASE db0 EXPECT DENY;
CHECK ACCOUNT acc0 USER u0 ROLE r0 SECONDARY NONE INSERT ON TABLE db0.t0;
-- section: mutations
MUTATE ACCOUNT acc0 REVOKE UPDATE ON TABLE db0.* FROM r0;
MUTATE ACCOUNT acc0 GRANT UPDATE ON TABLE db0.* TO r0;
MUTATE ACCOUNT acc0 REVOKE r0 FROM u0;
MUTATE ACCOUNT acc0 GRANT r0 TO u0;
`

func TestParseSample(t *testing.T) {
	w, err := ParseString(sample)
	require.NoError(t, err)
	assert.Equal(t, []string{FormatName, "params: name=tiny"}, w.Comments)
	require.Len(t, w.Setup, 14)
	require.Len(t, w.Checks, 3)
	require.Len(t, w.Mutations, 4)
	assert.Equal(t, 5, w.PrivilegeGrants())
	assert.Equal(t, 2, w.RoleGrants())

	assert.Equal(t, Statement{Kind: StmtCreateAccount, Line: 4, Account: "acc0", Name: "acc0", AdminName: "admin", Password: "pw"}, w.Setup[0])
	assert.Equal(t, Statement{Kind: StmtCreateTable, Line: 7, Account: "acc0", Name: "t0", Database: "db0"}, w.Setup[2])
	assert.Equal(t, Statement{Kind: StmtGrantRole, Line: 11, Account: "acc0", Name: "r5", To: "r0"}, w.Setup[6])
	assert.Equal(t, Statement{Kind: StmtGrantPrivilege, Line: 13, Account: "acc0", Privilege: model.PrivCreateTable,
		On: engine.Target{Kind: model.KindDatabase, AnyDatabase: true}, To: "r5"}, w.Setup[8])
	assert.Equal(t, engine.Target{Kind: model.KindTable, Database: "db0", AnyTable: true}, w.Setup[9].On)
	assert.Equal(t, model.PrivUpdate, w.Setup[9].Privilege)
	assert.Equal(t, engine.Target{Kind: model.KindTable, AnyDatabase: true, AnyTable: true}, w.Setup[10].On)

	assert.Equal(t, Check{Line: 20, Account: "acc0", User: "u0", Role: "r0", Secondary: engine.SecondaryAll,
		Privilege: model.PrivSelect, On: engine.Target{Kind: model.KindTable, Database: "db0", Name: "t3"},
		Expect: ExpectAllow}, w.Checks[0])
	assert.Equal(t, engine.SecondaryNone, w.Checks[1].Secondary)
	assert.Equal(t, ExpectDeny, w.Checks[1].Expect)
	assert.Equal(t, engine.Target{Kind: model.KindDatabase, Database: "db0"}, w.Checks[1].On)
	assert.Equal(t, ExpectUnknown, w.Checks[2].Expect)

	assert.Equal(t, Mutation{Line: 24, Account: "acc0", Kind: MutRevokePrivilege, Privilege: model.PrivUpdate,
		On: engine.Target{Kind: model.KindTable, Database: "db0", AnyTable: true}, Grantee: "r0"}, w.Mutations[0])
	assert.Equal(t, MutGrantPrivilege, w.Mutations[1].Kind)
	assert.Equal(t, Mutation{Line: 26, Account: "acc0", Kind: MutRevokeRole, Role: "r0", Grantee: "u0"}, w.Mutations[2])
	assert.Equal(t, MutGrantRole, w.Mutations[3].Kind)
}

func TestParseLines(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string // the line as rendered back
	}{
		{"keywords in any case", "check account ACC0 user U1 role R2 secondary all delete on table DB1.T7 expect deny;",
			"CHECK ACCOUNT acc0 USER u1 ROLE r2 SECONDARY ALL DELETE ON TABLE db1.t7 EXPECT DENY"},
		{"two-word privilege", "CHECK ACCOUNT a USER u ROLE r SECONDARY NONE DROP   TABLE ON DATABASE d EXPECT ALLOW;",
			"CHECK ACCOUNT a USER u ROLE r SECONDARY NONE DROP TABLE ON DATABASE d EXPECT ALLOW"},
		{"no semicolon", "CHECK ACCOUNT a USER u ROLE r SECONDARY NONE SELECT ON TABLE d.t EXPECT ALLOW",
			"CHECK ACCOUNT a USER u ROLE r SECONDARY NONE SELECT ON TABLE d.t EXPECT ALLOW"},
		{"privilege mutation", "MUTATE ACCOUNT a REVOKE CREATE TABLE ON DATABASE * FROM r13;",
			"MUTATE ACCOUNT a REVOKE CREATE TABLE ON DATABASE * FROM r13"},
		{"database *.*", "MUTATE ACCOUNT a GRANT DROP TABLE ON DATABASE *.* TO r1;",
			"MUTATE ACCOUNT a GRANT DROP TABLE ON DATABASE * TO r1"},
		{"role mutation", "MUTATE ACCOUNT a GRANT r3 TO u0; -- restore",
			"MUTATE ACCOUNT a GRANT r3 TO u0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseString(tt.line)
			require.NoError(t, err)
			var got string
			switch {
			case len(w.Checks) == 1:
				got = w.Checks[0].String()
			case len(w.Mutations) == 1:
				got = w.Mutations[0].String()
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"setup before USE ACCOUNT", "CREATE ROLE r0;"},
		{"unknown statement", "DROP ROLE r0;"},
		{"unknown privilege", "USE ACCOUNT a;\nGRANT FLY ON TABLE d.t TO r;"},
		{"two privileges", "USE ACCOUNT a;\nGRANT SELECT, INSERT ON TABLE d.t TO r;"},
		{"wildcard object", "CHECK ACCOUNT a USER u ROLE r SECONDARY NONE SELECT ON TABLE d.* EXPECT ALLOW;"},
		{"bad secondary", "CHECK ACCOUNT a USER u ROLE r SECONDARY SOME SELECT ON TABLE d.t;"},
		{"bad expect", "CHECK ACCOUNT a USER u ROLE r SECONDARY ALL SELECT ON TABLE d.t EXPECT MAYBE;"},
		{"revoke with TO", "MUTATE ACCOUNT a REVOKE r1 TO u1;"},
		{"trailing words", "USE ACCOUNT a b;"},
		{"unterminated quote", "CREATE ACCOUNT a ADMIN_NAME 'admin IDENTIFIED BY 'pw;"},
		{"unqualified table", "USE ACCOUNT a;\nCREATE TABLE t0 (a INT);"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseString(tt.text)
			require.Error(t, err)
			assert.ErrorIs(t, err, errSyntax)
			assert.Contains(t, err.Error(), "line ")
		})
	}
}

func TestWriteRoundTrip(t *testing.T) {
	w, err := ParseString(sample)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, w.Write(&buf))
	again, err := ParseString(buf.String())
	require.NoError(t, err)
	clearLines(w)
	clearLines(again)
	assert.Equal(t, w, again)
}

// clearLines zeroes the line numbers, which differ between a file and its dump.
func clearLines(w *Workload) {
	for i := range w.Setup {
		w.Setup[i].Line = 0
	}
	for i := range w.Checks {
		w.Checks[i].Line = 0
	}
	for i := range w.Mutations {
		w.Mutations[i].Line = 0
	}
}
