package model

// ColumnPrivs are the privileges that may name columns (reference §18, §21):
// SELECT, INSERT, UPDATE and REFERENCE. A decision on a column for any
// other privilege is "wrong level".
const ColumnPrivs = PrivSet(1)<<PrivSelect | PrivSet(1)<<PrivInsert | PrivSet(1)<<PrivUpdate |
	PrivSet(1)<<PrivReference

// OnColumns reports whether p may be granted or denied on columns.
func (p Privilege) OnColumns() bool { return p < privCount && ColumnPrivs.Has(p) }

// DefaultColumnsPerTable is the default limit of columns per table (reference §18).
const DefaultColumnsPerTable = 4096

// LevelPrivs returns every privilege of level l, its ALL included.
func LevelPrivs(l Level) PrivSet {
	var s PrivSet
	for i := range Privileges {
		if Privileges[i].Level == l {
			s |= Privilege(i).Bit()
		}
	}
	return s
}

// PrivCount is the number of privileges: every Privilege below it is
// valid, so tables indexed by privilege may have this length.
const PrivCount = privCount
