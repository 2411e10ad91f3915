package tokens

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// cachedPools counts the pools an issuer keeps state for.
func cachedPools(i *Issuer) int {
	n := 0
	i.pools.Range(func(any, any) bool { n++; return true })
	return n
}

// forgedFor returns token re-addressed to poolID: a fresh well-formed kid,
// and the pool's issuer (which Verify does not read). The signature no
// longer holds.
func forgedFor(t testing.TB, token, poolID string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	claims := claimsAt(time.Now(), time.Hour)
	claims.Iss = "https://cognito.example/" + poolID
	parts[0] = encodeHeader(randomKID(t))
	parts[1] = encodeSegment(mustJSON(t, claims))
	return strings.Join(parts, ".")
}

// TestUnknownPoolsKeepNothing floods an issuer with forged tokens, each
// naming a pool id never seen before: half of them far longer than any
// pool id, half well-formed. None may leave state behind, and only the
// well-formed ones may cost a store read.
func TestUnknownPoolsKeepNothing(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := NewIssuer(keys, Options{Now: c.Now, ReloadInterval: time.Nanosecond})
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	const n = 10_000
	long := strings.Repeat("x", 4096)
	reads := keys.reads.Load()
	ids := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for id := range ids {
				if err := iss.Verify(ctx, id, forgedFor(t, token, id), nil); !errors.Is(err, ErrInvalidToken) {
					t.Errorf("Verify for pool %.40s...: %v, want ErrInvalidToken", id, err)
				}
			}
		})
	}
	for i := range n {
		if i%2 == 0 {
			ids <- fmt.Sprintf("us-east-1_L%08d%s", i, long)
		} else {
			ids <- fmt.Sprintf("us-east-1_W%044d", i) // 55 characters, the longest the model allows
		}
	}
	close(ids)
	wg.Wait()
	iss.background.Wait()
	if got := cachedPools(iss); got != 1 {
		t.Errorf("after %d tokens of unknown pools the issuer keeps state for %d pools, want 1 (%s)", n, got, testPool)
	}
	if got := iss.absent.Len(); got > maxAbsent {
		t.Errorf("the issuer remembers %d pools without keys, more than %d", got, maxAbsent)
	}
	if got := keys.reads.Load() - reads; got > n/2 {
		t.Errorf("%d tokens of unknown pools cost %d store reads, want at most one per well-formed id (%d)", n, got, n/2)
	}
	// The known pool still verifies.
	if err := iss.Verify(ctx, testPool, token, nil); err != nil {
		t.Errorf("token of the known pool: %v", err)
	}
}

func encodeSegment(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// TestUnknownPoolReadsArePaced floods an issuer with forged tokens naming
// one well-formed pool that has no keys: concurrent tokens share reads, and
// a read is remembered for ReloadInterval.
func TestUnknownPoolReadsArePaced(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := NewIssuer(keys, Options{Now: c.Now, ReloadInterval: time.Hour})
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	const missing = "us-east-1_Missing00"
	reads := keys.reads.Load()
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if err := iss.Verify(ctx, missing, forgedFor(t, token, missing), nil); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Verify = %v, want ErrInvalidToken", err)
			}
		})
	}
	wg.Wait()
	if got := keys.reads.Load() - reads; got > maxProbes {
		t.Errorf("200 tokens of one pool without keys cost %d store reads, want at most %d", got, maxProbes)
	}
	if got := cachedPools(iss); got != 1 {
		t.Errorf("the issuer keeps state for %d pools, want 1", got)
	}
}

