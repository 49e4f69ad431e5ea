package model

// AccountID identifies an account for the life of the engine; it is never reused.
type AccountID uint32

// UserID identifies a user for the life of the engine; it is never reused.
type UserID uint32

// RoleID identifies a role for the life of the engine; it is never reused.
type RoleID uint32

// DatabaseID identifies a database for the life of the engine; it is never reused.
type DatabaseID uint32

// TableID identifies a table for the life of the engine; it is never reused.
type TableID uint32

// GroupID identifies a privilege group (reference §15). The predefined groups
// read_only and read_write of every account share the IDs [GroupReadOnly]
// and [GroupReadWrite]; custom groups get IDs that are never reused.
type GroupID uint32

// AliasID identifies a table alias (reference §17) for the life of the engine;
// it is never reused.
type AliasID uint32

// ColumnID identifies a column of a table for the life of the engine; it is
// never reused, and it names its table too (reference §18).
type ColumnID uint32

// Kind is the kind of an object a decision is asked about.
type Kind uint8

// The object kinds. KindNone is the zero value and names nothing.
const (
	KindNone Kind = iota
	KindAccount
	KindDatabase
	KindTable
	KindRole
	KindUser
	// KindAlias names a table alias (reference §17). It appears only as the
	// object of GRANT OWNERSHIP: a decision is always about the table an
	// alias points at, never about the alias.
	KindAlias
	// KindColumn names a column of a table (reference §18); its privileges
	// are the column privileges of the table level.
	KindColumn
)

var kindNames = [...]string{"none", "account", "database", "table", "role", "user", "alias", "column"}

// String returns the lower-case name of the kind, as used in messages.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Level returns the privilege level of objects of kind k: account,
// database or table; LevelNone for roles and users, whose privileges are
// account privileges asked about them.
func (k Kind) Level() Level {
	switch k {
	case KindAccount:
		return LevelAccount
	case KindDatabase:
		return LevelDatabase
	case KindTable, KindColumn:
		return LevelTable
	}
	return LevelNone
}

// Object is a concrete object reference: a kind and the ID of an object of
// that kind. It is a small value, compared with ==, and never allocates.
type Object struct {
	Kind Kind
	ID   uint32
}

// AccountObject returns the reference to account a.
func AccountObject(a AccountID) Object { return Object{KindAccount, uint32(a)} }

// DatabaseObject returns the reference to database d.
func DatabaseObject(d DatabaseID) Object { return Object{KindDatabase, uint32(d)} }

// TableObject returns the reference to table t.
func TableObject(t TableID) Object { return Object{KindTable, uint32(t)} }

// RoleObject returns the reference to role r.
func RoleObject(r RoleID) Object { return Object{KindRole, uint32(r)} }

// UserObject returns the reference to user u.
func UserObject(u UserID) Object { return Object{KindUser, uint32(u)} }

// ColumnObject returns the reference to column c (of its table).
func ColumnObject(c ColumnID) Object { return Object{KindColumn, uint32(c)} }

// AccountStatus is the lifecycle state of an account (reference §10).
type AccountStatus uint8

// The account states. StatusUnset is the zero value, used by statements to
// mean "not given".
const (
	StatusUnset AccountStatus = iota
	StatusOpen
	StatusSuspended
	StatusRestricted
)

var statusNames = [...]string{"", "open", "suspended", "restricted"}

// String returns the lower-case name SHOW ACCOUNTS prints.
func (s AccountStatus) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}
