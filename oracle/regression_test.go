package oracle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/oracle"
	"github.com/pdp-authz/pdp/password"
)

// Shrunk counterexamples of the state machine where the engine disagreed
// with the reference, as plain tests. A test for an open bug is skipped with
// t.Skip("engine bug: ..."); a fixed one stays as a regression test.

func regressionEngine(t *testing.T) (*engine.Engine, *engine.Session) {
	t.Helper()
	eng, err := engine.New(engine.WithRootPassword(rootPassword), engine.WithHasher(password.Testing()),
		engine.WithLockout(threshold, lockFor))
	require.NoError(t, err)
	root, err := eng.Connect("root", rootPassword)
	require.NoError(t, err)
	return eng, root
}

// reference §11: a statement is all-or-nothing, and reference §7: the failure count
// of an unknown name is cleared when a user of that name is created. A
// CREATE USER that fails on a later name still clears the count of the
// earlier one, which was never created. (Found by the state machine; fixed
// in the engine.)
func TestRegressionFailedCreateUserKeepsUnknownFailures(t *testing.T) {
	eng, root := regressionEngine(t)
	for range threshold - 1 {
		_, err := eng.Connect("u2", "wrong")
		require.ErrorIs(t, err, model.ErrAuth)
	}
	require.NoError(t, root.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "u1", Password: "pw1"}}}))
	err := root.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "u2", Password: "pw1"}, {Name: "u1", Password: "pw1"}}})
	require.ErrorIs(t, err, model.ErrExists, "u2 was not created")
	_, err = eng.Connect("u2", "wrong")
	require.ErrorIs(t, err, model.ErrAuth, "the third failure locks the name")
	_, err = eng.Connect("u2", "wrong")
	assert.ErrorIs(t, err, model.ErrLocked, "u2 is locked after three failures in a row")
}

// reference §7: automatic locks expire on the engine's clock, logins commit
// nothing, and root is never locked automatically. The engine and the
// oracle run the same logins on one clock and must agree at every step.
func TestRegressionLockExpiryAgreesWithTheOracle(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	delays := 0
	eng, err := engine.New(engine.WithRootPassword(rootPassword), engine.WithHasher(password.Testing()),
		engine.WithLockout(threshold, lockFor), engine.WithClock(clock), engine.WithSleep(func(time.Duration) { delays++ }))
	require.NoError(t, err)
	orc := oracle.New(rootPassword, threshold, lockFor, clock)
	root, err := eng.Connect("root", rootPassword)
	require.NoError(t, err)
	require.NoError(t, root.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "u1", Password: "pw1"}}}))
	oroot, err := orc.Connect("root", rootPassword)
	require.NoError(t, err)
	require.NoError(t, oroot.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "u1", Password: "pw1"}}}))

	steps := []struct {
		wait     time.Duration
		login    string
		pw       string
		wantKind error
	}{
		{0, "u1", "wrong", model.ErrAuth},
		{0, "u1", "wrong", model.ErrAuth},
		{0, "u1", "wrong", model.ErrAuth}, // the threshold-th locks
		{0, "u1", "pw1", model.ErrLocked},
		{lockFor - time.Nanosecond, "u1", "pw1", model.ErrLocked},
		{time.Nanosecond, "u1", "wrong", model.ErrAuth}, // expired: a fresh count
		{0, "u1", "wrong", model.ErrAuth},
		{0, "u1", "pw1", nil},
		{0, "ghost", "x", model.ErrAuth},
		{0, "ghost", "x", model.ErrAuth},
		{0, "ghost", "x", model.ErrAuth},
		{0, "ghost", "x", model.ErrLocked},
		{lockFor, "ghost", "x", model.ErrAuth},
		{0, "root", "wrong", model.ErrAuth},
		{0, "root", "wrong", model.ErrAuth},
		{0, "root", "wrong", model.ErrAuth},
		{0, "root", "wrong", model.ErrAuth}, // past the threshold: delayed
		{0, "root", rootPassword, nil},
	}
	rev := eng.Snapshot().Revision()
	for i, st := range steps {
		now = now.Add(st.wait)
		_, errE := eng.Connect(st.login, st.pw)
		_, errO := orc.Connect(st.login, st.pw)
		if st.wantKind == nil {
			require.NoError(t, errE, "step %d", i)
			require.NoError(t, errO, "step %d", i)
			continue
		}
		require.ErrorIs(t, errE, st.wantKind, "step %d: engine", i)
		require.ErrorIs(t, errO, st.wantKind, "step %d: oracle", i)
		require.Equal(t, errE.Error(), errO.Error(), "step %d", i)
	}
	assert.Equal(t, rev, eng.Snapshot().Revision(), "logins commit nothing")
	assert.Equal(t, orc.Rev, eng.Snapshot().Revision())
	assert.Equal(t, 1, delays)
	assert.Equal(t, 1, orc.Delays)
}
