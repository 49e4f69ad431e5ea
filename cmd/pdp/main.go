package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
)

// defaultRootPassword is root's password on the engines this command makes
// unless -root-password says otherwise; it is the scenarios' one.
const defaultRootPassword = "111"

const usage = `pdp runs pdp's statement language on a fresh in-memory engine, or on the
durable engine kept in a directory (-data).

usage:
  pdp [FLAGS]                          interactive shell; statements from stdin when it is not a terminal
  pdp [FLAGS] exec [-f FILE] [-e SQL]  run statements, then exit
  pdp dump -data DIR > FILE            write the state of DIR as a snapshot file
  pdp restore FILE -data DIR           make DIR (new, or empty) a durable engine holding FILE's state
  pdp test FILE...                     run scenario files (root password 111, whatever the flags)
  pdp demo                             walk through the quickstart story
  pdp help                             print this help

flags:
  -data DIR           keep the state in DIR (created if needed): every statement prints
                      OK only once its change is on stable storage, and the next run
                      goes on from there. Passwords are hashed with the production
                      hasher. Without -data the engine lives in memory only.
  -root-password PW   root's password (default 111): of the fresh engine, or the one
                      to log in with on an existing DIR
  -history            keep the shell's history in ~/.pdp_history (statements with
                      IDENTIFIED BY are never kept)

The shell and exec start logged in as root with role moadmin: the login is
root (or sys:root:moadmin) with password 111 unless -root-password sets another.
CONNECT account:user[:role] IDENTIFIED BY 'pw' logs in as someone else. Type
help in the shell for the statements.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// options are the flags given before the command.
type options struct {
	rootPassword string
	history      bool
	data         string // -data: the directory of a durable engine
}

// customPassword reports whether root's password was set by a flag, in
// which case it is never printed.
func (o options) customPassword() bool { return o.rootPassword != defaultRootPassword }

// run parses the flags, dispatches on the command and returns the exit
// status: 0, 1 when a statement or record failed, 2 for wrong arguments.
func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pdp", flag.ContinueOnError)
	var opts options
	fs.StringVar(&opts.rootPassword, "root-password", defaultRootPassword, "")
	fs.BoolVar(&opts.history, "history", false, "")
	fs.StringVar(&opts.data, "data", "", "")
	if code, done := parseFlags(fs, args, usage, stdout, stderr); done {
		return code
	}
	args = fs.Args()
	if len(args) == 0 {
		if isTerminal(stdin) {
			return interactive(opts, stdout, stderr)
		}
		return piped(opts, stdin, stdout, stderr)
	}
	switch args[0] {
	case "test":
		return test(args[1:], stdout, stderr)
	case "exec":
		return execCmd(args[1:], opts, stdin, stdout, stderr)
	case "dump":
		return dumpCmd(args[1:], opts, stdout, stderr)
	case "restore":
		return restoreCmd(args[1:], opts, stdin, stdout, stderr)
	case "demo":
		if len(args) > 1 {
			return argError(stderr, "pdp demo", "unexpected argument %q", args[1])
		}
		return demo(stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	return argError(stderr, "pdp", "unknown command %q", args[0])
}

// parseFlags parses args with fs. For -h or --help it prints help to
// stdout; for a wrong flag it prints what was wrong and a hint to stderr.
// done reports that the caller should return code.
func parseFlags(fs *flag.FlagSet, args []string, help string, stdout, stderr io.Writer) (code int, done bool) {
	var msgs strings.Builder
	fs.SetOutput(&msgs)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, help)
		return 0, true
	case err != nil:
		return argError(stderr, fs.Name(), "%s", err.Error()), true
	}
	return 0, false
}

// argError reports a wrong argument, points to the help and returns 2.
func argError(stderr io.Writer, who, format string, args ...any) int {
	fmt.Fprintf(stderr, "%s: %s\n", who, fmt.Sprintf(format, args...))
	fmt.Fprintf(stderr, "Run '%s -h' for help.\n", who)
	return 2
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// client is an engine (a fresh in-memory one, or the durable one of
// -data), a connection logged in as root and the parser that feeds it.
type client struct {
	eng    *engine.Engine
	conn   *dcl.Conn
	parser *dcl.Parser
}

// openEngine starts the engine the options ask for: the durable engine of
// -data, or a fresh in-memory one. A durable engine hashes passwords with
// the production hasher; the in-memory one, which nothing keeps, with the
// cheap test hasher.
func openEngine(opts options) (*engine.Engine, error) {
	if opts.data != "" {
		return engine.Open(opts.data, engine.WithRootPassword(opts.rootPassword), engine.WithHasher(password.Production()))
	}
	return engine.New(engine.WithRootPassword(opts.rootPassword), engine.WithHasher(password.Testing()))
}

// newClient starts the engine and logs in as root with role moadmin. The
// caller closes the client.
func newClient(opts options) (*client, error) {
	eng, err := openEngine(opts)
	if err != nil {
		return nil, fmt.Errorf("start the engine: %w", err)
	}
	conn := dcl.NewConn(eng)
	if err := conn.Connect("sys:root:moadmin", opts.rootPassword); err != nil {
		eng.Close()
		return nil, fmt.Errorf("log in as root: %w", err)
	}
	return &client{eng: eng, conn: conn, parser: dcl.New(dcl.WithLimits(eng.Limits()))}, nil
}

// close closes the engine, reporting a failure to stderr; it returns the
// exit status code, raised to 1 if closing failed.
func (c *client) close(code int, stderr io.Writer) int {
	if err := c.eng.Close(); err != nil {
		fmt.Fprintf(stderr, "pdp: close the engine: %s\n", err.Error())
		return max(code, 1)
	}
	return code
}

// printResult prints a statement's result as a database client does.
func printResult(w io.Writer, res dcl.Result) {
	if !res.Show {
		fmt.Fprintln(w, "OK")
		return
	}
	for _, row := range res.Rows {
		fmt.Fprintln(w, row)
	}
	if len(res.Rows) == 1 {
		fmt.Fprintln(w, "(1 row)")
	} else {
		fmt.Fprintf(w, "(%d rows)\n", len(res.Rows))
	}
}
