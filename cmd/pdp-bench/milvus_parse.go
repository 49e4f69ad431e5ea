package main

import (
	"fmt"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Parsing the statements of privilege groups and the name pattern levels
// (milvus.go) in workload files.

// patternLevel reads a name pattern level: DATABASE p*, TABLE p*.* or
// TABLE d.q*. ok is false when the next level is not a pattern.
func (p *parser) patternLevel() (t engine.Target, ok bool, err error) {
	if p.pos+1 >= len(p.toks) || p.toks[p.pos+1].quoted {
		return t, false, nil
	}
	text := strings.ToLower(p.toks[p.pos+1].text)
	switch kw := strings.ToUpper(p.toks[p.pos].text); {
	case kw == "DATABASE" && text != "*" && text != "*.*" && strings.HasSuffix(text, "*"):
		t = engine.Target{Kind: model.KindDatabase, Database: strings.TrimSuffix(text, "*"), DatabasePattern: true}
	case kw == "TABLE" && text != "*.*" && strings.HasSuffix(text, "*.*"):
		t = engine.Target{Kind: model.KindTable, Database: strings.TrimSuffix(text, "*.*"), DatabasePattern: true, AnyTable: true}
	case kw == "TABLE" && !strings.HasSuffix(text, ".*") && strings.HasSuffix(text, "*"):
		d, n, _ := strings.Cut(strings.TrimSuffix(text, "*"), ".")
		t = engine.Target{Kind: model.KindTable, Database: d, Name: n, TablePattern: true}
	default:
		return t, false, nil
	}
	p.pos += 2
	if t.Database == "" || strings.ContainsAny(t.Database+t.Name, "*.") || t.TablePattern && t.Name == "" {
		return t, true, fmt.Errorf("%w: bad pattern level %q", errSyntax, text)
	}
	return t, true, nil
}

// createGroup parses the rest of CREATE PRIVILEGE GROUP g.
func (p *parser) createGroup() error {
	if err := p.needAccount(); err != nil {
		return err
	}
	name, err := p.name()
	if err != nil {
		return err
	}
	p.w.Setup = append(p.w.Setup, Statement{Kind: StmtCreateGroup, Line: p.line, Account: p.account, Name: name})
	return p.end()
}

// alterGroup parses the rest of ALTER PRIVILEGE GROUP g ADD priv [, priv ...].
func (p *parser) alterGroup() error {
	if err := p.needAccount(); err != nil {
		return err
	}
	name, err := p.name()
	if err != nil {
		return err
	}
	if err := p.expect("ADD"); err != nil {
		return err
	}
	st := Statement{Kind: StmtAlterGroup, Line: p.line, Account: p.account, Name: name}
	var words []string
	flush := func() error {
		priv, ok := model.ParsePrivilege(strings.Join(words, " "))
		if !ok || !priv.Groupable() {
			return fmt.Errorf("%w: privilege %q can not be in a group", errSyntax, strings.Join(words, " "))
		}
		st.Privileges |= priv.Bit()
		words = words[:0]
		return nil
	}
	for ; p.pos < len(p.toks); p.pos++ {
		if t := p.toks[p.pos]; t.text == "," {
			if err := flush(); err != nil {
				return err
			}
		} else {
			words = append(words, t.text)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	p.w.Setup = append(p.w.Setup, st)
	return p.end()
}

// grantGroup parses the rest of GRANT PRIVILEGE GROUP g ON level TO r.
func (p *parser) grantGroup() error {
	if err := p.needAccount(); err != nil {
		return err
	}
	st := Statement{Kind: StmtGrantGroup, Line: p.line, Account: p.account}
	var err error
	if st.Group, err = p.name(); err != nil {
		return err
	}
	if err := p.expect("ON"); err != nil {
		return err
	}
	if st.On, err = p.level(); err != nil {
		return err
	}
	if err := p.expect("TO"); err != nil {
		return err
	}
	if st.To, err = p.name(); err != nil {
		return err
	}
	p.w.Setup = append(p.w.Setup, st)
	return p.end()
}

// mutateGroup parses the rest of a group mutation, after PRIVILEGE GROUP.
func (p *parser) mutateGroup(m Mutation, revoke bool) error {
	m.Kind = MutGrantGroup
	if revoke {
		m.Kind = MutRevokeGroup
	}
	var err error
	if m.Group, err = p.name(); err != nil {
		return err
	}
	if err := p.expect("ON"); err != nil {
		return err
	}
	if m.On, err = p.level(); err != nil {
		return err
	}
	to := "TO"
	if revoke {
		to = "FROM"
	}
	if err := p.expect(to); err != nil {
		return err
	}
	if m.Grantee, err = p.name(); err != nil {
		return err
	}
	p.w.Mutations = append(p.w.Mutations, m)
	return p.end()
}
