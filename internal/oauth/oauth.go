// Package oauth holds the rules of Cognito's OAuth 2.0 authorization server
// that do not depend on HTTP: the error codes of RFC 6749 as Cognito
// answers them, the standard scopes and how scopes are named and parsed.
// The endpoints themselves are in internal/wire/oauth; what a grant does
// with a pool's clients, users and tokens is in internal/userpool.
package oauth

import (
	"slices"
	"strings"
)

// Error codes of the token endpoint (RFC 6749 section 5.2), the ones
// Cognito's documentation lists.
const (
	InvalidRequest       = "invalid_request"
	InvalidClient        = "invalid_client"
	InvalidGrant         = "invalid_grant"
	UnauthorizedClient   = "unauthorized_client"
	UnsupportedGrantType = "unsupported_grant_type"
	InvalidScope         = "invalid_scope"
)

// Error is an OAuth error: Code is one of the codes above, Description an
// optional human-readable explanation (error_description).
type Error struct {
	Code        string
	Description string
}

func (e *Error) Error() string {
	if e.Description == "" {
		return "oauth: " + e.Code
	}
	return "oauth: " + e.Code + ": " + e.Description
}

// Errorf returns an *Error with a description.
func Errorf(code, description string) *Error { return &Error{Code: code, Description: description} }

// GrantClientCredentials is the token endpoint's grant_type for machines,
// the one grant it runs so far.
const GrantClientCredentials = "client_credentials"

// OAuth flows an app client allows (AllowedOAuthFlows).
const (
	FlowCode              = "code"
	FlowImplicit          = "implicit"
	FlowClientCredentials = "client_credentials"
)

// The scopes Cognito defines itself; every other scope is a resource
// server's, named "<resource server identifier>/<scope name>".
const (
	ScopeOpenID  = "openid"
	ScopeEmail   = "email"
	ScopePhone   = "phone"
	ScopeProfile = "profile"
	ScopeAdmin   = "aws.cognito.signin.user.admin"
)

// IsStandardScope reports whether s is one of Cognito's own scopes.
func IsStandardScope(s string) bool {
	switch s {
	case ScopeOpenID, ScopeEmail, ScopePhone, ScopeProfile, ScopeAdmin:
		return true
	}
	return false
}

// CustomScope names a resource server's scope as tokens and clients carry
// it.
func CustomScope(resourceServer, name string) string { return resourceServer + "/" + name }

// MaxScopes bounds how many scopes a request may name, so that a request
// cannot make the server do unbounded work; Cognito's clients allow at
// most 50 scopes (AllowedOAuthScopes), so no valid request names more.
const MaxScopes = 50

// ParseScope splits a scope parameter (RFC 6749 section 3.3: scope tokens
// separated by spaces) into its scopes, in order, without repeats. ok is
// false when it holds more than MaxScopes distinct scopes.
func ParseScope(s string) (scopes []string, ok bool) {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }) {
		if slices.Contains(scopes, f) {
			continue
		}
		if len(scopes) == MaxScopes {
			return nil, false
		}
		scopes = append(scopes, f)
	}
	return scopes, true
}
