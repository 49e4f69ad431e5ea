package etcdlog

import (
	"context"
	"fmt"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Lockout counts failed logins per key (a user, or an unknown account and
// user pair) in etcd, so that the threshold holds across replicas: after
// threshold failures in a row, counted from every replica, the key is
// locked for the lock duration.
//
// The count and the lock are etcd keys attached to leases of the lock
// duration, which etcd enforces: a count expires a lock duration after its
// last failure, and a lock a lock duration after it was set, taking the
// count with it, so that a key whose lock expired starts afresh. etcd
// leases last whole seconds, at least its minimum TTL (about 2 s with
// default settings).
type Lockout struct {
	cli       *clientv3.Client
	opts      options
	threshold int
	ttl       int64 // seconds
	counts    string
	locks     string
}

// NewLockout returns the lockout kept under prefix (a "/" is added if it
// does not end in one) through cli: threshold failures in a row lock a key
// for lockFor (rounded up to whole seconds). The client stays the caller's
// to close.
func NewLockout(cli *clientv3.Client, prefix string, threshold int, lockFor time.Duration, opts ...Option) *Lockout {
	p := normalPrefix(prefix)
	ttl := int64((lockFor + time.Second - 1) / time.Second)
	return &Lockout{cli: cli, opts: newOptions(opts), threshold: max(threshold, 1), ttl: max(ttl, 1),
		counts: p + "lockout/count/", locks: p + "lockout/lock/"}
}

// Fail records one failed login of key and returns the failures counted
// in a row and whether the key is now locked. The increment is atomic
// across replicas (a transaction comparing the count's mod revision,
// retried on contention), so of many concurrent failures exactly one
// reaches the threshold and sets the lock. A failure of a key already
// locked changes nothing and returns the threshold and true.
func (lo *Lockout) Fail(ctx context.Context, key string) (count int, locked bool, err error) {
	countKey, lockKey := lo.counts+key, lo.locks+key
	var lease clientv3.LeaseID
	defer func() {
		if lease != 0 {
			go lo.revoke(lease) // granted, not used; no need to wait
		}
	}()
	for {
		rctx, cancel := context.WithTimeout(ctx, lo.opts.timeout)
		resp, err := lo.cli.Txn(rctx).Then(clientv3.OpGet(countKey), clientv3.OpGet(lockKey)).Commit()
		cancel()
		if err != nil {
			return 0, false, wrap(ctx, "read the failed logins", err)
		}
		if len(resp.Responses[1].GetResponseRange().Kvs) > 0 {
			return lo.threshold, true, nil
		}
		var mod int64
		n := 0
		if kvs := resp.Responses[0].GetResponseRange().Kvs; len(kvs) > 0 {
			mod = kvs[0].ModRevision
			if n, err = strconv.Atoi(string(kvs[0].Value)); err != nil {
				return 0, false, fmt.Errorf("etcdlog: %w: failure count %q", ErrCorrupt, kvs[0].Value)
			}
		}
		n++
		if lease == 0 {
			if lease, err = lo.grant(ctx); err != nil {
				return 0, false, err
			}
		}
		ops := []clientv3.Op{clientv3.OpPut(countKey, strconv.Itoa(n), clientv3.WithLease(lease))}
		if n >= lo.threshold {
			ops = append(ops, clientv3.OpPut(lockKey, "", clientv3.WithLease(lease)))
		}
		rctx, cancel = context.WithTimeout(ctx, lo.opts.timeout)
		tresp, err := lo.cli.Txn(rctx).
			If(clientv3.Compare(clientv3.ModRevision(countKey), "=", mod),
				clientv3.Compare(clientv3.CreateRevision(lockKey), "=", 0)).
			Then(ops...).
			Commit()
		cancel()
		if err != nil {
			return 0, false, wrap(ctx, "count a failed login", err)
		}
		if tresp.Succeeded {
			lease = 0 // in use
			return n, n >= lo.threshold, nil
		}
	}
}

func (lo *Lockout) grant(ctx context.Context) (clientv3.LeaseID, error) {
	rctx, cancel := context.WithTimeout(ctx, lo.opts.timeout)
	defer cancel()
	resp, err := lo.cli.Grant(rctx, lo.ttl)
	if err != nil {
		return 0, wrap(ctx, "grant a lease", err)
	}
	return resp.ID, nil
}

// revoke gives back a lease that was not used, as far as etcd lets it;
// etcd expires it anyway.
func (lo *Lockout) revoke(lease clientv3.LeaseID) {
	ctx, cancel := context.WithTimeout(context.Background(), lo.opts.timeout)
	defer cancel()
	_, _ = lo.cli.Revoke(ctx, lease)
}

// Reset clears the failure count of key (a successful login, a password
// change); a lock stays.
func (lo *Lockout) Reset(ctx context.Context, key string) error {
	rctx, cancel := context.WithTimeout(ctx, lo.opts.timeout)
	defer cancel()
	_, err := lo.cli.Delete(rctx, lo.counts+key)
	return wrap(ctx, "reset the failed logins", err)
}

// Unlock clears the failure count of key and lifts its lock.
func (lo *Lockout) Unlock(ctx context.Context, key string) error {
	rctx, cancel := context.WithTimeout(ctx, lo.opts.timeout)
	defer cancel()
	_, err := lo.cli.Txn(rctx).Then(clientv3.OpDelete(lo.counts+key), clientv3.OpDelete(lo.locks+key)).Commit()
	return wrap(ctx, "unlock", err)
}

// Locked reports whether key is locked.
func (lo *Lockout) Locked(ctx context.Context, key string) (bool, error) {
	rctx, cancel := context.WithTimeout(ctx, lo.opts.timeout)
	defer cancel()
	resp, err := lo.cli.Get(rctx, lo.locks+key, clientv3.WithCountOnly())
	if err != nil {
		return false, wrap(ctx, "read the lock", err)
	}
	return resp.Count > 0, nil
}
