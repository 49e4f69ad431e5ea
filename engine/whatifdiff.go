package engine

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// The difference WHAT IF reports, between the snapshot a statement starts
// from (before) and the one it would publish (after), for the users of one
// account. A user's "can" on (p, o) depends only on the user's state (lock,
// existence, the account's state) and on S, the union of the closures of
// its direct roles: p is allowed iff a role of S holds p or its level's ALL
// at a level covering o, owns o (or o's database, for DROP and ALTER
// TABLE), or is the admin role. So a (user, p, o) can change only through:
//
//   - o being created or dropped: answered exactly, per privilege, by
//     WhoCan on both sides;
//   - the user's state changing: everything it could do on either side;
//   - a role entering or leaving S: what that role holds on either side;
//   - a level whose grants changed for a role of S, or an object whose
//     owner changed between roles of S.
//
// Those give, per user, the levels, owned objects and admin flag to compare
// ("keys"); a key whose privileges differ between the sides expands into
// candidate (p, o), and each candidate is decided exactly on both sides. A
// gain can only come from a key that gained, a loss from one that lost, and
// rows sort gains before losses and then by user, so expansion runs user by
// user in row order and stops at the row limit: a revoke that touches
// thousands of users expands only the first few.

// side is one of the two states compared.
type side struct {
	s      *Snapshot
	a      *accountView // nil when the account does not exist
	x      *acctIndex
	tx     *catalog.Tx
	grants map[model.RoleID][]catalog.LevelKey
}

func newSide(s *Snapshot, acc model.AccountID) *side {
	return &side{s: s, a: s.accountAt(uint32(acc)), x: s.index(acc), tx: s.read(),
		grants: map[model.RoleID][]catalog.LevelKey{}}
}

// user returns user id's view on this side, nil if it is not a user of the
// compared account here.
func (sd *side) user(id model.UserID) *userView {
	if v := sd.s.userAt(uint32(id)); v != nil && sd.a != nil && v.account == sd.a.id {
		return v
	}
	return nil
}

// levelsOf returns the levels of role r's privilege and group grants on
// this side.
func (sd *side) levelsOf(r model.RoleID) []catalog.LevelKey {
	g, ok := sd.grants[r]
	if !ok {
		for _, h := range roleHoldings(sd.tx, r) {
			g = append(g, h.level)
		}
		sd.grants[r] = g
	}
	return g
}

// entries returns the grant entries stored at level l on this side.
func (sd *side) entries(l catalog.LevelKey) []entry {
	switch l.Scope {
	case catalog.ScopeAccount, catalog.ScopeAnyDatabase, catalog.ScopeAnyTable:
		a := sd.s.accountAt(l.Object)
		if a == nil {
			return nil
		}
		switch l.Scope {
		case catalog.ScopeAccount:
			return a.grants
		case catalog.ScopeAnyDatabase:
			return a.anyDB
		}
		return a.anyTable
	case catalog.ScopeDatabase, catalog.ScopeDatabaseTables:
		d := sd.s.dbAt(l.Object)
		if d == nil {
			return nil
		}
		if l.Scope == catalog.ScopeDatabase {
			return d.grants
		}
		return d.tables
	case catalog.ScopeTable:
		if t := sd.s.tableAt(l.Object); t != nil {
			return t.entries()
		}
	case catalog.ScopeColumn:
		if c := sd.s.columnAt(l.Object); c != nil && c.acl != nil {
			return c.acl.grants
		}
	case catalog.ScopeDatabasePattern, catalog.ScopeAnyTablePattern, catalog.ScopeTablePattern:
		return sd.patternEntries(l)
	}
	return nil
}

