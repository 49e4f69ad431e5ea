package etcdlog_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/replica"
)

// Replicas whose engines commit through an etcd log (reference §20): each
// statement is a CREATE ROLE of a fresh name, one change record of about
// 200 bytes.

// createRole runs CREATE ROLE name in s.
func createRole(s *engine.Session, name string) error {
	sts, err := dcl.Parse("CREATE ROLE " + name)
	if err != nil {
		return err
	}
	_, err = dcl.Exec(s, sts[0])
	return err
}

// BenchmarkReplicaCommit is one writer on one replica: each statement is
// decided, appended to etcd at the head plus one, applied and acknowledged.
func BenchmarkReplicaCommit(b *testing.B) {
	srv := sharedServer(b)
	r := openReplica(b, srv.newClient(b), benchPrefix(b))
	s := rootSession(b, r)
	var lat []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if err := createRole(s, fmt.Sprintf("r%d", i)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	reportLatency(b, "commit", lat)
}

// BenchmarkReplicaCommitContended2 is two replicas, each with one writer,
// committing back to back: a statement that loses the race for its
// revision catches up and runs again, up to the engine's bound (64 runs),
// after which it fails with model.ErrUnavailable and the writer runs it
// again. One op is one committed statement; the latency is a statement's,
// retries included; "gave-up/op" counts the statements that failed so,
// "slower-share" is the share of the commits of the writer that committed
// fewer.
func BenchmarkReplicaCommitContended2(b *testing.B) {
	srv := sharedServer(b)
	px := benchPrefix(b)
	rs := []*replica.Replica{openReplica(b, srv.newClient(b), px), openReplica(b, srv.newClient(b), px)}
	sessions := []*engine.Session{rootSession(b, rs[0]), rootSession(b, rs[1])}
	var (
		next   atomic.Int64
		gaveUp atomic.Int64
		mu     sync.Mutex
		lat    []time.Duration
		counts = make([]int, len(sessions))
		wg     sync.WaitGroup
	)
	total := int64(b.N)
	b.ResetTimer()
	for w, s := range sessions {
		wg.Go(func() {
			var mine []time.Duration
			for i := next.Add(1); i <= total; i = next.Add(1) {
				start := time.Now()
				for {
					err := createRole(s, fmt.Sprintf("w%d_%d", w, i))
					if err == nil {
						break
					}
					if !errors.Is(err, model.ErrUnavailable) {
						b.Error(err)
						return
					}
					gaveUp.Add(1)
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			counts[w] = len(mine)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()
	reportLatency(b, "commit", lat)
	b.ReportMetric(float64(gaveUp.Load())/float64(b.N), "gave-up/op")
	b.ReportMetric(float64(min(counts[0], counts[1]))/float64(b.N), "slower-share")
}

// catchUpRecords is how many records a fresh replica applies in
// BenchmarkReplicaCatchUp.
const catchUpRecords = 2000

// BenchmarkReplicaCatchUp opens a fresh replica on a log of 2,000 records
// (no snapshot): it reads record 0, then pages through the rest and
// applies each. One op is one replica opened and caught up.
func BenchmarkReplicaCatchUp(b *testing.B) {
	srv := sharedServer(b)
	px := benchPrefix(b)
	w := openReplica(b, srv.newClient(b), px)
	s := rootSession(b, w)
	for i := range catchUpRecords {
		if err := createRole(s, fmt.Sprintf("r%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	cli := srv.newClient(b)
	for b.Loop() {
		r, err := tryOpenReplica(cli, px)
		if err != nil {
			b.Fatal(err)
		}
		if r.Revision() != catchUpRecords {
			b.Fatalf("caught up to %d, not %d", r.Revision(), catchUpRecords)
		}
		b.StopTimer()
		_ = r.Close()
		b.StartTimer()
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(catchUpRecords/perOp, "records/s")
}

// BenchmarkReplicaFollow is two replicas writing at once and a third
// following through its watch. One op is one committed statement;
// "applied/s" is the follower's rate from the first statement until it
// has applied the last, "behind" how many records it had yet to apply
// when the writers finished.
func BenchmarkReplicaFollow(b *testing.B) {
	srv := sharedServer(b)
	px := benchPrefix(b)
	writers := []*replica.Replica{openReplica(b, srv.newClient(b), px), openReplica(b, srv.newClient(b), px)}
	follower := openReplica(b, srv.newClient(b), px)
	from := follower.Revision()
	var next atomic.Int64
	var wg sync.WaitGroup
	total := int64(b.N)
	b.ResetTimer()
	start := time.Now()
	for w, r := range writers {
		s := rootSession(b, r)
		wg.Go(func() {
			for i := next.Add(1); i <= total; i = next.Add(1) {
				if err := createRole(s, fmt.Sprintf("w%d_%d", w, i)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	last := max(writers[0].Revision(), writers[1].Revision())
	behind := last - min(follower.Revision(), last)
	waitFor(b, follower, last)
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(last-from)/elapsed.Seconds(), "applied/s")
	b.ReportMetric(float64(behind), "behind")
}

// BenchmarkReplicaLag is one writer on replica A and replica B waiting
// for each of its statements: "visible" is the time from A acknowledging
// a statement to B having applied it, "commit" A's statement.
func BenchmarkReplicaLag(b *testing.B) {
	srv := sharedServer(b)
	px := benchPrefix(b)
	a := openReplica(b, srv.newClient(b), px)
	other := openReplica(b, srv.newClient(b), px)
	s := rootSession(b, a)
	ctx := context.Background()
	var commit, visible []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if err := createRole(s, fmt.Sprintf("r%d", i)); err != nil {
			b.Fatal(err)
		}
		acked := time.Now()
		if err := other.WaitFor(ctx, a.Revision()); err != nil {
			b.Fatal(err)
		}
		visible = append(visible, time.Since(acked))
		commit = append(commit, acked.Sub(start))
		i++
	}
	reportLatency(b, "commit", commit)
	reportLatency(b, "visible", visible)
}
