package etcdlog_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/etcdlog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/pdp-authz/pdp/record"
	"github.com/pdp-authz/pdp/replica"
)

// Replicas of one state kept in step through an etcd log (reference §20).

const rootPassword = "111"

// openReplica opens a replica of the log under px through cli, closed when
// the test ends (before cli, which the caller made first).
func openReplica(tb testing.TB, cli *clientv3.Client, px string, opts ...replica.Option) *replica.Replica {
	tb.Helper()
	r, err := tryOpenReplica(cli, px, opts...)
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = r.Close() })
	return r
}

func tryOpenReplica(cli *clientv3.Client, px string, opts ...replica.Option) (*replica.Replica, error) {
	base := []replica.Option{
		replica.WithEngineOptions(engine.WithRootPassword(rootPassword), engine.WithHasher(password.Testing())),
		replica.WithPollInterval(20 * time.Millisecond),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return replica.Open(ctx, etcdlog.New(cli, px), append(base, opts...)...)
}

// exec runs the statements of sql in s, stopping at the first error.
func exec(tb testing.TB, s *engine.Session, sql string) error {
	tb.Helper()
	sts, err := dcl.Parse(sql)
	require.NoError(tb, err, sql)
	for _, st := range sts {
		if _, err := dcl.Exec(s, st); err != nil {
			return err
		}
	}
	return nil
}

func rootSession(tb testing.TB, r *replica.Replica) *engine.Session {
	tb.Helper()
	s, err := r.Engine().Connect("root", rootPassword)
	require.NoError(tb, err)
	return s
}

func waitFor(tb testing.TB, r *replica.Replica, rev uint64) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(tb, r.WaitFor(ctx, rev), "replica at %d, waiting for %d", r.Revision(), rev)
}

func head(tb testing.TB, cli *clientv3.Client, px string) uint64 {
	tb.Helper()
	h, err := etcdlog.New(cli, px).Head(testContext(tb))
	require.NoError(tb, err)
	return h
}

// state is a replica's whole state as a snapshot file: replicas that
// applied the same records write the same bytes.
func state(tb testing.TB, r *replica.Replica) []byte {
	tb.Helper()
	var buf bytes.Buffer
	require.NoError(tb, r.Engine().Snapshot().WriteFile(&buf))
	return buf.Bytes()
}

// Name pools of randomStatement, small so that statements collide.
const (
	poolRoles  = 5
	poolUsers  = 3
	poolDBs    = 2
	poolTables = 2
)

var poolPrivs = []string{"SELECT", "INSERT", "UPDATE", "DELETE"}

// randomStatement draws a statement from the name pools; many fail.
func randomStatement(rng *rand.Rand) string {
	role := func() string { return fmt.Sprintf("r%d", rng.IntN(poolRoles)) }
	user := func() string { return fmt.Sprintf("u%d", rng.IntN(poolUsers)) }
	tbl := func() string { return fmt.Sprintf("d%d.t%d", rng.IntN(poolDBs), rng.IntN(poolTables)) }
	priv := func() string { return poolPrivs[rng.IntN(len(poolPrivs))] }
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
		return fmt.Sprintf("CREATE DATABASE d%d", rng.IntN(poolDBs))
	case 5:
		return "CREATE TABLE " + tbl()
	case 6:
		return fmt.Sprintf("GRANT %s ON TABLE %s TO %s", priv(), tbl(), role())
	case 7:
		return fmt.Sprintf("REVOKE %s ON TABLE %s FROM %s", priv(), tbl(), role())
	case 8:
		return fmt.Sprintf("CREATE USER %s IDENTIFIED BY 'pw'", user())
	default:
		return fmt.Sprintf("GRANT %s TO %s", role(), user())
	}
}

// failedForTheLog reports whether err is a failure of the replica or its
// log rather than a refusal of the statement on its merits.
func failedForTheLog(err error) bool {
	return errors.Is(err, model.ErrUnavailable) || errors.Is(err, model.ErrStale) || errors.Is(err, model.ErrStorage)
}

