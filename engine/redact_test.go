package engine_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretPw is a password that must never be printed.
const secretPw = "Zq9secretXy"

// printVerbs are the fmt verbs nothing may print a password through.
var printVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T %[1]v"}

// assertNeverPrints formats v with every verb and asserts that none shows
// any of secrets.
func assertNeverPrints(t *testing.T, v any, secrets ...string) {
	t.Helper()
	for _, verb := range printVerbs {
		out := fmt.Sprintf(verb, v)
		for _, s := range secrets {
			assert.NotContains(t, out, s, "%T printed with %s: %s", v, verb, out)
		}
	}
}

func TestEngineNeverPrintsRootCredentials(t *testing.T) {
	eng, err := engine.New(engine.WithRootPassword(secretPw), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	hash, err := password.Testing().Hash(secretPw)
	require.NoError(t, err)
	assertNeverPrints(t, eng, secretPw, "sha256")
	assertNeverPrints(t, []*engine.Engine{eng}, secretPw, "sha256")
	assertNeverPrints(t, struct{ E *engine.Engine }{eng}, secretPw, "sha256")
	assert.Equal(t, "engine.Engine{revision 0}", fmt.Sprint(eng))

	byHash, err := engine.New(engine.WithRootHash(hash), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	assertNeverPrints(t, byHash, hash, "sha256")
	_, err = byHash.Connect("root", secretPw)
	require.NoError(t, err, "the hash still logs root in")

	var zero *engine.Engine
	assert.Equal(t, "engine.Engine{not started}", fmt.Sprint(zero))
	assert.Equal(t, "engine.Engine{not started}", fmt.Sprint(&engine.Engine{}))
}

func TestSessionPrintsOnlyItsPrincipal(t *testing.T) {
	eng, _ := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	for _, verb := range printVerbs[:5] {
		assert.Equal(t, "engine.Session{acme:bob:analyst}", fmt.Sprintf(verb, bob), verb)
	}
	assertNeverPrints(t, struct{ S *engine.Session }{bob}, "sha256", "revision")
	var none *engine.Session
	assert.Equal(t, "engine.Session{not connected}", fmt.Sprint(none))
	assert.Equal(t, "engine.Session{not connected}", fmt.Sprint(&engine.Session{}))
}

// passwordStatements are the statement arguments that carry a password,
// each with the password nested as the API places it.
func passwordStatements() []any {
	return []any{
		engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: secretPw},
		&engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: secretPw},
		engine.AlterAccount{Name: "acme", SetAdmin: true, AdminName: "ann", AdminPassword: secretPw},
		engine.CreateUser{Users: []engine.UserCredential{{Name: "a", Password: secretPw}, {Name: "b", Password: secretPw}}},
		&engine.CreateUser{Users: []engine.UserCredential{{Name: "a", Password: secretPw}}},
		engine.AlterUser{Users: []engine.UserChange{{Name: "a", Action: engine.UserSetPassword, Password: secretPw}}},
		engine.UserCredential{Name: "a", Password: secretPw},
		[]engine.UserChange{{Name: "a", Action: engine.UserSetPassword, Password: secretPw}},
		map[string]any{"st": engine.CreateUser{Users: []engine.UserCredential{{Name: "a", Password: secretPw}}}},
		// Pointers nested in slices: fmt has no %s form for them and
		// prints their fields without calling the fields' methods.
		[]*engine.CreateAccount{{Name: "acme", AdminName: "ann", AdminPassword: secretPw}},
		[]any{&engine.AlterAccount{SetAdmin: true, AdminPassword: secretPw}, &engine.AlterUser{Users: []engine.UserChange{{Password: secretPw}}}},
		[]*engine.UserCredential{{Name: "a", Password: secretPw}},
		[]*engine.UserChange{{Name: "a", Password: secretPw}},
		struct{ P *engine.CreateUser }{&engine.CreateUser{Users: []engine.UserCredential{{Name: "a", Password: secretPw}}}},
	}
}

func TestStatementsNeverPrintPasswords(t *testing.T) {
	for _, st := range passwordStatements() {
		assertNeverPrints(t, st, secretPw)
		assert.Contains(t, fmt.Sprintf("%+v", st), "<redacted>")
		b, err := json.Marshal(st)
		require.NoError(t, err)
		assert.NotContains(t, string(b), secretPw)
	}
}

func TestStatementPasswordsStillWork(t *testing.T) {
	eng := newEngine(t)
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: secretPw}))
	ann := connect(t, eng, "acme:ann", secretPw)
	require.NoError(t, ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "bob", Password: secretPw}}}))
	connect(t, eng, "acme:bob", secretPw)
}
