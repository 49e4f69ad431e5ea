package engine_test

import (
	"errors"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoaderValidatesAndIsAtomic(t *testing.T) {
	eng := newEngine(t)
	rev := eng.Snapshot().Revision()
	stop := errors.New("stop")
	err := eng.Load(func(l *engine.Loader) error {
		a, err := l.CreateAccount("acme", "ann", "pw")
		require.NoError(t, err)
		b, err := l.CreateAccount("other", "oz", "pw")
		require.NoError(t, err)
		_, err = l.CreateAccount("ACME", "x", "pw")
		assert.ErrorIs(t, err, model.ErrExists)
		_, err = l.CreateAccount("bad name", "x", "pw")
		assert.ErrorIs(t, err, model.ErrInvalidName)
		_, err = l.CreateUser(a, "u", "")
		assert.ErrorIs(t, err, model.ErrPassword)

		r1, err := l.CreateRole(a, "r1")
		require.NoError(t, err)
		r2, err := l.CreateRole(a, "r2")
		require.NoError(t, err)
		rb, err := l.CreateRole(b, "rb")
		require.NoError(t, err)
		db, err := l.CreateDatabase(a, "d")
		require.NoError(t, err)
		dbB, err := l.CreateDatabase(b, "d")
		require.NoError(t, err)

		assert.ErrorIs(t, l.GrantPrivilege(r1, model.PrivSelect, engine.Level{Kind: model.LevelDatabase, Database: db}, engine.PlainGrant),
			model.ErrInvalidPrivilege, "wrong level")
		assert.ErrorIs(t, l.GrantPrivilege(r1, model.PrivCreateTable, engine.Level{Kind: model.LevelDatabase, Database: dbB}, engine.PlainGrant),
			model.ErrNotFound, "a database of another account")
		require.NoError(t, l.GrantRole(r1, r2, engine.PlainGrant))
		assert.ErrorIs(t, l.GrantRole(r2, r1, engine.PlainGrant), model.ErrCycle)
		assert.ErrorIs(t, l.GrantRole(rb, r1, engine.PlainGrant), model.ErrNotFound, "roles of two accounts")
		return stop
	})
	require.ErrorIs(t, err, stop)
	assert.Equal(t, rev, eng.Snapshot().Revision(), "a failed load publishes nothing")
	_, ok := eng.Snapshot().Account("acme")
	assert.False(t, ok, "a failed load commits nothing")
}
