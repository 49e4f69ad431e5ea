package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/hierarchy"
)

// Name pattern levels (reference §16) on the write path. A pattern level
// gets a record the first time a grant (or a denial, reference §18) is
// stored at it, and loses it when its last grant or denial goes; grants
// and denials at it refer to the record's ID. Neither costs anything per
// matching table: the decision matches names (prefix.go).

// ensurePattern returns l with the ID of its pattern record, creating the
// record (within the limit of pattern levels per account) if l is a
// pattern level without one.
func (w *writer) ensurePattern(l level) (level, error) {
	if !l.scope.IsPattern() || l.pattern != 0 {
		return l, nil
	}
	prefix := l.dbName
	if l.scope == catalog.ScopeTablePattern {
		prefix = l.tbName
	}
	if p := w.PatternByKey(l.account, l.scope, l.db, prefix); p != nil {
		l.pattern = p.ID
		return l, nil
	}
	acc := w.Account(l.account)
	if err := w.limit(w.Count(l.account).Patterns, w.e.cfg.limits.PatternsPerAccount, "pattern levels", acc.Name); err != nil {
		return l, err
	}
	p := &catalog.Pattern{ID: w.NewPatternID(), Account: l.account, Scope: l.scope, Database: l.db, Prefix: prefix}
	w.Insert(p)
	l.pattern = p.ID
	return l, nil
}

// sweepPattern removes the record of pattern level k once no grant and no
// denial is stored at it.
func (w *writer) sweepPattern(k catalog.LevelKey) {
	if !k.Scope.IsPattern() || k.Object == 0 {
		return
	}
	p := w.Pattern(k.Object)
	if p != nil && len(w.GrantsAt(k)) == 0 && len(w.GroupGrantsAt(k)) == 0 && len(w.DenialsAt(k)) == 0 {
		hierarchy.DropPattern(w.Tx, p)
	}
}
