package engine

import (
	"sort"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/hierarchy"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/ownership"
)

// CreateRole runs CREATE ROLE: CREATE ROLE from the active role, which owns
// the new roles.
func (s *Session) CreateRole(st CreateRole) error {
	var names []string
	return s.exec(st, func() (err error) {
		if err = checkNames(st.Names, "role"); err != nil {
			return err
		}
		names, err = s.foldAll(model.NameRole, st.Names)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if err := require(ac.accountPriv(model.PrivCreateRole)); err != nil {
			return err
		}
		for _, name := range names {
			_, err := w.createRole(s.account, name, s.role)
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

func (w *writer) createRole(a model.AccountID, name string, owner model.RoleID) (*catalog.Role, error) {
	acc := w.Account(a)
	if model.IsPredefinedRole(name) {
		return nil, predefinedNameErr(name)
	}
	if w.RoleByName(a, name) != nil {
		return nil, existsErr("the role %s exists", model.Quote(name))
	}
	if w.UserByName(a, name) != nil {
		return nil, existsErr("there is a user with the same name as the role %s", model.Quote(name))
	}
	if err := w.limit(w.Count(a).Roles, w.e.cfg.limits.RolesPerAccount, "roles", acc.Name); err != nil {
		return nil, err
	}
	r := &catalog.Role{ID: w.NewRoleID(), Account: a, Name: name, Slot: acc.NextSlot, Owner: owner}
	c := *acc
	c.NextSlot++
	w.Put(&c)
	w.Insert(r)
	return r, nil
}

// DropRole runs DROP ROLE: each role's grants, edges and user grants go,
// users falling back to public as their default role, and what the dropped
// roles owned passes up the owner chain (reference §6).
func (s *Session) DropRole(st DropRole) error {
	var names []string
	return s.exec(st, func() (err error) {
		if err = checkNames(st.Names, "role"); err != nil {
			return err
		}
		names, err = s.foldAll(model.NameRole, st.Names)
		return err
	}, func(w *writer, ac *actor) error {
		dropped := ownership.Dropped{}
		for _, name := range names {
			err := w.dropRole(s, ac, name, dropped)
			if skip(st.IfExists, err) {
				continue
			}
			if err != nil {
				return err
			}
		}
		ownership.HandOver(w.Tx, dropped, w.Account(s.account).AdminRole)
		return nil
	})
}

func (w *writer) dropRole(s *Session, ac *actor, name string, dropped ownership.Dropped) error {
	start := w.base.read().RoleByName(s.account, name)
	if start != nil {
		if err := require(ac.a.onRole(ac.set, w.base.roleAt(uint32(start.ID)), model.PrivDropRole)); err != nil {
			return err
		}
	} else if err := require(ac.a.accountGrant(ac.set, model.PrivDropRole)); err != nil {
		return err
	}
	r := w.RoleByName(s.account, name)
	if r == nil {
		return missingErr("there is no role %s", model.Quote(name))
	}
	acc := w.Account(s.account)
	if r.ID == acc.AdminRole || r.ID == acc.PublicRole {
		return model.Errorf(model.ErrPredefined, "can not delete the role %s", model.Quote(name))
	}
	w.removeRole(r, acc.PublicRole)
	dropped[r.ID] = r.Owner
	return nil
}

// removeRole deletes role r with its privilege and group grants (and the
// pattern levels left without grants), edges and user grants.
func (w *writer) removeRole(r *catalog.Role, public model.RoleID) {
	for _, g := range w.GrantsOf(r.ID) {
		w.Delete(g)
		w.sweepPattern(g.Level())
	}
	for _, g := range w.GroupGrantsOf(r.ID) {
		w.Delete(g)
		w.sweepPattern(g.Level())
	}
	denied := w.DenialsOf(r.ID)
	hierarchy.DeleteACLOf(w.Tx, r)
	for _, d := range denied {
		w.sweepPattern(d.Level())
	}
	for _, e := range w.EdgesOf(r.ID) {
		w.deleteEdge(e)
	}
	for _, e := range w.EdgesTo(r.ID) {
		w.deleteEdge(e)
	}
	for _, ur := range w.HoldersOf(r.ID) {
		w.Delete(ur)
		w.resetDefault(ur.User, r.ID, public)
	}
	w.Delete(r)
}

// resetDefault makes public the default role of user u if it was r.
func (w *writer) resetDefault(u model.UserID, r, public model.RoleID) {
	if rec := w.User(u); rec != nil && rec.DefaultRole == r {
		c := *rec
		c.DefaultRole = public
		w.Put(&c)
	}
}

// SetRole runs SET ROLE r: r must be granted directly to the user; the
// secondary roles are reset to NONE.
func (s *Session) SetRole(name string) error {
	var n string
	return s.read(func() error { return foldInto(&n, model.NameRole, name) }, func(snap *Snapshot, ac *actor) error {
		tx := snap.read()
		r := tx.RoleByName(s.account, n)
		if r == nil {
			return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(n))
		}
		if tx.UserRole(s.user, r.ID) == nil {
			return notGranted(n, s.userName)
		}
		s.role, s.roleName, s.secondary = r.ID, r.Name, SecondaryNone
		return nil
	})
}

// SetSecondaryRoles runs SET SECONDARY ROLE ALL | NONE.
func (s *Session) SetSecondaryRoles(m Secondary) error {
	return s.read(func() error { return checkSecondary(m) }, func(*Snapshot, *actor) error {
		s.secondary = m
		return nil
	})
}

// ShowRoles runs SHOW ROLES: the roles of the account, one name per row.
func (s *Session) ShowRoles() ([]string, error) {
	var rows []string
	err := s.read(nil, func(snap *Snapshot, _ *actor) error {
		for _, r := range snap.read().RolesOf(s.account) {
			rows = append(rows, model.Quote(r.Name))
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}