// writeRandom runs n random statements as root on replicas drawn from rs,
// and reports how many committed and how many tries failed with
// model.ErrUnavailable and were run again (the engine gives a statement up
// when other replicas keep taking the next revision). Statements refused
// on their merits are expected; another failure of the log is an error of
// the test, unless tolerate says it is expected of that replica: then
// writeRandom stops.
func writeRandom(t *testing.T, rng *rand.Rand, rs []*replica.Replica, n int, tolerate func(*replica.Replica) bool) (committed, retried int) {
	for range n {
		r := rs[rng.IntN(len(rs))]
		stmt := randomStatement(rng)
		for try := 1; ; try++ {
			s, err := r.Engine().Connect("root", rootPassword)
			if err == nil {
				err = exec(t, s, stmt)
			}
			switch {
			case err == nil:
				committed++
			case failedForTheLog(err) && tolerate != nil && tolerate(r):
				return committed, retried
			case errors.Is(err, model.ErrUnavailable) && try < 5:
				t.Logf("%s: %v; again", stmt, err)
				retried++
				continue
			case failedForTheLog(err):
				t.Errorf("%s failed for the log's sake: %v", stmt, err)
			}
			break
		}
	}
	return committed, retried
}

// show is what every role and user of the pools has granted, as SHOW
// prints it, with the roles and users of sys.
func show(tb testing.TB, r *replica.Replica) string {
	tb.Helper()
	s := rootSession(tb, r)
	var out strings.Builder
	roles, err := s.ShowRoles()
	require.NoError(tb, err)
	users, err := s.ShowUsers()
	require.NoError(tb, err)
	dbs, err := s.ShowDatabases()
	require.NoError(tb, err)
	fmt.Fprintln(&out, roles, users, dbs)
	for i := range poolRoles {
		rows, err := s.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: fmt.Sprintf("r%d", i)})
		fmt.Fprintln(&out, rows, err)
	}
	for i := range poolUsers {
		rows, err := s.ShowGrants(engine.ShowGrants{For: engine.ShowUser, Name: fmt.Sprintf("u%d", i)})
		fmt.Fprintln(&out, rows, err)
	}
	return out.String()
}

// questions are decisions asked by IDs, which are equal on every replica:
// every user and role of the pools (and root with its role), on every
// table, database and the account, and IDs drawn at random.
func questions(tb testing.TB, r *replica.Replica, rng *rand.Rand) []engine.Question {
	tb.Helper()
	snap := r.Engine().Snapshot()
	pr := rootSession(tb, r).Principal()
	type who struct {
		user model.UserID
		role model.RoleID
	}
	whos := []who{{pr.User, pr.Role}}
	var roles []model.RoleID
	for i := range poolRoles {
		if id, ok := snap.Role(pr.Account, fmt.Sprintf("r%d", i)); ok {
			roles = append(roles, id)
		}
	}
	for i := range poolUsers {
		if u, ok := snap.User(pr.Account, fmt.Sprintf("u%d", i)); ok {
			for _, role := range roles {
				whos = append(whos, who{u, role})
			}
		}
	}
	for range 20 {
		whos = append(whos, who{model.UserID(rng.IntN(40)), model.RoleID(rng.IntN(40))})
	}
	objects := []model.Object{model.AccountObject(pr.Account)}
	for d := range poolDBs {
		db, ok := snap.Database(pr.Account, fmt.Sprintf("d%d", d))
		if !ok {
			continue
		}
		objects = append(objects, model.DatabaseObject(db))
		for t := range poolTables {
			if tbl, ok := snap.Table(db, fmt.Sprintf("t%d", t)); ok {
				objects = append(objects, model.TableObject(tbl))
			}
		}
	}
	for range 10 {
		objects = append(objects, model.TableObject(model.TableID(rng.IntN(40))))
	}
	privs := []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete, model.PrivCreateRole, model.PrivAll}
	var qs []engine.Question
	for _, w := range whos {
		for _, sec := range []engine.Secondary{engine.SecondaryNone, engine.SecondaryAll} {
			for _, p := range privs {
				for _, o := range objects {
					qs = append(qs, engine.Question{User: w.user, Role: w.role, Secondary: sec, Privilege: p, Object: o})
				}
			}
		}
	}
	return qs
}

