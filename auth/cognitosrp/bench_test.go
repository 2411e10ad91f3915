package cognitosrp

import (
	"testing"
	"time"
)

func BenchmarkNewClient(b *testing.B) {
	for b.Loop() {
		if _, err := NewClient("us-east-1_AbCdEf123", "alice", "Passw0rd!"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClaimSignature(b *testing.B) {
	v := loadVectors(b).Cases[0]
	c, err := NewClient(v.PoolID, v.UserID, v.Password, WithRandom(fixedA(b, v.SmallA)))
	if err != nil {
		b.Fatal(err)
	}
	now := mustParseTime(b, v.Timestamp)
	for b.Loop() {
		if sig, _, err := c.ClaimSignature(v.UserID, v.SaltParam, v.B, v.SecretBlock, now); err != nil || sig != v.Signature {
			b.Fatal(sig, err)
		}
	}
}

// BenchmarkSignIn is the client's whole computation for one sign-in: draw a,
// A, then the claim.
func BenchmarkSignIn(b *testing.B) {
	v := loadVectors(b).Cases[0]
	now := time.Now()
	for b.Loop() {
		c, err := NewClient(v.PoolID, v.UserID, v.Password)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.ClaimSignature(v.UserID, v.SaltParam, v.B, v.SecretBlock, now); err != nil {
			b.Fatal(err)
		}
	}
}
