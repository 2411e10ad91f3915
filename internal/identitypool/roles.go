package identitypool

import (
	"slices"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/store"
)

// Role mapping types and ambiguous role resolutions, as the API names them.
const (
	mappingToken          = "Token"
	mappingRules          = "Rules"
	ambiguousDefaultRole  = "AuthenticatedRole"
	ambiguousDeny         = "Deny"
	roleAuthenticated     = "authenticated"
	roleUnauthenticated   = "unauthenticated"
	claimRoles            = "cognito:roles"
	claimPreferredRole    = "cognito:preferred_role"
	credentialsLifetime   = time.Hour
	credentialsSessionTag = "CognitoIdentityCredentials"
)

var errCustomRole = apierr.New(apierr.InvalidParameter, "The custom role ARN is not one of the roles the login token offers.")

// resolveRole chooses the role of a request: the unauthenticated role for
// a guest; else, for the first login whose provider has a role mapping,
// the role the mapping chooses (a Token mapping reads the token's
// cognito:preferred_role and cognito:roles, a Rules mapping takes the
// first rule that matches), the pool's authenticated role when there is no
// mapping or the mapping's AmbiguousRoleResolution says so. customRoleARN,
// when set, must be one of the roles the token offers.
func resolveRole(p store.IdentityPool, v verified, customRoleARN string) (string, error) {
	if len(v) == 0 {
		if customRoleARN != "" {
			return "", errCustomRole
		}
		return defaultRole(p, roleUnauthenticated)
	}
	for _, l := range v {
		m, ok := p.Settings.RoleMappings[mappingKey(l)]
		if !ok {
			continue
		}
		role, decided := mapRole(m, l, customRoleARN)
		if decided {
			return role, nil
		}
		if customRoleARN != "" {
			return "", errCustomRole
		}
		if m.AmbiguousRoleResolution == ambiguousDeny {
			return "", errNoRole
		}
		return defaultRole(p, roleAuthenticated)
	}
	if customRoleARN != "" {
		return "", errCustomRole
	}
	return defaultRole(p, roleAuthenticated)
}

func defaultRole(p store.IdentityPool, kind string) (string, error) {
	role := p.Settings.Roles[kind]
	if role == "" {
		return "", errNoRole
	}
	return role, nil
}

// mappingKey is the RoleMappings key of a login's provider: the provider
// name, with the app client for a user pool
// (cognito-idp.<region>.amazonaws.com/<pool id>:<client id>).
func mappingKey(l federation.Login) string {
	if strings.HasPrefix(l.Provider, "cognito-idp.") {
		if aud, _ := l.Claims["aud"].(string); aud != "" {
			return l.Provider + ":" + aud
		}
	}
	return l.Provider
}

// mapRole applies one mapping to a login; decided is false when the
// mapping is ambiguous (no rule matched, no role offered, or several roles
// offered and none preferred).
func mapRole(m store.RoleMapping, l federation.Login, customRoleARN string) (role string, decided bool) {
	switch m.Type {
	case mappingToken:
		offered := l.Roles
		if customRoleARN != "" {
			if slices.Contains(offered, customRoleARN) || customRoleARN == l.PreferredRole {
				return customRoleARN, true
			}
			return "", false
		}
		if l.PreferredRole != "" {
			return l.PreferredRole, true
		}
		if len(offered) == 1 {
			return offered[0], true
		}
		return "", false
	case mappingRules:
		for _, r := range m.Rules {
			if ruleMatches(r, l.Claims[r.Claim]) {
				if customRoleARN != "" && customRoleARN != r.RoleARN {
					return "", false
				}
				return r.RoleARN, true
			}
		}
	}
	return "", false
}

// ruleMatches applies a rule to a claim's value; a multi-valued claim
// (cognito:groups) matches when one of its values does, and NotEqual when
// none equals the rule's value.
func ruleMatches(r store.MappingRule, claim any) bool {
	values := claimStrings(claim)
	if values == nil {
		return false
	}
	match := func(s string) bool {
		switch r.MatchType {
		case "Equals", "NotEqual":
			return s == r.Value
		case "Contains":
			return strings.Contains(s, r.Value)
		case "StartsWith":
			return strings.HasPrefix(s, r.Value)
		}
		return false
	}
	any := slices.ContainsFunc(values, match)
	if r.MatchType == "NotEqual" {
		return !any
	}
	return any
}

// claimStrings reads a claim as strings: a string, a list of strings, or
// a boolean or number in its JSON form; nil when absent.
func claimStrings(claim any) []string {
	switch c := claim.(type) {
	case string:
		return []string{c}
	case []string:
		return c
	case []any:
		out := make([]string, 0, len(c))
		for _, e := range c {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case bool:
		if c {
			return []string{"true"}
		}
		return []string{"false"}
	}
	return nil
}

// defaultTags is the principal tag map UseDefaults stands for.
var defaultTags = map[string]string{"username": "sub", "client": "aud"}

// principalTags are the session tags of a request: for each login whose
// provider has a principal tag map, its claims by that map (multi-valued
// and missing claims are skipped, as Cognito does).
func principalTags(p store.IdentityPool, v verified) map[string]string {
	var out map[string]string
	for _, l := range v {
		for tag, value := range l.SessionTags {
			if out == nil {
				out = map[string]string{}
			}
			out[tag] = value
		}
		m, ok := p.Settings.PrincipalTags[l.Provider]
		if !ok {
			continue
		}
		tags := m.Tags
		if m.UseDefaults {
			tags = defaultTags
		}
		for tag, claim := range tags {
			values := claimStrings(l.Claims[claim])
			if len(values) != 1 {
				continue
			}
			if out == nil {
				out = map[string]string{}
			}
			out[tag] = values[0]
		}
	}
	return out
}

// iamRequest asks IAM for a role's credentials as the identity pool
// service principal.
func iamRequest(role string, keys map[string][]string, tags map[string]string) iam.WebIdentityRequest {
	return iam.WebIdentityRequest{RoleARN: role, SessionName: credentialsSessionTag, Provider: federation.IdentityProvider,
		Keys: keys, PrincipalTags: tags, Duration: credentialsLifetime}
}