// TestPoolOfAnotherReplica has a replica verify the tokens of a pool
// another replica created after this one had looked for it in vain: the
// pool's keys are read again once ReloadInterval has passed.
func TestPoolOfAnotherReplica(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	a := NewIssuer(keys, Options{Now: c.Now, ReloadInterval: 20 * time.Millisecond})
	b := newTestIssuer(t, keys, c)
	const pool = "eu-west-1_Replica01"
	probe, err := b.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Verify(ctx, pool, forgedFor(t, probe, pool), nil); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("token of a pool without keys: %v, want ErrInvalidToken", err)
	}
	token, err := b.Sign(ctx, pool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	reads := keys.reads.Load()
	if err := a.Verify(ctx, pool, token, nil); err != nil {
		t.Fatalf("token of the pool b created: %v", err)
	}
	if got := keys.reads.Load() - reads; got != 1 {
		t.Errorf("the first token of a pool new to a cost %d store reads, want 1", got)
	}
	// A forged kid right after that read is refused without another.
	reads = keys.reads.Load()
	if err := a.Verify(ctx, pool, forgeWithKID(t, token, randomKID(t)), nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("forged kid: %v, want ErrInvalidToken", err)
	}
	if got := keys.reads.Load() - reads; got > 1 {
		t.Errorf("a forged kid cost %d store reads, want at most 1", got)
	}
}

// TestDeletedPoolIsForgotten: when a pool's keys are gone from the store
// (another replica deleted the pool), the first verification that reads
// them drops the pool's state.
func TestDeletedPoolIsForgotten(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := newTestIssuer(t, keys, c)
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.DeleteSigningKey(ctx, testPool, kidOf(t, token)); err != nil {
		t.Fatal(err)
	}
	c.Advance(DefaultCacheTTL)
	iss.Verify(ctx, testPool, token, nil) // still the old snapshot, while a new one is read
	iss.background.Wait()
	if err := iss.Verify(ctx, testPool, token, nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("token of a deleted key: %v, want ErrInvalidToken", err)
	}
	if got := cachedPools(iss); got != 0 {
		t.Errorf("the issuer keeps state for %d pools, want 0", got)
	}
}

func TestOversizedTokenCostsNothing(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	keys := newMemKeys()
	iss := newTestIssuer(t, keys, c)
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	reads := keys.reads.Load()
	long := token + strings.Repeat("A", MaxTokenBytes)
	if err := iss.Verify(ctx, testPool, long, nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("token of %d bytes: %v, want ErrInvalidToken", len(long), err)
	}
	if err := iss.Verify(ctx, "us-east-1_"+strings.Repeat("x", MaxPoolIDLen), token, nil); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("pool id too long: %v, want ErrInvalidToken", err)
	}
	if got := keys.reads.Load() - reads; got != 0 {
		t.Errorf("oversized input cost %d store reads, want 0", got)
	}
}

// userPoolIDType is the service model's pattern and length of pool ids.
var userPoolIDType = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)

func TestWellFormedPoolID(t *testing.T) {
	for _, ok := range []string{"us-east-1_Example12", "a_b", "eu_west_1_X", "-_0", "us-east-1_" + strings.Repeat("a", 45)} {
		if !WellFormedPoolID(ok) {
			t.Errorf("WellFormedPoolID(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", "_", "us-east-1", "us-east-1_", "_abc", "us-east-1_ab-c", "us-east-1_ab_", "us east_1",
		"us-east-1_é", "us-east-1/x_y", "us-east-1_" + strings.Repeat("a", 46)} {
		if WellFormedPoolID(bad) {
			t.Errorf("WellFormedPoolID(%q) = true", bad)
		}
	}
	// Against the model's pattern, on every string of up to four
	// characters over a small alphabet.
	alphabet := []string{"a", "Z", "0", "_", "-", ".", "é"}
	var walk func(string, int)
	walk = func(s string, depth int) {
		want := len(s) <= MaxPoolIDLen && userPoolIDType.MatchString(s)
		if got := WellFormedPoolID(s); got != want {
			t.Errorf("WellFormedPoolID(%q) = %v, the model's pattern says %v", s, got, want)
		}
		if depth == 0 {
			return
		}
		for _, c := range alphabet {
			walk(s+c, depth-1)
		}
	}
	walk("", 4)
}

func FuzzWellFormedPoolID(f *testing.F) {
	f.Add("us-east-1_Example12")
	f.Add("a_b_c")
	f.Fuzz(func(t *testing.T, s string) {
		want := len(s) <= MaxPoolIDLen && userPoolIDType.MatchString(s)
		if got := WellFormedPoolID(s); got != want {
			t.Errorf("WellFormedPoolID(%q) = %v, the model's pattern says %v", s, got, want)
		}
	})
}