// answers asks qs of the replica's engine.
func answers(r *replica.Replica, qs []engine.Question) []engine.Decision {
	out := make([]engine.Decision, len(qs))
	for i, q := range qs {
		out[i] = r.Engine().Check(q.User, q.Role, q.Secondary, q.Privilege, q.Object)
	}
	return out
}

// requireGapless checks that the log holds revisions 0..head once each, in
// order, each an encoded record of its own revision.
func requireGapless(t *testing.T, cli *clientv3.Client, px string, head uint64) {
	t.Helper()
	next := uint64(0)
	for e, err := range etcdlog.New(cli, px).Read(testContext(t), 0) {
		require.NoError(t, err)
		require.Equal(t, next, e.Revision, "revisions follow each other")
		rec, err := record.Decode(e.Payload)
		require.NoError(t, err, "entry %d", e.Revision)
		require.Equal(t, e.Revision, rec.Revision, "entry %d holds its own record", e.Revision)
		next++
	}
	require.Equal(t, head+1, next, "the log holds 0..head")
}

// requireConverged checks that every replica of rs has applied the log's
// head and holds one state: equal snapshot files, SHOW output and answers;
// and that a replica opened now starts on the same state.
func requireConverged(t *testing.T, srv *server, px string, rs []*replica.Replica) {
	t.Helper()
	cli := srv.newClient(t)
	h := head(t, cli, px)
	for _, r := range rs {
		waitFor(t, r, h)
		require.Equal(t, h, r.Revision(), "no replica is past the log")
	}
	requireGapless(t, cli, px, h)
	late := openReplica(t, cli, px)
	require.Equal(t, h, late.Revision())
	rs = append(rs, late)

	want, wantShow := state(t, rs[0]), show(t, rs[0])
	qs := questions(t, rs[0], rand.New(rand.NewPCG(uint64(h), 3)))
	wantAnswers := answers(rs[0], qs)
	allowed := 0
	for _, d := range wantAnswers {
		if d.Allowed {
			allowed++
		}
	}
	require.Positive(t, allowed, "the questions are not all denied")
	require.Less(t, allowed, len(qs), "nor all allowed")
	for i, r := range rs[1:] {
		require.Equal(t, want, state(t, r), "replica %d holds the state of replica 0", i+1)
		require.Equal(t, wantShow, show(t, r), "replica %d", i+1)
		require.Equal(t, wantAnswers, answers(r, qs), "replica %d", i+1)
	}
}

func TestEtcdReplicasConverge(t *testing.T) {
	srv := sharedServer(t)
	px := prefix(t)
	rs := make([]*replica.Replica, 3)
	for i := range rs {
		rs[i] = openReplica(t, srv.newClient(t), px)
	}
	const writers, each = 6, 60
	var committed, retried atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		rng := rand.New(rand.NewPCG(uint64(w), 11))
		wg.Go(func() {
			c, r := writeRandom(t, rng, rs, each, nil)
			committed.Add(int64(c))
			retried.Add(int64(r))
		})
	}
	wg.Wait()
	t.Logf("%d of %d statements committed", committed.Load(), writers*each)
	require.Greater(t, committed.Load(), int64(writers*each/10), "many statements committed")
	h := head(t, srv.newClient(t), px)
	if retried.Load() == 0 { // else a try may have committed unacknowledged
		require.Equal(t, uint64(committed.Load()), h, "one revision per committed statement after record 0")
	}
	requireConverged(t, srv, px, rs)
}

