package iam

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/store"
)

// OIDCProviderInput is what CreateOpenIDConnectProvider takes.
type OIDCProviderInput struct {
	// URL is the issuer; it must begin with https://.
	URL         string
	ClientIDs   []string
	Thumbprints []string
	Tags        []Tag
}

// IAM's quotas on OpenID Connect providers.
const (
	maxOIDCProviders = 100
	maxClientIDs     = 100
	maxThumbprints   = 5
)

// CreateOpenIDConnectProvider registers an OpenID Connect provider.
func (s *Service) CreateOpenIDConnectProvider(ctx context.Context, in OIDCProviderInput) (store.OIDCProvider, error) {
	hostPath, err := issuerHostPath(in.URL)
	if err != nil {
		return store.OIDCProvider{}, err
	}
	clientIDs, err := clientIDList(in.ClientIDs)
	if err != nil {
		return store.OIDCProvider{}, err
	}
	thumbprints, err := thumbprintList(in.Thumbprints)
	if err != nil {
		return store.OIDCProvider{}, err
	}
	tags, err := tagMap(in.Tags, "OpenIdConnectProvider")
	if err != nil {
		return store.OIDCProvider{}, err
	}
	all, err := s.store.ListOIDCProviders(ctx)
	if err != nil {
		return store.OIDCProvider{}, storeErr(err)
	}
	if len(all) >= maxOIDCProviders {
		return store.OIDCProvider{}, limitExceeded("Cannot exceed quota for OpenIdConnectProvidersPerAccount: %d", maxOIDCProviders)
	}
	p := store.OIDCProvider{
		ARN: s.oidcARN(hostPath), URL: hostPath, ClientIDs: clientIDs, Thumbprints: thumbprints,
		Tags: tags, CreatedAt: s.clock(),
	}
	if err := s.store.CreateOIDCProvider(ctx, p); err != nil {
		if isExists(err) {
			return store.OIDCProvider{}, alreadyExists("Provider with url %s already exists.", in.URL)
		}
		return store.OIDCProvider{}, storeErr(err)
	}
	return p, nil
}

// GetOpenIDConnectProvider returns a provider by ARN. Its URL is kept
// without the https:// scheme, as IAM reports it.
func (s *Service) GetOpenIDConnectProvider(ctx context.Context, arn string) (store.OIDCProvider, error) {
	p, err := s.store.GetOIDCProvider(ctx, arn)
	if isNotFound(err) {
		return store.OIDCProvider{}, noSuchEntity("OpenIDConnect Provider not found for arn %s", arn)
	}
	if err != nil {
		return store.OIDCProvider{}, storeErr(err)
	}
	return p, nil
}

// ListOpenIDConnectProviders lists every provider, ordered by ARN.
func (s *Service) ListOpenIDConnectProviders(ctx context.Context) ([]store.OIDCProvider, error) {
	ps, err := s.store.ListOIDCProviders(ctx)
	if err != nil {
		return nil, storeErr(err)
	}
	return ps, nil
}

// DeleteOpenIDConnectProvider removes a provider. Removing one that does
// not exist succeeds, as in IAM; roles trusting it stay, and no token of
// it is accepted any more.
func (s *Service) DeleteOpenIDConnectProvider(ctx context.Context, arn string) error {
	if err := s.store.DeleteOIDCProvider(ctx, arn); err != nil && !isNotFound(err) {
		return storeErr(err)
	}
	return nil
}

// AddClientIDToOpenIDConnectProvider adds a client id (audience) to a
// provider. Adding one it already has succeeds and changes nothing, as in
// IAM.
func (s *Service) AddClientIDToOpenIDConnectProvider(ctx context.Context, arn, clientID string) error {
	if _, err := clientIDList([]string{clientID}); err != nil {
		return err
	}
	return s.updateOIDCProvider(ctx, arn, func(p *store.OIDCProvider) error {
		if slices.Contains(p.ClientIDs, clientID) {
			return nil
		}
		if len(p.ClientIDs) >= maxClientIDs {
			return limitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", maxClientIDs)
		}
		p.ClientIDs = append(p.ClientIDs, clientID)
		return nil
	})
}

