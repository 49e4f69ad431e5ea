package engine

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// A Sequencer orders the changes of engines kept in step through one
// shared log of change records (reference §20): a replica's engine hands
// it the record of every change it commits, and the record becomes the
// log's next revision only if no other writer took that revision first.
// The package replica implements it over a log such as etcd's.
type Sequencer interface {
	// Append makes rec the log's revision rec.Revision, provided the
	// log's newest revision is rec.Revision-1, and returns once the log
	// holds it. When the log is already past that, it returns an error
	// matching ErrBehind: the engine then calls CatchUp and runs the
	// statement again from its first stage, on the new state. Any other
	// error fails the statement, with nothing changed locally; one
	// matching model.ErrUnavailable is worth retrying.
	Append(ctx context.Context, rec *record.Record) error
	// CatchUp applies to the engine ([Engine.Apply]) the records of the
	// log after the engine's revision, at least up to the newest one the
	// log held when Append refused.
	CatchUp(ctx context.Context) error
}

// ErrBehind is what a [Sequencer]'s Append returns when the shared log
// holds records the engine has not applied yet.
var ErrBehind = errors.New("the engine is behind the shared log")

// maxCatchUps bounds how many times one statement is run again after other
// writers took the revision it was to commit at.
const maxCatchUps = 64

// sequencerTimeout bounds one append to the shared log, and one catch-up.
const sequencerTimeout = 10 * time.Second

// WithSequencer makes the engine a replica: every change it commits is
// first appended to the shared log through s (reference §20), and is
// acknowledged, and visible, only once the log holds it. A statement that
// loses the race for a revision to another replica catches up and runs
// again from its first stage, so it is judged on the state it commits on.
// Records applied with [Engine.Apply] are not appended: they come from
// the log. A replica keeps no journal: [Open] refuses this option.
func WithSequencer(s Sequencer) Option {
	return func(c *config) error {
		if s == nil {
			return model.Errorf(model.ErrInvalidOption, "no sequencer given")
		}
		c.sequencer = s
		return nil
	}
}

// sequence appends the change record of a commit to the shared log; the
// writer's lock is held, so one append is in flight at a time.
func (e *Engine) sequence(recs []*record.Record) error {
	ctx, cancel := context.WithTimeout(context.Background(), sequencerTimeout)
	defer cancel()
	for _, r := range recs {
		if err := e.cfg.sequencer.Append(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// replicated runs attempt, one run of a statement from its first stage,
// until it does not lose the race for its revision: after each loss the
// engine catches up with the shared log and the statement runs again on
// the new state. Without a sequencer it runs attempt once.
func (e *Engine) replicated(attempt func() error) error {
	for range maxCatchUps {
		err := attempt()
		if e.cfg.sequencer == nil || !errors.Is(err, ErrBehind) {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), sequencerTimeout)
		err = e.cfg.sequencer.CatchUp(ctx)
		cancel()
		if err != nil {
			return err
		}
	}
	return model.Errorf(model.ErrUnavailable, "other replicas kept taking the next revision of the shared log; the statement changed nothing, try again")
}

// MarkStale makes the engine fail closed (reference §20): from now on
// every decision is denied with [ReasonReplicaStale], and logins and
// statements fail with an error matching model.ErrStale that carries
// cause, until [Engine.Resynced]. A replica calls it when it can not apply
// a record of the shared log or lags too far behind it.
func (e *Engine) MarkStale(cause error) {
	if !e.ready() {
		return
	}
	msg := "replica stale"
	if cause != nil {
		msg += ": " + cause.Error()
	}
	err := error(&model.Error{Kind: model.ErrStale, Msg: msg})
	e.pub.mu.Lock()
	defer e.pub.mu.Unlock()
	e.stale.Store(&err)
	e.restampLocked()
}

// Resynced ends what [Engine.MarkStale] began: decisions, logins and
// statements go on, on the engine's current state.
func (e *Engine) Resynced() {
	if !e.ready() {
		return
	}
	e.pub.mu.Lock()
	defer e.pub.mu.Unlock()
	e.stale.Store(nil)
	e.restampLocked()
}

// Stale returns the error that made the engine fail closed, or nil.
func (e *Engine) Stale() error {
	if !e.ready() {
		return nil
	}
	if err := e.stale.Load(); err != nil {
		return *err
	}
	return nil
}

// restampLocked republishes the current snapshot marked as the engine's stale
// state says, so that Check reads one field of the snapshot it already
// holds. A copy is published: readers holding the old one keep it as it
// was. e.pub.mu is held.
func (e *Engine) restampLocked() {
	cur := e.cur.Load()
	if cur == nil {
		return
	}
	stale := e.stale.Load() != nil
	if cur.stale == stale {
		return
	}
	next := *cur
	next.stale = stale
	e.cur.Store(&next)
}

// staleError returns the error of a replica that fails closed; a snapshot
// marked stale was published, so the engine's error is set, unless
// Resynced came in between: then the generic one.
func (e *Engine) staleError() error {
	if err := e.Stale(); err != nil {
		return err
	}
	return model.Errorf(model.ErrStale, "replica stale")
}

// Reset replaces the engine's whole state with that of a snapshot file
// (written by [Engine.WriteSnapshot] or [Snapshot.WriteFile] of an engine
// on the same log) of a revision at or past the engine's: a replica whose
// next records were compacted away, or that can not apply one, resyncs so
// (reference §20). Sessions go on, since IDs are those of the log;
// subscribers of [Engine.Changes] from before the snapshot's revision must
// resync. Automatic locks that a [SharedLockout] reported are confirmed
// with it at the next login, as the records skipped may have lifted them.
// A file refused as by [Restore], or an older revision, changes nothing. A
// durable engine refuses: its journal is its state.
func (e *Engine) Reset(r io.Reader) error {
	if !e.ready() {
		return errNoEngine
	}
	if e.store != nil {
		return model.Errorf(model.ErrInvalidOption, "a durable engine can not be reset")
	}
	fresh, err := catalog.Open()
	if err != nil {
		return err
	}
	t := &Engine{db: fresh, cfg: e.cfg, pub: newPublisher(), feed: newFeed(1)}
	if err := t.restore(r); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.settled(); err != nil {
		return err
	}
	if e.head != nil && t.head.rev < e.head.rev {
		return model.Errorf(model.ErrReplay, "the snapshot of revision %d is older than the engine's revision %d", t.head.rev, e.head.rev)
	}
	e.db, e.head = t.db, t.head
	e.pub.mu.Lock()
	defer e.pub.mu.Unlock()
	e.feed.skip(t.head.rev)
	e.cur.Store(t.head)
	e.restampLocked()
	e.pub.cond.Broadcast()
	e.logins.recheckAll()
	return nil
}

// WriteFile writes the state of this snapshot as a snapshot file to w, the
// format [Restore] and [Engine.Reset] read; its revision is
// [Snapshot.Revision].
func (s *Snapshot) WriteFile(w io.Writer) error {
	if s.empty() {
		return errNoEngine
	}
	return writeSnapshot(s, w)
}
