package tokens

import "sync"

// DefaultVerifiedTokens is the default of Options.VerifiedTokens.
const DefaultVerifiedTokens = 4096

// verifiedTokens remembers tokens whose signature Verify has checked: the
// pool, the kid and the payload of each, keyed by the whole token. An access
// token is presented on every call its client makes for an hour, and the
// RSA verification and parsing are most of what checking it costs; a token
// seen before is checked by comparing it with the one remembered.
//
// Nothing else is skipped: the kid must still be one of the pool's keys (a
// deleted key stops its tokens at once), "exp" is checked against the clock
// on every call, and revocation is the caller's check, against the store.
// Only exact, previously verified strings hit, so the memo cannot be made to
// accept anything a full verification would refuse. It holds at most its
// size in tokens and forgets arbitrary ones when full.
type verifiedTokens struct {
	mu   sync.Mutex
	size int
	m    map[string]verifiedToken
}

type verifiedToken struct {
	poolID, kid string
	payload     []byte // never modified
}

func newVerifiedTokens(size int) *verifiedTokens {
	if size <= 0 {
		return nil
	}
	return &verifiedTokens{size: size, m: make(map[string]verifiedToken)}
}

func (v *verifiedTokens) get(token string) (verifiedToken, bool) {
	if v == nil {
		return verifiedToken{}, false
	}
	v.mu.Lock()
	t, ok := v.m[token]
	v.mu.Unlock()
	return t, ok
}

func (v *verifiedTokens) put(token string, t verifiedToken) {
	if v == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.m) >= v.size {
		for k := range v.m { // map order is unspecified: an arbitrary victim
			delete(v.m, k)
			break
		}
	}
	v.m[token] = t
}
