// Package identitypool is Amazon Cognito identity pools: pools, the
// identities of their users (guests, federated logins, developer-
// authenticated identities), roles and role mapping, and the temporary
// credentials an identity gets for its role.
//
// Nothing a client sends is believed before it is verified: every login
// token goes through a LoginVerifier before an identity is created, found
// or linked, and credentials come from a RoleAssumer, which checks the
// role's trust policy. The package holds no HTTP and no SQL.
package identitypool

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/store"
)

// LoginVerifier verifies a login token presented under a Logins key
// (federation.Verifier). Its errors are NotAuthorizedException.
type LoginVerifier interface {
	Verify(ctx context.Context, trust federation.Trust, provider, token string) (federation.Login, error)
}

// RoleAssumer checks a role's trust policy and mints credentials for it
// (iam.Service).
type RoleAssumer interface {
	AssumeRoleWithWebIdentity(ctx context.Context, req iam.WebIdentityRequest) (sessiontoken.Credentials, error)
}

// OpenIDTokens mints the OpenID tokens of identities (federation.Verifier).
type OpenIDTokens interface {
	Mint(ctx context.Context, poolID, identityID string, amr []string, tags map[string]string, ttl time.Duration) (string, error)
}

// Config configures a Service.
type Config struct {
	Store     store.IdentityStore
	Logins    LoginVerifier
	Roles     RoleAssumer
	Tokens    OpenIDTokens
	Region    string
	AccountID string
	// Guard budgets the creation of guest identities, which anyone may
	// ask for: GuestLimit (DefaultGuestLimit if zero) per pool and per
	// client address. Nil means no budget.
	Guard      *guard.Guard
	GuestLimit guard.Limit
	Now        func() time.Time
	Logger     *slog.Logger
}

// DefaultGuestLimit bounds the guest identities made in an hour: 100 from
// one client address (an app keeps its guest identity, so a device asks
// once), 100,000 in all for a pool.
var DefaultGuestLimit = guard.Limit{Total: 100_000, PerSource: 100, Window: time.Hour}

// Service runs identity pools. It is safe for concurrent use.
type Service struct {
	cfg Config
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Logins == nil || cfg.Roles == nil || cfg.Tokens == nil {
		return nil, errors.New("identitypool: Store, Logins, Roles and Tokens are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.GuestLimit == (guard.Limit{}) {
		cfg.GuestLimit = DefaultGuestLimit
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg}, nil
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// newID returns a new pool or identity id, <region>:<uuid>.
func (s *Service) newID() string { return s.cfg.Region + ":" + uuid.NewString() }

// Errors and messages as Cognito words them.
var (
	errUnauthenticated = apierr.New(apierr.NotAuthorized, "Unauthenticated access is not supported for this identity pool.")
	errLoginsMismatch  = apierr.New(apierr.NotAuthorized, "Logins don't match. Please include at least one valid login for this identity or identity pool.")
	errNoRole          = apierr.New(codeInvalidPoolConfiguration, "Invalid identity pool configuration. Check assigned IAM roles for this pool.")
)

const (
	codeInvalidPoolConfiguration = "InvalidIdentityPoolConfigurationException"
	codeResourceConflict         = "ResourceConflictException"
	codeDeveloperUserRegistered  = "DeveloperUserAlreadyRegisteredException"
)

func poolNotFound(id string) error {
	return apierr.New(apierr.ResourceNotFound, "IdentityPool '"+id+"' not found.")
}

func identityNotFound(id string) error {
	return apierr.New(apierr.ResourceNotFound, "Identity '"+id+"' not found.")
}

func isNotFound(err error) bool      { return errors.Is(err, store.ErrNotFound) }
func isAlreadyExists(err error) bool { return errors.Is(err, store.ErrAlreadyExists) }

// storeErr passes domain errors on and wraps the rest as internal.
func storeErr(err error) error {
	var e *apierr.Error
	if errors.As(err, &e) {
		return e
	}
	return apierr.Internal(err)
}

// pool reads a pool, answering ResourceNotFoundException when there is none.
func (s *Service) pool(ctx context.Context, id string) (store.IdentityPool, error) {
	p, err := s.cfg.Store.GetIdentityPool(ctx, id)
	if isNotFound(err) {
		return store.IdentityPool{}, poolNotFound(id)
	}
	if err != nil {
		return store.IdentityPool{}, apierr.Internal(err)
	}
	return p, nil
}

// identity reads an identity and its pool.
func (s *Service) identity(ctx context.Context, id string) (store.Identity, store.IdentityPool, error) {
	ident, err := s.cfg.Store.GetIdentity(ctx, id)
	if isNotFound(err) {
		return store.Identity{}, store.IdentityPool{}, identityNotFound(id)
	}
	if err != nil {
		return store.Identity{}, store.IdentityPool{}, apierr.Internal(err)
	}
	p, err := s.pool(ctx, ident.PoolID)
	if err != nil {
		return store.Identity{}, store.IdentityPool{}, err
	}
	return ident, p, nil
}

// trust is what a pool trusts, for the LoginVerifier.
func trust(p store.IdentityPool) federation.Trust {
	t := federation.Trust{IdentityPoolID: p.ID, OpenIDConnectProviderARNs: p.Settings.OpenIDConnectProviderARNs,
		SAMLProviderARNs: p.Settings.SAMLProviderARNs, SupportedLoginProviders: p.Settings.SupportedLoginProviders,
		DeveloperProviderName: p.Settings.DeveloperProviderName}
	for _, c := range p.Settings.CognitoProviders {
		t.CognitoProviders = append(t.CognitoProviders, federation.CognitoProvider{ProviderName: c.ProviderName,
			ClientID: c.ClientID, ServerSideTokenCheck: c.ServerSideTokenCheck})
	}
	return t
}
