package store

import (
	"context"
	"time"
)

// Role is an IAM role: a trust policy saying who may take it on, and the
// inline policies (kept apart, by PutPolicy) saying what its sessions may
// do. Role names are unique within the account ignoring case, as IAM's.
type Role struct {
	// ID is the role's unique id, AROA and 17 more characters.
	ID   string
	Name string
	// Path is "/" or "/<segments>/".
	Path string
	// AssumeRolePolicy is the trust policy document, as given.
	AssumeRolePolicy string
	Description      string
	// MaxSessionDuration bounds the sessions of the role.
	MaxSessionDuration time.Duration
	Tags               map[string]string
	CreatedAt          time.Time
}

// PolicyOwner names who an inline policy is attached to: a role or a user
// (Cognate's administrator is an IAM user) by name.
type PolicyOwner struct {
	Kind string // PolicyOwnerRole or PolicyOwnerUser
	Name string
}

// The kinds of PolicyOwner.
const (
	PolicyOwnerRole = "role"
	PolicyOwnerUser = "user"
)

// InlinePolicy is a named policy document embedded in a role or user.
// Policy names are unique per owner, compared exactly.
type InlinePolicy struct {
	Name     string
	Document string
}

// OIDCProvider is an OpenID Connect identity provider registered in IAM.
type OIDCProvider struct {
	// ARN is arn:aws:iam::<account>:oidc-provider/<url without scheme>;
	// it is the provider's key.
	ARN string
	// URL is the issuer without its https:// scheme (IAM keeps it so).
	URL         string
	ClientIDs   []string
	Thumbprints []string
	Tags        map[string]string
	CreatedAt   time.Time
}

// SAMLProvider is a SAML 2.0 identity provider registered in IAM.
type SAMLProvider struct {
	// ARN is arn:aws:iam::<account>:saml-provider/<name>; it is the
	// provider's key.
	ARN              string
	Name             string
	MetadataDocument string
	ValidUntil       time.Time
	Tags             map[string]string
	CreatedAt        time.Time
}

// IAMStore keeps Cognate's IAM: roles, inline policies of roles and users,
// and the OpenID Connect and SAML providers identity pools trust.
//
// Role names are matched ignoring case. Policies of a role go with it:
// DeleteRole removes them too (the domain refuses to delete a role that
// still has policies, as IAM does, before it asks).
type IAMStore interface {
	// CreateRole stores a new role; ErrAlreadyExists if its name is taken.
	CreateRole(ctx context.Context, r Role) error
	// GetRole returns the role of that name; ErrNotFound if none.
	GetRole(ctx context.Context, name string) (Role, error)
	// UpdateRole applies fn to the role under a row lock and stores the
	// result (ID, Name and CreatedAt are kept); an error from fn aborts.
	UpdateRole(ctx context.Context, name string, fn func(*Role) error) (Role, error)
	// DeleteRole removes the role and its inline policies; ErrNotFound if
	// none.
	DeleteRole(ctx context.Context, name string) error
	// ListRoles returns up to limit roles whose path starts with
	// pathPrefix, ordered by lower-cased name, after the role named after
	// (ignoring case; "" for the first page).
	ListRoles(ctx context.Context, pathPrefix, after string, limit int) ([]Role, error)

	// PutPolicy creates or replaces an inline policy. For a role owner it
	// answers ErrNotFound if the role does not exist; user owners are not
	// checked (the administrator is the only user).
	PutPolicy(ctx context.Context, owner PolicyOwner, p InlinePolicy) error
	// GetPolicy returns one inline policy; ErrNotFound if none.
	GetPolicy(ctx context.Context, owner PolicyOwner, name string) (InlinePolicy, error)
	// DeletePolicy removes one inline policy; ErrNotFound if none.
	DeletePolicy(ctx context.Context, owner PolicyOwner, name string) error
	// ListPolicies returns the owner's inline policies ordered by name.
	ListPolicies(ctx context.Context, owner PolicyOwner) ([]InlinePolicy, error)

	// CreateOIDCProvider stores a provider; ErrAlreadyExists if its ARN
	// is taken.
	CreateOIDCProvider(ctx context.Context, p OIDCProvider) error
	// GetOIDCProvider returns the provider of that ARN; ErrNotFound if none.
	GetOIDCProvider(ctx context.Context, arn string) (OIDCProvider, error)
	// ListOIDCProviders returns every provider ordered by ARN.
	ListOIDCProviders(ctx context.Context) ([]OIDCProvider, error)
	// UpdateOIDCProvider applies fn to the provider of that ARN under a
	// row lock and stores the result (ARN, URL and CreatedAt are kept);
	// ErrNotFound if none; an error from fn aborts. fn may run more than
	// once.
	UpdateOIDCProvider(ctx context.Context, arn string, fn func(*OIDCProvider) error) (OIDCProvider, error)
	// DeleteOIDCProvider removes a provider; ErrNotFound if none.
	DeleteOIDCProvider(ctx context.Context, arn string) error

	// CreateSAMLProvider stores a provider; ErrAlreadyExists if its ARN
	// is taken.
	CreateSAMLProvider(ctx context.Context, p SAMLProvider) error
	// GetSAMLProvider returns the provider of that ARN; ErrNotFound if none.
	GetSAMLProvider(ctx context.Context, arn string) (SAMLProvider, error)
	// ListSAMLProviders returns every provider ordered by ARN.
	ListSAMLProviders(ctx context.Context) ([]SAMLProvider, error)
	// DeleteSAMLProvider removes a provider; ErrNotFound if none.
	DeleteSAMLProvider(ctx context.Context, arn string) error
}
