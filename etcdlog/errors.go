package etcdlog

import (
	"context"
	"errors"
	"fmt"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pdp-authz/pdp/replica"
)

// The errors of the package. Every error a call returns wraps one of them
// or is the caller's context error. Those a [replica.Log] returns are the
// replica package's own, so that a replica tells them apart with errors.Is.
var (
	// ErrConflict: the log's head is not the revision before the one
	// appended; the error is a [*ConflictError] holding the head.
	ErrConflict = replica.ErrConflict
	// ErrUnavailable: etcd could not be reached, had no leader or did not
	// answer in time. The call may be retried; an append that failed so
	// may or may not have been committed. It is the engine's
	// model.ErrUnavailable.
	ErrUnavailable = replica.ErrUnavailable
	// ErrCompacted: the entries asked for were deleted once a snapshot
	// covered them; resync from the latest snapshot.
	ErrCompacted = replica.ErrCompacted
	// ErrEmpty: the log has no entry yet.
	ErrEmpty = replica.ErrEmpty
	// ErrNoSnapshot: the log holds no snapshot.
	ErrNoSnapshot = replica.ErrNoSnapshot
	// ErrCorrupt: keys under the prefix hold something this package did not write.
	ErrCorrupt = errors.New("corrupt log")
	// ErrInvalid: the call asked for something the log cannot do.
	ErrInvalid = errors.New("invalid request")
)

// ConflictError is the error of an append refused because the log's head
// was not the revision before the one appended.
type ConflictError struct {
	// Revision is the revision the append tried to write.
	Revision uint64
	// Head is the log's head at the time of the refusal; meaningless when Empty.
	Head uint64
	// Empty is set when the log had no entry at all.
	Empty bool
}

// Error says which revision was refused and where the head was.
func (e *ConflictError) Error() string {
	if e.Empty {
		return fmt.Sprintf("etcdlog: append of revision %d: %v: the log is empty", e.Revision, ErrConflict)
	}
	return fmt.Sprintf("etcdlog: append of revision %d: %v: the head is %d", e.Revision, ErrConflict, e.Head)
}

// Unwrap returns [ErrConflict].
func (e *ConflictError) Unwrap() error { return ErrConflict }

// wrap turns an error of the etcd client into one of this package: an
// unreachable, leaderless or slow etcd becomes [ErrUnavailable] (a deadline,
// the caller's or the package's, included); a cancellation of the caller's
// ctx stays [context.Canceled].
func wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("etcdlog: %s: %w", op, ctx.Err())
	}
	if unavailable(err) {
		return fmt.Errorf("etcdlog: %s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("etcdlog: %s: %w", op, err)
}

// unavailable reports whether err says etcd could not serve the request
// now: a timeout, no connection, no leader, a client being closed (wrap
// has already handled a cancellation of the caller's context).
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ee rpctypes.EtcdError
	if errors.As(err, &ee) {
		return ee.Code() == codes.Unavailable || ee.Code() == codes.DeadlineExceeded
	}
	if s, ok := status.FromError(err); ok {
		// Canceled while the caller's context is not: the client is closing.
		return s.Code() == codes.Unavailable || s.Code() == codes.DeadlineExceeded || s.Code() == codes.Canceled
	}
	return errors.Is(err, context.Canceled) // a closed client cancels its own contexts
}
