package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdinFrom returns a file holding src, to stand for a stdin that is not a terminal.
func stdinFrom(t *testing.T, src string) *os.File {
	t.Helper()
	name := filepath.Join(t.TempDir(), "stdin")
	require.NoError(t, os.WriteFile(name, []byte(src), 0o600))
	f, err := os.Open(name)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// runPDP runs the command with args and stdin src and returns its exit
// status, stdout and stderr.
func runPDP(t *testing.T, src string, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := Main(args, stdinFrom(t, src), &out, &errs, Options{})
	return code, out.String(), errs.String()
}

func TestTestCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.test")
	src := "statement ok\nCREATE ROLE a\n\nstatement error there is no role b\nDROP ROLE a\n\ncheck allow SELECT ON TABLE d.t\n\nquery\nSHOW ROLES\n----\na\nmoadmin\npublic\n"
	require.NoError(t, os.WriteFile(file, []byte(src), 0o600))

	code, out, _ := runPDP(t, "", "test", file)
	assert.Equal(t, 1, code)
	assert.Equal(t, file+`:4: expected error containing "there is no role b", got ok`+"\n"+
		file+":7: expected allow SELECT ON TABLE d.t, got deny (no such object)\n"+
		file+`:9: expected rows ["a", "moadmin", "public"], got rows ["moadmin", "public"]`+"\n"+
		"1 passed, 3 failed\n", out)
}

func TestExecCommand(t *testing.T) {
	code, out, errs := runPDP(t, "", "exec", "-e", "CREATE ROLE x; SHOW ROLES; DROP ROLE nope; CHECK DROP ROLE ON ROLE x")
	assert.Equal(t, 1, code)
	assert.Equal(t, "OK\nmoadmin\npublic\nx\n(3 rows)\nERROR: there is no role nope\nallow admin role\n(1 row)\n", out)
	assert.Empty(t, errs)
}

func TestExecFileErrorsNameFileAndLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "setup.sql")
	src := "-- setup\nCREATE ROLE a;\n\nDROP ROLE nope;\nCREATE ROLE b; GRANT\n  SELECT ON TABLE nodb.t TO b;\n" +
		"EXPLAIN CHECK SELECT ON TABLE nodb.t;\nGRANT a\n  TO;\nSHOW ROLES"
	require.NoError(t, os.WriteFile(file, []byte(src), 0o600))

	code, out, errs := runPDP(t, "", "exec", "-f", file)
	assert.Equal(t, 1, code)
	assert.Equal(t, "OK\n"+
		file+":4: ERROR: there is no role nope\n"+
		"OK\n"+
		file+":5: ERROR: there is no database \"nodb\"\n"+
		"deny no grant\n(1 row)\n"+
		file+`:9: ERROR: syntax error at line 9 column 5 near ";": expected a role or user name, found ';'`+"\n"+
		"a\nb\nmoadmin\npublic\n(4 rows)\n", out)
	assert.Empty(t, errs)

	// -f - reads stdin, named <stdin>.
	code, out, _ = runPDP(t, "CREATE ROLE a;\nDROP ROLE b;\n", "exec", "-f", "-")
	assert.Equal(t, 1, code)
	assert.Equal(t, "OK\n<stdin>:2: ERROR: there is no role b\n", out)
}

func TestArgumentErrorsExitTwo(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.sql")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"frobnicate"}, `pdp: unknown command "frobnicate"`},
		{[]string{"-nope"}, "pdp: flag provided but not defined: -nope"},
		{[]string{"exec", "-x"}, "pdp exec: flag provided but not defined: -x"},
		{[]string{"exec"}, "pdp exec: give -f FILE and/or -e"},
		{[]string{"exec", "-e", "SHOW ROLES", "extra"}, `pdp exec: unexpected argument "extra"`},
		{[]string{"exec", "-f", missing}, "pdp exec: open " + missing + ": no such file or directory"},
		{[]string{"exec", "-f", filepath.Dir(missing)}, "pdp exec: " + filepath.Dir(missing) + " is a directory"},
		{[]string{"test"}, "pdp test: no scenario files given"},
		{[]string{"test", missing}, "pdp test: stat " + missing + ": no such file or directory"},
		{[]string{"test", "-v"}, "pdp test: flag provided but not defined: -v"},
		{[]string{"demo", "now"}, `pdp demo: unexpected argument "now"`},
		{[]string{"-etcd", "127.0.0.1:2379", "dump", "-data", missing}, "pdp dump: -etcd does not apply"},
		{[]string{"-etcd", "127.0.0.1:2379", "-data", missing}, "pdp: -data and -etcd exclude each other"},
		{[]string{"-data", missing, "exec", "-etcd", "127.0.0.1:2379", "-e", "SHOW ROLES"}, "pdp exec: -data and -etcd exclude each other"},
	} {
		code, out, errs := runPDP(t, "", tc.args...)
		assert.Equal(t, 2, code, tc.args)
		assert.Empty(t, out, tc.args)
		assert.True(t, strings.HasPrefix(errs, tc.msg), "%v: %s", tc.args, errs)
		assert.Contains(t, errs, "-h' for help", tc.args)
	}
}

