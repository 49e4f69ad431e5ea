package oracle_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/oracle"
)

// named is a decision question by names, resolved in whatever state it is
// asked of: a missing name denies.
type named struct {
	account, user, role string
	sec                 bool
	p                   model.Privilege
	kind                model.Kind
	db, name            string // the object: DATABASE db, TABLE db.name, ROLE name, USER name
}

func (q named) String() string {
	return fmt.Sprintf("%s:%s as %s (secondary %v): %s on %v %s %s", q.account, q.user, q.role, q.sec, q.p, q.kind, q.db, q.name)
}

// namedQuestions is the fixed question set the readers keep asking.
var namedQuestions = func() []named {
	rng := rand.New(rand.NewPCG(7, 7))
	from := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	privs := []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivCreateTable, model.PrivDropTable,
		model.PrivDropRole, model.PrivConnect, model.PrivCreateRole, model.PrivDropUser, model.PrivShowTables}
	var qs []named
	for range 48 {
		q := named{account: from(model.SysAccount, "a1"), user: from("root", "adm", "u1", "u2"),
			role: from(model.MoAdmin, model.AccountAdmin, model.Public, "r1", "r2"), sec: rng.IntN(2) == 0,
			p: privs[rng.IntN(len(privs))]}
		switch rng.IntN(5) {
		case 0:
			q.kind = model.KindAccount
		case 1:
			q.kind, q.db = model.KindDatabase, from("d1", "d2")
		case 2, 3:
			q.kind, q.db, q.name = model.KindTable, from("d1", "d2"), from("t1", "t2")
		case 4:
			q.kind, q.name = model.KindRole, from("r1", "r2")
		}
		qs = append(qs, q)
	}
	return qs
}()

// resolve returns the engine's IDs for q in snap.
func resolve(snap *engine.Snapshot, q named) (u model.UserID, r model.RoleID, obj model.Object, ok bool) {
	a, ok1 := snap.Account(q.account)
	u, ok2 := snap.User(a, q.user)
	r, ok3 := snap.Role(a, q.role)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, obj, false
	}
	switch q.kind {
	case model.KindAccount:
		return u, r, model.AccountObject(a), true
	case model.KindDatabase:
		d, ok := snap.Database(a, q.db)
		return u, r, model.DatabaseObject(d), ok
	case model.KindTable:
		d, ok := snap.Database(a, q.db)
		if !ok {
			return u, r, obj, false
		}
		tb, ok := snap.Table(d, q.name)
		return u, r, model.TableObject(tb), ok
	case model.KindRole:
		x, ok := snap.Role(a, q.name)
		return u, r, model.RoleObject(x), ok
	}
	return u, r, obj, false
}

func secondary(b bool) engine.Secondary {
	if b {
		return engine.SecondaryAll
	}
	return engine.SecondaryNone
}

// askEngineNamed answers q on one snapshot.
func askEngineNamed(snap *engine.Snapshot, q named) bool {
	u, r, obj, ok := resolve(snap, q)
	return ok && snap.Check(u, r, secondary(q.sec), q.p, obj).Allowed
}

// askOracleNamed answers q on the oracle's current state.
func askOracleNamed(s *oracle.State, q named) bool {
	a := s.AccountByName(q.account)
	if a == nil {
		return false
	}
	u, r := s.UserByName(a.ID, q.user), s.RoleByName(a.ID, q.role)
	if u == nil || r == nil {
		return false
	}
	obj := oracle.Object{Kind: q.kind}
	switch q.kind {
	case model.KindAccount:
		obj.ID = a.ID
	case model.KindDatabase:
		if d := s.DatabaseByName(a.ID, q.db); d != nil {
			obj.ID = d.ID
		}
	case model.KindTable:
		if d := s.DatabaseByName(a.ID, q.db); d != nil {
			if tb := s.TableByName(d.ID, q.name); tb != nil {
				obj.ID = tb.ID
			}
		}
	case model.KindRole:
		if x := s.RoleByName(a.ID, q.name); x != nil {
			obj.ID = x.ID
		}
	}
	return obj.ID != 0 && s.Check(u.ID, r.ID, q.sec, q.p, obj)
}

