package dcl

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pdp-authz/pdp/model"
)

// tokKind is the kind of a token.
type tokKind uint8

const (
	tokEOF    tokKind = iota // end of the statement (a ';' or the end of input)
	tokWord                  // a bare word: a keyword, a name or a number
	tokQuoted                // a name or string quoted with `, ' or "
	tokPunct                 // any other single character: , . ; ( ) * = : ...
)

// token is one lexical unit. For a quoted token text is the content with
// doubled quotes undone; for the others it is the source text.
type token struct {
	kind  tokKind
	text  string
	quote byte // the quote character of a tokQuoted
	pos   int  // byte offset of the first character
	end   int  // byte offset just after the token
}

// lexer splits a source text into tokens, skipping white space and
// comments (-- to the end of the line, /* ... */).
type lexer struct {
	src string
	pos int
}

// next returns the next token; at the end of input it returns a tokEOF whose
// pos is len(src). The only errors are unterminated quotes and comments.
func (l *lexer) next() (token, error) {
	if err := l.skipSpace(); err != nil {
		return token{}, err
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: start, end: start}, nil
	}
	c := l.src[start]
	switch {
	case c == '`' || c == '\'' || c == '"':
		return l.quoted(c)
	case isWordStart(l.src[start:]):
		l.pos += wordLen(l.src[start:])
		return token{kind: tokWord, text: l.src[start:l.pos], pos: start, end: l.pos}, nil
	}
	_, size := utf8.DecodeRuneInString(l.src[start:])
	l.pos += size
	return token{kind: tokPunct, text: l.src[start:l.pos], pos: start, end: l.pos}, nil
}

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() error {
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		switch {
		case unicode.IsSpace(r):
			l.pos += size
		case strings.HasPrefix(l.src[l.pos:], "--"):
			nl := strings.IndexByte(l.src[l.pos:], '\n')
			if nl < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += nl + 1
			}
		case strings.HasPrefix(l.src[l.pos:], "/*"):
			end := strings.Index(l.src[l.pos+2:], "*/")
			if end < 0 {
				return syntaxError(l.src, l.pos, "/*", "unterminated comment")
			}
			l.pos += 2 + end + 2
		default:
			return nil
		}
	}
	return nil
}

// quoted reads a token quoted with q; a doubled q stands for one q.
func (l *lexer) quoted(q byte) (token, error) {
	start := l.pos
	var b strings.Builder
	i := start + 1
	for {
		j := strings.IndexByte(l.src[i:], q)
		if j < 0 {
			return token{}, syntaxError(l.src, start, string(q), "unterminated quoted text")
		}
		b.WriteString(l.src[i : i+j])
		i += j + 1
		if i < len(l.src) && l.src[i] == q {
			b.WriteByte(q)
			i++
			continue
		}
		break
	}
	l.pos = i
	return token{kind: tokQuoted, text: b.String(), quote: q, pos: start, end: i}, nil
}

// isWordStart reports whether s starts with a character that begins a word:
// a letter, a digit, '_' or '$'.
func isWordStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

// isWordRune reports the characters of a bare word. Combining marks count,
// so that a decomposed accent ("e" + U+0301) stays in its word; names are
// put in NFC afterwards.
func isWordRune(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// wordLen returns the length in bytes of the word s starts with. Inside a
// word a single '-' followed by a word character is part of it
// (business-line), so that "--" still starts a comment.
func wordLen(s string) int {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) && r != utf8.RuneError {
			i += size
			continue
		}
		if r == '-' && i+1 < len(s) && isWordStart(s[i+1:]) {
			i++
			continue
		}
		break
	}
	return i
}

// SyntaxError is a statement that could not be parsed. It wraps
// [model.ErrSyntax]. It never quotes a password: where the problem may lie
// in one, Hidden is set and Near is empty.
type SyntaxError struct {
	// Line and Column locate the problem, both counted from 1; Column counts
	// characters (runes), not bytes.
	Line, Column int
	// Near is the source text of the token at the problem (cut after
	// nearLen bytes); empty at the end of the input and when Hidden.
	Near string
	// Hidden reports that the text at the problem is not shown because it
	// may hold a password: it lies after IDENTIFIED, or where IDENTIFIED BY
	// was expected, or is quoted text in a statement that carries a password.
	Hidden bool
	// Msg says what was wrong, e.g. `expected TO`.
	Msg string
}

// Error returns the message, e.g.
// `syntax error at line 1 column 27 near "FROM": expected TO`.
func (e *SyntaxError) Error() string {
	switch {
	case e.Hidden:
		return fmt.Sprintf("syntax error at line %d column %d (text not shown, it may hold a password): %s", e.Line, e.Column, e.Msg)
	case e.Near == "":
		return fmt.Sprintf("syntax error at line %d column %d at end of input: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("syntax error at line %d column %d near %q: %s", e.Line, e.Column, e.Near, e.Msg)
}

// Unwrap returns [model.ErrSyntax].
func (e *SyntaxError) Unwrap() error { return model.ErrSyntax }

// nearLen is how many bytes of a token a syntax error quotes at most.
const nearLen = 24

// syntaxError returns a [SyntaxError] at byte offset pos of src that
// quotes near.
func syntaxError(src string, pos int, near string, format string, args ...any) *SyntaxError {
	pos = min(max(pos, 0), len(src))
	line := 1 + strings.Count(src[:pos], "\n")
	lineStart := strings.LastIndexByte(src[:pos], '\n') + 1
	col := 1 + utf8.RuneCountInString(src[lineStart:pos])
	return &SyntaxError{Line: line, Column: col, Near: near, Msg: fmt.Sprintf(format, args...)}
}

// nearText returns the source text of a token for an error: its first
// line, at most nearLen bytes, without trailing blanks.
func nearText(text string) string {
	if nl := strings.IndexByte(text, '\n'); nl >= 0 {
		text = text[:nl]
	}
	if len(text) > nearLen {
		cut := nearLen
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	return strings.TrimRight(text, " \t\r")
}
