// Package iam is the part of AWS Identity and Access Management that
// identity pools need: roles with their trust policies and inline
// policies, OpenID Connect and SAML providers, the administrator as an IAM
// user with a policy, policy simulation, and taking on a role with a web
// identity (which checks the role's trust policy and mints temporary
// credentials with package sessiontoken).
package iam

import "time"

// WebIdentityRequest asks to take on a role as a web identity: the
// identity-pool path of GetCredentialsForIdentity, and STS
// AssumeRoleWithWebIdentity.
type WebIdentityRequest struct {
	RoleARN     string
	SessionName string
	// Provider is the federated principal the trust policy must name:
	// cognito-identity.amazonaws.com for identity pools, an OIDC provider
	// for STS's own web identity tokens.
	Provider string
	// Keys are the request's condition keys from the web identity, for
	// the trust policy and, sealed into the session, for the role's
	// policies: for identity pools cognito-identity.amazonaws.com:aud
	// (pool id), :sub (identity id) and :amr ("authenticated" or
	// "unauthenticated", then the providers).
	Keys          map[string][]string
	PrincipalTags map[string]string
	// Duration is the credentials' lifetime; 0 means one hour.
	Duration time.Duration
}
