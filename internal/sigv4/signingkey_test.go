package sigv4

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// TestDeriveKey checks the key derivation against the example in AWS's
// SigV4 documentation.
func TestDeriveKey(t *testing.T) {
	key := deriveKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")
	const want = "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
	if got := hex.EncodeToString(key[:]); got != want {
		t.Errorf("deriveKey = %s, want %s", got, want)
	}
	if cached := signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam"); cached != key {
		t.Error("signingKey differs from deriveKey")
	}
}

func TestKeyCacheIsBounded(t *testing.T) {
	const size = 4
	c := newKeyCache(size)
	keyFor := func(i int) cacheKey {
		return cacheKey{"secret", fmt.Sprintf("2026112%d", i), "us-east-1", "cognito-idp"}
	}
	for i := range 3 * size {
		c.put(keyFor(i), [32]byte{byte(i)})
		c.put(keyFor(i), [32]byte{0xff}) // a second put keeps the first value
		if n := c.len(); n > size {
			t.Fatalf("after %d puts the cache holds %d keys, more than %d", i+1, n, size)
		}
	}
	for i := range 2 * size {
		if _, ok := c.get(keyFor(i)); ok {
			t.Errorf("key %d should have been evicted", i)
		}
	}
	for i := 2 * size; i < 3*size; i++ {
		got, ok := c.get(keyFor(i))
		if !ok || got != [32]byte{byte(i)} {
			t.Errorf("key %d = %v, %v; want the value first put", i, got[0], ok)
		}
	}
}

// TestSigningKeyCacheKeepsCopies: what the cache keeps does not point into
// the strings it was given, which may be slices of a large header.
func TestSigningKeyCacheKeepsCopies(t *testing.T) {
	header := strings.Repeat("x", 1<<20) + "20261203" + "us-east-1" + "cognito-idp"
	date, region, service := header[1<<20:1<<20+8], header[1<<20+8:1<<20+17], header[1<<20+17:]
	signingKey("a-secret-for-this-test", date, region, service)
	lo := uintptr(unsafe.Pointer(unsafe.StringData(header)))
	hi := lo + uintptr(len(header))
	derivedKeys.mu.Lock()
	defer derivedKeys.mu.Unlock()
	for k := range derivedKeys.keys {
		for _, s := range []string{k.secret, k.date, k.region, k.service} {
			if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); s != "" && p >= lo && p < hi {
				t.Fatalf("the cache keeps %q inside the header it was given", s)
			}
		}
	}
}
