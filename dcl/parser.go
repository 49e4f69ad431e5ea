package dcl

import (
	"iter"
	"strconv"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// The default limits of SPEC §10.
const (
	DefaultStatementBytes    = 1 << 20
	DefaultNamesPerStatement = 1000
)

// Parser parses statement text. Make one with [New]; it is immutable and
// safe to share between goroutines.
type Parser struct {
	maxBytes int
	maxNames int
}

// Option configures [New].
type Option func(*Parser)

// WithStatementBytes sets the longest statement accepted, in bytes from its
// first token to its last; n <= 0 keeps the default.
func WithStatementBytes(n int) Option {
	return func(p *Parser) {
		if n > 0 {
			p.maxBytes = n
		}
	}
}

// WithNamesPerStatement sets how many user or role names one list of a
// statement may hold (the roles, the grantees, ...), as the engine counts
// them; n <= 0 keeps the default.
func WithNamesPerStatement(n int) Option {
	return func(p *Parser) {
		if n > 0 {
			p.maxNames = n
		}
	}
}

// WithLimits takes the statement limits from an engine's limits, e.g.
// New(WithLimits(eng.Limits())); zero fields keep the defaults.
func WithLimits(l engine.Limits) Option {
	return func(p *Parser) {
		WithStatementBytes(l.StatementBytes)(p)
		WithNamesPerStatement(l.NamesPerStatement)(p)
	}
}

// New returns a parser with the default limits changed by opts.
func New(opts ...Option) *Parser {
	p := &Parser{maxBytes: DefaultStatementBytes, maxNames: DefaultNamesPerStatement}
	for _, opt := range opts {
		opt(p)
	}
	return p
}

// defaultParser serves [Parse].
var defaultParser = New()

// Parse parses src, one or more statements separated by ';', with the
// default limits. See [Parser.Parse].
func Parse(src string) ([]Statement, error) { return defaultParser.Parse(src) }

// Parse parses src, one or more statements separated by ';', and returns
// them in order. Empty statements are skipped. It stops at the first error.
func (p *Parser) Parse(src string) ([]Statement, error) {
	var out []Statement
	for st, err := range p.All(src) {
		if err != nil {
			return out, err
		}
		out = append(out, st)
	}
	return out, nil
}

// All yields the statements of src one by one, each with nil, or an error
// in its place. A syntax error inside a statement spoils only that one: the
// next statement is parsed after its ';'. An unterminated quote or comment
// ends the sequence.
func (p *Parser) All(src string) iter.Seq2[Statement, error] {
	return func(yield func(Statement, error) bool) {
		for loc := range p.AllLocated(src) {
			if !yield(loc.Statement, loc.Err) {
				return
			}
		}
	}
}

// split reads the tokens of one statement, up to its ';' or the end of the
// input, and returns them followed by a tokEOF at the ';' or the end. more
// reports whether a ';' ended it.
func (p *Parser) split(l *lexer) (toks []token, more bool, err error) {
	for {
		t, err := l.next()
		if err != nil {
			return nil, false, err
		}
		if t.kind == tokPunct && t.text == ";" {
			return append(toks, token{kind: tokEOF, text: ";", pos: t.pos, end: t.end}), true, nil
		}
		if t.kind == tokEOF {
			return append(toks, t), false, nil
		}
		if t.end-toks0(toks, t).pos > p.maxBytes {
			return nil, false, model.Errorf(model.ErrLimit, "the statement length exceeds the limit %d", p.maxBytes)
		}
		toks = append(toks, t)
	}
}

// toks0 returns the first token of a statement being read, t if none yet.
func toks0(toks []token, t token) token {
	if len(toks) > 0 {
		return toks[0]
	}
	return t
}

// Terminated reports whether src ends with a complete statement: its last
// token is a ';' outside quotes and comments. An interactive shell reads
// lines until it is.
func Terminated(src string) bool {
	l := &lexer{src: src}
	last := token{}
	for {
		t, err := l.next()
		if err != nil {
			return false
		}
		if t.kind == tokEOF {
			return last.kind == tokPunct && last.text == ";"
		}
		last = t
	}
}

// parser is the state of parsing one statement: its tokens, ending with a
// tokEOF, and a cursor.
type parser struct {
	src      string
	toks     []token
	i        int
	names    int // names in the list being read
	maxNames int
}

// parse parses one statement from toks, which end with a tokEOF.
func (p *Parser) parse(src string, toks []token) (Statement, error) {
	ps := &parser{src: src, toks: toks, maxNames: p.maxNames}
	st, err := ps.statement()
	if err != nil {
		return nil, err
	}
	if t := ps.peek(0); t.kind != tokEOF {
		return nil, ps.errorAt(t, "unexpected %s after the end of the statement", describe(t))
	}
	return st, nil
}

// peek returns the token k places ahead; past the end it returns the final tokEOF.
func (p *parser) peek(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

// advance consumes and returns the current token; it never moves past the tokEOF.
func (p *parser) advance() token {
	t := p.peek(0)
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// isKeyword reports whether t is the bare word kw, in any case.
func isKeyword(t token, kw string) bool {
	return t.kind == tokWord && strings.EqualFold(t.text, kw)
}

// isPunct reports whether t is the punctuation c.
func isPunct(t token, c string) bool {
	return t.kind == tokPunct && t.text == c
}

// at reports whether the next tokens are the keywords kws.
func (p *parser) at(kws ...string) bool {
	for k, kw := range kws {
		if !isKeyword(p.peek(k), kw) {
			return false
		}
	}
	return true
}

// accept consumes the keywords kws if they come next.
func (p *parser) accept(kws ...string) bool {
	if !p.at(kws...) {
		return false
	}
	p.i += len(kws)
	return true
}

// expect consumes the keywords kws or fails naming them.
func (p *parser) expect(kws ...string) error {
	for _, kw := range kws {
		if !isKeyword(p.peek(0), kw) {
			return p.expected(strings.ToUpper(kw))
		}
		p.advance()
	}
	return nil
}

// acceptPunct consumes the punctuation c if it comes next.
func (p *parser) acceptPunct(c string) bool {
	if isPunct(p.peek(0), c) {
		p.advance()
		return true
	}
	return false
}

// expectPunct consumes the punctuation c or fails.
func (p *parser) expectPunct(c string) error {
	if !p.acceptPunct(c) {
		return p.expected("'" + c + "'")
	}
	return nil
}

// name consumes a name: a bare word or quoted text.
func (p *parser) name(what string) (string, error) {
	t := p.peek(0)
	if t.kind != tokWord && t.kind != tokQuoted {
		return "", p.expected(what)
	}
	p.advance()
	return t.text, nil
}

// str consumes a string: text quoted with ' or ".
func (p *parser) str(what string) (string, error) {
	t := p.peek(0)
	if t.kind != tokQuoted || t.quote == '`' {
		return "", p.expected(what + " in quotes")
	}
	p.advance()
	return t.text, nil
}

// nameList consumes names separated by commas, counting them against the
// names-per-statement limit.
func (p *parser) nameList(what string) ([]string, error) {
	var out []string
	p.names = 0
	for {
		n, err := p.name(what)
		if err != nil {
			return nil, err
		}
		if err := p.count(); err != nil {
			return nil, err
		}
		out = append(out, n)
		if !p.acceptPunct(",") {
			return out, nil
		}
	}
}

// count counts one more name of the current list against the limit.
func (p *parser) count() error {
	p.names++
	if p.names > p.maxNames {
		return model.Errorf(model.ErrLimit, "the names per statement exceeds the limit %d", p.maxNames)
	}
	return nil
}

// ifExists consumes an optional IF EXISTS.
func (p *parser) ifExists() bool { return p.accept("if", "exists") }

// ifNotExists consumes an optional IF NOT EXISTS.
func (p *parser) ifNotExists() bool { return p.accept("if", "not", "exists") }

// expected returns a syntax error at the current token saying what was expected.
func (p *parser) expected(what string) error {
	t := p.peek(0)
	if t.kind == tokEOF && t.text == "" {
		return p.errorAt(t, "expected %s", what)
	}
	return p.errorAt(t, "expected %s, found %s", what, describe(t))
}

// errorAt returns a syntax error at token t.
func (p *parser) errorAt(t token, format string, args ...any) error {
	return syntaxError(p.src, t.pos, format, args...)
}

// describe names a token for an error message.
func describe(t token) string {
	switch t.kind {
	case tokEOF:
		if t.text == ";" {
			return "';'"
		}
		return "the end of input"
	case tokQuoted:
		return "quoted text"
	}
	return strconv.Quote(t.text)
}
