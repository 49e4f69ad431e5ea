package catalog

import (
	"fmt"
	"iter"
)

// IDCounters is the position of the catalog's ID counters: the last ID handed out
// of each kind (IDs are never reused). It is a record of its own so that
// change records and snapshot files (reference §20) carry it: the records of
// dropped objects no longer show which IDs were taken, and re-applying a
// change must hand out the same IDs again. Role slots need no entry: they
// are in each account's record (Account.NextSlot).
type IDCounters struct {
	Account  uint32
	User     uint32
	Role     uint32
	Database uint32
	Table    uint32
	Group    uint32
	Alias    uint32
	Pattern  uint32
	Column   uint32
}

func (c idCounters) ids() IDCounters {
	return IDCounters{Account: c.account, User: c.user, Role: c.role, Database: c.database, Table: c.table,
		Group: c.group, Alias: c.alias, Pattern: c.pattern, Column: c.column}
}

func (i IDCounters) counters() idCounters {
	return idCounters{account: i.Account, user: i.User, role: i.Role, database: i.Database, table: i.Table,
		group: i.Group, alias: i.Alias, pattern: i.Pattern, column: i.Column}
}

// Write is one write of a transaction: a Put (Delete false) or a Delete
// of a full record, a pointer to one of the record types or to [IDCounters].
type Write struct {
	Delete bool
	Rec    any
}

// Writes returns the transaction's writes in the order they were made,
// ended by a Put of the ID counters if the transaction moved them. Every
// Put and Delete is there: callers cannot forget one. Re-applying the
// writes with [Tx.Replay] to the state the transaction started from gives
// the state it commits.
func (tx *Tx) Writes() []Write {
	if tx.db == nil || tx.overflow {
		return nil
	}
	out := tx.log
	if tx.db.next != tx.logged {
		ids := tx.db.next.ids()
		out = append(out[:len(out):len(out)], Write{Rec: &ids})
	}
	return out
}

// logWrite appends a successful write to the transaction's log.
func (tx *Tx) logWrite(del bool, rec any) {
	if tx.unlogged {
		return
	}
	if tx.logLimit > 0 && len(tx.log) == tx.logLimit {
		tx.log, tx.unlogged, tx.overflow = nil, true, true
		return
	}
	tx.log = append(tx.log, Write{Delete: del, Rec: rec})
}

// LimitLog makes a write transaction stop logging once it has made more
// than n writes (a bulk load, whose log nobody may need); Writes then
// returns nothing and [Tx.Overflowed] reports it. It returns tx.
func (tx *Tx) LimitLog(n int) *Tx {
	tx.logLimit = n
	return tx
}

// Overflowed reports whether the transaction made more writes than
// [Tx.LimitLog] allowed, so that its log was dropped.
func (tx *Tx) Overflowed() bool { return tx.overflow }

// Unlogged makes a write transaction keep no log of its writes (a bulk
// restore, which re-applies a state that is already recorded) and returns
// it; its Writes hold only the ID counters.
func (tx *Tx) Unlogged() *Tx {
	tx.unlogged = true
	return tx
}

// Known reports whether rec is a record a transaction can write: a
// non-nil pointer to one of the record types or to [IDCounters].
//
// A record type added to the catalog must be added here, to [Tx.All]
// (or snapshot files lose it), to exists if it counts towards a limit, and
// to the kinds of package record (its field list in record/fields.go); an
// ID counter added to the catalog goes into [IDCounters] and its field
// list.
func Known(rec any) bool {
	switch r := rec.(type) {
	case *PrivilegeGroup:
		return r != nil
	case *GroupGrant:
		return r != nil
	case *Pattern:
		return r != nil
	case *Alias:
		return r != nil
	case *Account:
		return r != nil
	case *User:
		return r != nil
	case *Role:
		return r != nil
	case *Database:
		return r != nil
	case *Table:
		return r != nil
	case *Grant:
		return r != nil
	case *RoleEdge:
		return r != nil
	case *UserRole:
		return r != nil
	case *ColumnGrant:
		return r != nil
	case *Denial:
		return r != nil
	case *IDCounters:
		return r != nil
	}
	return false
}

