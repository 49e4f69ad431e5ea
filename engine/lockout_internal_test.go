package engine

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/stretchr/testify/assert"
	must "github.com/stretchr/testify/require"
)

// countingVerifier counts the verifications (real and dummy) a login
// spends; with a gate, each one waits until the gate is opened, after
// announcing itself on entered.
type countingVerifier struct {
	inner    verifier
	verified atomic.Int64
	entered  chan struct{}
	gate     chan struct{}
	once     sync.Once
}

func (c *countingVerifier) wait() {
	c.verified.Add(1)
	if c.gate != nil {
		c.entered <- struct{}{}
		<-c.gate
	}
}

// open lets every verification through, now and from now on.
func (c *countingVerifier) open() { c.once.Do(func() { close(c.gate) }) }

// receive takes the next value from ch; it fails the test if none comes
// (an attempt the test expected to be refused is waiting at the gate).
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(20 * time.Second):
		t.Fatal("no answer: an attempt over the budget is being verified")
		panic("unreachable")
	}
}

func (c *countingVerifier) Verify(encoded, pw string) bool {
	c.wait()
	return c.inner.Verify(encoded, pw)
}

func (c *countingVerifier) Dummy(pw string) {
	c.wait()
	c.inner.Dummy(pw)
}

// lockoutEngine is an engine with a fast real (untagged) hasher, account
// acme with its admin ann (password "pw") and a lockout threshold of 5.
func lockoutEngine(t *testing.T, opts ...Option) *Engine {
	t.Helper()
	base := []Option{WithRootPassword("111"), WithHasher(password.PBKDF2(1000)), WithLockout(5, time.Minute)}
	e, err := New(append(base, opts...)...)
	must.NoError(t, err)
	root, err := e.Connect("root", "111")
	must.NoError(t, err)
	must.NoError(t, root.CreateAccount(CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))
	return e
}

// TestGuessesInFlightSpendTheBudget: while the budget of wrong guesses
// (five less the failures so far) is being verified, every further attempt,
// the right password included, is refused unverified; once they fail the
// user is locked. Known and unknown users alike. Logins move no revision.
func TestGuessesInFlightSpendTheBudget(t *testing.T) {
	for _, tt := range []struct {
		login string
		prior int // failures before the guesses
	}{{"acme:ann", 0}, {"acme:ghost", 0}, {"acme:ann", 3}, {"acme:ghost", 3}} {
		login, budget := tt.login, 5-tt.prior
		t.Run(fmt.Sprintf("%s after %d failures", login, tt.prior), func(t *testing.T) {
			e := lockoutEngine(t)
			for range tt.prior {
				_, err := e.Connect(login, "wrong")
				must.ErrorIs(t, err, model.ErrAuth)
			}
			rev := e.Snapshot().Revision()
			v := &countingVerifier{inner: e.verifier, entered: make(chan struct{}, 200), gate: make(chan struct{})}
			e.verifier = v
			t.Cleanup(func() { v.open() })
			results := make(chan error, 199)
			for range 199 {
				go func() {
					_, err := e.Connect(login, "wrong")
					results <- err
				}()
			}
			for range budget {
				receive(t, v.entered)
			}
			for range 199 - budget {
				assert.EqualError(t, receive(t, results), "user is locked, please try again later", "over the budget")
			}
			_, err := e.Connect(login, "pw")
			assert.EqualError(t, err, "user is locked, please try again later", "the right password, over the budget")
			v.open()
			for range budget {
				assert.EqualError(t, receive(t, results), "invalid username or password")
			}
			assert.Equal(t, int64(budget), v.verified.Load(), "only the budget was verified")
			_, err = e.Connect(login, "pw")
			assert.EqualError(t, err, "user is locked, please try again later", "five failures lock")
			assert.Equal(t, int64(budget), v.verified.Load())
			assert.Equal(t, rev, e.Snapshot().Revision(), "logins commit nothing")
		})
	}
}

