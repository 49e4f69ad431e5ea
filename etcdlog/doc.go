// Package etcdlog keeps the shared state of pdp replicas in etcd (reference §20):
// one ordered log of change records, snapshots of the whole state, and the
// login lockout (failure counts and automatic locks).
//
// A [Log] lives under a key prefix and is a [replica.Log]: replicas made by
// [replica.Open] on it keep their engines in step through etcd. Its
// entries, snapshots and errors ([ErrConflict], [ErrCompacted], [ErrEmpty],
// [ErrNoSnapshot], [ErrUnavailable]) are the replica package's own. Its
// payloads are opaque bytes (encoded change records); revisions start at 0
// and follow each other without gaps.
// [Log.Append] adds revision rev only if the log's head is rev-1, an etcd
// transaction that compares the head key and writes the entry and the new
// head together, so two writers never both commit one revision; the loser
// gets an error matching [ErrConflict] that carries the head, catches up and
// retries. [Log.Read] pages through the entries from a revision,
// [Log.Watch] delivers every entry from a revision in order and then every
// new one as it is appended. [Log.PutSnapshot] stores a snapshot in chunks,
// [Log.LatestSnapshot] reads the newest back, and [Log.Compact] deletes the
// entries a snapshot covers; a reader that asks for a deleted entry gets
// [ErrCompacted] and resyncs from the snapshot.
//
// A [Lockout] counts failed logins per key in etcd, atomically across
// replicas, and locks a key once its count reaches the threshold. Counts
// and locks are attached to etcd leases of the lock duration, so etcd
// expires them.
//
// # Keys
//
// Under the prefix P (revisions written as 20 decimal digits, so that the
// order of keys is the order of revisions):
//
//	P head                         the newest revision
//	P log/<rev>                    revision rev: a format byte, the writer's tag, the payload
//	P snapshot                     the newest snapshot: revision, id, size, chunk count, CRC-32C
//	P snap/<rev>/<id>/<chunk>      one chunk (up to 1 MiB) of a snapshot's bytes
//	P lockout/count/<key>          the failure count of key, leased
//	P lockout/lock/<key>           present while key is locked, leased
//
// Every call talks to etcd under a timeout ([WithTimeout]); an etcd that
// cannot be reached, has no leader or does not answer in time gives an
// error matching [ErrUnavailable], which is worth retrying. A [Log] and a
// [Lockout] are safe for use by many goroutines.
package etcdlog
