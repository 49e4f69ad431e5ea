package cli

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pdp-authz/pdp/scenario"
)

const testUsage = `usage: pdp test FILE...

Runs scenario files, each on a fresh engine whose root password is 111. It
prints each failing record as FILE:LINE: expected ..., got ..., ends with
N passed, M failed (counting records) and exits 1 if a record failed, 2 for
wrong arguments.
`

// test runs scenario files and prints their failures and a tally.
func test(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pdp test", flag.ContinueOnError)
	if code, done := parseFlags(fs, args, testUsage, stdout, stderr); done {
		return code
	}
	files := fs.Args()
	if len(files) == 0 {
		return argError(stderr, "pdp test", "no scenario files given")
	}
	for _, file := range files {
		if _, err := os.Stat(file); err != nil {
			return argError(stderr, "pdp test", "%s", err.Error())
		}
	}
	passed, failed := 0, 0
	for _, file := range files {
		rep, err := scenario.RunFile(file)
		if err != nil {
			fmt.Fprintf(stdout, "%s:0: expected a readable scenario file, got error: %s\n", file, err.Error())
			failed++
			continue
		}
		for _, f := range rep.Failures {
			fmt.Fprintln(stdout, f.String())
		}
		passed += rep.Passed
		failed += rep.Failed
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return 1
	}
	return 0
}
