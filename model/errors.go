package model

import (
	"errors"
	"fmt"
)

// The sentinel errors. Every error the engine returns wraps exactly one of
// them, so callers match with errors.Is; the message itself is the reference's wording.
var (
	// ErrDenied: the caller lacks the authority for the statement.
	ErrDenied = errors.New("do not have privilege to execute the statement")
	// ErrNotFound: a named account, user, role, database or table does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists: the name is taken.
	ErrExists = errors.New("already exists")
	// ErrCycle: a role grant would close a cycle in the role graph.
	ErrCycle = errors.New("role grant cycle")
	// ErrInvalidName: a name breaks the rules of reference §1.
	ErrInvalidName = errors.New("invalid name")
	// ErrPredefined: a rule protecting the predefined roles, the admin user or sys.
	ErrPredefined = errors.New("predefined object")
	// ErrNotGranted: a role is not granted to the user.
	ErrNotGranted = errors.New("role not granted")
	// ErrSuspended: the account is suspended.
	ErrSuspended = errors.New("account suspended")
	// ErrRestricted: the account is restricted and the statement is not allowed there.
	ErrRestricted = errors.New("account restricted")
	// ErrLocked: the user is locked.
	ErrLocked = errors.New("user locked")
	// ErrCannotLock: the user may not be locked (the admin user of sys, or the caller itself).
	ErrCannotLock = errors.New("user can not be locked")
	// ErrAuth: a login failed (unknown name or wrong password, never told apart).
	ErrAuth = errors.New("invalid username or password")
	// ErrPassword: a password breaks the password policy.
	ErrPassword = errors.New("invalid password")
	// ErrInvalidOption: a statement's options are malformed (counts, forms).
	ErrInvalidOption = errors.New("invalid option")
	// ErrInvalidPrivilege: an unknown privilege, or one used at the wrong level.
	ErrInvalidPrivilege = errors.New("invalid privilege")
	// ErrNoDatabase: an unqualified name with no current database.
	ErrNoDatabase = errors.New("no database selected")
	// ErrSessionClosed: the session's account, user or active role was dropped.
	ErrSessionClosed = errors.New("the session is closed")
	// ErrNotConnected: the connection never logged in.
	ErrNotConnected = errors.New("not connected")
	// ErrLimit: a configured limit would be exceeded.
	ErrLimit = errors.New("limit exceeded")
	// ErrInUse: the object is still referred to (a privilege group still
	// granted, a table that has aliases) and can not be dropped.
	ErrInUse = errors.New("object in use")
	// ErrSyntax: a statement could not be parsed.
	ErrSyntax = errors.New("syntax error")
	// ErrStorage: the engine's storage (its journal) failed or is closed;
	// the engine accepts no more changes.
	ErrStorage = errors.New("storage failure")
	// ErrReplay: a change record or a snapshot can not be applied: a gap
	// in the revisions, a future format version, damage, or a password
	// hash the engine's hasher refuses.
	ErrReplay = errors.New("can not apply the state")
	// ErrResync: a change feed fell too far behind the engine, which no
	// longer holds the records it needs; resync from a snapshot.
	ErrResync = errors.New("the change feed must resync from a snapshot")
	// ErrUnavailable: the shared log of a replica (reference §20) could not
	// be reached or kept moving; the statement changed nothing unless its
	// message says the outcome is unknown. Worth retrying.
	ErrUnavailable = errors.New("the shared log is unavailable")
	// ErrStale: the replica could not apply the shared log, or lags too far
	// behind it, and refuses decisions, logins and statements until it
	// resyncs (reference §20).
	ErrStale = errors.New("replica stale")
)

// Error is an error with the exact wording of the reference that wraps a sentinel.
type Error struct {
	// Kind is the sentinel the error wraps.
	Kind error
	// Msg is the message, in the reference's wording.
	Msg string
}

// Error returns the message.
func (e *Error) Error() string { return e.Msg }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an [Error] of the given kind whose message is formatted
// from format and args.
func Errorf(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}
