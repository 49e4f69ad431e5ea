package engine

import (
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// decidesAlone reports whether role rv alone allows p on obj for the reason
// the whole role set S allowed it. A cluster privilege is decided by the
// active role alone (reference §8), so only that role decides it.
func (snap *Snapshot) decidesAlone(a *accountView, rv *roleView, active model.RoleID, p model.Privilege, obj model.Object, reason Reason) bool {
	if p.Level() == model.LevelCluster {
		return rv.id == active
	}
	d := snap.decide(a, inherit.Set(nil).With(rv.slot), active, p, obj)
	return d.Allowed && d.Reason == reason
}

// adminLevels are the levels of the admin role's fixed SHOW GRANTS rows,
// by the level of the privilege they decide.
var adminLevels = map[model.Level]string{
	model.LevelAccount:  "ACCOUNT",
	model.LevelDatabase: "DATABASE *",
	model.LevelTable:    "TABLE *.*",
}

// decidingRow returns the SHOW GRANTS FOR ROLE row of role r that allows p
// on obj for reason: the admin role's fixed row, the ownership row of the
// object (or, for DROP and ALTER TABLE, of its database), or the grant at a
// level covering the object; of several, the least. It is "" when no row
// decides, which a consistent snapshot never gives.
func decidingRow(tx *catalog.Tx, a *accountView, r *catalog.Role, p model.Privilege, obj model.Object, reason Reason) string {
	to := " TO " + model.Quote(r.Name)
	switch reason {
	case ReasonAdmin:
		if p.Level() == model.LevelCluster {
			return "GRANT " + p.Upper() + " ON ACCOUNT" + to
		}
		return "GRANT ALL ON " + adminLevels[p.Level()] + to + " WITH GRANT OPTION"
	case ReasonOwner:
		return least(ownedRows(tx, r.ID, p, obj, to))
	case ReasonGrant:
		return least(coveringGrantRows(tx, a, r.ID, p, obj, to))
	}
	return ""
}

// least returns the byte-wise least of rows, "" for none.
func least(rows []string) string {
	if len(rows) == 0 {
		return ""
	}
	return slices.Min(rows)
}

// ownedRows returns the ownership rows of role r for the objects whose
// owner may run p on obj: the object itself and, for a database privilege
// asked about a table, its database.
func ownedRows(tx *catalog.Tx, r model.RoleID, p model.Privilege, obj model.Object, to string) []string {
	var rows []string
	switch obj.Kind {
	case model.KindDatabase:
		if d := tx.Database(model.DatabaseID(obj.ID)); d != nil && d.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON DATABASE "+model.Quote(d.Name)+to)
		}
	case model.KindTable:
		t := tx.Table(model.TableID(obj.ID))
		if t == nil {
			break
		}
		if t.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON "+levelName(tx, catalog.LevelKey{Scope: catalog.ScopeTable, Object: obj.ID})+to)
		}
		if p.Level() == model.LevelDatabase {
			rows = append(rows, ownedRows(tx, r, p, model.DatabaseObject(t.Database), to)...)
		}
	case model.KindRole:
		if o := tx.Role(model.RoleID(obj.ID)); o != nil && o.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON ROLE "+model.Quote(o.Name)+to)
		}
	case model.KindUser:
		if u := tx.User(model.UserID(obj.ID)); u != nil && u.Owner == r {
			rows = append(rows, "GRANT OWNERSHIP ON USER "+model.Quote(u.Name)+to)
		}
	}
	return rows
}

// coveringGrantRows returns the rows of the grants of role r that meet a
// need for p (p or its level's ALL) at a level covering obj.
func coveringGrantRows(tx *catalog.Tx, a *accountView, r model.RoleID, p model.Privilege, obj model.Object, to string) []string {
	levels := coveringLevels(tx, a, p.Level(), obj)
	want := p.Satisfying()
	var rows []string
	for _, g := range tx.GrantsOf(r) {
		if want.Has(g.Priv) && slices.Contains(levels, g.Level()) {
			rows = append(rows, "GRANT "+g.Priv.Upper()+" ON "+levelName(tx, g.Level())+to+option(g.Option))
		}
	}
	for _, g := range tx.GroupGrantsOf(r) {
		if groupMembers(tx, g.Group)&want != 0 && slices.Contains(levels, g.Level()) {
			rows = append(rows, groupGrantRow(tx, g))
		}
	}
	return rows
}

// coveringLevels returns the stored levels of privilege level l that cover
// obj: ON ACCOUNT for an account privilege; DATABASE * and DATABASE d for a
// database privilege on d or on a table of d; TABLE *.*, TABLE d.* and
// TABLE d.t for a table privilege on d.t.
func coveringLevels(tx *catalog.Tx, a *accountView, l model.Level, obj model.Object) []catalog.LevelKey {
	acct := uint32(a.id)
	var db, table uint32
	switch obj.Kind {
	case model.KindDatabase:
		db = obj.ID
	case model.KindTable:
		table = obj.ID
		if t := tx.Table(model.TableID(obj.ID)); t != nil {
			db = uint32(t.Database)
		}
	}
	switch l {
	case model.LevelAccount:
		return []catalog.LevelKey{{Scope: catalog.ScopeAccount, Object: acct}}
	case model.LevelDatabase:
		return append([]catalog.LevelKey{{Scope: catalog.ScopeAnyDatabase, Object: acct}, {Scope: catalog.ScopeDatabase, Object: db}},
			coveringPatterns(tx, l, db, table)...)
	case model.LevelTable:
		return append([]catalog.LevelKey{{Scope: catalog.ScopeAnyTable, Object: acct},
			{Scope: catalog.ScopeDatabaseTables, Object: db}, {Scope: catalog.ScopeTable, Object: table}},
			coveringPatterns(tx, l, db, table)...)
	}
	return nil
}

// coveringPatterns returns the pattern levels of privilege level l whose
// prefix starts the name of database db (DATABASE p*, TABLE p*.*) or of
// table (TABLE d.q*).
func coveringPatterns(tx *catalog.Tx, l model.Level, db, table uint32) []catalog.LevelKey {
	d := tx.Database(model.DatabaseID(db))
	if d == nil {
		return nil
	}
	var out []catalog.LevelKey
	add := func(o catalog.PatternOwner, scope catalog.Scope, name string) {
		for _, p := range tx.PatternsOf(o) {
			if p.Scope == scope && strings.HasPrefix(name, p.Prefix) {
				out = append(out, p.Level())
			}
		}
	}
	if l == model.LevelDatabase {
		add(catalog.PatternOwner{Account: d.Account}, catalog.ScopeDatabasePattern, d.Name)
		return out
	}
	add(catalog.PatternOwner{Account: d.Account}, catalog.ScopeAnyTablePattern, d.Name)
	if t := tx.Table(model.TableID(table)); t != nil {
		add(catalog.PatternOwner{Account: d.Account, Database: d.ID}, catalog.ScopeTablePattern, t.Name)
	}
	return out
}
