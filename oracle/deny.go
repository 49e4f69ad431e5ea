package oracle

import (
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Denials (reference §18, §21), written out from the text: a denial of P (or of
// its level's ALL) held by a role of S at a level covering the object
// denies it, whatever the grants and ownership, unless S holds the admin
// role. Check(ALL) is denied by a denial of any privilege of its level. A
// table-level decision for a column privilege (or ALL) is denied by a
// denial on any column of the table. A denial at the level the §8 table
// reads grants from applies (DROP TABLE denied on a database denies it on
// its tables).

// denies reports whether a denial of q denies p: q is p or p's level's
// ALL, or p is an ALL and q of its level.
func denies(q, p model.Privilege) bool {
	lvl := levelOf(p)
	if p == allOf(lvl) {
		return levelOf(q) == lvl
	}
	return q == p || q == allOf(lvl)
}

// decisionLevels returns which levels' denials of p apply to object on
// (the levels the decision reads grants from, patterns included), and the
// table whose column denials apply to a table-level decision, or the
// column of a column decision.
func (s *State) decisionLevels(acc *Account, p model.Privilege, on Object) (at func(Level) bool, table, column ID) {
	none := func(Level) bool { return false }
	account := func(l Level) bool { return l == Level{Scope: ScopeAccount, Obj: acc.ID} }
	lvl := levelOf(p)
	switch on.Kind {
	case model.KindAccount, model.KindRole, model.KindUser:
		if lvl == model.LevelAccount {
			return account, 0, 0
		}
	case model.KindDatabase:
		d := s.DBs[on.ID]
		switch {
		case d != nil && lvl == model.LevelDatabase:
			return func(l Level) bool { return coversDatabase(l, acc.ID, d.ID, d.Name) }, 0, 0
		case p == model.PrivDropDatabase:
			return account, 0, 0
		}
	case model.KindTable:
		t := s.Tables[on.ID]
		if t == nil {
			return none, 0, 0
		}
		dname := s.DBs[t.DB].Name
		switch lvl {
		case model.LevelTable:
			return func(l Level) bool { return coversTable(l, acc.ID, t.DB, dname, t.ID, t.Name) }, t.ID, 0
		case model.LevelDatabase:
			return func(l Level) bool { return coversDatabase(l, acc.ID, t.DB, dname) }, 0, 0
		}
	case model.KindColumn:
		t, _ := s.Column(on.ID)
		if t == nil {
			return none, 0, 0
		}
		dname := s.DBs[t.DB].Name
		return func(l Level) bool { return coversTable(l, acc.ID, t.DB, dname, t.ID, t.Name) }, 0, on.ID
	}
	return none, 0, 0
}

// deniedTo reports whether a role of S holds a denial that denies p on on.
func (s *State) deniedTo(acc *Account, S set, p model.Privilege, on Object) bool {
	at, table, column := s.decisionLevels(acc, p, on)
	if s.deniedWhere(S, p, at) {
		return true
	}
	for _, d := range s.Denials {
		if !S[d.Role] || d.Level.Scope != ScopeColumn {
			continue
		}
		if column != 0 && d.Level.Obj == column && d.Priv == p {
			return true
		}
		if table != 0 && (p == model.PrivTableAll || columnPriv(p)) && (p == model.PrivTableAll || d.Priv == p) {
			if t, _ := s.Column(d.Level.Obj); t != nil && t.ID == table {
				return true
			}
		}
	}
	return false
}

// deniedWhere reports whether a role of S holds a denial that denies p at
// a level at reports.
func (s *State) deniedWhere(S set, p model.Privilege, at func(Level) bool) bool {
	for _, d := range s.Denials {
		if S[d.Role] && at(d.Level) && denies(d.Priv, p) {
			return true
		}
	}
	return false
}

// deniedAt reports whether a denial of S covers GRANT p on the level r
// names, or on a column of its table when column is set (col 0: a missing
// one): the levels covering it; for a table level the denials of its
// columns too, for a column its own.
func (ac *actor) deniedAt(p model.Privilege, r resolved, column bool, col ID) bool {
	s := ac.base
	if col != 0 {
		return s.deniedTo(ac.acc, ac.S, p, Object{Kind: model.KindColumn, ID: col})
	}
	if s.deniedWhere(ac.S, p, ac.covering(r)) {
		return true
	}
	if !column && r.level.Scope == ScopeTable && r.table != nil {
		return s.deniedTo(ac.acc, ac.S, p, Object{Kind: model.KindTable, ID: r.table.ID})
	}
	return false
}

// mayDeny is the authority of DENY and REVOKE DENY at the level r names.
func (ac *actor) mayDeny(r resolved) bool {
	return ac.admin() || r.level.Scope != ScopeAccount && ac.manageGrants()
}

// Deny is DENY privileges [(columns)] ON level TO roles.
func (se *Session) Deny(st engine.Deny) error {
	if err := se.begin(); err != nil {
		return err
	}
	items, err := se.items(st.Privileges, st.Columns, st.On, "denied")
	if err != nil {
		return err
	}
	roles, t, err := se.columnStatement(st.To, st.On)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		r := s.resolve(se.Account, t)
		if !ac.mayDeny(r) {
			return errDenied
		}
		if r.missing != nil {
			return r.missing
		}
		levels := s.expand(r, items)
		for _, l := range levels {
			if l.missing != nil {
				return l.missing
			}
		}
		for _, name := range roles {
			if br := ac.base.roleByName(se.Account, name); br != nil && ac.S[br.ID] && !ac.admin() {
				return errDenied
			}
			role := s.roleByName(se.Account, name)
			switch {
			case role == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", name)
			case role.ID == ac.acc.Admin:
				return model.Errorf(model.ErrPredefined, "the privilege can not be denied to the role %s", name)
			}
			for _, l := range levels {
				if role.ID == ac.acc.Public && l.level.Scope == ScopeAccount &&
					(l.p == model.PrivConnect || l.p == model.PrivAccountAll) {
					return model.Errorf(model.ErrPredefined, "the privilege %s can not be denied to the role public", l.p)
				}
			}
			if err := s.patternLimit(se.Account, r.level); err != nil {
				return err
			}
			for _, l := range levels {
				if s.denialOf(role.ID, l.p, l.level) < 0 {
					s.Denials = append(s.Denials, Denial{Role: role.ID, Priv: l.p, Level: l.level})
				}
			}
		}
		return nil
	})
}

