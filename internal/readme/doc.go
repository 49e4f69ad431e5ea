// Package readme holds the test that keeps the repository's README.md
// honest: its first Go block must be a complete program that builds
// against this module and prints what the README says it prints. The
// package has no code of its own.
package readme
