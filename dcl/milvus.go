package dcl

import (
	"github.com/pdp-authz/pdp/engine"
)

// The statements of reference §15–§17 (§21 gives their syntax): privilege
// groups, name patterns in levels (parsed by [parser.target]) and table
// aliases.
type (
	// CreatePrivilegeGroup is CREATE PRIVILEGE GROUP [IF NOT EXISTS] g.
	CreatePrivilegeGroup engine.CreatePrivilegeGroup
	// AlterPrivilegeGroup is ALTER PRIVILEGE GROUP g {ADD | REMOVE} priv [, priv ...].
	AlterPrivilegeGroup engine.AlterPrivilegeGroup
	// DropPrivilegeGroup is DROP PRIVILEGE GROUP [IF EXISTS] g.
	DropPrivilegeGroup engine.DropPrivilegeGroup
	// GrantPrivilegeGroup is GRANT PRIVILEGE GROUP g ON level TO r [, r ...] [WITH GRANT OPTION].
	GrantPrivilegeGroup engine.GrantPrivilegeGroup
	// RevokePrivilegeGroup is REVOKE [IF EXISTS] [GRANT OPTION FOR]
	// PRIVILEGE GROUP g ON level FROM r [, r ...].
	RevokePrivilegeGroup engine.RevokePrivilegeGroup
	// CreateAlias is CREATE ALIAS [IF NOT EXISTS] [d.]a FOR TABLE [d.]t.
	CreateAlias engine.CreateAlias
	// AlterAlias is ALTER ALIAS [d.]a FOR TABLE [d.]t.
	AlterAlias engine.AlterAlias
	// DropAlias is DROP ALIAS [IF EXISTS] [d.]a.
	DropAlias engine.DropAlias
	// ShowAliases is SHOW ALIASES [IN d].
	ShowAliases engine.ShowAliases
)

// ShowPrivilegeGroups is SHOW PRIVILEGE GROUPS.
type ShowPrivilegeGroups struct{}

func (*CreatePrivilegeGroup) statement() {}
func (*AlterPrivilegeGroup) statement()  {}
func (*DropPrivilegeGroup) statement()   {}
func (*GrantPrivilegeGroup) statement()  {}
func (*RevokePrivilegeGroup) statement() {}
func (*ShowPrivilegeGroups) statement()  {}
func (*CreateAlias) statement()          {}
func (*AlterAlias) statement()           {}
func (*DropAlias) statement()            {}
func (*ShowAliases) statement()          {}

// createMilvus parses the rest of CREATE PRIVILEGE GROUP and CREATE ALIAS;
// ok is false when neither follows CREATE.
func (p *parser) createMilvus() (st Statement, ok bool, err error) {
	switch {
	case p.accept("privilege", "group"):
		c := &CreatePrivilegeGroup{IfNotExists: p.ifNotExists()}
		c.Name, err = p.name("a privilege group name")
		return c, true, err
	case p.accept("alias"):
		c := &CreateAlias{IfNotExists: p.ifNotExists()}
		c.Database, c.Name, c.TableDatabase, c.Table, err = p.aliasFor()
		return c, true, err
	}
	return nil, false, nil
}

// aliasFor parses [d.]a FOR TABLE [d.]t.
func (p *parser) aliasFor() (db, name, tdb, table string, err error) {
	if db, name, err = p.tableName(); err != nil {
		return
	}
	if err = p.expect("for", "table"); err != nil {
		return
	}
	tdb, table, err = p.tableName()
	return
}

// dropMilvus parses the rest of DROP PRIVILEGE GROUP and DROP ALIAS.
func (p *parser) dropMilvus() (st Statement, ok bool, err error) {
	switch {
	case p.accept("privilege", "group"):
		d := &DropPrivilegeGroup{IfExists: p.ifExists()}
		d.Name, err = p.name("a privilege group name")
		return d, true, err
	case p.accept("alias"):
		d := &DropAlias{IfExists: p.ifExists()}
		d.Database, d.Name, err = p.tableName()
		return d, true, err
	}
	return nil, false, nil
}

// alterMilvus parses the rest of ALTER PRIVILEGE GROUP and ALTER ALIAS.
func (p *parser) alterMilvus() (st Statement, ok bool, err error) {
	switch {
	case p.accept("privilege", "group"):
		a := &AlterPrivilegeGroup{}
		if a.Name, err = p.name("a privilege group name"); err != nil {
			return nil, true, err
		}
		switch {
		case p.accept("add"):
			a.Action = engine.GroupAdd
		case p.accept("remove"):
			a.Action = engine.GroupRemove
		default:
			return nil, true, p.expected("ADD or REMOVE")
		}
		items, err := p.items()
		if err != nil {
			return nil, true, err
		}
		a.Privileges, _ = privileges(items)
		return a, true, nil
	case p.accept("alias"):
		a := &AlterAlias{}
		a.Database, a.Name, a.TableDatabase, a.Table, err = p.aliasFor()
		return a, true, err
	}
	return nil, false, nil
}

