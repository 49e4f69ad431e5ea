package record

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
)

const (
	magic      = 0xD0
	headerSize = 10 // magic, version, length, crc
	minOpSize  = 2  // action and kind; bounds the op count a body can claim
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// kind is one record type of the format: its name for messages and its
// field list.
type kind struct {
	name   string
	is     func(rec any) bool
	new    func() any
	fields func(c coder, rec any)
}

// kindOf returns the kind of the catalog type T with the given field list.
func kindOf[T any](name string, fields func(coder, *T)) kind {
	return kind{
		name: name,
		is: func(rec any) bool {
			r, ok := rec.(*T)
			return ok && r != nil
		},
		new:    func() any { return new(T) },
		fields: func(c coder, rec any) { fields(c, rec.(*T)) },
	}
}

// kindCode returns the kind code of rec, or 0 if rec is not a catalog record.
func kindCode(rec any) uint8 {
	for code, k := range kinds {
		if k.is != nil && k.is(rec) {
			return uint8(code)
		}
	}
	return 0
}

// coder is the encoder (*writer) or the decoder (*reader) a field list runs with.
type coder interface{ coder() }

func (*writer) coder() {}
func (*reader) coder() {}

// u32 codes a 32-bit number as a uvarint.
func u32[T ~uint32](c coder, p *T) {
	switch c := c.(type) {
	case *writer:
		c.uvarint(uint64(*p))
	case *reader:
		*p = T(c.uvarint(math.MaxUint32))
	}
}

// u8 codes a small enumeration as one byte.
func u8[T ~uint8](c coder, p *T) {
	switch c := c.(type) {
	case *writer:
		c.buf = append(c.buf, uint8(*p))
	case *reader:
		*p = T(c.byte())
	}
}

// flag codes a boolean as one byte, 0 or 1.
func flag(c coder, p *bool) {
	switch c := c.(type) {
	case *writer:
		c.flag(*p)
	case *reader:
		*p = c.flag()
	}
}

// str codes a text as its length and its bytes.
func str(c coder, p *string) {
	switch c := c.(type) {
	case *writer:
		c.str(*p)
	case *reader:
		*p = c.str()
	}
}

// Encode returns the encoding of r.
func Encode(r *Record) ([]byte, error) { return Append(nil, r) }

// Append appends the encoding of r to dst and returns the extended slice.
// On error it returns dst unchanged.
func Append(dst []byte, r *Record) ([]byte, error) {
	start := len(dst)
	w := begin(dst, r.Revision, r.UnixNano, r.Statement, len(r.Ops))
	for i, op := range r.Ops {
		if err := w.op(i, op); err != nil {
			return dst, err
		}
	}
	return w.seal(dst, start)
}

// begin starts a record in dst: its header (filled in by seal) and the
// fields before its operations.
func begin(dst []byte, rev uint64, unixNano int64, stmt string, ops int) *writer {
	w := &writer{buf: append(dst, magic, Version, 0, 0, 0, 0, 0, 0, 0, 0)}
	w.uvarint(rev)
	w.varint(unixNano)
	w.str(stmt)
	w.uvarint(uint64(ops))
	return w
}

// op encodes operation number i.
func (w *writer) op(i int, op Op) error {
	if op.Action != ActionPut && op.Action != ActionDelete {
		return fmt.Errorf("%w: op %d: unknown action %d", ErrInvalid, i, op.Action)
	}
	code := kindCode(op.Rec)
	if code == 0 {
		return fmt.Errorf("%w: op %d: %T is not a catalog record", ErrInvalid, i, op.Rec)
	}
	w.buf = append(w.buf, byte(op.Action), code)
	kinds[code].fields(w, op.Rec)
	return nil
}

// seal fills in the header of the record that starts at start; on error
// it returns dst unchanged.
func (w *writer) seal(dst []byte, start int) ([]byte, error) {
	body := w.buf[start+headerSize:]
	if len(body) > math.MaxUint32 {
		return dst, fmt.Errorf("%w: %d bytes exceed the format's 4 GiB", ErrInvalid, len(body))
	}
	binary.LittleEndian.PutUint32(w.buf[start+2:], uint32(len(body)))
	binary.LittleEndian.PutUint32(w.buf[start+6:], crc32.Checksum(body, castagnoli))
	return w.buf, nil
}

// Builder encodes a record one operation at a time, so that a record of
// many operations (a chunk of a snapshot file) need not hold them: each is
// encoded as it is added, and the catalog record it points to may be
// reused afterwards. The zero Builder is empty and ready to use.
type Builder struct {
	ops writer
	n   int
}

// Add encodes op after the operations added before it.
func (b *Builder) Add(op Op) error {
	if err := b.ops.op(b.n, op); err != nil {
		return err
	}
	b.n++
	return nil
}

// Len returns the number of operations added since the Builder was last
// empty.
func (b *Builder) Len() int { return b.n }

// Finish appends to dst the record of the given revision, time and
// statement holding the operations added, in order, and empties the
// Builder. The bytes are those [Append] writes for the same record.
func (b *Builder) Finish(dst []byte, rev uint64, unixNano int64, stmt string) ([]byte, error) {
	start := len(dst)
	w := begin(dst, rev, unixNano, stmt, b.n)
	w.buf = append(w.buf, b.ops.buf...)
	b.ops.buf, b.n = b.ops.buf[:0], 0
	return w.seal(dst, start)
}

// Decode decodes the one record that b holds. Its errors wrap [ErrVersion],
// [ErrTruncated] or [ErrCorrupt]. It allocates at most in proportion to
// len(b), whatever lengths b claims.
func Decode(b []byte) (*Record, error) {
	body, err := unframe(b)
	if err != nil {
		return nil, err
	}
	r := &reader{buf: body, base: headerSize}
	rec := &Record{
		Revision:  r.uvarint(math.MaxUint64),
		UnixNano:  r.varint(),
		Statement: r.str(),
	}
	n := r.uvarint(uint64(r.left() / minOpSize))
	if n > 0 && r.err == nil {
		rec.Ops = make([]Op, 0, n)
	}
	for i := uint64(0); i < n && r.err == nil; i++ {
		rec.Ops = append(rec.Ops, r.op(i))
	}
	if r.err == nil && r.left() > 0 {
		r.fail("%d bytes after the last op", r.left())
	}
	if r.err != nil {
		return nil, r.err
	}
	return rec, nil
}

// unframe checks the header and checksum of b and returns the body.
func unframe(b []byte) ([]byte, error) {
	if len(b) < 2 {
		return nil, fmt.Errorf("%w: %d bytes, a header needs %d", ErrTruncated, len(b), headerSize)
	}
	if b[0] != magic {
		return nil, fmt.Errorf("%w: byte 0: 0x%02x does not start a record", ErrCorrupt, b[0])
	}
	if b[1] != Version {
		return nil, fmt.Errorf("%w %d (this build reads version %d)", ErrVersion, b[1], Version)
	}
	if len(b) < headerSize {
		return nil, fmt.Errorf("%w: %d bytes, a header needs %d", ErrTruncated, len(b), headerSize)
	}
	n := binary.LittleEndian.Uint32(b[2:])
	have := len(b) - headerSize
	if uint64(have) < uint64(n) {
		return nil, fmt.Errorf("%w: the body has %d of its %d bytes", ErrTruncated, have, n)
	}
	if uint64(have) > uint64(n) {
		return nil, fmt.Errorf("%w: %d bytes after the record", ErrCorrupt, uint64(have)-uint64(n))
	}
	body := b[headerSize:]
	if got, want := crc32.Checksum(body, castagnoli), binary.LittleEndian.Uint32(b[6:]); got != want {
		return nil, fmt.Errorf("%w: checksum 0x%08x, the header says 0x%08x", ErrCorrupt, got, want)
	}
	return body, nil
}

// writer appends encoded values to buf.
type writer struct{ buf []byte }

func (w *writer) uvarint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *writer) varint(v int64)   { w.buf = binary.AppendVarint(w.buf, v) }

