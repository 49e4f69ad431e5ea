package model

import (
	"fmt"
	"log/slog"
	"strings"
)

// Redacted is what a [Secret] prints in place of its text.
const Redacted = "<redacted>"

// Secret is a password as the caller wrote it. It is an ordinary string to
// the code that hashes or verifies it (string(s)), but every way of
// printing or encoding it — fmt with any verb, including %#v and values
// nested in structs and slices, JSON, text encoding, log/slog — yields
// [Redacted], so a statement that carries a password can be logged or
// printed without leaking it. A string constant converts implicitly:
// engine.UserCredential{Name: "bob", Password: "pw"}. Do not key maps by
// a Secret: encoding/json writes string-kinded map keys as they are.
type Secret string

// String returns [Redacted].
func (Secret) String() string { return Redacted }

// GoString returns [Redacted], for %#v.
func (Secret) GoString() string { return Redacted }

// Format writes [Redacted] for every verb and flag.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// MarshalText returns [Redacted].
func (Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// MarshalJSON returns [Redacted] as a JSON string.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// LogValue returns [Redacted], for log/slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// FormatFields writes plain with the verb and flags of f; %#v names it
// name. A type that carries a [Secret] calls it from its Format method
// with its value converted to a shadow type that has no methods, e.g.
//
//	type createUserFields CreateUser
//
//	func (st CreateUser) Format(f fmt.State, verb rune) {
//		model.FormatFields(f, verb, "engine.CreateUser", createUserFields(st))
//	}
//
// Its fields then print as usual, each Secret as [Redacted]. The method
// matters where fmt prints without calling methods: for a bad verb such as
// %s on a pointer nested in a slice, fmt prints the pointed-to fields raw,
// Secrets included, unless the pointer's type has a Format method.
func FormatFields(f fmt.State, verb rune, name string, plain any) {
	out := fmt.Sprintf(fmt.FormatString(f, verb), plain)
	if f.Flag('#') && verb == 'v' {
		if i := strings.IndexByte(out, '{'); i >= 0 {
			out = name + out[i:]
		}
	}
	_, _ = f.Write([]byte(out))
}
