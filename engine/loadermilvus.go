package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// The Loader's calls for privilege groups and pattern levels (reference §15,
// §16).

// patternLevel resolves a pattern Level of account a.
func (l *Loader) patternLevel(a model.AccountID, on Level) (level, error) {
	prefix, err := model.FoldName(model.NameTable, on.Prefix)
	if err != nil {
		return level{}, err
	}
	lv := level{account: a, db: on.Database}
	switch {
	case on.Kind == model.LevelDatabase && on.Database == 0:
		lv.scope, lv.dbName = catalog.ScopeDatabasePattern, prefix
	case on.Kind == model.LevelTable && on.Database == 0:
		lv.scope, lv.dbName = catalog.ScopeAnyTablePattern, prefix
	case on.Kind == model.LevelTable:
		lv.scope, lv.tbName = catalog.ScopeTablePattern, prefix
		d := l.w.Database(on.Database)
		if d == nil || d.Account != a {
			return lv, model.Errorf(model.ErrNotFound, "there is no database %d", on.Database)
		}
		lv.dbName = d.Name
	default:
		return lv, model.Errorf(model.ErrInvalidOption, "invalid pattern level")
	}
	if on.Table != 0 {
		return lv, model.Errorf(model.ErrInvalidOption, "a pattern level names no table")
	}
	return l.w.ensurePattern(lv)
}

// CreatePrivilegeGroup creates a custom privilege group of account a
// holding privs (privileges a group may hold, reference §15).
func (l *Loader) CreatePrivilegeGroup(a model.AccountID, name string, privs model.PrivSet) (model.GroupID, error) {
	if _, err := l.account(a); err != nil {
		return 0, err
	}
	n, err := model.FoldName(model.NameGroup, name)
	if err != nil {
		return 0, err
	}
	for p := range privilegesOf(privs) {
		if !p.Groupable() {
			return 0, model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be added to a privilege group", p)
		}
	}
	if err := l.w.createGroup(a, n); err != nil {
		return 0, err
	}
	g := *l.w.GroupByName(a, n)
	g.Privs = privs
	l.w.Put(&g)
	return g.ID, nil
}

// GrantPrivilegeGroup grants group (of role's account; model.GroupReadOnly
// and model.GroupReadWrite name the predefined ones) at level on to role.
func (l *Loader) GrantPrivilegeGroup(role model.RoleID, group model.GroupID, on Level, opt GrantOption) error {
	if err := checkGrantOption(opt); err != nil {
		return err
	}
	r := l.w.Role(role)
	if r == nil {
		return model.Errorf(model.ErrNotFound, "there is no role %d", role)
	}
	g := predefinedGroup(r.Account, groupName(l.w.Tx, group))
	if g == nil {
		if g = l.w.Group(group); g == nil || g.Account != r.Account {
			return model.Errorf(model.ErrNotFound, "there is no privilege group %d", group)
		}
	}
	lv, err := l.level(r.Account, on)
	if err != nil {
		return err
	}
	privs := members(g.Privs.AtLevel(on.Kind))
	if len(privs) == 0 {
		return model.Errorf(model.ErrInvalidPrivilege, "the privilege group %s has no privilege for the object type %q",
			model.Quote(g.Name), on.Kind.String())
	}
	return l.w.grantGroup(l.adminSession(l.w.Account(r.Account)), g, privs, lv, r.Name, opt)
}

// AddToPrivilegeGroup adds privs to custom group g.
func (l *Loader) AddToPrivilegeGroup(g model.GroupID, privs model.PrivSet) error {
	rec := l.w.Group(g)
	if rec == nil {
		return model.Errorf(model.ErrNotFound, "there is no privilege group %d", g)
	}
	for p := range privilegesOf(privs) {
		if !p.Groupable() {
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be added to a privilege group", p)
		}
	}
	c := *rec
	c.Privs |= privs
	l.w.Put(&c)
	return nil
}
