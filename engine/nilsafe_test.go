package engine_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
)

// callAll calls every exported method of recv with zero arguments, except
// Format (which needs a real fmt.State and is covered by the printing
// tests), and hands each method's results to check. A panic fails the test.
func callAll(t *testing.T, recv any, check func(t *testing.T, method string, out []reflect.Value)) {
	v := reflect.ValueOf(recv)
	typ := v.Type()
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		if m.Name == "Format" {
			continue
		}
		t.Run(m.Name, func(t *testing.T) {
			args := make([]reflect.Value, m.Type.NumIn()-1)
			for j := range args {
				args[j] = reflect.Zero(m.Type.In(j + 1))
			}
			var out []reflect.Value
			assert.NotPanics(t, func() { out = v.Method(i).Call(args) })
			check(t, m.Name, out)
		})
	}
}

// notConnectedResults asserts what a session that is not connected answers:
// errors are "not connected", decisions deny with ReasonNotConnected, the
// rest are zero.
func notConnectedResults(t *testing.T, method string, out []reflect.Value) {
	for _, r := range out {
		switch x := r.Interface().(type) {
		case error:
			assert.ErrorIs(t, x, model.ErrNotConnected)
		case engine.Decision:
			assert.Equal(t, engine.Decision{Reason: engine.ReasonNotConnected}, x)
		case engine.Explanation:
			assert.Equal(t, engine.Explanation{Decision: engine.Decision{Reason: engine.ReasonNotConnected}}, x)
		case string:
			if method != "String" && method != "GoString" {
				assert.Empty(t, x)
			}
		default:
			assert.True(t, r.IsZero(), "%s returned %v", method, x)
		}
	}
	if len(out) > 0 && out[len(out)-1].Type() == reflect.TypeFor[error]() {
		assert.False(t, out[len(out)-1].IsNil(), "%s must fail", method)
	}
}

func TestSessionMethodsWhenNotConnected(t *testing.T) {
	t.Run("nil", func(t *testing.T) { callAll(t, (*engine.Session)(nil), notConnectedResults) })
	t.Run("zero", func(t *testing.T) { callAll(t, &engine.Session{}, notConnectedResults) })
}

func TestEngineAndSnapshotMethodsWhenEmpty(t *testing.T) {
	empty := func(t *testing.T, method string, out []reflect.Value) {
		for _, r := range out {
			switch x := r.Interface().(type) {
			case error:
				assert.Error(t, x)
				if method == "Connect" || method == "Login" {
					assert.ErrorIs(t, x, model.ErrAuth)
				}
			case engine.Decision:
				assert.False(t, x.Allowed)
			case engine.Explanation:
				assert.False(t, x.Decision.Allowed)
			case engine.Limits:
				assert.Equal(t, engine.DefaultLimits, x)
			}
		}
	}
	t.Run("nil engine", func(t *testing.T) { callAll(t, (*engine.Engine)(nil), empty) })
	t.Run("zero engine", func(t *testing.T) { callAll(t, &engine.Engine{}, empty) })
	t.Run("nil snapshot", func(t *testing.T) { callAll(t, (*engine.Snapshot)(nil), empty) })
	t.Run("zero snapshot", func(t *testing.T) { callAll(t, &engine.Snapshot{}, empty) })
}

func TestEmptyEngineRefusesLoad(t *testing.T) {
	called := false
	err := (&engine.Engine{}).Load(func(*engine.Loader) error { called = true; return nil })
	assert.ErrorIs(t, err, model.ErrNotConnected)
	assert.False(t, called)
	assert.True(t, errors.Is((*engine.Engine)(nil).Load(nil), model.ErrNotConnected))
}
