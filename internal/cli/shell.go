package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/pdp-authz/pdp/dcl"
)

// errInterrupt is what a lineReader returns when the user pressed Ctrl-C:
// the input typed so far is dropped.
var errInterrupt = errors.New("interrupted")

// lineReader is where the shell reads its input: a terminal with line
// editing, or a plain stream (a pipe, a file, a test's reader).
type lineReader interface {
	// readLine shows prompt (if the reader shows prompts) and returns the
	// next line without its line ending; io.EOF at the end of the input
	// (Ctrl-D), errInterrupt for Ctrl-C.
	readLine(prompt string) (string, error)
	// remember adds a finished entry to the history, if the reader keeps one.
	remember(entry string)
}

// plainReader reads lines from a stream, without prompts or history.
type plainReader struct{ r *bufio.Reader }

func newPlainReader(r io.Reader) plainReader { return plainReader{r: bufio.NewReader(r)} }

func (p plainReader) readLine(string) (string, error) {
	line, err := p.r.ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", err
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

func (plainReader) remember(string) {}

// repl reads statements line by line, runs each once its ';' is typed and
// prints the outcomes on out, errors included, in order. Shell commands
// (help, quit, ...) stand alone on a line.
type repl struct {
	c   *client
	in  lineReader
	out io.Writer
	// source names the input in error messages, `source:line: ERROR: ...`;
	// it is "" in the interactive shell, whose errors are not prefixed and
	// whose syntax errors count lines from the statement's first.
	source string
	// failed records whether a statement failed.
	failed bool
}

// shellHelp is what help, \h and \? print.
const shellHelp = `Statements end with ';' and may span several lines; keywords are case-insensitive.
  CREATE ACCOUNT a ADMIN_NAME 'n' IDENTIFIED BY 'pw'    ALTER ACCOUNT, DROP ACCOUNT
  CREATE USER u IDENTIFIED BY 'pw' [DEFAULT ROLE r]     ALTER USER, DROP USER
  CREATE ROLE r      CREATE DATABASE d      CREATE TABLE [d.]t (...)      DROP ...
  GRANT priv [, priv ...] ON <level> TO r [WITH GRANT OPTION]     REVOKE ... FROM r
  GRANT r TO user-or-role       GRANT OWNERSHIP ON <object> TO r       REVOKE r FROM x
  GRANT SELECT (c1, c2) ON TABLE d.t TO r    DENY priv [(c, ...)] ON <level> TO r    REVOKE DENY ...
  ALTER TABLE [d.]t {ADD COLUMN c type | DROP COLUMN c}      SHOW COLUMNS FROM [d.]t
  SHOW GRANTS [FOR [USER | ROLE] x]     SHOW ROLES     SHOW USERS     SHOW ACCOUNTS
  USE d      SET ROLE r      SET SECONDARY ROLE {ALL | NONE}
  CONNECT account:user[:role] IDENTIFIED BY 'pw'     log in as someone else
  CHECK priv ON <object> [FOR USER u [ROLE r] [SECONDARY {ALL | NONE}]]   allow or deny, and why
  EXPLAIN CHECK priv ON <object> [FOR USER ...]   ... and the role, the path and the grant that decided
  SHOW DATABASES     SHOW TABLES [FROM d]     SHOW GRANTS ON {<level> | ROLE r | USER u}
  SHOW PRIVILEGES ON <object> [FOR USER ...]     SHOW {USERS | ROLES} WITH priv ON <object>
  WHAT IF <statement>                 who would gain or lose what, without changing anything
  CREATE | DROP PRIVILEGE GROUP g     ALTER PRIVILEGE GROUP g {ADD | REMOVE} priv [, ...]
  GRANT | REVOKE PRIVILEGE GROUP g ON <level> {TO | FROM} r     SHOW PRIVILEGE GROUPS
  CREATE | ALTER ALIAS [d.]a FOR TABLE [d.]t     DROP ALIAS [d.]a     SHOW ALIASES [IN d]
  <level>:  ACCOUNT | DATABASE {* | d | p*} | TABLE {*.* | d.* | d.t | t | p*.* | d.q*}
  <object>: ACCOUNT | DATABASE d | TABLE [d.]t | COLUMN [d.]t.c | ROLE r | USER u
Shell commands, alone on a line:
  help, \h, \?      this help
  quit, exit, \q    leave (so does Ctrl-D on an empty line)
  Ctrl-C            drop the statement being typed
`

// shellCommand is a command of the shell itself.
type shellCommand int

const (
	cmdNone shellCommand = iota
	cmdHelp
	cmdQuit
)

// shellCommandOf recognises a shell command on a line of its own: the
// backslash forms anywhere, the words only where a statement would start
// (a trailing ';' is allowed). Case does not matter.
func shellCommandOf(line string, atStart bool) shellCommand {
	word := strings.ToLower(strings.TrimSpace(line))
	if atStart {
		word = strings.TrimSpace(strings.TrimSuffix(word, ";"))
	}
	switch word {
	case `\q`:
		return cmdQuit
	case `\h`, `\?`:
		return cmdHelp
	}
	if !atStart {
		return cmdNone
	}
	switch word {
	case "quit", "exit":
		return cmdQuit
	case "help":
		return cmdHelp
	}
	return cmdNone
}

// run reads and runs until the input ends or a quit command. It returns
// an error only when the input cannot be read.
func (r *repl) run() error {
	var buf strings.Builder
	start, lineNo := 0, 0
	for {
		line, err := r.in.readLine(r.prompt(buf.Len() > 0))
		switch {
		case errors.Is(err, errInterrupt):
			buf.Reset()
			continue
		case errors.Is(err, io.EOF):
			r.finish(buf.String(), start)
			return nil
		case err != nil:
			return err
		}
		lineNo++
		switch shellCommandOf(line, buf.Len() == 0) {
		case cmdQuit:
			return nil
		case cmdHelp:
			r.in.remember(strings.TrimSpace(line))
			fmt.Fprint(r.out, shellHelp)
			continue
		}
		if buf.Len() == 0 {
			if strings.TrimSpace(line) == "" {
				continue
			}
			start = lineNo
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
		if dcl.Terminated(buf.String()) {
			r.remember(buf.String())
			r.runText(buf.String(), start)
			buf.Reset()
		}
	}
}

// finish handles what was typed before the end of the input without a
// final ';': a script runs it, the interactive shell drops it.
func (r *repl) finish(rest string, start int) {
	if r.source == "" {
		fmt.Fprintln(r.out)
		return
	}
	if strings.TrimSpace(rest) != "" {
		r.runText(rest, start)
	}
}

// prompt returns the prompt naming the session, or the continuation
// prompt inside a statement.
func (r *repl) prompt(continued bool) string {
	p := r.c.conn.Prompt()
	if continued {
		return strings.Repeat(" ", max(len(p)-1, 0)) + "-> "
	}
	return p + "> "
}

// secret matches the statements that carry a password.
var secret = regexp.MustCompile(`(?i)identified\s+by`)

// remember adds a statement to the history as one line, unless it carries
// a password.
func (r *repl) remember(stmt string) {
	if secret.MatchString(stmt) {
		return
	}
	r.in.remember(strings.Join(strings.Fields(stmt), " "))
}

// runText runs the statements of src, whose first line is line start of
// the input, printing each outcome.
func (r *repl) runText(src string, start int) {
	for loc := range r.c.parser.AllLocated(src) {
		err := loc.Err
		if err == nil {
			var res dcl.Result
			if res, err = r.c.conn.Exec(loc.Statement); err == nil {
				printResult(r.out, res)
				continue
			}
		}
		r.failed = true
		r.printError(err, start+loc.Line-1, start)
	}
}

// printError prints a failed statement's error. In a script it names the
// source and line, and a syntax error counts lines from the source's first.
func (r *repl) printError(err error, line, start int) {
	if r.source == "" {
		fmt.Fprintf(r.out, "ERROR: %s\n", err.Error())
		return
	}
	var se *dcl.SyntaxError
	if errors.As(err, &se) {
		shifted := *se
		shifted.Line += start - 1
		err = &shifted
	}
	fmt.Fprintf(r.out, "%s:%d: ERROR: %s\n", r.source, line, err.Error())
}

// runScript runs the statements read from in, naming source in errors, on
// a fresh engine; it returns the exit status.
func runScript(opts options, source string, in io.Reader, stdout, stderr io.Writer) int {
	c, err := newClient(opts)
	if err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	return c.close(c.script(source, in, stdout, stderr), stderr)
}

// script runs the statements read from in on the client, naming source in
// errors; it returns the exit status.
func (c *client) script(source string, in io.Reader, stdout, stderr io.Writer) int {
	r := &repl{c: c, in: newPlainReader(in), out: stdout, source: source}
	if err := r.run(); err != nil {
		fmt.Fprintf(stderr, "pdp: read %s: %s\n", source, err.Error())
		return 1
	}
	if r.failed {
		return 1
	}
	return 0
}

// piped runs the statements of a stdin that is not a terminal.
func piped(opts options, stdin io.Reader, stdout, stderr io.Writer) int {
	return runScript(opts, "<stdin>", stdin, stdout, stderr)
}

// banner greets the interactive shell's user: who they are and how to log
// in again. A password set by a flag is not printed.
func banner(opts options, rev uint64) string {
	pw := "password " + defaultRootPassword
	if opts.customPassword() {
		pw = "the password given with -root-password"
	}
	on := "a fresh in-memory engine"
	switch {
	case opts.data != "":
		on = fmt.Sprintf("the durable engine in %s (revision %d)", opts.data, rev)
	case opts.etcd != "":
		on = fmt.Sprintf("a replica of the etcd cluster at %s (revision %d)", opts.etcd, rev)
	}
	return "pdp shell on " + on + ". You are root with role moadmin\n" +
		"(login root, " + pw + "); CONNECT account:user[:role] IDENTIFIED BY 'pw'\n" +
		"logs in as someone else. Statements end with ';'. help or \\h for help,\n" +
		"\\q or Ctrl-D to quit, Ctrl-C drops the statement being typed.\n"
}

// shell runs the interactive shell on in; it returns the exit status.
func shell(opts options, in lineReader, stdout, stderr io.Writer) int {
	c, err := newClient(opts)
	if err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	fmt.Fprint(stdout, banner(opts, c.eng.Snapshot().Revision()))
	r := &repl{c: c, in: in, out: stdout}
	if err := r.run(); err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return c.close(1, stderr)
	}
	return c.close(0, stderr)
}
