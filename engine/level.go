package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// level is a normalised grant level (reference §4, §16) resolved in a
// statement: the scope, and the IDs of its database, table and pattern
// when they exist (0 otherwise). For a pattern, dbName holds the prefix of
// DATABASE p* and TABLE p*.*, tbName the prefix of TABLE d.q*. missing
// holds the existence error to report at stage 4.
type level struct {
	scope   catalog.Scope
	account model.AccountID
	db      model.DatabaseID
	table   model.TableID
	pattern uint32 // the pattern record, 0 while no grant is stored at the pattern
	dbName  string
	tbName  string
	missing error
	column  model.ColumnID // ScopeColumn: the column, 0 when missing
	colName string         // ScopeColumn: the column's folded name
}

// key returns the level's catalog key; it is only meaningful when nothing
// is missing.
func (l level) key() catalog.LevelKey {
	switch l.scope {
	case catalog.ScopeDatabase, catalog.ScopeDatabaseTables:
		return catalog.LevelKey{Scope: l.scope, Object: uint32(l.db)}
	case catalog.ScopeTable:
		return catalog.LevelKey{Scope: l.scope, Object: uint32(l.table)}
	case catalog.ScopeColumn:
		return catalog.LevelKey{Scope: l.scope, Object: uint32(l.column)}
	case catalog.ScopeDatabasePattern, catalog.ScopeAnyTablePattern, catalog.ScopeTablePattern:
		return catalog.LevelKey{Scope: l.scope, Object: l.pattern}
	}
	return catalog.LevelKey{Scope: l.scope, Object: uint32(l.account)}
}

// ownerOf reports whether a role of S owns the object the level names
// (DATABASE d or TABLE d.t; the other levels name none).
func (l level) ownerOf(ac *actor) bool {
	switch l.scope {
	case catalog.ScopeDatabase:
		d := ac.dbView(l.db)
		return d != nil && ac.set.Has(d.ownerSlot)
	case catalog.ScopeTable, catalog.ScopeColumn:
		t := ac.tableView(l.table)
		return t != nil && ac.set.Has(t.ownerSlot())
	}
	return false
}

// covering returns the grant entries of every level covering l (reference §4,
// §16): the wildcards, the patterns whose prefix starts the name (or the
// prefix) l names, and the named database's and table's own levels.
func (l level) covering(ac *actor) [][]entry {
	a := ac.a
	out := [][]entry{}
	along := func(x *prefixIndex, k int, name string) {
		for _, pl := range x.along(k, name) {
			out = append(out, pl.entries)
		}
	}
	switch l.scope {
	case catalog.ScopeAccount:
		out = append(out, a.grants)
	case catalog.ScopeAnyDatabase, catalog.ScopeDatabase, catalog.ScopeDatabasePattern:
		out = append(out, a.anyDB)
		if l.scope != catalog.ScopeAnyDatabase {
			along(&a.patterns, patternDatabase, l.dbName)
		}
		if d := ac.dbView(l.db); d != nil && l.scope == catalog.ScopeDatabase {
			out = append(out, d.grants)
		}
	default:
		out = append(out, a.anyTable)
		if l.scope != catalog.ScopeAnyTable {
			along(&a.patterns, patternTables, l.dbName)
		}
		d := ac.dbView(l.db)
		if d != nil && l.scope != catalog.ScopeAnyTable && l.scope != catalog.ScopeAnyTablePattern {
			out = append(out, d.tables)
		}
		if d != nil && (l.scope == catalog.ScopeTable || l.scope == catalog.ScopeTablePattern || l.scope == catalog.ScopeColumn) {
			along(&d.patterns, patternTables, l.tbName)
		}
		if t := ac.tableView(l.table); t != nil && (l.scope == catalog.ScopeTable || l.scope == catalog.ScopeColumn) {
			out = append(out, t.entries())
		}
		if c := ac.columnView(l.column); c != nil && c.acl != nil && l.scope == catalog.ScopeColumn {
			out = append(out, c.acl.grants)
		}
	}
	return out
}

