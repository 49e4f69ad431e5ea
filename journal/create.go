package journal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrNotEmpty: Create was given a directory that holds a journal already.
var ErrNotEmpty = errors.New("journal directory not empty")

// Create makes a journal in dir that starts from a snapshot at revision
// rev, whose content write produces, instead of from revision 0: Open
// then recovers the snapshot, and the next append carries rev+1. It
// serves restoring a state saved elsewhere. dir is created if needed and
// must not hold a journal (no log or snapshot file); the snapshot is
// written atomically, so a failed Create leaves no journal behind.
func Create(dir string, rev uint64, write func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	lock, err := lockDir(filepath.Join(dir, lockName))
	if err != nil {
		return err
	}
	defer lock.Close()
	st, err := readDir(dir)
	if err != nil {
		return err
	}
	if len(st.segs) > 0 || len(st.snaps) > 0 {
		return fmt.Errorf("%w: %s", ErrNotEmpty, dir)
	}
	return writeSnapshotFile(dir, rev, write)
}
