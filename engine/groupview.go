package engine

import (
	"maps"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Privilege groups (reference §15) in the decision snapshot. A grant of a group
// is stored as an entry of its level whose group field names the group's
// slot in its account; the account view holds each group's current
// members by slot. Changing a group rewrites only that table, so every
// grant of the group changes at once, whatever their number, and a
// decision resolves a group entry with one slice index.

// allPrivs is the option mask of a group entry granted WITH GRANT OPTION:
// the option on whatever the group holds.
const allPrivs = ^model.PrivSet(0)

// groupPrivs returns the current members of the group of slot g; 0 for
// no group.
func (a *accountView) groupPrivs(g uint32) model.PrivSet {
	if a != nil && int(g) < len(a.groups) {
		return a.groups[g]
	}
	return 0
}

// privsOf returns the privileges entry e gives: its own, or its group's
// current members.
func (a *accountView) privsOf(e *entry) model.PrivSet {
	if e.group == 0 {
		return e.privs
	}
	return e.privs | a.groupPrivs(e.group)
}

// optionsOf returns the privileges entry e gives with grant option.
func (a *accountView) optionsOf(e *entry) model.PrivSet {
	if e.group == 0 {
		return e.options
	}
	return e.options & a.privsOf(e)
}

// held reports whether a role of set holds one of want in entries.
func (a *accountView) held(entries []entry, set inherit.Set, want model.PrivSet) bool {
	for i := range entries {
		e := &entries[i]
		privs := e.privs
		if e.group != 0 {
			privs = a.groupPrivs(e.group)
		}
		if privs&want != 0 && set.Has(e.slot) {
			return true
		}
	}
	return false
}

// heldWithOption reports whether a role of set holds one of want with
// grant option in entries.
func (a *accountView) heldWithOption(entries []entry, set inherit.Set, want model.PrivSet) bool {
	for i := range entries {
		if a.optionsOf(&entries[i])&want != 0 && set.Has(entries[i].slot) {
			return true
		}
	}
	return false
}

// heldAny reports whether a role of set holds any privilege of level lvl
// in entries, entries of that level (a group without members of the level
// gives none there).
func (a *accountView) heldAny(entries []entry, set inherit.Set, lvl model.Level) bool {
	return a.held(entries, set, levelPrivileges[lvl])
}

// groupSlot returns the slot of group id in its account, 0 if it does not
// exist.
func (d *deriver) groupSlot(id model.GroupID) uint32 {
	switch id {
	case model.GroupReadOnly:
		return catalog.SlotReadOnly
	case model.GroupReadWrite:
		return catalog.SlotReadWrite
	}
	if g := d.tx.Group(id); g != nil {
		return g.Slot
	}
	return 0
}

// groupEntries appends the entries of the group grants at level l to out.
func (d *deriver) groupEntries(l catalog.LevelKey, out []entry) []entry {
	for _, g := range d.tx.GroupGrantsAt(l) {
		e := entry{slot: d.slotOf(g.Role), group: d.groupSlot(g.Group)}
		if g.Option {
			e.options = allPrivs
		}
		out = append(out, e)
	}
	return out
}

// groupTable returns the members of account a's groups by slot: none at
// 0, the predefined groups at 1 and 2, the custom ones at their slots.
func groupTable(tx *catalog.Tx, a model.AccountID) []model.PrivSet {
	groups := tx.GroupsOf(a)
	n := catalog.FirstGroupSlot
	for _, g := range groups {
		n = max(n, g.Slot+1)
	}
	out := make([]model.PrivSet, n)
	out[catalog.SlotReadOnly], out[catalog.SlotReadWrite] = model.ReadOnlyPrivs, model.ReadWritePrivs
	for _, g := range groups {
		out[g.Slot] = g.Privs
	}
	return out
}

// refreshMilvus completes the views derive rebuilt, and those whose groups
// or pattern levels changed, with what reference §15–§17 add: an account's group
// table and prefix index, a database's name and prefix index. Unchanged
// parts are carried from base, the previous snapshot.
func (d *deriver) refreshMilvus(base *Snapshot, accounts catalog.IDs[model.AccountID], dbs catalog.IDs[model.DatabaseID]) {
	ch := d.ch
	owners := maps.Clone(ch.Patterns)
	if owners == nil {
		owners = map[catalog.PatternOwner]bool{}
	}
	for l := range ch.Levels {
		if l.Scope.IsPattern() {
			if p := d.tx.Pattern(l.Object); p != nil {
				owners[p.Owner()] = true
			}
		}
	}
	accts, databases := accounts.Clone(), dbs.Clone()
	for o := range owners {
		if o.Database == 0 {
			accts.Add(o.Account)
		} else {
			databases.Add(o.Database)
		}
	}
	for id := range accts.All() {
		d.completeAccount(base, id, ch.Groups.Has(id), owners[catalog.PatternOwner{Account: id}])
	}
	for id := range databases.All() {
		d.completeDatabase(base, id, owners)
	}
	d.next.tableNames = d.tx.TableNames()
}

func (d *deriver) completeAccount(base *Snapshot, id model.AccountID, groups, patterns bool) {
	v := d.next.accountAt(uint32(id))
	if v == nil {
		return
	}
	view := *v
	old := base.accountAt(uint32(id))
	if old == nil {
		old = &accountView{}
		groups, patterns = true, true
	}
	view.groups, view.patterns = old.groups, old.patterns
	if groups {
		view.groups = groupTable(d.tx, id)
	}
	if patterns {
		view.patterns = d.patternIndex(catalog.PatternOwner{Account: id}, &old.patterns)
	}
	d.next.accounts = d.next.accounts.Set(d.edit, uint32(id), view)
}

func (d *deriver) completeDatabase(base *Snapshot, id model.DatabaseID, owners map[catalog.PatternOwner]bool) {
	v := d.next.dbAt(uint32(id))
	if v == nil {
		return
	}
	view := *v
	old := base.dbAt(uint32(id))
	if old == nil {
		old = &dbView{}
		if rec := d.tx.Database(id); rec != nil {
			old.name = rec.Name
		}
	}
	view.name, view.patterns = old.name, old.patterns
	if o := (catalog.PatternOwner{Account: view.account, Database: id}); owners[o] {
		view.patterns = d.patternIndex(o, &old.patterns)
	}
	d.next.dbs = d.next.dbs.Set(d.edit, uint32(id), view)
}

// patternIndex builds the prefix index of the pattern levels of o, reusing
// the entries of old for the levels whose grants did not change.
func (d *deriver) patternIndex(o catalog.PatternOwner, old *prefixIndex) prefixIndex {
	ch := d.ch
	var levels []patternEntry
	for _, p := range d.tx.PatternsOf(o) {
		kind := patternTables
		if p.Scope == catalog.ScopeDatabasePattern {
			kind = patternDatabase
		}
		prev, ok := old.exact(kind, p.Prefix)
		entries, deny := prev.entries, prev.deny
		if !ok || prev.id != p.ID || ch.Levels[p.Level()] {
			entries, deny = d.entries(p.Level()), d.denialEntries(p.Level())
		}
		levels = append(levels, patternEntry{kind: kind, prefix: p.Prefix, level: patternLevel{id: p.ID, entries: entries, deny: deny}})
	}
	return buildPrefixIndex(levels)
}

// tableName returns the name of table id, "" if it does not exist. It
// reads the catalog's array of tables of the snapshot's revision: no lock,
// no allocation; only decisions in a database with table-name patterns
// ask.
func (s *Snapshot) tableName(id model.TableID) string { return s.tableNames.Name(id) }

// groupMembers returns the current members of group id as tx sees it.
func groupMembers(tx *catalog.Tx, id model.GroupID) model.PrivSet {
	switch id {
	case model.GroupReadOnly:
		return model.ReadOnlyPrivs
	case model.GroupReadWrite:
		return model.ReadWritePrivs
	}
	if g := tx.Group(id); g != nil {
		return g.Privs
	}
	return 0
}
