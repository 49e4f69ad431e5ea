package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/pdp-authz/pdp/journal"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// defaultSnapshotEvery is how many change records a durable engine
// journals between two snapshots unless [WithSnapshotEvery] says otherwise.
const defaultSnapshotEvery = 10_000

// recoverBatch is how many journaled records recovery applies in one
// atomic change.
const recoverBatch = 4096

// WithSnapshotEvery makes a durable engine write a snapshot file after
// every n change records (default 10,000), in the background; the journal
// then drops the log files the snapshot covers, so that reopening reads
// the snapshot and at most about n records.
func WithSnapshotEvery(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return model.Errorf(model.ErrInvalidOption, "snapshots must come every 1 or more records")
		}
		c.snapEvery = n
		return nil
	}
}

// WithSegmentSize sets the size at which a durable engine's journal closes
// a log file and begins the next (default 16 MiB).
func WithSegmentSize(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return model.Errorf(model.ErrInvalidOption, "the segment size must be positive")
		}
		c.journalOpts = append(c.journalOpts, journal.WithSegmentSize(n))
		return nil
	}
}

// durable is the journal of a durable engine and its snapshot schedule.
type durable struct {
	j        *journal.Journal
	every    uint64
	lastSnap atomic.Uint64 // the revision of the newest snapshot, or where the engine started
	running  atomic.Bool   // a background snapshot is being written
	wg       sync.WaitGroup
	mu       sync.Mutex
	closing  bool  // Close began: no more background snapshots (mu)
	snapErr  error // the last background snapshot's error, reported by Close (mu)
}

