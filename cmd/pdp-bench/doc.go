// Command pdp-bench measures the pdp engine on a benchmark workload.
//
// A workload (format "peerbench workload v1") is a text file, optionally
// gzip-compressed, with three sections: setup statements that build the
// policy, CHECK lines that form the request stream (each with the answer
// expected on the setup state) and MUTATE lines that come in REVOKE/GRANT
// pairs. pdp-bench either loads such a file (-workload FILE) or generates
// one of the same shape (-preset small|medium|large|xlarge, each parameter
// adjustable by a flag; -dump FILE writes it out).
//
// Columns, column grants and denials (reference §18) extend the format:
// `CREATE TABLE db.t (c1 INT, ...)`, `GRANT SELECT (c1) ON TABLE db.t TO r`,
// `DENY priv [(c)] ON level TO r` and `CHECK ... ON COLUMN db.t.c`. The
// generator flags -columns, -column-grants, -denials and -column-checks
// add them; -preset medium-ultipa is medium with 8 columns per table, 10%
// of its grants on columns and 5% made denials, and -preset wide-ultipa is
// one table of 4,096 columns with 1,000 column grants, every check asked of
// a column. Tables' columns are loaded only when a workload grants,
// denies or checks on a column.
//
// It then reports:
//
//   - verification: every CHECK answered on the setup state against its
//     EXPECT value (and EXPECT against an independent reference evaluator);
//     again after the phase under mutation, which replays whole
//     REVOKE/GRANT pairs; and step by step through the first mutation
//     pairs (-verify-mutations), against the reference with the same
//     mutation applied;
//   - latency of Engine.Check on the request stream in random order: the
//     mean from batch timing and p50/p90/p99/p99.9/max from per-call timing
//     of one call in every -sample-every;
//   - allocations per Check;
//   - throughput with one and two goroutines, and the speedup;
//   - Check latency while another goroutine replays the MUTATE stream at a
//     target rate, mutation latency and the rate achieved;
//   - build cost: time to load the setup, retained heap, bytes per grant.
//
// With -graph chain|wide it measures the role graph instead: a chain of
// -graph-size roles, or one role granted to -graph-size users next to a
// fan-out of ten hub roles each inherited by a tenth as many roles. It
// reports the time to build the graph in one Load and statement by
// statement, and p50/p99 of grants, revokes and cycle refusals at the
// graph's deep end.
//
// The setup uses the engine's cheap test password hasher. With -json the
// last line of the output is a single JSON object with the figures.
//
// Usage:
//
//	pdp-bench -workload medium.sql.gz
//	pdp-bench -preset small -checks 50000 -json
//	pdp-bench -preset large -dump large.sql.gz -duration 5s
//	pdp-bench -graph chain -graph-size 10000
package main