// RevokeDeny is REVOKE [IF EXISTS] DENY privileges [(columns)] ON level FROM roles.
func (se *Session) RevokeDeny(st engine.RevokeDeny) error {
	if err := se.begin(); err != nil {
		return err
	}
	items, err := se.items(st.Privileges, st.Columns, st.On, "revoked")
	if err != nil {
		return err
	}
	roles, t, err := se.columnStatement(st.From, st.On)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		r := s.resolve(se.Account, t)
		if !ac.mayDeny(r) {
			return errDenied
		}
		if r.missing != nil {
			if st.IfExists {
				return nil
			}
			return r.missing
		}
		levels, err := present(s.expand(r, items), st.IfExists)
		if err != nil {
			return err
		}
		for _, name := range roles {
			if br := ac.base.roleByName(se.Account, name); br != nil && ac.S[br.ID] && !ac.admin() {
				return errDenied
			}
			role := s.roleByName(se.Account, name)
			switch {
			case role == nil && st.IfExists:
				continue
			case role == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", name)
			case role.ID == ac.acc.Admin:
				return model.Errorf(model.ErrPredefined, "the privilege can not be revoked from the role %s", name)
			}
			for _, l := range levels {
				if i := s.denialOf(role.ID, l.p, l.level); i >= 0 {
					s.Denials = append(s.Denials[:i], s.Denials[i+1:]...)
				}
			}
		}
		return nil
	})
}

// DeniedFor reports whether a denial held by S, for user acting through
// role (with its secondary roles if secondary), covers p on on, and S does
// not hold the admin role: the decision must then deny.
func (s *State) DeniedFor(user, role ID, secondary bool, p model.Privilege, on Object) bool {
	u := s.Users[user]
	if u == nil {
		return false
	}
	acc := s.Accounts[u.Account]
	if p == model.PrivAll {
		p = map[model.Kind]model.Privilege{model.KindAccount: model.PrivAccountAll, model.KindDatabase: model.PrivDatabaseAll,
			model.KindTable: model.PrivTableAll, model.KindColumn: model.PrivTableAll}[on.Kind]
	}
	S := s.roles(user, role, secondary, p)
	return S != nil && !S[acc.Admin] && s.deniedTo(acc, S, p, on)
}
