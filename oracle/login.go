package oracle

import (
	"strings"

	"github.com/pdp-authz/pdp/model"
)

var errAuth = model.Errorf(model.ErrAuth, "invalid username or password")

// Connect logs in with a login string of reference §7.
func (m *Model) Connect(login, pw string) (*Session, error) {
	f := strings.Split(login, ":")
	switch len(f) {
	case 1:
		return m.Login(model.SysAccount, f[0], pw, "")
	case 2:
		return m.Login(f[0], f[1], pw, "")
	case 3:
		if strings.TrimSpace(f[2]) == "" {
			return nil, errAuth
		}
		return m.Login(f[0], f[1], pw, f[2])
	}
	return nil, errAuth
}

// Login runs the login steps of reference §7 in order. Failure counts and
// automatic locks are volatile: a login never commits. Root, the admin user
// of sys, is never locked automatically; past the threshold each of its
// failures is delayed (counted in Delays).
func (m *Model) Login(account, user, pw, role string) (*Session, error) {
	an, err1 := fold(nameAccount, account)
	un, err2 := fold(nameUser, user)
	if err1 != nil || err2 != nil {
		return nil, errAuth
	}
	s := m.State
	acc := s.accountByName(an)
	var u *User
	if acc != nil {
		u = s.userByName(acc.ID, un)
	}
	if u == nil {
		key := [2]string{an, un}
		f, err := m.attempt(s.unknown[key], false, false)
		s.unknown[key] = f
		if err != nil {
			return nil, err
		}
		return nil, errAuth
	}
	if u.Locked {
		return nil, model.Errorf(model.ErrLocked, "user is locked, please ask the administrator to unlock")
	}
	root := acc.Name == model.SysAccount && u.ID == acc.AdminUser
	f, err := m.attempt(s.logins[u.ID], root, u.Password == pw)
	s.logins[u.ID] = f
	switch {
	case err != nil:
		return nil, err
	case u.Password != pw:
		return nil, errAuth
	}
	if acc.Status == model.StatusSuspended {
		return nil, model.Errorf(model.ErrSuspended, "account suspended")
	}
	se := &Session{m: m, Account: acc.ID, User: u.ID}
	if role != "" {
		rn, err := fold(nameRole, role)
		if err != nil {
			return nil, err
		}
		r := s.roleByName(acc.ID, rn)
		switch {
		case r == nil:
			return nil, model.Errorf(model.ErrNotFound, "there is no role %s", rn)
		case s.userRole(u.ID, r.ID) < 0:
			return nil, model.Errorf(model.ErrNotGranted, "the role %s has not been granted to the user %s", rn, un)
		}
		se.Role = r.ID
	} else if s.userRole(u.ID, u.Default) >= 0 {
		se.Role = u.Default
	} else {
		se.Role = acc.Public
	}
	return se, nil
}

// attempt runs one login attempt on f, sequentially: an expired lock gives
// a fresh count; a locked name is refused unverified (root never is); a
// wrong password counts, and the threshold-th in a row locks.
func (m *Model) attempt(f failure, root, right bool) (failure, error) {
	now := m.Now()
	if !f.lockedUntil.IsZero() && !now.Before(f.lockedUntil) {
		f = failure{}
	}
	past := f.count >= m.Threshold
	switch {
	case !f.lockedUntil.IsZero():
		return f, model.Errorf(model.ErrLocked, "user is locked, please try again later")
	case right:
		return failure{}, nil
	}
	f.count++
	switch {
	case root && past:
		m.Delays++
	case !root && f.count >= m.Threshold:
		f.lockedUntil = now.Add(m.LockFor)
	}
	return f, nil
}
