package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable writes res as a readable table.
func WriteTable(out io.Writer, res *Result) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	row := func(name, value string) { fmt.Fprintf(tw, "  %s\t%s\n", name, value) }
	section := func(name string) { fmt.Fprintf(tw, "%s\n", name) }

	section("build")
	row("load", fmt.Sprintf("%.3f s (parse %.3f s)", res.BuildS, res.ParseS))
	row("retained heap", fmt.Sprintf("%s (%.0f B per grant; %d privilege + %d role grants)",
		bytesString(res.HeapBytes), res.BytesPerGrant, res.PrivGrants, res.RoleGrants))
	row("heap in use", bytesString(res.HeapInuseBytes)+" (spans holding the engine, with fragmentation)")

	section("verification (setup state, random order)")
	status := "OK"
	if res.Mismatches > 0 || res.Unresolved > 0 {
		status = "FAILED"
	}
	if res.Verified+res.Mismatches == 0 {
		status = "nothing to verify"
	}
	row("checks", fmt.Sprintf("%d: %d verified, %d mismatches, %d unverified, %d unresolved names  %s",
		res.Checks, res.Verified, res.Mismatches, res.Unverified, res.Unresolved, status))
	row("reference evaluator", fmt.Sprintf("disagrees with %d EXPECT values", res.ReferenceMismatches))
	if res.MutApplied > 0 {
		row("after the mutation phase", fmt.Sprintf("%d verified, %d mismatches", res.VerifiedAfterMut, res.MismatchesAfterMut))
	}
	if res.MutVerifyPairs > 0 {
		row("mutations step by step", fmt.Sprintf("%d pairs, %d decisions vs reference, %d mismatches",
			res.MutVerifyPairs, res.MutVerified, res.MutVerifyMismatches))
	}

	section("Check latency (random order)")
	row("mean (batch timing)", nsString(res.CheckNsMean))
	row("p50 / p90 / p99", fmt.Sprintf("%s / %s / %s", nsString(res.CheckNsP50), nsString(res.CheckNsP90), nsString(res.CheckNsP99)))
	row("p99.9 / max", fmt.Sprintf("%s / %s", nsString(res.CheckNsP999), nsString(res.CheckNsMax)))
	row("per-call timing", fmt.Sprintf("%d calls timed (1 in %d), clock overhead %d ns subtracted",
		res.CheckSamples, res.SampleEvery, res.ClockOverheadNs))
	row("allocations", fmt.Sprintf("%.2f per Check", res.CheckAllocs))

	if d := res.Durable; d != nil {
		writeDurable(row, section, d)
		return tw.Flush()
	}
	section(fmt.Sprintf("parallel throughput (GOMAXPROCS %d)", res.GOMAXPROCS))
	row("1 goroutine", fmt.Sprintf("%s checks/s%s", countString(res.Throughput1), cpuString(res.CPUs1)))
	row("2 goroutines", fmt.Sprintf("%s checks/s%s", countString(res.Throughput2), cpuString(res.CPUs2)))
	row("speedup", fmt.Sprintf("%.2fx", res.ParallelSpeedup))

	section(fmt.Sprintf("under mutation (target %.0f/s)", res.MutTarget))
	if res.MutApplied == 0 {
		row("mutations", "none applied")
	} else {
		row("mutations", fmt.Sprintf("%d applied at %.0f/s, %d failed", res.MutApplied, res.MutRate, res.MutErrors))
		row("mutation p50 / p99 / max", fmt.Sprintf("%s / %s / %s", nsString(res.MutUsP50*1e3), nsString(res.MutUsP99*1e3), nsString(res.MutUsMax*1e3)))
		row("Check p50 / p99 / max", fmt.Sprintf("%s / %s / %s", nsString(res.CheckUnderMutNsP50), nsString(res.CheckUnderMutNsP99), nsString(res.CheckUnderMutNsMax)))
		row("Check p99.9", nsString(res.CheckUnderMutNsP999))
	}
	return tw.Flush()
}

// WriteJSON writes res as one line of JSON.
func WriteJSON(out io.Writer, res *Result) error {
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	_, err = fmt.Fprintf(out, "%s\n", b)
	return err
}

// nsString renders a duration in nanoseconds with a fitting unit.
func nsString(ns float64) string {
	switch {
	case ns < 1e3:
		return fmt.Sprintf("%.0f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	case ns < 1e9:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	}
	return fmt.Sprintf("%.2f s", ns/1e9)
}

// bytesString renders a byte count with a binary unit.
func bytesString(n uint64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}

// countString renders a rate with an SI suffix.
func countString(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// cpuString renders the CPUs a parallel run used, if known.
func cpuString(cpus float64) string {
	if cpus < 0 {
		return ""
	}
	return fmt.Sprintf(" (process used %.2f CPUs)", cpus)
}

// writeDurable writes the figures of a -durable run.
func writeDurable(row func(name, value string), section func(name string), d *DurableResult) {
	section("durable state")
	row("snapshot file", fmt.Sprintf("%s, written in %.2f s", bytesString(uint64(d.SnapshotBytes)), d.SnapshotWriteS))
	row("restore", fmt.Sprintf("%.2f s (process CPU %.2f s), %d decisions differ", d.RestoreS, d.RestoreCPUS, d.RestoreMismatches))
	row("directory from the snapshot", fmt.Sprintf("%.2f s", d.CreateS))
	row("commits, 1 writer", fmt.Sprintf("%.0f/s, p50 / p99 / max %s / %s / %s", d.Commit1PerS,
		nsString(d.Commit1UsP50*1e3), nsString(d.Commit1UsP99*1e3), nsString(d.Commit1UsMax*1e3)))
	row("commits, 8 writers", fmt.Sprintf("%.0f/s, p50 / p99 / max %s / %s / %s", d.Commit8PerS,
		nsString(d.Commit8UsP50*1e3), nsString(d.Commit8UsP99*1e3), nsString(d.Commit8UsMax*1e3)))
	row("failed statements", fmt.Sprintf("%d", d.CommitErrors))
	row("recovery", fmt.Sprintf("%.2f s (process CPU %.2f s; snapshot + %d records), %d decisions differ", d.RecoverS, d.RecoverCPUS, d.TailRecords, d.RecoverMismatches))
	row("Check p50 / p99, in memory", fmt.Sprintf("%s / %s", nsString(d.InMemoryCheckNsP50), nsString(d.InMemoryCheckNsP99)))
	row("Check p50 / p99, recovered", fmt.Sprintf("%s / %s, %.2f allocations", nsString(d.CheckNsP50), nsString(d.CheckNsP99), d.CheckAllocs))
}
