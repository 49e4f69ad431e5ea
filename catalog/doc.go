// Package catalog is the catalog of record: accounts, users, roles,
// databases, tables, privilege grants, role edges, user role grants and
// owners, kept in a go-memdb store with the indexes the engine queries.
//
// A [Tx] wraps one go-memdb transaction. Records are immutable once
// inserted: to change one, copy it, edit the copy and Put it. Writes go
// through a single write transaction at a time; read transactions and
// [DB.Snapshot] views are safe to use from many goroutines.
package catalog
