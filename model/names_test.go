package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFoldName(t *testing.T) {
	tests := []struct {
		kind NameKind
		raw  string
		want string
		ok   bool
	}{
		{NameRole, "  NewRole ", "newrole", true},
		{NameRole, "", "", false},
		{NameRole, "   ", "", false},
		{NameRole, "a*b", "", false},
		{NameRole, "a`b", "", false},
		{NameRole, "a'b", "", false},
		{NameRole, `a"b`, "", false},
		{NameRole, "a:b", "", false},
		{NameUser, "a#b", "", false},
		{NameDatabase, "a:b", "a:b", true},
		{NameDatabase, "a.b", "", false},
		{NameTable, "a.b", "", false},
		{NameRole, "a.b", "a.b", true},
		{NameAccount, "Acme-1_x", "acme-1_x", true},
		{NameAccount, "a b", "", false},
		{NameRole, "a\u200bb", "", false},
		{NameRole, "a\tb", "", false},
		{NameRole, "héllo wörld", "héllo wörld", true},
		{NameRole, strings.Repeat("x", 64), strings.Repeat("x", 64), true},
		{NameRole, strings.Repeat("é", 64), strings.Repeat("é", 64), true},
		{NameRole, strings.Repeat("x", 65), "", false},
		// NFC: a composed and a decomposed "á" fold to one name, and the
		// length counts the composed runes.
		{NameRole, "\u00e1", "\u00e1", true},
		{NameRole, "a\u0301", "\u00e1", true},
		{NameDatabase, "A\u0301", "\u00e1", true},
		{NameRole, strings.Repeat("e\u0301", 64), strings.Repeat("\u00e9", 64), true},
		{NameRole, strings.Repeat("e\u0301", 65), "", false},
	}
	for _, tt := range tests {
		got, err := FoldName(tt.kind, tt.raw)
		if tt.ok {
			assert.NoError(t, err, tt.raw)
			assert.Equal(t, tt.want, got)
			continue
		}
		assert.True(t, errors.Is(err, ErrInvalidName), tt.raw)
		assert.Equal(t, `the name "`+printable(tt.raw)+`" is invalid`, err.Error())
	}
}

func TestInvalidNamesAreEscapedInMessages(t *testing.T) {
	_, err := FoldName(NameRole, "a\nb")
	assert.Equal(t, `the name "a\u000ab" is invalid`, err.Error())
	_, err = FoldName(NameRole, `a"b`)
	assert.Equal(t, `the name "a"b" is invalid`, err.Error())
}

func TestQuote(t *testing.T) {
	assert.Equal(t, "abc_$-9", Quote("abc_$-9"))
	assert.Equal(t, "`a b`", Quote("a b"))
	assert.Equal(t, "`a``b`", Quote("a`b"))
	assert.Equal(t, "``", Quote(""))
}

func TestParsePrivilege(t *testing.T) {
	for name, want := range map[string]Privilege{
		"SELECT": PrivSelect, "create  table": PrivCreateTable, "All Privileges": PrivAll, "all": PrivAll,
		"ownership": PrivOwnership, "manage grants": PrivManageGrants, "create account": PrivCreateAccount,
	} {
		got, ok := ParsePrivilege(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, got, name)
	}
	_, ok := ParsePrivilege("fly")
	assert.False(t, ok)
}

func TestPrivilegeCatalog(t *testing.T) {
	for p := Privilege(0); p < privCount; p++ {
		info := p.Info()
		assert.NotEmpty(t, info.Name)
		if info.Level != LevelNone {
			assert.True(t, p.Satisfying().Has(p))
			assert.True(t, p.Satisfying().Has(info.Level.All()) || info.Level == LevelCluster)
		}
	}
	assert.Equal(t, "CREATE TABLE", PrivCreateTable.Upper())
	assert.Equal(t, "ALL", PrivTableAll.Upper())
	set := Privs(PrivTableAll, PrivSelect)
	assert.True(t, set.Has(PrivSelect) && set.Has(PrivTableAll))
	assert.False(t, set.Has(PrivInsert))
	assert.False(t, Privilege(200).Valid())
	assert.Equal(t, LevelNone, Privilege(200).Level())
}
