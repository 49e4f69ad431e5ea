package dcl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

func TestParseStatements(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want dcl.Statement
	}{
		{"create account", `CREATE ACCOUNT acme ADMIN_NAME 'root2' IDENTIFIED BY 'pw'`,
			&dcl.CreateAccount{Name: "acme", AdminName: "root2", AdminPassword: "pw"}},
		{"create account full", `create account if not exists acme admin_name = "adm" identified by 'p''w' restricted comment 'c'`,
			&dcl.CreateAccount{IfNotExists: true, Name: "acme", AdminName: "adm", AdminPassword: "p'w", Status: model.StatusRestricted, Comment: "c"}},
		{"drop account", `DROP ACCOUNT IF EXISTS acme;`, &dcl.DropAccount{IfExists: true, Name: "acme"}},
		{"alter account suspend", `ALTER ACCOUNT acme SUSPEND`, &dcl.AlterAccount{Name: "acme", Status: model.StatusSuspended}},
		{"alter account admin", `ALTER ACCOUNT IF EXISTS acme ADMIN_NAME 'adm' IDENTIFIED BY 'new'`,
			&dcl.AlterAccount{IfExists: true, Name: "acme", SetAdmin: true, AdminName: "adm", AdminPassword: "new"}},
		{"alter account no option", `ALTER ACCOUNT acme`, &dcl.AlterAccount{Name: "acme"}},
		{"alter account two options", `ALTER ACCOUNT acme OPEN COMMENT 'x'`,
			&dcl.AlterAccount{Name: "acme", Status: model.StatusOpen, SetComment: true, Comment: "x"}},
		{"create user", `CREATE USER IF NOT EXISTS joe IDENTIFIED BY 'a', ann IDENTIFIED BY 'b' DEFAULT ROLE dev COMMENT 'hi'`,
			&dcl.CreateUser{IfNotExists: true, Users: []engine.UserCredential{{Name: "joe", Password: "a"}, {Name: "ann", Password: "b"}}, DefaultRole: "dev", Comment: "hi"}},
		{"drop user", "DROP USER `Joe`, 'ann'", &dcl.DropUser{Names: []string{"Joe", "ann"}}},
		{"alter user password", `ALTER USER joe IDENTIFIED BY 'x'`,
			&dcl.AlterUser{Users: []engine.UserChange{{Name: "joe", Action: engine.UserSetPassword, Password: "x"}}}},
		{"alter user several", `ALTER USER IF EXISTS joe LOCK, ann UNLOCK, bob DEFAULT ROLE dev`,
			&dcl.AlterUser{IfExists: true, Users: []engine.UserChange{
				{Name: "joe", Action: engine.UserLock}, {Name: "ann", Action: engine.UserUnlock},
				{Name: "bob", Action: engine.UserDefaultRole, Role: "dev"}}}},
		{"create role", `CREATE ROLE NewRole, "b c"`, &dcl.CreateRole{Names: []string{"NewRole", "b c"}}},
		{"create role named if", `CREATE ROLE if`, &dcl.CreateRole{Names: []string{"if"}}},
		{"drop role", `drop role if exists a, a`, &dcl.DropRole{IfExists: true, Names: []string{"a", "a"}}},
		{"grant on account", `GRANT CREATE USER, manage   grants ON ACCOUNT * TO r WITH GRANT OPTION`,
			&dcl.GrantPrivilege{Privileges: []string{"CREATE USER", "manage grants"}, On: engine.Target{Kind: model.KindAccount}, To: []string{"r"}, Option: engine.GrantWithOption}},
		{"grant on database star", `GRANT ALL PRIVILEGES ON DATABASE * TO r1, r2`,
			&dcl.GrantPrivilege{Privileges: []string{"ALL PRIVILEGES"}, On: engine.Target{Kind: model.KindDatabase, AnyDatabase: true}, To: []string{"r1", "r2"}}},
		{"grant on database star star", `GRANT SHOW TABLES ON DATABASE *.* TO r`,
			&dcl.GrantPrivilege{Privileges: []string{"SHOW TABLES"}, On: engine.Target{Kind: model.KindDatabase, AnyDatabase: true}, To: []string{"r"}}},
		{"grant on database", `GRANT create table ON DATABASE d TO r`,
			&dcl.GrantPrivilege{Privileges: []string{"create table"}, On: engine.Target{Kind: model.KindDatabase, Database: "d"}, To: []string{"r"}}},
		{"grant on table star star", `GRANT SELECT ON TABLE *.* TO r`,
			&dcl.GrantPrivilege{Privileges: []string{"SELECT"}, On: engine.Target{Kind: model.KindTable, AnyDatabase: true, AnyTable: true}, To: []string{"r"}}},
		{"grant on table d star", `GRANT SELECT ON TABLE d.* TO r`,
			&dcl.GrantPrivilege{Privileges: []string{"SELECT"}, On: engine.Target{Kind: model.KindTable, Database: "d", AnyTable: true}, To: []string{"r"}}},
		{"grant on table star", `GRANT SELECT ON TABLE * TO r`,
			&dcl.GrantPrivilege{Privileges: []string{"SELECT"}, On: engine.Target{Kind: model.KindTable, AnyTable: true}, To: []string{"r"}}},
		{"grant on table d.t", "GRANT INSERT, DELETE ON TABLE `d`.`t` TO r",
			&dcl.GrantPrivilege{Privileges: []string{"INSERT", "DELETE"}, On: engine.Target{Kind: model.KindTable, Database: "d", Name: "t"}, To: []string{"r"}}},
		{"grant on table t", `GRANT SELECT ON TABLE t TO r`,
			&dcl.GrantPrivilege{Privileges: []string{"SELECT"}, On: engine.Target{Kind: model.KindTable, Name: "t"}, To: []string{"r"}}},
		{"grant unknown privilege", `GRANT FLY ON ACCOUNT * TO r`,
			&dcl.GrantPrivilege{Privileges: []string{"FLY"}, On: engine.Target{Kind: model.KindAccount}, To: []string{"r"}}},
		{"grant ownership database", `GRANT OWNERSHIP ON DATABASE d TO r`,
			&dcl.GrantPrivilege{Privileges: []string{"OWNERSHIP"}, On: engine.Target{Kind: model.KindDatabase, Database: "d"}, To: []string{"r"}}},
		{"grant ownership role", `GRANT OWNERSHIP ON ROLE a TO b`,
			&dcl.GrantPrivilege{Privileges: []string{"OWNERSHIP"}, On: engine.Target{Kind: model.KindRole, Name: "a"}, To: []string{"b"}}},
		{"grant ownership user", `grant ownership on user u to b`,
			&dcl.GrantPrivilege{Privileges: []string{"ownership"}, On: engine.Target{Kind: model.KindUser, Name: "u"}, To: []string{"b"}}},
		{"grant ownership with others", `GRANT OWNERSHIP, SELECT ON ROLE a TO b, c`,
			&dcl.GrantPrivilege{Privileges: []string{"OWNERSHIP", "SELECT"}, On: engine.Target{Kind: model.KindRole, Name: "a"}, To: []string{"b", "c"}}},
		{"grant role", `GRANT r1, r2 TO u1, r3 WITH GRANT OPTION`,
			&dcl.GrantRole{Roles: []string{"r1", "r2"}, To: []string{"u1", "r3"}, Option: engine.GrantWithOption}},
		{"grant quoted role", `GRANT 'a b' TO u`, &dcl.GrantRole{Roles: []string{"a b"}, To: []string{"u"}}},
		{"revoke privilege", `REVOKE IF EXISTS SELECT ON TABLE d.t FROM r`,
			&dcl.RevokePrivilege{IfExists: true, Privileges: []string{"SELECT"}, On: engine.Target{Kind: model.KindTable, Database: "d", Name: "t"}, From: []string{"r"}}},
		{"revoke grant option", `REVOKE GRANT OPTION FOR ALL ON DATABASE d FROM r`,
			&dcl.RevokePrivilege{GrantOptionOnly: true, Privileges: []string{"ALL"}, On: engine.Target{Kind: model.KindDatabase, Database: "d"}, From: []string{"r"}}},
		{"revoke ownership", `REVOKE OWNERSHIP ON ROLE a FROM b`,
			&dcl.RevokePrivilege{Privileges: []string{"OWNERSHIP"}, On: engine.Target{Kind: model.KindRole, Name: "a"}, From: []string{"b"}}},
		{"revoke role", `REVOKE r1 FROM u`, &dcl.RevokeRole{Roles: []string{"r1"}, From: []string{"u"}}},
		{"revoke role grant option", `REVOKE IF EXISTS GRANT OPTION FOR r1, r2 FROM u, v`,
			&dcl.RevokeRole{IfExists: true, GrantOptionOnly: true, Roles: []string{"r1", "r2"}, From: []string{"u", "v"}}},
		{"revoke role named grant", `REVOKE grant FROM u`, &dcl.RevokeRole{Roles: []string{"grant"}, From: []string{"u"}}},
		{"create database", `CREATE DATABASE IF NOT EXISTS d`, &dcl.CreateDatabase{IfNotExists: true, Name: "d"}},
		{"drop database", `DROP DATABASE d`, &dcl.DropDatabase{Name: "d"}},
		{"use", `USE d`, &dcl.Use{Database: "d"}},
		{"create table", `CREATE TABLE d.t (id int, amount decimal(10, 2), note varchar(20) default ')')`,
			&dcl.CreateTable{Database: "d", Name: "t", Columns: []engine.ColumnDef{{Name: "id", Type: "int"},
				{Name: "amount", Type: "decimal(10, 2)"}, {Name: "note", Type: "varchar(20) default ')'"}}}},
		{"create table with constraints", "CREATE TABLE t (`Key` int, b text, PRIMARY KEY (`Key`), UNIQUE (b), CONSTRAINT c CHECK (b <> ''))",
			&dcl.CreateTable{Name: "t", Columns: []engine.ColumnDef{{Name: "Key", Type: "int"}, {Name: "b", Type: "text"}}}},
		{"alter table add column", `ALTER TABLE d.t ADD COLUMN c varchar(10) NOT NULL`,
			&dcl.AlterTable{Database: "d", Name: "t", Action: engine.TableAddColumn, Column: engine.ColumnDef{Name: "c", Type: "varchar(10) NOT NULL"}}},
		{"alter table drop column", `alter table t drop column c`,
			&dcl.AlterTable{Name: "t", Action: engine.TableDropColumn, Column: engine.ColumnDef{Name: "c"}}},
		{"show columns", `SHOW COLUMNS FROM d.t`, &dcl.ShowColumns{Database: "d", Name: "t"}},
		{"grant columns", `GRANT SELECT (c1, c2), UPDATE (c2), DELETE ON TABLE d.t TO r WITH GRANT OPTION`,
			&dcl.GrantPrivilege{Privileges: []string{"SELECT", "UPDATE", "DELETE"}, Columns: [][]string{{"c1", "c2"}, {"c2"}, nil},
				On: engine.Target{Kind: model.KindTable, Database: "d", Name: "t"}, To: []string{"r"}, Option: engine.GrantWithOption}},
		{"revoke columns", `REVOKE IF EXISTS SELECT (c1) ON TABLE t FROM r`,
			&dcl.RevokePrivilege{IfExists: true, Privileges: []string{"SELECT"}, Columns: [][]string{{"c1"}},
				On: engine.Target{Kind: model.KindTable, Name: "t"}, From: []string{"r"}}},
		{"deny", `DENY SELECT (c1), ALL ON TABLE d.* TO r1, r2`,
			&dcl.Deny{Privileges: []string{"SELECT", "ALL"}, Columns: [][]string{{"c1"}, nil},
				On: engine.Target{Kind: model.KindTable, Database: "d", AnyTable: true}, To: []string{"r1", "r2"}}},
		{"revoke deny", `REVOKE IF EXISTS DENY CONNECT ON ACCOUNT FROM public`,
			&dcl.RevokeDeny{IfExists: true, Privileges: []string{"CONNECT"}, On: engine.Target{Kind: model.KindAccount}, From: []string{"public"}}},
		{"revoke role named deny", `REVOKE deny FROM u`, &dcl.RevokeRole{Roles: []string{"deny"}, From: []string{"u"}}},
		{"create table bare", `create table if not exists t`, &dcl.CreateTable{IfNotExists: true, Name: "t"}},
		{"drop table", `DROP TABLE IF EXISTS d.t`, &dcl.DropTable{IfExists: true, Database: "d", Name: "t"}},
		{"drop table unqualified", `DROP TABLE t`, &dcl.DropTable{Name: "t"}},
		{"set role", `SET ROLE dev`, &dcl.SetRole{Role: "dev"}},
		{"set secondary all", `SET SECONDARY ROLE ALL`, &dcl.SetSecondaryRole{Mode: engine.SecondaryAll}},
		{"set secondary none", `set secondary role none`, &dcl.SetSecondaryRole{Mode: engine.SecondaryNone}},
		{"show grants", `SHOW GRANTS`, &dcl.ShowGrants{For: engine.ShowSelf}},
		{"show grants for", `SHOW GRANTS FOR x`, &dcl.ShowGrants{For: engine.ShowAny, Name: "x"}},
		{"show grants for user", `SHOW GRANTS FOR USER x`, &dcl.ShowGrants{For: engine.ShowUser, Name: "x"}},
		{"show grants for role", `SHOW GRANTS FOR ROLE x`, &dcl.ShowGrants{For: engine.ShowRole, Name: "x"}},
		{"show grants for a role named user", `SHOW GRANTS FOR user`, &dcl.ShowGrants{For: engine.ShowAny, Name: "user"}},
		{"show roles", `SHOW ROLES`, &dcl.ShowRoles{}},
		{"show users", `SHOW USERS;`, &dcl.ShowUsers{}},
		{"show accounts", `SHOW ACCOUNTS`, &dcl.ShowAccounts{}},
		{"connect", `CONNECT businessaccount:joe_g:appdeveloper IDENTIFIED BY 'j0e'`,
			&dcl.Connect{Login: "businessaccount:joe_g:appdeveloper", Password: "j0e"}},
		{"connect user", `CONNECT root IDENTIFIED BY '111'`, &dcl.Connect{Login: "root", Password: "111"}},
		{"connect quoted", `CONNECT 'acme: joe' IDENTIFIED BY 'x'`, &dcl.Connect{Login: "acme: joe", Password: "x"}},
		{"connect empty field", `CONNECT acme::joe IDENTIFIED BY 'x'`, &dcl.Connect{Login: "acme::joe", Password: "x"}},
		{"hyphenated name", `CREATE ACCOUNT business-line ADMIN_NAME 'a' IDENTIFIED BY 'b'`,
			&dcl.CreateAccount{Name: "business-line", AdminName: "a", AdminPassword: "b"}},
		{"comments", "-- leading\nCREATE /* inline */ ROLE r -- trailing\n;", &dcl.CreateRole{Names: []string{"r"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dcl.Parse(tt.src)
			require.NoError(t, err)
			require.Len(t, got, 1)
			assert.Equal(t, tt.want, got[0])
		})
	}
}

