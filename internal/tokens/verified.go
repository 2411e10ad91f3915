package tokens

import (
	"crypto/sha256"
	"sync"
)

// DefaultVerifiedTokens is the default of Options.VerifiedTokens: about
// 2 MB when full.
const DefaultVerifiedTokens = 2048

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
// to accept anything a full verification would refuse. It holds at most its
// size in tokens and forgets arbitrary ones when full.
type verifiedTokens struct {
	mu   sync.Mutex
	size int
	m    map[[sha256.Size]byte]verifiedToken
}

type verifiedToken struct {
	poolID, kid string
	payload     []byte // never modified
}

func newVerifiedTokens(size int) *verifiedTokens {
	if size <= 0 {
		return nil
	}
	return &verifiedTokens{size: size, m: make(map[[sha256.Size]byte]verifiedToken)}
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
	key := sha256.Sum256([]byte(token))
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.m) >= v.size {
		for k := range v.m { // map order is unspecified: an arbitrary victim
			delete(v.m, k)
			break
		}
	}
	v.m[key] = t
}
