package catalog

import (
	"errors"
	"fmt"
	"math"
	"sync/atomic"

	memdb "github.com/hashicorp/go-memdb"
	"github.com/pdp-authz/pdp/internal/pvec"
	"github.com/pdp-authz/pdp/model"
)

// DB is the catalog store. Only one write transaction may be open at a time;
// the engine's writer lock guarantees it.
type DB struct {
	mem    *memdb.MemDB          // accounts, roles, databases
	cur    atomic.Pointer[state] // the committed users, tables, grants, edges and user role grants
	next   idCounters
	counts map[model.AccountID]Counts // objects per account, for the limits
	grants map[model.RoleID]int       // privilege grants per role, for the limit
}

// Counts are the numbers of objects of an account, kept for the limits of
// reference §10 so that a limit check never scans.
type Counts struct {
	Users, Roles, Databases, Tables int
	Groups, Patterns                int // custom privilege groups, pattern levels
}

// add adds the counts of d to c.
func (c *Counts) add(d Counts) {
	c.Users += d.Users
	c.Roles += d.Roles
	c.Databases += d.Databases
	c.Tables += d.Tables
	c.Groups += d.Groups
	c.Patterns += d.Patterns
}

type idCounters struct {
	account, user, role, database, table uint32
	group, alias, pattern, column        uint32
}

// Open returns an empty catalog.
func Open() (*DB, error) {
	mem, err := memdb.NewMemDB(schema())
	if err != nil {
		return nil, fmt.Errorf("catalog schema: %w", err)
	}
	d := &DB{mem: mem, counts: map[model.AccountID]Counts{}, grants: map[model.RoleID]int{}}
	d.cur.Store(newState())
	return d, nil
}

// Write opens the write transaction. The caller commits or aborts it.
func (d *DB) Write() *Tx {
	return &Tx{txn: d.mem.Txn(true), db: d, st: d.cur.Load().clone(), edit: &pvec.Edit{}, start: d.next, logged: d.next}
}

// Read opens a read transaction on the current state.
func (d *DB) Read() *Tx { return &Tx{txn: d.mem.Txn(false), db: d, st: d.cur.Load()} }

// Snapshot returns a read-only view of the current state that later writes
// do not change. Open read transactions on it with [View.Read]. It must
// not run concurrently with a commit (the engine's writer lock sees to it).
func (d *DB) Snapshot() *View {
	return &View{mem: d.mem.Snapshot(), st: d.cur.Load(), ids: d.next.ids()}
}

// View is a frozen catalog state, safe to read from many goroutines.
type View struct {
	mem *memdb.MemDB
	st  *state
	ids IDCounters // the ID counters as of the view
}

// Read opens a read transaction on the view.
func (v *View) Read() *Tx { return &Tx{txn: v.mem.Txn(false), st: v.st, frozen: &v.ids} }

// Tx is one catalog transaction. The first store error sticks: later
// writes are skipped and [Tx.Err] reports it, so callers check once.
type Tx struct {
	txn       *memdb.Txn
	db        *DB
	st        *state     // a private copy in a write transaction
	edit      *pvec.Edit // nil in a read transaction
	err       error
	changes   *Changes
	deltas    map[model.AccountID]Counts
	grantsD   map[model.RoleID]int
	goneRoles map[model.RoleID]model.AccountID // roles deleted by this transaction
	// seen caches the go-memdb records of a write transaction by table and
	// ID (nil: deleted). go-memdb drops its cache of writable nodes on
	// every read of an index the transaction changed, so that each later
	// write copies whole paths again; most reads by ID are served here.
	seen map[memKey]any
	// seenNames caches the answers of reads by name the same way; an
	// answer holds only while seen has no other record under its ID.
	seenNames map[memName]any

	start    idCounters  // the ID counters when the write transaction began
	logged   idCounters  // the ID counters as the log last recorded them
	log      []Write     // the writes so far, in order (see Writes)
	frozen   *IDCounters // the ID counters of a view's read transaction
	unlogged bool        // keep no log (see Unlogged, LimitLog)
	logLimit int         // the most writes to log; 0: no limit (see LimitLog)
	overflow bool        // more writes than logLimit were made
}

