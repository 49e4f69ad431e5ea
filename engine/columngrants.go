package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// GRANT and REVOKE naming columns (reference §18, §21). A statement whose
// privilege list names a column takes this path; its other privileges are
// table-level grants on the same table, handled as GRANT handles them.

// hasColumns reports whether a list of column lists names a column.
func hasColumns(cols [][]string) bool {
	for _, c := range cols {
		if len(c) > 0 {
			return true
		}
	}
	return false
}

// privVerb is the statement a privilege list belongs to, for its messages.
type privVerb uint8

const (
	verbGrant privVerb = iota
	verbRevoke
	verbDeny
)

// privItem is one privilege of a statement after stage 2: the privilege
// and, for a column privilege, its folded column names.
type privItem struct {
	priv model.Privilege
	cols []string
}

// privItems does the stage-2 checks of a privilege list that may name
// columns: each privilege against the level (reference §3) and then against its
// columns, in statement order; then a list naming columns needs one named
// table (before `no database selected`).
func (s *Session) privItems(names []string, cols [][]string, on Target, verb privVerb) ([]privItem, error) {
	if err := checkNames(names, "privilege"); err != nil {
		return nil, err
	}
	if len(cols) > len(names) {
		return nil, invalidOption("there are more column lists than privileges")
	}
	out := make([]privItem, 0, len(names))
	named := false
	for i, raw := range names {
		var list []string
		if i < len(cols) {
			list = cols[i]
		}
		p, keep, err := verbPrivilege(raw, on, verb, len(list) > 0)
		if err != nil {
			return nil, err
		}
		it := privItem{priv: p}
		if len(list) > 0 {
			named = true
			if it.cols, err = s.columnNames(list); err != nil {
				return nil, err
			}
		}
		if keep {
			out = append(out, it)
		}
	}
	if named && !oneTable(on) {
		return nil, model.Errorf(model.ErrInvalidPrivilege, "column privileges need one table")
	}
	return out, nil
}

// verbPrivilege checks one privilege of a list against the level and, when
// it names columns, against columns. keep is false for a cluster privilege
// a revoke drops silently.
func verbPrivilege(raw string, on Target, verb privVerb, columns bool) (p model.Privilege, keep bool, err error) {
	if q, ok := model.ParsePrivilege(raw); ok && q == model.PrivOwnership {
		switch {
		case columns:
			return 0, false, model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be granted on columns")
		case verb == verbRevoke:
			return 0, false, model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be revoked")
		case verb == verbDeny:
			return 0, false, model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be denied")
		}
		return 0, false, model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership must be granted alone to one role")
	}
	ps, err := privList([]string{raw}, targetLevel(on), verb == verbRevoke)
	if err != nil || len(ps) == 0 {
		return 0, false, err
	}
	if columns && !ps[0].OnColumns() {
		return 0, false, model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be granted on columns", ps[0])
	}
	return ps[0], true, nil
}

