package engine

import (
	"sort"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// ShowGrants runs SHOW GRANTS [FOR [USER | ROLE] x] (reference §12): rows sorted
// byte-wise. A user's own grants and roles in S need nothing; anything
// else needs MANAGE GRANTS.
func (s *Session) ShowGrants(st ShowGrants) ([]string, error) {
	var rows []string
	var name string
	err := s.read(func() error {
		if err := checkShowGrants(st); err != nil {
			return err
		}
		if st.For == ShowSelf {
			return nil
		}
		return foldInto(&name, model.NameRole, st.Name)
	}, func(snap *Snapshot, ac *actor) error {
		tx := snap.read()
		if st.For == ShowSelf {
			name = s.userName
		}
		var role *catalog.Role
		var user *catalog.User
		if st.For != ShowUser && st.For != ShowSelf {
			role = tx.RoleByName(s.account, name)
		}
		if role == nil && st.For != ShowRole {
			user = tx.UserByName(s.account, name)
		}
		if !ac.mayShow(role, user) {
			return errDenied
		}
		switch {
		case role != nil:
			rows = roleGrantRows(tx, ac.a, role)
		case user != nil:
			rows = userGrantRows(tx, user)
		case st.For == ShowRole:
			return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(name))
		case st.For == ShowUser:
			return model.Errorf(model.ErrNotFound, "there is no user %s", model.Quote(name))
		default:
			return model.Errorf(model.ErrNotFound, "there is no role or user %s", model.Quote(name))
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}

func (ac *actor) mayShow(role *catalog.Role, user *catalog.User) bool {
	switch {
	case user != nil && user.ID == ac.user:
		return true
	case role != nil:
		if rv := ac.snap.roleAt(uint32(role.ID)); rv != nil && ac.set.Has(rv.slot) {
			return true
		}
	}
	return ac.manageGrants()
}

func userGrantRows(tx *catalog.Tx, u *catalog.User) []string {
	var rows []string
	for _, ur := range tx.RolesOfUser(u.ID) {
		if r := tx.Role(ur.Role); r != nil {
			rows = append(rows, "GRANT "+model.Quote(r.Name)+" TO USER "+model.Quote(u.Name)+option(ur.Option))
		}
	}
	return rows
}

func option(held bool) string {
	if held {
		return " WITH GRANT OPTION"
	}
	return ""
}

func roleGrantRows(tx *catalog.Tx, a *accountView, r *catalog.Role) []string {
	to := " TO " + model.Quote(r.Name)
	var rows []string
	if r.ID == a.adminRole {
		for _, l := range []string{"ACCOUNT", "DATABASE *", "TABLE *.*"} {
			rows = append(rows, "GRANT ALL ON "+l+to+" WITH GRANT OPTION")
		}
		if a.sys {
			for _, p := range []model.Privilege{model.PrivCreateAccount, model.PrivDropAccount, model.PrivAlterAccount} {
				rows = append(rows, "GRANT "+p.Upper()+" ON ACCOUNT"+to)
			}
		}
	}
	for _, g := range tx.GrantsOf(r.ID) {
		rows = append(rows, "GRANT "+g.Priv.Upper()+" ON "+levelName(tx, g.Level())+to+option(g.Option))
	}
	for _, g := range tx.GroupGrantsOf(r.ID) {
		rows = append(rows, groupGrantRow(tx, g))
	}
	rows = append(rows, aclRowsOf(tx, r.ID)...)
	for _, e := range tx.EdgesTo(r.ID) {
		if p := tx.Role(e.Role); p != nil {
			rows = append(rows, "GRANT "+model.Quote(p.Name)+" TO ROLE "+model.Quote(r.Name)+option(e.Option))
		}
	}
	return append(rows, ownershipRows(tx, r)...)
}

func ownershipRows(tx *catalog.Tx, r *catalog.Role) []string {
	to := " TO " + model.Quote(r.Name)
	var rows []string
	for _, d := range tx.DatabasesOwnedBy(r.ID) {
		rows = append(rows, "GRANT OWNERSHIP ON DATABASE "+model.Quote(d.Name)+to)
	}
	for _, t := range tx.TablesOwnedBy(r.ID) {
		rows = append(rows, "GRANT OWNERSHIP ON "+levelName(tx, catalog.LevelKey{Scope: catalog.ScopeTable, Object: uint32(t.ID)})+to)
	}
	for _, o := range tx.RolesOwnedBy(r.ID) {
		rows = append(rows, "GRANT OWNERSHIP ON ROLE "+model.Quote(o.Name)+to)
	}
	for _, u := range tx.UsersOwnedBy(r.ID) {
		rows = append(rows, "GRANT OWNERSHIP ON USER "+model.Quote(u.Name)+to)
	}
	return append(rows, aliasOwnershipRows(tx, r)...)
}

// levelName prints a stored level as SHOW GRANTS does.
func levelName(tx *catalog.Tx, k catalog.LevelKey) string {
	l := level{scope: k.Scope}
	switch k.Scope {
	case catalog.ScopeDatabase, catalog.ScopeDatabaseTables:
		if d := tx.Database(model.DatabaseID(k.Object)); d != nil {
			l.dbName = d.Name
		}
	case catalog.ScopeTable:
		if t := tx.Table(model.TableID(k.Object)); t != nil {
			l.tbName = t.Name
			if d := tx.Database(t.Database); d != nil {
				l.dbName = d.Name
			}
		}
	case catalog.ScopeDatabasePattern, catalog.ScopeAnyTablePattern, catalog.ScopeTablePattern:
		return patternLevelName(tx, k)
	}
	return l.String()
}