// Open returns a durable engine on the directory dir (reference §20), created if
// needed. A fresh directory starts from the bootstrap (a root password or
// hash is required, as for [New]); otherwise Open recovers the state from
// the newest snapshot file and the journal after it (the root password
// options are then ignored): a torn last write is dropped, any other damage
// refuses to open with an error naming the file and the byte offset, and
// a record the engine can not apply (a future format version, a password
// hash the hasher refuses) refuses too.
//
// Every change is acknowledged (its statement returns) only once its
// change record is on stable storage, and becomes visible to decisions,
// sessions and the change feed only then; concurrent writers share
// fsyncs. If the journal fails, the statement reports it, nothing not
// acknowledged becomes visible, and the engine refuses every later
// change. One process at a time may open a directory. Call
// [Engine.Close] when done.
func Open(dir string, opts ...Option) (*Engine, error) {
	e, err := blank(opts)
	if err != nil {
		return nil, err
	}
	if e.cfg.sequencer != nil {
		return nil, model.Errorf(model.ErrInvalidOption, "a replica keeps its state in the shared log, not in a directory")
	}
	j, rec, err := journal.Open(dir, e.cfg.journalOpts...)
	if err != nil {
		return nil, model.Errorf(model.ErrStorage, "open %s: %s", dir, err.Error())
	}
	st := &durable{j: j, every: uint64(e.cfg.snapEvery)}
	if err := e.recover(rec); err != nil {
		j.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	e.store = st
	if e.head == nil {
		if err := e.bootstrap(); err != nil {
			j.Close()
			return nil, err
		}
	}
	e.cfg.rootPassword, e.cfg.rootHash = "", ""
	if rec.Snapshot != nil {
		st.lastSnap.Store(rec.Snapshot.Revision)
	}
	return e, nil
}

// recover rebuilds the state from what the journal recovered: the
// snapshot, then the records after it, in batches.
func (e *Engine) recover(rec *journal.Recovered) error {
	if rec.Snapshot != nil {
		if err := e.restore(bytes.NewReader(rec.Snapshot.Data)); err != nil {
			return fmt.Errorf("snapshot at revision %d: %w", rec.Snapshot.Revision, err)
		}
		if e.head.rev != rec.Snapshot.Revision {
			return model.Errorf(model.ErrReplay, "the snapshot file of revision %d holds revision %d", rec.Snapshot.Revision, e.head.rev)
		}
	}
	batch := make([]*record.Record, 0, recoverBatch)
	for i, entry := range rec.Entries {
		r, err := record.Decode(entry.Payload)
		if err != nil {
			return model.Errorf(model.ErrReplay, "journal record at revision %d: %s", entry.Revision, err.Error())
		}
		if r.Revision != entry.Revision {
			return model.Errorf(model.ErrReplay, "the journal entry of revision %d holds record %d", entry.Revision, r.Revision)
		}
		if err := e.acceptable(r); err != nil {
			return err
		}
		batch = append(batch, r)
		if len(batch) == cap(batch) || i == len(rec.Entries)-1 {
			if err := e.replay(batch, false); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}

// append queues recs on the journal (the writer's lock is held, so they
// queue in revision order) and returns the wait for the last one.
func (d *durable) append(recs []*record.Record) (func() error, error) {
	var p *journal.Pending
	for _, r := range recs {
		payload, err := record.Encode(r)
		if err != nil {
			return nil, model.Errorf(model.ErrStorage, "change record %d: %s", r.Revision, err.Error())
		}
		p = d.j.AppendAsync(r.Revision, payload)
	}
	return p.Wait, nil
}

// published starts a background snapshot when enough records were
// journaled since the last one and none is being written.
func (d *durable) published(e *Engine) {
	if e.cur.Load().rev < d.lastSnap.Load()+d.every {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closing || !d.running.CompareAndSwap(false, true) {
		return
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		defer d.running.Store(false)
		snap := e.cur.Load() // the newest published state: durable
		err := d.j.WriteSnapshot(snap.rev, func(w io.Writer) error {
			return writeSnapshot(snap, w)
		})
		d.mu.Lock()
		d.snapErr = err
		d.mu.Unlock()
		if err == nil {
			d.lastSnap.Store(snap.rev)
		}
	}()
}

// Close closes a durable engine: it waits for the changes in flight and a
// snapshot being written, closes the journal and refuses later changes
// (decisions and logins go on, on the last state). It returns the error
// of the journal, or of the last background snapshot, if any. Close of an
// in-memory engine does nothing.
func (e *Engine) Close() error {
	if !e.ready() || e.store == nil {
		return nil
	}
	e.mu.Lock()
	closed := model.Errorf(model.ErrStorage, "the engine is closed")
	e.broken.CompareAndSwap(nil, &closed)
	e.mu.Unlock()
	d := e.store
	d.mu.Lock()
	d.closing = true
	d.mu.Unlock()
	d.wg.Wait()
	err := d.j.Close()
	e.feed.close(closed)
	d.mu.Lock()
	defer d.mu.Unlock()
	return errors.Join(err, d.snapErr)
}

// Create makes a durable engine directory dir (created if needed, holding
// no journal yet) that starts from the state of a snapshot file read from
// r, and returns the engine open on it, as [Open] would. The snapshot is
// checked as [Restore] checks it (a refused file creates nothing); the
// directory then holds it as its first snapshot, and its journal goes on
// from the revision after.
func Create(dir string, r io.Reader, opts ...Option) (*Engine, error) {
	e, err := Restore(r, opts...)
	if err != nil {
		return nil, err
	}
	snap := e.Snapshot()
	err = journal.Create(dir, snap.rev, func(w io.Writer) error { return writeSnapshot(snap, w) })
	if err != nil {
		return nil, model.Errorf(model.ErrStorage, "create %s: %s", dir, err.Error())
	}
	j, rec, err := journal.Open(dir, e.cfg.journalOpts...)
	if err != nil {
		return nil, model.Errorf(model.ErrStorage, "open %s: %s", dir, err.Error())
	}
	if rec.Snapshot == nil || rec.Snapshot.Revision != snap.rev || len(rec.Entries) > 0 {
		j.Close()
		return nil, model.Errorf(model.ErrStorage, "open %s: another process wrote to the new directory", dir)
	}
	st := &durable{j: j, every: uint64(e.cfg.snapEvery)}
	st.lastSnap.Store(snap.rev)
	e.store = st
	return e, nil
}
