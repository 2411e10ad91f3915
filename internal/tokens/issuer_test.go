package tokens

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testPool = "us-east-1_TestPool1"

// clock is a settable Options.Now.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

func newTestIssuer(t testing.TB, keys *memKeys, c *clock) *Issuer {
	t.Helper()
	return NewIssuer(keys, Options{Now: c.Now, ReloadInterval: time.Millisecond})
}

// idClaims is shaped like a Cognito ID token.
type idClaims struct {
	Sub      string `json:"sub"`
	Aud      string `json:"aud"`
	TokenUse string `json:"token_use"`
	Iss      string `json:"iss"`
	Username string `json:"cognito:username"`
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
}

func claimsAt(now time.Time, ttl time.Duration) idClaims {
	return idClaims{
		Sub: "5f1e3c62-9a41-4e0c-8d55-1b7b2a1d8f00", Aud: "1example23456789", TokenUse: "id",
		Iss: "https://cognito.example/" + testPool, Username: "alice <a&b>",
		Exp: now.Add(ttl).Unix(), Iat: now.Unix(),
	}
}

func kidOf(t testing.TB, token string) string {
	t.Helper()
	var h struct {
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(decodeSegment(t, token, 0), &h); err != nil {
		t.Fatal(err)
	}
	return h.Kid
}

func decodeSegment(t testing.TB, token string, n int) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[n])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignVerifyRoundTrip(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	iss := newTestIssuer(t, newMemKeys(), c)
	want := claimsAt(c.Now(), time.Hour)
	token, err := iss.Sign(ctx, testPool, want)
	if err != nil {
		t.Fatal(err)
	}
	var got idClaims
	if err := iss.Verify(ctx, testPool, token, &got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("claims = %+v, want %+v", got, want)
	}

	// The header is Cognito's: kid then alg, "/" written "\/", nothing else.
	kid := kidOf(t, token)
	wantHeader := `{"kid":"` + strings.ReplaceAll(kid, "/", `\/`) + `","alg":"RS256"}`
	if h := string(decodeSegment(t, token, 0)); h != wantHeader {
		t.Errorf("header = %s, want %s", h, wantHeader)
	}
	payload := string(decodeSegment(t, token, 1))
	if !strings.Contains(payload, `"iss":"https:\/\/cognito.example\/`+testPool+`"`) {
		t.Errorf("payload does not escape slashes like Cognito: %s", payload)
	}
	if !strings.Contains(payload, `"cognito:username":"alice <a&b>"`) {
		t.Errorf("payload escapes HTML characters: %s", payload)
	}
	if err := iss.Verify(ctx, testPool, token, nil); err != nil {
		t.Errorf("Verify with nil dst: %v", err)
	}
}

func TestKIDFormat(t *testing.T) {
	c := newClock()
	iss := newTestIssuer(t, newMemKeys(), c)
	seen := map[string]bool{}
	for range 3 {
		kid, err := iss.Rotate(context.Background(), testPool)
		if err != nil {
			t.Fatal(err)
		}
		b, err := base64.StdEncoding.DecodeString(kid)
		if err != nil || len(b) != 32 || len(kid) != 44 || !strings.HasSuffix(kid, "=") {
			t.Errorf("kid %q is not standard base64 of 32 bytes", kid)
		}
		if seen[kid] {
			t.Errorf("kid %q repeated", kid)
		}
		seen[kid] = true
	}
}

