package sigv4

import (
	"encoding/hex"
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

// TestSigningKeyCacheKeepsCopies: what the cache keeps does not point into
// the strings it was given, which may be slices of a large header. The
// header's bytes are overwritten after the call: a cache that kept slices
// would then hold keys that no longer read as they did.
func TestSigningKeyCacheKeepsCopies(t *testing.T) {
	header := []byte(strings.Repeat("x", 1<<20) + "20261203" + "us-east-1" + "cognito-idp")
	s := unsafe.String(&header[0], len(header))
	date, region, service := s[1<<20:1<<20+8], s[1<<20+8:1<<20+17], s[1<<20+17:]
	signingKey("a-secret-for-this-test", date, region, service)
	for i := 1 << 20; i < len(header); i++ {
		header[i] = '-'
	}
	if _, ok := derivedKeys.Get(cacheKey{"a-secret-for-this-test", "20261203", "us-east-1", "cognito-idp"}); !ok {
		t.Fatal("the cache keeps the header's bytes, not copies")
	}
}
