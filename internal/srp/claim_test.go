package srp

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// vectorClaim is the first JS vector as the server would hold it.
func vectorClaim(t testing.TB) Claim {
	t.Helper()
	c := loadVectors(t).Cases[0]
	v := ComputeVerifier(c.PoolName, c.UserID, c.Password, intHex(t, c.Salt))
	b := intHex(t, c.SmallB)
	A, err := ParsePublic(c.A)
	if err != nil {
		t.Fatal(err)
	}
	return Claim{
		PoolName: c.PoolName, UserID: c.UserID,
		Verifier: v, ClientPublic: A, ServerSecret: b,
		ServerPublic: serverPublic(mustElement(v), b).Bytes(modulus),
		SecretBlock:  decodeB64(t, c.SecretBlock),
		Timestamp:    c.Timestamp, Signature: c.Signature,
	}
}

// signAs signs c over the timestamp exactly as given, the way a client that
// formats it differently would.
func signAs(t testing.TB, c Claim, timestamp string) Claim {
	t.Helper()
	key, ok := claimKey(c)
	if !ok {
		t.Fatal("claimKey failed")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(c.PoolName + c.UserID))
	mac.Write(c.SecretBlock)
	mac.Write([]byte(timestamp))
	c.Timestamp = timestamp
	c.Signature = base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return c
}

func TestVerifyClaimRejects(t *testing.T) {
	valid := vectorClaim(t)
	if valid.Timestamp != "Tue Nov 3 09:04:05 UTC 2026" {
		t.Fatalf("first vector's timestamp is %q; the cases below assume a single-digit day", valid.Timestamp)
	}
	if !VerifyClaim(valid) || !VerifyClaim(signAs(t, valid, valid.Timestamp)) {
		t.Fatal("the valid claim does not verify")
	}
	otherV := ComputeVerifier(valid.PoolName, valid.UserID, "not the password", []byte{1})
	otherPublic := serverPublic(mustElement(otherV), valid.ServerSecret).Bytes(modulus)
	flip := func(b []byte, i int) []byte {
		b = bytes.Clone(b)
		b[i] ^= 1
		return b
	}
	tests := []struct {
		name   string
		change func(*Claim)
	}{
		{"wrong password", func(c *Claim) {
			c.Verifier = ComputeVerifier(c.PoolName, c.UserID, "Passw0rd?", []byte{1})
		}},
		{"verifier of another salt", func(c *Claim) { c.Verifier = otherV }},
		{"verifier nil", func(c *Claim) { c.Verifier = nil }},
		{"verifier N", func(c *Claim) { c.Verifier = modulusBytes }},
		{"secret block bit", func(c *Claim) { c.SecretBlock = flip(c.SecretBlock, 3) }},
		{"secret block shorter", func(c *Claim) { c.SecretBlock = c.SecretBlock[1:] }},
		{"secret block longer", func(c *Claim) { c.SecretBlock = append(bytes.Clone(c.SecretBlock), 0) }},
		{"secret block empty", func(c *Claim) { c.SecretBlock = nil }},
		{"timestamp one second on", func(c *Claim) { c.Timestamp = "Tue Nov 3 09:04:06 UTC 2026" }},
		{"timestamp lowercase", func(c *Claim) { c.Timestamp = strings.ToLower(c.Timestamp) }},
		{"timestamp malformed", func(c *Claim) { c.Timestamp = "now" }},
		{"timestamp empty", func(c *Claim) { c.Timestamp = "" }},
		{"user ID", func(c *Claim) { c.UserID = "Alice" }},
		{"user ID empty", func(c *Claim) { c.UserID = "" }},
		{"pool name", func(c *Claim) { c.PoolName = "AbCdEf124" }},
		{"pool ID instead of name", func(c *Claim) { c.PoolName = "us-east-1_" + c.PoolName }},
		{"signature char", func(c *Claim) { c.Signature = "Q" + c.Signature[1:] }},
		{"signature short", func(c *Claim) { c.Signature = base64.StdEncoding.EncodeToString(make([]byte, 31)) }},
		{"signature long", func(c *Claim) {
			c.Signature = base64.StdEncoding.EncodeToString(append(decodeB64(t, c.Signature), 0))
		}},
		{"signature not base64", func(c *Claim) { c.Signature = "!" + c.Signature[1:] }},
		{"signature empty", func(c *Claim) { c.Signature = "" }},
		{"A zero", func(c *Claim) { c.ClientPublic = make([]byte, groupSize) }},
		{"A nil", func(c *Claim) { c.ClientPublic = nil }},
		{"A = N", func(c *Claim) { c.ClientPublic = modulusBytes }},
		{"A changed", func(c *Claim) { c.ClientPublic = flip(c.ClientPublic, groupSize-1) }},
		{"B zero", func(c *Claim) { c.ServerPublic = nil }},
		{"B = N", func(c *Claim) { c.ServerPublic = modulusBytes }},
		{"B of another verifier", func(c *Claim) { c.ServerPublic = otherPublic }},
		{"b empty", func(c *Claim) { c.ServerSecret = nil }},
		{"b changed", func(c *Claim) { c.ServerSecret = flip(c.ServerSecret, 0) }},
	}
	for _, tt := range tests {
		c := valid
		tt.change(&c)
		if VerifyClaim(c) {
			t.Errorf("%s: VerifyClaim = true", tt.name)
		}
	}
	// A client that signs a zero-padded day signs what it sends, and still
	// fails, as it does against Cognito: the server signs the canonical form.
	padded := "Tue Nov 03 09:04:05 UTC 2026"
	if VerifyClaim(signAs(t, valid, padded)) {
		t.Error("a signature over a zero-padded day verifies")
	}
	// So the canonical signature is what counts, however the day was sent.
	valid.Timestamp = padded
	if !VerifyClaim(valid) {
		t.Error("the canonical signature fails for a zero-padded TIMESTAMP")
	}
}
