// Package journal is a crash-safe, append-only log of payloads in a
// directory, with snapshot files.
//
// Every payload carries a revision; revisions start at 0 and follow each
// other without gaps. [Journal.Append] returns once its payload is on
// stable storage (fsync). Appends that arrive while an fsync is under way
// are written together, with one write and one fsync (group commit).
// [Journal.WriteSnapshot] stores the whole state at one revision
// atomically and removes the log files it makes unnecessary.
//
// [Open] recovers: it reads the newest snapshot and the log after it. A
// torn last write (a batch cut short, or whose checksum fails, at the very
// end of the last log file) is dropped and the file truncated; any other
// damage, a gap in the revisions or a missing snapshot refuses to open.
//
// The journal treats payloads as opaque bytes. The directory holds log
// files (segments) named by their first revision, snapshot files named by
// their revision, and a LOCK file that keeps a second process out.
package journal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// The errors of the journal. Open's errors name the file and, for damage
// inside one, the byte offset.
var (
	// ErrCorrupt: a file is damaged somewhere a crash could not have torn it.
	ErrCorrupt = errors.New("corrupt journal")
	// ErrVersion: a file was written in a format version this build does not read.
	ErrVersion = errors.New("unknown journal format version")
	// ErrGap: revisions do not follow each other.
	ErrGap = errors.New("gap in journal revisions")
	// ErrMissingSnapshot: the log starts after revision 0 and no snapshot covers what precedes it.
	ErrMissingSnapshot = errors.New("missing snapshot")
	// ErrClosed: the journal is closed.
	ErrClosed = errors.New("journal closed")
	// ErrInUse: another journal holds the directory.
	ErrInUse = errors.New("journal directory in use")
)

const (
	// MaxPayload is the largest payload Append takes.
	MaxPayload = 1 << 30
	// DefaultSegmentSize is the size at which a log file is closed and a new one begun.
	DefaultSegmentSize = 16 << 20
	// batchLimit closes a batch to further payloads once it is this large.
	batchLimit = 16 << 20
)

// Recovered is what Open found in the directory.
type Recovered struct {
	// Snapshot is the newest snapshot, nil if there is none.
	Snapshot *Snapshot
	// Entries are the payloads after the snapshot, in revision order.
	Entries []Entry
	// TornBytes is the size of the torn last write Open dropped, 0 if none.
	TornBytes int64
}

// Snapshot is the content of a snapshot file.
type Snapshot struct {
	Revision uint64
	Data     []byte
}

// Entry is one payload of the log.
type Entry struct {
	Revision uint64
	Payload  []byte
}

// Option configures Open.
type Option func(*options)

type options struct {
	segmentSize int64
}

// WithSegmentSize sets the size at which a log file is closed and a new one
// begun (a batch is never split, so a file may exceed it by one batch).
func WithSegmentSize(n int64) Option { return func(o *options) { o.segmentSize = n } }

// Journal is an open journal directory. Its methods are safe for concurrent use.
type Journal struct {
	dir  string
	opts options
	lock *os.File

	mu      sync.Mutex
	wake    *sync.Cond // signals the flusher: pending grew, or the journal closes
	next    uint64     // the revision the next append must carry
	pending []*batch   // filled by appends, taken by the flusher
	err     error      // set once: ErrClosed or the write failure that stopped the journal
	done    chan struct{}

	durable atomic.Uint64 // revisions below it are on stable storage

	// Owned by the flusher goroutine.
	active *os.File
	seg    segment

	files    sync.Mutex // guards closed and snapshot
	closed   []segment  // segments before the active one, oldest first
	snapshot *uint64    // the revision of the newest snapshot file, nil if none

	snapMu sync.Mutex // one WriteSnapshot at a time
}

// Open opens the journal in dir, creating the directory if needed, and
// recovers what it holds.
func Open(dir string, opts ...Option) (*Journal, *Recovered, error) {
	o := options{segmentSize: DefaultSegmentSize}
	for _, opt := range opts {
		opt(&o)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	lock, err := lockDir(filepath.Join(dir, lockName))
	if err != nil {
		return nil, nil, err
	}
	rec, segs, err := recoverDir(dir)
	if err != nil {
		lock.Close()
		return nil, nil, err
	}
	j := &Journal{dir: dir, opts: o, lock: lock, done: make(chan struct{})}
	j.wake = sync.NewCond(&j.mu)
	if rec.Snapshot != nil {
		rev := rec.Snapshot.Revision
		j.snapshot = &rev
		j.next = rev + 1
	}
	if n := len(segs); n > 0 {
		j.closed = segs[:n-1]
		j.seg = segs[n-1]
		j.next = max(j.next, j.seg.end)
		if j.active, err = os.OpenFile(j.seg.path, os.O_WRONLY|os.O_APPEND, 0); err != nil {
			lock.Close()
			return nil, nil, fmt.Errorf("journal: %w", err)
		}
	}
	j.durable.Store(j.next)
	if rec.Snapshot != nil {
		// A crash after a snapshot may have left what it covers behind.
		if err := j.compact(rec.Snapshot.Revision); err != nil {
			j.closeFiles()
			return nil, nil, err
		}
	}
	go j.flushLoop()
	return j, rec, nil
}

// Next returns the revision the next Append must carry.
func (j *Journal) Next() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.next
}