func TestParseScript(t *testing.T) {
	got, err := dcl.Parse("CREATE ROLE a; ; GRANT a TO b;\n-- done\n")
	require.NoError(t, err)
	assert.Equal(t, []dcl.Statement{
		&dcl.CreateRole{Names: []string{"a"}},
		&dcl.GrantRole{Roles: []string{"a"}, To: []string{"b"}},
	}, got)

	got, err = dcl.Parse("  -- nothing\n")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestAllContinuesAfterSyntaxError(t *testing.T) {
	var stmts []dcl.Statement
	var errs []error
	for st, err := range dcl.New().All("CREATE ROLE a; CREATE ROLE; DROP ROLE b") {
		stmts = append(stmts, st)
		errs = append(errs, err)
	}
	require.Len(t, stmts, 3)
	assert.NoError(t, errs[0])
	assert.ErrorIs(t, errs[1], model.ErrSyntax)
	assert.NoError(t, errs[2])
	assert.Equal(t, &dcl.DropRole{Names: []string{"b"}}, stmts[2])
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		src          string
		line, column int
		msg          string // contained in the message
	}{
		{"CREATE", 1, 7, "at end of input: expected ACCOUNT, USER, ROLE, DATABASE, TABLE, PRIVILEGE GROUP or ALIAS"},
		{"SELECT 1", 1, 1, `near "SELECT": expected a statement`},
		{"GRANT SELECT ON TABLE d.t FROM r", 1, 27, `near "FROM": expected TO`},
		{"GRANT a b TO u", 1, 7, `expected a role name, found "a b"`},
		{"GRANT SELECT ON ROLE r TO u", 1, 17, "ON ROLE and ON USER are only for OWNERSHIP"},
		{"CREATE ROLE a\n  b", 2, 3, `near "b": unexpected "b" after the end of the statement`},
		{"CREATE USER u IDENTIFIED BY pw", 1, 29, "expected a password in quotes"},
		{"CREATE ROLE 'a", 1, 13, "unterminated quoted text"},
		{"CREATE ROLE a /* b", 1, 15, "unterminated comment"},
		{"CREATE TABLE d.t (a int", 1, 18, "unbalanced parentheses"},
		{"GRANT SELECT ON TABLE *.t TO r", 1, 25, "expected '*'"},
		{"ALTER ACCOUNT a COMMENT 'x' OPEN", 1, 29, "unexpected \"OPEN\""},
		{"SET SECONDARY ROLE some", 1, 20, "expected ALL or NONE"},
		{"CREATE ROLE a;\nCREATE ROLE", 2, 12, "expected a role name"},
		{"GRANT SELECT ON TABLE d.t TO r;", 1, 1, ""},
		{"DROP ROLE é,", 1, 13, "at end of input"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := dcl.Parse(tt.src)
			if tt.msg == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, model.ErrSyntax)
			var se *dcl.SyntaxError
			require.True(t, errors.As(err, &se))
			assert.Equal(t, tt.line, se.Line, err.Error())
			assert.Equal(t, tt.column, se.Column, err.Error())
			assert.Contains(t, err.Error(), tt.msg)
			assert.Contains(t, err.Error(), "syntax error at line")
		})
	}
}

