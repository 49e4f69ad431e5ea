package engine

import (
	"maps"
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// WHAT IF (whatifdiff.go) and the levels of reference §15–§16: a change to a
// privilege group changes what every grant of it gives, and a pattern
// level covers the objects whose names match.

// patternEntries returns the grant entries of pattern level l on this side.
func (sd *side) patternEntries(l catalog.LevelKey) []entry {
	p := sd.tx.Pattern(l.Object)
	if p == nil {
		return nil
	}
	x, kind := sd.patternIndex(p)
	if pl, ok := x.exact(kind, p.Prefix); ok && pl.id == p.ID {
		return pl.entries
	}
	return nil
}

// patternIndex returns the prefix index holding pattern p on this side and
// the kind of its level there.
func (sd *side) patternIndex(p *catalog.Pattern) (*prefixIndex, int) {
	kind := patternTables
	if p.Scope == catalog.ScopeDatabasePattern {
		kind = patternDatabase
	}
	if p.Database != 0 {
		if d := sd.s.dbAt(uint32(p.Database)); d != nil {
			return &d.patterns, kind
		}
		return nil, kind
	}
	if a := sd.s.accountAt(uint32(p.Account)); a != nil {
		return &a.patterns, kind
	}
	return nil, kind
}

// changedLevels returns the levels whose grants the statement changed and
// the levels holding a grant of a privilege group whose members it
// changed, on either side.
func (d *differ) changedLevels() map[catalog.LevelKey]bool {
	out := maps.Clone(d.ch.Levels)
	if !d.ch.Groups.Has(d.acc) {
		return out
	}
	for _, sd := range []*side{d.b, d.a} {
		for _, g := range sd.tx.GroupsOf(d.acc) {
			if d.b.groupOf(g.ID) == d.a.groupOf(g.ID) {
				continue
			}
			for _, gg := range sd.tx.GrantsOfGroup(d.acc, g.ID) {
				out[gg.Level()] = true
			}
		}
	}
	return out
}

// groupOf returns the members of custom group id on this side, with
// whether it exists.
func (sd *side) groupOf(id model.GroupID) [2]model.PrivSet {
	if g := sd.tx.Group(id); g != nil {
		return [2]model.PrivSet{g.Privs, 1}
	}
	return [2]model.PrivSet{}
}

// expandPattern adds the (p, o) a holding of privs at pattern level l
// decides: the matching databases (DATABASE p*, with DROP and ALTER TABLE
// on their tables), every table of the matching databases (TABLE p*.*),
// the matching tables of the database (TABLE d.q*).
func (d *differ) expandPattern(c *pending, l catalog.LevelKey, privs model.PrivSet) {
	p := d.a.tx.Pattern(l.Object)
	if p == nil {
		p = d.b.tx.Pattern(l.Object)
	}
	if p == nil {
		return
	}
	switch p.Scope {
	case catalog.ScopeDatabasePattern, catalog.ScopeAnyTablePattern:
		for _, db := range d.databases() {
			if !strings.HasPrefix(d.databaseName(model.DatabaseID(db.ID)), p.Prefix) {
				continue
			}
			if p.Scope == catalog.ScopeDatabasePattern {
				c.add(db, privs&levelPrivileges[model.LevelDatabase])
				c.addTables(d.space.ofDB[model.DatabaseID(db.ID)], false, privs&dbTablePrivs)
			} else {
				c.addTables(d.space.ofDB[model.DatabaseID(db.ID)], false, privs&levelPrivileges[model.LevelTable])
			}
		}
	case catalog.ScopeTablePattern:
		for _, i := range d.space.ofDB[p.Database] {
			if strings.HasPrefix(d.tableBareName(i), p.Prefix) {
				c.addTables([]int32{i}, false, privs&levelPrivileges[model.LevelTable])
			}
		}
	}
}

// databaseName returns the name of database id, from the side where it
// exists, after if both.
func (d *differ) databaseName(id model.DatabaseID) string {
	for _, sd := range []*side{d.a, d.b} {
		if v := sd.s.dbAt(uint32(id)); v != nil {
			return v.name
		}
	}
	return ""
}

// tableBareName returns the name of the table numbered i in the table
// space, from the side where it exists, after if both.
func (d *differ) tableBareName(i int32) string {
	id := d.space.ids[i]
	for _, sd := range []*side{d.a, d.b} {
		if n := sd.s.tableName(id); n != "" {
			return n
		}
	}
	return ""
}
