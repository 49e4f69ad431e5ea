package engine

import (
	"fmt"
	"slices"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// maxTestID bounds the IDs the snapshot tests look at; test catalogs are
// small.
const maxTestID = 400

// SnapshotDump lists everything a snapshot holds: its catalog (every
// record of every account) and its decision views, one line per item.
func SnapshotDump(s *Snapshot) []string {
	tx := s.read()
	out := []string{fmt.Sprintf("revision %d", s.rev)}
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for _, a := range tx.Accounts() {
		add("account %+v", *a)
		for _, r := range tx.RolesOf(a.ID) {
			add("role %+v", *r)
			for _, g := range tx.GrantsOf(r.ID) {
				add("grant %+v", *g)
			}
			for _, e := range tx.EdgesOf(r.ID) {
				add("edge %+v", *e)
			}
			for _, g := range tx.ColumnGrantsOf(r.ID) {
				add("column grant %+v", *g)
			}
			for _, d := range tx.DenialsOf(r.ID) {
				add("denial %+v", *d)
			}
		}
		for _, u := range tx.UsersOf(a.ID) {
			add("user %+v", *u)
			for _, ur := range tx.RolesOfUser(u.ID) {
				add("user role %+v", *ur)
			}
		}
		for _, d := range tx.DatabasesOf(a.ID) {
			add("database %+v", *d)
			for _, t := range tx.TablesOf(d.ID) {
				add("table %+v", *t)
			}
		}
	}
	return append(out, viewLines(s)...)
}

// viewLines prints every decision view of s with an ID up to maxTestID.
func viewLines(s *Snapshot) []string {
	var out []string
	for i := uint32(1); i <= maxTestID; i++ {
		if v := s.accountAt(i); v != nil {
			out = append(out, fmt.Sprintf("account view %d: %v %v %v %d %d %d %v %v %v %v %s %s", i, v.id, v.status, v.sys,
				v.adminRole, v.adminSlot, v.publicSlot, v.grants, v.anyDB, v.anyTable, v.groups, indexString(&v.patterns), denyString(v.deny)))
		}
		if v := s.userAt(i); v != nil {
			out = append(out, fmt.Sprintf("user view %d: %v %v %v %d %s %s", i, v.account, v.locked, v.admin,
				v.ownerSlot, setString(v.direct), setString(v.secondary)))
		}
		if v := s.roleAt(i); v != nil {
			out = append(out, fmt.Sprintf("role view %d: %v %v %d %d %s", i, v.id, v.account, v.slot, v.ownerSlot,
				setString(v.closure)))
		}
		if v := s.dbAt(i); v != nil {
			out = append(out, fmt.Sprintf("database view %d: %v %d %v %v %q %s %s", i, v.account, v.ownerSlot, v.grants, v.tables,
				v.name, indexString(&v.patterns), dbDenyString(v.deny)))
		}
		if v := s.tableAt(i); v != nil {
			out = append(out, fmt.Sprintf("table view %d: %v %d %#x %v %q", i, v.db, v.ownerSlot(), v.owner&aclDenials, v.entries(),
				s.tableName(model.TableID(i))))
		}
		if acl := s.tableACLAt(i); acl != nil {
			out = append(out, fmt.Sprintf("table ACL %d: %v %v %v", i, acl.deny, acl.colDeny, acl.colGrants))
		}
		if v := s.columnAt(i); v != nil {
			line := fmt.Sprintf("column view %d: %v", i, v.table)
			if v.acl != nil {
				line += fmt.Sprintf(" %v %v", v.acl.grants, v.acl.deny)
			}
			out = append(out, line)
		}
	}
	return out
}

// denyString prints the denial part of an account view.
func denyString(d *accountDeny) string {
	if d == nil {
		return "no denials"
	}
	return fmt.Sprintf("denials %v %v %v holders %v", d.account, d.anyDB, d.anyTable, d.holders)
}

// dbDenyString prints the denial part of a database view.
func dbDenyString(d *dbDeny) string {
	if d == nil {
		return "no denials"
	}
	return fmt.Sprintf("denials %v %v", d.db, d.tables)
}

// indexString lists the prefixes of a pattern index with their levels, in
// prefix order.
func indexString(x *prefixIndex) string {
	var out []string
	for _, n := range x.nodes {
		out = append(out, fmt.Sprintf("%q:%v", x.text[n.off:n.off+n.n], n.levels))
	}
	slices.Sort(out)
	return fmt.Sprint(out)
}

// setString lists the slots of a set.
func setString(s inherit.Set) string {
	var slots []uint32
	for i := uint32(0); i < uint32(len(s))*64; i++ {
		if s.Has(i) {
			slots = append(slots, i)
		}
	}
	return fmt.Sprint(slots)
}

// TableDenialBits reports what the view of table id says its ACL holds:
// denials at the table's level, denials on some column of it.
func TableDenialBits(s *Snapshot, id model.TableID) (table, columns bool) {
	v := s.tableAt(uint32(id))
	if v == nil {
		return false, false
	}
	return v.owner&tableDenials != 0, v.owner&columnDenials != 0
}

// VerifySnapshot checks that the decision views of s, derived commit by
// commit, are exactly those derived from scratch from its catalog: every
// table, grant, owner, role closure and user view agrees with the catalog
// of the same revision, and nothing dropped is left behind.
func VerifySnapshot(s *Snapshot) error {
	tx := s.read()
	all := &catalog.Changes{Levels: map[catalog.LevelKey]bool{}, Patterns: map[catalog.PatternOwner]bool{}}
	for _, a := range tx.Accounts() {
		all.Accounts.Add(a.ID)
		all.Groups.Add(a.ID)
		for _, p := range tx.PatternsOfAccount(a.ID) {
			all.Patterns[p.Owner()] = true
		}
		for _, r := range tx.RolesOf(a.ID) {
			all.Roles.Add(r.ID)
			for _, g := range tx.GrantsOf(r.ID) {
				all.Levels[g.Level()] = true
			}
			for _, g := range tx.ColumnGrantsOf(r.ID) {
				all.Levels[g.Level()] = true
			}
			for _, d := range tx.DenialsOf(r.ID) {
				all.Levels[d.Level()] = true
			}
			for _, g := range tx.GroupGrantsOf(r.ID) {
				all.Levels[g.Level()] = true
			}
		}
		for _, u := range tx.UsersOf(a.ID) {
			all.Users.Add(u.ID)
		}
		for _, d := range tx.DatabasesOf(a.ID) {
			all.Databases.Add(d.ID)
			for _, t := range tx.TablesOf(d.ID) {
				all.Tables.Add(t.ID)
			}
		}
	}
	scratch := (&Snapshot{}).deriveWith(tx, all)
	got, want := viewLines(s), viewLines(scratch)
	if !slices.Equal(got, want) {
		return fmt.Errorf("the snapshot's views differ from those derived from its catalog:\n got: %q\nwant: %q", got, want)
	}
	return nil
}
