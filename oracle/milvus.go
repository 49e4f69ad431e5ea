package oracle

import (
	"slices"
	"sort"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// SPEC §15–§17, written out naively: privilege groups, name patterns and
// table aliases. A pattern is just a level with a prefix; its coverage is
// a prefix test of every name, every time.

// Group is a custom privilege group of an account.
type Group struct {
	ID      ID
	Account ID
	Name    string
	Privs   model.PrivSet
}

// GroupGrant is a privilege group granted to a role at a level.
type GroupGrant struct {
	Role   ID
	Group  ID // a custom group, or GroupReadOnly or GroupReadWrite
	Level  Level
	Option bool
}

// The predefined groups, the same in every account.
const (
	GroupReadOnly  ID = -1
	GroupReadWrite ID = -2
)

// Alias is a second name of a table of its database.
type Alias struct {
	ID      ID
	Account ID
	DB      ID
	Name    string
	Table   ID
	Owner   ID
}

// accountPrivs are the account-level privileges.
var accountPrivs = levelPrivs(model.LevelAccount)

// levelPrivs returns the privileges of level l, its ALL included.
func levelPrivs(l model.Level) model.PrivSet {
	var out model.PrivSet
	for p := model.PrivCreateAccount; p <= model.PrivTableAll; p++ {
		if levelOf(p) == l {
			out |= p.Bit()
		}
	}
	return out
}

// groupPrivs returns the members of group id of account acc.
func (s *State) groupPrivs(acc ID, id ID) model.PrivSet {
	switch id {
	case GroupReadOnly:
		return model.Privs(model.PrivShowDatabases, model.PrivShowTables, model.PrivSelect)
	case GroupReadWrite:
		return model.Privs(model.PrivShowDatabases, model.PrivShowTables, model.PrivSelect,
			model.PrivInsert, model.PrivUpdate, model.PrivDelete, model.PrivTruncate)
	}
	if g := s.Groups[id]; g != nil && g.Account == acc {
		return g.Privs
	}
	return 0
}

// groupByName returns the ID of the group of acc named name, 0 if none.
func (s *State) groupByName(acc ID, name string) ID {
	switch name {
	case model.ReadOnly:
		return GroupReadOnly
	case model.ReadWrite:
		return GroupReadWrite
	}
	for _, g := range s.Groups {
		if g.Account == acc && g.Name == name {
			return g.ID
		}
	}
	return 0
}

// groupName returns the name of group id.
func (s *State) groupName(id ID) string {
	switch id {
	case GroupReadOnly:
		return model.ReadOnly
	case GroupReadWrite:
		return model.ReadWrite
	}
	return s.Groups[id].Name
}

func (s *State) aliasByName(db ID, name string) *Alias {
	for _, a := range s.Aliases {
		if a.DB == db && a.Name == name {
			return a
		}
	}
	return nil
}

// patternLevels returns the pattern levels of account acc that hold a grant.
func (s *State) patternLevels(acc ID) map[Level]bool {
	out := map[Level]bool{}
	add := func(l Level, role ID) {
		if l.Scope >= ScopeDBPattern && s.Roles[role] != nil && s.Roles[role].Account == acc {
			out[l] = true
		}
	}
	for _, g := range s.Grants {
		add(g.Level, g.Role)
	}
	for _, g := range s.GroupGrants {
		add(g.Level, g.Role)
	}
	return out
}

// holdsWhere reports whether a role of S holds p (or its level's ALL), by
// a privilege grant or a group holding p now, at a level at accepts (with
// grant option if opt).
func (s *State) holdsWhere(acc ID, S set, p model.Privilege, at func(Level) bool, opt bool) bool {
	for _, g := range s.Grants {
		if S[g.Role] && at(g.Level) && (g.Priv == p || g.Priv == allOf(levelOf(p))) && (g.Option || !opt) {
			return true
		}
	}
	for _, g := range s.GroupGrants {
		if S[g.Role] && at(g.Level) && s.groupPrivs(acc, g.Group).Has(p) && (g.Option || !opt) {
			return true
		}
	}
	return false
}

// coversDatabase reports whether level l (of database privileges) covers
// a database of account acc named name, with ID d (0 if it is missing).
func coversDatabase(l Level, acc, d ID, name string) bool {
	switch l.Scope {
	case ScopeAnyDB:
		return l.Obj == acc
	case ScopeDBPattern:
		return l.Obj == acc && strings.HasPrefix(name, l.Prefix)
	case ScopeDB:
		return d != 0 && l.Obj == d
	}
	return false
}

// coversTable reports whether level l (of table privileges) covers a
// table named tname, with ID t, of database d named dname of account acc
// (IDs 0 for missing objects).
func coversTable(l Level, acc, d ID, dname string, t ID, tname string) bool {
	switch l.Scope {
	case ScopeAnyTable:
		return l.Obj == acc
	case ScopeAnyTablePattern:
		return l.Obj == acc && strings.HasPrefix(dname, l.Prefix)
	case ScopeDBTables:
		return d != 0 && l.Obj == d
	case ScopeTablePattern:
		return d != 0 && l.Obj == d && strings.HasPrefix(tname, l.Prefix)
	case ScopeTable:
		return t != 0 && l.Obj == t
	}
	return false
}

// publicRefuses reports a privilege public may not be granted (SPEC §2).
func publicRefuses(p model.Privilege) bool {
	return isCreation(p) || levelOf(p) == model.LevelAccount && p != model.PrivConnect && p != model.PrivShowDatabases ||
		p == model.PrivDatabaseAll
}

// members lists the privileges of set in SPEC §3's order.
func members(set model.PrivSet) []model.Privilege {
	var out []model.Privilege
	for p := model.PrivCreateAccount; p <= model.PrivTableAll; p++ {
		if set.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

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

// aliasSpecs does the stage-2 checks of CREATE and ALTER ALIAS.
func (se *Session) aliasSpecs(db, name, tdb, table string) (target, target, error) {
	a, err := se.spec(engine.Target{Kind: model.KindTable, Database: db, Name: name})
	if err != nil {
		return a, target{}, err
	}
	t, err := se.spec(engine.Target{Kind: model.KindTable, Database: tdb, Name: table})
	if err != nil {
		return a, t, err
	}
	if a.db != t.db {
		return a, t, model.Errorf(model.ErrInvalidOption, "the alias %s and the table %s must be in the same database", a.tbl, t.tbl)
	}
	return a, t, nil
}

// alterTable: ALTER TABLE on the table r names, as Check would decide it,
// or from the database levels when it is missing.
func (ac *actor) alterTable(r resolved, dbName string) bool {
	if r.table != nil && ac.S[r.table.Owner] {
		return true
	}
	var d ID
	if r.db != nil {
		d = r.db.ID
	}
	return ac.base.databaseGrant(ac.acc, ac.S, d, dbName, model.PrivAlterTable)
}

// CreateAlias is CREATE ALIAS.
func (se *Session) CreateAlias(st engine.CreateAlias) error {
	if err := se.begin(); err != nil {
		return err
	}
	at, tt, err := se.aliasSpecs(st.Database, st.Name, st.TableDatabase, st.Table)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		ar, tr := s.resolve(se.Account, at), s.resolve(se.Account, tt)
		var d ID
		if ar.db != nil {
			d = ar.db.ID
		}
		if !ac.base.databaseGrant(ac.acc, ac.primary, d, at.db, model.PrivCreateTable) || !ac.alterTable(tr, tt.db) {
			return errDenied
		}
		switch {
		case ar.db == nil:
			return model.Errorf(model.ErrNotFound, "there is no database %q", at.db)
		case s.tableByName(d, at.tbl) != nil || s.aliasByName(d, at.tbl) != nil:
			if st.IfNotExists {
				return nil
			}
			return model.Errorf(model.ErrExists, "the table %s.%s exists", at.db, at.tbl)
		case tr.missing != nil:
			return tr.missing
		case s.overLimit(se.Account, "tables") != nil:
			return s.overLimit(se.Account, "tables")
		}
		id := s.newID()
		s.Aliases[id] = &Alias{ID: id, Account: se.Account, DB: d, Name: at.tbl, Table: tr.table.ID, Owner: se.Role}
		return nil
	})
}

// AlterAlias is ALTER ALIAS: ownership of the alias and ALTER TABLE on the
// new target; a missing alias only the admin role may touch.
func (se *Session) AlterAlias(st engine.AlterAlias) error {
	if err := se.begin(); err != nil {
		return err
	}
	at, tt, err := se.aliasSpecs(st.Database, st.Name, st.TableDatabase, st.Table)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		var cur *Alias
		if br := ac.base.resolve(se.Account, at); br.db != nil {
			cur = ac.base.aliasByName(br.db.ID, at.tbl)
		}
		tr := s.resolve(se.Account, tt)
		if !ac.admin() && !(cur != nil && ac.S[cur.Owner] && ac.alterTable(tr, tt.db)) {
			return errDenied
		}
		ar := s.resolve(se.Account, at)
		if ar.db == nil {
			return model.Errorf(model.ErrNotFound, "there is no database %q", at.db)
		}
		a := s.aliasByName(ar.db.ID, at.tbl)
		switch {
		case a == nil:
			return model.Errorf(model.ErrNotFound, "there is no alias %q in database %q", at.tbl, at.db)
		case tr.missing != nil:
			return tr.missing
		}
		a.Table = tr.table.ID
		return nil
	})
}

