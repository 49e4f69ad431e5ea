package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pdp-authz/pdp/engine"
)

// Config says how long each phase of a run lasts and what it reports.
type Config struct {
	// Duration is the length of each timed phase, unless Iterations is set.
	Duration time.Duration
	// Iterations, when positive, is the number of checks of each timed phase
	// (per goroutine in the parallel phase).
	Iterations int
	// MutDuration is the length of the phase under mutation.
	MutDuration time.Duration
	// MutRate is the target rate of mutations per second.
	MutRate float64
	// SampleEvery says which calls are timed one by one for the
	// percentiles: one in every SampleEvery.
	SampleEvery int
	// Samples bounds the number of per-call latencies kept per phase.
	Samples int
	// Seed seeds the request order and the samplers.
	Seed uint64
	// VerifyPairs is the number of REVOKE/GRANT pairs applied one at a time,
	// each followed by a check of its account's requests against the
	// reference evaluator with the same mutation applied.
	VerifyPairs int
	// ShowMismatches bounds the mismatches printed.
	ShowMismatches int
	// Log receives progress lines and mismatches.
	Log io.Writer
}

// Result holds the figures of a run. Its JSON form is the -json output.
type Result struct {
	Workload   string `json:"workload"`
	Hasher     string `json:"hasher"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Accounts   int    `json:"accounts"`
	PrivGrants int    `json:"priv_grants"`
	RoleGrants int    `json:"role_grants"`

	Checks     int `json:"checks"`
	Verified   int `json:"verified"`
	Mismatches int `json:"mismatches"`
	// Unverified counts checks without an EXPECT value.
	Unverified int `json:"unverified"`
	// Unresolved counts checks naming something the engine does not know.
	Unresolved int `json:"unresolved"`
	// ReferenceMismatches counts EXPECT values the reference evaluator disagrees with.
	ReferenceMismatches int `json:"reference_mismatches"`
	// VerifiedAfterMut and MismatchesAfterMut re-verify after the mutation
	// phase, which stops after a whole number of REVOKE/GRANT pairs.
	VerifiedAfterMut   int `json:"verified_after_mut"`
	MismatchesAfterMut int `json:"mismatches_after_mut"`

	// MutVerifyPairs pairs were replayed serially, MutVerified decisions
	// compared with the reference after each step, MutVerifyMismatches of
	// them disagreeing.
	MutVerifyPairs      int `json:"mut_verify_pairs"`
	MutVerified         int `json:"mut_verified"`
	MutVerifyMismatches int `json:"mut_verify_mismatches"`

	CheckNsMean     float64 `json:"check_ns_mean"`
	CheckNsP50      float64 `json:"check_ns_p50"`
	CheckNsP90      float64 `json:"check_ns_p90"`
	CheckNsP99      float64 `json:"check_ns_p99"`
	CheckNsP999     float64 `json:"check_ns_p999"`
	CheckNsMax      float64 `json:"check_ns_max"`
	CheckSamples    int     `json:"check_samples"`
	SampleEvery     int     `json:"sample_every"`
	ClockOverheadNs int64   `json:"clock_overhead_ns"`
	CheckAllocs     float64 `json:"check_allocs"`

	Throughput1     float64 `json:"checks_per_s_1"`
	Throughput2     float64 `json:"checks_per_s_2"`
	ParallelSpeedup float64 `json:"parallel_speedup"`
	// CPUs1 and CPUs2 are the CPUs the process used in each parallel run
	// (CPU time over wall time), -1 where unknown.
	CPUs1 float64 `json:"cpus_1"`
	CPUs2 float64 `json:"cpus_2"`

	MutTarget           float64 `json:"mut_target"`
	MutRate             float64 `json:"mut_rate"`
	MutApplied          int     `json:"mutations_applied"`
	MutErrors           int     `json:"mut_errors"`
	MutUsP50            float64 `json:"mut_us_p50"`
	MutUsP99            float64 `json:"mut_us_p99"`
	MutUsMax            float64 `json:"mut_us_max"`
	CheckUnderMutNsP50  float64 `json:"check_under_mut_ns_p50"`
	CheckUnderMutNsP99  float64 `json:"check_under_mut_ns_p99"`
	CheckUnderMutNsP999 float64 `json:"check_under_mut_ns_p999"`
	CheckUnderMutNsMax  float64 `json:"check_under_mut_ns_max"`

	// Durable holds the figures of a -durable run.
	Durable *DurableResult `json:"durable,omitempty"`

	ParseS    float64 `json:"parse_s"`
	BuildS    float64 `json:"build_s"`
	HeapBytes uint64  `json:"heap_bytes"`
	// HeapInuseBytes adds to HeapBytes the free space left in the spans
	// that hold the engine's objects (fragmentation).
	HeapInuseBytes uint64  `json:"heap_inuse_bytes"`
	BytesPerGrant  float64 `json:"bytes_per_grant"`
}

// sink keeps the compiler from discarding decisions.
var sink atomic.Int64

// Bench is a loaded workload ready to measure.
type Bench struct {
	cfg  Config
	w    *Workload
	eng  *engine.Engine
	reqs []Request
	ops  []Op
	res  *Result
	rng  *rand.Rand
	ref  *Reference // built on first use
}

// Build loads w into a new engine, measuring the time and retained heap,
// and resolves its checks and mutations. The heap figures count the engine
// only: the heap after a collection with the parsed workload already in
// memory is subtracted from the heap after the load, with the workload
// still alive. HeapBytes counts live objects; HeapInuseBytes the spans
// holding them, so it adds the fragmentation the load leaves behind.
func Build(cfg Config, w *Workload, res *Result) (*Bench, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	eng, err := NewEngine()
	if err != nil {
		return nil, err
	}
	if err := Load(eng, w); err != nil {
		return nil, fmt.Errorf("load %s: %w", w.Name, err)
	}
	res.BuildS = time.Since(start).Seconds()
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(eng)
	runtime.KeepAlive(w)
	if after.HeapAlloc > before.HeapAlloc {
		res.HeapBytes = after.HeapAlloc - before.HeapAlloc
	}
	if after.HeapInuse > before.HeapInuse {
		res.HeapInuseBytes = after.HeapInuse - before.HeapInuse
	}
	if n := res.PrivGrants + res.RoleGrants; n > 0 {
		res.BytesPerGrant = float64(res.HeapBytes) / float64(n)
	}

	b := &Bench{cfg: cfg, w: w, eng: eng, res: res, rng: rand.New(rand.NewPCG(cfg.Seed, 2))}
	var unresolved int
	b.reqs, unresolved = Resolve(eng.Snapshot(), w)
	res.Unresolved = unresolved
	if len(w.Mutations)%2 == 1 {
		w.Mutations = w.Mutations[:len(w.Mutations)-1] // replay whole pairs only
	}
	if b.ops, err = Ops(eng, w); err != nil {
		return nil, err
	}
	return b, nil
}

// perm returns the request indices in random order.
func (b *Bench) perm() []int32 {
	p := make([]int32, len(b.reqs))
	for i := range p {
		p[i] = int32(i)
	}
	b.rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

func (b *Bench) logf(format string, args ...any) {
	if b.cfg.Log != nil {
		fmt.Fprintf(b.cfg.Log, format+"\n", args...)
	}
}

// Run measures every phase in turn and fills the result.
func (b *Bench) Run() {
	if len(b.reqs) == 0 {
		b.logf("the workload has no checks: nothing to measure")
		return
	}
	b.verify(false)
	b.latency()
	b.allocs()
	b.parallel()
	b.underMutation()
	if b.res.MutApplied > 0 {
		b.verify(true)
	}
	b.verifyMutations()
}

// sampled runs checks over perm in batches while more(checks so far)
// holds, timing one call in every SampleEvery into rec, and returns the
// number of checks run. The untimed calls keep the timed ones in the
// context of a stream of requests and dilute the clock's cost.
func (b *Bench) sampled(perm []int32, rec *Recorder, more func(n int) bool) int {
	every := max(b.cfg.SampleEvery, 1)
	var allowed int64
	n, k := 0, 0
	for more(n) {
		for j := range 256 {
			r := &b.reqs[perm[k]]
			if j%every == 0 {
				t := time.Now()
				ok := b.eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On).Allowed
				rec.Record(int64(time.Since(t)))
				if ok {
					allowed++
				}
			} else if b.eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On).Allowed {
				allowed++
			}
			if k++; k == len(perm) {
				k = 0
			}
		}
		n += 256
	}
	sink.Add(allowed)
	return n
}

// latency measures the mean from batch timing, then the percentiles from
// per-call timing.
func (b *Bench) latency() {
	perm := b.perm()
	var allowed int64
	// Warm up caches and the branch predictor with one pass.
	for _, i := range perm {
		r := &b.reqs[i]
		if b.eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On).Allowed {
			allowed++
		}
	}
	// The mean: whole batches timed together, the loop written out so that
	// nothing but the call is measured.
	n, k := 0, 0
	start := time.Now()
	for {
		for range 256 {
			r := &b.reqs[perm[k]]
			if b.eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On).Allowed {
				allowed++
			}
			if k++; k == len(perm) {
				k = 0
			}
		}
		n += 256
		if b.cfg.Iterations > 0 {
			if n >= b.cfg.Iterations {
				break
			}
		} else if time.Since(start) >= b.cfg.Duration {
			break
		}
	}
	el := time.Since(start)
	b.res.CheckNsMean = float64(el.Nanoseconds()) / float64(n)

	b.res.ClockOverheadNs = clockOverhead()
	rec := NewRecorder(b.cfg.Samples, b.cfg.Seed)
	rec.Overhead = b.res.ClockOverheadNs
	start = time.Now()
	b.sampled(perm, rec, func(n int) bool {
		if b.cfg.Iterations > 0 {
			return n < b.cfg.Iterations
		}
		return time.Since(start) < b.cfg.Duration
	})
	s := rec.Summary()
	b.res.CheckNsP50, b.res.CheckNsP90, b.res.CheckNsP99, b.res.CheckNsP999, b.res.CheckNsMax = s.P50, s.P90, s.P99, s.P999, s.Max
	b.res.CheckSamples, b.res.SampleEvery = s.N, max(b.cfg.SampleEvery, 1)
	sink.Add(allowed)
}

// allocs counts heap allocations per Check over a pass of the requests.
func (b *Bench) allocs() {
	perm := b.perm()
	n := max(len(perm), 100_000)
	var allowed int64
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for k := range n {
		r := &b.reqs[perm[k%len(perm)]]
		if b.eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On).Allowed {
			allowed++
		}
	}
	runtime.ReadMemStats(&m1)
	b.res.CheckAllocs = float64(m1.Mallocs-m0.Mallocs) / float64(n)
	sink.Add(allowed)
}

// throughput runs g goroutines checking concurrently for the phase's
// budget and returns checks per second and the CPUs the process used
// meanwhile (-1 if unknown): fewer than g means other processes took CPU
// time and the speedup understates the engine's scaling.
func (b *Bench) throughput(g int) (rate, cpus float64) {
	perms := make([][]int32, g)
	for i := range perms {
		perms[i] = b.perm()
	}
	var stop atomic.Bool
	var total atomic.Int64
	var ready, done sync.WaitGroup
	startGate := make(chan struct{})
	for i := range g {
		ready.Add(1)
		done.Add(1)
		go func(perm []int32) {
			defer done.Done()
			var allowed int64
			n, k := 0, 0
			ready.Done()
			<-startGate
			for !stop.Load() {
				for range 256 {
					r := &b.reqs[perm[k]]
					if b.eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On).Allowed {
						allowed++
					}
					if k++; k == len(perm) {
						k = 0
					}
				}
				n += 256
				if b.cfg.Iterations > 0 && n >= b.cfg.Iterations {
					break
				}
			}
			total.Add(int64(n))
			sink.Add(allowed)
		}(perms[i])
	}
	ready.Wait()
	cpu0, cpuOK := cpuTime()
	start := time.Now()
	close(startGate)
	if b.cfg.Iterations == 0 {
		time.Sleep(b.cfg.Duration)
		stop.Store(true)
	}
	done.Wait()
	el := time.Since(start)
	cpus = -1
	if cpu1, ok := cpuTime(); ok && cpuOK {
		cpus = float64(cpu1-cpu0) / float64(el)
	}
	return float64(total.Load()) / el.Seconds(), cpus
}

func (b *Bench) parallel() {
	b.res.Throughput1, b.res.CPUs1 = b.throughput(1)
	b.res.Throughput2, b.res.CPUs2 = b.throughput(2)
	if b.res.Throughput1 > 0 {
		b.res.ParallelSpeedup = b.res.Throughput2 / b.res.Throughput1
	}
}

// underMutation times checks while another goroutine replays the mutation
// stream cyclically at the target rate. The mutator stops after a whole
// pair, so the engine ends in the setup state.
func (b *Bench) underMutation() {
	b.res.MutTarget = b.cfg.MutRate
	if len(b.ops) == 0 || b.cfg.MutRate <= 0 {
		b.logf("no mutations to replay: skipping the phase under mutation")
		return
	}
	interval := time.Duration(float64(time.Second) / b.cfg.MutRate)
	mutRec := NewRecorder(b.cfg.Samples, b.cfg.Seed+1)
	var stop atomic.Bool
	var applied, failed int
	var firstErr error
	var elapsed time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		next := start
		for i := 0; ; i++ {
			if i%2 == 0 && stop.Load() {
				break
			}
			if now := time.Now(); now.Before(next) {
				time.Sleep(next.Sub(now))
			} else if now.Sub(next) > 100*time.Millisecond {
				next = now // far behind: do not burst to catch up
			}
			t := time.Now()
			err := b.ops[i%len(b.ops)].Run()
			mutRec.Record(int64(time.Since(t)))
			applied++
			if err != nil {
				failed++
				if firstErr == nil {
					firstErr = fmt.Errorf("%s: %w", b.w.Mutations[i%len(b.ops)].String(), err)
				}
			}
			next = next.Add(interval)
		}
		elapsed = time.Since(start)
	}()

	perm := b.perm()
	rec := NewRecorder(b.cfg.Samples, b.cfg.Seed+2)
	rec.Overhead = b.res.ClockOverheadNs
	start := time.Now()
	b.sampled(perm, rec, func(int) bool { return time.Since(start) < b.cfg.MutDuration })
	stop.Store(true)
	<-done

	s := rec.Summary()
	b.res.CheckUnderMutNsP50, b.res.CheckUnderMutNsP99, b.res.CheckUnderMutNsMax = s.P50, s.P99, s.Max
	b.res.CheckUnderMutNsP999 = s.P999
	m := mutRec.Summary()
	b.res.MutApplied, b.res.MutErrors = applied, failed
	b.res.MutRate = float64(applied) / elapsed.Seconds()
	b.res.MutUsP50, b.res.MutUsP99, b.res.MutUsMax = m.P50/1e3, m.P99/1e3, m.Max/1e3
	if firstErr != nil {
		b.logf("%d of %d mutations failed; the first: %v", failed, applied, firstErr)
	}
}
