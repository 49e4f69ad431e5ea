package engine_test

import (
	"strconv"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/require"
)

// chainSize is the length of the role chain of the graph benchmarks.
const chainSize = 10_000

// buildChain loads account acc0 (admin "admin") with roles r0 … r<n-1>,
// each inheriting the one before, and a spare role x, and returns the
// admin's session.
func buildChain(tb testing.TB, n int) *engine.Session {
	tb.Helper()
	eng := newEngine(tb, engine.WithLimits(engine.Limits{RolesPerAccount: n + 8}))
	require.NoError(tb, eng.Load(func(l *engine.Loader) error {
		a, err := l.CreateAccount("acc0", "admin", "pw")
		if err != nil {
			return err
		}
		ids := make([]model.RoleID, n)
		for i := range ids {
			if ids[i], err = l.CreateRole(a, "r"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		if _, err := l.CreateRole(a, "x"); err != nil {
			return err
		}
		for i := 1; i < n; i++ {
			if err := l.GrantRole(ids[i-1], ids[i], engine.PlainGrant); err != nil {
				return err
			}
		}
		return nil
	}))
	return connect(tb, eng, "acc0:admin", "pw")
}

// BenchmarkChainLoad builds a chain of 10,000 roles in one Load.
func BenchmarkChainLoad(b *testing.B) {
	for b.Loop() {
		buildChain(b, chainSize)
	}
}

// benchGrantRevoke alternates GRANT role TO to and the REVOKE undoing it.
func benchGrantRevoke(b *testing.B, s *engine.Session, role, to string) {
	grant := engine.GrantRole{Roles: []string{role}, To: []string{to}}
	revoke := engine.RevokeRole{Roles: []string{role}, From: []string{to}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var err error
		if i%2 == 0 {
			err = s.GrantRole(grant)
		} else {
			err = s.RevokeRole(revoke)
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkChainGrantBottom grants a role to the end of the chain whose
// closure holds every role (one closure changes), and revokes it.
func BenchmarkChainGrantBottom(b *testing.B) {
	benchGrantRevoke(b, buildChain(b, chainSize), "x", "r"+strconv.Itoa(chainSize-1))
}

// BenchmarkChainGrantTop grants a role to the end of the chain every other
// role inherits (every closure changes), and revokes it.
func BenchmarkChainGrantTop(b *testing.B) {
	benchGrantRevoke(b, buildChain(b, chainSize), "x", "r0")
}

// BenchmarkChainCycle is the refusal of a grant closing the chain into a
// cycle.
func BenchmarkChainCycle(b *testing.B) {
	s := buildChain(b, chainSize)
	grant := engine.GrantRole{Roles: []string{"r" + strconv.Itoa(chainSize-1)}, To: []string{"r0"}}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.GrantRole(grant); err == nil {
			b.Fatal("the cycle was not refused")
		}
	}
}

// BenchmarkGrantManyPairs is the largest role grant the default limit
// allows: GRANT a0, …, a99 TO b0, …, b99 (10,000 pairs), and the REVOKE
// undoing it.
func BenchmarkGrantManyPairs(b *testing.B) {
	eng := newEngine(b)
	root := connect(b, eng, "root", "111")
	require.NoError(b, root.CreateAccount(engine.CreateAccount{Name: "acc0", AdminName: "admin", AdminPassword: "pw"}))
	s := connect(b, eng, "acc0:admin", "pw")
	var as, bs []string
	for i := range 100 {
		as, bs = append(as, "a"+strconv.Itoa(i)), append(bs, "b"+strconv.Itoa(i))
	}
	require.NoError(b, s.CreateRole(engine.CreateRole{Names: append(append([]string(nil), as...), bs...)}))
	grant := engine.GrantRole{Roles: as, To: bs}
	revoke := engine.RevokeRole{Roles: as, From: bs}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var err error
		if i%2 == 0 {
			err = s.GrantRole(grant)
		} else {
			err = s.RevokeRole(revoke)
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkHubGrant grants a role already granted to 1,000 roles to one
// more, and revokes it: the statement behind fan-outs built one grant at a
// time.
func BenchmarkHubGrant(b *testing.B) {
	eng := newEngine(b)
	require.NoError(b, eng.Load(func(l *engine.Loader) error {
		a, err := l.CreateAccount("acc0", "admin", "pw")
		if err != nil {
			return err
		}
		h, err := l.CreateRole(a, "h")
		if err != nil {
			return err
		}
		if _, err := l.CreateRole(a, "y"); err != nil {
			return err
		}
		for i := range 1000 {
			m, err := l.CreateRole(a, "m"+strconv.Itoa(i))
			if err != nil {
				return err
			}
			if err := l.GrantRole(h, m, engine.PlainGrant); err != nil {
				return err
			}
		}
		return nil
	}))
	benchGrantRevoke(b, connect(b, eng, "acc0:admin", "pw"), "h", "y")
}
