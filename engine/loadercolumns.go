package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// The Loader's calls for reference §18: columns, column grants and denials.

// AddColumns appends columns to table t and returns their IDs, in order.
func (l *Loader) AddColumns(t model.TableID, defs []ColumnDef) ([]model.ColumnID, error) {
	rec := l.w.Table(t)
	if rec == nil {
		return nil, model.Errorf(model.ErrNotFound, "there is no table %d", t)
	}
	if err := l.w.e.columnsLimit(len(rec.Columns) + len(defs)); err != nil {
		return nil, err
	}
	next := *rec
	next.Columns = append(make([]catalog.Column, 0, len(rec.Columns)+len(defs)), rec.Columns...)
	ids := make([]model.ColumnID, len(defs))
	for i, d := range defs {
		n, err := model.FoldName(model.NameColumn, d.Name)
		if err != nil {
			return nil, err
		}
		if next.Column(n) != nil {
			return nil, duplicateColumn(n)
		}
		ids[i] = l.w.NewColumnID()
		next.Columns = append(next.Columns, catalog.Column{ID: ids[i], Name: n, Type: d.Type})
	}
	l.w.Put(&next)
	return ids, nil
}

// columnOf returns the table record holding column c of account a.
func (l *Loader) columnOf(a model.AccountID, t model.TableID, c model.ColumnID) (*catalog.Table, error) {
	rec := l.w.Table(t)
	if rec == nil || rec.Account != a || rec.ColumnByID(c) == nil {
		return nil, model.Errorf(model.ErrNotFound, "there is no column %d in table %d", c, t)
	}
	return rec, nil
}

// GrantColumn grants column privilege p on column c of table t to role.
func (l *Loader) GrantColumn(role model.RoleID, p model.Privilege, t model.TableID, c model.ColumnID, opt GrantOption) error {
	if err := checkGrantOption(opt); err != nil {
		return err
	}
	r := l.w.Role(role)
	if r == nil {
		return model.Errorf(model.ErrNotFound, "there is no role %d", role)
	}
	if !p.OnColumns() {
		return model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be granted on columns", p)
	}
	if _, err := l.columnOf(r.Account, t, c); err != nil {
		return err
	}
	acc := l.w.Account(r.Account)
	if r.ID == acc.AdminRole {
		return model.Errorf(model.ErrPredefined, "the privilege can not be granted to the role %s", model.Quote(r.Name))
	}
	lv := level{scope: catalog.ScopeColumn, account: r.Account, table: t, column: c}
	return l.w.grantColumn(l.adminSession(acc), r, target{priv: p, level: lv}, opt)
}

// Deny denies p (ALL: PrivAll) at level on to role; column, when not 0,
// is a column of on's table and the denial is on that column.
func (l *Loader) Deny(role model.RoleID, p model.Privilege, on Level, column model.ColumnID) error {
	r := l.w.Role(role)
	if r == nil {
		return model.Errorf(model.ErrNotFound, "there is no role %d", role)
	}
	if p == model.PrivAll {
		p = on.Kind.All()
	}
	if p.Level() != on.Kind {
		return model.Errorf(model.ErrInvalidPrivilege, "the privilege %q can only be granted to the object type %q",
			p.String(), p.Level().String())
	}
	lv, err := l.level(r.Account, on)
	if err != nil {
		return err
	}
	if column != 0 {
		if lv.scope != catalog.ScopeTable || !p.OnColumns() {
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be granted on columns", p)
		}
		if _, err := l.columnOf(r.Account, on.Table, column); err != nil {
			return err
		}
		lv.scope, lv.column = catalog.ScopeColumn, column
	}
	return l.w.placeDenials(l.adminSession(l.w.Account(r.Account)), r, []target{{priv: p, level: lv}})
}
