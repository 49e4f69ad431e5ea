package record

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"runtime"
	"testing"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// golden is a record with one op of every kind.
func golden() *Record {
	return &Record{
		Revision:  42,
		UnixNano:  1_700_000_000_123_456_789,
		Statement: "grant select on table sales.orders to analyst",
		Ops: []Op{
			Put(&catalog.Account{ID: 2, Name: "acme", Status: model.StatusRestricted, Comment: "c", AdminRole: 3, PublicRole: 4, AdminUser: 5, NextSlot: 2}),
			Put(&catalog.User{ID: 5, Account: 2, Name: "admin", Hash: "h$1", Comment: "", DefaultRole: 3, Owner: 3, Locked: true}),
			Put(&catalog.Role{ID: 300, Account: 2, Name: "analyst", Slot: 2, Owner: 3}),
			Put(&catalog.Database{ID: 7, Account: 2, Name: "sales", Owner: 300}),
			Put(&catalog.Table{ID: 8, Account: 2, Database: 7, Name: "orders", Columns: []catalog.Column{{ID: 9, Name: "id", Type: "int"}}, Owner: 300}),
			Put(&catalog.Grant{Role: 300, Account: 2, Scope: catalog.ScopeTable, Object: 8, Priv: model.PrivSelect, Option: true, GrantorRole: 3, GrantorUser: 5}),
			Delete(&catalog.RoleEdge{Role: 4, Grantee: 300, Account: 2, Option: false, GrantorRole: 3, GrantorUser: 5}),
			Delete(&catalog.UserRole{Role: 300, User: 5, Account: 2, Option: true, GrantorRole: 3, GrantorUser: 0}),
			Put(&catalog.ColumnGrant{Role: 300, Account: 2, Table: 8, Column: 9, Priv: model.PrivUpdate, Option: true, GrantorRole: 3, GrantorUser: 5}),
			Put(&catalog.Denial{Role: 4, Account: 2, Scope: catalog.ScopeColumn, Object: 9, Table: 8, Priv: model.PrivSelect, GrantorRole: 3, GrantorUser: 5}),
		},
	}
}

// goldenHex is golden() in format version 2. If this test fails, the format
// changed: old files would no longer read. Bump Version and keep a decoder
// for the old one instead of editing this constant.
const goldenHex = "" +
	"d002" + "be000000" + "eb6260cf" + // magic, version, length 190, CRC-32C
	"2a" + "aab4aed8c7bfce972f" + // revision 42, time (zig-zag)
	"2d" + "6772616e742073656c656374206f6e207461626c652073616c65732e6f726465727320746f20616e616c797374" +
	"0a" + // ops
	"0101" + "02" + "0461636d65" + "03" + "0163" + "03" + "04" + "05" + "02" +
	"0102" + "05" + "02" + "0561646d696e" + "03682431" + "00" + "03" + "03" + "01" +
	"0103" + "ac02" + "02" + "07616e616c797374" + "02" + "03" +
	"0104" + "07" + "02" + "0573616c6573" + "ac02" +
	"0105" + "08" + "02" + "07" + "066f7264657273" + "01" + "09" + "026964" + "03696e74" + "ac02" +
	"0106" + "ac02" + "02" + "06" + "08" + "16" + "01" + "03" + "05" +
	"0207" + "04" + "ac02" + "02" + "00" + "03" + "05" +
	"0208" + "ac02" + "05" + "02" + "01" + "03" + "00" +
	"010d" + "ac02" + "02" + "08" + "09" + "18" + "01" + "03" + "05" +
	"010e" + "04" + "02" + "10" + "09" + "08" + "16" + "03" + "05"

