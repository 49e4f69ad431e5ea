package etcdlog_test

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/pdp-authz/pdp/etcdlog"
)

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// chunkKeys returns the keys of every snapshot chunk under the test's prefix.
func chunkKeys(t *testing.T, cli *clientv3.Client) []string {
	t.Helper()
	resp, err := cli.Get(testContext(t), prefix(t)+"snap/", clientv3.WithPrefix(), clientv3.WithKeysOnly())
	require.NoError(t, err)
	var keys []string
	for _, kv := range resp.Kvs {
		keys = append(keys, string(kv.Key))
	}
	return keys
}

// A snapshot of several MiB, larger than one etcd request may be, is
// stored in chunks and read back whole; a newer snapshot replaces it and
// its chunks go.
func TestSnapshotRoundTripInChunks(t *testing.T) {
	ctx := testContext(t)
	cli := sharedServer(t).newClient(t)
	l := etcdlog.New(cli, prefix(t))

	_, err := l.LatestSnapshot(ctx)
	require.ErrorIs(t, err, etcdlog.ErrNoSnapshot)
	require.ErrorIs(t, l.Compact(ctx, 10), etcdlog.ErrNoSnapshot)
	require.ErrorIs(t, l.PutSnapshot(ctx, 0, []byte("x")), etcdlog.ErrInvalid, "an empty log")

	appendRange(t, ctx, l, 0, 3)
	big := randomBytes(5*etcdlog.ChunkSize+123, 1)
	require.NoError(t, l.PutSnapshot(ctx, 2, big))
	assert.Len(t, chunkKeys(t, cli), 6)

	snap, err := l.LatestSnapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), snap.Revision)
	require.Equal(t, len(big), len(snap.Data))
	assert.True(t, string(big) == string(snap.Data), "the bytes come back unchanged")

	require.ErrorIs(t, l.PutSnapshot(ctx, 4, []byte("x")), etcdlog.ErrInvalid, "past the head")
	require.NoError(t, l.PutSnapshot(ctx, 1, []byte("older")), "an older snapshot is dropped")
	snap, err = l.LatestSnapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), snap.Revision)
	assert.Len(t, chunkKeys(t, cli), 6)

	require.NoError(t, l.PutSnapshot(ctx, 3, nil))
	snap, err = l.LatestSnapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), snap.Revision)
	assert.Empty(t, snap.Data)
	assert.Empty(t, chunkKeys(t, cli), "the older snapshot's chunks are gone")
}

// Snapshots written at once by several replicas: the newest wins, and only
// its chunks remain.
func TestConcurrentSnapshotsKeepTheNewest(t *testing.T) {
	ctx := testContext(t)
	srv := sharedServer(t)
	cli := srv.newClient(t)
	l := etcdlog.New(cli, prefix(t))
	appendRange(t, ctx, l, 0, 8)

	var wg sync.WaitGroup
	for rev := uint64(1); rev <= 8; rev++ {
		w := etcdlog.New(srv.newClient(t), prefix(t))
		wg.Go(func() {
			assert.NoError(t, w.PutSnapshot(ctx, rev, randomBytes(etcdlog.ChunkSize+int(rev), rev)))
		})
	}
	wg.Wait()

	snap, err := l.LatestSnapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(8), snap.Revision)
	assert.Equal(t, randomBytes(etcdlog.ChunkSize+8, 8), snap.Data)
	assert.Len(t, chunkKeys(t, cli), 2)
}

// Damaged chunks are refused, never returned.
func TestSnapshotDamageIsRefused(t *testing.T) {
	ctx := testContext(t)
	cli := sharedServer(t).newClient(t)
	l := etcdlog.New(cli, prefix(t))
	appendRange(t, ctx, l, 0, 0)
	require.NoError(t, l.PutSnapshot(ctx, 0, randomBytes(2*etcdlog.ChunkSize, 3)))
	keys := chunkKeys(t, cli)
	require.Len(t, keys, 2)

	_, err := cli.Put(ctx, keys[1], "changed")
	require.NoError(t, err)
	_, err = l.LatestSnapshot(ctx)
	assert.ErrorIs(t, err, etcdlog.ErrCorrupt, "a changed chunk")

	_, err = cli.Delete(ctx, keys[1])
	require.NoError(t, err)
	_, err = l.LatestSnapshot(ctx)
	assert.ErrorIs(t, err, etcdlog.ErrCorrupt, "a missing chunk")

	_, err = cli.Put(ctx, prefix(t)+"snapshot", "garbage")
	require.NoError(t, err)
	_, err = l.LatestSnapshot(ctx)
	assert.ErrorIs(t, err, etcdlog.ErrCorrupt, "a garbled description")
}
