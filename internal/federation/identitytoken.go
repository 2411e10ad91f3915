package federation

import (
	"context"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// IdentityIssuer is the issuer of the OpenID tokens Cognate issues for
// identities, as Cognito's: GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity.
const IdentityIssuer = "https://cognito-identity.amazonaws.com"

// IdentityProvider is the Logins key, and the federated principal, of those
// tokens.
const IdentityProvider = "cognito-identity.amazonaws.com"

// maxTokenBytes bounds every token before it is parsed.
const maxTokenBytes = 32 << 10

// identityKey signs identity tokens. It is derived from the master key, so
// every replica holds the same key without storing it; it is Ed25519
// because only a derivation of that kind is deterministic (Cognito signs
// these tokens with RS256; see docs/compatibility.md).
type identityKey struct {
	kid  string
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
	jwks []byte
}

func newIdentityKey(masterKey []byte) (*identityKey, error) {
	if len(masterKey) != 32 {
		return nil, fmt.Errorf("federation: master key must be 32 bytes, got %d", len(masterKey))
	}
	seed, err := hkdf.Key(sha256.New, masterKey, nil, "cognate/federation/identity-token/v1", ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	sum := sha256.Sum256(pub)
	k := &identityKey{kid: "cognate-identity-" + base64.RawURLEncoding.EncodeToString(sum[:9]), priv: priv, pub: pub}
	k.jwks, err = json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: pub, KeyID: k.kid, Algorithm: string(jose.EdDSA), Use: "sig"}}})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// identityClaims are the claims of an identity token.
type identityClaims struct {
	Issuer   string   `json:"iss"`
	Subject  string   `json:"sub"`
	Audience string   `json:"aud"`
	AMR      []string `json:"amr"`
	IssuedAt int64    `json:"iat"`
	Expires  int64    `json:"exp"`
	ID       string   `json:"jti,omitempty"`
	// Tags are the session tags the token carries, in STS's claim for
	// them: {"principal_tags": {"key": ["value"]}}.
	Tags *sessionTags `json:"https://aws.amazon.com/tags,omitempty"`
}

type sessionTags struct {
	PrincipalTags map[string][]string `json:"principal_tags"`
}

// Mint issues an OpenID token for an identity of an identity pool, valid
// for ttl: iss IdentityIssuer, aud the pool, sub the identity, amr
// "authenticated" or "unauthenticated" then the providers of its logins.
func (v *Verifier) Mint(_ context.Context, poolID, identityID string, amr []string, tags map[string]string, ttl time.Duration) (string, error) {
	now := v.now()
	claims := identityClaims{Issuer: IdentityIssuer, Subject: identityID, Audience: poolID, AMR: amr,
		IssuedAt: now.Unix(), Expires: now.Add(ttl).Unix(), ID: uuid.NewString()}
	if len(tags) > 0 {
		claims.Tags = &sessionTags{PrincipalTags: make(map[string][]string, len(tags))}
		for k, val := range tags {
			claims.Tags.PrincipalTags[k] = []string{val}
		}
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: v.identity.priv},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", v.identity.kid))
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// IdentityJWKS is the key set that verifies identity tokens, served at
// /.well-known/jwks_uri.
func (v *Verifier) IdentityJWKS() []byte { return slices.Clone(v.identity.jwks) }

var (
	errTokenExpired = errors.New("token expired")
	errTokenInvalid = errors.New("token invalid")
)

// openIdentityToken verifies an identity token's signature, issuer and
// expiry.
func (v *Verifier) openIdentityToken(token string) (identityClaims, error) {
	if len(token) > maxTokenBytes {
		return identityClaims{}, errTokenInvalid
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil || len(jws.Signatures) != 1 || jws.Signatures[0].Header.KeyID != v.identity.kid {
		return identityClaims{}, errTokenInvalid
	}
	payload, err := jws.Verify(v.identity.pub)
	if err != nil {
		return identityClaims{}, errTokenInvalid
	}
	var c identityClaims
	if err := json.Unmarshal(payload, &c); err != nil || c.Issuer != IdentityIssuer || c.Subject == "" || c.Audience == "" {
		return identityClaims{}, errTokenInvalid
	}
	if !v.now().Before(time.Unix(c.Expires, 0)) {
		return c, errTokenExpired
	}
	return c, nil
}

// verifyIdentity checks a developer or classic-flow identity token
// presented to an identity pool.
func (v *Verifier) verifyIdentity(trust Trust, token string) (Login, error) {
	c, err := v.openIdentityToken(token)
	switch {
	case errors.Is(err, errTokenExpired):
		return Login{}, apierr.New(apierr.NotAuthorized, "Invalid login token. Token expired.")
	case err != nil:
		return Login{}, apierr.New(apierr.NotAuthorized, "Invalid login token. Not a valid OpenId Connect identity token.")
	case c.Audience != trust.IdentityPoolID:
		return Login{}, apierr.New(apierr.NotAuthorized, "Invalid login token. Incorrect token audience.")
	}
	claims := map[string]any{"iss": c.Issuer, "sub": c.Subject, "aud": c.Audience, "amr": c.AMR}
	l := Login{Provider: IdentityProvider, Subject: c.Subject, Claims: claims, Expires: time.Unix(c.Expires, 0)}
	if c.Tags != nil {
		for k, vals := range c.Tags.PrincipalTags {
			if len(vals) == 1 {
				if l.SessionTags == nil {
					l.SessionTags = map[string]string{}
				}
				l.SessionTags[k] = vals[0]
			}
		}
	}
	return l, nil
}
