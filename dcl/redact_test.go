package dcl_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pw is the password of these tests; fragments are pieces of it that no
// error may show.
const pw = "Zq9secretXy"

var fragments = []string{"Zq9", "ecret", "retXy"}

// passwordForms are ways a password is written, well or badly.
var passwordForms = []string{
	`'Zq9secretXy'`, `"Zq9secretXy"`, "`Zq9secretXy`", `Zq9secretXy`,
	`'Zq9secretXy`, `"Zq9secretXy`, "`Zq9secretXy", `Zq9secretXy'`,
	`'Zq9s'ecretXy'`, `'Zq9secretXy''`, `'Zq9's'ecretXy'`, `Zq9secret-Xy`, `Zq9secret.Xy`,
	`Zq9secret Xy`, `Zq9secret+Xy`, `/* Zq9secretXy`, `'Zq9secretXy' 'Zq9secretXy'`,
}

// passwordStatements are statement shapes with the password at %[1]s, in
// its place or where it is easily misplaced.
var passwordStatements = []string{
	"CREATE USER u IDENTIFIED BY %s",
	"CREATE USER u IDENTIFIED %s",
	"CREATE USER u %s",
	"CREATE USER u BY %s",
	"CREATE USER IF NOT EXISTS u IDENTIFIED BY %s, v IDENTIFIED BY 'x'",
	"CREATE USER a IDENTIFIED BY 'x', b IDENTIFIED BY %s DEFAULT ROLE r COMMENT 'c'",
	"CREATE USER u IDENTIFIED BY %s DEFAULT ROLE",
	"CREATE USER u IDENTIFIED BY %s COMMENT",
	"CREATE USER u\n  IDENTIFIED BY\n  %s\n  DEFAULT ROLE r",
	"ALTER USER u IDENTIFIED BY %s",
	"ALTER USER u IDENTIFIED %s",
	"ALTER USER u %s",
	"ALTER USER IF EXISTS u IDENTIFIED BY %s, v LOCK",
	"CREATE ACCOUNT a ADMIN_NAME 'n' IDENTIFIED BY %s",
	"CREATE ACCOUNT a ADMIN_NAME = 'n' IDENTIFIED %s OPEN",
	"CREATE ACCOUNT a ADMIN_NAME 'n' %s",
	"CREATE ACCOUNT a 'n' IDENTIFIED BY %s",
	"ALTER ACCOUNT a ADMIN_NAME 'n' IDENTIFIED BY %s",
	"ALTER ACCOUNT a ADMIN_NAME 'n' IDENTIFIED %s",
	"ALTER ACCOUNT IF EXISTS a ADMIN_NAME n IDENTIFIED BY %s SUSPEND",
	"CONNECT acme:bob IDENTIFIED BY %s",
	"CONNECT acme:bob IDENTIFIED %s",
	"CONNECT root IDENTIFIED BY %s extra",
	"CREATE ROLE r; CREATE USER u IDENTIFIED BY %s; DROP ROLE r",
}

// otherStatements are statements that carry no password but where one was
// typed after IDENTIFIED anyway.
var otherStatements = []string{
	"GRANT r IDENTIFIED BY %s TO u",
	"SELECT 1 IDENTIFIED BY %s",
	"CREATE ROLE a b IDENTIFIED BY %s",
	"CREATE ROLE a, , IDENTIFIED BY %s",
	"CREATE ROLE a b -- IDENTIFIED BY %s",
	"CREATE ROLE a b /* IDENTIFIED BY %s */",
	"CREATE ROLE a, , 'IDENTIFIED BY %s'",
	"CREATE TABLE d.t (IDENTIFIED BY %s",
}

// mutations returns src, each of its prefixes, and src with each word
// left out.
func mutations(src string, dropWords bool) []string {
	out := []string{src}
	for k := range len(src) {
		out = append(out, src[:k])
	}
	if dropWords {
		words := strings.Fields(src)
		for i := range words {
			out = append(out, strings.Join(append(words[:i:i], words[i+1:]...), " "))
		}
	}
	return out
}

// assertHidesPassword parses src and asserts that no error shows a piece
// of the password; it returns how many errors there were.
func assertHidesPassword(t *testing.T, src string) int {
	t.Helper()
	n := 0
	for _, err := range dcl.New().All(src) {
		if err == nil {
			continue
		}
		n++
		for _, f := range fragments {
			if strings.Contains(err.Error(), f) {
				t.Errorf("%q: the error shows the password: %s", src, err)
				return n
			}
		}
	}
	return n
}

