package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"

	"github.com/cognate-auth/cognate/internal/fifo"
)

// signingKey derives the key that signs a day's requests for one region and
// service:
//
//	HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
//
// Four HMACs per request are most of the cost of verifying one, and an
// administrator signs many requests with the same key on the same day, so
// derived keys are kept in a small bounded cache.
func signingKey(secret, date, region, service string) [sha256.Size]byte {
	k := cacheKey{secret, date, region, service}
	if key, ok := derivedKeys.Get(k); ok {
		return key
	}
	key := deriveKey(secret, date, region, service)
	// The strings may be slices of a request's headers, which the cache
	// must not keep alive: it keeps copies.
	derivedKeys.Put(cacheKey{strings.Clone(secret), strings.Clone(date), strings.Clone(region), strings.Clone(service)}, key)
	return key
}

func deriveKey(secret, date, region, service string) [sha256.Size]byte {
	kDate := hmacSHA256([]byte("AWS4"+secret), []byte(date))
	kRegion := hmacSHA256(kDate[:], []byte(region))
	kService := hmacSHA256(kRegion[:], []byte(service))
	return hmacSHA256(kService[:], []byte(terminator))
}

func hmacSHA256(key, data []byte) [sha256.Size]byte {
	var out [sha256.Size]byte
	m := hmac.New(sha256.New, key)
	m.Write(data)
	m.Sum(out[:0])
	return out
}

// keyCacheSize bounds the cache: entries are a few hundred bytes, and a
// deployment has a handful of administrator keys, regions and services.
const keyCacheSize = 256

var derivedKeys = fifo.New[cacheKey, [sha256.Size]byte](keyCacheSize)

// Yesterday's keys are useless today, so first in, first out is enough.
type cacheKey struct{ secret, date, region, service string }
