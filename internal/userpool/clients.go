package userpool

import (
	"context"
	"errors"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/store"
)

// defaultPreventExistence is a client's PreventUserExistenceErrors when
// none is given.
const defaultPreventExistence = "LEGACY"

// ClientInput is what CreateUserPoolClient and UpdateUserPoolClient carry.
// Zero validities and empty units mean "not sent".
type ClientInput struct {
	Name           string
	GenerateSecret bool
	// Secret is a secret the caller chose (CreateUserPoolClient's
	// ClientSecret); it makes the client confidential.
	Secret   string
	Settings store.ClientSettings
	// EnableTokenRevocation is nil when not sent (then on, as in Cognito).
	EnableTokenRevocation *bool
}

// CreateClient creates an app client in a pool.
func (s *Service) CreateClient(ctx context.Context, poolID string, in ClientInput) (store.Client, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return store.Client{}, err
	}
	settings, err := clientSettings(p, in)
	if err != nil {
		return store.Client{}, err
	}
	if err := checkOAuthSettings(p, settings, in.Secret != "" || in.GenerateSecret); err != nil {
		return store.Client{}, err
	}
	now := s.clock()
	c := store.Client{ID: s.newClientID(), PoolID: poolID, Name: in.Name, CreatedAt: now, UpdatedAt: now, Settings: settings}
	switch {
	case in.Secret != "":
		c.Secrets = []store.ClientSecret{{ID: secretID(c.ID, now, nil), Value: in.Secret, CreatedAt: now, Custom: true}}
	case in.GenerateSecret:
		c.Secrets = []store.ClientSecret{{ID: secretID(c.ID, now, nil), Value: s.newClientSecret(), CreatedAt: now}}
	}
	if err := s.store.CreateClient(ctx, c); err != nil {
		return store.Client{}, storeErr(err, poolID)
	}
	return c, nil
}

// clientSettings applies defaults and Cognito's rules to client settings.
func clientSettings(p store.Pool, in ClientInput) (store.ClientSettings, error) {
	st := in.Settings
	st.EnableTokenRevocation = in.EnableTokenRevocation == nil || *in.EnableTokenRevocation
	flows, err := clientauth.NormaliseFlows(st.ExplicitAuthFlows)
	if err != nil {
		return st, err
	}
	st.ExplicitAuthFlows = flows
	if st.TokenValidityUnits.AccessToken == "" {
		st.TokenValidityUnits.AccessToken = "minutes"
	}
	if st.TokenValidityUnits.IDToken == "" {
		st.TokenValidityUnits.IDToken = "minutes"
	}
	if st.TokenValidityUnits.RefreshToken == "" {
		st.TokenValidityUnits.RefreshToken = "days"
	}
	if st.AccessTokenValidity == 0 {
		st.AccessTokenValidity = 60 * time.Minute.Nanoseconds() / unitOf(st.TokenValidityUnits.AccessToken).Nanoseconds()
	}
	if st.IDTokenValidity == 0 {
		st.IDTokenValidity = 60 * time.Minute.Nanoseconds() / unitOf(st.TokenValidityUnits.IDToken).Nanoseconds()
	}
	if st.RefreshTokenValidity == 0 {
		st.RefreshTokenValidity = 30 * 24 * time.Hour.Nanoseconds() / unitOf(st.TokenValidityUnits.RefreshToken).Nanoseconds()
	}
	if st.AuthSessionValidity == 0 {
		st.AuthSessionValidity = 3
	}
	if st.PreventUserExistenceErrors == "" {
		st.PreventUserExistenceErrors = defaultPreventExistence
	}
	access := validity(st.AccessTokenValidity, st.TokenValidityUnits.AccessToken)
	id := validity(st.IDTokenValidity, st.TokenValidityUnits.IDToken)
	refresh := validity(st.RefreshTokenValidity, st.TokenValidityUnits.RefreshToken)
	switch {
	case access < 5*time.Minute || access > 24*time.Hour:
		return st, apierr.New(apierr.InvalidParameter, "Invalid range for token validity: access token validity must be between 5 minutes and 1 day.")
	case id < 5*time.Minute || id > 24*time.Hour:
		return st, apierr.New(apierr.InvalidParameter, "Invalid range for token validity: ID token validity must be between 5 minutes and 1 day.")
	case refresh < time.Hour || refresh > 3650*24*time.Hour:
		return st, apierr.New(apierr.InvalidParameter, "Invalid range for token validity: refresh token validity must be between 60 minutes and 10 years.")
	case st.AuthSessionValidity < 3 || st.AuthSessionValidity > 15:
		return st, apierr.New(apierr.InvalidParameter, "AuthSessionValidity must be between 3 and 15 minutes.")
	}
	for _, a := range st.ReadAttributes {
		if _, ok := findAttribute(p.Settings.Schema, a); !ok {
			return st, apierr.New(apierr.InvalidParameter, "Invalid read attributes specified while creating a client")
		}
	}
	for _, a := range st.WriteAttributes {
		sa, ok := findAttribute(p.Settings.Schema, a)
		if !ok || a == "sub" || sa.DeveloperOnly {
			return st, apierr.New(apierr.InvalidParameter, "Invalid write attributes specified while creating a client")
		}
	}
	return st, nil
}

