package engine_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/pdp-authz/pdp/record"
)

// snapshotOf returns eng's snapshot file.
func snapshotOf(t *testing.T, eng *engine.Engine) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, eng.WriteSnapshot(&buf))
	return buf.Bytes()
}

// restore returns an engine restored from eng's snapshot file.
func restore(t *testing.T, eng *engine.Engine) *engine.Engine {
	t.Helper()
	r, err := engine.Restore(bytes.NewReader(snapshotOf(t, eng)), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	return r
}

// showAll returns what SHOW GRANTS prints for every role and user of the
// session's account, and its SHOW ROLES and SHOW USERS.
func showAll(t *testing.T, s *engine.Session) []string {
	t.Helper()
	roles, err := s.ShowRoles()
	require.NoError(t, err)
	users, err := s.ShowUsers()
	require.NoError(t, err)
	out := append(append([]string{}, roles...), users...)
	for _, r := range roles {
		rows, err := s.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: r})
		require.NoError(t, err)
		out = append(out, rows...)
	}
	for _, u := range users {
		rows, err := s.ShowGrants(engine.ShowGrants{For: engine.ShowUser, Name: u})
		require.NoError(t, err)
		out = append(out, rows...)
	}
	return out
}

func TestSnapshotRestoresTheState(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst")))
	require.NoError(t, ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserLock}}}))
	restored := restore(t, eng)
	assert.Equal(t, eng.Snapshot().Revision(), restored.Snapshot().Revision())
	assert.Equal(t, snapshotOf(t, eng), snapshotOf(t, restored), "the same state writes the same file")

	ann2 := connect(t, restored, "acme:ann", "pw")
	assert.Equal(t, showAll(t, ann), showAll(t, ann2))
	acme, _ := eng.Snapshot().Account("acme")
	bob, _ := eng.Snapshot().User(acme, "bob")
	analyst, _ := eng.Snapshot().Role(acme, "analyst")
	sales, _ := eng.Snapshot().Database(acme, "sales")
	orders, _ := eng.Snapshot().Table(sales, "orders")
	for _, p := range []model.Privilege{model.PrivSelect, model.PrivInsert} {
		on := model.Object{Kind: model.KindTable, ID: uint32(orders)}
		assert.Equal(t, eng.Check(bob, analyst, engine.SecondaryNone, p, on), restored.Check(bob, analyst, engine.SecondaryNone, p, on))
	}

	// IDs go on where they stopped: the next role gets the same ID on both.
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"next"}}))
	require.NoError(t, ann2.CreateRole(engine.CreateRole{Names: []string{"next"}}))
	a, _ := eng.Snapshot().Role(acme, "next")
	b, _ := restored.Snapshot().Role(acme, "next")
	assert.Equal(t, a, b)
}

func TestRestoreRefusesBrokenFiles(t *testing.T) {
	eng, _ := acmeFixture(t)
	good := snapshotOf(t, eng)
	futureFile := bytes.Clone(good)
	futureFile[8] = 2
	futureRecord := bytes.Clone(good)
	futureRecord[10] = record.Version + 1
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"not a snapshot", []byte("hello, world, this is text"), "not a snapshot file"},
		{"a future file version", futureFile, "snapshot format version 2 (this build reads version 1)"},
		{"a future record version", futureRecord, "unknown record format version"},
		{"damaged", flipped, "corrupt record"},
		{"data after the end", append(bytes.Clone(good), 0), "data after the last record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := engine.Restore(bytes.NewReader(tt.file), engine.WithHasher(password.Testing()))
			require.ErrorIs(t, err, model.ErrReplay)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestRestoreRefusesEveryTruncation(t *testing.T) {
	eng, _ := acmeFixture(t)
	good := snapshotOf(t, eng)
	for n := range len(good) {
		_, err := engine.Restore(bytes.NewReader(good[:n]), engine.WithHasher(password.Testing()))
		require.ErrorIs(t, err, model.ErrReplay, "cut at %d of %d", n, len(good))
		require.Contains(t, err.Error(), "truncated", "cut at %d of %d", n, len(good))
	}
}

func TestRestoreRefusesHashesTheHasherRefuses(t *testing.T) {
	eng, _ := acmeFixture(t) // test hashes
	_, err := engine.Restore(bytes.NewReader(snapshotOf(t, eng)))
	require.ErrorIs(t, err, model.ErrReplay)
	assert.Contains(t, err.Error(), "is refused by the engine's hasher")
}