// memName names a go-memdb record by table, account and name.
type memName struct {
	table   string
	account uint32
	name    string
}

// byName returns the go-memdb record of table named name in account
// (args are the name index's arguments), or nil.
func byName[T any](tx *Tx, table string, account uint32, name string, args ...any) *T {
	key := memName{table, account, name}
	if rec, ok := tx.seenNames[key]; ok {
		r, _ := rec.(*T)
		if r == nil {
			return nil
		}
		if cur, ok := tx.seen[memKey{table, memID(r)}]; !ok || cur == rec {
			return r
		}
	}
	rec := first[T](tx, table, "name", args...)
	if tx.edit != nil && tx.err == nil {
		if tx.seenNames == nil {
			tx.seenNames = map[memName]any{}
		}
		if rec != nil {
			tx.seenNames[key] = rec
			tx.remember(table, memID(rec), rec)
		} else {
			tx.seenNames[key] = nil
		}
	}
	return rec
}

// memKey names a go-memdb record by table and ID.
type memKey struct {
	table string
	id    uint32
}

// byID returns the go-memdb record of table with ID id, or nil.
func byID[T any](tx *Tx, table string, id uint32) *T {
	if tx.seen != nil {
		if rec, ok := tx.seen[memKey{table, id}]; ok {
			r, _ := rec.(*T)
			return r
		}
	}
	rec := first[T](tx, table, "id", id)
	if tx.edit != nil && tx.err == nil {
		tx.remember(table, id, rec)
	}
	return rec
}

// remember caches rec (nil: absent) under table and id in a write
// transaction.
func (tx *Tx) remember(table string, id uint32, rec any) {
	if tx.seen == nil {
		tx.seen = map[memKey]any{}
	}
	tx.seen[memKey{table, id}] = rec
}

// rememberName caches rec under its name after a Put.
func (tx *Tx) rememberName(table string, rec any) {
	var key memName
	switch r := rec.(type) {
	case *Account:
		key = memName{table, 0, r.Name}
	case *Role:
		key = memName{table, uint32(r.Account), r.Name}
	case *Database:
		key = memName{table, uint32(r.Account), r.Name}
	default:
		return
	}
	if tx.seenNames == nil {
		tx.seenNames = map[memName]any{}
	}
	tx.seenNames[key] = rec
}

// memID returns the ID of a go-memdb record.
func memID(rec any) uint32 {
	switch r := rec.(type) {
	case *Account:
		return uint32(r.ID)
	case *Role:
		return uint32(r.ID)
	case *Database:
		return uint32(r.ID)
	}
	return 0
}

// Err returns the first store error of the transaction.
func (tx *Tx) Err() error { return tx.err }

// Commit commits a write transaction.
func (tx *Tx) Commit() {
	gone := map[model.AccountID]bool{}
	for a := range tx.deltas {
		gone[a] = tx.Account(a) == nil
	}
	goneRoles := map[model.RoleID]bool{}
	for r := range tx.grantsD {
		goneRoles[r] = tx.Role(r) == nil
	}
	tx.txn.Commit()
	tx.db.cur.Store(tx.st)
	tx.edit = nil
	for r, d := range tx.grantsD {
		if n := tx.db.grants[r] + d; n > 0 && !goneRoles[r] {
			tx.db.grants[r] = n
		} else {
			delete(tx.db.grants, r)
		}
	}
	for a, d := range tx.deltas {
		if gone[a] {
			delete(tx.db.counts, a)
			continue
		}
		c := tx.db.counts[a]
		c.add(d)
		tx.db.counts[a] = c
	}
}

// Count returns the object counts of account a as the transaction sees them.
func (tx *Tx) Count(a model.AccountID) Counts {
	c := tx.db.counts[a]
	c.add(tx.deltas[a])
	return c
}

