package catalog

import (
	"fmt"
	"math"

	memdb "github.com/hashicorp/go-memdb"
	"github.com/pdp-authz/pdp/model"
)

// DB is the catalog store. Only one write transaction may be open at a time;
// the engine's writer lock guarantees it.
type DB struct {
	mem    *memdb.MemDB
	next   idCounters
	counts map[model.AccountID]Counts // objects per account, for the limits
	grants map[model.RoleID]int       // privilege grants per role, for the limit
}

// Counts are the numbers of objects of an account, kept for the limits of
// SPEC §10 so that a limit check never scans.
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
	group, alias, pattern                uint32
}

// Open returns an empty catalog.
func Open() (*DB, error) {
	mem, err := memdb.NewMemDB(schema())
	if err != nil {
		return nil, fmt.Errorf("catalog schema: %w", err)
	}
	return &DB{mem: mem, counts: map[model.AccountID]Counts{}, grants: map[model.RoleID]int{}}, nil
}

// Write opens the write transaction. The caller commits or aborts it.
func (d *DB) Write() *Tx { return &Tx{txn: d.mem.Txn(true), db: d} }

// Read opens a read transaction on the current state.
func (d *DB) Read() *Tx { return &Tx{txn: d.mem.Txn(false), db: d} }

// Snapshot returns a read-only view of the current state that later writes
// do not change. Open read transactions on it with [View.Read].
func (d *DB) Snapshot() *View { return &View{mem: d.mem.Snapshot()} }

// View is a frozen catalog state, safe to read from many goroutines.
type View struct{ mem *memdb.MemDB }

// Read opens a read transaction on the view.
func (v *View) Read() *Tx { return &Tx{txn: v.mem.Txn(false)} }

// Tx is one catalog transaction. The first store error sticks: later
// writes are skipped and [Tx.Err] reports it, so callers check once.
type Tx struct {
	txn     *memdb.Txn
	db      *DB
	err     error
	changes *Changes
	deltas  map[model.AccountID]Counts
	grantsD map[model.RoleID]int
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
	a, field := counted(rec)
	if field == nil {
		return
	}
	if tx.deltas == nil {
		tx.deltas = map[model.AccountID]Counts{}
	}
	d := tx.deltas[a]
	*field(&d) += by
	tx.deltas[a] = d
}

// counted returns the account of a counted record and its field in Counts.
func counted(rec any) (model.AccountID, func(*Counts) *int) {
	switch r := rec.(type) {
	case *User:
		return r.Account, func(c *Counts) *int { return &c.Users }
	case *Role:
		return r.Account, func(c *Counts) *int { return &c.Roles }
	case *Database:
		return r.Account, func(c *Counts) *int { return &c.Databases }
	case *Table:
		return r.Account, func(c *Counts) *int { return &c.Tables }
	}
	return countedMilvus(rec)
}

// Insert adds a new record; unlike Put it counts users, roles, databases
// and tables towards their account's limits, and grants towards their
// role's.
func (tx *Tx) Insert(rec any) {
	tx.Put(rec)
	tx.count(rec, 1)
}

// Abort discards a write transaction; it is a no-op after Commit.
func (tx *Tx) Abort() { tx.txn.Abort() }

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

func tableOf(rec any) string {
	switch rec.(type) {
	case *Account:
		return tAccounts
	case *User:
		return tUsers
	case *Role:
		return tRoles
	case *Database:
		return tDatabases
	case *Table:
		return tTables
	case *Grant:
		return tGrants
	case *RoleEdge:
		return tEdges
	case *UserRole:
		return tUserRoles
	case *PrivilegeGroup:
		return tGroups
	case *GroupGrant:
		return tGroupGrants
	case *Pattern:
		return tPatterns
	case *Alias:
		return tAliases
	}
	panic(fmt.Sprintf("catalog: no table for %T", rec))
}

// Put inserts or replaces a record (a pointer to one of the record types).
func (tx *Tx) Put(rec any) {
	if tx.err == nil {
		if err := tx.txn.Insert(tableOf(rec), rec); err != nil {
			tx.err = fmt.Errorf("catalog put: %w", err)
		}
		tx.track(rec)
	}
}

// Delete removes a record.
func (tx *Tx) Delete(rec any) {
	if tx.err == nil {
		if err := tx.txn.Delete(tableOf(rec), rec); err != nil {
			tx.err = fmt.Errorf("catalog delete: %w", err)
		}
		tx.track(rec)
		tx.count(rec, -1)
	}
}

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

// Changes records what a write transaction touched, so that derived state
// (the decision snapshot) is refreshed for exactly those records. Every Put
// and Delete is recorded; nothing can be forgotten by a caller.
type Changes struct {
	Accounts  map[model.AccountID]bool
	Users     map[model.UserID]bool
	Roles     map[model.RoleID]bool // role records, and grantees of changed edges
	Databases map[model.DatabaseID]bool
	Tables    map[model.TableID]bool
	Levels    map[LevelKey]bool
	// Groups are the accounts whose custom privilege groups changed.
	Groups map[model.AccountID]bool
	// Patterns are the accounts and databases whose pattern records
	// changed: their prefix indexes are rebuilt.
	Patterns map[PatternOwner]bool
}

func newChanges() *Changes {
	return &Changes{
		Accounts: map[model.AccountID]bool{}, Users: map[model.UserID]bool{},
		Roles: map[model.RoleID]bool{}, Databases: map[model.DatabaseID]bool{},
		Tables: map[model.TableID]bool{}, Levels: map[LevelKey]bool{},
		Groups: map[model.AccountID]bool{}, Patterns: map[PatternOwner]bool{},
	}
}

// Changes returns what the transaction has touched so far.
func (tx *Tx) Changes() *Changes {
	if tx.changes == nil {
		tx.changes = newChanges()
	}
	return tx.changes
}

func (tx *Tx) track(rec any) {
	c := tx.Changes()
	switch r := rec.(type) {
	case *Account:
		c.Accounts[r.ID] = true
	case *User:
		c.Users[r.ID] = true
	case *Role:
		c.Roles[r.ID] = true
	case *Database:
		c.Databases[r.ID] = true
	case *Table:
		c.Tables[r.ID] = true
	case *Grant:
		c.Levels[r.Level()] = true
	case *RoleEdge:
		c.Roles[r.Grantee] = true
	case *UserRole:
		c.Users[r.User] = true
	default:
		trackMilvus(c, rec)
	}
}
