package engine_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/pdp-authz/pdp/record"
	"github.com/stretchr/testify/require"
)

// sharedLog is a shared log in memory for sequencer tests: encoded change
// records by revision.
type sharedLog struct {
	mu      sync.Mutex
	entries [][]byte
	refuse  error // when set, Append fails with it
}

// seq is one engine's sequencer on a sharedLog.
type seq struct {
	log     *sharedLog
	eng     *engine.Engine
	appends int
	behinds int
}

func (s *seq) Append(_ context.Context, rec *record.Record) error {
	payload, err := record.Encode(rec)
	if err != nil {
		return err
	}
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.appends++
	if s.log.refuse != nil {
		return s.log.refuse
	}
	if rec.Revision != uint64(len(s.log.entries)) {
		s.behinds++
		return engine.ErrBehind
	}
	s.log.entries = append(s.log.entries, payload)
	return nil
}

func (s *seq) CatchUp(context.Context) error {
	s.log.mu.Lock()
	entries := append([][]byte(nil), s.log.entries...)
	s.log.mu.Unlock()
	for _, payload := range entries[s.eng.Snapshot().Revision()+1:] {
		rec, err := record.Decode(payload)
		if err != nil {
			return err
		}
		if err := s.eng.Apply(rec); err != nil {
			return err
		}
	}
	return nil
}

func (l *sharedLog) record(t *testing.T, rev int) *record.Record {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	rec, err := record.Decode(l.entries[rev])
	require.NoError(t, err)
	return rec
}

// replicaPair returns two engines kept in step through one shared log; the
// first bootstrapped it.
func replicaPair(t *testing.T) (*sharedLog, [2]*seq) {
	t.Helper()
	log := &sharedLog{}
	a := &seq{log: log}
	var err error
	a.eng, err = engine.New(engine.WithRootPassword("111"), engine.WithHasher(password.Testing()), engine.WithSequencer(a))
	require.NoError(t, err)
	require.Len(t, log.entries, 1, "the bootstrap is the log's record 0")
	b := &seq{log: log}
	b.eng, err = engine.New(engine.WithBootstrap(log.record(t, 0)), engine.WithHasher(password.Testing()), engine.WithSequencer(b))
	require.NoError(t, err)
	require.Zero(t, b.appends, "applying the bootstrap appends nothing")
	return log, [2]*seq{a, b}
}

func TestSequencerRunsALostStatementAgainOnTheNewState(t *testing.T) {
	log, r := replicaPair(t)
	rootA := connect(t, r[0].eng, "root", "111")
	require.NoError(t, rootA.CreateRole(engine.CreateRole{Names: []string{"r1", "r2"}}))
	require.NoError(t, r[1].CatchUp(context.Background()))
	rootB := connect(t, r[1].eng, "root", "111")

	require.NoError(t, rootA.GrantRole(engine.GrantRole{Roles: []string{"r1"}, To: []string{"r2"}}))
	// B has not seen A's grant: its GRANT loses the revision, catches up,
	// runs again and now finds the cycle.
	err := rootB.GrantRole(engine.GrantRole{Roles: []string{"r2"}, To: []string{"r1"}})
	require.ErrorIs(t, err, model.ErrCycle)
	require.Equal(t, 1, r[1].behinds)
	require.Equal(t, r[0].eng.Snapshot().Revision(), r[1].eng.Snapshot().Revision())
	require.Len(t, log.entries, int(r[0].eng.Snapshot().Revision())+1)

	// B's own change is appended, applied before it returns, and reaches A.
	require.NoError(t, rootB.CreateRole(engine.CreateRole{Names: []string{"r3"}}))
	require.NoError(t, r[0].CatchUp(context.Background()))
	for _, s := range r {
		rows, err := connect(t, s.eng, "root", "111").ShowRoles()
		require.NoError(t, err)
		require.Len(t, rows, 5, "moadmin, public, r1, r2, r3")
	}
}

