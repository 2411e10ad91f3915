package tokens

import (
	"crypto/sha256"
	"sync"
)

// DefaultVerifiedTokens is the default of Options.VerifiedTokens.
const DefaultVerifiedTokens = 2048

// verifiedBytesPerToken is what the memo may hold per token it may hold, on
// average: it keeps at most Options.VerifiedTokens × 2 KiB (4 MiB by
// default) of payloads, however large the tokens (a user in many groups
// has a long access token; none is longer than MaxTokenBytes).
const verifiedBytesPerToken = 2 << 10

// verifiedOverhead is what an entry costs besides its payload, pool id and
// kid: the key, the map's slot and the slice and string headers.
const verifiedOverhead = 128

// verifiedTokens remembers tokens whose signature Verify has checked: the
// pool, the kid and the payload of each, keyed by the SHA-256 of the whole
// token (under a microsecond for a 1 KB token, and 32 bytes kept instead of
// the token). An access token is presented on every call its client makes
// for an hour, and the RSA verification and parsing are most of what
// checking it costs; a token seen before is recognised by its hash.
//
// Nothing else is skipped: the kid must still be one of the pool's keys (a
// deleted key stops its tokens at once), "exp" is checked against the clock
// on every call, and revocation is the caller's check, against the store.
// Only the exact bytes of a verified token hit, so the memo cannot be made
// to accept anything a full verification would refuse, and nothing enters
// it but what a pool's key signed. It holds at most its size in tokens and
// its budget in bytes, and forgets arbitrary tokens to make room.
type verifiedTokens struct {
	mu       sync.Mutex
	size     int
	maxBytes int
	bytes    int // cost of the entries held
	m        map[[sha256.Size]byte]verifiedToken
}

type verifiedToken struct {
	poolID, kid string
	payload     []byte // never modified
}

func newVerifiedTokens(size, maxBytes int) *verifiedTokens {
	if size <= 0 {
		return nil
	}
	return &verifiedTokens{size: size, maxBytes: maxBytes, m: make(map[[sha256.Size]byte]verifiedToken)}
}

func (t verifiedToken) cost() int {
	return verifiedOverhead + len(t.poolID) + len(t.kid) + len(t.payload)
}

func (v *verifiedTokens) get(token string) (verifiedToken, bool) {
	if v == nil {
		return verifiedToken{}, false
	}
	key := sha256.Sum256([]byte(token))
	v.mu.Lock()
	t, ok := v.m[key]
	v.mu.Unlock()
	return t, ok
}

func (v *verifiedTokens) put(token string, t verifiedToken) {
	if v == nil {
		return
	}
	cost := t.cost()
	if cost > v.maxBytes {
		return
	}
	key := sha256.Sum256([]byte(token))
	v.mu.Lock()
	defer v.mu.Unlock()
	if old, ok := v.m[key]; ok {
		v.bytes -= old.cost()
		delete(v.m, key)
	}
	for k, old := range v.m { // map order is unspecified: arbitrary victims
		if len(v.m) < v.size && v.bytes+cost <= v.maxBytes {
			break
		}
		v.bytes -= old.cost()
		delete(v.m, k)
	}
	v.m[key] = t
	v.bytes += cost
}
