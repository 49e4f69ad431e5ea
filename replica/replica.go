package replica

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// Defaults of the options.
const (
	defaultMaxLag        = 5 * time.Second
	defaultPoll          = 500 * time.Millisecond
	defaultSnapshotEvery = 10_000
	defaultKeep          = 10_000
	defaultTimeout       = 5 * time.Second
	appendTries          = 3                     // attempts of one append that fails with ErrUnavailable
	catchUpWait          = 20 * time.Millisecond // how long a writer that lost a race waits for the watch
)

// Option configures [Open].
type Option func(*config) error

type config struct {
	engineOpts []engine.Option
	maxLag     time.Duration
	poll       time.Duration
	snapEvery  uint64
	keep       uint64
	timeout    time.Duration
	now        func() time.Time
}

// WithEngineOptions passes options to the replica's engine: the hasher,
// limits, lockout, and, for a log that is still empty, root's password or
// hash (the first replica writes the bootstrap record 0; the others start
// from it).
func WithEngineOptions(opts ...engine.Option) Option {
	return func(c *config) error { c.engineOpts = append(c.engineOpts, opts...); return nil }
}

// WithMaxLag sets how long the replica may know of a record of the log it
// has not applied before it fails closed (default 5 s); it recovers once
// it has caught up. While the log can not be reached the replica knows of
// no new record: it goes on deciding on what it applied, and
// [Replica.Status] says since when it has not heard from the log.
func WithMaxLag(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return model.Errorf(model.ErrInvalidOption, "the maximum lag must be positive")
		}
		c.maxLag = d
		return nil
	}
}

// WithPollInterval sets how often the replica asks the log for its head,
// to measure its lag (default 500 ms).
func WithPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return model.Errorf(model.ErrInvalidOption, "the poll interval must be positive")
		}
		c.poll = d
		return nil
	}
}

// WithSnapshotEvery makes the replica, when it commits a revision n or
// more past the last snapshot it stored, store a snapshot of its state in
// the log and compact the log up to keep records before it (defaults
// 10,000 and 10,000), so that a replica starting late reads a snapshot and
// a bounded tail.
func WithSnapshotEvery(n, keep uint64) Option {
	return func(c *config) error {
		if n < 1 {
			return model.Errorf(model.ErrInvalidOption, "snapshots must come every 1 or more records")
		}
		c.snapEvery, c.keep = n, keep
		return nil
	}
}

// WithTimeout bounds each exchange with the log (default 5 s).
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return model.Errorf(model.ErrInvalidOption, "the timeout must be positive")
		}
		c.timeout = d
		return nil
	}
}

// Replica is an engine kept in step with the other replicas of a [Log].
// Use [Replica.Engine] for logins, sessions and decisions as with any
// engine; its statements are committed through the log. Close it when
// done. Its methods are safe for concurrent use.
type Replica struct {
	log Log
	eng *engine.Engine
	cfg config

	bg     context.Context // ends at Close
	cancel context.CancelFunc
	done   sync.WaitGroup // the goroutines following the log, and snapshots being stored

	known       atomic.Uint64 // the newest revision known to be in the log
	behindSince atomic.Int64  // Unix nanoseconds since the replica knows of records it has not applied; 0 when none
	contact     atomic.Int64  // Unix nanoseconds of the last successful exchange with the log
	lagStale    atomic.Bool   // the replica failed closed because of its lag

	applyMu  sync.Mutex    // one applier at a time: the watcher or a catch-up
	notify   chan struct{} // closed and replaced whenever the revision moves
	notifMu  sync.Mutex
	snapOn   atomic.Bool   // a snapshot is being stored
	lastSnap atomic.Uint64 // the revision of the last snapshot this replica began to store
	lost     atomic.Uint64 // the revision the last append lost to another writer
}

// Open returns a replica of the state kept in log: it starts from the
// latest snapshot and the records after it, or from record 0, or, when
// the log is empty, writes record 0 itself (root's password or hash must
// then be among the engine options). It then follows the log until
// [Replica.Close]. ctx bounds only the start.
func Open(ctx context.Context, log Log, opts ...Option) (*Replica, error) {
	cfg := config{maxLag: defaultMaxLag, poll: defaultPoll, snapEvery: defaultSnapshotEvery, keep: defaultKeep,
		timeout: defaultTimeout, now: time.Now}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	r := &Replica{log: log, cfg: cfg, notify: make(chan struct{})}
	r.bg, r.cancel = context.WithCancel(context.Background())
	eng, err := r.start(ctx)
	if err != nil {
		r.cancel()
		return nil, err
	}
	r.eng = eng
	// A record it can not apply leaves the replica stale (MarkStale), not
	// unopened: it fails closed until a later snapshot lets it resync.
	if err := r.catchUp(ctx); err != nil && !errors.Is(err, model.ErrReplay) {
		r.cancel()
		return nil, err
	}
	r.touch()
	r.done.Add(2)
	go r.follow(r.bg)
	go r.watchLag(r.bg)
	return r, nil
}

