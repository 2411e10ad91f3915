package identitypool

import (
	"context"
	"errors"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/store"
)

// Lifetimes of GetOpenIdTokenForDeveloperIdentity's tokens.
const (
	DeveloperTokenTTL    = 15 * time.Minute
	MaxDeveloperTokenTTL = 24 * time.Hour
)

// DeveloperToken is what GetOpenIdTokenForDeveloperIdentity returns.
type DeveloperToken struct {
	IdentityID string
	Token      string
}

var errNoDeveloperProvider = apierr.New(apierr.InvalidParameter, "The identity pool has no developer provider name.")

// developerPool reads a pool and checks that developerProvider, when given,
// is its developer provider name.
func (s *Service) developerPool(ctx context.Context, poolID, developerProvider string) (store.IdentityPool, error) {
	p, err := s.pool(ctx, poolID)
	if err != nil {
		return store.IdentityPool{}, err
	}
	name := p.Settings.DeveloperProviderName
	if name == "" {
		return store.IdentityPool{}, errNoDeveloperProvider
	}
	if developerProvider != "" && developerProvider != name {
		return store.IdentityPool{}, apierr.New(apierr.InvalidParameter, "Developer provider name does not match the identity pool's.")
	}
	return p, nil
}

// DeveloperOpenIDToken registers or looks up a developer-authenticated
// user (logins[the pool's developer provider name] is the developer's user
// identifier) and returns its identity and an OpenID token for it. Other
// logins are verified and linked too; identityID, when set, is the
// identity to link them to. tags are principal tags for the sessions of
// the token, carried in it.
func (s *Service) DeveloperOpenIDToken(ctx context.Context, poolID, identityID string, logins, tags map[string]string, ttl time.Duration) (DeveloperToken, error) {
	p, err := s.developerPool(ctx, poolID, "")
	if err != nil {
		return DeveloperToken{}, err
	}
	name := p.Settings.DeveloperProviderName
	user, ok := logins[name]
	if !ok || user == "" {
		return DeveloperToken{}, apierr.New(apierr.InvalidParameter, "Logins must contain the developer provider name "+name+".")
	}
	switch {
	case ttl == 0:
		ttl = DeveloperTokenTTL
	case ttl < time.Second || ttl > MaxDeveloperTokenTTL:
		return DeveloperToken{}, apierr.New(apierr.InvalidParameter, "TokenDuration must be between 1 and 86400 seconds.")
	}
	others := make(map[string]string, len(logins)-1)
	for k, t := range logins {
		if k != name {
			others[k] = t
		}
	}
	v, err := s.verify(ctx, p, others)
	if err != nil {
		return DeveloperToken{}, err
	}
	v = append(v, federation.Login{Provider: name, Subject: user})
	var known *store.Identity
	if identityID != "" {
		ident, err := s.cfg.Store.GetIdentity(ctx, identityID)
		if isNotFound(err) || (err == nil && ident.PoolID != p.ID) {
			return DeveloperToken{}, identityNotFound(identityID)
		}
		if err != nil {
			return DeveloperToken{}, apierr.Internal(err)
		}
		known = &ident
	}
	id, err := s.identityFor(ctx, p, v, known)
	if err != nil {
		var e *apierr.Error
		if identityID != "" && errors.As(err, &e) && e.Code == codeResourceConflict {
			return DeveloperToken{}, apierr.New(codeDeveloperUserRegistered, "The developer user identifier is already registered with another identity.")
		}
		return DeveloperToken{}, err
	}
	amr := []string{"authenticated", federation.IdentityProvider, federation.IdentityProvider + ":" + p.ID + ":" + user}
	for _, l := range v[:len(v)-1] {
		amr = append(amr, l.Provider)
	}
	token, err := s.mint(ctx, p.ID, id, amr, tags, ttl)
	if err != nil {
		return DeveloperToken{}, err
	}
	return DeveloperToken{IdentityID: id, Token: token}, nil
}

// DeveloperLookup is what LookupDeveloperIdentity returns.
type DeveloperLookup struct {
	IdentityID string
	Users      []string
	NextToken  string
}

