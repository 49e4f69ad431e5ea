package main

import (
	"context"
	"errors"

	"github.com/pdp-authz/pdp/engine"
)

// openReplica opens the engine of a replica kept in step with the others
// through the etcd cluster at endpoints (a comma-separated host:port
// list), with the engine options opts; it returns the engine and the
// function that closes the replica.
func openReplica(ctx context.Context, endpoints string, opts ...engine.Option) (*engine.Engine, func() error, error) {
	return nil, nil, errors.New("replicas are not wired yet")
}
