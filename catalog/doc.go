// Package catalog is the catalog of record: accounts, users, roles,
// databases, tables, privilege grants, role edges, user role grants and
// owners.
//
// The named entities that stay few (accounts, roles, databases) are kept in
// a go-memdb store with the indexes the engine queries. The many records
// (users, tables, privilege grants, role edges, user role grants) are kept
// by value in persistent structures: arrays by ID (internal/pvec) and
// ordered google/btree trees, copied on write.
//
// A [Tx] wraps one go-memdb transaction and private copies of the trees.
// Records are immutable once inserted: to change one, copy it, edit the
// copy and Put it; queries return copies or shared immutable records,
// never something a later write changes. Writes go through a single write
// transaction at a time; an aborted transaction drops its copies and
// gives back the IDs it took, so a failure changes nothing. Read
// transactions and [DB.Snapshot] views are safe to use from many
// goroutines.
//
// A write transaction logs its writes in order ([Tx.Writes]), ended by the
// position of the ID counters ([IDCounters]) when it moved them: the
// operations of a change record (reference §20), which [Tx.Replay] applies
// to another catalog. [Tx.All] yields a whole state, for snapshot files.
package catalog