// levelAccount returns the account of level l on this side, 0 if its
// object does not exist here.
func (sd *side) levelAccount(l catalog.LevelKey) model.AccountID {
	switch l.Scope {
	case catalog.ScopeAccount, catalog.ScopeAnyDatabase, catalog.ScopeAnyTable:
		return model.AccountID(l.Object)
	case catalog.ScopeDatabase, catalog.ScopeDatabaseTables:
		if d := sd.s.dbAt(l.Object); d != nil {
			return d.account
		}
	case catalog.ScopeTable:
		if t := sd.s.tableAt(l.Object); t != nil {
			return sd.s.tableAccount(t)
		}
	case catalog.ScopeColumn:
		return sd.objectAccount(model.ColumnObject(model.ColumnID(l.Object)))
	case catalog.ScopeDatabasePattern, catalog.ScopeAnyTablePattern, catalog.ScopeTablePattern:
		if p := sd.tx.Pattern(l.Object); p != nil {
			return p.Account
		}
	}
	return 0
}

// privsAt returns the privileges the roles of set hold at level l,
// privilege groups resolved.
func (sd *side) privsAt(l catalog.LevelKey, set inherit.Set) model.PrivSet {
	var out model.PrivSet
	entries := sd.entries(l)
	for i := range entries {
		if set.Has(entries[i].slot) {
			out |= sd.a.privsOf(&entries[i])
		}
	}
	return out
}

// owner returns the owner slot of object o on this side, noSlot if o does
// not exist here; ok reports whether it exists.
func (sd *side) owner(o model.Object) (slot uint32, ok bool) {
	switch o.Kind {
	case model.KindDatabase:
		if v := sd.s.dbAt(o.ID); v != nil {
			return v.ownerSlot, true
		}
	case model.KindTable:
		if v := sd.s.tableAt(o.ID); v != nil {
			return v.ownerSlot(), true
		}
	case model.KindRole:
		if v := sd.s.roleAt(o.ID); v != nil {
			return v.ownerSlot, true
		}
	case model.KindUser:
		if v := sd.s.userAt(o.ID); v != nil {
			return v.ownerSlot, true
		}
	}
	return noSlot, false
}

// objectAccount returns the account of object o on this side, 0 if o does
// not exist here.
func (sd *side) objectAccount(o model.Object) model.AccountID {
	if a := sd.s.objectAccount(o); a != nil {
		return a.id
	}
	return 0
}

// triple is a (privilege, object) a user may gain or lose.
type triple struct {
	p model.Privilege
	o model.Object
}

// keys are what one user may have gained or lost: privileges at levels,
// owned objects, the admin role, and exact changes on created or dropped
// objects.
type keys struct {
	levels map[catalog.LevelKey]model.PrivSet
	owned  []model.Object
	admin  bool
	exact  []triple
}

func (k *keys) empty() bool {
	return len(k.levels) == 0 && len(k.owned) == 0 && !k.admin && len(k.exact) == 0
}

// userDiff is one examined user: its name as rows print it, and its state
// on both sides.
type userDiff struct {
	id         model.UserID
	name       string
	setB, setA inherit.Set // S before and after; nil where the user is not
	whole      bool        // its state changed: compare everything it holds
}

// differ computes the WHAT IF changes for one account.
type differ struct {
	acc     model.AccountID
	b, a    *side
	ch      *catalog.Changes
	levels  map[catalog.LevelKey][]uint32 // changed levels: the slots whose privileges changed there
	owners  map[[2]uint32][]model.Object  // objects whose owner changed, by (before, after) owner slot
	exact   map[model.UserID][]exactChange
	allGate bool // the account's state changed: every user is compared whole
	denials bool // the account has denials on a side: every examined user is compared whole
	users   map[model.UserID]bool
	names   map[model.Object]string
	space   *tableSpace // the tables of both sides, once expansion needs them
	dbNames map[model.DatabaseID]string
}

// exactChange is a change on a created or dropped object, found by WhoCan.
type exactChange struct {
	t      triple
	gained bool
}

func newDiffer(before, after *Snapshot, ch *catalog.Changes, acc model.AccountID) *differ {
	d := &differ{acc: acc, b: newSide(before, acc), a: newSide(after, acc), ch: ch,
		denials: hasDenials(before, acc) || hasDenials(after, acc),
		levels:  map[catalog.LevelKey][]uint32{}, owners: map[[2]uint32][]model.Object{},
		exact: map[model.UserID][]exactChange{}, users: map[model.UserID]bool{}, names: map[model.Object]string{},
		dbNames: map[model.DatabaseID]string{}}
	d.examine()
	return d
}

