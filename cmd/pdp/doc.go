// Command pdp runs the statement language of pdp against an in-memory
// engine: scenario files, scripts, an interactive shell and a demo.
//
//	pdp test FILE...            run scenario files (reference §13)
//	pdp exec [-f FILE] [-e SQL] run statements as root on a fresh engine
//	pdp demo                    walk through the quickstart story
//	pdp                         interactive shell on a terminal; otherwise
//	                            run the statements read from stdin
//
// `pdp test` prints each failing record as `file:line: expected ..., got
// ...`, ends with `N passed, M failed` (counting records) and exits 1 if
// any record failed. Every other mode starts a fresh engine whose root
// password is 111 (the scenarios' one), with a cheap password hasher, and
// logs in as root with role moadmin; CONNECT logs in as someone else.
// Statements print `OK`, their rows followed by `(N rows)`, or `ERROR:`
// and the message on stderr; the exit status is 1 if any statement failed.
package main
