package wellknown

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/cognate-auth/cognate/internal/tokens"
)

// TestIndependentVerifier has go-oidc, knowing only the issuer URL, discover
// the pool, fetch its JWKS and verify ID tokens: proof that the tokens' iss,
// the discovery document and the key set agree.
func TestIndependentVerifier(t *testing.T) {
	ctx := context.Background()
	iss := tokens.NewIssuer(&memKeys{}, tokens.Options{})
	srv := httptest.NewServer(nil)
	defer srv.Close()
	srv.Config.Handler = New(iss, poolsNamed(testPool), srv.URL)

	const clientID = "3n4b5urk1ft4fl3mg5e62d9ado"
	issuerURL := tokens.IssuerURL(srv.URL, testPool)
	idToken := func(aud string) string {
		t.Helper()
		now := time.Now()
		raw, err := iss.Sign(ctx, testPool, map[string]any{
			"sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "aud": aud, "email_verified": true,
			"token_use": "id", "auth_time": now.Unix(), "iss": issuerURL,
			"cognito:username": "alice", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
			"email": "alice@example.com",
		})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}

	provider, err := oidc.NewProvider(ctx, issuerURL)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	// No OAuth endpoint is advertised: none is served yet.
	if e := provider.Endpoint(); e.AuthURL != "" || e.TokenURL != "" || provider.UserInfoEndpoint() != "" {
		t.Errorf("endpoints advertised: authorization %q, token %q, userinfo %q", e.AuthURL, e.TokenURL, provider.UserInfoEndpoint())
	}
	verifier := provider.Verifier(&oidc.Config{ClientID: clientID})

	tok, err := verifier.Verify(ctx, idToken(clientID))
	if err != nil {
		t.Fatalf("go-oidc rejects our ID token: %v", err)
	}
	var claims struct {
		Username string `json:"cognito:username"`
		Email    string `json:"email"`
	}
	if err := tok.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if tok.Subject != "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" || claims.Username != "alice" || claims.Email != "alice@example.com" {
		t.Errorf("verified claims: sub %q, %+v", tok.Subject, claims)
	}

	if _, err := verifier.Verify(ctx, idToken("another-client")); err == nil || !strings.Contains(err.Error(), "audience") {
		t.Errorf("token for another client: err = %v, want an audience error", err)
	}

	// After a rotation go-oidc meets an unknown kid, refetches the JWKS and
	// finds the new key there.
	if _, err := iss.Rotate(ctx, testPool); err != nil {
		t.Fatal(err)
	}
	if _, err := verifier.Verify(ctx, idToken(clientID)); err != nil {
		t.Errorf("token of the rotated-in key: %v", err)
	}
}
