package userpool

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// VerifyIDToken checks an ID token of a pool for a relying party that
// accepts it from clientIDs — an identity pool: the signature and expiry,
// the issuer, that it is an ID token, and that its audience is one of
// clientIDs. With serverSideCheck, as an identity pool's
// ServerSideTokenCheck asks, it also checks that the sign-in was not
// revoked (global sign-out, a revoked refresh token) and that the user
// exists and is enabled. It returns the token's claims.
func (s *Service) VerifyIDToken(ctx context.Context, poolID string, clientIDs []string, token string, serverSideCheck bool) (map[string]any, error) {
	invalid := apierr.New(apierr.NotAuthorized, "Invalid login token. Not a valid OpenId Connect identity token.")
	if got, ok := s.poolOfToken(token); !ok || got != poolID {
		return nil, invalid
	}
	var raw json.RawMessage
	if err := s.tokens.Verify(ctx, poolID, token, &raw); err != nil {
		if isExpired(err) {
			return nil, apierr.New(apierr.NotAuthorized, "Invalid login token. Token expired.")
		}
		return nil, invalid
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		return nil, invalid
	}
	var std struct {
		Issuer    string `json:"iss"`
		Audience  string `json:"aud"`
		TokenUse  string `json:"token_use"`
		Sub       string `json:"sub"`
		OriginJTI string `json:"origin_jti"`
	}
	if err := json.Unmarshal(raw, &std); err != nil || std.TokenUse != "id" || std.Issuer != s.issuer(poolID) || std.Sub == "" {
		return nil, invalid
	}
	if !slices.Contains(clientIDs, std.Audience) {
		return nil, apierr.New(apierr.NotAuthorized, "Invalid login token. Incorrect token audience.")
	}
	if !serverSideCheck {
		return claims, nil
	}
	sess, u, err := s.store.GetSessionAndUser(ctx, std.OriginJTI)
	if isNotFound(err) || (err == nil && (!sess.RevokedAt.IsZero() || sess.Sub != std.Sub || sess.PoolID != poolID)) {
		return nil, apierr.New(apierr.NotAuthorized, "Invalid login token. Token has been revoked.")
	}
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if u.Sub == "" || !u.Enabled {
		return nil, apierr.New(apierr.NotAuthorized, "Invalid login token. The user is disabled or does not exist.")
	}
	return claims, nil
}