func TestEtcdRacingRoleGrantsNeverMakeACycle(t *testing.T) {
	srv := sharedServer(t)
	px := prefix(t)
	a := openReplica(t, srv.newClient(t), px)
	b := openReplica(t, srv.newClient(t), px)
	const rounds = 15
	for i := range rounds {
		x, y := fmt.Sprintf("x%d", i), fmt.Sprintf("y%d", i)
		require.NoError(t, exec(t, rootSession(t, a), fmt.Sprintf("CREATE ROLE %s, %s", x, y)))
		waitFor(t, b, a.Revision())
		sa, sb := rootSession(t, a), rootSession(t, b)
		var errA, errB error
		var wg sync.WaitGroup
		wg.Go(func() { errA = exec(t, sa, fmt.Sprintf("GRANT %s TO %s", x, y)) })
		wg.Go(func() { errB = exec(t, sb, fmt.Sprintf("GRANT %s TO %s", y, x)) })
		wg.Wait()
		require.False(t, errA == nil && errB == nil, "round %d: both grants of a cycle committed", i)
		require.True(t, errA == nil || errB == nil, "round %d: one of the grants commits: %v / %v", i, errA, errB)
		for _, err := range []error{errA, errB} {
			if err != nil {
				require.ErrorIs(t, err, model.ErrCycle)
			}
		}
	}
	h := head(t, srv.newClient(t), px)
	waitFor(t, a, h)
	waitFor(t, b, h)
	require.Equal(t, state(t, a), state(t, b))
	for _, r := range []*replica.Replica{a, b} {
		s := rootSession(t, r)
		for i := range rounds {
			edges := 0
			for _, name := range []string{fmt.Sprintf("x%d", i), fmt.Sprintf("y%d", i)} {
				rows, err := s.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: name})
				require.NoError(t, err)
				for _, row := range rows {
					if strings.Contains(row, " TO ROLE ") {
						edges++
					}
				}
			}
			require.Equal(t, 1, edges, "round %d: exactly one of the two grants holds", i)
		}
	}
}

// A replica closed abruptly, its client first, while statements run on it
// and on the others: the others go on, and a replica opened afterwards on
// the same log converges with them.
func TestEtcdReplicaClosedMidStream(t *testing.T) {
	srv := sharedServer(t)
	px := prefix(t)
	a := openReplica(t, srv.newClient(t), px)
	b := openReplica(t, srv.newClient(t), px)
	doomedCli := srv.newClient(t)
	doomed := openReplica(t, doomedCli, px)
	live := []*replica.Replica{a, b}

	var committed atomic.Int64
	var wg sync.WaitGroup
	for w := range 3 {
		rng := rand.New(rand.NewPCG(uint64(w), 23))
		wg.Go(func() {
			for range 10 {
				c, _ := writeRandom(t, rng, live, 5, nil)
				committed.Add(int64(c))
			}
		})
	}
	doomedDone := make(chan struct{})
	go func() { // writes until its client is gone: its last statement is cut off
		defer close(doomedDone)
		tolerate := func(*replica.Replica) bool { return true }
		writeRandom(t, rand.New(rand.NewPCG(9, 23)), []*replica.Replica{doomed}, 1000, tolerate)
	}()
	require.Eventually(t, func() bool { return committed.Load() >= 10 }, 20*time.Second, 5*time.Millisecond)
	require.NoError(t, doomedCli.Close())
	require.NoError(t, doomed.Close())
	late := openReplica(t, srv.newClient(t), px) // opened while a and b write
	wg.Wait()
	<-doomedDone
	require.LessOrEqual(t, doomed.Revision(), head(t, srv.newClient(t), px))
	requireConverged(t, srv, px, []*replica.Replica{a, b, late})
}

