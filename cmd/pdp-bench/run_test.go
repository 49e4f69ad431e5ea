package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
)

// skipWithoutEngine skips a test while the engine is not implemented yet.
func skipWithoutEngine(t *testing.T) {
	t.Helper()
	eng, err := NewEngine()
	if err != nil || eng == nil {
		t.Skipf("engine unavailable: %v", err)
	}
	if err := eng.Load(func(*engine.Loader) error { return nil }); err != nil {
		t.Skipf("engine loader unavailable: %v", err)
	}
}

func TestRunSampleEndToEnd(t *testing.T) {
	skipWithoutEngine(t)
	w, err := ParseString(sample)
	require.NoError(t, err)
	w.Name = "sample"
	var log bytes.Buffer
	cfg := Config{Iterations: 1000, MutDuration: 20 * time.Millisecond, MutRate: 2000, Samples: 1000, Seed: 1,
		ShowMismatches: 10, Log: &log}
	res := &Result{Workload: w.Name, PrivGrants: w.PrivilegeGrants(), RoleGrants: w.RoleGrants()}
	b, err := Build(cfg, w, res)
	require.NoError(t, err)
	b.Run()
	assert.Equal(t, 3, res.Checks)
	assert.Equal(t, 2, res.Verified, log.String())
	assert.Equal(t, 1, res.Unverified)
	assert.Zero(t, res.Mismatches, log.String())
	assert.Zero(t, res.Unresolved)
	assert.Zero(t, res.MutErrors, log.String())
	assert.Positive(t, res.MutApplied)
	assert.Zero(t, res.MutApplied%2, "the mutator stops after whole pairs")
	assert.Zero(t, res.MismatchesAfterMut, log.String())
	assert.Positive(t, res.HeapBytes)
	assert.Positive(t, res.Throughput1)
}

func TestRunGeneratedJSON(t *testing.T) {
	skipWithoutEngine(t)
	var stdout, stderr bytes.Buffer
	err := run([]string{"-preset", "small", "-checks", "2000", "-mutations", "200", "-iterations", "2000",
		"-mut-duration", "50ms", "-verify-mutations", "5", "-json"}, &stdout, &stderr)
	require.NoError(t, err, stderr.String())
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &got))
	for _, key := range []string{"workload", "checks", "verified", "mismatches", "check_ns_p50", "check_ns_p99",
		"check_allocs", "parallel_speedup", "mut_rate", "mut_us_p50", "mut_us_p99", "check_under_mut_ns_p99",
		"build_s", "heap_bytes"} {
		assert.Contains(t, got, key)
	}
	assert.Equal(t, "small-custom", got["workload"])
	assert.EqualValues(t, 2000, got["verified"])
	assert.Contains(t, stderr.String(), "setup uses the test password hasher")
}
