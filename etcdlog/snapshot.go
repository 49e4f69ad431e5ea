package etcdlog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/pdp-authz/pdp/replica"
)

// ChunkSize is the most bytes of a snapshot one etcd key holds: each chunk
// is written by its own request, well under etcd's default request limit
// of 1.5 MiB.
const ChunkSize = 1 << 20

// Snapshot is the state at one revision, as bytes the caller wrote: the
// replica package's snapshot.
type Snapshot = replica.Snapshot

// snapMeta is the description of a snapshot kept in the pointer key.
type snapMeta struct {
	rev    uint64
	id     string // tells apart snapshots of one revision written at once
	size   int
	chunks int
	crc    uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (m snapMeta) String() string {
	return fmt.Sprintf("%s %s %d %d %08x", formatRev(m.rev), m.id, m.size, m.chunks, m.crc)
}

func parseMeta(v []byte) (snapMeta, error) {
	var m snapMeta
	var rev string
	n, err := fmt.Sscanf(string(v), "%s %s %d %d %x", &rev, &m.id, &m.size, &m.chunks, &m.crc)
	if err == nil && n == 5 {
		m.rev, err = parseRev(rev)
	}
	if err != nil || n != 5 || m.size < 0 || m.chunks != chunkCount(m.size) {
		return snapMeta{}, fmt.Errorf("etcdlog: %w: snapshot description %q", ErrCorrupt, v)
	}
	return m, nil
}

func chunkCount(size int) int { return (size + ChunkSize - 1) / ChunkSize }

// chunkPrefix is where the chunks of a snapshot live.
func (l *Log) chunkPrefix(rev uint64, id string) string {
	return l.snaps + formatRev(rev) + "/" + id + "/"
}

func chunkKey(prefix string, i int) string { return fmt.Sprintf("%s%06d", prefix, i) }

// PutSnapshot stores data as the state at revision rev, which must not be
// past the log's head. The bytes go in chunks of [ChunkSize], one request
// each; one transaction then makes the snapshot the latest and deletes the
// older ones, so a reader never sees a snapshot half written. If the log
// already has a snapshot at rev or later, PutSnapshot keeps that one,
// discards data and returns nil.
func (l *Log) PutSnapshot(ctx context.Context, rev uint64, data []byte) error {
	head, err := l.Head(ctx)
	if errors.Is(err, ErrEmpty) || err == nil && head < rev {
		return fmt.Errorf("etcdlog: snapshot at revision %d: %w: past the log's head", rev, ErrInvalid)
	}
	if err != nil {
		return err
	}
	latest, mod, err := l.latestMeta(ctx)
	if err != nil || latest != nil && latest.rev >= rev {
		return err
	}
	m := snapMeta{rev: rev, id: newID(), size: len(data), chunks: chunkCount(len(data)),
		crc: crc32.Checksum(data, castagnoli)}
	prefix := l.chunkPrefix(rev, m.id)
	if err := l.putChunks(ctx, prefix, data); err != nil {
		go l.dropChunks(prefix) // etcd may be away: no need to wait
		return err
	}
	for {
		rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
		resp, err := l.cli.Txn(rctx).
			If(clientv3.Compare(clientv3.ModRevision(l.pointer), "=", mod)).
			Then(clientv3.OpPut(l.pointer, m.String()),
				clientv3.OpDelete(l.snaps, clientv3.WithRange(l.snaps+formatRev(rev)))).
			Commit()
		cancel()
		if err != nil {
			return wrap(ctx, fmt.Sprintf("snapshot at revision %d", rev), err)
		}
		if resp.Succeeded {
			return nil
		}
		// Another snapshot was made meanwhile: keep the newer.
		latest, mod, err = l.latestMeta(ctx)
		if err != nil {
			return err
		}
		if latest != nil && latest.rev >= rev {
			l.dropChunks(prefix)
			return nil
		}
	}
}

func (l *Log) putChunks(ctx context.Context, prefix string, data []byte) error {
	for i := 0; i*ChunkSize < len(data); i++ {
		chunk := data[i*ChunkSize : min((i+1)*ChunkSize, len(data))]
		rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
		_, err := l.cli.Put(rctx, chunkKey(prefix, i), string(chunk))
		cancel()
		if err != nil {
			return wrap(ctx, fmt.Sprintf("write snapshot chunk %d", i), err)
		}
	}
	return nil
}

// dropChunks deletes the chunks of a snapshot that will not be used, as
// far as etcd lets it; chunks left behind go with the next snapshot.
func (l *Log) dropChunks(prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), l.opts.timeout)
	defer cancel()
	_, _ = l.cli.Delete(ctx, prefix, clientv3.WithPrefix())
}

