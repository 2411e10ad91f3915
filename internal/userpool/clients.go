package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Authentication flows a client can allow.
const (
	FlowAllowUserSRP        = "ALLOW_USER_SRP_AUTH"
	FlowAllowUserPassword   = "ALLOW_USER_PASSWORD_AUTH"
	FlowAllowAdminPassword  = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
	FlowAllowRefreshToken   = "ALLOW_REFRESH_TOKEN_AUTH"
	FlowAllowCustom         = "ALLOW_CUSTOM_AUTH"
	FlowAllowUserAuth       = "ALLOW_USER_AUTH"
	legacyAdminNoSRP        = "ADMIN_NO_SRP_AUTH"
	legacyUserPassword      = "USER_PASSWORD_AUTH"
	legacyCustomAuthOnly    = "CUSTOM_AUTH_FLOW_ONLY"
	defaultPreventExistence = "LEGACY"
)

// defaultAuthFlows are a client's flows when none are given.
var defaultAuthFlows = []string{FlowAllowRefreshToken, FlowAllowCustom, FlowAllowUserSRP}

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
	flows, err := normaliseFlows(st.ExplicitAuthFlows)
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

// normaliseFlows checks a client's ExplicitAuthFlows and fills the default.
func normaliseFlows(flows []string) ([]string, error) {
	if len(flows) == 0 {
		return slices.Clone(defaultAuthFlows), nil
	}
	legacy, current := false, false
	for _, f := range flows {
		switch f {
		case legacyAdminNoSRP, legacyUserPassword, legacyCustomAuthOnly:
			legacy = true
		default:
			current = true
		}
	}
	if legacy && current {
		return nil, apierr.New(apierr.InvalidParameter, "ExplicitAuthFlows can not have both ALLOW_ prefixed and legacy values.")
	}
	out := slices.Clone(flows)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// flowAllowed reports whether a client allows an authentication flow,
// given as one of the ALLOW_ names. Legacy settings keep their meaning:
// SRP and refresh are always on unless CUSTOM_AUTH_FLOW_ONLY.
func flowAllowed(c store.Client, allow string) bool {
	flows := c.Settings.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = defaultAuthFlows
	}
	if slices.Contains(flows, allow) {
		return true
	}
	legacy := slices.ContainsFunc(flows, func(f string) bool {
		return f == legacyAdminNoSRP || f == legacyUserPassword || f == legacyCustomAuthOnly
	})
	if !legacy {
		return false
	}
	customOnly := slices.Contains(flows, legacyCustomAuthOnly)
	switch allow {
	case FlowAllowUserSRP, FlowAllowRefreshToken:
		return !customOnly || allow == FlowAllowRefreshToken
	case FlowAllowUserPassword:
		return slices.Contains(flows, legacyUserPassword)
	case FlowAllowAdminPassword:
		return slices.Contains(flows, legacyAdminNoSRP)
	case FlowAllowCustom:
		return true
	}
	return false
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
	if _, err := s.Client(ctx, poolID, clientID); err != nil {
		return store.Client{}, err
	}
	settings, err := clientSettings(p, in)
	if err != nil {
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

// SecretHash computes Cognito's SECRET_HASH: base64(HMAC-SHA256(secret,
// username + clientID)).
func SecretHash(username, clientID, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// checkSecretHash enforces SECRET_HASH for clients with a secret. Any of
// the given usernames may have been used to compute it (Cognito accepts the
// name the user typed as well as the username it knows).
func checkSecretHash(c store.Client, given string, usernames ...string) error {
	if err := requireSecretHash(c, given); err != nil || len(c.Secrets) == 0 {
		return err
	}
	for _, secret := range c.Secrets { // either of two secrets while one is rotated
		for _, u := range usernames {
			if u != "" && subtle.ConstantTimeCompare([]byte(SecretHash(u, c.ID, secret.Value)), []byte(given)) == 1 {
				return nil
			}
		}
	}
	return apierr.Newf(apierr.NotAuthorized, "Unable to verify secret hash for client %s", c.ID)
}

// requireSecretHash refuses a request without SECRET_HASH to a client with
// a secret, before anything else is looked at.
func requireSecretHash(c store.Client, given string) error {
	if len(c.Secrets) > 0 && given == "" {
		return apierr.Newf(apierr.NotAuthorized, "Client %s is configured with secret but SECRET_HASH was not received", c.ID)
	}
	return nil
}

// checkClientSecret enforces a client secret sent in the clear
// (GetTokensFromRefreshToken, RevokeToken).
func checkClientSecret(c store.Client, given string) error {
	if len(c.Secrets) == 0 {
		return nil
	}
	for _, secret := range c.Secrets {
		if given != "" && subtle.ConstantTimeCompare([]byte(secret.Value), []byte(given)) == 1 {
			return nil
		}
	}
	return apierr.Newf(apierr.NotAuthorized, "Unable to verify secret hash for client %s", c.ID)
}
