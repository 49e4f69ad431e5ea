package engine_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChecksRaceWithWriter runs readers that keep checking while a writer
// grants, revokes and drops. Under -race it proves the read path shares no
// mutable state with the writer; the assertions prove readers only see
// whole commits: the table is either missing, ungranted or granted.
func TestChecksRaceWithWriter(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	p := bob.Principal()
	var stop atomic.Bool
	var torn atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				snap := eng.Snapshot()
				db, ok := snap.Database(p.Account, "sales")
				if !ok {
					continue
				}
				tbl, ok := snap.Table(db, "hot")
				d := snap.Check(p.User, p.Role, p.Secondary, model.PrivSelect, model.TableObject(tbl))
				switch {
				case ok && d.Reason != engine.ReasonGrant && d.Reason != engine.ReasonNoGrant,
					!ok && d.Reason != engine.ReasonNoSuchObject:
					torn.Add(1)
				}
			}
		}()
	}
	for i := range 200 {
		require.NoError(t, ann.CreateTable(engine.CreateTable{Database: "sales", Name: "hot"}))
		require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "hot"), "analyst")))
		require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{fmt.Sprintf("tmp%d", i)}}))
		require.NoError(t, ann.GrantRole(engine.GrantRole{Roles: []string{fmt.Sprintf("tmp%d", i)}, To: []string{"analyst"}}))
		require.NoError(t, ann.DropTable(engine.DropTable{Database: "sales", Name: "hot"}))
		require.NoError(t, ann.DropRole(engine.DropRole{Names: []string{fmt.Sprintf("tmp%d", i)}}))
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, torn.Load())
}

// TestExplainRacesWithWriter explains while a writer grants and revokes the
// one grant that allows the decision. Every commit toggles it, so the
// revision an explanation carries says what the answer must be; an allow
// must name the granting role. Mixing snapshots breaks both.
func TestExplainRacesWithWriter(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	p := bob.Principal()
	orders := table("sales", "orders")
	snap := eng.Snapshot()
	db, _ := snap.Database(p.Account, "sales")
	tbl, _ := snap.Table(db, "orders")
	base := snap.Revision()
	var stop atomic.Bool
	var bad atomic.Int64
	var wg sync.WaitGroup
	check := func(x engine.Explanation) {
		granted := (x.Revision-base)%2 == 1
		viaOK := x.Decision.Allowed == (x.Via == "analyst") && x.Decision.Allowed == (len(x.Path) > 0)
		if x.Decision.Allowed != granted || !viaOK {
			bad.Add(1)
		}
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				check(bob.Explain(model.PrivSelect, orders))
				check(eng.Snapshot().Explain(p.User, p.Role, p.Secondary, model.PrivSelect, model.TableObject(tbl)))
			}
		}()
	}
	for range 150 {
		require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, orders, "analyst")))
		require.NoError(t, ann.RevokePrivilege(engine.RevokePrivilege{Privileges: []string{"select"}, On: orders, From: []string{"analyst"}}))
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, bad.Load())
}

// TestIntrospectionRacesWithWriter asks WhoCan, Objects, Privileges and
// WHAT IF from several goroutines, on shared snapshots, while a writer
// commits: under -race it proves the lazily built introspection indexes
// are safe to share; the assertions prove every answer is of one commit.
func TestIntrospectionRacesWithWriter(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	p := bob.Principal()
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, engine.Target{Kind: model.KindTable, Database: "sales", AnyTable: true}, "analyst")))
	var stop atomic.Bool
	var bad atomic.Int64
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				snap := eng.Snapshot()
				db, _ := snap.Database(p.Account, "sales")
				tables := 0
				for obj := range snap.Objects(p.User, p.Role, p.Secondary, model.PrivSelect, model.KindTable) {
					tables++
					if !snap.Check(p.User, p.Role, p.Secondary, model.PrivSelect, obj).Allowed {
						bad.Add(1)
					}
				}
				if _, hot := snap.Table(db, "hot"); hot != (tables == 2) {
					bad.Add(1)
				}
				orders, _ := snap.Table(db, "orders")
				h := snap.WhoCan(model.PrivSelect, model.TableObject(orders))
				if len(h.Users) != 2 || snap.Privileges(p.User, p.Role, p.Secondary, model.TableObject(orders)) != model.PrivSelect.Bit() {
					bad.Add(1)
				}
				if g == 0 {
					if _, err := eng.WhatIf(ann, func(s *engine.Session) error {
						return s.RevokeRole(engine.RevokeRole{Roles: []string{"analyst"}, From: []string{"bob"}})
					}); err != nil {
						bad.Add(1)
					}
				}
			}
		}()
	}
	for i := range 100 {
		require.NoError(t, ann.CreateTable(engine.CreateTable{Database: "sales", Name: "hot"}))
		require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{fmt.Sprintf("tmp%d", i)}}))
		require.NoError(t, ann.DropTable(engine.DropTable{Database: "sales", Name: "hot"}))
		require.NoError(t, ann.DropRole(engine.DropRole{Names: []string{fmt.Sprintf("tmp%d", i)}}))
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, bad.Load())
}
