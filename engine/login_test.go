package engine_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lockUser(name string) engine.AlterUser {
	return engine.AlterUser{Users: []engine.UserChange{{Name: name, Action: engine.UserLock}}}
}

func alterUser(name string, action engine.UserAction, pw string) engine.AlterUser {
	return engine.AlterUser{Users: []engine.UserChange{{Name: name, Action: action, Password: model.Secret(pw)}}}
}

// wrongLogins fails to log in n times in a row.
func wrongLogins(t *testing.T, eng *engine.Engine, login string, n int) {
	t.Helper()
	for range n {
		_, err := eng.Connect(login, "wrong")
		require.EqualError(t, err, "invalid username or password", login)
	}
}

// TestRootAndSelfCannotBeLocked: root cannot be locked, not even by
// moadmin, and nobody can lock itself; the rule is stage 2: after the
// one-user rule, before authority.
func TestRootAndSelfCannotBeLocked(t *testing.T) {
	eng, ann := acmeFixture(t)
	root := connect(t, eng, "root", "111")
	bob := connect(t, eng, "acme:bob", "pw")
	for _, tt := range []struct {
		name string
		who  *engine.Session
		st   engine.AlterUser
		want string
	}{
		{"root by moadmin", root, lockUser("root"), "can not lock the user root"},
		{"root, folded", root, lockUser(" ROOT "), "can not lock the user root"},
		{"the account admin itself", ann, lockUser("ann"), "can not lock the user ann"},
		{"self, without authority", bob, lockUser("bob"), "can not lock the user bob"},
		{"two users", root, engine.AlterUser{Users: []engine.UserChange{{Name: "root", Action: engine.UserLock}, {Name: "x", Action: engine.UserLock}}},
			"can only alter one user at a time"},
		{"someone else, without authority", bob, lockUser("ann"), "do not have privilege to execute the statement"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rev := eng.Snapshot().Revision()
			assert.EqualError(t, tt.who.AlterUser(tt.st), tt.want)
			assert.Equal(t, rev, eng.Snapshot().Revision())
		})
	}
	assert.ErrorIs(t, root.AlterUser(lockUser("root")), model.ErrCannotLock)
	require.NoError(t, ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "root", Password: "pw"}}}))
	assert.NoError(t, ann.AlterUser(lockUser("root")), "a user named root outside sys is an ordinary user")
	assert.NoError(t, ann.AlterUser(lockUser("bob")))
	assert.NoError(t, root.AlterUser(alterUser("root", engine.UserUnlock, "")), "UNLOCK is not refused")
}

// TestRootIsDelayedNotLocked: past the threshold each failed login of root
// waits one second and is answered "invalid username or password"; the
// right password still logs in, without delay, and resets the count.
func TestRootIsDelayedNotLocked(t *testing.T) {
	var mu sync.Mutex
	var slept []time.Duration
	sleep := func(d time.Duration) { mu.Lock(); slept = append(slept, d); mu.Unlock() }
	eng := newEngine(t, engine.WithSleep(sleep), engine.WithLockout(3, time.Minute))
	rev := eng.Snapshot().Revision()
	wrongLogins(t, eng, "root", 3)
	assert.Empty(t, slept, "up to the threshold nothing waits")
	wrongLogins(t, eng, "root", 2)
	assert.Equal(t, []time.Duration{time.Second, time.Second}, slept)
	connect(t, eng, "root", "111")
	assert.Len(t, slept, 2, "the right password is not delayed")
	wrongLogins(t, eng, "root", 3)
	assert.Len(t, slept, 2, "a success reset the count")

	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := eng.Connect("root", "wrong")
			assert.EqualError(t, err, "invalid username or password", "root is never refused as locked")
		})
	}
	wg.Wait()
	assert.Len(t, slept, 52, "every failure past the threshold waited")
	connect(t, eng, "root", "111")
	assert.Equal(t, rev, eng.Snapshot().Revision())
}

