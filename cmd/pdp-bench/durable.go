package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
)

// DurableResult holds the figures of a -durable run (reference §20): the
// snapshot file of the loaded workload, restoring it, durable commits of
// the mutation stream by one and by eight writers, recovery of the
// snapshot and a journal tail, and Check on the recovered engine.
type DurableResult struct {
	SnapshotBytes      int64   `json:"snapshot_bytes"`
	SnapshotWriteS     float64 `json:"snapshot_write_s"`
	RestoreS           float64 `json:"restore_s"`
	RestoreCPUS        float64 `json:"restore_cpu_s"`
	RestoreMismatches  int     `json:"restore_mismatches"`
	CreateS            float64 `json:"create_s"`
	Commit1PerS        float64 `json:"commit_1_per_s"`
	Commit1UsP50       float64 `json:"commit_1_us_p50"`
	Commit1UsP99       float64 `json:"commit_1_us_p99"`
	Commit1UsMax       float64 `json:"commit_1_us_max"`
	Commit8PerS        float64 `json:"commit_8_per_s"`
	Commit8UsP50       float64 `json:"commit_8_us_p50"`
	Commit8UsP99       float64 `json:"commit_8_us_p99"`
	Commit8UsMax       float64 `json:"commit_8_us_max"`
	CommitErrors       int     `json:"commit_errors"`
	TailRecords        uint64  `json:"tail_records"`
	RecoverS           float64 `json:"recover_s"`
	RecoverCPUS        float64 `json:"recover_cpu_s"`
	RecoverMismatches  int     `json:"recover_mismatches"`
	CheckNsP50         float64 `json:"check_ns_p50"`
	CheckNsP99         float64 `json:"check_ns_p99"`
	CheckAllocs        float64 `json:"check_allocs"`
	InMemoryCheckNsP50 float64 `json:"in_memory_check_ns_p50"`
	InMemoryCheckNsP99 float64 `json:"in_memory_check_ns_p99"`
}

// durableOptions are the options of the benchmark's durable engines: the
// test hasher, and no snapshot while the journal tail grows.
func durableOptions() []engine.Option {
	return []engine.Option{engine.WithHasher(password.Testing()), engine.WithSnapshotEvery(1 << 30)}
}

// runDurable measures the durable side of the engine on the loaded
// workload, in the directory dir (which must not hold an engine yet); tail
// is the number of change records to leave in the journal for recovery.
func (b *Bench) runDurable(dir string, tail int) error {
	if len(b.w.Mutations) < 2 {
		return fmt.Errorf("-durable needs a workload with mutations")
	}
	d := &DurableResult{}
	b.res.Durable = d
	b.verify(false)
	b.latency()
	d.InMemoryCheckNsP50, d.InMemoryCheckNsP99 = b.res.CheckNsP50, b.res.CheckNsP99
	mem := b.eng

	file := filepath.Join(dir, "state.snap")
	if err := b.timed(&d.SnapshotWriteS, func() error { return writeFile(file, mem) }); err != nil {
		return err
	}
	if fi, err := os.Stat(file); err == nil {
		d.SnapshotBytes = fi.Size()
	}
	b.logf("snapshot file: %s in %.2f s", bytesString(uint64(d.SnapshotBytes)), d.SnapshotWriteS)
	var restored *engine.Engine
	cpu := startCPU()
	err := b.timed(&d.RestoreS, func() (err error) {
		restored, err = readFile(file, func(r io.Reader) (*engine.Engine, error) { return engine.Restore(r, durableOptions()...) })
		return err
	})
	if err != nil {
		return err
	}
	d.RestoreCPUS = cpu()
	d.RestoreMismatches = b.compare(mem, restored)
	b.logf("restore: %.2f s (CPU %.2f s), %d decisions differ", d.RestoreS, d.RestoreCPUS, d.RestoreMismatches)
	restored = nil

	data := filepath.Join(dir, "engine")
	var eng *engine.Engine
	err = b.timed(&d.CreateS, func() (err error) {
		eng, err = readFile(file, func(r io.Reader) (*engine.Engine, error) { return engine.Create(data, r, durableOptions()...) })
		return err
	})
	if err != nil {
		return err
	}
	start := eng.Snapshot().Revision()
	if err := b.commits(eng, d, start, tail); err != nil {
		eng.Close()
		return err
	}
	if err := eng.Close(); err != nil {
		return err
	}

	cpu = startCPU()
	err = b.timed(&d.RecoverS, func() (err error) {
		eng, err = engine.Open(data, durableOptions()...)
		return err
	})
	if err != nil {
		return err
	}
	d.RecoverCPUS = cpu()
	defer eng.Close()
	d.TailRecords = eng.Snapshot().Revision() - start
	d.RecoverMismatches = b.compare(mem, eng)
	b.logf("recovery of the snapshot and %d records: %.2f s (CPU %.2f s), %d decisions differ", d.TailRecords, d.RecoverS, d.RecoverCPUS, d.RecoverMismatches)
	b.eng = eng
	runtime.GC() // the recovery's garbage is not the decisions' business
	b.latency()
	b.allocs()
	d.CheckNsP50, d.CheckNsP99, d.CheckAllocs = b.res.CheckNsP50, b.res.CheckNsP99, b.res.CheckAllocs
	b.res.CheckNsP50, b.res.CheckNsP99 = d.InMemoryCheckNsP50, d.InMemoryCheckNsP99
	return nil
}