func TestLimits(t *testing.T) {
	p := dcl.New(dcl.WithStatementBytes(20), dcl.WithNamesPerStatement(3))

	_, err := p.Parse("CREATE ROLE a, b, c")
	require.NoError(t, err)

	_, err = p.Parse("CREATE ROLE abcdefghijklmnopqrstuvwxyz")
	require.ErrorIs(t, err, model.ErrLimit)
	assert.EqualError(t, err, "the statement length exceeds the limit 20")

	// The limit applies to each list of names.
	_, err = p.Parse("GRANT a,b TO c,d,e")
	require.NoError(t, err)

	_, err = p.Parse("GRANT a,b,c,d TO e")
	require.ErrorIs(t, err, model.ErrLimit)
	assert.EqualError(t, err, "the names per statement exceeds the limit 3")

	// The length limit applies per statement, not to the whole script.
	_, err = p.Parse("CREATE ROLE a;  CREATE ROLE b; CREATE ROLE c")
	require.NoError(t, err)

	big := "CREATE ROLE " + strings.Repeat("r,", dcl.DefaultNamesPerStatement) + "r"
	_, err = dcl.Parse(big)
	assert.EqualError(t, err, "the names per statement exceeds the limit 1000")

	huge := "CREATE TABLE d.t (" + strings.Repeat("a int, ", 1<<18) + "b int)"
	_, err = dcl.Parse(huge)
	assert.EqualError(t, err, "the statement length exceeds the limit 1048576")

	p = dcl.New(dcl.WithLimits(engine.Limits{StatementBytes: 5}))
	_, err = p.Parse("SHOW ROLES")
	assert.ErrorIs(t, err, model.ErrLimit)
}

