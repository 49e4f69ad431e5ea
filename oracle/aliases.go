package oracle

import (
	"sort"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// The statements of table aliases (reference §17).

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
