package srp

import (
	"crypto/rand"
	"math/big"
	"testing"

	"filippo.io/bigmod"
)

func BenchmarkComputeVerifier(b *testing.B) {
	salt, _ := NewSalt()
	for b.Loop() {
		ComputeVerifier("AbCdEf123", "alice", "Passw0rd!", salt)
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	salt, _ := NewSalt()
	v := ComputeVerifier("AbCdEf123", "alice", "Passw0rd!", salt)
	for b.Loop() {
		if !CheckPassword("AbCdEf123", "alice", "Passw0rd!", salt, v) {
			b.Fatal("CheckPassword = false")
		}
	}
}

func BenchmarkNewChallenge(b *testing.B) {
	salt, _ := NewSalt()
	v := ComputeVerifier("AbCdEf123", "alice", "Passw0rd!", salt)
	for b.Loop() {
		if _, err := NewChallenge(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyClaim(b *testing.B) {
	c := vectorClaim(b)
	for b.Loop() {
		if !VerifyClaim(c) {
			b.Fatal("VerifyClaim = false")
		}
	}
}

// BenchmarkExp compares the exponentiations the server does, on math/big
// (variable time) and on filippo.io/bigmod (constant time): docs/srp.md.
func BenchmarkExp(b *testing.B) {
	N := new(big.Int).SetBytes(modulusBytes)
	random := func(n int) []byte {
		e := make([]byte, n)
		rand.Read(e)
		return e
	}
	secret256, secret1024 := random(32), random(128)
	u := random(32)
	v := new(big.Int).Exp(big.NewInt(2), new(big.Int).SetBytes(random(32)), N)
	A := new(big.Int).Exp(big.NewInt(2), new(big.Int).SetBytes(secret1024), N)
	vBytes, ABytes := v.FillBytes(make([]byte, groupSize)), A.FillBytes(make([]byte, groupSize))

	for _, e := range []struct {
		name string
		exp  []byte
	}{{"g^e/256-bit", secret256}, {"g^e/1024-bit", secret1024}} {
		b.Run(e.name+"/math-big", func(b *testing.B) {
			g, x := big.NewInt(2), new(big.Int).SetBytes(e.exp)
			for b.Loop() {
				new(big.Int).Exp(g, x, N)
			}
		})
		b.Run(e.name+"/bigmod", func(b *testing.B) {
			g := mustElement(generator)
			for b.Loop() {
				bigmod.NewNat().Exp(g, e.exp, modulus)
			}
		})
	}
	// S = (A·v^u)^b, the server's half of VerifyClaim.
	b.Run("S/math-big", func(b *testing.B) {
		uInt, bInt := new(big.Int).SetBytes(u), new(big.Int).SetBytes(secret256)
		for b.Loop() {
			S := new(big.Int).Exp(v, uInt, N)
			S.Mul(S, A).Mod(S, N)
			S.Exp(S, bInt, N)
		}
	})
	b.Run("S/bigmod", func(b *testing.B) {
		vNat, ANat := mustElement(vBytes), mustElement(ABytes)
		for b.Loop() {
			exp(exp(vNat, u).Mul(ANat, modulus), secret256)
		}
	})
}
