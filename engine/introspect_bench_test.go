package engine_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// largeShape is the per-account shape of pdp-bench's large preset (1,000
// users, 200 roles in 8 layers, 100 databases of 100 tables, 10 grants per
// role) in 5 accounts rather than 100: introspection works inside one
// account, so the other accounts only deepen the catalog's indexes.
var largeShape = shape{accounts: 5, users: 1000, roles: 200, depth: 8, dbs: 100, tables: 100, grantsPerRole: 10}

var (
	largeOnce sync.Once
	largeEng  *engine.Engine
	largeQs   []question
)

// largeCatalog builds the large catalog once per test binary, with a role
// "team" held by every user of acc0 and inheriting r100 (a middle layer).
func largeCatalog(b *testing.B) (*engine.Engine, []question) {
	largeOnce.Do(func() {
		largeEng, largeQs = buildShape(b, largeShape, 1<<12)
		snap := largeEng.Snapshot()
		acc, ok := snap.Account("acc0")
		require.True(b, ok)
		mid, ok := snap.Role(acc, "r100")
		require.True(b, ok)
		require.NoError(b, largeEng.Load(func(l *engine.Loader) error {
			team, err := l.CreateRole(acc, "team")
			if err != nil {
				return err
			}
			if err := l.GrantRole(mid, team, engine.PlainGrant); err != nil {
				return err
			}
			for u := range largeShape.users {
				id, ok := snap.User(acc, fmt.Sprintf("u%d", u))
				require.True(b, ok)
				if err := l.GrantRoleToUser(team, id, engine.PlainGrant); err != nil {
					return err
				}
			}
			return nil
		}))
	})
	if largeEng == nil {
		b.Skip("the large catalog failed to build")
	}
	return largeEng, largeQs
}

// percentiles reports the p50 and p99 of the durations.
func percentiles(b *testing.B, d []time.Duration, unit string) {
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "p50-ns/"+unit)
	b.ReportMetric(float64(d[len(d)*99/100].Nanoseconds()), "p99-ns/"+unit)
}

// BenchmarkWhoCan asks who holds a table privilege (SHOW USERS WITH), for
// random tables and privileges of the large catalog.
func BenchmarkWhoCan(b *testing.B) {
	eng, all := largeCatalog(b)
	qs := slices.DeleteFunc(slices.Clone(all), func(q question) bool { return q.obj.Kind != model.KindTable })
	snap := eng.Snapshot()
	for _, q := range qs { // build the account indexes
		snap.WhoCan(q.priv, q.obj)
	}
	var d []time.Duration
	users := 0
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := &qs[i%len(qs)]
		start := time.Now()
		h := snap.WhoCan(q.priv, q.obj)
		d = append(d, time.Since(start))
		users += len(h.Users)
		i++
	}
	b.ReportMetric(float64(users)/float64(i), "users/op")
	percentiles(b, d, "op")
}

// BenchmarkPrivileges lists a principal's privileges on a table (SHOW
// PRIVILEGES).
func BenchmarkPrivileges(b *testing.B) {
	eng, qs := largeCatalog(b)
	snap := eng.Snapshot()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := &qs[i%len(qs)]
		snap.Privileges(q.user, q.role, q.sec, q.obj)
		i++
	}
}

// BenchmarkObjects lists the tables on which a principal may SELECT
// (OpenFGA's ListObjects); ns/object is the time per object returned.
func BenchmarkObjects(b *testing.B) {
	eng, qs := largeCatalog(b)
	snap := eng.Snapshot()
	for _, q := range qs[:64] {
		for range snap.Objects(q.user, q.role, engine.SecondaryAll, model.PrivSelect, model.KindTable) {
		}
	}
	objects := 0
	b.ReportAllocs()
	i := 0
	start := time.Now()
	for b.Loop() {
		q := &qs[i%len(qs)]
		for range snap.Objects(q.user, q.role, engine.SecondaryAll, model.PrivSelect, model.KindTable) {
			objects++
		}
		i++
	}
	b.ReportMetric(float64(objects)/float64(i), "objects/op")
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(max(objects, 1)), "ns/object")
}

// BenchmarkWhatIfRoleRevoke asks WHAT IF of revoking r100 from team, a
// role held by all 1,000 users of the account: the diff is computed on a
// private copy and cut at 10,000 rows.
func BenchmarkWhatIfRoleRevoke(b *testing.B) {
	eng, _ := largeCatalog(b)
	admin, err := eng.Connect("acc0:admin", "pw")
	require.NoError(b, err)
	revoke := func(s *engine.Session) error {
		return s.RevokeRole(engine.RevokeRole{Roles: []string{"r100"}, From: []string{"team"}})
	}
	w, err := eng.WhatIf(admin, revoke)
	require.NoError(b, err)
	users := map[model.UserID]bool{}
	for _, c := range w.Changes {
		users[c.User] = true
	}
	b.ReportMetric(float64(len(w.Changes)), "rows")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eng.WhatIf(admin, revoke); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIntrospectionIndex measures the first introspection question
// about an account on a new snapshot, which builds the account's index
// (1,000 users, 200 roles, 10,000 tables): it follows every commit that
// touches the account's roles, role grants, users or objects; a commit that
// only grants or revokes privileges keeps the index.
func BenchmarkIntrospectionIndex(b *testing.B) {
	eng, _ := largeCatalog(b)
	admin, err := eng.Connect("acc0:admin", "pw")
	require.NoError(b, err)
	snap := eng.Snapshot()
	acc, _ := snap.Account("acc0")
	db, _ := snap.Database(acc, "db0")
	tbl, _ := snap.Table(db, "t0")
	role := engine.CreateRole{Names: []string{"extra"}}
	drop := engine.DropRole{Names: []string{"extra"}}
	for b.Loop() {
		b.StopTimer()
		require.NoError(b, admin.CreateRole(role))
		snap := eng.Snapshot()
		b.StartTimer()
		snap.WhoCan(model.PrivSelect, model.TableObject(tbl))
		b.StopTimer()
		require.NoError(b, admin.DropRole(drop))
		b.StartTimer()
	}
}
