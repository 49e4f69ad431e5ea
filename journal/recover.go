package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// segment is one log file: the revisions base .. end-1.
type segment struct {
	base, end uint64
	path      string
	size      int64 // bytes of good data (after dropping a torn tail)
}

// scan is a segment as read at open.
type scan struct {
	segment
	entries   []Entry
	torn      int64 // bytes after the last good batch, dropped
	emptyTorn bool  // the header itself is torn: the whole file is dropped
}

// scanSegment reads the segment at path. Only in the last segment may a
// torn write be dropped; anywhere else it is corruption.
func scanSegment(path string, base uint64, last bool) (scan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return scan{}, fmt.Errorf("journal: %w", err)
	}
	s := scan{segment: segment{base: base, end: base, path: path}}
	hbase, err := parseSegHeader(path, data)
	if err != nil {
		// Rotation writes and syncs the header before any batch, so a
		// last file no longer than a header is a rotation that crashed.
		if last && len(data) <= segHeaderSize && !errors.Is(err, ErrVersion) {
			s.emptyTorn = true
			s.torn = int64(len(data))
			return s, nil
		}
		return scan{}, err
	}
	if hbase != base {
		return scan{}, corruptf(path, 8, "the header says revision %d, the name %d", hbase, base)
	}
	off := segHeaderSize
	for off < len(data) {
		body, size, status := parseFrame(data[off:])
		if status != frameOK {
			if last && !intactFrameIn(data[off+1:]) {
				s.torn = int64(len(data) - off)
				break
			}
			return scan{}, corruptf(path, int64(off), "a damaged batch followed by intact ones")
		}
		first, payloads, err := parseBody(body)
		if err != nil {
			return scan{}, corruptf(path, int64(off), "%v", err)
		}
		if first != s.end {
			return scan{}, fmt.Errorf("%w: %s: byte %d: a batch starts at revision %d, expected %d",
				ErrGap, path, off, first, s.end)
		}
		for _, p := range payloads {
			s.entries = append(s.entries, Entry{Revision: s.end, Payload: p})
			s.end++
		}
		off += size
	}
	s.size = int64(off)
	return s, nil
}

// dirState is what a directory holds at open.
type dirState struct {
	segs  []uint64 // base revisions of the segments, ascending
	snaps []uint64 // revisions of the snapshots, ascending
	temps []string // names of temporary files a crash left behind
}

func readDir(dir string) (dirState, error) {
	list, err := os.ReadDir(dir)
	if err != nil {
		return dirState{}, fmt.Errorf("journal: %w", err)
	}
	var st dirState
	for _, e := range list {
		name := e.Name()
		if base, ok := parseName(name, segSuffix); ok {
			st.segs = append(st.segs, base)
		} else if rev, ok := parseName(name, snapSuffix); ok {
			st.snaps = append(st.snaps, rev)
		} else if tmpFile(name) {
			st.temps = append(st.temps, name)
		}
	}
	slices.Sort(st.segs)
	slices.Sort(st.snaps)
	return st, nil
}

// recoverDir reads the newest snapshot and the log after it and returns
// what it found with the segments kept on disk. Only once everything checks
// out does it touch the directory: it drops a torn last write and removes
// the temporary files of an interrupted snapshot. A refusal changes nothing.
func recoverDir(dir string) (*Recovered, []segment, error) {
	st, err := readDir(dir)
	if err != nil {
		return nil, nil, err
	}
	rec := &Recovered{}
	if n := len(st.snaps); n > 0 {
		rec.Snapshot, err = readSnapshot(filepath.Join(dir, snapName(st.snaps[n-1])), st.snaps[n-1])
		if err != nil {
			return nil, nil, err
		}
	}
	scans, err := scanAll(dir, st.segs)
	if err != nil {
		return nil, nil, err
	}
	if err := checkContinuity(dir, rec.Snapshot, scans); err != nil {
		return nil, nil, err
	}
	if rec.TornBytes, err = dropTorn(dir, scans); err != nil {
		return nil, nil, err
	}
	for _, name := range st.temps {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return nil, nil, fmt.Errorf("journal: %w", err)
		}
	}
	segs := make([]segment, 0, len(scans))
	for _, s := range scans {
		if s.emptyTorn {
			continue
		}
		for _, e := range s.entries {
			if rec.Snapshot == nil || e.Revision > rec.Snapshot.Revision {
				rec.Entries = append(rec.Entries, e)
			}
		}
		segs = append(segs, s.segment)
	}
	return rec, segs, nil
}

// scanAll scans the segments in order; only the last may end in a torn write.
func scanAll(dir string, bases []uint64) ([]scan, error) {
	scans := make([]scan, 0, len(bases))
	for i, base := range bases {
		s, err := scanSegment(filepath.Join(dir, segName(base)), base, i == len(bases)-1)
		if err != nil {
			return nil, err
		}
		scans = append(scans, s)
	}
	return scans, nil
}

// dropTorn drops the torn write at the end of the last segment: it
// truncates the file to its last intact batch, or removes it if its header
// is torn. It returns the number of bytes dropped.
func dropTorn(dir string, scans []scan) (int64, error) {
	if len(scans) == 0 {
		return 0, nil
	}
	last := scans[len(scans)-1]
	switch {
	case last.emptyTorn:
		if err := os.Remove(last.path); err != nil {
			return 0, fmt.Errorf("journal: drop a torn segment: %w", err)
		}
		return last.torn, syncDir(dir)
	case last.torn > 0:
		return last.torn, truncate(last.path, last.size)
	}
	return 0, nil
}

func truncate(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("journal: drop a torn write: %w", err)
	}
	err = f.Truncate(size)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("journal: drop a torn write: %w", err)
	}
	return nil
}

// checkContinuity checks that the snapshot and the segments together hold
// every revision from 0 to the last: a snapshot at s covers 0..s, and any
// revision above it must be in a segment, in order.
func checkContinuity(dir string, snap *Snapshot, scans []scan) error {
	var next uint64 // the revision the log must hold next
	covered := func(rev uint64) bool { return snap != nil && rev <= snap.Revision }
	for i, s := range scans {
		if s.emptyTorn {
			continue
		}
		switch {
		case s.base > next && !covered(s.base-1):
			if i == 0 {
				return missingSnapshot(dir, snap, s)
			}
			return fmt.Errorf("%w: %s starts at revision %d, but %s ends before revision %d",
				ErrGap, s.path, s.base, scans[i-1].path, next)
		case s.base < next:
			return fmt.Errorf("%w: %s starts at revision %d, but %s already holds it",
				ErrGap, s.path, s.base, scans[i-1].path)
		}
		next = s.end
	}
	return nil
}

func missingSnapshot(dir string, snap *Snapshot, s scan) error {
	if snap == nil {
		return fmt.Errorf("%w: the log in %s starts at revision %d, and no snapshot holds revisions 0 to %d",
			ErrMissingSnapshot, dir, s.base, s.base-1)
	}
	return fmt.Errorf("%w: the log in %s starts at revision %d, but the newest snapshot is at revision %d",
		ErrMissingSnapshot, dir, s.base, snap.Revision)
}
