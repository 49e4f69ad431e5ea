package engine

import (
	"container/list"
	"strings"
	"sync"
	"time"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

var zeroTime time.Time

var errAuth = model.Errorf(model.ErrAuth, "invalid username or password")

// Connect logs in with a SPEC §7 login string: "user" (account sys),
// "account:user" or "account:user:role".
func (e *Engine) Connect(login, pw string) (*Session, error) {
	if !e.ready() {
		return nil, errAuth
	}
	fields := strings.Split(login, ":")
	if len(fields) > 3 {
		e.cfg.hasher.Dummy(pw)
		return nil, errAuth
	}
	if len(fields) == 1 {
		fields = []string{model.SysAccount, fields[0]}
	}
	role := ""
	if len(fields) == 3 {
		if role = strings.TrimSpace(fields[2]); role == "" {
			e.cfg.hasher.Dummy(pw)
			return nil, errAuth
		}
	}
	return e.Login(fields[0], fields[1], pw, role)
}

// Login logs user into account with password pw, acting through role, or
// through the default role when role is "" (SPEC §7). Unknown names, wrong
// passwords and malformed names all fail alike; wrong passwords count
// towards the automatic lock.
func (e *Engine) Login(account, user, pw, role string) (*Session, error) {
	if !e.ready() {
		return nil, errAuth
	}
	an, err1 := model.FoldName(model.NameAccount, account)
	un, err2 := model.FoldName(model.NameUser, user)
	if err1 != nil || err2 != nil {
		e.cfg.hasher.Dummy(pw)
		return nil, errAuth
	}
	tx := e.Snapshot().read()
	acc := tx.AccountByName(an)
	var u *catalog.User
	if acc != nil {
		u = tx.UserByName(acc.ID, un)
	}
	if u == nil {
		return nil, e.unknownLogin(an, un, pw)
	}
	if u.Locked {
		return nil, errLockedManual
	}
	if e.cfg.now().Before(u.LockedUntil) {
		return nil, errLockedAuto
	}
	if !e.cfg.hasher.Verify(u.Hash, pw) {
		e.countFailure(u.ID)
		return nil, errAuth
	}
	if u.Failures > 0 {
		e.resetFailures(u.ID)
	}
	if acc.Status == model.StatusSuspended {
		return nil, suspended(acc.Name)
	}
	return e.openSession(tx, acc, u, role)
}

// openSession picks the active role: the login role, else the default role
// if still granted directly, else public.
func (e *Engine) openSession(tx *catalog.Tx, acc *catalog.Account, u *catalog.User, role string) (*Session, error) {
	s := &Session{e: e, account: acc.ID, accountName: acc.Name, user: u.ID, userName: u.Name}
	var r *catalog.Role
	if role != "" {
		rn, err := model.FoldName(model.NameRole, role)
		if err != nil {
			return nil, err
		}
		if r = tx.RoleByName(acc.ID, rn); r == nil {
			return nil, model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(rn))
		}
		if tx.UserRole(u.ID, r.ID) == nil {
			return nil, notGranted(rn, u.Name)
		}
	} else if r = tx.Role(u.DefaultRole); r == nil || tx.UserRole(u.ID, r.ID) == nil {
		r = tx.Role(acc.PublicRole)
	}
	s.role, s.roleName = r.ID, r.Name
	return s, nil
}

// countFailure counts a wrong password; the threshold-th in a row locks the
// user automatically.
func (e *Engine) countFailure(id model.UserID) {
	_ = e.update(func(w *writer) error {
		u := w.User(id)
		if u == nil {
			return nil
		}
		c := *u
		c.Failures++
		if int(c.Failures) >= e.cfg.threshold {
			c.Failures, c.LockedUntil = 0, e.cfg.now().Add(e.cfg.lockFor)
		}
		w.Put(&c)
		return nil
	})
}

func (e *Engine) resetFailures(id model.UserID) {
	_ = e.update(func(w *writer) error {
		if u := w.User(id); u != nil {
			c := *u
			c.Failures = 0
			w.Put(&c)
		}
		return nil
	})
}

// unknownLogin behaves like a login of a known user, in the same order and
// at the same cost: a locked name pair is refused before any hashing, any
// other attempt spends a dummy hash and counts as a failure.
func (e *Engine) unknownLogin(account, user, pw string) error {
	key, now := account+"\x00"+user, e.cfg.now()
	if e.logins.locked(key, now) {
		return errLockedAuto
	}
	e.cfg.hasher.Dummy(pw)
	e.logins.fail(key, now, e.cfg.threshold, e.cfg.lockFor)
	return errAuth
}

// failureLRU counts failed logins of unknown name pairs, bounded in size.
type failureLRU struct {
	mu    sync.Mutex
	max   int
	order *list.List
	items map[string]*list.Element
}

type failureEntry struct {
	key         string
	failures    int
	lockedUntil time.Time
}

func newFailureLRU(max int) *failureLRU {
	return &failureLRU{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// locked reports whether the name pair key is locked at now.
func (l *failureLRU) locked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.items[key]
	return ok && now.Before(el.Value.(*failureEntry).lockedUntil)
}

// fail records a failure for key; the threshold-th in a row locks the pair.
func (l *failureLRU) fail(key string, now time.Time, threshold int, lockFor time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.items[key]
	if !ok {
		el = l.order.PushFront(&failureEntry{key: key})
		l.items[key] = el
		if l.order.Len() > l.max {
			last := l.order.Back()
			l.order.Remove(last)
			delete(l.items, last.Value.(*failureEntry).key)
		}
	}
	l.order.MoveToFront(el)
	f := el.Value.(*failureEntry)
	f.failures++
	if f.failures >= threshold {
		f.failures, f.lockedUntil = 0, now.Add(lockFor)
	}
}

// forget clears the count of a name pair, when a user of that name is created.
func (l *failureLRU) forget(account, user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.items[account+"\x00"+user]; ok {
		l.order.Remove(el)
		delete(l.items, account+"\x00"+user)
	}
}
