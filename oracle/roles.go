package oracle

import (
	"slices"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// CreateRole is CREATE ROLE: CREATE ROLE from the active role alone, which
// owns the new roles.
func (se *Session) CreateRole(st engine.CreateRole) error {
	if err := se.begin(); err != nil {
		return err
	}
	names, err := foldAll(nameRole, st.Names)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if !ac.accountPriv(model.PrivCreateRole) {
			return errDenied
		}
		for _, name := range names {
			var err error
			switch {
			case isPredefined(name):
				err = skippable{model.Errorf(model.ErrPredefined, "can not use the name %s. it is the name of the predefined role", name)}
			case s.roleByName(se.Account, name) != nil:
				err = exists("the role %s exists", name)
			case s.userByName(se.Account, name) != nil:
				err = exists("there is a user with the same name as the role %s", name)
			case s.overLimit(se.Account, "roles") != nil:
				return s.overLimit(se.Account, "roles")
			default:
				id := s.newID()
				s.Roles[id] = &Role{ID: id, Account: se.Account, Name: name, Owner: se.Role}
			}
			if err != nil && !skip(st.IfNotExists, err) {
				return err
			}
		}
		return nil
	})
}

// DropRole is DROP ROLE: the roles go with their grants, edges and user
// grants, and what they owned passes up the owner chain (reference §6).
func (se *Session) DropRole(st engine.DropRole) error {
	if err := se.begin(); err != nil {
		return err
	}
	names, err := foldAll(nameRole, st.Names)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		dropped := set{}
		for _, name := range names {
			if r := ac.base.roleByName(se.Account, name); r != nil {
				if !ac.base.allowedTo(ac.acc, ac.S, 0, model.PrivDropRole, Object{model.KindRole, r.ID}) {
					return errDenied
				}
			} else if !ac.base.accountGrant(ac.acc, ac.S, model.PrivDropRole) {
				return errDenied
			}
			r := s.roleByName(se.Account, name)
			switch {
			case r == nil && st.IfExists:
				continue
			case r == nil:
				return missing("there is no role %s", name)
			case r.ID == ac.acc.Admin || r.ID == ac.acc.Public:
				return model.Errorf(model.ErrPredefined, "can not delete the role %s", name)
			}
			dropped[r.ID] = true
			s.dropRoleRecords(r.ID)
		}
		s.handOver(ac.base, dropped, ac.acc.Admin)
		return nil
	})
}

// handOver gives every object a dropped role owned to the nearest role up
// its owner chain (as it was when the statement started) that survives and
// is not the object itself, else to the admin role.
func (s *State) handOver(base *State, dropped set, admin ID) {
	heir := func(owner, self ID) ID {
		seen := set{}
		for r := owner; !seen[r]; r = base.Roles[r].Owner {
			seen[r] = true
			if !dropped[r] && r != self {
				return r
			}
		}
		return admin
	}
	for _, d := range s.DBs {
		if dropped[d.Owner] {
			d.Owner = heir(d.Owner, 0)
		}
	}
	for _, t := range s.Tables {
		if dropped[t.Owner] {
			t.Owner = heir(t.Owner, 0)
		}
	}
	for _, u := range s.Users {
		if dropped[u.Owner] {
			u.Owner = heir(u.Owner, 0)
		}
	}
	for _, a := range s.Aliases {
		if dropped[a.Owner] {
			a.Owner = heir(a.Owner, 0)
		}
	}
	for _, r := range s.Roles {
		if dropped[r.Owner] {
			r.Owner = heir(r.Owner, r.ID)
		}
	}
}

// SetRole is SET ROLE: the role must be granted directly; secondary roles
// are reset.
func (se *Session) SetRole(name string) error {
	if err := se.begin(); err != nil {
		return err
	}
	n, err := fold(nameRole, name)
	if err != nil {
		return err
	}
	return se.read(func(s *State, ac *actor) error {
		r := s.roleByName(se.Account, n)
		switch {
		case r == nil:
			return model.Errorf(model.ErrNotFound, "there is no role %s", n)
		case s.userRole(se.User, r.ID) < 0:
			return model.Errorf(model.ErrNotGranted, "the role %s has not been granted to the user", n)
		}
		se.Role, se.Secondary = r.ID, false
		return nil
	})
}