// GrantCount returns the number of privilege grants role r holds, as the
// transaction sees them.
func (tx *Tx) GrantCount(r model.RoleID) int { return tx.db.grants[r] + tx.grantsD[r] }

// count adjusts the transaction's object counts for a counted record.
func (tx *Tx) count(rec any, by int) {
	if r, ok := grantee(rec); ok {
		if tx.grantsD == nil {
			tx.grantsD = map[model.RoleID]int{}
		}
		tx.grantsD[r] += by
		return
	}
	if a, delta, ok := counted(rec, by); ok {
		tx.addCounts(a, delta)
	}
}

// addCounts adds delta to the counts of account a in the transaction.
func (tx *Tx) addCounts(a model.AccountID, delta Counts) {
	if tx.deltas == nil {
		tx.deltas = map[model.AccountID]Counts{}
	}
	d := tx.deltas[a]
	d.add(delta)
	tx.deltas[a] = d
}

// counted returns the account of a counted record and the change of its
// counts when by such records are added.
func counted(rec any, by int) (model.AccountID, Counts, bool) {
	switch r := rec.(type) {
	case *User:
		return r.Account, Counts{Users: by}, true
	case *Role:
		return r.Account, Counts{Roles: by}, true
	case *Database:
		return r.Account, Counts{Databases: by}, true
	case *Table:
		return r.Account, Counts{Tables: by}, true
	}
	return countedMilvus(rec, by)
}

// Insert adds a new record; unlike Put it counts users, roles, databases
// and tables towards their account's limits, and grants towards their
// role's.
func (tx *Tx) Insert(rec any) {
	tx.Put(rec)
	tx.count(rec, 1)
}

// InsertTable is Insert for a table given by value: unlike a record passed
// to Insert, t is not allocated on the heap, which matters to bulk loads
// of millions of tables.
func (tx *Tx) InsertTable(t Table) {
	if !tx.writable() {
		return
	}
	tx.st.putTable(tx.edit, &t)
	tx.Changes().Tables.Add(t.ID)
	tx.addCounts(t.Account, Counts{Tables: 1})
	if !tx.unlogged {
		c := t // only a logged insert puts a copy on the heap
		tx.logWrite(false, &c)
	}
}

// Abort discards a write transaction and gives back the IDs it handed out,
// so that a change that was never made leaves no trace; it is a no-op
// after Commit. The transaction's copies of the trees are dropped with it.
func (tx *Tx) Abort() {
	tx.txn.Abort()
	if tx.edit != nil {
		tx.db.next = tx.start
	}
	tx.edit = nil
}

// NewAccountID hands out a fresh account ID.
func (tx *Tx) NewAccountID() model.AccountID {
	return model.AccountID(tx.newID(&tx.db.next.account, "account"))
}

// NewUserID hands out a fresh user ID.
func (tx *Tx) NewUserID() model.UserID { return model.UserID(tx.newID(&tx.db.next.user, "user")) }

// NewRoleID hands out a fresh role ID.
func (tx *Tx) NewRoleID() model.RoleID { return model.RoleID(tx.newID(&tx.db.next.role, "role")) }

// NewDatabaseID hands out a fresh database ID.
func (tx *Tx) NewDatabaseID() model.DatabaseID {
	return model.DatabaseID(tx.newID(&tx.db.next.database, "database"))
}

// NewTableID hands out a fresh table ID.
func (tx *Tx) NewTableID() model.TableID {
	return model.TableID(tx.newID(&tx.db.next.table, "table"))
}

// newID hands out the next ID of a counter. IDs are never reused, so an
// engine can create 2^32-1 objects of each kind in its life; past that
// the transaction fails with ErrLimit instead of wrapping around.
func (tx *Tx) newID(counter *uint32, kind string) uint32 {
	if *counter == math.MaxUint32 {
		if tx.err == nil {
			tx.err = model.Errorf(model.ErrLimit, "the %s IDs exceeds the limit %d", kind, uint32(math.MaxUint32))
		}
		return 0
	}
	*counter++
	return *counter
}

