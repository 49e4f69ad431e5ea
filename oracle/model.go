package oracle

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/pdp-authz/pdp/model"
)

// Model is the reference model: a [State], the revision counter and the
// login configuration. It is not safe for concurrent use.
type Model struct {
	State     *State
	Rev       uint64 // the revision, as the engine counts it: commits after the bootstrap
	Threshold int    // wrong passwords in a row that lock a user
	LockFor   time.Duration
	Now       func() time.Time
	Delays    int // failed logins of root answered after the delay
}

// New returns a model holding the account sys with moadmin, public and
// root (reference §2): the bootstrap, revision 0.
func New(rootPassword string, threshold int, lockFor time.Duration, now func() time.Time) *Model {
	m := &Model{
		State: &State{Accounts: map[ID]*Account{}, Users: map[ID]*User{}, Roles: map[ID]*Role{}, DBs: map[ID]*Database{}, Tables: map[ID]*Table{},
			Groups: map[ID]*Group{}, Aliases: map[ID]*Alias{},
			logins: map[ID]failure{}, unknown: map[[2]string]failure{}},
		Threshold: threshold, LockFor: lockFor, Now: now,
	}
	m.State.createAccount(model.SysAccount, model.RootUser, rootPassword, model.MoAdmin)
	m.Rev = 0 // the bootstrap is revision 0
	return m
}

// createAccount makes an account with its admin role, public and admin user.
func (s *State) createAccount(name, admin, pw, adminRole string) *Account {
	acc := &Account{ID: s.newID(), Name: name, Status: model.StatusOpen}
	ar := &Role{ID: s.newID(), Account: acc.ID, Name: adminRole}
	ar.Owner = ar.ID
	pub := &Role{ID: s.newID(), Account: acc.ID, Name: model.Public, Owner: ar.ID}
	u := &User{ID: s.newID(), Account: acc.ID, Name: admin, Password: pw, Default: ar.ID, Owner: ar.ID}
	acc.Admin, acc.Public, acc.AdminUser = ar.ID, pub.ID, u.ID
	s.Accounts[acc.ID], s.Roles[ar.ID], s.Roles[pub.ID], s.Users[u.ID] = acc, ar, pub, u
	s.UserRoles = append(s.UserRoles, UserRole{User: u.ID, Role: ar.ID}, UserRole{User: u.ID, Role: pub.ID})
	s.Grants = append(s.Grants, Grant{Role: pub.ID, Priv: model.PrivConnect, Level: Level{Scope: ScopeAccount, Obj: acc.ID}})
	delete(s.unknown, [2]string{name, admin})
	return acc
}

// Session is a logged-in user: account, user and active role by ID, the
// secondary flag and the current database (by ID, with the name it had).
type Session struct {
	m         *Model
	Account   ID
	User      ID
	Role      ID
	Secondary bool
	DB        ID
	DBName    string
}

// Closed reports whether the session's account, user or active role is gone.
func (se *Session) Closed() bool {
	s := se.m.State
	return s.Accounts[se.Account] == nil || s.Users[se.User] == nil || s.Roles[se.Role] == nil
}

// begin re-validates the session for one statement (reference §7). Every
// statement calls it first, once parsed, before its stage-2 checks; exec
// and read call it again, which changes nothing.
func (se *Session) begin() error {
	s := se.m.State
	switch {
	case se.Closed():
		return model.Errorf(model.ErrSessionClosed, "the session is closed")
	case s.Users[se.User].Locked:
		return model.Errorf(model.ErrLocked, "user is locked, please ask the administrator to unlock")
	case s.Accounts[se.Account].Status == model.StatusSuspended:
		return model.Errorf(model.ErrSuspended, "account suspended")
	}
	return nil
}

// actor is the session's authority, judged on the state a statement starts
// from.
type actor struct {
	base    *State
	acc     *Account
	S       set // S of reference §8: the active role's closure, with secondaries if on
	primary set // the active role's closure alone
	se      *Session
}

