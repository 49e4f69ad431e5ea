package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pdp-authz/pdp/internal/cli"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

const etcdUsage = `usage: pdp etcd [-dir DIR] [-listen HOST:PORT] [-peer HOST:PORT]

Runs a single-node etcd server in this process, for trying replicas without
installing etcd: pdp -etcd HOST:PORT runs a replica on it. It serves until
Ctrl-C (SIGINT) or SIGTERM. One node, no TLS, no authentication: not for
production.

flags:
  -dir DIR            keep etcd's data in DIR (created if needed); without it
                      the data goes to a new temporary directory, removed on exit
  -listen HOST:PORT   serve clients on HOST:PORT (default 127.0.0.1:2379)
  -peer HOST:PORT     the peer address etcd listens on, which a single node
                      does not use (default: the -listen host and port + 1)
`

// etcdCommand is `pdp etcd`.
var etcdCommand = cli.Command{
	Usage: "etcd [-dir DIR] [-listen ADDR]\tserve a single-node etcd, for trying -etcd",
	Run:   runEtcd,
}

// readyTimeout bounds how long etcd may take to start serving.
const readyTimeout = time.Minute

// runEtcd parses the arguments of `pdp etcd` and serves until SIGINT or
// SIGTERM; it returns the exit status.
func runEtcd(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveEtcd(ctx, args, stdout, stderr)
}

// etcdFlags are the flags of `pdp etcd`.
type etcdFlags struct {
	dir    string
	listen string
	peer   string
}

// serveEtcd parses the arguments of `pdp etcd` and serves until ctx ends;
// it returns the exit status: 0, 1 when etcd failed, 2 for wrong arguments.
func serveEtcd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code, done := parseEtcdFlags(args, stdout, stderr)
	if done {
		return code
	}
	if f.dir == "" {
		dir, err := os.MkdirTemp("", "pdp-etcd-")
		if err != nil {
			fmt.Fprintf(stderr, "pdp etcd: %s\n", err.Error())
			return 1
		}
		defer os.RemoveAll(dir)
		f.dir = dir
	}
	e, stop, err := startEtcd(ctx, f, stderr)
	if errors.Is(err, context.Canceled) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "pdp etcd: %s\n", err.Error())
		return 1
	}
	defer stop()
	fmt.Fprintf(stdout, "etcd listening on %s (data in %s); Ctrl-C stops it\n", e.Clients[0].Addr(), f.dir)
	select {
	case <-ctx.Done():
		return 0
	case err := <-e.Err():
		fmt.Fprintf(stderr, "pdp etcd: %s\n", err.Error())
		return 1
	}
}

// parseEtcdFlags parses the arguments of `pdp etcd`. For -h it prints the
// usage to stdout; for a wrong argument it prints what was wrong to stderr.
// done reports that the caller should return code.
func parseEtcdFlags(args []string, stdout, stderr io.Writer) (f etcdFlags, code int, done bool) {
	fs := flag.NewFlagSet("pdp etcd", flag.ContinueOnError)
	var msgs strings.Builder
	fs.SetOutput(&msgs)
	fs.Usage = func() {}
	fs.StringVar(&f.dir, "dir", "", "")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:2379", "")
	fs.StringVar(&f.peer, "peer", "", "")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, etcdUsage)
		return f, 0, true
	case err == nil && fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case err == nil && f.peer == "":
		f.peer, err = nextPort(f.listen)
	}
	if err == nil {
		err = checkAddress("-listen", f.listen)
	}
	if err == nil {
		err = checkAddress("-peer", f.peer)
	}
	if err != nil {
		fmt.Fprintf(stderr, "pdp etcd: %s\nRun 'pdp etcd -h' for help.\n", err.Error())
		return f, 2, true
	}
	return f, 0, false
}

// checkAddress reports an address that is not HOST:PORT.
func checkAddress(flag, addr string) error {
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return fmt.Errorf("%s %q: give HOST:PORT", flag, addr)
	}
	return nil
}

// nextPort returns addr with its port plus one, as etcd's peer port
// follows its client port by default.
func nextPort(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("-listen %q: give HOST:PORT", addr)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 || n == 65535 {
		return "", fmt.Errorf("-listen %q: give a port from 1 to 65534", addr)
	}
	return net.JoinHostPort(host, strconv.FormatUint(n+1, 10)), nil
}

// startEtcd starts the single-node etcd server of f, logging errors only,
// to stderr, and waits until it serves, or ctx ends. stop stops it.
func startEtcd(ctx context.Context, f etcdFlags, stderr io.Writer) (e *embed.Etcd, stop func(), err error) {
	client := url.URL{Scheme: "http", Host: f.listen}
	peer := url.URL{Scheme: "http", Host: f.peer}
	cfg := embed.NewConfig()
	cfg.Name = "pdp"
	cfg.Dir = f.dir
	cfg.ListenClientUrls = []url.URL{client}
	cfg.AdvertiseClientUrls = []url.URL{client}
	cfg.ListenPeerUrls = []url.URL{peer}
	cfg.AdvertisePeerUrls = []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	logger, level := errorLogger(stderr)
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(logger)
	e, err = embed.StartEtcd(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("start etcd: %w", err)
	}
	// etcd logs the closing of its listeners as errors: silence it first.
	stop = func() {
		level.SetLevel(zapcore.InvalidLevel)
		e.Close()
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, stop, nil
	case err = <-e.Err():
		err = fmt.Errorf("start etcd: %w", err)
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(readyTimeout):
		err = fmt.Errorf("etcd did not start serving within %s", readyTimeout)
	}
	stop()
	return nil, nil, err
}

// errorLogger returns a logger of errors on w, in lines of text, and the
// level that enables it.
func errorLogger(w io.Writer) (*zap.Logger, zap.AtomicLevel) {
	level := zap.NewAtomicLevelAt(zapcore.ErrorLevel)
	cfg := zap.NewProductionEncoderConfig()
	cfg.EncodeTime = zapcore.ISO8601TimeEncoder
	encoder := zapcore.NewConsoleEncoder(cfg)
	return zap.New(zapcore.NewCore(encoder, zapcore.Lock(zapcore.AddSync(w)), level)), level
}
