package engine

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// A snapshot file holds the whole state at one revision (reference §20): every
// catalog record and the ID counters. It is a header and a sequence of
// change records (record's format, each with its own length and CRC-32C),
// all carrying the snapshot's revision:
//
//	file   = magic:"pdp-snap" version:u8 first chunk* last
//	first  = statement "snapshot", time: the revision's commit time, ops: a Put of the ID counters
//	chunk  = statement "", ops: up to snapChunk Puts of catalog records
//	last   = statement "end <n>", no ops, where n counts the Puts of the chunks
//
// The records come in the order of catalog.Tx.All. A reader refuses a
// future version (of the file or of a record), a file cut short anywhere
// (the last record is missing), damage (a checksum), anything after the
// last record, and password hashes its hasher does not accept.

const (
	snapMagic   = "pdp-snap"
	snapVersion = 1
	snapChunk   = 8192 // catalog records per chunk
	snapFirst   = "snapshot"
	snapEnd     = "end"
	// snapBuffer is the buffer of a snapshot file's reader and writer:
	// chunks larger than it pass straight through, so it only gathers
	// the small records, and a small engine's snapshot does not
	// allocate more than its file.
	snapBuffer = 64 << 10
)

// WriteSnapshot writes the current (published) state as a snapshot file
// to w. It reads an immutable snapshot, so it takes no lock and writers
// carry on while it streams.
func (e *Engine) WriteSnapshot(w io.Writer) error {
	snap := e.Snapshot()
	if snap.empty() {
		return errNoEngine
	}
	return writeSnapshot(snap, w)
}

// writeSnapshot streams the state of snap to w.
func writeSnapshot(snap *Snapshot, out io.Writer) error {
	w := bufio.NewWriterSize(out, snapBuffer)
	if _, err := w.WriteString(snapMagic); err != nil {
		return err
	}
	if err := w.WriteByte(snapVersion); err != nil {
		return err
	}
	var buf []byte
	put := func(b *record.Builder, stmt string, at int64) error {
		var err error
		if buf, err = b.Finish(buf[:0], snap.rev, at, stmt); err != nil {
			return err
		}
		_, err = w.Write(buf)
		return err
	}
	var chunk record.Builder
	n := 0
	tx := snap.cat.Read()
	for rec := range tx.All() {
		if err := chunk.Add(record.Put(rec)); err != nil {
			return err
		}
		if _, ok := rec.(*catalog.IDCounters); ok {
			if err := put(&chunk, snapFirst, snap.at); err != nil {
				return err
			}
			continue
		}
		if n++; chunk.Len() == snapChunk {
			if err := put(&chunk, "", 0); err != nil {
				return err
			}
		}
	}
	if err := tx.Err(); err != nil {
		return err
	}
	if chunk.Len() > 0 {
		if err := put(&chunk, "", 0); err != nil {
			return err
		}
	}
	if err := put(&chunk, fmt.Sprintf("%s %d", snapEnd, n), 0); err != nil {
		return err
	}
	return w.Flush()
}

// Restore returns an in-memory engine holding the state of a snapshot
// file read from r, at the snapshot's revision; the change records after
// it can then be applied with [Engine.Apply]. The options configure the
// engine as for [New] (the root password options are not needed: root's
// hash is in the snapshot). A file of a future format version, a file cut
// short, a damaged one, or one holding a password hash the hasher refuses
// is refused with an error wrapping [model.ErrReplay].
func Restore(r io.Reader, opts ...Option) (*Engine, error) {
	e, err := blank(opts)
	if err != nil {
		return nil, err
	}
	if err := e.restore(r); err != nil {
		return nil, err
	}
	return e, nil
}

