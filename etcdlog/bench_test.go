package etcdlog_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pdp-authz/pdp/etcdlog"
)

// benchRuns tells the runs of one benchmark apart, so that each starts
// an empty log.
var benchRuns atomic.Int64

func benchPrefix(b *testing.B) string {
	return fmt.Sprintf("/pdp-bench/%s/%d/", b.Name(), benchRuns.Add(1))
}

// benchPayload is about the size of a change record.
var benchPayload = make([]byte, 200)

// reportLatency reports the median and 99th percentile of lat, in milliseconds.
func reportLatency(b *testing.B, name string, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), name+"-p50-ms")
	b.ReportMetric(at(0.99), name+"-p99-ms")
}

// BenchmarkAppend is one writer appending to an etcd on loopback, each
// append waiting for etcd's commit (its WAL fsync).
func BenchmarkAppend(b *testing.B) {
	l := etcdlog.New(sharedServer(b).newClient(b), benchPrefix(b))
	ctx := context.Background()
	var lat []time.Duration
	var rev uint64
	for b.Loop() {
		start := time.Now()
		if err := l.Append(ctx, rev, benchPayload); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		rev++
	}
	reportLatency(b, "append", lat)
}

// BenchmarkAppendContended4 is four writers on four clients racing for
// every revision: a loser catches up to the head and tries the next. One
// op is one committed revision; the latency is a writer's, from its first
// try at a change to the commit of that change.
func BenchmarkAppendContended4(b *testing.B) {
	const writers = 4
	srv := sharedServer(b)
	p := benchPrefix(b)
	ctx := context.Background()
	var (
		committed, conflicts atomic.Int64
		mu                   sync.Mutex
		lat                  []time.Duration
		wg                   sync.WaitGroup
	)
	total := int64(b.N)
	b.ResetTimer()
	for range writers {
		l := etcdlog.New(srv.newClient(b), p)
		wg.Go(func() {
			var next uint64
			for committed.Load() < total {
				start := time.Now()
				for {
					err := l.Append(ctx, next, benchPayload)
					var conflict *etcdlog.ConflictError
					if err == nil {
						break
					}
					if !errors.As(err, &conflict) {
						b.Error(err)
						return
					}
					conflicts.Add(1)
					next = conflict.Head + 1
				}
				d := time.Since(start)
				committed.Add(1)
				next++
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(conflicts.Load())/float64(committed.Load()), "conflicts/op")
	reportLatency(b, "commit", lat)
}

// BenchmarkWatchLag is one writer appending and one watcher on another
// client receiving: "deliver" is the time from the start of an append to
// the watcher receiving it, "after-ack" from the append returning.
func BenchmarkWatchLag(b *testing.B) {
	srv := sharedServer(b)
	p := benchPrefix(b)
	writer := etcdlog.New(srv.newClient(b), p)
	watcher := etcdlog.New(srv.newClient(b), p)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var mu sync.Mutex
	var received []time.Time
	got := make(chan uint64, 1)
	go func() {
		for e, err := range watcher.Watch(ctx, 0) {
			if err != nil {
				return
			}
			mu.Lock()
			received = append(received, time.Now())
			mu.Unlock()
			select {
			case <-got:
			default:
			}
			got <- e.Revision
		}
	}()

	var started, acked []time.Time
	var rev uint64
	for b.Loop() {
		started = append(started, time.Now())
		if err := writer.Append(ctx, rev, benchPayload); err != nil {
			b.Fatal(err)
		}
		acked = append(acked, time.Now())
		rev++
	}
	for last := range got {
		if last == rev-1 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	deliver := make([]time.Duration, len(started))
	afterAck := make([]time.Duration, len(started))
	for i := range started {
		deliver[i] = received[i].Sub(started[i])
		afterAck[i] = max(received[i].Sub(acked[i]), 0)
	}
	reportLatency(b, "deliver", deliver)
	reportLatency(b, "after-ack", afterAck)
}

// BenchmarkLockoutFail counts failed logins of one key: a read, a lease
// grant and a compare-and-swap per failure.
func BenchmarkLockoutFail(b *testing.B) {
	lo := etcdlog.NewLockout(sharedServer(b).newClient(b), benchPrefix(b), 1<<30, time.Minute)
	ctx := context.Background()
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, _, err := lo.Fail(ctx, "acme/bob"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportLatency(b, "fail", lat)
}
