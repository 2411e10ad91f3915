package identitypool

import (
	"context"
	"maps"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Config of a pool as CreateIdentityPool and UpdateIdentityPool set it.
type PoolConfig struct {
	Name                      string
	AllowUnauthenticated      bool
	AllowClassicFlow          bool
	CognitoProviders          []store.CognitoIdentityProvider
	SupportedLoginProviders   map[string]string
	DeveloperProviderName     string
	OpenIDConnectProviderARNs []string
	SAMLProviderARNs          []string
	// Tags are set at creation; nil on update keeps them.
	Tags map[string]string
}

func (c PoolConfig) apply(s *store.IdentityPoolSettings) {
	s.AllowUnauthenticated, s.AllowClassicFlow = c.AllowUnauthenticated, c.AllowClassicFlow
	s.CognitoProviders, s.SupportedLoginProviders = c.CognitoProviders, c.SupportedLoginProviders
	s.DeveloperProviderName = c.DeveloperProviderName
	s.OpenIDConnectProviderARNs, s.SAMLProviderARNs = c.OpenIDConnectProviderARNs, c.SAMLProviderARNs
	if c.Tags != nil {
		s.Tags = c.Tags
	}
}

func (c PoolConfig) check() error {
	for _, p := range c.CognitoProviders {
		host, poolID, ok := strings.Cut(p.ProviderName, "/")
		region, _, _ := strings.Cut(poolID, "_")
		if !ok || host != "cognito-idp."+region+".amazonaws.com" {
			return apierr.New(apierr.InvalidParameter, "Invalid Cognito Identity Provider: "+p.ProviderName)
		}
	}
	return nil
}

// CreatePool creates an identity pool.
func (s *Service) CreatePool(ctx context.Context, c PoolConfig) (store.IdentityPool, error) {
	if err := c.check(); err != nil {
		return store.IdentityPool{}, err
	}
	now := s.now()
	p := store.IdentityPool{ID: s.newID(), Name: c.Name, CreatedAt: now, UpdatedAt: now}
	c.apply(&p.Settings)
	if err := s.cfg.Store.CreateIdentityPool(ctx, p); err != nil {
		return store.IdentityPool{}, apierr.Internal(err)
	}
	return p, nil
}

// DescribePool returns a pool.
func (s *Service) DescribePool(ctx context.Context, id string) (store.IdentityPool, error) {
	return s.pool(ctx, id)
}

// UpdatePool replaces a pool's configuration; its roles, role mappings and
// principal tag maps stay. A developer provider name, once set, cannot
// change.
func (s *Service) UpdatePool(ctx context.Context, id string, c PoolConfig) (store.IdentityPool, error) {
	if err := c.check(); err != nil {
		return store.IdentityPool{}, err
	}
	p, err := s.cfg.Store.UpdateIdentityPool(ctx, id, func(p store.IdentityPool) (store.IdentityPool, error) {
		if old := p.Settings.DeveloperProviderName; old != "" && old != c.DeveloperProviderName {
			return p, apierr.New(apierr.InvalidParameter, "Developer provider name cannot be changed once it is set.")
		}
		p.Name, p.UpdatedAt = c.Name, s.now()
		c.apply(&p.Settings)
		return p, nil
	})
	if isNotFound(err) {
		return store.IdentityPool{}, poolNotFound(id)
	}
	if err != nil {
		return store.IdentityPool{}, storeErr(err)
	}
	return p, nil
}

// DeletePool deletes a pool and its identities.
func (s *Service) DeletePool(ctx context.Context, id string) error {
	err := s.cfg.Store.DeleteIdentityPool(ctx, id)
	if isNotFound(err) {
		return poolNotFound(id)
	}
	if err != nil {
		return apierr.Internal(err)
	}
	return nil
}

// ListPools returns up to max pools after the page token next, and the
// token of the page after.
func (s *Service) ListPools(ctx context.Context, max int, next string) ([]store.IdentityPool, string, error) {
	after, err := s.pageAfter(next)
	if err != nil {
		return nil, "", err
	}
	pools, err := s.cfg.Store.ListIdentityPools(ctx, after, max+1)
	if err != nil {
		return nil, "", apierr.Internal(err)
	}
	if len(pools) > max {
		pools = pools[:max]
		return pools, pageToken(pools[max-1].ID), nil
	}
	return pools, "", nil
}

// SetRoles sets a pool's default roles and its role mappings.
func (s *Service) SetRoles(ctx context.Context, id string, roles map[string]string, mappings map[string]store.RoleMapping) error {
	for k := range roles {
		if k != "authenticated" && k != "unauthenticated" {
			return apierr.New(apierr.InvalidParameter, "Invalid role type: "+k+". Valid role types are authenticated and unauthenticated.")
		}
	}
	for provider, m := range mappings {
		if m.Type == "Rules" && len(m.Rules) == 0 {
			return apierr.New(apierr.InvalidParameter, "RulesConfiguration is required for role mapping of type Rules ("+provider+").")
		}
		if m.AmbiguousRoleResolution == "" {
			return apierr.New(apierr.InvalidParameter, "AmbiguousRoleResolution is required ("+provider+").")
		}
	}
	_, err := s.cfg.Store.UpdateIdentityPool(ctx, id, func(p store.IdentityPool) (store.IdentityPool, error) {
		p.Settings.Roles, p.Settings.RoleMappings, p.UpdatedAt = roles, mappings, s.now()
		return p, nil
	})
	if isNotFound(err) {
		return poolNotFound(id)
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}

// SetPrincipalTags sets how one provider's claims become principal tags.
func (s *Service) SetPrincipalTags(ctx context.Context, id, provider string, useDefaults bool, tags map[string]string) error {
	_, err := s.cfg.Store.UpdateIdentityPool(ctx, id, func(p store.IdentityPool) (store.IdentityPool, error) {
		m := maps.Clone(p.Settings.PrincipalTags)
		if m == nil {
			m = map[string]store.PrincipalTagMap{}
		}
		m[provider] = store.PrincipalTagMap{UseDefaults: useDefaults, Tags: tags}
		p.Settings.PrincipalTags, p.UpdatedAt = m, s.now()
		return p, nil
	})
	if isNotFound(err) {
		return poolNotFound(id)
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}

// poolARN is a pool's ARN, which tags are set through.
func (s *Service) poolARN(id string) string {
	return "arn:aws:cognito-identity:" + s.cfg.Region + ":" + s.cfg.AccountID + ":identitypool/" + id
}

// PoolARN returns a pool's ARN.
func (s *Service) PoolARN(id string) string { return s.poolARN(id) }

func (s *Service) poolOfARN(arn string) (string, error) {
	id, ok := strings.CutPrefix(arn, "arn:aws:cognito-identity:"+s.cfg.Region+":"+s.cfg.AccountID+":identitypool/")
	if !ok || id == "" {
		return "", apierr.New(apierr.ResourceNotFound, "Resource "+arn+" not found.")
	}
	return id, nil
}

// Tags returns a pool's tags.
func (s *Service) Tags(ctx context.Context, arn string) (map[string]string, error) {
	id, err := s.poolOfARN(arn)
	if err != nil {
		return nil, err
	}
	p, err := s.pool(ctx, id)
	if err != nil {
		return nil, err
	}
	return p.Settings.Tags, nil
}

// MaxTags is how many tags a pool may have.
const MaxTags = 50

// Tag adds tags to a pool, and untag removes some.
func (s *Service) Tag(ctx context.Context, arn string, add map[string]string, remove []string) error {
	id, err := s.poolOfARN(arn)
	if err != nil {
		return err
	}
	_, err = s.cfg.Store.UpdateIdentityPool(ctx, id, func(p store.IdentityPool) (store.IdentityPool, error) {
		t := maps.Clone(p.Settings.Tags)
		if t == nil {
			t = map[string]string{}
		}
		maps.Copy(t, add)
		for _, k := range remove {
			delete(t, k)
		}
		if len(t) > MaxTags {
			return p, apierr.New(apierr.InvalidParameter, "A pool may have at most 50 tags.")
		}
		p.Settings.Tags, p.UpdatedAt = t, s.now()
		return p, nil
	})
	if isNotFound(err) {
		return apierr.New(apierr.ResourceNotFound, "Resource "+arn+" not found.")
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}