// etcd stops and starts again while statements run: they fail with errors
// matching model.ErrUnavailable and are retried, and afterwards every
// statement acknowledged is present on every replica.
func TestEtcdReplicasThroughAnEtcdRestart(t *testing.T) {
	srv := ownServer(t)
	pxy := newProxy(t, srv.client.Host)
	px := prefix(t)
	opts := []replica.Option{replica.WithTimeout(500 * time.Millisecond), replica.WithMaxLag(time.Minute)}
	rs := []*replica.Replica{
		openReplica(t, newClient(t, pxy.addr()), px, opts...),
		openReplica(t, newClient(t, pxy.addr()), px, opts...),
	}

	const writers, each = 4, 20
	var (
		acked       = make([][]string, writers)
		unavailable atomic.Int64
		ackCount    atomic.Int64
		wg          sync.WaitGroup
	)
	for w := range writers {
		r := rs[w%len(rs)]
		wg.Go(func() {
			for i := range each {
				name := fmt.Sprintf("w%d_%d", w, i)
				retried := false
				for {
					s, err := r.Engine().Connect("root", rootPassword)
					if err == nil {
						err = exec(t, s, "CREATE ROLE "+name)
					}
					if err == nil {
						acked[w] = append(acked[w], name)
						ackCount.Add(1)
						break
					}
					if retried && errors.Is(err, model.ErrExists) {
						break // committed by a try whose answer was lost
					}
					if !errors.Is(err, model.ErrUnavailable) {
						t.Errorf("CREATE ROLE %s: %v", name, err)
						return
					}
					unavailable.Add(1)
					retried = true
					time.Sleep(50 * time.Millisecond)
				}
			}
		})
	}
	require.Eventually(t, func() bool { return ackCount.Load() >= 15 }, 20*time.Second, 5*time.Millisecond)
	pxy.setCut(true) // etcd crashes: its connections drop
	srv.stop()
	require.Eventually(t, func() bool { return unavailable.Load() >= writers }, 20*time.Second, 5*time.Millisecond,
		"statements fail while etcd is away")
	require.NoError(t, srv.start())
	pxy.setCut(false)
	wg.Wait()

	cli := newClient(t, pxy.addr())
	h := head(t, cli, px)
	for _, r := range rs {
		waitFor(t, r, h)
		snap := r.Engine().Snapshot()
		sys, ok := snap.Account("sys")
		require.True(t, ok)
		for w := range writers {
			for _, name := range acked[w] {
				_, ok := snap.Role(sys, name)
				assert.True(t, ok, "acknowledged role %s is on every replica", name)
			}
		}
	}
	require.Equal(t, state(t, rs[0]), state(t, rs[1]))
	requireGapless(t, cli, px, h)
	late := openReplica(t, cli, px)
	require.Equal(t, state(t, rs[0]), state(t, late))
}

// A record the replicas can not apply, appended as any payload may be:
// they fail closed, and so does a replica opened afterwards.
func TestEtcdReplicaFailsClosedOnAnUnappliableRecord(t *testing.T) {
	srv := sharedServer(t)
	px := prefix(t)
	cli := srv.newClient(t)
	a := openReplica(t, cli, px)
	s := rootSession(t, a)
	require.NoError(t, exec(t, s, "CREATE ROLE r1"))
	pr := s.Principal()
	createRole := func(r *replica.Replica) engine.Decision {
		return r.Engine().Check(pr.User, pr.Role, pr.Secondary, model.PrivCreateRole, model.AccountObject(pr.Account))
	}
	require.True(t, createRole(a).Allowed)

	h := a.Revision()
	require.NoError(t, etcdlog.New(cli, px).Append(testContext(t), h+1, []byte("not a record")))
	require.Eventually(t, func() bool { return a.Engine().Stale() != nil }, 10*time.Second, 5*time.Millisecond)
	late := openReplica(t, srv.newClient(t), px)
	for _, r := range []*replica.Replica{a, late} {
		require.Equal(t, h, r.Revision(), "nothing past the record is applied")
		require.ErrorIs(t, r.Status().Stale, model.ErrStale)
		require.Equal(t, engine.ReasonReplicaStale, createRole(r).Reason)
		_, err := r.Engine().Connect("root", rootPassword)
		require.ErrorIs(t, err, model.ErrStale)
	}
	require.ErrorIs(t, exec(t, s, "CREATE ROLE r2"), model.ErrStale, "a session opened before fails too")
}

