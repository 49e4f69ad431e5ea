package journal

import (
	"bufio"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
)

// readSnapshot reads and checks the snapshot file at path, which its name
// says is at revision rev.
func readSnapshot(path string, rev uint64) (*Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if len(data) >= 5 && string(data[:4]) == snapMagic && data[4] != formatVersion {
		return nil, versionError(path, data[4])
	}
	if len(data) < snapHeaderSize+snapTrailerSize {
		return nil, corruptf(path, 0, "truncated snapshot (%d bytes)", len(data))
	}
	if string(data[:4]) != snapMagic {
		return nil, corruptf(path, 0, "not a snapshot")
	}
	end := len(data) - snapTrailerSize
	trailer := data[end:]
	if string(trailer[12:]) != snapEndMagic {
		return nil, corruptf(path, int64(end), "truncated snapshot (no trailer)")
	}
	if n := leUint64(trailer); n != uint64(end-snapHeaderSize) {
		return nil, corruptf(path, int64(end), "the trailer says %d bytes of content, the file holds %d", n, end-snapHeaderSize)
	}
	if checksum(data[:end]) != leUint32(trailer[8:]) {
		return nil, corruptf(path, int64(end), "snapshot checksum mismatch")
	}
	if got := leUint64(data[8:]); got != rev {
		return nil, corruptf(path, 8, "the header says revision %d, the name %d", got, rev)
	}
	return &Snapshot{Revision: rev, Data: data[snapHeaderSize:end]}, nil
}

// snapWriter counts and checksums what it passes on.
type snapWriter struct {
	w   io.Writer
	crc hash.Hash32
	n   uint64
}

func (s *snapWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.crc.Write(p[:n])
	s.n += uint64(n)
	return n, err
}

// writeSnapshotFile writes the snapshot at rev atomically: a temporary file,
// fsync, rename, fsync of the directory. On error nothing is left behind.
func writeSnapshotFile(dir string, rev uint64, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(dir, tmpPattern)
	if err != nil {
		return fmt.Errorf("journal: snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("journal: snapshot at revision %d: %w", rev, err)
		}
	}()
	buf := bufio.NewWriterSize(f, 1<<20)
	header := make([]byte, snapHeaderSize)
	copy(header, snapMagic)
	header[4] = formatVersion
	putUint64(header[8:], rev)
	sw := &snapWriter{w: buf, crc: crc32.New(castagnoli)}
	if _, err := sw.Write(header); err != nil {
		return err
	}
	if err := write(sw); err != nil {
		return err
	}
	trailer := make([]byte, snapTrailerSize)
	putUint64(trailer, sw.n-snapHeaderSize)
	putUint32(trailer[8:], sw.crc.Sum32())
	copy(trailer[12:], snapEndMagic)
	if _, err := buf.Write(trailer); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, snapName(rev))); err != nil {
		return err
	}
	return syncDir(dir)
}
