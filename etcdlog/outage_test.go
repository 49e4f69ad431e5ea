package etcdlog_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/etcdlog"
)

// etcd stops while a writer appends and a watcher follows: the calls fail
// with ErrUnavailable within their timeout, and once etcd is back the
// writer goes on (retrying its last append, which may have been
// committed) and nothing acknowledged is lost.
func TestAppendThroughAnEtcdRestart(t *testing.T) {
	const timeout, stopAt, last = time.Second, 20, 40
	ctx := testContext(t)
	srv := ownServer(t)
	px := newProxy(t, srv.client.Host)
	cli := newClient(t, px.addr())
	l := etcdlog.New(cli, prefix(t), etcdlog.WithTimeout(timeout))

	acked := make(chan uint64, last+1)
	unavailable := make(chan struct{}, 1)
	writer := make(chan error, 1)
	go func() {
		for rev := uint64(0); rev <= last; {
			err := l.Append(ctx, rev, payload(rev))
			switch {
			case err == nil:
				acked <- rev
				rev++
			case errors.Is(err, etcdlog.ErrUnavailable):
				select {
				case unavailable <- struct{}{}:
				default:
				}
				time.Sleep(50 * time.Millisecond) // etcd is away: try the same append again
			default:
				writer <- err
				return
			}
		}
		writer <- nil
	}()

	watcher := make(chan []uint64, 1)
	go func() {
		var got []uint64
		next := uint64(0)
		for next <= last && ctx.Err() == nil {
			for e, err := range etcdlog.New(newClient(t, px.addr()), prefix(t)).Watch(ctx, next) {
				if err != nil {
					break // etcd is away: watch again from next
				}
				got = append(got, e.Revision)
				next = e.Revision + 1
				if next > last {
					break
				}
			}
		}
		watcher <- got
	}()

	for range stopAt {
		<-acked
	}
	px.setCut(true) // etcd crashes: its connections drop
	srv.stop()
	<-unavailable

	lo := etcdlog.NewLockout(cli, prefix(t), 3, time.Minute, etcdlog.WithTimeout(timeout))
	other := etcdlog.New(cli, prefix(t)+"other/", etcdlog.WithTimeout(timeout))
	calls := map[string]func() error{
		"append": func() error { return other.Append(ctx, 0, []byte("x")) },
		"head":   func() error { _, err := other.Head(ctx); return err },
		"read": func() error {
			for _, err := range other.Read(ctx, 0) {
				return err
			}
			return nil
		},
		"snapshot": func() error { _, err := other.LatestSnapshot(ctx); return err },
		"fail":     func() error { _, _, err := lo.Fail(ctx, "u"); return err },
		"locked":   func() error { _, err := lo.Locked(ctx, "u"); return err },
	}
	var wg sync.WaitGroup
	for name, call := range calls {
		wg.Go(func() {
			start := time.Now()
			err := call()
			assert.ErrorIs(t, err, etcdlog.ErrUnavailable, name)
			assert.Less(t, time.Since(start), timeout+2*time.Second, "%s gives up after its timeout", name)
		})
	}
	wg.Wait()

	require.NoError(t, srv.start())
	px.setCut(false)
	require.NoError(t, <-writer)
	assert.Equal(t, span(0, last), <-watcher, "the watcher missed nothing")

	got := collect(t, l.Read(ctx, 0))
	require.Equal(t, span(0, last), revisions(got))
	for _, e := range got {
		assert.Equal(t, payload(e.Revision), e.Payload)
	}
}