// goldenV1Hex is a record of format version 1, where a table's columns
// were one text ("id int", dropped when read) and kinds 13 and 14 did not
// exist: golden() without its last two ops and its table's columns.
const goldenV1Hex = "" +
	"d001" + "a7000000" + "30706a6d" + // magic, version, length 167, CRC-32C
	"2a" + "aab4aed8c7bfce972f" + // revision 42, time (zig-zag)
	"2d" + "6772616e742073656c656374206f6e207461626c652073616c65732e6f726465727320746f20616e616c797374" +
	"08" + // ops
	"0101" + "02" + "0461636d65" + "03" + "0163" + "03" + "04" + "05" + "02" +
	"0102" + "05" + "02" + "0561646d696e" + "03682431" + "00" + "03" + "03" + "01" +
	"0103" + "ac02" + "02" + "07616e616c797374" + "02" + "03" +
	"0104" + "07" + "02" + "0573616c6573" + "ac02" +
	"0105" + "08" + "02" + "07" + "066f7264657273" + "06696420696e74" + "ac02" +
	"0106" + "ac02" + "02" + "06" + "08" + "16" + "01" + "03" + "05" +
	"0207" + "04" + "ac02" + "02" + "00" + "03" + "05" +
	"0208" + "ac02" + "05" + "02" + "01" + "03" + "00"

func TestVersion1StillReads(t *testing.T) {
	b, err := hex.DecodeString(goldenV1Hex)
	require.NoError(t, err)
	rec, err := Decode(b)
	require.NoError(t, err)
	want := golden()
	want.Ops = want.Ops[:8]
	table := *want.Ops[4].Rec.(*catalog.Table)
	table.Columns = nil
	want.Ops[4] = Put(&table)
	assert.Equal(t, want, rec)

	ids, err := hex.DecodeString(goldenIDsV1Hex)
	require.NoError(t, err)
	rec, err = Decode(ids)
	require.NoError(t, err)
	wantIDs := goldenIDs()
	wantIDs.Ops[0].Rec.(*catalog.IDCounters).Column = 0
	assert.Equal(t, wantIDs, rec)
}

func TestGoldenBytes(t *testing.T) {
	want, err := hex.DecodeString(goldenHex)
	require.NoError(t, err)
	got, err := Encode(golden())
	require.NoError(t, err)
	require.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got), "format version 2 changed")

	rec, err := Decode(want)
	require.NoError(t, err)
	assert.Equal(t, golden(), rec)
}

func TestEncodeIsDeterministic(t *testing.T) {
	a, err := Encode(golden())
	require.NoError(t, err)
	b, err := Encode(golden())
	require.NoError(t, err)
	assert.Equal(t, a, b)
}

func TestAppendKeepsThePrefix(t *testing.T) {
	prefix := []byte("abc")
	out, err := Append(prefix, golden())
	require.NoError(t, err)
	require.Equal(t, "abc", string(out[:3]))
	rec, err := Decode(out[3:])
	require.NoError(t, err)
	assert.Equal(t, golden(), rec)
}

func TestBootstrapRecordIsOrdinary(t *testing.T) {
	boot := &Record{Revision: 0, UnixNano: 1, Statement: "bootstrap", Ops: []Op{
		Put(&catalog.Account{ID: 1, Name: "sys", Status: model.StatusOpen}),
		Put(&catalog.User{ID: 1, Account: 1, Name: "root", Hash: "pbkdf2$..."}),
	}}
	b, err := Encode(boot)
	require.NoError(t, err)
	got, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, boot, got)
}

func TestEncodeRefusesWhatTheFormatCannotHold(t *testing.T) {
	tests := []struct {
		name string
		op   Op
	}{
		{"not a catalog record", Put("text")},
		{"a record by value", Put(catalog.Role{ID: 1})},
		{"a nil record", Delete((*catalog.Role)(nil))},
		{"no record", Put(nil)},
		{"an unknown action", Op{Action: 9, Rec: &catalog.Role{}}},
		{"the zero action", Op{Rec: &catalog.Role{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("keep")
			out, err := Append(dst, &Record{Ops: []Op{Put(&catalog.Role{}), tt.op}})
			require.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), "op 1")
			assert.Equal(t, "keep", string(out))
		})
	}
}

// frame wraps body in a valid header, so tests can build bodies the
// encoder would never write.
func frame(body []byte) []byte {
	b := []byte{magic, Version}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(body)))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(body, castagnoli))
	return append(b, body...)
}

