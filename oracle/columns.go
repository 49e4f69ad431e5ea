package oracle

import (
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Columns, column grants and denials (reference §18, §21), written out plainly:
// every question searches the lists again.

// Column is a column of a table; its ID comes from the model's one counter.
type Column struct {
	ID   ID
	Name string
}

// ColumnGrant is a column privilege held by a role on one column.
type ColumnGrant struct {
	Role   ID
	Priv   model.Privilege
	Column ID
	Option bool
}

// Denial is a privilege denied to a role at a level (ScopeColumn: on a
// column).
type Denial struct {
	Role  ID
	Priv  model.Privilege
	Level Level
}

// nameColumn is the name kind of columns: the rules of table names.
const nameColumn = nameTable

// columnPriv reports the privileges that may name columns.
func columnPriv(p model.Privilege) bool {
	switch p {
	case model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivReference:
		return true
	}
	return false
}

// Column returns the table holding column c and the column, or nils.
func (s *State) Column(c ID) (*Table, *Column) {
	for _, t := range s.Tables {
		for i := range t.Columns {
			if t.Columns[i].ID == c {
				return t, &t.Columns[i]
			}
		}
	}
	return nil, nil
}

// columnByName returns the column of t named name, or nil.
func columnByName(t *Table, name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// dropColumnRecords removes the grants and denials on column c.
func (s *State) dropColumnRecords(c ID) {
	s.ColumnGrants = slices.DeleteFunc(s.ColumnGrants, func(g ColumnGrant) bool { return g.Column == c })
	s.dropLevel(Level{Scope: ScopeColumn, Obj: c})
}

// columnGrantOf returns the index of role r's grant of p on column c, or -1.
func (s *State) columnGrantOf(r ID, p model.Privilege, c ID) int {
	return slices.IndexFunc(s.ColumnGrants, func(g ColumnGrant) bool { return g.Role == r && g.Priv == p && g.Column == c })
}

// denialOf returns the index of role r's denial of p at l, or -1.
func (s *State) denialOf(r ID, p model.Privilege, l Level) int {
	return slices.IndexFunc(s.Denials, func(d Denial) bool { return d.Role == r && d.Priv == p && d.Level == l })
}

// columnsLimit is the columns per table, as the engine's default.
func (s *State) columnsLimit() int {
	if s.Limits.ColumnsPerTable > 0 {
		return s.Limits.ColumnsPerTable
	}
	return model.DefaultColumnsPerTable
}

// columnDefs folds the columns of CREATE TABLE: the limit, the names, no
// name twice.
func (s *State) columnDefs(defs []engine.ColumnDef) ([]string, error) {
	if len(defs) > s.columnsLimit() {
		return nil, model.Errorf(model.ErrLimit, "the columns per table exceeds the limit %d", s.columnsLimit())
	}
	var out []string
	for _, d := range defs {
		n, err := fold(nameColumn, d.Name)
		if err != nil {
			return nil, err
		}
		if slices.Contains(out, n) {
			return nil, model.Errorf(model.ErrExists, "duplicate column name %s", n)
		}
		out = append(out, n)
	}
	return out, nil
}

// AlterTable is ALTER TABLE ... ADD COLUMN | DROP COLUMN: Check(ALTER
// TABLE) on the table, judged from the database for a missing one.
func (se *Session) AlterTable(st engine.AlterTable) error {
	if err := se.begin(); err != nil {
		return err
	}
	if st.Action != engine.TableAddColumn && st.Action != engine.TableDropColumn {
		return model.Errorf(model.ErrInvalidOption, "invalid action")
	}
	t, err := se.spec(engine.Target{Kind: model.KindTable, Database: st.Database, Name: st.Name})
	if err != nil {
		return err
	}
	col, err := fold(nameColumn, st.Column.Name)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		r := s.resolve(se.Account, t)
		if !ac.base.tableAuthority(ac, r, model.PrivAlterTable) {
			return errDenied
		}
		if r.missing != nil {
			return r.missing
		}
		tb := r.table
		c := columnByName(tb, col)
		if st.Action == engine.TableDropColumn {
			if c == nil {
				return model.Errorf(model.ErrNotFound, "there is no column %s", col)
			}
			s.dropColumnRecords(c.ID)
			tb.Columns = slices.DeleteFunc(slices.Clone(tb.Columns), func(x Column) bool { return x.ID == c.ID })
			return nil
		}
		switch {
		case c != nil:
			return model.Errorf(model.ErrExists, "duplicate column name %s", col)
		case len(tb.Columns)+1 > s.columnsLimit():
			return model.Errorf(model.ErrLimit, "the columns per table exceeds the limit")
		}
		tb.Columns = append(slices.Clone(tb.Columns), Column{ID: s.newID(), Name: col})
		return nil
	})
}

// tableAuthority decides p (DROP or ALTER TABLE) on the table r names for
// a statement: Check on the table, or for a missing one the database
// levels that would cover it.
func (s *State) tableAuthority(ac *actor, r resolved, p model.Privilege) bool {
	if r.table != nil {
		return s.allowedTo(ac.acc, ac.S, 0, p, Object{Kind: model.KindTable, ID: r.table.ID})
	}
	var dbID ID
	if r.db != nil {
		dbID = r.db.ID
	}
	return s.databaseGrant(ac.acc, ac.S, dbID, r.t.db, p)
}

