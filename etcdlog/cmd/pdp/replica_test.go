package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/pdp-authz/pdp/internal/cli"
	"github.com/stretchr/testify/require"
)

// run runs the full program with args, its standard input read from the
// file holding input, and returns its exit status and output.
func run(t *testing.T, input string, args ...string) (int, string, string) {
	t.Helper()
	in := filepath.Join(t.TempDir(), "stdin")
	require.NoError(t, os.WriteFile(in, []byte(input), 0o600))
	f, err := os.Open(in)
	require.NoError(t, err)
	defer f.Close()
	var stdout, stderr bytes.Buffer
	code := cli.Main(args, f, &stdout, &stderr, options())
	return code, stdout.String(), stderr.String()
}

// The walkthrough of the README: one etcd, two programs on it; what one
// grants, the other sees.
func TestTwoProgramsOnOneEtcdShareGrants(t *testing.T) {
	s := serve(t)
	m := listening.FindStringSubmatch(s.line)
	require.NotNil(t, m, s.line)
	endpoint := m[1]

	code, out, errs := run(t, "", "-etcd", endpoint, "exec", "-e",
		"CREATE ROLE analyst; CREATE DATABASE sales; GRANT SHOW TABLES ON DATABASE sales TO analyst;")
	require.Equal(t, 0, code, errs)
	require.Equal(t, "OK\nOK\nOK\n", out)

	code, out, errs = run(t, "SHOW GRANTS FOR analyst;\nCREATE ROLE analyst;\n", "-etcd", endpoint)
	require.Equal(t, 1, code, "the second statement fails: the role exists")
	require.Contains(t, out, "GRANT SHOW TABLES ON DATABASE sales TO analyst\n")
	require.Contains(t, out+errs, "analyst")

	code, out, errs = run(t, "", "-etcd", endpoint, "-root-password", "other", "exec", "-e", "SHOW ROLES;")
	require.NotEqual(t, 0, code, "root's password is the one the first program bootstrapped with")
	require.Empty(t, out)
	require.NotEmpty(t, errs)
}
