package oracle

import (
	"slices"
	"sort"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// The statements of privilege groups (reference §15).

// CreatePrivilegeGroup is CREATE PRIVILEGE GROUP.
func (se *Session) CreatePrivilegeGroup(st engine.CreatePrivilegeGroup) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, err := fold(nameGroup, st.Name)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if !ac.manageGrants() {
			return errDenied
		}
		switch {
		case name == model.ReadOnly || name == model.ReadWrite:
			if st.IfNotExists {
				return nil
			}
			return model.Errorf(model.ErrPredefined, "can not use the name %s. it is the name of the predefined privilege group", name)
		case s.groupByName(se.Account, name) != 0 && st.IfNotExists:
			return nil
		case s.groupByName(se.Account, name) != 0:
			return model.Errorf(model.ErrExists, "the privilege group %s exists", name)
		case s.overLimit(se.Account, "privilege groups") != nil:
			return s.overLimit(se.Account, "privilege groups")
		}
		id := s.newID()
		s.Groups[id] = &Group{ID: id, Account: se.Account, Name: name}
		return nil
	})
}

// groupPrivileges parses the privileges of ALTER PRIVILEGE GROUP.
func groupPrivileges(names []string) (model.PrivSet, error) {
	if len(names) == 0 {
		return 0, model.Errorf(model.ErrInvalidOption, "no privilege")
	}
	var out model.PrivSet
	for _, raw := range names {
		p, ok := model.ParsePrivilege(raw)
		switch lvl := levelOf(p); {
		case !ok:
			return 0, model.Errorf(model.ErrInvalidPrivilege, "unsupported privilege type %s", strings.ToLower(raw))
		case p == model.PrivAll, p == model.PrivOwnership, lvl == model.LevelCluster, lvl == model.LevelNone:
			return 0, model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be added to a privilege group", p)
		}
		out |= p.Bit()
	}
	return out, nil
}

// mayEditGroup: MANAGE GRANTS while every privilege touched is of database
// or table level, the admin role otherwise.
func (ac *actor) mayEditGroup(touched model.PrivSet) bool {
	if touched&accountPrivs != 0 {
		return ac.admin()
	}
	return ac.manageGrants()
}

// AlterPrivilegeGroup is ALTER PRIVILEGE GROUP g ADD | REMOVE.
func (se *Session) AlterPrivilegeGroup(st engine.AlterPrivilegeGroup) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, err := fold(nameGroup, st.Name)
	if err != nil {
		return err
	}
	if st.Action != engine.GroupAdd && st.Action != engine.GroupRemove {
		return model.Errorf(model.ErrInvalidOption, "invalid action")
	}
	privs, err := groupPrivileges(st.Privileges)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		touched := privs
		if id := ac.base.groupByName(se.Account, name); id != 0 {
			before := ac.base.groupPrivs(se.Account, id)
			touched = before | privs
			if st.Action == engine.GroupRemove {
				touched = before
			}
		}
		if !ac.mayEditGroup(touched) {
			return errDenied
		}
		id := s.groupByName(se.Account, name)
		switch {
		case id == 0:
			return model.Errorf(model.ErrNotFound, "there is no privilege group %s", name)
		case id < 0:
			return model.Errorf(model.ErrPredefined, "the privilege group %s can not be changed", name)
		}
		g := s.Groups[id]
		if st.Action == engine.GroupRemove {
			g.Privs &^= privs
			return nil
		}
		for _, p := range members(privs &^ g.Privs) {
			for _, gg := range s.GroupGrants {
				if gg.Group == id && gg.Role == ac.acc.Public && scopeLevelOf(gg.Level.Scope) == levelOf(p) && publicRefuses(p) {
					return model.Errorf(model.ErrPredefined, "the privilege %s can not be granted to the role public", p)
				}
			}
		}
		g.Privs |= privs
		return nil
	})
}

// DropPrivilegeGroup is DROP PRIVILEGE GROUP.
func (se *Session) DropPrivilegeGroup(st engine.DropPrivilegeGroup) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, err := fold(nameGroup, st.Name)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if !ac.mayEditGroup(ac.base.groupPrivs(se.Account, ac.base.groupByName(se.Account, name))) {
			return errDenied
		}
		id := s.groupByName(se.Account, name)
		switch {
		case id == 0 && st.IfExists:
			return nil
		case id == 0:
			return model.Errorf(model.ErrNotFound, "there is no privilege group %s", name)
		case id < 0:
			return model.Errorf(model.ErrPredefined, "the privilege group %s can not be changed", name)
		}
		var holders []string
		for _, gg := range s.GroupGrants {
			if gg.Group == id {
				holders = append(holders, s.Roles[gg.Role].Name)
			}
		}
		if len(holders) > 0 {
			return model.Errorf(model.ErrInUse, "the privilege group %s is granted to the role %s", name, slices.Min(holders))
		}
		delete(s.Groups, id)
		return nil
	})
}

// PrivilegeGroupRows is SHOW PRIVILEGE GROUPS of account acc.
func (s *State) PrivilegeGroupRows(acc ID) []string {
	row := func(name string, privs model.PrivSet) string {
		var names []string
		for _, p := range members(privs) {
			names = append(names, strings.ToUpper(p.String()))
		}
		return q(name) + ": " + strings.Join(names, ", ")
	}
	rows := []string{row(model.ReadOnly, s.groupPrivs(acc, GroupReadOnly)), row(model.ReadWrite, s.groupPrivs(acc, GroupReadWrite))}
	for _, g := range s.Groups {
		if g.Account == acc {
			rows = append(rows, row(g.Name, g.Privs))
		}
	}
	sort.Strings(rows)
	return rows
}