// examine finds the users whose access may have changed, and the changed
// levels, owners and objects.
func (d *differ) examine() {
	b, a := d.b, d.a
	if b.a == nil || a.a == nil || b.a.status != a.a.status {
		d.allGate = true
		for _, sd := range []*side{b, a} {
			for _, u := range sd.x.users {
				d.users[u] = true
			}
		}
	}
	for u := range d.ch.Users.All() {
		if b.user(u) != nil || a.user(u) != nil {
			d.users[u] = true
		}
	}
	var roots []uint32
	for r := range d.ch.Roles.All() {
		for _, sd := range []*side{b, a} {
			if v := sd.s.roleAt(uint32(r)); v != nil && v.account == d.acc {
				roots = append(roots, v.slot)
			}
		}
	}
	for l := range d.changedLevels() {
		if b.levelAccount(l) != d.acc && a.levelAccount(l) != d.acc {
			continue
		}
		slots := changedSlots(b, a, l)
		slots = append(slots, changedDenialSlots(b.denials(l), a.denials(l))...)
		if len(slots) > 0 {
			d.levels[l] = slots
			roots = append(roots, slots...)
		}
	}
	for _, o := range d.changedObjects() {
		ob, inB := b.owner(o)
		oa, inA := a.owner(o)
		switch {
		case inB && inA && ob != oa:
			d.owners[[2]uint32{ob, oa}] = append(d.owners[[2]uint32{ob, oa}], o)
			roots = append(roots, ob, oa)
		case inB != inA:
			d.existence(o)
		}
	}
	d.examineColumns()
	for _, sd := range []*side{b, a} {
		if sd.a == nil {
			continue
		}
		for _, u := range sd.x.usersReaching(roots, sd.a.publicSlot) {
			d.users[u] = true
		}
	}
}

// changedObjects returns the objects of the account the transaction
// touched (their records), on either side.
func (d *differ) changedObjects() []model.Object {
	var out []model.Object
	add := func(o model.Object) {
		if d.b.objectAccount(o) == d.acc || d.a.objectAccount(o) == d.acc {
			out = append(out, o)
		}
	}
	for id := range d.ch.Databases.All() {
		add(model.DatabaseObject(id))
	}
	for id := range d.ch.Tables.All() {
		add(model.TableObject(id))
	}
	for id := range d.ch.Roles.All() {
		add(model.RoleObject(id))
	}
	for id := range d.ch.Users.All() {
		add(model.UserObject(id))
	}
	return out
}

// existence records the exact changes on object o, created or dropped:
// per privilege, the users who can on one side and not on the other.
func (d *differ) existence(o model.Object) {
	for p := range privilegesOf(kindPrivileges[o.Kind]) {
		hb, ha := d.b.s.WhoCan(p, o).Users, d.a.s.WhoCan(p, o).Users
		for _, u := range hb {
			if _, found := slices.BinarySearch(ha, u); !found {
				d.exact[u] = append(d.exact[u], exactChange{triple{p, o}, false})
				d.users[u] = true
			}
		}
		for _, u := range ha {
			if _, found := slices.BinarySearch(hb, u); !found {
				d.exact[u] = append(d.exact[u], exactChange{triple{p, o}, true})
				d.users[u] = true
			}
		}
	}
}

// changedSlots returns the slots whose privileges at level l differ
// between the sides b and a, privilege groups resolved.
func changedSlots(b, a *side, l catalog.LevelKey) []uint32 {
	privs := map[uint32][2]model.PrivSet{}
	for i, sd := range []*side{b, a} {
		entries := sd.entries(l)
		for j := range entries {
			e := &entries[j]
			v := privs[e.slot]
			v[i] |= sd.a.privsOf(e)
			privs[e.slot] = v
		}
	}
	var out []uint32
	for slot, v := range privs {
		if v[0] != v[1] {
			out = append(out, slot)
		}
	}
	slices.Sort(out)
	return out
}