// start makes the engine: from the latest snapshot, from record 0, or by
// writing record 0 into an empty log.
func (r *Replica) start(ctx context.Context) (*engine.Engine, error) {
	for {
		snap, err := r.log.LatestSnapshot(ctx)
		switch {
		case err == nil:
			return engine.Restore(bytes.NewReader(snap.Data), r.engineOptions()...)
		case !errors.Is(err, ErrNoSnapshot):
			return nil, fmt.Errorf("replica: read the latest snapshot: %w", err)
		}
		for e, err := range r.log.Read(ctx, 0) {
			if err != nil {
				return nil, fmt.Errorf("replica: read record 0: %w", err)
			}
			rec, err := record.Decode(e.Payload)
			if err != nil {
				return nil, model.Errorf(model.ErrReplay, "record 0 of the log: %s", err.Error())
			}
			return engine.New(append(r.engineOptions(), engine.WithBootstrap(rec))...)
		}
		eng, err := engine.New(r.engineOptions()...)
		if !errors.Is(err, engine.ErrBehind) {
			return eng, err
		}
		// another replica wrote record 0 first: start from it
	}
}

func (r *Replica) engineOptions() []engine.Option {
	return append(append([]engine.Option(nil), r.cfg.engineOpts...), engine.WithSequencer(sequencer{r}))
}

// Engine returns the replica's engine.
func (r *Replica) Engine() *engine.Engine { return r.eng }

// Revision returns the revision the replica has applied.
func (r *Replica) Revision() uint64 {
	if r.eng == nil { // still writing record 0
		return 0
	}
	return r.eng.Snapshot().Revision()
}

