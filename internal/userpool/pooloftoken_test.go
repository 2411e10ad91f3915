package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/tokens"
)

// countingSigner counts the verifications it is asked for, and refuses
// every token.
type countingSigner struct {
	TokenSigner
	verified []string // pool ids
}

func (c *countingSigner) Verify(_ context.Context, poolID, _ string, _ any) error {
	c.verified = append(c.verified, poolID)
	return tokens.ErrInvalidToken
}

func jwtWithPayload(payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"kid":"k","alg":"RS256"}`)) + "." + enc.EncodeToString([]byte(payload)) + ".c2ln"
}

// TestPoolOfToken: only a token of this server's shape, with this server's
// issuer for a well-formed pool id, reaches verification.
func TestPoolOfToken(t *testing.T) {
	const base = "https://auth.example.com/"
	signer := &countingSigner{}
	s := &Service{tokens: signer, issuer: func(id string) string { return base + id }}
	good := jwtWithPayload(`{"iss":"` + base + `us-east-1_Example12","token_use":"access"}`)
	if id, ok := s.poolOfToken(good); !ok || id != "us-east-1_Example12" {
		t.Fatalf("poolOfToken(good) = %q, %v", id, ok)
	}
	padding := `,"pad":"` + strings.Repeat("x", tokens.MaxTokenBytes) + `"`
	bad := map[string]string{
		"oversized":          jwtWithPayload(`{"iss":"` + base + `us-east-1_Example12"` + padding + `}`),
		"two segments":       strings.Join(strings.Split(good, ".")[:2], "."),
		"four segments":      good + ".x",
		"payload not base64": "a.%%%.c",
		"payload not JSON":   jwtWithPayload(`iss`),
		"no iss":             jwtWithPayload(`{"sub":"x"}`),
		"another issuer":     jwtWithPayload(`{"iss":"https://evil.example/us-east-1_Example12"}`),
		"issuer with path":   jwtWithPayload(`{"iss":"` + base + `x/us-east-1_Example12"}`),
		"bare pool id":       jwtWithPayload(`{"iss":"us-east-1_Example12"}`),
		"long pool id":       jwtWithPayload(`{"iss":"` + base + `us-east-1_` + strings.Repeat("A", 10_000) + `"}`),
		"pool id of 56":      jwtWithPayload(`{"iss":"` + base + `us-east-1_` + strings.Repeat("A", 46) + `"}`),
		"pool id malformed":  jwtWithPayload(`{"iss":"` + base + `us-east-1_Ex.mple"}`),
		"empty pool id":      jwtWithPayload(`{"iss":"` + base + `"}`),
	}
	for name, token := range bad {
		if id, ok := s.poolOfToken(token); ok {
			t.Errorf("%s: poolOfToken = %.60q, true; want refused", name, id)
		}
		if _, err := s.authenticate(context.Background(), token); !isNotAuthorized(err) {
			t.Errorf("%s: authenticate = %v, want NotAuthorizedException", name, err)
		}
	}
	if len(signer.verified) != 0 {
		t.Errorf("refused tokens reached verification for pools %.60q", signer.verified)
	}
	if _, err := s.authenticate(context.Background(), good); !isNotAuthorized(err) {
		t.Errorf("good token, refused by the signer: authenticate = %v, want NotAuthorizedException", err)
	}
	if len(signer.verified) != 1 || signer.verified[0] != "us-east-1_Example12" {
		t.Errorf("verifications %.60q, want one for us-east-1_Example12", signer.verified)
	}
}

// TestPoolOfTokenRefusesBeforeDecoding: an oversized token or one of the
// wrong shape is refused without allocating, so before any base64 or JSON
// work.
func TestPoolOfTokenRefusesBeforeDecoding(t *testing.T) {
	s := &Service{issuer: func(id string) string { return "https://auth.example.com/" + id }}
	for name, token := range map[string]string{
		"oversized":     jwtWithPayload(`{"iss":"https://auth.example.com/us-east-1_Example12","pad":"` + strings.Repeat("x", tokens.MaxTokenBytes) + `"}`),
		"four segments": "a.b.c.d",
		"one segment":   strings.Repeat("a", 1000),
	} {
		if n := testing.AllocsPerRun(10, func() { s.poolOfToken(token) }); n != 0 {
			t.Errorf("%s: %v allocations, want 0", name, n)
		}
	}
}

func isNotAuthorized(err error) bool {
	var e *apierr.Error
	return errors.As(err, &e) && e.Code == apierr.NotAuthorized
}
