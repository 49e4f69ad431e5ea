package replica_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/pdp-authz/pdp/replica"
	"github.com/stretchr/testify/require"
)

func open(t *testing.T, log replica.Log, opts ...replica.Option) *replica.Replica {
	t.Helper()
	base := []replica.Option{
		replica.WithEngineOptions(engine.WithRootPassword("111"), engine.WithHasher(password.Testing())),
		replica.WithPollInterval(10 * time.Millisecond),
	}
	r, err := replica.Open(context.Background(), log, append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func exec(t *testing.T, s *engine.Session, sql string) error {
	t.Helper()
	sts, err := dcl.Parse(sql)
	require.NoError(t, err, sql)
	for _, st := range sts {
		if _, err := dcl.Exec(s, st); err != nil {
			return err
		}
	}
	return nil
}

func root(t *testing.T, r *replica.Replica) *engine.Session {
	t.Helper()
	s, err := r.Engine().Connect("root", "111")
	require.NoError(t, err)
	return s
}

func waitFor(t *testing.T, r *replica.Replica, rev uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, r.WaitFor(ctx, rev))
}

// state is a replica's whole state as a snapshot file: replicas that
// applied the same records write the same bytes.
func state(t *testing.T, r *replica.Replica) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, r.Engine().Snapshot().WriteFile(&buf))
	return buf.Bytes()
}

func TestReplicasSeeEachOthersWrites(t *testing.T) {
	log := replica.NewMemoryLog()
	a, b := open(t, log), open(t, log)
	require.Equal(t, uint64(0), b.Revision(), "b started from a's record 0")

	require.NoError(t, exec(t, root(t, a), "CREATE ROLE analyst; CREATE DATABASE sales; GRANT SHOW TABLES ON DATABASE sales TO analyst"))
	waitFor(t, b, a.Revision())
	rows, err := root(t, b).ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: "analyst"})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Contains(t, rows[0], "SHOW TABLES")

	require.NoError(t, exec(t, root(t, b), "DROP ROLE analyst"))
	waitFor(t, a, b.Revision())
	require.Equal(t, state(t, a), state(t, b))
}

func TestRacingRoleGrantsNeverMakeACycle(t *testing.T) {
	log := replica.NewMemoryLog()
	a, b := open(t, log), open(t, log)
	for i := range 20 {
		x, y := fmt.Sprintf("x%d", i), fmt.Sprintf("y%d", i)
		require.NoError(t, exec(t, root(t, a), fmt.Sprintf("CREATE ROLE %s, %s", x, y)))
		waitFor(t, b, a.Revision())
		sa, sb := root(t, a), root(t, b)
		var wg sync.WaitGroup
		var errA, errB error
		wg.Go(func() { errA = exec(t, sa, fmt.Sprintf("GRANT %s TO %s", x, y)) })
		wg.Go(func() { errB = exec(t, sb, fmt.Sprintf("GRANT %s TO %s", y, x)) })
		wg.Wait()
		require.False(t, errA == nil && errB == nil, "both grants of a cycle committed")
		require.True(t, errA == nil || errB == nil, "one of the grants commits: %v / %v", errA, errB)
		for _, err := range []error{errA, errB} {
			if err != nil {
				require.ErrorIs(t, err, model.ErrCycle)
			}
		}
	}
	waitFor(t, a, b.Revision())
	waitFor(t, b, a.Revision())
	require.Equal(t, state(t, a), state(t, b))
}

// statements are drawn from small name pools, so that they collide and
// often fail.
func randomStatement(rng *rand.Rand) string {
	role := func() string { return fmt.Sprintf("r%d", rng.IntN(5)) }
	user := func() string { return fmt.Sprintf("u%d", rng.IntN(3)) }
	tbl := func() string { return fmt.Sprintf("d%d.t%d", rng.IntN(2), rng.IntN(2)) }
	privs := []string{"SELECT", "INSERT", "UPDATE", "DELETE"}
	switch rng.IntN(10) {
	case 0:
		return "CREATE ROLE " + role()
	case 1:
		return "DROP ROLE " + role()
	case 2:
		return fmt.Sprintf("GRANT %s TO %s", role(), role())
	case 3:
		return fmt.Sprintf("REVOKE %s FROM %s", role(), role())
	case 4:
		return fmt.Sprintf("CREATE DATABASE d%d", rng.IntN(2))
	case 5:
		return "CREATE TABLE " + tbl()
	case 6:
		return fmt.Sprintf("GRANT %s ON TABLE %s TO %s", privs[rng.IntN(len(privs))], tbl(), role())
	case 7:
		return fmt.Sprintf("REVOKE %s ON TABLE %s FROM %s", privs[rng.IntN(len(privs))], tbl(), role())
	case 8:
		return fmt.Sprintf("CREATE USER %s IDENTIFIED BY 'pw'", user())
	default:
		return fmt.Sprintf("GRANT %s TO %s", role(), user())
	}
}

