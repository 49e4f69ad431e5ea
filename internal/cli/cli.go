package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
)

// defaultRootPassword is root's password on the engines this command makes
// unless -root-password says otherwise; it is the scenarios' one.
const defaultRootPassword = "111"

// noEtcd is what -etcd prints in a build without etcd support.
const noEtcd = "pdp: this build has no etcd support; build the full program with: make pdp"

// Options extend the program in builds that link more than the core module.
type Options struct {
	// Replica opens the engine of a replica kept in step with others through the etcd
	// cluster at endpoints (the -etcd flag, comma-separated host:port list). It returns the
	// engine and a function that closes the replica. Nil in builds without etcd support.
	Replica func(ctx context.Context, endpoints string, opts ...engine.Option) (*engine.Engine, func() error, error)
	// Commands are extra sub-commands by name (e.g. "etcd"), shown in the usage.
	Commands map[string]Command
}

// Command is a sub-command a build adds to the program.
type Command struct {
	// Usage is the command's line in the program's usage: its synopsis
	// after "pdp ", a tab, and what it does, as
	// "etcd [-dir DIR]\trun an etcd server".
	Usage string
	// Run runs the command on the arguments after its name and returns
	// the exit status.
	Run func(args []string, stdout, stderr io.Writer) int
}

const usageHead = `pdp runs pdp's statement language on a fresh in-memory engine, on the
durable engine kept in a directory (-data), or on a replica kept in step with
others through etcd (-etcd).

usage:
  pdp [FLAGS]                          interactive shell; statements from stdin when it is not a terminal
  pdp [FLAGS] exec [-f FILE] [-e SQL]  run statements, then exit
  pdp dump -data DIR > FILE            write the state of DIR as a snapshot file
  pdp restore FILE -data DIR           make DIR (new, or empty) a durable engine holding FILE's state
  pdp test FILE...                     run scenario files (root password 111, whatever the flags)
  pdp demo                             walk through the quickstart story
`

const usageTail = `  pdp help                             print this help

flags:
  -data DIR           keep the state in DIR (created if needed): every statement prints
                      OK only once its change is on stable storage, and the next run
                      goes on from there. Passwords are hashed with the production
                      hasher. Without -data the engine lives in memory only.
  -etcd ENDPOINTS     run on a replica kept in step with the others through the etcd
                      cluster at ENDPOINTS (host:port,...): statements are committed
                      through the cluster's shared log, decisions are local. Passwords
                      are hashed with the production hasher. Not with -data; only in
                      the full program (make pdp).
  -root-password PW   root's password (default 111): of the fresh engine, or the one
                      to log in with on an existing DIR or cluster
  -history            keep the shell's history in ~/.pdp_history (statements with
                      IDENTIFIED BY are never kept)

The shell and exec start logged in as root with role moadmin: the login is
root (or sys:root:moadmin) with password 111 unless -root-password sets another.
CONNECT account:user[:role] IDENTIFIED BY 'pw' logs in as someone else. Type
help in the shell for the statements.
`

// usageColumn is where the descriptions of the usage's commands start,
// counted after "  pdp ".
const usageColumn = 33

// usage returns the program's usage, listing the commands of o after the
// built-in ones.
func usage(o Options) string {
	var b strings.Builder
	b.WriteString(usageHead)
	for _, name := range slices.Sorted(maps.Keys(o.Commands)) {
		synopsis, what, _ := strings.Cut(o.Commands[name].Usage, "\t")
		if synopsis == "" {
			synopsis = name
		}
		pad := max(usageColumn-len(synopsis), 2)
		fmt.Fprintf(&b, "  pdp %s%s%s\n", synopsis, strings.Repeat(" ", pad), what)
	}
	b.WriteString(usageTail)
	return b.String()
}

// options are the flags given before the command, and the extensions of
// the build.
type options struct {
	rootPassword string
	history      bool
	data         string // -data: the directory of a durable engine
	etcd         string // -etcd: the endpoints of the etcd cluster of a replica
	ext          Options
}

