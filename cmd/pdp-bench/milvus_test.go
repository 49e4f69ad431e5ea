package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGenerateGroupsAndPatterns: the shares give group grants and pattern
// grants, and the workload survives a dump and a parse.
func TestGenerateGroupsAndPatterns(t *testing.T) {
	p := Presets["small"]
	p.Checks, p.Mutations, p.GroupShare, p.PatternShare = 500, 200, 0.3, 0.3
	w, err := Generate(p)
	require.NoError(t, err)
	assert.Equal(t, len(customGroups), count(w, StmtCreateGroup))
	assert.Equal(t, len(customGroups), count(w, StmtAlterGroup))
	groups, patterns := count(w, StmtGrantGroup), 0
	for i := range w.Setup {
		if on := w.Setup[i].On; on.DatabasePattern || on.TablePattern {
			patterns++
		}
	}
	assert.InDelta(t, 0.3*200, float64(groups), 25)
	assert.InDelta(t, 0.3*200, float64(patterns), 25)
	assert.Equal(t, 200, w.PrivilegeGrants(), "a group grant is one grant")

	var buf bytes.Buffer
	require.NoError(t, w.Write(&buf))
	text := buf.String()
	assert.Contains(t, text, "CREATE PRIVILEGE GROUP writers;")
	assert.Contains(t, text, "ALTER PRIVILEGE GROUP writers ADD SELECT, INSERT, UPDATE, DELETE;")
	assert.Contains(t, text, "GRANT PRIVILEGE GROUP ")
	assert.Contains(t, text, "*.* TO r")
	back, err := ParseString(text)
	require.NoError(t, err)
	clearLines(back)
	back.Name = w.Name
	assert.Equal(t, w, back)
}

// TestRunMilvusPreset: the engine answers every check of a workload with
// groups and patterns as the reference does, before, during and after the
// mutations.
func TestRunMilvusPreset(t *testing.T) {
	skipWithoutEngine(t)
	var stdout, stderr bytes.Buffer
	err := run([]string{"-preset", "small", "-group-share", "0.5", "-pattern-share", "0.5", "-checks", "3000",
		"-mutations", "400", "-iterations", "2000", "-mut-duration", "50ms", "-verify-mutations", "20", "-json"}, &stdout, &stderr)
	require.NoError(t, err, stderr.String())
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &got))
	assert.EqualValues(t, 3000, got["verified"])
	assert.EqualValues(t, 0, got["mismatches"], stdout.String())
	_, ok := Presets["medium-milvus"]
	assert.True(t, ok)
}
