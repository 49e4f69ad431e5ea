package dcl

import (
	"iter"
	"strconv"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// The default limits of reference §10.
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
// ends the sequence. After a broken statement that mentions IDENTIFIED,
// the errors of the broken statements that follow quote nothing, for a
// ';' may have split a password.
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

	// identified is the offset of the first "identified" in the
	// statement's text (in any case, even inside a word, quotes or a
	// comment), -1 if none: a password may follow, and errors never quote
	// a token that reaches past it.
	identified int
	// passwords is set once the statement is known to carry a password
	// (CREATE and ALTER of USER and ACCOUNT, CONNECT): its errors never
	// quote quoted text.
	passwords bool
	// secret is set while a password is expected (IDENTIFIED BY 'pw', or
	// where IDENTIFIED may have been left out): errors there quote nothing.
	secret bool
	// tainted is set when the statement follows a broken one that
	// mentions IDENTIFIED: its errors quote nothing.
	tainted bool
}

// newParser returns the state for parsing one statement from toks, which
// were read from src starting at byte offset start.
func newParser(src string, start int, toks []token, maxNames int) *parser {
	end := toks[len(toks)-1].end
	return &parser{src: src, toks: toks, maxNames: maxNames, identified: indexIdentified(src, start, end)}
}

// indexIdentified returns the offset of the first "identified" in any case
// in src[start:end], or -1.
func indexIdentified(src string, start, end int) int {
	const kw = "identified"
	for i := start; i+len(kw) <= end; i++ {
		if strings.EqualFold(src[i:i+len(kw)], kw) {
			return i
		}
	}
	return -1
}

// parse parses the statement.
func (p *parser) parse() (Statement, error) {
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	if t := p.peek(0); t.kind != tokEOF {
		return nil, p.errorAt(t, "unexpected %s after the end of the statement", p.describe(t))
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
	return p.errorAt(t, "expected %s, found %s", what, p.describe(t))
}

// errorAt returns a syntax error at token t. It quotes t, and nothing
// after it, unless t may be a password (see [parser.hides]).
func (p *parser) errorAt(t token, format string, args ...any) error {
	var near string
	hidden := p.hides(t)
	if !hidden {
		near = nearText(p.src[t.pos:t.end])
	}
	e := syntaxError(p.src, t.pos, near, format, args...)
	e.Hidden = hidden
	return e
}

// guarded reports whether the statement carries, or may carry, a password.
func (p *parser) guarded() bool { return p.passwords || p.identified >= 0 }

// hides reports whether the text of token t may be a password or part of
// one: t reaches past the first "identified", a password is expected at t,
// t is quoted text in a statement that carries a password, or the
// statement is tainted.
func (p *parser) hides(t token) bool {
	return p.secret || p.tainted || p.identified >= 0 && t.end > p.identified || p.guarded() && t.kind == tokQuoted
}

// describe names a token for an error message; a token that [parser.hides]
// is named by its kind alone.
func (p *parser) describe(t token) string {
	switch {
	case t.kind == tokEOF && t.text == ";":
		return "';'"
	case t.kind == tokEOF:
		return "the end of input"
	case t.kind == tokQuoted:
		return "quoted text"
	case p.hides(t):
		return "text"
	}
	return strconv.Quote(t.text)
}