// customPassword reports whether root's password was set by a flag, in
// which case it is never printed.
func (o options) customPassword() bool { return o.rootPassword != defaultRootPassword }

// checkEngine reports wrong engine flags to stderr, for who, and returns 2
// then; ok reports that the flags are usable.
func (o options) checkEngine(who string, stderr io.Writer) (code int, ok bool) {
	switch {
	case o.etcd == "":
		return 0, true
	case o.data != "":
		return argError(stderr, who, "-data and -etcd exclude each other"), false
	case o.ext.Replica == nil:
		fmt.Fprintln(stderr, noEtcd)
		return 2, false
	}
	return 0, true
}

// Main runs the program with the arguments after its name: it parses the
// flags, dispatches on the command and returns the exit status, 0, 1 when
// a statement or record failed, 2 for wrong arguments. o extends it; the
// zero Options give the core program.
func Main(args []string, stdin *os.File, stdout, stderr io.Writer, o Options) int {
	fs := flag.NewFlagSet("pdp", flag.ContinueOnError)
	opts := options{ext: o}
	fs.StringVar(&opts.rootPassword, "root-password", defaultRootPassword, "")
	fs.BoolVar(&opts.history, "history", false, "")
	fs.StringVar(&opts.data, "data", "", "")
	fs.StringVar(&opts.etcd, "etcd", "", "")
	help := usage(o)
	if code, done := parseFlags(fs, args, help, stdout, stderr); done {
		return code
	}
	args = fs.Args()
	if len(args) == 0 {
		if code, ok := opts.checkEngine("pdp", stderr); !ok {
			return code
		}
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
		fmt.Fprint(stdout, help)
		return 0
	}
	if c, ok := o.Commands[args[0]]; ok && c.Run != nil {
		return c.Run(args[1:], stdout, stderr)
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

// client is an engine (a fresh in-memory one, the durable one of -data or
// a replica's, -etcd), a connection logged in as root and the parser that
// feeds it.
type client struct {
	eng    *engine.Engine
	conn   *dcl.Conn
	parser *dcl.Parser
	// closeEngine closes the engine, or the replica whose engine it is.
	closeEngine func() error
}

// openEngine starts the engine the options ask for: the durable engine of
// -data, the engine of a replica (-etcd), or a fresh in-memory one. It
// returns the engine and the function that closes it. Durable and
// replicated engines hash passwords with the production hasher; the
// in-memory one, which nothing keeps, with the cheap test hasher.
func openEngine(opts options) (*engine.Engine, func() error, error) {
	production := []engine.Option{engine.WithRootPassword(opts.rootPassword), engine.WithHasher(password.Production())}
	switch {
	case opts.etcd != "" && opts.ext.Replica == nil:
		return nil, nil, errors.New(strings.TrimPrefix(noEtcd, "pdp: "))
	case opts.etcd != "":
		return opts.ext.Replica(context.Background(), opts.etcd, production...)
	}
	var eng *engine.Engine
	var err error
	if opts.data != "" {
		eng, err = engine.Open(opts.data, production...)
	} else {
		eng, err = engine.New(engine.WithRootPassword(opts.rootPassword), engine.WithHasher(password.Testing()))
	}
	if err != nil {
		return nil, nil, err
	}
	return eng, eng.Close, nil
}

// newClient starts the engine and logs in as root with role moadmin. The
// caller closes the client.
func newClient(opts options) (*client, error) {
	eng, closeEngine, err := openEngine(opts)
	if err != nil {
		return nil, fmt.Errorf("start the engine: %w", err)
	}
	conn := dcl.NewConn(eng)
	if err := conn.Connect("sys:root:moadmin", opts.rootPassword); err != nil {
		_ = closeEngine()
		return nil, fmt.Errorf("log in as root: %w", err)
	}
	return &client{eng: eng, conn: conn, parser: dcl.New(dcl.WithLimits(eng.Limits())), closeEngine: closeEngine}, nil
}

// close closes the engine, reporting a failure to stderr; it returns the
// exit status code, raised to 1 if closing failed.
func (c *client) close(code int, stderr io.Writer) int {
	if err := c.closeEngine(); err != nil {
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
