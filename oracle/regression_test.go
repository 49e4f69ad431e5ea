package oracle_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

// Shrunk counterexamples of the state machine where the engine disagreed
// with SPEC, as plain tests. A test for an open bug is skipped with
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

// SPEC §11: a statement is all-or-nothing, and SPEC §7: the failure count
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