// restore fills a blank engine from the snapshot file read from r and
// publishes its state.
func (e *Engine) restore(r io.Reader) error {
	in := bufio.NewReaderSize(r, snapBuffer)
	if err := readSnapHeader(in); err != nil {
		return err
	}
	tx := e.db.Write().Unlogged()
	defer tx.Abort()
	first, err := readSnapRecord(in, "the first record")
	if err != nil {
		return err
	}
	rev := first.Revision
	if first.Statement != snapFirst || len(first.Ops) != 1 {
		return snapErr("the first record is not a snapshot's")
	}
	if _, ok := first.Ops[0].Rec.(*catalog.IDCounters); !ok || first.Ops[0].Action != record.ActionPut {
		return snapErr("the first record does not hold the ID counters")
	}
	tx.Insert(first.Ops[0].Rec)
	n := 0
	for {
		chunk, err := readSnapRecord(in, fmt.Sprintf("the record after %d catalog records", n))
		if err != nil {
			return err
		}
		if chunk.Revision != rev {
			return snapErr("a record of revision %d in a snapshot of revision %d", chunk.Revision, rev)
		}
		if chunk.Statement != "" {
			if err := snapEnded(chunk, n); err != nil {
				return err
			}
			break
		}
		for _, op := range chunk.Ops {
			if err := e.restorable(op); err != nil {
				return err
			}
			tx.Insert(op.Rec)
		}
		n += len(chunk.Ops)
		if err := tx.Err(); err != nil {
			return snapErr("%s", err.Error())
		}
	}
	if _, err := in.ReadByte(); !errors.Is(err, io.EOF) {
		return snapErr("data after the last record")
	}
	next := (&Snapshot{intro: &introCache{}}).derive(tx)
	if err := tx.Err(); err != nil {
		return snapErr("%s", err.Error())
	}
	next.rev, next.at = rev, first.UnixNano
	next.intro = &introCache{}
	tx.Commit()
	next.cat = e.db.Snapshot()
	e.head = next
	e.cur.Store(next)
	e.feed.start(rev + 1)
	return nil
}

// readSnapHeader checks the magic bytes and the format version.
func readSnapHeader(in *bufio.Reader) error {
	head := make([]byte, len(snapMagic)+1)
	if _, err := io.ReadFull(in, head); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return snapErr("truncated: %d bytes, the header has %d", len(head), len(head))
		}
		return snapErr("%s", err.Error())
	}
	if string(head[:len(snapMagic)]) != snapMagic {
		return snapErr("not a snapshot file")
	}
	if v := head[len(snapMagic)]; v != snapVersion {
		return snapErr("snapshot format version %d (this build reads version %d)", v, snapVersion)
	}
	return nil
}

// readSnapRecord reads the next record; the end of the file is truncation.
func readSnapRecord(in *bufio.Reader, what string) (*record.Record, error) {
	rec, err := record.Read(in)
	switch {
	case errors.Is(err, io.EOF):
		return nil, snapErr("truncated: the file ends before %s", what)
	case err != nil:
		return nil, snapErr("%s: %s", what, err.Error())
	}
	return rec, nil
}

// snapEnded checks the last record against the n catalog records read.
func snapEnded(last *record.Record, n int) error {
	var want int
	if _, err := fmt.Sscanf(last.Statement, snapEnd+" %d", &want); err != nil || len(last.Ops) != 0 {
		return snapErr("a record that is neither a chunk nor the last one")
	}
	if want != n {
		return snapErr("the last record counts %d catalog records, the file holds %d", want, n)
	}
	return nil
}

// restorable checks one operation of a snapshot chunk.
func (e *Engine) restorable(op record.Op) error {
	if op.Action != record.ActionPut || !catalog.Known(op.Rec) {
		return snapErr("a chunk holds a %s of %T", op.Action, op.Rec)
	}
	switch rec := op.Rec.(type) {
	case *catalog.IDCounters:
		return snapErr("the ID counters twice")
	case *catalog.User:
		return e.acceptHash(rec)
	}
	return nil
}

// snapErr is an error of a snapshot file that can not be restored.
func snapErr(format string, args ...any) error {
	return model.Errorf(model.ErrReplay, "snapshot: "+format, args...)
}
