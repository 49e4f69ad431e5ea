package etcdlog_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/pdp-authz/pdp/etcdlog"
)

// Failed logins counted through two clients (two replicas) reach the
// threshold exactly: every failure below it is counted once, one failure
// sets the lock, and the rest find the key locked.
func TestLockoutThresholdAcrossClients(t *testing.T) {
	const threshold, attempts = 5, 16
	ctx := testContext(t)
	srv := sharedServer(t)
	replicas := []*etcdlog.Lockout{
		etcdlog.NewLockout(srv.newClient(t), prefix(t), threshold, time.Minute),
		etcdlog.NewLockout(srv.newClient(t), prefix(t), threshold, time.Minute),
	}

	var (
		mu       sync.Mutex
		unlocked []int
		locked   int
		wg       sync.WaitGroup
	)
	for i := range attempts {
		lo := replicas[i%2]
		wg.Go(func() {
			count, isLocked, err := lo.Fail(ctx, "acme/bob")
			if !assert.NoError(t, err) {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if isLocked {
				assert.Equal(t, threshold, count)
				locked++
			} else {
				unlocked = append(unlocked, count)
			}
		})
	}
	wg.Wait()
	slices.Sort(unlocked)
	assert.Equal(t, []int{1, 2, 3, 4}, unlocked, "each failure below the threshold counted once")
	assert.Equal(t, attempts-(threshold-1), locked)

	for _, lo := range replicas {
		isLocked, err := lo.Locked(ctx, "acme/bob")
		require.NoError(t, err)
		assert.True(t, isLocked)
		isLocked, err = lo.Locked(ctx, "acme/alice")
		require.NoError(t, err)
		assert.False(t, isLocked, "keys are counted apart")
	}
}

// The lock and the count live on etcd leases of the lock duration.
func TestLockoutKeysAreLeased(t *testing.T) {
	ctx := testContext(t)
	cli := sharedServer(t).newClient(t)
	lo := etcdlog.NewLockout(cli, prefix(t), 2, 30*time.Second)

	ttl := func(key string) int64 {
		t.Helper()
		resp, err := cli.Get(ctx, prefix(t)+key)
		require.NoError(t, err)
		require.Len(t, resp.Kvs, 1, key)
		lease := clientv3.LeaseID(resp.Kvs[0].Lease)
		require.NotZero(t, lease, "%s has a lease", key)
		ttl, err := cli.TimeToLive(ctx, lease)
		require.NoError(t, err)
		return ttl.GrantedTTL
	}

	count, locked, err := lo.Fail(ctx, "u1")
	require.NoError(t, err)
	assert.Equal(t, 1, count)
	assert.False(t, locked)
	assert.Equal(t, int64(30), ttl("lockout/count/u1"))

	count, locked, err = lo.Fail(ctx, "u1")
	require.NoError(t, err)
	assert.Equal(t, 2, count)
	assert.True(t, locked)
	assert.Equal(t, int64(30), ttl("lockout/lock/u1"))
}

func TestLockoutResetAndUnlock(t *testing.T) {
	ctx := testContext(t)
	lo := etcdlog.NewLockout(sharedServer(t).newClient(t), prefix(t), 3, time.Minute)
	fail := func(key string) (int, bool) {
		t.Helper()
		count, locked, err := lo.Fail(ctx, key)
		require.NoError(t, err)
		return count, locked
	}

	fail("u1")
	fail("u1")
	require.NoError(t, lo.Reset(ctx, "u1"))
	count, locked := fail("u1")
	assert.Equal(t, 1, count, "a reset starts the count again")
	assert.False(t, locked)

	fail("u1")
	_, locked = fail("u1")
	require.True(t, locked)
	require.NoError(t, lo.Reset(ctx, "u1"))
	isLocked, err := lo.Locked(ctx, "u1")
	require.NoError(t, err)
	assert.True(t, isLocked, "a reset leaves the lock")

	require.NoError(t, lo.Unlock(ctx, "u1"))
	isLocked, err = lo.Locked(ctx, "u1")
	require.NoError(t, err)
	assert.False(t, isLocked)
	count, locked = fail("u1")
	assert.Equal(t, 1, count, "an unlock starts the count again")
	assert.False(t, locked)
}
