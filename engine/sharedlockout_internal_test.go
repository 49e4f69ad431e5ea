package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/pdp-authz/pdp/record"
	"github.com/stretchr/testify/assert"
	must "github.com/stretchr/testify/require"
)

// fakeShared is a shared lockout in memory with the semantics of
// etcdlog.Lockout (a count and a lock per key, both lapsing with their
// lease on the injected clock), that records every call and can fail.
type fakeShared struct {
	threshold int
	lockFor   time.Duration
	clock     *testClock

	mu      sync.Mutex
	counts  map[string]int
	counted map[string]time.Time // when each count lapses
	locks   map[string]time.Time // when each lock lapses
	calls   []string             // "<method> <key>"
	failing error                // when set, every call fails with it
}

func newFakeShared(clock *testClock) *fakeShared {
	return &fakeShared{threshold: 5, lockFor: time.Minute, clock: clock,
		counts: map[string]int{}, counted: map[string]time.Time{}, locks: map[string]time.Time{}}
}

// begin records a call and drops what lapsed; f.mu is held.
func (f *fakeShared) begin(method, key string) error {
	f.calls = append(f.calls, method+" "+key)
	now := f.clock.Now()
	if until, ok := f.counted[key]; ok && !now.Before(until) {
		delete(f.counts, key)
		delete(f.counted, key)
	}
	if until, ok := f.locks[key]; ok && !now.Before(until) {
		delete(f.locks, key)
	}
	return f.failing
}

func (f *fakeShared) Fail(_ context.Context, key string) (int, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("Fail", key); err != nil {
		return 0, false, err
	}
	if _, locked := f.locks[key]; locked {
		return f.threshold, true, nil
	}
	f.counts[key]++
	until := f.clock.Now().Add(f.lockFor)
	f.counted[key] = until
	if f.counts[key] >= f.threshold {
		f.locks[key] = until
	}
	return f.counts[key], f.counts[key] >= f.threshold, nil
}

func (f *fakeShared) Reset(_ context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("Reset", key); err != nil {
		return err
	}
	delete(f.counts, key)
	delete(f.counted, key)
	return nil
}

func (f *fakeShared) Unlock(_ context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("Unlock", key); err != nil {
		return err
	}
	delete(f.counts, key)
	delete(f.counted, key)
	delete(f.locks, key)
	return nil
}

func (f *fakeShared) Locked(_ context.Context, key string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("Locked", key); err != nil {
		return false, err
	}
	_, locked := f.locks[key]
	return locked, nil
}

func (f *fakeShared) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing = err
}

func (f *fakeShared) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[key]
}

// log returns the calls made so far.
func (f *fakeShared) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// testClock is a settable clock safe for concurrent logins.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// sharedPair returns two engines built the same way (so with the same
// IDs), account acme with its admin ann (password "pw") and bob (password
// "pw"), sharing one fake lockout, on one clock.
func sharedPair(t *testing.T) (*fakeShared, *testClock, [2]*Engine) {
	t.Helper()
	clk := &testClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	f := newFakeShared(clk)
	var engines [2]*Engine
	for i := range engines {
		e := lockoutEngine(t, WithSharedLockout(f), WithClock(clk.Now), WithSleep(func(time.Duration) {}))
		ann, err := e.Connect("acme:ann", "pw")
		must.NoError(t, err)
		must.NoError(t, ann.CreateUser(CreateUser{Users: []UserCredential{{Name: "bob", Password: "pw"}}}))
		engines[i] = e
	}
	must.Equal(t, userID(t, engines[0], "acme", "bob"), userID(t, engines[1], "acme", "bob"), "the same IDs")
	return f, clk, engines
}

func userID(t *testing.T, e *Engine, account, user string) model.UserID {
	t.Helper()
	tx := e.Snapshot().read()
	acc := tx.AccountByName(account)
	must.NotNil(t, acc)
	u := tx.UserByName(acc.ID, user)
	must.NotNil(t, u)
	return u.ID
}

// wrong makes one login with a wrong password, which must fail as a wrong
// password (not refused as locked).
func wrong(t *testing.T, e *Engine, login string) {
	t.Helper()
	_, err := e.Connect(login, "wrong")
	must.EqualError(t, err, "invalid username or password", login)
}

func assertLockedAuto(t *testing.T, err error, msg string) {
	t.Helper()
	assert.ErrorIs(t, err, model.ErrLocked, msg)
	assert.EqualError(t, err, "user is locked, please try again later", msg)
}

