package record

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadAStream(t *testing.T) {
	var stream []byte
	var err error
	for range 3 {
		stream, err = Append(stream, golden())
		require.NoError(t, err)
	}
	r := bytes.NewReader(stream)
	for range 3 {
		rec, err := Read(r)
		require.NoError(t, err)
		assert.Equal(t, golden(), rec)
	}
	_, err = Read(r)
	assert.ErrorIs(t, err, io.EOF)
}

func TestReadRefusesACutStream(t *testing.T) {
	one, err := Encode(golden())
	require.NoError(t, err)
	for n := 1; n < len(one); n++ {
		_, err := Read(bytes.NewReader(one[:n]))
		require.ErrorIs(t, err, ErrTruncated, "cut at %d", n)
	}
}

func TestReadRefusesDamage(t *testing.T) {
	one, err := Encode(golden())
	require.NoError(t, err)
	bad := bytes.Clone(one)
	bad[1] = Version + 1
	_, err = Read(bytes.NewReader(bad))
	assert.ErrorIs(t, err, ErrVersion)
	bad = bytes.Clone(one)
	bad[len(bad)-1] ^= 1
	_, err = Read(bytes.NewReader(bad))
	assert.ErrorIs(t, err, ErrCorrupt)
	bad = bytes.Clone(one)
	bad[0] = 0
	_, err = Read(bytes.NewReader(bad))
	assert.ErrorIs(t, err, ErrCorrupt)
}

func TestBuilderWritesWhatAppendWrites(t *testing.T) {
	var b Builder
	for _, op := range golden().Ops {
		require.NoError(t, b.Add(op))
	}
	assert.Equal(t, len(golden().Ops), b.Len())
	g := golden()
	got, err := b.Finish([]byte("x"), g.Revision, g.UnixNano, g.Statement)
	require.NoError(t, err)
	want, err := Append([]byte("x"), g)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Zero(t, b.Len(), "Finish empties the builder")
	require.ErrorIs(t, b.Add(Put("text")), ErrInvalid)
	empty, err := b.Finish(nil, 1, 0, "")
	require.NoError(t, err)
	rec, err := Decode(empty)
	require.NoError(t, err)
	assert.Empty(t, rec.Ops)
}
