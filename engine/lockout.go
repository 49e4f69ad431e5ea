package engine

import (
	"container/list"
	"sync"
	"time"

	"github.com/pdp-authz/pdp/model"
)

// rootDelay is how long a failed login of the admin user of sys past the
// threshold waits before it is answered (reference §7).
const rootDelay = time.Second

// unknownPairs bounds how many unknown account/user pairs are counted.
const unknownPairs = 4096

// verifier is the part of the password hasher a login spends time in.
type verifier interface {
	Verify(encoded, pw string) bool
	Dummy(pw string)
}

// lockout is the volatile security state of logins (reference §7): failure
// counts, automatic locks and attempts in flight, per known user and per
// unknown account/user pair. It lives outside the catalog: logins take
// neither the writer's lock nor a revision. One mutex guards it, held only
// for a few map operations, never while hashing.
type lockout struct {
	threshold int
	lockFor   time.Duration
	now       func() time.Time

	mu      sync.Mutex
	users   map[model.UserID]*tally
	unknown *tallyLRU
}

// tally is the login state of one user or unknown name pair.
type tally struct {
	failures    int       // wrong passwords in a row
	inFlight    int       // attempts begun and not yet ended
	lockedUntil time.Time // automatic lock; zero when none
	sharedLock  bool      // the lock was set because the shared lockout reported it
	recheck     bool      // a change to the user was applied since: the shared lock may have been lifted elsewhere
}

func (t *tally) idle() bool {
	return t.failures == 0 && t.inFlight == 0 && t.lockedUntil.IsZero()
}

// lift clears the count and the automatic lock.
func (t *tally) lift() {
	t.failures, t.lockedUntil, t.sharedLock, t.recheck = 0, time.Time{}, false, false
}

// attempt is one login attempt that was let through to the password check.
type attempt struct {
	t      *tally
	user   model.UserID // the known user, when known
	known  bool
	exempt bool // the admin user of sys: never locked automatically
	slow   bool // exempt and past the threshold: a failure waits rootDelay
	probe  bool // let through a shared lock that may be lifted: the shared lockout must say it is
}

func newLockout(threshold int, lockFor time.Duration, now func() time.Time) *lockout {
	return &lockout{threshold: threshold, lockFor: lockFor, now: now,
		users: map[model.UserID]*tally{}, unknown: newTallyLRU(unknownPairs)}
}

// beginUser starts a login attempt of a known user; exempt marks the admin
// user of sys.
func (l *lockout) beginUser(id model.UserID, exempt bool) (attempt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.users[id]
	if t == nil {
		t = &tally{}
		l.users[id] = t
	}
	at := attempt{t: t, user: id, known: true, exempt: exempt}
	return at, l.begin(&at)
}

// beginUnknown starts a login attempt of an unknown account/user pair.
func (l *lockout) beginUnknown(account, user string) (attempt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := attempt{t: l.unknown.get(pairKey(account, user))}
	return at, l.begin(&at)
}

// begin lets an attempt through to the password check or refuses it
// unverified. Attempts in flight count against the threshold as if they had
// failed, so concurrent guesses verify at most threshold - failures of them
// (reference §7). The admin user of sys is never refused: past the threshold it
// is let through slow. A lock the shared lockout reported, on a user changed
// by another engine since, lets the attempt through as a probe: it goes on
// only if the shared lockout says the lock was lifted (sharedAdmit).
func (l *lockout) begin(at *attempt) error {
	t, now := at.t, l.now()
	if !t.lockedUntil.IsZero() && !now.Before(t.lockedUntil) {
		t.lift() // the lock expired: a fresh count
	}
	if t.sharedLock && t.recheck && !at.exempt {
		at.probe = true
		t.inFlight++
		return nil
	}
	over := !t.lockedUntil.IsZero() || t.failures+t.inFlight >= l.threshold
	if over && !at.exempt {
		return errLockedAuto
	}
	at.slow = over
	t.inFlight++
	return nil
}

