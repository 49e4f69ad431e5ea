package journal

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fiveRecords makes a journal of revisions 0..4, each its own batch, and
// returns the directory, its one segment and the offset of each batch
// (offsets[5] is the file size).
func fiveRecords(t *testing.T) (dir, seg string, offsets []int64) {
	t.Helper()
	dir = t.TempDir()
	j, _ := open(t, dir)
	seg = filepath.Join(dir, segName(0))
	for range 5 {
		offsets = append(offsets, size(t, seg))
		appendN(t, j, 1)
	}
	offsets = append(offsets, size(t, seg))
	require.NoError(t, j.Close())
	return dir, seg, offsets
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if os.IsNotExist(err) {
		return segHeaderSize // not created before the first append
	}
	require.NoError(t, err)
	return fi.Size()
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	list, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range list {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644))
	}
	return dst
}

func editFile(t *testing.T, path string, edit func([]byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, edit(data), 0o644))
}

func TestATornLastBatchIsDroppedAtEveryOffset(t *testing.T) {
	src, _, offsets := fiveRecords(t)
	start, end := offsets[4], offsets[5]
	for cut := start; cut < end; cut++ {
		dir := copyDir(t, src)
		seg := filepath.Join(dir, segName(0))
		require.NoError(t, os.Truncate(seg, cut))

		j, rec, err := Open(dir)
		require.NoError(t, err, "cut at byte %d", cut)
		requireEntries(t, rec.Entries, 0, 4)
		assert.Equal(t, cut-start, rec.TornBytes)
		assert.Equal(t, start, size(t, seg), "the file is truncated to the last good batch")
		require.Equal(t, uint64(4), j.Next())
		appendN(t, j, 1)
		require.NoError(t, j.Close())

		j, rec = open(t, dir)
		requireEntries(t, rec.Entries, 0, 5)
		require.NoError(t, j.Close())
	}
}

func TestDamageAfterTheLastIntactBatchIsATornWrite(t *testing.T) {
	src, _, offsets := fiveRecords(t)
	tests := []struct {
		name string
		edit func([]byte) []byte
	}{
		{"zeros after the log", func(b []byte) []byte { return append(b, make([]byte, 4096)...) }},
		{"garbage after the log", func(b []byte) []byte { return append(b, []byte("half a batch of garbage")...) }},
		{"a flipped byte in the last batch", func(b []byte) []byte {
			b[len(b)-3] ^= 0x40
			return b
		}},
		{"the last batch zeroed, garbage after it", func(b []byte) []byte {
			clear(b[offsets[4]:])
			return append(b, 0xde, 0xad)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, src)
			editFile(t, filepath.Join(dir, segName(0)), tt.edit)
			j, rec, err := Open(dir)
			require.NoError(t, err)
			defer j.Close()
			last := 5
			if len(rec.Entries) < 5 {
				last = 4
			}
			requireEntries(t, rec.Entries, 0, uint64(last))
			assert.Positive(t, rec.TornBytes)
		})
	}
}

func TestAFlippedByteInAMiddleBatchRefusesToOpen(t *testing.T) {
	src, _, offsets := fiveRecords(t)
	for at := offsets[2]; at < offsets[3]; at++ {
		dir := copyDir(t, src)
		seg := filepath.Join(dir, segName(0))
		editFile(t, seg, func(b []byte) []byte {
			b[at] ^= 0x01
			return b
		})
		_, _, err := Open(dir)
		require.ErrorIs(t, err, ErrCorrupt, "flip at byte %d", at)
		assert.Contains(t, err.Error(), fmt.Sprintf("%s: byte %d:", seg, offsets[2]))
		before := size(t, seg)
		assert.Equal(t, offsets[5], before, "a refused open changes nothing")
	}
}

