package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdp-authz/pdp/internal/cli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// freeAddress returns a loopback address whose port is free now.
func freeAddress(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// lockedBuffer is a buffer safe for use by many goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// served is `pdp etcd` running in a goroutine.
type served struct {
	line   string   // the line it printed
	stop   func()   // stops it
	code   chan int // its exit status, once stopped
	stderr *lockedBuffer
}

// serve runs `pdp etcd args...` in a goroutine on free loopback ports and
// waits for the line it prints once etcd serves.
func serve(t *testing.T, args ...string) *served {
	t.Helper()
	listen := freeAddress(t)
	args = append(args, "-listen", listen, "-peer", freeAddress(t))
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	s := &served{stop: cancel, code: make(chan int, 1), stderr: &lockedBuffer{}}
	go func() {
		code := serveEtcd(ctx, args, w, s.stderr)
		w.Close()
		s.code <- code
	}()
	t.Cleanup(func() {
		cancel()
		<-s.code
	})
	line, err := bufio.NewReader(r).ReadString('\n')
	go func() { _, _ = io.Copy(io.Discard, r) }()
	require.NoError(t, err, "pdp etcd printed nothing")
	s.line = line
	return s
}

// exitStatus stops the server and returns its exit status.
func (s *served) exitStatus(t *testing.T) int {
	t.Helper()
	s.stop()
	select {
	case code := <-s.code:
		s.code <- code // for the cleanup
		return code
	case <-time.After(time.Minute):
		t.Fatal("pdp etcd did not stop")
		return -1
	}
}

var listening = regexp.MustCompile(`^etcd listening on (127\.0\.0\.1:\d+) \(data in (.+)\); Ctrl-C stops it\n$`)

// putGet writes a key through a client of the etcd at endpoint and reads
// it back.
func putGet(t *testing.T, endpoint string) {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = cli.Put(ctx, "/pdp-test/key", "value")
	require.NoError(t, err)
	resp, err := cli.Get(ctx, "/pdp-test/key")
	require.NoError(t, err)
	require.Len(t, resp.Kvs, 1)
	assert.Equal(t, "value", string(resp.Kvs[0].Value))
}

func TestEtcdCommandServesInATemporaryDirectory(t *testing.T) {
	s := serve(t)
	m := listening.FindStringSubmatch(s.line)
	require.NotNil(t, m, s.line)
	assert.DirExists(t, m[2])
	putGet(t, m[1])

	assert.Equal(t, 0, s.exitStatus(t))
	assert.NoDirExists(t, m[2], "the temporary directory is removed on exit")
	assert.Empty(t, s.stderr.String(), "etcd logs errors only")
}

func TestEtcdCommandKeepsItsDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "etcd")
	s := serve(t, "-dir", dir)
	m := listening.FindStringSubmatch(s.line)
	require.NotNil(t, m, s.line)
	assert.Equal(t, dir, m[2])
	putGet(t, m[1])

	assert.Equal(t, 0, s.exitStatus(t))
	assert.Empty(t, s.stderr.String(), "etcd logs errors only")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.NotEmpty(t, entries, "the data stays in -dir")
}

func TestEtcdCommandArguments(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-nope"}, "pdp etcd: flag provided but not defined: -nope"},
		{[]string{"extra"}, `pdp etcd: unexpected argument "extra"`},
		{[]string{"-listen", "2379"}, `pdp etcd: -listen "2379": give HOST:PORT`},
		{[]string{"-listen", "127.0.0.1:65535"}, `pdp etcd: -listen "127.0.0.1:65535": give a port from 1 to 65534`},
		{[]string{"-peer", "here"}, `pdp etcd: -peer "here": give HOST:PORT`},
	} {
		var out, errs bytes.Buffer
		code := serveEtcd(context.Background(), tc.args, &out, &errs)
		assert.Equal(t, 2, code, tc.args)
		assert.Empty(t, out.String(), tc.args)
		assert.True(t, strings.HasPrefix(errs.String(), tc.msg+"\n"), "%v: %s", tc.args, errs.String())
	}

	var out bytes.Buffer
	assert.Equal(t, 0, serveEtcd(context.Background(), []string{"-h"}, &out, io.Discard))
	assert.Equal(t, etcdUsage, out.String())
}

func TestProgramUsageListsTheEtcdCommand(t *testing.T) {
	stdin, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer stdin.Close()
	var out bytes.Buffer
	require.Equal(t, 0, cli.Main([]string{"help"}, stdin, &out, io.Discard, options()))
	assert.Contains(t, out.String(), "\n  pdp etcd [-dir DIR] [-listen ADDR]   serve a single-node etcd, for trying -etcd\n")
	assert.Contains(t, out.String(), "\n  -etcd ENDPOINTS ")

	out.Reset()
	require.Equal(t, 0, cli.Main([]string{"etcd", "-h"}, stdin, &out, io.Discard, options()))
	assert.Equal(t, etcdUsage, out.String())
}
