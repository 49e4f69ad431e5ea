package engine

import (
	"fmt"
	"sync"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// Session is a logged-in user acting through one active role, optionally
// with its secondary roles, and a current database. It refers to its
// account, user, role and database by ID. A Session serialises its own
// statements, so it may be shared, but statements of one session are
// usually issued by one goroutine. Sessions come from [Engine.Connect] and
// [Engine.Login]; methods on a nil or zero Session fail with "not
// connected" (deny with ReasonNotConnected, for decisions) and its
// accessors return zero values.
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
	dry         *dryRun // set on the private copy WHAT IF runs a statement on
}

// Principal is who a session acts as, by IDs: the arguments of
// [Engine.Check].
type Principal struct {
	Account   model.AccountID
	User      model.UserID
	Role      model.RoleID
	Secondary Secondary
}

// connected reports whether s is a session an engine opened, not a nil or
// zero Session.
func (s *Session) connected() bool { return s != nil && s.e.ready() }

// Principal returns the session's current principal; zero when not connected.
func (s *Session) Principal() Principal {
	if !s.connected() {
		return Principal{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.principal()
}

// principal returns the current principal; s.mu is held.
func (s *Session) principal() Principal {
	return Principal{s.account, s.user, s.role, s.secondary}
}

// Account returns the session's account name; "" when not connected.
func (s *Session) Account() string {
	if !s.connected() {
		return ""
	}
	return s.accountName
}

// User returns the session's user name; "" when not connected.
func (s *Session) User() string {
	if !s.connected() {
		return ""
	}
	return s.userName
}

// Role returns the name of the session's active role; "" when not connected.
func (s *Session) Role() string {
	if !s.connected() {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roleName
}

// Database returns the name of the current database, or "".
func (s *Session) Database() string {
	if !s.connected() {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dbName
}

// Engine returns the engine the session belongs to; nil when not connected.
func (s *Session) Engine() *Engine {
	if !s.connected() {
		return nil
	}
	return s.e
}

// String describes the session as account:user:role, like a shell
// prompt, or "not connected".
func (s *Session) String() string {
	if !s.connected() {
		return "engine.Session{not connected}"
	}
	return "engine.Session{" + s.Account() + ":" + s.User() + ":" + s.Role() + "}"
}

// GoString is [Session.String], for %#v.
func (s *Session) GoString() string { return s.String() }

// Format writes [Session.String] for every verb, so that no fmt verb
// prints the session's fields or its engine's.
func (s *Session) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

var errNotConnected = model.Errorf(model.ErrNotConnected, "not connected")

// begin re-validates the session for one statement (reference §7): a closed
// session, a manually locked user or a suspended account refuse it. It
// returns the snapshot the statement's authority is judged on.
func (s *Session) begin() (*Snapshot, error) {
	if !s.connected() {
		return nil, errNotConnected
	}
	snap := s.e.Snapshot()
	if snap.stale {
		return nil, s.e.staleError()
	}
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
	if !s.connected() {
		return deny(ReasonNotConnected)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkOn(s.e.Snapshot(), p, on)
}

// checkOn decides on snap for the session's principal; s.mu is held.
func (s *Session) checkOn(snap *Snapshot, p model.Privilege, on model.Object) Decision {
	if snap.stale {
		return deny(ReasonReplicaStale)
	}
	if s.closedOn(snap) {
		return deny(ReasonSessionClosed)
	}
	return snap.Check(s.user, s.role, s.secondary, p, on)
}

// Decide decides for the session's principal on an object named in its
// account; a missing object denies with ReasonNoSuchObject, a wildcard with
// ReasonWildcard. The name is resolved and the decision taken on one
// snapshot.
func (s *Session) Decide(p model.Privilege, on Target) Decision {
	if !s.connected() {
		return deny(ReasonNotConnected)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, _ := s.decideOn(s.e.Snapshot(), p, on)
	return d
}

// decideOn resolves on and decides on snap; s.mu is held. It returns the
// resolved object too, the zero Object when there is none.
func (s *Session) decideOn(snap *Snapshot, p model.Privilege, on Target) (Decision, model.Object) {
	if snap.stale {
		return deny(ReasonReplicaStale), model.Object{}
	}
	if on.wildcard() {
		return deny(ReasonWildcard), model.Object{}
	}
	obj, reason := s.resolveOn(snap, on)
	if reason != 0 {
		return deny(reason), obj
	}
	return s.checkOn(snap, p, obj), obj
}

// resolveOn names an object of the session's account on snap; s.mu is held.
func (s *Session) resolveOn(snap *Snapshot, on Target) (model.Object, Reason) {
	return locate(snap.read(), s.account, s.db, s.dbName, on)
}

// locate names an object of account a in tx, with curDB (named curName,
// "" for none) the current database for an unqualified table. A wildcard
// names nothing.
func locate(tx *catalog.Tx, a model.AccountID, curDB model.DatabaseID, curName string, on Target) (model.Object, Reason) {
	missing := model.Object{}
	switch on.Kind {
	case model.KindAccount:
		return model.AccountObject(a), 0
	case model.KindDatabase:
		if d := tx.DatabaseByName(a, fold(model.NameDatabase, on.Database)); d != nil {
			return model.DatabaseObject(d.ID), 0
		}
	case model.KindTable:
		dbID := curDB
		if on.Database != "" {
			dbID = 0
			if d := tx.DatabaseByName(a, fold(model.NameDatabase, on.Database)); d != nil {
				dbID = d.ID
			}
		} else if curName == "" {
			return missing, ReasonNoDatabase
		}
		if t := tableOrAlias(tx, dbID, fold(model.NameTable, on.Name)); t != nil && dbID != 0 {
			return model.TableObject(t.ID), 0
		}
	case model.KindRole:
		if r := tx.RoleByName(a, fold(model.NameRole, on.Name)); r != nil {
			return model.RoleObject(r.ID), 0
		}
	case model.KindUser:
		if u := tx.UserByName(a, fold(model.NameUser, on.Name)); u != nil {
			return model.UserObject(u.ID), 0
		}
	case model.KindColumn:
		return locateColumn(tx, a, curDB, curName, on)
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
