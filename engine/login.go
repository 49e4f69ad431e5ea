package engine

import (
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

var errAuth = model.Errorf(model.ErrAuth, "invalid username or password")

// Connect logs in with a reference §7 login string: "user" (account sys),
// "account:user" or "account:user:role".
func (e *Engine) Connect(login, pw string) (*Session, error) {
	if !e.ready() {
		return nil, errAuth
	}
	fields := strings.Split(login, ":")
	if len(fields) > 3 {
		e.verifier.Dummy(pw)
		return nil, errAuth
	}
	if len(fields) == 1 {
		fields = []string{model.SysAccount, fields[0]}
	}
	role := ""
	if len(fields) == 3 {
		if role = strings.TrimSpace(fields[2]); role == "" {
			e.verifier.Dummy(pw)
			return nil, errAuth
		}
	}
	return e.Login(fields[0], fields[1], pw, role)
}

// Login logs user into account with password pw, acting through role, or
// through the default role when role is "" (reference §7). Unknown names, wrong
// passwords and malformed names all fail alike; wrong passwords count
// towards the automatic lock. The bookkeeping is volatile and outside the
// catalog: a login never takes the writer's lock nor moves the revision.
func (e *Engine) Login(account, user, pw, role string) (*Session, error) {
	if !e.ready() {
		return nil, errAuth
	}
	an, err1 := model.FoldName(model.NameAccount, account)
	un, err2 := model.FoldName(model.NameUser, user)
	if err1 != nil || err2 != nil {
		e.verifier.Dummy(pw)
		return nil, errAuth
	}
	snap := e.Snapshot()
	if snap.stale {
		return nil, e.staleError() // the replica may not know a lock or a new password
	}
	tx := snap.read()
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
	at, err := e.logins.beginUser(u.ID, isRoot(acc, u))
	if err != nil {
		return nil, err
	}
	key := e.loginKey(acc, u)
	if err := e.sharedAdmit(at, key); err != nil {
		return nil, err
	}
	if !e.settle(at, key, e.verifier.Verify(u.Hash, pw)) {
		return nil, errAuth
	}
	if acc.Status == model.StatusSuspended {
		return nil, suspended(acc.Name)
	}
	return e.openSession(tx, acc, u, role)
}

// isRoot reports whether u is the admin user of sys, which is never locked
// automatically (reference §7).
func isRoot(acc *catalog.Account, u *catalog.User) bool {
	return acc.Name == model.SysAccount && u.ID == acc.AdminUser
}

// unknownLogin behaves like a login of a known user, in the same order and
// at the same cost: an attempt past the name pair's budget is refused
// before any hashing, any other spends a dummy hash and counts as a failure.
func (e *Engine) unknownLogin(account, user, pw string) error {
	at, err := e.logins.beginUnknown(account, user)
	if err != nil {
		return err
	}
	key := e.unknownKey(account, user)
	if err := e.sharedAdmit(at, key); err != nil {
		return err
	}
	e.verifier.Dummy(pw)
	e.settle(at, key, false)
	return errAuth
}

// settle ends a login attempt whose password was verified (ok) or not,
// under the shared lockout's key too (none when key is ""); a failure of
// the admin user of sys past the threshold is answered only after the
// delay.
func (e *Engine) settle(at attempt, key string, ok bool) bool {
	e.logins.end(at, ok, e.sharedSettle(key, ok))
	if !ok && at.slow {
		e.cfg.sleep(rootDelay)
	}
	return ok
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
