package main

import (
	"fmt"
	"io"
	"os"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
)

// rootPassword is root's password on the engines this command makes.
const rootPassword = "111"

const usage = `usage:
  pdp test FILE...              run scenario files
  pdp exec [-f FILE] [-e SQL]   run statements as root on a fresh engine
  pdp demo                      walk through the quickstart story
  pdp                           interactive shell (statements from stdin when not a terminal)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches on the sub-command and returns the exit status.
func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		if isTerminal(stdin) {
			return shell(stdin, stdout, stderr)
		}
		return script(stdin, stdout, stderr)
	}
	switch args[0] {
	case "test":
		return test(args[1:], stdout, stderr)
	case "exec":
		return execCmd(args[1:], stdin, stdout, stderr)
	case "demo":
		return demo(stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "pdp: unknown command %q\n%s", args[0], usage)
	return 2
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// client is a fresh in-memory engine, a connection logged in as root and
// the parser that feeds it.
type client struct {
	conn   *dcl.Conn
	parser *dcl.Parser
}

// newClient starts a fresh engine and logs in as root with role moadmin.
func newClient() (*client, error) {
	eng, err := engine.New(engine.WithRootPassword(rootPassword), engine.WithHasher(password.Testing()))
	if err != nil {
		return nil, fmt.Errorf("start the engine: %w", err)
	}
	conn := dcl.NewConn(eng)
	if err := conn.Connect("sys:root:moadmin", rootPassword); err != nil {
		return nil, fmt.Errorf("log in as root: %w", err)
	}
	return &client{conn: conn, parser: dcl.New(dcl.WithLimits(eng.Limits()))}, nil
}

// runText runs every statement of src, printing each outcome, and reports
// whether all succeeded. A syntax error spoils only its own statement.
func (c *client) runText(src string, stdout, stderr io.Writer) bool {
	ok := true
	for st, err := range c.parser.All(src) {
		if err == nil {
			var res dcl.Result
			res, err = c.conn.Exec(st)
			if err == nil {
				printResult(stdout, res)
				continue
			}
		}
		ok = false
		fmt.Fprintf(stderr, "ERROR: %s\n", err.Error())
	}
	return ok
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