// TestWeakRootHashRefused: a hash cheaper than the hasher's work factor
// would verify faster than the dummy hash of an unknown user.
func TestWeakRootHashRefused(t *testing.T) {
	weak, err := password.PBKDF2(10_000).Hash("111")
	require.NoError(t, err)
	_, err = engine.New(engine.WithRootHash(weak))
	assert.ErrorIs(t, err, model.ErrPassword, "the production hasher refuses 10,000 iterations")

	fast := password.PBKDF2(1000)
	weak, err = password.PBKDF2(999).Hash("111")
	require.NoError(t, err)
	_, err = engine.New(engine.WithRootHash(weak), engine.WithHasher(fast))
	assert.ErrorIs(t, err, model.ErrPassword)
	good, err := fast.Hash("111")
	require.NoError(t, err)
	eng, err := engine.New(engine.WithRootHash(good), engine.WithHasher(fast))
	require.NoError(t, err)
	connect(t, eng, "root", "111")
}

// TestCreateUserClearsTheUnknownName: five failures lock the unknown name
// bob; creating bob clears that, and once bob is dropped its name starts
// afresh.
func TestCreateUserClearsTheUnknownName(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.DropUser(engine.DropUser{Names: []string{"bob"}}))
	wrongLogins(t, eng, "acme:bob", 5)
	_, err := eng.Connect("acme:bob", "pw")
	require.EqualError(t, err, "user is locked, please try again later")
	require.NoError(t, ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "bob", Password: "pw"}}}))
	require.NoError(t, ann.DropUser(engine.DropUser{Names: []string{"bob"}}))
	_, err = eng.Connect("acme:bob", "wrong")
	assert.EqualError(t, err, "invalid username or password")
}

// TestAutomaticLockOnlyRefusesLogins: a live session of an automatically
// locked user keeps working and its decisions allow; a password change
// resets the count but keeps the lock; UNLOCK and ADMIN_NAME lift it; the
// lock expires on the engine's clock. No login moves the revision.
func TestAutomaticLockOnlyRefusesLogins(t *testing.T) {
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	eng := newEngine(t, engine.WithClock(clk.Now), engine.WithLockout(3, time.Minute))
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))
	ann := connect(t, eng, "acme:ann", "pw")
	require.NoError(t, ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "bob", Password: "pw"}}}))
	bob := connect(t, eng, "acme:bob", "pw")

	rev := eng.Snapshot().Revision()
	wrongLogins(t, eng, "acme:bob", 3)
	_, err := eng.Connect("acme:bob", "pw")
	require.EqualError(t, err, "user is locked, please try again later")
	assert.Equal(t, rev, eng.Snapshot().Revision())
	_, err = bob.ShowGrants(engine.ShowGrants{})
	assert.NoError(t, err, "a live session is not refused")
	assert.True(t, bob.Decide(model.PrivConnect, account).Allowed)

	require.NoError(t, bob.AlterUser(alterUser("bob", engine.UserSetPassword, "pw2")))
	_, err = eng.Connect("acme:bob", "pw2")
	assert.EqualError(t, err, "user is locked, please try again later", "a password change does not lift the lock")
	require.NoError(t, ann.AlterUser(alterUser("bob", engine.UserUnlock, "")))
	connect(t, eng, "acme:bob", "pw2")

	wrongLogins(t, eng, "acme:ann", 3)
	_, err = eng.Connect("acme:ann", "pw")
	require.EqualError(t, err, "user is locked, please try again later")
	require.NoError(t, root.AlterAccount(engine.AlterAccount{Name: "acme", SetAdmin: true, AdminName: "ann", AdminPassword: "new"}))
	connect(t, eng, "acme:ann", "new")

	wrongLogins(t, eng, "acme:ann", 3)
	clk.now = clk.now.Add(time.Minute - time.Nanosecond)
	_, err = eng.Connect("acme:ann", "new")
	require.EqualError(t, err, "user is locked, please try again later")
	clk.now = clk.now.Add(time.Nanosecond)
	wrongLogins(t, eng, "acme:ann", 2)
	connect(t, eng, "acme:ann", "new")
}
