package engine

import (
	"sort"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// CreateUser runs CREATE USER (reference §7, §9): CREATE USER from the active
// role, and with DEFAULT ROLE r the right to grant r. Each user gets public
// and r; the active role owns it.
func (s *Session) CreateUser(st CreateUser) error {
	var names, hashes []string
	var defRole string
	return s.exec(st, func() (err error) {
		names, hashes, defRole, err = s.prepareCreateUser(st)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if err := require(ac.accountPriv(model.PrivCreateUser)); err != nil {
			return err
		}
		var role *catalog.Role
		if defRole != "" && defRole != model.Public {
			role = w.base.read().RoleByName(s.account, defRole)
			if !ac.mayGrantRole(role) {
				return errDenied
			}
		}
		for i, name := range names {
			err := w.createUser(s, name, hashes[i], defRole, st.Comment)
			if skip(st.IfNotExists, err) {
				continue
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// prepareCreateUser does the stage-2 checks of CREATE USER and hashes the
// passwords (before the writer lock is taken).
func (s *Session) prepareCreateUser(st CreateUser) (names, hashes []string, defRole string, err error) {
	if len(st.Users) == 0 {
		err = invalidOption("the statement names no user")
		return
	}
	raw := make([]string, len(st.Users))
	for i, u := range st.Users {
		raw[i] = u.Name
	}
	if names, err = s.foldAll(model.NameUser, raw); err != nil {
		return
	}
	for _, u := range st.Users {
		if err = s.e.checkPassword(string(u.Password)); err != nil {
			return
		}
	}
	if st.DefaultRole != "" {
		if defRole, err = model.FoldName(model.NameRole, st.DefaultRole); err != nil {
			return
		}
	}
	hashes = make([]string, len(st.Users))
	for i, u := range st.Users {
		if hashes[i], err = s.e.cfg.hasher.Hash(string(u.Password)); err != nil {
			return
		}
	}
	return names, hashes, defRole, nil
}

func (w *writer) createUser(s *Session, name, hash, defRole, comment string) error {
	acc := w.Account(s.account)
	if model.IsPredefinedRole(name) {
		return predefinedNameErr(name)
	}
	if w.UserByName(acc.ID, name) != nil {
		return existsErr("the user %s exists", model.Quote(name))
	}
	if w.RoleByName(acc.ID, name) != nil {
		return existsErr("there is a role with the same name as the user")
	}
	if err := w.limit(w.Count(acc.ID).Users, w.e.cfg.limits.UsersPerAccount, "users", acc.Name); err != nil {
		return err
	}
	u := &catalog.User{ID: w.NewUserID(), Account: acc.ID, Name: name, Hash: hash, Comment: comment,
		DefaultRole: acc.PublicRole, Owner: s.role}
	if defRole != "" {
		r := w.RoleByName(acc.ID, defRole)
		switch {
		case r == nil:
			return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(defRole))
		case r.ID == acc.AdminRole:
			return model.Errorf(model.ErrPredefined, "the role %s can not be granted to non administration user %s",
				model.Quote(r.Name), model.Quote(name))
		}
		u.DefaultRole = r.ID
		w.Put(&catalog.UserRole{Role: r.ID, User: u.ID, Account: acc.ID, GrantorRole: s.role, GrantorUser: s.user})
	}
	w.Insert(u)
	w.Put(&catalog.UserRole{Role: acc.PublicRole, User: u.ID, Account: acc.ID, GrantorRole: s.role, GrantorUser: s.user})
	w.afterCommit(func() { w.e.logins.forgetName(s.accountName, name) })
	w.shareName(s.accountName, name)
	return nil
}

// limit refuses a per-account count that has reached its limit.
func (w *writer) limit(count, max int, kind, account string) error {
	if count >= max {
		return model.Errorf(model.ErrLimit, "the number of %s in account %s exceeds the limit %d", kind, model.Quote(account), max)
	}
	return nil
}

// DropUser runs DROP USER: the user and its role grants go; what it created
// stays (users own nothing). The admin user cannot be dropped.
func (s *Session) DropUser(st DropUser) error {
	var names []string
	return s.exec(st, func() (err error) {
		if err = checkNames(st.Names, "user"); err != nil {
			return err
		}
		names, err = s.foldAll(model.NameUser, st.Names)
		return err
	}, func(w *writer, ac *actor) error {
		for _, name := range names {
			err := w.dropUser(s, ac, name)
			if skip(st.IfExists, err) {
				continue
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func (w *writer) dropUser(s *Session, ac *actor, name string) error {
	if err := require(ac.onUser(w.base, name, model.PrivDropUser)); err != nil {
		return err
	}
	u := w.UserByName(s.account, name)
	if u == nil {
		return missingErr("there is no user %s", model.Quote(name))
	}
	if u.ID == w.Account(s.account).AdminUser {
		return model.Errorf(model.ErrPredefined, "can not delete the user %s", model.Quote(name))
	}
	for _, ur := range w.RolesOfUser(u.ID) {
		w.Delete(ur)
	}
	w.Delete(u)
	w.afterCommit(func() { w.e.logins.forgetUsers(u.ID) })
	w.shareUser(w.Account(s.account), u, true)
	return nil
}

// onUser decides a user privilege for the statement's authority, on the
// starting snapshot; a missing user is judged from the account level.
func (ac *actor) onUser(snap *Snapshot, name string, p model.Privilege) Decision {
	if u := snap.read().UserByName(ac.a.id, name); u != nil {
		return ac.a.onUser(ac.set, snap.userAt(uint32(u.ID)), p)
	}
	return ac.a.accountGrant(ac.set, p)
}

// AlterUser runs ALTER USER on exactly one user. Anyone may change their own
// password.
func (s *Session) AlterUser(st AlterUser) error {
	var ch UserChange
	var name, role, hash string
	return s.exec(st, func() (err error) {
		ch, name, role, hash, err = s.prepareAlterUser(st)
		return err
	}, func(w *writer, ac *actor) error {
		self := name == s.userName && ch.Action == UserSetPassword
		if !self {
			if err := require(ac.onUser(w.base, name, model.PrivAlterUser)); err != nil {
				return err
			}
		}
		u := w.UserByName(s.account, name)
		if u == nil {
			if st.IfExists {
				return nil
			}
			return model.Errorf(model.ErrNotFound, "there is no user %s", model.Quote(name))
		}
		c := *u
		switch ch.Action {
		case UserSetPassword:
			c.Hash = hash
			w.afterCommit(func() { w.e.logins.resetFailures(u.ID) })
			w.shareUser(w.Account(s.account), u, false)
		case UserLock:
			c.Locked = true
		case UserUnlock:
			c.Locked = false
			w.afterCommit(func() { w.e.logins.unlock(u.ID) })
			w.shareUser(w.Account(s.account), u, true)
		case UserDefaultRole:
			r := w.RoleByName(s.account, role)
			if r == nil {
				return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(role))
			}
			if w.UserRole(u.ID, r.ID) == nil {
				return notGranted(role, name)
			}
			c.DefaultRole = r.ID
		}
		w.Put(&c)
		return nil
	})
}

// prepareAlterUser does the stage-2 checks of ALTER USER.
func (s *Session) prepareAlterUser(st AlterUser) (ch UserChange, name, role, hash string, err error) {
	switch {
	case len(st.Users) > 1:
		err = model.Errorf(model.ErrInvalidOption, "can only alter one user at a time")
		return
	case len(st.Users) == 0:
		err = model.Errorf(model.ErrInvalidOption, "at least one option at a time")
		return
	}
	ch = st.Users[0]
	if name, err = model.FoldName(model.NameUser, ch.Name); err != nil {
		return
	}
	if err = checkUserChange(ch); err != nil {
		return
	}
	switch ch.Action {
	case UserSetPassword:
		hash, err = s.e.hashPassword(string(ch.Password))
	case UserDefaultRole:
		role, err = model.FoldName(model.NameRole, ch.Role)
	case UserLock:
		err = s.mayLock(name)
	case UserUnlock:
	default:
		err = model.Errorf(model.ErrInvalidOption, "at least one option at a time")
	}
	return
}

// mayLock refuses to lock the admin user of sys or the caller itself
// (reference §7): nobody could unlock them.
func (s *Session) mayLock(name string) error {
	if name == s.userName || s.accountName == model.SysAccount && name == model.RootUser {
		return model.Errorf(model.ErrCannotLock, "can not lock the user %s", model.Quote(name))
	}
	return nil
}

func notGranted(role, user string) error {
	return model.Errorf(model.ErrNotGranted, "the role %s has not been granted to the user %s", model.Quote(role), model.Quote(user))
}

// ShowUsers runs SHOW USERS; it needs MANAGE GRANTS or CREATE, ALTER or DROP USER.
func (s *Session) ShowUsers() ([]string, error) {
	var rows []string
	err := s.read(nil, func(snap *Snapshot, ac *actor) error {
		ok := ac.manageGrants()
		for _, p := range []model.Privilege{model.PrivCreateUser, model.PrivAlterUser, model.PrivDropUser} {
			ok = ok || ac.a.accountGrant(ac.set, p).Allowed
		}
		if !ok {
			return errDenied
		}
		for _, u := range snap.read().UsersOf(s.account) {
			rows = append(rows, model.Quote(u.Name))
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}
