package engine

import (
	"cmp"
	"iter"
	"maps"
	"math/bits"
	"slices"
	"sync"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// introCache holds a snapshot's introspection indexes, one per account,
// each built on first use. The decision views answer "may this principal";
// introspection asks the reverse ("who may", "what may"), which needs the
// role graph downwards, the holders of each role and the objects of an
// account. Building those on the write path would slow every commit for a
// question most commits never see, so they are built lazily and carried to
// the next snapshot for every account the commit did not touch.
type introCache struct {
	mu       sync.Mutex
	accounts map[model.AccountID]*acctIndex
}

// acctIndex lists one account's roles, role edges, role holders, users,
// databases and tables. It is built once from the catalog of its snapshot
// and never changed. Users and tables are kept sorted by ID and referred to
// by their position in those lists, so that a set of them is a bitmap whose
// iteration is already sorted and free of duplicates.
type acctIndex struct {
	roles    []model.RoleID               // by slot; 0 where no live role has the slot
	children [][]uint32                   // by slot: the slots of the roles it is granted to
	holders  [][]int32                    // by slot: the positions of the users it is granted to directly
	users    []model.UserID               // by ID
	locked   bitmap                       // positions of the users locked manually
	dbs      []model.DatabaseID           // by ID
	tables   []model.TableID              // every table of the account, by ID
	tablesOf map[model.DatabaseID][]int32 // positions of each database's tables
	// owned lists by slot what each role owns: roles, users, databases and
	// tables, grouped by kind. The catalog has no owner index, so a
	// question about what a role owns would scan the account.
	owned [][]model.Object
}

// bitmap is a mutable set of positions.
type bitmap []uint64

func newBitmap(n int) bitmap { return make(bitmap, (n+63)/64) }

func (b bitmap) set(i int32) { b[i>>6] |= 1 << (i & 63) }

func (b bitmap) has(i int32) bool { return int(i>>6) < len(b) && b[i>>6]&(1<<(i&63)) != 0 }

// all yields the positions of b in ascending order.
func (b bitmap) all() iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for w, word := range b {
			for word != 0 {
				i := bits.TrailingZeros64(word)
				word &^= 1 << i
				if !yield(int32(w)<<6 | int32(i)) {
					return
				}
			}
		}
	}
}