// RemoveClientIDFromOpenIDConnectProvider removes a client id from a
// provider. Removing one it does not have succeeds, as in IAM.
func (s *Service) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, arn, clientID string) error {
	if _, err := clientIDList([]string{clientID}); err != nil {
		return err
	}
	return s.updateOIDCProvider(ctx, arn, func(p *store.OIDCProvider) error {
		p.ClientIDs = slices.DeleteFunc(p.ClientIDs, func(id string) bool { return id == clientID })
		return nil
	})
}

// UpdateOpenIDConnectProviderThumbprint replaces a provider's thumbprints
// with thumbprints (the lists are not merged). Logins through the
// provider use the new list from the next one on.
func (s *Service) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, arn string, thumbprints []string) error {
	list, err := thumbprintList(thumbprints)
	if e, ok := errors.AsType[*apierr.Error](err); ok && e.Code == CodeLimitExceeded {
		// UpdateOpenIDConnectProviderThumbprint has no LimitExceeded:
		// IAM calls a long list an invalid input there.
		return invalidInput("%s", e.Message)
	}
	if err != nil {
		return err
	}
	return s.updateOIDCProvider(ctx, arn, func(p *store.OIDCProvider) error {
		p.Thumbprints = list
		return nil
	})
}

func (s *Service) updateOIDCProvider(ctx context.Context, arn string, fn func(*store.OIDCProvider) error) error {
	_, err := s.store.UpdateOIDCProvider(ctx, arn, fn)
	if isNotFound(err) {
		return noSuchEntity("OpenIDConnect Provider not found for arn %s", arn)
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}

// OpenIDConnectProvider returns a provider for the federation verifier,
// its URL with the https:// scheme.
func (s *Service) OpenIDConnectProvider(ctx context.Context, arn string) (federation.OIDCProvider, error) {
	p, err := s.GetOpenIDConnectProvider(ctx, arn)
	if err != nil {
		return federation.OIDCProvider{}, err
	}
	return federation.OIDCProvider{ARN: p.ARN, URL: "https://" + p.URL, ClientIDs: p.ClientIDs, Thumbprints: p.Thumbprints}, nil
}

// OpenIDConnectProviderByURL returns the provider registered for an
// issuer URL (https://host/path).
func (s *Service) OpenIDConnectProviderByURL(ctx context.Context, issuer string) (federation.OIDCProvider, error) {
	hostPath, err := issuerHostPath(issuer)
	if err != nil {
		return federation.OIDCProvider{}, err
	}
	return s.OpenIDConnectProvider(ctx, s.oidcARN(hostPath))
}

var _ federation.ProviderSource = (*Service)(nil)

func (s *Service) oidcARN(hostPath string) string {
	return "arn:aws:iam::" + s.account + ":oidc-provider/" + hostPath
}

// issuerHostPath checks an issuer URL and returns it without its scheme.
func issuerHostPath(raw string) (string, error) {
	rest, ok := strings.CutPrefix(raw, "https://")
	bad := invalidInput("Invalid Openid Connect Provider URL: %s. The URL must begin with https:// and name a host.", raw)
	if !ok || len(raw) > 255 {
		return "", bad
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(rest, " ?#") {
		return "", bad
	}
	return rest, nil
}

func clientIDList(ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id == "" || len(id) > 255 {
			return nil, validationError("1 validation error detected: Value '%s' at 'clientIDList' failed to satisfy constraint: Member must have length between 1 and 255", id)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > maxClientIDs {
		return nil, limitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", maxClientIDs)
	}
	return out, nil
}

func thumbprintList(ts []string) ([]string, error) {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		if len(t) != 40 {
			return nil, validationError("1 validation error detected: Value '%s' at 'thumbprintList' failed to satisfy constraint: Member must have length 40", t)
		}
		if strings.Trim(t, "0123456789abcdefABCDEF") != "" {
			return nil, invalidInput("Thumbprint %s is not a valid hexadecimal SHA-1 fingerprint.", t)
		}
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			out = append(out, t)
		}
	}
	if len(out) > maxThumbprints {
		return nil, limitExceeded("Thumbprint list must contain fewer than %d entries", maxThumbprints+1)
	}
	return out, nil
}
