package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTestCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.test")
	src := "statement ok\nCREATE ROLE a\n\nstatement error there is no role b\nDROP ROLE a\n\ncheck allow SELECT ON TABLE d.t\n\nquery\nSHOW ROLES\n----\na\nmoadmin\npublic\n"
	assert.NoError(t, os.WriteFile(file, []byte(src), 0o600))

	var out, errs bytes.Buffer
	code := run([]string{"test", file}, os.Stdin, &out, &errs)
	assert.Equal(t, 1, code)
	assert.Equal(t, file+`:4: expected error containing "there is no role b", got ok`+"\n"+
		file+":7: expected allow SELECT ON TABLE d.t, got deny (no such object)\n"+
		file+`:9: expected rows ["a", "moadmin", "public"], got rows ["moadmin", "public"]`+"\n"+
		"1 passed, 3 failed\n", out.String())
}

func TestExecCommand(t *testing.T) {
	var out, errs bytes.Buffer
	code := run([]string{"exec", "-e", "CREATE ROLE x; SHOW ROLES; DROP ROLE nope"}, os.Stdin, &out, &errs)
	assert.Equal(t, 1, code)
	assert.Equal(t, "OK\nmoadmin\npublic\nx\n(3 rows)\n", out.String())
	assert.Equal(t, "ERROR: there is no role nope\n", errs.String())
}

func TestDemo(t *testing.T) {
	var out bytes.Buffer
	assert.Equal(t, 0, demo(&out), out.String())
}
