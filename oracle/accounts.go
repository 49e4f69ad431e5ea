package oracle

import (
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// CreateAccount is CREATE ACCOUNT: moadmin only.
func (se *Session) CreateAccount(st engine.CreateAccount) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, err := fold(nameAccount, st.Name)
	if err != nil {
		return err
	}
	admin, err := fold(nameUser, st.AdminName)
	if err != nil {
		return err
	}
	if err := checkPassword(string(st.AdminPassword)); err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		switch {
		case ac.restricted() != nil:
			return ac.restricted()
		case !ac.moadmin():
			return errDenied
		case s.accountByName(name) != nil && st.IfNotExists:
			return nil
		case s.accountByName(name) != nil:
			return model.Errorf(model.ErrExists, "the account %s exists", name)
		case isPredefined(admin):
			return model.Errorf(model.ErrPredefined, "can not use the name %s. it is the name of the predefined role", admin)
		}
		acc := s.createAccount(name, admin, string(st.AdminPassword), model.AccountAdmin)
		if st.Status != model.StatusUnset {
			acc.Status = st.Status
		}
		return nil
	})
}

// DropAccount is DROP ACCOUNT: everything in the account goes.
func (se *Session) DropAccount(st engine.DropAccount) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, err := fold(nameAccount, st.Name)
	if err != nil {
		return err
	}
	if name == model.SysAccount {
		return model.Errorf(model.ErrPredefined, "can not delete the account sys")
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if !ac.moadmin() {
			return errDenied
		}
		acc := s.accountByName(name)
		if acc == nil {
			if st.IfExists {
				return nil
			}
			return model.Errorf(model.ErrNotFound, "there is no account %s", name)
		}
		s.dropAccount(acc.ID)
		return nil
	})
}

// AlterAccount is ALTER ACCOUNT with exactly one option.
func (se *Session) AlterAccount(st engine.AlterAccount) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, err := fold(nameAccount, st.Name)
	if err != nil {
		return err
	}
	n := 0
	for _, set := range []bool{st.SetAdmin, st.Status != model.StatusUnset, st.SetComment} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		return model.Errorf(model.ErrInvalidOption, "at least one option at a time")
	case n > 1:
		return model.Errorf(model.ErrInvalidOption, "at most one option at a time")
	}
	var admin string
	if st.SetAdmin {
		if admin, err = fold(nameUser, st.AdminName); err != nil {
			return err
		}
		if err := checkPassword(string(st.AdminPassword)); err != nil {
			return err
		}
	}
	if name == model.SysAccount && (st.Status == model.StatusSuspended || st.Status == model.StatusRestricted) {
		return model.Errorf(model.ErrPredefined, "account sys can not be suspended or restricted")
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if !ac.moadmin() {
			return errDenied
		}
		acc := s.accountByName(name)
		switch {
		case acc == nil && st.IfExists:
			return nil
		case acc == nil:
			return model.Errorf(model.ErrNotFound, "there is no account %s", name)
		case st.SetAdmin:
			u := s.Users[acc.AdminUser]
			if u.Name != admin {
				return model.Errorf(model.ErrNotFound, "there is no user %s", admin)
			}
			u.Password, u.Locked = string(st.AdminPassword), false
			delete(s.logins, u.ID)
		case st.Status != model.StatusUnset:
			acc.Status = st.Status
		}
		return nil
	})
}
