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

// TestLowerCostRefused: a hash cheaper than the hasher's own cost is
// refused and never verifies, so it cannot verify faster than the dummy hash
// of an unknown user; a costlier one is accepted.
func TestLowerCostRefused(t *testing.T) {
	weak, err := PBKDF2(10_000).Hash("pw")
	require.NoError(t, err)
	assert.False(t, Production().Accepts(weak), "10,000 iterations is below the default")
	assert.False(t, Production().Verify(weak, "pw"))

	h := PBKDF2(1000)
	for _, tt := range []struct {
		iterations int
		accepted   bool
	}{{999, false}, {1, false}, {1000, true}, {2000, true}} {
		enc, err := PBKDF2(tt.iterations).Hash("pw")
		require.NoError(t, err)
		assert.Equal(t, tt.accepted, h.Accepts(enc), tt.iterations)
		assert.Equal(t, tt.accepted, h.Verify(enc, "pw"), tt.iterations)
	}
	enc, err := PBKDF2(5).Hash("pw")
	require.NoError(t, err)
	assert.True(t, Testing().Verify(enc, "pw"), "a test hasher reads any PBKDF2 hash")
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