// DropAlias is DROP ALIAS: ownership of the alias, DROP TABLE on its
// database, or DROP TABLE on its table.
func (se *Session) DropAlias(st engine.DropAlias) error {
	if err := se.begin(); err != nil {
		return err
	}
	at, err := se.spec(engine.Target{Kind: model.KindTable, Database: st.Database, Name: st.Name})
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		br := ac.base.resolve(se.Account, at)
		var d ID
		if br.db != nil {
			d = br.db.ID
		}
		ok := ac.base.databaseGrant(ac.acc, ac.S, d, at.db, model.PrivDropTable)
		if cur := ac.base.aliasByName(d, at.tbl); d != 0 && cur != nil {
			t := ac.base.Tables[cur.Table]
			ok = ok || ac.S[cur.Owner] || t != nil && ac.S[t.Owner]
		}
		if !ok {
			return errDenied
		}
		ar := s.resolve(se.Account, at)
		var a *Alias
		if ar.db != nil {
			a = s.aliasByName(ar.db.ID, at.tbl)
		}
		switch {
		case (ar.db == nil || a == nil) && st.IfExists:
			return nil
		case ar.db == nil:
			return model.Errorf(model.ErrNotFound, "there is no database %q", at.db)
		case a == nil:
			return model.Errorf(model.ErrNotFound, "there is no alias %q in database %q", at.tbl, at.db)
		}
		delete(s.Aliases, a.ID)
		return nil
	})
}

