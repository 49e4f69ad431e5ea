package dcl

import (
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Check is a decision asked by name: a privilege as written and the object
// it is asked about, as in a scenario's `check allow SELECT ON TABLE d.t`.
type Check struct {
	Privilege string
	On        engine.Target
	// For names another principal (CHECK ... FOR USER u [ROLE r]
	// [SECONDARY {ALL | NONE}]); zero for the connection's own.
	For engine.ForUser
}

// ParseCheck parses `<privilege> ON <object>`, the object being ACCOUNT,
// DATABASE d, TABLE d.t, TABLE t (in the current database), ROLE r or
// USER u. Wildcard levels parse too; a decision denies them. The privilege
// is returned as written, for [model.ParsePrivilege].
func ParseCheck(src string) (Check, error) {
	l := &lexer{src: src}
	toks, more, err := defaultParser.split(l)
	if err != nil {
		return Check{}, err
	}
	p := newParser(src, 0, toks, defaultParser.maxNames)
	c, err := p.checkBody()
	if err != nil {
		return Check{}, err
	}
	if t := p.peek(0); t.kind != tokEOF || more {
		return Check{}, p.errorAt(t, "unexpected %s after the object", p.describe(t))
	}
	return *c, nil
}

// String returns the check as written back: `SELECT ON TABLE d.t`.
func (c Check) String() string {
	return c.Privilege + " ON " + TargetString(c.On)
}

// TargetString writes a target back in the form of an ON clause, without
// the ON: `ACCOUNT`, `DATABASE *`, `DATABASE d`, `TABLE *.*`, `TABLE d.*`,
// `TABLE *`, `TABLE d.t`, `TABLE t`, `ROLE r` or `USER u`. Names are
// printed as given.
func TargetString(t engine.Target) string {
	switch t.Kind {
	case model.KindAccount:
		return "ACCOUNT"
	case model.KindDatabase:
		if t.AnyDatabase {
			return "DATABASE *"
		}
		return "DATABASE " + patternString(t.Database, t.DatabasePattern)
	case model.KindTable:
		db, table := patternString(t.Database, t.DatabasePattern), patternString(t.Name, t.TablePattern)
		if t.AnyDatabase {
			db = "*"
		}
		if t.AnyTable {
			table = "*"
		}
		if db == "" {
			return "TABLE " + table
		}
		return "TABLE " + db + "." + table
	case model.KindRole:
		return "ROLE " + t.Name
	case model.KindUser:
		return "USER " + t.Name
	case model.KindColumn:
		if t.Database == "" {
			return "COLUMN " + t.Name + "." + t.Column
		}
		return "COLUMN " + t.Database + "." + t.Name + "." + t.Column
	case model.KindAlias:
		return aliasTargetString(t)
	}
	return t.Kind.String()
}
