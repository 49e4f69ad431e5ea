// Package password hashes and verifies passwords.
//
// Only a salted, slow, versioned hash is ever kept: PBKDF2-HMAC-SHA256 with a
// random 16-byte salt, encoded as "pbkdf2-sha256$v1$<iterations>$<salt>$<key>".
// Comparison is constant-time. A cheap hasher for tests and benchmarks tags its
// hashes "test-sha256$", and a production hasher refuses them, as it refuses
// hashes of a lower work factor than its own. A Hasher is an
// immutable value, safe to share between goroutines.
package password
