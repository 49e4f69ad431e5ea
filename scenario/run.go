package scenario

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
)

// RootPassword is the password of root in the engine every file runs on.
const RootPassword = "111"

// Failure is one failed record.
type Failure struct {
	// File is the scenario file's name as given to [Run].
	File string
	// Line is the line of the record's directive.
	Line int
	// Msg says what went wrong, as "expected ..., got ...".
	Msg string
}

// String returns the failure as `file:line: expected ..., got ...`.
func (f Failure) String() string { return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Msg) }

// Report is the outcome of running one file.
type Report struct {
	// File is the scenario file's name.
	File string
	// Passed and Failed count the records that test something (all but
	// connection switches).
	Passed, Failed int
	// Failures lists the failed records in file order.
	Failures []Failure
}

// OK reports whether no record failed.
func (r Report) OK() bool { return r.Failed == 0 }

// RunFile reads and runs the scenario file at path; only reading it can fail.
func RunFile(path string) (Report, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return Report{}, err
	}
	return Run(path, Parse(string(src))), nil
}

// Run runs records on a fresh engine (root password [RootPassword], the
// test hasher) and reports each record; file names the records in failures.
// The connection "default" starts logged in as root with role moadmin;
// other connections start logged out. A failed record does not stop the
// run.
func Run(file string, records []Record) Report {
	rep := Report{File: file}
	fail := func(line int, format string, args ...any) {
		rep.Failed++
		rep.Failures = append(rep.Failures, Failure{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	eng, err := engine.New(engine.WithRootPassword(RootPassword), engine.WithHasher(password.Testing()))
	if err != nil {
		fail(1, "expected a new engine, got error: %s", err.Error())
		return rep
	}
	r := &runner{
		parser: dcl.New(dcl.WithLimits(eng.Limits())),
		eng:    eng,
		conns:  map[string]*dcl.Conn{},
	}
	r.cur = r.conn("default")
	if err := r.cur.Connect("sys:root:moadmin", RootPassword); err != nil {
		fail(1, "expected root to log in, got error: %s", err.Error())
		return rep
	}
	for _, rec := range records {
		msg := r.run(rec)
		switch {
		case !rec.Tests():
		case msg != "":
			fail(rec.Line, "%s", msg)
		default:
			rep.Passed++
		}
	}
	return rep
}

// runner is the state of a run: the engine and the named connections.
type runner struct {
	parser *dcl.Parser
	eng    *engine.Engine
	conns  map[string]*dcl.Conn
	cur    *dcl.Conn
}

// conn returns the connection called name, making it on first use.
func (r *runner) conn(name string) *dcl.Conn {
	c, ok := r.conns[name]
	if !ok {
		c = dcl.NewConn(r.eng)
		r.conns[name] = c
	}
	return c
}

// run runs one record and returns "" if it passed, else what went wrong.
// A panic in the engine fails the record instead of the run.
func (r *runner) run(rec Record) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprintf("expected %s, got panic: %v", expectation(rec), p)
		}
	}()
	switch rec.Kind {
	case KindConnection:
		r.cur = r.conn(rec.Connection)
	case KindStatementOK:
		if _, err := r.exec(rec.SQL); err != nil {
			return fmt.Sprintf("expected ok, got error: %s", err.Error())
		}
	case KindStatementError:
		_, err := r.exec(rec.SQL)
		switch {
		case err == nil:
			return fmt.Sprintf("expected %s, got ok", expectation(rec))
		case !strings.Contains(err.Error(), rec.Error):
			return fmt.Sprintf("expected %s, got error: %s", expectation(rec), err.Error())
		}
	case KindQuery:
		res, err := r.exec(rec.SQL)
		if err != nil {
			return fmt.Sprintf("expected %s, got error: %s", expectation(rec), err.Error())
		}
		if got := res.Rows; !slices.Equal(got, rec.Rows) {
			return fmt.Sprintf("expected %s, got rows %s", expectation(rec), formatRows(got))
		}
	case KindCheck:
		d := r.cur.Decide(rec.Privilege, rec.Check.On)
		if d.Allowed != rec.Allow {
			return fmt.Sprintf("expected %s, got %s (%s)", expectation(rec), answer(d.Allowed), d.Reason)
		}
	default:
		return fmt.Sprintf("expected a scenario record, got %s", rec.Err)
	}
	return ""
}

// exec parses and runs a record's statements on the current connection and
// returns the last one's result; the first error ends it.
func (r *runner) exec(sql string) (dcl.Result, error) {
	stmts, err := r.parser.Parse(sql)
	if err != nil {
		return dcl.Result{}, err
	}
	if len(stmts) == 0 {
		return dcl.Result{}, fmt.Errorf("no statement in %q", sql)
	}
	var res dcl.Result
	for _, st := range stmts {
		if res, err = r.cur.Exec(st); err != nil {
			return dcl.Result{}, err
		}
	}
	return res, nil
}

// expectation describes what a record expects, for failure messages.
func expectation(rec Record) string {
	switch rec.Kind {
	case KindStatementOK:
		return "ok"
	case KindStatementError:
		return fmt.Sprintf("error containing %q", rec.Error)
	case KindQuery:
		return "rows " + formatRows(rec.Rows)
	case KindCheck:
		return answer(rec.Allow) + " " + rec.Check.String()
	}
	return rec.Kind.String()
}

// answer names a decision.
func answer(allowed bool) string {
	if allowed {
		return "allow"
	}
	return "deny"
}

// formatRows prints rows on one line, each quoted.
func formatRows(rows []string) string {
	if len(rows) == 0 {
		return "[]"
	}
	q := make([]string, len(rows))
	for i, row := range rows {
		q[i] = fmt.Sprintf("%q", row)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
