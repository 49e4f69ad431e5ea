package engine

import (
	"sync"

	"github.com/pdp-authz/pdp/model"
)

// Session is a logged-in user acting through one active role, optionally
// with its secondary roles, and a current database. It refers to its
// account, user, role and database by ID. A Session serialises its own
// statements, so it may be shared, but statements of one session are
// usually issued by one goroutine. Methods on a nil *Session fail with
// "not connected" (deny, for decisions).
type Session struct {
	e  *Engine
	mu sync.Mutex

	account     model.AccountID
	accountName string
	user        model.UserID
	userName    string
	role        model.RoleID
	roleName    string
	secondary   Secondary
	db          model.DatabaseID
	dbName      string
	closed      bool
}

// Principal is who a session acts as, by IDs: the arguments of
// [Engine.Check].
type Principal struct {
	Account   model.AccountID
	User      model.UserID
	Role      model.RoleID
	Secondary Secondary
}

// Principal returns the session's current principal.
func (s *Session) Principal() Principal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Principal{s.account, s.user, s.role, s.secondary}
}

// Account returns the session's account name.
func (s *Session) Account() string { return s.accountName }

// User returns the session's user name.
func (s *Session) User() string { return s.userName }

// Role returns the name of the session's active role.
func (s *Session) Role() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roleName
}

// Database returns the name of the current database, or "".
func (s *Session) Database() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dbName
}

// Engine returns the engine the session belongs to.
func (s *Session) Engine() *Engine { return s.e }

var errNotConnected = model.Errorf(model.ErrNotConnected, "not connected")

// begin re-validates the session for one statement (SPEC §7): a closed
// session, a manually locked user or a suspended account refuse it. It
// returns the snapshot the statement's authority is judged on.
func (s *Session) begin() (*Snapshot, error) {
	if s == nil {
		return nil, errNotConnected
	}
	snap := s.e.Snapshot()
	if s.closedOn(snap) {
		return nil, model.Errorf(model.ErrSessionClosed, "the session is closed")
	}
	u := snap.userAt(uint32(s.user))
	if u.locked {
		return nil, errLockedManual
	}
	if snap.accountAt(uint32(s.account)).status == model.StatusSuspended {
		return nil, suspended(s.accountName)
	}
	return snap, nil
}

// closedOn reports whether the session's account, user or active role is
// gone; once closed a session stays closed, since IDs are never reused.
func (s *Session) closedOn(snap *Snapshot) bool {
	if !s.closed {
		a := snap.accountAt(uint32(s.account))
		u := snap.userAt(uint32(s.user))
		r := snap.roleAt(uint32(s.role))
		s.closed = a == nil || u == nil || r == nil || u.account != s.account
	}
	return s.closed
}

var errLockedManual = model.Errorf(model.ErrLocked, "user is locked, please ask the administrator to unlock")

var errLockedAuto = model.Errorf(model.ErrLocked, "user is locked, please try again later")

func suspended(account string) error {
	return model.Errorf(model.ErrSuspended, "Account %s is suspended", model.Quote(account))
}

// Check decides for the session's principal on a resolved object; a closed
// session denies everything.
func (s *Session) Check(p model.Privilege, on model.Object) Decision {
	if s == nil {
		return deny(ReasonNotConnected)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := s.e.Snapshot()
	if s.closedOn(snap) {
		return deny(ReasonSessionClosed)
	}
	return snap.Check(s.user, s.role, s.secondary, p, on)
}

// Decide decides for the session's principal on an object named in its
// account; a missing object denies with ReasonNoSuchObject, a wildcard with
// ReasonWildcard.
func (s *Session) Decide(p model.Privilege, on Target) Decision {
	if s == nil {
		return deny(ReasonNotConnected)
	}
	if on.AnyDatabase || on.AnyTable {
		return deny(ReasonWildcard)
	}
	obj, reason := s.resolve(on)
	if reason != 0 {
		return deny(reason)
	}
	return s.Check(p, obj)
}

// resolve names an object of the session's account on the current snapshot.
func (s *Session) resolve(on Target) (model.Object, Reason) {
	s.mu.Lock()
	curDB, curName := s.db, s.dbName
	s.mu.Unlock()
	tx := s.e.Snapshot().read()
	missing := model.Object{}
	switch on.Kind {
	case model.KindAccount:
		return model.AccountObject(s.account), 0
	case model.KindDatabase:
		if d := tx.DatabaseByName(s.account, fold(model.NameDatabase, on.Database)); d != nil {
			return model.DatabaseObject(d.ID), 0
		}
	case model.KindTable:
		dbID := curDB
		if on.Database != "" {
			dbID = 0
			if d := tx.DatabaseByName(s.account, fold(model.NameDatabase, on.Database)); d != nil {
				dbID = d.ID
			}
		} else if curName == "" {
			return missing, ReasonNoDatabase
		}
		if t := tx.TableByName(dbID, fold(model.NameTable, on.Name)); t != nil && dbID != 0 {
			return model.TableObject(t.ID), 0
		}
	case model.KindRole:
		if r := tx.RoleByName(s.account, fold(model.NameRole, on.Name)); r != nil {
			return model.RoleObject(r.ID), 0
		}
	case model.KindUser:
		if u := tx.UserByName(s.account, fold(model.NameUser, on.Name)); u != nil {
			return model.UserObject(u.ID), 0
		}
	}
	return missing, ReasonNoSuchObject
}

// fold folds a name, returning "" (which names nothing) when it is invalid.
func fold(kind model.NameKind, raw string) string {
	n, err := model.FoldName(kind, raw)
	if err != nil {
		return ""
	}
	return n
}
