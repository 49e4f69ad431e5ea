package engine

import (
	"context"
	"strconv"
	"time"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// A SharedLockout holds login failure counts and automatic locks that
// replicas share (reference §20), so that the lockout threshold of §7 holds
// across them: etcdlog.Lockout implements it on etcd keys leased for the
// lock duration. Keys are opaque to it. It must count and lock with the
// same threshold and lock duration as the engines that use it
// ([WithLockout]).
type SharedLockout interface {
	// Fail counts one failed login of key, atomically across replicas,
	// and returns the count and whether key is now locked: the
	// threshold-th failure in a row sets the lock, for the lock duration.
	// A failure of a locked key returns (threshold, true).
	Fail(ctx context.Context, key string) (count int, locked bool, err error)
	// Reset clears the failure count of key; a lock stays.
	Reset(ctx context.Context, key string) error
	// Unlock clears the failure count and the lock of key.
	Unlock(ctx context.Context, key string) error
	// Locked reports whether key is locked.
	Locked(ctx context.Context, key string) (bool, error)
}

// sharedTimeout bounds each call to the shared lockout, and all the calls
// one statement makes together.
const sharedTimeout = 2 * time.Second

// WithSharedLockout makes the engine share its login failure counts and
// automatic locks with other replicas through l (reference §20). The
// engine keeps its own lockout (§7) as well, so a replica is never weaker
// than a lone engine; the shared one adds to it:
//   - an attempt let through by the engine's own lockout is refused,
//     unverified, when l says its user (or unknown account/user pair) is
//     locked;
//   - a wrong password is counted in l too, and when l reports the lock
//     the engine locks the user itself, for its own lock duration, so its
//     later attempts are refused without asking l;
//   - a correct password resets l's count.
//
// The statements that reset counts or lift locks (UNLOCK, ALTER ACCOUNT
// ... ADMIN_NAME, a new password, CREATE USER of a name counted as
// unknown, DROP USER, DROP ACCOUNT) do so in l once they are acknowledged,
// on the engine that ran them only, not where their records are applied.
// The admin user of sys is never passed to l: it is never locked
// automatically. l must be configured with the engine's threshold and
// lock duration ([WithLockout]). Every call runs under a short timeout; when
// l fails, the engine goes on with its own lockout alone and no login
// fails because of it. Attempts in flight are counted per engine.
func WithSharedLockout(l SharedLockout) Option {
	return func(c *config) error {
		if l == nil {
			return model.Errorf(model.ErrInvalidOption, "no shared lockout given")
		}
		c.lockout = l
		return nil
	}
}

// userKey is the shared lockout's key of a known user.
func userKey(id model.UserID) string {
	return "user/" + strconv.FormatUint(uint64(id), 10)
}

// nameKey is the shared lockout's key of an unknown account/user pair of
// folded names. The account name's length comes first, so that names
// holding any character never make two pairs share a key.
func nameKey(account, user string) string {
	return "name/" + strconv.Itoa(len(account)) + "/" + account + "/" + user
}

// loginKey returns the shared lockout's key of a login of user u of acc,
// or "" when the engine shares no lockout or u is the admin user of sys,
// which is never locked automatically.
func (e *Engine) loginKey(acc *catalog.Account, u *catalog.User) string {
	if e.cfg.lockout == nil || isRoot(acc, u) {
		return ""
	}
	return userKey(u.ID)
}

// unknownKey returns the shared lockout's key of a login of an unknown
// account/user pair, or "" when the engine shares no lockout.
func (e *Engine) unknownKey(account, user string) string {
	if e.cfg.lockout == nil {
		return ""
	}
	return nameKey(account, user)
}

// sharedAdmit asks the shared lockout about an attempt the engine's own
// lockout let through. It refuses the attempt, as an automatic lock does,
// when the shared lockout says key is locked. A probe (an attempt let
// through a lock the shared lockout reported, which may have been lifted
// on another engine since) goes on only when the shared lockout answers
// that key is not locked: then the lock is lifted here too. Otherwise an
// error of the shared lockout leaves the engine's own lockout to judge.
func (e *Engine) sharedAdmit(at attempt, key string) error {
	if key == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	locked, err := e.cfg.lockout.Locked(ctx, key)
	switch {
	case err == nil && locked, err != nil && at.probe:
		e.logins.abandon(at)
		return errLockedAuto
	case at.probe:
		return e.logins.lifted(at)
	}
	return nil
}

// sharedSettle tells the shared lockout how a verified attempt ended: a
// success resets key's count, a failure counts. It reports whether the
// shared lockout now holds key locked; an error counts as not.
func (e *Engine) sharedSettle(key string, ok bool) (locked bool) {
	if key == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	if ok {
		_ = e.cfg.lockout.Reset(ctx, key) // a count left behind lapses with its lease
		return false
	}
	_, locked, err := e.cfg.lockout.Fail(ctx, key)
	return err == nil && locked
}

// sharedEffect is what an acknowledged statement does to the shared
// lockout: reset key's count, or (unlock) clear its count and lock.
type sharedEffect struct {
	key    string
	unlock bool
}

// shareUser records the effect of a statement on the shared state of user
// u of acc: a reset of its count or, with unlock, the lift of its lock.
// The admin user of sys is left out, as its logins are.
func (w *writer) shareUser(acc *catalog.Account, u *catalog.User, unlock bool) {
	if w.e.cfg.lockout == nil || acc == nil || isRoot(acc, u) {
		return
	}
	w.shared = append(w.shared, sharedEffect{key: userKey(u.ID), unlock: unlock})
}

// shareName records that the count and lock of an unknown account/user
// pair go, once a user of that name exists.
func (w *writer) shareName(account, user string) {
	if w.e.cfg.lockout == nil {
		return
	}
	w.shared = append(w.shared, sharedEffect{key: nameKey(account, user), unlock: true})
}

// share applies an acknowledged statement's effects to the shared lockout,
// in order, all under one timeout. It stops at the first error: what is
// left lapses with its lease (a count one lock duration after its last
// failure, a lock when it ends), and the engine's own lockout was already
// changed.
func (e *Engine) share(effects []sharedEffect) {
	if len(effects) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	l := e.cfg.lockout
	for _, fx := range effects {
		var err error
		if fx.unlock {
			err = l.Unlock(ctx, fx.key)
		} else {
			err = l.Reset(ctx, fx.key)
		}
		if err != nil {
			return
		}
	}
}