// TestSharedFailuresLockOnEveryEngine: five wrong passwords split across
// two engines lock the user on both, though neither counted five itself;
// the lock lapses with the lock duration.
func TestSharedFailuresLockOnEveryEngine(t *testing.T) {
	f, clk, e := sharedPair(t)
	key := userKey(userID(t, e[0], "acme", "bob"))
	for i := range 5 {
		wrong(t, e[i%2], "acme:bob")
	}
	assert.Equal(t, 5, f.count(key))
	for i, eng := range e {
		v := &countingVerifier{inner: eng.verifier}
		eng.verifier = v
		_, err := eng.Connect("acme:bob", "pw")
		assertLockedAuto(t, err, fmt.Sprintf("engine %d, the right password", i))
		assert.Zero(t, v.verified.Load(), "refused unverified")
		eng.verifier = v.inner
	}
	clk.advance(time.Minute)
	for _, eng := range e {
		_, err := eng.Connect("acme:bob", "pw")
		assert.NoError(t, err, "the lock lapsed")
	}
	assert.Zero(t, f.count(key), "a success resets the shared count")
}

// TestSharedUnknownPairsCountAcrossEngines: an unknown account/user pair
// is counted in the shared lockout under its own key, and CREATE USER of
// that name clears it.
func TestSharedUnknownPairsCountAcrossEngines(t *testing.T) {
	f, _, e := sharedPair(t)
	for i := range 5 {
		wrong(t, e[i%2], "acme:ghost")
	}
	key := nameKey("acme", "ghost")
	assert.Equal(t, 5, f.count(key))
	for _, eng := range e {
		_, err := eng.Connect("acme:ghost", "pw")
		assertLockedAuto(t, err, "the pair is locked on both engines")
	}
	ann, err := e[0].Connect("acme:ann", "pw")
	must.NoError(t, err)
	must.NoError(t, ann.CreateUser(CreateUser{Users: []UserCredential{{Name: "ghost", Password: "pw"}}}))
	assert.Contains(t, f.log(), "Unlock "+key)
	_, err = e[1].Connect("acme:ghost", "pw")
	must.EqualError(t, err, "invalid username or password", "the pair's lock is lifted; the user is still unknown on the other engine")
}

func TestSharedKeysAreUnambiguous(t *testing.T) {
	assert.NotEqual(t, nameKey("a/1", "b"), nameKey("a", "1/b"))
	assert.NotEqual(t, nameKey("a", "b/c"), nameKey("a/b", "c"))
	assert.NotEqual(t, nameKey("1", "2"), userKey(12))
}

// TestRootNeverReachesTheSharedLockout: root's failures, its password
// change and an UNLOCK of it touch only the engine's own state; root is
// never locked.
func TestRootNeverReachesTheSharedLockout(t *testing.T) {
	f, _, e := sharedPair(t)
	rootID := userID(t, e[0], "sys", "root")
	for i := range 12 {
		wrong(t, e[i%2], "root")
	}
	root, err := e[0].Connect("root", "111")
	must.NoError(t, err, "root is never locked")
	must.NoError(t, root.AlterUser(AlterUser{Users: []UserChange{{Name: "root", Action: UserUnlock}}}))
	must.NoError(t, root.AlterUser(AlterUser{Users: []UserChange{{Name: "root", Action: UserSetPassword, Password: "222"}}}))
	_, err = e[0].Connect("root", "222")
	must.NoError(t, err)
	for _, call := range f.log() {
		assert.NotEqual(t, userKey(rootID), strings.Fields(call)[1], call)
		assert.NotContains(t, call, "root", call)
	}
}

