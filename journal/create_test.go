package journal

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateStartsFromASnapshot(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, Create(dir, 41, func(w io.Writer) error {
		_, err := w.Write([]byte("state at 41"))
		return err
	}))
	j, rec, err := Open(dir)
	require.NoError(t, err)
	require.NotNil(t, rec.Snapshot)
	assert.Equal(t, uint64(41), rec.Snapshot.Revision)
	assert.Equal(t, "state at 41", string(rec.Snapshot.Data))
	assert.Empty(t, rec.Entries)
	assert.Equal(t, uint64(42), j.Next())
	require.NoError(t, j.Append(42, []byte("next")))
	require.NoError(t, j.Close())

	j, rec, err = Open(dir)
	require.NoError(t, err)
	require.Len(t, rec.Entries, 1)
	assert.Equal(t, uint64(42), rec.Entries[0].Revision)
	require.NoError(t, j.Close())

	err = Create(dir, 7, func(io.Writer) error { return nil })
	assert.ErrorIs(t, err, ErrNotEmpty)
}
