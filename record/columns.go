package record

import "github.com/pdp-authz/pdp/catalog"

// The records of reference §18 in the format: a table's columns, column grants
// and denials.

// minColumnSize is the fewest bytes a column takes (its ID and two empty
// texts); it bounds the count a body can claim.
const minColumnSize = 3

func columnFields(c coder, r *catalog.Column) {
	u32(c, &r.ID)
	str(c, &r.Name)
	str(c, &r.Type)
}

// columnList codes a table's columns as their count and then each
// column's fields. No columns decode as nil.
func columnList(c coder, p *[]catalog.Column) {
	switch c := c.(type) {
	case *writer:
		c.uvarint(uint64(len(*p)))
		for i := range *p {
			columnFields(c, &(*p)[i])
		}
	case *reader:
		n := c.uvarint(uint64(c.left() / minColumnSize))
		if n == 0 || c.err != nil {
			*p = nil
			return
		}
		*p = make([]catalog.Column, n)
		for i := range *p {
			columnFields(c, &(*p)[i])
		}
	}
}

func columnGrantFields(c coder, r *catalog.ColumnGrant) {
	u32(c, &r.Role)
	u32(c, &r.Account)
	u32(c, &r.Table)
	u32(c, &r.Column)
	u8(c, &r.Priv)
	flag(c, &r.Option)
	u32(c, &r.GrantorRole)
	u32(c, &r.GrantorUser)
}

func denialFields(c coder, r *catalog.Denial) {
	u32(c, &r.Role)
	u32(c, &r.Account)
	u8(c, &r.Scope)
	u32(c, &r.Object)
	u32(c, &r.Table)
	u8(c, &r.Priv)
	u32(c, &r.GrantorRole)
	u32(c, &r.GrantorUser)
}

// readable reports whether this build reads format version v.
func readable(v byte) bool { return v >= OldestVersion && v <= Version }

// oldFormat reports whether c decodes a version 1 record, whose tables
// kept their column definitions as one text and whose ID counters had no
// column counter.
func oldFormat(c coder) bool {
	r, ok := c.(*reader)
	return ok && r.version == 1
}

// tableColumns codes a table's columns: as a list, or in a version 1
// record as the text of the column definitions, which is read and
// dropped (no decision ever read it).
func tableColumns(c coder, p *[]catalog.Column) {
	if oldFormat(c) {
		var text string
		str(c, &text)
		*p = nil
		return
	}
	columnList(c, p)
}
