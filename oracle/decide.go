package oracle

import "github.com/pdp-authz/pdp/model"

// levelOf is the level of each privilege, written out from reference §3.
func levelOf(p model.Privilege) model.Level {
	switch p {
	case model.PrivCreateAccount, model.PrivDropAccount, model.PrivAlterAccount:
		return model.LevelCluster
	case model.PrivCreateUser, model.PrivDropUser, model.PrivAlterUser, model.PrivCreateRole, model.PrivDropRole,
		model.PrivCreateDatabase, model.PrivDropDatabase, model.PrivShowDatabases, model.PrivConnect,
		model.PrivManageGrants, model.PrivAccountAll:
		return model.LevelAccount
	case model.PrivShowTables, model.PrivCreateTable, model.PrivDropTable, model.PrivAlterTable,
		model.PrivCreateView, model.PrivDropView, model.PrivAlterView, model.PrivDatabaseAll:
		return model.LevelDatabase
	case model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete, model.PrivTruncate,
		model.PrivReference, model.PrivIndex, model.PrivTableAll:
		return model.LevelTable
	}
	return model.LevelNone
}

// allOf is the ALL privilege of a level.
func allOf(l model.Level) model.Privilege {
	switch l {
	case model.LevelAccount:
		return model.PrivAccountAll
	case model.LevelDatabase:
		return model.PrivDatabaseAll
	case model.LevelTable:
		return model.PrivTableAll
	}
	return model.PrivAll
}

// isCreation reports the creation privileges of reference §3.
func isCreation(p model.Privilege) bool {
	switch p {
	case model.PrivCreateUser, model.PrivCreateRole, model.PrivCreateDatabase, model.PrivCreateTable, model.PrivCreateView:
		return true
	}
	return false
}

// restrictedAllows reports the privileges a restricted account allows (reference §8).
func restrictedAllows(p model.Privilege) bool {
	switch p {
	case model.PrivSelect, model.PrivDelete, model.PrivShowDatabases, model.PrivShowTables, model.PrivConnect:
		return true
	}
	return false
}

// set is a set of roles.
type set map[ID]bool

// accountGrant: the admin role, or p held on the account and not denied
// there.
func (s *State) accountGrant(acc *Account, S set, p model.Privilege) bool {
	at := func(l Level) bool { return l == Level{Scope: ScopeAccount, Obj: acc.ID} }
	return S[acc.Admin] || !s.deniedWhere(S, p, at) && s.holdsWhere(acc.ID, S, p, at, false)
}

// databaseGrant: the admin role, or, unless a denial at a level covering
// it denies p, ownership of d or p held at a level covering database d
// named name (DATABASE d, DATABASE *, DATABASE p*). d may be 0 for a
// database that does not exist, which the levels matching its name would
// cover.
func (s *State) databaseGrant(acc *Account, S set, d ID, name string, p model.Privilege) bool {
	if S[acc.Admin] {
		return true
	}
	if db := s.DBs[d]; db != nil {
		name = db.Name
	} else {
		d = 0
	}
	at := func(l Level) bool { return coversDatabase(l, acc.ID, d, name) }
	if s.deniedWhere(S, p, at) {
		return false
	}
	if db := s.DBs[d]; db != nil && S[db.Owner] {
		return true
	}
	return s.holdsWhere(acc.ID, S, p, at, false)
}

// Object is a concrete object of a decision.
type Object struct {
	Kind model.Kind
	ID   ID
}

// roles returns S for a user acting through role with or without the
// secondary roles, for privilege p, or nil when rule 1 of reference §8 fails for
// the role (missing or not granted directly).
func (s *State) roles(user, role ID, secondary bool, p model.Privilege) set {
	u, r := s.Users[user], s.Roles[role]
	if u == nil || r == nil || r.Account != u.Account || s.userRole(user, role) < 0 {
		return nil
	}
	if !secondary || isCreation(p) || levelOf(p) == model.LevelCluster {
		return s.Closure(role)
	}
	S := set{}
	for _, ur := range s.UserRoles {
		if ur.User == user {
			for x := range s.Closure(ur.Role) {
				S[x] = true
			}
		}
	}
	return S
}

