package scenario_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/scenario"
)

const sample = `# a comment
statement ok
CREATE ROLE a;

statement error there is no role b
# a comment inside
GRANT b
  TO a

connection other
check allow SELECT ON TABLE d.t
check deny CREATE USER ON ACCOUNT

query
SHOW GRANTS FOR ROLE a
----
GRANT SELECT ON TABLE d.t TO a
# not a comment here

query
SHOW USERS
----

bogus line
still the bogus block

check maybe SELECT ON ACCOUNT
check allow FLY ON ACCOUNT
connection x
`

func TestParse(t *testing.T) {
	recs := scenario.Parse(sample)
	require.Len(t, recs, 11)

	assert.Equal(t, scenario.Record{Kind: scenario.KindStatementOK, Line: 2, SQL: "CREATE ROLE a;"}, recs[0])
	assert.Equal(t, scenario.Record{Kind: scenario.KindStatementError, Line: 5, Error: "there is no role b", SQL: "GRANT b\n  TO a"}, recs[1])
	assert.Equal(t, scenario.Record{Kind: scenario.KindConnection, Line: 10, Connection: "other"}, recs[2])

	assert.Equal(t, scenario.KindCheck, recs[3].Kind)
	assert.Equal(t, 11, recs[3].Line)
	assert.True(t, recs[3].Allow)
	assert.Equal(t, model.PrivSelect, recs[3].Privilege)
	assert.Equal(t, engine.Target{Kind: model.KindTable, Database: "d", Name: "t"}, recs[3].Check.On)
	assert.False(t, recs[4].Allow)
	assert.Equal(t, model.PrivCreateUser, recs[4].Privilege)

	assert.Equal(t, scenario.Record{Kind: scenario.KindQuery, Line: 14, SQL: "SHOW GRANTS FOR ROLE a",
		Rows: []string{"GRANT SELECT ON TABLE d.t TO a", "# not a comment here"}}, recs[5])
	assert.Equal(t, scenario.Record{Kind: scenario.KindQuery, Line: 20, SQL: "SHOW USERS", Rows: []string{}}, recs[6])

	for i, line := range map[int]int{7: 24, 8: 27, 9: 28} {
		assert.Equal(t, scenario.KindInvalid, recs[i].Kind, i)
		assert.Equal(t, line, recs[i].Line, i)
		assert.Error(t, recs[i].Err, i)
	}
	assert.Contains(t, recs[9].Err.Error(), "unsupported privilege type fly")
	assert.Equal(t, scenario.Record{Kind: scenario.KindConnection, Line: 29, Connection: "x"}, recs[10])
}

func TestParseMalformed(t *testing.T) {
	for _, src := range []string{
		"statement ok",
		"statement ok extra\nSHOW ROLES",
		"statement maybe\nSHOW ROLES",
		"query\nSHOW ROLES",
		"query\n----\nx",
		"query T\nSHOW ROLES\n----",
		"connection",
		"connection a b",
		"check allow",
		"check allow SELECT ON",
	} {
		recs := scenario.Parse(src)
		require.Len(t, recs, 1, src)
		assert.Equal(t, scenario.KindInvalid, recs[0].Kind, src)
		assert.Equal(t, 1, recs[0].Line, src)
	}
}

func TestFailureString(t *testing.T) {
	f := scenario.Failure{File: "a.test", Line: 3, Msg: "expected ok, got error: x"}
	assert.Equal(t, "a.test:3: expected ok, got error: x", f.String())
}
