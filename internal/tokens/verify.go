package tokens

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Errors of Verify. Causes are wrapped, so test with errors.Is.
var (
	// ErrInvalidToken means the token is not one of the pool's: malformed,
	// not RS256, signed by an unknown key, tampered with, or without "exp".
	ErrInvalidToken = errors.New("tokens: invalid token")
	// ErrExpiredToken means the token is the pool's and intact, but its
	// "exp" has passed.
	ErrExpiredToken = errors.New("tokens: token expired")
)

// rs256Only is the one algorithm Verify accepts. Listing it makes go-jose
// refuse "none", HS256 (the public-key-as-HMAC-secret confusion) and every
// other algorithm before any key is used.
var rs256Only = []jose.SignatureAlgorithm{jose.RS256}

// Verify checks a compact JWS signed by one of the pool's keys and
// unmarshals its payload into dst (skipped if dst is nil). In order: the
// token must be at most MaxTokenBytes long and the pool id well formed
// (WellFormedPoolID), before anything else; the token must be RS256 and
// name a kid of the pool (an unknown kid makes the issuer read the store
// once more, to find keys another replica created), the signature must
// hold, and "exp" must be after Now (ErrExpiredToken).
// Every token must carry "exp". Checking "iss", "aud", "token_use" and
// "client_id" is the caller's part.
//
// A token verified before is recognised instead of verified again, as long
// as its key is still the pool's (Options.VerifiedTokens).
func (i *Issuer) Verify(ctx context.Context, poolID, token string, dst any) error {
	payload, err := i.verifiedPayload(ctx, poolID, token)
	if err != nil {
		return err
	}
	if err := i.checkExpiry(payload); err != nil {
		return err
	}
	if dst == nil {
		return nil
	}
	if err := json.Unmarshal(payload, dst); err != nil {
		return fmt.Errorf("%w: payload: %v", ErrInvalidToken, err)
	}
	return nil
}

// MaxTokenBytes is the longest token Verify accepts. Cognito's access and
// ID tokens are one to a few kilobytes; a longer one is refused before it is
// hashed, decoded or parsed.
const MaxTokenBytes = 32 << 10

// verifiedPayload returns the payload of a token signed by one of the
// pool's keys.
func (i *Issuer) verifiedPayload(ctx context.Context, poolID, token string) ([]byte, error) {
	if len(token) > MaxTokenBytes {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrInvalidToken, MaxTokenBytes)
	}
	if !WellFormedPoolID(poolID) {
		return nil, fmt.Errorf("%w: malformed pool id", ErrInvalidToken)
	}
	if v, ok := i.verified.get(token); ok && v.poolID == poolID {
		if _, err := i.verifyingKey(ctx, poolID, v.kid); err != nil {
			return nil, err
		}
		return v.payload, nil
	}
	jws, err := jose.ParseSignedCompact(token, rs256Only)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	kid := jws.Signatures[0].Protected.KeyID
	if !wellFormedKID(kid) {
		return nil, fmt.Errorf("%w: unknown kid", ErrInvalidToken)
	}
	k, err := i.verifyingKey(ctx, poolID, kid)
	if err != nil {
		return nil, err
	}
	payload, err := jws.Verify(k.pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	i.verified.put(token, verifiedToken{poolID: strings.Clone(poolID), kid: k.kid, payload: payload})
	return payload, nil
}

// verifyingKey finds kid among the pool's keys, reading the store once more
// if the snapshot lacks it and was not read for this very call. A pool
// whose keys are gone from the store is forgotten.
func (i *Issuer) verifyingKey(ctx context.Context, poolID, kid string) (*signingKey, error) {
	unknown := fmt.Errorf("%w: unknown kid", ErrInvalidToken)
	p, fresh, err := i.known(ctx, poolID)
	if err != nil || p == nil {
		return nil, cmp.Or(err, unknown)
	}
	s, err := i.snapshot(ctx, p)
	if err != nil {
		return nil, err
	}
	if k := s.byKID[kid]; k != nil {
		return k, nil
	}
	if !fresh {
		if s, err = i.reloadAfterMiss(ctx, p); err != nil {
			return nil, err
		}
		if k := s.byKID[kid]; k != nil {
			return k, nil
		}
	}
	if len(s.keys) == 0 {
		i.drop(p)
	}
	return nil, unknown
}

// checkExpiry checks the payload's "exp" (seconds since the epoch) against
// Now. A token is expired from the second "exp" names on (RFC 7519, 4.1.4).
func (i *Issuer) checkExpiry(payload []byte) error {
	var claims struct {
		Exp *json.Number `json:"exp"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil {
		return fmt.Errorf("%w: payload: %v", ErrInvalidToken, err)
	}
	if claims.Exp == nil {
		return fmt.Errorf("%w: no exp", ErrInvalidToken)
	}
	exp, err := claims.Exp.Float64()
	if err != nil || math.IsNaN(exp) || math.IsInf(exp, 0) {
		return fmt.Errorf("%w: bad exp", ErrInvalidToken)
	}
	now := i.now()
	if float64(now.Unix())+float64(now.Nanosecond())/float64(time.Second) >= exp {
		return ErrExpiredToken
	}
	return nil
}