// Check is the decision of reference §8.
func (s *State) Check(user, role ID, secondary bool, p model.Privilege, on Object) bool {
	u := s.Users[user]
	if u == nil {
		return false
	}
	acc := s.Accounts[u.Account]
	if p == model.PrivAll {
		switch on.Kind {
		case model.KindAccount:
			p = model.PrivAccountAll
		case model.KindDatabase:
			p = model.PrivDatabaseAll
		case model.KindTable, model.KindColumn:
			p = model.PrivTableAll
		}
	}
	lvl := levelOf(p)
	switch {
	case lvl == model.LevelNone, u.Locked, acc.Status == model.StatusSuspended,
		acc.Status == model.StatusRestricted && !restrictedAllows(p):
		return false
	}
	S := s.roles(user, role, secondary, p)
	if S == nil {
		return false
	}
	return s.allowedTo(acc, S, role, p, on)
}

// allowedTo is rule 3 of reference §8 (with its table of special cases): whether
// the role set S, with activeRole active, holds p on object on of account
// acc. The account's state is not looked at.
func (s *State) allowedTo(acc *Account, S set, activeRole ID, p model.Privilege, on Object) bool {
	lvl := levelOf(p)
	if !S[acc.Admin] && s.deniedTo(acc, S, p, on) {
		return false // reference §18: a denial wins over grants and ownership
	}
	switch on.Kind {
	case model.KindAccount:
		if on.ID != acc.ID {
			return false
		}
		switch lvl {
		case model.LevelCluster:
			return acc.Name == model.SysAccount && activeRole == acc.Admin
		case model.LevelAccount:
			return s.accountGrant(acc, S, p)
		}
	case model.KindDatabase:
		d := s.DBs[on.ID]
		if d == nil || d.Account != acc.ID {
			return false
		}
		switch {
		case lvl == model.LevelDatabase:
			return s.databaseGrant(acc, S, d.ID, d.Name, p)
		case p == model.PrivDropDatabase:
			return s.accountGrant(acc, S, p) || S[d.Owner]
		}
	case model.KindTable:
		t := s.Tables[on.ID]
		if t == nil || t.Account != acc.ID {
			return false
		}
		dname := s.DBs[t.DB].Name
		switch {
		case lvl == model.LevelTable:
			return S[acc.Admin] || S[t.Owner] ||
				s.holdsWhere(acc.ID, S, p, func(l Level) bool { return coversTable(l, acc.ID, t.DB, dname, t.ID, t.Name) }, false)
		case p == model.PrivDropTable, p == model.PrivAlterTable:
			return S[t.Owner] || s.databaseGrant(acc, S, t.DB, dname, p)
		}
	case model.KindRole:
		r := s.Roles[on.ID]
		if r == nil || r.Account != acc.ID || p != model.PrivDropRole {
			return false
		}
		return s.accountGrant(acc, S, p) || S[r.Owner]
	case model.KindUser:
		x := s.Users[on.ID]
		if x == nil || x.Account != acc.ID || p != model.PrivDropUser && p != model.PrivAlterUser {
			return false
		}
		if x.ID == acc.AdminUser {
			return S[acc.Admin]
		}
		return s.accountGrant(acc, S, p) || p == model.PrivDropUser && S[x.Owner]
	case model.KindColumn:
		t, _ := s.Column(on.ID)
		if t == nil || t.Account != acc.ID || !columnPriv(p) {
			return false
		}
		dname := s.DBs[t.DB].Name
		if S[acc.Admin] || S[t.Owner] ||
			s.holdsWhere(acc.ID, S, p, func(l Level) bool { return coversTable(l, acc.ID, t.DB, dname, t.ID, t.Name) }, false) {
			return true
		}
		for _, g := range s.ColumnGrants {
			if S[g.Role] && g.Column == on.ID && g.Priv == p {
				return true
			}
		}
	}
	return false
}
