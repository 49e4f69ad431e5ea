package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Read reads the next record of a stream of encoded records written one
// after the other. At the end of the stream, between records, it returns
// io.EOF; a stream that ends inside a record is [ErrTruncated]. Like
// [Decode], it allocates at most in proportion to what it read, whatever
// length a header claims.
func Read(r io.Reader) (*Record, error) {
	var head [headerSize]byte
	n, err := io.ReadFull(r, head[:])
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return nil, io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		if _, ferr := unframe(head[:n]); ferr != nil && !errors.Is(ferr, ErrTruncated) {
			return nil, ferr // a wrong magic byte or version says more than the length
		}
		return nil, fmt.Errorf("%w: %d bytes, a header needs %d", ErrTruncated, n, headerSize)
	case err != nil:
		return nil, err
	}
	if head[0] != magic || head[1] != Version {
		_, err := unframe(head[:])
		return nil, err
	}
	size := int64(binary.LittleEndian.Uint32(head[2:]))
	var buf bytes.Buffer
	buf.Write(head[:])
	got, err := io.CopyN(&buf, r, size)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if got < size {
		return nil, fmt.Errorf("%w: the body has %d of its %d bytes", ErrTruncated, got, size)
	}
	return Decode(buf.Bytes())
}