func TestHelpNamesTheRootPassword(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, errs := runPDP(t, "", args...)
		assert.Equal(t, 0, code, args)
		assert.Empty(t, errs, args)
		assert.Contains(t, out, "-root-password PW   root's password (default 111)", args)
		assert.Contains(t, out, "password 111 unless -root-password sets another", args)
		assert.Contains(t, out, "\n  -etcd ENDPOINTS     run on a replica", args)
	}
	for cmd, want := range map[string]string{"test": "usage: pdp test FILE...", "exec": "usage: pdp [FLAGS] exec"} {
		code, out, errs := runPDP(t, "", cmd, "--help")
		assert.Equal(t, 0, code, cmd)
		assert.Empty(t, errs, cmd)
		assert.True(t, strings.HasPrefix(out, want), out)
	}
}

func TestRootPasswordFlag(t *testing.T) {
	code, out, _ := runPDP(t, "", "-root-password", "s3cret", "exec", "-e", "CONNECT root IDENTIFIED BY 's3cret'; CONNECT root IDENTIFIED BY '111'")
	assert.Equal(t, 1, code)
	assert.Equal(t, "OK\nERROR: invalid username or password\n", out)
	code, out, _ = runPDP(t, "", "exec", "-root-password", "s3cret", "-e", "CONNECT root IDENTIFIED BY 's3cret'")
	assert.Equal(t, 0, code)
	assert.Equal(t, "OK\n", out)
}

func TestPipedShell(t *testing.T) {
	code, out, errs := runPDP(t, "CREATE ROLE a;\nSHOW\n  ROLES;\nDROP ROLE nope;\nhelp\nquit\nCREATE ROLE b;\n")
	assert.Equal(t, 1, code, "a statement failed")
	assert.Empty(t, errs)
	assert.Equal(t, "OK\na\nmoadmin\npublic\n(3 rows)\n<stdin>:4: ERROR: there is no role nope\n"+shellHelp, out)

	for _, quit := range []string{`\q`, "exit", "QUIT;", " exit ; "} {
		code, out, _ = runPDP(t, "CREATE ROLE a;\n"+quit+"\nCREATE ROLE b;\n")
		assert.Equal(t, 0, code, quit)
		assert.Equal(t, "OK\n", out, quit)
	}
	for _, help := range []string{`\h`, `\?`, "help", "Help;"} {
		_, out, _ = runPDP(t, help+"\n")
		assert.Equal(t, shellHelp, out, help)
	}

	// Words are statements' words inside a statement; the last one needs no ';'.
	code, out, _ = runPDP(t, "CREATE ROLE\nexit;\nSHOW ROLES")
	assert.Equal(t, 0, code)
	assert.Equal(t, "OK\nexit\nmoadmin\npublic\n(3 rows)\n", out)
}

// scripted is a terminal for tests: it hands out lines, or errors for
// Ctrl-C and Ctrl-D, and records the prompts and the history.
type scripted struct {
	input   []any // string or error
	prompts []string
	history []string
}

func (s *scripted) readLine(prompt string) (string, error) {
	s.prompts = append(s.prompts, prompt)
	if len(s.input) == 0 {
		return "", io.EOF
	}
	next := s.input[0]
	s.input = s.input[1:]
	if err, ok := next.(error); ok {
		return "", err
	}
	return next.(string), nil
}

func (s *scripted) remember(entry string) { s.history = append(s.history, entry) }

