package engine

import "github.com/pdp-authz/pdp/model"

// exec runs one statement of the session in reference §9 order: the session is
// re-validated (§7), then prepare does the checks that need no state
// (names, privileges, passwords — and hashing, outside the writer lock),
// then run executes in one write transaction with the actor judged on the
// snapshot the statement starts from. prepare may be nil.
// st is the statement's argument struct, for the canonical text of its
// change record.
func (s *Session) exec(st any, prepare func() error, run func(w *writer, ac *actor) error) error {
	if !s.connected() {
		return errNotConnected
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dry != nil {
		return s.execOnce(st, prepare, run)
	}
	return s.e.replicated(func() error { return s.execOnce(st, prepare, run) })
}

// execOnce runs a statement once from its first stage; s.mu is held.
func (s *Session) execOnce(st any, prepare func() error, run func(w *writer, ac *actor) error) error {
	if _, err := s.begin(); err != nil {
		return err
	}
	if prepare != nil {
		if err := prepare(); err != nil {
			return err
		}
	}
	body := func(w *writer) error {
		w.describe = func() string { return canonical(s, w, st) }
		return run(w, s.actor(w.base))
	}
	if s.dry != nil {
		return s.e.dryUpdate(s, body)
	}
	return s.e.update(body)
}

// read runs a statement that changes no catalog state (SHOW, USE, SET
// ROLE) in the same order as exec, on the current snapshot.
func (s *Session) read(prepare func() error, run func(snap *Snapshot, ac *actor) error) error {
	if !s.connected() {
		return errNotConnected
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	snap, err := s.begin()
	if err != nil {
		return err
	}
	if prepare != nil {
		if err := prepare(); err != nil {
			return err
		}
	}
	return run(snap, s.actor(snap))
}

// ignoreIf returns nil for err when the statement's IF [NOT] EXISTS asks
// to skip it.
func ignoreIf(flag bool, err error) error {
	if flag {
		return nil
	}
	return err
}

// fold folds one name into *dst, for prepare functions.
func foldInto(dst *string, kind model.NameKind, raw string) error {
	n, err := model.FoldName(kind, raw)
	*dst = n
	return err
}

// restricted refuses a statement a restricted account does not run (reference §10).
func (ac *actor) restricted() error {
	if ac.a.status == model.StatusRestricted {
		return model.Errorf(model.ErrRestricted, "do not have enough storage to execute the statement")
	}
	return nil
}

// foldAll folds every name of a list (stage 2) and enforces the limit on
// names per statement.
func (s *Session) foldAll(kind model.NameKind, raw []string) ([]string, error) {
	if n := s.e.cfg.limits.NamesPerStatement; len(raw) > n {
		return nil, model.Errorf(model.ErrLimit, "the names per statement exceeds the limit %d", n)
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		n, err := model.FoldName(kind, r)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// skip reports whether err is a stage-4 error IF [NOT] EXISTS skips.
func skip(ifFlag bool, err error) bool {
	return ifFlag && err != nil && skippable(err)
}

// skippable marks the errors IF [NOT] EXISTS may skip.
type skippableErr struct{ err *model.Error }

func (e skippableErr) Error() string { return e.err.Msg }

func (e skippableErr) Unwrap() error { return e.err }

func skippable(err error) bool {
	_, ok := err.(skippableErr)
	return ok
}

// missingErr returns a skippable not-found error.
func missingErr(format string, args ...any) error {
	return skippableErr{err: model.Errorf(model.ErrNotFound, format, args...).(*model.Error)}
}

// existsErr returns a skippable exists error.
func existsErr(format string, args ...any) error {
	return skippableErr{err: model.Errorf(model.ErrExists, format, args...).(*model.Error)}
}

// predefinedNameErr is the skippable error for taking a predefined role name.
func predefinedNameErr(name string) error {
	return skippableErr{err: model.Errorf(model.ErrPredefined, "can not use the name %s. it is the name of the predefined role", model.Quote(name)).(*model.Error)}
}
