// Package tokens signs and verifies the JSON Web Tokens of user pools.
//
// Every pool has its own RSA keys, kept through store.KeyStore. One of them,
// the newest that is not retired, signs new tokens (RS256); every stored key
// is published in the pool's JSON Web Key Set and verifies tokens until it is
// deleted, so rotating a pool's key never invalidates live tokens.
//
// The hot paths (Sign for every sign-in, Verify for every token-authenticated
// request) work from an in-memory snapshot of each pool's keys and do not
// touch the store in steady state. Parsed keys are immutable and reused from
// one snapshot to the next. A snapshot older than Options.CacheTTL is still
// used while a fresh one is read in the background, so a rotation made by
// another replica is picked up within about CacheTTL. A token whose kid is not
// in the snapshot makes the issuer read the store once more, so keys created
// by another replica verify at once; such reads are shared and paced so that
// forged kids cannot flood the store. Verify also remembers the tokens it
// verified, so a token presented again costs a lookup rather than an RSA
// verification (verified.go).
//
// Nothing derived from an unverified token is kept, and every cache has a
// bound:
//   - Verify refuses a token longer than MaxTokenBytes, or naming a pool id
//     that is not shaped like one (WellFormedPoolID), before any parsing or
//     store read.
//   - Per-pool state (the key snapshot) exists only for pools whose keys
//     are in the store: ones this process created, signed or published for,
//     or whose keys a verification found there. Their number is bounded by
//     the pools in the store. A pool whose keys are gone is dropped at the
//     first verification that finds so, or by Forget.
//   - A token naming a pool this process holds nothing for costs one store
//     read, at most four of them at once (unknown.go); a pool found without
//     keys is remembered for ReloadInterval in a negative cache of at most
//     1,024 ids of at most 55 bytes, so a flood naming one pool costs a read
//     per ReloadInterval and a flood naming many leaves nothing behind.
//   - The verified-token memo holds at most Options.VerifiedTokens tokens and
//     2 KiB per token of payloads (4 MiB by default), and only tokens whose
//     signature a pool's key made.
package tokens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognate-auth/cognate/internal/fifo"
	"github.com/cognate-auth/cognate/internal/store"
)

// Defaults of Options.
const (
	DefaultKeyBits        = 2048
	DefaultCacheTTL       = 30 * time.Second
	DefaultReloadInterval = 250 * time.Millisecond
)

// MinKeyBits is the smallest RSA key Options.KeyBits accepts.
const MinKeyBits = 2048

// loadTimeout bounds one read of a pool's keys. Reads run detached from the
// request that asked for them, because other requests may be waiting too.
const loadTimeout = 10 * time.Second

// Options configure an Issuer. The zero value selects the defaults.
type Options struct {
	// Now is the clock tokens are checked against ("exp") and the key
	// cache ages by; time.Now if nil.
	Now func() time.Time
	// KeyBits is the size of new RSA keys; DefaultKeyBits if zero. Values
	// below MinKeyBits make NewIssuer panic.
	KeyBits int
	// CacheTTL is how long a snapshot of a pool's keys (and so the choice
	// of its active key) is used before it is read again; DefaultCacheTTL
	// if zero.
	CacheTTL time.Duration
	// ReloadInterval is the shortest time, in real time, between two
	// reads of one pool's keys; DefaultReloadInterval if zero. It bounds
	// the store traffic tokens with unknown kids can cause, and is how
	// long a pool found without keys is taken to have none.
	ReloadInterval time.Duration
	// VerifiedTokens is how many verified tokens Verify remembers, so that
	// a token presented again skips the signature check (verified.go);
	// DefaultVerifiedTokens if zero, none if negative.
	VerifiedTokens int
}