// SetSecondaryRoles is SET SECONDARY ROLE ALL | NONE.
func (se *Session) SetSecondaryRoles(m engine.Secondary) error {
	return se.read(func(*State, *actor) error {
		se.Secondary = m == engine.SecondaryAll
		return nil
	})
}

// mayGrantRole is the authority of GRANT r TO x (reference §9); r is the role as
// the statement started, or nil.
func (ac *actor) mayGrantRole(r *Role) bool {
	switch {
	case r == nil:
		return ac.manageGrants()
	case ac.manageGrants() && ac.base.harmless(ac.acc, r.ID):
		return true
	case ac.S[r.Owner]:
		return true
	}
	if i := ac.base.userRole(ac.se.User, r.ID); i >= 0 && ac.base.UserRoles[i].Option && ac.S[r.ID] {
		return true
	}
	// r -> r1 -> ... -> rk in S, every edge WITH GRANT OPTION.
	seen := set{r.ID: true}
	queue := []ID{r.ID}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, e := range ac.base.Edges {
			if e.Role != x || !e.Option || seen[e.Grantee] {
				continue
			}
			if ac.S[e.Grantee] {
				return true
			}
			seen[e.Grantee] = true
			queue = append(queue, e.Grantee)
		}
	}
	return false
}

// grantee is a role if one has the name, else a user.
func (s *State) grantee(acc ID, name string) (*Role, *User, error) {
	if r := s.roleByName(acc, name); r != nil {
		return r, nil, nil
	}
	if u := s.userByName(acc, name); u != nil {
		return nil, u, nil
	}
	return nil, nil, missing("there is no role or user %s", name)
}