func TestDecodeRefusals(t *testing.T) {
	valid, err := Encode(golden())
	require.NoError(t, err)
	with := func(i int, v byte) []byte {
		b := bytes.Clone(valid)
		b[i] = v
		return b
	}
	uv := binary.AppendUvarint
	tests := []struct {
		name string
		in   []byte
		want error
		msg  string
	}{
		{"empty input", nil, ErrTruncated, "0 bytes"},
		{"one byte", valid[:1], ErrTruncated, ""},
		{"a future version", with(1, 3), ErrVersion, "version 3 (this build reads versions 1 to 2)"},
		{"version 0", with(1, 0), ErrVersion, ""},
		{"a future version, truncated", []byte{magic, 7}, ErrVersion, ""},
		{"not a record", with(0, 'x'), ErrCorrupt, "does not start a record"},
		{"a cut header", valid[:9], ErrTruncated, ""},
		{"a cut body", valid[:len(valid)-1], ErrTruncated, "the body has"},
		{"bytes after the record", append(bytes.Clone(valid), 0), ErrCorrupt, "1 bytes after the record"},
		{"a flipped body byte", with(40, valid[40]^0x10), ErrCorrupt, "checksum"},
		{"a flipped checksum", with(6, valid[6]^1), ErrCorrupt, "checksum"},
		{"a huge length", with(5, 0xff), ErrTruncated, ""},
		{"an empty body", frame(nil), ErrCorrupt, "ends inside a number"},
		{"a number in a long form", frame([]byte{0x81, 0x00, 0, 0, 0}), ErrCorrupt, "shortest form"},
		{"a number beyond 64 bits", frame(bytes.Repeat([]byte{0xff}, 11)), ErrCorrupt, "overflows"},
		{"a string longer than the body", frame([]byte{1, 2, 9, 'a'}), ErrCorrupt, "runs past"},
		{"a string one byte too long", frame([]byte{1, 2, 3, 'a', 'b'}), ErrCorrupt, "a text of 3 bytes runs past the body's 2"},
		{"more ops than bytes", frame([]byte{1, 2, 0, 200, 1}), ErrCorrupt, "exceeds"},
		{"an unknown action", frame([]byte{1, 2, 0, 1, 3, 3, 1, 1, 0, 1, 1}), ErrCorrupt, "op 0: unknown action 3"},
		{"an unknown kind", frame([]byte{1, 2, 0, 1, 1, 99, 1, 1, 0, 1, 1}), ErrCorrupt, "op 0: unknown kind 99"},
		{"kind 0", frame([]byte{1, 2, 0, 1, 1, 0, 1, 1, 0, 1, 1}), ErrCorrupt, "unknown kind 0"},
		{"an op cut short", frame([]byte{1, 2, 0, 1, 1, 3, 1, 1}), ErrCorrupt, "op 0 (put role)"},
		{"a flag of 2", frame([]byte{1, 2, 0, 1, 1, 7, 1, 1, 1, 2, 1, 1}), ErrCorrupt, "flag 2"},
		{"an ID beyond 32 bits", frame(append([]byte{1, 2, 0, 1, 1, 4}, uv(nil, 1<<32)...)), ErrCorrupt, "exceeds 4294967295"},
		{"bytes after the last op", frame([]byte{1, 2, 0, 0, 0}), ErrCorrupt, "1 bytes after the last op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := Decode(tt.in)
			require.Error(t, err)
			assert.Nil(t, rec)
			assert.ErrorIs(t, err, tt.want)
			assert.Equal(t, 1, sentinels(err), "wraps exactly one sentinel: %v", err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func sentinels(err error) int {
	n := 0
	for _, s := range []error{ErrVersion, ErrTruncated, ErrCorrupt} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n
}

func TestEveryPrefixIsTruncated(t *testing.T) {
	valid, err := Encode(golden())
	require.NoError(t, err)
	for n := range len(valid) {
		_, err := Decode(valid[:n])
		require.ErrorIs(t, err, ErrTruncated, "prefix of %d bytes", n)
	}
}

func TestEveryBodyByteFlipIsCorrupt(t *testing.T) {
	valid, err := Encode(golden())
	require.NoError(t, err)
	for i := headerSize; i < len(valid); i++ {
		b := bytes.Clone(valid)
		b[i] ^= 0x01
		_, err := Decode(b)
		require.ErrorIs(t, err, ErrCorrupt, "byte %d", i)
	}
}

func TestDecodeBoundsAllocations(t *testing.T) {
	// A body that claims 2^62 ops and a 2^62-byte string, under a valid
	// checksum: the decoder must refuse both without allocating for them.
	huge := binary.AppendUvarint(nil, 1<<62)
	inputs := [][]byte{
		frame(append([]byte{1, 2, 0}, huge...)),
		frame(append([]byte{1, 2}, huge...)),
	}
	for _, in := range inputs {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Decode(in)
		runtime.ReadMemStats(&after)
		require.ErrorIs(t, err, ErrCorrupt)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20))
	}
}

func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec := genRecord().Draw(t, "record")
		b, err := Encode(rec)
		require.NoError(t, err)
		got, err := Decode(b)
		require.NoError(t, err)
		require.Equal(t, rec, got)
		again, err := Encode(got)
		require.NoError(t, err)
		require.Equal(t, b, again, "encoding is deterministic")
	})
}

