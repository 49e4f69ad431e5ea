package model

// The predefined privilege groups of every account (reference §15).
const (
	ReadOnly  = "read_only"
	ReadWrite = "read_write"
)

// The IDs of the predefined privilege groups, shared by every account;
// custom groups get IDs above them.
const (
	GroupReadOnly  GroupID = 1
	GroupReadWrite GroupID = 2
)

// ReadOnlyPrivs and ReadWritePrivs are the members of the predefined
// groups: read_only is SHOW DATABASES, SHOW TABLES and SELECT; read_write
// adds INSERT, UPDATE, DELETE and TRUNCATE.
var (
	ReadOnlyPrivs  = Privs(PrivShowDatabases, PrivShowTables, PrivSelect)
	ReadWritePrivs = ReadOnlyPrivs | Privs(PrivInsert, PrivUpdate, PrivDelete, PrivTruncate)
)

// IsPredefinedGroup reports whether a folded name is the name of a
// predefined privilege group, which no custom group may take.
func IsPredefinedGroup(name string) bool { return name == ReadOnly || name == ReadWrite }

// Groupable reports whether p may be a member of a privilege group: a
// privilege of the account, database or table level other than ALL.
func (p Privilege) Groupable() bool {
	if !p.Valid() {
		return false
	}
	info := p.Info()
	return !info.All && (info.Level == LevelAccount || info.Level == LevelDatabase || info.Level == LevelTable)
}

// AtLevel returns the members of s that belong to level l.
func (s PrivSet) AtLevel(l Level) PrivSet {
	var out PrivSet
	for i := range Privileges {
		if p := Privilege(i); s.Has(p) && Privileges[i].Level == l {
			out |= p.Bit()
		}
	}
	return out
}

// Each calls fn for every privilege of s in the order of reference §3.
func (s PrivSet) Each(fn func(Privilege)) {
	for i := range Privileges {
		if p := Privilege(i); s.Has(p) {
			fn(p)
		}
	}
}
