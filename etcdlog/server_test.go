package etcdlog_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
)

// server is an etcd server embedded in the test process, listening on
// loopback ports, with its data in a directory of its own.
type server struct {
	dir    string
	client url.URL
	peer   url.URL
	etcd   *embed.Etcd
}

// newServer starts an etcd server in dir on two free loopback ports.
func newServer(dir string) (*server, error) {
	client, err := freeURL()
	if err != nil {
		return nil, err
	}
	peer, err := freeURL()
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, client: client, peer: peer}
	return s, s.start()
}

// start starts (or restarts) the server on its directory and ports.
func (s *server) start() error {
	cfg := embed.NewConfig()
	cfg.Name = "pdp-test"
	cfg.Dir = s.dir
	cfg.ListenClientUrls = []url.URL{s.client}
	cfg.AdvertiseClientUrls = []url.URL{s.client}
	cfg.ListenPeerUrls = []url.URL{s.peer}
	cfg.AdvertisePeerUrls = []url.URL{s.peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("start etcd: %w", err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(30 * time.Second):
		e.Close()
		return fmt.Errorf("etcd did not become ready")
	}
	s.etcd = e
	return nil
}

// stop stops the server; its data stays for a restart.
func (s *server) stop() {
	if s.etcd != nil {
		s.etcd.Close()
		s.etcd = nil
	}
}

// newClient returns a client of the server, closed when the test ends.
func (s *server) newClient(tb testing.TB) *clientv3.Client {
	return newClient(tb, s.client.String())
}

// newClient returns a client of the etcd at endpoint, closed when the test
// ends. It reconnects within half a second once etcd is back.
func newClient(tb testing.TB, endpoint string) *clientv3.Client {
	tb.Helper()
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   []string{endpoint},
		DialTimeout: 2 * time.Second,
		Logger:      zap.NewNop(),
		DialOptions: []grpc.DialOption{grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: 50 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: 500 * time.Millisecond},
			MinConnectTimeout: time.Second,
		})},
	})
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = cli.Close() })
	return cli
}

func freeURL() (url.URL, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return url.URL{}, err
	}
	defer ln.Close()
	return url.URL{Scheme: "http", Host: ln.Addr().String()}, nil
}

// The server most tests share; each test works under a prefix of its own.
var (
	sharedOnce sync.Once
	shared     *server
	sharedErr  error
	sharedDir  string
)

func sharedServer(tb testing.TB) *server {
	tb.Helper()
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "etcdlog-test-")
		if sharedErr == nil {
			shared, sharedErr = newServer(sharedDir)
		}
	})
	require.NoError(tb, sharedErr)
	return shared
}

// ownServer starts a server for one test, stopped when the test ends.
func ownServer(tb testing.TB) *server {
	tb.Helper()
	s, err := newServer(tb.TempDir())
	require.NoError(tb, err)
	tb.Cleanup(s.stop)
	return s
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.stop()
	}
	if sharedDir != "" {
		_ = os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// The key prefixes of the tests run so far.
var (
	prefixMu sync.Mutex
	prefixes = map[testing.TB]string{}
)

// prefix returns the key prefix of a test, which no other test (nor
// another run of the same test, with -count) uses.
func prefix(tb testing.TB) string {
	prefixMu.Lock()
	defer prefixMu.Unlock()
	p, ok := prefixes[tb]
	if !ok {
		p = fmt.Sprintf("/pdp-test/%s/%d/", tb.Name(), len(prefixes))
		prefixes[tb] = p
	}
	return p
}

func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	tb.Cleanup(cancel)
	return ctx
}