// A record damaged in etcd after it was applied: a replica starting later
// fails closed at it, and resyncs once a snapshot past it is stored.
func TestEtcdReplicaResyncsPastADamagedRecord(t *testing.T) {
	srv := sharedServer(t)
	px := prefix(t)
	cli := srv.newClient(t)
	a := openReplica(t, cli, px, replica.WithSnapshotEvery(1_000_000, 0))
	require.NoError(t, exec(t, rootSession(t, a), "CREATE ROLE r1; CREATE ROLE r2; CREATE DATABASE d1"))
	h := a.Revision()
	damage(t, cli, px, h-1)

	b := openReplica(t, srv.newClient(t), px, replica.WithPollInterval(5*time.Millisecond))
	require.ErrorIs(t, b.Status().Stale, model.ErrStale)
	require.Equal(t, h-2, b.Revision())
	_, err := b.Engine().Connect("root", rootPassword)
	require.ErrorIs(t, err, model.ErrStale)

	var buf bytes.Buffer
	require.NoError(t, a.Engine().Snapshot().WriteFile(&buf))
	require.NoError(t, etcdlog.New(cli, px).PutSnapshot(testContext(t), h, buf.Bytes()))
	require.Eventually(t, func() bool { return b.Engine().Stale() == nil }, 10*time.Second, 5*time.Millisecond)
	require.Equal(t, h, b.Revision())
	require.Equal(t, state(t, a), state(t, b))
	require.NoError(t, exec(t, rootSession(t, b), "CREATE ROLE r3"), "b writes again")
	waitFor(t, a, b.Revision())
	require.Equal(t, state(t, a), state(t, b))
}

// damage overwrites the entry of revision rev in etcd with bytes that are
// no change record, keeping its header (format byte and writer's tag), as
// damage in the store would.
func damage(t *testing.T, cli *clientv3.Client, px string, rev uint64) {
	t.Helper()
	key := fmt.Sprintf("%slog/%020d", px, rev)
	resp, err := cli.Get(testContext(t), key)
	require.NoError(t, err)
	require.Len(t, resp.Kvs, 1, "entry %d is in the log", rev)
	value := append(bytes.Clone(resp.Kvs[0].Value[:9]), "not a record"...)
	_, err = cli.Put(testContext(t), key, string(value))
	require.NoError(t, err)
}

// The lockout threshold holds across replicas: failures on two replicas
// add up in etcd, and the user is then locked on both (reference §7, §20).
func TestEtcdReplicasShareTheLockout(t *testing.T) {
	srv := sharedServer(t)
	px := prefix(t)
	const threshold = 3
	open := func() *replica.Replica {
		cli := srv.newClient(t)
		lo := etcdlog.NewLockout(cli, px, threshold, time.Minute)
		return openReplica(t, cli, px, replica.WithEngineOptions(
			engine.WithLockout(threshold, time.Minute), engine.WithSharedLockout(lo)))
	}
	a, b := open(), open()
	require.NoError(t, exec(t, rootSession(t, a), "CREATE USER bob IDENTIFIED BY 'right'"))
	waitFor(t, b, a.Revision())

	for i, r := range []*replica.Replica{a, b, a} {
		_, err := r.Engine().Connect("bob", "wrong")
		require.ErrorIs(t, err, model.ErrAuth, "failure %d", i+1)
	}
	for _, r := range []*replica.Replica{a, b} {
		_, err := r.Engine().Connect("bob", "right")
		require.ErrorIs(t, err, model.ErrLocked, "two failures here and one there lock bob everywhere")
	}
	for _, r := range []*replica.Replica{a, b} {
		_, err := r.Engine().Connect("root", rootPassword)
		require.NoError(t, err, "root is never locked automatically")
	}
}

// A replica whose etcd client was closed fails its statements with a
// retryable error, never a storage failure.
func TestEtcdReplicaWithAClosedClient(t *testing.T) {
	srv := sharedServer(t)
	cli := srv.newClient(t)
	r := openReplica(t, cli, prefix(t))
	require.NoError(t, cli.Close())
	err := exec(t, rootSession(t, r), "CREATE ROLE r1")
	require.ErrorIs(t, err, model.ErrUnavailable)
}
