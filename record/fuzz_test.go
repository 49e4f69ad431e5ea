package record

import (
	"bytes"
	"testing"

	"github.com/pdp-authz/pdp/catalog"
)

// FuzzDecode feeds the decoder arbitrary bytes, as they are and wrapped in
// a valid header (so that the body decoder is reached past the checksum).
// It must never panic, every error must wrap exactly one sentinel, and
// whatever it accepts must be exactly what the encoder writes for the
// decoded record.
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 3m ./record
func FuzzDecode(f *testing.F) {
	seeds := []*Record{
		golden(),
		{},
		{Revision: 1, UnixNano: -1, Statement: "drop role r", Ops: []Op{Delete(&catalog.Role{ID: 9, Account: 1, Name: "r"})}},
	}
	for _, rec := range seeds {
		b, err := Encode(rec)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[headerSize:])
	}
	f.Add([]byte{magic, Version, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecode(t, in)
		checkDecode(t, frame(in))
	})
}

func checkDecode(t *testing.T, in []byte) {
	rec, err := Decode(in)
	if err != nil {
		if rec != nil {
			t.Fatalf("a record and an error: %v", err)
		}
		if n := sentinels(err); n != 1 {
			t.Fatalf("error wraps %d sentinels: %v", n, err)
		}
		return
	}
	out, err := Encode(rec)
	if err != nil {
		t.Fatalf("decoded record does not encode: %v", err)
	}
	if !bytes.Equal(in, out) {
		t.Fatalf("decode then encode changed the bytes:\n in  %x\n out %x", in, out)
	}
}