func (w *writer) flag(v bool) {
	if v {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

func (w *writer) str(s string) {
	w.uvarint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// reader decodes values from buf. The first error sticks: later reads
// return zero values, so callers check err once.
type reader struct {
	buf  []byte
	off  int
	base int // offset of buf in the whole input, for messages
	err  error
}

func (r *reader) left() int { return len(r.buf) - r.off }

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: byte %d: %s", ErrCorrupt, r.base+r.off, fmt.Sprintf(format, args...))
	}
}

// uvarint reads a uvarint in its shortest form, at most max.
func (r *reader) uvarint(max uint64) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.buf[r.off:])
	switch {
	case n == 0:
		r.fail("the body ends inside a number")
		return 0
	case n < 0:
		r.fail("a number overflows 64 bits")
		return 0
	case n > 1 && r.buf[r.off+n-1] == 0:
		r.fail("a number is not in its shortest form")
		return 0
	case v > max:
		r.fail("%d exceeds %d", v, max)
		return 0
	}
	r.off += n
	return v
}

// varint reads a zig-zag signed varint in its shortest form.
func (r *reader) varint() int64 {
	u := r.uvarint(math.MaxUint64)
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.left() < 1 {
		r.fail("the body ends inside an op")
		return 0
	}
	b := r.buf[r.off]
	r.off++
	return b
}

func (r *reader) flag() bool {
	b := r.byte()
	if b > 1 {
		r.off--
		r.fail("flag %d is neither 0 nor 1", b)
	}
	return b == 1
}

func (r *reader) str() string {
	n := r.uvarint(math.MaxUint64)
	if r.err != nil {
		return ""
	}
	if n > uint64(r.left()) {
		r.fail("a text of %d bytes runs past the body's %d", n, r.left())
		return ""
	}
	s := string(r.buf[r.off : r.off+int(n)])
	r.off += int(n)
	return s
}

// op reads op number i.
func (r *reader) op(i uint64) Op {
	at := r.off
	action := Action(r.byte())
	code := r.byte()
	if r.err != nil {
		return Op{}
	}
	if action != ActionPut && action != ActionDelete {
		r.off = at
		r.fail("op %d: unknown action %d", i, action)
		return Op{}
	}
	if int(code) >= len(kinds) || kinds[code].new == nil {
		r.off = at + 1
		r.fail("op %d: unknown kind %d", i, code)
		return Op{}
	}
	k := kinds[code]
	rec := k.new()
	k.fields(r, rec)
	if r.err != nil {
		r.err = fmt.Errorf("op %d (%s %s): %w", i, action, k.name, r.err)
	}
	return Op{action, rec}
}
