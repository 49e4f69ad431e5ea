// Command pdp runs the statement language of pdp against an in-memory
// engine, or a durable one kept in a directory: scenario files, scripts,
// an interactive shell and a demo.
//
//	pdp [FLAGS]                         interactive shell on a terminal; otherwise
//	                                    run the statements read from stdin
//	pdp [FLAGS] exec [-f FILE] [-e SQL] run statements as root on a fresh engine
//	pdp dump -data DIR > FILE           write DIR's state as a snapshot file
//	pdp restore FILE -data DIR          make DIR a durable engine holding FILE's state
//	pdp test FILE...                    run scenario files (reference §13)
//	pdp demo                            walk through the quickstart story
//	pdp help                            print the usage
//
// The flags are -data DIR (run on the durable engine in DIR, created if
// needed: a statement prints OK only once its change record is on stable
// storage, and the next run goes on from the state it left; passwords are
// hashed with the production hasher), -root-password PW (root's password,
// default 111) and -history (keep the shell's history in ~/.pdp_history;
// statements with IDENTIFIED BY are never kept). -etcd ENDPOINTS runs the
// shell or exec on a replica kept in step through an etcd cluster; this
// program has no etcd support and refuses it (exit 2): the full program,
// built by `make pdp` from the nested module etcdlog (etcdlog/cmd/pdp), has
// it, and a `pdp etcd` command that serves a single-node etcd for trying
// replicas.
//
// `pdp test` prints each failing record as `file:line: expected ..., got
// ...`, ends with `N passed, M failed` (counting records) and exits 1 if
// any record failed. Every other mode starts a fresh engine with a cheap
// password hasher (or opens the one of -data) and logs in as root with role moadmin; CONNECT logs in
// as someone else. Statements print `OK`, their rows followed by `(N
// rows)`, or `ERROR:` and the message, all on stdout in order; in a script
// (a file or a piped stdin) an error is prefixed with `file:line:`, the
// line where the failing statement starts. CHECK and EXPLAIN CHECK print
// the decisions of the current session.
//
// The shell reads lines until a statement ends with ';'. On a terminal it
// edits lines and keeps an in-memory history (arrow keys, Ctrl-R); Ctrl-C
// drops the statement being typed, Ctrl-D on an empty line quits. Alone on
// a line, `help`, `\h` and `\?` print help and `quit`, `exit` and `\q`
// quit, on a terminal, from a pipe and in `exec -f` files alike. The exit
// status of a script is 1 if a statement failed; wrong arguments (an
// unknown flag or command, a missing file) exit 2.
//
// The program lives in package internal/cli, which the full program
// extends.
package main
