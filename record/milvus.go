package record

import (
	"math"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// The field lists of the records of reference §15–§17: privilege groups, group
// grants, name pattern levels and aliases (kind codes 9 to 12).

// privs codes a privilege set as a uvarint.
func privs(c coder, p *model.PrivSet) {
	switch c := c.(type) {
	case *writer:
		c.uvarint(uint64(*p))
	case *reader:
		*p = model.PrivSet(c.uvarint(math.MaxUint64))
	}
}

func groupFields(c coder, r *catalog.PrivilegeGroup) {
	u32(c, &r.ID)
	u32(c, &r.Account)
	str(c, &r.Name)
	u32(c, &r.Slot)
	privs(c, &r.Privs)
}

func groupGrantFields(c coder, r *catalog.GroupGrant) {
	u32(c, &r.Role)
	u32(c, &r.Account)
	u8(c, &r.Scope)
	u32(c, &r.Object)
	u32(c, &r.Group)
	flag(c, &r.Option)
	u32(c, &r.GrantorRole)
	u32(c, &r.GrantorUser)
}

func patternFields(c coder, r *catalog.Pattern) {
	u32(c, &r.ID)
	u32(c, &r.Account)
	u8(c, &r.Scope)
	u32(c, &r.Database)
	str(c, &r.Prefix)
}

func aliasFields(c coder, r *catalog.Alias) {
	u32(c, &r.ID)
	u32(c, &r.Account)
	u32(c, &r.Database)
	str(c, &r.Name)
	u32(c, &r.Table)
	u32(c, &r.Owner)
}
