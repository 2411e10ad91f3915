// Package iam is the part of AWS Identity and Access Management that
// identity pools need: roles with their trust policies and inline
// policies, OpenID Connect and SAML providers, the administrator as an IAM
// user with a policy, policy simulation, and taking on a role with a web
// identity (which checks the role's trust policy and mints temporary
// credentials with package sessiontoken).
//
// It knows nothing of HTTP or SQL: it keeps its records through
// store.IAMStore and reports failures as *apierr.Error values carrying
// IAM's and STS's wire codes (NoSuchEntity, AccessDenied, ...) and
// messages.
package iam

import (
	"errors"
	"log/slog"
	"time"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/fifo"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/store"
)

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

// DefaultAdminUserName is the administrator's IAM user name when
// Config.AdminUserName is empty.
const DefaultAdminUserName = "cognate-admin"

// Config wires a Service.
type Config struct {
	Store  store.IAMStore
	Minter *sessiontoken.Minter
	// AccountID is the twelve-digit account every ARN names.
	AccountID string
	// AdminUserName names the administrator as an IAM user
	// (arn:aws:iam::<account>:user/<name>); DefaultAdminUserName if empty.
	AdminUserName string
	Now           func() time.Time
	Logger        *slog.Logger
}

// Service implements IAM's and STS's operations. It is safe for
// concurrent use.
type Service struct {
	store   store.IAMStore
	minter  *sessiontoken.Minter
	account string
	admin   string
	now     func() time.Time
	log     *slog.Logger
	// parsed remembers compiled trust policies by their text, so taking
	// on a role parses its trust policy once.
	parsed *fifo.Map[string, *policy.Policy]
}

// parsedCacheSize bounds the compiled trust policies kept.
const parsedCacheSize = 1024

// New returns a Service.
func New(c Config) (*Service, error) {
	if c.Store == nil || c.Minter == nil {
		return nil, errors.New("iam: Config.Store and Config.Minter are required")
	}
	if !isAccountID(c.AccountID) {
		return nil, errors.New("iam: Config.AccountID must be twelve digits")
	}
	s := &Service{
		store: c.Store, minter: c.Minter, account: c.AccountID, admin: c.AdminUserName,
		now: c.Now, log: c.Logger, parsed: fifo.New[string, *policy.Policy](parsedCacheSize),
	}
	if s.admin == "" {
		s.admin = DefaultAdminUserName
	}
	if !userNamePattern.MatchString(s.admin) || len(s.admin) > 64 {
		return nil, errors.New("iam: Config.AdminUserName is not a valid IAM user name")
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// AccountID returns the account every ARN of the service names.
func (s *Service) AccountID() string { return s.account }

// clock returns the current time in UTC, truncated to the second as IAM
// reports its dates.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

func isAccountID(a string) bool {
	if len(a) != 12 {
		return false
	}
	for _, c := range a {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
