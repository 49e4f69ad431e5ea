package oracle

import (
	"sort"
	"strings"

	"github.com/pdp-authz/pdp/model"
)

// Visibility, written out from reference §19 and §21: a database is visible to
// S when S holds SHOW DATABASES (or the admin role), or when Check, as if
// the account were open, allows S some privilege on it or on one of its
// tables, the "also allowed by" privileges and the creation privileges of
// secondary roles included; a grant at TABLE *.* or TABLE d.* makes d
// visible even without tables. A table is visible when S holds SHOW TABLES
// on its database or Check allows S some privilege on it.

// databaseAsked are the privileges asked of a database for visibility.
var databaseAsked = []model.Privilege{model.PrivShowTables, model.PrivCreateTable, model.PrivDropTable,
	model.PrivAlterTable, model.PrivCreateView, model.PrivDropView, model.PrivAlterView, model.PrivDatabaseAll,
	model.PrivDropDatabase}

// tableAsked are the privileges asked of a table for visibility.
var tableAsked = []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete,
	model.PrivTruncate, model.PrivReference, model.PrivIndex, model.PrivTableAll, model.PrivDropTable,
	model.PrivAlterTable}

// seesAll reports whether S sees every database of acc.
func (s *State) seesAll(acc *Account, S set) bool {
	return s.accountGrant(acc, S, model.PrivShowDatabases)
}

// visibleDatabase reports whether S sees database d.
func (s *State) visibleDatabase(acc *Account, S set, d *Database) bool {
	if s.seesAll(acc, S) {
		return true
	}
	for _, p := range databaseAsked {
		if s.allowedTo(acc, S, 0, p, Object{Kind: model.KindDatabase, ID: d.ID}) {
			return true
		}
	}
	// A table privilege at a level covering TABLE d.* (TABLE *.*, TABLE
	// p*.*, TABLE d.*, TABLE d.q*), by a grant or a group's members now.
	coversAll := func(l Level) bool {
		return l == Level{Scope: ScopeAnyTable, Obj: acc.ID} || l == Level{Scope: ScopeDBTables, Obj: d.ID} ||
			l.Scope == ScopeAnyTablePattern && l.Obj == acc.ID && strings.HasPrefix(d.Name, l.Prefix) ||
			l.Scope == ScopeTablePattern && l.Obj == d.ID
	}
	// Such a grant counts for a privilege it gives that no denial at a
	// level covering TABLE d.* (TABLE d.q* for a grant there) takes away,
	// as Check would decide for a table of d (named q...).
	notDenied := func(l Level, gives func(model.Privilege) bool) bool {
		prefix := ""
		if l.Scope == ScopeTablePattern {
			prefix = l.Prefix
		}
		at := func(x Level) bool { return coversTable(x, acc.ID, d.ID, d.Name, 0, prefix) }
		for _, p := range tableAsked[:8] {
			if gives(p) && !s.deniedWhere(S, p, at) {
				return true
			}
		}
		return false
	}
	for _, g := range s.Grants {
		if S[g.Role] && coversAll(g.Level) &&
			notDenied(g.Level, func(p model.Privilege) bool { return g.Priv == p || g.Priv == model.PrivTableAll }) {
			return true
		}
	}
	for _, g := range s.GroupGrants {
		if S[g.Role] && coversAll(g.Level) && notDenied(g.Level, s.groupPrivs(acc.ID, g.Group).Has) {
			return true
		}
	}
	for _, t := range s.Tables {
		if t.DB == d.ID && s.visibleTable(acc, S, t, false) {
			return true
		}
	}
	return false
}

// visibleTable reports whether S sees table t; all says whether holding
// SHOW TABLES on its database counts.
func (s *State) visibleTable(acc *Account, S set, t *Table, all bool) bool {
	if all && s.allowedTo(acc, S, 0, model.PrivShowTables, Object{Kind: model.KindDatabase, ID: t.DB}) {
		return true
	}
	for _, p := range tableAsked {
		if s.allowedTo(acc, S, 0, p, Object{Kind: model.KindTable, ID: t.ID}) {
			return true
		}
	}
	for _, c := range t.Columns {
		for _, p := range []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivReference} {
			if s.allowedTo(acc, S, 0, p, Object{Kind: model.KindColumn, ID: c.ID}) {
				return true
			}
		}
	}
	return false
}

// ShowDatabases is SHOW DATABASES: the databases S sees.
func (se *Session) ShowDatabases() ([]string, error) {
	var rows []string
	err := se.read(func(s *State, ac *actor) error {
		for _, d := range s.DBs {
			if d.Account == se.Account && s.visibleDatabase(ac.acc, ac.S, d) {
				rows = append(rows, model.Quote(d.Name))
			}
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}

// ShowTables is SHOW TABLES [FROM d]: the tables of d that S sees; d as USE
// resolves it, the current database when db is "".
func (se *Session) ShowTables(db string) ([]string, error) {
	if err := se.begin(); err != nil {
		return nil, err
	}
	var n string
	if db == "" {
		if se.DBName == "" {
			return nil, model.Errorf(model.ErrNoDatabase, "no database selected")
		}
	} else {
		var err error
		if n, err = fold(nameDatabase, db); err != nil {
			return nil, err
		}
	}
	var rows []string
	err := se.read(func(s *State, ac *actor) error {
		var d *Database
		if db == "" {
			if !s.accountGrant(ac.acc, ac.S, model.PrivConnect) {
				return errDenied
			}
			if d = s.DBs[se.DB]; d == nil {
				return model.Errorf(model.ErrNotFound, "there is no database %q", se.DBName)
			}
			if !s.visibleDatabase(ac.acc, ac.S, d) {
				return errDenied
			}
		} else {
			var err error
			if d, err = se.usable(s, ac, n); err != nil {
				return err
			}
		}
		for _, t := range s.Tables {
			if t.DB == d.ID && s.visibleTable(ac.acc, ac.S, t, true) {
				rows = append(rows, model.Quote(t.Name))
			}
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}

// usable resolves database n for USE and SHOW TABLES FROM: CONNECT, and d
// visible; a missing d is refused like an invisible one, except to S
// seeing every database.
func (se *Session) usable(s *State, ac *actor, n string) (*Database, error) {
	if !s.accountGrant(ac.acc, ac.S, model.PrivConnect) {
		return nil, errDenied
	}
	d := s.dbByName(se.Account, n)
	switch {
	case d != nil && s.visibleDatabase(ac.acc, ac.S, d):
		return d, nil
	case d == nil && s.seesAll(ac.acc, ac.S):
		return nil, model.Errorf(model.ErrNotFound, "there is no database %q", n)
	}
	return nil, errDenied
}
