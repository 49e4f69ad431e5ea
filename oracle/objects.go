package oracle

import (
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// CreateDatabase is CREATE DATABASE: CREATE DATABASE from the active role
// alone, which owns the database.
func (se *Session) CreateDatabase(st engine.CreateDatabase) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, err := fold(nameDatabase, st.Name)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		switch {
		case !ac.accountPriv(model.PrivCreateDatabase):
			return errDenied
		case s.dbByName(se.Account, name) != nil && st.IfNotExists:
			return nil
		case s.dbByName(se.Account, name) != nil:
			return model.Errorf(model.ErrExists, "the database %s exists", name)
		case s.overLimit(se.Account, "databases") != nil:
			return s.overLimit(se.Account, "databases")
		}
		id := s.newID()
		s.DBs[id] = &Database{ID: id, Account: se.Account, Name: name, Owner: se.Role}
		return nil
	})
}

// DropDatabase is DROP DATABASE: its tables and every grant on or in it go.
func (se *Session) DropDatabase(st engine.DropDatabase) error {
	if err := se.begin(); err != nil {
		return err
	}
	name, err := fold(nameDatabase, st.Name)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		allowed := ac.base.accountGrant(ac.acc, ac.S, model.PrivDropDatabase)
		if bd := ac.base.dbByName(se.Account, name); bd != nil {
			allowed = ac.base.allowedTo(ac.acc, ac.S, 0, model.PrivDropDatabase, Object{model.KindDatabase, bd.ID})
		}
		if !allowed {
			return errDenied
		}
		d := s.dbByName(se.Account, name)
		switch {
		case d == nil && st.IfExists:
			return nil
		case d == nil:
			return model.Errorf(model.ErrNotFound, "there is no database %q", name)
		}
		s.dropDatabase(d.ID)
		return nil
	})
}

// UseDatabase is USE d: it needs CONNECT and d visible (reference §9, §19).
func (se *Session) UseDatabase(name string) error {
	if err := se.begin(); err != nil {
		return err
	}
	n, err := fold(nameDatabase, name)
	if err != nil {
		return err
	}
	return se.read(func(s *State, ac *actor) error {
		d, err := se.usable(s, ac, n)
		if err != nil {
			return err
		}
		se.DB, se.DBName = d.ID, d.Name
		return nil
	})
}

// CreateTable is CREATE TABLE: CREATE TABLE on the database from the active
// role alone, which owns the table.
func (se *Session) CreateTable(st engine.CreateTable) error {
	if err := se.begin(); err != nil {
		return err
	}
	t, err := se.spec(engine.Target{Kind: model.KindTable, Database: st.Database, Name: st.Name})
	if err != nil {
		return err
	}
	cols, err := se.m.State.columnDefs(st.Columns)
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		r := s.resolve(se.Account, t)
		var dbID ID
		if r.db != nil {
			dbID = r.db.ID
		}
		switch {
		case !ac.base.databaseGrant(ac.acc, ac.primary, dbID, t.db, model.PrivCreateTable):
			return errDenied
		case r.db == nil:
			return r.missing
		case r.table != nil && st.IfNotExists:
			return nil
		case r.table != nil:
			return model.Errorf(model.ErrExists, "the table %s.%s exists", t.db, t.tbl)
		case s.overLimit(se.Account, "tables") != nil:
			return s.overLimit(se.Account, "tables")
		}
		id := s.newID()
		tb := &Table{ID: id, Account: se.Account, DB: r.db.ID, Name: t.tbl, Owner: se.Role}
		for _, c := range cols {
			tb.Columns = append(tb.Columns, Column{ID: s.newID(), Name: c})
		}
		s.Tables[id] = tb
		return nil
	})
}

// DropTable is DROP TABLE: the table's grants go with it.
func (se *Session) DropTable(st engine.DropTable) error {
	if err := se.begin(); err != nil {
		return err
	}
	t, err := se.spec(engine.Target{Kind: model.KindTable, Database: st.Database, Name: st.Name})
	if err != nil {
		return err
	}
	return se.exec(func(s *State, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		r := s.resolve(se.Account, t)
		if !ac.base.tableAuthority(ac, r, model.PrivDropTable) {
			return errDenied
		}
		switch {
		case r.missing != nil && st.IfExists:
			return nil
		case r.missing != nil:
			return r.missing
		}
		for _, a := range s.Aliases {
			if a.Table == r.table.ID {
				return model.Errorf(model.ErrInUse, "the table %s.%s has aliases", t.db, r.table.Name)
			}
		}
		s.dropTable(r.table.ID)
		return nil
	})
}
