// Package userpool is the domain of Cognito user pools: pools and their
// settings, app clients, users and their attributes, sign-up and
// confirmation, and the sign-in flows (SRP, password, refresh, challenges)
// that end in tokens.
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
	"io"
	"log/slog"
	"time"

	"github.com/cognate-auth/cognate/internal/secretbox"
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
	// MasterKey seals the multi-step sign-in state handed to clients.
	MasterKey []byte
	// Issuer returns the issuer ("iss") of a pool's tokens.
	Issuer func(poolID string) string
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
	sessions *secretbox.Box
	decoyKey []byte
	codeKey  []byte
	// rotateKey derives a rotated refresh token from the one it replaces.
	rotateKey []byte
	// deviceKey derives users' device group keys.
	deviceKey []byte
	issuer    func(string) string
	now       func() time.Time
	rand      io.Reader
	log       *slog.Logger
}

// New returns a Service.
func New(c Config) (*Service, error) {
	box, err := secretbox.New(c.MasterKey, "userpool/auth-session")
	if err != nil {
		return nil, err
	}
	decoyKey, err := hkdf.Key(sha256.New, c.MasterKey, nil, "cognate/userpool/decoy-srp", 32)
	if err != nil {
		return nil, err
	}
	codeKey, err := hkdf.Key(sha256.New, c.MasterKey, nil, "cognate/userpool/codes", 32)
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
		store: c.Store, tokens: c.Tokens, sender: c.Sender, sessions: box, decoyKey: decoyKey, codeKey: codeKey, rotateKey: rotateKey,
		deviceKey: deviceKey,
		issuer:    c.Issuer, now: c.Now, rand: c.Rand, log: c.Logger,
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