// WaitFor waits until the replica has applied revision rev (for instance
// the revision another replica reported after a write), so that what
// follows reads that write: read-your-writes across replicas. It returns
// ctx's error if ctx ends first, and the replica's error if it stopped
// following the log.
func (r *Replica) WaitFor(ctx context.Context, rev uint64) error {
	for {
		r.notifMu.Lock()
		ch := r.notify
		r.notifMu.Unlock()
		if r.Revision() >= rev {
			return nil
		}
		if r.bg.Err() != nil {
			return errClosed
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// moved wakes the waiters of WaitFor.
func (r *Replica) moved() {
	r.notifMu.Lock()
	close(r.notify)
	r.notify = make(chan struct{})
	r.notifMu.Unlock()
}

// Status is how a replica stands with the log.
type Status struct {
	// Revision is the revision the replica has applied.
	Revision uint64
	// Known is the newest revision the replica knows the log holds.
	Known uint64
	// LastContact is when the replica last heard from the log.
	LastContact time.Time
	// Stale is why the replica fails closed, or nil.
	Stale error
}

// Status reports how the replica stands with the log: how far behind it
// knows itself to be, and since when it has not heard from the log (while
// the log can not be reached, decisions go on from the last applied
// revision).
func (r *Replica) Status() Status {
	return Status{Revision: r.Revision(), Known: max(r.known.Load(), r.Revision()),
		LastContact: time.Unix(0, r.contact.Load()), Stale: r.eng.Stale()}
}

// Close stops following the log. The engine stays usable for decisions
// on its last state; its statements can still be committed through the
// log but are no longer followed by records of other replicas.
func (r *Replica) Close() error {
	r.cancel()
	r.done.Wait()
	r.moved()
	return nil
}

// errClosed is what WaitFor returns once the replica is closed.
var errClosed = model.Errorf(model.ErrUnavailable, "the replica is closed")

// touch records a successful exchange with the log.
func (r *Replica) touch() { r.contact.Store(r.cfg.now().UnixNano()) }

// saw records that the log holds revision rev.
func (r *Replica) saw(rev uint64) {
	for {
		k := r.known.Load()
		if rev <= k || r.known.CompareAndSwap(k, rev) {
			break
		}
	}
	if rev > r.Revision() {
		r.behindSince.CompareAndSwap(0, r.cfg.now().UnixNano())
	}
}

// apply applies one entry of the log; an entry the engine can not apply
// makes the replica fail closed.
func (r *Replica) apply(e Entry) error {
	r.saw(e.Revision)
	if e.Revision <= r.Revision() {
		return nil
	}
	rec, err := record.Decode(e.Payload)
	if err == nil && rec.Revision != e.Revision {
		err = fmt.Errorf("the entry holds record %d", rec.Revision)
	}
	if err == nil {
		err = r.eng.Apply(rec)
	}
	if err != nil {
		err = model.Errorf(model.ErrReplay, "record %d of the log can not be applied: %s", e.Revision, err.Error())
		r.eng.MarkStale(err)
		return err
	}
	if r.Revision() >= r.known.Load() {
		r.behindSince.Store(0)
	}
	r.moved()
	return nil
}

// catchUp applies the records of the log after the replica's revision, up
// to the head; records compacted away are resynced from the snapshot.
func (r *Replica) catchUp(ctx context.Context) error {
	r.applyMu.Lock()
	defer r.applyMu.Unlock()
	for range 3 { // a resync, then the records after the snapshot
		compacted, err := r.readOn(ctx)
		if err != nil || !compacted {
			return err
		}
		if err := r.resync(ctx); err != nil {
			return err
		}
	}
	return model.Errorf(model.ErrUnavailable, "the log kept being compacted past the replica's revision %d", r.Revision())
}

// readOn applies the records of the log after the replica's revision;
// compacted reports that they were compacted away. applyMu is held.
func (r *Replica) readOn(ctx context.Context) (compacted bool, err error) {
	for e, err := range r.log.Read(ctx, r.Revision()+1) {
		if errors.Is(err, ErrCompacted) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if err := r.apply(e); err != nil {
			return false, err
		}
	}
	r.touch()
	return false, nil
}

// resync replaces the replica's state with the latest snapshot, when the
// records it needs were compacted away; applyMu is held.
func (r *Replica) resync(ctx context.Context) error {
	snap, err := r.log.LatestSnapshot(ctx)
	if err != nil {
		return fmt.Errorf("replica: resync: %w", err)
	}
	if snap.Revision <= r.Revision() {
		return nil // the replica is past the records compacted: read on from its revision
	}
	if err := r.eng.Reset(bytes.NewReader(snap.Data)); err != nil {
		r.eng.MarkStale(err)
		return err
	}
	r.moved()
	return nil
}

// follow applies the records of the log as they come, until ctx ends. On
// an error it starts again from the replica's revision after a pause;
// a record it can not apply leaves it stale until a snapshot past that
// record lets it resync.
func (r *Replica) follow(ctx context.Context) {
	defer r.done.Done()
	for ctx.Err() == nil {
		err := r.watch(ctx)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, model.ErrReplay) {
			r.recover(ctx)
		}
		sleep(ctx, r.cfg.poll)
	}
}

// watch follows the log from the replica's revision until an error.
func (r *Replica) watch(ctx context.Context) error {
	for e, err := range r.log.Watch(ctx, r.Revision()+1) {
		if errors.Is(err, ErrCompacted) {
			r.applyMu.Lock()
			err = r.resync(ctx)
			r.applyMu.Unlock()
			if err != nil {
				return err
			}
			return nil // watch again from the snapshot's revision
		}
		if err != nil {
			return err
		}
		r.touch()
		r.applyMu.Lock()
		err = r.apply(e)
		r.applyMu.Unlock()
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// recover tries, until ctx ends, to get past a record the replica could
// not apply: from a snapshot of a later revision once one is stored.
func (r *Replica) recover(ctx context.Context) {
	for ctx.Err() == nil {
		snap, err := r.log.LatestSnapshot(ctx)
		if err == nil && snap.Revision > r.Revision() {
			r.applyMu.Lock()
			err = r.eng.Reset(bytes.NewReader(snap.Data))
			r.applyMu.Unlock()
			if err == nil {
				r.eng.Resynced()
				r.moved()
				return
			}
		}
		sleep(ctx, r.cfg.poll)
	}
}

// watchLag polls the log's head and fails the replica closed while it
// knows of records it has not applied for longer than the maximum lag.
func (r *Replica) watchLag(ctx context.Context) {
	defer r.done.Done()
	for ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, r.cfg.timeout)
		head, err := r.log.Head(pctx)
		cancel()
		if err == nil {
			r.touch()
			r.saw(head)
		}
		r.judgeLag()
		sleep(ctx, r.cfg.poll)
	}
}

// judgeLag marks the replica stale when it lags too long, and lifts a
// stale mark of its own once it has caught up.
func (r *Replica) judgeLag() {
	since := r.behindSince.Load()
	if since != 0 && r.Revision() >= r.known.Load() {
		r.behindSince.CompareAndSwap(since, 0)
		since = 0
	}
	lagging := since != 0 && r.cfg.now().Sub(time.Unix(0, since)) > r.cfg.maxLag
	switch {
	case lagging && r.eng.Stale() == nil:
		r.lagStale.Store(true)
		r.eng.MarkStale(fmt.Errorf("revision %d applied, revision %d in the log for more than %s", r.Revision(), r.known.Load(), r.cfg.maxLag))
	case !lagging && r.lagStale.Load():
		r.lagStale.Store(false)
		r.eng.Resynced()
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// sequencer is the replica's [engine.Sequencer]: it appends the engine's
// records to the log.
type sequencer struct{ r *Replica }

// Append implements [engine.Sequencer]. It retries an append that failed
// with ErrUnavailable (the log recognises the very same bytes appended
// again), so that an append whose answer was lost is not reported as
// failed.
func (s sequencer) Append(ctx context.Context, rec *record.Record) error {
	r := s.r
	payload, err := record.Encode(rec)
	if err != nil {
		return model.Errorf(model.ErrStorage, "change record %d: %s", rec.Revision, err.Error())
	}
	for try := 1; ; try++ {
		actx, cancel := context.WithTimeout(ctx, r.cfg.timeout)
		err = r.log.Append(actx, rec.Revision, payload)
		cancel()
		switch {
		case err == nil:
			r.touch()
			r.saw(rec.Revision)
			r.snapshotAfter(rec.Revision)
			return nil
		case errors.Is(err, ErrConflict):
			r.touch()
			r.saw(rec.Revision)
			r.lost.Store(rec.Revision)
			return fmt.Errorf("%w: %w", engine.ErrBehind, err)
		case errors.Is(err, ErrUnavailable) && try < appendTries && ctx.Err() == nil:
			continue
		case errors.Is(err, ErrUnavailable):
			return model.Errorf(model.ErrUnavailable,
				"the shared log did not answer; the change may or may not have been committed (revision %d): %s", rec.Revision, err.Error())
		}
		return model.Errorf(model.ErrStorage, "the shared log refused revision %d: %s", rec.Revision, err.Error())
	}
}

// CatchUp implements [engine.Sequencer]. The record that took the
// revision usually reaches the replica's watch within a fraction of a
// millisecond of its writer's acknowledgement: the replica waits for it
// briefly before reading the log itself, so that a writer that lost a
// race is not behind again, by a round trip, when it retries.
func (s sequencer) CatchUp(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, catchUpWait)
	err := s.r.WaitFor(wctx, s.r.lost.Load())
	cancel()
	if err == nil {
		return nil
	}
	if err := s.r.catchUp(ctx); err != nil {
		if errors.Is(err, ErrUnavailable) {
			return model.Errorf(model.ErrUnavailable, "the shared log can not be reached: %s", err.Error())
		}
		return err
	}
	return nil
}

// snapshotAfter stores a snapshot, in the background, when the replica
// committed a revision at least the snapshot interval past the last one
// it stored, and compacts the log behind it. Every replica does so for its
// own commits: the log keeps the newest snapshot.
func (r *Replica) snapshotAfter(rev uint64) {
	if rev < r.lastSnap.Load()+r.cfg.snapEvery || r.bg.Err() != nil || !r.snapOn.CompareAndSwap(false, true) {
		return
	}
	r.lastSnap.Store(rev)
	r.done.Add(1)
	go func() {
		defer r.done.Done()
		defer r.snapOn.Store(false)
		ctx, cancel := context.WithTimeout(r.bg, 4*r.cfg.timeout)
		defer cancel()
		if r.WaitFor(ctx, rev) != nil {
			return
		}
		snap := r.eng.Snapshot()
		var buf bytes.Buffer
		if snap.WriteFile(&buf) != nil || r.log.PutSnapshot(ctx, snap.Revision(), buf.Bytes()) != nil {
			return
		}
		if snap.Revision() > r.cfg.keep {
			_ = r.log.Compact(ctx, snap.Revision()-r.cfg.keep)
		}
	}()
}
