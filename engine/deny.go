package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// DENY and REVOKE DENY (reference §18, §21): explicit denials that override
// grants and ownership for every role set but the admin role's.

// Deny is DENY privileges [(columns)] ON level TO roles.
type Deny struct {
	Privileges []string
	On         Target
	To         []string
	// Columns, when set, holds one list per privilege: the columns it is
	// denied on, nil for the whole level.
	Columns [][]string
}

// RevokeDeny is REVOKE [IF EXISTS] DENY privileges [(columns)] ON level
// FROM roles. It removes denials only, never grants.
type RevokeDeny struct {
	IfExists   bool
	Privileges []string
	On         Target
	From       []string
	Columns    [][]string // as in Deny
}

// mayDeny decides DENY and REVOKE DENY on level l: MANAGE GRANTS at the
// database, table and column levels, the admin role at any level.
func (ac *actor) mayDeny(l level) bool {
	return ac.admin() || l.scope != catalog.ScopeAccount && ac.manageGrants()
}

// inS reports whether the role named name was in S when the statement
// started: a session never places or lifts a denial of its own role set
// unless it holds the admin role (reference §18).
func (ac *actor) inS(name string) bool {
	r := ac.snap.read().RoleByName(ac.a.id, name)
	if r == nil {
		return false
	}
	rv := ac.snap.roleAt(uint32(r.ID))
	return rv != nil && ac.set.Has(rv.slot)
}

// Deny runs DENY: it needs MANAGE GRANTS (database, table and column
// levels) or the admin role, and refuses to deny a role of the caller's own
// S unless S holds the admin role. The admin roles cannot be denied, nor
// CONNECT (or ALL on the account) to public.
func (s *Session) Deny(st Deny) error {
	var cs columnStatement
	return s.exec(st, func() (err error) {
		cs, err = s.prepareColumns(st.Privileges, st.Columns, st.On, st.To, verbDeny)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		l := w.resolve(s.account, cs.spec)
		if !ac.mayDeny(l) {
			return errDenied
		}
		if l.missing != nil {
			return l.missing
		}
		targets := w.targets(l, cs.items)
		if err := missingColumn(targets); err != nil {
			return err
		}
		for _, name := range cs.roles {
			if err := w.denyTo(s, ac, name, targets); err != nil {
				return err
			}
		}
		return nil
	})
}

// denyTo places the denials of targets on the role named name.
func (w *writer) denyTo(s *Session, ac *actor, name string, targets []target) error {
	if ac.inS(name) && !ac.admin() {
		return errDenied
	}
	r := w.RoleByName(s.account, name)
	if r == nil {
		return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(name))
	}
	return w.placeDenials(s, r, targets)
}

// placeDenials stores the denials of targets on role r, which may be
// neither the admin role nor, for CONNECT on the account, public.
func (w *writer) placeDenials(s *Session, r *catalog.Role, targets []target) error {
	acc := w.Account(s.account)
	switch r.ID {
	case acc.AdminRole:
		return model.Errorf(model.ErrPredefined, "the privilege can not be denied to the role %s", model.Quote(r.Name))
	case acc.PublicRole:
		if err := publicMayBeDenied(targets); err != nil {
			return err
		}
	}
	for _, t := range targets {
		lv, err := w.ensurePattern(t.level)
		if err != nil {
			return err
		}
		key := lv.key()
		if w.Denial(r.ID, key, t.priv) != nil {
			continue
		}
		if err := w.grantLimit(r); err != nil {
			return err
		}
		dn := &catalog.Denial{Role: r.ID, Account: s.account, Scope: key.Scope, Object: key.Object, Priv: t.priv,
			GrantorRole: s.role, GrantorUser: s.user}
		if key.Scope == catalog.ScopeColumn {
			dn.Table = t.level.table
		}
		w.Insert(dn)
	}
	return nil
}

// publicMayBeDenied refuses to deny CONNECT on the account to public, and
// ALL on the account, which stands for CONNECT too.
func publicMayBeDenied(targets []target) error {
	for _, t := range targets {
		if t.level.scope == catalog.ScopeAccount && (t.priv == model.PrivConnect || t.priv == model.PrivAccountAll) {
			return model.Errorf(model.ErrPredefined, "the privilege %s can not be denied to the role public", t.priv)
		}
	}
	return nil
}

// RevokeDeny runs REVOKE DENY: the authority of DENY; it never lifts a
// denial of a role of the caller's own S unless S holds the admin role. A
// denial that does not exist is skipped silently; a missing level, column
// or role fails unless IF EXISTS.
func (s *Session) RevokeDeny(st RevokeDeny) error {
	var cs columnStatement
	return s.exec(st, func() (err error) {
		cs, err = s.prepareColumns(st.Privileges, st.Columns, st.On, st.From, verbRevoke)
		return err
	}, func(w *writer, ac *actor) error {
		l := w.resolve(s.account, cs.spec)
		if !ac.mayDeny(l) {
			return errDenied
		}
		if l.missing != nil {
			return ignoreIf(st.IfExists, l.missing)
		}
		targets, err := presentTargets(w.targets(l, cs.items), st.IfExists)
		if err != nil {
			return err
		}
		for _, name := range cs.roles {
			err := w.liftFrom(s, ac, name, targets)
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

// liftFrom removes the denials of targets held by the role named name.
func (w *writer) liftFrom(s *Session, ac *actor, name string, targets []target) error {
	if ac.inS(name) && !ac.admin() {
		return errDenied
	}
	r := w.RoleByName(s.account, name)
	if r == nil {
		return missingErr("there is no role %s", model.Quote(name))
	}
	if r.ID == w.Account(s.account).AdminRole {
		return model.Errorf(model.ErrPredefined, "the privilege can not be revoked from the role %s", model.Quote(name))
	}
	for _, t := range targets {
		if dn := w.Denial(r.ID, t.level.key(), t.priv); dn != nil {
			w.Delete(dn)
		}
	}
	return nil
}
