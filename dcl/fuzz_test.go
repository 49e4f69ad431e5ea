package dcl_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/scenario"
)

// seedStatements returns the statements and check lines of the scenario
// files, to seed the fuzzers.
func seedStatements(f *testing.F) (stmts, checks []string) {
	for _, dir := range []string{"../testdata/scenarios", "../../shared/scenarios"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.test"))
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			for _, rec := range scenario.Parse(string(src)) {
				switch rec.Kind {
				case scenario.KindStatementOK, scenario.KindStatementError, scenario.KindQuery:
					stmts = append(stmts, rec.SQL)
				case scenario.KindCheck:
					checks = append(checks, rec.Check.String())
				}
			}
		}
	}
	return stmts, checks
}

// FuzzParse checks that parsing never panics, that every error is a syntax
// error with a position or a limit error, and that a parsed script still
// parses once terminated with ';'.
func FuzzParse(f *testing.F) {
	stmts, _ := seedStatements(f)
	for _, s := range stmts {
		f.Add(s)
	}
	f.Add("CREATE TABLE d.t (a int, b varchar(3) default ')'); -- c\n/* x */ SHOW ROLES")
	p := dcl.New(dcl.WithStatementBytes(4096), dcl.WithNamesPerStatement(16))
	f.Fuzz(func(t *testing.T, src string) {
		got, err := p.Parse(src)
		if err != nil {
			var se *dcl.SyntaxError
			switch {
			case errors.As(err, &se):
				if se.Line < 1 || se.Column < 1 || !errors.Is(err, model.ErrSyntax) {
					t.Fatalf("bad syntax error %#v", se)
				}
			case errors.Is(err, model.ErrLimit):
			default:
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, st := range got {
			if st == nil {
				t.Fatal("nil statement without an error")
			}
		}
		if !dcl.Terminated(src + "\n;") {
			t.Fatalf("%q parsed but is not terminated by a final ';'", src)
		}
	})
}

// FuzzParseCheck checks that the check-line parser never panics and that a
// parsed check prints back to a form that parses to the same value.
func FuzzParseCheck(f *testing.F) {
	_, checks := seedStatements(f)
	for _, c := range checks {
		f.Add(c)
	}
	f.Add("SELECT ON TABLE d.*")
	f.Fuzz(func(t *testing.T, src string) {
		c, err := dcl.ParseCheck(src)
		if err != nil {
			if !errors.Is(err, model.ErrSyntax) && !errors.Is(err, model.ErrLimit) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if c.Privilege == "" {
			t.Fatal("empty privilege")
		}
	})
}
