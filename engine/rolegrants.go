package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// grantee is the x of GRANT r TO x: a role if one has that name, else a user.
type grantee struct {
	role *catalog.Role
	user *catalog.User
	name string
}

func (w *writer) grantee(a model.AccountID, name string) (grantee, error) {
	if r := w.RoleByName(a, name); r != nil {
		return grantee{role: r, name: name}, nil
	}
	if u := w.UserByName(a, name); u != nil {
		return grantee{user: u, name: name}, nil
	}
	return grantee{name: name}, missingErr("there is no role or user %s", model.Quote(name))
}

// foldPair folds the role list and the grantee list of a role grant or
// revoke (stage 2), then enforces the limit on their pairs, roles ×
// grantees as written.
func (s *Session) foldPair(roles, grantees []string) (r, g []string, err error) {
	if err = checkNames(roles, "role"); err != nil {
		return nil, nil, err
	}
	if err = checkNames(grantees, "role or user"); err != nil {
		return nil, nil, err
	}
	if r, err = s.foldAll(model.NameRole, roles); err != nil {
		return nil, nil, err
	}
	if g, err = s.foldAll(model.NameRole, grantees); err != nil {
		return nil, nil, err
	}
	if n := s.e.cfg.limits.RoleGrantPairsPerStatement; len(r)*len(g) > n {
		return nil, nil, model.Errorf(model.ErrLimit, "the role grant pairs per statement exceeds the limit %d", n)
	}
	return r, g, nil
}

