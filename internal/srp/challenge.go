package srp

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"

	"filippo.io/bigmod"
)

// SecretSize is the size in bytes of the server's ephemeral secret b.
//
// RFC 5054 asks for at least 256 bits; a 3072-bit group gives about 128 bits
// of security, which a 256-bit exponent matches. The JS clients draw a from
// 1024 bits; b stays shorter because every b costs two exponentiations on the
// server (docs/srp.md has the numbers).
const SecretSize = 32

// maxPublicHex bounds the SRP_A hex string ParsePublic accepts: a group
// element is at most 768 digits, and the rest leaves room for leading zeros.
const maxPublicHex = 1024

var (
	// ErrInvalidPublic is returned for an SRP_A that is not hex or not a
	// usable group element: zero modulo N, or not below N.
	ErrInvalidPublic = errors.New("srp: invalid public value")
	// ErrInvalidVerifier is returned for a verifier that is not a group
	// element.
	ErrInvalidVerifier = errors.New("srp: invalid verifier")
)

// Challenge is the server's half of one sign-in: Secret is b (SecretSize
// bytes), Public is B = (k·v + g^b) mod N (groupSize bytes), both big-endian.
// Secret must stay on the server until the claim has been checked.
type Challenge struct{ Secret, Public []byte }

// NewChallenge draws b and computes B for a user's verifier. B is never zero
// modulo N.
func NewChallenge(verifier []byte) (Challenge, error) {
	v, err := element(verifier)
	if err != nil || v.IsZero() == 1 {
		return Challenge{}, ErrInvalidVerifier
	}
	for {
		b := make([]byte, SecretSize)
		if _, err := rand.Read(b); err != nil {
			return Challenge{}, err
		}
		if B := serverPublic(v, b); B.IsZero() == 0 {
			return Challenge{Secret: b, Public: B.Bytes(modulus)}, nil
		}
	}
}

// serverPublic returns B = k·v + g^b mod N.
func serverPublic(v *bigmod.Nat, b []byte) *bigmod.Nat {
	kv := mustElement(multiplierBytes).Mul(v, modulus)
	return exp(mustElement(generator), b).Add(kv, modulus)
}

// ParsePublic parses the client's SRP_A, hex in either case without sign or
// prefix, into groupSize big-endian bytes. It returns ErrInvalidPublic for
// anything else, and for a value that is zero modulo N or not below N (a
// client computes A = g^a mod N, and hashes A as it sent it, so a larger
// representative could never verify anyway).
func ParsePublic(hexA string) ([]byte, error) {
	if hexA == "" || len(hexA) > maxPublicHex {
		return nil, ErrInvalidPublic
	}
	if len(hexA)%2 == 1 {
		hexA = "0" + hexA
	}
	raw, err := hex.DecodeString(hexA)
	if err != nil {
		return nil, ErrInvalidPublic
	}
	A, err := element(raw)
	if err != nil || A.IsZero() == 1 {
		return nil, ErrInvalidPublic
	}
	return A.Bytes(modulus), nil
}

// HexInt writes a big-endian integer the way Cognito writes SRP_B and SALT
// in challenge parameters (Java's BigInteger.toString(16)): lowercase hex
// without leading zeros, so possibly of odd length, and "0" for zero. The
// clients parse these into big integers, so length and padding carry no
// meaning for them.
func HexInt(b []byte) string {
	s := strings.TrimLeft(hex.EncodeToString(b), "0")
	if s == "" {
		return "0"
	}
	return s
}
