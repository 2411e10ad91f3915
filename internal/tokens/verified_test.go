package tokens

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestVerifiedTokensStillCheckExpiryPoolAndBytes(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	iss := newTestIssuer(t, newMemKeys(), c)
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second time from the memo
		var got idClaims
		if err := iss.Verify(ctx, testPool, token, &got); err != nil || got.Username != "alice <a&b>" {
			t.Fatalf("Verify = %v, claims %+v", err, got)
		}
	}
	if _, ok := iss.verified.get(token); !ok {
		t.Fatal("a verified token was not remembered")
	}
	// Another pool: its keys did not sign the token.
	if err := iss.EnsureKey(ctx, "us-east-1_OtherPool"); err != nil {
		t.Fatal(err)
	}
	if err := iss.Verify(ctx, "us-east-1_OtherPool", token, nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("remembered token for another pool: Verify = %v, want ErrInvalidToken", err)
	}
	// Any other bytes are verified in full.
	tampered := token[:len(token)-2] + map[bool]string{true: "AA", false: "BB"}[token[len(token)-2:] != "AA"]
	if err := iss.Verify(ctx, testPool, tampered, nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("tampered token: Verify = %v, want ErrInvalidToken", err)
	}
	// Expiry is checked on every call.
	c.Advance(time.Minute)
	if err := iss.Verify(ctx, testPool, token, nil); !errors.Is(err, ErrExpiredToken) {
		t.Errorf("remembered token after exp: Verify = %v, want ErrExpiredToken", err)
	}
}

func TestVerifiedTokensBounded(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	iss := NewIssuer(newMemKeys(), Options{Now: c.Now, VerifiedTokens: 3})
	var tokens []string
	for i := range 10 {
		claims := claimsAt(c.Now(), time.Hour)
		claims.Sub = fmt.Sprint(i)
		token, err := iss.Sign(ctx, testPool, claims)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	for range 2 {
		for _, token := range tokens {
			if err := iss.Verify(ctx, testPool, token, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(iss.verified.m); n > 3 {
		t.Errorf("memo holds %d tokens, more than 3", n)
	}
	off := NewIssuer(newMemKeys(), Options{Now: c.Now, VerifiedTokens: -1})
	if off.verified != nil {
		t.Error("VerifiedTokens < 0 kept a memo")
	}
}

func TestVerifiedTokensConcurrent(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	iss := NewIssuer(newMemKeys(), Options{Now: c.Now, VerifiedTokens: 4})
	var tokens []string
	for i := range 8 {
		claims := claimsAt(c.Now(), time.Hour)
		claims.Sub = fmt.Sprint(i)
		token, err := iss.Sign(ctx, testPool, claims)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				var got idClaims
				token := tokens[(g+i)%len(tokens)]
				if err := iss.Verify(ctx, testPool, token, &got); err != nil || got.Sub != fmt.Sprint((g+i)%len(tokens)) {
					t.Errorf("Verify = %v, sub %q", err, got.Sub)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestVerifiedTokensBoundedInBytes: the memo holds at most its budget of
// payloads, whatever the size of the tokens, and skips one larger than the
// whole budget.
func TestVerifiedTokensBoundedInBytes(t *testing.T) {
	v := newVerifiedTokens(100, 10_000)
	payload := make([]byte, 1000)
	for i := range 100 {
		v.put(fmt.Sprint("token", i), verifiedToken{poolID: testPool, kid: "k", payload: payload})
		total := 0
		for _, e := range v.m {
			total += e.cost()
		}
		if total != v.bytes || v.bytes > 10_000 {
			t.Fatalf("after %d tokens: entries cost %d, counted %d, budget 10000", i+1, total, v.bytes)
		}
	}
	if len(v.m) == 0 {
		t.Error("the memo kept nothing")
	}
	v.put("huge", verifiedToken{poolID: testPool, kid: "k", payload: make([]byte, 20_000)})
	if _, ok := v.get("huge"); ok {
		t.Error("a token larger than the budget was remembered")
	}
	// Putting the same token again does not count it twice.
	before := v.bytes
	v.put("token99", verifiedToken{poolID: testPool, kid: "k", payload: payload})
	if v.bytes != before {
		t.Errorf("re-putting a token: %d bytes counted, want %d", v.bytes, before)
	}
}