// String returns the level as SHOW GRANTS prints it.
func (l level) String() string {
	switch l.scope {
	case catalog.ScopeAccount:
		return "ACCOUNT"
	case catalog.ScopeAnyDatabase:
		return "DATABASE *"
	case catalog.ScopeDatabase:
		return "DATABASE " + model.Quote(l.dbName)
	case catalog.ScopeAnyTable:
		return "TABLE *.*"
	case catalog.ScopeDatabaseTables:
		return "TABLE " + model.Quote(l.dbName) + ".*"
	case catalog.ScopeDatabasePattern:
		return "DATABASE " + model.Quote(l.dbName) + "*"
	case catalog.ScopeAnyTablePattern:
		return "TABLE " + model.Quote(l.dbName) + "*.*"
	case catalog.ScopeTablePattern:
		return "TABLE " + model.Quote(l.dbName) + "." + model.Quote(l.tbName) + "*"
	}
	return "TABLE " + model.Quote(l.dbName) + "." + model.Quote(l.tbName)
}

func noDatabase(name string) error {
	return missingErr("there is no database \"%s\"", name)
}

func noTable(table, db string) error {
	return missingErr("there is no table \"%s\" in database \"%s\"", table, db)
}

var errNoDatabaseSelected = model.Errorf(model.ErrNoDatabase, "no database selected")

// levelSpec is a Target after the stage-2 checks: names folded, the
// current database applied.
type levelSpec struct {
	scope   catalog.Scope
	dbName  string
	tbName  string
	current model.DatabaseID // the current database, for unqualified tables
}

// spec validates a grant-level target without reading state (stage 2).
func (s *Session) spec(t Target) (levelSpec, error) {
	var sp levelSpec
	err := checkTarget(t)
	if err != nil {
		return sp, err
	}
	switch t.Kind {
	case model.KindAccount:
		sp.scope = catalog.ScopeAccount
	case model.KindDatabase:
		sp.scope = catalog.ScopeAnyDatabase
		if !t.AnyDatabase {
			sp.scope = catalog.ScopeDatabase
			if t.DatabasePattern {
				sp.scope = catalog.ScopeDatabasePattern
			}
			sp.dbName, err = model.FoldName(model.NameDatabase, t.Database)
		}
	case model.KindTable:
		return s.tableSpec(t)
	default:
		return sp, model.Errorf(model.ErrInvalidOption, "the object type %q is not a grant level", t.Kind.String())
	}
	return sp, err
}

func (s *Session) tableSpec(t Target) (levelSpec, error) {
	sp := levelSpec{scope: catalog.ScopeTable}
	var err error
	switch {
	case t.AnyDatabase:
		sp.scope = catalog.ScopeAnyTable
		return sp, nil
	case t.DatabasePattern:
		sp.scope = catalog.ScopeAnyTablePattern
		sp.dbName, err = model.FoldName(model.NameDatabase, t.Database)
		return sp, err
	case t.Database == "":
		if s.dbName == "" {
			return sp, errNoDatabaseSelected
		}
		sp.dbName, sp.current = s.dbName, s.db
	default:
		if sp.dbName, err = model.FoldName(model.NameDatabase, t.Database); err != nil {
			return sp, err
		}
	}
	if t.AnyTable {
		sp.scope = catalog.ScopeDatabaseTables
		return sp, nil
	}
	if t.TablePattern {
		sp.scope = catalog.ScopeTablePattern
	}
	sp.tbName, err = model.FoldName(model.NameTable, t.Name)
	return sp, err
}

// resolve looks the level's objects up in the transaction; a missing one
// is recorded in missing, for stage 4.
func (w *writer) resolve(a model.AccountID, sp levelSpec) level {
	l := level{scope: sp.scope, account: a, dbName: sp.dbName, tbName: sp.tbName}
	if sp.dbName == "" {
		return l
	}
	if sp.scope == catalog.ScopeDatabasePattern || sp.scope == catalog.ScopeAnyTablePattern {
		if p := w.PatternByKey(a, sp.scope, 0, sp.dbName); p != nil {
			l.pattern = p.ID
		}
		return l
	}
	var d *catalog.Database
	if sp.current != 0 {
		d = w.Database(sp.current)
	} else {
		d = w.DatabaseByName(a, sp.dbName)
	}
	if d == nil {
		l.missing = noDatabase(sp.dbName)
		return l
	}
	l.db = d.ID
	switch {
	case sp.scope == catalog.ScopeTablePattern:
		if p := w.PatternByKey(a, sp.scope, d.ID, sp.tbName); p != nil {
			l.pattern = p.ID
		}
	case sp.tbName != "":
		if t := w.tableOrAlias(d.ID, sp.tbName); t != nil {
			l.table, l.tbName = t.ID, t.Name
		} else {
			l.missing = noTable(sp.tbName, sp.dbName)
		}
	}
	return l
}
