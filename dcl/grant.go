package dcl

import (
	"strconv"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// item is one entry of the list after GRANT or REVOKE: a privilege of one
// or more words (CREATE TABLE) or a role name.
type item struct {
	first token
	words []string
	cols  []string // the columns a privilege names (reference §18)
}

// text returns the item as written, its words joined by single spaces.
func (it item) text() string { return strings.Join(it.words, " ") }

// items parses the comma-separated list after GRANT or REVOKE, up to ON, TO
// or FROM. An entry is one quoted text or one or more bare words.
func (p *parser) items() ([]item, error) {
	var out []item
	for {
		t := p.peek(0)
		it := item{first: t}
		switch {
		case t.kind == tokQuoted:
			it.words = []string{p.advance().text}
		case t.kind == tokWord && !p.atListEnd():
			for p.peek(0).kind == tokWord && !p.atListEnd() {
				it.words = append(it.words, p.advance().text)
			}
		default:
			return nil, p.expected("a privilege or role name")
		}
		if isPunct(p.peek(0), "(") {
			var err error
			if it.cols, err = p.columnList(); err != nil {
				return nil, err
			}
		}
		out = append(out, it)
		if !p.acceptPunct(",") {
			return out, nil
		}
	}
}

// describeItem names an item for an error message: quoted, unless the
// statement may carry a password.
func (p *parser) describeItem(it item) string {
	if p.guarded() {
		return "several words"
	}
	return strconv.Quote(it.text())
}

// atListEnd reports whether the keyword ending a GRANT or REVOKE list comes next.
func (p *parser) atListEnd() bool { return p.at("on") || p.at("to") || p.at("from") }

// roleNames turns items into role names: each must be a single name.
func (p *parser) roleNames(items []item) ([]string, error) {
	names := make([]string, len(items))
	p.names = 0
	for i, it := range items {
		if len(it.words) != 1 || it.cols != nil {
			return nil, p.errorAt(it.first, "expected a role name, found %s", p.describeItem(it))
		}
		if err := p.count(); err != nil {
			return nil, err
		}
		names[i] = it.words[0]
	}
	return names, nil
}

// privileges turns items into privilege names as written, and reports
// whether one of them is OWNERSHIP.
func privileges(items []item) (privs []string, ownership bool) {
	privs = make([]string, len(items))
	for i, it := range items {
		privs[i] = it.text()
		if strings.EqualFold(privs[i], "ownership") {
			ownership = true
		}
	}
	return privs, ownership
}

// grant parses the rest of
//
//	GRANT priv [, priv ...] ON level TO r [, r ...] [WITH GRANT OPTION]
//	GRANT OWNERSHIP ON object TO r
//	GRANT r [, r ...] TO x [, x ...] [WITH GRANT OPTION]
func (p *parser) grant() (Statement, error) {
	if p.accept("privilege", "group") {
		return p.grantGroup()
	}
	items, err := p.items()
	if err != nil {
		return nil, err
	}
	if p.accept("on") {
		st := &GrantPrivilege{Columns: columnLists(items)}
		var ownership bool
		st.Privileges, ownership = privileges(items)
		if st.On, err = p.target(ownership); err != nil {
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
	st := &GrantRole{}
	if st.Roles, err = p.roleNames(items); err != nil {
		return nil, err
	}
	if err := p.expect("to"); err != nil {
		return nil, err
	}
	if st.To, err = p.nameList("a role or user name"); err != nil {
		return nil, err
	}
	st.Option = p.withGrantOption()
	return st, nil
}

// withGrantOption parses an optional WITH GRANT OPTION.
func (p *parser) withGrantOption() engine.GrantOption {
	if p.accept("with", "grant", "option") {
		return engine.GrantWithOption
	}
	return engine.PlainGrant
}

// revoke parses the rest of
//
//	REVOKE [IF EXISTS] [GRANT OPTION FOR] priv [, priv ...] ON level FROM r [, r ...]
//	REVOKE [IF EXISTS] [GRANT OPTION FOR] r [, r ...] FROM x [, x ...]
func (p *parser) revoke() (Statement, error) {
	ifExists := p.ifExists()
	if p.atDeny() {
		return p.revokeDeny(ifExists)
	}
	optionOnly := p.accept("grant", "option", "for")
	if p.accept("privilege", "group") {
		return p.revokeGroup(ifExists, optionOnly)
	}
	items, err := p.items()
	if err != nil {
		return nil, err
	}
	if p.accept("on") {
		st := &RevokePrivilege{IfExists: ifExists, GrantOptionOnly: optionOnly, Columns: columnLists(items)}
		var ownership bool
		st.Privileges, ownership = privileges(items)
		if st.On, err = p.target(ownership); err != nil {
			return nil, err
		}
		if err := p.expect("from"); err != nil {
			return nil, err
		}
		if st.From, err = p.nameList("a role name"); err != nil {
			return nil, err
		}
		return st, nil
	}
	st := &RevokeRole{IfExists: ifExists, GrantOptionOnly: optionOnly}
	if st.Roles, err = p.roleNames(items); err != nil {
		return nil, err
	}
	if err := p.expect("from"); err != nil {
		return nil, err
	}
	if st.From, err = p.nameList("a role or user name"); err != nil {
		return nil, err
	}
	return st, nil
}

// target parses a level or object after ON:
//
//	ACCOUNT [*]
//	DATABASE {* | *.* | d | p*}
//	TABLE {*.* | d.* | * | d.t | t | p*.* | d.q* | q*}
//	ROLE r | USER u | ALIAS [d.]a   (only when objects is set)
//
// A name followed at once by `*` is a name pattern's prefix (reference §16).
func (p *parser) target(objects bool) (engine.Target, error) {
	kw := p.peek(0)
	switch {
	case p.accept("account"):
		p.acceptPunct("*")
		return engine.Target{Kind: model.KindAccount}, nil
	case p.accept("database"):
		if p.acceptPunct("*") {
			if p.acceptPunct(".") {
				if err := p.expectPunct("*"); err != nil {
					return engine.Target{}, err
				}
			}
			return engine.Target{Kind: model.KindDatabase, AnyDatabase: true}, nil
		}
		d, err := p.name("a database name or *")
		return engine.Target{Kind: model.KindDatabase, Database: d, DatabasePattern: err == nil && p.pattern()}, err
	case p.accept("table"):
		return p.tableTarget()
	case objects && p.accept("column"):
		return p.columnTarget()
	case objects && p.accept("alias"):
		db, name, err := p.tableName()
		return engine.Target{Kind: model.KindAlias, Database: db, Name: name}, err
	case p.at("role") || p.at("user"):
		if !objects {
			return engine.Target{}, p.errorAt(kw, "ON ROLE and ON USER are only for OWNERSHIP")
		}
		kind := model.KindRole
		if p.accept("user") {
			kind = model.KindUser
		} else {
			p.advance()
		}
		n, err := p.name("a " + kind.String() + " name")
		return engine.Target{Kind: kind, Name: n}, err
	}
	if objects {
		return engine.Target{}, p.expected("ACCOUNT, DATABASE, TABLE, COLUMN, ROLE or USER")
	}
	return engine.Target{}, p.expected("ACCOUNT, DATABASE or TABLE")
}

// tableTarget parses {*.* | d.* | * | d.t | t} after TABLE.
func (p *parser) tableTarget() (engine.Target, error) {
	t := engine.Target{Kind: model.KindTable}
	if p.acceptPunct("*") {
		t.AnyTable = true
		if p.acceptPunct(".") {
			if err := p.expectPunct("*"); err != nil {
				return engine.Target{}, err
			}
			t.AnyDatabase = true
		}
		return t, nil
	}
	first, err := p.name("a table name or *")
	if err != nil {
		return engine.Target{}, err
	}
	firstPattern := p.pattern()
	if !p.acceptPunct(".") {
		t.Name, t.TablePattern = first, firstPattern
		return t, nil
	}
	t.Database = first
	if firstPattern {
		t.DatabasePattern, t.AnyTable = true, true
		return t, p.expectPunct("*")
	}
	if p.acceptPunct("*") {
		t.AnyTable = true
		return t, nil
	}
	if t.Name, err = p.name("a table name or *"); err != nil {
		return t, err
	}
	t.TablePattern = p.pattern()
	return t, nil
}