// startCPU starts measuring the process's CPU time; the function it
// returns gives the seconds used since (-1 where unknown). The garbage
// collector's work counts, on every core.
func startCPU() func() float64 {
	before, ok := cpuTime()
	return func() float64 {
		after, ok2 := cpuTime()
		if !ok || !ok2 {
			return -1
		}
		return (after - before).Seconds()
	}
}

// timed runs fn and stores its duration in seconds.
func (b *Bench) timed(secs *float64, fn func() error) error {
	start := time.Now()
	err := fn()
	*secs = time.Since(start).Seconds()
	return err
}

// writeFile writes eng's snapshot file to path and syncs it.
func writeFile(path string, eng *engine.Engine) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := eng.WriteSnapshot(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readFile opens path and hands it to read.
func readFile(path string, read func(io.Reader) (*engine.Engine, error)) (*engine.Engine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f)
}

// compare counts the checks on which two engines decide differently.
func (b *Bench) compare(x, y *engine.Engine) int {
	n := 0
	for i := range b.reqs {
		r := &b.reqs[i]
		if x.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On) != y.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On) {
			n++
		}
	}
	return n
}

// commits times durable commits of the mutation stream, by one writer and
// then by eight, each for the phase's duration; then eight writers go on
// until the journal holds tail records after the snapshot at revision
// start. Writers replay whole REVOKE/GRANT pairs, each writer its own
// pairs, so the engine ends in the setup state.
func (b *Bench) commits(eng *engine.Engine, d *DurableResult, start uint64, tail int) error {
	for _, g := range []int{1, 8} {
		until := time.Now().Add(b.cfg.Duration)
		rate, s, errs, err := b.commitPhase(eng, g, func() bool { return time.Now().Before(until) })
		if err != nil {
			return err
		}
		d.CommitErrors += errs
		if g == 1 {
			d.Commit1PerS, d.Commit1UsP50, d.Commit1UsP99, d.Commit1UsMax = rate, s.P50/1e3, s.P99/1e3, s.Max/1e3
		} else {
			d.Commit8PerS, d.Commit8UsP50, d.Commit8UsP99, d.Commit8UsMax = rate, s.P50/1e3, s.P99/1e3, s.Max/1e3
		}
		b.logf("durable commits, %d writers: %.0f/s, p50 %s, p99 %s, %d failed", g, rate, nsString(s.P50), nsString(s.P99), errs)
	}
	left := func() bool { return eng.Snapshot().Revision()-start < uint64(tail) }
	if !left() {
		return nil
	}
	b.logf("growing the journal tail to %d records", tail)
	_, _, errs, err := b.commitPhase(eng, 8, left)
	d.CommitErrors += errs
	return err
}

// commitPhase runs g writers, each on its own sessions, replaying its
// share of the mutation pairs cyclically while more holds. It returns the
// acknowledged commits per second, the latency summary of every statement
// and the number that failed.
func (b *Bench) commitPhase(eng *engine.Engine, g int, more func() bool) (float64, Summary, int, error) {
	pairs := len(b.w.Mutations) / 2
	writers := make([][]Op, g)
	for w := range writers {
		ops, err := Ops(eng, b.w)
		if err != nil {
			return 0, Summary{}, 0, err
		}
		writers[w] = ops
	}
	var mu sync.Mutex
	rec := NewRecorder(b.cfg.Samples, b.cfg.Seed+3)
	total, failed := 0, 0
	begin := time.Now()
	var wg sync.WaitGroup
	for w, ops := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := w; more(); p += g {
				pair := p % pairs
				for k := 2 * pair; k < 2*pair+2; k++ {
					t := time.Now()
					err := ops[k].Run()
					el := time.Since(t)
					mu.Lock()
					rec.Record(int64(el))
					total++
					if err != nil {
						failed++
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	rate := float64(total-failed) / time.Since(begin).Seconds()
	return rate, rec.Summary(), failed, nil
}
