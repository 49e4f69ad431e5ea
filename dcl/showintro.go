package dcl

import (
	"github.com/pdp-authz/pdp/engine"
)

// The introspection statements of reference §19 and §21.
type (
	// ShowTables is SHOW TABLES [FROM d]; Database "" means the current database.
	ShowTables engine.ShowTables
	// ShowPrivileges is SHOW PRIVILEGES ON object [FOR USER u [ROLE r] [SECONDARY {ALL | NONE}]].
	ShowPrivileges engine.ShowPrivileges
	// ShowHolders is SHOW USERS WITH priv ON object, or SHOW ROLES WITH
	// priv ON object when Roles is set.
	ShowHolders engine.ShowHolders
)

// ShowDatabases is SHOW DATABASES.
type ShowDatabases struct{}

// ShowGrantsOn is SHOW GRANTS ON {ACCOUNT | level | ROLE r | USER u}.
type ShowGrantsOn struct {
	On engine.Target
}

func (*ShowDatabases) statement()  {}
func (*ShowTables) statement()     {}
func (*ShowGrantsOn) statement()   {}
func (*ShowPrivileges) statement() {}
func (*ShowHolders) statement()    {}

// showIntrospection parses the SHOW statements of reference §19 after SHOW:
// DATABASES, TABLES [FROM d], GRANTS ON ..., PRIVILEGES ON ..., and USERS
// WITH or ROLES WITH. It reports false when none of them comes next.
func (p *parser) showIntrospection() (Statement, bool, error) {
	switch {
	case p.accept("databases"):
		return &ShowDatabases{}, true, nil
	case p.accept("tables"):
		st := &ShowTables{}
		var err error
		if p.accept("from") {
			st.Database, err = p.name("a database name")
		}
		return st, true, err
	case p.accept("grants", "on"):
		on, err := p.target(true)
		return &ShowGrantsOn{On: on}, true, err
	case p.accept("privileges", "on"):
		st := &ShowPrivileges{}
		var err error
		if st.On, err = p.target(true); err != nil {
			return nil, true, err
		}
		st.For, err = p.forUser()
		return st, true, err
	case p.at("users", "with") || p.at("roles", "with"):
		st := &ShowHolders{Roles: p.at("roles")}
		p.i += 2
		c, err := p.checkBody()
		if err != nil {
			return nil, true, err
		}
		st.Privilege, st.On = c.Privilege, c.On
		return st, true, nil
	}
	return nil, false, nil
}

// forUser parses an optional FOR USER u [ROLE r] [SECONDARY {ALL | NONE}].
func (p *parser) forUser() (engine.ForUser, error) {
	var f engine.ForUser
	if !p.accept("for") {
		return f, nil
	}
	if err := p.expect("user"); err != nil {
		return f, err
	}
	var err error
	if f.User, err = p.name("a user name"); err != nil {
		return f, err
	}
	if p.accept("role") {
		if f.Role, err = p.name("a role name"); err != nil {
			return f, err
		}
	}
	if p.accept("secondary") {
		switch {
		case p.accept("all"):
			f.Secondary = engine.SecondaryAll
		case p.accept("none"):
			f.Secondary = engine.SecondaryNone
		default:
			return f, p.expected("ALL or NONE")
		}
	}
	return f, nil
}

// execIntrospection runs the statements of this file; ok is false for any
// other statement.
func execIntrospection(sess *engine.Session, st Statement) (res Result, ok bool, err error) {
	switch st := st.(type) {
	case *ShowDatabases:
		res, err = rows(sess.ShowDatabases())
	case *ShowTables:
		res, err = rows(sess.ShowTables(engine.ShowTables(*st)))
	case *ShowGrantsOn:
		res, err = rows(sess.ShowGrantsOn(st.On))
	case *ShowPrivileges:
		res, err = rows(sess.ShowPrivileges(engine.ShowPrivileges(*st)))
	case *ShowHolders:
		res, err = rows(sess.ShowHolders(engine.ShowHolders(*st)))
	case *WhatIf:
		res, err = whatIf(sess, st)
	default:
		return Result{}, false, nil
	}
	return res, true, err
}

// WhatIf is WHAT IF <statement>: the statement runs on a private copy of
// the engine's state, and the answer is the access it would change (reference
// §19). Only statements that change the catalog may follow.
type WhatIf struct {
	Statement Statement
}

func (*WhatIf) statement() {}

// whatIfStatement parses the rest of WHAT IF <statement>.
func (p *parser) whatIfStatement() (Statement, error) {
	start := p.peek(0)
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	if !changesCatalog(st) {
		return nil, p.errorAt(start, "WHAT IF needs a statement that changes the catalog")
	}
	return &WhatIf{Statement: st}, nil
}

// changesCatalog reports whether st is a statement that changes the
// catalog: CREATE, DROP, ALTER, GRANT and REVOKE.
func changesCatalog(st Statement) bool {
	switch st.(type) {
	case *CreateAccount, *DropAccount, *AlterAccount, *CreateUser, *DropUser, *AlterUser,
		*CreateRole, *DropRole, *GrantPrivilege, *RevokePrivilege, *GrantRole, *RevokeRole,
		*CreateDatabase, *DropDatabase, *CreateTable, *DropTable, *AlterTable, *Deny, *RevokeDeny:
		return true
	}
	return changesCatalogMilvus(st)
}

// whatIf runs WHAT IF on sess: one row per change, `... more` past the
// limit.
func whatIf(sess *engine.Session, st *WhatIf) (Result, error) {
	w, err := sess.Engine().WhatIf(sess, func(s *engine.Session) error {
		_, err := Exec(s, st.Statement)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	return Result{Rows: w.Rows(), Show: true}, nil
}
