package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

func count(w *Workload, kind StmtKind) int {
	n := 0
	for i := range w.Setup {
		if w.Setup[i].Kind == kind {
			n++
		}
	}
	return n
}

func TestGenerateSmallShape(t *testing.T) {
	p := Presets["small"]
	w, err := Generate(p)
	require.NoError(t, err)

	assert.Equal(t, 1, count(w, StmtCreateAccount))
	assert.Equal(t, 10, count(w, StmtCreateDatabase))
	assert.Equal(t, 100, count(w, StmtCreateTable))
	assert.Equal(t, 20, count(w, StmtCreateRole))
	assert.Equal(t, 100, count(w, StmtCreateUser))
	assert.Equal(t, 200, w.PrivilegeGrants(), "10 grants per role")
	require.Len(t, w.Checks, 20_000)
	require.Len(t, w.Mutations, 20_000)

	// Each user holds 1 or 2 roles (drawn with replacement).
	perUser := map[string]int{}
	edges := 0
	ref := NewReference(w)
	for i := range w.Setup {
		st := &w.Setup[i]
		if st.Kind != StmtGrantRole {
			continue
		}
		if _, isRole := ref.accounts[st.Account].roles[st.To]; isRole {
			edges++
		} else {
			perUser[st.To]++
		}
	}
	assert.Len(t, perUser, 100)
	for u, n := range perUser {
		assert.True(t, n == 1 || n == 2, "user %s holds %d roles", u, n)
	}
	assert.InDelta(t, 15*1.5, edges, 8, "15 non-leaf roles with fanout 1.5")

	allowed, secondary := 0, 0
	for i := range w.Checks {
		c := &w.Checks[i]
		require.NotEqual(t, ExpectUnknown, c.Expect)
		assert.Equal(t, c.Expect, ExpectOf(ref.Decide(c)))
		if c.Expect == ExpectAllow {
			allowed++
		}
		if c.Secondary == engine.SecondaryAll {
			secondary++
		}
		assert.Equal(t, c.Privilege.Level() == model.LevelTable, c.On.Kind == model.KindTable, "privileges at their level")
	}
	assert.InDelta(t, 0.5, float64(allowed)/20_000, 0.08, "about half allowed")
	assert.InDelta(t, 0.5, float64(secondary)/20_000, 0.03, "about half SECONDARY ALL")
}

func TestGenerateRoleGraphRespectsDepth(t *testing.T) {
	for _, name := range []string{"small", "medium"} {
		t.Run(name, func(t *testing.T) {
			p := Presets[name]
			p.Accounts, p.Checks, p.Mutations = 1, 0, 0
			w, err := Generate(p)
			require.NoError(t, err)
			a := NewReference(w).accounts["acc0"]
			var longest func(string, int) int
			longest = func(r string, guard int) int {
				require.Less(t, guard, p.Roles+1, "the role graph has a cycle")
				best := 0
				for _, c := range a.roles[r].inherits {
					best = max(best, 1+longest(c, guard+1))
				}
				return best
			}
			deepest := 0
			for r := range a.roles {
				deepest = max(deepest, longest(r, 0))
			}
			assert.LessOrEqual(t, deepest, p.Depth)
			assert.GreaterOrEqual(t, deepest, p.Depth-1, "chains reach about the full depth")
		})
	}
}

func TestGenerateGrantMix(t *testing.T) {
	p := Presets["small"]
	p.Roles, p.Grants, p.DBs, p.Tables, p.Checks, p.Mutations = 200, 50, 50, 50, 0, 0
	w, err := Generate(p)
	require.NoError(t, err)
	var levels [5]int
	for i := range w.Setup {
		st := &w.Setup[i]
		if st.Kind != StmtGrantPrivilege {
			continue
		}
		switch on := st.On; {
		case on.Kind == model.KindTable && on.AnyDatabase:
			levels[lvTableAll]++
		case on.Kind == model.KindTable && on.AnyTable:
			levels[lvTableDB]++
		case on.Kind == model.KindTable:
			levels[lvTable]++
		case on.AnyDatabase:
			levels[lvDBAll]++
		default:
			levels[lvDB]++
		}
		assert.Equal(t, st.Privilege.Level() == model.LevelTable, st.On.Kind == model.KindTable)
	}
	total := float64(w.PrivilegeGrants())
	assert.InDelta(t, 0.72, float64(levels[lvTable])/total, 0.03)
	assert.InDelta(t, 0.15, float64(levels[lvTableDB])/total, 0.03)
	assert.InDelta(t, 0.115, float64(levels[lvDB])/total, 0.03)
	assert.Positive(t, levels[lvTableAll])
	assert.Positive(t, levels[lvDBAll])
}

func TestGenerateMutationsComeInPairs(t *testing.T) {
	p := Presets["small"]
	p.Checks, p.Mutations = 10, 2_001
	w, err := Generate(p)
	require.NoError(t, err)
	require.Len(t, w.Mutations, 2_000)
	roleMuts := 0
	for i := 0; i < len(w.Mutations); i += 2 {
		rev, gr := w.Mutations[i], w.Mutations[i+1]
		switch rev.Kind {
		case MutRevokePrivilege:
			assert.Equal(t, MutGrantPrivilege, gr.Kind)
		case MutRevokeRole:
			assert.Equal(t, MutGrantRole, gr.Kind)
			roleMuts++
		default:
			t.Fatalf("mutation %d is not a revoke: %s", i, rev.String())
		}
		gr.Kind = rev.Kind
		assert.Equal(t, rev, gr, "the grant restores the revoke")
	}
	assert.InDelta(t, 0.2, float64(roleMuts)/1000, 0.05)
}

func TestGenerateIsDeterministicAndDumpsFaithfully(t *testing.T) {
	p := Presets["small"]
	p.Checks, p.Mutations = 500, 100
	w1, err := Generate(p)
	require.NoError(t, err)
	w2, err := Generate(p)
	require.NoError(t, err)
	assert.Equal(t, w1, w2)

	var buf bytes.Buffer
	require.NoError(t, w1.Write(&buf))
	back, err := ParseString(buf.String())
	require.NoError(t, err)
	clearLines(back)
	back.Name = w1.Name
	assert.Equal(t, w1, back)

	p.Seed = 2
	w3, err := Generate(p)
	require.NoError(t, err)
	assert.NotEqual(t, w1.Checks, w3.Checks)
}

func TestParamsValidate(t *testing.T) {
	bad := []func(*Params){
		func(p *Params) { p.Accounts = 0 },
		func(p *Params) { p.Depth = -1 },
		func(p *Params) { p.Allow = 1.5 },
		func(p *Params) { p.Mix = [5]float64{} },
		func(p *Params) { p.Mix[1] = -0.1 },
		func(p *Params) { p.RolesPerUser = 0 },
	}
	for i, mutate := range bad {
		p := Presets["small"]
		mutate(&p)
		_, err := Generate(p)
		assert.ErrorIs(t, err, errParams, "case %d", i)
	}
	for name, p := range Presets {
		assert.NoError(t, p.Validate(), name)
	}
}
