package record

import "github.com/pdp-authz/pdp/catalog"

// The records of SPEC §18 in the format: a table's columns, column grants
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