// GrantRole is GRANT roles TO roles-or-users.
func (se *Session) GrantRole(st engine.GrantRole) error {
	if err := se.begin(); err != nil {
		return err
	}
	roles, err := foldAll(nameRole, st.Roles)
	if err != nil {
		return err
	}
	to, err := foldAll(nameRole, st.To)
	if err != nil {
		return err
	}
	opt := st.Option == engine.GrantWithOption
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		var rs []*Role
		for _, name := range roles {
			if !ac.mayGrantRole(ac.base.roleByName(se.Account, name)) {
				return errDenied
			}
			r := s.roleByName(se.Account, name)
			if r == nil {
				return model.Errorf(model.ErrNotFound, "there is no role %s", name)
			}
			rs = append(rs, r)
		}
		for _, name := range to {
			xr, xu, err := s.grantee(se.Account, name)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if err := s.grantRole(ac.acc, r, xr, xu, opt); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *State) grantRole(acc *Account, r *Role, xr *Role, xu *User, opt bool) error {
	predef := func(format string, args ...any) error { return model.Errorf(model.ErrPredefined, format, args...) }
	switch {
	case r.ID == acc.Admin && xu != nil && xu.ID == acc.AdminUser:
		return nil
	case r.ID == acc.Admin && xu != nil:
		return predef("the role %s can not be granted to non administration user %s", r.Name, xu.Name)
	case r.ID == acc.Admin:
		return predef("the role %s can not be granted to the other role %s", r.Name, xr.Name)
	case r.ID == acc.Public && xr != nil:
		return predef("the role public can not be granted to the other role %s", xr.Name)
	case r.ID == acc.Public && opt:
		return predef("the grant option can not be granted to the role public")
	case r.ID == acc.Public:
		return nil
	case xr != nil && (xr.ID == acc.Admin || xr.ID == acc.Public):
		return predef("the role %s can not be granted to the role %s", r.Name, xr.Name)
	case xu != nil:
		if i := s.userRole(xu.ID, r.ID); i >= 0 {
			s.UserRoles[i].Option = s.UserRoles[i].Option || opt
		} else {
			s.UserRoles = append(s.UserRoles, UserRole{User: xu.ID, Role: r.ID, Option: opt})
		}
		return nil
	case s.Closure(r.ID)[xr.ID]:
		return model.Errorf(model.ErrCycle, "cannot grant role %s to %s", r.Name, xr.Name)
	}
	if i := s.edge(r.ID, xr.ID); i >= 0 {
		s.Edges[i].Option = s.Edges[i].Option || opt
	} else {
		s.Edges = append(s.Edges, Edge{Role: r.ID, Grantee: xr.ID, Option: opt})
	}
	return nil
}

// RevokeRole is REVOKE [GRANT OPTION FOR] roles FROM roles-or-users: MANAGE
// GRANTS or ownership of each role. Only the direct edge goes.
func (se *Session) RevokeRole(st engine.RevokeRole) error {
	if err := se.begin(); err != nil {
		return err
	}
	roles, err := foldAll(nameRole, st.Roles)
	if err != nil {
		return err
	}
	from, err := foldAll(nameRole, st.From)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		var rs []*Role
		for _, name := range roles {
			br := ac.base.roleByName(se.Account, name)
			if !ac.manageGrants() && (br == nil || !ac.S[br.Owner]) {
				return errDenied
			}
			r := s.roleByName(se.Account, name)
			switch {
			case r == nil && st.IfExists:
				continue
			case r == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", name)
			case r.ID == ac.acc.Admin || r.ID == ac.acc.Public:
				return model.Errorf(model.ErrPredefined, "the role %s can not be revoked", r.Name)
			}
			rs = append(rs, r)
		}
		for _, name := range from {
			xr, xu, err := s.grantee(se.Account, name)
			if skip(st.IfExists, err) {
				continue
			}
			if err != nil {
				return err
			}
			for _, r := range rs {
				if err := s.revokeRole(ac.acc, r, xr, xu, st.GrantOptionOnly); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *State) revokeRole(acc *Account, r *Role, xr *Role, xu *User, optionOnly bool) error {
	switch {
	case xr != nil && (xr.ID == acc.Admin || xr.ID == acc.Public):
		return model.Errorf(model.ErrPredefined, "the role %s can not be revoked from the role %s", r.Name, xr.Name)
	case xu != nil:
		i := s.userRole(xu.ID, r.ID)
		switch {
		case i < 0:
		case optionOnly:
			s.UserRoles[i].Option = false
		default:
			s.UserRoles = slices.Delete(s.UserRoles, i, i+1)
			if xu.Default == r.ID {
				xu.Default = acc.Public
			}
		}
		return nil
	}
	i := s.edge(r.ID, xr.ID)
	switch {
	case i < 0:
	case optionOnly:
		s.Edges[i].Option = false
	default:
		s.Edges = slices.Delete(s.Edges, i, i+1)
	}
	return nil
}

// harmless reports whether a MANAGE GRANTS holder may grant r (reference §9): no
// role in r's closure holds an account privilege other than CONNECT and
// SHOW DATABASES, is the admin role, or owns a role or a user.
func (s *State) harmless(acc *Account, r ID) bool {
	for x := range s.Closure(r) {
		if x == acc.Admin {
			return false
		}
		for _, g := range s.Grants {
			if g.Role == x && g.Level.Scope == ScopeAccount &&
				g.Priv != model.PrivConnect && g.Priv != model.PrivShowDatabases {
				return false
			}
		}
		for _, g := range s.GroupGrants {
			if g.Role == x && g.Level.Scope == ScopeAccount &&
				s.groupPrivs(acc.ID, g.Group)&^model.Privs(model.PrivConnect, model.PrivShowDatabases)&accountPrivs != 0 {
				return false
			}
		}
		for _, o := range s.Roles {
			if o.Owner == x && o.ID != x {
				return false
			}
		}
		for _, u := range s.Users {
			if u.Owner == x {
				return false
			}
		}
	}
	return true
}
