//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package journal

import (
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on the file at path, held until the
// returned file is closed; the kernel drops it if the process dies.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s: %w", ErrInUse, path, err)
	}
	return f, nil
}
