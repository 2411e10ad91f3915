// Package codes makes the six-digit one-time codes Cognate sends (sign-up,
// verification, recovery, sign-in codes) and the keyed hashes it keeps of
// them instead of the codes.
package codes

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"io"
)

// New draws a six-digit code from r, without modulo bias.
func New(r io.Reader) string {
	b := make([]byte, 0, 6)
	buf := make([]byte, 1)
	for len(b) < 6 {
		if _, err := io.ReadFull(r, buf); err != nil {
			panic("codes: randomness failed: " + err.Error())
		}
		if buf[0] < 250 { // 250 is a multiple of 10
			b = append(b, '0'+buf[0]%10)
		}
	}
	return string(b)
}

// Hasher hashes codes under a key derived from the master key, so that a
// leaked database does not give six-digit codes away to a million guesses.
type Hasher struct{ key []byte }

// NewHasher derives a Hasher's key from the master key.
func NewHasher(masterKey []byte) (Hasher, error) {
	key, err := hkdf.Key(sha256.New, masterKey, nil, "cognate/userpool/codes", 32)
	return Hasher{key: key}, err
}

// Hash binds a code to its user (pool and sub) and purpose, so that a hash
// moved to another user or purpose matches nothing.
func (h Hasher) Hash(poolID, sub, purpose, code string) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(poolID + "\x00" + sub + "\x00" + purpose + "\x00" + code))
	return m.Sum(nil)
}