// Issuer signs and verifies the tokens of every pool. It is safe for
// concurrent use; one Issuer per process is enough.
type Issuer struct {
	keys       store.KeyStore
	now        func() time.Time
	bits       int
	ttl        time.Duration
	reloadGap  time.Duration
	pools      sync.Map                     // pool id -> *pool, only for pools with keys (package doc)
	absent     *fifo.Map[string, time.Time] // pools found without keys, by when the read began
	probes     chan struct{}                // one slot per read of an unknown pool's keys under way
	verified   *verifiedTokens
	background sync.WaitGroup
}

// NewIssuer returns an Issuer keeping its keys in keys.
func NewIssuer(keys store.KeyStore, opts Options) *Issuer {
	i := &Issuer{keys: keys, now: opts.Now, bits: opts.KeyBits, ttl: opts.CacheTTL, reloadGap: opts.ReloadInterval,
		absent: fifo.New[string, time.Time](maxAbsent), probes: make(chan struct{}, maxProbes)}
	if i.now == nil {
		i.now = time.Now
	}
	if i.bits == 0 {
		i.bits = DefaultKeyBits
	}
	if i.bits < MinKeyBits {
		panic(fmt.Sprintf("tokens: KeyBits %d is below %d", i.bits, MinKeyBits))
	}
	if i.ttl <= 0 {
		i.ttl = DefaultCacheTTL
	}
	if i.reloadGap <= 0 {
		i.reloadGap = DefaultReloadInterval
	}
	n := opts.VerifiedTokens
	if n == 0 {
		n = DefaultVerifiedTokens
	}
	i.verified = newVerifiedTokens(n, n*verifiedBytesPerToken)
	return i
}

// IssuerURL returns the issuer of a pool's tokens: the "iss" claim every
// token carries and the "issuer" of the pool's discovery document. publicURL
// is the base URL Cognate is reached at.
func IssuerURL(publicURL, poolID string) string {
	return strings.TrimRight(publicURL, "/") + "/" + poolID
}

// keySet is an immutable snapshot of a pool's keys.
type keySet struct {
	keys     []*signingKey // every published key, oldest first
	byKID    map[string]*signingKey
	active   *signingKey // signs new tokens; nil if the pool has no key
	jwks     []byte
	loadedAt time.Time // by Issuer.now
}

// pool is the cached state of one pool.
type pool struct {
	id  string
	set atomic.Pointer[keySet]

	mu      sync.Mutex
	next    *reload // a scheduled read that has not started yet
	loading bool    // a read is under way

	loadMu   sync.Mutex // one read of the pool's keys at a time
	lastLoad time.Time  // real time the last read started; under loadMu

	writeMu sync.Mutex // serialises key creation in this process
}

// reload is one scheduled read of a pool's keys; done is closed when the read
// is over, after which set and err hold its outcome.
type reload struct {
	done chan struct{}
	set  *keySet
	err  error
}

// pool returns the state of a pool the caller knows to exist, creating it
// if needed. Only the writers and signers use it (their pool ids come from
// the store, not from tokens); Verify goes through known.
func (i *Issuer) pool(poolID string) *pool {
	if p, ok := i.pools.Load(poolID); ok {
		return p.(*pool)
	}
	p, _ := i.pools.LoadOrStore(poolID, &pool{id: poolID})
	return p.(*pool)
}

// Forget drops what the issuer caches of a pool. Call it when a pool is
// deleted; replicas that do not forget notice within CacheTTL, and drop the
// pool's state at the first verification that finds its keys gone.
func (i *Issuer) Forget(poolID string) {
	i.pools.Delete(poolID)
}

// snapshot returns the pool's keys for a hot path: the cached snapshot, read
// again in the background once it is older than the TTL. Only a pool never
// read before waits for the store.
func (i *Issuer) snapshot(ctx context.Context, p *pool) (*keySet, error) {
	s := p.set.Load()
	if s == nil {
		return i.await(ctx, i.schedule(ctx, p))
	}
	if i.now().Sub(s.loadedAt) >= i.ttl {
		i.refreshStale(ctx, p)
	}
	return s, nil
}