// latestMeta returns the description of the latest snapshot (nil if none)
// and the mod revision of its key (0 if none).
func (l *Log) latestMeta(ctx context.Context) (*snapMeta, int64, error) {
	rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
	defer cancel()
	resp, err := l.cli.Get(rctx, l.pointer)
	if err != nil {
		return nil, 0, wrap(ctx, "read the latest snapshot", err)
	}
	if len(resp.Kvs) == 0 {
		return nil, 0, nil
	}
	m, err := parseMeta(resp.Kvs[0].Value)
	if err != nil {
		return nil, 0, err
	}
	return &m, resp.Kvs[0].ModRevision, nil
}

// LatestSnapshot returns the newest snapshot, or an error matching
// [ErrNoSnapshot] if the log has none. It reads every chunk at the etcd
// revision of the description, so a snapshot made meanwhile does not
// disturb it, and checks the size and the CRC-32C of the whole.
func (l *Log) LatestSnapshot(ctx context.Context) (*Snapshot, error) {
	for range 2 {
		s, err := l.readSnapshot(ctx)
		if !errors.Is(err, rpctypes.ErrCompacted) {
			return s, err
		}
		// etcd dropped the history being read: read the new latest.
	}
	s, err := l.readSnapshot(ctx)
	return s, wrap(ctx, "read the latest snapshot", err)
}

func (l *Log) readSnapshot(ctx context.Context) (*Snapshot, error) {
	rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
	resp, err := l.cli.Get(rctx, l.pointer)
	cancel()
	if err != nil {
		return nil, wrap(ctx, "read the latest snapshot", err)
	}
	if len(resp.Kvs) == 0 {
		return nil, fmt.Errorf("etcdlog: %w", ErrNoSnapshot)
	}
	m, err := parseMeta(resp.Kvs[0].Value)
	if err != nil {
		return nil, err
	}
	at := resp.Header.Revision
	prefix := l.chunkPrefix(m.rev, m.id)
	data := make([]byte, 0, m.size)
	for i := range m.chunks {
		rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
		resp, err := l.cli.Get(rctx, chunkKey(prefix, i), clientv3.WithRev(at))
		cancel()
		if errors.Is(err, rpctypes.ErrCompacted) {
			return nil, err
		}
		if err != nil {
			return nil, wrap(ctx, fmt.Sprintf("read snapshot chunk %d", i), err)
		}
		if len(resp.Kvs) == 0 {
			return nil, fmt.Errorf("etcdlog: %w: snapshot at revision %d lacks chunk %d", ErrCorrupt, m.rev, i)
		}
		data = append(data, resp.Kvs[0].Value...)
	}
	if len(data) != m.size || crc32.Checksum(data, castagnoli) != m.crc {
		return nil, fmt.Errorf("etcdlog: %w: snapshot at revision %d does not match its size or checksum", ErrCorrupt, m.rev)
	}
	return &Snapshot{Revision: m.rev, Data: data}, nil
}

// Compact deletes the entries up to revision upTo that the latest snapshot
// covers (those up to the lower of upTo and the snapshot's revision). It
// returns an error matching [ErrNoSnapshot] if there is no snapshot.
// Readers asking for a deleted entry get [ErrCompacted].
func (l *Log) Compact(ctx context.Context, upTo uint64) error {
	latest, _, err := l.latestMeta(ctx)
	if err != nil {
		return err
	}
	if latest == nil {
		return fmt.Errorf("etcdlog: compact: %w", ErrNoSnapshot)
	}
	to := min(upTo, latest.rev)
	rctx, cancel := context.WithTimeout(ctx, l.opts.timeout)
	defer cancel()
	_, err = l.cli.Delete(rctx, l.logs, clientv3.WithRange(l.entryKey(to)+"\x00"))
	return wrap(ctx, fmt.Sprintf("compact up to revision %d", to), err)
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