func TestSyntaxErrorsNeverShowPasswords(t *testing.T) {
	errs, total := 0, 0
	for _, shapes := range []struct {
		list      []string
		dropWords bool
	}{{passwordStatements, true}, {otherStatements, false}} {
		for _, shape := range shapes.list {
			for _, form := range passwordForms {
				for _, src := range mutations(fmt.Sprintf(shape, form), shapes.dropWords) {
					total++
					errs += assertHidesPassword(t, src)
				}
			}
		}
	}
	t.Logf("%d statements, %d syntax errors", total, errs)
	assert.Greater(t, errs, total/2, "most mutations are broken statements")
}

func TestErrorsAfterABrokenPasswordStatement(t *testing.T) {
	var errs []string
	for _, err := range dcl.New().All("CREATE USER u IDENTIFIED BY Zq9;secretXy x; CREATE ROLE a b; CREATE ROLE c; CREATE ROLE d e") {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	assert.Equal(t, []string{
		"syntax error at line 1 column 29 (text not shown, it may hold a password): expected a password in quotes, found text",
		"syntax error at line 1 column 33 (text not shown, it may hold a password): expected a statement, found text",
		"syntax error at line 1 column 59 (text not shown, it may hold a password): unexpected text after the end of the statement",
		// A statement that parses ends the doubt.
		`syntax error at line 1 column 91 near "e": unexpected "e" after the end of the statement`,
	}, errs)
}

func TestSyntaxErrorsAroundPasswords(t *testing.T) {
	tests := []struct {
		src    string
		column int
		msg    string // the whole message
	}{
		{"CREATE USER u IDENTIFIED BY Zq9secretXy", 29,
			"syntax error at line 1 column 29 (text not shown, it may hold a password): expected a password in quotes, found text"},
		{"CREATE USER u IDENTIFIED 'Zq9secretXy'", 26,
			"syntax error at line 1 column 26 (text not shown, it may hold a password): expected BY, found quoted text"},
		{"CREATE USER u IDENTIFIED BY 'Zq9secretXy", 29,
			`syntax error at line 1 column 29 near "'": unterminated quoted text`},
		{"CREATE USER u IDENTIFIED BY `Zq9secretXy`", 29,
			"syntax error at line 1 column 29 (text not shown, it may hold a password): expected a password in quotes, found quoted text"},
		{"CONNECT acme:bob IDENTIFIED BY Zq9secretXy", 32,
			"syntax error at line 1 column 32 (text not shown, it may hold a password): expected a password in quotes, found text"},
		{"ALTER ACCOUNT a ADMIN_NAME 'n' IDENTIFIED BY Zq9secretXy", 46,
			"syntax error at line 1 column 46 (text not shown, it may hold a password): expected a password in quotes, found text"},
		{"ALTER USER u IDENTIFIED BY Zq9secretXy", 28,
			"syntax error at line 1 column 28 (text not shown, it may hold a password): expected a password in quotes, found text"},
		{"ALTER USER u Zq9secretXy", 14,
			"syntax error at line 1 column 14 (text not shown, it may hold a password): expected IDENTIFIED BY, LOCK, UNLOCK or DEFAULT ROLE, found text"},
		{"CREATE USER u IDENTIFIED BY 'pw' DEFAULT ROLS r", 34,
			"syntax error at line 1 column 34 (text not shown, it may hold a password): unexpected text after the end of the statement"},
		// Where IDENTIFIED BY is expected, a password may stand.
		{"CREATE USER u, IDENTIFIED BY 'Zq9secretXy'", 14,
			"syntax error at line 1 column 14 (text not shown, it may hold a password): expected IDENTIFIED, found text"},
		// Elsewhere the offending token is shown, and only that token.
		{"CREATE ACCOUNT a ADMIN_NAME = = 'n' IDENTIFIED BY 'Zq9secretXy'", 31,
			`syntax error at line 1 column 31 near "=": expected an admin user name, found "="`},
		{"CREATE ACCOUNT a 'n' IDENTIFIED BY 'Zq9secretXy'", 18,
			"syntax error at line 1 column 18 (text not shown, it may hold a password): expected ADMIN_NAME, found quoted text"},
		{"GRANT r IDENTIFIED BY Zq9secretXy TO u", 7,
			`syntax error at line 1 column 7 near "r": expected a role name, found several words`},
		// Statements without IDENTIFIED quote the token at the problem.
		{"GRANT SELECT ON TABLE d.t FROM r", 27, `syntax error at line 1 column 27 near "FROM": expected TO, found "FROM"`},
		{"CREATE ROLE a b -- IDENTIFIED BY Zq9secretXy", 15,
			`syntax error at line 1 column 15 near "b": unexpected "b" after the end of the statement`},
		// "identified" anywhere, in quotes or a comment too, hides what follows.
		{"GRANT SELECT ON 'x IDENTIFIED BY Zq9secretXy' TO r", 17,
			"syntax error at line 1 column 17 (text not shown, it may hold a password): expected ACCOUNT, DATABASE or TABLE, found quoted text"},
		{"GRANT` IDENTIFIED BY `Zq9secretXy0", 23,
			"syntax error at line 1 column 23 (text not shown, it may hold a password): expected TO, found text"},
		{"CREATE ROLE a /* IDENTIFIED BY */ Zq9secretXy b", 35,
			"syntax error at line 1 column 35 (text not shown, it may hold a password): unexpected text after the end of the statement"},
		{"CREATE ROLE a unidentifiedZq9secretXy", 15,
			"syntax error at line 1 column 15 (text not shown, it may hold a password): unexpected text after the end of the statement"},
		{"CREATE ROLE a b; CREATE ROLE c IDENTIFIED", 15,
			`syntax error at line 1 column 15 near "b": unexpected "b" after the end of the statement`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := dcl.Parse(tt.src)
			require.Error(t, err)
			var se *dcl.SyntaxError
			require.True(t, errors.As(err, &se), err.Error())
			assert.Equal(t, tt.column, se.Column)
			assert.Equal(t, tt.msg, err.Error())
			assert.Equal(t, se.Hidden, se.Near == "" && strings.Contains(tt.msg, "not shown"))
		})
	}
}