// Append appends the payload of revision rev and returns once it is on
// stable storage. rev must be the revision after the last one appended.
func (j *Journal) Append(rev uint64, payload []byte) error {
	return j.AppendAsync(rev, payload).Wait()
}

// AppendAsync queues the payload of revision rev and returns at once; the
// returned Pending's Wait blocks until it is on stable storage. Queued
// payloads are written in revision order, so a caller that assigns
// revisions under its own lock calls AppendAsync under that lock and
// waits after releasing it, letting concurrent commits share an fsync.
// The journal copies payload.
func (j *Journal) AppendAsync(rev uint64, payload []byte) *Pending {
	j.mu.Lock()
	defer j.mu.Unlock()
	switch {
	case j.err != nil:
		return &Pending{err: j.err}
	case rev != j.next:
		return &Pending{err: fmt.Errorf("%w: append of revision %d, expected %d", ErrGap, rev, j.next)}
	case len(payload) > MaxPayload:
		return &Pending{err: fmt.Errorf("journal: a payload of %d bytes exceeds %d", len(payload), MaxPayload)}
	}
	n := len(j.pending)
	if n == 0 || len(j.pending[n-1].buf) >= batchLimit {
		j.pending = append(j.pending, newBatch(rev))
		n++
	}
	b := j.pending[n-1]
	b.add(payload)
	j.next++
	j.wake.Signal()
	return &Pending{b: b}
}

// Pending is a queued append.
type Pending struct {
	b   *batch
	err error
}

// Wait blocks until the append is on stable storage and returns nil, or
// returns why it never will be.
func (p *Pending) Wait() error {
	if p.err != nil {
		return p.err
	}
	<-p.b.done
	return p.b.err
}

// Close writes what is queued, waits for it to be durable and closes the
// journal. Later appends fail with ErrClosed.
func (j *Journal) Close() error {
	j.mu.Lock()
	if errors.Is(j.err, ErrClosed) {
		j.mu.Unlock()
		return nil
	}
	failed := j.err
	j.err = ErrClosed
	j.wake.Signal()
	j.mu.Unlock()
	<-j.done
	j.snapMu.Lock() // let a snapshot under way finish
	defer j.snapMu.Unlock()
	err := j.closeFiles()
	if failed != nil {
		return failed
	}
	if err != nil {
		return fmt.Errorf("journal: close: %w", err)
	}
	return nil
}

// closeFiles closes the active segment and releases the directory lock.
func (j *Journal) closeFiles() error {
	var err error
	if j.active != nil {
		err = j.active.Close()
	}
	if lerr := j.lock.Close(); err == nil {
		err = lerr
	}
	return err
}

// WriteSnapshot writes a snapshot of the state at revision rev, whose
// content write produces, atomically (temporary file, fsync, rename, fsync
// of the directory). Then it removes the older snapshots and the log files
// whose revisions are all at or below rev. rev must be durable already.
func (j *Journal) WriteSnapshot(rev uint64, write func(io.Writer) error) error {
	j.snapMu.Lock()
	defer j.snapMu.Unlock()
	j.mu.Lock()
	err := j.err
	j.mu.Unlock()
	if err != nil {
		return err
	}
	if d := j.durable.Load(); rev >= d {
		return fmt.Errorf("journal: a snapshot at revision %d, but the log is durable only below %d", rev, d)
	}
	j.files.Lock()
	prev := j.snapshot
	j.files.Unlock()
	if prev != nil && rev <= *prev {
		return fmt.Errorf("journal: a snapshot at revision %d, but there is one at %d already", rev, *prev)
	}
	if err := writeSnapshotFile(j.dir, rev, write); err != nil {
		return err
	}
	return j.compact(rev)
}

// compact records the new snapshot at rev and removes the files it makes
// unnecessary: older snapshots, then log files oldest first, so that a
// crash part way leaves a readable directory.
func (j *Journal) compact(rev uint64) error {
	j.files.Lock()
	defer j.files.Unlock()
	j.snapshot = &rev
	st, err := readDir(j.dir)
	if err != nil {
		return err
	}
	for _, old := range st.snaps {
		if old < rev {
			if err := os.Remove(filepath.Join(j.dir, snapName(old))); err != nil {
				return fmt.Errorf("journal: remove an old snapshot: %w", err)
			}
		}
	}
	for len(j.closed) > 0 && j.closed[0].end <= rev+1 {
		if err := os.Remove(j.closed[0].path); err != nil {
			return fmt.Errorf("journal: remove a log file: %w", err)
		}
		j.closed = j.closed[1:]
	}
	return syncDir(j.dir)
}
