package journal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func payload(rev uint64) []byte { return fmt.Appendf(nil, "payload of revision %d", rev) }

func open(t *testing.T, dir string, opts ...Option) (*Journal, *Recovered) {
	t.Helper()
	j, rec, err := Open(dir, opts...)
	require.NoError(t, err)
	return j, rec
}

// appendN appends the revisions from j.Next() on, n of them, one at a time.
func appendN(t *testing.T, j *Journal, n int) {
	t.Helper()
	for range n {
		rev := j.Next()
		require.NoError(t, j.Append(rev, payload(rev)))
	}
}

// requireEntries checks that entries are the revisions from..to-1 with their payloads.
func requireEntries(t *testing.T, entries []Entry, from, to uint64) {
	t.Helper()
	require.Len(t, entries, int(to-from))
	for i, e := range entries {
		rev := from + uint64(i)
		require.Equal(t, rev, e.Revision)
		require.Equal(t, string(payload(rev)), string(e.Payload))
	}
}

func files(t *testing.T, dir, suffix string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range list {
		if filepath.Ext(e.Name()) == suffix {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

func TestAnEmptyDirectoryOpensEmpty(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	j, rec := open(t, dir)
	defer j.Close()
	assert.Nil(t, rec.Snapshot)
	assert.Empty(t, rec.Entries)
	assert.Zero(t, rec.TornBytes)
	assert.Equal(t, uint64(0), j.Next())
}

func TestAppendedPayloadsSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir)
	appendN(t, j, 10)
	require.NoError(t, j.Close())

	j, rec := open(t, dir)
	requireEntries(t, rec.Entries, 0, 10)
	assert.Equal(t, uint64(10), j.Next())
	appendN(t, j, 3)
	require.NoError(t, j.Close())

	j, rec = open(t, dir)
	defer j.Close()
	requireEntries(t, rec.Entries, 0, 13)
}

func TestAppendRefusesRevisionsOutOfOrder(t *testing.T) {
	j, _ := open(t, t.TempDir())
	defer j.Close()
	require.ErrorIs(t, j.Append(1, nil), ErrGap)
	require.NoError(t, j.Append(0, nil))
	err := j.Append(0, nil)
	require.ErrorIs(t, err, ErrGap)
	assert.Contains(t, err.Error(), "append of revision 0, expected 1")
	require.NoError(t, j.Append(1, []byte{}), "a refused append takes no revision")
}

func TestAppendAfterCloseFails(t *testing.T) {
	j, _ := open(t, t.TempDir())
	require.NoError(t, j.Close())
	require.ErrorIs(t, j.Append(0, nil), ErrClosed)
	require.ErrorIs(t, j.WriteSnapshot(0, func(io.Writer) error { return nil }), ErrClosed)
	require.NoError(t, j.Close(), "a second Close does nothing")
}

func TestASecondJournalOnTheDirectoryIsRefused(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir)
	_, _, err := Open(dir)
	require.ErrorIs(t, err, ErrInUse)
	require.NoError(t, j.Close())
	j, _ = open(t, dir)
	require.NoError(t, j.Close())
}

// TestConcurrentAppendsAreAllThereInOrder appends from several goroutines
// the way an engine would (revisions assigned under the engine's lock,
// waits outside it), closes, reopens and checks every acknowledged payload.
func TestConcurrentAppendsAreAllThereInOrder(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir, WithSegmentSize(2048))
	const writers, each = 8, 40
	var (
		engineLock sync.Mutex
		wg         sync.WaitGroup
		ackedMu    sync.Mutex
		acked      []uint64
	)
	for range writers {
		wg.Go(func() {
			for range each {
				engineLock.Lock()
				rev := j.Next()
				p := j.AppendAsync(rev, payload(rev))
				engineLock.Unlock()
				if err := p.Wait(); err != nil {
					t.Error(err)
					return
				}
				ackedMu.Lock()
				acked = append(acked, rev)
				ackedMu.Unlock()
			}
		})
	}
	wg.Wait()
	require.NoError(t, j.Close())
	require.Len(t, acked, writers*each)
	assert.Greater(t, len(files(t, dir, segSuffix)), 1, "the log rotated")

	j, rec := open(t, dir)
	defer j.Close()
	requireEntries(t, rec.Entries, 0, writers*each)
}

