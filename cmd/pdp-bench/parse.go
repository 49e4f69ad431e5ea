package main

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// errSyntax is wrapped by every parse error.
var errSyntax = errors.New("workload syntax")

// ReadFile parses the workload in path, gunzipping it when it starts with
// the gzip magic number.
func ReadFile(path string) (*Workload, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read workload: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var r io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read workload %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	w, err := Parse(r)
	if err != nil {
		return nil, fmt.Errorf("read workload %s: %w", filepath.Base(path), err)
	}
	w.Name = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".gz"), ".sql")
	return w, nil
}

// Parse reads a workload. Leading comment lines are kept in Comments;
// "-- section:" lines and other comments are skipped, since each
// statement's first keyword tells its section.
func Parse(r io.Reader) (*Workload, error) {
	w := &Workload{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	p := parser{w: w}
	leading := true
	for sc.Scan() {
		p.line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if c, ok := strings.CutPrefix(text, "--"); ok {
			c = strings.TrimSpace(c)
			if leading && !strings.HasPrefix(c, "section:") {
				w.Comments = append(w.Comments, c)
			} else {
				leading = false
			}
			continue
		}
		leading = false
		if err := p.statement(text); err != nil {
			return nil, fmt.Errorf("line %d: %w", p.line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", p.line, err)
	}
	return w, nil
}

// ParseString parses a workload held in a string.
func ParseString(s string) (*Workload, error) { return Parse(strings.NewReader(s)) }

type parser struct {
	w       *Workload
	line    int
	account string // set by USE ACCOUNT
	toks    []token
	pos     int
}

func (p *parser) statement(text string) error {
	toks, err := tokenize(text)
	if err != nil {
		return err
	}
	if len(toks) == 0 {
		return nil
	}
	p.toks, p.pos = toks, 0
	switch {
	case p.accept("CREATE", "ACCOUNT"):
		return p.createAccount()
	case p.accept("USE", "ACCOUNT"):
		name, err := p.name()
		if err != nil {
			return err
		}
		p.account = name
		return p.end()
	case p.accept("CREATE", "DATABASE"):
		return p.createSimple(StmtCreateDatabase)
	case p.accept("CREATE", "ROLE"):
		return p.createSimple(StmtCreateRole)
	case p.accept("CREATE", "TABLE"):
		return p.createTable()
	case p.accept("CREATE", "USER"):
		return p.createUser()
	case p.accept("CREATE", "PRIVILEGE", "GROUP"):
		return p.createGroup()
	case p.accept("ALTER", "PRIVILEGE", "GROUP"):
		return p.alterGroup()
	case p.accept("GRANT", "PRIVILEGE", "GROUP"):
		return p.grantGroup()
	case p.accept("GRANT"):
		return p.grant()
	case p.accept("DENY"):
		return p.deny()
	case p.accept("CHECK"):
		return p.check()
	case p.accept("MUTATE"):
		return p.mutate()
	}
	return fmt.Errorf("%w: unsupported statement %q", errSyntax, text)
}

func (p *parser) needAccount() error {
	if p.account == "" {
		return fmt.Errorf("%w: no USE ACCOUNT before this statement", errSyntax)
	}
	return nil
}

func (p *parser) createAccount() error {
	name, err := p.name()
	if err != nil {
		return err
	}
	if err := p.expect("ADMIN_NAME"); err != nil {
		return err
	}
	p.accept("=")
	admin, err := p.str()
	if err != nil {
		return err
	}
	if err := p.expect("IDENTIFIED", "BY"); err != nil {
		return err
	}
	pw, err := p.str()
	if err != nil {
		return err
	}
	p.w.Setup = append(p.w.Setup, Statement{Kind: StmtCreateAccount, Line: p.line, Account: name,
		Name: name, AdminName: strings.ToLower(strings.TrimSpace(admin)), Password: pw})
	return p.end()
}

func (p *parser) createSimple(kind StmtKind) error {
	if err := p.needAccount(); err != nil {
		return err
	}
	name, err := p.name()
	if err != nil {
		return err
	}
	p.w.Setup = append(p.w.Setup, Statement{Kind: kind, Line: p.line, Account: p.account, Name: name})
	return p.end()
}

func (p *parser) createTable() error {
	if err := p.needAccount(); err != nil {
		return err
	}
	full, err := p.name()
	if err != nil {
		return err
	}
	db, tbl, ok := strings.Cut(full, ".")
	if !ok || db == "" || tbl == "" || strings.Contains(tbl, ".") {
		return fmt.Errorf("%w: table %q must be written db.t", errSyntax, full)
	}
	cols, err := p.columnDefs()
	if err != nil {
		return err
	}
	if len(cols) == 1 && cols[0] == "a" {
		cols = nil // `(a INT)`, the tables of the benchmark README
	}
	p.w.Setup = append(p.w.Setup, Statement{Kind: StmtCreateTable, Line: p.line, Account: p.account, Name: tbl,
		Database: db, Columns: cols})
	return nil
}

func (p *parser) createUser() error {
	if err := p.needAccount(); err != nil {
		return err
	}
	name, err := p.name()
	if err != nil {
		return err
	}
	if err := p.expect("IDENTIFIED", "BY"); err != nil {
		return err
	}
	pw, err := p.str()
	if err != nil {
		return err
	}
	p.w.Setup = append(p.w.Setup, Statement{Kind: StmtCreateUser, Line: p.line, Account: p.account, Name: name, Password: pw})
	return p.end()
}

// hasOn reports whether an unquoted ON keyword follows: a privilege GRANT
// or REVOKE rather than a role one.
func (p *parser) hasOn() bool {
	for _, t := range p.toks[p.pos:] {
		if !t.quoted && strings.EqualFold(t.text, "ON") {
			return true
		}
	}
	return false
}

// privilege reads the words up to ON as one privilege name.
func (p *parser) privilege() (model.Privilege, error) {
	var words []string
	for p.pos < len(p.toks) && (p.toks[p.pos].quoted || !strings.EqualFold(p.toks[p.pos].text, "ON")) {
		t := p.toks[p.pos]
		if t.text == "," {
			return 0, fmt.Errorf("%w: only one privilege per statement is supported", errSyntax)
		}
		words = append(words, t.text)
		p.pos++
	}
	name := strings.Join(words, " ")
	priv, ok := model.ParsePrivilege(name)
	if !ok || priv == model.PrivAll || priv == model.PrivOwnership {
		return 0, fmt.Errorf("%w: unsupported privilege %q", errSyntax, name)
	}
	if err := p.expect("ON"); err != nil {
		return 0, err
	}
	return priv, nil
}

// level reads DATABASE {* | *.* | d | p*} or TABLE {*.* | d.* | d.t | p*.* | d.q*}.
func (p *parser) level() (engine.Target, error) {
	if t, ok, err := p.patternLevel(); ok {
		return t, err
	}
	switch {
	case p.accept("DATABASE"):
		t, err := p.next()
		if err != nil {
			return engine.Target{}, err
		}
		if !t.quoted && (t.text == "*" || t.text == "*.*") {
			return engine.Target{Kind: model.KindDatabase, AnyDatabase: true}, nil
		}
		d := strings.ToLower(t.text)
		if d == "" || strings.ContainsAny(d, "*.") {
			return engine.Target{}, fmt.Errorf("%w: bad database %q", errSyntax, t.text)
		}
		return engine.Target{Kind: model.KindDatabase, Database: d}, nil
	case p.accept("TABLE"):
		t, err := p.next()
		if err != nil {
			return engine.Target{}, err
		}
		if t.text == "*.*" {
			return engine.Target{Kind: model.KindTable, AnyDatabase: true, AnyTable: true}, nil
		}
		d, n, ok := strings.Cut(strings.ToLower(t.text), ".")
		if !ok || d == "" || d == "*" || n == "" || strings.Contains(n, ".") {
			return engine.Target{}, fmt.Errorf("%w: table level %q must be *.*, d.* or d.t", errSyntax, t.text)
		}
		if n == "*" {
			return engine.Target{Kind: model.KindTable, Database: d, AnyTable: true}, nil
		}
		return engine.Target{Kind: model.KindTable, Database: d, Name: n}, nil
	}
	return engine.Target{}, fmt.Errorf("%w: expected DATABASE or TABLE at %s", errSyntax, p.near())
}

func (p *parser) grant() error {
	if err := p.needAccount(); err != nil {
		return err
	}
	if p.hasOn() {
		priv, col, err := p.privilegeColumn()
		if err != nil {
			return err
		}
		on, err := p.level()
		if err != nil {
			return err
		}
		if err := p.columnOnTable(col, on); err != nil {
			return err
		}
		if err := p.expect("TO"); err != nil {
			return err
		}
		to, err := p.name()
		if err != nil {
			return err
		}
		p.w.Setup = append(p.w.Setup, Statement{Kind: StmtGrantPrivilege, Line: p.line, Account: p.account,
			Privilege: priv, On: on, To: to, Column: col})
		return p.end()
	}
	role, err := p.name()
	if err != nil {
		return err
	}
	if err := p.expect("TO"); err != nil {
		return err
	}
	to, err := p.name()
	if err != nil {
		return err
	}
	p.w.Setup = append(p.w.Setup, Statement{Kind: StmtGrantRole, Line: p.line, Account: p.account, Name: role, To: to})
	return p.end()
}

// check parses CHECK ACCOUNT a USER u ROLE r SECONDARY ALL|NONE priv ON
// object [EXPECT ALLOW|DENY].
func (p *parser) check() error {
	c := Check{Line: p.line}
	var err error
	if err = p.expect("ACCOUNT"); err != nil {
		return err
	}
	if c.Account, err = p.name(); err != nil {
		return err
	}
	if err = p.expect("USER"); err != nil {
		return err
	}
	if c.User, err = p.name(); err != nil {
		return err
	}
	if err = p.expect("ROLE"); err != nil {
		return err
	}
	if c.Role, err = p.name(); err != nil {
		return err
	}
	if err = p.expect("SECONDARY"); err != nil {
		return err
	}
	switch {
	case p.accept("ALL"):
		c.Secondary = engine.SecondaryAll
	case p.accept("NONE"):
		c.Secondary = engine.SecondaryNone
	default:
		return fmt.Errorf("%w: expected ALL or NONE at %s", errSyntax, p.near())
	}
	if c.Privilege, err = p.privilege(); err != nil {
		return err
	}
	if p.accept("COLUMN") {
		c.On, err = p.column()
	} else {
		c.On, err = p.level()
	}
	if err != nil {
		return err
	}
	if c.On.AnyDatabase || c.On.AnyTable || c.On.DatabasePattern || c.On.TablePattern {
		return fmt.Errorf("%w: a check names a concrete object, not %s", errSyntax, FormatTarget(c.On))
	}
	if p.accept("EXPECT") {
		switch {
		case p.accept("ALLOW"):
			c.Expect = ExpectAllow
		case p.accept("DENY"):
			c.Expect = ExpectDeny
		default:
			return fmt.Errorf("%w: expected ALLOW or DENY at %s", errSyntax, p.near())
		}
	}
	p.w.Checks = append(p.w.Checks, c)
	return p.end()
}

// mutate parses MUTATE ACCOUNT a {REVOKE | GRANT} {priv ON level | role}
// {FROM | TO} grantee.
func (p *parser) mutate() error {
	m := Mutation{Line: p.line}
	var err error
	if err = p.expect("ACCOUNT"); err != nil {
		return err
	}
	if m.Account, err = p.name(); err != nil {
		return err
	}
	revoke := false
	switch {
	case p.accept("REVOKE"):
		revoke = true
	case p.accept("GRANT"):
	default:
		return fmt.Errorf("%w: expected GRANT or REVOKE at %s", errSyntax, p.near())
	}
	if p.accept("PRIVILEGE", "GROUP") {
		return p.mutateGroup(m, revoke)
	}
	if p.hasOn() {
		m.Kind = MutGrantPrivilege
		if revoke {
			m.Kind = MutRevokePrivilege
		}
		if m.Privilege, err = p.privilege(); err != nil {
			return err
		}
		if m.On, err = p.level(); err != nil {
			return err
		}
	} else {
		m.Kind = MutGrantRole
		if revoke {
			m.Kind = MutRevokeRole
		}
		if m.Role, err = p.name(); err != nil {
			return err
		}
	}
	if revoke {
		err = p.expect("FROM")
	} else {
		err = p.expect("TO")
	}
	if err != nil {
		return err
	}
	if m.Grantee, err = p.name(); err != nil {
		return err
	}
	p.w.Mutations = append(p.w.Mutations, m)
	return p.end()
}
