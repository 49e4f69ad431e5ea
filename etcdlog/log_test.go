package etcdlog_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/etcdlog"
)

func payload(rev uint64) []byte { return fmt.Appendf(nil, "record %d", rev) }

// appendRange appends revisions from..to with payload(rev).
func appendRange(t *testing.T, ctx context.Context, l *etcdlog.Log, from, to uint64) {
	t.Helper()
	for rev := from; rev <= to; rev++ {
		require.NoError(t, l.Append(ctx, rev, payload(rev)))
	}
}

// collect reads every entry of seq, failing on an error.
func collect(t *testing.T, seq func(func(etcdlog.Entry, error) bool)) []etcdlog.Entry {
	t.Helper()
	var out []etcdlog.Entry
	for e, err := range seq {
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

func revisions(es []etcdlog.Entry) []uint64 {
	out := make([]uint64, len(es))
	for i, e := range es {
		out[i] = e.Revision
	}
	return out
}

func span(from, to uint64) []uint64 {
	var out []uint64
	for r := from; r <= to; r++ {
		out = append(out, r)
	}
	return out
}

func TestAppendComparesTheHead(t *testing.T) {
	ctx := testContext(t)
	l := etcdlog.New(sharedServer(t).newClient(t), prefix(t))

	_, err := l.Head(ctx)
	require.ErrorIs(t, err, etcdlog.ErrEmpty)
	var conflict *etcdlog.ConflictError
	require.ErrorAs(t, l.Append(ctx, 1, payload(1)), &conflict, "revision 1 before 0")
	assert.True(t, conflict.Empty)

	appendRange(t, ctx, l, 0, 9)
	head, err := l.Head(ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(9), head)

	tests := []struct {
		name string
		rev  uint64
		data []byte
	}{
		{"an old revision", 5, []byte("other")},
		{"revision 0 again", 0, []byte("other")},
		{"a revision past head+1", 11, []byte("other")},
		{"the head with other bytes", 9, []byte("other")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := l.Append(ctx, tt.rev, tt.data)
			require.ErrorIs(t, err, etcdlog.ErrConflict)
			var conflict *etcdlog.ConflictError
			require.ErrorAs(t, err, &conflict)
			assert.Equal(t, uint64(9), conflict.Head)
			assert.False(t, conflict.Empty)
		})
	}

	// A retry of an append that was committed succeeds and writes nothing;
	// the same bytes from another writer are a conflict.
	require.NoError(t, l.Append(ctx, 9, payload(9)))
	require.NoError(t, l.Append(ctx, 10, payload(10)))
	require.NoError(t, l.Append(ctx, 10, payload(10)))
	other := etcdlog.New(sharedServer(t).newClient(t), prefix(t))
	require.ErrorIs(t, other.Append(ctx, 10, payload(10)), etcdlog.ErrConflict)

	got := collect(t, l.Read(ctx, 0))
	assert.Equal(t, span(0, 10), revisions(got))
	for _, e := range got {
		assert.Equal(t, payload(e.Revision), e.Payload)
	}
	assert.Empty(t, collect(t, l.Read(ctx, 11)))

	err = l.Append(ctx, 11, make([]byte, etcdlog.MaxPayload+1))
	assert.ErrorIs(t, err, etcdlog.ErrInvalid)
}

func TestReadPages(t *testing.T) {
	ctx := testContext(t)
	cli := sharedServer(t).newClient(t)
	l := etcdlog.New(cli, prefix(t), etcdlog.WithPageSize(3))
	appendRange(t, ctx, l, 0, 13)

	for _, from := range []uint64{0, 1, 2, 3, 7, 12, 13, 14} {
		got := collect(t, l.Read(ctx, from))
		if from > 13 {
			assert.Empty(t, got)
			continue
		}
		assert.Equal(t, span(from, 13), revisions(got), "from %d", from)
	}

	// A consumer may stop early.
	var seen []uint64
	for e, err := range l.Read(ctx, 0) {
		require.NoError(t, err)
		seen = append(seen, e.Revision)
		if e.Revision == 4 {
			break
		}
	}
	assert.Equal(t, span(0, 4), seen)
}

// Writers on several clients race for every revision: each revision is
// won by exactly one of them, none twice, and the log has no gap.
func TestConcurrentAppendsOneWinnerPerRevision(t *testing.T) {
	const clients, perClient, last = 3, 4, 150
	ctx := testContext(t)
	srv := sharedServer(t)

	type win struct {
		writer int
		rev    uint64
	}
	var (
		mu        sync.Mutex
		wins      []win
		conflicts int
		wg        sync.WaitGroup
	)
	for c := range clients {
		l := etcdlog.New(srv.newClient(t), prefix(t))
		for g := range perClient {
			writer := c*perClient + g
			wg.Go(func() {
				var next uint64
				for next <= last {
					err := l.Append(ctx, next, fmt.Appendf(nil, "writer %d revision %d", writer, next))
					var conflict *etcdlog.ConflictError
					switch {
					case err == nil:
						mu.Lock()
						wins = append(wins, win{writer, next})
						mu.Unlock()
						next++
					case errors.As(err, &conflict):
						mu.Lock()
						conflicts++
						mu.Unlock()
						next = conflict.Head + 1
						if conflict.Empty {
							next = 0
						}
					default:
						t.Errorf("writer %d: %v", writer, err)
						return
					}
				}
			})
		}
	}
	wg.Wait()

	revs := make([]uint64, len(wins))
	for i, w := range wins {
		revs[i] = w.rev
	}
	slices.Sort(revs)
	require.Equal(t, span(0, last), revs, "each revision won exactly once")
	assert.Positive(t, conflicts, "the writers did race")

	got := collect(t, etcdlog.New(srv.newClient(t), prefix(t)).Read(ctx, 0))
	require.Equal(t, span(0, last), revisions(got))
	for _, w := range wins {
		assert.Equal(t, fmt.Sprintf("writer %d revision %d", w.writer, w.rev), string(got[w.rev].Payload))
	}
}

// Keys under the prefix that this package did not write are refused.
func TestReadRefusesForeignEntries(t *testing.T) {
	ctx := testContext(t)
	cli := sharedServer(t).newClient(t)
	p := prefix(t)
	l := etcdlog.New(cli, p)
	appendRange(t, ctx, l, 0, 1)

	tests := []struct{ name, key, value string }{
		{"a value without a header", "log/00000000000000000002", "raw"},
		{"a key that is no revision", "log/2", "\x01tag-tag-x"},
		{"a gap", "log/00000000000000000003", "\x01tag-tag-x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cli.Put(ctx, p+tt.key, tt.value)
			require.NoError(t, err)
			defer func() { _, _ = cli.Delete(ctx, p+tt.key) }()
			var last error
			for _, err := range l.Read(ctx, 0) {
				last = err
			}
			assert.ErrorIs(t, last, etcdlog.ErrCorrupt)
		})
	}
}
