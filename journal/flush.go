package journal

import (
	"fmt"
	"os"
	"path/filepath"
)

// batch is the payloads of consecutive revisions written with one write and
// one fsync. buf is the batch frame, its header filled in when written.
type batch struct {
	first uint64
	count uint32
	buf   []byte
	done  chan struct{} // closed once the batch is durable or failed
	err   error
}

func newBatch(first uint64) *batch {
	b := &batch{first: first, buf: make([]byte, batchHeaderSize, 4096), done: make(chan struct{})}
	putUint64(b.buf[frameHeaderSize:], first)
	return b
}

func (b *batch) add(payload []byte) {
	b.buf = appendUint32(b.buf, uint32(len(payload)))
	b.buf = append(b.buf, payload...)
	b.count++
}

// seal fills in the frame header.
func (b *batch) seal() {
	putUint32(b.buf[frameHeaderSize+8:], b.count)
	putUint32(b.buf, uint32(len(b.buf)-frameHeaderSize))
	putUint32(b.buf[4:], checksum(b.buf[frameHeaderSize:]))
	putUint32(b.buf[8:], checksum(b.buf[:8]))
}

// flushLoop is the one goroutine that writes the log. It takes every batch
// queued while it was busy and writes each with one write and one fsync.
// After a failed write it fails every later batch: the file's state is
// unknown until the next Open recovers it.
func (j *Journal) flushLoop() {
	defer close(j.done)
	var broken error
	for {
		j.mu.Lock()
		for len(j.pending) == 0 && j.err == nil {
			j.wake.Wait()
		}
		batches := j.pending
		j.pending = nil
		stop := len(batches) == 0 // the journal is closed or broken, and nothing is queued
		j.mu.Unlock()
		if stop {
			return
		}
		for _, b := range batches {
			if broken == nil {
				if err := j.write(b); err != nil {
					broken = fmt.Errorf("journal: write failed, the journal takes no more appends: %w", err)
					j.mu.Lock()
					if j.err == nil {
						j.err = broken
					}
					j.mu.Unlock()
				}
			}
			b.err = broken
			close(b.done)
		}
	}
}

// write makes b durable in the active segment, first starting a new
// segment if b does not continue the active one or would make it too large.
func (j *Journal) write(b *batch) error {
	b.seal()
	full := j.seg.size > segHeaderSize && j.seg.size+int64(len(b.buf)) > j.opts.segmentSize
	if j.active == nil || j.seg.end != b.first || full {
		if err := j.rotate(b.first); err != nil {
			return err
		}
	}
	if _, err := j.active.Write(b.buf); err != nil {
		return err
	}
	if err := j.active.Sync(); err != nil {
		return err
	}
	j.seg.size += int64(len(b.buf))
	j.seg.end = b.first + uint64(b.count)
	j.durable.Store(j.seg.end)
	return nil
}

// rotate closes the active segment and starts one at revision base: its
// header is written and synced, and the directory synced, before any
// batch goes in.
func (j *Journal) rotate(base uint64) error {
	path := filepath.Join(j.dir, segName(base))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(segHeader(base)); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := syncDir(j.dir); err != nil {
		f.Close()
		return err
	}
	if j.active != nil {
		j.files.Lock()
		j.closed = append(j.closed, j.seg)
		j.files.Unlock()
		j.active.Close() // synced after its last batch
	}
	j.active = f
	j.seg = segment{base: base, end: base, path: path, size: segHeaderSize}
	return nil
}

// syncDir makes the directory's entries (created, renamed, removed files) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("journal: sync directory: %w", err)
	}
	return nil
}
