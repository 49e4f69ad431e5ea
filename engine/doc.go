// Package engine is pdp's supported entry point: an in-memory RBAC + DAC
// policy decision point with the semantics of docs/reference.md, whose
// sections the comments of this module cite as "reference §n".
//
// An [Engine] holds the catalog of record (accounts, users, roles,
// databases, tables, grants, role edges, owners) and the current decision
// [Snapshot]. Users log in with [Engine.Connect] or [Engine.Login] and get a
// [Session] with one method per statement of reference §12; every statement
// is authorised by the rules of reference §9, in their order, and is all or
// nothing. The [Loader] is the system-level bulk path.
//
// Concurrency: all methods are safe for concurrent use. Writers are
// serialised; each successful change publishes a new immutable Snapshot
// through an atomic pointer, with a revision one higher. [Engine.Check] and
// [Snapshot.Check] take no lock, read no catalog, build no map and do not
// allocate; a held Snapshot answers the same forever. Decisions are values
// ([Decision]) with a [Reason]; refusals of statements are errors wrapping
// model.ErrDenied and the other sentinels of package model.
//
// State (reference §20): every commit is one change record (package
// record), which [Engine.Changes] streams and [Engine.Apply] re-applies;
// [Engine.WriteSnapshot] and [Restore] write and read the whole state as a
// snapshot file; [Open] returns a durable engine kept in a directory
// (package journal), whose changes are acknowledged and visible only once
// their records are on stable storage, and which recovers after a crash.
package engine
