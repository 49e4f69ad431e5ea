package engine_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// collect returns the next n records of eng's change feed from revision from.
func collect(t *testing.T, eng *engine.Engine, from uint64, n int) []record.Record {
	t.Helper()
	var out []record.Record
	if n == 0 {
		return out
	}
	for rec, err := range eng.Changes(context.Background(), from) {
		require.NoError(t, err)
		out = append(out, rec)
		if len(out) == n {
			break
		}
	}
	return out
}

func TestEveryCommitIsOneRecord(t *testing.T) {
	eng, ann := acmeFixture(t)
	recs := collect(t, eng, 0, int(eng.Snapshot().Revision())+1)
	for i, rec := range recs {
		assert.Equal(t, uint64(i), rec.Revision)
	}
	assert.Equal(t, "BOOTSTRAP", recs[0].Statement)
	rev := eng.Snapshot().Revision()
	require.Error(t, ann.CreateRole(engine.CreateRole{Names: []string{"analyst"}}))
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"Clerk"}}))
	rec := collect(t, eng, rev+1, 1)[0]
	assert.Equal(t, rev+1, rec.Revision, "a failed statement makes no record")
	assert.Equal(t, "CREATE ROLE clerk", rec.Statement)
	var roles []string
	var ids *catalog.IDCounters
	for _, op := range rec.Ops {
		switch r := op.Rec.(type) {
		case *catalog.Role:
			roles = append(roles, r.Name)
		case *catalog.IDCounters:
			ids = r
		}
	}
	assert.Equal(t, []string{"clerk"}, roles)
	require.NotNil(t, ids, "a record that took an ID carries the ID counters")
	clerk, ok := eng.Snapshot().Role(ann.Principal().Account, "clerk")
	require.True(t, ok)
	assert.Equal(t, uint32(clerk), ids.Role)
}

func TestCanonicalStatements(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.UseDatabase("sales"))
	tests := []struct {
		run  func(s *engine.Session) error
		want string
	}{
		{func(s *engine.Session) error {
			return s.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select", "insert"}, On: table("", "ORDERS"), To: []string{"Analyst"}, Option: engine.GrantWithOption})
		}, "GRANT SELECT, INSERT ON TABLE sales.orders TO analyst WITH GRANT OPTION"},
		{func(s *engine.Session) error {
			return s.RevokePrivilege(engine.RevokePrivilege{Privileges: []string{"all  privileges"}, On: engine.Target{Kind: model.KindTable, AnyTable: true}, From: []string{"analyst"}, IfExists: true})
		}, "REVOKE IF EXISTS ALL PRIVILEGES ON TABLE sales.* FROM analyst"},
		{func(s *engine.Session) error {
			return s.GrantRole(engine.GrantRole{Roles: []string{"ANALYST"}, To: []string{"Bob"}})
		}, "GRANT analyst TO bob"},
		{func(s *engine.Session) error {
			return s.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserLock}}})
		}, "ALTER USER bob LOCK"},
		{func(s *engine.Session) error {
			return s.GrantOwnership(engine.GrantOwnership{On: table("sales", "orders"), To: "analyst"})
		}, "GRANT OWNERSHIP ON TABLE sales.orders TO analyst"},
		{func(s *engine.Session) error {
			return s.CreateTable(engine.CreateTable{Name: "Lines", Columns: "id int"})
		}, "CREATE TABLE sales.lines (id int)"},
	}
	for _, tt := range tests {
		rev := eng.Snapshot().Revision()
		require.NoError(t, tt.run(ann))
		assert.Equal(t, tt.want, collect(t, eng, rev+1, 1)[0].Statement)
	}
}

func TestCanonicalStatementsShowHashesOnly(t *testing.T) {
	eng, ann := acmeFixture(t)
	rev := eng.Snapshot().Revision()
	require.NoError(t, ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "Carl", Password: "s3cret-pw"}}}))
	rec := collect(t, eng, rev+1, 1)[0]
	acme, _ := eng.Snapshot().Account("acme")
	var hash string
	for _, op := range rec.Ops {
		if u, ok := op.Rec.(*catalog.User); ok {
			hash = u.Hash
		}
	}
	require.NotEmpty(t, hash)
	assert.Equal(t, "CREATE USER carl IDENTIFIED BY PASSWORD '"+hash+"'", rec.Statement)
	assert.NotContains(t, rec.Statement, "s3cret-pw")
	_, ok := eng.Snapshot().User(acme, "carl")
	assert.True(t, ok)
}

func TestChangeFeedSubscribers(t *testing.T) {
	eng, ann := acmeFixture(t)
	start := eng.Snapshot().Revision() + 1
	const n = 20
	var wg sync.WaitGroup
	got := make([][]uint64, 3)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rec, err := range eng.Changes(context.Background(), start) {
				if err != nil {
					t.Error(err)
					return
				}
				got[i] = append(got[i], rec.Revision)
				if len(got[i]) == n {
					return
				}
			}
		}()
	}
	for i := range n {
		require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"r" + string(rune('a'+i))}}))
	}
	wg.Wait()
	for _, revs := range got {
		require.Len(t, revs, n)
		for i, r := range revs {
			assert.Equal(t, start+uint64(i), r, "in order, without gaps")
		}
	}
}

func TestChangeFeedEndsWithItsContext(t *testing.T) {
	eng := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errs []error
	n := 0
	for _, err := range eng.Changes(ctx, 0) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
		cancel()
	}
	assert.Equal(t, 1, n, "the bootstrap")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

func TestChangeFeedTooFarBehindMustResync(t *testing.T) {
	eng := newEngine(t, engine.WithFeedSize(3))
	root := connect(t, eng, "root", "111")
	for _, r := range []string{"a", "b", "c", "d", "e"} {
		require.NoError(t, root.CreateRole(engine.CreateRole{Names: []string{r}}))
	}
	for _, err := range eng.Changes(context.Background(), 1) {
		require.ErrorIs(t, err, model.ErrResync)
		assert.Contains(t, err.Error(), "no longer holds revision 1 (it holds 3 to 5)")
		break
	}
	recs := collect(t, eng, 3, 3)
	assert.Equal(t, uint64(5), recs[2].Revision)
}

func TestChangeFeedOfARestoredEngineStartsAfterItsSnapshot(t *testing.T) {
	eng, _ := acmeFixture(t)
	restored := restore(t, eng)
	rev := restored.Snapshot().Revision()
	for _, err := range restored.Changes(context.Background(), rev) {
		require.ErrorIs(t, err, model.ErrResync)
		break
	}
}
