package dcl

import (
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// statement parses one statement, dispatching on its first words.
func (p *parser) statement() (Statement, error) {
	switch {
	case p.accept("create"):
		return p.create()
	case p.accept("drop"):
		return p.drop()
	case p.accept("alter"):
		return p.alter()
	case p.accept("grant"):
		return p.grant()
	case p.accept("revoke"):
		return p.revoke()
	case p.accept("deny"):
		return p.deny()
	case p.accept("use"):
		db, err := p.name("a database name")
		return &Use{Database: db}, err
	case p.accept("set"):
		return p.set()
	case p.accept("show"):
		return p.show()
	case p.accept("connect"):
		return p.connect()
	case p.accept("check"):
		return p.checkStatement()
	case p.accept("explain"):
		return p.explainCheck()
	case p.accept("what", "if"):
		return p.whatIfStatement()
	}
	return nil, p.expected("a statement")
}

// create parses the rest of CREATE ACCOUNT | USER | ROLE | DATABASE | TABLE
// | PRIVILEGE GROUP | ALIAS.
func (p *parser) create() (Statement, error) {
	if st, ok, err := p.createMilvus(); ok {
		return st, err
	}
	switch {
	case p.accept("account"):
		return p.createAccount()
	case p.accept("user"):
		return p.createUser()
	case p.accept("role"):
		st := &CreateRole{IfNotExists: p.ifNotExists()}
		var err error
		st.Names, err = p.nameList("a role name")
		return st, err
	case p.accept("database"):
		st := &CreateDatabase{IfNotExists: p.ifNotExists()}
		var err error
		st.Name, err = p.name("a database name")
		return st, err
	case p.accept("table"):
		return p.createTable()
	}
	return nil, p.expected("ACCOUNT, USER, ROLE, DATABASE, TABLE, PRIVILEGE GROUP or ALIAS")
}

// drop parses the rest of DROP ACCOUNT | USER | ROLE | DATABASE | TABLE |
// PRIVILEGE GROUP | ALIAS.
func (p *parser) drop() (Statement, error) {
	if st, ok, err := p.dropMilvus(); ok {
		return st, err
	}
	var err error
	switch {
	case p.accept("account"):
		st := &DropAccount{IfExists: p.ifExists()}
		st.Name, err = p.name("an account name")
		return st, err
	case p.accept("user"):
		st := &DropUser{IfExists: p.ifExists()}
		st.Names, err = p.nameList("a user name")
		return st, err
	case p.accept("role"):
		st := &DropRole{IfExists: p.ifExists()}
		st.Names, err = p.nameList("a role name")
		return st, err
	case p.accept("database"):
		st := &DropDatabase{IfExists: p.ifExists()}
		st.Name, err = p.name("a database name")
		return st, err
	case p.accept("table"):
		st := &DropTable{IfExists: p.ifExists()}
		st.Database, st.Name, err = p.tableName()
		return st, err
	}
	return nil, p.expected("ACCOUNT, USER, ROLE, DATABASE, TABLE, PRIVILEGE GROUP or ALIAS")
}

// alter parses the rest of ALTER ACCOUNT | USER | TABLE | PRIVILEGE GROUP | ALIAS.
func (p *parser) alter() (Statement, error) {
	if st, ok, err := p.alterMilvus(); ok {
		return st, err
	}
	switch {
	case p.accept("account"):
		return p.alterAccount()
	case p.accept("user"):
		return p.alterUser()
	case p.accept("table"):
		return p.alterTable()
	}
	return nil, p.expected("ACCOUNT, USER, TABLE, PRIVILEGE GROUP or ALIAS")
}

// createAccount parses
// [IF NOT EXISTS] a ADMIN_NAME [=] 'n' IDENTIFIED BY 'pw' [OPEN|SUSPEND|RESTRICTED] [COMMENT 'c'].
func (p *parser) createAccount() (Statement, error) {
	p.passwords = true
	st := &CreateAccount{IfNotExists: p.ifNotExists()}
	var err error
	if st.Name, err = p.name("an account name"); err != nil {
		return nil, err
	}
	if err := p.expect("admin_name"); err != nil {
		return nil, err
	}
	if st.AdminName, st.AdminPassword, err = p.adminName(); err != nil {
		return nil, err
	}
	st.Status = p.status()
	if p.accept("comment") {
		if st.Comment, err = p.str("a comment"); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// alterAccount parses
// [IF EXISTS] a [ADMIN_NAME [=] 'n' IDENTIFIED BY 'pw'] [OPEN|SUSPEND|RESTRICTED] [COMMENT 'c'].
// The engine checks that exactly one option was given.
func (p *parser) alterAccount() (Statement, error) {
	p.passwords = true
	st := &AlterAccount{IfExists: p.ifExists()}
	var err error
	if st.Name, err = p.name("an account name"); err != nil {
		return nil, err
	}
	if p.accept("admin_name") {
		st.SetAdmin = true
		if st.AdminName, st.AdminPassword, err = p.adminName(); err != nil {
			return nil, err
		}
	}
	st.Status = p.status()
	if p.accept("comment") {
		st.SetComment = true
		if st.Comment, err = p.str("a comment"); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// adminName parses [=] 'n' IDENTIFIED BY 'pw', after ADMIN_NAME.
func (p *parser) adminName() (name string, pw model.Secret, err error) {
	p.acceptPunct("=")
	if name, err = p.name("an admin user name"); err != nil {
		return "", "", err
	}
	pw, err = p.identifiedBy()
	return name, pw, err
}

// identifiedBy parses IDENTIFIED BY 'pw'. Its errors never quote the
// text: a password may stand where IDENTIFIED BY was left out.
func (p *parser) identifiedBy() (model.Secret, error) {
	p.secret = true
	defer func() { p.secret = false }()
	if err := p.expect("identified", "by"); err != nil {
		return "", err
	}
	pw, err := p.str("a password")
	return model.Secret(pw), err
}

// status parses an optional OPEN | SUSPEND | RESTRICTED.
func (p *parser) status() model.AccountStatus {
	switch {
	case p.accept("open"):
		return model.StatusOpen
	case p.accept("suspend"):
		return model.StatusSuspended
	case p.accept("restricted"):
		return model.StatusRestricted
	}
	return model.StatusUnset
}

// createUser parses
// [IF NOT EXISTS] u IDENTIFIED BY 'pw' [, u IDENTIFIED BY 'pw' ...] [DEFAULT ROLE r] [COMMENT 'c'].
func (p *parser) createUser() (Statement, error) {
	p.passwords = true
	st := &CreateUser{IfNotExists: p.ifNotExists()}
	p.names = 0
	for {
		var u engine.UserCredential
		var err error
		if u.Name, err = p.name("a user name"); err != nil {
			return nil, err
		}
		if err := p.count(); err != nil {
			return nil, err
		}
		if u.Password, err = p.identifiedBy(); err != nil {
			return nil, err
		}
		st.Users = append(st.Users, u)
		if !p.acceptPunct(",") {
			break
		}
	}
	var err error
	if p.accept("default", "role") {
		if st.DefaultRole, err = p.name("a role name"); err != nil {
			return nil, err
		}
	}
	if p.accept("comment") {
		if st.Comment, err = p.str("a comment"); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// alterUser parses
// [IF EXISTS] u {IDENTIFIED BY 'pw' | LOCK | UNLOCK | DEFAULT ROLE r} [, u ...].
// The engine checks that only one user is altered.
func (p *parser) alterUser() (Statement, error) {
	p.passwords = true
	st := &AlterUser{IfExists: p.ifExists()}
	p.names = 0
	for {
		var c engine.UserChange
		var err error
		if c.Name, err = p.name("a user name"); err != nil {
			return nil, err
		}
		if err := p.count(); err != nil {
			return nil, err
		}
		switch {
		case p.at("identified"):
			c.Action = engine.UserSetPassword
			if c.Password, err = p.identifiedBy(); err != nil {
				return nil, err
			}
		case p.accept("lock"):
			c.Action = engine.UserLock
		case p.accept("unlock"):
			c.Action = engine.UserUnlock
		case p.accept("default", "role"):
			c.Action = engine.UserDefaultRole
			if c.Role, err = p.name("a role name"); err != nil {
				return nil, err
			}
		default:
			p.secret = true // the password, if IDENTIFIED BY was left out
			return nil, p.expected("IDENTIFIED BY, LOCK, UNLOCK or DEFAULT ROLE")
		}
		st.Users = append(st.Users, c)
		if !p.acceptPunct(",") {
			return st, nil
		}
	}
}

// createTable parses [IF NOT EXISTS] [d.]t [(column definitions)].
func (p *parser) createTable() (Statement, error) {
	st := &CreateTable{IfNotExists: p.ifNotExists()}
	var err error
	if st.Database, st.Name, err = p.tableName(); err != nil {
		return nil, err
	}
	if isPunct(p.peek(0), "(") {
		if st.Columns, err = p.columnDefinitions(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// tableName parses [d.]t and returns d ("" if not given) and t.
func (p *parser) tableName() (db, table string, err error) {
	first, err := p.name("a table name")
	if err != nil {
		return "", "", err
	}
	if !p.acceptPunct(".") {
		return "", first, nil
	}
	table, err = p.name("a table name")
	return first, table, err
}

// set parses the rest of SET ROLE r | SET SECONDARY ROLE {ALL | NONE}.
func (p *parser) set() (Statement, error) {
	switch {
	case p.accept("role"):
		r, err := p.name("a role name")
		return &SetRole{Role: r}, err
	case p.accept("secondary", "role"):
		switch {
		case p.accept("all"):
			return &SetSecondaryRole{Mode: engine.SecondaryAll}, nil
		case p.accept("none"):
			return &SetSecondaryRole{Mode: engine.SecondaryNone}, nil
		}
		return nil, p.expected("ALL or NONE")
	}
	return nil, p.expected("ROLE or SECONDARY ROLE")
}

// show parses the rest of SHOW GRANTS [FOR [USER | ROLE] x] | ROLES | USERS | ACCOUNTS, and
// of the introspection statements (showintro.go).
func (p *parser) show() (Statement, error) {
	if st, ok, err := p.showIntrospection(); ok {
		return st, err
	}
	if st, ok, err := p.showColumns(); ok {
		return st, err
	}
	if st, ok, err := p.showMilvus(); ok {
		return st, err
	}
	switch {
	case p.accept("grants"):
		st := &ShowGrants{For: engine.ShowSelf}
		if !p.accept("for") {
			return st, nil
		}
		st.For = engine.ShowAny
		// USER and ROLE are the form's keywords only when a name follows.
		if next := p.peek(1); next.kind == tokWord || next.kind == tokQuoted {
			switch {
			case p.accept("user"):
				st.For = engine.ShowUser
			case p.accept("role"):
				st.For = engine.ShowRole
			}
		}
		var err error
		st.Name, err = p.name("a role or user name")
		return st, err
	case p.accept("roles"):
		return &ShowRoles{}, nil
	case p.accept("users"):
		return &ShowUsers{}, nil
	case p.accept("accounts"):
		return &ShowAccounts{}, nil
	}
	return nil, p.expected("GRANTS, ROLES, USERS, ACCOUNTS, DATABASES, TABLES, PRIVILEGES, PRIVILEGE GROUPS or ALIASES")
}

// connect parses the rest of CONNECT login IDENTIFIED BY 'pw'. The login is
// the words, quoted texts and ':' written before IDENTIFIED, joined without
// spaces; the engine splits and checks it.
func (p *parser) connect() (Statement, error) {
	p.passwords = true
	st := &Connect{}
	var b strings.Builder
	for n := 0; n == 0 || !p.at("identified"); n++ {
		t := p.peek(0)
		if t.kind != tokWord && t.kind != tokQuoted && !isPunct(t, ":") {
			return nil, p.expected("a login account:user[:role]")
		}
		b.WriteString(p.advance().text)
	}
	st.Login = b.String()
	var err error
	st.Password, err = p.identifiedBy()
	return st, err
}
