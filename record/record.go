// Package record holds change records and their binary encoding.
//
// A [Record] is one committed change (reference §20): its revision, the clock
// time the commit used, the canonical statement text, and the physical
// operations that re-apply it deterministically: an ordered list of Puts
// and Deletes of full catalog records (the types of catalog/records.go).
// The bootstrap is record 0, an ordinary record of Puts.
//
// # Format, version 2
//
// All integers are little-endian; a uvarint is encoding/binary's unsigned
// varint in its shortest form, a varint its zig-zag signed form.
//
//	record  = magic:0xD0 version:0x02 length:u32 crc:u32 body
//	body    = revision:uvarint time:varint statement:string count:uvarint op*
//	op      = action:u8 kind:u8 field*
//	string  = length:uvarint byte*
//
// length is the length of body and crc its CRC-32C (Castagnoli). action is
// 1 for Put and 2 for Delete; kind is 1 account, 2 user, 3 role,
// 4 database, 5 table, 6 grant, 7 role edge, 8 user role, 9 privilege
// group, 10 group grant, 11 name pattern, 12 alias, 13 column grant,
// 14 denial, 16 ID counters (catalog.IDCounters; a kind added later
// keeps the bytes of the others, so a decoder reads what was written
// before it). The fields of each kind follow in the order of its field
// list in fields.go, milvus.go and columns.go: IDs and other 32-bit
// numbers are uvarints, small enumerations one byte, flags one byte (0 or
// 1), texts strings, a privilege group's members their bit set as a
// uvarint; a table's columns are their count (a uvarint) and then each
// column's ID, name and type.
//
// Version 2 gave tables their columns as a list (reference §18), where version 1
// kept the column definitions as one text, gave the ID counters the column
// counter, and added kinds 13 and 14. This build writes version 2 and
// reads both: a version 1 table's column text, which no decision ever
// read, is dropped, and its column counter is 0.
//
// Encoding is deterministic: one record always encodes to the same bytes,
// and a decoder accepts only bytes the encoder could have written.
package record

import (
	"errors"
	"fmt"
)

// Version is the format version this package writes; it reads it and
// every version from [OldestVersion].
const Version = 2

// OldestVersion is the oldest format version this package reads.
const OldestVersion = 1

// The decoding errors. Every error Decode returns wraps exactly one of them.
var (
	// ErrVersion: the record was written in a format version this build does not read.
	ErrVersion = errors.New("unknown record format version")
	// ErrTruncated: the input ends before the record does.
	ErrTruncated = errors.New("truncated record")
	// ErrCorrupt: the input is not a record this package could have written.
	ErrCorrupt = errors.New("corrupt record")
	// ErrInvalid: a record to encode holds something the format cannot express.
	ErrInvalid = errors.New("invalid record")
)

// Record is one committed change.
type Record struct {
	// Revision is the revision the commit produced; the bootstrap is 0.
	Revision uint64
	// UnixNano is the clock time the commit used, in Unix nanoseconds.
	UnixNano int64
	// Statement is the canonical statement text (names folded, passwords
	// only as hashes). The encoding treats it as opaque text.
	Statement string
	// Ops are the catalog writes that re-apply the change, in order.
	Ops []Op
}

// Action is what an [Op] does with its catalog record.
type Action uint8

// The actions; their values are part of the format.
const (
	// ActionPut inserts or replaces the record.
	ActionPut Action = 1
	// ActionDelete removes the record.
	ActionDelete Action = 2
)

// String returns "put" or "delete".
func (a Action) String() string {
	switch a {
	case ActionPut:
		return "put"
	case ActionDelete:
		return "delete"
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Op is one catalog write: an action and a pointer to a full catalog record
// (*catalog.Account, *catalog.User, *catalog.Role, *catalog.Database,
// *catalog.Table, *catalog.Grant, *catalog.RoleEdge, *catalog.UserRole,
// *catalog.PrivilegeGroup, *catalog.GroupGrant, *catalog.Pattern,
// *catalog.Alias, *catalog.ColumnGrant or *catalog.Denial) or to the ID
// counters (*catalog.IDCounters).
type Op struct {
	Action Action
	Rec    any
}

// Put returns the operation that inserts or replaces rec.
func Put(rec any) Op { return Op{ActionPut, rec} }

// Delete returns the operation that removes rec.
func Delete(rec any) Op { return Op{ActionDelete, rec} }
