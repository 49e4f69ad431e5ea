package dcl

import (
	"errors"
	"iter"
	"strings"
)

// Located is one statement of a source text, or the error in its place,
// with the line its first token is on, counted from 1. For a syntax error
// Line is the line of the error.
type Located struct {
	Statement Statement
	Err       error
	Line      int
}

// AllLocated yields the statements of src as [Parser.All] does, each with
// the line it starts on, so that a script runner can name the line of a
// statement that fails.
func (p *Parser) AllLocated(src string) iter.Seq[Located] {
	return func(yield func(Located) bool) {
		l := &lexer{src: src}
		lines := lineCounter{src: src, line: 1}
		tainted := false
		for {
			start := l.pos
			toks, more, err := p.split(l)
			if err != nil {
				yield(Located{Err: err, Line: errorLine(err, lines.at(start))})
				return
			}
			if len(toks) > 1 {
				ps := newParser(src, start, toks, p.maxNames)
				ps.tainted = tainted
				st, err := ps.parse()
				tainted = err != nil && (tainted || ps.identified >= 0)
				if !yield(Located{Statement: st, Err: err, Line: errorLine(err, lines.at(toks[0].pos))}) {
					return
				}
			}
			if !more {
				return
			}
		}
	}
}

// errorLine returns the line of a syntax error, else line.
func errorLine(err error, line int) int {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se.Line
	}
	return line
}

// lineCounter maps byte offsets of a source text, asked in increasing
// order, to line numbers without rescanning the text.
type lineCounter struct {
	src  string
	pos  int
	line int
}

// at returns the line of byte offset pos, which must not be less than the
// offset asked before.
func (c *lineCounter) at(pos int) int {
	pos = min(pos, len(c.src))
	c.line += strings.Count(c.src[c.pos:pos], "\n")
	c.pos = pos
	return c.line
}
