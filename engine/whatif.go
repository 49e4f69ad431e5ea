package engine

import (
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// WhatIfRows is the most changes WHAT IF reports (reference §19); past it the
// statement prints `... more`.
const WhatIfRows = 10_000

// AccessChange is one change WHAT IF reports: a user of the session's
// account gains or loses a privilege on a concrete object, as SHOW USERS
// WITH counts "can".
type AccessChange struct {
	Gained    bool
	User      model.UserID
	Privilege model.Privilege
	Object    model.Object
	// Row is the change as the statement prints it:
	// `+ <user> <PRIV> ON <object>` or `- ...`.
	Row string
}

// WhatIf is the answer of [Engine.WhatIf]: the changes a statement would
// make to who can do what, sorted by Row.
type WhatIf struct {
	// Revision is the revision of the state the statement was run on.
	Revision uint64
	// Changes are the first [WhatIfRows] changes, sorted by Row.
	Changes []AccessChange
	// More reports that there were more changes than Changes holds.
	More bool
}

// Rows returns the rows of the WHAT IF statement: one per change, then
// `... more` when the changes were cut.
func (w WhatIf) Rows() []string {
	rows := make([]string, 0, len(w.Changes)+1)
	for _, c := range w.Changes {
		rows = append(rows, c.Row)
	}
	if w.More {
		rows = append(rows, "... more")
	}
	return rows
}

// dryRun collects what one statement run by WHAT IF would have done: the
// snapshot it started from and the one it would have published.
type dryRun struct {
	base, next *Snapshot
	changes    *catalog.Changes
}

var errWhatIfOne = model.Errorf(model.ErrInvalidOption, "WHAT IF runs one statement that changes the catalog")

// WhatIf runs stmt, one statement on sess (e.g. `func(s *Session) error {
// return s.RevokeRole(st) }`), on a private copy of the engine's state and
// reports how it would change who can do what in sess's account: for every
// (user, privilege, concrete object) whose "can" changes (as
// [Snapshot.WhoCan] counts it; privileges as [KindPrivileges]), a gain or
// a loss (reference §19). The engine is never changed: nothing is committed or
// published, the revision stays, IDs the statement took are given back,
// and sess itself is untouched (stmt runs on a copy of it).
//
// It needs MANAGE GRANTS or the admin role, judged after the statement's
// own checks that need no state and before anything else, and then the
// statement's own authority: a statement error is returned as is. A stmt
// that changes nothing reports nothing; a second write in stmt fails.
func (e *Engine) WhatIf(sess *Session, stmt func(*Session) error) (WhatIf, error) {
	if sess == nil {
		return WhatIf{}, errNotConnected
	}
	if sess.e != e {
		return WhatIf{}, model.Errorf(model.ErrInvalidOption, "the session belongs to another engine")
	}
	copied := sess.privateCopy()
	if err := stmt(copied); err != nil {
		return WhatIf{}, err
	}
	d := copied.dry
	if d.next == nil {
		return WhatIf{Revision: e.Snapshot().Revision()}, nil
	}
	changes, more := newDiffer(d.base, d.next, d.changes, sess.account).changes(WhatIfRows)
	return WhatIf{Revision: d.base.Revision(), Changes: changes, More: more}, nil
}

// privateCopy returns a copy of the session whose statements WHAT IF runs
// without committing them, and whose own state (SET ROLE, USE) is its own.
func (s *Session) privateCopy() *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &Session{e: s.e, account: s.account, accountName: s.accountName, user: s.user, userName: s.userName,
		role: s.role, roleName: s.roleName, secondary: s.secondary, db: s.db, dbName: s.dbName, closed: s.closed,
		dry: &dryRun{}}
}

// dryUpdate runs fn like [Engine.update] but never commits: it derives the
// snapshot fn's changes would give, keeps it with a preview of the catalog
// for s's WHAT IF, aborts the transaction and gives back the IDs it took.
// The caller needs MANAGE GRANTS or the admin role.
func (e *Engine) dryUpdate(s *Session, fn func(w *writer) error) error {
	if s.dry.next != nil {
		return errWhatIfOne
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.settled(); err != nil {
		return err
	}
	base := e.head
	if !s.actor(base).manageGrants() {
		return errDenied
	}
	mark := e.db.Mark()
	tx := e.db.Write()
	defer func() {
		tx.Abort()
		e.db.Rewind(mark)
	}()
	w := &writer{Tx: tx, e: e, base: base}
	if err := fn(w); err != nil {
		return err
	}
	if err := tx.Err(); err != nil {
		return err
	}
	next := base.derive(tx)
	if err := tx.Err(); err != nil {
		return err
	}
	next.intro = base.intro.carry(base, tx)
	next.preview = tx.Preview()
	s.dry.base, s.dry.next, s.dry.changes = base, next, tx.Changes()
	return nil
}

// objectName names a concrete object as WHAT IF prints it: ACCOUNT,
// DATABASE d, TABLE d.t, ROLE r or USER u.
func objectName(tx *catalog.Tx, o model.Object) string {
	switch o.Kind {
	case model.KindAccount:
		return "ACCOUNT"
	case model.KindDatabase:
		if d := tx.Database(model.DatabaseID(o.ID)); d != nil {
			return "DATABASE " + model.Quote(d.Name)
		}
	case model.KindTable:
		return levelName(tx, catalog.LevelKey{Scope: catalog.ScopeTable, Object: o.ID})
	case model.KindRole:
		return "ROLE " + roleName(tx, model.RoleID(o.ID))
	case model.KindUser:
		if u := tx.User(model.UserID(o.ID)); u != nil {
			return "USER " + model.Quote(u.Name)
		}
	}
	return strings.ToUpper(o.Kind.String())
}