func genRecord() *rapid.Generator[*Record] {
	return rapid.Custom(func(t *rapid.T) *Record {
		rec := &Record{
			Revision:  rapid.Uint64().Draw(t, "revision"),
			UnixNano:  rapid.Int64().Draw(t, "time"),
			Statement: rapid.String().Draw(t, "statement"),
		}
		n := rapid.IntRange(0, 10).Draw(t, "ops")
		for range n {
			action := rapid.SampledFrom([]Action{ActionPut, ActionDelete}).Draw(t, "action")
			rec.Ops = append(rec.Ops, Op{action, genCatalogRecord().Draw(t, "rec")})
		}
		return rec
	})
}

func id[T ~uint32](t *rapid.T, label string) T {
	return T(rapid.OneOf(rapid.Uint32Range(0, 300), rapid.Uint32()).Draw(t, label))
}

func text(t *rapid.T, label string) string { return rapid.String().Draw(t, label) }

func yes(t *rapid.T, label string) bool { return rapid.Bool().Draw(t, label) }

// columns draws a table's columns; none is nil, as the decoder returns it.
func columns(t *rapid.T) []catalog.Column {
	n := rapid.IntRange(0, 3).Draw(t, "columns")
	if n == 0 {
		return nil
	}
	out := make([]catalog.Column, n)
	for i := range out {
		out[i] = catalog.Column{ID: id[model.ColumnID](t, "column"), Name: text(t, "name"), Type: text(t, "type")}
	}
	return out
}

