package engine

import (
	"errors"
	"time"

	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

// TEMPORARY: signatures of the public API, implemented in their own files.

var errTODO = errors.New("not implemented")

// Engine is the policy decision point.
type Engine struct{}

// Option configures New.
type Option func(*config) error

type config struct{}

// Limits are the configurable limits of SPEC §10.
type Limits struct {
	UsersPerAccount     int
	RolesPerAccount     int
	DatabasesPerAccount int
	TablesPerAccount    int
	GrantsPerRole       int
	NamesPerStatement   int
	StatementBytes      int
}

func WithRootPassword(pw string) Option                        { return nil }
func WithRootHash(hash string) Option                          { return nil }
func WithHasher(h password.Hasher) Option                      { return nil }
func WithLockout(threshold int, duration time.Duration) Option { return nil }
func WithClock(now func() time.Time) Option                    { return nil }
func WithLimits(l Limits) Option                               { return nil }

func New(opts ...Option) (*Engine, error) { return nil, errTODO }

// Limits returns the engine's limits (the statement parser enforces StatementBytes and NamesPerStatement too).
func (e *Engine) Limits() Limits { return Limits{} }

// Connect logs in with a SPEC §7 login string "user", "account:user" or "account:user:role".
func (e *Engine) Connect(login, pw string) (*Session, error) { return nil, errTODO }

// Login logs in; role "" means the default role.
func (e *Engine) Login(account, user, pw, role string) (*Session, error) { return nil, errTODO }

func (e *Engine) Snapshot() *Snapshot { return nil }
func (e *Engine) Check(u model.UserID, r model.RoleID, sec Secondary, p model.Privilege, o model.Object) Decision {
	return Decision{}
}

// Load runs fn with a system-level loader: no authority checks, one commit.
func (e *Engine) Load(fn func(l *Loader) error) error { return errTODO }

type Loader struct{}

func (l *Loader) CreateAccount(name, adminName, adminPassword string) (model.AccountID, error) {
	return 0, errTODO
}
func (l *Loader) CreateUser(a model.AccountID, name, pw string) (model.UserID, error) {
	return 0, errTODO
}
func (l *Loader) CreateRole(a model.AccountID, name string) (model.RoleID, error) { return 0, errTODO }
func (l *Loader) CreateDatabase(a model.AccountID, name string) (model.DatabaseID, error) {
	return 0, errTODO
}
func (l *Loader) CreateTable(d model.DatabaseID, name string) (model.TableID, error) {
	return 0, errTODO
}

// GrantPrivilege grants p on the level to role; db/table 0 with any=true mean wildcards.
func (l *Loader) GrantPrivilege(role model.RoleID, p model.Privilege, on Level, opt GrantOption) error {
	return errTODO
}
func (l *Loader) GrantRole(role, to model.RoleID, opt GrantOption) error { return errTODO }
func (l *Loader) GrantRoleToUser(role model.RoleID, u model.UserID, opt GrantOption) error {
	return errTODO
}

// Level is a normalised grant level by IDs.
type Level struct {
	Kind     model.Level      // LevelAccount, LevelDatabase, LevelTable
	Database model.DatabaseID // 0: every database
	Table    model.TableID    // 0: every table (of Database, or of every database)
}

type Snapshot struct{}

func (s *Snapshot) Revision() uint64 { return 0 }
func (s *Snapshot) Check(u model.UserID, r model.RoleID, sec Secondary, p model.Privilege, o model.Object) Decision {
	return Decision{}
}
func (s *Snapshot) Account(name string) (model.AccountID, bool)                      { return 0, false }
func (s *Snapshot) User(a model.AccountID, name string) (model.UserID, bool)         { return 0, false }
func (s *Snapshot) Role(a model.AccountID, name string) (model.RoleID, bool)         { return 0, false }
func (s *Snapshot) Database(a model.AccountID, name string) (model.DatabaseID, bool) { return 0, false }
func (s *Snapshot) Table(d model.DatabaseID, name string) (model.TableID, bool)      { return 0, false }

type Session struct{}

// Principal is who a session acts as, by IDs.
type Principal struct {
	Account   model.AccountID
	User      model.UserID
	Role      model.RoleID
	Secondary Secondary
}

func (s *Session) Principal() Principal { return Principal{} }
func (s *Session) Account() string      { return "" }
func (s *Session) User() string         { return "" }
func (s *Session) Role() string         { return "" }
func (s *Session) Database() string     { return "" }

func (s *Session) CreateAccount(st CreateAccount) error       { return errTODO }
func (s *Session) DropAccount(st DropAccount) error           { return errTODO }
func (s *Session) AlterAccount(st AlterAccount) error         { return errTODO }
func (s *Session) CreateUser(st CreateUser) error             { return errTODO }
func (s *Session) DropUser(st DropUser) error                 { return errTODO }
func (s *Session) AlterUser(st AlterUser) error               { return errTODO }
func (s *Session) CreateRole(st CreateRole) error             { return errTODO }
func (s *Session) DropRole(st DropRole) error                 { return errTODO }
func (s *Session) GrantPrivilege(st GrantPrivilege) error     { return errTODO }
func (s *Session) RevokePrivilege(st RevokePrivilege) error   { return errTODO }
func (s *Session) GrantRole(st GrantRole) error               { return errTODO }
func (s *Session) RevokeRole(st RevokeRole) error             { return errTODO }
func (s *Session) GrantOwnership(st GrantOwnership) error     { return errTODO }
func (s *Session) CreateDatabase(st CreateDatabase) error     { return errTODO }
func (s *Session) DropDatabase(st DropDatabase) error         { return errTODO }
func (s *Session) UseDatabase(name string) error              { return errTODO }
func (s *Session) CreateTable(st CreateTable) error           { return errTODO }
func (s *Session) DropTable(st DropTable) error               { return errTODO }
func (s *Session) SetRole(name string) error                  { return errTODO }
func (s *Session) SetSecondaryRoles(m Secondary) error        { return errTODO }
func (s *Session) ShowGrants(st ShowGrants) ([]string, error) { return nil, errTODO }
func (s *Session) ShowRoles() ([]string, error)               { return nil, errTODO }
func (s *Session) ShowUsers() ([]string, error)               { return nil, errTODO }
func (s *Session) ShowAccounts() ([]string, error)            { return nil, errTODO }

// Decide answers a decision for the session, naming the object by name in its account.
func (s *Session) Decide(p model.Privilege, on Target) Decision { return Decision{} }

// Check answers a decision for the session on a resolved object.
func (s *Session) Check(p model.Privilege, on model.Object) Decision { return Decision{} }
