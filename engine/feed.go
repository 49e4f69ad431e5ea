package engine

import (
	"context"
	"iter"
	"sync"

	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// defaultFeedSize is how many recent change records an engine keeps for
// [Engine.Changes] unless [WithFeedSize] says otherwise.
const defaultFeedSize = 4096

// maxFeedOps bounds the operations the kept records hold together, so
// that bulk loads do not keep millions of operations alive. A record
// larger than that is not kept at all: a subscriber asking for it must
// resync from a snapshot. An in-memory engine does not even log the
// operations of a larger transaction.
const maxFeedOps = 1 << 16

// WithFeedSize sets how many recent change records the engine keeps for
// subscribers of [Engine.Changes] (default 4096): a subscriber that falls
// further behind must resync from a snapshot.
func WithFeedSize(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return model.Errorf(model.ErrInvalidOption, "the change feed must keep at least one record")
		}
		c.feedSize = n
		return nil
	}
}

// feed is the bounded ring of the most recently published change records.
type feed struct {
	mu    sync.Mutex
	ring  []*record.Record // ring[(first+i) % len(ring)], i < n, in revision order
	first int
	n     int
	ops   int           // operations of the records held
	next  uint64        // the revision of the next record to come
	wake  chan struct{} // closed and replaced when a record is added or the feed closes
	err   error         // set when the feed closes
}

func newFeed(size int) *feed {
	return &feed{ring: make([]*record.Record, size), wake: make(chan struct{})}
}

// start makes the feed begin after revision rev (a restored engine holds
// no records before it).
func (f *feed) start(next uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next = next
}

// add appends the next published record, evicting the oldest ones beyond
// the ring's size or its operations' bound.
func (f *feed) add(rec *record.Record) {
	f.mu.Lock()
	defer f.mu.Unlock()
	defer f.wakeUp()
	f.next = rec.Revision + 1
	if len(rec.Ops) > maxFeedOps {
		f.drop()
		return
	}
	for f.n > 0 && (f.n == len(f.ring) || f.ops+len(rec.Ops) > maxFeedOps) {
		f.ops -= len(f.ring[f.first].Ops)
		f.ring[f.first] = nil
		f.first = (f.first + 1) % len(f.ring)
		f.n--
	}
	f.ring[(f.first+f.n)%len(f.ring)] = rec
	f.n++
	f.ops += len(rec.Ops)
}

// skip publishes revision rev without its record, which the engine did
// not keep (an in-memory engine's bulk load): the records before it are
// dropped too, as they would be for a record too large to keep.
func (f *feed) skip(rev uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	defer f.wakeUp()
	f.next = rev + 1
	f.drop()
}

// drop forgets every record held.
func (f *feed) drop() {
	clear(f.ring)
	f.first, f.n, f.ops = 0, 0, 0
}

// wakeUp wakes the subscribers waiting for a record.
func (f *feed) wakeUp() {
	close(f.wake)
	f.wake = make(chan struct{})
}

// close ends every subscription with err.
func (f *feed) close(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
		close(f.wake)
	}
}

// since returns the held records from revision from on, or, when there
// are none yet, a channel closed when one comes. A revision no longer held
// is an ErrResync error.
func (f *feed) since(from uint64) ([]*record.Record, <-chan struct{}, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	oldest := f.next - uint64(f.n)
	switch {
	case from < oldest:
		return nil, nil, model.Errorf(model.ErrResync,
			"the change feed no longer holds revision %d (it holds %d to %d): resync from a snapshot", from, oldest, int64(f.next)-1)
	case from < f.next:
		out := make([]*record.Record, 0, f.next-from)
		for i := int(from - oldest); i < f.n; i++ {
			out = append(out, f.ring[(f.first+i)%len(f.ring)])
		}
		return out, nil, nil
	case f.err != nil:
		return nil, nil, f.err
	}
	return nil, f.wake, nil
}

// Changes returns the change records from revision from on, in revision
// order and without gaps, as they are published (durable): it yields the
// records the engine still holds, then waits for new ones until ctx is
// done, and yields ctx's error then. Any number of subscribers may follow
// the feed. The engine keeps only the most recent records ([WithFeedSize]);
// a subscriber that asks for, or falls behind to, a revision no longer
// held gets an error wrapping [model.ErrResync] and the iteration ends:
// it must resync from a snapshot ([Engine.WriteSnapshot]), never skip.
// The bootstrap is record 0 of an engine made by [New]; an engine made
// from a snapshot holds the records after the snapshot's revision.
// Records are shared: a subscriber must not modify them.
func (e *Engine) Changes(ctx context.Context, from uint64) iter.Seq2[record.Record, error] {
	return func(yield func(record.Record, error) bool) {
		if !e.ready() {
			yield(record.Record{}, errNoEngine)
			return
		}
		next := from
		for {
			recs, wake, err := e.feed.since(next)
			if err != nil {
				yield(record.Record{}, err)
				return
			}
			for _, r := range recs {
				if !yield(*r, nil) {
					return
				}
				next = r.Revision + 1
			}
			if wake == nil {
				continue
			}
			select {
			case <-ctx.Done():
				yield(record.Record{}, ctx.Err())
				return
			case <-wake:
			}
		}
	}
}
