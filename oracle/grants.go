package oracle

import (
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// target is a grant level or object after the stage-2 checks: its scope
// and folded names, and the current database for an unqualified table.
type target struct {
	scope   Scope
	db, tbl string
	current ID
}

// spec checks a Target without reading state.
func (se *Session) spec(t engine.Target) (target, error) {
	var out target
	var err error
	switch t.Kind {
	case model.KindAccount:
		out.scope = ScopeAccount
	case model.KindDatabase:
		out.scope = ScopeAnyDB
		if !t.AnyDatabase {
			out.scope = ScopeDB
			if t.DatabasePattern {
				out.scope = ScopeDBPattern
			}
			out.db, err = fold(nameDatabase, t.Database)
		}
	case model.KindTable:
		switch {
		case t.AnyDatabase:
			out.scope = ScopeAnyTable
			return out, nil
		case t.DatabasePattern:
			out.scope = ScopeAnyTablePattern
			out.db, err = fold(nameDatabase, t.Database)
			return out, err
		case t.Database == "" && se.DBName == "":
			return out, model.Errorf(model.ErrNoDatabase, "no database selected")
		case t.Database == "":
			out.db, out.current = se.DBName, se.DB
		default:
			if out.db, err = fold(nameDatabase, t.Database); err != nil {
				return out, err
			}
		}
		out.scope = ScopeDBTables
		if !t.AnyTable {
			out.scope = ScopeTable
			if t.TablePattern {
				out.scope = ScopeTablePattern
			}
			out.tbl, err = fold(nameTable, t.Name)
		}
	default:
		err = model.Errorf(model.ErrInvalidOption, "not a grant level")
	}
	return out, err
}

// resolved is a target looked up in a state: the level, the database and
// table when they exist, and the stage-4 error when one does not.
type resolved struct {
	level   Level
	db      *Database
	table   *Table
	missing error
	t       target
}

func (s *State) resolve(acc ID, t target) resolved {
	out := resolved{level: Level{Scope: t.scope, Obj: acc}, t: t}
	if t.db == "" {
		return out
	}
	if t.scope == ScopeDBPattern || t.scope == ScopeAnyTablePattern {
		out.level.Prefix = t.db
		return out
	}
	if t.current != 0 {
		out.db = s.DBs[t.current]
	} else {
		out.db = s.dbByName(acc, t.db)
	}
	if out.db == nil {
		out.level.Obj = 0
		out.missing = missing("there is no database %q", t.db)
		return out
	}
	out.level.Obj = out.db.ID
	if t.scope == ScopeTablePattern {
		out.level.Prefix = t.tbl
		return out
	}
	if t.tbl != "" {
		out.table = s.tableOrAlias(out.db.ID, t.tbl)
		out.level.Obj = 0
		if out.table == nil {
			out.missing = missing("there is no table %q in database %q", t.tbl, t.db)
		} else {
			out.level.Obj = out.table.ID
		}
	}
	return out
}

// owned reports whether a role of S owns the object the level names
// (DATABASE d or TABLE d.t; the other levels name none).
func (ac *actor) owned(r resolved) bool {
	switch r.level.Scope {
	case ScopeDB:
		return r.db != nil && ac.S[r.db.Owner]
	case ScopeTable:
		return r.table != nil && ac.S[r.table.Owner]
	}
	return false
}

// covering accepts the levels covering r (reference §4, §16), r included: the
// wildcards, the patterns whose prefix starts the name or prefix r names,
// and the named database's and table's own levels.
func (ac *actor) covering(r resolved) func(Level) bool {
	a := ac.acc.ID
	var d, tid ID
	dname, tname := r.t.db, r.t.tbl
	if r.db != nil {
		d = r.db.ID
	}
	if r.table != nil {
		tid, tname = r.table.ID, r.table.Name
	}
	anyDB, anyTable := Level{Scope: ScopeAnyDB, Obj: a}, Level{Scope: ScopeAnyTable, Obj: a}
	matches := func(l Level, scope Scope, obj ID, name string) bool {
		return l.Scope == scope && l.Obj == obj && strings.HasPrefix(name, l.Prefix)
	}
	switch r.level.Scope {
	case ScopeAccount:
		return func(l Level) bool { return l == Level{Scope: ScopeAccount, Obj: a} }
	case ScopeAnyDB:
		return func(l Level) bool { return l == anyDB }
	case ScopeDBPattern:
		return func(l Level) bool { return l == anyDB || matches(l, ScopeDBPattern, a, dname) }
	case ScopeDB:
		return func(l Level) bool { return coversDatabase(l, a, d, dname) }
	case ScopeAnyTable:
		return func(l Level) bool { return l == anyTable }
	case ScopeAnyTablePattern:
		return func(l Level) bool { return l == anyTable || matches(l, ScopeAnyTablePattern, a, dname) }
	case ScopeDBTables:
		return func(l Level) bool {
			return l == anyTable || matches(l, ScopeAnyTablePattern, a, dname) || d != 0 && l == Level{Scope: ScopeDBTables, Obj: d}
		}
	case ScopeTablePattern:
		return func(l Level) bool {
			return l == anyTable || matches(l, ScopeAnyTablePattern, a, dname) ||
				d != 0 && (l == Level{Scope: ScopeDBTables, Obj: d} || matches(l, ScopeTablePattern, d, tname))
		}
	}
	return func(l Level) bool { return coversTable(l, a, d, dname, tid, tname) }
}

// mayGrant is the authority of GRANT p ON level (reference §9).
func (ac *actor) mayGrant(p model.Privilege, r resolved) bool {
	if ac.admin() {
		return true
	}
	if ac.deniedAt(p, r, false, 0) {
		return false // reference §18: a denial takes the authority to grant what it denies
	}
	if r.level.Scope != ScopeAccount && ac.manageGrants() || ac.owned(r) {
		return true
	}
	return ac.base.holdsWhere(ac.acc.ID, ac.S, p, ac.covering(r), true)
}

// mayRevoke is the authority of REVOKE ... ON level (reference §9).
func (ac *actor) mayRevoke(r resolved) bool {
	return ac.admin() || r.level.Scope != ScopeAccount && ac.manageGrants() || ac.owned(r)
}

// scopeLevel is the privilege level of a target kind.
func scopeLevel(k model.Kind) model.Level {
	switch k {
	case model.KindAccount:
		return model.LevelAccount
	case model.KindDatabase:
		return model.LevelDatabase
	case model.KindTable:
		return model.LevelTable
	}
	return model.LevelNone
}

// privileges parses privilege names for a level (stage 2): the first bad
// one in statement order is reported; ALL binds to the level; a revoke
// drops cluster privileges silently.
func privileges(names []string, lvl model.Level, revoke bool) ([]model.Privilege, error) {
	var out []model.Privilege
	for _, raw := range names {
		p, ok := model.ParsePrivilege(raw)
		switch {
		case !ok:
			return nil, model.Errorf(model.ErrInvalidPrivilege, "unsupported privilege type %s", strings.ToLower(raw))
		case p == model.PrivAll:
			p = allOf(lvl)
		case p == model.PrivOwnership:
			continue
		case levelOf(p) == model.LevelCluster && revoke:
			continue
		case levelOf(p) == model.LevelCluster:
			return nil, model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be granted", p)
		case levelOf(p) != lvl:
			return nil, model.Errorf(model.ErrInvalidPrivilege, "the privilege %q can only be granted to the object type %q", p, levelOf(p))
		}
		out = append(out, p)
	}
	return out, nil
}

func hasOwnership(names []string) bool {
	return slices.ContainsFunc(names, func(n string) bool {
		p, ok := model.ParsePrivilege(n)
		return ok && p == model.PrivOwnership
	})
}

// GrantPrivilege is GRANT privileges ON level TO roles; a list naming
// OWNERSHIP is a transfer.
func (se *Session) GrantPrivilege(st engine.GrantPrivilege) error {
	if err := se.begin(); err != nil {
		return err
	}
	if hasColumns(st.Columns) {
		return se.grantColumns(st)
	}
	if hasOwnership(st.Privileges) {
		if _, err := privileges(st.Privileges, scopeLevel(st.On.Kind), false); err != nil {
			return err
		}
		switch {
		case len(st.Privileges) != 1:
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership must be granted alone to one role")
		case st.On.Kind == model.KindAccount:
			return model.Errorf(model.ErrInvalidPrivilege, "the object type \"account\" do not support the privilege \"ownership\"")
		case wildcard(st.On):
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be granted on a wildcard level")
		case len(st.To) != 1 || st.Option == engine.GrantWithOption:
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership must be granted alone to one role")
		}
		return se.GrantOwnership(engine.GrantOwnership{On: st.On, To: st.To[0]})
	}
	privs, err := privileges(st.Privileges, scopeLevel(st.On.Kind), false)
	if err != nil {
		return err
	}
	roles, err := foldAll(nameRole, st.To)
	if err != nil {
		return err
	}
	t, err := se.spec(st.On)
	if err != nil {
		return err
	}
	opt := st.Option == engine.GrantWithOption
	return se.exec(func(s *State, ac *actor) error {
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
		for _, name := range roles {
			role := s.roleByName(se.Account, name)
			switch {
			case role == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", name)
			case role.ID == ac.acc.Admin:
				return model.Errorf(model.ErrPredefined, "the privilege can not be granted to the role %s", name)
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
			for _, p := range privs {
				if i := s.grant(role.ID, p, r.level); i >= 0 {
					s.Grants[i].Option = s.Grants[i].Option || opt
				} else {
					s.Grants = append(s.Grants, Grant{Role: role.ID, Priv: p, Level: r.level, Option: opt})
				}
			}
		}
		return nil
	})
}

// RevokePrivilege is REVOKE [GRANT OPTION FOR] privileges ON level FROM roles.
func (se *Session) RevokePrivilege(st engine.RevokePrivilege) error {
	if err := se.begin(); err != nil {
		return err
	}
	if hasColumns(st.Columns) {
		return se.revokeColumns(st)
	}
	privs, err := privileges(st.Privileges, scopeLevel(st.On.Kind), true)
	if err != nil {
		return err
	}
	if hasOwnership(st.Privileges) {
		return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be revoked")
	}
	roles, err := foldAll(nameRole, st.From)
	if err != nil {
		return err
	}
	t, err := se.spec(st.On)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
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
		for _, name := range roles {
			role := s.roleByName(se.Account, name)
			switch {
			case role == nil && st.IfExists:
				continue
			case role == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", name)
			case role.ID == ac.acc.Admin:
				return model.Errorf(model.ErrPredefined, "the privilege can not be revoked from the role %s", name)
			}
			for _, p := range privs {
				if role.ID == ac.acc.Public && p == model.PrivConnect && r.level.Scope == ScopeAccount && !st.GrantOptionOnly {
					return model.Errorf(model.ErrPredefined, "the privilege connect can not be revoked from the role public")
				}
				i := s.grant(role.ID, p, r.level)
				switch {
				case i < 0:
				case st.GrantOptionOnly:
					s.Grants[i].Option = false
				default:
					s.Grants = slices.Delete(s.Grants, i, i+1)
				}
			}
		}
		return nil
	})
}

