package engine

import (
	"sync"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// The commit pipeline (reference §11, §20). A write runs in two steps:
//
//  1. commit, under the writer's lock: the statement runs in a catalog
//     write transaction, the next decision snapshot is derived, the change
//     record is made (and, on a durable engine, queued on the journal),
//     the catalog commits and the snapshot becomes the head, the state the
//     next writer starts from. The lock is released.
//  2. await, outside the lock: wait until the record is on stable storage
//     (concurrent writers share one fsync), then publish every committed
//     snapshot up to it in revision order, and hand its record to the
//     change feed.
//
// So a change becomes visible to decisions, sessions and the change feed
// only once it is durable, and a statement returns only then. An engine
// without a journal publishes at once.

// commit is one committed change on its way to being published.
type commit struct {
	snap   *Snapshot
	recs   []*record.Record // its change record; several when applied in one batch
	unkept bool             // an in-memory engine's bulk load: its record's operations were not logged
	after  []func()         // effects outside the catalog (volatile login state)
	shared []sharedEffect   // effects on the shared lockout, made by the engine that ran the statement
	wait   func() error     // waits until the records are durable; nil in memory
}

// publisher holds the committed changes not yet published, in revision
// order.
type publisher struct {
	mu    sync.Mutex
	cond  *sync.Cond // broadcast on every publication and when writes stop
	queue []*commit
}

func newPublisher() *publisher {
	p := &publisher{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// update runs fn as one atomic change: on success it commits, and returns
// once the change is published (durable, on a durable engine) and its
// effects on the shared lockout are made; on any error nothing changes.
func (e *Engine) update(fn func(w *writer) error) error {
	c, err := e.commit(fn, nil)
	if err != nil || c == nil {
		return err
	}
	if err := e.await(c); err != nil {
		return err
	}
	e.share(c.shared)
	return nil
}

// commit runs step 1 of the pipeline. given are records to apply
// ([Engine.Apply], recovery): fn replays them (w.replaying) and they are
// published as they are; those at or below the head's revision are
// skipped, and if none is left nothing happens (c is nil).
func (e *Engine) commit(fn func(w *writer) error, given []*record.Record) (c *commit, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.stopped(); err != nil {
		return nil, err
	}
	base, rev := e.head, uint64(0)
	if base == nil {
		base = &Snapshot{intro: &introCache{}} // before the bootstrap: nothing
	} else {
		rev = base.rev + 1
	}
	if given != nil {
		if given, err = following(given, e.head != nil, rev); err != nil || len(given) == 0 {
			return nil, err
		}
	}
	tx := e.db.Write()
	defer func() {
		if err != nil {
			tx.Abort() // gives back the IDs it took, too
		}
	}()
	if e.store == nil && given == nil {
		tx.LimitLog(maxFeedOps) // nothing could keep a larger record
	}
	w := &writer{Tx: tx, e: e, base: base, replaying: given}
	if err = fn(w); err != nil {
		return nil, err
	}
	if err = tx.Err(); err != nil {
		return nil, err
	}
	next := base.derive(tx)
	if err = tx.Err(); err != nil {
		return nil, err
	}
	next.intro = base.intro.carry(base, tx)
	recs := given
	if recs == nil {
		recs = []*record.Record{{Revision: rev, UnixNano: e.cfg.now().UnixNano(), Statement: w.statement(), Ops: recordOps(tx.Writes())}}
	}
	next.rev, next.at = recs[len(recs)-1].Revision, recs[len(recs)-1].UnixNano
	c = &commit{snap: next, recs: recs, unkept: tx.Overflowed(), after: w.after, shared: w.shared}
	if e.cfg.sequencer != nil && given == nil {
		if err = e.sequence(recs); err != nil {
			return nil, err
		}
	}
	if e.store != nil {
		if c.wait, err = e.store.append(recs); err != nil {
			return nil, err
		}
	}
	tx.Commit()
	next.cat = e.db.Snapshot()
	e.head = next
	e.pub.mu.Lock()
	e.pub.queue = append(e.pub.queue, c)
	e.pub.mu.Unlock()
	return c, nil
}

// following returns the records of recs after the head's revision, which
// must follow each other from rev on (booted: the engine has a head).
func following(recs []*record.Record, booted bool, rev uint64) ([]*record.Record, error) {
	for len(recs) > 0 && booted && recs[0].Revision < rev {
		recs = recs[1:]
	}
	for i, r := range recs {
		if want := rev + uint64(i); r.Revision != want {
			if want == 0 {
				return nil, model.Errorf(model.ErrReplay, "record %d can not start an engine: the bootstrap is record 0", r.Revision)
			}
			return nil, model.Errorf(model.ErrReplay, "record %d does not follow revision %d", r.Revision, want-1)
		}
	}
	return recs, nil
}

// await runs step 2 of the pipeline for c.
func (e *Engine) await(c *commit) error {
	if c.wait != nil {
		if err := c.wait(); err != nil {
			return e.fail(err)
		}
	}
	e.publish(c.snap.rev)
	if e.store != nil {
		e.store.published(e)
	}
	return nil
}

// publish publishes, in revision order, every committed change up to
// revision upTo, which is durable.
func (e *Engine) publish(upTo uint64) {
	p := e.pub
	p.mu.Lock()
	defer p.mu.Unlock()
	var last *Snapshot
	for len(p.queue) > 0 && p.queue[0].snap.rev <= upTo {
		c := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		for _, r := range c.recs {
			if c.unkept {
				e.feed.skip(r.Revision)
			} else {
				e.feed.add(r)
			}
		}
		for _, fn := range c.after {
			fn()
		}
		last = c.snap
	}
	if last != nil {
		if e.stale.Load() != nil {
			stamped := *last
			stamped.stale = true
			last = &stamped
		}
		e.cur.Store(last)
		p.cond.Broadcast()
	}
}

// settled waits until everything committed is published, so that the
// head is what readers see. The writer's lock is held.
func (e *Engine) settled() error {
	p := e.pub
	p.mu.Lock()
	defer p.mu.Unlock()
	for e.cur.Load().rev != e.head.rev {
		if err := e.stopped(); err != nil {
			return err
		}
		p.cond.Wait()
	}
	return nil
}

// fail stops writes after the journal failed: the failed change and every
// change committed after it stay unpublished for good. It returns the
// error the failed statement reports.
func (e *Engine) fail(cause error) error {
	err := model.Errorf(model.ErrStorage, "the change was not made durable, the engine accepts no more changes: %s", cause.Error())
	e.broken.CompareAndSwap(nil, &err)
	e.pub.mu.Lock()
	e.pub.cond.Broadcast()
	e.pub.mu.Unlock()
	return *e.broken.Load()
}

// stopped returns the error that stopped writes, or nil.
func (e *Engine) stopped() error {
	if err := e.broken.Load(); err != nil {
		return *err
	}
	return nil
}

// recordOps converts a transaction's writes to the operations of a record.
func recordOps(ws []catalog.Write) []record.Op {
	ops := make([]record.Op, len(ws))
	for i, w := range ws {
		if w.Delete {
			ops[i] = record.Delete(w.Rec)
		} else {
			ops[i] = record.Put(w.Rec)
		}
	}
	return ops
}

// statement returns the canonical text of the writer's statement.
func (w *writer) statement() string {
	if w.describe == nil {
		return ""
	}
	return w.describe()
}