func genCatalogRecord() *rapid.Generator[any] {
	return rapid.OneOf(
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.Account{ID: id[model.AccountID](t, "id"), Name: text(t, "name"),
				Status: model.AccountStatus(rapid.Uint8().Draw(t, "status")), Comment: text(t, "comment"),
				AdminRole: id[model.RoleID](t, "admin"), PublicRole: id[model.RoleID](t, "public"),
				AdminUser: id[model.UserID](t, "adminuser"), NextSlot: id[uint32](t, "slot")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.User{ID: id[model.UserID](t, "id"), Account: id[model.AccountID](t, "account"),
				Name: text(t, "name"), Hash: text(t, "hash"), Comment: text(t, "comment"),
				DefaultRole: id[model.RoleID](t, "default"), Owner: id[model.RoleID](t, "owner"), Locked: yes(t, "locked")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.Role{ID: id[model.RoleID](t, "id"), Account: id[model.AccountID](t, "account"),
				Name: text(t, "name"), Slot: id[uint32](t, "slot"), Owner: id[model.RoleID](t, "owner")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.Database{ID: id[model.DatabaseID](t, "id"), Account: id[model.AccountID](t, "account"),
				Name: text(t, "name"), Owner: id[model.RoleID](t, "owner")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.Table{ID: id[model.TableID](t, "id"), Account: id[model.AccountID](t, "account"),
				Database: id[model.DatabaseID](t, "db"), Name: text(t, "name"), Columns: columns(t),
				Owner: id[model.RoleID](t, "owner")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.ColumnGrant{Role: id[model.RoleID](t, "role"), Account: id[model.AccountID](t, "account"),
				Table: id[model.TableID](t, "table"), Column: id[model.ColumnID](t, "column"),
				Priv: model.Privilege(rapid.Uint8().Draw(t, "priv")), Option: yes(t, "option"),
				GrantorRole: id[model.RoleID](t, "grantor"), GrantorUser: id[model.UserID](t, "grantoruser")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.Denial{Role: id[model.RoleID](t, "role"), Account: id[model.AccountID](t, "account"),
				Scope: catalog.Scope(rapid.Uint8().Draw(t, "scope")), Object: id[uint32](t, "object"),
				Table: id[model.TableID](t, "table"), Priv: model.Privilege(rapid.Uint8().Draw(t, "priv")),
				GrantorRole: id[model.RoleID](t, "grantor"), GrantorUser: id[model.UserID](t, "grantoruser")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.Grant{Role: id[model.RoleID](t, "role"), Account: id[model.AccountID](t, "account"),
				Scope: catalog.Scope(rapid.Uint8().Draw(t, "scope")), Object: id[uint32](t, "object"),
				Priv: model.Privilege(rapid.Uint8().Draw(t, "priv")), Option: yes(t, "option"),
				GrantorRole: id[model.RoleID](t, "grantor"), GrantorUser: id[model.UserID](t, "grantoruser")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.RoleEdge{Role: id[model.RoleID](t, "role"), Grantee: id[model.RoleID](t, "grantee"),
				Account: id[model.AccountID](t, "account"), Option: yes(t, "option"),
				GrantorRole: id[model.RoleID](t, "grantor"), GrantorUser: id[model.UserID](t, "grantoruser")}
		}),
		rapid.Custom(func(t *rapid.T) any {
			return &catalog.UserRole{Role: id[model.RoleID](t, "role"), User: id[model.UserID](t, "user"),
				Account: id[model.AccountID](t, "account"), Option: yes(t, "option"),
				GrantorRole: id[model.RoleID](t, "grantor"), GrantorUser: id[model.UserID](t, "grantoruser")}
		}),
	)
}

// goldenIDs is a record holding only a Put of the ID counters, kind 16.
func goldenIDs() *Record {
	return &Record{Revision: 7, Ops: []Op{Put(&catalog.IDCounters{Account: 2, User: 5, Role: 300, Database: 7, Table: 8, Column: 9})}}
}

// goldenIDsHex is goldenIDs() in format version 2, which gave the ID
// counters the column counter.
const goldenIDsHex = "" +
	"d002" + "10000000" + "2492b3c3" + // magic, version, length 16, CRC-32C
	"07" + "00" + "00" + "01" + // revision 7, time 0, no statement, one op
	"0110" + "02" + "05" + "ac02" + "07" + "08" + // account, user, role, database, table
	"00" + "00" + "00" + "09" // privilege group, alias, pattern, column

// goldenIDsV1Hex is goldenIDs() in format version 1, without the column counter.
const goldenIDsV1Hex = "" +
	"d001" + "0f000000" + "8af90968" + // magic, version, length 15, CRC-32C
	"07" + "00" + "00" + "01" + // revision 7, time 0, no statement, one op
	"0110" + "02" + "05" + "ac02" + "07" + "08" + // account, user, role, database, table
	"00" + "00" + "00" // privilege group, alias, pattern

func TestGoldenIDsBytes(t *testing.T) {
	got, err := Encode(goldenIDs())
	require.NoError(t, err)
	require.Equal(t, goldenIDsHex, hex.EncodeToString(got))
	rec, err := Decode(got)
	require.NoError(t, err)
	assert.Equal(t, goldenIDs(), rec)
}
