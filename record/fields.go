package record

import "github.com/pdp-authz/pdp/catalog"

// The field lists of the catalog records, in wire order. One function per
// record type serves both the encoder and the decoder, so adding a field
// to a catalog type is one line here (and a new format version, see
// [Version]: the golden test fails until then).
//
// catalog.User's login bookkeeping (failed logins, automatic locks) is
// volatile and never recorded.

func accountFields(c coder, r *catalog.Account) {
	u32(c, &r.ID)
	str(c, &r.Name)
	u8(c, &r.Status)
	str(c, &r.Comment)
	u32(c, &r.AdminRole)
	u32(c, &r.PublicRole)
	u32(c, &r.AdminUser)
	u32(c, &r.NextSlot)
}

func userFields(c coder, r *catalog.User) {
	u32(c, &r.ID)
	u32(c, &r.Account)
	str(c, &r.Name)
	str(c, &r.Hash)
	str(c, &r.Comment)
	u32(c, &r.DefaultRole)
	u32(c, &r.Owner)
	flag(c, &r.Locked)
}

func roleFields(c coder, r *catalog.Role) {
	u32(c, &r.ID)
	u32(c, &r.Account)
	str(c, &r.Name)
	u32(c, &r.Slot)
	u32(c, &r.Owner)
}

func databaseFields(c coder, r *catalog.Database) {
	u32(c, &r.ID)
	u32(c, &r.Account)
	str(c, &r.Name)
	u32(c, &r.Owner)
}

func tableFields(c coder, r *catalog.Table) {
	u32(c, &r.ID)
	u32(c, &r.Account)
	u32(c, &r.Database)
	str(c, &r.Name)
	tableColumns(c, &r.Columns)
	u32(c, &r.Owner)
}

func grantFields(c coder, r *catalog.Grant) {
	u32(c, &r.Role)
	u32(c, &r.Account)
	u8(c, &r.Scope)
	u32(c, &r.Object)
	u8(c, &r.Priv)
	flag(c, &r.Option)
	u32(c, &r.GrantorRole)
	u32(c, &r.GrantorUser)
}

func roleEdgeFields(c coder, r *catalog.RoleEdge) {
	u32(c, &r.Role)
	u32(c, &r.Grantee)
	u32(c, &r.Account)
	flag(c, &r.Option)
	u32(c, &r.GrantorRole)
	u32(c, &r.GrantorUser)
}

func userRoleFields(c coder, r *catalog.UserRole) {
	u32(c, &r.Role)
	u32(c, &r.User)
	u32(c, &r.Account)
	flag(c, &r.Option)
	u32(c, &r.GrantorRole)
	u32(c, &r.GrantorUser)
}

// idCounterFields are the catalog's ID counters, which a change record carries
// when its transaction handed out IDs and a snapshot always carries.
func idCounterFields(c coder, r *catalog.IDCounters) {
	u32(c, &r.Account)
	u32(c, &r.User)
	u32(c, &r.Role)
	u32(c, &r.Database)
	u32(c, &r.Table)
	u32(c, &r.Group)
	u32(c, &r.Alias)
	u32(c, &r.Pattern)
	if !oldFormat(c) {
		u32(c, &r.Column)
	}
}

// kinds maps each kind code of the format to its record type. The codes
// are part of the format; 0 is never used.
var kinds = [...]kind{
	1: kindOf("account", accountFields),
	2: kindOf("user", userFields),
	3: kindOf("role", roleFields),
	4: kindOf("database", databaseFields),
	5: kindOf("table", tableFields),
	6: kindOf("grant", grantFields),
	7: kindOf("role edge", roleEdgeFields),
	8: kindOf("user role", userRoleFields),
	// reference §15–§17 (milvus.go).
	9:  kindOf("privilege group", groupFields),
	10: kindOf("group grant", groupGrantFields),
	11: kindOf("pattern", patternFields),
	12: kindOf("alias", aliasFields),

	13: kindOf("column grant", columnGrantFields),
	14: kindOf("denial", denialFields),

	16: kindOf("ID counters", idCounterFields),
}
