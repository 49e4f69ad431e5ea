package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/etcdlog"
	"github.com/pdp-authz/pdp/replica"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// keyPrefix is where the program keeps the shared state in etcd.
const keyPrefix = "/pdp/"

// openReplica opens the engine of a replica kept in step with the others
// through the etcd cluster at endpoints (a comma-separated host:port
// list), with the engine options opts; it returns the engine and the
// function that closes the replica and its etcd client.
func openReplica(ctx context.Context, endpoints string, opts ...engine.Option) (*engine.Engine, func() error, error) {
	var eps []string
	for _, ep := range strings.Split(endpoints, ",") {
		if ep = strings.TrimSpace(ep); ep != "" {
			eps = append(eps, ep)
		}
	}
	if len(eps) == 0 {
		return nil, nil, fmt.Errorf("no etcd endpoint in %q", endpoints)
	}
	cli, err := clientv3.New(clientv3.Config{Endpoints: eps, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return nil, nil, fmt.Errorf("etcd at %s: %w", endpoints, err)
	}
	octx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	// Failure counts and automatic locks are shared, so that the lockout
	// threshold holds across replicas (reference §7, §20).
	lockout := etcdlog.NewLockout(cli, keyPrefix, engine.DefaultLockoutThreshold, engine.DefaultLockDuration)
	opts = append(opts, engine.WithSharedLockout(lockout))
	r, err := replica.Open(octx, etcdlog.New(cli, keyPrefix), replica.WithEngineOptions(opts...))
	if err != nil {
		_ = cli.Close()
		return nil, nil, fmt.Errorf("etcd at %s: %w", endpoints, err)
	}
	closeAll := func() error {
		err := r.Close()
		if cerr := cli.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return r.Engine(), closeAll, nil
}
