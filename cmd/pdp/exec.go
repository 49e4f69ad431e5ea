package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pdp-authz/pdp/dcl"
)

// execCmd is `pdp exec [-f FILE] [-e SQL]`: the file's statements run
// first, then those of -e; -f - reads stdin.
func execCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pdp exec", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("f", "", "run the statements of `FILE` (- for stdin)")
	expr := fs.String("e", "", "run the statements `SQL`, separated by ';'")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *file == "" && *expr == "" {
		fmt.Fprint(stderr, "pdp exec: give -f FILE and/or -e 'STATEMENT; ...'\n", usage)
		return 2
	}
	c, err := newClient()
	if err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	ok := true
	if *file != "" {
		src, err := readSource(*file, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
			return 1
		}
		ok = c.runText(src, stdout, stderr)
	}
	if *expr != "" {
		ok = c.runText(*expr, stdout, stderr) && ok
	}
	if !ok {
		return 1
	}
	return 0
}

// readSource reads a script from a file, or from stdin for "-".
func readSource(name string, stdin io.Reader) (string, error) {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	return string(b), err
}

// script runs the statements read from a non-terminal stdin.
func script(stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := newClient()
	if err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	src, err := io.ReadAll(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	if !c.runText(string(src), stdout, stderr) {
		return 1
	}
	return 0
}

// maxLine is the longest input line the shell accepts.
const maxLine = 4 << 20

// shell is the interactive shell: a prompt naming the session, statements
// over several lines up to a ';', `\q` to quit.
func shell(stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := newClient()
	if err != nil {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	fmt.Fprintln(stdout, `pdp shell: statements end with ';', \q quits. Logged in as root.`)
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 0, 64<<10), maxLine)
	var buf strings.Builder
	for {
		if buf.Len() == 0 {
			fmt.Fprintf(stdout, "%s> ", c.conn.Prompt())
		} else {
			fmt.Fprintf(stdout, "%s-> ", strings.Repeat(" ", max(len(c.conn.Prompt())-1, 0)))
		}
		if !in.Scan() {
			break
		}
		line := in.Text()
		if strings.TrimSpace(line) == `\q` {
			return 0
		}
		if buf.Len() == 0 && strings.TrimSpace(line) == "" {
			continue
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
		if dcl.Terminated(buf.String()) {
			c.runText(buf.String(), stdout, stdout)
			buf.Reset()
		}
	}
	fmt.Fprintln(stdout)
	if err := in.Err(); err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintf(stderr, "pdp: %s\n", err.Error())
		return 1
	}
	if strings.TrimSpace(buf.String()) != "" {
		c.runText(buf.String(), stdout, stdout)
	}
	return 0
}