// columnNames folds one column list (stage 2). It is not a name list for
// the names-per-statement limit; the columns limit applies.
func (s *Session) columnNames(raw []string) ([]string, error) {
	if err := s.e.columnsLimit(len(raw)); err != nil {
		return nil, err
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		n, err := model.FoldName(model.NameColumn, r)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// oneTable reports whether a target names one table (TABLE d.t or TABLE t).
func oneTable(on Target) bool {
	return on.Kind == model.KindTable && !on.wildcard() && on.Name != ""
}

// columnStatement is a GRANT, REVOKE or DENY after stage 2.
type columnStatement struct {
	items []privItem
	roles []string
	spec  levelSpec
}

// prepareColumns does the stage-2 checks of GRANT, REVOKE and DENY with
// columns: the privileges and their columns, the role names, the level.
func (s *Session) prepareColumns(privs []string, cols [][]string, on Target, roles []string, verb privVerb) (cs columnStatement, err error) {
	if cs.items, err = s.privItems(privs, cols, on, verb); err != nil {
		return cs, err
	}
	if err = checkNames(roles, "role"); err != nil {
		return cs, err
	}
	if cs.roles, err = s.foldAll(model.NameRole, roles); err != nil {
		return cs, err
	}
	cs.spec, err = s.spec(on)
	return cs, err
}

// target is one privilege of a statement on one level: a table-level
// privilege on the statement's level, or a column privilege on a column.
type target struct {
	priv  model.Privilege
	level level
}

// targets expands the items of a statement on level l: one target per
// table-level privilege and per column of a column privilege.
func (w *writer) targets(l level, items []privItem) []target {
	var out []target
	for _, it := range items {
		if len(it.cols) == 0 {
			out = append(out, target{it.priv, l})
			continue
		}
		for _, c := range it.cols {
			out = append(out, target{it.priv, w.columnLevel(l, c)})
		}
	}
	return out
}

// columnLevel returns the level of column name of the table level l names;
// a missing column is recorded in missing, for stage 4.
func (w *writer) columnLevel(l level, name string) level {
	cl := l
	cl.scope, cl.colName = catalog.ScopeColumn, name
	if l.missing != nil {
		return cl
	}
	if c := w.Table(l.table).Column(name); c != nil {
		cl.column = c.ID
	} else {
		cl.missing = noColumn(name, l.dbName, l.tbName)
	}
	return cl
}

// missingColumn returns the stage-4 error of the first missing column of
// targets, nil if none.
func missingColumn(targets []target) error {
	for _, t := range targets {
		if t.level.missing != nil {
			return t.level.missing
		}
	}
	return nil
}

// tablePrivs returns the table-level privileges among targets.
func tablePrivs(targets []target) []model.Privilege {
	var out []model.Privilege
	for _, t := range targets {
		if t.level.scope != catalog.ScopeColumn {
			out = append(out, t.priv)
		}
	}
	return out
}

// columnView returns the view of column id as the statement started, or nil.
func (ac *actor) columnView(id model.ColumnID) *columnView {
	if id == 0 {
		return nil
	}
	return ac.snap.columnAt(uint32(id))
}

// deniedAt reports whether a denial held by S covers level l for p (reference
// §18: a denied session cannot grant what it is denied). A table level is
// covered by the denials of its columns too, for column privileges and ALL.
func (ac *actor) deniedAt(p model.Privilege, l level) bool {
	a, set := ac.a, ac.set
	if a.deny == nil {
		return false
	}
	d := ac.dbView(l.db)
	mask := denyMask(p)
	switch l.scope {
	case catalog.ScopeAccount:
		return a.accountDenied(set, p)
	case catalog.ScopeAnyDatabase:
		return heldIn(a.deny.anyDB, set, mask)
	case catalog.ScopeDatabasePattern:
		return heldIn(a.deny.anyDB, set, mask) || a.patterns.mayDeny(patternDatabase, mask) && deniedAlong(&a.patterns, patternDatabase, l.dbName, set, mask)
	case catalog.ScopeDatabase:
		return a.databaseDenied(set, d, l.dbName, p)
	case catalog.ScopeAnyTable:
		return heldIn(a.deny.anyTable, set, mask)
	case catalog.ScopeAnyTablePattern:
		return heldIn(a.deny.anyTable, set, mask) || a.patterns.mayDeny(patternTables, mask) && deniedAlong(&a.patterns, patternTables, l.dbName, set, mask)
	case catalog.ScopeDatabaseTables:
		return a.tableLevelsDenied(set, d, l.dbName, "", nil, p)
	case catalog.ScopeTablePattern:
		return a.tableLevelsDenied(set, d, l.dbName, l.tbName, nil, p)
	case catalog.ScopeTable:
		return a.tableDenied(set, d, l.dbName, nil, l.tbName, tableRef{ac.snap, uint32(l.table)}, p)
	case catalog.ScopeColumn:
		return a.columnDenied(set, d, l.dbName, nil, l.tbName, tableRef{ac.snap, uint32(l.table)}, ac.columnView(l.column), p)
	}
	return false
}

// grantColumns runs a GRANT whose privilege list names columns.
func (s *Session) grantColumns(st GrantPrivilege) error {
	var cs columnStatement
	return s.exec(st, func() (err error) {
		if cs, err = s.prepareColumns(st.Privileges, st.Columns, st.On, st.To, verbGrant); err != nil {
			return err
		}
		return checkGrantOption(st.Option)
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		l := w.resolve(s.account, cs.spec)
		targets := w.targets(l, cs.items)
		for _, t := range targets {
			if !ac.mayGrant(t.priv, t.level) {
				return errDenied
			}
		}
		if l.missing != nil {
			return l.missing
		}
		if err := missingColumn(targets); err != nil {
			return err
		}
		for _, name := range cs.roles {
			if err := w.grantPrivs(s, tablePrivs(targets), l, name, st.Option); err != nil {
				return err
			}
			r := w.RoleByName(s.account, name)
			for _, t := range targets {
				if t.level.scope != catalog.ScopeColumn {
					continue
				}
				if err := w.grantColumn(s, r, t, st.Option); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// grantColumn grants one column privilege to role r; a re-grant only adds
// the grant option.
func (w *writer) grantColumn(s *Session, r *catalog.Role, t target, opt GrantOption) error {
	if g := w.ColumnGrant(r.ID, t.level.column, t.priv); g != nil {
		if opt == GrantWithOption && !g.Option {
			c := *g
			c.Option = true
			w.Put(&c)
		}
		return nil
	}
	if err := w.grantLimit(r); err != nil {
		return err
	}
	w.Insert(&catalog.ColumnGrant{Role: r.ID, Account: s.account, Table: t.level.table, Column: t.level.column,
		Priv: t.priv, Option: opt == GrantWithOption, GrantorRole: s.role, GrantorUser: s.user})
	return nil
}

// revokeColumns runs a REVOKE whose privilege list names columns: the
// authority of REVOKE on the table; a missing column fails unless IF
// EXISTS.
func (s *Session) revokeColumns(st RevokePrivilege) error {
	var cs columnStatement
	return s.exec(st, func() (err error) {
		cs, err = s.prepareColumns(st.Privileges, st.Columns, st.On, st.From, verbRevoke)
		return err
	}, func(w *writer, ac *actor) error {
		l := w.resolve(s.account, cs.spec)
		if !ac.mayRevoke(l) {
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
			err := w.revokePrivs(s, tablePrivs(targets), l, name, st.GrantOptionOnly)
			if skip(st.IfExists, err) {
				continue
			}
			if err != nil {
				return err
			}
			w.revokeColumnGrants(w.RoleByName(s.account, name), targets, st.GrantOptionOnly)
		}
		return nil
	})
}

// presentTargets returns targets without those on missing columns when
// ifExists is set, and otherwise the error of the first missing column.
func presentTargets(targets []target, ifExists bool) ([]target, error) {
	if !ifExists {
		return targets, missingColumn(targets)
	}
	out := targets[:0:0]
	for _, t := range targets {
		if t.level.missing == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// revokeColumnGrants removes role r's grants on the columns of targets (or
// only their grant option).
func (w *writer) revokeColumnGrants(r *catalog.Role, targets []target, optionOnly bool) {
	for _, t := range targets {
		if t.level.scope != catalog.ScopeColumn {
			continue
		}
		g := w.ColumnGrant(r.ID, t.level.column, t.priv)
		switch {
		case g == nil:
		case !optionOnly:
			w.Delete(g)
		case g.Option:
			c := *g
			c.Option = false
			w.Put(&c)
		}
	}
}