// refreshStale starts a read of the pool's keys unless one is scheduled or
// under way already.
func (i *Issuer) refreshStale(ctx context.Context, p *pool) {
	p.mu.Lock()
	busy := p.next != nil || p.loading
	p.mu.Unlock()
	if !busy {
		i.schedule(ctx, p)
	}
}

// reloadAfterMiss reads the pool's keys again because a token names a kid the
// snapshot lacks. The read it waits for starts after the miss was seen, so
// it finds any key stored before the token was signed.
func (i *Issuer) reloadAfterMiss(ctx context.Context, p *pool) (*keySet, error) {
	return i.await(ctx, i.schedule(ctx, p))
}

// schedule returns the pool's pending read, starting one if none is pending.
// Every caller until the read starts shares it.
func (i *Issuer) schedule(ctx context.Context, p *pool) *reload {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next != nil {
		return p.next
	}
	r := &reload{done: make(chan struct{})}
	p.next = r
	i.background.Add(1)
	go i.run(context.WithoutCancel(ctx), p, r)
	return r
}

// run performs a scheduled read, no sooner than reloadGap after the previous
// one, and installs its snapshot.
func (i *Issuer) run(ctx context.Context, p *pool, r *reload) {
	defer i.background.Done()
	defer close(r.done)
	p.loadMu.Lock()
	defer p.loadMu.Unlock()
	if wait := time.Until(p.lastLoad.Add(i.reloadGap)); wait > 0 {
		time.Sleep(wait)
	}
	p.mu.Lock()
	p.next = nil // misses from now on need a read that starts later
	p.loading = true
	p.mu.Unlock()
	r.set, r.err = i.loadLocked(ctx, p)
	p.mu.Lock()
	p.loading = false
	p.mu.Unlock()
}

