// Package dcl is the statement language of reference §12: a hand-written lexer
// and recursive-descent parser that turns text into typed statements, and an
// executor that runs them on an [engine.Session].
//
// The parser holds no engine state: [Parser.Parse] only reads text and
// returns values of the statement types in this package, which wrap the
// argument structs of package engine. Names are passed on as written (the
// engine folds and validates them), and so are privilege names, so that an
// unknown privilege is reported by the engine, not as a syntax error.
//
// A syntax error wraps [model.ErrSyntax] and names the line, the column and
// the text near the problem; an input over a size limit (statement length,
// names per statement) gives an error wrapping [model.ErrLimit]. Parsing never
// panics, whatever the input.
//
// A [Parser] is immutable once made and safe to share between goroutines; a
// [Conn] is not, like the [engine.Session] it holds.
package dcl
