package journal

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"path/filepath"
	"strconv"
	"strings"
)

// The file formats, version 1. All integers are little-endian.
//
//	segment  = header batch*
//	header   = "PDPJ" version:u8 0 0 0 base:u64 crc:u32        (crc of the 16 bytes before it)
//	batch    = length:u32 crc:u32 hcrc:u32 body                (length and CRC-32C of body; CRC-32C of the 8 bytes before hcrc)
//	body     = first:u64 count:u32 entry{count}
//	entry    = length:u32 payload
//
//	snapshot = "PDPS" version:u8 0 0 0 revision:u64 content trailer
//	trailer  = length:u64 crc:u32 "PDPE"                       (length of content, CRC-32C of header and content)
//
// A batch holds the payloads of revisions first .. first+count-1 and is
// written with one write and one fsync: it is the unit that is durable or
// torn, and only the last write can be torn. So a damaged batch is a torn
// write only when it is in the last segment and no intact batch follows it
// (reference §20: only a record past the last complete one is torn); the header
// checksum keeps a damaged length from passing for a batch cut short.
const (
	formatVersion   = 1
	segHeaderSize   = 20
	frameHeaderSize = 12                   // length, crc, hcrc
	batchHeaderSize = frameHeaderSize + 12 // and first, count
	entryHeaderSize = 4
	snapHeaderSize  = 16
	snapTrailerSize = 16

	segMagic     = "PDPJ"
	snapMagic    = "PDPS"
	snapEndMagic = "PDPE"

	segSuffix  = ".log"
	snapSuffix = ".snap"
	tmpPattern = "snapshot-*.tmp"
	lockName   = "LOCK"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func segName(base uint64) string { return fmt.Sprintf("%020d%s", base, segSuffix) }
func snapName(rev uint64) string { return fmt.Sprintf("%020d%s", rev, snapSuffix) }

func tmpFile(name string) bool {
	ok, _ := filepath.Match(tmpPattern, name)
	return ok
}

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

func leUint64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
func leUint32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

func putUint32(b []byte, v uint32) { binary.LittleEndian.PutUint32(b, v) }
func putUint64(b []byte, v uint64) { binary.LittleEndian.PutUint64(b, v) }

func appendUint32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

// parseName returns the revision a file name of the given suffix carries.
func parseName(name, suffix string) (uint64, bool) {
	digits, ok := strings.CutSuffix(name, suffix)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return n, err == nil
}

// segHeader returns the header of a segment starting at revision base.
func segHeader(base uint64) []byte {
	h := make([]byte, segHeaderSize)
	copy(h, segMagic)
	h[4] = formatVersion
	putUint64(h[8:], base)
	putUint32(h[16:], checksum(h[:16]))
	return h
}

// parseSegHeader checks a segment's header and returns its base revision.
func parseSegHeader(path string, data []byte) (uint64, error) {
	if len(data) < segHeaderSize {
		return 0, corruptf(path, 0, "the header is cut short (%d of %d bytes)", len(data), segHeaderSize)
	}
	if string(data[:4]) != segMagic {
		return 0, corruptf(path, 0, "not a journal segment")
	}
	if data[4] != formatVersion {
		return 0, versionError(path, data[4])
	}
	if checksum(data[:16]) != leUint32(data[16:]) {
		return 0, corruptf(path, 0, "header checksum mismatch")
	}
	return leUint64(data[8:]), nil
}

// frameStatus is what parseBatch found at an offset.
type frameStatus uint8

const (
	frameOK         frameStatus = iota
	frameIncomplete             // the header or the body runs past the end of the data
	frameBad                    // a checksum fails
)

// parseFrame checks the batch frame at the start of data and returns its
// body and its size in bytes.
func parseFrame(data []byte) (body []byte, size int, status frameStatus) {
	if len(data) < frameHeaderSize {
		return nil, 0, frameIncomplete
	}
	if checksum(data[:8]) != leUint32(data[8:]) {
		return nil, 0, frameBad
	}
	n := uint64(leUint32(data))
	if n > uint64(len(data)-frameHeaderSize) {
		return nil, 0, frameIncomplete
	}
	size = frameHeaderSize + int(n)
	body = data[frameHeaderSize:size]
	if checksum(body) != leUint32(data[4:]) {
		return nil, size, frameBad
	}
	return body, size, frameOK
}

// intactFrameIn reports whether an intact batch frame starts anywhere in data.
func intactFrameIn(data []byte) bool {
	for off := range data {
		if _, _, status := parseFrame(data[off:]); status == frameOK {
			return true
		}
	}
	return false
}

// parseBody reads a batch body: its first revision and its payloads
// (aliasing body). An intact frame whose body is malformed is an error.
func parseBody(body []byte) (first uint64, payloads [][]byte, err error) {
	if len(body) < 12 {
		return 0, nil, fmt.Errorf("a batch of %d bytes has no room for its header", len(body))
	}
	first = leUint64(body)
	count := leUint32(body[8:])
	rest := body[12:]
	if count == 0 || uint64(count) > uint64(len(rest)/entryHeaderSize) {
		return 0, nil, fmt.Errorf("a batch of %d bytes claims %d entries", len(body), count)
	}
	payloads = make([][]byte, 0, count)
	for range count {
		if len(rest) < entryHeaderSize {
			return 0, nil, fmt.Errorf("the batch ends inside an entry header")
		}
		m := uint64(leUint32(rest))
		if m > uint64(len(rest)-entryHeaderSize) {
			return 0, nil, fmt.Errorf("an entry of %d bytes runs past its batch", m)
		}
		payloads = append(payloads, rest[entryHeaderSize:entryHeaderSize+int(m)])
		rest = rest[entryHeaderSize+int(m):]
	}
	if len(rest) > 0 {
		return 0, nil, fmt.Errorf("%d bytes after the last entry of the batch", len(rest))
	}
	return first, payloads, nil
}

func corruptf(path string, off int64, format string, args ...any) error {
	return fmt.Errorf("%w: %s: byte %d: %s", ErrCorrupt, path, off, fmt.Sprintf(format, args...))
}

func versionError(path string, v byte) error {
	return fmt.Errorf("%w %d in %s (this build reads version %d)", ErrVersion, v, path, formatVersion)
}
