package bench

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/tokens"
)

// A floor is the crypto of one operation and nothing else, run in this
// process with the packages the server runs (internal/srp, internal/tokens)
// and the client the SRP operation uses (auth/cognitosrp). It leaves out the
// cheap symmetric crypto (the AES-GCM of sealed sign-in state, SHA-256 of
// refresh tokens, HMACs), so it is slightly faster than the crypto really
// is: the ratio against it is, if anything, pessimistic.
//
// What each server flow computes (internal/userpool):
//
//	signup    ComputeVerifier (one 256-bit-exponent exponentiation)
//	password  CheckPassword (the same), then two RS256 signatures (access and ID token)
//	srp       NewChallenge (B = kv + g^b), VerifyClaim (S = (A·v^u)^b), two RS256 signatures
//	refresh   two RS256 signatures
//	getuser   one RS256 verification of the access token (the server skips
//	          it for a token it verified before: see internal/tokens)
//	identity  two RS256 verifications of the ID token (GetId's and
//	          GetCredentialsForIdentity's; the server skips both for a token
//	          it verified before, as for getuser), then the credentials'
//	          session token: AES-256-GCM and an Ed25519 signature
//	          (internal/sessiontoken)
//
// For srp the client computes A = g^a (1024-bit a) and S = (B - kg^x)^(a+ux)
// as well, on the same machine: floorSRPWithClient includes it.
type floorKit struct {
	issuer             *tokens.Issuer
	poolID, poolName   string
	username, password string
	salt, verifier     []byte
	access             floorAccessClaims
	id                 map[string]any
	accessToken        string
	idToken            string
	minter             *sessiontoken.Minter
	session            sessiontoken.Session // what GetCredentialsForIdentity seals
	claim              srp.Claim            // a valid claim, for the server-only SRP floor
	challengeA         string
}

// floorAccessClaims has the members of userpool's access tokens.
type floorAccessClaims struct {
	Sub       string `json:"sub"`
	Issuer    string `json:"iss"`
	ClientID  string `json:"client_id"`
	OriginJTI string `json:"origin_jti"`
	EventID   string `json:"event_id"`
	TokenUse  string `json:"token_use"`
	Scope     string `json:"scope"`
	AuthTime  int64  `json:"auth_time"`
	Exp       int64  `json:"exp"`
	Iat       int64  `json:"iat"`
	JTI       string `json:"jti"`
	Username  string `json:"username"`
}

func newFloorKit(ctx context.Context) (*floorKit, error) {
	k := &floorKit{poolID: "us-east-1_BenchFlr01", poolName: "BenchFlr01", username: "bench-user-0000000", password: benchPassword}
	// The floor verifies one token over and over: it must not be
	// remembered, or the floor would measure a map lookup.
	k.issuer = tokens.NewIssuer(&floorKeys{}, tokens.Options{VerifiedTokens: -1})
	if err := k.issuer.EnsureKey(ctx, k.poolID); err != nil {
		return nil, err
	}
	var err error
	if k.salt, err = srp.NewSalt(); err != nil {
		return nil, err
	}
	k.verifier = srp.ComputeVerifier(k.poolName, k.username, k.password, k.salt)
	now := time.Now()
	iss := "http://127.0.0.1:9229/" + k.poolID
	sub, origin := uuid.NewString(), uuid.NewString()
	k.access = floorAccessClaims{Sub: sub, Issuer: iss, ClientID: "26charactersclientidbench0", OriginJTI: origin,
		EventID: uuid.NewString(), TokenUse: "access", Scope: "aws.cognito.signin.user.admin", AuthTime: now.Unix(),
		Exp: now.Add(time.Hour).Unix(), Iat: now.Unix(), JTI: uuid.NewString(), Username: k.username}
	k.id = map[string]any{"sub": sub, "iss": iss, "cognito:username": k.username, "origin_jti": origin,
		"aud": k.access.ClientID, "event_id": k.access.EventID, "token_use": "id", "auth_time": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "jti": uuid.NewString()}
	if k.accessToken, err = k.issuer.Sign(ctx, k.poolID, k.access); err != nil {
		return nil, err
	}
	if k.idToken, err = k.issuer.Sign(ctx, k.poolID, k.id); err != nil {
		return nil, err
	}
	if err := k.newMinter(now); err != nil {
		return nil, err
	}
	// One complete exchange gives the server-only floor a claim to verify.
	c, err := cognitosrp.NewClient(k.poolID, k.username, k.password)
	if err != nil {
		return nil, err
	}
	k.challengeA = c.PublicA()
	claim, err := k.exchange(c)
	if err != nil {
		return nil, err
	}
	k.claim = claim
	return k, nil
}