// await waits for a scheduled read.
func (i *Issuer) await(ctx context.Context, r *reload) (*keySet, error) {
	select {
	case <-r.done:
		return r.set, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// loadNow reads the pool's keys at once, for writers that must see their own
// writes. It skips the pacing: writes are rare and already touch the store.
func (i *Issuer) loadNow(ctx context.Context, p *pool) (*keySet, error) {
	p.loadMu.Lock()
	defer p.loadMu.Unlock()
	return i.loadLocked(ctx, p)
}

// loadLocked reads the pool's keys and installs the snapshot. p.loadMu is held.
func (i *Issuer) loadLocked(ctx context.Context, p *pool) (*keySet, error) {
	p.lastLoad = time.Now()
	ctx, cancel := context.WithTimeout(ctx, loadTimeout)
	defer cancel()
	stored, err := i.keys.SigningKeys(ctx, p.id)
	if err != nil {
		return nil, fmt.Errorf("tokens: reading keys of pool %s: %w", p.id, err)
	}
	s, err := i.buildSet(stored, p.set.Load())
	if err != nil {
		return nil, err
	}
	p.set.Store(s)
	return s, nil
}

// buildSet makes a snapshot of stored keys, reusing the parsed keys of prev.
func (i *Issuer) buildSet(stored []store.SigningKey, prev *keySet) (*keySet, error) {
	s := &keySet{byKID: make(map[string]*signingKey, len(stored)), loadedAt: i.now()}
	for _, sk := range stored {
		var k *signingKey
		if prev != nil {
			k = prev.byKID[sk.KID]
		}
		switch retired := !sk.RetiredAt.IsZero(); {
		case k == nil:
			var err error
			if k, err = parseKey(sk); err != nil {
				return nil, err
			}
		case k.retired != retired:
			c := *k // only the retirement changed; the key material did not
			c.retired = retired
			k = &c
		}
		s.keys = append(s.keys, k)
		s.byKID[k.kid] = k
	}
	s.active = chooseActive(s.keys)
	jwks, err := encodeJWKS(s.keys)
	if err != nil {
		return nil, err
	}
	s.jwks = jwks
	return s, nil
}

// chooseActive returns the key that signs: the newest key not retired, or the
// newest key if all are retired. Every replica reading the same keys chooses
// the same one; two keys left active by racing replicas both verify.
func chooseActive(keys []*signingKey) *signingKey {
	var newest, active *signingKey
	for _, k := range keys {
		if newest == nil || !k.createdAt.Before(newest.createdAt) {
			newest = k
		}
		if !k.retired && (active == nil || !k.createdAt.Before(active.createdAt)) {
			active = k
		}
	}
	if active == nil {
		return newest
	}
	return active
}

// EnsureKey creates the pool's first key if it has none. It is idempotent.
// Replicas racing to create the first key can leave two; both are published
// and both verify, and every replica signs with the newer.
func (i *Issuer) EnsureKey(ctx context.Context, poolID string) error {
	_, err := i.ensureKey(ctx, i.pool(poolID))
	return err
}

func (i *Issuer) ensureKey(ctx context.Context, p *pool) (*keySet, error) {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	s, err := i.loadNow(ctx, p)
	if err != nil {
		return nil, err
	}
	if s.active != nil {
		return s, nil
	}
	if err := i.addKey(ctx, p.id); err != nil {
		return nil, err
	}
	return i.loadNow(ctx, p)
}

// RetiredKeyLifetime is how long a retired key stays published. ID and
// access tokens live at most one day, so a day after it stopped signing a key
// verifies nothing live; the extra hour covers replicas that kept signing with
// it for up to CacheTTL, and clocks that disagree.
const RetiredKeyLifetime = 25 * time.Hour

// Rotate creates a new key that signs from now on and retires the pool's
// other keys. Retired keys stay published, so tokens they signed keep
// verifying; keys retired more than RetiredKeyLifetime ago are deleted, so
// the key set does not grow with every rotation. Other replicas switch to the
// new key within CacheTTL; tokens they sign meanwhile verify everywhere.
func (i *Issuer) Rotate(ctx context.Context, poolID string) (kid string, err error) {
	p := i.pool(poolID)
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	old, err := i.keys.SigningKeys(ctx, poolID)
	if err != nil {
		return "", fmt.Errorf("tokens: reading keys of pool %s: %w", poolID, err)
	}
	k, err := generateKey(poolID, i.bits, i.now())
	if err != nil {
		return "", err
	}
	// Add before retiring, so the pool is never without an active key.
	if err := i.keys.AddSigningKey(ctx, k); err != nil {
		return "", fmt.Errorf("tokens: storing key of pool %s: %w", poolID, err)
	}
	at := i.now().UTC()
	for _, o := range old {
		var err error
		switch {
		case o.RetiredAt.IsZero():
			err = i.keys.RetireSigningKey(ctx, poolID, o.KID, at)
		case at.Sub(o.RetiredAt) > RetiredKeyLifetime:
			err = i.keys.DeleteSigningKey(ctx, poolID, o.KID)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", fmt.Errorf("tokens: retiring key %s of pool %s: %w", o.KID, poolID, err)
		}
	}
	if _, err := i.loadNow(ctx, p); err != nil {
		return "", err
	}
	return k.KID, nil
}

func (i *Issuer) addKey(ctx context.Context, poolID string) error {
	k, err := generateKey(poolID, i.bits, i.now())
	if err != nil {
		return err
	}
	if err := i.keys.AddSigningKey(ctx, k); err != nil {
		return fmt.Errorf("tokens: storing key of pool %s: %w", poolID, err)
	}
	return nil
}

// JWKS returns the pool's JSON Web Key Set: every published key, oldest
// first, each with Cognito's members (alg, e, kid, kty, n, use). A pool
// without keys gets its first one.
func (i *Issuer) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	s, err := i.signingSet(ctx, poolID)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), s.jwks...), nil
}

// signingSet returns a snapshot that has an active key, creating the pool's
// first key if needed.
func (i *Issuer) signingSet(ctx context.Context, poolID string) (*keySet, error) {
	p := i.pool(poolID)
	s, err := i.snapshot(ctx, p)
	if err != nil {
		return nil, err
	}
	if s.active != nil {
		return s, nil
	}
	return i.ensureKey(ctx, p)
}
