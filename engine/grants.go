package engine

import (
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// privList validates privilege names against a grant level (stage 2):
// unknown names, cluster privileges and wrong levels, the first wrong one
// in statement order. ALL is bound to the level. For a revoke, cluster
// privileges are dropped silently (reference §10).
func privList(names []string, lvl model.Level, revoke bool) ([]model.Privilege, error) {
	out := make([]model.Privilege, 0, len(names))
	for _, raw := range names {
		p, ok := model.ParsePrivilege(raw)
		switch {
		case !ok:
			return nil, model.Errorf(model.ErrInvalidPrivilege, "unsupported privilege type %s",
				strings.ToLower(strings.Join(strings.Fields(raw), " ")))
		case p == model.PrivAll:
			p = lvl.All()
		case p.Level() == model.LevelCluster:
			if revoke {
				continue
			}
			return nil, model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be granted", p)
		case p.Level() != lvl:
			return nil, model.Errorf(model.ErrInvalidPrivilege, "the privilege %q can only be granted to the object type %q",
				p.String(), p.Level().String())
		}
		out = append(out, p)
	}
	return out, nil
}

// hasOwnership reports whether a privilege list names OWNERSHIP.
func hasOwnership(names []string) bool {
	for _, raw := range names {
		if p, ok := model.ParsePrivilege(raw); ok && p == model.PrivOwnership {
			return true
		}
	}
	return false
}

// targetLevel is the privilege level a target names.
func targetLevel(t Target) model.Level {
	switch t.Kind {
	case model.KindAccount:
		return model.LevelAccount
	case model.KindDatabase:
		return model.LevelDatabase
	case model.KindTable:
		return model.LevelTable
	}
	return model.LevelNone
}

// privStatement is a GRANT or REVOKE of privileges after the stage-2 checks.
type privStatement struct {
	privs []model.Privilege
	roles []string
	spec  levelSpec
}

// prepareGrant does the stage-2 checks of GRANT and REVOKE privileges: the
// privileges against the level, the role names, the level's names.
func (s *Session) prepareGrant(privs []string, on Target, roles []string, revoke bool) (p privStatement, err error) {
	if err = checkNames(privs, "privilege"); err != nil {
		return p, err
	}
	if p.privs, err = privList(privs, targetLevel(on), revoke); err != nil {
		return p, err
	}
	if err = checkNames(roles, "role"); err != nil {
		return p, err
	}
	if p.roles, err = s.foldAll(model.NameRole, roles); err != nil {
		return p, err
	}
	p.spec, err = s.spec(on)
	return p, err
}

// GrantPrivilege runs GRANT privileges ON level TO roles (reference §3, §4, §9);
// a list naming OWNERSHIP is an ownership transfer (reference §6).
func (s *Session) GrantPrivilege(st GrantPrivilege) error {
	if hasColumns(st.Columns) {
		return s.grantColumns(st)
	}
	if hasOwnership(st.Privileges) {
		return s.transfer(st, st.On, st.To, func() error { return ownershipForm(st) })
	}
	var p privStatement
	return s.exec(st, func() (err error) {
		if p, err = s.prepareGrant(st.Privileges, st.On, st.To, false); err != nil {
			return err
		}
		return checkGrantOption(st.Option)
	}, func(w *writer, ac *actor) error {
		privs, roles, sp := p.privs, p.roles, p.spec
		if err := ac.restricted(); err != nil {
			return err
		}
		l := w.resolve(s.account, sp)
		for _, p := range privs {
			if !ac.mayGrant(p, l) {
				return errDenied
			}
		}
		if l.missing != nil {
			return l.missing
		}
		for _, name := range roles {
			if err := w.grantPrivs(s, privs, l, name, st.Option); err != nil {
				return err
			}
		}
		return nil
	})
}

// privGrantee returns the role name that privs are granted to at level l
// (a pattern level gets its record): not the admin role, and for public
// only what public may hold.
func (w *writer) privGrantee(s *Session, privs []model.Privilege, l level, name string, opt GrantOption) (*catalog.Role, level, error) {
	acc := w.Account(s.account)
	r := w.RoleByName(s.account, name)
	if r == nil {
		return nil, l, model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(name))
	}
	if r.ID == acc.AdminRole {
		return nil, l, model.Errorf(model.ErrPredefined, "the privilege can not be granted to the role %s", model.Quote(name))
	}
	if r.ID == acc.PublicRole {
		if err := publicMay(privs, opt); err != nil {
			return nil, l, err
		}
	}
	l, err := w.ensurePattern(l)
	return r, l, err
}

