package readme

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// firstGoBlock returns the body of the first ```go fenced block of a
// Markdown text.
func firstGoBlock(markdown string) (string, bool) {
	_, rest, ok := strings.Cut(markdown, "\n```go\n")
	if !ok {
		return "", false
	}
	body, _, ok := strings.Cut(rest, "\n```\n")
	return body + "\n", ok
}

func TestFirstGoBlock(t *testing.T) {
	body, ok := firstGoBlock("# t\n\n```sh\nmake\n```\n\n```go\npackage main\n```\n\n```go\nsecond\n```\n")
	require.True(t, ok)
	require.Equal(t, "package main\n", body)

	_, ok = firstGoBlock("```sh\nmake\n```\n")
	require.False(t, ok)
}

// TestReadmeExample builds the README's library example inside this module
// (in a directory starting with a dot, which ./... patterns skip) and runs
// it.
func TestReadmeExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	src, ok := firstGoBlock(string(readme))
	require.True(t, ok, "README.md has no ```go block")
	require.True(t, strings.HasPrefix(src, "package main\n"), "the first Go block of README.md must be a complete program")

	dir, err := os.MkdirTemp(root, ".readme-example-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o600))

	cmd := exec.Command(goTool, "run", "./"+filepath.Base(dir))
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "go run of the README example: %s", stderr.String())
	require.Equal(t, "true\n", stdout.String())
}
