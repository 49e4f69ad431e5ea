package engine

import (
	"fmt"

	"github.com/pdp-authz/pdp/model"
)

// Statement arguments. Each statement of reference §12 has one struct; the
// statement parser fills it from text and calls the matching [Session]
// method. Names are passed raw, as written: the engine folds and validates
// them (reference §1) so that errors quote what the caller wrote.

// GrantOption says whether a grant carries WITH GRANT OPTION.
type GrantOption uint8

// The grant options.
const (
	PlainGrant GrantOption = iota
	GrantWithOption
)

// Secondary says whether a session uses its secondary roles (reference §7).
type Secondary uint8

// The secondary-role modes.
const (
	SecondaryNone Secondary = iota
	SecondaryAll
)

// Target names an object or a grant level by name, resolved in the
// session's account. It is the ON clause of GRANT, REVOKE, GRANT OWNERSHIP
// and of a decision asked by name.
//
//	ACCOUNT *             {Kind: KindAccount}
//	DATABASE * | *.*      {Kind: KindDatabase, AnyDatabase: true}
//	DATABASE d            {Kind: KindDatabase, Database: "d"}
//	TABLE *.*             {Kind: KindTable, AnyDatabase: true, AnyTable: true}
//	TABLE d.*             {Kind: KindTable, Database: "d", AnyTable: true}
//	TABLE *               {Kind: KindTable, AnyTable: true} (current database)
//	TABLE d.t             {Kind: KindTable, Database: "d", Name: "t"}
//	TABLE t               {Kind: KindTable, Name: "t"} (current database)
//	ROLE r | USER u       {Kind: KindRole | KindUser, Name: "r" | "u"}
//	ALIAS [d.]a           {Kind: KindAlias, Database: "d", Name: "a"} (GRANT OWNERSHIP only)
//	COLUMN [d.]t.c        {Kind: KindColumn, Database: "d", Name: "t", Column: "c"}
//
// Name patterns (reference §16) give the prefix without its `*`:
//
//	DATABASE p*           {Kind: KindDatabase, Database: "p", DatabasePattern: true}
//	TABLE p*.*            {Kind: KindTable, Database: "p", DatabasePattern: true, AnyTable: true}
//	TABLE d.q*            {Kind: KindTable, Database: "d", Name: "q", TablePattern: true}
//	TABLE q*              {Kind: KindTable, Name: "q", TablePattern: true} (current database)
type Target struct {
	Kind            model.Kind
	Database        string
	Name            string
	AnyDatabase     bool
	AnyTable        bool
	DatabasePattern bool   // Database is a prefix
	TablePattern    bool   // Name is a prefix
	Column          string // the column of a KindColumn object (reference §18)
}

// wildcard reports whether the target is a level naming no object: a
// wildcard or a name pattern.
func (t Target) wildcard() bool {
	return t.AnyDatabase || t.AnyTable || t.DatabasePattern || t.TablePattern
}

// CreateAccount is CREATE ACCOUNT.
type CreateAccount struct {
	IfNotExists   bool
	Name          string
	AdminName     string
	AdminPassword model.Secret
	Status        model.AccountStatus // StatusUnset means open
	Comment       string
}

// DropAccount is DROP ACCOUNT.
type DropAccount struct {
	IfExists bool
	Name     string
}

// AlterAccount is ALTER ACCOUNT; exactly one option must be given.
type AlterAccount struct {
	IfExists      bool
	Name          string
	SetAdmin      bool // ADMIN_NAME 'n' IDENTIFIED BY 'pw' was given
	AdminName     string
	AdminPassword model.Secret
	Status        model.AccountStatus // StatusUnset: not given
	SetComment    bool
	Comment       string
}

// UserCredential is one `u IDENTIFIED BY 'pw'` of CREATE USER.
type UserCredential struct {
	Name     string
	Password model.Secret
}

// CreateUser is CREATE USER.
type CreateUser struct {
	IfNotExists bool
	Users       []UserCredential
	DefaultRole string // "" when not given
	Comment     string
}

// DropUser is DROP USER.
type DropUser struct {
	IfExists bool
	Names    []string
}

// UserAction is what ALTER USER changes.
type UserAction uint8

// The ALTER USER actions.
const (
	UserSetPassword UserAction = iota + 1
	UserLock
	UserUnlock
	UserDefaultRole
)