// item is one privilege of a statement that may name columns.
type item struct {
	p    model.Privilege
	cols []string
}

// items checks a privilege list that names columns (stage 2): each
// privilege against the level and then its columns, in statement order;
// then columns need one named table.
func (se *Session) items(names []string, cols [][]string, on engine.Target, verb string) ([]item, error) {
	if len(names) == 0 || len(cols) > len(names) {
		return nil, model.Errorf(model.ErrInvalidOption, "malformed privilege list")
	}
	var out []item
	named := false
	for i, raw := range names {
		var list []string
		if i < len(cols) {
			list = cols[i]
		}
		if p, ok := model.ParsePrivilege(raw); ok && p == model.PrivOwnership {
			return nil, model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be %s", verb)
		}
		ps, err := privileges([]string{raw}, scopeLevel(on.Kind), verb == "revoked")
		if err != nil {
			return nil, err
		}
		var it item
		if len(ps) > 0 {
			it.p = ps[0]
		}
		if len(list) > 0 {
			named = true
			if len(ps) > 0 && !columnPriv(it.p) {
				return nil, model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be granted on columns", it.p)
			}
			if len(list) > se.m.State.columnsLimit() {
				return nil, model.Errorf(model.ErrLimit, "the columns per table exceeds the limit")
			}
			for _, c := range list {
				n, err := fold(nameColumn, c)
				if err != nil {
					return nil, err
				}
				it.cols = append(it.cols, n)
			}
		}
		if len(ps) > 0 {
			out = append(out, it)
		}
	}
	if named && (on.Kind != model.KindTable || on.AnyDatabase || on.AnyTable || on.DatabasePattern || on.TablePattern || on.Name == "") {
		return nil, model.Errorf(model.ErrInvalidPrivilege, "column privileges need one table")
	}
	return out, nil
}

// hasColumns reports whether a list of column lists names a column.
func hasColumns(cols [][]string) bool {
	return slices.ContainsFunc(cols, func(c []string) bool { return len(c) > 0 })
}

// onLevel is one privilege on one level of a statement: the statement's
// level, or a column of its table (col 0 and missing set when the column
// does not exist).
type onLevel struct {
	p       model.Privilege
	level   Level
	col     ID
	missing error
}

// expand turns items into their levels on the resolved target r.
func (s *State) expand(r resolved, items []item) []onLevel {
	var out []onLevel
	for _, it := range items {
		if len(it.cols) == 0 {
			out = append(out, onLevel{p: it.p, level: r.level})
			continue
		}
		for _, name := range it.cols {
			o := onLevel{p: it.p}
			if r.table != nil {
				if c := columnByName(r.table, name); c != nil {
					o.col = c.ID
				} else {
					o.missing = missing("there is no column %s", name)
				}
			}
			o.level = Level{Scope: ScopeColumn, Obj: o.col}
			out = append(out, o)
		}
	}
	return out
}

// columnStatement folds the role names and the level of a statement with
// columns (stage 2, after the privileges).
func (se *Session) columnStatement(roles []string, on engine.Target) ([]string, target, error) {
	if len(roles) == 0 {
		return nil, target{}, model.Errorf(model.ErrInvalidOption, "no role")
	}
	names, err := foldAll(nameRole, roles)
	if err != nil {
		return nil, target{}, err
	}
	t, err := se.spec(on)
	return names, t, err
}

// grantColumns is GRANT with a privilege list naming columns.
func (se *Session) grantColumns(st engine.GrantPrivilege) error {
	items, err := se.items(st.Privileges, st.Columns, st.On, "granted")
	if err != nil {
		return err
	}
	roles, t, err := se.columnStatement(st.To, st.On)
	if err != nil {
		return err
	}
	opt := st.Option == engine.GrantWithOption
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		r := s.resolve(se.Account, t)
		levels := s.expand(r, items)
		for _, l := range levels {
			if !ac.mayGrantOn(l, r) {
				return errDenied
			}
		}
		if r.missing != nil {
			return r.missing
		}
		for _, l := range levels {
			if l.missing != nil {
				return l.missing
			}
		}
		for _, name := range roles {
			role := s.roleByName(se.Account, name)
			switch {
			case role == nil:
				return model.Errorf(model.ErrNotFound, "there is no role %s", name)
			case role.ID == ac.acc.Admin:
				return model.Errorf(model.ErrPredefined, "the privilege can not be granted to the role %s", name)
			case role.ID == ac.acc.Public && opt:
				return model.Errorf(model.ErrPredefined, "the grant option can not be granted to the role public")
			}
			for _, l := range levels {
				s.grantOn(role.ID, l, opt)
			}
		}
		return nil
	})
}

