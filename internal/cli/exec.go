package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
)

const execUsage = `usage: pdp [FLAGS] exec [-f FILE] [-e SQL]

Runs statements as root (role moadmin) on a fresh in-memory engine, on the
durable engine in DIR (-data) or on a replica (-etcd): those of FILE first
(- reads stdin), then those of -e, separated by ';'. Each statement
prints OK, its rows followed by (N rows), or ERROR: and the message, all on
stdout in order; an error in FILE is prefixed with FILE:LINE:. The shell
commands (help, quit, \q, ...) work in FILE too. The exit status is 1 if a
statement failed, 2 for wrong arguments.

flags:
  -f FILE             run the statements of FILE (- for stdin)
  -e SQL              run the statements SQL
  -data DIR           run on the durable engine in DIR (see pdp help)
  -etcd ENDPOINTS     run on a replica of the etcd cluster at ENDPOINTS (see pdp help)
  -root-password PW   root's password (default 111)
`

// execCmd is `pdp exec [-f FILE] [-e SQL]`: the file's statements run
// first, then those of -e.
func execCmd(args []string, opts options, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pdp exec", flag.ContinueOnError)
	file := fs.String("f", "", "")
	expr := fs.String("e", "", "")
	fs.StringVar(&opts.rootPassword, "root-password", opts.rootPassword, "")
	fs.StringVar(&opts.data, "data", opts.data, "")
	fs.StringVar(&opts.etcd, "etcd", opts.etcd, "")
	if code, done := parseFlags(fs, args, execUsage, stdout, stderr); done {
		return code
	}
	if code, ok := opts.checkEngine("pdp exec", stderr); !ok {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return argError(stderr, "pdp exec", "unexpected argument %q", fs.Arg(0))
	case *file == "" && *expr == "":
		return argError(stderr, "pdp exec", "give -f FILE and/or -e 'STATEMENT; ...'")
	}
	source, in := "<stdin>", stdin
	if *file != "" && *file != "-" {
		f, err := openFile(*file)
		if err != nil {
			return argError(stderr, "pdp exec", "%s", err.Error())
		}
		defer f.Close()
		source, in = *file, f
	}
	c, err := newClient(opts)
	if err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	code := 0
	if *file != "" {
		code = c.script(source, in, stdout, stderr)
	}
	if *expr != "" {
		r := &repl{c: c, out: stdout}
		r.runText(*expr, 1)
		if r.failed {
			code = max(code, 1)
		}
	}
	return c.close(code, stderr)
}

// openFile opens a script, refusing a directory.
func openFile(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a directory", name)
	}
	return f, nil
}