func TestParseCheck(t *testing.T) {
	tests := []struct {
		src  string
		want dcl.Check
	}{
		{"CREATE TABLE ON DATABASE businessapp", dcl.Check{Privilege: "CREATE TABLE", On: engine.Target{Kind: model.KindDatabase, Database: "businessapp"}}},
		{"SELECT ON TABLE d.t", dcl.Check{Privilege: "SELECT", On: engine.Target{Kind: model.KindTable, Database: "d", Name: "t"}}},
		{"SELECT ON TABLE t", dcl.Check{Privilege: "SELECT", On: engine.Target{Kind: model.KindTable, Name: "t"}}},
		{"CONNECT ON ACCOUNT", dcl.Check{Privilege: "CONNECT", On: engine.Target{Kind: model.KindAccount}}},
		{"DROP ROLE ON ROLE r", dcl.Check{Privilege: "DROP ROLE", On: engine.Target{Kind: model.KindRole, Name: "r"}}},
		{"ALTER USER ON USER u", dcl.Check{Privilege: "ALTER USER", On: engine.Target{Kind: model.KindUser, Name: "u"}}},
		{"SELECT ON TABLE d.*", dcl.Check{Privilege: "SELECT", On: engine.Target{Kind: model.KindTable, Database: "d", AnyTable: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := dcl.ParseCheck(tt.src)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	for _, bad := range []string{"", "SELECT", "SELECT ON", "SELECT, INSERT ON ACCOUNT", "SELECT ON TABLE t extra", "SELECT ON TABLE t; x"} {
		_, err := dcl.ParseCheck(bad)
		assert.ErrorIs(t, err, model.ErrSyntax, bad)
	}
}

func TestTerminated(t *testing.T) {
	assert.True(t, dcl.Terminated("SHOW ROLES;"))
	assert.True(t, dcl.Terminated("CREATE ROLE a;\n  -- comment\n"))
	assert.False(t, dcl.Terminated("CREATE ROLE 'a;"))
	assert.False(t, dcl.Terminated("CREATE ROLE a /* ; */"))
	assert.False(t, dcl.Terminated("CREATE ROLE a"))
	assert.False(t, dcl.Terminated(""))
}

func TestTargetString(t *testing.T) {
	for _, src := range []string{"ACCOUNT", "DATABASE *", "DATABASE d", "TABLE *.*", "TABLE d.*", "TABLE *", "TABLE d.t", "TABLE t", "ROLE r", "USER u"} {
		c, err := dcl.ParseCheck("SELECT ON " + src)
		require.NoError(t, err)
		assert.Equal(t, "SELECT ON "+src, c.String())
	}
}