// Replay re-applies one write of another transaction (a change record's,
// or a snapshot's): a Put of a record that does not exist yet counts
// towards the limits as [Tx.Insert] does, a Put of [IDCounters] moves the ID
// counters. It checks nothing else: the transaction that wrote it did.
func (tx *Tx) Replay(w Write) {
	switch {
	case !Known(w.Rec):
		if tx.err == nil {
			tx.err = fmt.Errorf("catalog replay: %T is not a catalog record", w.Rec)
		}
	case w.Delete:
		tx.Delete(w.Rec)
	case tx.exists(w.Rec):
		tx.Put(w.Rec)
	default:
		tx.Insert(w.Rec)
	}
}

// exists reports whether a counted record (user, role, database, table,
// grant) is in the store already; it reports true for any other record,
// which need not be counted.
func (tx *Tx) exists(rec any) bool {
	switch r := rec.(type) {
	case *User:
		return tx.User(r.ID) != nil
	case *Role:
		return tx.Role(r.ID) != nil
	case *Database:
		return tx.Database(r.ID) != nil
	case *Table:
		return tx.Table(r.ID) != nil
	case *Grant:
		return tx.Grant(r.Role, r.Level(), r.Priv) != nil
	case *PrivilegeGroup:
		return tx.Group(r.ID) != nil
	case *GroupGrant:
		return tx.GroupGrant(r.Role, LevelKey{r.Scope, r.Object}, r.Group) != nil
	case *Pattern:
		return tx.Pattern(r.ID) != nil
	case *Alias:
		return tx.Alias(r.ID) != nil
	case *ColumnGrant:
		return tx.ColumnGrant(r.Role, r.Column, r.Priv) != nil
	case *Denial:
		return tx.Denial(r.Role, r.Level(), r.Priv) != nil
	}
	return true
}

// All yields every record of the state the transaction reads, the ID
// counters first (for a write transaction or a view of a [DB]), then
// accounts, roles, users, databases, tables, grants, role edges, user
// role grants, privilege groups, group grants, patterns, aliases, column
// grants and denials, each kind in the order of its key. Replaying them in
// this order into an empty catalog rebuilds the state. A record yielded may be
// reused by the next iteration: a caller that keeps one copies it. A
// store error ends the iteration; [Tx.Err] reports it.
func (tx *Tx) All() iter.Seq[any] {
	return func(yield func(any) bool) {
		if ids, ok := tx.counters(); ok && !yield(&ids) {
			return
		}
		_ = all[Account](tx, tAccounts, yield) &&
			all[Role](tx, tRoles, yield) &&
			tx.st.allUsers(yield) &&
			all[Database](tx, tDatabases, yield) &&
			tx.st.allTables(yield) &&
			ascend(tx.st.grants, yield) &&
			ascend(tx.st.edges, yield) &&
			ascend(tx.st.userRoles, yield) &&
			all[PrivilegeGroup](tx, tGroups, yield) &&
			all[GroupGrant](tx, tGroupGrants, yield) &&
			all[Pattern](tx, tPatterns, yield) &&
			all[Alias](tx, tAliases, yield) &&
			all[ColumnGrant](tx, tColumnGrants, yield) &&
			all[Denial](tx, tDenials, yield)
	}
}

// all yields every record of table by its primary index; it reports
// whether yield asked for more.
func all[T any](tx *Tx, table string, yield func(any) bool) bool {
	if tx.err != nil {
		return false
	}
	it, err := tx.txn.Get(table, "id")
	if err != nil {
		tx.err = err
		return false
	}
	for raw := it.Next(); raw != nil; raw = it.Next() {
		if !yield(raw.(*T)) {
			return false
		}
	}
	return true
}

// counters returns the ID counters of the state the transaction reads:
// the live ones for a transaction of a [DB], the frozen ones for a
// transaction of a [View]; false for a preview, which has none.
func (tx *Tx) counters() (IDCounters, bool) {
	switch {
	case tx.db != nil:
		return tx.db.next.ids(), true
	case tx.frozen != nil:
		return *tx.frozen, true
	}
	return IDCounters{}, false
}

// putIDs moves the ID counters to ids, a write of the transaction.
func (tx *Tx) putIDs(ids *IDCounters) {
	if tx.db == nil {
		tx.err = fmt.Errorf("catalog put: the ID counters of a read transaction")
		return
	}
	tx.db.next = ids.counters()
	tx.logged = tx.db.next
	tx.logWrite(false, ids)
}