func TestVerifyExpiry(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	iss := newTestIssuer(t, newMemKeys(), c)
	now := c.Now().Unix()
	tests := []struct {
		name   string
		claims any
		want   error
	}{
		{"future", map[string]any{"exp": now + 1}, nil},
		{"now", map[string]any{"exp": now}, ErrExpiredToken},
		{"past", map[string]any{"exp": now - 3600}, ErrExpiredToken},
		{"fractional future", map[string]any{"exp": float64(now) + 0.5}, nil},
		{"fractional past", map[string]any{"exp": float64(now) - 0.5}, ErrExpiredToken},
		{"missing", map[string]any{"sub": "x"}, ErrInvalidToken},
		{"null", map[string]any{"exp": nil}, ErrInvalidToken},
		{"not a number", map[string]any{"exp": "tomorrow"}, ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, err := iss.Sign(ctx, testPool, tt.claims)
			if err != nil {
				t.Fatal(err)
			}
			if err := iss.Verify(ctx, testPool, token, nil); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}

	// A token expires as the clock moves on.
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if err := iss.Verify(ctx, testPool, token, nil); !errors.Is(err, ErrExpiredToken) {
		t.Errorf("after exp: Verify = %v, want ErrExpiredToken", err)
	}
}

func TestSignRejectsNonObjects(t *testing.T) {
	iss := newTestIssuer(t, newMemKeys(), newClock())
	for _, claims := range []any{"text", 42, []string{"a"}, nil, make(chan int)} {
		if _, err := iss.Sign(context.Background(), testPool, claims); err == nil {
			t.Errorf("Sign(%T) succeeded", claims)
		}
	}
}

func TestRotation(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := newTestIssuer(t, keys, c)
	before, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	oldKID := kidOf(t, before)

	newKID, err := iss.Rotate(ctx, testPool)
	if err != nil {
		t.Fatal(err)
	}
	if newKID == oldKID {
		t.Fatal("Rotate kept the kid")
	}
	after, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := kidOf(t, after); got != newKID {
		t.Errorf("after rotation tokens carry kid %s, want %s", got, newKID)
	}
	for name, token := range map[string]string{"before": before, "after": after} {
		if err := iss.Verify(ctx, testPool, token, nil); err != nil {
			t.Errorf("token signed %s rotation: %v", name, err)
		}
	}
	if got, want := jwksKIDs(t, iss), []string{oldKID, newKID}; !equal(got, want) {
		t.Errorf("JWKS kids = %v, want %v", got, want)
	}
	stored, _ := keys.SigningKeys(ctx, testPool)
	if stored[0].RetiredAt.IsZero() || !stored[1].RetiredAt.IsZero() {
		t.Errorf("after rotation retired = [%v %v], want old retired, new active", stored[0].RetiredAt, stored[1].RetiredAt)
	}

	// Deleting the retired key unpublishes it; replicas notice within the TTL.
	if err := keys.DeleteSigningKey(ctx, testPool, oldKID); err != nil {
		t.Fatal(err)
	}
	c.Advance(DefaultCacheTTL)
	_ = iss.Verify(ctx, testPool, after, nil) // starts the refresh
	iss.background.Wait()
	if err := iss.Verify(ctx, testPool, before, nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("token of a deleted key: Verify = %v, want ErrInvalidToken", err)
	}
	if got, want := jwksKIDs(t, iss), []string{newKID}; !equal(got, want) {
		t.Errorf("JWKS kids after delete = %v, want %v", got, want)
	}
}

// TestRotationPrunes checks that a rotation deletes the keys retired more
// than RetiredKeyLifetime ago and keeps the younger ones.
func TestRotationPrunes(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := newTestIssuer(t, keys, c)
	if err := iss.EnsureKey(ctx, testPool); err != nil {
		t.Fatal(err)
	}
	first := jwksKIDs(t, iss)[0]
	second, err := iss.Rotate(ctx, testPool) // retires first now
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(RetiredKeyLifetime)
	third, err := iss.Rotate(ctx, testPool) // first is exactly at the limit: kept
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jwksKIDs(t, iss), []string{first, second, third}; !equal(got, want) {
		t.Fatalf("JWKS kids at the limit = %v, want %v", got, want)
	}
	c.Advance(time.Second)
	fourth, err := iss.Rotate(ctx, testPool) // first is past it; second retired a second ago
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jwksKIDs(t, iss), []string{second, third, fourth}; !equal(got, want) {
		t.Errorf("JWKS kids past the limit = %v, want %v", got, want)
	}
}

// TestReplicas runs two issuers on one store, as two replicas would.
func TestReplicas(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	a, b := newTestIssuer(t, keys, c), newTestIssuer(t, keys, c)
	first, err := a.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Verify(ctx, testPool, first, nil); err != nil {
		t.Fatalf("b verifying a's token: %v", err)
	}

	newKID, err := b.Rotate(ctx, testPool)
	if err != nil {
		t.Fatal(err)
	}
	// a keeps its choice of active key until its cache expires; its tokens
	// still verify everywhere, since the retired key stays published.
	fromA, err := a.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := kidOf(t, fromA); got != kidOf(t, first) {
		t.Errorf("within its TTL a signs with %s, want the cached %s", got, kidOf(t, first))
	}
	if err := b.Verify(ctx, testPool, fromA, nil); err != nil {
		t.Errorf("b verifying a's token of the retired key: %v", err)
	}
	// ...and then signs with the new key.
	c.Advance(DefaultCacheTTL)
	_, _ = a.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour)) // starts the refresh
	a.background.Wait()
	fromA, err = a.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := kidOf(t, fromA); got != newKID {
		t.Errorf("after the TTL a signs with %s, want %s", got, newKID)
	}
	if err := b.Verify(ctx, testPool, fromA, nil); err != nil {
		t.Errorf("b verifying a's token of the new key: %v", err)
	}
}

