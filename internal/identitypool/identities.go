package identitypool

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/store"
)

// MaxLogins is how many logins one request may present, and one identity
// have linked.
const MaxLogins = 10

// pageToken and pageAfter turn the last id of a page into a NextToken and
// back.
func pageToken(lastID string) string { return base64.RawURLEncoding.EncodeToString([]byte(lastID)) }

func (s *Service) pageAfter(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", apierr.New(apierr.InvalidParameter, "Invalid NextToken.")
	}
	return string(b), nil
}

// verified is a verified set of logins, sorted by provider.
type verified []federation.Login

func (v verified) storeLogins() []store.IdentityLogin {
	out := make([]store.IdentityLogin, 0, len(v))
	for _, l := range v {
		if l.Provider != federation.IdentityProvider {
			out = append(out, store.IdentityLogin{Provider: l.Provider, Subject: l.Subject})
		}
	}
	return out
}

// verify checks every login; a pool's developer provider name is not a
// Logins key for these calls.
func (s *Service) verify(ctx context.Context, p store.IdentityPool, logins map[string]string) (verified, error) {
	if len(logins) > MaxLogins {
		return nil, apierr.New(apierr.InvalidParameter, "Too many logins: at most 10.")
	}
	keys := make([]string, 0, len(logins))
	for k := range logins {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(verified, 0, len(keys))
	t := trust(p)
	for _, k := range keys {
		if k == p.Settings.DeveloperProviderName && k != "" {
			return nil, apierr.New(apierr.NotAuthorized, "Invalid login token. Developer-authenticated identities sign in with the token of GetOpenIdTokenForDeveloperIdentity under cognito-identity.amazonaws.com.")
		}
		l, err := s.cfg.Logins.Verify(ctx, t, k, logins[k])
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// GetID returns the identity of a pool for the logins, creating it (or a
// guest identity, without logins) when there is none, and linking logins
// it lacks.
func (s *Service) GetID(ctx context.Context, poolID string, logins map[string]string) (string, error) {
	p, err := s.pool(ctx, poolID)
	if err != nil {
		return "", err
	}
	if len(logins) == 0 {
		if !p.Settings.AllowUnauthenticated {
			return "", errUnauthenticated
		}
		if err := s.spendGuest(ctx, p.ID); err != nil {
			return "", err
		}
		now := s.now()
		id := store.Identity{ID: s.newID(), PoolID: p.ID, CreatedAt: now, ModifiedAt: now}
		if err := s.cfg.Store.CreateIdentity(ctx, id); err != nil {
			return "", apierr.Internal(err)
		}
		return id.ID, nil
	}
	v, err := s.verify(ctx, p, logins)
	if err != nil {
		return "", err
	}
	return s.identityFor(ctx, p, v, nil)
}

// spendGuest counts the creation of a guest identity against the pool's
// and the client address's budgets.
func (s *Service) spendGuest(ctx context.Context, poolID string) error {
	if s.cfg.Guard == nil {
		return nil
	}
	err := s.cfg.Guard.Spend(ctx, guard.Guests(poolID), "guest-identity", requestctx.ClientIP(ctx), s.cfg.GuestLimit)
	if errors.Is(err, guard.ErrLimitExceeded) {
		return apierr.New("TooManyRequestsException", "Rate exceeded")
	}
	return err
}

// identityFor finds the one identity the logins (and known, when set)
// belong to, links the logins it lacks, or creates one with them. An
// identity read once is not read again in the same attempt.
func (s *Service) identityFor(ctx context.Context, p store.IdentityPool, v verified, known *store.Identity) (string, error) {
	if known != nil && known.PoolID == p.ID && holds(*known, v) {
		// A login belongs to one identity at most: these are known's.
		return known.ID, nil
	}
	for attempt := 0; attempt < 3; attempt++ {
		read := make(map[string]store.Identity, 2)
		owner := ""
		if known != nil && attempt == 0 {
			read[known.ID] = *known
		}
		if known != nil {
			owner = known.ID
		}
		for _, l := range v {
			var id string
			if l.Provider == federation.IdentityProvider {
				id = l.Subject
				if _, ok := read[id]; !ok {
					ident, err := s.cfg.Store.GetIdentity(ctx, id)
					if isNotFound(err) {
						return "", errLoginsMismatch
					} else if err != nil {
						return "", apierr.Internal(err)
					}
					read[id] = ident
				}
			} else {
				ident, err := s.cfg.Store.FindIdentityByLogin(ctx, p.ID, store.IdentityLogin{Provider: l.Provider, Subject: l.Subject})
				if isNotFound(err) {
					continue
				}
				if err != nil {
					return "", apierr.Internal(err)
				}
				id = ident.ID
				read[id] = ident
			}
			if owner != "" && owner != id {
				// Only developer identities merge (MergeDeveloperIdentities).
				return "", apierr.New(codeResourceConflict, "A login is already linked to another identity.")
			}
			owner = id
		}
		logins := v.storeLogins()
		now := s.now()
		if owner == "" {
			id := store.Identity{ID: s.newID(), PoolID: p.ID, CreatedAt: now, ModifiedAt: now, Logins: logins}
			err := s.cfg.Store.CreateIdentity(ctx, id)
			if isAlreadyExists(err) {
				continue // another request linked one of the logins first
			}
			if err != nil {
				return "", apierr.Internal(err)
			}
			return id.ID, nil
		}
		ident, ok := read[owner]
		if !ok {
			var err error
			if ident, err = s.cfg.Store.GetIdentity(ctx, owner); err != nil {
				return "", storeErr(err)
			}
		}
		if ident.PoolID != p.ID {
			return "", errLoginsMismatch
		}
		missing := slices.DeleteFunc(logins, func(l store.IdentityLogin) bool { return slices.Contains(ident.Logins, l) })
		if len(missing) == 0 {
			return owner, nil
		}
		if !proves(v, ident) {
			// A new login joins an identity only with one it has already
			// (a guest identity has none, and becomes authenticated).
			return "", errLoginsMismatch
		}
		for _, l := range missing {
			if l.Provider != p.Settings.DeveloperProviderName &&
				slices.ContainsFunc(ident.Logins, func(have store.IdentityLogin) bool { return have.Provider == l.Provider }) {
				// One user per public provider: Cognito refuses to make one
				// identity of two users of the same provider (developer
				// users, which MergeDeveloperIdentities joins, excepted).
				return "", apierr.New(codeResourceConflict, "The identity already has a login of "+l.Provider+" for another user.")
			}
		}
		if len(ident.Logins)+len(missing) > MaxLogins {
			return "", apierr.New(apierr.LimitExceeded, "An identity may have at most 10 logins.")
		}
		err := s.cfg.Store.LinkLogins(ctx, owner, missing, now)
		if isAlreadyExists(err) {
			continue
		}
		if err != nil {
			return "", storeErr(err)
		}
		return owner, nil
	}
	return "", apierr.New("ConcurrentModificationException", "The identity changed while it was being updated; try again.")
}

// holds reports whether every login is the identity's already.
func holds(ident store.Identity, v verified) bool {
	for _, l := range v {
		if l.Provider == federation.IdentityProvider {
			if l.Subject != ident.ID {
				return false
			}
		} else if !slices.Contains(ident.Logins, store.IdentityLogin{Provider: l.Provider, Subject: l.Subject}) {
			return false
		}
	}
	return true
}

// proves reports whether the logins include one the identity already has,
// or the identity has none.
func proves(v verified, ident store.Identity) bool {
	if len(ident.Logins) == 0 {
		return true
	}
	for _, l := range v {
		if l.Provider == federation.IdentityProvider && l.Subject == ident.ID ||
			slices.Contains(ident.Logins, store.IdentityLogin{Provider: l.Provider, Subject: l.Subject}) {
			return true
		}
	}
	return false
}

// Credentials are an identity's temporary credentials.
type Credentials struct {
	IdentityID                           string
	AccessKeyID, SecretKey, SessionToken string
	Expiration                           time.Time
}

// CredentialsForIdentity returns credentials for an identity: for its
// role by the pool's role mapping when logins are given (they must be the
// identity's), for the pool's unauthenticated role for a guest.
func (s *Service) CredentialsForIdentity(ctx context.Context, identityID string, logins map[string]string, customRoleARN string) (Credentials, error) {
	ident, p, err := s.identity(ctx, identityID)
	if err != nil {
		return Credentials{}, err
	}
	v, err := s.checkLogins(ctx, ident, p, logins)
	if err != nil {
		return Credentials{}, err
	}
	role, err := resolveRole(p, v, customRoleARN)
	if err != nil {
		return Credentials{}, err
	}
	keys := map[string][]string{
		federation.IdentityProvider + ":aud": {p.ID},
		federation.IdentityProvider + ":sub": {ident.ID},
		federation.IdentityProvider + ":amr": amr(v),
	}
	c, err := s.cfg.Roles.AssumeRoleWithWebIdentity(ctx, iamRequest(role, keys, principalTags(p, v)))
	if err != nil {
		var e *apierr.Error
		if errors.As(err, &e) && (e.Code == "AccessDenied" || e.Code == "NoSuchEntity") {
			// Cognito's answer when the role does not trust the pool.
			return Credentials{}, errNoRole
		}
		return Credentials{}, storeErr(err)
	}
	return Credentials{IdentityID: ident.ID, AccessKeyID: c.AccessKeyID, SecretKey: c.SecretAccessKey,
		SessionToken: c.SessionToken, Expiration: c.Expiration}, nil
}

// checkLogins verifies logins presented for an identity: each must be
// linked to it (or linkable: a new login is linked), and a guest call is
// only for an identity with no logins in a pool that allows guests.
func (s *Service) checkLogins(ctx context.Context, ident store.Identity, p store.IdentityPool, logins map[string]string) (verified, error) {
	if len(logins) == 0 {
		if len(ident.Logins) > 0 {
			return nil, errLoginsMismatch
		}
		if !p.Settings.AllowUnauthenticated {
			return nil, errUnauthenticated
		}
		return nil, nil
	}
	v, err := s.verify(ctx, p, logins)
	if err != nil {
		return nil, err
	}
	for _, l := range v {
		if l.Provider == federation.IdentityProvider && l.Subject != ident.ID {
			return nil, errLoginsMismatch // Cognate's token names another identity
		}
	}
	id, err := s.identityFor(ctx, p, v, &ident)
	if err != nil {
		var e *apierr.Error
		if errors.As(err, &e) && e.Code == codeResourceConflict && !proves(v, ident) {
			// Nothing presented is this identity's.
			return nil, errLoginsMismatch
		}
		return nil, err
	}
	if id != ident.ID {
		return nil, errLoginsMismatch
	}
	return v, nil
}

// amr is the authentication methods reference of an identity's session:
// "unauthenticated", or "authenticated" then the providers, with the
// user-pool sign-in of a user pool's logins and the app and user of
// Facebook and Login with Amazon logins, as Cognito writes them.
func amr(v verified) []string {
	if len(v) == 0 {
		return []string{"unauthenticated"}
	}
	out := []string{"authenticated"}
	for _, l := range v {
		out = append(out, l.Provider)
		switch {
		case strings.HasPrefix(l.Provider, "cognito-idp."):
			out = append(out, l.Provider+":CognitoSignIn:"+l.Subject)
		case l.Provider == federation.Facebook || l.Provider == federation.Amazon:
			out = append(out, l.Provider+":"+l.Audience+":"+l.Subject)
		}
	}
	return out
}

// OpenIDTokenTTL is the life of GetOpenIdToken's tokens.
const OpenIDTokenTTL = 10 * time.Minute

// OpenIDToken returns an OpenID token for an identity (the classic flow).
func (s *Service) OpenIDToken(ctx context.Context, identityID string, logins map[string]string) (string, error) {
	ident, p, err := s.identity(ctx, identityID)
	if err != nil {
		return "", err
	}
	if !p.Settings.AllowClassicFlow {
		return "", apierr.New(apierr.InvalidParameter, "Basic (classic) flow is not enabled, please use enhanced flow.")
	}
	v, err := s.checkLogins(ctx, ident, p, logins)
	if err != nil {
		return "", err
	}
	return s.mint(ctx, p.ID, ident.ID, amr(v), nil, OpenIDTokenTTL)
}

func (s *Service) mint(ctx context.Context, poolID, identityID string, amr []string, tags map[string]string, ttl time.Duration) (string, error) {
	t, err := s.cfg.Tokens.Mint(ctx, poolID, identityID, amr, tags, ttl)
	if err != nil {
		return "", apierr.Internal(err)
	}
	return t, nil
}

// Description is an identity as DescribeIdentity and ListIdentities show it.
type Description struct {
	ID                   string
	Logins               []string
	Created, LastChanged time.Time
}

func describe(id store.Identity, developer string) Description {
	d := Description{ID: id.ID, Created: id.CreatedAt, LastChanged: id.ModifiedAt}
	for _, l := range id.Logins {
		name := l.Provider
		if name == developer {
			name = "cognito-identity.amazonaws.com"
		}
		if !slices.Contains(d.Logins, name) {
			d.Logins = append(d.Logins, name)
		}
	}
	return d
}

// DescribeIdentity returns an identity.
func (s *Service) DescribeIdentity(ctx context.Context, id string) (Description, error) {
	ident, p, err := s.identity(ctx, id)
	if err != nil {
		return Description{}, err
	}
	return describe(ident, p.Settings.DeveloperProviderName), nil
}

// ListIdentities returns up to max identities of a pool after the page
// token next, and the token of the page after.
func (s *Service) ListIdentities(ctx context.Context, poolID string, max int, next string) ([]Description, string, error) {
	p, err := s.pool(ctx, poolID)
	if err != nil {
		return nil, "", err
	}
	after, err := s.pageAfter(next)
	if err != nil {
		return nil, "", err
	}
	ids, err := s.cfg.Store.ListIdentities(ctx, poolID, after, max+1)
	if err != nil {
		return nil, "", apierr.Internal(err)
	}
	token := ""
	if len(ids) > max {
		ids = ids[:max]
		token = pageToken(ids[max-1].ID)
	}
	out := make([]Description, len(ids))
	for i, id := range ids {
		out[i] = describe(id, p.Settings.DeveloperProviderName)
	}
	return out, token, nil
}

// DeleteIdentities deletes identities and returns those it could not.
func (s *Service) DeleteIdentities(ctx context.Context, ids []string) (unprocessed map[string]string, err error) {
	unprocessed = map[string]string{}
	for _, id := range ids {
		switch err := s.cfg.Store.DeleteIdentity(ctx, id); {
		case err == nil, isNotFound(err):
			// Cognito answers an unknown id as deleted.
		default:
			s.cfg.Logger.ErrorContext(ctx, "deleting an identity", "identity", id, "err", err)
			unprocessed[id] = "INTERNAL_SERVER_ERROR"
		}
	}
	return unprocessed, nil
}

// Unlink removes logins from an identity, proven by logins.
func (s *Service) Unlink(ctx context.Context, identityID string, logins map[string]string, remove []string) error {
	ident, p, err := s.identity(ctx, identityID)
	if err != nil {
		return err
	}
	if len(logins) == 0 {
		return errLoginsMismatch
	}
	v, err := s.checkLogins(ctx, ident, p, logins)
	if err != nil {
		return err
	}
	for _, provider := range remove {
		var subject string
		for _, l := range v {
			if l.Provider == provider {
				subject = l.Subject
			}
		}
		if subject == "" {
			for _, l := range ident.Logins {
				if l.Provider == provider {
					subject = l.Subject
				}
			}
		}
		if subject == "" {
			continue
		}
		if err := s.cfg.Store.UnlinkLogin(ctx, ident.ID, store.IdentityLogin{Provider: provider, Subject: subject}, s.now()); err != nil && !isNotFound(err) {
			return apierr.Internal(err)
		}
	}
	return nil
}
