package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

func wireTokens(t *userpool.Tokens) *idpapi.AuthenticationResultType {
	if t == nil {
		return nil
	}
	out := &idpapi.AuthenticationResultType{AccessToken: t.AccessToken, IdToken: t.IDToken, RefreshToken: t.RefreshToken,
		ExpiresIn: i32(t.ExpiresIn), TokenType: t.TokenType}
	if d := t.NewDevice; d != nil {
		out.NewDeviceMetadata = &idpapi.NewDeviceMetadataType{DeviceKey: d.DeviceKey, DeviceGroupKey: d.DeviceGroupKey}
	}
	return out
}

// challengeParameters keeps the member present (as {}) when the result
// carries tokens, as Cognito does.
func challengeParameters(r userpool.AuthResult) map[string]string {
	if r.ChallengeParameters == nil {
		return map[string]string{}
	}
	return r.ChallengeParameters
}

// InitiateAuth starts a sign-in.
func (h *Handlers) InitiateAuth(ctx context.Context, in *idpapi.InitiateAuthRequest) (*idpapi.InitiateAuthResponse, error) {
	r, err := h.Pools.InitiateAuth(ctx, userpool.InitiateAuthInput{ClientID: in.ClientId, Flow: in.AuthFlow, Params: in.AuthParameters})
	if err != nil {
		return nil, err
	}
	return &idpapi.InitiateAuthResponse{ChallengeName: r.ChallengeName, Session: r.Session,
		ChallengeParameters: challengeParameters(r), AuthenticationResult: wireTokens(r.Tokens), AvailableChallenges: r.AvailableChallenges}, nil
}

// AdminInitiateAuth starts a sign-in with administrator credentials.
func (h *Handlers) AdminInitiateAuth(ctx context.Context, in *idpapi.AdminInitiateAuthRequest) (*idpapi.AdminInitiateAuthResponse, error) {
	r, err := h.Pools.InitiateAuth(ctx, userpool.InitiateAuthInput{PoolID: in.UserPoolId, Admin: true, ClientID: in.ClientId,
		Flow: in.AuthFlow, Params: in.AuthParameters})
	if err != nil {
		return nil, err
	}
	return &idpapi.AdminInitiateAuthResponse{ChallengeName: r.ChallengeName, Session: r.Session,
		ChallengeParameters: challengeParameters(r), AuthenticationResult: wireTokens(r.Tokens), AvailableChallenges: r.AvailableChallenges}, nil
}

// RespondToAuthChallenge answers a challenge.
func (h *Handlers) RespondToAuthChallenge(ctx context.Context, in *idpapi.RespondToAuthChallengeRequest) (*idpapi.RespondToAuthChallengeResponse, error) {
	r, err := h.Pools.RespondToAuthChallenge(ctx, userpool.RespondInput{ClientID: in.ClientId, ChallengeName: in.ChallengeName,
		Session: in.Session, Responses: in.ChallengeResponses})
	if err != nil {
		return nil, err
	}
	return &idpapi.RespondToAuthChallengeResponse{ChallengeName: r.ChallengeName, Session: r.Session,
		ChallengeParameters: challengeParameters(r), AuthenticationResult: wireTokens(r.Tokens)}, nil
}

// AdminRespondToAuthChallenge answers a challenge with administrator credentials.
func (h *Handlers) AdminRespondToAuthChallenge(ctx context.Context, in *idpapi.AdminRespondToAuthChallengeRequest) (*idpapi.AdminRespondToAuthChallengeResponse, error) {
	r, err := h.Pools.RespondToAuthChallenge(ctx, userpool.RespondInput{PoolID: in.UserPoolId, ClientID: in.ClientId,
		ChallengeName: in.ChallengeName, Session: in.Session, Responses: in.ChallengeResponses})
	if err != nil {
		return nil, err
	}
	return &idpapi.AdminRespondToAuthChallengeResponse{ChallengeName: r.ChallengeName, Session: r.Session,
		ChallengeParameters: challengeParameters(r), AuthenticationResult: wireTokens(r.Tokens)}, nil
}

// GetTokensFromRefreshToken mints new tokens from a refresh token.
func (h *Handlers) GetTokensFromRefreshToken(ctx context.Context, in *idpapi.GetTokensFromRefreshTokenRequest) (*idpapi.GetTokensFromRefreshTokenResponse, error) {
	t, err := h.Pools.GetTokensFromRefreshToken(ctx, in.ClientId, in.ClientSecret, in.RefreshToken, in.DeviceKey)
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
