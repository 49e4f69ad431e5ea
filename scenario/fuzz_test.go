package scenario_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pdp-authz/pdp/scenario"
)

// FuzzParse checks that reading any text never panics and yields records
// whose lines lie inside the text, in order.
func FuzzParse(f *testing.F) {
	for _, file := range scenarioFiles(f) {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		// Seed with runs of a few blocks: small inputs keep the fuzzer's
		// minimisation cheap.
		blocks := strings.Split(string(src), "\n\n")
		for i := 0; i < len(blocks); i += 4 {
			f.Add(strings.Join(blocks[i:min(i+4, len(blocks))], "\n\n"))
		}
	}
	f.Add(sample)
	f.Add("query\nSHOW ROLES\n----\n\n\n")
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Count(src, "\n") + 1
		last := 0
		for _, rec := range scenario.Parse(src) {
			if rec.Line <= last || rec.Line > lines {
				t.Fatalf("record line %d after %d in a text of %d lines", rec.Line, last, lines)
			}
			last = rec.Line
			if rec.Kind == scenario.KindInvalid && rec.Err == nil {
				t.Fatalf("invalid record at line %d without an error", rec.Line)
			}
		}
	})
}
