package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/hierarchy"
	"github.com/pdp-authz/pdp/model"
)

// Columns of tables (reference §18): CREATE TABLE's column list, ALTER TABLE
// ADD / DROP COLUMN and SHOW COLUMNS.

// ColumnDef is one column of CREATE TABLE or ALTER TABLE ... ADD COLUMN:
// its name as written and its type, kept as text.
type ColumnDef struct {
	Name string
	Type string
}

// TableAction is what ALTER TABLE changes.
type TableAction uint8

// The ALTER TABLE actions.
const (
	TableAddColumn TableAction = iota + 1
	TableDropColumn
)

// AlterTable is ALTER TABLE [d.]t {ADD COLUMN c type | DROP COLUMN c};
// Database "" means the current database. DROP COLUMN uses only
// Column.Name.
type AlterTable struct {
	Database string
	Name     string
	Action   TableAction
	Column   ColumnDef
}

// ShowColumns is SHOW COLUMNS FROM [d.]t; Database "" means the current
// database.
type ShowColumns struct {
	Database string
	Name     string
}

// duplicateColumn is the error of a column name given twice.
func duplicateColumn(name string) error {
	return model.Errorf(model.ErrExists, "duplicate column name %s", model.Quote(name))
}

// noColumn is the error of a missing column (skippable by IF EXISTS).
func noColumn(name, db, table string) error {
	return missingErr("there is no column %s in table %s.%s", model.Quote(name), model.Quote(db), model.Quote(table))
}

// columnsLimit checks n columns against the columns per table.
func (e *Engine) columnsLimit(n int) error {
	if max := e.cfg.limits.ColumnsPerTable; n > max {
		return model.Errorf(model.ErrLimit, "the columns per table exceeds the limit %d", max)
	}
	return nil
}

// columnDefs checks the column list of CREATE TABLE (stage 2): the limit,
// the names, no name twice. The columns it returns have no IDs yet.
func (s *Session) columnDefs(defs []ColumnDef) ([]catalog.Column, error) {
	if err := s.e.columnsLimit(len(defs)); err != nil {
		return nil, err
	}
	out := make([]catalog.Column, 0, len(defs))
	seen := make(map[string]bool, len(defs))
	for _, d := range defs {
		n, err := model.FoldName(model.NameColumn, d.Name)
		if err != nil {
			return nil, err
		}
		if seen[n] {
			return nil, duplicateColumn(n)
		}
		seen[n] = true
		out = append(out, catalog.Column{Name: n, Type: d.Type})
	}
	return out, nil
}

// newColumns gives the columns of a new table their IDs.
func (w *writer) newColumns(cols []catalog.Column) []catalog.Column {
	if len(cols) == 0 {
		return nil
	}
	out := make([]catalog.Column, len(cols))
	for i, c := range cols {
		c.ID = w.NewColumnID()
		out[i] = c
	}
	return out
}

// onTable decides p on the table level l names, for a statement's
// authority on the starting snapshot; a missing table is judged from the
// levels that would cover it.
func (ac *actor) onTable(l level, p model.Privilege) Decision {
	d, t := ac.dbView(l.db), ac.tableView(l.table)
	switch {
	case t != nil:
		return ac.a.onTable(ac.set, d, t, l.tbName, tableRef{ac.snap, uint32(l.table)}, p)
	case p.Level() == model.LevelDatabase:
		return ac.a.databaseGrant(ac.set, d, l.dbName, p)
	}
	return ac.a.tableGrant(ac.set, d, l.dbName, nil, l.tbName, tableRef{}, p)
}

// AlterTable runs ALTER TABLE ... ADD COLUMN or DROP COLUMN: it needs
// Check(ALTER TABLE) on the table. A dropped column takes its grants and
// denials with it.
func (s *Session) AlterTable(st AlterTable) error {
	var sp levelSpec
	var col string
	return s.exec(st, func() (err error) {
		if st.Action != TableAddColumn && st.Action != TableDropColumn {
			return invalidOption("the ALTER TABLE action %d is invalid", st.Action)
		}
		if sp, err = s.tableTarget(st.Database, st.Name); err != nil {
			return err
		}
		return foldInto(&col, model.NameColumn, st.Column.Name)
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		l := w.resolve(s.account, sp)
		if err := require(ac.onTable(l, model.PrivAlterTable)); err != nil {
			return err
		}
		if l.missing != nil {
			return l.missing
		}
		t := w.Table(l.table)
		if st.Action == TableDropColumn {
			c := t.Column(col)
			if c == nil {
				return noColumn(col, l.dbName, l.tbName)
			}
			hierarchy.DropColumn(w.Tx, t, c)
			return nil
		}
		if t.Column(col) != nil {
			return duplicateColumn(col)
		}
		if err := w.e.columnsLimit(len(t.Columns) + 1); err != nil {
			return err
		}
		next := *t
		next.Columns = append(append(make([]catalog.Column, 0, len(t.Columns)+1), t.Columns...),
			catalog.Column{ID: w.NewColumnID(), Name: col, Type: st.Column.Type})
		w.Put(&next)
		return nil
	})
}

// ShowColumns runs SHOW COLUMNS FROM [d.]t: the table's column names in
// table order. It needs a privilege on the table or on a column of it (as
// Check decides them); a session that sees every table of the database
// (SHOW TABLES on it) is told when the table is missing, any other caller
// is refused alike for a missing and an invisible table.
func (s *Session) ShowColumns(st ShowColumns) ([]string, error) {
	var rows []string
	var sp levelSpec
	err := s.read(func() (err error) {
		sp, err = s.tableTarget(st.Database, st.Name)
		return err
	}, func(snap *Snapshot, ac *actor) error {
		l := (&writer{Tx: snap.read()}).resolve(s.account, sp)
		d, t := ac.dbView(l.db), ac.tableView(l.table)
		switch {
		case t != nil && snap.tableHeld(ac.a, ac.set, d, t, l.table, l.tbName):
		case l.missing != nil && d == nil && ac.a.seesAllDatabases(ac.set):
			return l.missing
		case l.missing != nil && d != nil && ac.a.seesAllTables(ac.set, d):
			return l.missing
		default:
			return errDenied
		}
		for _, c := range snap.read().Table(l.table).Columns {
			rows = append(rows, model.Quote(c.Name))
		}
		return nil
	})
	return rows, err
}

// Column returns the ID of the column of table t named name (folded).
func (s *Snapshot) Column(t model.TableID, name string) (model.ColumnID, bool) {
	if s.empty() {
		return 0, false
	}
	n, err := model.FoldName(model.NameColumn, name)
	if err != nil {
		return 0, false
	}
	if rec := s.read().Table(t); rec != nil {
		if c := rec.Column(n); c != nil {
			return c.ID, true
		}
	}
	return 0, false
}
