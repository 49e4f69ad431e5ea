package engine

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pdp-authz/pdp/password"
	"github.com/stretchr/testify/assert"
)

// TestEngineKeepsNoRootPassword walks what an engine holds, unexported
// fields included, and finds root's password nowhere.
func TestEngineKeepsNoRootPassword(t *testing.T) {
	const pw = "Zq9secretXy"
	e, err := New(WithRootPassword(pw), WithHasher(password.Testing()))
	if err != nil {
		t.Fatal(err)
	}
	found := stringsIn(reflect.ValueOf(e), map[uintptr]bool{}, func(s string) bool { return strings.Contains(s, pw) })
	assert.Empty(t, found)
	held := stringsIn(reflect.ValueOf(&Engine{cfg: config{rootPassword: pw}}), map[uintptr]bool{}, func(s string) bool { return s == pw })
	assert.Equal(t, []string{pw}, held, "the walk reads unexported fields")
	assert.Empty(t, e.cfg.rootPassword)
	assert.Empty(t, e.cfg.rootHash)
}

// stringsIn returns the strings reachable from v for which match holds.
// Pointers are followed once; functions and unsafe pointers are skipped.
func stringsIn(v reflect.Value, seen map[uintptr]bool, match func(string) bool) []string {
	var out []string
	switch v.Kind() {
	case reflect.String:
		if match(v.String()) {
			out = append(out, v.String())
		}
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return nil
		}
		seen[v.Pointer()] = true
		out = stringsIn(v.Elem(), seen, match)
	case reflect.Interface:
		if !v.IsNil() {
			out = stringsIn(v.Elem(), seen, match)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			out = append(out, stringsIn(v.Field(i), seen, match)...)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = append(out, stringsIn(v.Index(i), seen, match)...)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			out = append(out, stringsIn(it.Key(), seen, match)...)
			out = append(out, stringsIn(it.Value(), seen, match)...)
		}
	}
	return out
}
