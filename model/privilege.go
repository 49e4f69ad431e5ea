package model

import "strings"

// Level is the object level a privilege belongs to (reference §3).
type Level uint8

// The privilege levels. LevelNone belongs to the pseudo-privileges ALL (whose
// level is the one it is granted at) and OWNERSHIP (the DAC owner relation).
const (
	LevelNone Level = iota
	LevelCluster
	LevelAccount
	LevelDatabase
	LevelTable
)

var levelNames = [...]string{"none", "cluster", "account", "database", "table"}

// String returns the object type name used in messages ("account", ...).
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "unknown"
}

// Privilege is one privilege of the catalog in [Privileges]. Its value is an
// index into that table and a bit position in a [PrivSet].
type Privilege uint8

// The privileges of reference §3, in the order of its table.
const (
	PrivCreateAccount Privilege = iota
	PrivDropAccount
	PrivAlterAccount

	PrivCreateUser
	PrivDropUser
	PrivAlterUser
	PrivCreateRole
	PrivDropRole
	PrivCreateDatabase
	PrivDropDatabase
	PrivShowDatabases
	PrivConnect
	PrivManageGrants
	PrivAccountAll

	PrivShowTables
	PrivCreateTable
	PrivDropTable
	PrivAlterTable
	PrivCreateView
	PrivDropView
	PrivAlterView
	PrivDatabaseAll

	PrivSelect
	PrivInsert
	PrivUpdate
	PrivDelete
	PrivTruncate
	PrivReference
	PrivIndex
	PrivTableAll

	// PrivAll is ALL [PRIVILEGES] as written, before it is bound to a level
	// with [Level.All]. It is never stored.
	PrivAll
	// PrivOwnership is the OWNERSHIP pseudo-privilege of GRANT OWNERSHIP. It
	// is never stored as a grant.
	PrivOwnership

	privCount
)

// PrivInfo describes one privilege: its name, level and the rules attached to it.
type PrivInfo struct {
	// Name is the lower-case name used in messages and parsing.
	Name string
	// Level is the object level the privilege belongs to.
	Level Level
	// Creation marks the creation privileges, which only the active role grants (reference §7).
	Creation bool
	// Restricted marks the privileges a restricted account still allows (reference §8).
	Restricted bool
	// All marks the ALL privilege of a level.
	All bool
}

// Privileges is the privilege catalog, indexed by [Privilege]. New privilege
// sets are new rows here.
var Privileges = [privCount]PrivInfo{
	PrivCreateAccount: {Name: "create account", Level: LevelCluster},
	PrivDropAccount:   {Name: "drop account", Level: LevelCluster},
	PrivAlterAccount:  {Name: "alter account", Level: LevelCluster},

	PrivCreateUser:     {Name: "create user", Level: LevelAccount, Creation: true},
	PrivDropUser:       {Name: "drop user", Level: LevelAccount},
	PrivAlterUser:      {Name: "alter user", Level: LevelAccount},
	PrivCreateRole:     {Name: "create role", Level: LevelAccount, Creation: true},
	PrivDropRole:       {Name: "drop role", Level: LevelAccount},
	PrivCreateDatabase: {Name: "create database", Level: LevelAccount, Creation: true},
	PrivDropDatabase:   {Name: "drop database", Level: LevelAccount},
	PrivShowDatabases:  {Name: "show databases", Level: LevelAccount, Restricted: true},
	PrivConnect:        {Name: "connect", Level: LevelAccount, Restricted: true},
	PrivManageGrants:   {Name: "manage grants", Level: LevelAccount},
	PrivAccountAll:     {Name: "all", Level: LevelAccount, All: true},

	PrivShowTables:  {Name: "show tables", Level: LevelDatabase, Restricted: true},
	PrivCreateTable: {Name: "create table", Level: LevelDatabase, Creation: true},
	PrivDropTable:   {Name: "drop table", Level: LevelDatabase},
	PrivAlterTable:  {Name: "alter table", Level: LevelDatabase},
	PrivCreateView:  {Name: "create view", Level: LevelDatabase, Creation: true},
	PrivDropView:    {Name: "drop view", Level: LevelDatabase},
	PrivAlterView:   {Name: "alter view", Level: LevelDatabase},
	PrivDatabaseAll: {Name: "all", Level: LevelDatabase, All: true},

	PrivSelect:    {Name: "select", Level: LevelTable, Restricted: true},
	PrivInsert:    {Name: "insert", Level: LevelTable},
	PrivUpdate:    {Name: "update", Level: LevelTable},
	PrivDelete:    {Name: "delete", Level: LevelTable, Restricted: true},
	PrivTruncate:  {Name: "truncate", Level: LevelTable},
	PrivReference: {Name: "reference", Level: LevelTable},
	PrivIndex:     {Name: "index", Level: LevelTable},
	PrivTableAll:  {Name: "all", Level: LevelTable, All: true},

	PrivAll:       {Name: "all", Level: LevelNone, All: true},
	PrivOwnership: {Name: "ownership", Level: LevelNone},
}

// Valid reports whether p is a privilege of the catalog.
func (p Privilege) Valid() bool { return p < privCount }

// Info returns the catalog row of p. p must be valid.
func (p Privilege) Info() *PrivInfo { return &Privileges[p] }

// Level returns the level p belongs to, or LevelNone for an invalid p.
func (p Privilege) Level() Level {
	if p >= privCount {
		return LevelNone
	}
	return Privileges[p].Level
}

// String returns the lower-case name used in messages.
func (p Privilege) String() string {
	if p >= privCount {
		return "unknown"
	}
	return Privileges[p].Name
}

// Upper returns the upper-case name SHOW GRANTS prints ("SELECT", "ALL").
func (p Privilege) Upper() string { return strings.ToUpper(p.String()) }

// Bit returns the singleton set {p}.
func (p Privilege) Bit() PrivSet { return PrivSet(1) << p }

// All returns the ALL privilege of level l, or PrivAll if l has none.
func (l Level) All() Privilege {
	switch l {
	case LevelAccount:
		return PrivAccountAll
	case LevelDatabase:
		return PrivDatabaseAll
	case LevelTable:
		return PrivTableAll
	}
	return PrivAll
}

// Satisfying returns the set of grants that meet a need for p: p itself and
// the ALL of p's level.
func (p Privilege) Satisfying() PrivSet {
	return p.Bit() | p.Level().All().Bit()
}

// ParsePrivilege maps a privilege name as written ("CREATE TABLE",
// "all privileges", "Select") to its privilege. The ALL forms map to
// [PrivAll] and OWNERSHIP to [PrivOwnership]. Whitespace between words is
// normalised; ok is false for an unknown name.
func ParsePrivilege(name string) (p Privilege, ok bool) {
	norm := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if norm == "all" || norm == "all privileges" {
		return PrivAll, true
	}
	for i := range Privileges {
		info := &Privileges[i]
		if info.Name == norm && !info.All {
			return Privilege(i), true
		}
	}
	return 0, false
}

// PrivSet is a set of privileges as a bit mask.
type PrivSet uint64

// Privs returns the set holding ps.
func Privs(ps ...Privilege) PrivSet {
	var s PrivSet
	for _, p := range ps {
		s |= p.Bit()
	}
	return s
}

// Has reports whether p is in s.
func (s PrivSet) Has(p Privilege) bool { return s&p.Bit() != 0 }
