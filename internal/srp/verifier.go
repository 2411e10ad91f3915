package srp

import (
	"crypto/rand"
	"crypto/sha256"
)

// SaltSize is the size in bytes of the salts NewSalt makes.
const SaltSize = 16

// NewSalt returns SaltSize random bytes to store with a new verifier.
func NewSalt() ([]byte, error) {
	salt := make([]byte, SaltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return salt, nil
}

// ComputeVerifier returns v = g^x mod N as groupSize big-endian bytes, where
// x = H(salt | H(poolName | userID | ":" | password)) with the salt hashed as
// the integer it encodes. poolName is the part of the pool ID after the
// underscore and userID is the value the pool sends as USER_ID_FOR_SRP.
func ComputeVerifier(poolName, userID, password string, salt []byte) []byte {
	x := passwordExponent(poolName, userID, password, salt)
	return exp(mustElement(generator), x).Bytes(modulus)
}

// CheckPassword reports whether password is the one a verifier was computed
// from, comparing in constant time. A malformed verifier matches nothing.
func CheckPassword(poolName, userID, password string, salt, verifier []byte) bool {
	stored, err := element(verifier)
	if err != nil {
		return false
	}
	x := passwordExponent(poolName, userID, password, salt)
	return exp(mustElement(generator), x).Equal(stored) == 1
}

// passwordExponent is x, the private key derived from the password: 32
// bytes, so every exponentiation by it has the same length.
func passwordExponent(poolName, userID, password string, salt []byte) []byte {
	inner := sha256.New()
	inner.Write([]byte(poolName))
	inner.Write([]byte(userID))
	inner.Write([]byte{':'})
	inner.Write([]byte(password))
	outer := sha256.New()
	outer.Write(intBytes(salt))
	outer.Write(inner.Sum(nil))
	return outer.Sum(nil)
}

// ParseVerifier checks a verifier computed by a client, as ConfirmDevice
// carries a remembered device's, and returns it as groupSize big-endian
// bytes. Clients send v as the JS clients hash it (padHex: a 0x00 in front
// when the top bit is set), so leading zero bytes are accepted; a value that
// is zero or not below N is ErrInvalidVerifier, as it could never be g^x.
func ParseVerifier(b []byte) ([]byte, error) {
	v, err := element(b)
	if err != nil || v.IsZero() == 1 {
		return nil, ErrInvalidVerifier
	}
	return v.Bytes(modulus), nil
}
