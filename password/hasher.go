package password

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// DefaultIterations is the PBKDF2-HMAC-SHA256 work factor of [Production].
const DefaultIterations = 600_000

const (
	pbkdf2Tag = "pbkdf2-sha256"
	testTag   = "test-sha256"
	saltLen   = 16
	keyLen    = 32
)

// ErrMalformed is returned for an encoded hash this package cannot read, or
// one a production hasher refuses (a test hash, or one of a lower cost).
var ErrMalformed = errors.New("malformed or refused password hash")

var b64 = base64.RawStdEncoding

// Hasher hashes and verifies passwords. The zero value is not usable; use
// [Production], [PBKDF2] or [Testing].
type Hasher struct {
	iterations int
	testing    bool
}

// Production returns the default hasher: PBKDF2 with [DefaultIterations].
func Production() Hasher { return PBKDF2(DefaultIterations) }

// PBKDF2 returns a PBKDF2-HMAC-SHA256 hasher with the given work factor. It
// refuses hashes of a lower work factor, and its dummy verification costs
// as much as a real one, so tests may use a small factor and still exercise
// the production code.
func PBKDF2(iterations int) Hasher { return Hasher{iterations: max(iterations, 1)} }

// Testing returns a cheap hasher for tests and benchmarks. Its hashes are
// tagged, and a production hasher refuses them.
func Testing() Hasher { return Hasher{iterations: 1, testing: true} }

// Hash returns the encoded salted hash of pw.
func (h Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	if h.testing {
		return testTag + "$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(testKey(salt, pw)), nil
	}
	key, err := pbkdf2.Key(sha256.New, pw, salt, h.iterations, keyLen)
	if err != nil {
		return "", fmt.Errorf("password hash: %w", err)
	}
	return pbkdf2Tag + "$v1$" + strconv.Itoa(h.iterations) + "$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key), nil
}

// Accepts reports whether h may store and verify encoded: a production
// hasher refuses test hashes, hashes of a lower work factor than its own
// (they would verify faster than [Hasher.Dummy], telling known users from
// unknown ones, and are cheaper to crack) and anything malformed.
func (h Hasher) Accepts(encoded string) bool {
	_, _, _, err := h.parse(encoded)
	return err == nil
}

// Verify reports whether pw matches encoded, in constant time with respect
// to the key. A refused or malformed hash never matches.
func (h Hasher) Verify(encoded, pw string) bool {
	iter, salt, want, err := h.parse(encoded)
	if err != nil {
		return false
	}
	var got []byte
	if iter == 0 {
		got = testKey(salt, pw)
	} else if got, err = pbkdf2.Key(sha256.New, pw, salt, iter, len(want)); err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Dummy spends the same work as a verification, for unknown users (reference §7).
func (h Hasher) Dummy(pw string) {
	salt := make([]byte, saltLen)
	if h.testing {
		testKey(salt, pw)
		return
	}
	_, _ = pbkdf2.Key(sha256.New, pw, salt, h.iterations, keyLen)
}

// parse splits encoded; iter is 0 for a test hash. A PBKDF2 hash below h's
// work factor is refused (a test hasher's factor is 1).
func (h Hasher) parse(encoded string) (iter int, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	switch {
	case len(parts) == 3 && parts[0] == testTag && h.testing:
		salt, key, err = decodePair(parts[1], parts[2])
		return 0, salt, key, err
	case len(parts) == 5 && parts[0] == pbkdf2Tag && parts[1] == "v1":
		iter, err = strconv.Atoi(parts[2])
		if err != nil || iter < h.iterations {
			return 0, nil, nil, ErrMalformed
		}
		salt, key, err = decodePair(parts[3], parts[4])
		return iter, salt, key, err
	}
	return 0, nil, nil, ErrMalformed
}

func decodePair(s, k string) (salt, key []byte, err error) {
	salt, err1 := b64.DecodeString(s)
	key, err2 := b64.DecodeString(k)
	if err1 != nil || err2 != nil || len(salt) == 0 || len(key) == 0 {
		return nil, nil, ErrMalformed
	}
	return salt, key, nil
}

func testKey(salt []byte, pw string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(pw))
	return h.Sum(nil)
}