// AliasRows is SHOW ALIASES of account acc for S (nil S: every alias), in
// database db (0: every database).
func (s *State) AliasRows(acc *Account, S set, db ID) []string {
	var rows []string
	for _, a := range s.Aliases {
		t := s.Tables[a.Table]
		if a.Account != acc.ID || db != 0 && a.DB != db || t == nil {
			continue
		}
		if S == nil || s.visibleTable(acc, S, t, true) {
			rows = append(rows, q(s.DBs[a.DB].Name)+"."+q(a.Name)+" -> "+q(t.Name))
		}
	}
	sort.Strings(rows)
	return rows
}

// ShowAliases is SHOW ALIASES [IN d].
func (se *Session) ShowAliases(st engine.ShowAliases) ([]string, error) {
	if err := se.begin(); err != nil {
		return nil, err
	}
	var n string
	if st.Database != "" {
		var err error
		if n, err = fold(nameDatabase, st.Database); err != nil {
			return nil, err
		}
	}
	var rows []string
	err := se.read(func(s *State, ac *actor) error {
		var db ID
		if st.Database != "" {
			d, err := se.usable(s, ac, n)
			if err != nil {
				return err
			}
			db = d.ID
		}
		rows = s.AliasRows(ac.acc, ac.S, db)
		return nil
	})
	return rows, err
}

// ScopePatternFirst is the first scope of a name pattern level.
const ScopePatternFirst = ScopeDBPattern

// RoleAllowed reports whether role r's closure alone is allowed p on o, as
// SHOW ROLES WITH asks (the account's state aside).
func (s *State) RoleAllowed(r ID, p model.Privilege, o Object) bool {
	role := s.Roles[r]
	if role == nil {
		return false
	}
	return s.allowedTo(s.Accounts[role.Account], s.Closure(r), r, p, o)
}

// LevelText prints a level as SHOW GRANTS does.
func (s *State) LevelText(l Level) string { return s.levelText(l) }