// TestSharedUnlockReachesAReplica: B applies A's records. B set the lock
// itself (the fifth failure) and refuses without asking the shared lockout;
// applying the records asks nothing of it. Once B applies A's UNLOCK, its
// next login confirms with the shared lockout and goes on.
func TestSharedUnlockReachesAReplica(t *testing.T) {
	clk := &testClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	f := newFakeShared(clk)
	a := lockoutEngine(t, WithSharedLockout(f), WithClock(clk.Now))
	b, err := New(WithBootstrap(recordAt(t, a, 0)), WithHasher(password.PBKDF2(1000)), WithLockout(5, time.Minute),
		WithSharedLockout(f), WithClock(clk.Now))
	must.NoError(t, err)
	ann, err := a.Connect("acme:ann", "pw")
	must.NoError(t, err)
	must.NoError(t, ann.CreateUser(CreateUser{Users: []UserCredential{{Name: "bob", Password: "pw"}}}))
	calls := len(f.log())
	follow(t, a, b)
	assert.Len(t, f.log(), calls, "applying records calls nothing")

	for range 4 {
		wrong(t, a, "acme:bob")
	}
	wrong(t, b, "acme:bob")
	calls = len(f.log())
	_, err = b.Connect("acme:bob", "pw")
	assertLockedAuto(t, err, "B locked itself")
	assert.Len(t, f.log(), calls, "refused without asking the shared lockout")
	_, err = a.Connect("acme:bob", "pw")
	assertLockedAuto(t, err, "A learns it from the shared lockout")

	must.NoError(t, ann.AlterUser(AlterUser{Users: []UserChange{{Name: "bob", Action: UserUnlock}}}))
	key := userKey(userID(t, a, "acme", "bob"))
	assert.Equal(t, "Unlock "+key, f.log()[len(f.log())-1], "the engine that ran UNLOCK lifts the shared lock")
	calls = len(f.log())
	follow(t, a, b)
	assert.Len(t, f.log(), calls, "applying UNLOCK calls nothing")

	f.fail(errors.New("the shared lockout can not be reached"))
	_, err = b.Connect("acme:bob", "pw")
	assertLockedAuto(t, err, "unconfirmed, B keeps its lock")
	f.fail(nil)
	_, err = b.Connect("acme:bob", "pw")
	assert.NoError(t, err, "confirmed lifted, B lifts its lock")
	_, err = a.Connect("acme:bob", "pw")
	assert.NoError(t, err)
}

// TestSharedLockConfirmedAfterAResync: a replica that resyncs from a
// snapshot skipped the records that may have lifted its locks, so it
// confirms the locks the shared lockout reported.
func TestSharedLockConfirmedAfterAResync(t *testing.T) {
	clk := &testClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	f := newFakeShared(clk)
	a := lockoutEngine(t, WithSharedLockout(f), WithClock(clk.Now))
	b, err := New(WithBootstrap(recordAt(t, a, 0)), WithHasher(password.PBKDF2(1000)), WithLockout(5, time.Minute),
		WithSharedLockout(f), WithClock(clk.Now))
	must.NoError(t, err)
	ann, err := a.Connect("acme:ann", "pw")
	must.NoError(t, err)
	must.NoError(t, ann.CreateUser(CreateUser{Users: []UserCredential{{Name: "bob", Password: "pw"}}}))
	follow(t, a, b)
	for range 5 {
		wrong(t, b, "acme:bob")
	}
	must.NoError(t, ann.AlterUser(AlterUser{Users: []UserChange{{Name: "bob", Action: UserUnlock}}}))
	must.NoError(t, ann.CreateRole(CreateRole{Names: []string{"later"}}))
	var snap bytes.Buffer
	must.NoError(t, a.WriteSnapshot(&snap))
	_, err = b.Connect("acme:bob", "pw")
	assertLockedAuto(t, err, "B has not heard of the UNLOCK")
	must.NoError(t, b.Reset(&snap))
	_, err = b.Connect("acme:bob", "pw")
	assert.NoError(t, err, "confirmed lifted after the resync")
}

// recordAt returns e's change record at revision rev.
func recordAt(t *testing.T, e *Engine, rev uint64) *record.Record {
	t.Helper()
	for rec, err := range e.Changes(context.Background(), rev) {
		must.NoError(t, err)
		return &rec
	}
	t.Fatal("no record")
	return nil
}

// follow applies to replica the records of e it has not applied.
func follow(t *testing.T, e, replica *Engine) {
	t.Helper()
	for replica.Snapshot().Revision() < e.Snapshot().Revision() {
		must.NoError(t, replica.Apply(recordAt(t, e, replica.Snapshot().Revision()+1)))
	}
}

