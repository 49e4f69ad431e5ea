package engine

import (
	"sort"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// tableOrAlias returns the table of database d named name, or the table an
// alias of that name points at (reference §17: naming d.a means a's table at
// that moment); nil if neither exists.
func (w *writer) tableOrAlias(d model.DatabaseID, name string) *catalog.Table {
	return tableOrAlias(w.Tx, d, name)
}

func tableOrAlias(tx *catalog.Tx, d model.DatabaseID, name string) *catalog.Table {
	if t := tx.TableByName(d, name); t != nil {
		return t
	}
	if a := tx.AliasByName(d, name); a != nil {
		return tx.Table(a.Table)
	}
	return nil
}

// Table aliases (reference §17, §21): CREATE, ALTER, DROP and SHOW ALIAS(ES).
// An alias lives in its database's table name space and points at a table
// of the same database; naming it anywhere means that table at that
// moment. Decisions are never about aliases.

// CreateAlias is CREATE ALIAS [IF NOT EXISTS] [d.]a FOR TABLE [d.]t; an
// empty database means the current one.
type CreateAlias struct {
	IfNotExists   bool
	Database      string
	Name          string
	TableDatabase string
	Table         string
}

// AlterAlias is ALTER ALIAS [d.]a FOR TABLE [d.]t.
type AlterAlias struct {
	Database      string
	Name          string
	TableDatabase string
	Table         string
}

// DropAlias is DROP ALIAS [IF EXISTS] [d.]a.
type DropAlias struct {
	IfExists bool
	Database string
	Name     string
}

// ShowAliases is SHOW ALIASES [IN d]; Database "" means every database.
type ShowAliases struct {
	Database string
}

// aliasSpecs folds the alias and its table (stage 2) and applies the
// same-database rule.
func (s *Session) aliasSpecs(db, name, tdb, table string) (alias, target levelSpec, err error) {
	if alias, err = s.tableTarget(db, name); err != nil {
		return alias, target, err
	}
	if target, err = s.tableTarget(tdb, table); err != nil {
		return alias, target, err
	}
	if alias.dbName != target.dbName {
		return alias, target, model.Errorf(model.ErrInvalidOption, "the alias %s and the table %s must be in the same database",
			model.Quote(alias.tbName), model.Quote(target.tbName))
	}
	return alias, target, nil
}

func noAlias(name, db string) error {
	return missingErr("there is no alias \"%s\" in database \"%s\"", name, db)
}

// alterTable decides ALTER TABLE on the table level l names, as Check on
// TABLE d.t would (reference §8), or from the levels that would cover it when
// it is missing.
func (ac *actor) alterTable(l level) bool {
	d, t := ac.dbView(l.db), ac.tableView(l.table)
	return t != nil && ac.set.Has(t.ownerSlot()) || ac.a.databaseGrant(ac.set, d, l.dbName, model.PrivAlterTable).Allowed
}

// CreateAlias runs CREATE ALIAS: CREATE TABLE on the database from the
// active role, which owns the alias, and ALTER TABLE on the target table.
// Aliases count as tables for the tables limit.
func (s *Session) CreateAlias(st CreateAlias) error {
	var asp, tsp levelSpec
	return s.exec(st, func() (err error) {
		asp, tsp, err = s.aliasSpecs(st.Database, st.Name, st.TableDatabase, st.Table)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		al, tl := w.resolve(s.account, asp), w.resolve(s.account, tsp)
		if !ac.a.databaseGrant(ac.primary, ac.dbView(al.db), al.dbName, model.PrivCreateTable).Allowed || !ac.alterTable(tl) {
			return errDenied
		}
		if al.db == 0 {
			return noDatabase(al.dbName)
		}
		if w.TableByName(al.db, asp.tbName) != nil || w.AliasByName(al.db, asp.tbName) != nil {
			return ignoreIf(st.IfNotExists, existsErr("the table %s.%s exists", model.Quote(al.dbName), model.Quote(asp.tbName)))
		}
		if tl.missing != nil {
			return tl.missing
		}
		acc := w.Account(s.account)
		if err := w.limit(w.Count(acc.ID).Tables, w.e.cfg.limits.TablesPerAccount, "tables", acc.Name); err != nil {
			return err
		}
		w.Insert(&catalog.Alias{ID: w.NewAliasID(), Account: s.account, Database: al.db, Name: asp.tbName,
			Table: tl.table, Owner: s.role})
		return nil
	})
}

// aliasAt returns the alias of the database level l resolved named name,
// nil if either is missing.
func aliasAt(tx *catalog.Tx, l level, name string) *catalog.Alias {
	if l.db == 0 {
		return nil
	}
	return tx.AliasByName(l.db, name)
}

// AlterAlias runs ALTER ALIAS: ownership of the alias and ALTER TABLE on
// the new target. A missing alias is judged as if only the admin role could
// have authority over it.
func (s *Session) AlterAlias(st AlterAlias) error {
	var asp, tsp levelSpec
	return s.exec(st, func() (err error) {
		asp, tsp, err = s.aliasSpecs(st.Database, st.Name, st.TableDatabase, st.Table)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		base := (&writer{Tx: w.base.read()}).resolve(s.account, asp)
		tl := w.resolve(s.account, tsp)
		cur := aliasAt(w.base.read(), base, asp.tbName)
		allowed := ac.admin() || cur != nil && ac.owns(cur.Owner) && ac.alterTable(tl)
		if !allowed {
			return errDenied
		}
		al := w.resolve(s.account, asp)
		if al.db == 0 {
			return noDatabase(al.dbName)
		}
		a := aliasAt(w.Tx, al, asp.tbName)
		if a == nil {
			return noAlias(asp.tbName, al.dbName)
		}
		if tl.missing != nil {
			return tl.missing
		}
		if a.Table != tl.table {
			c := *a
			c.Table = tl.table
			w.Put(&c)
		}
		return nil
	})
}

// DropAlias runs DROP ALIAS: ownership of the alias, DROP TABLE on its
// database, or Check(DROP TABLE) on its table.
func (s *Session) DropAlias(st DropAlias) error {
	var sp levelSpec
	return s.exec(st, func() (err error) {
		sp, err = s.tableTarget(st.Database, st.Name)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		base := (&writer{Tx: w.base.read()}).resolve(s.account, sp)
		allowed := ac.a.databaseGrant(ac.set, ac.dbView(base.db), base.dbName, model.PrivDropTable).Allowed
		if cur := aliasAt(w.base.read(), base, sp.tbName); cur != nil {
			t := ac.tableView(cur.Table)
			allowed = allowed || ac.owns(cur.Owner) || t != nil && ac.set.Has(t.ownerSlot())
		}
		if !allowed {
			return errDenied
		}
		l := w.resolve(s.account, sp)
		if l.db == 0 {
			return ignoreIf(st.IfExists, noDatabase(l.dbName))
		}
		a := aliasAt(w.Tx, l, sp.tbName)
		if a == nil {
			return ignoreIf(st.IfExists, noAlias(sp.tbName, l.dbName))
		}
		w.Delete(a)
		return nil
	})
}

// ShowAliases runs SHOW ALIASES [IN d]: rows `<d>.<a> -> <t>` for the
// aliases whose table SHOW TABLES would list, over every database or in d
// (refused like USE when d is missing or invisible).
func (s *Session) ShowAliases(st ShowAliases) ([]string, error) {
	var rows []string
	var name string
	err := s.read(func() error {
		if st.Database == "" {
			return nil
		}
		return foldInto(&name, model.NameDatabase, st.Database)
	}, func(snap *Snapshot, ac *actor) error {
		tx := snap.read()
		dbs := tx.DatabasesOf(s.account)
		if st.Database != "" {
			d, err := ac.visibleDatabase(name)
			if err != nil {
				return err
			}
			dbs = []*catalog.Database{d}
		}
		for _, d := range dbs {
			dv := snap.dbAt(uint32(d.ID))
			for _, a := range tx.AliasesOf(d.ID) {
				t, tv := tx.Table(a.Table), snap.tableAt(uint32(a.Table))
				if t != nil && tv != nil && snap.tableVisible(ac.a, ac.set, dv, tv, t.ID, t.Name) {
					rows = append(rows, model.Quote(d.Name)+"."+model.Quote(a.Name)+" -> "+model.Quote(t.Name))
				}
			}
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}
