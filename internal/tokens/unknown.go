package tokens

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MaxPoolIDLen is the longest pool id the service model allows
// (UserPoolIdType).
const MaxPoolIDLen = 55

// WellFormedPoolID reports whether id has the shape of the service model's
// UserPoolIdType: [\w-]+_[0-9a-zA-Z]+ (ASCII), at most MaxPoolIDLen
// characters. Cognito's ids and Cognate's are "<region>_<alphanumerics>".
// A token naming a pool of any other shape is refused without looking for
// the pool.
func WellFormedPoolID(id string) bool {
	if len(id) > MaxPoolIDLen {
		return false
	}
	sep := strings.LastIndexByte(id, '_')
	if sep <= 0 || sep == len(id)-1 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i > sep || (c != '_' && c != '-')) {
			return false
		}
	}
	return true
}

// Bounds of what a verification may cost for a pool the issuer holds no
// state for.
const (
	// maxProbes is how many reads of unknown pools' keys may run at once;
	// more wait. It bounds the store traffic tokens naming made-up pools
	// can cause, whatever their number.
	maxProbes = 4
	// maxAbsent is how many pool ids without keys the issuer remembers
	// (each at most MaxPoolIDLen bytes: under 100 KB in all).
	maxAbsent = 1024
)

// known returns the state of a pool a token names, or nil if the store holds
// no keys for it. For a pool this process has not used it reads the store
// (probe); fresh reports whether the snapshot was read for this call, after
// the token arrived, so that a kid missing from it needs no second read.
// Nothing is kept for a pool without keys but a bounded negative entry.
func (i *Issuer) known(ctx context.Context, poolID string) (p *pool, fresh bool, err error) {
	if v, ok := i.pools.Load(poolID); ok {
		return v.(*pool), false, nil
	}
	if !WellFormedPoolID(poolID) {
		return nil, false, nil
	}
	return i.probe(ctx, poolID)
}

// probe reads the keys of a pool the issuer holds no state for. A pool
// with keys gets its state, as if it had been used here; for one without,
// the read is remembered for ReloadInterval, so a flood of tokens naming
// one such pool costs a read per ReloadInterval, and one naming many costs
// a read each, maxProbes at a time.
func (i *Issuer) probe(ctx context.Context, poolID string) (*pool, bool, error) {
	if i.absentSince(poolID) {
		return nil, false, nil
	}
	select {
	case i.probes <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	defer func() { <-i.probes }()
	// Another probe may have settled this pool while this one waited.
	if v, ok := i.pools.Load(poolID); ok {
		return v.(*pool), false, nil
	}
	if i.absentSince(poolID) {
		return nil, false, nil
	}
	started := time.Now()
	rctx, cancel := context.WithTimeout(ctx, loadTimeout)
	defer cancel()
	stored, err := i.keys.SigningKeys(rctx, poolID)
	if err != nil {
		return nil, false, fmt.Errorf("tokens: reading keys of pool %s: %w", poolID, err)
	}
	if len(stored) == 0 {
		i.absent.Put(strings.Clone(poolID), started)
		return nil, false, nil
	}
	s, err := i.buildSet(stored, nil)
	if err != nil {
		return nil, false, err
	}
	p := &pool{id: strings.Clone(poolID), lastLoad: started}
	p.set.Store(s)
	if v, loaded := i.pools.LoadOrStore(p.id, p); loaded {
		return v.(*pool), false, nil
	}
	return p, true, nil
}

// drop forgets p if it is still the state kept for its pool: its keys are
// gone from the store (the pool was deleted, here or by another replica).
func (i *Issuer) drop(p *pool) {
	i.pools.CompareAndDelete(p.id, p)
}

// absentSince reports whether a read that found no keys for the pool began
// less than ReloadInterval ago.
func (i *Issuer) absentSince(poolID string) bool {
	at, ok := i.absent.Get(poolID)
	return ok && time.Since(at) < i.reloadGap
}
