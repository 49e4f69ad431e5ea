package dcl

import (
	"fmt"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Statement is one parsed statement: a pointer to one of the statement types
// of this package. The set is closed; [Exec] runs any of them.
type Statement interface {
	statement()
}

// The statements of reference §12. Most are the engine's argument structs under a
// name of this package; convert with e.g. engine.CreateRole(*st).
type (
	// CreateAccount is CREATE ACCOUNT.
	CreateAccount engine.CreateAccount
	// DropAccount is DROP ACCOUNT.
	DropAccount engine.DropAccount
	// AlterAccount is ALTER ACCOUNT.
	AlterAccount engine.AlterAccount
	// CreateUser is CREATE USER.
	CreateUser engine.CreateUser
	// DropUser is DROP USER.
	DropUser engine.DropUser
	// AlterUser is ALTER USER.
	AlterUser engine.AlterUser
	// CreateRole is CREATE ROLE.
	CreateRole engine.CreateRole
	// DropRole is DROP ROLE.
	DropRole engine.DropRole
	// GrantPrivilege is GRANT privileges ON level TO roles, and also GRANT
	// OWNERSHIP ON object TO role (Privileges ["OWNERSHIP"]; ON ROLE and ON
	// USER give a Target of kind KindRole and KindUser).
	GrantPrivilege engine.GrantPrivilege
	// RevokePrivilege is REVOKE [GRANT OPTION FOR] privileges ON level FROM roles.
	RevokePrivilege engine.RevokePrivilege
	// GrantRole is GRANT roles TO roles-or-users.
	GrantRole engine.GrantRole
	// RevokeRole is REVOKE [GRANT OPTION FOR] roles FROM roles-or-users.
	RevokeRole engine.RevokeRole
	// CreateDatabase is CREATE DATABASE.
	CreateDatabase engine.CreateDatabase
	// DropDatabase is DROP DATABASE.
	DropDatabase engine.DropDatabase
	// CreateTable is CREATE TABLE; Columns holds the text between the
	// outer parentheses, trimmed.
	CreateTable engine.CreateTable
	// DropTable is DROP TABLE.
	DropTable engine.DropTable
	// ShowGrants is SHOW GRANTS [FOR [USER | ROLE] x].
	ShowGrants engine.ShowGrants
)

// Use is USE d.
type Use struct {
	Database string
}

// SetRole is SET ROLE r.
type SetRole struct {
	Role string
}

// SetSecondaryRole is SET SECONDARY ROLE {ALL | NONE}.
type SetSecondaryRole struct {
	Mode engine.Secondary
}

// ShowRoles is SHOW ROLES.
type ShowRoles struct{}

// ShowUsers is SHOW USERS.
type ShowUsers struct{}

// ShowAccounts is SHOW ACCOUNTS.
type ShowAccounts struct{}

// Connect is CONNECT login IDENTIFIED BY 'pw', the scenario files' way of
// logging a connection in. Login is the reference §7 login string as written
// ("user", "account:user" or "account:user:role"); the engine splits and
// checks it. Only a [Conn] runs it: it replaces the connection's session.
type Connect struct {
	Login    string
	Password model.Secret
}

func (*CreateAccount) statement()    {}
func (*DropAccount) statement()      {}
func (*AlterAccount) statement()     {}
func (*CreateUser) statement()       {}
func (*DropUser) statement()         {}
func (*AlterUser) statement()        {}
func (*CreateRole) statement()       {}
func (*DropRole) statement()         {}
func (*GrantPrivilege) statement()   {}
func (*RevokePrivilege) statement()  {}
func (*GrantRole) statement()        {}
func (*RevokeRole) statement()       {}
func (*CreateDatabase) statement()   {}
func (*DropDatabase) statement()     {}
func (*CreateTable) statement()      {}
func (*DropTable) statement()        {}
func (*ShowGrants) statement()       {}
func (*Use) statement()              {}
func (*SetRole) statement()          {}
func (*SetSecondaryRole) statement() {}
func (*ShowRoles) statement()        {}
func (*ShowUsers) statement()        {}
func (*ShowAccounts) statement()     {}
func (*Connect) statement()          {}

// The statements that carry a password print it as model.Redacted with
// every fmt verb, however deeply they are nested; see [model.FormatFields].

// Format prints the statement with the password redacted.
func (st CreateAccount) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "dcl.CreateAccount", engine.CreateAccount(st))
}

// Format prints the statement with the password redacted.
func (st AlterAccount) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "dcl.AlterAccount", engine.AlterAccount(st))
}

// Format prints the statement with the passwords redacted.
func (st CreateUser) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "dcl.CreateUser", engine.CreateUser(st))
}

// Format prints the statement with the password redacted.
func (st AlterUser) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "dcl.AlterUser", engine.AlterUser(st))
}

// connectFields prints the fields of a [Connect].
type connectFields Connect

// Format prints the statement with the password redacted.
func (st Connect) Format(f fmt.State, verb rune) {
	model.FormatFields(f, verb, "dcl.Connect", connectFields(st))
}