func (w *writer) grantPrivs(s *Session, privs []model.Privilege, l level, name string, opt GrantOption) error {
	r, l, err := w.privGrantee(s, privs, l, name, opt)
	if err != nil {
		return err
	}
	for _, p := range privs {
		g := w.Grant(r.ID, l.key(), p)
		if g != nil {
			w.addOption(g, g.Option, opt)
			continue
		}
		if err := w.grantLimit(r); err != nil {
			return err
		}
		w.Insert(&catalog.Grant{Role: r.ID, Account: s.account, Scope: l.scope, Object: l.key().Object, Priv: p,
			Option: opt == GrantWithOption, GrantorRole: s.role, GrantorUser: s.user})
	}
	return nil
}

func (w *writer) grantLimit(r *catalog.Role) error {
	if n := w.e.cfg.limits.GrantsPerRole; w.GrantCount(r.ID) >= n {
		return model.Errorf(model.ErrLimit, "the grants per role exceeds the limit %d", n)
	}
	return nil
}

// publicMay applies PUBLIC's restrictions (reference §2).
func publicMay(privs []model.Privilege, opt GrantOption) error {
	for _, p := range privs {
		info := p.Info()
		bad := info.Creation || p == model.PrivManageGrants || p == model.PrivAccountAll || p == model.PrivDatabaseAll ||
			info.Level == model.LevelAccount && p != model.PrivConnect && p != model.PrivShowDatabases
		if bad {
			return model.Errorf(model.ErrPredefined, "the privilege %s can not be granted to the role public", p)
		}
	}
	if opt == GrantWithOption {
		return model.Errorf(model.ErrPredefined, "the grant option can not be granted to the role public")
	}
	return nil
}

// RevokePrivilege runs REVOKE [GRANT OPTION FOR] privileges ON level FROM
// roles: it needs ownership of the named object, MANAGE GRANTS for database
// and table levels, or the admin role.
func (s *Session) RevokePrivilege(st RevokePrivilege) error {
	if hasColumns(st.Columns) {
		return s.revokeColumns(st)
	}
	var p privStatement
	return s.exec(st, func() (err error) {
		if hasOwnership(st.Privileges) {
			if _, err := privList(nonOwnership(st.Privileges), targetLevel(st.On), true); err != nil {
				return err
			}
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be revoked")
		}
		p, err = s.prepareGrant(st.Privileges, st.On, st.From, true)
		return err
	}, func(w *writer, ac *actor) error {
		privs, roles, sp := p.privs, p.roles, p.spec
		l := w.resolve(s.account, sp)
		if !ac.mayRevoke(l) {
			return errDenied
		}
		if l.missing != nil {
			if st.IfExists {
				return nil
			}
			return l.missing
		}
		for _, name := range roles {
			err := w.revokePrivs(s, privs, l, name, st.GrantOptionOnly)
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

func nonOwnership(names []string) []string {
	var out []string
	for _, raw := range names {
		if p, ok := model.ParsePrivilege(raw); !ok || p != model.PrivOwnership {
			out = append(out, raw)
		}
	}
	return out
}

func (w *writer) revokePrivs(s *Session, privs []model.Privilege, l level, name string, optionOnly bool) error {
	acc := w.Account(s.account)
	r := w.RoleByName(s.account, name)
	if r == nil {
		return missingErr("there is no role %s", model.Quote(name))
	}
	if r.ID == acc.AdminRole {
		return model.Errorf(model.ErrPredefined, "the privilege can not be revoked from the role %s", model.Quote(name))
	}
	for _, p := range privs {
		if r.ID == acc.PublicRole && p == model.PrivConnect && l.scope == catalog.ScopeAccount && !optionOnly {
			return model.Errorf(model.ErrPredefined, "the privilege connect can not be revoked from the role public")
		}
		g := w.Grant(r.ID, l.key(), p)
		switch {
		case g == nil:
		case optionOnly:
			w.dropOption(g, g.Option)
		default:
			w.Delete(g)
		}
	}
	return nil
}