// LookupDeveloper finds an identity by its developer user identifier, or
// the developer user identifiers of an identity; when both are given they
// must agree.
func (s *Service) LookupDeveloper(ctx context.Context, poolID, identityID, user string, max int, next string) (DeveloperLookup, error) {
	p, err := s.developerPool(ctx, poolID, "")
	if err != nil {
		return DeveloperLookup{}, err
	}
	name := p.Settings.DeveloperProviderName
	var ident store.Identity
	switch {
	case user != "":
		ident, err = s.cfg.Store.FindIdentityByLogin(ctx, p.ID, store.IdentityLogin{Provider: name, Subject: user})
		if isNotFound(err) || (err == nil && identityID != "" && ident.ID != identityID) {
			return DeveloperLookup{}, apierr.New(apierr.ResourceNotFound, "Developer user identifier "+user+" not found.")
		}
	case identityID != "":
		ident, err = s.cfg.Store.GetIdentity(ctx, identityID)
		if isNotFound(err) || (err == nil && ident.PoolID != p.ID) {
			return DeveloperLookup{}, identityNotFound(identityID)
		}
	default:
		return DeveloperLookup{}, apierr.New(apierr.InvalidParameter, "Either IdentityId or DeveloperUserIdentifier must be provided.")
	}
	if err != nil {
		return DeveloperLookup{}, apierr.Internal(err)
	}
	after, err := s.pageAfter(next)
	if err != nil {
		return DeveloperLookup{}, err
	}
	out := DeveloperLookup{IdentityID: ident.ID}
	for _, l := range ident.Logins {
		if l.Provider != name || l.Subject <= after {
			continue
		}
		if max > 0 && len(out.Users) == max {
			out.NextToken = pageToken(out.Users[max-1])
			break
		}
		out.Users = append(out.Users, l.Subject)
	}
	return out, nil
}

// MergeDeveloper moves every login of the source user's identity to the
// destination user's identity, deleting the source identity, and returns
// the destination identity.
func (s *Service) MergeDeveloper(ctx context.Context, poolID, developerProvider, source, destination string) (string, error) {
	p, err := s.developerPool(ctx, poolID, developerProvider)
	if err != nil {
		return "", err
	}
	find := func(user string) (store.Identity, error) {
		ident, err := s.cfg.Store.FindIdentityByLogin(ctx, p.ID, store.IdentityLogin{Provider: developerProvider, Subject: user})
		if isNotFound(err) {
			return ident, apierr.New(apierr.ResourceNotFound, "Developer user identifier "+user+" not found.")
		}
		if err != nil {
			return ident, apierr.Internal(err)
		}
		return ident, nil
	}
	from, err := find(source)
	if err != nil {
		return "", err
	}
	to, err := find(destination)
	if err != nil {
		return "", err
	}
	if from.ID == to.ID {
		return to.ID, nil
	}
	if len(from.Logins)+len(to.Logins) > MaxLogins {
		return "", apierr.New(apierr.LimitExceeded, "An identity may have at most 10 logins.")
	}
	if err := s.cfg.Store.MoveLogins(ctx, from.ID, to.ID, s.now()); err != nil {
		return "", storeErr(err)
	}
	return to.ID, nil
}

// UnlinkDeveloper removes a developer user identifier from an identity.
func (s *Service) UnlinkDeveloper(ctx context.Context, poolID, identityID, developerProvider, user string) error {
	p, err := s.developerPool(ctx, poolID, developerProvider)
	if err != nil {
		return err
	}
	ident, err := s.cfg.Store.GetIdentity(ctx, identityID)
	if isNotFound(err) || (err == nil && ident.PoolID != p.ID) {
		return identityNotFound(identityID)
	}
	if err != nil {
		return apierr.Internal(err)
	}
	err = s.cfg.Store.UnlinkLogin(ctx, ident.ID, store.IdentityLogin{Provider: developerProvider, Subject: user}, s.now())
	if isNotFound(err) {
		return apierr.New(apierr.ResourceNotFound, "Developer user identifier "+user+" is not linked to identity "+identityID+".")
	}
	if err != nil {
		return apierr.Internal(err)
	}
	return nil
}
