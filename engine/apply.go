package engine

import (
	"fmt"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// WithBootstrap makes [New] start from the given bootstrap record
// (revision 0, the first record of another engine's change feed or
// journal) instead of creating sys and root itself, so that applying that
// engine's later records reproduces its state exactly, IDs included. The
// root password options are then not needed. [New] applies it as
// [Engine.Apply] does.
func WithBootstrap(rec *record.Record) Option {
	return func(c *config) error {
		if rec == nil || rec.Revision != 0 {
			return model.Errorf(model.ErrInvalidOption, "the bootstrap record must be record 0")
		}
		c.bootstrap = rec
		return nil
	}
}

// Apply applies a change record made by another engine (its change feed,
// a journal, a replica's log): the record's operations in one atomic
// change, published like a local commit, with the same derived decision
// state. It never re-checks authority or limits: the writer did (reference
// §20). A record at or below the engine's revision is a no-op; one beyond
// the next revision is an error (a gap), as is a password hash the
// engine's hasher refuses or an operation on a record that is not there;
// on any error nothing changes. The engine keeps rec's catalog records:
// the caller must not modify them afterwards.
func (e *Engine) Apply(rec *record.Record) error {
	if !e.ready() {
		return errNoEngine
	}
	if rec == nil {
		return model.Errorf(model.ErrReplay, "no record to apply")
	}
	if err := e.acceptable(rec); err != nil {
		return err
	}
	return e.replay([]*record.Record{rec}, true)
}

// replay applies records that follow each other in one atomic change;
// effects says whether they change the volatile login state (not during
// recovery, when there is none yet).
func (e *Engine) replay(recs []*record.Record, effects bool) error {
	c, err := e.commit(func(w *writer) error {
		for _, rec := range w.replaying {
			for i, op := range rec.Ops {
				w.Replay(catalog.Write{Delete: op.Action == record.ActionDelete, Rec: op.Rec})
				if err := w.Err(); err != nil {
					return model.Errorf(model.ErrReplay, "record %d, op %d (%s %T): %s", rec.Revision, i, op.Action, op.Rec, err.Error())
				}
			}
			if effects {
				w.after = append(w.after, w.loginEffects(rec.Ops)...)
			}
		}
		return nil
	}, recs)
	if err != nil || c == nil {
		return err
	}
	return e.await(c)
}

// acceptable checks what Apply can check before it takes the writer's
// lock: known actions and record types, and password hashes the hasher
// accepts.
func (e *Engine) acceptable(rec *record.Record) error {
	for i, op := range rec.Ops {
		if op.Action != record.ActionPut && op.Action != record.ActionDelete {
			return model.Errorf(model.ErrReplay, "record %d, op %d: unknown action %d", rec.Revision, i, op.Action)
		}
		if !catalog.Known(op.Rec) {
			return model.Errorf(model.ErrReplay, "record %d, op %d: %T is not a catalog record", rec.Revision, i, op.Rec)
		}
		if u, ok := op.Rec.(*catalog.User); ok && op.Action == record.ActionPut {
			if err := e.acceptHash(u); err != nil {
				return fmt.Errorf("record %d: %w", rec.Revision, err)
			}
		}
	}
	return nil
}

// acceptHash refuses a user whose password hash the engine's hasher
// does not accept (a test hash on a production engine, a lower work
// factor, anything malformed).
func (e *Engine) acceptHash(u *catalog.User) error {
	if !e.cfg.hasher.Accepts(u.Hash) {
		return model.Errorf(model.ErrReplay, "the password hash of user %s (ID %d) is refused by the engine's hasher", model.Quote(u.Name), u.ID)
	}
	return nil
}

// loginEffects returns what applying ops does to the volatile login state,
// as the statements that wrote them do: a created user clears the failure
// counts of its name, a dropped user's state goes, a new password resets
// the failure count. A changed user's lock that the shared lockout
// reported is confirmed with it at the next login, as the change may have
// lifted it (UNLOCK, ADMIN_NAME); the engine that ran the statement changed
// the shared lockout, so applying a record never calls it. It runs after
// the operations were replayed.
func (w *writer) loginEffects(ops []record.Op) []func() {
	var out []func()
	for _, op := range ops {
		u, ok := op.Rec.(*catalog.User)
		if !ok {
			continue
		}
		var old *catalog.User
		if !w.base.empty() {
			old = w.base.read().User(u.ID)
		}
		switch {
		case op.Action == record.ActionDelete:
			out = append(out, func() { w.e.logins.forgetUsers(u.ID) })
		case old == nil:
			if acc := w.Account(u.Account); acc != nil {
				account, name := acc.Name, u.Name
				out = append(out, func() { w.e.logins.forgetName(account, name) })
			}
		case old.Hash != u.Hash:
			out = append(out, func() { w.e.logins.resetFailures(u.ID); w.e.logins.recheck(u.ID) })
		default:
			out = append(out, func() { w.e.logins.recheck(u.ID) })
		}
	}
	return out
}