// ShowPrivilegeGroups is SHOW PRIVILEGE GROUPS: it needs nothing.
func (se *Session) ShowPrivilegeGroups() ([]string, error) {
	if err := se.begin(); err != nil {
		return nil, err
	}
	var rows []string
	err := se.read(func(s *State, _ *actor) error {
		rows = s.PrivilegeGroupRows(se.Account)
		return nil
	})
	return rows, err
}

// scopeLevelOf is the privilege level of a grant scope.
func scopeLevelOf(sc Scope) model.Level {
	switch sc {
	case ScopeAccount:
		return model.LevelAccount
	case ScopeAnyDB, ScopeDB, ScopeDBPattern:
		return model.LevelDatabase
	}
	return model.LevelTable
}

// groupTarget does the stage-2 checks of GRANT and REVOKE PRIVILEGE GROUP.
func (se *Session) groupTarget(group string, on engine.Target, roles []string) (string, []string, target, error) {
	name, err := fold(nameGroup, group)
	if err != nil {
		return "", nil, target{}, err
	}
	if len(roles) == 0 {
		return "", nil, target{}, model.Errorf(model.ErrInvalidOption, "no role")
	}
	names, err := foldAll(nameRole, roles)
	if err != nil {
		return "", nil, target{}, err
	}
	t, err := se.spec(on)
	return name, names, t, err
}

// patternLimit refuses a grant at a pattern level of acc that holds no grant
// yet once the account holds its limit of pattern levels.
func (s *State) patternLimit(acc ID, l Level) error {
	if l.Scope < ScopeDBPattern || s.patternLevels(acc)[l] {
		return nil
	}
	return s.overLimit(acc, "pattern levels")
}

// GrantPrivilegeGroup is GRANT PRIVILEGE GROUP g ON level TO roles.
func (se *Session) GrantPrivilegeGroup(st engine.GrantPrivilegeGroup) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, roles, t, err := se.groupTarget(st.Group, st.On, st.To)
	if err != nil {
		return err
	}
	if st.Option > engine.GrantWithOption {
		return model.Errorf(model.ErrInvalidOption, "invalid option")
	}
	opt := st.Option == engine.GrantWithOption
	return se.exec(func(s *State, ac *actor) error {
		id := s.groupByName(se.Account, name)
		if id == 0 {
			return model.Errorf(model.ErrNotFound, "there is no privilege group %s", name)
		}
		lvl := scopeLevelOf(t.scope)
		privs := members(s.groupPrivs(se.Account, id) & levelPrivs(lvl))
		if len(privs) == 0 {
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege group %s has no privilege for the object type %q", name, lvl)
		}
		if err := ac.restricted(); err != nil {
			return err
		}
		r := s.resolve(se.Account, t)
		for _, p := range privs {
			if !ac.mayGrant(p, r) {
				return errDenied
			}
		}
		if r.missing != nil {
			return r.missing
		}
		for _, rn := range roles {
			role := s.roleByName(se.Account, rn)
			switch {
			case role == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", rn)
			case role.ID == ac.acc.Admin:
				return model.Errorf(model.ErrPredefined, "the privilege can not be granted to the role %s", rn)
			case role.ID == ac.acc.Public:
				for _, p := range privs {
					if publicRefuses(p) {
						return model.Errorf(model.ErrPredefined, "the privilege %s can not be granted to the role public", p)
					}
				}
				if opt {
					return model.Errorf(model.ErrPredefined, "the grant option can not be granted to the role public")
				}
			}
			if err := s.patternLimit(se.Account, r.level); err != nil {
				return err
			}
			i := slices.IndexFunc(s.GroupGrants, func(g GroupGrant) bool {
				return g.Role == role.ID && g.Group == id && g.Level == r.level
			})
			if i >= 0 {
				s.GroupGrants[i].Option = s.GroupGrants[i].Option || opt
			} else {
				s.GroupGrants = append(s.GroupGrants, GroupGrant{Role: role.ID, Group: id, Level: r.level, Option: opt})
			}
		}
		return nil
	})
}

// RevokePrivilegeGroup is REVOKE [GRANT OPTION FOR] PRIVILEGE GROUP g ON
// level FROM roles.
func (se *Session) RevokePrivilegeGroup(st engine.RevokePrivilegeGroup) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, roles, t, err := se.groupTarget(st.Group, st.On, st.From)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		id := s.groupByName(se.Account, name)
		if id == 0 {
			if st.IfExists {
				return nil
			}
			return model.Errorf(model.ErrNotFound, "there is no privilege group %s", name)
		}
		r := s.resolve(se.Account, t)
		if !ac.mayRevoke(r) {
			return errDenied
		}
		if r.missing != nil {
			if st.IfExists {
				return nil
			}
			return r.missing
		}
		for _, rn := range roles {
			role := s.roleByName(se.Account, rn)
			switch {
			case role == nil && st.IfExists:
				continue
			case role == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", rn)
			case role.ID == ac.acc.Admin:
				return model.Errorf(model.ErrPredefined, "the privilege can not be revoked from the role %s", rn)
			}
			i := slices.IndexFunc(s.GroupGrants, func(g GroupGrant) bool {
				return g.Role == role.ID && g.Group == id && g.Level == r.level
			})
			switch {
			case i < 0:
			case st.GrantOptionOnly:
				s.GroupGrants[i].Option = false
			default:
				s.GroupGrants = slices.Delete(s.GroupGrants, i, i+1)
			}
		}
		return nil
	})
}