// FuzzSyntaxErrorsHidePasswords puts a password after IDENTIFIED BY between
// any text and checks that no error shows it.
func FuzzSyntaxErrorsHidePasswords(f *testing.F) {
	for _, shape := range append(passwordStatements, otherStatements...) {
		before, after, _ := strings.Cut(shape, "%s")
		before, _, _ = strings.Cut(before, "IDENTIFIED")
		for _, form := range passwordForms[:8] {
			f.Add(before, form, after)
		}
	}
	f.Fuzz(func(t *testing.T, before, form, after string) {
		for _, s := range []string{before, after, strings.ReplaceAll(form, pw, "")} {
			for _, frag := range fragments {
				if strings.Contains(s, frag) {
					return // the text shows the fragment where it may be quoted
				}
			}
		}
		if !strings.Contains(form, pw) {
			return
		}
		assertHidesPassword(t, before+" IDENTIFIED BY "+form+after)
	})
}

func TestStatementsNeverPrintPasswords(t *testing.T) {
	stmts, err := dcl.Parse(`
		CREATE ACCOUNT a ADMIN_NAME 'n' IDENTIFIED BY 'Zq9secretXy';
		ALTER ACCOUNT a ADMIN_NAME 'n' IDENTIFIED BY 'Zq9secretXy';
		CREATE USER u IDENTIFIED BY 'Zq9secretXy', v IDENTIFIED BY 'Zq9secretXy' DEFAULT ROLE r;
		ALTER USER u IDENTIFIED BY 'Zq9secretXy';
		CONNECT acme:bob IDENTIFIED BY 'Zq9secretXy'`)
	require.NoError(t, err)
	require.Len(t, stmts, 5)
	assert.Equal(t, model.Secret(pw), stmts[4].(*dcl.Connect).Password, "the password is kept for the engine")
	values := []any{stmts, struct{ S []dcl.Statement }{stmts}}
	for _, st := range stmts {
		values = append(values, st)
	}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, pw, "%T with %s", v, verb)
		}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.NotContains(t, string(b), pw)
	}
	assert.Equal(t, `{Login:acme:bob Password:<redacted>}`, fmt.Sprintf("%+v", stmts[4]))
	assert.Equal(t, `dcl.Connect{Login:"acme:bob", Password:<redacted>}`, fmt.Sprintf("%#v", stmts[4]))
	assert.Equal(t, `dcl.CreateUser{IfNotExists:false, Users:[]engine.UserCredential{engine.UserCredential{Name:"u", Password:<redacted>}, engine.UserCredential{Name:"v", Password:<redacted>}}, DefaultRole:"r", Comment:""}`,
		fmt.Sprintf("%#v", stmts[2]))
	assert.Equal(t, 6, strings.Count(fmt.Sprintf("%s", stmts), model.Redacted),
		"pointers nested in a slice, with a verb fmt has no pointer form for")
}
