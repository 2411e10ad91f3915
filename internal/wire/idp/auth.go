package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

func wireTokens(t *signin.Tokens) *idpapi.AuthenticationResultType {
	if t == nil {
		return nil
	}
	out := &idpapi.AuthenticationResultType{AccessToken: t.AccessToken, IdToken: t.IDToken, RefreshToken: t.RefreshToken,
		ExpiresIn: i32(t.ExpiresIn), TokenType: t.TokenType}
	if d := t.NewDevice; d != nil {
		out.NewDeviceMetadata = &idpapi.NewDeviceMetadataType{DeviceKey: d.Key, DeviceGroupKey: d.GroupKey}
	}
	return out
}

// challengeParameters keeps the member present (as {}) when the result
// carries tokens, as Cognito does.
func challengeParameters(r signin.Result) map[string]string {
	if r.Parameters == nil {
		return map[string]string{}
	}
	return r.Parameters
}

// userContext is what a user's client says of it (UserContextData).
func userContext(c *idpapi.UserContextDataType) signin.UserContext {
	if c == nil {
		return signin.UserContext{}
	}
	return signin.UserContext{IPAddress: c.IpAddress, EncodedData: c.EncodedData}
}

// serverContext is what an application's server says of its user
// (ContextData, in the administrator operations).
func serverContext(c *idpapi.ContextDataType) signin.UserContext {
	if c == nil {
		return signin.UserContext{}
	}
	out := signin.UserContext{IPAddress: c.IpAddress, EncodedData: c.EncodedData, ServerName: c.ServerName, ServerPath: c.ServerPath}
	if len(c.HttpHeaders) > 0 {
		out.HTTPHeaders = make(map[string]string, len(c.HttpHeaders))
		for _, h := range c.HttpHeaders {
			out.HTTPHeaders[h.HeaderName] = h.HeaderValue
		}
	}
	return out
}

// InitiateAuth starts a sign-in.
func (h *Handlers) InitiateAuth(ctx context.Context, in *idpapi.InitiateAuthRequest) (*idpapi.InitiateAuthResponse, error) {
	r, err := h.SignIn.Start(ctx, signin.StartInput{ClientID: in.ClientId, Flow: signin.Flow(in.AuthFlow), Parameters: in.AuthParameters,
		ClientMetadata: in.ClientMetadata, Context: userContext(in.UserContextData)})
	if err != nil {
		return nil, err
	}
	return &idpapi.InitiateAuthResponse{ChallengeName: string(r.Challenge), Session: r.Session,
		ChallengeParameters: challengeParameters(r), AuthenticationResult: wireTokens(r.Tokens), AvailableChallenges: r.Available}, nil
}

// AdminInitiateAuth starts a sign-in with administrator credentials.
func (h *Handlers) AdminInitiateAuth(ctx context.Context, in *idpapi.AdminInitiateAuthRequest) (*idpapi.AdminInitiateAuthResponse, error) {
	r, err := h.SignIn.Start(ctx, signin.StartInput{PoolID: in.UserPoolId, ClientID: in.ClientId, Flow: signin.Flow(in.AuthFlow),
		Parameters: in.AuthParameters, ClientMetadata: in.ClientMetadata, Context: serverContext(in.ContextData)})
	if err != nil {
		return nil, err
	}
	return &idpapi.AdminInitiateAuthResponse{ChallengeName: string(r.Challenge), Session: r.Session,
		ChallengeParameters: challengeParameters(r), AuthenticationResult: wireTokens(r.Tokens), AvailableChallenges: r.Available}, nil
}

// RespondToAuthChallenge answers a challenge.
func (h *Handlers) RespondToAuthChallenge(ctx context.Context, in *idpapi.RespondToAuthChallengeRequest) (*idpapi.RespondToAuthChallengeResponse, error) {
	r, err := h.SignIn.Respond(ctx, signin.RespondInput{ClientID: in.ClientId, Challenge: signin.Challenge(in.ChallengeName),
		Session: in.Session, Responses: in.ChallengeResponses, ClientMetadata: in.ClientMetadata, Context: userContext(in.UserContextData)})
	if err != nil {
		return nil, err
	}
	return &idpapi.RespondToAuthChallengeResponse{ChallengeName: string(r.Challenge), Session: r.Session,
		ChallengeParameters: challengeParameters(r), AuthenticationResult: wireTokens(r.Tokens)}, nil
}

// AdminRespondToAuthChallenge answers a challenge with administrator credentials.
func (h *Handlers) AdminRespondToAuthChallenge(ctx context.Context, in *idpapi.AdminRespondToAuthChallengeRequest) (*idpapi.AdminRespondToAuthChallengeResponse, error) {
	r, err := h.SignIn.Respond(ctx, signin.RespondInput{PoolID: in.UserPoolId, ClientID: in.ClientId,
		Challenge: signin.Challenge(in.ChallengeName), Session: in.Session, Responses: in.ChallengeResponses,
		ClientMetadata: in.ClientMetadata, Context: serverContext(in.ContextData)})
	if err != nil {
		return nil, err
	}
	return &idpapi.AdminRespondToAuthChallengeResponse{ChallengeName: string(r.Challenge), Session: r.Session,
		ChallengeParameters: challengeParameters(r), AuthenticationResult: wireTokens(r.Tokens)}, nil
}

// GetTokensFromRefreshToken mints new tokens from a refresh token.
func (h *Handlers) GetTokensFromRefreshToken(ctx context.Context, in *idpapi.GetTokensFromRefreshTokenRequest) (*idpapi.GetTokensFromRefreshTokenResponse, error) {
	t, err := h.Pools.GetTokensFromRefreshToken(ctx, in.ClientId, in.ClientSecret, in.RefreshToken, in.DeviceKey, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &idpapi.GetTokensFromRefreshTokenResponse{AuthenticationResult: wireTokens(&t)}, nil
}

// RevokeToken revokes a refresh token and its access tokens.
func (h *Handlers) RevokeToken(ctx context.Context, in *idpapi.RevokeTokenRequest) (*idpapi.RevokeTokenResponse, error) {
	if err := h.Pools.RevokeToken(ctx, in.ClientId, in.ClientSecret, in.Token); err != nil {
		return nil, err
	}
	return &idpapi.RevokeTokenResponse{}, nil
}