// UserChange is one `u {IDENTIFIED BY 'pw' | LOCK | UNLOCK | DEFAULT ROLE r}`.
type UserChange struct {
	Name     string
	Action   UserAction
	Password model.Secret // UserSetPassword
	Role     string       // UserDefaultRole
}

// AlterUser is ALTER USER; only one user may be altered at a time.
type AlterUser struct {
	IfExists bool
	Users    []UserChange
}

// CreateRole is CREATE ROLE.
type CreateRole struct {
	IfNotExists bool
	Names       []string
}

// DropRole is DROP ROLE.
type DropRole struct {
	IfExists bool
	Names    []string
}

// GrantPrivilege is GRANT privileges ON level TO roles. Privileges are the
// names as written ("select", "CREATE TABLE", "all privileges",
// "ownership"); a list naming OWNERSHIP is a transfer (reference §6).
type GrantPrivilege struct {
	Privileges []string
	On         Target
	To         []string
	Option     GrantOption
	// Columns, when set, holds one list per privilege: the columns it is
	// granted on (reference §18), nil for a table-level privilege.
	Columns [][]string
}

// RevokePrivilege is REVOKE [GRANT OPTION FOR] privileges ON level FROM roles.
type RevokePrivilege struct {
	IfExists        bool
	GrantOptionOnly bool
	Privileges      []string
	On              Target
	From            []string
	Columns         [][]string // as in GrantPrivilege
}

// GrantRole is GRANT roles TO roles-or-users.
type GrantRole struct {
	Roles  []string
	To     []string
	Option GrantOption
}

// RevokeRole is REVOKE [GRANT OPTION FOR] roles FROM roles-or-users.
type RevokeRole struct {
	IfExists        bool
	GrantOptionOnly bool
	Roles           []string
	From            []string
}

// GrantOwnership is GRANT OWNERSHIP ON object TO role.
type GrantOwnership struct {
	On Target
	To string
}

// CreateDatabase is CREATE DATABASE.
type CreateDatabase struct {
	IfNotExists bool
	Name        string
}

// DropDatabase is DROP DATABASE.
type DropDatabase struct {
	IfExists bool
	Name     string
}

// CreateTable is CREATE TABLE; Database "" means the current database.
type CreateTable struct {
	IfNotExists bool
	Database    string
	Name        string
	Columns     []ColumnDef // the columns in table order; none for a table created without a list
}

// DropTable is DROP TABLE; Database "" means the current database.
type DropTable struct {
	IfExists bool
	Database string
	Name     string
}

// ShowFor says whose grants SHOW GRANTS lists.
type ShowFor uint8

// The SHOW GRANTS forms.
const (
	ShowSelf ShowFor = iota // SHOW GRANTS
	ShowAny                 // SHOW GRANTS FOR x: a role if one has that name, else a user
	ShowUser                // SHOW GRANTS FOR USER x
	ShowRole                // SHOW GRANTS FOR ROLE x
)

// ShowGrants is SHOW GRANTS [FOR [USER | ROLE] x].
type ShowGrants struct {
	For  ShowFor
	Name string
}

// The argument structs that carry a password print it as model.Redacted
// with every fmt verb, however deeply they are nested; see
// [model.FormatFields]. These shadow types print their fields.
type (
	createAccountFields  CreateAccount
	alterAccountFields   AlterAccount
	userCredentialFields UserCredential
	createUserFields     CreateUser
	userChangeFields     UserChange
	alterUserFields      AlterUser
)

// Format prints the statement with the password redacted.
func (st CreateAccount) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "engine.CreateAccount", createAccountFields(st))
}

// Format prints the statement with the password redacted.
func (st AlterAccount) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "engine.AlterAccount", alterAccountFields(st))
}

// Format prints the credential with the password redacted.
func (u UserCredential) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "engine.UserCredential", userCredentialFields(u))
}

// Format prints the statement with the passwords redacted.
func (st CreateUser) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "engine.CreateUser", createUserFields(st))
}

// Format prints the change with the password redacted.
func (c UserChange) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "engine.UserChange", userChangeFields(c))
}

// Format prints the statement with the password redacted.
func (st AlterUser) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "engine.AlterUser", alterUserFields(st))
}