func (se *Session) actor() *actor {
	s := se.m.State
	ac := &actor{base: s, acc: s.Accounts[se.Account], S: set{}, primary: set{}, se: se}
	if s.userRole(se.User, se.Role) >= 0 {
		ac.primary = s.Closure(se.Role)
		ac.S = ac.primary
		if se.Secondary {
			ac.S = s.roles(se.User, se.Role, true, model.PrivSelect)
		}
	}
	return ac
}

func (ac *actor) admin() bool { return ac.S[ac.acc.Admin] }

func (ac *actor) moadmin() bool {
	return ac.acc.Name == model.SysAccount && ac.se.Role == ac.acc.Admin && ac.primary[ac.acc.Admin]
}

func (ac *actor) accountPriv(p model.Privilege) bool {
	if isCreation(p) {
		return ac.base.accountGrant(ac.acc, ac.primary, p)
	}
	return ac.base.accountGrant(ac.acc, ac.S, p)
}

func (ac *actor) manageGrants() bool { return ac.accountPriv(model.PrivManageGrants) }

func (ac *actor) restricted() error {
	if ac.acc.Status == model.StatusRestricted {
		return model.Errorf(model.ErrRestricted, "do not have enough storage to execute the statement")
	}
	return nil
}

var errDenied = model.Errorf(model.ErrDenied, "do not have privilege to execute the statement")

// exec runs a statement that may change state: on success the copy it
// worked on becomes the state and the revision grows by one.
func (se *Session) exec(fn func(s *State, ac *actor) error) error {
	if err := se.begin(); err != nil {
		return err
	}
	ac := se.actor()
	work := se.m.State.clone()
	if err := fn(work, ac); err != nil {
		return err
	}
	se.m.State = work
	se.m.Rev++
	return nil
}

// read runs a statement that changes no shared state.
func (se *Session) read(fn func(s *State, ac *actor) error) error {
	if err := se.begin(); err != nil {
		return err
	}
	return fn(se.m.State, se.actor())
}

// skippable marks the stage-4 errors IF [NOT] EXISTS skips.
type skippable struct{ error }

func (e skippable) Unwrap() error { return e.error }

func skip(flag bool, err error) bool {
	_, ok := err.(skippable)
	return flag && ok
}

func missing(format string, args ...any) error {
	return skippable{model.Errorf(model.ErrNotFound, format, args...)}
}

func exists(format string, args ...any) error {
	return skippable{model.Errorf(model.ErrExists, format, args...)}
}

// Name kinds for fold.
const (
	nameAccount = iota
	nameUser
	nameRole
	nameDatabase
	nameTable
	nameGroup
)

// fold applies the name rules of reference §1.
func fold(kind int, raw string) (string, error) {
	n := norm.NFC.String(strings.ToLower(strings.TrimSpace(raw)))
	bad := n == "" || utf8.RuneCountInString(n) > 64
	for _, r := range n {
		switch {
		case kind == nameAccount:
			bad = bad || !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
		case strings.ContainsRune("*`'\"", r), unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			bad = true
		case (kind == nameUser || kind == nameRole) && (r == ':' || r == '#'):
			bad = true
		case (kind == nameDatabase || kind == nameTable) && r == '.':
			bad = true
		}
	}
	if bad {
		return "", model.Errorf(model.ErrInvalidName, "the name %q is invalid", raw)
	}
	return n, nil
}

func foldAll(kind int, raw []string) ([]string, error) {
	out := make([]string, len(raw))
	for i, r := range raw {
		n, err := fold(kind, r)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func isPredefined(name string) bool {
	return name == model.MoAdmin || name == model.AccountAdmin || name == model.Public
}

func checkPassword(pw string) error {
	switch {
	case pw == "":
		return model.Errorf(model.ErrPassword, "password is empty string")
	case len(pw) > 128:
		return model.Errorf(model.ErrPassword, "password is too long")
	}
	return nil
}
