package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"sync"
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
	if key, ok := derivedKeys.get(k); ok {
		return key
	}
	key := deriveKey(secret, date, region, service)
	// The strings may be slices of a request's headers, which the cache
	// must not keep alive: it keeps copies.
	derivedKeys.put(cacheKey{strings.Clone(secret), strings.Clone(date), strings.Clone(region), strings.Clone(service)}, key)
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

var derivedKeys = newKeyCache(keyCacheSize)

type cacheKey struct{ secret, date, region, service string }

// keyCache is a fixed-size map that forgets its oldest entry when full.
// Yesterday's keys are useless today, so first in, first out is enough.
type keyCache struct {
	mu    sync.Mutex
	keys  map[cacheKey][sha256.Size]byte
	order []cacheKey // ring of inserted keys; next is the oldest once full
	next  int
}

func newKeyCache(size int) *keyCache {
	return &keyCache{keys: make(map[cacheKey][sha256.Size]byte, size), order: make([]cacheKey, 0, size)}
}

func (c *keyCache) get(k cacheKey) ([sha256.Size]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key, ok := c.keys[k]
	return key, ok
}

func (c *keyCache) put(k cacheKey, key [sha256.Size]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.keys[k]; ok {
		return
	}
	if len(c.order) < cap(c.order) {
		c.order = append(c.order, k)
	} else {
		delete(c.keys, c.order[c.next])
		c.order[c.next] = k
		c.next = (c.next + 1) % len(c.order)
	}
	c.keys[k] = key
}

func (c *keyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.keys)
}