func TestDamageInAnEarlierSegmentIsNeverATornWrite(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir, WithSegmentSize(100))
	appendN(t, j, 6)
	require.NoError(t, j.Close())
	segs := files(t, dir, segSuffix)
	require.Greater(t, len(segs), 1)
	first := filepath.Join(dir, segs[0])
	editFile(t, first, func(b []byte) []byte {
		b[len(b)-1] ^= 0x01
		return b
	})
	_, _, err := Open(dir)
	require.ErrorIs(t, err, ErrCorrupt)
	assert.Contains(t, err.Error(), first)
}

func TestFutureFormatVersionsAreRefused(t *testing.T) {
	src := t.TempDir()
	j, _ := open(t, src)
	appendN(t, j, 3)
	require.NoError(t, j.WriteSnapshot(1, writeText("state")))
	require.NoError(t, j.Close())

	for _, name := range []string{segName(0), snapName(1)} {
		t.Run(name, func(t *testing.T) {
			dir := copyDir(t, src)
			path := filepath.Join(dir, name)
			editFile(t, path, func(b []byte) []byte {
				b[4] = formatVersion + 1
				return b
			})
			_, _, err := Open(dir)
			require.ErrorIs(t, err, ErrVersion)
			assert.Contains(t, err.Error(), "version 2 in "+path)
		})
	}
}

func TestADamagedSnapshotIsRefused(t *testing.T) {
	src := t.TempDir()
	j, _ := open(t, src)
	appendN(t, j, 3)
	require.NoError(t, j.WriteSnapshot(1, writeText("the whole state")))
	require.NoError(t, j.Close())
	snap := snapName(1)

	tests := []struct {
		name string
		edit func([]byte) []byte
	}{
		{"a flipped content byte", func(b []byte) []byte { b[snapHeaderSize+2] ^= 1; return b }},
		{"a flipped revision", func(b []byte) []byte { b[8] ^= 1; return b }},
		{"cut short", func(b []byte) []byte { return b[:len(b)-5] }},
		{"cut to the header", func(b []byte) []byte { return b[:snapHeaderSize] }},
		{"empty", func(b []byte) []byte { return nil }},
		{"not a snapshot", func(b []byte) []byte { b[0] = 'X'; return b }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, src)
			editFile(t, filepath.Join(dir, snap), tt.edit)
			_, _, err := Open(dir)
			require.ErrorIs(t, err, ErrCorrupt)
			assert.Contains(t, err.Error(), filepath.Join(dir, snap))
		})
	}
}

// compacted makes a journal whose first log files were removed by a
// snapshot at revision 20, and returns its directory.
func compacted(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	j, _ := open(t, dir, WithSegmentSize(150))
	appendN(t, j, 30)
	require.NoError(t, j.WriteSnapshot(20, writeText("state at 20")))
	require.NoError(t, j.Close())
	first, ok := parseName(files(t, dir, segSuffix)[0], segSuffix)
	require.True(t, ok)
	require.Positive(t, first, "the log no longer starts at revision 0")
	return dir
}

func TestAMissingSnapshotIsRefused(t *testing.T) {
	dir := compacted(t)
	require.NoError(t, os.Remove(filepath.Join(dir, snapName(20))))
	_, _, err := Open(dir)
	require.ErrorIs(t, err, ErrMissingSnapshot)
	assert.ErrorContains(t, err, "no snapshot holds revisions 0 to")
}

func TestASnapshotOlderThanTheLogIsRefused(t *testing.T) {
	dir := compacted(t)
	data, err := os.ReadFile(filepath.Join(dir, snapName(20)))
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(dir, snapName(20))))
	putUint64(data[8:], 2)
	trailer := data[len(data)-snapTrailerSize:]
	putUint32(trailer[8:], checksum(data[:len(data)-snapTrailerSize]))
	require.NoError(t, os.WriteFile(filepath.Join(dir, snapName(2)), data, 0o644))
	_, _, err = Open(dir)
	require.ErrorIs(t, err, ErrMissingSnapshot)
	assert.ErrorContains(t, err, "the newest snapshot is at revision 2")
}

