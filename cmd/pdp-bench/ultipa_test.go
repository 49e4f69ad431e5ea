package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// ultipaParams is small with columns, column grants, denials and column
// checks in every share.
func ultipaParams() Params {
	p := Presets["small"]
	p.Checks, p.Mutations = 2000, 200
	p.Columns, p.ColumnGrants, p.Denials, p.ColumnChecks = 3, 0.3, 0.2, 0.5
	return p
}

func TestGenerateColumnsAndDenials(t *testing.T) {
	w, err := Generate(ultipaParams())
	require.NoError(t, err)
	var denials, columnGrants, columnDenials, columnChecks int
	for _, st := range w.Setup {
		switch {
		case st.Kind == StmtCreateTable:
			assert.Equal(t, []string{"c1", "c2", "c3"}, st.Columns)
		case st.Kind == StmtDeny:
			denials++
			if st.Column != "" {
				columnDenials++
			}
		case st.Kind == StmtGrantPrivilege && st.Column != "":
			columnGrants++
			assert.True(t, st.Privilege.OnColumns(), st.String())
		}
	}
	for _, c := range w.Checks {
		if c.On.Kind == model.KindColumn {
			columnChecks++
		}
	}
	assert.Positive(t, denials)
	assert.Positive(t, columnDenials)
	assert.Positive(t, columnGrants)
	assert.InDelta(t, 1000, columnChecks, 300, "about half the checks, all on tables in small, ask a column")
	for _, m := range w.Mutations {
		assert.Empty(t, m.On.Column, "mutations touch plain grants only")
	}

	var buf bytes.Buffer
	require.NoError(t, w.Write(&buf))
	assert.Contains(t, buf.String(), "CREATE TABLE db0.t0 (c1 INT, c2 INT, c3 INT);")
	back, err := ParseString(buf.String())
	require.NoError(t, err)
	clearLines(back)
	back.Name = w.Name
	assert.Equal(t, w, back, "a dump parses back to the same workload")
}

func TestParseColumnsAndDenials(t *testing.T) {
	w, err := ParseString(`-- peerbench workload v1
CREATE ACCOUNT a ADMIN_NAME 'admin' IDENTIFIED BY 'pw';
USE ACCOUNT a;
CREATE TABLE d.t (id INT, "Name" VARCHAR(10), PRIMARY KEY (id));
CREATE TABLE d.u (a INT);
GRANT SELECT (name) ON TABLE d.t TO r;
DENY INSERT ON TABLE d.* TO r;
DENY UPDATE (id) ON TABLE d.t TO r;
CHECK ACCOUNT a USER u ROLE r SECONDARY NONE SELECT ON COLUMN d.t.name EXPECT ALLOW;
`)
	require.NoError(t, err)
	assert.Equal(t, []string{"id", "name"}, w.Setup[1].Columns)
	assert.Nil(t, w.Setup[2].Columns, "(a INT) is a table of the README's workloads")
	assert.Equal(t, "name", w.Setup[3].Column)
	assert.Equal(t, StmtDeny, w.Setup[4].Kind)
	assert.Equal(t, "DENY UPDATE (id) ON TABLE d.t TO r", w.Setup[5].String())
	assert.Equal(t, engine.Target{Kind: model.KindColumn, Database: "d", Name: "t", Column: "name"}, w.Checks[0].On)
	assert.True(t, w.UsesColumns())
	for _, bad := range []string{
		"USE ACCOUNT a; GRANT DELETE (id) ON TABLE d.t TO r",
		"USE ACCOUNT a; DENY SELECT (id) ON TABLE d.* TO r",
		"CHECK ACCOUNT a USER u ROLE r SECONDARY NONE SELECT ON COLUMN d.t EXPECT ALLOW",
	} {
		_, err := ParseString(strings.ReplaceAll(bad, "; ", ";\n"))
		assert.ErrorIs(t, err, errSyntax, bad)
	}
}

// TestRunColumnsAndDenialsEndToEnd loads a generated workload with
// columns and denials: the engine agrees with every EXPECT value (given by
// the reference evaluator), before and after mutations.
func TestRunColumnsAndDenialsEndToEnd(t *testing.T) {
	skipWithoutEngine(t)
	w, err := Generate(ultipaParams())
	require.NoError(t, err)
	var log bytes.Buffer
	cfg := Config{Iterations: 1000, MutDuration: 20 * time.Millisecond, MutRate: 2000, Samples: 1000, Seed: 1,
		VerifyPairs: 10, ShowMismatches: 10, Log: &log}
	res := &Result{Workload: w.Name}
	b, err := Build(cfg, w, res)
	require.NoError(t, err)
	b.Run()
	assert.Equal(t, 2000, res.Verified, log.String())
	assert.Zero(t, res.Mismatches, log.String())
	assert.Zero(t, res.Unresolved)
	assert.Zero(t, res.ReferenceMismatches)
	assert.Zero(t, res.MismatchesAfterMut, log.String())
	assert.Zero(t, res.MutVerifyMismatches, log.String())
	assert.Zero(t, res.CheckAllocs)
}

func TestUltipaFlags(t *testing.T) {
	o, err := parseFlags([]string{"-preset", "medium-ultipa", "-columns", "4", "-denials", "0.5", "-column-checks", "1"}, &bytes.Buffer{})
	require.NoError(t, err)
	p, err := o.generatorParams()
	require.NoError(t, err)
	assert.Equal(t, 4, p.Columns)
	assert.Equal(t, 0.5, p.Denials)
	assert.Equal(t, 0.1, p.ColumnGrants, "from the preset")
	assert.Equal(t, 1.0, p.ColumnChecks)
	bad := Presets["small"]
	bad.ColumnGrants = 0.5
	assert.ErrorIs(t, bad.Validate(), errParams, "column grants need columns")
}
