package dcl

import (
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// ExplainCheck is EXPLAIN CHECK priv ON object (reference §19): the decision of
// CHECK and, when allowed, the role, the inheritance path and the grant
// that decided it.
type ExplainCheck struct {
	Check
}

// A [Check] is also the statement CHECK priv ON object, which answers one
// row: `allow <reason>` or `deny <reason>`.
func (*Check) statement()        {}
func (*ExplainCheck) statement() {}

// checkBody parses `priv ON object`, the body of CHECK, EXPLAIN CHECK and a
// scenario's check line.
func (p *parser) checkBody() (*Check, error) {
	it, err := p.items()
	if err != nil {
		return nil, err
	}
	if len(it) != 1 {
		return nil, p.errorAt(it[1].first, "expected one privilege")
	}
	if err := p.expect("on"); err != nil {
		return nil, err
	}
	on, err := p.target(true)
	if err != nil {
		return nil, err
	}
	return &Check{Privilege: it[0].text(), On: on}, nil
}

// checkStatement parses the rest of CHECK priv ON object [FOR USER u
// [ROLE r] [SECONDARY {ALL | NONE}]].
func (p *parser) checkStatement() (Statement, error) {
	c, err := p.checkBody()
	if err != nil {
		return nil, err
	}
	c.For, err = p.forUser()
	return c, err
}

// explainCheck parses the rest of EXPLAIN CHECK priv ON object.
func (p *parser) explainCheck() (Statement, error) {
	if err := p.expect("check"); err != nil {
		return nil, err
	}
	st, err := p.checkStatement()
	if err != nil {
		return nil, err
	}
	return &ExplainCheck{Check: *st.(*Check)}, nil
}

// checkRows runs CHECK, or EXPLAIN CHECK when explain is set, on sess. The
// rows are `allow <reason>` or `deny <reason>`, and for an allowing EXPLAIN
// `via <role>`, `path <r1> -> <r2> ...` and `grant <SHOW GRANTS row>`.
func checkRows(sess *engine.Session, c Check, explain bool) (Result, error) {
	p, err := boundPrivilege(c.Privilege, c.On.Kind)
	if err != nil {
		return Result{}, err
	}
	x, err := sess.ExplainFor(p, c.On, c.For)
	if err != nil {
		return Result{}, err
	}
	rows := []string{verdict(x.Decision)}
	if explain && x.Decision.Allowed {
		rows = append(rows, explainRows(x)...)
	}
	if explain && x.Deny != "" {
		rows = append(rows, "deny "+x.Deny)
	}
	return Result{Rows: rows, Show: true}, nil
}

// boundPrivilege maps a privilege as written to its privilege; ALL is the
// ALL of the object's level.
func boundPrivilege(name string, kind model.Kind) (model.Privilege, error) {
	p, ok := model.ParsePrivilege(name)
	if !ok {
		return 0, model.Errorf(model.ErrInvalidPrivilege, "unsupported privilege type %s", strings.ToLower(name))
	}
	if p != model.PrivAll {
		return p, nil
	}
	switch kind {
	case model.KindAccount:
		return model.LevelAccount.All(), nil
	case model.KindDatabase:
		return model.LevelDatabase.All(), nil
	case model.KindTable, model.KindColumn:
		return model.LevelTable.All(), nil
	}
	return p, nil
}

// verdict is the first row of CHECK and EXPLAIN CHECK.
func verdict(d engine.Decision) string {
	if d.Allowed {
		return "allow " + d.Reason.String()
	}
	return "deny " + d.Reason.String()
}

// explainRows are the rows of EXPLAIN CHECK after the verdict of an allowed
// decision.
func explainRows(x engine.Explanation) []string {
	var rows []string
	if x.Via != "" {
		rows = append(rows, "via "+model.Quote(x.Via))
	}
	if len(x.Path) > 0 {
		path := make([]string, len(x.Path))
		for i, r := range x.Path {
			path[i] = model.Quote(r)
		}
		rows = append(rows, "path "+strings.Join(path, " -> "))
	}
	if x.Grant != "" {
		rows = append(rows, "grant "+x.Grant)
	}
	return rows
}