func TestInteractiveShell(t *testing.T) {
	term := &scripted{input: []any{
		"CREATE ROLE", "  analyst;",
		"CREATE USER bob", errInterrupt, // Ctrl-C drops the statement being typed
		"CREATE USER bob IDENTIFIED BY 'pw' DEFAULT ROLE analyst;",
		"CHECK SELECT ON TABLE d.t;",
		"GRANT nope TO bob;",
		`\h`,
		"CONNECT bob IDENTIFIED", "BY 'pw';",
		"SHOW ROLES", // Ctrl-D drops it and quits
	}}
	var out, errs bytes.Buffer
	code := shell(options{rootPassword: defaultRootPassword}, term, &out, &errs)
	assert.Equal(t, 0, code)
	assert.Empty(t, errs.String())
	assert.Equal(t, banner(options{rootPassword: defaultRootPassword}, 0)+
		"OK\nOK\ndeny no grant\n(1 row)\nERROR: there is no role nope\n"+shellHelp+"OK\n\n", out.String())
	assert.Contains(t, out.String(), "You are root with role moadmin\n(login root, password 111)")

	assert.Equal(t, []string{"CREATE ROLE analyst;", "CHECK SELECT ON TABLE d.t;", "GRANT nope TO bob;", `\h`},
		term.history, "statements with a password are never remembered")
	root, more := "sys:root:moadmin> ", "               -> "
	assert.Equal(t, []string{root, more, root, more, root, root, root, root, root, more, "sys:bob:analyst> ", "              -> "},
		term.prompts)
}

func TestInteractiveShellHidesACustomRootPassword(t *testing.T) {
	var out bytes.Buffer
	opts := options{rootPassword: "s3cret"}
	assert.Equal(t, 0, shell(opts, &scripted{input: []any{"CONNECT root IDENTIFIED BY 's3cret';", "quit"}}, &out, io.Discard))
	assert.NotContains(t, out.String(), "s3cret")
	assert.Contains(t, out.String(), "the password given with -root-password")
	assert.True(t, strings.HasSuffix(out.String(), "OK\n"), out.String())
}

func TestDemo(t *testing.T) {
	var out bytes.Buffer
	assert.Equal(t, 0, demo(&out), out.String())
	assert.Contains(t, out.String(), "retail:dan:developer> EXPLAIN CHECK SELECT ON TABLE sales.orders;\nallow granted\nvia developer\n")
	assert.Contains(t, out.String(), "CHECK DELETE ON TABLE sales.orders             -> deny no grant")
}

func TestDataDirectoryKeepsTheState(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := runPDP(t, "", "-data", dir, "exec", "-e", "CREATE ROLE keeper; CREATE DATABASE d")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "OK\nOK\n", out)

	code, out, errs = runPDP(t, "SHOW ROLES;\nSHOW DATABASES;\n", "-data", dir)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "keeper\nmoadmin\npublic\n(3 rows)\nd\n(1 row)\n", out)

	dump := filepath.Join(t.TempDir(), "state.snap")
	var snap bytes.Buffer
	code = Main([]string{"dump", "-data", dir}, stdinFrom(t, ""), &snap, io.Discard, Options{})
	require.Equal(t, 0, code)
	require.NoError(t, os.WriteFile(dump, snap.Bytes(), 0o600))

	other := filepath.Join(t.TempDir(), "other")
	code, out, errs = runPDP(t, "", "restore", dump, "-data", other)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "OK: "+other+" holds revision 2\n", out)
	code, out, _ = runPDP(t, "", "exec", "-data", other, "-e", "SHOW ROLES")
	require.Equal(t, 0, code)
	assert.Equal(t, "keeper\nmoadmin\npublic\n(3 rows)\n", out)

	code, _, errs = runPDP(t, "", "restore", dump, "-data", other)
	assert.Equal(t, 1, code, "a directory holding an engine is not overwritten")
	assert.Contains(t, errs, "not empty")

	cut := filepath.Join(t.TempDir(), "cut.snap")
	require.NoError(t, os.WriteFile(cut, snap.Bytes()[:snap.Len()-5], 0o600))
	code, _, errs = runPDP(t, "", "restore", cut, "-data", filepath.Join(t.TempDir(), "third"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "truncated")
}

// fakeReplicas stands for the replicas of the full program: each is an
// in-memory engine made with the options the program gives. They record
// the endpoints they were opened on and how often they were closed.
type fakeReplicas struct {
	endpoints []string
	engines   []*engine.Engine
	closed    int
	openErr   error // what opening fails with, if not nil
	closeErr  error // what closing fails with
	// rootPassword, if set, is root's password in the cluster's state,
	// whatever the program asks.
	rootPassword string
}

func (f *fakeReplicas) open(_ context.Context, endpoints string, opts ...engine.Option) (*engine.Engine, func() error, error) {
	if f.openErr != nil {
		return nil, nil, f.openErr
	}
	if f.rootPassword != "" {
		opts = append(opts, engine.WithRootPassword(f.rootPassword))
	}
	eng, err := engine.New(opts...)
	if err != nil {
		return nil, nil, err
	}
	f.endpoints = append(f.endpoints, endpoints)
	f.engines = append(f.engines, eng)
	return eng, func() error { f.closed++; return f.closeErr }, nil
}

// runWith runs the command with the extensions o, args and stdin src.
func runWith(t *testing.T, o Options, src string, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := Main(args, stdinFrom(t, src), &out, &errs, o)
	return code, out.String(), errs.String()
}