// memTable returns the go-memdb table of rec, or "" if rec is kept in
// the trees.
func memTable(rec any) string {
	switch rec.(type) {
	case *Account:
		return tAccounts
	case *Role:
		return tRoles
	case *Database:
		return tDatabases
	case *Denial:
		return tDenials
	case *ColumnGrant:
		return tColumnGrants
	case *PrivilegeGroup:
		return tGroups
	case *GroupGrant:
		return tGroupGrants
	case *Pattern:
		return tPatterns
	case *Alias:
		return tAliases
	case *User, *Table, *Grant, *RoleEdge, *UserRole:
		return ""
	}
	panic(fmt.Sprintf("catalog: no table for %T", rec))
}

// errReadOnly is the error of a write in a read transaction.
var errReadOnly = errors.New("cannot write in a read transaction")

// writable reports whether the transaction may write, recording the error
// of a write in a read transaction.
func (tx *Tx) writable() bool {
	if tx.err == nil && tx.edit == nil {
		tx.err = fmt.Errorf("catalog write: %w", errReadOnly)
	}
	return tx.err == nil
}

// Put inserts or replaces a record (a pointer to one of the record types).
// A Put of [IDCounters] moves the ID counters.
func (tx *Tx) Put(rec any) {
	if !tx.writable() {
		return
	}
	if ids, ok := rec.(*IDCounters); ok {
		tx.putIDs(ids)
		return
	}
	if t := memTable(rec); t != "" {
		if err := tx.txn.Insert(t, rec); err != nil {
			tx.err = fmt.Errorf("catalog put: %w", err)
		}
		tx.remember(t, memID(rec), rec)
		tx.rememberName(t, rec)
	} else {
		tx.st.put(tx.edit, rec)
	}
	tx.track(rec)
	if tx.err == nil {
		tx.logWrite(false, rec)
	}
}

// Delete removes a record.
func (tx *Tx) Delete(rec any) {
	if !tx.writable() {
		return
	}
	if _, ok := rec.(*IDCounters); ok {
		tx.err = fmt.Errorf("catalog delete: the ID counters can not be deleted")
		return
	}
	if t := memTable(rec); t != "" {
		if err := tx.txn.Delete(t, rec); err != nil {
			tx.err = fmt.Errorf("catalog delete: %w", err)
		}
		tx.remember(t, memID(rec), nil)
	} else if !tx.st.delete(tx.edit, rec) {
		tx.err = fmt.Errorf("catalog delete: %w", errNotFound)
	}
	if r, ok := rec.(*Role); ok && tx.err == nil {
		if tx.goneRoles == nil {
			tx.goneRoles = map[model.RoleID]model.AccountID{}
		}
		tx.goneRoles[r.ID] = r.Account
	}
	tx.track(rec)
	tx.count(rec, -1)
	if tx.err == nil {
		tx.logWrite(true, rec)
	}
}

// errNotFound is the error of deleting a record that is not there.
var errNotFound = errors.New("not found")

func first[T any](tx *Tx, table, index string, args ...any) *T {
	if tx.err != nil {
		return nil
	}
	raw, err := tx.txn.First(table, index, args...)
	if err != nil {
		tx.err = fmt.Errorf("catalog read %s.%s: %w", table, index, err)
		return nil
	}
	if raw == nil {
		return nil
	}
	return raw.(*T)
}

func list[T any](tx *Tx, table, index string, args ...any) []*T {
	if tx.err != nil {
		return nil
	}
	it, err := tx.txn.Get(table, index, args...)
	if err != nil {
		tx.err = fmt.Errorf("catalog list %s.%s: %w", table, index, err)
		return nil
	}
	var out []*T
	for raw := it.Next(); raw != nil; raw = it.Next() {
		out = append(out, raw.(*T))
	}
	return out
}