// usersReaching returns the users holding directly a role that inherits
// one of from (every user when from holds public), locked ones included.
func (x *acctIndex) usersReaching(from []uint32, public uint32) []model.UserID {
	if len(from) == 0 {
		return nil
	}
	reached := x.reach(from, public)
	if reached.Has(public) {
		return x.users
	}
	var out []model.UserID
	for slot := range slotsOf(reached) {
		if int(slot) < len(x.holders) {
			for _, u := range x.holders[slot] {
				out = append(out, x.users[u])
			}
		}
	}
	return out
}

// examineUser returns user u's state on both sides.
func (d *differ) examineUser(u model.UserID) *userDiff {
	vb, va := d.b.user(u), d.a.user(u)
	ud := &userDiff{id: u, name: d.userName(u)}
	if vb != nil {
		ud.setB = vb.secondary
	}
	if va != nil {
		ud.setA = va.secondary
	}
	ud.whole = d.allGate || d.denials || vb == nil || va == nil || vb.locked != va.locked || vb.admin != va.admin
	return ud
}

// keys returns what user ud may have gained (or lost): a gain at a level,
// of an owned object or of the admin role comes from a role that entered
// S (all of S when the user is compared whole), or from a level or owner
// that changed; a loss likewise from a role that left S.
func (d *differ) keys(ud *userDiff, gained bool) *keys {
	// mine is the side the holding is on, other the side compared with.
	mine, other, set, otherSet := d.a, d.b, ud.setA, ud.setB
	if !gained {
		mine, other, set, otherSet = d.b, d.a, ud.setB, ud.setA
	}
	k := &keys{levels: map[catalog.LevelKey]model.PrivSet{}}
	levels := map[catalog.LevelKey]bool{}
	owned := map[model.Object]bool{}
	for slot := range slotsOf(entering(set, otherSet, ud.whole)) {
		r := mine.x.role(slot)
		if r == 0 {
			continue
		}
		for _, l := range mine.levelsOf(r) {
			levels[l] = true
		}
		for _, g := range mine.tx.ColumnGrantsOf(r) {
			levels[g.Level()] = true
		}
		for _, o := range mine.x.ownedBy(slot) {
			owned[o] = true
		}
	}
	for l, slots := range d.levels {
		if slices.ContainsFunc(slots, set.Has) {
			levels[l] = true
		}
	}
	for pair, objs := range d.owners {
		before, after := pair[0], pair[1]
		if !gained {
			before, after = after, before
		}
		if set.Has(after) && (ud.whole || !otherSet.Has(before)) {
			for _, o := range objs {
				owned[o] = true
			}
		}
	}
	for l := range levels {
		privs := mine.privsAt(l, set)
		if !ud.whole {
			privs &^= other.privsAt(l, otherSet)
		}
		if privs != 0 {
			k.levels[l] = privs
		}
	}
	for o := range owned {
		if slot, _ := mine.owner(o); set.Has(slot) {
			k.owned = append(k.owned, o)
		}
	}
	if mine.a != nil && set.Has(mine.a.adminSlot) && (ud.whole || other.a == nil || !otherSet.Has(other.a.adminSlot)) {
		k.admin = true
	}
	for _, c := range d.exact[ud.id] {
		if c.gained == gained {
			k.exact = append(k.exact, c.t)
		}
	}
	return k
}

// entering returns the roles of set not in other: those entering S on the
// side of set; all of set when the user is compared whole.
func entering(set, other inherit.Set, whole bool) inherit.Set {
	if whole {
		return set
	}
	out := make(inherit.Set, len(set))
	for i, w := range set {
		if i < len(other) {
			w &^= other[i]
		}
		out[i] = w
	}
	return out
}

// changes returns the first limit changes in row order, and whether there
// were more.
func (d *differ) changes(limit int) ([]AccessChange, bool) {
	users := make([]*userDiff, 0, len(d.users))
	for u := range d.users {
		users = append(users, d.examineUser(u))
	}
	// Rows of different users never share a prefix longer than "+ "
	// followed by the name and a space, so ordering users by that orders
	// their rows.
	slices.SortFunc(users, func(x, y *userDiff) int { return strings.Compare(x.name+" ", y.name+" ") })
	var out []AccessChange
	for _, gained := range []bool{true, false} {
		for _, ud := range users {
			k := d.keys(ud, gained)
			if k.empty() {
				continue
			}
			out = append(out, d.userChanges(ud, k, gained, limit-len(out))...)
			if len(out) > limit {
				return out[:limit], true
			}
		}
	}
	return out, false
}

