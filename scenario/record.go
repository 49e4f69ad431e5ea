package scenario

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/model"
)

// Kind is the kind of a record.
type Kind uint8

// The record kinds of reference §13.
const (
	// KindInvalid is a record that could not be read; it fails when run.
	KindInvalid Kind = iota
	// KindConnection is `connection <name>`.
	KindConnection
	// KindStatementOK is `statement ok`: the statement must succeed.
	KindStatementOK
	// KindStatementError is `statement error <text>`: the statement must
	// fail with a message containing the text.
	KindStatementError
	// KindQuery is `query`: the statement's rows must equal the expected rows.
	KindQuery
	// KindCheck is `check allow|deny <PRIV> ON <object>`.
	KindCheck
)

var kindNames = [...]string{"invalid", "connection", "statement ok", "statement error", "query", "check"}

// String returns the record's directive, e.g. "statement ok".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Record is one record of a scenario file.
type Record struct {
	// Kind says what the record does.
	Kind Kind
	// Line is the line of the record's directive, counted from 1.
	Line int
	// Connection is the name a KindConnection switches to.
	Connection string
	// SQL is the statement text of a statement or query record.
	SQL string
	// Error is the text the error of a KindStatementError must contain.
	Error string
	// Rows are the expected rows of a KindQuery, possibly none.
	Rows []string
	// Allow is the expected answer of a KindCheck.
	Allow bool
	// Check is what a KindCheck asks: the privilege as written and the
	// object by name.
	Check dcl.Check
	// Privilege is the privilege of a KindCheck, parsed.
	Privilege model.Privilege
	// Err says why a KindInvalid record could not be read.
	Err error
}

// Tests reports whether the record is counted as passed or failed: every
// record but a connection switch.
func (r Record) Tests() bool { return r.Kind != KindConnection }

// errRecord is the sentinel of malformed records.
var errRecord = errors.New("malformed scenario record")

// recordError returns an error wrapping errRecord.
func recordError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errRecord, fmt.Sprintf(format, args...))
}

// Parse reads the records of a scenario file's text. Records are separated
// by blank lines; a line starting with '#' is a comment, except among the
// expected rows of a query, which are taken as written. `connection` and
// `check` records are one line each and may follow each other without blank
// lines. Parse never fails: a record it cannot read is returned with kind
// [KindInvalid] and, unless it is a one-line record, the rest of its block
// is skipped.
func Parse(src string) []Record {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	r := &reader{lines: lines}
	var out []Record
	for {
		rec, ok := r.next()
		if !ok {
			return out
		}
		out = append(out, rec)
	}
}

// reader walks the lines of a file.
type reader struct {
	lines []string
	i     int // index of the next line
}

// blank reports whether a line separates records.
func blank(l string) bool { return strings.TrimSpace(l) == "" }

// comment reports whether a line is a comment.
func comment(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "#") }

// next reads one record; ok is false at the end of the file.
func (r *reader) next() (rec Record, ok bool) {
	for r.i < len(r.lines) && (blank(r.lines[r.i]) || comment(r.lines[r.i])) {
		r.i++
	}
	if r.i >= len(r.lines) {
		return Record{}, false
	}
	line := strings.TrimSpace(r.lines[r.i])
	rec = Record{Line: r.i + 1}
	r.i++
	directive, rest, _ := strings.Cut(line, " ")
	rest = strings.TrimSpace(rest)
	var err error
	switch directive {
	case "connection":
		rec.Kind, rec.Connection = KindConnection, rest
		if rest == "" || strings.ContainsAny(rest, " \t") {
			err = recordError("expected `connection <name>`, got %q", line)
		}
	case "statement":
		err = r.statement(&rec, rest)
	case "query":
		err = r.query(&rec, rest)
	case "check":
		err = r.check(&rec, rest)
	default:
		err = recordError("unknown directive %q", line)
	}
	if err != nil {
		if directive != "connection" && directive != "check" {
			r.skipBlock()
		}
		return Record{Kind: KindInvalid, Line: rec.Line, Err: err}, true
	}
	return rec, true
}

// statement reads the rest of `statement ok` or `statement error <text>`.
func (r *reader) statement(rec *Record, rest string) error {
	mode, text, _ := strings.Cut(rest, " ")
	switch mode {
	case "ok":
		if strings.TrimSpace(text) != "" {
			return recordError("unexpected text after `statement ok`: %q", text)
		}
		rec.Kind = KindStatementOK
	case "error":
		rec.Kind, rec.Error = KindStatementError, strings.TrimSpace(text)
	default:
		return recordError("expected `statement ok` or `statement error <text>`, got `statement %s`", rest)
	}
	rec.SQL = r.body(false)
	if rec.SQL == "" {
		return recordError("%s without a statement", rec.Kind)
	}
	return nil
}

// query reads the rest of a query record: its statement, `----` and the
// expected rows up to the next blank line.
func (r *reader) query(rec *Record, rest string) error {
	if rest != "" {
		return recordError("unexpected text after `query`: %q", rest)
	}
	rec.Kind = KindQuery
	rec.SQL = r.body(true)
	if rec.SQL == "" {
		return recordError("query without a statement")
	}
	if r.i >= len(r.lines) || strings.TrimSpace(r.lines[r.i]) != "----" {
		return recordError("query without `----` before its rows")
	}
	r.i++
	rec.Rows = []string{}
	for r.i < len(r.lines) && !blank(r.lines[r.i]) {
		rec.Rows = append(rec.Rows, r.lines[r.i])
		r.i++
	}
	return nil
}

// check reads `allow|deny <PRIV> ON <object>` after `check`.
func (r *reader) check(rec *Record, rest string) error {
	answer, what, _ := strings.Cut(rest, " ")
	switch answer {
	case "allow":
		rec.Allow = true
	case "deny":
	default:
		return recordError("expected `check allow` or `check deny`, got `check %s`", rest)
	}
	c, err := dcl.ParseCheck(what)
	if err != nil {
		return recordError("check %s: %s", rest, err.Error())
	}
	p, ok := model.ParsePrivilege(c.Privilege)
	if !ok {
		return recordError("unsupported privilege type %s", strings.ToLower(c.Privilege))
	}
	rec.Kind, rec.Privilege, rec.Check = KindCheck, p, c
	return nil
}

// body reads a statement's lines up to a blank line (or, for a query, a
// `----` line), skipping comments, and joins them with newlines.
func (r *reader) body(query bool) string {
	var b []string
	for r.i < len(r.lines) && !blank(r.lines[r.i]) {
		l := r.lines[r.i]
		if query && strings.TrimSpace(l) == "----" {
			break
		}
		r.i++
		if !comment(l) {
			b = append(b, l)
		}
	}
	return strings.Join(b, "\n")
}

// skipBlock skips to the end of the current block of lines.
func (r *reader) skipBlock() {
	for r.i < len(r.lines) && !blank(r.lines[r.i]) {
		r.i++
	}
}
