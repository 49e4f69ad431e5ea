package scenario_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/scenario"
)

// scenarioDirs are the folders whose *.test files the test runs: the
// module's own scenarios and, when present, the shared ones next to the
// repository.
var scenarioDirs = []string{
	filepath.Join("..", "testdata", "scenarios"),
	filepath.Join("..", "..", "shared", "scenarios"),
}

// scenarioFiles lists the scenario files of every folder that exists.
func scenarioFiles(t testing.TB) []string {
	var files []string
	for _, dir := range scenarioDirs {
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		found, err := filepath.Glob(filepath.Join(dir, "*.test"))
		require.NoError(t, err)
		files = append(files, found...)
	}
	return files
}

func TestScenarios(t *testing.T) {
	files := scenarioFiles(t)
	require.NotEmpty(t, files, "no scenario files found")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			rep, err := scenario.RunFile(file)
			require.NoError(t, err)
			for _, f := range rep.Failures {
				t.Error(f.String())
			}
		})
	}
}
