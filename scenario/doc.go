// Package scenario reads and runs the scenario files of reference §13: stories
// of statements, expected errors, SHOW output and decisions, written as a
// database administrator would tell them, each checked against a fresh
// engine.
//
// [Parse] turns a file's text into [Record] values without running
// anything (it never fails: a malformed record becomes a record of kind
// [KindInvalid] that fails when run, so that the records after it still
// run). [Run] runs records on a fresh engine and returns a [Report];
// [RunFile] does both for a file. The Go test of this package runs every
// testdata/scenarios/*.test file of the module and, when present, the
// conformance scenarios kept beside the repository.
//
// Nothing in this package is shared between goroutines: Run makes its own
// engine and may be called concurrently for different files.
package scenario
