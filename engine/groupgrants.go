package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// GRANT and REVOKE PRIVILEGE GROUP (reference §15): a grant of a group at a
// level stands for the group's members of that level at every moment.

// scopeLevel returns the privilege level of a grant scope.
func scopeLevel(sc catalog.Scope) model.Level {
	switch sc {
	case catalog.ScopeAccount:
		return model.LevelAccount
	case catalog.ScopeAnyDatabase, catalog.ScopeDatabase, catalog.ScopeDatabasePattern:
		return model.LevelDatabase
	}
	return model.LevelTable
}

// members returns the privileges of set in reference §3's order.
func members(set model.PrivSet) []model.Privilege {
	var out []model.Privilege
	set.Each(func(p model.Privilege) { out = append(out, p) })
	return out
}

// groupStatement is a GRANT or REVOKE of a group after the stage-2 checks.
type groupStatement struct {
	group string
	roles []string
	spec  levelSpec
}

func (s *Session) prepareGroupGrant(group string, on Target, roles []string) (p groupStatement, err error) {
	if err = foldInto(&p.group, model.NameGroup, group); err != nil {
		return p, err
	}
	if err = checkNames(roles, "role"); err != nil {
		return p, err
	}
	if p.roles, err = s.foldAll(model.NameRole, roles); err != nil {
		return p, err
	}
	if on.Kind != model.KindAccount && on.Kind != model.KindDatabase && on.Kind != model.KindTable {
		return p, model.Errorf(model.ErrInvalidOption, "the object type %q is not a grant level", on.Kind.String())
	}
	p.spec, err = s.spec(on)
	return p, err
}

// GrantPrivilegeGroup runs GRANT PRIVILEGE GROUP g ON level TO roles (reference
// §15): one grant of g at the level, standing for g's members of that
// level as they are at every moment. The group must have a member of the
// level now; authority and the special-role rules apply member by member.
func (s *Session) GrantPrivilegeGroup(st GrantPrivilegeGroup) error {
	var p groupStatement
	return s.exec(st, func() (err error) {
		if p, err = s.prepareGroupGrant(st.Group, st.On, st.To); err != nil {
			return err
		}
		return checkGrantOption(st.Option)
	}, func(w *writer, ac *actor) error {
		g := groupByName(w.Tx, s.account, p.group)
		if g == nil {
			return noGroup(p.group)
		}
		lvl := scopeLevel(p.spec.scope)
		privs := members(g.Privs.AtLevel(lvl))
		if len(privs) == 0 {
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege group %s has no privilege for the object type %q",
				model.Quote(p.group), lvl.String())
		}
		if err := ac.restricted(); err != nil {
			return err
		}
		l := w.resolve(s.account, p.spec)
		for _, priv := range privs {
			if !ac.mayGrant(priv, l) {
				return errDenied
			}
		}
		if l.missing != nil {
			return l.missing
		}
		for _, name := range p.roles {
			if err := w.grantGroup(s, g, privs, l, name, st.Option); err != nil {
				return err
			}
		}
		return nil
	})
}

func (w *writer) grantGroup(s *Session, g *catalog.PrivilegeGroup, privs []model.Privilege, l level, name string, opt GrantOption) error {
	r, l, err := w.privGrantee(s, privs, l, name, opt)
	if err != nil {
		return err
	}
	if gg := w.GroupGrant(r.ID, l.key(), g.ID); gg != nil {
		w.addOption(gg, gg.Option, opt)
		return nil
	}
	if err := w.grantLimit(r); err != nil {
		return err
	}
	w.Insert(&catalog.GroupGrant{Role: r.ID, Account: s.account, Scope: l.scope, Object: l.key().Object, Group: g.ID,
		Option: opt == GrantWithOption, GrantorRole: s.role, GrantorUser: s.user})
	return nil
}

// RevokePrivilegeGroup runs REVOKE [GRANT OPTION FOR] PRIVILEGE GROUP g ON
// level FROM roles: it needs the level's revoke authority (reference §9), even
// when g has no member of the level any more.
func (s *Session) RevokePrivilegeGroup(st RevokePrivilegeGroup) error {
	var p groupStatement
	return s.exec(st, func() (err error) {
		p, err = s.prepareGroupGrant(st.Group, st.On, st.From)
		return err
	}, func(w *writer, ac *actor) error {
		g := groupByName(w.Tx, s.account, p.group)
		if g == nil {
			return ignoreIf(st.IfExists, noGroup(p.group))
		}
		l := w.resolve(s.account, p.spec)
		if !ac.mayRevoke(l) {
			return errDenied
		}
		if l.missing != nil {
			return ignoreIf(st.IfExists, l.missing)
		}
		for _, name := range p.roles {
			err := w.revokeGroup(s, g, l, name, st.GrantOptionOnly)
			if skip(st.IfExists, err) {
				continue
			}
			if err != nil {
				return err
			}
		}
		w.sweepPattern(l.key())
		return nil
	})
}

func (w *writer) revokeGroup(s *Session, g *catalog.PrivilegeGroup, l level, name string, optionOnly bool) error {
	acc := w.Account(s.account)
	r := w.RoleByName(s.account, name)
	if r == nil {
		return missingErr("there is no role %s", model.Quote(name))
	}
	if r.ID == acc.AdminRole {
		return model.Errorf(model.ErrPredefined, "the privilege can not be revoked from the role %s", model.Quote(name))
	}
	gg := w.GroupGrant(r.ID, l.key(), g.ID)
	switch {
	case gg == nil:
	case optionOnly:
		w.dropOption(gg, gg.Option)
	default:
		w.Delete(gg)
	}
	return nil
}