// showMilvus parses the rest of SHOW PRIVILEGE GROUPS and SHOW ALIASES [IN d].
func (p *parser) showMilvus() (st Statement, ok bool, err error) {
	switch {
	case p.accept("privilege", "groups"):
		return &ShowPrivilegeGroups{}, true, nil
	case p.accept("aliases"):
		s := &ShowAliases{}
		if p.accept("in") {
			s.Database, err = p.name("a database name")
		}
		return s, true, err
	}
	return nil, false, nil
}

// grantGroup parses the rest of GRANT PRIVILEGE GROUP g ON level TO r
// [, r ...] [WITH GRANT OPTION], after GRANT PRIVILEGE GROUP.
func (p *parser) grantGroup() (Statement, error) {
	st := &GrantPrivilegeGroup{}
	var err error
	if st.Group, err = p.name("a privilege group name"); err != nil {
		return nil, err
	}
	if err := p.expect("on"); err != nil {
		return nil, err
	}
	if st.On, err = p.target(false); err != nil {
		return nil, err
	}
	if err := p.expect("to"); err != nil {
		return nil, err
	}
	if st.To, err = p.nameList("a role name"); err != nil {
		return nil, err
	}
	st.Option = p.withGrantOption()
	return st, nil
}

// revokeGroup parses the rest of REVOKE ... PRIVILEGE GROUP g ON level
// FROM r [, r ...], after PRIVILEGE GROUP.
func (p *parser) revokeGroup(ifExists, optionOnly bool) (Statement, error) {
	st := &RevokePrivilegeGroup{IfExists: ifExists, GrantOptionOnly: optionOnly}
	var err error
	if st.Group, err = p.name("a privilege group name"); err != nil {
		return nil, err
	}
	if err := p.expect("on"); err != nil {
		return nil, err
	}
	if st.On, err = p.target(false); err != nil {
		return nil, err
	}
	if err := p.expect("from"); err != nil {
		return nil, err
	}
	st.From, err = p.nameList("a role name")
	return st, err
}

// pattern consumes a `*` written right after the name just read, which
// makes the name a prefix (reference §16: `p*`), and reports whether it did.
func (p *parser) pattern() bool {
	prev, next := p.toks[p.i-1], p.peek(0)
	if isPunct(next, "*") && next.pos == prev.end {
		p.advance()
		return true
	}
	return false
}

// execMilvus runs the statements of this file; ok is false for any other
// statement.
func execMilvus(sess *engine.Session, st Statement) (res Result, ok bool, err error) {
	switch st := st.(type) {
	case *CreatePrivilegeGroup:
		err = sess.CreatePrivilegeGroup(engine.CreatePrivilegeGroup(*st))
	case *AlterPrivilegeGroup:
		err = sess.AlterPrivilegeGroup(engine.AlterPrivilegeGroup(*st))
	case *DropPrivilegeGroup:
		err = sess.DropPrivilegeGroup(engine.DropPrivilegeGroup(*st))
	case *GrantPrivilegeGroup:
		err = sess.GrantPrivilegeGroup(engine.GrantPrivilegeGroup(*st))
	case *RevokePrivilegeGroup:
		err = sess.RevokePrivilegeGroup(engine.RevokePrivilegeGroup(*st))
	case *ShowPrivilegeGroups:
		res, err = rows(sess.ShowPrivilegeGroups())
	case *CreateAlias:
		err = sess.CreateAlias(engine.CreateAlias(*st))
	case *AlterAlias:
		err = sess.AlterAlias(engine.AlterAlias(*st))
	case *DropAlias:
		err = sess.DropAlias(engine.DropAlias(*st))
	case *ShowAliases:
		res, err = rows(sess.ShowAliases(engine.ShowAliases(*st)))
	default:
		return Result{}, false, nil
	}
	return res, true, err
}

// changesCatalogMilvus reports whether st is one of this file's statements
// that change the catalog (for WHAT IF).
func changesCatalogMilvus(st Statement) bool {
	switch st.(type) {
	case *CreatePrivilegeGroup, *AlterPrivilegeGroup, *DropPrivilegeGroup, *GrantPrivilegeGroup,
		*RevokePrivilegeGroup, *CreateAlias, *AlterAlias, *DropAlias:
		return true
	}
	return false
}

// patternString writes a name with a pattern's `*` when pattern is set.
func patternString(name string, pattern bool) string {
	if pattern {
		return name + "*"
	}
	return name
}

// aliasTargetString writes an ALIAS target back.
func aliasTargetString(t engine.Target) string {
	if t.Database == "" {
		return "ALIAS " + t.Name
	}
	return "ALIAS " + t.Database + "." + t.Name
}
