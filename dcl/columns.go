package dcl

import (
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// The statements of reference §18 and §21: columns of tables, column lists in
// GRANT and REVOKE, DENY and REVOKE DENY, and COLUMN objects.
type (
	// AlterTable is ALTER TABLE [d.]t {ADD COLUMN c type | DROP COLUMN c}.
	AlterTable engine.AlterTable
	// ShowColumns is SHOW COLUMNS FROM [d.]t.
	ShowColumns engine.ShowColumns
	// Deny is DENY priv [(c, ...)] [, ...] ON level TO r [, r ...].
	Deny engine.Deny
	// RevokeDeny is REVOKE [IF EXISTS] DENY priv [(c, ...)] [, ...] ON level FROM r [, r ...].
	RevokeDeny engine.RevokeDeny
)

func (*AlterTable) statement()  {}
func (*ShowColumns) statement() {}
func (*Deny) statement()        {}
func (*RevokeDeny) statement()  {}

// constraintWords start the items of a column list that are constraints,
// not columns (reference §21): PRIMARY KEY, UNIQUE, KEY, INDEX, CONSTRAINT,
// FOREIGN KEY, CHECK.
var constraintWords = []string{"primary", "unique", "key", "index", "constraint", "foreign", "check"}

// columnDefinitions parses the parenthesised column list of CREATE TABLE:
// items separated by top-level commas, each `c type` (the type being any
// text up to the next top-level comma) or a constraint.
func (p *parser) columnDefinitions() ([]engine.ColumnDef, error) {
	open := p.advance()
	var defs []engine.ColumnDef
	for {
		first := p.peek(0)
		last, end, err := p.columnItem(open)
		if err != nil {
			return nil, err
		}
		if def, ok, err := p.columnDef(first, last); err != nil {
			return nil, err
		} else if ok {
			defs = append(defs, def)
		}
		if isPunct(end, ")") {
			return defs, nil
		}
	}
}

// columnItem consumes one item of a column list up to its top-level ','
// or the list's closing ')', which it returns as end, with the item's last
// token.
func (p *parser) columnItem(open token) (last, end token, err error) {
	depth := 0
	for {
		t := p.advance()
		switch {
		case t.kind == tokEOF:
			return last, t, p.errorAt(open, "unbalanced parentheses")
		case isPunct(t, "("):
			depth++
		case isPunct(t, ")") && depth > 0:
			depth--
		case depth == 0 && (isPunct(t, ",") || isPunct(t, ")")):
			return last, t, nil
		}
		last = t
	}
}

// columnDef turns the item from first to last into a column; ok is false
// for a constraint.
func (p *parser) columnDef(first, last token) (def engine.ColumnDef, ok bool, err error) {
	if first.kind != tokWord && first.kind != tokQuoted {
		return def, false, p.errorAt(first, "expected a column name, found %s", p.describe(first))
	}
	if first.kind == tokWord {
		for _, w := range constraintWords {
			if strings.EqualFold(first.text, w) {
				return def, false, nil
			}
		}
	}
	if last.pos <= first.pos {
		return def, false, p.errorAt(first, "expected a type after the column name %s", p.describe(first))
	}
	rest := strings.TrimSpace(p.src[first.end:last.end])
	return engine.ColumnDef{Name: first.text, Type: rest}, true, nil
}

// alterTable parses [d.]t {ADD COLUMN c type | DROP COLUMN c} after ALTER
// TABLE; the type is the rest of the statement.
func (p *parser) alterTable() (Statement, error) {
	st := &AlterTable{}
	var err error
	if st.Database, st.Name, err = p.tableName(); err != nil {
		return nil, err
	}
	switch {
	case p.accept("add", "column"):
		st.Action = engine.TableAddColumn
		if st.Column.Name, err = p.name("a column name"); err != nil {
			return nil, err
		}
		start := p.peek(0)
		if start.kind == tokEOF {
			return nil, p.expected("a column type")
		}
		var last token
		for p.peek(0).kind != tokEOF {
			last = p.advance()
		}
		st.Column.Type = strings.TrimSpace(p.src[start.pos:last.end])
	case p.accept("drop", "column"):
		st.Action = engine.TableDropColumn
		if st.Column.Name, err = p.name("a column name"); err != nil {
			return nil, err
		}
	default:
		return nil, p.expected("ADD COLUMN or DROP COLUMN")
	}
	return st, nil
}

// showColumns parses SHOW COLUMNS FROM [d.]t after SHOW; ok is false when
// COLUMNS does not come next.
func (p *parser) showColumns() (Statement, bool, error) {
	if !p.accept("columns") {
		return nil, false, nil
	}
	if err := p.expect("from"); err != nil {
		return nil, true, err
	}
	st := &ShowColumns{}
	var err error
	st.Database, st.Name, err = p.tableName()
	return st, true, err
}

// columnList parses `(c [, c ...])` after a privilege. Its names are not
// counted against the names-per-statement limit (the engine applies the
// columns limit).
func (p *parser) columnList() ([]string, error) {
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	var out []string
	for {
		n, err := p.name("a column name")
		if err != nil {
			return nil, err
		}
		out = append(out, n)
		if !p.acceptPunct(",") {
			break
		}
	}
	return out, p.expectPunct(")")
}

// columnLists returns the column lists of items, nil when none names a column.
func columnLists(items []item) [][]string {
	var out [][]string
	for i, it := range items {
		if len(it.cols) == 0 {
			continue
		}
		if out == nil {
			out = make([][]string, len(items))
		}
		out[i] = it.cols
	}
	return out
}

// atDeny reports whether DENY the keyword comes next after REVOKE [IF
// EXISTS]: DENY followed by a privilege, not by the end of a role list.
func (p *parser) atDeny() bool {
	next := p.peek(1)
	return p.at("deny") && (next.kind == tokWord || next.kind == tokQuoted) &&
		!isKeyword(next, "from") && !isKeyword(next, "on") && !isKeyword(next, "to")
}

// deny parses the rest of DENY priv [(c, ...)] [, ...] ON level TO r [, r ...].
func (p *parser) deny() (Statement, error) {
	items, err := p.items()
	if err != nil {
		return nil, err
	}
	st := &Deny{Columns: columnLists(items)}
	st.Privileges, _ = privileges(items)
	if err := p.expect("on"); err != nil {
		return nil, err
	}
	if st.On, err = p.target(false); err != nil {
		return nil, err
	}
	if err := p.expect("to"); err != nil {
		return nil, err
	}
	st.To, err = p.nameList("a role name")
	return st, err
}

// revokeDeny parses the rest of REVOKE [IF EXISTS] DENY priv [(c, ...)]
// [, ...] ON level FROM r [, r ...], after DENY.
func (p *parser) revokeDeny(ifExists bool) (Statement, error) {
	p.advance() // DENY
	items, err := p.items()
	if err != nil {
		return nil, err
	}
	st := &RevokeDeny{IfExists: ifExists, Columns: columnLists(items)}
	st.Privileges, _ = privileges(items)
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

// columnTarget parses [d.]t.c after COLUMN.
func (p *parser) columnTarget() (engine.Target, error) {
	t := engine.Target{Kind: model.KindColumn}
	var parts []string
	for {
		n, err := p.name("a table or column name")
		if err != nil {
			return t, err
		}
		parts = append(parts, n)
		if len(parts) == 3 || !p.acceptPunct(".") {
			break
		}
	}
	switch len(parts) {
	case 3:
		t.Database, t.Name, t.Column = parts[0], parts[1], parts[2]
	case 2:
		t.Name, t.Column = parts[0], parts[1]
	default:
		return t, p.expected("'.' and a column name")
	}
	return t, nil
}

// execColumns runs the statements of this file; ok is false for any other
// statement.
func execColumns(sess *engine.Session, st Statement) (res Result, ok bool, err error) {
	switch st := st.(type) {
	case *AlterTable:
		err = sess.AlterTable(engine.AlterTable(*st))
	case *ShowColumns:
		res, err = rows(sess.ShowColumns(engine.ShowColumns(*st)))
	case *Deny:
		err = sess.Deny(engine.Deny(*st))
	case *RevokeDeny:
		err = sess.RevokeDeny(engine.RevokeDeny(*st))
	default:
		return Result{}, false, nil
	}
	return res, true, err
}