// GrantRole runs GRANT roles TO roles-or-users (reference §5, §9).
func (s *Session) GrantRole(st GrantRole) error {
	var roles, to []string
	return s.exec(st, func() (err error) {
		if roles, to, err = s.foldPair(st.Roles, st.To); err != nil {
			return err
		}
		return checkGrantOption(st.Option)
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		recs := make([]*catalog.Role, len(roles))
		for i, name := range roles {
			if !ac.mayGrantRole(w.base.read().RoleByName(s.account, name)) {
				return errDenied
			}
			if recs[i] = w.RoleByName(s.account, name); recs[i] == nil {
				return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(name))
			}
		}
		for _, name := range to {
			x, err := w.grantee(s.account, name)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := w.grantRole(s, r, x, st.Option); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (w *writer) grantRole(s *Session, r *catalog.Role, x grantee, opt GrantOption) error {
	acc := w.Account(s.account)
	rn, xn := model.Quote(r.Name), model.Quote(x.name)
	switch {
	case r.ID == acc.AdminRole && x.user != nil:
		if x.user.ID == acc.AdminUser {
			return nil
		}
		return model.Errorf(model.ErrPredefined, "the role %s can not be granted to non administration user %s", rn, xn)
	case r.ID == acc.AdminRole:
		return model.Errorf(model.ErrPredefined, "the role %s can not be granted to the other role %s", rn, xn)
	case r.ID == acc.PublicRole && x.role != nil:
		return model.Errorf(model.ErrPredefined, "the role public can not be granted to the other role %s", xn)
	case r.ID == acc.PublicRole && opt == GrantWithOption:
		return model.Errorf(model.ErrPredefined, "the grant option can not be granted to the role public")
	case r.ID == acc.PublicRole:
		return nil // every user holds public
	case x.role != nil && (x.role.ID == acc.AdminRole || x.role.ID == acc.PublicRole):
		return model.Errorf(model.ErrPredefined, "the role %s can not be granted to the role %s", rn, xn)
	}
	if x.user != nil {
		return w.grantToUser(s, r, x.user, opt)
	}
	if w.wouldCycle(r, x.role) {
		return model.Errorf(model.ErrCycle, "cannot grant role %s to %s", rn, xn)
	}
	if e := w.Edge(r.ID, x.role.ID); e != nil {
		w.addOption(e, e.Option, opt)
		return nil
	}
	w.Put(&catalog.RoleEdge{Role: r.ID, Grantee: x.role.ID, Account: s.account, Option: opt == GrantWithOption,
		GrantorRole: s.role, GrantorUser: s.user})
	w.pendingGraph().Add(r.ID, x.role.ID)
	return nil
}

// wouldCycle reports whether granting role r to role x closes a cycle: x
// is r, or r already inherits x in the transaction's state. While the
// transaction has only added edges, that is one bit test on the pending
// closures; after a removal it walks the catalog.
func (w *writer) wouldCycle(r, x *catalog.Role) bool {
	if w.edgesRemoved {
		return inherit.WouldCycle(txEdges(w.Tx), r.ID, x.ID)
	}
	return r.ID == x.ID || w.pendingGraph().Inherits(r.ID, x.Slot)
}

// pendingGraph returns the closures of the transaction's role graph as
// seen by its cycle checks, starting from the snapshot it began on.
func (w *writer) pendingGraph() *inherit.Pending {
	if w.pending == nil {
		w.pending = &inherit.Pending{
			Committed: func(r model.RoleID) (inherit.Set, bool) {
				if v := w.base.roleAt(uint32(r)); v != nil {
					return v.closure, true
				}
				return nil, false
			},
			Children: w.base.children,
			Slot: func(r model.RoleID) uint32 {
				if rec := w.Role(r); rec != nil {
					return rec.Slot
				}
				return noSlot
			},
		}
	}
	return w.pending
}

// deleteEdge removes a role edge. The pending closures know only additions,
// so from then on cycle checks walk the catalog.
func (w *writer) deleteEdge(e *catalog.RoleEdge) {
	w.edgesRemoved = true
	w.Delete(e)
}

func (w *writer) grantToUser(s *Session, r *catalog.Role, u *catalog.User, opt GrantOption) error {
	if ur := w.UserRole(u.ID, r.ID); ur != nil {
		w.addOption(ur, ur.Option, opt)
		return nil
	}
	w.Put(&catalog.UserRole{Role: r.ID, User: u.ID, Account: s.account, Option: opt == GrantWithOption,
		GrantorRole: s.role, GrantorUser: s.user})
	return nil
}

// addOption adds the grant option to an existing grant, edge or user role
// grant when the re-grant asks for it; a plain re-grant never removes it.
func (w *writer) addOption(rec any, held bool, opt GrantOption) {
	if opt == GrantWithOption && !held {
		w.Put(catalog.WithOption(rec, true))
	}
}

// dropOption removes the grant option (REVOKE GRANT OPTION FOR), silently
// when it is not held.
func (w *writer) dropOption(rec any, held bool) {
	if held {
		w.Put(catalog.WithOption(rec, false))
	}
}

// RevokeRole runs REVOKE [GRANT OPTION FOR] roles FROM roles-or-users: it
// needs MANAGE GRANTS or ownership of each role. Only the direct edge goes.
func (s *Session) RevokeRole(st RevokeRole) error {
	var roles, from []string
	return s.exec(st, func() (err error) {
		roles, from, err = s.foldPair(st.Roles, st.From)
		return err
	}, func(w *writer, ac *actor) error {
		var recs []*catalog.Role
		for _, name := range roles {
			if !ac.mayRevokeRole(w.base.read().RoleByName(s.account, name)) {
				return errDenied
			}
			r := w.RoleByName(s.account, name)
			if r == nil {
				if st.IfExists {
					continue
				}
				return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(name))
			}
			if err := w.revocable(s.account, r); err != nil {
				return err // a special-role rule: IF EXISTS never skips it
			}
			recs = append(recs, r)
		}
		for _, name := range from {
			x, err := w.grantee(s.account, name)
			if skip(st.IfExists, err) {
				continue
			}
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := w.revokeRole(s, r, x, st.GrantOptionOnly); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// revocable refuses the admin role and public, which can never be revoked:
// a rule about the role alone, so it comes before the grantees are read.
func (w *writer) revocable(a model.AccountID, r *catalog.Role) error {
	acc := w.Account(a)
	if r.ID == acc.AdminRole || r.ID == acc.PublicRole {
		return model.Errorf(model.ErrPredefined, "the role %s can not be revoked", model.Quote(r.Name))
	}
	return nil
}

func (w *writer) revokeRole(s *Session, r *catalog.Role, x grantee, optionOnly bool) error {
	acc := w.Account(s.account)
	switch {
	case x.role != nil && (x.role.ID == acc.AdminRole || x.role.ID == acc.PublicRole):
		return model.Errorf(model.ErrPredefined, "the role %s can not be revoked from the role %s",
			model.Quote(r.Name), model.Quote(x.name))
	}
	if x.user != nil {
		ur := w.UserRole(x.user.ID, r.ID)
		switch {
		case ur == nil:
		case optionOnly:
			w.dropOption(ur, ur.Option)
		default:
			w.Delete(ur)
			w.resetDefault(x.user.ID, r.ID, acc.PublicRole)
		}
		return nil
	}
	e := w.Edge(r.ID, x.role.ID)
	switch {
	case e == nil:
	case optionOnly:
		w.dropOption(e, e.Option)
	default:
		w.deleteEdge(e)
	}
	return nil
}