// userChanges expands k into candidates, decides each on both sides and
// returns the changes of the given sign in row order: at least budget+1
// of them when there are that many (the rest may be left out).
func (d *differ) userChanges(ud *userDiff, k *keys, gained bool, budget int) []AccessChange {
	c := d.newPending()
	for l, privs := range k.levels {
		d.expandLevel(c, l, privs)
	}
	for _, o := range k.owned {
		d.expandOwned(c, o)
	}
	if k.admin {
		d.expandAll(c)
	}
	for _, t := range k.exact {
		if t.o.Kind == model.KindTable {
			d.addTable(c, model.TableID(t.o.ID), t.p.Bit())
		} else {
			c.add(t.o, t.p.Bit())
		}
	}
	d.expandColumns(c)
	sign := "- "
	if gained {
		sign = "+ "
	}
	var out []AccessChange
	var rows []AccessChange
	for i, p := range rowOrder {
		emit := func(o model.Object, name func() string) {
			cb, ca := d.b.s.userCan(ud.id, p, o), d.a.s.userCan(ud.id, p, o)
			if cb != ca && ca == gained {
				rows = append(rows, AccessChange{Gained: gained, User: ud.id, Privilege: p, Object: o,
					Row: sign + ud.name + " " + p.Upper() + " ON " + name()})
			}
		}
		for pos := range c.tables[p].all() {
			emit(model.TableObject(d.space.ids[pos]), func() string { return d.tableName(pos) })
		}
		others := c.other[p]
		slices.SortFunc(others, func(x, y model.Object) int { return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.ID, y.ID)) })
		for _, o := range slices.Compact(others) {
			emit(o, func() string { return d.objectName(o) })
		}
		if i+1 < len(rowOrder) && rowOrder[i+1].Upper() == p.Upper() {
			continue // the ALLs of several levels print alike: sort their rows together
		}
		slices.SortFunc(rows, func(x, y AccessChange) int { return strings.Compare(x.Row, y.Row) })
		out = append(out, rows...)
		rows = rows[:0]
		if len(out) > budget {
			break
		}
	}
	return out
}

// rowOrder lists the privileges in the order of their rows: by the text
// `<PRIV> ON ` that starts every row after the user's name.
var rowOrder = func() []model.Privilege {
	var out []model.Privilege
	for i := range model.Privileges {
		if p := model.Privilege(i); p.Level() != model.LevelNone && p.Level() != model.LevelCluster {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y model.Privilege) int { return strings.Compare(x.Upper()+" ON ", y.Upper()+" ON ") })
	return out
}()

// tableSpace numbers the tables of both sides: those after the statement
// at their position in its index, then those only before it.
type tableSpace struct {
	ids   []model.TableID
	fromB []int32 // position before -> number here
	ofDB  map[model.DatabaseID][]int32
	names []string // the row name of each, once asked
}

func newTableSpace(b, a *acctIndex) *tableSpace {
	ts := &tableSpace{ids: slices.Clone(a.tables), fromB: make([]int32, len(b.tables)), ofDB: map[model.DatabaseID][]int32{}}
	j := 0
	for i, t := range b.tables {
		for j < len(a.tables) && a.tables[j] < t {
			j++
		}
		if j < len(a.tables) && a.tables[j] == t {
			ts.fromB[i] = int32(j)
		} else {
			ts.fromB[i] = int32(len(ts.ids))
			ts.ids = append(ts.ids, t)
		}
	}
	maps.Copy(ts.ofDB, a.tablesOf)
	for db, pos := range b.tablesOf {
		for _, p := range pos {
			if n := ts.fromB[p]; int(n) >= len(a.tables) {
				ts.ofDB[db] = append(slices.Clip(ts.ofDB[db]), n)
			}
		}
	}
	ts.names = make([]string, len(ts.ids))
	return ts
}

