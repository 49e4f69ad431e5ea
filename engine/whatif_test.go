package engine_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

func createRole(name string) func(*engine.Session) error {
	return func(s *engine.Session) error { return s.CreateRole(engine.CreateRole{Names: []string{name}}) }
}

func roleID(t *testing.T, eng *engine.Engine, name string) model.RoleID {
	t.Helper()
	snap := eng.Snapshot()
	acc, ok := snap.Account("acme")
	require.True(t, ok)
	id, ok := snap.Role(acc, name)
	require.True(t, ok, name)
	return id
}

func TestWhatIfChangesNothing(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"first"}}))
	first := roleID(t, eng, "first")
	before := eng.Snapshot()

	w, err := eng.WhatIf(ann, createRole("ghost"))
	require.NoError(t, err)
	assert.Equal(t, before.Revision(), w.Revision)
	assert.Equal(t, []string{"+ ann DROP ROLE ON ROLE ghost"}, w.Rows())
	assert.Same(t, before, eng.Snapshot(), "WHAT IF published a snapshot")
	_, ok := eng.Snapshot().Role(mustAccount(t, eng), "ghost")
	assert.False(t, ok)

	// The IDs the copy took are given back: the next role gets the next ID.
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"second"}}))
	assert.Equal(t, first+1, roleID(t, eng, "second"))
	assert.Equal(t, before.Revision()+1, eng.Snapshot().Revision())
}

func mustAccount(t *testing.T, eng *engine.Engine) model.AccountID {
	t.Helper()
	acc, ok := eng.Snapshot().Account("acme")
	require.True(t, ok)
	return acc
}

func TestWhatIfLeavesTheSessionAlone(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"other"}}))
	_, err := eng.WhatIf(ann, func(s *engine.Session) error {
		if err := s.UseDatabase("sales"); err != nil {
			return err
		}
		return s.SetRole("public")
	})
	require.NoError(t, err)
	assert.Empty(t, ann.Database())
	assert.Equal(t, model.AccountAdmin, ann.Role())
}

func TestWhatIfRunsOneStatement(t *testing.T) {
	eng, ann := acmeFixture(t)
	_, err := eng.WhatIf(ann, func(s *engine.Session) error {
		if err := createRole("a")(s); err != nil {
			return err
		}
		return createRole("b")(s)
	})
	require.ErrorIs(t, err, model.ErrInvalidOption)

	var never *engine.Session
	_, err = eng.WhatIf(never, createRole("a"))
	require.ErrorIs(t, err, model.ErrNotConnected)

	other := newEngine(t)
	_, err = other.WhatIf(ann, createRole("a"))
	require.ErrorIs(t, err, model.ErrInvalidOption)
}

func TestWhatIfAuthority(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	// The statement's own checks that need no state come first ...
	_, err := eng.WhatIf(bob, createRole("bad*name"))
	require.ErrorIs(t, err, model.ErrInvalidName)
	// ... then MANAGE GRANTS or the admin role ...
	_, err = eng.WhatIf(bob, createRole("x"))
	require.ErrorIs(t, err, model.ErrDenied)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"steward"}}))
	require.NoError(t, ann.GrantPrivilege(grant([]string{"manage grants"}, account, "steward")))
	require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{"steward"}, To: []string{"bob"}}))
	require.NoError(t, bob.SetRole("steward"))
	// ... then the statement's own authority and errors.
	_, err = eng.WhatIf(bob, createRole("x"))
	require.ErrorIs(t, err, model.ErrDenied)
	w, err := eng.WhatIf(bob, func(s *engine.Session) error {
		return s.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst"))
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"+ bob SELECT ON TABLE sales.orders"}, w.Rows())
	_, err = eng.WhatIf(bob, func(s *engine.Session) error {
		return s.GrantPrivilege(grant([]string{"select"}, table("sales", "nope"), "analyst"))
	})
	require.EqualError(t, err, `there is no table "nope" in database "sales"`)
}

func TestWhatIfStopsAfterTheRowLimit(t *testing.T) {
	eng, ann := acmeFixture(t)
	acc := mustAccount(t, eng)
	const tables = 700 // 700 tables × 8 privileges × 2 users > 10,000
	require.NoError(t, eng.Load(func(l *engine.Loader) error {
		d, err := l.CreateDatabase(acc, "big")
		if err != nil {
			return err
		}
		for i := range tables {
			if _, err := l.CreateTable(d, fmt.Sprintf("t%03d", i)); err != nil {
				return err
			}
		}
		u, err := l.CreateUser(acc, "cy", "pw")
		if err != nil {
			return err
		}
		return l.GrantRoleToUser(roleID(t, eng, "analyst"), u, engine.PlainGrant)
	}))
	grantAll := func(s *engine.Session) error {
		return s.GrantPrivilege(grant([]string{"all"}, engine.Target{Kind: model.KindTable, Database: "big", AnyTable: true}, "analyst"))
	}
	w, err := eng.WhatIf(ann, grantAll)
	require.NoError(t, err)
	require.True(t, w.More)
	require.Len(t, w.Changes, engine.WhatIfRows)
	rows := w.Rows()
	assert.Equal(t, "... more", rows[len(rows)-1])
	assert.Equal(t, "+ bob ALL ON TABLE big.t000", rows[0])
	assert.Equal(t, "+ cy ALL ON TABLE big.t000", rows[tables*8])
	for i := 1; i < len(w.Changes); i++ {
		require.Less(t, w.Changes[i-1].Row, w.Changes[i].Row)
	}
}