// grantOn grants l.p at l to role r; a re-grant only adds the option.
func (s *State) grantOn(r ID, l onLevel, opt bool) {
	if l.level.Scope != ScopeColumn {
		if i := s.grant(r, l.p, l.level); i >= 0 {
			s.Grants[i].Option = s.Grants[i].Option || opt
		} else {
			s.Grants = append(s.Grants, Grant{Role: r, Priv: l.p, Level: l.level, Option: opt})
		}
		return
	}
	if i := s.columnGrantOf(r, l.p, l.col); i >= 0 {
		s.ColumnGrants[i].Option = s.ColumnGrants[i].Option || opt
	} else {
		s.ColumnGrants = append(s.ColumnGrants, ColumnGrant{Role: r, Priv: l.p, Column: l.col, Option: opt})
	}
}

// mayGrantOn is the authority of GRANT on one level of a statement with
// columns: that of GRANT (reference §9), a column covered by its table's levels
// and its own grants; never against a denial of S covering it.
func (ac *actor) mayGrantOn(l onLevel, r resolved) bool {
	if l.level.Scope != ScopeColumn {
		return ac.mayGrant(l.p, r)
	}
	switch {
	case ac.admin():
		return true
	case ac.deniedAt(l.p, r, true, l.col):
		return false
	case ac.manageGrants(), r.table != nil && ac.S[r.table.Owner]:
		return true
	}
	if ac.base.holdsWhere(ac.acc.ID, ac.S, l.p, ac.covering(r), true) {
		return true
	}
	for _, g := range ac.base.ColumnGrants {
		if ac.S[g.Role] && g.Column == l.col && l.col != 0 && g.Priv == l.p && g.Option {
			return true
		}
	}
	return false
}

// revokeColumns is REVOKE with a privilege list naming columns.
func (se *Session) revokeColumns(st engine.RevokePrivilege) error {
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
		if !ac.mayRevoke(r) {
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
				s.revokeOn(role.ID, l, st.GrantOptionOnly)
			}
		}
		return nil
	})
}

// present drops the levels of missing columns when ifExists is set, and
// otherwise fails with the first.
func present(levels []onLevel, ifExists bool) ([]onLevel, error) {
	var out []onLevel
	for _, l := range levels {
		switch {
		case l.missing == nil:
			out = append(out, l)
		case !ifExists:
			return nil, l.missing
		}
	}
	return out, nil
}

// revokeOn revokes l.p at l from role r (or only its option).
func (s *State) revokeOn(r ID, l onLevel, optionOnly bool) {
	if l.level.Scope != ScopeColumn {
		i := s.grant(r, l.p, l.level)
		switch {
		case i < 0:
		case optionOnly:
			s.Grants[i].Option = false
		default:
			s.Grants = slices.Delete(s.Grants, i, i+1)
		}
		return
	}
	i := s.columnGrantOf(r, l.p, l.col)
	switch {
	case i < 0:
	case optionOnly:
		s.ColumnGrants[i].Option = false
	default:
		s.ColumnGrants = slices.Delete(s.ColumnGrants, i, i+1)
	}
}

// ShowColumns is SHOW COLUMNS FROM [d.]t: the column names in table order,
// for a session holding a privilege on the table or one of its columns.
func (se *Session) ShowColumns(st engine.ShowColumns) ([]string, error) {
	if err := se.begin(); err != nil {
		return nil, err
	}
	t, err := se.spec(engine.Target{Kind: model.KindTable, Database: st.Database, Name: st.Name})
	if err != nil {
		return nil, err
	}
	var rows []string
	err = se.read(func(s *State, ac *actor) error {
		r := s.resolve(se.Account, t)
		switch {
		case r.table != nil && s.visibleTable(ac.acc, ac.S, r.table, false):
		case r.missing != nil && r.db == nil && s.seesAll(ac.acc, ac.S):
			return r.missing
		case r.missing != nil && r.db != nil && s.allowedTo(ac.acc, ac.S, 0, model.PrivShowTables, Object{model.KindDatabase, r.db.ID}):
			return r.missing
		default:
			return errDenied
		}
		for _, c := range r.table.Columns {
			rows = append(rows, q(c.Name))
		}
		return nil
	})
	return rows, err
}

// columnRows are the SHOW GRANTS rows of role r's column grants and denials.
func (s *State) columnRows(r ID) []string {
	to := " TO " + q(s.Roles[r].Name)
	var rows []string
	for _, g := range s.ColumnGrants {
		if g.Role == r {
			t, c := s.Column(g.Column)
			rows = append(rows, "GRANT "+strings.ToUpper(g.Priv.String())+" ("+q(c.Name)+") ON "+
				s.levelText(Level{Scope: ScopeTable, Obj: t.ID})+to+withOption(g.Option))
		}
	}
	for _, d := range s.Denials {
		if d.Role != r {
			continue
		}
		if d.Level.Scope == ScopeColumn {
			t, c := s.Column(d.Level.Obj)
			rows = append(rows, "DENY "+strings.ToUpper(d.Priv.String())+" ("+q(c.Name)+") ON "+
				s.levelText(Level{Scope: ScopeTable, Obj: t.ID})+to)
			continue
		}
		rows = append(rows, "DENY "+strings.ToUpper(d.Priv.String())+" ON "+s.levelText(d.Level)+to)
	}
	return rows
}