// pending are the candidates of one user and sign, by privilege: tables as
// numbers of the table space, other objects in a list.
type pending struct {
	n      int
	tables [model.PrivAll]bitmap
	other  [model.PrivAll][]model.Object
}

func (d *differ) newPending() *pending {
	if d.space == nil {
		d.space = newTableSpace(d.b.x, d.a.x)
	}
	return &pending{n: len(d.space.ids)}
}

// add adds (p, o) for every p of privs, o not a table.
func (c *pending) add(o model.Object, privs model.PrivSet) {
	for p := range privilegesOf(privs) {
		c.other[p] = append(c.other[p], o)
	}
}

// addTables adds (p, t) for every p of privs and every table numbered in
// nums (every table when nums is nil and all is set).
func (c *pending) addTables(nums []int32, all bool, privs model.PrivSet) {
	for p := range privilegesOf(privs) {
		if c.tables[p] == nil {
			c.tables[p] = newBitmap(c.n)
		}
		if all {
			for i := range c.n {
				c.tables[p].set(int32(i))
			}
			continue
		}
		for _, i := range nums {
			c.tables[p].set(i)
		}
	}
}

// levelPrivileges are the privileges of each level, ALL included.
var levelPrivileges = func() map[model.Level]model.PrivSet {
	out := map[model.Level]model.PrivSet{}
	for i := range model.Privileges {
		p := model.Privilege(i)
		out[p.Level()] |= p.Bit()
	}
	return out
}()

// dbTablePrivs are the privileges a database level gives on its tables.
const dbTablePrivs = model.PrivSet(1)<<model.PrivDropTable | model.PrivSet(1)<<model.PrivAlterTable

// expandLevel adds the (p, o) a holding of privs at level l decides: the
// objects l covers, with the privileges of their kind, ALL standing for
// every privilege of the level; and the "also allowed by" objects
// (databases, roles and users from the account, tables from a database
// level).
func (d *differ) expandLevel(c *pending, l catalog.LevelKey, privs model.PrivSet) {
	for _, lv := range []model.Level{model.LevelAccount, model.LevelDatabase, model.LevelTable} {
		if privs.Has(lv.All()) {
			privs |= levelPrivileges[lv]
		}
	}
	db := model.DatabaseID(l.Object)
	switch l.Scope {
	case catalog.ScopeAccount:
		c.add(model.AccountObject(d.acc), privs&levelPrivileges[model.LevelAccount])
		d.addAll(c, d.databases(), privs&model.PrivDropDatabase.Bit())
		d.addAll(c, d.roles(), privs&model.PrivDropRole.Bit())
		d.addAll(c, d.principals(), privs&(model.PrivDropUser.Bit()|model.PrivAlterUser.Bit()))
	case catalog.ScopeAnyDatabase:
		d.addAll(c, d.databases(), privs&levelPrivileges[model.LevelDatabase])
		c.addTables(nil, true, privs&dbTablePrivs)
	case catalog.ScopeDatabase:
		c.add(model.DatabaseObject(db), privs&levelPrivileges[model.LevelDatabase])
		c.addTables(d.space.ofDB[db], false, privs&dbTablePrivs)
	case catalog.ScopeAnyTable:
		c.addTables(nil, true, privs&levelPrivileges[model.LevelTable])
	case catalog.ScopeDatabaseTables:
		c.addTables(d.space.ofDB[db], false, privs&levelPrivileges[model.LevelTable])
	case catalog.ScopeTable:
		d.addTable(c, model.TableID(l.Object), privs&levelPrivileges[model.LevelTable])
	case catalog.ScopeColumn:
		c.add(model.ColumnObject(model.ColumnID(l.Object)), privs&model.ColumnPrivs)
	case catalog.ScopeDatabasePattern, catalog.ScopeAnyTablePattern, catalog.ScopeTablePattern:
		d.expandPattern(c, l, privs)
	}
}

