package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretVerbs are the fmt verbs a secret must never print through.
var secretVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%-5v", "%T=%[1]v"}

func TestSecretNeverPrints(t *testing.T) {
	const pw = "Zq9secretXy"
	type holder struct {
		Name string
		Pw   Secret
	}
	values := map[string]any{
		"bare":    Secret(pw),
		"pointer": new(Secret(pw)),
		"struct":  holder{"bob", pw},
		"ptr":     &holder{"bob", pw},
		"slice":   []Secret{pw, pw},
		"nested":  []holder{{"a", pw}, {"b", pw}},
		"map":     map[string]Secret{"bob": pw},
		"any":     []any{Secret(pw)},
	}
	for name, v := range values {
		for _, verb := range secretVerbs {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, pw, "%s with %s", name, verb)
			assert.Contains(t, out, Redacted, "%s with %s", name, verb)
		}
		assert.NotContains(t, fmt.Sprint(v), pw, name)
		assert.NotContains(t, fmt.Sprintln(v), pw, name)
	}
	assert.Equal(t, pw, string(Secret(pw)), "the text is still there for hashing")
}

func TestSecretEncodings(t *testing.T) {
	const pw = "Zq9secretXy"
	type holder struct {
		Name string
		Pw   Secret
	}
	b, err := json.Marshal(holder{"bob", pw})
	require.NoError(t, err)
	assert.JSONEq(t, `{"Name":"bob","Pw":"<redacted>"}`, string(b))

	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("login", "pw", Secret(pw), "h", holder{"bob", pw})
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("login", "pw", Secret(pw), "h", holder{"bob", pw})
	assert.NotContains(t, buf.String(), pw)
	assert.Contains(t, buf.String(), Redacted)
}

// bare carries a Secret and has no Format method; guarded has one.
type bare struct{ Pw Secret }

type guarded struct{ Pw Secret }

type guardedFields guarded

func (g guarded) Format(f fmt.State, verb rune) {
	FormatFields(f, verb, "model.guarded", guardedFields(g))
}

func TestFormatFieldsCoversNestedPointers(t *testing.T) {
	const pw = "Zq9secretXy"
	// fmt has no %s form for a pointer below the top level: it reports a
	// bad verb and prints the pointed-to fields without their methods.
	assert.Contains(t, fmt.Sprintf(secretVerbs[3], []*bare{{pw}}), pw, "the hole FormatFields closes")
	for _, verb := range secretVerbs {
		out := fmt.Sprintf(verb, []*guarded{{pw}})
		assert.NotContains(t, out, pw, verb)
		assert.Contains(t, out, Redacted, verb)
	}
	assert.Equal(t, `model.guarded{Pw:<redacted>}`, fmt.Sprintf("%#v", guarded{pw}))
	assert.Equal(t, `{Pw:<redacted>}`, fmt.Sprintf("%+v", &guarded{pw}))
}
