package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/hierarchy"
	"github.com/pdp-authz/pdp/model"
)

// CreateDatabase runs CREATE DATABASE: CREATE DATABASE from the active
// role, which owns the database.
func (s *Session) CreateDatabase(st CreateDatabase) error {
	var name string
	return s.exec(st, func() error { return foldInto(&name, model.NameDatabase, st.Name) }, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if err := require(ac.accountPriv(model.PrivCreateDatabase)); err != nil {
			return err
		}
		acc := w.Account(s.account)
		if w.DatabaseByName(acc.ID, name) != nil {
			if st.IfNotExists {
				return nil
			}
			return model.Errorf(model.ErrExists, "the database %s exists", model.Quote(name))
		}
		if err := w.limit(w.Count(acc.ID).Databases, w.e.cfg.limits.DatabasesPerAccount, "databases", acc.Name); err != nil {
			return err
		}
		w.Insert(&catalog.Database{ID: w.NewDatabaseID(), Account: acc.ID, Name: name, Owner: s.role})
		return nil
	})
}

// DropDatabase runs DROP DATABASE: its tables, aliases and pattern levels
// and every grant on it or in it go with it.
func (s *Session) DropDatabase(st DropDatabase) error {
	var name string
	return s.exec(st, func() error { return foldInto(&name, model.NameDatabase, st.Name) }, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		var view *dbView
		if d := w.base.read().DatabaseByName(s.account, name); d != nil {
			view = w.base.dbAt(uint32(d.ID))
		}
		decision := ac.a.accountGrant(ac.set, model.PrivDropDatabase)
		if view != nil {
			decision = ac.a.onDatabase(ac.set, view, model.PrivDropDatabase)
		}
		if err := require(decision); err != nil {
			return err
		}
		d := w.DatabaseByName(s.account, name)
		if d == nil {
			if st.IfExists {
				return nil
			}
			return noDatabase(name)
		}
		hierarchy.DropDatabase(w.Tx, d)
		return nil
	})
}

// tableTarget folds [d.]t for CREATE and DROP TABLE (stage 2).
func (s *Session) tableTarget(db, name string) (levelSpec, error) {
	return s.tableSpec(Target{Kind: model.KindTable, Database: db, Name: name})
}

// CreateTable runs CREATE TABLE: CREATE TABLE on the database from the
// active role, which owns the table.
func (s *Session) CreateTable(st CreateTable) error {
	var sp levelSpec
	var cols []catalog.Column
	return s.exec(st, func() (err error) {
		if sp, err = s.tableTarget(st.Database, st.Name); err != nil {
			return err
		}
		cols, err = s.columnDefs(st.Columns)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		l := w.resolve(s.account, sp)
		if err := require(ac.a.databaseGrant(ac.primary, ac.dbView(l.db), l.dbName, model.PrivCreateTable)); err != nil {
			return err
		}
		if l.db == 0 {
			return l.missing
		}
		acc := w.Account(s.account)
		if l.table != 0 {
			if st.IfNotExists {
				return nil
			}
			return model.Errorf(model.ErrExists, "the table %s.%s exists", model.Quote(l.dbName), model.Quote(sp.tbName))
		}
		if err := w.limit(w.Count(acc.ID).Tables, w.e.cfg.limits.TablesPerAccount, "tables", acc.Name); err != nil {
			return err
		}
		w.Insert(&catalog.Table{ID: w.NewTableID(), Account: acc.ID, Database: l.db, Name: l.tbName,
			Columns: w.newColumns(cols), Owner: s.role})
		return nil
	})
}

// DropTable runs DROP TABLE: the table's grants go with it. A table with
// aliases is not dropped (reference §17); naming an alias names its table.
func (s *Session) DropTable(st DropTable) error {
	var sp levelSpec
	return s.exec(st, func() (err error) {
		sp, err = s.tableTarget(st.Database, st.Name)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		l := w.resolve(s.account, sp)
		if err := require(ac.onTable(l, model.PrivDropTable)); err != nil {
			return err
		}
		if l.missing != nil {
			if st.IfExists {
				return nil
			}
			return l.missing
		}
		if w.HasAliases(l.table) {
			return model.Errorf(model.ErrInUse, "the table %s.%s has aliases", model.Quote(l.dbName), model.Quote(l.tbName))
		}
		hierarchy.DropTable(w.Tx, w.Table(l.table))
		return nil
	})
}
