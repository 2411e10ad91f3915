package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// idTokens is a test double of the user pools: it accepts the token "good"
// for pool us-east-1_pool and client app.
type idTokens struct{ serverSide bool }

func (f *idTokens) VerifyIDToken(_ context.Context, poolID string, clientIDs []string, token string, serverSide bool) (map[string]any, error) {
	f.serverSide = serverSide
	if poolID != "us-east-1_pool" || token != "good" || len(clientIDs) != 1 || clientIDs[0] != "app" {
		return nil, apierr.New(apierr.NotAuthorized, "Invalid login token.")
	}
	return map[string]any{"sub": "u-1", "cognito:roles": []any{"arn:aws:iam::000000000000:role/a"},
		"cognito:preferred_role": "arn:aws:iam::000000000000:role/a", "exp": float64(2e9)}, nil
}

// providers is IAM's registry of OIDC providers, in memory.
type providers map[string]OIDCProvider

func (p providers) OpenIDConnectProvider(_ context.Context, arn string) (OIDCProvider, error) {
	if o, ok := p[arn]; ok {
		return o, nil
	}
	return OIDCProvider{}, apierr.New("NoSuchEntity", "no provider")
}

func (p providers) OpenIDConnectProviderByURL(_ context.Context, url string) (OIDCProvider, error) {
	for _, o := range p {
		if o.URL == url {
			return o, nil
		}
	}
	return OIDCProvider{}, apierr.New("NoSuchEntity", "no provider")
}

// SAMLProvider finds no SAML provider; withSAML (saml_test.go) has some.
func (p providers) SAMLProvider(_ context.Context, arn string) (SAMLProvider, error) {
	return SAMLProvider{}, apierr.New("NoSuchEntity", "Manifest not found for arn "+arn)
}