// show is what every role and user of sys sees granted, as SHOW prints it.
func show(t *testing.T, r *replica.Replica) string {
	t.Helper()
	s := root(t, r)
	var out strings.Builder
	roles, err := s.ShowRoles()
	require.NoError(t, err)
	fmt.Fprintln(&out, roles)
	for i := range 5 {
		rows, err := s.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: fmt.Sprintf("r%d", i)})
		fmt.Fprintln(&out, rows, err)
	}
	for i := range 3 {
		rows, err := s.ShowGrants(engine.ShowGrants{For: engine.ShowUser, Name: fmt.Sprintf("u%d", i)})
		fmt.Fprintln(&out, rows, err)
	}
	return out.String()
}

func TestReplicasConverge(t *testing.T) {
	log := replica.NewMemoryLog()
	rs := []*replica.Replica{open(t, log), open(t, log), open(t, log)}
	var wg sync.WaitGroup
	for w := range 6 {
		rng := rand.New(rand.NewPCG(uint64(w), 7))
		wg.Go(func() {
			for range 60 {
				r := rs[rng.IntN(len(rs))]
				s, err := r.Engine().Connect("root", "111")
				if err != nil {
					t.Error(err)
					return
				}
				err = exec(t, s, randomStatement(rng))
				if errors.Is(err, model.ErrUnavailable) || errors.Is(err, model.ErrStale) || errors.Is(err, model.ErrStorage) {
					t.Errorf("a statement failed for the log's sake: %v", err)
				}
			}
		})
	}
	wg.Wait()
	head, err := log.Head(context.Background())
	require.NoError(t, err)
	require.Greater(t, head, uint64(60), "most statements committed somewhere")
	for _, r := range rs {
		waitFor(t, r, head)
		require.Equal(t, head, r.Revision())
	}
	want := state(t, rs[0])
	for _, r := range rs[1:] {
		require.Equal(t, want, state(t, r), "replicas at one revision hold one state")
		require.Equal(t, show(t, rs[0]), show(t, r))
	}
	// The log has no gap and no revision twice: replaying it on a fresh
	// replica gives the same state.
	late := open(t, log)
	require.Equal(t, head, late.Revision())
	require.Equal(t, want, state(t, late))
}

func TestReplicaThatCannotApplyFailsClosedUntilASnapshotPassesIt(t *testing.T) {
	log := replica.NewMemoryLog()
	a := open(t, log, replica.WithSnapshotEvery(1_000_000, 0))
	b := open(t, log)
	s := root(t, a)
	require.NoError(t, exec(t, s, "CREATE ROLE r1"))
	waitFor(t, b, a.Revision())
	require.NoError(t, b.Close()) // b stops following; then the log is damaged at b's next record
	require.NoError(t, exec(t, s, "CREATE ROLE r2"))
	log.Corrupt(a.Revision(), []byte("not a record"))

	c := open(t, log, replica.WithPollInterval(5*time.Millisecond)) // starts, follows up to the damage
	require.Eventually(t, func() bool { return c.Engine().Stale() != nil }, 5*time.Second, 5*time.Millisecond)
	require.ErrorIs(t, c.Status().Stale, model.ErrStale)
	_, err := c.Engine().Connect("root", "111")
	require.ErrorIs(t, err, model.ErrStale)

	// a writes a snapshot past the damage: c resyncs from it.
	var buf bytes.Buffer
	require.NoError(t, a.Engine().Snapshot().WriteFile(&buf))
	require.NoError(t, log.PutSnapshot(context.Background(), a.Revision(), buf.Bytes()))
	require.Eventually(t, func() bool { return c.Engine().Stale() == nil }, 5*time.Second, 5*time.Millisecond)
	require.Equal(t, state(t, a), state(t, c))
}

func TestLaggingReplicaFailsClosed(t *testing.T) {
	log := replica.NewMemoryLog()
	a := open(t, log)
	gate := &gatedLog{Log: log}
	b := open(t, gate, replica.WithMaxLag(50*time.Millisecond), replica.WithPollInterval(5*time.Millisecond))
	gate.hold(true) // b's watch stops delivering, its head polls go on
	require.NoError(t, exec(t, root(t, a), "CREATE ROLE r1"))
	require.Eventually(t, func() bool { return b.Engine().Stale() != nil }, 5*time.Second, 5*time.Millisecond)
	sess := root(t, a)
	pr := sess.Principal()
	d := b.Engine().Check(pr.User, pr.Role, pr.Secondary, model.PrivCreateRole, model.AccountObject(pr.Account))
	require.Equal(t, engine.ReasonReplicaStale, d.Reason)

	gate.hold(false)
	require.Eventually(t, func() bool { return b.Engine().Stale() == nil }, 5*time.Second, 5*time.Millisecond)
	require.Equal(t, a.Revision(), b.Revision())
	require.True(t, b.Engine().Check(pr.User, pr.Role, pr.Secondary, model.PrivCreateRole, model.AccountObject(pr.Account)).Allowed)
}