// GrantOwnership is GRANT OWNERSHIP ON object TO role (reference §6).
func (se *Session) GrantOwnership(st engine.GrantOwnership) error {
	if err := se.begin(); err != nil {
		return err
	}
	to, err := fold(nameRole, st.To)
	if err != nil {
		return err
	}
	var t target
	var name string
	switch st.On.Kind {
	case model.KindDatabase, model.KindTable:
		if wildcard(st.On) {
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be granted on a wildcard level")
		}
		if t, err = se.spec(st.On); err != nil {
			return err
		}
	case model.KindAlias:
		if t, err = se.spec(engine.Target{Kind: model.KindTable, Database: st.On.Database, Name: st.On.Name}); err != nil {
			return err
		}
	case model.KindRole:
		if name, err = fold(nameRole, st.On.Name); err != nil {
			return err
		}
	case model.KindUser:
		if name, err = fold(nameUser, st.On.Name); err != nil {
			return err
		}
	default:
		return model.Errorf(model.ErrInvalidPrivilege, "the object type do not support the privilege \"ownership\"")
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		// The object: its current owner, a setter, and its role ID for a role.
		var owner, self ID
		var setOwner func(ID)
		var miss error
		switch st.On.Kind {
		case model.KindRole:
			if r := s.roleByName(se.Account, name); r != nil {
				owner, self, setOwner = r.Owner, r.ID, func(o ID) { r.Owner = o }
			} else {
				miss = model.Errorf(model.ErrNotFound, "there is no role %s", name)
			}
		case model.KindUser:
			if u := s.userByName(se.Account, name); u != nil {
				owner, setOwner = u.Owner, func(o ID) { u.Owner = o }
				if u.ID == ac.acc.AdminUser {
					self = -1 // fixed
				}
			} else {
				miss = model.Errorf(model.ErrNotFound, "there is no user %s", name)
			}
		case model.KindAlias:
			r := s.resolve(se.Account, t)
			var a *Alias
			if r.db != nil {
				a = s.aliasByName(r.db.ID, t.tbl)
			}
			switch {
			case r.db == nil:
				miss = model.Errorf(model.ErrNotFound, "there is no database %q", t.db)
			case a == nil:
				miss = model.Errorf(model.ErrNotFound, "there is no alias %q in database %q", t.tbl, t.db)
			default:
				owner, setOwner = a.Owner, func(o ID) { a.Owner = o }
			}
		default:
			r := s.resolve(se.Account, t)
			miss = r.missing
			switch {
			case r.table != nil:
				owner, setOwner = r.table.Owner, func(o ID) { r.table.Owner = o }
			case r.db != nil && st.On.Kind == model.KindDatabase:
				owner, setOwner = r.db.Owner, func(o ID) { r.db.Owner = o }
			}
		}
		isTable := st.On.Kind == model.KindTable || st.On.Kind == model.KindAlias
		if !ac.admin() && !(isTable && ac.manageGrants()) && !(setOwner != nil && ac.S[owner]) {
			return errDenied
		}
		if miss != nil {
			return miss
		}
		if self == -1 || self == ac.acc.Admin || self == ac.acc.Public {
			return model.Errorf(model.ErrPredefined, "the ownership of %s can not be transferred", name)
		}
		r := s.roleByName(se.Account, to)
		switch {
		case r == nil:
			return model.Errorf(model.ErrNotFound, "there is no role %s", to)
		case r.ID == ac.acc.Public:
			return model.Errorf(model.ErrPredefined, "the ownership can not be granted to the role public")
		case self == r.ID:
			return model.Errorf(model.ErrPredefined, "the ownership of %s can not be transferred", name)
		}
		setOwner(r.ID)
		return nil
	})
}

// wildcard reports whether a target is a level naming no object.
func wildcard(t engine.Target) bool {
	return t.AnyDatabase || t.AnyTable || t.DatabasePattern || t.TablePattern
}
