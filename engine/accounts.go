package engine

import (
	"sort"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/hierarchy"
	"github.com/pdp-authz/pdp/model"
)

// createAccount makes an account with its admin role, public and its
// admin user holding both (reference §2). The admin role owns itself, public and
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
	w.Insert(&catalog.Grant{Role: public.ID, Account: acc.ID, Scope: catalog.ScopeAccount,
		Object: uint32(acc.ID), Priv: model.PrivConnect, GrantorRole: admin.ID, GrantorUser: user.ID})
	w.afterCommit(func() { w.e.logins.forgetName(name, adminName) })
	if name != model.SysAccount { // sys is made by the bootstrap, with root
		w.shareName(name, adminName)
	}
	return acc, nil
}

// CreateAccount runs CREATE ACCOUNT (reference §10); it needs moadmin.
func (s *Session) CreateAccount(st CreateAccount) error {
	var name, admin, hash string
	return s.exec(st, func() (err error) {
		if err = foldInto(&name, model.NameAccount, st.Name); err != nil {
			return err
		}
		if err = foldInto(&admin, model.NameUser, st.AdminName); err != nil {
			return err
		}
		if hash, err = s.e.hashPassword(string(st.AdminPassword)); err != nil {
			return err
		}
		return checkStatus(st.Status)
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
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
		return err
	})
}

// DropAccount runs DROP ACCOUNT: everything in the account goes, and its
// sessions are closed for good.
func (s *Session) DropAccount(st DropAccount) error {
	var name string
	return s.exec(st, func() error {
		if err := foldInto(&name, model.NameAccount, st.Name); err != nil {
			return err
		}
		if name == model.SysAccount {
			return model.Errorf(model.ErrPredefined, "can not delete the account sys")
		}
		return nil
	}, func(w *writer, ac *actor) error {
		acc, err := w.managedAccount(ac, name, st.IfExists)
		if acc == nil {
			return err
		}
		var users []model.UserID
		for _, u := range w.UsersOf(acc.ID) {
			users = append(users, u.ID)
			w.shareUser(acc, u, true)
		}
		hierarchy.DropAccount(w.Tx, acc)
		w.afterCommit(func() { w.e.logins.forgetUsers(users...) })
		return nil
	})
}

// managedAccount checks that the caller may manage accounts (moadmin as
// the active role; a restricted account refuses first) and returns the
// account named name. It returns no account with the refusal, with the
// not-found error, or with no error when IF EXISTS skips a missing account.
func (w *writer) managedAccount(ac *actor, name string, ifExists bool) (*catalog.Account, error) {
	if err := ac.restricted(); err != nil {
		return nil, err
	}
	if !ac.moadmin() {
		return nil, errDenied
	}
	if acc := w.AccountByName(name); acc != nil {
		return acc, nil
	}
	return nil, ignoreIf(ifExists, model.Errorf(model.ErrNotFound, "there is no account %s", model.Quote(name)))
}

// AlterAccount runs ALTER ACCOUNT with exactly one option.
func (s *Session) AlterAccount(st AlterAccount) error {
	var name, admin, hash string
	return s.exec(st, func() error {
		var err error
		name, admin, hash, err = s.prepareAlterAccount(st)
		return err
	}, func(w *writer, ac *actor) error {
		acc, err := w.managedAccount(ac, name, st.IfExists)
		if acc == nil {
			return err
		}
		c := *acc
		switch {
		case st.SetAdmin:
			return w.resetAdmin(acc, admin, hash)
		case st.SetComment:
			c.Comment = st.Comment
		default:
			c.Status = st.Status
		}
		w.Put(&c)
		return nil
	})
}

// resetAdmin sets the admin user's password and lifts its lock (ALTER
// ACCOUNT ... ADMIN_NAME): n must name the admin user.
func (w *writer) resetAdmin(acc *catalog.Account, admin, hash string) error {
	u := w.User(acc.AdminUser)
	if u == nil || u.Name != admin {
		return model.Errorf(model.ErrNotFound, "there is no user %s", model.Quote(admin))
	}
	c := *u
	c.Hash, c.Locked = hash, false
	w.Put(&c)
	w.afterCommit(func() { w.e.logins.unlock(u.ID) })
	w.shareUser(acc, u, true)
	return nil
}

// prepareAlterAccount does the stage-2 checks of ALTER ACCOUNT.
func (s *Session) prepareAlterAccount(st AlterAccount) (name, admin, hash string, err error) {
	if name, err = model.FoldName(model.NameAccount, st.Name); err != nil {
		return
	}
	if err = checkAlterAccount(st); err != nil {
		return "", "", "", err
	}
	n := 0
	for _, set := range []bool{st.SetAdmin, st.Status != model.StatusUnset, st.SetComment} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		return "", "", "", model.Errorf(model.ErrInvalidOption, "at least one option at a time")
	case n > 1:
		return "", "", "", model.Errorf(model.ErrInvalidOption, "at most one option at a time")
	case st.SetAdmin:
		if admin, err = model.FoldName(model.NameUser, st.AdminName); err != nil {
			return
		}
		if err = s.e.checkPassword(string(st.AdminPassword)); err != nil {
			return
		}
	case name == model.SysAccount && st.Status == model.StatusSuspended:
		return "", "", "", model.Errorf(model.ErrPredefined, "account sys can not be suspended")
	case name == model.SysAccount && st.Status == model.StatusRestricted:
		return "", "", "", model.Errorf(model.ErrPredefined, "account sys can not be restricted")
	}
	if st.SetAdmin {
		hash, err = s.e.hashPassword(string(st.AdminPassword))
	}
	return name, admin, hash, err
}

// ShowAccounts runs SHOW ACCOUNTS: `<name> <status>` rows; it needs moadmin.
func (s *Session) ShowAccounts() ([]string, error) {
	var rows []string
	err := s.read(nil, func(snap *Snapshot, ac *actor) error {
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
