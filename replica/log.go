// Package replica keeps engines in step through one shared, ordered log of
// change records (reference §20): many database frontends, each with its
// own engine, deciding on the same grants.
//
// A [Replica] wraps an [engine.Engine]. A statement run on any replica is
// decided on that replica's state, then its change record is appended to
// the log at the revision after the replica's, only if no other writer
// took it (a compare-and-swap in the log); a replica that loses the race
// applies what it missed and runs the statement again from its first
// stage, so the statement is judged on the state it commits on. A replica
// applies every record of the log in order as it arrives; decisions stay
// local, lock-free and allocation-free. [Replica.WaitFor] gives
// read-your-writes across replicas. A replica that can not apply a record,
// or lags too far behind the log, fails closed: every decision is denied
// with reason "replica stale" until it resyncs.
//
// The log is an interface, [Log]: the nested module etcdlog implements it
// on etcd, [NewMemoryLog] in memory for tests and single-process use.
package replica

import (
	"context"
	"errors"
	"iter"

	"github.com/pdp-authz/pdp/model"
)

// Entry is one record of the log: its revision and its encoded bytes.
type Entry struct {
	// Revision is the entry's place in the log, from 0.
	Revision uint64
	// Payload is what was appended.
	Payload []byte
}

// Snapshot is the state at one revision, as a snapshot file's bytes.
type Snapshot struct {
	// Revision is the revision of the state the snapshot holds.
	Revision uint64
	// Data is what was stored with [Log.PutSnapshot].
	Data []byte
}

// The errors a [Log] returns; each of its errors wraps one of them, or is
// the caller's context error.
var (
	// ErrConflict: the log's head is not the revision before the one
	// appended.
	ErrConflict = errors.New("log head moved")
	// ErrCompacted: the entries asked for were deleted once a snapshot
	// covered them; resync from the latest snapshot.
	ErrCompacted = errors.New("log compacted, resync from a snapshot")
	// ErrEmpty: the log has no entry yet.
	ErrEmpty = errors.New("log is empty")
	// ErrNoSnapshot: the log holds no snapshot.
	ErrNoSnapshot = errors.New("no snapshot")
	// ErrUnavailable: the log could not be reached or did not answer in
	// time; worth retrying. An append that failed so may or may not have
	// been committed. It is the engine's model.ErrUnavailable.
	ErrUnavailable = model.ErrUnavailable
)

// Log is the shared, ordered log of change records the replicas of one
// state share, with snapshots of that state. Revisions start at 0 and
// follow each other without gaps. Its methods are safe for concurrent use.
type Log interface {
	// Append adds payload as revision rev only if the log's head is rev-1
	// (for rev 0: the log is empty); otherwise it returns an error
	// matching ErrConflict. Appending again the very bytes this Log value
	// already stored at rev succeeds, so an append that failed with
	// ErrUnavailable may be retried.
	Append(ctx context.Context, rev uint64, payload []byte) error
	// Head returns the newest revision, or an error matching ErrEmpty.
	Head(ctx context.Context) (uint64, error)
	// Read yields the entries from revision from up to the head, in
	// order; ErrCompacted if from was compacted away.
	Read(ctx context.Context, from uint64) iter.Seq2[Entry, error]
	// Watch yields the entries from revision from in order, then every
	// new one as it is appended, until ctx ends or an error.
	Watch(ctx context.Context, from uint64) iter.Seq2[Entry, error]
	// PutSnapshot stores the snapshot of revision rev as the latest one
	// unless a later one is stored.
	PutSnapshot(ctx context.Context, rev uint64, data []byte) error
	// LatestSnapshot returns the newest snapshot, or an error matching
	// ErrNoSnapshot.
	LatestSnapshot(ctx context.Context) (*Snapshot, error)
	// Compact deletes the entries up to revision upTo that the latest
	// snapshot covers.
	Compact(ctx context.Context, upTo uint64) error
}