func TestSegmentsRotateAtTheirSize(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir, WithSegmentSize(200))
	appendN(t, j, 20)
	require.NoError(t, j.Close())
	segs := files(t, dir, segSuffix)
	assert.Greater(t, len(segs), 3)
	assert.Equal(t, segName(0), segs[0])

	j, rec := open(t, dir, WithSegmentSize(200))
	defer j.Close()
	requireEntries(t, rec.Entries, 0, 20)
}

func writeText(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func TestSnapshotsReplaceTheLogTheyCover(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir, WithSegmentSize(200))
	appendN(t, j, 30)
	before := len(files(t, dir, segSuffix))
	require.NoError(t, j.WriteSnapshot(20, writeText("state at 20")))
	after := files(t, dir, segSuffix)
	assert.Less(t, len(after), before, "covered log files are removed")
	first, ok := parseName(after[0], segSuffix)
	require.True(t, ok)
	assert.LessOrEqual(t, first, uint64(21), "what the snapshot does not cover is kept")
	appendN(t, j, 5)
	require.NoError(t, j.Close())

	j, rec := open(t, dir, WithSegmentSize(200))
	require.NotNil(t, rec.Snapshot)
	assert.Equal(t, uint64(20), rec.Snapshot.Revision)
	assert.Equal(t, "state at 20", string(rec.Snapshot.Data))
	requireEntries(t, rec.Entries, 21, 35)
	assert.Equal(t, uint64(35), j.Next())

	require.NoError(t, j.WriteSnapshot(34, writeText("state at 34")))
	assert.Equal(t, []string{snapName(34)}, files(t, dir, snapSuffix), "older snapshots are removed")
	require.NoError(t, j.Close())

	j, rec = open(t, dir)
	defer j.Close()
	assert.Equal(t, uint64(34), rec.Snapshot.Revision)
	requireEntries(t, rec.Entries, 35, 35)
	assert.Equal(t, uint64(35), j.Next())
}

func TestAnEmptySnapshotIsASnapshot(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir)
	appendN(t, j, 1)
	require.NoError(t, j.WriteSnapshot(0, writeText("")))
	require.NoError(t, j.Close())
	j, rec := open(t, dir)
	defer j.Close()
	require.NotNil(t, rec.Snapshot)
	assert.Empty(t, rec.Snapshot.Data)
	assert.Empty(t, rec.Entries)
}

func TestSnapshotRefusals(t *testing.T) {
	j, _ := open(t, t.TempDir())
	defer j.Close()
	appendN(t, j, 3)
	assert.ErrorContains(t, j.WriteSnapshot(3, writeText("")), "durable only below 3")
	require.NoError(t, j.WriteSnapshot(1, writeText("")))
	assert.ErrorContains(t, j.WriteSnapshot(1, writeText("")), "there is one at 1 already")
}

func TestAFailedSnapshotLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir)
	defer j.Close()
	appendN(t, j, 3)
	boom := errors.New("boom")
	err := j.WriteSnapshot(2, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half")
		return boom
	})
	require.ErrorIs(t, err, boom)
	list, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range list {
		assert.True(t, e.Name() == lockName || filepath.Ext(e.Name()) == segSuffix, "unexpected file %s", e.Name())
	}
	require.NoError(t, j.WriteSnapshot(2, writeText("whole")), "a later snapshot at the same revision works")
}

func TestOpenRemovesLeftoverTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "snapshot-123.tmp"), []byte("half"), 0o644))
	j, _ := open(t, dir)
	defer j.Close()
	assert.NoFileExists(t, filepath.Join(dir, "snapshot-123.tmp"))
}

func TestAFailedWriteStopsTheJournal(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir)
	appendN(t, j, 2)
	require.NoError(t, j.active.Close()) // the next write fails

	err := j.Append(2, payload(2))
	require.ErrorContains(t, err, "write failed, the journal takes no more appends")
	assert.Equal(t, err, j.Append(3, payload(3)), "later appends fail alike")
	assert.Equal(t, err, j.Close())

	j, rec := open(t, dir)
	defer j.Close()
	requireEntries(t, rec.Entries, 0, 2)
}
