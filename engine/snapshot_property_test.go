package engine_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
)

// statementGen draws one statement over small name pools, so that
// statements often find, collide with and cascade over each other.
func statementGen(t *rapid.T) string {
	role := func(label string) string { return rapid.SampledFrom([]string{"r1", "r2", "r3"}).Draw(t, label) }
	user := rapid.SampledFrom([]string{"u1", "u2"}).Draw(t, "user")
	db := rapid.SampledFrom([]string{"d1", "d2"}).Draw(t, "db")
	tb := db + "." + rapid.SampledFrom([]string{"t1", "t2"}).Draw(t, "table")
	level := rapid.SampledFrom([]string{"TABLE " + tb, "TABLE " + db + ".*", "TABLE *.*", "DATABASE " + db,
		"DATABASE *", "ACCOUNT *", "TABLE " + db + ".t*", "TABLE d*.*", "DATABASE d*"}).Draw(t, "level")
	priv := map[byte]string{'T': "select", 'D': "create table", 'A': "create role"}[level[0]]
	grantee := rapid.SampledFrom([]string{role("grantee"), user}).Draw(t, "role or user")
	object := rapid.SampledFrom([]string{"TABLE " + tb, "DATABASE " + db, "ROLE " + role("owned"), "USER " + user}).Draw(t, "object")
	forms := []string{
		"CREATE ROLE " + role("role"),
		"DROP ROLE " + role("role"),
		fmt.Sprintf("CREATE USER %s IDENTIFIED BY 'pw' DEFAULT ROLE %s", user, role("default")),
		"CREATE USER " + user + " IDENTIFIED BY 'pw'",
		"DROP USER " + user,
		"ALTER USER " + user + " LOCK",
		"ALTER USER " + user + " UNLOCK",
		"CREATE DATABASE " + db,
		"DROP DATABASE " + db,
		"CREATE TABLE " + tb + " (id int)",
		"CREATE TABLE " + tb,
		"DROP TABLE " + tb,
		fmt.Sprintf("GRANT %s ON %s TO %s", priv, level, role("to")),
		fmt.Sprintf("GRANT %s ON %s TO %s WITH GRANT OPTION", priv, level, role("to")),
		fmt.Sprintf("REVOKE %s ON %s FROM %s", priv, level, role("from")),
		fmt.Sprintf("GRANT %s TO %s", role("granted"), grantee),
		fmt.Sprintf("REVOKE %s FROM %s", role("revoked"), grantee),
		fmt.Sprintf("GRANT OWNERSHIP ON %s TO %s", object, role("new owner")),
		"CREATE ACCOUNT beta ADMIN_NAME 'bea' IDENTIFIED BY 'pw'",
		"DROP ACCOUNT beta",
		"ALTER ACCOUNT beta SUSPEND",
		"ALTER ACCOUNT beta OPEN",
		// reference §15–§17
		"CREATE PRIVILEGE GROUP g1",
		"ALTER PRIVILEGE GROUP g1 ADD select, create table",
		"ALTER PRIVILEGE GROUP g1 REMOVE select",
		"DROP PRIVILEGE GROUP g1",
		fmt.Sprintf("GRANT PRIVILEGE GROUP %s ON %s TO %s", rapid.SampledFrom([]string{"g1", "read_write"}).Draw(t, "group"), level, role("to")),
		fmt.Sprintf("REVOKE PRIVILEGE GROUP g1 ON %s FROM %s", level, role("from")),
		"CREATE ALIAS " + db + ".a1 FOR TABLE " + tb,
		"ALTER ALIAS " + db + ".a1 FOR TABLE " + tb,
		"DROP ALIAS " + db + ".a1",
		"ALTER TABLE " + tb + " ADD COLUMN c int",
		"ALTER TABLE " + tb + " DROP COLUMN " + columnName(t),
		fmt.Sprintf("GRANT SELECT (%s), UPDATE ON TABLE %s TO %s", columnName(t), tb, role("to")),
		fmt.Sprintf("REVOKE SELECT (%s) ON TABLE %s FROM %s", columnName(t), tb, role("from")),
		fmt.Sprintf("DENY %s ON %s TO %s", priv, level, role("to")),
		fmt.Sprintf("DENY SELECT (%s) ON TABLE %s TO %s", columnName(t), tb, role("to")),
		fmt.Sprintf("REVOKE DENY %s ON %s FROM %s", priv, level, role("from")),
	}
	return rapid.SampledFrom(forms).Draw(t, "statement")
}

// columnName draws a column name of the statements' tables.
func columnName(t *rapid.T) string { return rapid.SampledFrom([]string{"id", "c"}).Draw(t, "column") }

// setupStatements give the account acme something to work on, so that
// most random statements find what they name.
var setupStatements = []string{
	"CREATE ROLE r1, r2, r3",
	"CREATE USER u1 IDENTIFIED BY 'pw' DEFAULT ROLE r1",
	"CREATE USER u2 IDENTIFIED BY 'pw'",
	"CREATE DATABASE d1",
	"CREATE DATABASE d2",
	"CREATE TABLE d1.t1 (id int)",
	"CREATE TABLE d1.t2",
	"CREATE TABLE d2.t1",
	"GRANT r1 TO r2",
	"GRANT select ON TABLE d1.t1 TO r1",
}

// TestHeldSnapshotNeverChanges runs random statements and checks after
// each that a snapshot taken before it still holds exactly what it held
// (its catalog and its decision views: copy-on-write trees and arrays are
// never changed in place), and that the views of the new snapshot,
// derived incrementally, equal those derived from scratch from its
// catalog (the catalog and the snapshot agree on every table, grant and
// owner).
func TestHeldSnapshotNeverChanges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		eng, err := engine.New(engine.WithRootPassword("111"), engine.WithHasher(password.Testing()))
		require.NoError(t, err)
		root, err := eng.Connect("root", "111")
		require.NoError(t, err)
		require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))
		ann, err := eng.Connect("acme:ann", "pw")
		require.NoError(t, err)
		sessions := map[string]*engine.Session{"root": root, "acme": ann}
		for _, stmt := range setupStatements {
			require.NoError(t, run(eng, sessions, "acme", stmt), stmt)
		}
		var held []*engine.Snapshot
		var dumps [][]string
		for range rapid.IntRange(1, 60).Draw(t, "steps") {
			snap := eng.Snapshot()
			held, dumps = append(held, snap), append(dumps, engine.SnapshotDump(snap))
			who := rapid.SampledFrom([]string{"acme", "acme", "acme", "acme", "root", "beta"}).Draw(t, "session")
			stmt := statementGen(t)
			err := run(eng, sessions, who, stmt)
			t.Logf("%s: %s -> %v", who, stmt, err)
			for i, h := range held {
				require.Equal(t, dumps[i], engine.SnapshotDump(h), "the snapshot of revision %d changed", h.Revision())
			}
			require.NoError(t, engine.VerifySnapshot(eng.Snapshot()))
		}
	})
}

// run executes stmt as who; the session of beta's admin is opened when
// first needed (and again after beta was dropped and re-created).
func run(eng *engine.Engine, sessions map[string]*engine.Session, who, stmt string) error {
	if who == "beta" {
		s, err := eng.Connect("beta:bea", "pw")
		if err != nil {
			return err
		}
		sessions[who] = s
	}
	sts, err := dcl.Parse(stmt)
	if err != nil {
		return err
	}
	_, err = dcl.Exec(sessions[who], sts[0])
	return err
}