func TestUnknownKIDReloadsOnce(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := newTestIssuer(t, keys, c)
	if err := iss.EnsureKey(ctx, testPool); err != nil {
		t.Fatal(err)
	}

	// Another replica adds a key behind the issuer's back and signs with it.
	sk, err := generateKey(testPool, DefaultKeyBits, c.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.AddSigningKey(ctx, sk); err != nil {
		t.Fatal(err)
	}
	k, err := parseKey(sk)
	if err != nil {
		t.Fatal(err)
	}
	token, err := k.sign(mustJSON(t, claimsAt(c.Now(), time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	reads := keys.reads.Load()
	if err := iss.Verify(ctx, testPool, token, nil); err != nil {
		t.Fatalf("token of a key added behind the issuer's back: %v", err)
	}
	if got := keys.reads.Load() - reads; got != 1 {
		t.Errorf("unknown kid cost %d store reads, want 1", got)
	}
	reads = keys.reads.Load()
	if err := iss.Verify(ctx, testPool, token, nil); err != nil {
		t.Fatal(err)
	}
	if got := keys.reads.Load() - reads; got != 0 {
		t.Errorf("known kid cost %d store reads, want 0", got)
	}

	// A kid that is nowhere: one read, then ErrInvalidToken.
	forged := forgeWithKID(t, token, randomKID(t))
	reads = keys.reads.Load()
	if err := iss.Verify(ctx, testPool, forged, nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("unknown kid: Verify = %v, want ErrInvalidToken", err)
	}
	if got := keys.reads.Load() - reads; got != 1 {
		t.Errorf("unknown kid cost %d store reads, want 1", got)
	}
	// A kid that cannot be ours costs nothing.
	reads = keys.reads.Load()
	if err := iss.Verify(ctx, testPool, forgeWithKID(t, token, "key-1"), nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("malformed kid: Verify = %v, want ErrInvalidToken", err)
	}
	if got := keys.reads.Load() - reads; got != 0 {
		t.Errorf("malformed kid cost %d store reads, want 0", got)
	}
	// Another pool's token names a kid this pool lacks.
	other, err := iss.Sign(ctx, "us-east-1_OtherPool", claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := iss.Verify(ctx, testPool, other, nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("other pool's token: Verify = %v, want ErrInvalidToken", err)
	}
}

// TestForgedKIDsArePaced floods an issuer with tokens naming unknown kids:
// concurrent misses share reads, and reads are paced.
func TestForgedKIDsArePaced(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := NewIssuer(keys, Options{Now: c.Now, ReloadInterval: 50 * time.Millisecond})
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	reads := keys.reads.Load()
	start := time.Now()
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if err := iss.Verify(ctx, testPool, forgeWithKID(t, token, randomKID(t)), nil); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Verify = %v, want ErrInvalidToken", err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	got := keys.reads.Load() - reads
	if max := int64(elapsed/(50*time.Millisecond)) + 2; got > max {
		t.Errorf("200 forged tokens in %v caused %d reads, want at most %d", elapsed, got, max)
	}
	t.Logf("200 forged kids: %d store reads in %v", got, elapsed)
}

func TestSteadyStateLeavesStoreAlone(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := newTestIssuer(t, keys, c)
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	reads := keys.reads.Load()
	for range 50 {
		c.Advance(100 * time.Millisecond) // 5s in all, well inside the TTL
		if _, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := iss.Verify(ctx, testPool, token, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := iss.JWKS(ctx, testPool); err != nil {
			t.Fatal(err)
		}
	}
	if got := keys.reads.Load() - reads; got != 0 {
		t.Errorf("steady state read the store %d times", got)
	}
	// Past the TTL the snapshot is read again once, in the background.
	c.Advance(DefaultCacheTTL)
	for range 20 {
		if err := iss.Verify(ctx, testPool, token, nil); err != nil {
			t.Fatal(err)
		}
	}
	iss.background.Wait()
	if got := keys.reads.Load() - reads; got != 1 {
		t.Errorf("TTL refresh read the store %d times, want 1", got)
	}
}

func TestEnsureKeyConcurrent(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	t.Run("one issuer", func(t *testing.T) {
		keys := newMemKeys()
		iss := newTestIssuer(t, keys, c)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if err := iss.EnsureKey(ctx, testPool); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := keys.count(testPool); n != 1 {
			t.Errorf("%d keys, want 1", n)
		}
		if err := iss.EnsureKey(ctx, testPool); err != nil || keys.count(testPool) != 1 {
			t.Errorf("EnsureKey again: err %v, %d keys", err, keys.count(testPool))
		}
	})
	t.Run("racing replicas", func(t *testing.T) {
		keys := newMemKeys()
		replicas := []*Issuer{newTestIssuer(t, keys, c), newTestIssuer(t, keys, c)}
		var wg sync.WaitGroup
		for _, iss := range replicas {
			for range 4 {
				wg.Go(func() {
					if err := iss.EnsureKey(ctx, testPool); err != nil {
						t.Error(err)
					}
				})
			}
		}
		wg.Wait()
		if n := keys.count(testPool); n < 1 || n > 2 {
			t.Errorf("%d keys, want 1 or 2", n)
		}
		// Whatever each replica signs with, the other verifies.
		for i, signer := range replicas {
			token, err := signer.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if err := replicas[1-i].Verify(ctx, testPool, token, nil); err != nil {
				t.Errorf("replica %d's token on replica %d: %v", i, 1-i, err)
			}
		}
	})
}

// TestConcurrentUse runs the hot paths against rotations, for the race detector.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	iss := newTestIssuer(t, newMemKeys(), c)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
				if err != nil {
					t.Error(err)
					return
				}
				if err := iss.Verify(ctx, testPool, token, nil); err != nil {
					t.Error(err)
				}
				c.Advance(5 * time.Second) // crosses the TTL now and then
			}
		})
	}
	wg.Go(func() {
		for range 2 {
			if _, err := iss.Rotate(ctx, testPool); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	iss.background.Wait()
}

var jwkPattern = regexp.MustCompile(`^\{"alg":"RS256","e":"AQAB","kid":"[A-Za-z0-9+/]{43}=","kty":"RSA","n":"[A-Za-z0-9_-]+","use":"sig"\}$`)

func TestJWKS(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := newTestIssuer(t, keys, c)
	if _, err := iss.Rotate(ctx, testPool); err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Rotate(ctx, testPool); err != nil {
		t.Fatal(err)
	}
	raw, err := iss.JWKS(ctx, testPool)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), `{"keys":[{"alg"`) || len(set.Keys) != 2 {
		t.Fatalf("JWKS = %s", raw)
	}
	stored, _ := keys.SigningKeys(ctx, testPool)
	for i, m := range set.Keys {
		if !jwkPattern.Match(m) {
			t.Errorf("key %d = %s, not Cognito's shape", i, m)
		}
		var k jwk
		_ = json.Unmarshal(m, &k)
		sk, err := parseKey(stored[i])
		if err != nil {
			t.Fatal(err)
		}
		n, _ := base64.RawURLEncoding.DecodeString(k.N)
		if k.Kid != sk.kid || new(big.Int).SetBytes(n).Cmp(sk.pub.N) != 0 {
			t.Errorf("key %d does not publish stored key %s", i, sk.kid)
		}
		if sk.priv.Precomputed.Dp == nil {
			t.Errorf("key %s is not precomputed", sk.kid)
		}
	}
	// The caller owns the bytes it gets.
	raw[0] = 'X'
	if again, _ := iss.JWKS(ctx, testPool); again[0] != '{' {
		t.Error("JWKS returned shared bytes")
	}
}

func TestNewIssuerRefusesSmallKeys(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewIssuer accepted 1024-bit keys")
		}
	}()
	NewIssuer(newMemKeys(), Options{KeyBits: 1024})
}

func TestIssuerURL(t *testing.T) {
	for _, base := range []string{"https://auth.example.com", "https://auth.example.com/"} {
		if got, want := IssuerURL(base, testPool), "https://auth.example.com/"+testPool; got != want {
			t.Errorf("IssuerURL(%q) = %q, want %q", base, got, want)
		}
	}
}

func jwksKIDs(t *testing.T, iss *Issuer) []string {
	t.Helper()
	raw, err := iss.JWKS(context.Background(), testPool)
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Keys []jwk }
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range set.Keys {
		kids = append(kids, k.Kid)
	}
	return kids
}

func equal(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := marshalClaims(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func randomKID(t testing.TB) string {
	kid, err := newKID()
	if err != nil {
		t.Fatal(err)
	}
	return kid
}

// forgeWithKID returns token with its header's kid replaced (so its
// signature no longer holds).
func forgeWithKID(t testing.TB, token, kid string) string {
	parts := strings.Split(token, ".")
	parts[0] = encodeHeader(kid)
	return strings.Join(parts, ".")
}
