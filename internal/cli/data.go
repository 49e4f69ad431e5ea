package cli

import (
	"flag"
	"fmt"
	"io"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
)

const dumpUsage = `usage: pdp dump -data DIR > FILE

Writes the state of the durable engine in DIR (every account, user, role,
database, table, grant and owner, at its latest revision) to stdout as a
snapshot file, which pdp restore, or engine.Restore, reads back.
`

const restoreUsage = `usage: pdp restore FILE -data DIR

Makes DIR (created if needed; it must hold no engine yet) a durable engine
holding the state of the snapshot file FILE (- reads stdin), as pdp dump
wrote it. A file of a future format version, cut short or damaged is
refused and nothing is created. The password hashes must be the production
hasher's.
`

// dataFlags parses the flags of dump and restore, which may come before or
// after the one argument restore takes, and returns the arguments.
func dataFlags(name, help string, args []string, opts *options, stdout, stderr io.Writer) (rest []string, code int, done bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&opts.data, "data", opts.data, "")
	for {
		if code, done := parseFlags(fs, args, help, stdout, stderr); done {
			return nil, code, true
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case opts.etcd != "":
		return nil, argError(stderr, name, "-etcd does not apply: give the directory with -data DIR"), true
	case opts.data == "":
		return nil, argError(stderr, name, "give the directory with -data DIR"), true
	}
	return rest, 0, false
}

// dumpCmd is `pdp dump -data DIR`.
func dumpCmd(args []string, opts options, stdout, stderr io.Writer) int {
	rest, code, done := dataFlags("pdp dump", dumpUsage, args, &opts, stdout, stderr)
	switch {
	case done:
		return code
	case len(rest) > 0:
		return argError(stderr, "pdp dump", "unexpected argument %q", rest[0])
	}
	eng, err := engine.Open(opts.data, engine.WithHasher(password.Production()))
	if err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	err = eng.WriteSnapshot(stdout)
	if cerr := eng.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "pdp: dump %s: %s\n", opts.data, err.Error())
		return 1
	}
	return 0
}

// restoreCmd is `pdp restore FILE -data DIR`.
func restoreCmd(args []string, opts options, stdin io.Reader, stdout, stderr io.Writer) int {
	rest, code, done := dataFlags("pdp restore", restoreUsage, args, &opts, stdout, stderr)
	switch {
	case done:
		return code
	case len(rest) != 1:
		return argError(stderr, "pdp restore", "give one snapshot file")
	}
	in := stdin
	if rest[0] != "-" {
		f, err := openFile(rest[0])
		if err != nil {
			return argError(stderr, "pdp restore", "%s", err.Error())
		}
		defer f.Close()
		in = f
	}
	eng, err := engine.Create(opts.data, in, engine.WithHasher(password.Production()))
	if err != nil {
		fmt.Fprintf(stderr, "pdp: restore %s: %s\n", rest[0], err.Error())
		return 1
	}
	rev := eng.Snapshot().Revision()
	if err := eng.Close(); err != nil {
		fmt.Fprintf(stderr, "pdp: restore %s: %s\n", rest[0], err.Error())
		return 1
	}
	fmt.Fprintf(stdout, "OK: %s holds revision %d\n", opts.data, rev)
	return 0
}
