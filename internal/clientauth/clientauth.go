// Package clientauth holds the rules by which an app client of a user pool
// is let in: the authentication flows it allows (ExplicitAuthFlows, in
// current and legacy spellings), and the proofs of its client secret, as
// SECRET_HASH or in the clear.
package clientauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Authentication flows a client can allow.
const (
	AllowUserSRP       = "ALLOW_USER_SRP_AUTH"
	AllowUserPassword  = "ALLOW_USER_PASSWORD_AUTH"
	AllowAdminPassword = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
	AllowRefreshToken  = "ALLOW_REFRESH_TOKEN_AUTH"
	AllowCustom        = "ALLOW_CUSTOM_AUTH"
	AllowUserAuth      = "ALLOW_USER_AUTH"
	// The legacy values, which cannot be mixed with the ALLOW_ ones.
	legacyAdminNoSRP     = "ADMIN_NO_SRP_AUTH"
	legacyUserPassword   = "USER_PASSWORD_AUTH"
	legacyCustomAuthOnly = "CUSTOM_AUTH_FLOW_ONLY"
)

// DefaultFlows are a client's flows when none are given.
var DefaultFlows = []string{AllowRefreshToken, AllowCustom, AllowUserSRP}

func isLegacy(f string) bool {
	return f == legacyAdminNoSRP || f == legacyUserPassword || f == legacyCustomAuthOnly
}

// NormaliseFlows checks a client's ExplicitAuthFlows, sorts them and fills
// the default.
func NormaliseFlows(flows []string) ([]string, error) {
	if len(flows) == 0 {
		return slices.Clone(DefaultFlows), nil
	}
	legacy := slices.ContainsFunc(flows, isLegacy)
	current := slices.ContainsFunc(flows, func(f string) bool { return !isLegacy(f) })
	if legacy && current {
		return nil, apierr.New(apierr.InvalidParameter, "ExplicitAuthFlows can not have both ALLOW_ prefixed and legacy values.")
	}
	out := slices.Clone(flows)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// FlowAllowed reports whether a client allows an authentication flow,
// given as one of the ALLOW_ names. Legacy settings keep their meaning:
// SRP and refresh are always on unless CUSTOM_AUTH_FLOW_ONLY.
func FlowAllowed(c store.Client, allow string) bool {
	flows := c.Settings.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = DefaultFlows
	}
	if slices.Contains(flows, allow) {
		return true
	}
	if !slices.ContainsFunc(flows, isLegacy) {
		return false
	}
	switch allow {
	case AllowUserSRP:
		return !slices.Contains(flows, legacyCustomAuthOnly)
	case AllowRefreshToken, AllowCustom:
		return true
	case AllowUserPassword:
		return slices.Contains(flows, legacyUserPassword)
	case AllowAdminPassword:
		return slices.Contains(flows, legacyAdminNoSRP)
	}
	return false
}

// SecretHash computes Cognito's SECRET_HASH: base64(HMAC-SHA256(secret,
// username + clientID)).
func SecretHash(username, clientID, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// CheckSecretHash enforces SECRET_HASH for clients with a secret. Any of
// the given usernames may have been used to compute it (Cognito accepts the
// name the user typed as well as the username it knows).
func CheckSecretHash(c store.Client, given string, usernames ...string) error {
	if err := RequireSecretHash(c, given); err != nil || len(c.Secrets) == 0 {
		return err
	}
	for _, secret := range c.Secrets { // either of two secrets while one is rotated
		for _, u := range usernames {
			if u != "" && subtle.ConstantTimeCompare([]byte(SecretHash(u, c.ID, secret.Value)), []byte(given)) == 1 {
				return nil
			}
		}
	}
	return apierr.Newf(apierr.NotAuthorized, "Unable to verify secret hash for client %s", c.ID)
}

// RequireSecretHash refuses a request without SECRET_HASH to a client with
// a secret, before anything else is looked at.
func RequireSecretHash(c store.Client, given string) error {
	if len(c.Secrets) > 0 && given == "" {
		return apierr.Newf(apierr.NotAuthorized, "Client %s is configured with secret but SECRET_HASH was not received", c.ID)
	}
	return nil
}

// CheckClientSecret enforces a client secret sent in the clear
// (GetTokensFromRefreshToken, RevokeToken).
func CheckClientSecret(c store.Client, given string) error {
	if len(c.Secrets) == 0 {
		return nil
	}
	for _, secret := range c.Secrets {
		if given != "" && subtle.ConstantTimeCompare([]byte(secret.Value), []byte(given)) == 1 {
			return nil
		}
	}
	return apierr.Newf(apierr.NotAuthorized, "Unable to verify secret hash for client %s", c.ID)
}

// HidesExistence reports whether the client prevents user existence
// errors (PreventUserExistenceErrors ENABLED).
func HidesExistence(c store.Client) bool { return c.Settings.PreventUserExistenceErrors == "ENABLED" }
