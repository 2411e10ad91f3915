package userpool

import (
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/oauth"
	"github.com/cognate-auth/cognate/internal/store"
)

// checkOAuthSettings applies Cognito's rules to a client's OAuth settings,
// as CreateUserPoolClient and UpdateUserPoolClient do: every scope is
// Cognito's own or a scope of one of the pool's resource servers, and the
// client_credentials flow stands alone, for a client with a secret, with
// resource servers' scopes only. The messages are the ones Cognito's users
// report.
func checkOAuthSettings(p store.Pool, st store.ClientSettings, hasSecret bool) error {
	for _, s := range st.AllowedOAuthScopes {
		if !oauth.IsStandardScope(s) && !poolHasScope(p, s) {
			return apierr.Newf(apierr.ScopeDoesNotExist, "Invalid scope requested: %s", s)
		}
	}
	if !slices.Contains(st.AllowedOAuthFlows, oauth.FlowClientCredentials) {
		return nil
	}
	if slices.Contains(st.AllowedOAuthFlows, oauth.FlowCode) || slices.Contains(st.AllowedOAuthFlows, oauth.FlowImplicit) {
		return apierr.New(apierr.InvalidOAuthFlow, "client_credentials flow can not be selected along with code flow or implicit flow.")
	}
	if !hasSecret {
		return apierr.New(apierr.InvalidOAuthFlow, "client_credentials flow can not be selected if client does not have a client secret.")
	}
	for _, s := range st.AllowedOAuthScopes {
		if oauth.IsStandardScope(s) {
			return apierr.Newf(apierr.InvalidOAuthFlow, "%s is not supported with client_credentials flow", s)
		}
	}
	return nil
}

// poolHasScope reports whether scope names a scope of one of the pool's
// resource servers.
func poolHasScope(p store.Pool, scope string) bool {
	for _, rs := range p.Settings.ResourceServers {
		for _, sc := range rs.Scopes {
			if oauth.CustomScope(rs.Identifier, sc.Name) == scope {
				return true
			}
		}
	}
	return false
}
