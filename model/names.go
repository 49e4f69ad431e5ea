package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Built-in names (reference §2).
const (
	SysAccount   = "sys"
	RootUser     = "root"
	MoAdmin      = "moadmin"
	AccountAdmin = "accountadmin"
	Public       = "public"
)

// MaxNameRunes is the longest name allowed, in runes.
const MaxNameRunes = 64

// NameKind says which rules a name follows.
type NameKind uint8

// The kinds of names.
const (
	NameAccount NameKind = iota
	NameUser
	NameRole
	NameDatabase
	NameTable
	NameGroup  // a privilege group (reference §15)
	NameColumn // a column of a table (reference §18): the rules of table names
)

// IsPredefinedRole reports whether a folded name is one of the predefined
// role names, which no user or new role may take.
func IsPredefinedRole(name string) bool {
	return name == MoAdmin || name == AccountAdmin || name == Public
}

// FoldName trims and lower-cases raw, puts it in Unicode NFC (so that a
// composed and a decomposed "á" are one name) and checks it against the
// rules of reference §1 for its kind. The error wraps [ErrInvalidName] and
// quotes raw.
func FoldName(kind NameKind, raw string) (string, error) {
	name := norm.NFC.String(strings.ToLower(strings.TrimSpace(raw)))
	if !validName(kind, name) {
		return "", Errorf(ErrInvalidName, "the name \"%s\" is invalid", printable(raw))
	}
	return name, nil
}

func validName(kind NameKind, name string) bool {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameRunes {
		return false
	}
	for _, r := range name {
		if !validRune(kind, r) {
			return false
		}
	}
	return true
}

func validRune(kind NameKind, r rune) bool {
	switch {
	case kind == NameAccount:
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-'
	case r == '*', r == '`', r == '\'', r == '"':
		return false
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		return false
	case (kind == NameUser || kind == NameRole) && (r == ':' || r == '#'):
		return false
	case (kind == NameDatabase || kind == NameTable || kind == NameColumn) && r == '.':
		return false
	}
	return true
}

// printable returns s with control and format characters escaped, so
// that a caller's raw input cannot forge lines in messages or logs.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Quote returns name as messages and SHOW print it: bare when it matches
// [a-z0-9_$-]+, otherwise in backticks with any backtick doubled.
func Quote(name string) string {
	if name != "" && strings.IndexFunc(name, notBare) < 0 {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

func notBare(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '$' || r == '-')
}
