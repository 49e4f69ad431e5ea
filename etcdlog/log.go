package etcdlog

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/pdp-authz/pdp/replica"
)

const (
	// MaxPayload is the largest payload [Log.Append] takes: an entry and
	// the head travel in one etcd request, and etcd refuses requests over
	// 1.5 MiB by default.
	MaxPayload = 1 << 20
	// DefaultTimeout bounds each request to etcd unless [WithTimeout] says otherwise.
	DefaultTimeout = 5 * time.Second
	// DefaultPageSize is how many entries one read request fetches unless
	// [WithPageSize] says otherwise.
	DefaultPageSize = 256
)

// revDigits is the width of a revision in keys and values: enough for any
// uint64, so that byte order is numeric order.
const revDigits = 20

// Option configures a [Log] or a [Lockout].
type Option func(*options)

type options struct {
	timeout  time.Duration
	pageSize int
}

// WithTimeout bounds each request to etcd (default [DefaultTimeout]).
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// WithPageSize sets how many entries one read request fetches (default
// [DefaultPageSize]).
func WithPageSize(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.pageSize = n
		}
	}
}

func newOptions(opts []Option) options {
	o := options{timeout: DefaultTimeout, pageSize: DefaultPageSize}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Log is an ordered log of payloads kept in etcd under a key prefix.
type Log struct {
	cli  *clientv3.Client
	opts options
	tag  [tagSize]byte // tells this Log's entries from other writers'

	head     string // key of the newest revision
	logs     string // prefix of the entries
	pointer  string // key of the newest snapshot's description
	snaps    string // prefix of the snapshot chunks
	logsStop string // the end of the entries' key range
}

// Entry is one payload of the log with its revision: the replica
// package's entry, so that a *Log is a [replica.Log].
type Entry = replica.Entry

// A *Log is the shared log of pdp replicas.
var _ replica.Log = (*Log)(nil)

// New returns the log kept under prefix (a "/" is added if it does not end
// in one) through cli. The client stays the caller's to close.
func New(cli *clientv3.Client, prefix string, opts ...Option) *Log {
	p := normalPrefix(prefix)
	l := &Log{
		cli:      cli,
		opts:     newOptions(opts),
		head:     p + "head",
		logs:     p + "log/",
		logsStop: clientv3.GetPrefixRangeEnd(p + "log/"),
		pointer:  p + "snapshot",
		snaps:    p + "snap/",
	}
	_, _ = rand.Read(l.tag[:])
	return l
}

func normalPrefix(prefix string) string {
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return prefix
}

// Append adds payload as revision rev. It succeeds only if the log's head
// is rev-1 (or, for rev 0, the log is empty): one etcd transaction compares
// the head and writes the entry and the new head. Otherwise it returns a
// [*ConflictError] (matching [ErrConflict]) with the head, and the caller
// catches up and retries. Append of the very bytes this Log already
// stored at rev succeeds, so retrying an append that failed with
// [ErrUnavailable] (and may have been committed) is safe; the same bytes
// appended by another Log are a conflict. Append returns once etcd has
// committed the entry.
func (l *Log) Append(ctx context.Context, rev uint64, payload []byte) error {
	if err := l.open("append"); err != nil {
		return err
	}
	if len(payload) > MaxPayload {
		return fmt.Errorf("etcdlog: append of revision %d: %w: a payload of %d bytes exceeds %d", rev, ErrInvalid, len(payload), MaxPayload)
	}
	var cond clientv3.Cmp
	if rev == 0 {
		cond = clientv3.Compare(clientv3.CreateRevision(l.head), "=", 0)
	} else {
		cond = clientv3.Compare(clientv3.Value(l.head), "=", formatRev(rev-1))
	}
	key := l.entryKey(rev)
	value := l.entryValue(payload)
	rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
	defer cancel()
	resp, err := l.cli.Txn(rctx).
		If(cond).
		Then(clientv3.OpPut(key, value), clientv3.OpPut(l.head, formatRev(rev))).
		Else(clientv3.OpGet(l.head), clientv3.OpGet(key)).
		Commit()
	if err != nil {
		return wrap(ctx, fmt.Sprintf("append of revision %d", rev), err)
	}
	if resp.Succeeded {
		return nil
	}
	head, empty, err := l.parseHead(resp.Responses[0].GetResponseRange())
	if err != nil {
		return err
	}
	if kvs := resp.Responses[1].GetResponseRange().Kvs; len(kvs) == 1 && string(kvs[0].Value) == value {
		return nil // this very append, committed by an earlier try
	}
	return &ConflictError{Revision: rev, Head: head, Empty: empty}
}

// Head returns the newest revision of the log, or an error matching
// [ErrEmpty] if it has none.
func (l *Log) Head(ctx context.Context) (uint64, error) {
	if err := l.open("read the head"); err != nil {
		return 0, err
	}
	rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
	defer cancel()
	resp, err := l.cli.Get(rctx, l.head)
	if err != nil {
		return 0, wrap(ctx, "read the head", err)
	}
	head, empty, err := l.parseHead((*pb.RangeResponse)(resp))
	if err != nil {
		return 0, err
	}
	if empty {
		return 0, fmt.Errorf("etcdlog: %w", ErrEmpty)
	}
	return head, nil
}

// parseHead reads the head from the response of a get of the head key.
func (l *Log) parseHead(resp *pb.RangeResponse) (head uint64, empty bool, err error) {
	if resp == nil || len(resp.Kvs) == 0 {
		return 0, true, nil
	}
	head, err = parseRev(string(resp.Kvs[0].Value))
	if err != nil {
		return 0, false, fmt.Errorf("etcdlog: %w: head %q", ErrCorrupt, resp.Kvs[0].Value)
	}
	return head, false, nil
}

// An entry's value is a format byte, the tag of the Log that wrote it,
// and the payload.
const (
	entryFormat = 1
	tagSize     = 8
	entryHeader = 1 + tagSize
)

func (l *Log) entryValue(payload []byte) string {
	b := make([]byte, 0, entryHeader+len(payload))
	b = append(b, entryFormat)
	b = append(b, l.tag[:]...)
	return string(append(b, payload...))
}

// entry decodes an entry's key and value.
func (l *Log) entry(key, value []byte) (Entry, error) {
	rev, err := l.entryRev(key)
	if err != nil {
		return Entry{}, err
	}
	if len(value) < entryHeader || value[0] != entryFormat {
		return Entry{}, fmt.Errorf("etcdlog: %w: entry %d has no header", ErrCorrupt, rev)
	}
	return Entry{Revision: rev, Payload: value[entryHeader:]}, nil
}

func (l *Log) entryKey(rev uint64) string { return l.logs + formatRev(rev) }

// entryRev returns the revision of an entry key.
func (l *Log) entryRev(key []byte) (uint64, error) {
	s, ok := strings.CutPrefix(string(key), l.logs)
	rev, err := parseRev(s)
	if !ok || err != nil {
		return 0, fmt.Errorf("etcdlog: %w: entry key %q", ErrCorrupt, key)
	}
	return rev, nil
}

func formatRev(rev uint64) string { return fmt.Sprintf("%0*d", revDigits, rev) }

func parseRev(s string) (uint64, error) {
	if len(s) != revDigits {
		return 0, fmt.Errorf("not a revision: %q", s)
	}
	return strconv.ParseUint(s, 10, 64)
}

// open returns an error matching [ErrUnavailable] at once when the client
// was closed, which would otherwise answer only after its own retries.
func (l *Log) open(op string) error {
	if l.cli.Ctx().Err() != nil {
		return fmt.Errorf("etcdlog: %s: %w: the etcd client is closed", op, ErrUnavailable)
	}
	return nil
}
