package engine

import (
	"iter"
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// kindPrivileges are the privileges introspection considers on an object
// of each kind (reference §21): those of the object's level, its ALL included,
// and those its §8 "also allowed by" row decides there; never cluster
// privileges.
var kindPrivileges = func() map[model.Kind]model.PrivSet {
	out := map[model.Kind]model.PrivSet{
		model.KindDatabase: model.PrivDropDatabase.Bit(),
		model.KindTable:    model.PrivDropTable.Bit() | model.PrivAlterTable.Bit(),
		model.KindRole:     model.PrivDropRole.Bit(),
		model.KindUser:     model.PrivDropUser.Bit() | model.PrivAlterUser.Bit(),
		model.KindColumn:   model.ColumnPrivs,
	}
	for i := range model.Privileges {
		p := model.Privilege(i)
		for _, k := range []model.Kind{model.KindAccount, model.KindDatabase, model.KindTable} {
			if p.Level() == k.Level() {
				out[k] |= p.Bit()
			}
		}
	}
	return out
}()

// KindPrivileges returns the privileges introspection asks about an object
// of kind k: those of its level (ALL included) and those decided there by
// reference §8's "also allowed by" rows (DROP DATABASE on a database, DROP and
// ALTER TABLE on a table, DROP ROLE on a role, DROP and ALTER USER on a
// user).
func KindPrivileges(k model.Kind) model.PrivSet { return kindPrivileges[k] }

// privilegesOf yields the privileges of set in the order of reference §3.
func privilegesOf(set model.PrivSet) iter.Seq[model.Privilege] {
	return func(yield func(model.Privilege) bool) {
		for i := range model.Privileges {
			if p := model.Privilege(i); set.Has(p) && !yield(p) {
				return
			}
		}
	}
}

// Privileges returns the privileges of [KindPrivileges] that
// [Snapshot.Check] allows on object on for user, acting through
// activeRole with sec (reference §19, SHOW PRIVILEGES).
func (s *Snapshot) Privileges(user model.UserID, activeRole model.RoleID, sec Secondary, on model.Object) model.PrivSet {
	var out model.PrivSet
	for p := range privilegesOf(kindPrivileges[on.Kind]) {
		if s.Check(user, activeRole, sec, p, on).Allowed {
			out |= p.Bit()
		}
	}
	return out
}

// Question is one decision of a batch: the arguments of [Snapshot.Check].
type Question struct {
	User      model.UserID
	Role      model.RoleID
	Secondary Secondary
	Privilege model.Privilege
	Object    model.Object
}

// CheckBatch decides every question on this one snapshot and appends the
// decisions to out, in order; pass a slice with room to avoid allocating.
func (s *Snapshot) CheckBatch(qs []Question, out []Decision) []Decision {
	for _, q := range qs {
		out = append(out, s.Check(q.User, q.Role, q.Secondary, q.Privilege, q.Object))
	}
	return out
}

// Objects yields, by ID ascending, the objects of kind k in user's account
// on which [Snapshot.Check] allows p for user acting through activeRole
// with sec: OpenFGA's ListObjects. It starts from what S holds (its grants,
// what it owns, the admin role) rather than from every object of the
// account: every database or table it reaches that way is allowed, so only
// roles and users (few, and decided by account grants and ownership) are
// decided one by one. The answer is gathered when iteration starts.
func (s *Snapshot) Objects(user model.UserID, activeRole model.RoleID, sec Secondary, p model.Privilege, k model.Kind) iter.Seq[model.Object] {
	return func(yield func(model.Object) bool) {
		if p == model.PrivAll {
			p = k.Level().All()
		}
		if s == nil || s.stale {
			return
		}
		for _, id := range s.objects(user, activeRole, sec, p, k) {
			if !yield(model.Object{Kind: k, ID: id}) {
				return
			}
		}
	}
}

// objects returns the IDs of the objects Objects yields.
func (s *Snapshot) objects(user model.UserID, activeRole model.RoleID, sec Secondary, p model.Privilege, k model.Kind) []uint32 {
	u := s.userAt(uint32(user))
	r := s.roleAt(uint32(activeRole))
	if u == nil || r == nil || r.account != u.account || !u.direct.Has(r.slot) || !fitsKind(p, k) {
		return nil
	}
	a := s.accountAt(uint32(u.account))
	if _, ok := gate(a, u, p); !ok {
		return nil
	}
	set := r.closure
	if sec == SecondaryAll && !p.Info().Creation {
		set = u.secondary
	}
	x := s.index(a.id)
	var out []uint32
	switch k {
	case model.KindAccount:
		if s.decide(a, set, r.id, p, model.AccountObject(a.id)).Allowed {
			out = append(out, uint32(a.id))
		}
	case model.KindRole:
		for _, id := range x.roles {
			if id != 0 && s.decide(a, set, r.id, p, model.RoleObject(id)).Allowed {
				out = append(out, uint32(id))
			}
		}
		slices.Sort(out)
	case model.KindUser:
		for _, id := range x.users {
			if s.decide(a, set, r.id, p, model.UserObject(id)).Allowed {
				out = append(out, uint32(id))
			}
		}
	case model.KindDatabase:
		out = s.databasesHeld(x, a, set, p)
	case model.KindTable:
		out = s.tablesHeld(x, a, set, p)
	}
	if a.deny != nil && (k == model.KindDatabase || k == model.KindTable) {
		out = s.keepAllowed(a, set, r.id, p, k, out)
	}
	return out
}

// databasesHeld returns the databases on which S holds database privilege
// p (or DROP DATABASE): all of them for the admin role, DATABASE * or an
// account grant; else those of its DATABASE d and DATABASE p* grants
// (privilege groups resolved) and those it owns.
func (s *Snapshot) databasesHeld(x *acctIndex, a *accountView, set inherit.Set, p model.Privilege) []uint32 {
	want := p.Satisfying()
	all := set.Has(a.adminSlot) || a.held(a.anyDB, set, want) || a.held(a.grants, set, want)
	picked := newBitmap(len(x.dbs))
	tx := s.read()
	for slot := range slotsOf(set) {
		if all {
			break
		}
		r := x.role(slot)
		if r == 0 {
			continue
		}
		for _, h := range roleHoldings(tx, r) {
			if h.privs&want == 0 {
				continue
			}
			switch h.level.Scope {
			case catalog.ScopeDatabase:
				x.pickDatabase(picked, model.DatabaseID(h.level.Object))
			case catalog.ScopeDatabasePattern:
				s.pickMatching(x, picked, tx.Pattern(h.level.Object))
			}
		}
		for _, o := range x.ownedBy(slot) {
			if o.Kind == model.KindDatabase {
				x.pickDatabase(picked, model.DatabaseID(o.ID))
			}
		}
	}
	var out []uint32
	for i, d := range x.dbs {
		if all || picked.has(int32(i)) {
			out = append(out, uint32(d))
		}
	}
	return out
}

// pickDatabase sets the position of database d in picked.
func (x *acctIndex) pickDatabase(picked bitmap, d model.DatabaseID) {
	if i, ok := slices.BinarySearch(x.dbs, d); ok {
		picked.set(int32(i))
	}
}

// pickMatching sets in picked the databases whose name starts pattern p's
// prefix.
func (s *Snapshot) pickMatching(x *acctIndex, picked bitmap, p *catalog.Pattern) {
	if p == nil {
		return
	}
	for i, d := range x.dbs {
		if v := s.dbAt(uint32(d)); v != nil && strings.HasPrefix(v.name, p.Prefix) {
			picked.set(int32(i))
		}
	}
}

// holding is what a role holds at one level: a privilege grant, or a
// privilege group's current members.
type holding struct {
	level catalog.LevelKey
	privs model.PrivSet
}

// roleHoldings returns the privilege and group grants of role r.
func roleHoldings(tx *catalog.Tx, r model.RoleID) []holding {
	var out []holding
	for _, g := range tx.GrantsOf(r) {
		out = append(out, holding{g.Level(), g.Priv.Bit()})
	}
	for _, g := range tx.GroupGrantsOf(r) {
		out = append(out, holding{g.Level(), groupMembers(tx, g.Group)})
	}
	return out
}

// tablesHeld returns the tables on which S holds p: all of them for the
// admin role or a grant at TABLE *.* (DATABASE * for DROP and ALTER
// TABLE); else those of its TABLE d.*, TABLE p*.*, TABLE d.q* and TABLE
// d.t grants (DATABASE d and DATABASE p*), privilege groups resolved, those
// it owns and those of the databases it owns (for DROP and ALTER TABLE).
func (s *Snapshot) tablesHeld(x *acctIndex, a *accountView, set inherit.Set, p model.Privilege) []uint32 {
	want := p.Satisfying()
	dbLevel := p.Level() == model.LevelDatabase // DROP and ALTER TABLE, from the database
	if set.Has(a.adminSlot) || a.held(a.anyTable, set, want) || dbLevel && a.held(a.anyDB, set, want) {
		out := make([]uint32, len(x.tables))
		for i, t := range x.tables {
			out[i] = uint32(t)
		}
		return out
	}
	picked := newBitmap(len(x.tables))
	pickDB := func(d model.DatabaseID) {
		for _, i := range x.tablesOf[d] {
			picked.set(i)
		}
	}
	pick := func(t model.TableID) {
		if i := x.tablePos(t); i >= 0 {
			picked.set(i)
		}
	}
	tx := s.read()
	for slot := range slotsOf(set) {
		r := x.role(slot)
		if r == 0 {
			continue
		}
		for _, h := range roleHoldings(tx, r) {
			if h.privs&want == 0 {
				continue
			}
			switch sc := h.level.Scope; {
			case sc == catalog.ScopeTable:
				pick(model.TableID(h.level.Object))
			case sc == catalog.ScopeDatabaseTables, sc == catalog.ScopeDatabase && dbLevel:
				pickDB(model.DatabaseID(h.level.Object))
			case sc == catalog.ScopeAnyTablePattern, sc == catalog.ScopeDatabasePattern && dbLevel:
				dbs := newBitmap(len(x.dbs))
				s.pickMatching(x, dbs, tx.Pattern(h.level.Object))
				for i := range dbs.all() {
					pickDB(x.dbs[i])
				}
			case sc == catalog.ScopeTablePattern:
				if pt := tx.Pattern(h.level.Object); pt != nil {
					for _, t := range x.tableIDs(pt.Database) {
						if strings.HasPrefix(s.tableName(t), pt.Prefix) {
							pick(t)
						}
					}
				}
			}
		}
		for _, o := range x.ownedBy(slot) {
			switch {
			case o.Kind == model.KindTable:
				pick(model.TableID(o.ID))
			case o.Kind == model.KindDatabase && dbLevel:
				pickDB(model.DatabaseID(o.ID))
			}
		}
	}
	var out []uint32
	for i := range picked.all() {
		out = append(out, uint32(x.tables[i]))
	}
	return out
}
