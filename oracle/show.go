package oracle

import (
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// q prints a name as SHOW does (reference §1): bare when it matches
// [a-z0-9_$-]+, else in backticks with any backtick doubled.
func q(name string) string {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '$' || r == '-') {
			return "`" + strings.ReplaceAll(name, "`", "``") + "`"
		}
	}
	return name
}

// Quoted prints names as SHOW ROLES and SHOW USERS do, sorted.
func Quoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = q(n)
	}
	slices.Sort(out)
	return out
}

// levelText prints a level as SHOW GRANTS does.
func (s *State) levelText(l Level) string {
	switch l.Scope {
	case ScopeAccount:
		return "ACCOUNT"
	case ScopeAnyDB:
		return "DATABASE *"
	case ScopeDB:
		return "DATABASE " + q(s.DBs[l.Obj].Name)
	case ScopeAnyTable:
		return "TABLE *.*"
	case ScopeDBTables:
		return "TABLE " + q(s.DBs[l.Obj].Name) + ".*"
	case ScopeDBPattern:
		return "DATABASE " + q(l.Prefix) + "*"
	case ScopeAnyTablePattern:
		return "TABLE " + q(l.Prefix) + "*.*"
	case ScopeTablePattern:
		return "TABLE " + q(s.DBs[l.Obj].Name) + "." + q(l.Prefix) + "*"
	}
	t := s.Tables[l.Obj]
	return "TABLE " + q(s.DBs[t.DB].Name) + "." + q(t.Name)
}

func withOption(opt bool) string {
	if opt {
		return " WITH GRANT OPTION"
	}
	return ""
}

// RoleRows is SHOW GRANTS FOR ROLE r, sorted.
func (s *State) RoleRows(r ID) []string {
	role := s.Roles[r]
	acc := s.Accounts[role.Account]
	to := " TO " + q(role.Name)
	var rows []string
	if r == acc.Admin {
		for _, l := range []string{"ACCOUNT", "DATABASE *", "TABLE *.*"} {
			rows = append(rows, "GRANT ALL ON "+l+to+" WITH GRANT OPTION")
		}
		if acc.Name == model.SysAccount {
			for _, p := range []string{"CREATE", "DROP", "ALTER"} {
				rows = append(rows, "GRANT "+p+" ACCOUNT ON ACCOUNT"+to)
			}
		}
	}
	for _, g := range s.Grants {
		if g.Role == r {
			rows = append(rows, "GRANT "+strings.ToUpper(g.Priv.String())+" ON "+s.levelText(g.Level)+to+withOption(g.Option))
		}
	}
	for _, g := range s.GroupGrants {
		if g.Role == r {
			rows = append(rows, "GRANT PRIVILEGE GROUP "+q(s.groupName(g.Group))+" ON "+s.levelText(g.Level)+to+withOption(g.Option))
		}
	}
	for _, a := range s.Aliases {
		if a.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON ALIAS "+q(s.DBs[a.DB].Name)+"."+q(a.Name)+to)
		}
	}
	rows = append(rows, s.columnRows(r)...)
	for _, e := range s.Edges {
		if e.Grantee == r {
			rows = append(rows, "GRANT "+q(s.Roles[e.Role].Name)+" TO ROLE "+q(role.Name)+withOption(e.Option))
		}
	}
	for _, d := range s.DBs {
		if d.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON DATABASE "+q(d.Name)+to)
		}
	}
	for _, t := range s.Tables {
		if t.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON TABLE "+q(s.DBs[t.DB].Name)+"."+q(t.Name)+to)
		}
	}
	for _, x := range s.Roles {
		if x.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON ROLE "+q(x.Name)+to)
		}
	}
	for _, u := range s.Users {
		if u.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON USER "+q(u.Name)+to)
		}
	}
	slices.Sort(rows)
	return rows
}

// UserRows is SHOW GRANTS FOR USER u, sorted.
func (s *State) UserRows(u ID) []string {
	var rows []string
	for _, ur := range s.UserRoles {
		if ur.User == u {
			rows = append(rows, "GRANT "+q(s.Roles[ur.Role].Name)+" TO USER "+q(s.Users[u].Name)+withOption(ur.Option))
		}
	}
	slices.Sort(rows)
	return rows
}