func TestLogDownFailsWritesAndKeepsDeciding(t *testing.T) {
	log := replica.NewMemoryLog()
	a := open(t, log, replica.WithMaxLag(20*time.Millisecond))
	s := root(t, a)
	require.NoError(t, exec(t, s, "CREATE ROLE r1"))
	log.SetDown(true)
	err := exec(t, s, "CREATE ROLE r2")
	require.ErrorIs(t, err, model.ErrUnavailable)
	time.Sleep(60 * time.Millisecond) // past the maximum lag: no record is known unapplied, so not stale
	require.NoError(t, a.Engine().Stale())
	pr := s.Principal()
	require.True(t, a.Engine().Check(pr.User, pr.Role, pr.Secondary, model.PrivCreateRole, model.AccountObject(pr.Account)).Allowed)
	rows, err := s.ShowRoles()
	require.NoError(t, err)
	require.NotContains(t, strings.Join(rows, " "), "r2", "nothing half-applied")
	require.WithinDuration(t, time.Now(), a.Status().LastContact, 5*time.Second)

	log.SetDown(false)
	require.NoError(t, exec(t, s, "CREATE ROLE r2"))
	late := open(t, log)
	require.Equal(t, state(t, a), state(t, late))
}

func TestRestartedReplicaCatchesUpFromSnapshotAndLog(t *testing.T) {
	log := replica.NewMemoryLog()
	a := open(t, log, replica.WithSnapshotEvery(5, 2))
	s := root(t, a)
	for i := range 23 {
		require.NoError(t, exec(t, s, fmt.Sprintf("CREATE ROLE r%d", i)))
	}
	require.Eventually(t, func() bool {
		snap, err := log.LatestSnapshot(context.Background())
		return err == nil && snap.Revision >= 10
	}, 5*time.Second, 5*time.Millisecond)
	var compacted error
	for _, err := range log.Read(context.Background(), 1) {
		compacted = err
		break
	}
	require.ErrorIs(t, compacted, replica.ErrCompacted, "old records were compacted away")
	b := open(t, log)
	require.Equal(t, a.Revision(), b.Revision())
	require.Equal(t, state(t, a), state(t, b))
}

// gatedLog holds back the entries its watches deliver while held.
type gatedLog struct {
	replica.Log
	mu   sync.Mutex
	held bool
	wake chan struct{}
}

func (g *gatedLog) hold(on bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held = on
	if g.wake == nil {
		g.wake = make(chan struct{})
	}
	if !on {
		close(g.wake)
		g.wake = make(chan struct{})
	}
}

func (g *gatedLog) wait(ctx context.Context) {
	for {
		g.mu.Lock()
		held, wake := g.held, g.wake
		g.mu.Unlock()
		if !held {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		}
	}
}

func (g *gatedLog) Watch(ctx context.Context, from uint64) iter.Seq2[replica.Entry, error] {
	return func(yield func(replica.Entry, error) bool) {
		for e, err := range g.Log.Watch(ctx, from) {
			g.wait(ctx)
			if !yield(e, err) {
				return
			}
		}
	}
}

func TestOpenRefusesWhatItCanNotStartFrom(t *testing.T) {
	ctx := context.Background()
	down := replica.NewMemoryLog()
	down.SetDown(true)
	_, err := replica.Open(ctx, down, replica.WithEngineOptions(engine.WithRootPassword("111"), engine.WithHasher(password.Testing())))
	require.ErrorIs(t, err, model.ErrUnavailable)

	damaged := replica.NewMemoryLog()
	require.NoError(t, damaged.Append(ctx, 0, []byte("not a record")))
	_, err = replica.Open(ctx, damaged, replica.WithEngineOptions(engine.WithHasher(password.Testing())))
	require.ErrorIs(t, err, model.ErrReplay, "record 0 must be a bootstrap")

	for _, opt := range []replica.Option{replica.WithMaxLag(0), replica.WithPollInterval(-1),
		replica.WithSnapshotEvery(0, 1), replica.WithTimeout(0)} {
		_, err := replica.Open(ctx, replica.NewMemoryLog(), opt)
		require.ErrorIs(t, err, model.ErrInvalidOption)
	}
	_, err = replica.Open(ctx, replica.NewMemoryLog(), replica.WithEngineOptions(engine.WithHasher(password.Testing())))
	require.Error(t, err, "an empty log needs root's password to write record 0")
}