// newMinter makes the session-token minter of the identity floor, under a
// master key of its own, and the session it mints: an identity pool's, as
// internal/identitypool asks internal/iam for.
func (k *floorKit) newMinter(now time.Time) error {
	master := make([]byte, 32)
	rand.Read(master)
	m, err := sessiontoken.NewMinter(master)
	if err != nil {
		return err
	}
	k.minter = m
	identityID := "us-east-1:" + uuid.NewString()
	k.session = sessiontoken.Session{AccountID: "000000000000", RoleARN: "arn:aws:iam::000000000000:role/cognate-bench-identity",
		RoleID: "AROABENCHFLOOR000001", SessionName: "CognitoIdentityCredentials",
		Keys: map[string][]string{
			federatedPrincipal + ":aud": {"us-east-1:" + uuid.NewString()},
			federatedPrincipal + ":sub": {identityID},
			federatedPrincipal + ":amr": {"authenticated", userPoolProvider(k.poolID), userPoolProvider(k.poolID) + ":CognitoSignIn:" + k.access.Sub},
		},
		Issued: now, Expires: now.Add(time.Hour)}
	return nil
}

// exchange runs the SRP math of one sign-in, the client's and the
// server's, and returns the claim the server checks.
func (k *floorKit) exchange(c *cognitosrp.Client) (srp.Claim, error) {
	A, err := srp.ParsePublic(c.PublicA())
	if err != nil {
		return srp.Claim{}, err
	}
	ch, err := srp.NewChallenge(k.verifier)
	if err != nil {
		return srp.Claim{}, err
	}
	block := make([]byte, 64)
	rand.Read(block)
	sig, ts, err := c.ClaimSignature(k.username, srp.HexInt(k.salt), srp.HexInt(ch.Public), base64.StdEncoding.EncodeToString(block), time.Now())
	if err != nil {
		return srp.Claim{}, err
	}
	claim := srp.Claim{PoolName: k.poolName, UserID: k.username, Verifier: k.verifier, ClientPublic: A,
		ServerSecret: ch.Secret, ServerPublic: ch.Public, SecretBlock: block, Timestamp: ts, Signature: sig}
	if !srp.VerifyClaim(claim) {
		return srp.Claim{}, errors.New("bench: the SRP floor's claim does not verify")
	}
	return claim, nil
}

// signTokens signs an access and an ID token, as every sign-in and refresh
// does.
func (k *floorKit) signTokens(ctx context.Context) error {
	if _, err := k.issuer.Sign(ctx, k.poolID, k.access); err != nil {
		return err
	}
	_, err := k.issuer.Sign(ctx, k.poolID, k.id)
	return err
}

var errFloorCheck = errors.New("bench: floor check failed")

// work returns the crypto of one op; withClient adds the client's share.
func (k *floorKit) work(op string, withClient bool) (func(context.Context) error, error) {
	switch op {
	case OpSignUp:
		return func(context.Context) error {
			salt, err := srp.NewSalt()
			if err != nil {
				return err
			}
			srp.ComputeVerifier(k.poolName, k.username, k.password, salt)
			return nil
		}, nil
	case OpPassword, OpTriggers:
		return func(ctx context.Context) error {
			if !srp.CheckPassword(k.poolName, k.username, k.password, k.salt, k.verifier) {
				return errFloorCheck
			}
			return k.signTokens(ctx)
		}, nil
	case OpSRP:
		if withClient {
			return func(ctx context.Context) error {
				c, err := cognitosrp.NewClient(k.poolID, k.username, k.password)
				if err != nil {
					return err
				}
				if _, err := k.exchange(c); err != nil {
					return err
				}
				return k.signTokens(ctx)
			}, nil
		}
		return func(ctx context.Context) error {
			if _, err := srp.ParsePublic(k.challengeA); err != nil {
				return err
			}
			if _, err := srp.NewChallenge(k.verifier); err != nil {
				return err
			}
			if !srp.VerifyClaim(k.claim) {
				return errFloorCheck
			}
			return k.signTokens(ctx)
		}, nil
	case OpRefresh:
		return k.signTokens, nil
	case OpClientCredentials:
		return func(ctx context.Context) error {
			_, err := k.issuer.Sign(ctx, k.poolID, k.access)
			return err
		}, nil
	case OpGetUser:
		return func(ctx context.Context) error {
			var c floorAccessClaims
			return k.issuer.Verify(ctx, k.poolID, k.accessToken, &c)
		}, nil
	case OpIdentity:
		return func(ctx context.Context) error {
			for range 2 {
				var raw json.RawMessage
				if err := k.issuer.Verify(ctx, k.poolID, k.idToken, &raw); err != nil {
					return err
				}
			}
			_, err := k.minter.Mint(k.session)
			return err
		}, nil
	}
	return nil, fmt.Errorf("bench: no floor for %q", op)
}

// floorKeys is a store.KeyStore in memory for the floor's one pool.
type floorKeys struct {
	mu   sync.Mutex
	keys []store.SigningKey
}

func (f *floorKeys) AddSigningKey(_ context.Context, k store.SigningKey) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys = append(f.keys, k)
	return nil
}

func (f *floorKeys) SigningKeys(context.Context, string) ([]store.SigningKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]store.SigningKey(nil), f.keys...), nil
}

func (f *floorKeys) RetireSigningKey(context.Context, string, string, time.Time) error {
	return errors.ErrUnsupported
}

func (f *floorKeys) DeleteSigningKey(context.Context, string, string) error {
	return errors.ErrUnsupported
}