var testKey = make([]byte, 32)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newVerifier(t *testing.T, p providers, client *http.Client, clk *clock) *Verifier {
	t.Helper()
	v, err := New(Config{IDTokens: &idTokens{}, Providers: p, AccountID: "000000000000", PublicURL: "http://127.0.0.1:9229",
		MasterKey: testKey, HTTPClient: client, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantNotAuthorized(t *testing.T, what string, err error) {
	t.Helper()
	var e *apierr.Error
	if !errors.As(err, &e) || e.Code != apierr.NotAuthorized {
		t.Fatalf("%s: error %v, want NotAuthorizedException", what, err)
	}
}

func TestUserPoolLogins(t *testing.T) {
	clk := &clock{time.Now()}
	v := newVerifier(t, providers{}, nil, clk)
	trust := Trust{IdentityPoolID: "us-east-1:p", CognitoProviders: []CognitoProvider{
		{ProviderName: "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool", ClientID: "app", ServerSideTokenCheck: true}}}
	for _, key := range []string{"cognito-idp.us-east-1.amazonaws.com/us-east-1_pool", "127.0.0.1:9229/us-east-1_pool"} {
		l, err := v.Verify(t.Context(), trust, key, "good")
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if l.Provider != "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool" || l.Subject != "u-1" ||
			l.PreferredRole != "arn:aws:iam::000000000000:role/a" || len(l.Roles) != 1 {
			t.Fatalf("%s: login %+v", key, l)
		}
	}
	if !v.cfg.IDTokens.(*idTokens).serverSide {
		t.Fatal("ServerSideTokenCheck was not passed on")
	}
	for name, c := range map[string]struct{ key, token string }{
		"bad token":         {"cognito-idp.us-east-1.amazonaws.com/us-east-1_pool", "bad"},
		"untrusted pool":    {"cognito-idp.us-east-1.amazonaws.com/us-east-1_other", "good"},
		"region mismatch":   {"cognito-idp.eu-west-1.amazonaws.com/us-east-1_pool", "good"},
		"malformed pool":    {"cognito-idp.us-east-1.amazonaws.com/../x", "good"},
		"another issuer":    {"127.0.0.2:9229/us-east-1_pool", "good"},
		"facebook":          {"graph.facebook.com", "x"},
		"saml":              {"arn:aws:iam::000000000000:saml-provider/x", "x"},
		"oversized":         {"cognito-idp.us-east-1.amazonaws.com/us-east-1_pool", strings.Repeat("a", maxTokenBytes+1)},
		"unknown oidc host": {"login.example.com", "x"},
	} {
		_, err := v.Verify(t.Context(), trust, c.key, c.token)
		wantNotAuthorized(t, name, err)
	}
}

func TestIdentityTokens(t *testing.T) {
	clk := &clock{time.Unix(1_800_000_000, 0)}
	v := newVerifier(t, providers{}, nil, clk)
	token, err := v.Mint(t.Context(), "us-east-1:pool", "us-east-1:id", []string{"authenticated", "login.dev"}, nil, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	trust := Trust{IdentityPoolID: "us-east-1:pool"}
	l, err := v.Verify(t.Context(), trust, IdentityProvider, token)
	if err != nil || l.Subject != "us-east-1:id" || l.Provider != IdentityProvider {
		t.Fatalf("Verify = %+v, %v", l, err)
	}
	w, err := v.VerifyWebIdentity(t.Context(), token, "")
	if err != nil || w.Principal != IdentityProvider || w.Keys[IdentityProvider+":amr"][1] != "login.dev" || w.Subject != "us-east-1:id" {
		t.Fatalf("VerifyWebIdentity = %+v, %v", w, err)
	}

	// Another pool's token, a forged one, one from another master key.
	_, err = v.Verify(t.Context(), Trust{IdentityPoolID: "us-east-1:other"}, IdentityProvider, token)
	wantNotAuthorized(t, "other pool", err)
	parts := strings.Split(token, ".")
	forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	_, err = v.Verify(t.Context(), trust, IdentityProvider, forged)
	wantNotAuthorized(t, "forged", err)
	otherKey := make([]byte, 32)
	otherKey[0] = 1
	other, err := New(Config{IDTokens: &idTokens{}, Providers: providers{}, PublicURL: "http://x", MasterKey: otherKey, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := other.Mint(t.Context(), "us-east-1:pool", "us-east-1:id", nil, nil, time.Hour)
	_, err = v.Verify(t.Context(), trust, IdentityProvider, foreign)
	wantNotAuthorized(t, "other master key", err)

	clk.t = clk.t.Add(16 * time.Minute)
	_, err = v.Verify(t.Context(), trust, IdentityProvider, token)
	wantNotAuthorized(t, "expired", err)
	_, err = v.VerifyWebIdentity(t.Context(), token, "")
	var e *apierr.Error
	if !errors.As(err, &e) || e.Code != "ExpiredTokenException" {
		t.Fatalf("expired web identity: %v", err)
	}

	var set jose.JSONWebKeySet
	if err := json.Unmarshal(v.IdentityJWKS(), &set); err != nil || len(set.Keys) != 1 || set.Keys[0].Algorithm != "EdDSA" {
		t.Fatalf("JWKS %s: %v", v.IdentityJWKS(), err)
	}
}

// issuer is an OpenID Connect issuer on loopback TLS: discovery and JWKS.
type issuer struct {
	srv *httptest.Server
	key *rsa.PrivateKey
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is := &issuer{key: key}
	mux := http.NewServeMux()
	is.srv = httptest.NewTLSServer(mux)
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		// The issuer is the URL asked, so that the server is an issuer
		// under each of its names (127.0.0.1, localhost).
		base := "https://" + r.Host
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": base, "jwks_uri": base + "/jwks",
			"authorization_endpoint": base + "/auth", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	t.Cleanup(is.srv.Close)
	return is
}

func (is *issuer) token(t *testing.T, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: is.key}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := jws.CompactSerialize()
	return s
}

func TestOIDCLogins(t *testing.T) {
	is := newIssuer(t)
	host := strings.TrimPrefix(is.srv.URL, "https://")
	arn := "arn:aws:iam::000000000000:oidc-provider/" + host
	clk := &clock{time.Now()}
	v := newVerifier(t, providers{arn: {ARN: arn, URL: is.srv.URL, ClientIDs: []string{"web"}}}, is.srv.Client(), clk)
	trust := Trust{IdentityPoolID: "us-east-1:p", OpenIDConnectProviderARNs: []string{arn}}
	claims := func(aud string, exp time.Time) map[string]any {
		return map[string]any{"iss": is.srv.URL, "sub": "auth0|42", "aud": aud, "exp": exp.Unix(), "iat": time.Now().Unix()}
	}
	good := is.token(t, claims("web", time.Now().Add(time.Hour)))
	l, err := v.Verify(t.Context(), trust, host, good)
	if err != nil || l.Subject != "auth0|42" || l.Provider != host {
		t.Fatalf("Verify = %+v, %v", l, err)
	}
	w, err := v.VerifyWebIdentity(t.Context(), good, "")
	if err != nil || w.Principal != arn || w.Keys[host+":sub"][0] != "auth0|42" {
		t.Fatalf("VerifyWebIdentity = %+v, %v", w, err)
	}
	for name, c := range map[string]struct {
		trust Trust
		token string
	}{
		"wrong audience":     {trust, is.token(t, claims("other", time.Now().Add(time.Hour)))},
		"expired":            {trust, is.token(t, claims("web", time.Now().Add(-time.Hour)))},
		"tampered":           {trust, good[:len(good)-4] + "AAAA"},
		"pool does not list": {Trust{IdentityPoolID: "us-east-1:p"}, good},
	} {
		_, err := v.Verify(t.Context(), c.trust, host, c.token)
		wantNotAuthorized(t, name, err)
	}
}