// addAll adds (p, o) for every p of privs and o of objs.
func (d *differ) addAll(c *pending, objs []model.Object, privs model.PrivSet) {
	if privs == 0 {
		return
	}
	for _, o := range objs {
		c.add(o, privs)
	}
}

// addTable adds (p, t) for every p of privs.
func (d *differ) addTable(c *pending, t model.TableID, privs model.PrivSet) {
	if i := d.a.x.tablePos(t); i >= 0 {
		c.addTables([]int32{i}, false, privs)
	} else if i := d.b.x.tablePos(t); i >= 0 {
		c.addTables([]int32{d.space.fromB[i]}, false, privs)
	}
}

// expandOwned adds what owning o decides: every privilege of its kind on
// it, and DROP and ALTER TABLE on the tables of an owned database.
func (d *differ) expandOwned(c *pending, o model.Object) {
	if o.Kind == model.KindTable {
		d.addTable(c, model.TableID(o.ID), kindPrivileges[o.Kind])
		return
	}
	c.add(o, kindPrivileges[o.Kind])
	if o.Kind == model.KindDatabase {
		c.addTables(d.space.ofDB[model.DatabaseID(o.ID)], false, dbTablePrivs)
	}
}

// expandAll adds every (p, o) of the account: what the admin role decides.
func (d *differ) expandAll(c *pending) {
	c.add(model.AccountObject(d.acc), kindPrivileges[model.KindAccount])
	d.addAll(c, d.databases(), kindPrivileges[model.KindDatabase])
	c.addTables(nil, true, kindPrivileges[model.KindTable])
	d.addAll(c, d.roles(), kindPrivileges[model.KindRole])
	d.addAll(c, d.principals(), kindPrivileges[model.KindUser])
}

// databases returns the databases of the account on either side.
func (d *differ) databases() []model.Object {
	var out []model.Object
	for _, sd := range []*side{d.b, d.a} {
		for _, id := range sd.x.dbs {
			out = append(out, model.DatabaseObject(id))
		}
	}
	return out
}

// roles returns the roles of the account on either side.
func (d *differ) roles() []model.Object {
	var out []model.Object
	for _, sd := range []*side{d.b, d.a} {
		for _, id := range sd.x.roles {
			if id != 0 {
				out = append(out, model.RoleObject(id))
			}
		}
	}
	return out
}

// principals returns the users of the account on either side, as objects.
func (d *differ) principals() []model.Object {
	var out []model.Object
	for _, sd := range []*side{d.b, d.a} {
		for _, id := range sd.x.users {
			out = append(out, model.UserObject(id))
		}
	}
	return out
}

// objectName names o from the side where it exists, after if both.
func (d *differ) objectName(o model.Object) string {
	if n, ok := d.names[o]; ok {
		return n
	}
	sd := d.a
	if d.a.objectAccount(o) == 0 {
		sd = d.b
	}
	n := objectName(sd.tx, o)
	if o.Kind == model.KindColumn {
		n = columnObjectName(sd.s, sd.tx, o)
	}
	d.names[o] = n
	return n
}

// tableName returns the row name of the table numbered i in the table
// space, from the side where it exists, after if both.
func (d *differ) tableName(i int32) string {
	if n := d.space.names[i]; n != "" {
		return n
	}
	id := d.space.ids[i]
	sd := d.a
	if int(i) >= len(d.a.x.tables) {
		sd = d.b
	}
	n := "TABLE"
	if t := sd.tx.Table(id); t != nil {
		db, ok := d.dbNames[t.Database]
		if !ok {
			if rec := sd.tx.Database(t.Database); rec != nil {
				db = model.Quote(rec.Name)
			}
			d.dbNames[t.Database] = db
		}
		n = "TABLE " + db + "." + model.Quote(t.Name)
	}
	d.space.names[i] = n
	return n
}

// userName returns user u's name as rows print it, from after if it
// exists there.
func (d *differ) userName(u model.UserID) string {
	for _, sd := range []*side{d.a, d.b} {
		if rec := sd.tx.User(u); rec != nil {
			return model.Quote(rec.Name)
		}
	}
	return ""
}
