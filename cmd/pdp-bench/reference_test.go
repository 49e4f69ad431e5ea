package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refSetup extends the parser's sample with a second user holding r0 and r6.
const refSetup = sample + `
USE ACCOUNT acc0;
CREATE ROLE r6;
GRANT INSERT ON TABLE db0.t0 TO r6;
CREATE USER u1 IDENTIFIED BY 'pw';
GRANT r0 TO u1;
GRANT r6 TO u1;
CREATE ACCOUNT acc1 ADMIN_NAME 'boss' IDENTIFIED BY 'pw';
USE ACCOUNT acc1;
CREATE DATABASE db0;
CREATE TABLE db0.t3 (a INT);
CREATE ROLE r0;
CREATE USER u0 IDENTIFIED BY 'pw';
GRANT r0 TO u0;
`

func TestReferenceDecide(t *testing.T) {
	tests := []struct {
		name  string
		check string
		want  bool
	}{
		{"inherited grant", "acc0 USER u0 ROLE r0 SECONDARY NONE SELECT ON TABLE db0.t3", true},
		{"not the inherited grant's table", "acc0 USER u0 ROLE r0 SECONDARY NONE SELECT ON TABLE db0.t0", false},
		{"db.* covers its tables", "acc0 USER u0 ROLE r0 SECONDARY NONE UPDATE ON TABLE db0.t0", true},
		{"*.* covers every table", "acc0 USER u0 ROLE r0 SECONDARY NONE DELETE ON TABLE db0.t3", true},
		{"creation privilege from the active closure", "acc0 USER u0 ROLE r0 SECONDARY NONE CREATE TABLE ON DATABASE db0", true},
		{"active role must be granted directly", "acc0 USER u0 ROLE r5 SECONDARY NONE SELECT ON TABLE db0.t3", false},
		{"secondary roles add their closures", "acc0 USER u1 ROLE r6 SECONDARY ALL SELECT ON TABLE db0.t3", true},
		{"without secondary roles", "acc0 USER u1 ROLE r6 SECONDARY NONE SELECT ON TABLE db0.t3", false},
		{"creation privilege ignores secondary roles", "acc0 USER u1 ROLE r6 SECONDARY ALL CREATE TABLE ON DATABASE db0", false},
		{"drop table on a table from the database grant", "acc0 USER u0 ROLE r0 SECONDARY NONE DROP TABLE ON TABLE db0.t0", true},
		{"drop table on the database", "acc0 USER u0 ROLE r0 SECONDARY NONE DROP TABLE ON DATABASE db0", true},
		{"wrong level", "acc0 USER u0 ROLE r0 SECONDARY ALL DELETE ON DATABASE db0", false},
		{"missing table", "acc0 USER u0 ROLE r0 SECONDARY ALL DELETE ON TABLE db0.t9", false},
		{"missing account", "acc9 USER u0 ROLE r0 SECONDARY ALL DELETE ON TABLE db0.t3", false},
		{"tenant isolation: same names, other account", "acc1 USER u0 ROLE r0 SECONDARY ALL SELECT ON TABLE db0.t3", false},
		{"admin role", "acc1 USER boss ROLE accountadmin SECONDARY NONE SELECT ON TABLE db0.t3", true},
		{"admin role is not granted to others", "acc1 USER u0 ROLE accountadmin SECONDARY NONE SELECT ON TABLE db0.t3", false},
	}
	w, err := ParseString(refSetup)
	require.NoError(t, err)
	ref := NewReference(w)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cw, err := ParseString("CHECK ACCOUNT " + tt.check + ";")
			require.NoError(t, err)
			assert.Equal(t, tt.want, ref.Decide(&cw.Checks[0]))
		})
	}
}

func TestReferenceAgreesWithSampleExpect(t *testing.T) {
	w, err := ParseString(sample)
	require.NoError(t, err)
	ref := NewReference(w)
	for i := range w.Checks {
		c := &w.Checks[i]
		if c.Expect != ExpectUnknown {
			assert.Equal(t, c.Expect, ExpectOf(ref.Decide(c)), c.String())
		}
	}
}

func TestReferenceApply(t *testing.T) {
	w, err := ParseString(refSetup)
	require.NoError(t, err)
	ref := NewReference(w)
	decide := func(check string) bool {
		cw, err := ParseString("CHECK ACCOUNT " + check + ";")
		require.NoError(t, err)
		return ref.Decide(&cw.Checks[0])
	}
	apply := func(line string) {
		mw, err := ParseString(line)
		require.NoError(t, err)
		ref.Apply(&mw.Mutations[0])
	}
	inherited := "acc0 USER u0 ROLE r0 SECONDARY NONE SELECT ON TABLE db0.t3"
	require.True(t, decide(inherited))
	apply("MUTATE ACCOUNT acc0 REVOKE r5 FROM r0;")
	assert.False(t, decide(inherited), "the edge is gone")
	apply("MUTATE ACCOUNT acc0 GRANT r5 TO r0;")
	assert.True(t, decide(inherited), "the edge is back")
	apply("MUTATE ACCOUNT acc0 REVOKE SELECT ON TABLE db0.t3 FROM r5;")
	assert.False(t, decide(inherited), "the grant is gone")
	apply("MUTATE ACCOUNT acc0 GRANT SELECT ON TABLE db0.t3 TO r5;")
	assert.True(t, decide(inherited))
	apply("MUTATE ACCOUNT acc0 REVOKE r0 FROM u0;")
	assert.False(t, decide(inherited), "the active role is no longer granted")
	apply("MUTATE ACCOUNT acc0 GRANT r0 TO u0;")
	assert.True(t, decide(inherited))
}