func unitOf(u string) time.Duration {
	switch u {
	case "seconds":
		return time.Second
	case "minutes":
		return time.Minute
	case "hours":
		return time.Hour
	}
	return 24 * time.Hour
}

func validity(n int64, unit string) time.Duration { return time.Duration(n) * unitOf(unit) }

func clientNotFound(id string) error {
	return apierr.Newf(apierr.ResourceNotFound, "User pool client %s does not exist.", id)
}

// Client returns a client of a pool.
func (s *Service) Client(ctx context.Context, poolID, clientID string) (store.Client, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return store.Client{}, err
	}
	c, err := s.store.GetClient(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && c.PoolID != poolID) {
		return store.Client{}, clientNotFound(clientID)
	}
	if err != nil {
		return store.Client{}, apierr.Internal(err)
	}
	return c, nil
}

// UpdateClient replaces a client's settings; as in Cognito, members not
// sent go back to their defaults. The secret never changes here.
func (s *Service) UpdateClient(ctx context.Context, poolID, clientID string, in ClientInput) (store.Client, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return store.Client{}, err
	}
	old, err := s.Client(ctx, poolID, clientID)
	if err != nil {
		return store.Client{}, err
	}
	settings, err := clientSettings(p, in)
	if err != nil {
		return store.Client{}, err
	}
	if err := checkOAuthSettings(p, settings, len(old.Secrets) > 0); err != nil {
		return store.Client{}, err
	}
	c, err := s.store.UpdateClient(ctx, clientID, func(c store.Client) (store.Client, error) {
		if in.Name != "" {
			c.Name = in.Name
		}
		c.Settings = settings
		c.UpdatedAt = s.clock()
		return c, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.Client{}, clientNotFound(clientID)
	}
	return c, storeErr(err, poolID)
}

// DeleteClient deletes a client.
func (s *Service) DeleteClient(ctx context.Context, poolID, clientID string) error {
	if _, err := s.Client(ctx, poolID, clientID); err != nil {
		return err
	}
	err := s.store.DeleteClient(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return clientNotFound(clientID)
	}
	return storeErr(err, poolID)
}

// ListClients lists a pool's clients a page at a time.
func (s *Service) ListClients(ctx context.Context, poolID, after string, limit int) ([]store.Client, string, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return nil, "", err
	}
	cs, err := s.store.ListClients(ctx, poolID, after, limit+1)
	if err != nil {
		return nil, "", apierr.Internal(err)
	}
	if len(cs) > limit {
		return cs[:limit], cs[limit-1].ID, nil
	}
	return cs, "", nil
}

// appClient loads the client an unsigned request names, with its pool.
func (s *Service) appClient(ctx context.Context, clientID string) (store.Client, store.Pool, error) {
	c, p, err := s.store.GetClientAndPool(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return c, p, clientNotFound(clientID)
	}
	if err != nil {
		return c, p, apierr.Internal(err)
	}
	return c, p, nil
}