// TestSharedStatementEffects: the statements that reset counts or lift
// locks do so in the shared lockout once they are acknowledged; a failed
// one does nothing there.
func TestSharedStatementEffects(t *testing.T) {
	f, _, e := sharedPair(t)
	ann, err := e[0].Connect("acme:ann", "pw")
	must.NoError(t, err)
	bob := userKey(userID(t, e[0], "acme", "bob"))
	annKey := userKey(userID(t, e[0], "acme", "ann"))
	root, err := e[0].Connect("root", "111")
	must.NoError(t, err)
	tests := []struct {
		name string
		run  func() error
		want []string
	}{
		{"new password", func() error {
			return ann.AlterUser(AlterUser{Users: []UserChange{{Name: "bob", Action: UserSetPassword, Password: "pw2"}}})
		}, []string{"Reset " + bob}},
		{"unlock", func() error {
			return ann.AlterUser(AlterUser{Users: []UserChange{{Name: "bob", Action: UserUnlock}}})
		}, []string{"Unlock " + bob}},
		{"lock", func() error {
			return ann.AlterUser(AlterUser{Users: []UserChange{{Name: "bob", Action: UserLock}}})
		}, []string{}},
		{"a failed statement", func() error {
			err := ann.DropUser(DropUser{Names: []string{"nobody"}})
			assert.Error(t, err)
			return nil
		}, []string{}},
		{"drop user", func() error { return ann.DropUser(DropUser{Names: []string{"bob"}}) }, []string{"Unlock " + bob}},
		{"admin name", func() error {
			return root.AlterAccount(AlterAccount{Name: "acme", SetAdmin: true, AdminName: "ann", AdminPassword: "pw3"})
		}, []string{"Unlock " + annKey}},
		{"create account", func() error {
			return root.CreateAccount(CreateAccount{Name: "beta", AdminName: "bea", AdminPassword: "pw"})
		}, []string{"Unlock " + nameKey("beta", "bea")}},
		{"drop account", func() error { return root.DropAccount(DropAccount{Name: "acme"}) }, []string{"Unlock " + annKey}},
	}
	for _, tt := range tests {
		before := len(f.log())
		must.NoError(t, tt.run(), tt.name)
		assert.Equal(t, tt.want, f.log()[before:], tt.name)
	}
}

// TestSharedLockoutFailingFallsBackToTheEngine: while the shared lockout
// fails, logins work and each engine's own lockout still locks.
func TestSharedLockoutFailingFallsBackToTheEngine(t *testing.T) {
	f, _, e := sharedPair(t)
	f.fail(model.Errorf(model.ErrUnavailable, "the shared lockout can not be reached"))
	_, err := e[0].Connect("acme:bob", "pw")
	must.NoError(t, err)
	for range 5 {
		wrong(t, e[0], "acme:bob")
		wrong(t, e[0], "acme:ghost")
	}
	for _, login := range []string{"acme:bob", "acme:ghost"} {
		_, err = e[0].Connect(login, "pw")
		assertLockedAuto(t, err, login+", locked by the engine's own count")
	}
	_, err = e[1].Connect("acme:bob", "pw")
	assert.NoError(t, err, "the other engine never heard of the failures")
	root, err := e[0].Connect("root", "111")
	must.NoError(t, err)
	assert.NoError(t, root.DropAccount(DropAccount{Name: "acme"}), "a statement does not fail with the shared lockout")
}

// TestSharedConcurrentGuessesOnTwoEngines: wrong guesses at once on two
// engines, after three failures on the first. Attempts in flight are
// counted per engine: the first verifies at most two, the second five; the
// rest are refused unverified. Once they fail, the shared count is past
// the threshold and both refuse the right password.
func TestSharedConcurrentGuessesOnTwoEngines(t *testing.T) {
	_, _, e := sharedPair(t)
	for range 3 {
		wrong(t, e[0], "acme:bob")
	}
	budgets := [2]int{2, 5}
	var v [2]*countingVerifier
	results := make(chan error, 200)
	for i, eng := range e {
		v[i] = &countingVerifier{inner: eng.verifier, entered: make(chan struct{}, 100), gate: make(chan struct{})}
		eng.verifier = v[i]
		t.Cleanup(v[i].open)
		for range 100 {
			go func() {
				_, err := eng.Connect("acme:bob", "wrong")
				results <- err
			}()
		}
	}
	for i := range e {
		for range budgets[i] {
			receive(t, v[i].entered)
		}
	}
	for range 200 - budgets[0] - budgets[1] {
		assertLockedAuto(t, receive(t, results), "over an engine's budget")
	}
	for i := range e {
		v[i].open()
	}
	for range budgets[0] + budgets[1] {
		assert.EqualError(t, receive(t, results), "invalid username or password")
	}
	for i, eng := range e {
		assert.Equal(t, int64(budgets[i]), v[i].verified.Load(), "engine %d verified only its budget", i)
		_, err := eng.Connect("acme:bob", "pw")
		assertLockedAuto(t, err, "locked on both")
		assert.Equal(t, int64(budgets[i]), v[i].verified.Load())
	}
}

func TestWithSharedLockoutRefusesNil(t *testing.T) {
	_, err := New(WithRootPassword("111"), WithSharedLockout(nil))
	assert.ErrorIs(t, err, model.ErrInvalidOption)
}
