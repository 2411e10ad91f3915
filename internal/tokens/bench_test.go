package tokens

import (
	"context"
	"testing"
	"time"
)

func benchIssuer(b *testing.B) (*Issuer, *clock) {
	c := newClock()
	iss := newTestIssuer(b, newMemKeys(), c)
	if err := iss.EnsureKey(context.Background(), testPool); err != nil {
		b.Fatal(err)
	}
	return iss, c
}

// BenchmarkSign signs an ID-token-shaped claim set with a 2048-bit key.
func BenchmarkSign(b *testing.B) {
	iss, c := benchIssuer(b)
	ctx, claims := context.Background(), claimsAt(c.Now(), time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iss.Sign(ctx, testPool, claims); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify verifies a token and unmarshals its claims, the RSA
// signature every time.
func BenchmarkVerify(b *testing.B) {
	iss, c := benchIssuer(b)
	iss.verified = nil
	ctx := context.Background()
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var got idClaims
		if err := iss.Verify(ctx, testPool, token, &got); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRemembered verifies a token seen before.
func BenchmarkVerifyRemembered(b *testing.B) {
	iss, c := benchIssuer(b)
	ctx := context.Background()
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var got idClaims
		if err := iss.Verify(ctx, testPool, token, &got); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyParallel is Verify from every core at once.
func BenchmarkVerifyParallel(b *testing.B) {
	iss, c := benchIssuer(b)
	iss.verified = nil
	ctx := context.Background()
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var got idClaims
			if err := iss.Verify(ctx, testPool, token, &got); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
