// Package federation verifies the logins an identity pool is handed before
// it creates an identity or vends credentials: ID tokens of Cognate's own
// user pools, tokens of OpenID Connect providers (Auth0, Google, Apple, any
// issuer), Facebook and Login with Amazon access tokens, SAML assertions,
// and the OpenID tokens Cognate itself issues for identities (developer
// authenticated identities, the classic flow). VerifyWebIdentity checks
// the tokens STS's AssumeRoleWithWebIdentity is handed, Facebook and Login
// with Amazon access tokens (ProviderId) among them.
//
// A Login is what a verified token proves: which provider, which user of
// it, and the claims rules and principal tags may read. Nothing about a
// token is believed before Verify has checked it.
package federation

import "time"

// Trust is what one identity pool trusts: the login providers it was
// configured with. The identity pool domain fills it from its pool record.
type Trust struct {
	IdentityPoolID string
	// CognitoProviders are the pool's CognitoIdentityProviders.
	CognitoProviders []CognitoProvider
	// OpenIDConnectProviderARNs and SAMLProviderARNs name providers kept
	// by Cognate's IAM (arn:aws:iam::<account>:oidc-provider/<host/path>,
	// arn:aws:iam::<account>:saml-provider/<name>).
	OpenIDConnectProviderARNs []string
	SAMLProviderARNs          []string
	// SupportedLoginProviders maps graph.facebook.com, www.amazon.com,
	// accounts.google.com, appleid.apple.com to the pool's app / client id
	// at that provider.
	SupportedLoginProviders map[string]string
	DeveloperProviderName   string
}

// CognitoProvider is a user pool app client an identity pool accepts ID
// tokens from.
type CognitoProvider struct {
	// ProviderName is cognito-idp.<region>.amazonaws.com/<user pool id>.
	ProviderName         string
	ClientID             string
	ServerSideTokenCheck bool
}

// Login is a verified login.
type Login struct {
	// Provider is the provider's name as an identity's Logins list it: the
	// Logins key the token was presented under, normalised (a Cognate
	// issuer without its scheme becomes cognito-idp.<region>.amazonaws.com/
	// <pool id>; an OIDC issuer is its host and path; SAML is the provider
	// ARN).
	Provider string
	// Subject is the provider's id for the user. Provider and Subject
	// together name one identity in a pool.
	Subject string
	// Claims are the token's claims, or for SAML the assertion's
	// attributes (each a []string), for rules-based role mapping and
	// principal tags.
	Claims map[string]any
	// Roles and PreferredRole are the role ARNs the token offers for
	// token-based role mapping (cognito:roles and cognito:preferred_role,
	// or SAML's Role attribute).
	Roles         []string
	PreferredRole string
	// Audience is, for Facebook and Login with Amazon, the pool's app id
	// the token was found to belong to; Cognito names it in the session's
	// amr (graph.facebook.com:<app id>:<user id>).
	Audience string
	// Expires is when the token stops being valid; zero when the provider
	// does not say (Facebook).
	Expires time.Time
	// SessionTags are principal tags the token itself carries (the
	// developer's PrincipalTags in Cognate's identity tokens); they become
	// the session's as they are.
	SessionTags map[string]string
}

// WebIdentity is a verified web identity token handed to STS
// AssumeRoleWithWebIdentity: an OpenID token Cognate issued for an identity
// (Principal cognito-identity.amazonaws.com), an ID token of an OpenID
// Connect provider registered in IAM (Principal the provider's ARN), or a
// Facebook or Login with Amazon access token (Principal graph.facebook.com
// or www.amazon.com, the ProviderId).
type WebIdentity struct {
	// Principal is the federated principal a role's trust policy must name.
	Principal string
	// Provider is the principal as a condition key prefix
	// (cognito-identity.amazonaws.com, the provider's host and path, or
	// the ProviderId).
	Provider string
	Subject  string
	Audience string
	// Keys are the token's condition keys for the trust policy and the
	// session: <Provider>:aud, :sub, and for identity tokens :amr; for
	// access tokens graph.facebook.com:app_id and :id, or
	// www.amazon.com:app_id and :user_id.
	Keys map[string][]string
	// Expires is zero when the provider does not say (Facebook).
	Expires time.Time
}

// OIDCProvider is an OpenID Connect provider as IAM keeps it.
type OIDCProvider struct {
	ARN string
	// URL is the issuer, with its https:// scheme.
	URL         string
	ClientIDs   []string
	Thumbprints []string
}

// SAMLProvider is a SAML identity provider as IAM keeps it.
type SAMLProvider struct {
	ARN              string
	MetadataDocument string
}
