package replica

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"sync"
)

// MemoryLog is a [Log] in memory, for tests and for replicas within one
// process. Its zero value is not usable; make one with [NewMemoryLog].
// [MemoryLog.SetDown] makes it behave as an unreachable log.
type MemoryLog struct {
	mu      sync.Mutex
	entries [][]byte // entries[i] is revision first+i
	first   uint64   // the oldest revision held (those before were compacted)
	snap    *Snapshot
	down    bool
	wake    chan struct{} // closed and replaced on every append and when the log comes back
}

// NewMemoryLog returns an empty log.
func NewMemoryLog() *MemoryLog { return &MemoryLog{wake: make(chan struct{})} }

// SetDown makes every call fail with ErrUnavailable while down is true;
// watches wait.
func (m *MemoryLog) SetDown(down bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.down = down
	if !down {
		m.wakeUp()
	}
}

func (m *MemoryLog) wakeUp() {
	close(m.wake)
	m.wake = make(chan struct{})
}

func (m *MemoryLog) unavailable(op string) error {
	return fmt.Errorf("memory log: %s: %w", op, ErrUnavailable)
}

// next returns the revision after the head; m.mu is held.
func (m *MemoryLog) next() uint64 { return m.first + uint64(len(m.entries)) }

// Append implements [Log].
func (m *MemoryLog) Append(_ context.Context, rev uint64, payload []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return m.unavailable("append")
	}
	if next := m.next(); rev != next {
		if rev < next && rev >= m.first && bytes.Equal(m.entries[rev-m.first], payload) {
			return nil // this very append, committed before
		}
		return fmt.Errorf("memory log: append of revision %d, the next is %d: %w", rev, next, ErrConflict)
	}
	m.entries = append(m.entries, bytes.Clone(payload))
	m.wakeUp()
	return nil
}

// Head implements [Log].
func (m *MemoryLog) Head(context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return 0, m.unavailable("head")
	}
	if m.next() == 0 {
		return 0, fmt.Errorf("memory log: %w", ErrEmpty)
	}
	return m.next() - 1, nil
}

// since returns the entries from revision from on and the channel closed
// at the next change.
func (m *MemoryLog) since(from uint64) ([]Entry, <-chan struct{}, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return nil, m.wake, m.unavailable("read")
	}
	if from < m.first {
		return nil, nil, fmt.Errorf("memory log: revision %d: %w", from, ErrCompacted)
	}
	var out []Entry
	for rev := from; rev < m.next(); rev++ {
		out = append(out, Entry{Revision: rev, Payload: m.entries[rev-m.first]})
	}
	return out, m.wake, nil
}

// Read implements [Log].
func (m *MemoryLog) Read(_ context.Context, from uint64) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		entries, _, err := m.since(from)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// Watch implements [Log]: while the log is down it waits.
func (m *MemoryLog) Watch(ctx context.Context, from uint64) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		next := from
		for {
			entries, wake, err := m.since(next)
			if err != nil && wake == nil {
				yield(Entry{}, err)
				return
			}
			for _, e := range entries {
				if !yield(e, nil) {
					return
				}
				next = e.Revision + 1
			}
			select {
			case <-ctx.Done():
				yield(Entry{}, ctx.Err())
				return
			case <-wake:
			}
		}
	}
}

// PutSnapshot implements [Log].
func (m *MemoryLog) PutSnapshot(_ context.Context, rev uint64, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return m.unavailable("put snapshot")
	}
	if m.next() == 0 || rev >= m.next() {
		return fmt.Errorf("memory log: snapshot at revision %d is past the head", rev)
	}
	if m.snap == nil || m.snap.Revision < rev {
		m.snap = &Snapshot{Revision: rev, Data: bytes.Clone(data)}
	}
	return nil
}

// LatestSnapshot implements [Log].
func (m *MemoryLog) LatestSnapshot(context.Context) (*Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return nil, m.unavailable("latest snapshot")
	}
	if m.snap == nil {
		return nil, fmt.Errorf("memory log: %w", ErrNoSnapshot)
	}
	return &Snapshot{Revision: m.snap.Revision, Data: m.snap.Data}, nil
}

// Compact implements [Log].
func (m *MemoryLog) Compact(_ context.Context, upTo uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return m.unavailable("compact")
	}
	if m.snap == nil {
		return fmt.Errorf("memory log: compact: %w", ErrNoSnapshot)
	}
	to := min(upTo, m.snap.Revision)
	if to < m.first {
		return nil
	}
	drop := to + 1 - m.first
	m.entries = append([][]byte(nil), m.entries[drop:]...)
	m.first = to + 1
	return nil
}

// Corrupt replaces the bytes of revision rev, as damage in the store
// would, for tests of replicas that can not apply a record.
func (m *MemoryLog) Corrupt(rev uint64, payload []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rev >= m.first && rev < m.next() {
		m.entries[rev-m.first] = bytes.Clone(payload)
	}
}