// end settles an attempt: a success resets the count, a failure adds to it
// and the threshold-th failure in a row locks automatically, unless exempt;
// so does a failure the shared lockout reports locked (sharedLocked).
func (l *lockout) end(at attempt, ok, sharedLocked bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := at.t
	t.inFlight--
	if ok {
		t.failures = 0
	} else if t.failures++; !at.exempt {
		if t.lockedUntil.IsZero() && (t.failures >= l.threshold || sharedLocked) {
			t.lockedUntil, t.recheck = l.now().Add(l.lockFor), false
		}
		if sharedLocked && !t.lockedUntil.IsZero() {
			t.sharedLock = true
		}
	}
	l.release(at)
}

// abandon ends an attempt refused before its password was verified: it
// counts as neither a success nor a failure.
func (l *lockout) abandon(at attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at.t.inFlight--
	l.release(at)
}

// lifted goes on with a probe the shared lockout let through: the shared
// lock was lifted on another engine, so it is lifted here too, and the
// probe is judged on the fresh budget like any attempt.
func (l *lockout) lifted(at attempt) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := at.t
	if t.sharedLock && t.recheck {
		t.lift()
	}
	if !t.lockedUntil.IsZero() || t.failures+t.inFlight > l.threshold {
		t.inFlight--
		l.release(at)
		return errLockedAuto
	}
	return nil
}

// release forgets the tally of a known user's attempt that holds nothing
// any more.
func (l *lockout) release(at attempt) {
	if at.known {
		l.dropIdle(at.user, at.t)
	}
}

// recheck marks the user's lock, if the shared lockout reported it, as one
// to confirm with the shared lockout before refusing: a change to the user
// made on another engine (UNLOCK, ADMIN_NAME) may have lifted it there.
func (l *lockout) recheck(id model.UserID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := l.users[id]; t != nil && t.sharedLock {
		t.recheck = true
	}
}

// dropIdle forgets a user's tally once it holds nothing.
func (l *lockout) dropIdle(id model.UserID, t *tally) {
	if t.idle() && l.users[id] == t {
		delete(l.users, id)
	}
}

// recheckAll marks every lock the shared lockout reported as one to
// confirm with it (the engine skipped records: a resync).
func (l *lockout) recheckAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range l.users {
		if t.sharedLock {
			t.recheck = true
		}
	}
}

// resetFailures clears a user's failure count (a password change); an
// automatic lock stays.
func (l *lockout) resetFailures(id model.UserID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := l.users[id]; t != nil {
		t.failures = 0
		l.dropIdle(id, t)
	}
}

// unlock clears a user's failure count and lifts its automatic lock (UNLOCK,
// ALTER ACCOUNT ... ADMIN_NAME).
func (l *lockout) unlock(id model.UserID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := l.users[id]; t != nil {
		t.lift()
		l.dropIdle(id, t)
	}
}

// forgetUsers drops the state of dropped users.
func (l *lockout) forgetUsers(ids ...model.UserID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		delete(l.users, id)
	}
}

// forgetName clears the count of an unknown name pair, once a user of that
// name exists.
func (l *lockout) forgetName(account, user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unknown.forget(pairKey(account, user))
}

func pairKey(account, user string) string { return account + "\x00" + user }

// tallyLRU holds the tallies of unknown name pairs, bounded in size; the
// least recently used goes first. Its owner serialises access.
type tallyLRU struct {
	max   int
	order *list.List
	items map[string]*list.Element
}

type lruEntry struct {
	key string
	t   tally
}

func newTallyLRU(max int) *tallyLRU {
	return &tallyLRU{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the tally of key, creating it (and evicting the oldest) if
// needed.
func (c *tallyLRU) get(key string) *tally {
	el, ok := c.items[key]
	if !ok {
		el = c.order.PushFront(&lruEntry{key: key})
		c.items[key] = el
		if c.order.Len() > c.max {
			last := c.order.Back()
			c.order.Remove(last)
			delete(c.items, last.Value.(*lruEntry).key)
		}
	}
	c.order.MoveToFront(el)
	return &el.Value.(*lruEntry).t
}

func (c *tallyLRU) forget(key string) {
	if el, ok := c.items[key]; ok {
		c.order.Remove(el)
		delete(c.items, key)
	}
}
