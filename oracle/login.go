package oracle

import (
	"strings"

	"github.com/pdp-authz/pdp/model"
)

var errAuth = model.Errorf(model.ErrAuth, "invalid username or password")

// Connect logs in with a login string of SPEC §7.
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

// Login runs the login steps of SPEC §7 in order. A wrong password of a
// known user commits (its failure count changes), and so does a right one
// after failures (the count is reset).
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
	now := m.Now()
	if u == nil {
		key := [2]string{an, un}
		f := s.unknown[key]
		if now.Before(f.lockedUntil) {
			return nil, model.Errorf(model.ErrLocked, "user is locked, please try again later")
		}
		f.count++
		if f.count >= m.Threshold {
			f.count, f.lockedUntil = 0, now.Add(m.LockFor)
		}
		s.unknown[key] = f
		return nil, errAuth
	}
	switch {
	case u.Locked:
		return nil, model.Errorf(model.ErrLocked, "user is locked, please ask the administrator to unlock")
	case now.Before(u.LockedUntil):
		return nil, model.Errorf(model.ErrLocked, "user is locked, please try again later")
	case u.Password != pw:
		m.commit(func(s *State) {
			u := s.Users[u.ID]
			u.Failures++
			if u.Failures >= m.Threshold {
				u.Failures, u.LockedUntil = 0, now.Add(m.LockFor)
			}
		})
		return nil, errAuth
	}
	if u.Failures > 0 {
		m.commit(func(s *State) { s.Users[u.ID].Failures = 0 })
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

// commit applies a change outside any statement as one commit.
func (m *Model) commit(fn func(s *State)) {
	work := m.State.clone()
	fn(work)
	m.State = work
	m.Rev++
}
