package password

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashVerify(t *testing.T) {
	for _, h := range []Hasher{PBKDF2(1000), Testing()} {
		enc, err := h.Hash("s3cret")
		require.NoError(t, err)
		assert.NotContains(t, enc, "s3cret")
		assert.True(t, h.Verify(enc, "s3cret"))
		assert.False(t, h.Verify(enc, "s3cret "))
		again, err := h.Hash("s3cret")
		require.NoError(t, err)
		assert.NotEqual(t, enc, again, "salted")
	}
}

func TestProductionRefusesTestHashes(t *testing.T) {
	enc, err := Testing().Hash("pw")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(enc, "test-sha256$"))
	prod := PBKDF2(1000)
	assert.False(t, prod.Accepts(enc))
	assert.False(t, prod.Verify(enc, "pw"))
	assert.True(t, Testing().Accepts(enc))
}

func TestMalformed(t *testing.T) {
	h := PBKDF2(1000)
	for _, enc := range []string{"", "pw", "pbkdf2-sha256$v1$x$a$b", "pbkdf2-sha256$v2$10$YQ$YQ", "pbkdf2-sha256$v1$10$$YQ"} {
		assert.False(t, h.Accepts(enc), enc)
		assert.False(t, h.Verify(enc, "pw"), enc)
	}
}

func BenchmarkProductionHash(b *testing.B) {
	h := Production()
	for b.Loop() {
		_, _ = h.Hash("password")
	}
}
