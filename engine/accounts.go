package engine

import (
	"sort"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/hierarchy"
	"github.com/pdp-authz/pdp/model"
)

// createAccount makes an account with its admin role, public and its
// admin user holding both (SPEC §2). The admin role owns itself, public and
// the admin user.
func (w *writer) createAccount(name, adminName, hash, adminRole, comment string) (*catalog.Account, error) {
	acc := &catalog.Account{ID: w.NewAccountID(), Name: name, Status: model.StatusOpen, Comment: comment}
	admin := &catalog.Role{ID: w.NewRoleID(), Account: acc.ID, Name: adminRole, Slot: 0}
	admin.Owner = admin.ID
	public := &catalog.Role{ID: w.NewRoleID(), Account: acc.ID, Name: model.Public, Slot: 1, Owner: admin.ID}
	user := &catalog.User{ID: w.NewUserID(), Account: acc.ID, Name: adminName, Hash: hash,
		DefaultRole: admin.ID, Owner: admin.ID}
	acc.AdminRole, acc.PublicRole, acc.AdminUser, acc.NextSlot = admin.ID, public.ID, user.ID, 2
	w.Put(acc)
	w.Insert(admin)
	w.Insert(public)
	w.Insert(user)
	w.Put(&catalog.UserRole{Role: admin.ID, User: user.ID, Account: acc.ID})
	w.Put(&catalog.UserRole{Role: public.ID, User: user.ID, Account: acc.ID})
	w.Put(&catalog.Grant{Role: public.ID, Account: acc.ID, Scope: catalog.ScopeAccount,
		Object: uint32(acc.ID), Priv: model.PrivConnect, GrantorRole: admin.ID, GrantorUser: user.ID})
	return acc, nil
}

// CreateAccount runs CREATE ACCOUNT (SPEC §10); it needs moadmin.
func (s *Session) CreateAccount(st CreateAccount) error {
	name, err := model.FoldName(model.NameAccount, st.Name)
	if err != nil {
		return err
	}
	admin, err := model.FoldName(model.NameUser, st.AdminName)
	if err != nil {
		return err
	}
	if err := s.e.checkPassword(st.AdminPassword); err != nil {
		return err
	}
	hash, err := s.hashFor(st.AdminPassword)
	if err != nil {
		return err
	}
	return s.exec(func(w *writer, ac *actor) error {
		if !ac.moadmin() {
			return errDenied
		}
		if w.AccountByName(name) != nil {
			if st.IfNotExists {
				return nil
			}
			return model.Errorf(model.ErrExists, "the account %s exists", model.Quote(name))
		}
		if model.IsPredefinedRole(admin) {
			return predefinedNameErr(admin)
		}
		acc, err := w.createAccount(name, admin, hash, model.AccountAdmin, st.Comment)
		if err == nil && st.Status != model.StatusUnset && st.Status != model.StatusOpen {
			c := *acc
			c.Status = st.Status
			w.Put(&c)
		}
		w.e.logins.forget(name, admin)
		return err
	})
}

// hashFor hashes a password before the statement takes the writer lock.
func (s *Session) hashFor(pw string) (string, error) {
	if s == nil {
		return "", errNotConnected
	}
	return s.e.cfg.hasher.Hash(pw)
}

// DropAccount runs DROP ACCOUNT: everything in the account goes, and its
// sessions are closed for good.
func (s *Session) DropAccount(st DropAccount) error {
	name, err := model.FoldName(model.NameAccount, st.Name)
	if err != nil {
		return err
	}
	if name == model.SysAccount {
		return model.Errorf(model.ErrPredefined, "can not delete the account sys")
	}
	return s.exec(func(w *writer, ac *actor) error {
		if !ac.moadmin() {
			return errDenied
		}
		acc := w.AccountByName(name)
		if acc == nil {
			if st.IfExists {
				return nil
			}
			return model.Errorf(model.ErrNotFound, "there is no account %s", model.Quote(name))
		}
		hierarchy.DropAccount(w.Tx, acc)
		return nil
	})
}

// AlterAccount runs ALTER ACCOUNT with exactly one option.
func (s *Session) AlterAccount(st AlterAccount) error {
	name, err := model.FoldName(model.NameAccount, st.Name)
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
	var admin, hash string
	if st.SetAdmin {
		if admin, err = model.FoldName(model.NameUser, st.AdminName); err != nil {
			return err
		}
		if err = s.e.checkPassword(st.AdminPassword); err != nil {
			return err
		}
	}
	if name == model.SysAccount && st.Status == model.StatusSuspended {
		return model.Errorf(model.ErrPredefined, "account sys can not be suspended")
	}
	if name == model.SysAccount && st.Status == model.StatusRestricted {
		return model.Errorf(model.ErrPredefined, "account sys can not be restricted")
	}
	if st.SetAdmin {
		if hash, err = s.hashFor(st.AdminPassword); err != nil {
			return err
		}
	}
	return s.exec(func(w *writer, ac *actor) error {
		if !ac.moadmin() {
			return errDenied
		}
		acc := w.AccountByName(name)
		if acc == nil {
			if st.IfExists {
				return nil
			}
			return model.Errorf(model.ErrNotFound, "there is no account %s", model.Quote(name))
		}
		c := *acc
		switch {
		case st.SetAdmin:
			u := w.User(acc.AdminUser)
			if u == nil || u.Name != admin {
				return model.Errorf(model.ErrNotFound, "there is no user %s", model.Quote(admin))
			}
			cu := *u
			cu.Hash, cu.Locked, cu.Failures = hash, false, 0
			cu.LockedUntil = zeroTime
			w.Put(&cu)
			return nil
		case st.SetComment:
			c.Comment = st.Comment
		default:
			c.Status = st.Status
		}
		w.Put(&c)
		return nil
	})
}

// ShowAccounts runs SHOW ACCOUNTS: `<name> <status>` rows; it needs moadmin.
func (s *Session) ShowAccounts() ([]string, error) {
	var rows []string
	err := s.read(func(snap *Snapshot, ac *actor) error {
		if !ac.moadmin() {
			return errDenied
		}
		for _, a := range snap.read().Accounts() {
			rows = append(rows, model.Quote(a.Name)+" "+a.Status.String())
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}
