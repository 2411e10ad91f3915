package userpool

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/oauth"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// ClientCredentialsInput is a client_credentials grant at the token
// endpoint of a pool's domain.
type ClientCredentialsInput struct {
	// PoolID is the pool whose domain the request came to; the client
	// must be one of its clients.
	PoolID                 string
	ClientID, ClientSecret string
	// Scopes are the scopes asked for; none asks for every scope the
	// client allows.
	Scopes []string
}

// AccessToken is a token endpoint's answer to a grant that issues an
// access token alone.
type AccessToken struct {
	Token     string
	ExpiresIn int64 // seconds
}

// machineClaims are the claims of a client_credentials access token, as
// Cognito issues them: the client is the subject, and there is no user.
type machineClaims struct {
	Sub      string `json:"sub"`
	TokenUse string `json:"token_use"`
	Scope    string `json:"scope"`
	AuthTime int64  `json:"auth_time"`
	Issuer   string `json:"iss"`
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
	Version  int    `json:"version"`
	JTI      string `json:"jti"`
	ClientID string `json:"client_id"`
}

// ClientCredentials runs the client_credentials grant (RFC 6749 section
// 4.4) as Cognito does: the client proves its secret, allows the grant, and
// gets an access token for the resource servers' scopes it asked for (all
// of its scopes when it named none), changed by the pool's V3_0 pre token
// generation function if it has one. Failures are *oauth.Error, or the
// trigger's apierr errors.
func (s *Service) ClientCredentials(ctx context.Context, in ClientCredentialsInput) (AccessToken, error) {
	c, p, err := s.store.GetClientAndPool(ctx, in.ClientID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && c.PoolID != in.PoolID) {
		return AccessToken{}, oauth.Errorf(oauth.InvalidClient, "")
	}
	if err != nil {
		return AccessToken{}, apierr.Internal(err)
	}
	// A client without a secret is refused like a wrong secret: the grant
	// is for confidential clients only.
	if len(c.Secrets) == 0 || in.ClientSecret == "" || clientauth.CheckClientSecret(c, in.ClientSecret) != nil {
		return AccessToken{}, oauth.Errorf(oauth.InvalidClient, "")
	}
	st := c.Settings
	if !st.AllowedOAuthFlowsUserPoolClient || !slices.Contains(st.AllowedOAuthFlows, oauth.FlowClientCredentials) {
		return AccessToken{}, oauth.Errorf(oauth.UnauthorizedClient, "")
	}
	scopes := in.Scopes
	for _, sc := range scopes {
		if !slices.Contains(st.AllowedOAuthScopes, sc) || !poolHasScope(p, sc) {
			return AccessToken{}, oauth.Errorf(oauth.InvalidScope, "")
		}
	}
	if len(scopes) == 0 {
		// Every scope the client allows that a resource server still has.
		for _, sc := range st.AllowedOAuthScopes {
			if poolHasScope(p, sc) {
				scopes = append(scopes, sc)
			}
		}
		if len(scopes) == 0 {
			return AccessToken{}, oauth.Errorf(oauth.InvalidScope, "")
		}
	}
	now := s.now()
	ttl := validity(st.AccessTokenValidity, st.TokenValidityUnits.AccessToken)
	claims := machineClaims{
		Sub: c.ID, TokenUse: "access", Scope: strings.Join(scopes, " "), AuthTime: now.Unix(), Issuer: s.issuer(p.ID),
		Exp: now.Add(ttl).Unix(), Iat: now.Unix(), Version: 2, JTI: s.newUUID(), ClientID: c.ID,
	}
	var token any = claims
	if v, arn := preTokenGeneration(p.Settings.LambdaConfig); v == events.PreTokenGenerationV3 {
		if token, err = s.machinePreTokenGeneration(ctx, p, c, arn, claims, scopes); err != nil {
			return AccessToken{}, err
		}
	}
	signed, err := s.tokens.Sign(ctx, p.ID, token)
	if err != nil {
		return AccessToken{}, apierr.Internal(err)
	}
	return AccessToken{Token: signed, ExpiresIn: int64(ttl.Seconds())}, nil
}

// machinePreTokenGeneration runs a V3_0 pre token generation function for
// a client_credentials token (TokenGeneration_ClientCredentials: no user,
// no groups) and applies its changes to the access token; there is no ID
// token for idTokenGeneration to change. Earlier versions are not invoked
// for these tokens, as in Cognito.
func (s *Service) machinePreTokenGeneration(ctx context.Context, p store.Pool, c store.Client, arn string, claims machineClaims,
	scopes []string) (map[string]any, error) {
	run, err := s.runner("PreTokenGeneration")
	if err != nil {
		return nil, err
	}
	access, err := claimMap(claims)
	if err != nil {
		return nil, err
	}
	d, err := run.PreTokenGenerationV2(ctx, arn, events.PreTokenGenerationV3, events.TokenGenerationClientCredentials,
		caller(p, c.ID, ""), nil, events.Groups{}, scopes, nil)
	if err != nil || d == nil || d.AccessTokenGeneration == nil {
		return access, err
	}
	changeAccessToken(access, scopes, d.AccessTokenGeneration)
	return access, nil
}