func TestSequencerRefusalChangesNothingAndGivesBackIDs(t *testing.T) {
	log, r := replicaPair(t)
	root := connect(t, r[0].eng, "root", "111")
	before := r[0].eng.Snapshot().Revision()
	log.refuse = model.Errorf(model.ErrUnavailable, "the shared log can not be reached")
	err := root.CreateRole(engine.CreateRole{Names: []string{"lost"}})
	require.ErrorIs(t, err, model.ErrUnavailable)
	require.Equal(t, before, r[0].eng.Snapshot().Revision())
	log.refuse = nil

	// The IDs the refused statement took come back: the next role gets the
	// ID it gets on a twin that never saw the refusal.
	require.NoError(t, root.CreateRole(engine.CreateRole{Names: []string{"kept"}}))
	require.Contains(t, log.record(t, int(before)+1).Statement, "kept")
	_, twin := replicaPair(t)
	require.NoError(t, connect(t, twin[0].eng, "root", "111").CreateRole(engine.CreateRole{Names: []string{"kept"}}))
	require.Equal(t, sysRoleID(t, twin[0].eng, "kept"), sysRoleID(t, r[0].eng, "kept"))
	require.NoError(t, r[1].CatchUp(context.Background()))
	require.Equal(t, sysRoleID(t, r[0].eng, "kept"), sysRoleID(t, r[1].eng, "kept"))
}

// sysRoleID returns the ID of the role name of sys.
func sysRoleID(t *testing.T, eng *engine.Engine, name string) model.RoleID {
	t.Helper()
	snap := eng.Snapshot()
	sys, ok := snap.Account(model.SysAccount)
	require.True(t, ok)
	id, ok := snap.Role(sys, name)
	require.True(t, ok, "role %s", name)
	return id
}

// A statement that keeps losing its revision gives up, changing nothing.
func TestSequencerGivesUpAfterEndlessLosses(t *testing.T) {
	log, r := replicaPair(t)
	root := connect(t, r[0].eng, "root", "111")
	before, appends := r[0].eng.Snapshot().Revision(), r[0].appends
	log.refuse = engine.ErrBehind // every append loses; catching up finds nothing new
	err := root.CreateRole(engine.CreateRole{Names: []string{"r"}})
	log.refuse = nil
	require.ErrorIs(t, err, model.ErrUnavailable)
	require.False(t, errors.Is(err, engine.ErrBehind))
	require.Equal(t, 64, r[0].appends-appends, "the statement ran 64 times")
	require.Equal(t, before, r[0].eng.Snapshot().Revision())
}

func TestSequencerCatchUpFailureFailsTheStatement(t *testing.T) {
	_, r := replicaPair(t)
	root := connect(t, r[1].eng, "root", "111")
	r[1].log.mu.Lock()
	r[1].log.entries = append(r[1].log.entries, []byte("damaged")) // a revision B can not apply
	r[1].log.mu.Unlock()
	err := root.CreateRole(engine.CreateRole{Names: []string{"r"}})
	require.Error(t, err)
	require.False(t, errors.Is(err, engine.ErrBehind), "the loss never leaks out as such")
}

func TestStaleEngineFailsClosed(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, table("sales", "orders"), "analyst")))
	bob := connect(t, eng, "acme:bob", "pw")
	obj := bob.Decide(model.PrivSelect, table("sales", "orders"))
	require.True(t, obj.Allowed)
	held := eng.Snapshot()
	pr := bob.Principal()
	snap := eng.Snapshot()
	acme, _ := snap.Account("acme")
	sales, _ := snap.Database(acme, "sales")
	orders, _ := snap.Table(sales, "orders")
	tbl := model.TableObject(orders)

	eng.MarkStale(errors.New("record 7 can not be applied"))
	require.ErrorIs(t, eng.Stale(), model.ErrStale)
	d := eng.Check(pr.User, pr.Role, pr.Secondary, model.PrivSelect, tbl)
	require.Equal(t, engine.Decision{Reason: engine.ReasonReplicaStale}, d)
	require.Equal(t, "replica stale", d.Reason.String())
	require.Equal(t, engine.ReasonReplicaStale, bob.Decide(model.PrivSelect, table("sales", "orders")).Reason)
	require.Equal(t, engine.ReasonReplicaStale, bob.Explain(model.PrivSelect, table("sales", "orders")).Decision.Reason)
	require.Empty(t, eng.Snapshot().WhoCan(model.PrivSelect, tbl).Users)
	require.Empty(t, slices.Collect(eng.Snapshot().Objects(pr.User, pr.Role, pr.Secondary, model.PrivSelect, model.KindTable)))
	_, err := eng.Connect("acme:bob", "pw")
	require.ErrorIs(t, err, model.ErrStale)
	_, err = bob.ShowGrants(engine.ShowGrants{})
	require.ErrorIs(t, err, model.ErrStale)
	require.ErrorIs(t, ann.CreateRole(engine.CreateRole{Names: []string{"x"}}), model.ErrStale)
	require.True(t, held.Check(pr.User, pr.Role, pr.Secondary, model.PrivSelect, tbl).Allowed,
		"a snapshot taken before stays as it was")

	eng.Resynced()
	require.NoError(t, eng.Stale())
	require.True(t, eng.Check(pr.User, pr.Role, pr.Secondary, model.PrivSelect, tbl).Allowed)
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: []string{"x"}}))
}