func TestAMissingLogFileIsAGap(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir, WithSegmentSize(100))
	appendN(t, j, 10)
	require.NoError(t, j.Close())
	segs := files(t, dir, segSuffix)
	require.Greater(t, len(segs), 2)
	require.NoError(t, os.Remove(filepath.Join(dir, segs[1])))
	_, _, err := Open(dir)
	require.ErrorIs(t, err, ErrGap)
	assert.ErrorContains(t, err, segs[2])
}

func TestASegmentWithTheWrongNameIsRefused(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir)
	appendN(t, j, 2)
	require.NoError(t, j.Close())
	require.NoError(t, os.Rename(filepath.Join(dir, segName(0)), filepath.Join(dir, segName(7))))
	_, _, err := Open(dir)
	require.ErrorIs(t, err, ErrCorrupt)
	assert.ErrorContains(t, err, "the header says revision 0, the name 7")
}

func TestATornRotationIsDropped(t *testing.T) {
	for _, n := range []int{0, 7, segHeaderSize} {
		t.Run(fmt.Sprint(n, " bytes"), func(t *testing.T) {
			dir, _, _ := fiveRecords(t)
			header := segHeader(5)
			header[n%segHeaderSize] ^= 0xff // a header of n bytes, damaged
			require.NoError(t, os.WriteFile(filepath.Join(dir, segName(5)), header[:n], 0o644))
			j, rec := open(t, dir)
			requireEntries(t, rec.Entries, 0, 5)
			assert.Equal(t, int64(n), rec.TornBytes)
			assert.NoFileExists(t, filepath.Join(dir, segName(5)))
			appendN(t, j, 1)
			require.NoError(t, j.Close())
			j, rec = open(t, dir)
			defer j.Close()
			requireEntries(t, rec.Entries, 0, 6)
		})
	}
}

func TestAnEmptyLastSegmentIsReused(t *testing.T) {
	dir, _, _ := fiveRecords(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, segName(5)), segHeader(5), 0o644))
	j, rec := open(t, dir)
	requireEntries(t, rec.Entries, 0, 5)
	appendN(t, j, 2)
	require.NoError(t, j.Close())
	j, rec = open(t, dir)
	defer j.Close()
	requireEntries(t, rec.Entries, 0, 7)
	assert.Len(t, files(t, dir, segSuffix), 2)
}

func TestACrashBetweenSnapshotAndCompactionIsTidiedAtOpen(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, dir, WithSegmentSize(150))
	appendN(t, j, 30)
	require.NoError(t, j.Close())
	segs := len(files(t, dir, segSuffix))
	require.NoError(t, writeSnapshotFile(dir, 3, writeText("old")))
	require.NoError(t, writeSnapshotFile(dir, 20, writeText("new")))

	j, rec := open(t, dir)
	defer j.Close()
	assert.Equal(t, uint64(20), rec.Snapshot.Revision)
	requireEntries(t, rec.Entries, 21, 30)
	assert.Equal(t, []string{snapName(20)}, files(t, dir, snapSuffix))
	assert.Less(t, len(files(t, dir, segSuffix)), segs)
	require.NoError(t, j.WriteSnapshot(25, func(w io.Writer) error { return nil }))
}

func TestARefusedOpenChangesNothing(t *testing.T) {
	dir := compacted(t)
	segs := files(t, dir, segSuffix)
	last := filepath.Join(dir, segs[len(segs)-1])
	editFile(t, last, func(b []byte) []byte { return append(b, "torn"...) })
	tmp := filepath.Join(dir, "snapshot-1.tmp")
	require.NoError(t, os.WriteFile(tmp, []byte("half"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(dir, snapName(20))))
	before := size(t, last)

	_, _, err := Open(dir)
	require.ErrorIs(t, err, ErrMissingSnapshot)
	assert.Equal(t, before, size(t, last), "the torn write is still there")
	assert.FileExists(t, tmp)
	assert.Equal(t, segs, files(t, dir, segSuffix))
}
