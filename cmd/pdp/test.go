package main

import (
	"fmt"
	"io"

	"github.com/pdp-authz/pdp/scenario"
)

// test runs scenario files and prints their failures and a tally.
func test(files []string, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprint(stderr, "pdp test: no scenario files given\n", usage)
		return 2
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