// history is what the writer committed: per revision, the oracle's answers
// to the question set and the engine's snapshot.
type history struct {
	answers map[uint64][]bool
	snaps   map[uint64]*engine.Snapshot
}

func (h *history) record(m *machine) {
	snap := m.eng.Snapshot()
	if _, ok := h.answers[snap.Revision()]; ok {
		return
	}
	ans := make([]bool, len(namedQuestions))
	for i, q := range namedQuestions {
		ans[i] = askOracleNamed(m.orc.State, q)
	}
	h.answers[snap.Revision()], h.snaps[snap.Revision()] = ans, snap
}

// seen is one reader observation: question i answered ans at revision rev
// (a snapshot), or, through Engine.Check, somewhere between revisions from
// and to.
type seen struct {
	i        int
	ans      bool
	rev      uint64
	from, to uint64
	byEngine bool
	user     model.UserID
	role     model.RoleID
	obj      model.Object
}

// The concurrent property runs a quarter of rapid's checks; once it has
// failed, every run (shrinking ones) goes on.
var concurrentRuns atomic.Int64
var concurrentFailed atomic.Bool

// TestConcurrentReadersProperty runs the state machine's random actions as a
// writer while readers keep deciding a fixed question set, both on held
// snapshots and through Engine.Check. Every answer a reader saw must be the
// oracle's answer at the revision it read (for a snapshot), or the answer
// of some revision committed while the call ran (for Engine.Check).
func TestConcurrentReadersProperty(t *testing.T) {
	checks, _ := strconv.Atoi(flag.Lookup("rapid.checks").Value.String())
	limit := int64(max(checks/4, 5))
	rapid.Check(t, func(t *rapid.T) {
		if !concurrentFailed.Load() && concurrentRuns.Load() >= limit {
			return
		}
		concurrentFailed.Store(true) // until this run passes
		m := newMachine(t)
		h := &history{answers: map[uint64][]bool{}, snaps: map[uint64]*engine.Snapshot{}}
		h.record(m)
		m.after = func() { h.record(m) }

		const readers = 2
		var stop atomic.Bool
		var wg sync.WaitGroup
		seens := make([][]seen, readers)
		for w := range readers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(w), 1))
				for !stop.Load() && len(seens[w]) < 50_000 {
					i := rng.IntN(len(namedQuestions))
					q := namedQuestions[i]
					if rng.IntN(2) == 0 {
						snap := m.eng.Snapshot()
						seens[w] = append(seens[w], seen{i: i, rev: snap.Revision(), ans: askEngineNamed(snap, q)})
						continue
					}
					from := m.eng.Snapshot()
					u, r, obj, ok := resolve(from, q)
					if !ok {
						continue
					}
					d := m.eng.Check(u, r, secondary(q.sec), q.p, obj)
					to := m.eng.Snapshot().Revision()
					seens[w] = append(seens[w], seen{i: i, ans: d.Allowed, from: from.Revision(), to: to,
						byEngine: true, user: u, role: r, obj: obj})
				}
			})
		}
		actions := rapid.StateMachineActions(m)
		actions[""] = func(t *rapid.T) { m.lastDump = m.engineDump(t) }
		t.Repeat(actions)
		stop.Store(true)
		wg.Wait()

		n := 0
		for _, ss := range seens {
			for _, s := range ss {
				q := namedQuestions[s.i]
				n++
				if !s.byEngine {
					want, ok := h.answers[s.rev]
					require.True(t, ok, "a reader saw revision %d, which the writer never committed", s.rev)
					if s.ans != want[s.i] {
						t.Fatalf("revision %d: %s: the snapshot said %v, the oracle %v", s.rev, q, s.ans, want[s.i])
					}
					continue
				}
				consistent := false
				for rev := s.from; rev <= s.to && !consistent; rev++ {
					if snap := h.snaps[rev]; snap != nil {
						consistent = snap.Check(s.user, s.role, secondary(q.sec), q.p, s.obj).Allowed == s.ans
					}
				}
				if !consistent {
					t.Fatalf("Engine.Check between revisions %d and %d: %s answered %v, which no revision in between gives", s.from, s.to, q, s.ans)
				}
			}
		}
		t.Logf("%d observations over %d revisions", n, len(h.answers))
		concurrentRuns.Add(1)
		concurrentFailed.Store(false)
	})
}
