// Package userpool is the domain of Cognito user pools: pools and their
// settings, app clients, users and their attributes, sign-up and
// confirmation, password recovery, groups, devices and MFA settings, and
// the tokens of sign-ins: minting, refreshing, revoking and checking them.
// The sign-in flows themselves run in package signin, which asks this
// package for what it needs through SignInDirectory.
//
// It knows nothing of HTTP or SQL: callers hand it plain values, it reads and
// writes records through store.Store, signs tokens through a TokenSigner,
// sends codes through a Sender, and reports failures as *apierr.Error values
// carrying Cognito's exception names.
package userpool

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/codes"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/store"
)

// TokenSigner signs and verifies a pool's JWTs (package tokens implements it).
type TokenSigner interface {
	EnsureKey(ctx context.Context, poolID string) error
	Sign(ctx context.Context, poolID string, claims any) (string, error)
	Verify(ctx context.Context, poolID, token string, dst any) error
	// Forget drops what is cached of a deleted pool.
	Forget(poolID string)
}

// Sender delivers a message (a code or a temporary password) to a user.
type Sender interface {
	Send(ctx context.Context, m store.Message) error
}

// Config wires a Service.
type Config struct {
	Store  store.Store
	Tokens TokenSigner
	Sender Sender
	// Triggers runs the pools' Lambda triggers; nil refuses any LambdaConfig.
	Triggers Triggers
	// Guard enforces the lock-out and the code budgets; Timing lets
	// decoys take as long as users. The sign-in engine shares both.
	Guard  *guard.Guard
	Timing *guard.Timing
	// MasterKey derives the keys of codes, rotated refresh tokens and
	// device group keys.
	MasterKey []byte
	// Issuer returns the issuer ("iss") of a pool's tokens.
	Issuer func(poolID string) string
	// DomainSuffix is the name under which prefix domains are served
	// ("auth.localhost" serves prefix myapp at myapp.auth.localhost); no
	// custom domain may lie under it.
	DomainSuffix string
	// Now and Rand default to the real clock and crypto/rand.
	Now    func() time.Time
	Rand   io.Reader
	Logger *slog.Logger
}

// Service implements the user-pool operations.
type Service struct {
	store    store.Store
	tokens   TokenSigner
	sender   Sender
	triggers Triggers
	guard    *guard.Guard
	timing   *guard.Timing
	codes    codes.Hasher
	// rotateKey derives a rotated refresh token from the one it replaces.
	rotateKey []byte
	// masterKey derives the custom senders' keys (SenderKey).
	masterKey []byte
	// deviceKey derives users' device group keys.
	deviceKey []byte
	issuer    func(string) string
	// domainSuffix is Config.DomainSuffix.
	domainSuffix string
	now          func() time.Time
	rand         io.Reader
	log          *slog.Logger
}

// New returns a Service.
func New(c Config) (*Service, error) {
	hasher, err := codes.NewHasher(c.MasterKey)
	if err != nil {
		return nil, err
	}
	rotateKey, err := hkdf.Key(sha256.New, c.MasterKey, nil, "cognate/userpool/refresh-rotation", 32)
	if err != nil {
		return nil, err
	}
	deviceKey, err := hkdf.Key(sha256.New, c.MasterKey, nil, "cognate/userpool/device-group", 32)
	if err != nil {
		return nil, err
	}
	s := &Service{
		store: c.Store, tokens: c.Tokens, sender: c.Sender, triggers: c.Triggers, guard: c.Guard, timing: c.Timing,
		codes: hasher, rotateKey: rotateKey, masterKey: slices.Clone(c.MasterKey), deviceKey: deviceKey,
		issuer: c.Issuer, domainSuffix: c.DomainSuffix, now: c.Now, rand: c.Rand, log: c.Logger,
	}
	if s.guard == nil {
		return nil, errors.New("userpool: Config.Guard is nil")
	}
	if s.timing == nil {
		s.timing = guard.NewTiming()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// clock returns the current time truncated to milliseconds, the precision
// Cognito reports timestamps with.
func (s *Service) clock() time.Time {
	return s.now().UTC().Truncate(time.Millisecond)
}