func TestEtcdNeedsTheFullProgram(t *testing.T) {
	for _, args := range [][]string{
		{"-etcd", "127.0.0.1:2379"},
		{"-etcd", "127.0.0.1:2379", "exec", "-e", "SHOW ROLES"},
		{"exec", "-etcd", "127.0.0.1:2379", "-e", "SHOW ROLES"},
	} {
		code, out, errs := runPDP(t, "SHOW ROLES;\n", args...)
		assert.Equal(t, 2, code, args)
		assert.Empty(t, out, args)
		assert.Equal(t, "pdp: this build has no etcd support; build the full program with: make pdp\n", errs, args)
	}
}

func TestEtcdRunsOnAReplica(t *testing.T) {
	f := &fakeReplicas{}
	o := Options{Replica: f.open}
	code, out, errs := runWith(t, o, "", "-etcd", "h1:2379,h2:2379", "-root-password", "s3cret", "exec",
		"-e", "CREATE USER u IDENTIFIED BY 'pw'; SHOW USERS; CONNECT root IDENTIFIED BY 's3cret'")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "OK\nroot\nu\n(2 rows)\nOK\n", out)
	assert.Equal(t, []string{"h1:2379,h2:2379"}, f.endpoints)
	assert.Equal(t, 1, f.closed, "the replica is closed on exit")

	var snap bytes.Buffer
	require.NoError(t, f.engines[0].WriteSnapshot(&snap))
	_, err := engine.Restore(&snap, engine.WithHasher(password.Production()))
	assert.NoError(t, err, "the replica hashes passwords with the production hasher")

	code, out, errs = runWith(t, o, "CREATE ROLE a;\nSHOW ROLES;\n", "-etcd", "h3:2379")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "OK\na\nmoadmin\npublic\n(3 rows)\n", out)
	assert.Equal(t, []string{"h1:2379,h2:2379", "h3:2379"}, f.endpoints)
	assert.Equal(t, 2, f.closed)

	var shellOut bytes.Buffer
	opts := options{rootPassword: defaultRootPassword, etcd: "h4:2379", ext: o}
	require.Equal(t, 0, shell(opts, &scripted{input: []any{"SHOW ROLES;"}}, &shellOut, io.Discard))
	assert.True(t, strings.HasPrefix(shellOut.String(), "pdp shell on a replica of the etcd cluster at h4:2379 (revision 0)."), shellOut.String())
	assert.Equal(t, 3, f.closed)
}

func TestEtcdReplicaFailures(t *testing.T) {
	f := &fakeReplicas{openErr: errors.New("etcd unavailable")}
	code, out, errs := runWith(t, Options{Replica: f.open}, "", "-etcd", "h1:2379", "exec", "-e", "SHOW ROLES")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "pdp: start the engine: etcd unavailable\n", errs)

	f = &fakeReplicas{closeErr: errors.New("lost the lease")}
	code, out, errs = runWith(t, Options{Replica: f.open}, "", "-etcd", "h1:2379", "exec", "-e", "SHOW ROLES")
	assert.Equal(t, 1, code)
	assert.Equal(t, "moadmin\npublic\n(2 rows)\n", out)
	assert.Equal(t, "pdp: close the engine: lost the lease\n", errs)

	f = &fakeReplicas{rootPassword: "theirs"}
	code, _, errs = runWith(t, Options{Replica: f.open}, "", "-etcd", "h1:2379", "-root-password", "wrong", "exec", "-e", "SHOW ROLES")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "pdp: log in as root:")
	assert.Equal(t, 1, f.closed, "a replica whose login failed is closed")
}

func TestExtraCommands(t *testing.T) {
	var got []string
	o := Options{Commands: map[string]Command{
		"hello": {Usage: "hello [-loud] NAME\tgreet NAME", Run: func(args []string, stdout, _ io.Writer) int {
			got = args
			fmt.Fprintln(stdout, "hello")
			return 3
		}},
	}}
	code, out, errs := runWith(t, o, "", "help")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "  pdp demo                             walk through the quickstart story\n"+
		"  pdp hello [-loud] NAME               greet NAME\n"+
		"  pdp help                             print this help\n")

	code, out, _ = runWith(t, o, "", "hello", "-loud", "world")
	assert.Equal(t, 3, code)
	assert.Equal(t, "hello\n", out)
	assert.Equal(t, []string{"-loud", "world"}, got)

	code, _, errs = runPDP(t, "", "hello")
	assert.Equal(t, 2, code, "the core program has no such command")
	assert.Contains(t, errs, `pdp: unknown command "hello"`)
}