// TestConcurrentGuessesVerifyAtMostTheThreshold: 200 guesses at once, the
// right password among them. If the right one was refused, no success
// reset the count, so at most five passwords were verified and the user
// ends locked. If it succeeded, it was let through within the budget; its
// success starts a new count for the attempts after it, so at most five
// more wrong passwords are verified.
func TestConcurrentGuessesVerifyAtMostTheThreshold(t *testing.T) {
	e := lockoutEngine(t)
	v := &countingVerifier{inner: e.verifier}
	e.verifier = v
	var wg sync.WaitGroup
	var ok, locked, wrong atomic.Int64
	rightErr := make(chan error, 1)
	for i := range 200 {
		wg.Go(func() {
			pw := "wrong"
			if i == 100 {
				pw = "pw"
			}
			_, err := e.Connect("acme:ann", pw)
			if i == 100 {
				rightErr <- err
			}
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, model.ErrAuth):
				wrong.Add(1)
			case err.Error() == "user is locked, please try again later":
				locked.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, v.verified.Load(), ok.Load()+wrong.Load(), "every verified attempt was answered by its password")
	assert.Equal(t, int64(200), ok.Load()+wrong.Load()+locked.Load())
	if err := <-rightErr; err != nil {
		assert.EqualError(t, err, "user is locked, please try again later")
		assert.LessOrEqual(t, v.verified.Load(), int64(5))
		_, err = e.Connect("acme:ann", "pw")
		assert.EqualError(t, err, "user is locked, please try again later", "five wrong guesses were verified")
	} else {
		assert.LessOrEqual(t, wrong.Load(), int64(4+5), "at most four before the success and five after")
	}
}

// TestLoginDoesNotWaitForTheWriter: with the writer's lock held (a long
// statement), wrong passwords of a known user, of an unknown one and of
// root are answered and counted, and the revision does not move.
func TestLoginDoesNotWaitForTheWriter(t *testing.T) {
	var slept atomic.Int64
	e := lockoutEngine(t, WithSleep(func(time.Duration) { slept.Add(1) }))
	rev := e.Snapshot().Revision()
	e.mu.Lock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, login := range []string{"acme:ann", "acme:ghost", "root"} {
			for range 5 {
				_, err := e.Connect(login, "wrong")
				assert.EqualError(t, err, "invalid username or password", login)
			}
			_, err := e.Connect(login, "wrong")
			if login == "root" {
				assert.EqualError(t, err, "invalid username or password", "root is never locked")
			} else {
				assert.EqualError(t, err, "user is locked, please try again later", login)
			}
		}
		_, err := e.Connect("root", "111")
		assert.NoError(t, err)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("a login waited for the writer's lock")
	}
	assert.Equal(t, rev, e.Snapshot().Revision(), "logins move no revision")
	e.mu.Unlock()
	assert.Equal(t, int64(1), slept.Load(), "root's sixth failure was delayed")
}

// TestLoginStateIsForgotten: a user's volatile state goes once it holds
// nothing (a success) and when the user is dropped.
func TestLoginStateIsForgotten(t *testing.T) {
	e := lockoutEngine(t)
	ann, err := e.Connect("acme:ann", "pw")
	must.NoError(t, err)
	must.NoError(t, ann.CreateUser(CreateUser{Users: []UserCredential{{Name: "bob", Password: "pw"}}}))
	_, err = e.Connect("acme:bob", "wrong")
	must.ErrorIs(t, err, model.ErrAuth)
	assert.Len(t, e.logins.users, 1)
	_, err = e.Connect("acme:bob", "pw")
	must.NoError(t, err)
	assert.Empty(t, e.logins.users, "a success leaves nothing to keep")
	_, err = e.Connect("acme:bob", "wrong")
	must.ErrorIs(t, err, model.ErrAuth)
	must.NoError(t, ann.DropUser(DropUser{Names: []string{"bob"}}))
	assert.Empty(t, e.logins.users, "DROP USER forgets the user")
	_, err = e.Connect("acme:ann", "wrong")
	must.ErrorIs(t, err, model.ErrAuth)
	root, err := e.Connect("root", "111")
	must.NoError(t, err)
	must.NoError(t, root.DropAccount(DropAccount{Name: "acme"}))
	assert.Empty(t, e.logins.users, "DROP ACCOUNT forgets its users")
}

// BenchmarkLogin measures failed logins with the production hasher: a
// wrong password of a known user, of an unknown user, the same while the
// writer's lock is held, and an attempt refused over the budget.
func BenchmarkLogin(b *testing.B) {
	e, err := New(WithRootPassword("111"), WithLockout(1<<30, time.Minute))
	must.NoError(b, err)
	run := func(name, login string) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_, _ = e.Connect(login, "wrong")
			}
		})
	}
	run("known", "root")
	run("unknown", "ghost")
	e.mu.Lock()
	run("known-writer-held", "root")
	e.mu.Unlock()
	locked, err := New(WithRootPassword("111"), WithLockout(1, time.Minute))
	must.NoError(b, err)
	_, _ = locked.Connect("ghost", "wrong")
	b.Run("refused", func(b *testing.B) {
		for b.Loop() {
			_, _ = locked.Connect("ghost", "wrong")
		}
	})
}
