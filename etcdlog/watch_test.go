package etcdlog_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/pdp-authz/pdp/etcdlog"
)

// watchUntil collects the entries Watch yields from from, until last.
func watchUntil(t *testing.T, ctx context.Context, l *etcdlog.Log, from, last uint64) []etcdlog.Entry {
	t.Helper()
	var out []etcdlog.Entry
	for e, err := range l.Watch(ctx, from) {
		if err != nil {
			t.Errorf("watch from %d: %v", from, err)
			return out
		}
		out = append(out, e)
		if e.Revision >= last {
			break
		}
	}
	return out
}

// Watchers started anywhere (in the backlog, at its end, past the head)
// receive every entry from their start, the old ones and the new ones,
// in order.
func TestWatchDeliversInOrderFromAnyStart(t *testing.T) {
	const backlog, last = 19, 39
	ctx := testContext(t)
	srv := sharedServer(t)
	l := etcdlog.New(srv.newClient(t), prefix(t), etcdlog.WithPageSize(4))
	appendRange(t, ctx, l, 0, backlog)

	starts := []uint64{0, 1, 4, 5, 18, 19, 20, 25, 39}
	got := make([][]etcdlog.Entry, len(starts))
	var wg sync.WaitGroup
	for i, from := range starts {
		watcher := etcdlog.New(srv.newClient(t), prefix(t), etcdlog.WithPageSize(4))
		wg.Go(func() { got[i] = watchUntil(t, ctx, watcher, from, last) })
	}
	appendRange(t, ctx, l, backlog+1, last)
	wg.Wait()

	for i, from := range starts {
		assert.Equal(t, span(from, last), revisions(got[i]), "watch from %d", from)
		for _, e := range got[i] {
			assert.Equal(t, payload(e.Revision), e.Payload)
		}
	}
}

// Entries a snapshot covers are deleted by Compact: a reader asking for
// one is told to resync from the snapshot, and a watch from after the
// snapshot, or one running through the compaction, goes on.
func TestWatchAfterSnapshotAndCompaction(t *testing.T) {
	ctx := testContext(t)
	srv := sharedServer(t)
	l := etcdlog.New(srv.newClient(t), prefix(t), etcdlog.WithPageSize(4))
	appendRange(t, ctx, l, 0, 29)

	running := make(chan []etcdlog.Entry)
	go func() { running <- watchUntil(t, ctx, l, 10, 34) }()

	require.NoError(t, l.PutSnapshot(ctx, 20, []byte("state at 20")))
	require.NoError(t, l.Compact(ctx, 25)) // the snapshot covers only up to 20

	for _, from := range []uint64{0, 10, 20} {
		for _, err := range l.Read(ctx, from) {
			require.ErrorIs(t, err, etcdlog.ErrCompacted, "read from %d", from)
			break
		}
		for _, err := range l.Watch(ctx, from) {
			require.ErrorIs(t, err, etcdlog.ErrCompacted, "watch from %d", from)
			break
		}
	}

	snap, err := l.LatestSnapshot(ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(20), snap.Revision)
	fromSnapshot := make(chan []etcdlog.Entry)
	go func() { fromSnapshot <- watchUntil(t, ctx, l, snap.Revision+1, 34) }()

	appendRange(t, ctx, l, 30, 34)
	assert.Equal(t, span(21, 34), revisions(<-fromSnapshot))
	assert.Equal(t, span(10, 34), revisions(<-running))
	head, err := l.Head(ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(34), head)

	// Compacting again up to the snapshot's revision leaves 21 on.
	require.NoError(t, l.Compact(ctx, 1000))
	assert.Equal(t, span(21, 34), revisions(collect(t, l.Read(ctx, 21))))
}

// When etcd compacts its own history past the revision a watch would
// start from, the watch reads the log again and misses nothing.
func TestWatchSurvivesEtcdCompaction(t *testing.T) {
	ctx := testContext(t)
	cli := ownServer(t).newClient(t)
	l := etcdlog.New(cli, prefix(t))
	appendRange(t, ctx, l, 0, 4)

	var got []uint64
	for e, err := range l.Watch(ctx, 0) {
		require.NoError(t, err)
		got = append(got, e.Revision)
		if e.Revision == 4 {
			// The backlog is read; before the watch starts, more entries
			// come and etcd forgets the history in between.
			appendRange(t, ctx, l, 5, 9)
			resp, err := cli.Get(ctx, "any")
			require.NoError(t, err)
			_, err = cli.Compact(ctx, resp.Header.Revision, clientv3.WithCompactPhysical())
			require.NoError(t, err)
		}
		if e.Revision == 9 {
			break
		}
	}
	assert.Equal(t, span(0, 9), got)
}

func TestWatchEndsWithItsContext(t *testing.T) {
	ctx := testContext(t)
	l := etcdlog.New(sharedServer(t).newClient(t), prefix(t))
	appendRange(t, ctx, l, 0, 2)

	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var got []uint64
	var last error
	for e, err := range l.Watch(wctx, 0) {
		if err != nil {
			last = err
			continue
		}
		got = append(got, e.Revision)
		if e.Revision == 2 {
			cancel()
		}
	}
	assert.Equal(t, span(0, 2), got)
	assert.ErrorIs(t, last, context.Canceled)
}
