package srp

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// keyInfo is the HKDF info string of Cognito's SRP.
const keyInfo = "Caldera Derived Key"

// keySize is the size of the HMAC key derived from S.
const keySize = 16

// Claim is what the server holds when a PASSWORD_VERIFIER answer arrives:
// the values of the sign-in it started and the client's answer.
type Claim struct {
	PoolName, UserID string
	// Verifier, ClientPublic, ServerSecret and ServerPublic are v, A, b and
	// B, big-endian.
	Verifier, ClientPublic, ServerSecret, ServerPublic []byte
	// SecretBlock is the raw bytes of the base64-decoded SECRET_BLOCK.
	SecretBlock []byte
	// Timestamp is TIMESTAMP as sent by the client.
	Timestamp string
	// Signature is PASSWORD_CLAIM_SIGNATURE as sent (base64).
	Signature string
}

// VerifyClaim reports whether the client proved knowledge of the password:
// it computes S = (A·v^u)^b mod N, derives the key and compares the HMAC
// with the signature in constant time. It returns false for u == 0 and for
// malformed input of any kind, never panicking.
//
// The HMAC covers the timestamp rewritten in canonical form (FormatTimestamp
// of ParseTimestamp), not the bytes as sent: Cognito rejects a claim whose
// TIMESTAMP carries a zero-padded day although the client signed exactly
// what it sent, and so does this. Whether the timestamp is recent enough is
// CheckTimestamp's business, not VerifyClaim's.
func VerifyClaim(c Claim) bool {
	key, ok := claimKey(c)
	if !ok {
		return false
	}
	when, err := ParseTimestamp(c.Timestamp)
	if err != nil {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(c.PoolName))
	mac.Write([]byte(c.UserID))
	mac.Write(c.SecretBlock)
	mac.Write([]byte(FormatTimestamp(when)))
	return hmac.Equal(mac.Sum(nil), got)
}

// claimKey derives the 16-byte key both sides share when the password is
// right.
func claimKey(c Claim) ([]byte, bool) {
	if len(c.ServerSecret) == 0 {
		return nil, false
	}
	v, err := element(c.Verifier)
	if err != nil || v.IsZero() == 1 {
		return nil, false
	}
	A, err := element(c.ClientPublic)
	if err != nil || A.IsZero() == 1 {
		return nil, false
	}
	B, err := element(c.ServerPublic)
	if err != nil || B.IsZero() == 1 {
		return nil, false
	}
	u := hashInts(A.Bytes(modulus), B.Bytes(modulus))
	if len(trimZeros(u)) == 0 {
		return nil, false
	}
	S := exp(exp(v, u).Mul(A, modulus), c.ServerSecret)
	key, err := hkdf.Key(sha256.New, intBytes(S.Bytes(modulus)), intBytes(u), keyInfo, keySize)
	if err != nil {
		return nil, false
	}
	return key, true
}
