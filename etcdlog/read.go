package etcdlog

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Read yields the entries from revision from to the head, in order, one
// page of entries per request. If the entry at from (or a later one
// before the head) was deleted by [Log.Compact] it yields an error
// matching [ErrCompacted]. After an error it yields nothing more.
func (l *Log) Read(ctx context.Context, from uint64) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		if _, _, err := l.backlog(ctx, from, yield); err != nil && !errors.Is(err, errStop) {
			yield(Entry{}, err)
		}
	}
}

// errStop tells that the consumer of an iterator stopped it.
var errStop = errors.New("iteration stopped")

// backlog yields the entries from revision from up to the end of the log,
// a page at a time, checking that they follow each other. It returns the
// revision after the last entry yielded and the etcd revision of the last
// page read: every entry etcd committed up to that revision was yielded.
// It returns errStop if yield asked to stop.
func (l *Log) backlog(ctx context.Context, from uint64, yield func(Entry, error) bool) (next uint64, etcdRev int64, err error) {
	next = from
	for {
		rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
		resp, err := l.cli.Txn(rctx).Then(
			clientv3.OpGet(l.head),
			clientv3.OpGet(l.entryKey(next), clientv3.WithRange(l.logsStop), clientv3.WithLimit(int64(l.opts.pageSize))),
		).Commit()
		cancel()
		if err != nil {
			return next, 0, wrap(ctx, fmt.Sprintf("read from revision %d", next), err)
		}
		head, empty, err := l.parseHead(resp.Responses[0].GetResponseRange())
		if err != nil {
			return next, 0, err
		}
		kvs := resp.Responses[1].GetResponseRange().Kvs
		if len(kvs) == 0 && !empty && head >= next {
			return next, 0, compacted(next)
		}
		for i, kv := range kvs {
			e, err := l.entry(kv.Key, kv.Value)
			if err != nil {
				return next, 0, err
			}
			if rev := e.Revision; rev != next {
				if i == 0 && rev > next { // Compact deleted from next on
					return next, 0, compacted(next)
				}
				return next, 0, fmt.Errorf("etcdlog: %w: entry %d follows %d", ErrCorrupt, rev, next-1)
			}
			if !yield(e, nil) {
				return next, 0, errStop
			}
			next++
		}
		if len(kvs) < l.opts.pageSize {
			return next, resp.Header.Revision, nil
		}
	}
}

func compacted(rev uint64) error {
	return fmt.Errorf("etcdlog: entry %d: %w", rev, ErrCompacted)
}

// Watch yields every entry from revision from on, in order and without
// gaps: first those already in the log, then each new one as it is
// appended. It runs until ctx ends (yielding ctx's error) or an error
// occurs: [ErrCompacted] if an entry it needs was deleted by
// [Log.Compact] (resync from the latest snapshot and watch from after
// it), [ErrUnavailable] if etcd cannot serve it. After an error it yields
// nothing more; to resume, watch again from the revision after the last
// entry received.
//
// Watch reads the backlog and then watches etcd from the etcd revision of
// that read, so no entry falls between the two. If etcd compacted its own
// history past that revision, Watch reads the backlog again, which is
// invisible to the caller. While etcd is unreachable the watch waits for
// it: a caller that must bound its lag compares the last revision received
// with [Log.Head].
func (l *Log) Watch(ctx context.Context, from uint64) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		next := from
		for {
			n, etcdRev, err := l.backlog(ctx, next, yield)
			next = n
			if err == nil {
				next, err = l.follow(ctx, next, etcdRev, yield)
			}
			switch {
			case errors.Is(err, errStop):
				return
			case errors.Is(err, rpctypes.ErrCompacted):
				continue // etcd's history is gone: read the backlog again
			case err != nil:
				yield(Entry{}, err)
				return
			}
		}
	}
}

// follow yields the entries etcd reports after etcd revision etcdRev,
// starting with revision next. It returns when ctx ends, the consumer
// stops (errStop), etcd compacted etcdRev away (rpctypes.ErrCompacted) or
// the watch fails.
func (l *Log) follow(ctx context.Context, next uint64, etcdRev int64, yield func(Entry, error) bool) (uint64, error) {
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	for resp := range l.cli.Watch(wctx, l.logs, clientv3.WithPrefix(), clientv3.WithRev(etcdRev+1)) {
		if resp.CompactRevision != 0 {
			return next, rpctypes.ErrCompacted
		}
		if err := resp.Err(); err != nil {
			return next, wrap(ctx, fmt.Sprintf("watch from revision %d", next), err)
		}
		for _, ev := range resp.Events {
			if ev.Type != mvccpb.PUT {
				continue // Compact deleting entries
			}
			e, err := l.entry(ev.Kv.Key, ev.Kv.Value)
			if err != nil {
				return next, err
			}
			switch rev := e.Revision; {
			case rev < next:
				continue
			case rev > next:
				return next, fmt.Errorf("etcdlog: %w: entry %d follows %d", ErrCorrupt, rev, next-1)
			}
			if !yield(e, nil) {
				return next, errStop
			}
			next++
		}
	}
	if ctx.Err() != nil {
		return next, fmt.Errorf("etcdlog: watch from revision %d: %w", next, ctx.Err())
	}
	return next, fmt.Errorf("etcdlog: watch from revision %d: %w: the watch closed", next, ErrUnavailable)
}
