package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGraphChain(t *testing.T) {
	skipWithoutEngine(t)
	res, err := RunGraph(GraphConfig{Shape: GraphChain, Size: 20, Ops: 3})
	require.NoError(t, err)
	assert.Equal(t, 21, res.Roles, "the chain and the role the operations grant")
	assert.Equal(t, 19, res.RoleEdges)
	assert.Zero(t, res.UserGrants)
	assert.Positive(t, res.LoadS)
	assert.Positive(t, res.StatementsS)
	var stmts []string
	for _, op := range res.Ops {
		stmts = append(stmts, op.Statement)
		assert.Equal(t, 3, op.N, op.Name)
		assert.Positive(t, op.UsP50, op.Name)
		assert.GreaterOrEqual(t, op.UsP99, op.UsP50, op.Name)
		assert.GreaterOrEqual(t, op.CPUUsMean, 0.0, "%s: CPU time is known on unix", op.Name)
	}
	assert.Equal(t, []string{"GRANT x TO r19", "REVOKE x FROM r19", "GRANT x TO r0", "REVOKE x FROM r0",
		"GRANT r19 TO r0"}, stmts)
}

func TestGraphWide(t *testing.T) {
	skipWithoutEngine(t)
	res, err := RunGraph(GraphConfig{Shape: GraphWide, Size: 30, Ops: 2})
	require.NoError(t, err)
	assert.Equal(t, 1+10+3+1, res.Roles, "w, ten hubs, three fan-out roles and x")
	assert.Equal(t, 30, res.RoleEdges, "each fan-out role inherits the ten hubs")
	assert.Equal(t, 30, res.UserGrants)
	var stmts []string
	for _, op := range res.Ops {
		stmts = append(stmts, op.Statement)
	}
	assert.Equal(t, []string{"GRANT x TO h0", "REVOKE x FROM h0", "GRANT m0 TO h0", "GRANT x TO w",
		"REVOKE x FROM w"}, stmts)
}

func TestGraphFlags(t *testing.T) {
	skipWithoutEngine(t)
	var stdout, stderr bytes.Buffer
	require.NoError(t, run([]string{"-graph", "chain", "-graph-size", "5", "-graph-ops", "2", "-json"}, &stdout, &stderr))
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var got GraphResult
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &got))
	assert.Equal(t, "chain", got.Graph)
	assert.Len(t, got.Ops, 5)
	assert.Contains(t, stderr.String(), "cycle refusal")

	for _, args := range [][]string{
		{"-graph", "chain", "-preset", "small"},
		{"-graph", "wide", "-roles", "3"},
	} {
		_, err := parseFlags(args, io.Discard)
		assert.ErrorIs(t, err, errUsage, "%q", args)
	}
	for _, args := range [][]string{
		{"-graph", "star"},
		{"-graph", "chain", "-graph-size", "1"},
		{"-graph", "chain", "-graph-ops", "0"},
	} {
		assert.ErrorIs(t, run(args, io.Discard, io.Discard), errUsage, "%q", args)
	}
}

func TestXLargeIsThreeLarge(t *testing.T) {
	large, xlarge := Presets["large"], Presets["xlarge"]
	assert.Equal(t, 3*large.Accounts, xlarge.Accounts)
	xlarge.Accounts, xlarge.Name = large.Accounts, large.Name
	assert.Equal(t, large, xlarge, "the same shape per account")
}