func TestStaleSurvivesNewCommits(t *testing.T) {
	log, r := replicaPair(t)
	root := connect(t, r[0].eng, "root", "111")
	require.NoError(t, root.CreateRole(engine.CreateRole{Names: []string{"r1"}}))
	r[1].eng.MarkStale(nil)
	require.NoError(t, r[1].CatchUp(context.Background()), "a stale replica still applies the log")
	require.Equal(t, uint64(len(log.entries)-1), r[1].eng.Snapshot().Revision())
	_, err := r[1].eng.Connect("root", "111")
	require.ErrorIs(t, err, model.ErrStale, "what it applied is published stale too")
}

func TestOpenRefusesASequencer(t *testing.T) {
	_, err := engine.Open(t.TempDir(), engine.WithRootPassword("111"), engine.WithSequencer(&seq{log: &sharedLog{}}))
	require.ErrorIs(t, err, model.ErrInvalidOption)
}

func TestResetReplacesTheStateAndKeepsSessions(t *testing.T) {
	eng, ann := acmeFixture(t)
	var old bytes.Buffer
	require.NoError(t, eng.Snapshot().WriteFile(&old))

	// A second engine on the same history moves on; its snapshot resyncs
	// the first, whose session goes on at the new state.
	ahead, err := engine.Restore(bytes.NewReader(old.Bytes()), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	annAhead := connect(t, ahead, "acme:ann", "pw")
	require.NoError(t, annAhead.CreateRole(engine.CreateRole{Names: []string{"later"}}))
	var newer bytes.Buffer
	require.NoError(t, ahead.Snapshot().WriteFile(&newer))
	require.NoError(t, eng.Reset(bytes.NewReader(newer.Bytes())))
	require.Equal(t, ahead.Snapshot().Revision(), eng.Snapshot().Revision())
	rows, err := ann.ShowRoles()
	require.NoError(t, err)
	require.Contains(t, rows, "later")

	// An older snapshot, or a damaged one, changes nothing.
	rev := eng.Snapshot().Revision()
	require.ErrorIs(t, eng.Reset(bytes.NewReader(old.Bytes())), model.ErrReplay)
	require.ErrorIs(t, eng.Reset(bytes.NewReader(newer.Bytes()[:len(newer.Bytes())/2])), model.ErrReplay)
	require.Equal(t, rev, eng.Snapshot().Revision())
	rows, err = ann.ShowRoles()
	require.NoError(t, err)
	require.Contains(t, rows, "later")
}

func TestResetRefusesADurableEngine(t *testing.T) {
	eng, err := engine.Open(t.TempDir(), engine.WithRootPassword("111"), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	defer eng.Close()
	var buf bytes.Buffer
	require.NoError(t, eng.Snapshot().WriteFile(&buf))
	require.ErrorIs(t, eng.Reset(bytes.NewReader(buf.Bytes())), model.ErrInvalidOption)
	require.ErrorIs(t, (&engine.Snapshot{}).WriteFile(&buf), model.ErrNotConnected, "an empty snapshot writes nothing")
}
