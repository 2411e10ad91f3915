package store

import (
	"context"
	"time"
)

// IdentityPool is an identity pool of cognito-identity. Its configuration
// is in Settings, which the domain owns.
type IdentityPool struct {
	ID        string // <region>:<uuid>
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Settings  IdentityPoolSettings
}

// IdentityPoolSettings is an identity pool's configuration as
// CreateIdentityPool, SetIdentityPoolRoles, SetPrincipalTagAttributeMap and
// TagResource set it.
type IdentityPoolSettings struct {
	AllowUnauthenticated      bool                       `json:"allowUnauthenticated,omitempty"`
	AllowClassicFlow          bool                       `json:"allowClassicFlow,omitempty"`
	CognitoProviders          []CognitoIdentityProvider  `json:"cognitoProviders,omitempty"`
	SupportedLoginProviders   map[string]string          `json:"supportedLoginProviders,omitempty"`
	DeveloperProviderName     string                     `json:"developerProviderName,omitempty"`
	OpenIDConnectProviderARNs []string                   `json:"openIdConnectProviderArns,omitempty"`
	SAMLProviderARNs          []string                   `json:"samlProviderArns,omitempty"`
	Roles                     map[string]string          `json:"roles,omitempty"`
	RoleMappings              map[string]RoleMapping     `json:"roleMappings,omitempty"`
	PrincipalTags             map[string]PrincipalTagMap `json:"principalTags,omitempty"`
	Tags                      map[string]string          `json:"tags,omitempty"`
}

// CognitoIdentityProvider is a user pool app client an identity pool
// accepts ID tokens from.
type CognitoIdentityProvider struct {
	ProviderName         string `json:"providerName"`
	ClientID             string `json:"clientId"`
	ServerSideTokenCheck bool   `json:"serverSideTokenCheck,omitempty"`
}

// RoleMapping chooses roles for the logins of one provider.
type RoleMapping struct {
	Type                    string        `json:"type"` // Token or Rules
	AmbiguousRoleResolution string        `json:"ambiguousRoleResolution,omitempty"`
	Rules                   []MappingRule `json:"rules,omitempty"`
}

// MappingRule is one rule of a Rules mapping.
type MappingRule struct {
	Claim     string `json:"claim"`
	MatchType string `json:"matchType"`
	Value     string `json:"value"`
	RoleARN   string `json:"roleArn"`
}

// PrincipalTagMap maps a provider's claims to principal tags.
type PrincipalTagMap struct {
	UseDefaults bool              `json:"useDefaults,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// Identity is an identity of an identity pool and the logins linked to it.
type Identity struct {
	ID         string // <region>:<uuid>
	PoolID     string
	CreatedAt  time.Time
	ModifiedAt time.Time
	Logins     []IdentityLogin // sorted by provider
}

// IdentityLogin is a login linked to an identity: the provider's name (a
// Logins key, or the pool's developer provider name) and the provider's id
// for the user. A login is linked to at most one identity of a pool.
type IdentityLogin struct {
	Provider string
	Subject  string
}

// IdentityStore keeps identity pools and their identities.
type IdentityStore interface {
	CreateIdentityPool(ctx context.Context, p IdentityPool) error
	GetIdentityPool(ctx context.Context, id string) (IdentityPool, error)
	// UpdateIdentityPool replaces a pool's name and settings; update may
	// run more than once and must not have side effects.
	UpdateIdentityPool(ctx context.Context, id string, update func(IdentityPool) (IdentityPool, error)) (IdentityPool, error)
	// DeleteIdentityPool deletes a pool with its identities.
	DeleteIdentityPool(ctx context.Context, id string) error
	// ListIdentityPools returns up to limit pools with ids after after, by id.
	ListIdentityPools(ctx context.Context, after string, limit int) ([]IdentityPool, error)

	// CreateIdentity adds an identity with its logins, all or nothing:
	// ErrAlreadyExists when one of the logins is linked already.
	CreateIdentity(ctx context.Context, id Identity) error
	GetIdentity(ctx context.Context, id string) (Identity, error)
	// FindIdentityByLogin returns the identity a login is linked to.
	FindIdentityByLogin(ctx context.Context, poolID string, l IdentityLogin) (Identity, error)
	// LinkLogins links logins to an identity, all or nothing (logins
	// linked to it already are kept): ErrAlreadyExists when one is linked
	// to another identity, ErrNotFound without the identity.
	LinkLogins(ctx context.Context, identityID string, logins []IdentityLogin, at time.Time) error
	// UnlinkLogin removes a login from an identity; ErrNotFound when it is
	// not linked to it.
	UnlinkLogin(ctx context.Context, identityID string, l IdentityLogin, at time.Time) error
	// MoveLogins moves every login of one identity to another of the same
	// pool and deletes the first.
	MoveLogins(ctx context.Context, fromID, toID string, at time.Time) error
	// ListIdentities returns up to limit identities of a pool with ids
	// after after, by id.
	ListIdentities(ctx context.Context, poolID, after string, limit int) ([]Identity, error)
	DeleteIdentity(ctx context.Context, id string) error
}