// Names returns the sorted names of the roles or users of an account.
func (s *State) Names(acc ID, kind model.Kind) []string {
	var out []string
	if kind == model.KindRole {
		for _, r := range s.Roles {
			if r.Account == acc {
				out = append(out, r.Name)
			}
		}
	} else {
		for _, u := range s.Users {
			if u.Account == acc {
				out = append(out, u.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// AccountRows is SHOW ACCOUNTS, sorted.
func (s *State) AccountRows() []string {
	var out []string
	for _, a := range s.Accounts {
		out = append(out, a.Name+" "+a.Status.String())
	}
	slices.Sort(out)
	return out
}

// ShowGrants is SHOW GRANTS [FOR [USER | ROLE] x]: the session's own user
// and roles in S need nothing; anything else needs MANAGE GRANTS.
func (se *Session) ShowGrants(st engine.ShowGrants) ([]string, error) {
	if err := se.begin(); err != nil {
		return nil, err
	}
	var name string
	if st.For != engine.ShowSelf {
		var err error
		if name, err = fold(nameRole, st.Name); err != nil {
			return nil, err
		}
	}
	var rows []string
	err := se.read(func(s *State, ac *actor) error {
		var role *Role
		var user *User
		if st.For == engine.ShowSelf {
			user = s.Users[se.User]
		}
		if st.For == engine.ShowAny || st.For == engine.ShowRole {
			role = s.roleByName(se.Account, name)
		}
		if role == nil && (st.For == engine.ShowAny || st.For == engine.ShowUser) {
			user = s.userByName(se.Account, name)
		}
		ok := user != nil && user.ID == se.User || role != nil && ac.S[role.ID] || ac.manageGrants()
		switch {
		case !ok:
			return errDenied
		case role != nil:
			rows = s.RoleRows(role.ID)
		case user != nil:
			rows = s.UserRows(user.ID)
		default:
			return model.Errorf(model.ErrNotFound, "there is no role or user %s", name)
		}
		return nil
	})
	return rows, err
}

// ShowRoles is SHOW ROLES.
func (se *Session) ShowRoles() ([]string, error) {
	var rows []string
	err := se.read(func(s *State, _ *actor) error {
		rows = Quoted(s.Names(se.Account, model.KindRole))
		return nil
	})
	return rows, err
}

// ShowUsers is SHOW USERS: MANAGE GRANTS or CREATE, ALTER or DROP USER.
func (se *Session) ShowUsers() ([]string, error) {
	var rows []string
	err := se.read(func(s *State, ac *actor) error {
		ok := ac.manageGrants()
		for _, p := range []model.Privilege{model.PrivCreateUser, model.PrivAlterUser, model.PrivDropUser} {
			ok = ok || s.accountGrant(ac.acc, ac.S, p)
		}
		if !ok {
			return errDenied
		}
		rows = Quoted(s.Names(se.Account, model.KindUser))
		return nil
	})
	return rows, err
}

// ShowAccounts is SHOW ACCOUNTS: moadmin only.
func (se *Session) ShowAccounts() ([]string, error) {
	var rows []string
	err := se.read(func(s *State, ac *actor) error {
		if !ac.moadmin() {
			return errDenied
		}
		rows = s.AccountRows()
		return nil
	})
	return rows, err
}

// Decide is the session's decision on an object named in its account: a
// closed session, a wildcard or a missing object deny.
func (se *Session) Decide(p model.Privilege, on engine.Target) bool {
	obj, ok := se.Resolve(on)
	return ok && !se.Closed() && se.m.State.Check(se.User, se.Role, se.Secondary, p, obj)
}

// Resolve names an object of the session's account; a wildcard or a
// missing object is not found.
func (se *Session) Resolve(on engine.Target) (Object, bool) {
	if wildcard(on) {
		return Object{}, false
	}
	s := se.m.State
	obj := Object{Kind: on.Kind}
	switch on.Kind {
	case model.KindAccount:
		obj.ID = se.Account
	case model.KindDatabase:
		if d := s.dbByName(se.Account, folded(nameDatabase, on.Database)); d != nil {
			obj.ID = d.ID
		}
	case model.KindTable:
		db := se.DB
		if on.Database != "" {
			db = 0
			if d := s.dbByName(se.Account, folded(nameDatabase, on.Database)); d != nil {
				db = d.ID
			}
		}
		if t := s.tableOrAlias(db, folded(nameTable, on.Name)); t != nil && db != 0 {
			obj.ID = t.ID
		}
	case model.KindRole:
		if r := s.roleByName(se.Account, folded(nameRole, on.Name)); r != nil {
			obj.ID = r.ID
		}
	case model.KindUser:
		if u := s.userByName(se.Account, folded(nameUser, on.Name)); u != nil {
			obj.ID = u.ID
		}
	case model.KindColumn:
		t, ok := se.Resolve(engine.Target{Kind: model.KindTable, Database: on.Database, Name: on.Name})
		if !ok {
			return Object{}, false
		}
		if c := columnByName(s.Tables[t.ID], folded(nameColumn, on.Column)); c != nil {
			obj.ID = c.ID
		}
	}
	return obj, obj.ID != 0
}

// folded folds a name, or returns "" (which names nothing) if it is invalid.
func folded(kind int, raw string) string {
	n, err := fold(kind, raw)
	if err != nil {
		return ""
	}
	return n
}