// index returns the introspection index of account a.
func (s *Snapshot) index(a model.AccountID) *acctIndex {
	c := s.intro
	if c == nil {
		return s.buildIndex(a)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if x, ok := c.accounts[a]; ok {
		return x
	}
	x := s.buildIndex(a)
	if c.accounts == nil {
		c.accounts = map[model.AccountID]*acctIndex{}
	}
	c.accounts[a] = x
	return x
}

// buildIndex reads account a's index from the snapshot's catalog.
func (s *Snapshot) buildIndex(a model.AccountID) *acctIndex {
	tx := s.read()
	x := &acctIndex{tablesOf: map[model.DatabaseID][]int32{}}
	roles := tx.RolesOf(a)
	slots := make(map[model.RoleID]uint32, len(roles))
	for _, r := range roles {
		slots[r.ID] = r.Slot
		if int(r.Slot) >= len(x.roles) {
			x.roles = slices.Grow(x.roles, int(r.Slot)+1-len(x.roles))[:r.Slot+1]
		}
		x.roles[r.Slot] = r.ID
	}
	x.children = make([][]uint32, len(x.roles))
	x.holders = make([][]int32, len(x.roles))
	x.owned = make([][]model.Object, len(x.roles))
	own := func(owner model.RoleID, o model.Object) {
		if slot, ok := slots[owner]; ok {
			x.owned[slot] = append(x.owned[slot], o)
		}
	}
	for _, r := range roles {
		own(r.Owner, model.RoleObject(r.ID))
	}
	for _, r := range roles {
		for _, e := range tx.EdgesOf(r.ID) {
			if g, ok := slots[e.Grantee]; ok {
				x.children[r.Slot] = append(x.children[r.Slot], g)
			}
		}
	}
	users := tx.UsersOf(a)
	slices.SortFunc(users, func(u, v *catalog.User) int { return cmp.Compare(u.ID, v.ID) })
	x.locked = newBitmap(len(users))
	for i, u := range users {
		x.users = append(x.users, u.ID)
		own(u.Owner, model.UserObject(u.ID))
		if u.Locked {
			x.locked.set(int32(i))
		}
		for _, ur := range tx.RolesOfUser(u.ID) {
			if slot, ok := slots[ur.Role]; ok {
				x.holders[slot] = append(x.holders[slot], int32(i))
			}
		}
	}
	dbOf := map[model.TableID]model.DatabaseID{}
	for _, d := range tx.DatabasesOf(a) {
		x.dbs = append(x.dbs, d.ID)
		own(d.Owner, model.DatabaseObject(d.ID))
		for _, t := range tx.TablesOf(d.ID) {
			x.tables = append(x.tables, t.ID)
			dbOf[t.ID] = d.ID
			own(t.Owner, model.TableObject(t.ID))
		}
	}
	slices.Sort(x.dbs)
	slices.Sort(x.tables)
	for i, t := range x.tables {
		x.tablesOf[dbOf[t]] = append(x.tablesOf[dbOf[t]], int32(i))
	}
	return x
}

// tablePos returns the position of table t, -1 if it is not a table of
// the account.
func (x *acctIndex) tablePos(t model.TableID) int32 {
	if i, ok := slices.BinarySearch(x.tables, t); ok {
		return int32(i)
	}
	return -1
}

// tableIDs returns the tables of database d, by ID.
func (x *acctIndex) tableIDs(d model.DatabaseID) []model.TableID {
	out := make([]model.TableID, len(x.tablesOf[d]))
	for i, pos := range x.tablesOf[d] {
		out[i] = x.tables[pos]
	}
	return out
}

// usersOf returns the users at the positions of b, by ID, without the
// locked ones.
func (x *acctIndex) usersOf(b bitmap) []model.UserID {
	var out []model.UserID
	for i := range b.all() {
		if !x.locked.has(i) {
			out = append(out, x.users[i])
		}
	}
	return out
}

// ownedBy returns what the role of slot owns.
func (x *acctIndex) ownedBy(slot uint32) []model.Object {
	if int(slot) < len(x.owned) {
		return x.owned[slot]
	}
	return nil
}

// role returns the role of slot, 0 for none.
func (x *acctIndex) role(slot uint32) model.RoleID {
	if int(slot) < len(x.roles) {
		return x.roles[slot]
	}
	return 0
}

// carry returns the introspection cache of the snapshot that follows base
// once tx commits: the indexes of the accounts tx did not touch (their
// roles, role edges, users, user role grants, databases and tables) are
// shared, the others are rebuilt on first use. Privilege grants are not
// indexed, so a commit that only grants or revokes privileges keeps them
// all.
func (c *introCache) carry(base *Snapshot, tx *catalog.Tx) *introCache {
	next := &introCache{}
	if c == nil {
		return next
	}
	c.mu.Lock()
	built := maps.Clone(c.accounts)
	c.mu.Unlock()
	if len(built) == 0 {
		return next
	}
	for a := range touchedAccounts(base, tx).All() {
		delete(built, a)
	}
	next.accounts = built
	return next
}

// touchedAccounts returns the accounts whose roles, role edges, users, user
// role grants, databases or tables tx changed, as they were before and as
// they are in tx.
func touchedAccounts(base *Snapshot, tx *catalog.Tx) catalog.IDs[model.AccountID] {
	ch := tx.Changes()
	out := ch.Accounts.Clone()
	for id := range ch.Roles.All() {
		if r := tx.Role(id); r != nil {
			out.Add(r.Account)
		}
		if v := base.roleAt(uint32(id)); v != nil {
			out.Add(v.account)
		}
	}
	for id := range ch.Users.All() {
		if u, ok := tx.UserValue(id); ok {
			out.Add(u.Account)
		}
		if v := base.userAt(uint32(id)); v != nil {
			out.Add(v.account)
		}
	}
	for id := range ch.Databases.All() {
		if d := tx.Database(id); d != nil {
			out.Add(d.Account)
		}
		if v := base.dbAt(uint32(id)); v != nil {
			out.Add(v.account)
		}
	}
	for id := range ch.Tables.All() {
		if t, ok := tx.TableValue(id); ok {
			out.Add(t.Account)
		}
		if v := base.tableAt(uint32(id)); v != nil {
			if d := base.dbAt(uint32(v.db)); d != nil {
				out.Add(d.account)
			}
		}
	}
	return out
}
