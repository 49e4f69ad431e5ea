package oracle

import (
	"slices"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// CreateUser is CREATE USER: CREATE USER from the active role alone, and
// with DEFAULT ROLE r the right to grant r. The active role owns the users.
func (se *Session) CreateUser(st engine.CreateUser) error {
	if err := se.begin(); err != nil {
		return err
	}
	raw := make([]string, len(st.Users))
	for i, u := range st.Users {
		raw[i] = u.Name
	}
	names, err := foldAll(nameUser, raw)
	if err != nil {
		return err
	}
	for _, u := range st.Users {
		if err := checkPassword(string(u.Password)); err != nil {
			return err
		}
	}
	var def string
	if st.DefaultRole != "" {
		if def, err = fold(nameRole, st.DefaultRole); err != nil {
			return err
		}
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if !ac.accountPriv(model.PrivCreateUser) {
			return errDenied
		}
		// Every user holds public: naming it as the default role needs no right.
		if def != "" && def != model.Public && !ac.mayGrantRole(ac.base.roleByName(se.Account, def)) {
			return errDenied
		}
		for i, name := range names {
			err := s.createUser(se, name, string(st.Users[i].Password), def)
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

func (s *State) createUser(se *Session, name, pw, def string) error {
	acc := s.Accounts[se.Account]
	switch {
	case isPredefined(name):
		return skippable{model.Errorf(model.ErrPredefined, "can not use the name %s. it is the name of the predefined role", name)}
	case s.userByName(acc.ID, name) != nil:
		return exists("the user %s exists", name)
	case s.roleByName(acc.ID, name) != nil:
		return exists("there is a role with the same name as the user")
	case s.overLimit(acc.ID, "users") != nil:
		return s.overLimit(acc.ID, "users")
	}
	u := &User{ID: s.newID(), Account: acc.ID, Name: name, Password: pw, Default: acc.Public, Owner: se.Role}
	s.UserRoles = append(s.UserRoles, UserRole{User: u.ID, Role: acc.Public})
	if def != "" {
		r := s.roleByName(acc.ID, def)
		switch {
		case r == nil:
			return model.Errorf(model.ErrNotFound, "there is no role %s", def)
		case r.ID == acc.Admin:
			return model.Errorf(model.ErrPredefined, "the role %s can not be granted to non administration user %s", def, name)
		case r.ID != acc.Public:
			s.UserRoles = append(s.UserRoles, UserRole{User: u.ID, Role: r.ID})
		}
		u.Default = r.ID
	}
	s.Users[u.ID] = u
	delete(s.unknown, [2]string{acc.Name, name})
	return nil
}

// userAuthority decides DROP USER or ALTER USER on a user named in the
// session's account, on the state the statement started from; a missing
// user is judged from the account level.
func (ac *actor) userAuthority(name string, p model.Privilege) bool {
	u := ac.base.userByName(ac.acc.ID, name)
	switch {
	case u == nil:
		return ac.base.accountGrant(ac.acc, ac.S, p)
	case u.ID == ac.acc.AdminUser:
		return ac.admin()
	}
	return ac.base.allowedTo(ac.acc, ac.S, 0, p, Object{model.KindUser, u.ID})
}

// DropUser is DROP USER: the users and their role grants go; nothing they
// created moves.
func (se *Session) DropUser(st engine.DropUser) error {
	if err := se.begin(); err != nil {
		return err
	}
	names, err := foldAll(nameUser, st.Names)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		for _, name := range names {
			if !ac.userAuthority(name, model.PrivDropUser) {
				return errDenied
			}
			u := s.userByName(se.Account, name)
			switch {
			case u == nil && st.IfExists:
				continue
			case u == nil:
				return missing("there is no user %s", name)
			case u.ID == ac.acc.AdminUser:
				return model.Errorf(model.ErrPredefined, "can not delete the user %s", name)
			}
			s.UserRoles = slices.DeleteFunc(s.UserRoles, func(x UserRole) bool { return x.User == u.ID })
			delete(s.Users, u.ID)
			delete(s.logins, u.ID)
		}
		return nil
	})
}

// AlterUser is ALTER USER on one user. Anyone may change their own password.
func (se *Session) AlterUser(st engine.AlterUser) error {
	if err := se.begin(); err != nil {
		return err
	}
	switch {
	case len(st.Users) > 1:
		return model.Errorf(model.ErrInvalidOption, "can only alter one user at a time")
	case len(st.Users) == 0:
		return model.Errorf(model.ErrInvalidOption, "at least one option at a time")
	}
	ch := st.Users[0]
	name, err := fold(nameUser, ch.Name)
	if err != nil {
		return err
	}
	var role string
	switch ch.Action {
	case engine.UserSetPassword:
		if err := checkPassword(string(ch.Password)); err != nil {
			return err
		}
	case engine.UserDefaultRole:
		if role, err = fold(nameRole, ch.Role); err != nil {
			return err
		}
	case engine.UserLock:
		if name == se.m.State.Users[se.User].Name || se.m.State.Accounts[se.Account].Name == model.SysAccount && name == model.RootUser {
			return model.Errorf(model.ErrCannotLock, "can not lock the user %s", name)
		}
	case engine.UserUnlock:
	default:
		return model.Errorf(model.ErrInvalidOption, "at least one option at a time")
	}
	return se.exec(func(s *State, ac *actor) error {
		self := ch.Action == engine.UserSetPassword && name == ac.base.Users[se.User].Name
		if !self && !ac.userAuthority(name, model.PrivAlterUser) {
			return errDenied
		}
		u := s.userByName(se.Account, name)
		switch {
		case u == nil && st.IfExists:
			return nil
		case u == nil:
			return model.Errorf(model.ErrNotFound, "there is no user %s", name)
		}
		switch ch.Action {
		case engine.UserSetPassword:
			u.Password = string(ch.Password)
			f := s.logins[u.ID]
			f.count = 0
			s.logins[u.ID] = f
		case engine.UserLock:
			u.Locked = true
		case engine.UserUnlock:
			u.Locked = false
			delete(s.logins, u.ID)
		case engine.UserDefaultRole:
			r := s.roleByName(se.Account, role)
			switch {
			case r == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", role)
			case s.userRole(u.ID, r.ID) < 0:
				return model.Errorf(model.ErrNotGranted, "the role %s has not been granted to the user %s", role, name)
			}
			u.Default = r.ID
		}
		return nil
	})
}
