package guard

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// The lock-out, as Cognito runs it: from the fifth consecutive wrong
// password on, password proofs are refused for a time that doubles with
// each further failure, from one second up to about 15 minutes. Failures
// are forgotten an hour after the last one, or at once when a proof
// succeeds or the password is reset.
const (
	LockoutThreshold = 5
	lockoutMax       = 15 * time.Minute
	failureMemory    = time.Hour
)

// Claim names a challenge that may be answered once: a password verifier
// issued with a sealed state, which otherwise could be answered again and
// again until it expires.
type Claim struct {
	key     string
	expires time.Time
}

// ChallengeClaim returns the claim of the challenge a sign-in (its nonce)
// issued at one of its steps; the claim is kept until the challenge
// expires.
func (g *Guard) ChallengeClaim(nonce []byte, step string, expires time.Time) Claim {
	sum := sha256.Sum256(append([]byte(step+"\x00"), nonce...))
	return Claim{key: "answered/" + g.digest("claim", string(sum[:])), expires: expires}
}

// Proof is a password proof whose evaluation BeginProof admitted.
type Proof struct {
	g    *Guard
	keys []string // the subject's failures, and the claim if any
}

// BeginProof admits the evaluation of one password proof of s: it refuses
// with ErrAnswered when claim (unless it is the zero Claim) was answered
// before, and with ErrLocked while s is locked out. An admitted proof
// counts as a failure until Succeeded says otherwise, so that concurrent
// proofs cannot exceed the limit, and it holds the claim: a wrong proof
// uses it up, a right one gives it back, so that a client may answer a
// challenge again with the same right proof (amazon-cognito-identity-js
// does when its device key turns out unknown) but never guess twice.
func (g *Guard) BeginProof(ctx context.Context, s Subject, claim Claim) (*Proof, error) {
	lock := g.counterKey("lockout", s, "")
	keys := []string{lock}
	if claim.key != "" {
		keys = append(keys, claim.key)
	}
	now := g.now()
	_, err := g.update(ctx, keys, func(cs []store.Counter) ([]store.Counter, error) {
		if len(cs) > 1 {
			if cs[1].Count > 0 {
				return nil, ErrAnswered
			}
			cs[1] = store.Counter{Count: 1, ExpiresAt: claim.expires}
		}
		f := &cs[0]
		if now.Before(f.Until) {
			return nil, ErrLocked
		}
		f.Count++
		if n := f.Count - LockoutThreshold; n >= 0 {
			f.Until = now.Add(min(time.Second<<min(n, 20), lockoutMax))
		}
		f.ExpiresAt = now.Add(failureMemory)
		return cs, nil
	})
	if err != nil {
		return nil, err
	}
	return &Proof{g: g, keys: keys}, nil
}

// Succeeded records that the proof was right: the subject's failures are
// forgotten, any lock-out lifted, and the claim given back.
func (p *Proof) Succeeded(ctx context.Context) error {
	return p.g.clear(ctx, p.keys...)
}

// ClearFailures forgets the failures of s, as a new password does.
func (g *Guard) ClearFailures(ctx context.Context, s Subject) error {
	return g.clear(ctx, g.counterKey("lockout", s, ""))
}

func (g *Guard) clear(ctx context.Context, keys ...string) error {
	if err := g.store.DeleteCounters(ctx, keys); err != nil {
		return apierr.As(err)
	}
	return nil
}
